//! Teaching: adding a member's wording as an alternate question of an existing fact, by editing
//! the fact's file the way a moderator would: comments and layout kept (toml_edit), written to
//! a temporary file and renamed over the original, so a crash leaves the old file or the new
//! one, never half of either. Only existing, sourced facts can be taught a question, so teaching
//! can never make the bot answer something the fact base cannot source.

use std::io::Write;
use std::path::Path;

use toml_edit::{DocumentMut, Value};

use super::{Fact, KnowledgeBase, LoadErrors};

/// Longer than this, a "question" is a paste, not something members will ask again.
pub const MAX_TAUGHT_QUESTION_CHARS: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum TeachError {
    #[error("there is no fact `{0}`")]
    UnknownFact(String),
    #[error("the question is empty")]
    EmptyQuestion,
    #[error("the question is longer than {MAX_TAUGHT_QUESTION_CHARS} characters")]
    TooLong,
    #[error("fact `{fact}` already has that question")]
    AlreadyThere { fact: String },
    #[error("cannot edit {file}: {message}")]
    Edit { file: String, message: String },
    #[error("the edit was undone because the fact base would not load: {0}")]
    Invalid(LoadErrors),
    /// Another process's teach could not be waited for (the lock that serialises them).
    #[error(
        "cannot take the teach lock shared with the other bot processes ({0}); nothing was changed"
    )]
    Locked(String),
}

/// Adds `question` to fact `fact_id` in the knowledge directory `dir` (as described by
/// `knowledge`, the base currently loaded from it). On success the directory loads cleanly
/// with the new question; on any failure the file is as it was.
pub fn add_question(
    dir: &Path,
    knowledge: &KnowledgeBase,
    fact_id: &str,
    question: &str,
) -> Result<(), TeachError> {
    add_question_then(dir, knowledge, fact_id, question, || {
        KnowledgeBase::load(dir).map(|_| ())
    })
}

/// [`add_question`], with `load` as the check that the directory still loads once the
/// question is in: its result is returned, and if it fails the edit is undone. The live engine
/// passes its incremental load here, so a teach loads the base once, reading one file.
pub fn add_question_then<T>(
    dir: &Path,
    knowledge: &KnowledgeBase,
    fact_id: &str,
    question: &str,
    load: impl FnOnce() -> Result<T, LoadErrors>,
) -> Result<T, TeachError> {
    add_question_to(dir, fact_id, knowledge.fact(fact_id), question, load)
}

/// [`add_question_then`], given fact `fact_id` as the base loaded from `dir` has it (`None`:
/// there is no such fact): the live engine finds it by its id's hash, not by a scan of
/// 100,000 facts.
pub fn add_question_to<T>(
    dir: &Path,
    fact_id: &str,
    fact: Option<&Fact>,
    question: &str,
    load: impl FnOnce() -> Result<T, LoadErrors>,
) -> Result<T, TeachError> {
    let question = question.split_whitespace().collect::<Vec<_>>().join(" ");
    if question.is_empty() {
        return Err(TeachError::EmptyQuestion);
    }
    if question.chars().count() > MAX_TAUGHT_QUESTION_CHARS {
        return Err(TeachError::TooLong);
    }
    let fact = fact.ok_or_else(|| TeachError::UnknownFact(fact_id.to_string()))?;
    let folded = crate::text::fold_words(&question);
    if fact
        .questions
        .iter()
        .any(|q| crate::text::fold_words(q) == folded)
    {
        return Err(TeachError::AlreadyThere {
            fact: fact.id.clone(),
        });
    }
    let path = dir.join(&fact.file);
    let edit_error = |message: String| TeachError::Edit {
        file: fact.file.to_string(),
        message,
    };
    // Read now, not from `knowledge`: another process may have taught this fact since the
    // base in memory was loaded, and its question must be kept (and not added twice).
    let original = std::fs::read_to_string(&path).map_err(|e| edit_error(e.to_string()))?;
    // Parsed once for both the check and the edit.
    let parsed = original.parse::<DocumentMut>();
    if parsed
        .as_ref()
        .is_ok_and(|document| document_has_question(document, fact_id, &folded))
    {
        return Err(TeachError::AlreadyThere {
            fact: fact.id.clone(),
        });
    }
    let edited = parsed
        .map_err(|e| format!("{e}"))
        .and_then(|document| with_question_in(document, fact_id, &question))
        .map_err(edit_error)?;
    replace_file(&path, &edited).map_err(|e| edit_error(e.to_string()))?;
    match load() {
        Ok(loaded) => Ok(loaded),
        Err(errors) => {
            replace_file(&path, &original)
                .map_err(|e| edit_error(format!("{e}; and undoing the edit failed")))?;
            Err(TeachError::Invalid(errors))
        }
    }
}

