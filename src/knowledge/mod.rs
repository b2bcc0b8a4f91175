//! The fact base as moderators write it: sources, facts and aliases, loaded from a directory and
//! checked as a whole. Nothing here matches questions; nothing here knows about Discord.
//!
//! Invariant: a loaded [`KnowledgeBase`] is valid. Every fact's quote stands verbatim in one
//! paragraph of a known source, ids are unique, no alias loops. A directory with any problem
//! yields [`LoadErrors`] listing all of them, never a partial base.

mod alias;
pub mod date;
mod diff;
mod fact;
mod files;
pub mod history;
mod memo;
pub(crate) mod prehashed;
mod problem;
mod questions;
mod shared;
mod source;
pub mod teach;
mod topics;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use alias::{Alias, ALIAS_FILE};
pub use date::Date;
pub use fact::{detect_slot, Fact, FactLines, MIN_QUESTIONS};
pub use files::MAX_FILE_BYTES;
use memo::{FactFileEntry, SourceEntry};
pub use memo::{LoadMemo, Stamp};
pub use problem::{LoadErrors, Problem};
pub use questions::Questions;
pub use shared::Shared;
pub use source::Source;
pub use topics::TOPICS_FILE;

/// Facts and sources are behind `Arc`s so that a refresh shares every unchanged one with the
/// base it replaces instead of copying it: at 100,000 facts a copy is over a million strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeBase {
    pub sources: BTreeMap<String, Arc<Source>>,
    pub facts: Vec<Arc<Fact>>,
    pub aliases: Vec<Alias>,
}

/// A base that loaded, with what a moderator should still look at: things that do not stop the
/// bot but make it worse (too few questions, a title unlike the article's first line, two
/// sources contradicting each other). `talkbot check` shows them; the bot does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub knowledge: KnowledgeBase,
    /// In file and line order.
    pub warnings: Vec<Problem>,
}

