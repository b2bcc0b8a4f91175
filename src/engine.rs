//! The engine: a loaded fact base with its matcher, behind the few calls every adapter needs.
//! [`LiveEngine`] holds the current engine behind an atomic pointer so a refresh swaps in a
//! whole new base while answers in flight finish on the old one: readers never wait.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use arc_swap::ArcSwap;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::answer::{Answer, Citation, CitedFact, Suggestion};
use crate::knowledge::teach::{add_question_to, TeachError};
use crate::knowledge::{history, Fact, KnowledgeBase, LoadErrors, LoadMemo};
use crate::matcher::{language_of, BuildMemo, Matcher};
use crate::text::MAX_QUESTION_CHARS;

pub struct Engine {
    knowledge: KnowledgeBase,
    matcher: Matcher,
    /// Fact index by a hash of its id: a clicked suggestion is found without a scan of the
    /// base, and a refresh does not copy 100,000 ids to build this.
    by_id: FxHashMap<u64, usize>,
}

/// One of the facts closest to a question, as `talkbot ask --explain` lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    pub fact_id: String,
    pub score: f32,
    pub confidence: f32,
    /// How close in meaning the question is to the fact's nearest own question (a cosine).
    pub meaning: f32,
}

impl Engine {
    pub fn load(dir: &Path) -> Result<Engine, LoadErrors> {
        KnowledgeBase::load(dir).map(Engine::new)
    }

    pub fn new(knowledge: KnowledgeBase) -> Engine {
        let matcher = Matcher::new(&knowledge);
        Engine::with_matcher(knowledge, matcher)
    }

    /// [`Engine::new`], reusing and updating `memo`'s analyses of facts: the same engine, built
    /// in less time when few facts changed since the memo's last build.
    pub fn build(knowledge: KnowledgeBase, memo: &mut BuildMemo) -> Engine {
        let matcher = Matcher::build(&knowledge, memo);
        Engine::with_matcher(knowledge, matcher)
    }

    fn with_matcher(knowledge: KnowledgeBase, matcher: Matcher) -> Engine {
        // Hashed on every core: reading 100,000 ids from as many facts is most of this.
        let hashes: Vec<u64> = knowledge
            .facts
            .par_iter()
            .map(|fact| id_hash(&fact.id))
            .collect();
        let by_id = hashes
            .into_iter()
            .enumerate()
            .map(|(i, hash)| (hash, i))
            .collect();
        Engine {
            knowledge,
            matcher,
            by_id,
        }
    }

    pub fn knowledge(&self) -> &KnowledgeBase {
        &self.knowledge
    }

    pub fn ask(&self, question: &str) -> Answer {
        let verdict = self.matcher.verdict(&self.knowledge, capped(question));
        // News moves on: a fact a newer report superseded gives way to the newest one, and
        // goes under `earlier` with the other reports it replaced.
        let matched: Vec<usize> = verdict.facts.iter().map(|c| c.fact).collect();
        let (current, history) = history::current(&self.knowledge, &matched);
        let cite_all = |facts: &[usize]| -> Vec<CitedFact> {
            facts
                .iter()
                .map(|&i| self.cite(&self.knowledge.facts[i]))
                .collect()
        };
        let facts = cite_all(&current);
        let suggestions = verdict
            .suggestions
            .iter()
            .map(|&fact| {
                let fact = &self.knowledge.facts[fact];
                Suggestion {
                    fact_id: fact.id.clone(),
                    question: fact.questions[0].to_string(),
                }
            })
            .collect();
        let confidence = (f64::from(verdict.confidence) * 1000.0).round() / 1000.0;
        let mut answer = Answer::new(question, confidence, facts, suggestions)
            .with_unanswered_parts(verdict.unanswered_parts)
            .in_language(language_of(capped(question)));
        if answer.answered() {
            answer.earlier = cite_all(&history);
        }
        answer
    }

    /// The `limit` closest facts: why an answer came out as it did.
    pub fn explain(&self, question: &str, limit: usize) -> Vec<Closest> {
        self.matcher
            .rank(&self.knowledge, capped(question))
            .into_iter()
            .take(limit)
            .map(|c| Closest {
                fact_id: self.knowledge.facts[c.fact].id.clone(),
                score: c.score,
                confidence: c.confidence,
                meaning: c.similarity,
            })
            .collect()
    }

    /// How the matcher read the question: its terms and their weights.
    pub fn reading(&self, question: &str) -> Vec<crate::matcher::ReadTerm> {
        self.matcher.reading(capped(question))
    }

    /// The first question of fact `fact_id`, as a member would type the suggestion; `None`
    /// once the fact is gone from the base.
    pub fn suggested_question(&self, fact_id: &str) -> Option<&str> {
        self.fact(fact_id)?.questions.first()
    }

    /// Fact `fact_id`, found by its id's hash rather than by a scan of the base.
    pub fn fact(&self, fact_id: &str) -> Option<&Fact> {
        match self.by_id.get(&id_hash(fact_id)) {
            Some(&index) if self.knowledge.facts[index].id == fact_id => {
                Some(&self.knowledge.facts[index])
            }
            // Another id with the same hash (or none at all): the scan settles it.
            _ => self.knowledge.fact(fact_id),
        }
    }