/// Whether fact `fact_id` in this file already has a question that folds to `folded`.
fn document_has_question(document: &DocumentMut, fact_id: &str, folded: &[String]) -> bool {
    document
        .get("fact")
        .and_then(|item| item.as_array_of_tables())
        .and_then(|facts| {
            facts
                .iter()
                .find(|table| table.get("id").and_then(|id| id.as_str()) == Some(fact_id))
        })
        .and_then(|table| table.get("questions"))
        .and_then(|item| item.as_array())
        .is_some_and(|questions| {
            questions
                .iter()
                .filter_map(|q| q.as_str())
                .any(|q| crate::text::fold_words(q) == folded)
        })
}

/// The file's text with `question` appended to fact `fact_id`'s `questions`, laid out like
/// the questions already there.
#[cfg(test)]
fn with_question(text: &str, fact_id: &str, question: &str) -> Result<String, String> {
    with_question_in(text.parse().map_err(|e| format!("{e}"))?, fact_id, question)
}

/// [`with_question`] of a file already parsed.
fn with_question_in(
    mut document: DocumentMut,
    fact_id: &str,
    question: &str,
) -> Result<String, String> {
    let facts = document
        .get_mut("fact")
        .and_then(|item| item.as_array_of_tables_mut())
        .ok_or("no [[fact]] tables")?;
    let table = facts
        .iter_mut()
        .find(|table| table.get("id").and_then(|id| id.as_str()) == Some(fact_id))
        .ok_or_else(|| format!("no fact with id `{fact_id}`"))?;
    let questions = table
        .get_mut("questions")
        .and_then(|item| item.as_array_mut())
        .ok_or("the fact has no questions list")?;
    // Copy the whitespace before the last question, so a one-per-line list stays one per line.
    let prefix = questions
        .iter()
        .last()
        .and_then(|last| last.decor().prefix())
        .and_then(|prefix| prefix.as_str())
        .unwrap_or(" ")
        .to_string();
    let mut value = Value::from(question);
    value.decor_mut().set_prefix(prefix);
    questions.push_formatted(value);
    Ok(document.to_string())
}

/// Writes `text` to a temporary file beside `path`, flushes it to disk, and renames it over
/// `path`: readers and crashes see the old file or the new one, nothing between.
fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    temporary.write_all(text.as_bytes())?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_is_appended_in_the_list_own_layout_with_comments_kept() {
        let text = r#"# Talks
[[fact]]
id = "venue"  # where
questions = [
  "Where were the talks?",
  "venue", # short form
]

[[fact]]
id = "other"
questions = ["a", "b"]
"#;
        let edited = with_question(text, "venue", "Which city hosted them?").unwrap();
        assert!(
            edited.contains("# Talks")
                && edited.contains("# where")
                && edited.contains("# short form"),
            "{edited}"
        );
        assert!(
            edited.contains("\n  \"Which city hosted them?\""),
            "{edited}"
        );
        let inline = with_question(text, "other", "c").unwrap();
        assert!(
            inline.contains(r#"questions = ["a", "b", "c"]"#),
            "{inline}"
        );
    }
}
