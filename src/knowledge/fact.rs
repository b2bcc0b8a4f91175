//! Facts: `facts/*.toml`, each a list of `[[fact]]` tables a moderator writes by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use super::files::KnowledgeDir;
use super::prehashed::{prehash, PrehashedMap};
use super::problem::{LineIndex, Problem};
use super::questions::Questions;
use super::shared::{Interner, Shared};
use super::source::{toml_problem, Source};
use super::topics::Topics;

/// Kept compact, since a base may hold 100,000 of them: the names that repeat across facts are
/// [`Shared`], and the lists that are fixed once loaded are boxed slices (no spare capacity,
/// and a pointer and a length where a `Vec` has three words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fact {
    pub id: String,
    pub topic: Shared,
    pub statement: String,
    /// Alternate questions this fact answers, as members type them.
    pub questions: Questions,
    pub source: Shared,
    /// Verbatim in `source`'s paragraph `paragraph` (checked at load).
    pub quote: String,
    pub paragraph: usize,
    /// Ids of older facts this one replaces (a newer report of the same thing). Checked at load
    /// to exist, to form no cycle and not to point at a newer source: see `history`.
    pub supersedes: Box<[String]>,
    /// What question of its topic the fact answers ("venue", "date"), as the moderator set it
    /// or as detected from the statement; two sources answering the same slot with no
    /// `supersedes` between them are a contradiction `check` warns about.
    pub slot: Option<Shared>,
    /// Where the fact is written, for messages and for tools that edit the file.
    pub file: Shared,
    pub line: usize,
    /// Where each field is, for `check`'s messages.
    pub lines: FactLines,
    /// Filled in at load from `supersedes`: positions in `KnowledgeBase::facts` of the facts
    /// this one replaces, and of those replacing it (see `history`).
    pub older: Box<[usize]>,
    pub newer: Box<[usize]>,
}

/// The lines (1-based) of a fact's fields in its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactLines {
    pub topic: usize,
    /// One per question, in order. `u32`, boxed: a line number per question of every fact,
    /// kept for `check`'s messages only.
    pub questions: Box<[u32]>,
    /// The `supersedes` line, or the `id` line when there is none.
    pub supersedes: usize,
}

/// The guide asks for 6 to 12 wordings per fact; fewer, and members' own wordings miss.
pub const MIN_QUESTIONS: usize = 6;

/// `supersedes = "id"` or `supersedes = ["id", "id"]`: one older report or several.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
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
    #[serde(default)]
    supersedes: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    slot: Option<Spanned<String>>,
}

/// One fact file's facts, with its problems and warnings.
pub(super) type FileFacts = (Vec<Arc<Fact>>, Vec<Problem>, Vec<Problem>);