/// Hands the allocator's free pages back to the system. Parsing the files on every core leaves
/// each worker's arena with the freed parse trees between the facts it kept: at 100,000 facts
/// about 40 MB resident and unused, which the matcher's build did not reuse (its peak fell by
/// 18 MB with this). glibc returns the top of an arena on its own, never the pages inside it.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's free lists; no pointer of ours changes.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// [`source::load_sources`], taking each unchanged source from `previous`.
fn sources_memo(
    dir: &files::KnowledgeDir,
    memo: &LoadMemo,
    previous: Option<&KnowledgeBase>,
    fresh: &mut LoadMemo,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> BTreeMap<String, Arc<Source>> {
    source::missing_metadata(dir, problems);
    let paths = dir.list("sources", "toml");
    type Loaded = (SourceEntry, Option<Arc<Source>>, Vec<Problem>, bool);
    let loaded: Vec<Loaded> = paths
        .par_iter()
        .map(|meta| {
            let stamps = (Stamp::of(meta), Stamp::of(&meta.with_extension("txt")));
            let remembered = memo
                .sources
                .get(meta)
                .filter(|entry| entry.stamps == stamps);
            let kept = remembered.and_then(|entry| {
                let source = previous?.sources.get(entry.id.as_ref()?)?;
                Some((entry.clone(), Some(source.clone()), Vec::new(), true))
            });
            kept.unwrap_or_else(|| {
                let (source, problems, warnings) = source::load_one(dir, meta);
                let entry = SourceEntry {
                    stamps,
                    id: source.as_ref().map(|s| s.id.clone()),
                    warnings,
                };
                (entry, source, problems, false)
            })
        })
        .collect();
    let mut sources = BTreeMap::new();
    for (path, (entry, source, more_problems, reused)) in paths.into_iter().zip(loaded) {
        problems.extend(more_problems);
        warnings.extend(entry.warnings.iter().cloned());
        if reused {
            fresh.reused += 1;
        } else {
            fresh.read += 1;
        }
        fresh.sources.insert(path, entry);
        if let Some(source) = source {
            sources.insert(source.id.clone(), source);
        }
    }
    sources
}

/// [`fact::load_facts`], taking each unchanged file's facts from `previous` when what they are
/// checked against (`context`) is unchanged too.
#[allow(clippy::too_many_arguments)]
fn facts_memo(
    dir: &files::KnowledgeDir,
    checker: &fact::Context<'_>,
    context: u64,
    memo: &LoadMemo,
    previous: Option<&KnowledgeBase>,
    fresh: &mut LoadMemo,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Vec<Arc<Fact>> {
    let paths = dir.list("facts", "toml");
    if paths.is_empty() {
        return fact::load_facts(
            dir,
            checker.sources,
            checker.unloaded_sources,
            checker.topics,
            problems,
            warnings,
        );
    }
    // Where each file's facts are in `previous`: loading keeps a file's facts together.
    // Looked up once per run of facts from one file, not once per fact: at 100,000 facts
    // hashing every fact's file name was a good part of a refresh.
    let mut ranges: FxHashMap<&str, Range<usize>> = FxHashMap::default();
    let previous_facts = previous.map_or(&[][..], |p| &p.facts[..]);
    let mut start = 0;
    for i in 1..=previous_facts.len() {
        if i < previous_facts.len() && previous_facts[i].file == previous_facts[start].file {
            continue;
        }
        ranges
            .entry(previous_facts[start].file.as_str())
            .and_modify(|range| range.end = i)
            .or_insert(start..i);
        start = i;
    }
    type Loaded = (
        (Vec<Arc<Fact>>, Vec<Problem>, Vec<Problem>),
        FactFileEntry,
        bool,
    );
    let loaded: Vec<Loaded> = paths
        .par_iter()
        .map(|path| {
            let stamp = Stamp::of(path);
            let remembered = memo
                .facts
                .get(path)
                .filter(|entry| entry.stamp == stamp && entry.context == context);
            let kept = remembered.and_then(|entry| {
                let range = ranges.get(dir.display(path).as_str())?.clone();
                // Shared, not copied; `history::link` redoes the links between facts.
                let facts = previous?.facts[range].to_vec();
                Some((
                    (facts, Vec::new(), entry.warnings.clone()),
                    entry.clone(),
                    true,
                ))
            });
            kept.unwrap_or_else(|| {
                let (facts, problems, warnings) = fact::load_one(dir, path, checker);
                let entry = FactFileEntry {
                    stamp,
                    context,
                    warnings: warnings.clone(),
                };
                ((facts, problems, warnings), entry, false)
            })
        })
        .collect();
    let mut files = Vec::with_capacity(loaded.len());
    for (path, (file, entry, reused)) in paths.into_iter().zip(loaded) {
        if reused {
            fresh.reused += 1;
        } else {
            fresh.read += 1;
        }
        fresh.facts.insert(path, entry);
        files.push(file);
    }
    fact::merge_files(files, problems, warnings)
}

impl KnowledgeBase {
    pub fn load(root: &Path) -> Result<KnowledgeBase, LoadErrors> {
        Self::load_with(root, false, None).map(|checked| checked.knowledge)
    }

    /// Loads as [`KnowledgeBase::load`] does, reading and checking again only the files that
    /// changed since `memo`'s last load, whose base was `previous`: an unchanged file's
    /// facts and sources are taken from `previous`. Everything that spans files is checked
    /// afresh, so the result (base or errors) is the one a cold load gives. On success `memo`
    /// describes the base returned; on failure it is left as it was. A memo and a base that do
    /// not go together (`previous` is `None`, or another base) give a cold load's result too,
    /// only slower: pass the base the memo's last load returned.
    pub fn load_memo(
        root: &Path,
        memo: &mut LoadMemo,
        previous: Option<&KnowledgeBase>,
    ) -> Result<KnowledgeBase, LoadErrors> {
        let mut fresh = LoadMemo::default();
        let loaded = Self::load_with(root, false, Some((memo, previous, &mut fresh)))?;
        *memo = fresh;
        Ok(loaded.knowledge)
    }

    /// Loads as [`KnowledgeBase::load`] does, with the warnings. The ones that compare facts
    /// with each other (contradictions, topic typos) are only worked out here: the bot and
    /// `/refresh` do not show warnings, so they do not pay for them.
    pub fn load_checked(root: &Path) -> Result<Checked, LoadErrors> {
        Self::load_with(root, true, None)
    }

    fn load_with(
        root: &Path,
        compare: bool,
        memo: Option<(&LoadMemo, Option<&KnowledgeBase>, &mut LoadMemo)>,
    ) -> Result<Checked, LoadErrors> {
        let dir = files::KnowledgeDir::open(root).map_err(|p| LoadErrors(vec![p]))?;
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let (memo, previous, mut fresh) = match memo {
            Some((memo, previous, fresh)) => (Some(memo), previous, Some(fresh)),
            None => (None, None, None),
        };
        // A memo is only any use with the base it describes.
        let previous = previous.filter(|_| memo.is_some());
        let sources = match (memo, fresh.as_deref_mut()) {
            (Some(memo), Some(fresh)) => {
                sources_memo(&dir, memo, previous, fresh, &mut problems, &mut warnings)
            }
            _ => source::load_sources(&dir, &mut problems, &mut warnings),
        };
        if sources.is_empty() && problems.is_empty() {
            problems.push(Problem::new(
                "sources",
                None,
                "holds no articles; every fact must quote one (see knowledge/README.md)",
            ));
        }
        let unloaded = source::unloaded_ids(&dir, &sources);
        let topics = topics::load_topics(&dir, &mut problems);
        let mut kept_aliases = None;
        if let Some(fresh) = fresh.as_deref_mut() {
            let stamp = Stamp::of(&dir.root().join(ALIAS_FILE));
            if memo.is_some_and(|memo| memo.aliases == Some(stamp)) {
                kept_aliases = previous.map(|previous| previous.aliases.clone());
            }
            fresh.aliases = Some(stamp);
        }
        let mut facts = match (memo, fresh) {
            (Some(memo), Some(fresh)) => {
                let context = fact::Context {
                    sources: &sources,
                    unloaded_sources: &unloaded,
                    topics: topics.as_ref(),
                };
                let stamp = memo::context_of(
                    fresh
                        .sources
                        .iter()
                        .map(|(path, entry)| (path, &entry.stamps)),
                    topics.as_ref(),
                    memo::Stamp::of(&dir.root().join(TOPICS_FILE)),
                    &unloaded,
                );
                facts_memo(
                    &dir,
                    &context,
                    stamp,
                    memo,
                    previous,
                    fresh,
                    &mut problems,
                    &mut warnings,
                )
            }
            _ => fact::load_facts(
                &dir,
                &sources,
                &unloaded,
                topics.as_ref(),
                &mut problems,
                &mut warnings,
            ),
        };
        history::link(&mut facts, &sources, &mut problems);
        let aliases = kept_aliases.unwrap_or_else(|| alias::load_aliases(&dir, &mut problems));
        release_free_memory();
        if !problems.is_empty() {
            return Err(LoadErrors(problems));
        }
        let knowledge = KnowledgeBase {
            sources,
            facts,
            aliases,
        };
        if !compare {
            return Ok(Checked {
                knowledge,
                warnings,
            });
        }
        if topics.is_none() {
            for (topic, near) in topics::near_typos(&knowledge.topics()) {
                let fact = knowledge
                    .facts
                    .iter()
                    .find(|f| f.topic == topic)
                    .expect("a topic has a fact");
                warnings.push(Problem::new(
                    fact.file.clone(),
                    Some(fact.lines.topic),
                    format!(
                        "topic `{topic}` of fact `{}` is used by no other fact; did you mean \
                         `{near}`? (declare the topics in {TOPICS_FILE} to make this an error)",
                        fact.id
                    ),
                ));
            }
        }
        for (later, before) in history::contradictions(&knowledge) {
            // Said at the newer report (by publication date, else the one written later): that
            // is where a `supersedes` would go.
            let (newer, older) = if knowledge.source_of(&knowledge.facts[before]).published
                > knowledge.source_of(&knowledge.facts[later]).published
            {
                (&knowledge.facts[before], &knowledge.facts[later])
            } else {
                (&knowledge.facts[later], &knowledge.facts[before])
            };
            warnings.push(Problem::new(
                newer.file.clone(),
                Some(newer.line),
                format!(
                    "fact `{}` (source `{}`) and fact `{}` at {}:{} (source `{}`) both answer \
                     the {} of topic `{}`, and neither supersedes the other; if the newer \
                     report replaces the older, add supersedes = \"{}\" to fact `{}`; if both \
                     stand, give one a different slot = \"…\" (see \"Contradictions\" in \
                     knowledge/README.md)",
                    newer.id,
                    newer.source,
                    older.id,
                    older.file,
                    older.line,
                    older.source,
                    newer.slot.as_deref().unwrap_or("slot"),
                    newer.topic,
                    older.id,
                    newer.id,
                ),
            ));
        }
        warnings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Ok(Checked {
            knowledge,
            warnings,
        })
    }

    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts
            .iter()
            .find(|fact| fact.id == id)
            .map(|fact| &**fact)
    }

    pub fn source_of(&self, fact: &Fact) -> &Source {
        // Loading checked that every fact's source exists.
        &self.sources[fact.source.as_str()]
    }

    /// Topics in first-seen order, with how many facts each has.
    pub fn topics(&self) -> Vec<(String, usize)> {
        let mut topics: Vec<(String, usize)> = Vec::new();
        for fact in &self.facts {
            match topics.iter_mut().find(|(topic, _)| *topic == fact.topic) {
                Some((_, count)) => *count += 1,
                None => topics.push((fact.topic.to_string(), 1)),
            }
        }
        topics
    }
}