    /// Answerable questions that fit what has been typed so far, best first: for Discord's
    /// autocomplete, and for anyone wondering what to ask.
    pub fn complete(&self, typed: &str, limit: usize) -> Vec<String> {
        let typed = capped(typed).trim();
        let mut out: Vec<String> = Vec::new();
        let push = |question: &str, out: &mut Vec<String>| {
            if out.len() < limit && !out.iter().any(|q| q == question) {
                out.push(question.to_string());
            }
        };
        if typed.is_empty() {
            for fact in &self.knowledge.facts {
                push(&fact.questions[0], &mut out);
            }
            return out;
        }
        let typed_words = crate::text::fold_words(typed);
        let folded = typed_words.join(" ");
        // The last word is usually half-typed: widen it to the words it could become.
        let mut query = typed.to_string();
        if let Some(last) = typed_words.last() {
            if !self.matcher.analyzer().knows(last) {
                for word in self.matcher.analyzer().completions(last, 3) {
                    query.push(' ');
                    query.push_str(&word);
                }
            }
        }
        let ranked = self.matcher.rank(&self.knowledge, &query);
        for candidate in ranked.iter().take(limit * 2) {
            let fact = &self.knowledge.facts[candidate.fact];
            let mut questions: Vec<&str> = fact.questions.iter().collect();
            questions
                .sort_by_cached_key(|q| !crate::text::fold_words(q).join(" ").contains(&folded));
            for question in questions.into_iter().take(2) {
                push(question, &mut out);
            }
        }
        out
    }

    pub fn cite(&self, fact: &Fact) -> CitedFact {
        let source = self.knowledge.source_of(fact);
        CitedFact {
            id: fact.id.clone(),
            topic: fact.topic.to_string(),
            statement: fact.statement.clone(),
            source: Citation {
                id: source.id.clone(),
                title: source.title.clone(),
                paragraph: fact.paragraph,
                quote: fact.quote.clone(),
                dateline: source.dateline.clone(),
                event_date: source.event_date.clone(),
                published: source
                    .published
                    .map_or_else(|| "unknown".to_string(), |d| d.iso()),
            },
        }
    }
}

/// The part of a question the matcher sees: its first [`MAX_QUESTION_CHARS`] characters. Cutting
/// here, once, bounds the work any input can cause, and means text past the cap can never
/// change an answer (a flood's tail once could, through a matcher step that read it all).
fn capped(question: &str) -> &str {
    match question.char_indices().nth(MAX_QUESTION_CHARS) {
        Some((end, _)) => &question[..end],
        None => question,
    }
}

