//! Facts: `facts/*.toml`, each a list of `[[fact]]` tables a moderator writes by hand.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::files::KnowledgeDir;
use super::problem::{LineIndex, Problem};
use super::source::{toml_problem, Source};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub id: String,
    pub topic: String,
    pub statement: String,
    /// Alternate questions this fact answers, as members type them.
    pub questions: Vec<String>,
    pub source: String,
    /// Verbatim in `source`'s paragraph `paragraph` (checked at load).
    pub quote: String,
    pub paragraph: usize,
    /// Where the fact is written, for messages and for tools that edit the file.
    pub file: String,
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactFile {
    #[serde(default)]
    fact: Vec<RawFact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    id: Spanned<String>,
    topic: Spanned<String>,
    statement: Spanned<String>,
    questions: Spanned<Vec<Spanned<String>>>,
    source: Spanned<String>,
    quote: Spanned<String>,
}

/// Loads every fact file, checking each fact against `sources`. Problems are collected, and a
/// fact with a problem is left out, so one load reports everything wrong at once.
pub fn load_facts(
    dir: &KnowledgeDir,
    sources: &BTreeMap<String, Source>,
    unloaded_sources: &BTreeSet<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Fact> {
    let paths = dir.list("facts", "toml");
    if paths.is_empty() {
        problems.push(Problem::new(
            "facts",
            None,
            "holds no fact files (*.toml); the bot would know nothing",
        ));
    }
    let mut facts = Vec::new();
    let mut first_seen: HashMap<String, (String, usize)> = HashMap::new();
    for path in paths {
        for fact in load_file(dir, &path, sources, unloaded_sources, problems) {
            if let Some((file, line)) = first_seen.get(&fact.id) {
                problems.push(Problem::new(
                    fact.file.clone(),
                    Some(fact.line),
                    format!(
                        "duplicate fact id `{}` (first used at {file}:{line})",
                        fact.id
                    ),
                ));
                continue;
            }
            first_seen.insert(fact.id.clone(), (fact.file.clone(), fact.line));
            facts.push(fact);
        }
    }
    facts
}

fn load_file(
    dir: &KnowledgeDir,
    path: &Path,
    sources: &BTreeMap<String, Source>,
    unloaded_sources: &BTreeSet<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Fact> {
    let name = dir.display(path);
    let text = match dir.read(path) {
        Ok(text) => text,
        Err(problem) => {
            problems.push(problem);
            return Vec::new();
        }
    };
    let file: FactFile = match toml::from_str(&text) {
        Ok(file) => file,
        Err(error) => {
            problems.push(toml_problem(&name, &text, &error));
            return Vec::new();
        }
    };
    let checker = FactChecker {
        file: &name,
        lines: LineIndex::new(&text),
        sources,
        unloaded_sources,
    };
    file.fact
        .into_iter()
        .filter_map(|raw| checker.check(raw, problems))
        .collect()
}

struct FactChecker<'a> {
    file: &'a str,
    lines: LineIndex,
    sources: &'a BTreeMap<String, Source>,
    unloaded_sources: &'a BTreeSet<String>,
}

impl FactChecker<'_> {
    fn line(&self, span: &Range<usize>) -> usize {
        self.lines.line(span.start)
    }

    fn problem(&self, span: &Range<usize>, message: String) -> Problem {
        Problem::new(self.file, Some(self.line(span)), message)
    }

    fn check(&self, raw: RawFact, problems: &mut Vec<Problem>) -> Option<Fact> {
        let before = problems.len();
        let id = raw.id.get_ref().trim().to_string();
        if !is_slug(&id) {
            problems.push(self.problem(
                &raw.id.span(),
                format!("fact id `{id}` must be lowercase letters, digits and hyphens, like `talks-venue`"),
            ));
        }
        let topic = raw.topic.get_ref().trim().to_string();
        if !is_slug(&topic) {
            problems.push(self.problem(
                &raw.topic.span(),
                format!(
                    "topic `{topic}` of fact `{id}` must be lowercase letters, digits and hyphens"
                ),
            ));
        }
        let statement = raw.statement.get_ref().trim().to_string();
        if statement.is_empty() {
            problems.push(self.problem(
                &raw.statement.span(),
                format!("fact `{id}` has an empty statement"),
            ));
        }
        let questions: Vec<String> = raw
            .questions
            .get_ref()
            .iter()
            .map(|q| q.get_ref().trim().to_string())
            .collect();
        if questions.is_empty() {
            problems.push(self.problem(
                &raw.questions.span(),
                format!("fact `{id}` needs at least one question it answers"),
            ));
        }
        for question in raw.questions.get_ref() {
            if question.get_ref().trim().is_empty() {
                problems.push(self.problem(
                    &question.span(),
                    format!("fact `{id}` has an empty question"),
                ));
            }
        }
        let paragraph = self.check_quote(&id, &raw, problems);
        if problems.len() > before {
            return None;
        }
        Some(Fact {
            line: self.line(&raw.id.span()),
            file: self.file.to_string(),
            id,
            topic,
            statement,
            questions,
            source: raw.source.get_ref().trim().to_string(),
            quote: raw.quote.get_ref().to_string(),
            paragraph: paragraph?,
        })
    }

    /// The quote's paragraph, or a problem that shows the closest real passage.
    fn check_quote(&self, id: &str, raw: &RawFact, problems: &mut Vec<Problem>) -> Option<usize> {
        let source_id = raw.source.get_ref().trim();
        let Some(source) = self.sources.get(source_id) else {
            if self.unloaded_sources.contains(source_id) {
                return None;
            }
            let known: Vec<&str> = self.sources.keys().map(String::as_str).collect();
            problems.push(self.problem(
                &raw.source.span(),
                format!(
                    "fact `{id}` cites unknown source `{source_id}` (known: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
            return None;
        };
        let quote = raw.quote.get_ref();
        if quote.trim().is_empty() {
            problems
                .push(self.problem(&raw.quote.span(), format!("fact `{id}` has an empty quote")));
            return None;
        }
        if let Some(paragraph) = source.paragraph_of(quote) {
            return Some(paragraph);
        }
        // A quote copied from the wrong article is the likeliest mistake of all: name the right one.
        let elsewhere = self
            .sources
            .values()
            .find_map(|other| Some((other, other.paragraph_of(quote)?)));
        if let Some((other, paragraph)) = elsewhere {
            problems.push(self.problem(
                &raw.source.span(),
                format!(
                    "the quote of fact `{id}` is not in source `{source_id}` but in source `{}` (paragraph {paragraph}); set source = \"{}\"",
                    other.id, other.id
                ),
            ));
            return None;
        }
        let hint = match source.closest_passage(quote) {
            Some((number, passage)) => {
                format!("; closest passage (paragraph {number}): \"{passage}\"")
            }
            None => String::new(),
        };
        let typography = if quote.contains('\'') && !quote.contains('\u{2019}') {
            " (the article may use the curly apostrophe ’ where the quote has ')"
        } else {
            ""
        };
        problems.push(self.problem(
            &raw.quote.span(),
            format!("the quote of fact `{id}` is not verbatim in source `{source_id}`{hint}{typography}"),
        ));
        None
    }
}

fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
