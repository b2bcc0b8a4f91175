//! News moves on: a newer report replaces an older fact with `supersedes = "old-id"`. The old
//! fact stays (it is what was reported then, and members may ask about it), but an answer gives
//! the newest fact first and the older ones as history. Pure functions over the loaded base.
//!
//! Checked at load: every id exists, there is no cycle (a fact both newer and older than
//! another), and no fact supersedes one from a more recently published source. Checked by
//! `talkbot check` only: contradictions, two sources answering the same question with neither
//! superseding the other ([`contradictions`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::date::Date;
use super::{Fact, KnowledgeBase, Problem, Source};

/// Links `older`/`newer` between facts, adding a problem for every `supersedes` that cannot
/// stand. Runs once all facts are loaded, since a fact may supersede one in another file.
/// A fact shared with the base a refresh replaces may carry that base's links; only a fact
/// whose links differ is copied (`Arc::make_mut`), so the old base keeps its own.
pub fn link(
    facts: &mut [Arc<Fact>],
    sources: &BTreeMap<String, Arc<Source>>,
    problems: &mut Vec<Problem>,
) {
    // Most facts supersede nothing: only the ids named in a `supersedes` are looked up, so
    // the map holds those, not every id of the base.
    let named: FxHashSet<&str> = if facts.par_iter().any(|fact| !fact.supersedes.is_empty()) {
        facts
            .iter()
            .flat_map(|fact| fact.supersedes.iter().map(String::as_str))
            .collect()
    } else {
        FxHashSet::default()
    };
    let position: FxHashMap<&str, usize> = if named.is_empty() {
        FxHashMap::default()
    } else {
        facts
            .iter()
            .enumerate()
            .filter(|(_, fact)| named.contains(fact.id.as_str()))
            .map(|(i, fact)| (fact.id.as_str(), i))
            .collect()
    };
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (i, fact) in facts.iter().enumerate() {
        for older_id in &fact.supersedes {
            let at = |message: String| {
                Problem::new(fact.file.clone(), Some(fact.lines.supersedes), message)
            };
            let Some(&older) = position.get(older_id.as_str()) else {
                let near = super::topics::nearest(older_id, facts.iter().map(|f| f.id.as_str()));
                problems.push(at(format!(
                    "fact `{}` supersedes `{older_id}`, but there is no fact with that id{}",
                    fact.id,
                    match near {
                        Some(near) => format!("; did you mean `{near}`?"),
                        None => "; write the id of the older fact it replaces".to_string(),
                    }
                )));
                continue;
            };
            let (newer_date, older_date) = (
                sources.get(fact.source.as_str()).and_then(|s| s.published),
                sources
                    .get(facts[older].source.as_str())
                    .and_then(|s| s.published),
            );
            if let (Some(newer_date), Some(older_date)) = (newer_date, older_date) {
                if older_date > newer_date {
                    problems.push(at(format!(
                        "fact `{}` (source `{}`, published {}) supersedes fact `{}` from a newer \
                         source (`{}`, published {}); a newer report supersedes an older one: \
                         move the supersedes to fact `{}`, or check the published dates",
                        fact.id,
                        fact.source,
                        newer_date.iso(),
                        facts[older].id,
                        facts[older].source,
                        older_date.iso(),
                        facts[older].id,
                    )));
                    continue;
                }
            }
            edges.push((i, older));
        }
    }
    let mut links: FxHashMap<usize, (Vec<usize>, Vec<usize>)> = FxHashMap::default();
    for &(newer, older) in &edges {
        links.entry(newer).or_default().0.push(older);
        links.entry(older).or_default().1.push(newer);
    }
    let unlinked = (Vec::new(), Vec::new());
    // On every core: at 100,000 facts, reaching each one is what this pass costs.
    facts.par_iter_mut().enumerate().for_each(|(i, fact)| {
        let (older, newer) = links.get(&i).unwrap_or(&unlinked);
        if *fact.older != **older || *fact.newer != **newer {
            let fact = Arc::make_mut(fact);
            fact.older = older.as_slice().into();
            fact.newer = newer.as_slice().into();
        }
    });
    report_cycles(facts, problems);
}

/// One problem per cycle, at the `supersedes` line that closes it (the last in file order), so
/// the message is the same on every load and points at one line to fix.
fn report_cycles(facts: &[Arc<Fact>], problems: &mut Vec<Problem>) {
    let components = strongly_connected(facts);
    let mut found: Vec<(usize, Vec<usize>)> = Vec::new();
    for component in components {
        let cyclic = component.len() > 1 || facts[component[0]].older.contains(&component[0]);
        if !cyclic {
            continue;
        }
        let members: HashSet<usize> = component.iter().copied().collect();
        let closer = *component
            .iter()
            .max_by_key(|&&i| (facts[i].file.clone(), facts[i].lines.supersedes))
            .expect("a component has a fact");
        // The way round the cycle, from the closing fact back to itself.
        let mut path = vec![closer];
        let mut current = closer;
        loop {
            let next = *facts[current]
                .older
                .iter()
                .filter(|o| members.contains(o))
                .min_by_key(|&&o| (o != closer, !path.contains(&o), o))
                .expect("every fact of a cycle supersedes one in it");
            path.push(next);
            if next == closer || path.len() > component.len() + 1 {
                break;
            }
            current = next;
        }
        found.push((closer, path));
    }
    found.sort_by_key(|(closer, _)| (facts[*closer].file.clone(), facts[*closer].lines.supersedes));
    for (closer, path) in found {
        let shown: Vec<&str> = path.iter().map(|&i| facts[i].id.as_str()).collect();
        problems.push(Problem::new(
            facts[closer].file.clone(),
            Some(facts[closer].lines.supersedes),
            format!(
                "supersedes loop: {}; a fact cannot be both newer and older than another: \
                 keep supersedes only on the newer report",
                shown.join(" supersedes ")
            ),
        ));
    }
}

