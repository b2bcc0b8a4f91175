//! `topics.toml`: the topics facts may use, declared once. Without it a typo in one fact's
//! `topic` ("electons") silently becomes a topic of its own in `/facts`; with it, the loader
//! refuses a topic that is not declared and names the nearest one that is.
//!
//! The file is optional (a base without it gets a warning for a topic that looks like a typo of
//! another, see [`near_typos`]); its format is one line per topic, `name = "what it covers"`,
//! under `[topics]`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::files::KnowledgeDir;
use super::problem::{LineIndex, Problem};
use super::source::toml_problem;

pub const TOPICS_FILE: &str = "topics.toml";

/// The declared topics, with the line each is declared on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topics {
    pub declared: BTreeMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    topics: BTreeMap<String, Spanned<String>>,
}

impl Topics {
    pub fn contains(&self, topic: &str) -> bool {
        self.declared.contains_key(topic)
    }

    /// The message for a fact whose topic is not declared.
    pub fn unknown_message(&self, topic: &str) -> String {
        let names: Vec<&str> = self.declared.keys().map(String::as_str).collect();
        match nearest(topic, names.iter().copied()) {
            Some(near) => format!(
                "topic `{topic}` is not in {TOPICS_FILE}; did you mean `{near}`? (a new topic \
                 must be added to {TOPICS_FILE} first)"
            ),
            None => format!(
                "topic `{topic}` is not in {TOPICS_FILE} (known: {}); use one of them, or add \
                 the new topic to {TOPICS_FILE} first",
                names.join(", ")
            ),
        }
    }
}

/// Loads `topics.toml` if there is one.
pub fn load_topics(dir: &KnowledgeDir, problems: &mut Vec<Problem>) -> Option<Topics> {
    let path = dir.root().join(TOPICS_FILE);
    if !path.exists() {
        return None;
    }
    let text = dir.read(&path).map_err(|p| problems.push(p)).ok()?;
    let file: TopicsFile = toml::from_str(&text)
        .map_err(|e| problems.push(toml_problem(TOPICS_FILE, &text, &e)))
        .ok()?;
    let lines = LineIndex::new(&text);
    let mut declared = BTreeMap::new();
    for (name, description) in file.topics {
        let line = lines.line(description.span().start);
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push(Problem::new(
                TOPICS_FILE,
                Some(line),
                format!("topic `{name}` must be lowercase letters, digits and hyphens"),
            ));
        }
        declared.insert(name, line);
    }
    Some(Topics { declared })
}

/// The closest of `names` to `word`, if it is close enough to be a typo of it (at most two
/// letters off, and not the word itself).
pub fn nearest<'a>(word: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    names
        .filter(|name| *name != word)
        .map(|name| (strsim::damerau_levenshtein(word, name), name))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, name)| name)
}

/// Without `topics.toml`: a topic used by one fact only that is a letter or two from another
/// topic is most likely a typo of it. The other topic is one more facts use, or, as many, one
/// that came first (`topics` is in first-seen order), so a pair is named once, the typo first.
/// `(the likely typo, the topic it looks like)`.
pub fn near_typos(topics: &[(String, usize)]) -> Vec<(String, String)> {
    topics
        .iter()
        .enumerate()
        .filter(|(_, (_, count))| *count == 1)
        .filter_map(|(at, (topic, _))| {
            let others = topics
                .iter()
                .enumerate()
                .filter(|(i, (other, count))| other != topic && (*count > 1 || *i < at))
                .map(|(_, (other, _))| other.as_str());
            Some((topic.clone(), nearest(topic, others)?.to_string()))
        })
        .collect()
}