/// What a refresh changed, by fact id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Changes {
    pub fn between(old: &KnowledgeBase, new: &KnowledgeBase) -> Changes {
        // A refresh shares every fact of an unchanged file with the base it replaces, and a
        // shared fact is unchanged by construction: only the facts that are not shared are
        // compared by id. A base holds each id once, so the id of a fact that is not shared can
        // only be on another fact that is not shared. Pointers, not ids, are hashed for the
        // rest: at 100,000 facts hashing every id twice was most of a refresh's cost here.
        let pointers = |base: &KnowledgeBase| -> FxHashSet<*const Fact> {
            base.facts.iter().map(Arc::as_ptr).collect()
        };
        let (old_pointers, new_pointers) = (pointers(old), pointers(new));
        let old_rest: Vec<&Arc<Fact>> = old
            .facts
            .iter()
            .filter(|fact| !new_pointers.contains(&Arc::as_ptr(fact)))
            .collect();
        let new_rest: Vec<&Arc<Fact>> = new
            .facts
            .iter()
            .filter(|fact| !old_pointers.contains(&Arc::as_ptr(fact)))
            .collect();
        fn by_id<'a>(facts: &[&'a Arc<Fact>]) -> FxHashMap<&'a str, &'a Fact> {
            facts.iter().map(|f| (f.id.as_str(), &***f)).collect()
        }
        let (old_ids, new_ids) = (by_id(&old_rest), by_id(&new_rest));
        let mut changes = Changes::default();
        for fact in new_rest {
            match old_ids.get(fact.id.as_str()) {
                None => changes.added.push(fact.id.clone()),
                Some(before) if !same_content(before, fact) => {
                    changes.changed.push(fact.id.clone())
                }
                Some(_) => {}
            }
        }
        for fact in old_rest {
            if !new_ids.contains_key(fact.id.as_str()) {
                changes.removed.push(fact.id.clone());
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Fx, not SipHash: ids are the moderators' own, and a collision only costs a scan.
fn id_hash(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    id.hash(&mut hasher);
    hasher.finish()
}

/// Moving a fact within its file is not a change a moderator cares about.
fn same_content(a: &Fact, b: &Fact) -> bool {
    (&a.topic, &a.statement, &a.questions, &a.source, &a.quote)
        == (&b.topic, &b.statement, &b.questions, &b.source, &b.quote)
        && (&a.supersedes, &a.slot) == (&b.supersedes, &b.slot)
}

/// The engine in service: read by every answer, replaced whole by a refresh.
///
/// Refreshes and teaches take turns ([`LiveEngine::refresh`], [`LiveEngine::teach`]): each
/// reads the files and swaps in what it read, and a refresh that read the files before a
/// teach's edit but swapped after it would drop the question just taught. Answers never take
/// that turn; they only load the pointer.
pub struct LiveEngine {
    dir: PathBuf,
    current: ArcSwap<Engine>,
    /// Held for the whole of one refresh or teach: edit (if any), reload, swap.
    changing: Mutex<()>,
    /// What the current engine's load and build learned of each file and fact, so a refresh
    /// reads and analyses again only what changed. Only touched within a turn.
    memo: Mutex<Memo>,
}

/// A live engine's memory of its last load: it describes the current engine's base.
#[derive(Default)]
struct Memo {
    load: LoadMemo,
    build: BuildMemo,
}

/// What a teach came to, once the question is in the file.
#[derive(Debug)]
pub struct Taught {
    /// The reload that followed; on failure the old base keeps answering.
    pub reload: Result<Changes, LoadErrors>,
}

impl LiveEngine {
    pub fn load(dir: &Path) -> Result<LiveEngine, LoadErrors> {
        let mut memo = Memo::default();
        let knowledge = KnowledgeBase::load_memo(dir, &mut memo.load, None)?;
        let engine = Engine::build(knowledge, &mut memo.build);
        Ok(LiveEngine {
            dir: dir.to_path_buf(),
            current: ArcSwap::from_pointee(engine),
            changing: Mutex::new(()),
            memo: Mutex::new(memo),
        })
    }

    /// A live engine starting from `engine`; its first refresh reads the whole directory.
    pub fn new(dir: &Path, engine: Engine) -> LiveEngine {
        LiveEngine {
            dir: dir.to_path_buf(),
            current: ArcSwap::from_pointee(engine),
            changing: Mutex::new(()),
            memo: Mutex::new(Memo::default()),
        }
    }

    /// (files read afresh, files taken unchanged) by the last load: what a refresh cost.
    pub fn last_load(&self) -> (usize, usize) {
        self.memo().load.last_load()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The engine as of now. Hold it for the whole of one answer, so the answer comes from one
    /// base even if a refresh lands meanwhile.
    pub fn current(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    /// Reloads the directory. On success the new base replaces the old at once; on failure
    /// nothing changes and the old base keeps answering.
    /// Blocks while a teach or another refresh runs.
    pub fn refresh(&self) -> Result<Changes, LoadErrors> {
        let _turn = self.turn();
        self.reload()
    }

    /// Adds `question` to fact `fact_id`'s questions on disk
    /// ([`crate::knowledge::teach::add_question`]) and reloads, in one turn: no refresh can
    /// land between the edit and the reload. Blocks while a refresh or another teach runs.
    pub fn teach(&self, fact_id: &str, question: &str) -> Result<Taught, TeachError> {
        let _turn = self.turn();
        let current = self.current();
        // The reload is the check that the edit leaves a base that loads: one load, not two.
        let fact = current.fact(fact_id);
        let fresh = add_question_to(&self.dir, fact_id, fact, question, || {
            self.load_after(&current)
        })?;
        Ok(Taught {
            reload: Ok(self.swap(current, fresh)),
        })
    }

    /// Waits for, then holds until dropped, the turn refreshes and teaches take. Anything else
    /// that edits the knowledge directory while the bot runs should hold it too.
    pub fn turn(&self) -> MutexGuard<'_, ()> {
        // The guard protects no data, only the order; a panic in a turn leaves nothing broken.
        self.changing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn reload(&self) -> Result<Changes, LoadErrors> {
        let current = self.current();
        let fresh = self.load_after(&current)?;
        Ok(self.swap(current, fresh))
    }

    /// Loads the directory again, reading and analysing only what changed since `current`
    /// was loaded; on success the memo describes the engine returned.
    fn load_after(&self, current: &Engine) -> Result<Engine, LoadErrors> {
        let mut memo = self.memo();
        let memo = &mut *memo;
        let knowledge =
            KnowledgeBase::load_memo(&self.dir, &mut memo.load, Some(current.knowledge()))?;
        Ok(Engine::build(knowledge, &mut memo.build))
    }

    fn swap(&self, current: Arc<Engine>, fresh: Engine) -> Changes {
        let changes = Changes::between(current.knowledge(), fresh.knowledge());
        let replaced = self.current.swap(Arc::new(fresh));
        // Freeing a large base is millions of small frees: not on the teach's clock. Whoever
        // drops the last reference (an answer still on it, or this thread) frees it.
        drop(current);
        std::thread::spawn(move || drop(replaced));
        changes
    }

    fn memo(&self) -> MutexGuard<'_, Memo> {
        self.memo
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