/// Loads every fact file, checking each fact against `sources`. Problems are collected, and a
/// fact with a problem is left out, so one load reports everything wrong at once.
pub fn load_facts(
    dir: &KnowledgeDir,
    sources: &BTreeMap<String, Arc<Source>>,
    unloaded_sources: &BTreeSet<String>,
    topics: Option<&Topics>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Vec<Arc<Fact>> {
    let paths = dir.list("facts", "toml");
    if paths.is_empty() {
        problems.push(Problem::new(
            "facts",
            None,
            "holds no fact files (*.toml); the bot would know nothing",
        ));
    }
    let context = Context {
        sources,
        unloaded_sources,
        topics,
    };
    let loaded: Vec<FileFacts> = paths
        .par_iter()
        .map(|path| load_one(dir, path, &context))
        .collect();
    merge_files(loaded, problems, warnings)
}

/// One fact file, checked, with its own problems and warnings: what a refresh may remember.
pub(super) fn load_one(dir: &KnowledgeDir, path: &Path, context: &Context<'_>) -> FileFacts {
    let (mut problems, mut warnings) = (Vec::new(), Vec::new());
    let facts = load_file(dir, path, context, &mut problems, &mut warnings)
        .into_iter()
        .map(Arc::new)
        .collect();
    (facts, problems, warnings)
}

/// The files' facts in file order, each id once: a fact whose id an earlier fact took is a
/// problem, and left out.
pub(super) fn merge_files(
    loaded: Vec<FileFacts>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Vec<Arc<Fact>> {
    // All facts first, so that the ids can be checked by reference (no copy of every id).
    let mut facts: Vec<Arc<Fact>> = Vec::with_capacity(loaded.iter().map(|f| f.0.len()).sum());
    let mut files = Vec::with_capacity(loaded.len());
    for (file_facts, more_problems, more_warnings) in loaded {
        let start = facts.len();
        facts.extend(file_facts);
        files.push((start..facts.len(), more_problems, more_warnings));
    }
    let mut duplicate = vec![false; facts.len()];
    let ids = prehash(&facts, |fact| fact.id.as_str());
    let mut first_seen: PrehashedMap<usize> =
        PrehashedMap::with_capacity_and_hasher(facts.len(), Default::default());
    for (range, more_problems, more_warnings) in files {
        problems.extend(more_problems);
        warnings.extend(more_warnings);
        for i in range {
            let fact = &facts[i];
            if let Some(&first) = first_seen.get(&ids[i]) {
                let first = &facts[first];
                problems.push(Problem::new(
                    fact.file.clone(),
                    Some(fact.line),
                    format!(
                        "duplicate fact id `{}` (first used at {}:{})",
                        fact.id, first.file, first.line
                    ),
                ));
                duplicate[i] = true;
                continue;
            }
            first_seen.insert(ids[i], i);
        }
    }
    drop(first_seen);
    drop(ids);
    if duplicate.contains(&true) {
        let mut keep = duplicate.iter().map(|d| !d);
        facts.retain(|_| keep.next().expect("one flag per fact"));
    }
    facts
}

/// What every fact is checked against.
pub(super) struct Context<'a> {
    pub sources: &'a BTreeMap<String, Arc<Source>>,
    pub unloaded_sources: &'a BTreeSet<String>,
    pub topics: Option<&'a Topics>,
}

fn load_file(
    dir: &KnowledgeDir,
    path: &Path,
    context: &Context<'_>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
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
    let mut checker = FactChecker {
        file: &name,
        shared_file: Shared::from(name.as_str()),
        names: Interner::default(),
        lines: LineIndex::new(&text),
        sources: context.sources,
        unloaded_sources: context.unloaded_sources,
        topics: context.topics,
    };
    file.fact
        .into_iter()
        .filter_map(|raw| checker.check(raw, problems, warnings))
        .collect()
}

struct FactChecker<'a> {
    file: &'a str,
    shared_file: Shared,
    /// The file's sources, topics and slots, one copy each for all its facts.
    names: Interner,
    lines: LineIndex,
    sources: &'a BTreeMap<String, Arc<Source>>,
    unloaded_sources: &'a BTreeSet<String>,
    topics: Option<&'a Topics>,
}

