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
mod problem;
mod source;
pub mod teach;
mod topics;

use std::collections::BTreeMap;
use std::path::Path;

pub use alias::{Alias, ALIAS_FILE};
pub use date::Date;
pub use fact::{detect_slot, Fact, FactLines, MIN_QUESTIONS};
pub use files::MAX_FILE_BYTES;
pub use problem::{LoadErrors, Problem};
pub use source::Source;
pub use topics::TOPICS_FILE;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeBase {
    pub sources: BTreeMap<String, Source>,
    pub facts: Vec<Fact>,
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

impl KnowledgeBase {
    pub fn load(root: &Path) -> Result<KnowledgeBase, LoadErrors> {
        Self::load_with(root, false).map(|checked| checked.knowledge)
    }

    /// Loads as [`KnowledgeBase::load`] does, with the warnings. The ones that compare facts
    /// with each other (contradictions, topic typos) are only worked out here: the bot and
    /// `/refresh` do not show warnings, so they do not pay for them.
    pub fn load_checked(root: &Path) -> Result<Checked, LoadErrors> {
        Self::load_with(root, true)
    }

    fn load_with(root: &Path, compare: bool) -> Result<Checked, LoadErrors> {
        let dir = files::KnowledgeDir::open(root).map_err(|p| LoadErrors(vec![p]))?;
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let sources = source::load_sources(&dir, &mut problems, &mut warnings);
        if sources.is_empty() && problems.is_empty() {
            problems.push(Problem::new(
                "sources",
                None,
                "holds no articles; every fact must quote one (see knowledge/README.md)",
            ));
        }
        let unloaded = source::unloaded_ids(&dir, &sources);
        let topics = topics::load_topics(&dir, &mut problems);
        let mut facts = fact::load_facts(
            &dir,
            &sources,
            &unloaded,
            topics.as_ref(),
            &mut problems,
            &mut warnings,
        );
        history::link(&mut facts, &sources, &mut problems);
        let aliases = alias::load_aliases(&dir, &mut problems);
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
        self.facts.iter().find(|fact| fact.id == id)
    }

    pub fn source_of(&self, fact: &Fact) -> &Source {
        // Loading checked that every fact's source exists.
        &self.sources[&fact.source]
    }

    /// Topics in first-seen order, with how many facts each has.
    pub fn topics(&self) -> Vec<(String, usize)> {
        let mut topics: Vec<(String, usize)> = Vec::new();
        for fact in &self.facts {
            match topics.iter_mut().find(|(topic, _)| *topic == fact.topic) {
                Some((_, count)) => *count += 1,
                None => topics.push((fact.topic.clone(), 1)),
            }
        }
        topics
    }
}
