//! The one answer type. The matcher decides, [`crate::engine::Engine`] fills this in, and each
//! adapter only renders it: as text and JSON in the CLI, as an embed in Discord.
//!
//! Invariant: `answered() == !facts.is_empty()`, by construction: [`Answer::new`] is the only
//! way to build one and sets both, and the JSON's `"answered"` is that same value. Every `quote`
//! is verbatim in its source paragraph (the loader checked it; nothing here edits a quote).

mod text;

use serde::Serialize;

pub use text::render_text;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub question: String,
    /// Private, so that only [`Answer::new`] sets it; read it with [`Answer::answered`].
    answered: bool,
    /// In [0, 1]; comparable across questions.
    pub confidence: f64,
    /// What a person reads: the facts' statements, or the plain refusal.
    pub answer: String,
    pub facts: Vec<CitedFact>,
    /// Questions the fact base can answer, offered with a refusal, with the fact each asks
    /// about, so a renderer needs no fact base to turn one into a button.
    pub suggestions: Vec<Suggestion>,
}

impl Answer {
    /// The answer to `question` from `facts`: their statements, or the plain refusal when
    /// there are none (then `suggestions` are what to ask instead).
    pub fn new(
        question: &str,
        confidence: f64,
        facts: Vec<CitedFact>,
        suggestions: Vec<Suggestion>,
    ) -> Answer {
        let answer = if facts.is_empty() {
            REFUSAL.to_string()
        } else {
            facts
                .iter()
                .map(|fact| fact.statement.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        Answer {
            question: question.trim().to_string(),
            answered: !facts.is_empty(),
            confidence,
            answer,
            facts,
            suggestions,
        }
    }

    /// Whether the fact base answered: true exactly when the answer cites facts.
    pub fn answered(&self) -> bool {
        self.answered
    }
}

/// A question to ask instead, and the fact that answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub fact_id: String,
    pub question: String,
}

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
}

/// Said when the fact base has nothing sourced to say. It must read as a refusal, never as a
/// guess.
pub const REFUSAL: &str = "I have no sourced answer to that in my fact base.";
