//! The one answer type. The matcher decides, [`crate::engine::Engine`] fills this in, and each
//! adapter only renders it: as text and JSON in the CLI, as an embed in Discord.
//!
//! Invariant: `answered == !facts.is_empty()`, and every `quote` is verbatim in its source
//! paragraph (the loader checked it; nothing here edits a quote).

mod text;

use serde::Serialize;

pub use crate::matcher::Language;

pub use text::{earlier_line, render_text, reported, reported_lines};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub question: String,
    pub answered: bool,
    /// In [0, 1]; comparable across questions.
    pub confidence: f64,
    /// What a person reads: the facts' statements, or the plain refusal.
    pub answer: String,
    pub facts: Vec<CitedFact>,
    /// Older reports the answer's facts superseded, newest first (empty for a refusal).
    pub earlier: Vec<CitedFact>,
    /// Questions the fact base can answer, offered with a refusal.
    pub suggestions: Vec<String>,
    /// The parts of a compound question that have no sourced answer, when others have.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unanswered_parts: Vec<String>,
    /// The language the question was asked in, when it is not English: quotes stay in English,
    /// as published, and the reply says so in this language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

/// One line, in the member's language, saying that the quotes are in English as published.
pub fn quotes_in_english(language: Language) -> &'static str {
    match language {
        Language::Uk => "Цитати подано англійською, як їх опубліковано.",
        Language::Ru => "Цитаты приведены на английском, как они опубликованы.",
    }
}

/// Said of the parts of a compound question that the fact base has nothing on.
pub const PART_REFUSAL: &str = "I have no sourced answer to this part:";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CitedFact {
    pub id: String,
    pub topic: String,
    pub statement: String,
    pub source: Citation,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    pub id: String,
    pub title: String,
    /// 0 is the title, body paragraphs count from 1.
    pub paragraph: usize,
    pub quote: String,
    pub dateline: String,
    pub event_date: String,
    /// The article's publication date, `YYYY-MM-DD`, or "unknown".
    pub published: String,
}

/// Said when the fact base has nothing sourced to say. It must read as a refusal, never as a
/// guess.
pub const REFUSAL: &str = "I have no sourced answer to that in my fact base.";