impl FactChecker<'_> {
    fn line(&self, span: &Range<usize>) -> usize {
        self.lines.line(span.start)
    }

    fn problem(&self, span: &Range<usize>, message: String) -> Problem {
        Problem::new(self.file, Some(self.line(span)), message)
    }

    fn check(
        &mut self,
        mut raw: RawFact,
        problems: &mut Vec<Problem>,
        warnings: &mut Vec<Problem>,
    ) -> Option<Fact> {
        let before = problems.len();
        let id = trimmed(raw.id.get_mut());
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
        } else if let Some(topics) = self.topics {
            if !topics.contains(&topic) {
                problems.push(self.problem(&raw.topic.span(), topics.unknown_message(&topic)));
            }
        }
        let statement = trimmed(raw.statement.get_mut());
        if statement.is_empty() {
            problems.push(self.problem(
                &raw.statement.span(),
                format!("fact `{id}` has an empty statement"),
            ));
        }
        let questions: Questions = raw
            .questions
            .get_ref()
            .iter()
            .map(|q| q.get_ref().trim())
            .collect();
        if questions.is_empty() {
            problems.push(self.problem(
                &raw.questions.span(),
                format!("fact `{id}` needs at least one question it answers"),
            ));
        } else if questions.len() < MIN_QUESTIONS {
            warnings.push(self.problem(
                &raw.questions.span(),
                format!(
                    "fact `{id}` has {} {}; add more, to 6–12 different ways a member might ask \
                     (see \"questions\" in knowledge/README.md)",
                    questions.len(),
                    if questions.len() == 1 {
                        "question"
                    } else {
                        "questions"
                    }
                ),
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
        let supersedes: Vec<String> = match raw.supersedes.as_ref().map(Spanned::get_ref) {
            None => Vec::new(),
            Some(OneOrMany::One(id)) => vec![id.trim().to_string()],
            Some(OneOrMany::Many(ids)) => ids.iter().map(|id| id.trim().to_string()).collect(),
        };
        let supersedes_line = match &raw.supersedes {
            Some(value) => self.line(&value.span()),
            None => self.line(&raw.id.span()),
        };
        let slot = match &raw.slot {
            Some(slot) => {
                let slot = slot.get_ref().trim().to_string();
                if !is_slug(&slot) {
                    problems.push(self.problem(
                        &raw.slot.as_ref().expect("present").span(),
                        format!(
                            "slot `{slot}` of fact `{id}` must be lowercase letters, digits and \
                             hyphens, like slot = \"venue\" (or slot = \"none\")"
                        ),
                    ));
                }
                (slot != "none").then_some(slot)
            }
            None => detect_slot(&statement),
        };
        let slot = slot.map(|slot| self.names.get(&slot));
        let paragraph = self.check_quote(&id, &raw, problems);
        if problems.len() > before {
            return None;
        }
        Some(Fact {
            line: self.line(&raw.id.span()),
            file: self.shared_file.clone(),
            lines: FactLines {
                topic: self.line(&raw.topic.span()),
                questions: raw
                    .questions
                    .get_ref()
                    .iter()
                    .map(|q| self.line(&q.span()) as u32)
                    .collect(),
                supersedes: supersedes_line,
            },
            id,
            topic: self.names.get(&topic),
            statement,
            questions,
            source: self.names.get(raw.source.get_ref().trim()),
            quote: std::mem::take(raw.quote.get_mut()),
            paragraph: paragraph?,
            supersedes: supersedes.into_boxed_slice(),
            slot,
            older: Box::default(),
            newer: Box::default(),
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
        if let Some(line) = source.furniture_holding(quote) {
            problems.push(self.problem(
                &raw.quote.span(),
                format!(
                    "the quote of fact `{id}` is from the line \"{line}\", which the metadata \
                     of `{source_id}` lists as page furniture, not article text; quote the \
                     article's own words"
                ),
            ));
            return None;
        }
        let hint = match source.closest_passage(quote) {
            Some((number, passage)) => {
                let differences = super::diff::describe(quote, &passage);
                format!(
                    "; closest passage (paragraph {number}): \"{passage}\"{}",
                    if differences.is_empty() {
                        String::new()
                    } else {
                        format!("; {differences}")
                    }
                )
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

/// The slot of a fact with no `slot` field, from what its statement gives: a `date` (a month
/// name next to a day number), else a `place` ("in" or "at" before a capitalised name), else
/// none, and then it is never compared. Kept this simple on purpose, so a moderator can predict
/// it from the statement, and override it with `slot = "…"`.
pub fn detect_slot(statement: &str) -> Option<String> {
    let words: Vec<&str> = statement
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let is_day = |w: &str| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        !digits.is_empty()
            && digits.len() <= 2
            && digits.chars().all(|c| c.is_ascii_digit())
            && digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    };
    let has_date = words.windows(2).any(|pair| {
        (super::date::month_number(pair[0]).is_some() && is_day(pair[1]))
            || (is_day(pair[0]) && super::date::month_number(pair[1]).is_some())
    });
    if has_date {
        return Some("date".to_string());
    }
    let has_place = words.windows(2).any(|pair| {
        matches!(pair[0], "in" | "at")
            && pair[1].chars().next().is_some_and(char::is_uppercase)
            && super::date::month_number(pair[1]).is_none()
    });
    has_place.then(|| "place".to_string())
}

/// `text` without the blanks around it, taken rather than copied when it has none (as a
/// moderator's values almost always are): one allocation less per value, at 100,000 facts
/// a few hundred thousand.
fn trimmed(text: &mut String) -> String {
    if text.trim().len() == text.len() {
        std::mem::take(text)
    } else {
        text.trim().to_string()
    }
}

fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::detect_slot;

    #[test]
    fn the_slot_is_a_date_then_a_place_then_none() {
        let slot = |statement: &str| detect_slot(statement);
        assert_eq!(
            slot("The meeting in Hallandale, Florida took place on November 30th.").as_deref(),
            Some("date")
        );
        assert_eq!(
            slot("They met again on 7 December.").as_deref(),
            Some("date")
        );
        assert_eq!(
            slot("The talks took place at a meeting with officials in Hallandale, Florida.")
                .as_deref(),
            Some("place")
        );
        assert_eq!(
            slot("The negotiators met again in Geneva.").as_deref(),
            Some("place")
        );
        assert_eq!(
            slot("Rubio said the session was productive in a statement."),
            None
        );
        assert_eq!(slot("They may meet in May."), None);
    }
}