/// Tarjan's strongly connected components over `older` edges, iteratively (a long chain of
/// reports must not overflow the stack).
fn strongly_connected(facts: &[Arc<Fact>]) -> Vec<Vec<usize>> {
    let n = facts.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX || facts[root].older.is_empty() {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = facts[v].older.get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}

/// A fact's source's publication date; `None` when unknown.
fn published(knowledge: &KnowledgeBase, fact: usize) -> Option<Date> {
    knowledge.source_of(&knowledge.facts[fact]).published
}

/// Whether a newer fact replaces this one.
pub fn is_superseded(fact: &Fact) -> bool {
    !fact.newer.is_empty()
}

/// The newest report of what fact `fact` says: follows `newer` to a fact nothing supersedes,
/// taking the most recently published (then the last written) where two facts supersede one.
pub fn newest(knowledge: &KnowledgeBase, fact: usize) -> usize {
    let mut current = fact;
    // Loading refused cycles; the bound only guards against a base built by hand in a test.
    for _ in 0..knowledge.facts.len() {
        let newer = &knowledge.facts[current].newer;
        match newer.iter().max_by_key(|&&i| (published(knowledge, i), i)) {
            Some(&next) => current = next,
            None => break,
        }
    }
    current
}

/// Every fact `fact` supersedes, directly or through others, newest first: nearest in the
/// chain first, and among facts as near, the most recently published.
pub fn earlier(knowledge: &KnowledgeBase, fact: usize) -> Vec<usize> {
    // Most facts replace nothing; an answer should not pay for a map to learn that.
    if knowledge.facts[fact].older.is_empty() {
        return Vec::new();
    }
    let mut depth: HashMap<usize, usize> = HashMap::new();
    let mut frontier = vec![fact];
    let mut level = 0;
    while !frontier.is_empty() {
        level += 1;
        let mut next = Vec::new();
        for current in frontier {
            for &older in &knowledge.facts[current].older {
                if older != fact && !depth.contains_key(&older) {
                    depth.insert(older, level);
                    next.push(older);
                }
            }
        }
        frontier = next;
    }
    let mut out: Vec<usize> = depth.keys().copied().collect();
    out.sort_by_key(|&i| {
        (
            depth[&i],
            std::cmp::Reverse(published(knowledge, i)),
            std::cmp::Reverse(i),
        )
    });
    out
}

/// What an answer shows for the facts the matcher chose: each replaced by its newest report
/// (once, in the matcher's order), and the reports those superseded, newest first.
pub fn current(knowledge: &KnowledgeBase, matched: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let mut facts: Vec<usize> = Vec::new();
    for &fact in matched {
        let newest = newest(knowledge, fact);
        if !facts.contains(&newest) {
            facts.push(newest);
        }
    }
    let mut history: Vec<usize> = Vec::new();
    for &fact in &facts {
        for older in earlier(knowledge, fact) {
            if !facts.contains(&older) && !history.contains(&older) {
                history.push(older);
            }
        }
    }
    (facts, history)
}

/// Two facts from different sources that answer the same question (same topic, same slot)
/// with no `supersedes` between them, either way: a moderator must say which stands. Each
/// pair once, as (the later fact, the earlier one) in load order.
pub fn contradictions(knowledge: &KnowledgeBase) -> Vec<(usize, usize)> {
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, fact) in knowledge.facts.iter().enumerate() {
        if let Some(slot) = &fact.slot {
            groups
                .entry((fact.topic.as_str(), slot.as_str()))
                .or_default()
                .push(i);
        }
    }
    let related = |a: usize, b: usize| {
        let chain = |from: usize, to: usize| earlier(knowledge, from).contains(&to);
        chain(a, b) || chain(b, a)
    };
    let mut out = Vec::new();
    for members in groups.values() {
        for (k, &later) in members.iter().enumerate() {
            // One warning per fact is enough to send the moderator to the pair; the pair named
            // is, where there is one, with a fact that is still current.
            let clashes = || {
                members[..k].iter().copied().filter(|&before| {
                    knowledge.facts[before].source != knowledge.facts[later].source
                        && !related(later, before)
                })
            };
            let clash = clashes()
                .find(|&before| !is_superseded(&knowledge.facts[before]))
                .or_else(|| clashes().next());
            if let Some(before) = clash {
                out.push((later, before));
            }
        }
    }
    out
}
