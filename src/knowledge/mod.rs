//! The fact base as moderators write it: sources, facts and aliases, loaded from a directory and
//! checked as a whole. Nothing here matches questions; nothing here knows about Discord.
//!
//! Invariant: a loaded [`KnowledgeBase`] is valid. Every fact's quote stands verbatim in one
//! paragraph of a known source, ids are unique, no alias loops. A directory with any problem
//! yields [`LoadErrors`] listing all of them, never a partial base.

mod alias;
mod fact;
mod files;
mod problem;
mod source;
pub mod teach;

use std::collections::BTreeMap;
use std::path::Path;

pub use alias::{Alias, ALIAS_FILE};
pub use fact::Fact;
pub use files::MAX_FILE_BYTES;
pub use problem::{LoadErrors, Problem};
pub use source::Source;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeBase {
    pub sources: BTreeMap<String, Source>,
    pub facts: Vec<Fact>,
    pub aliases: Vec<Alias>,
}

impl KnowledgeBase {
    pub fn load(root: &Path) -> Result<KnowledgeBase, LoadErrors> {
        let dir = files::KnowledgeDir::open(root).map_err(|p| LoadErrors(vec![p]))?;
        let mut problems = Vec::new();
        let sources = source::load_sources(&dir, &mut problems);
        if sources.is_empty() && problems.is_empty() {
            problems.push(Problem::new(
                "sources",
                None,
                "holds no articles; every fact must quote one (see knowledge/README.md)",
            ));
        }
        let unloaded = source::unloaded_ids(&dir, &sources);
        let facts = fact::load_facts(&dir, &sources, &unloaded, &mut problems);
        let aliases = alias::load_aliases(&dir, &mut problems);
        if !problems.is_empty() {
            return Err(LoadErrors(problems));
        }
        Ok(KnowledgeBase {
            sources,
            facts,
            aliases,
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
