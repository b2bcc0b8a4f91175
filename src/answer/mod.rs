//! The one answer type. The matcher decides, [`crate::engine::Engine`] fills this in, and each
//! adapter only renders it: as text and JSON in the CLI, as an embed in Discord.
//!
//! Invariant: `answered() == !facts.is_empty()`, by construction: [`Answer::new`] is the only
//! way to build one and sets both, and the JSON's `"answered"` is that same value. Every `quote`
//! is verbatim in its source paragraph (the loader checked it; nothing here edits a quote).

mod text;

use serde::Serialize;

pub use crate::matcher::Language;

pub use text::{earlier_line, render_text, reported, reported_lines};

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
    /// Older reports the answer's facts superseded, newest first (empty for a refusal).
    pub earlier: Vec<CitedFact>,
    /// Questions the fact base can answer, offered with a refusal, with the fact each asks
    /// about, so a renderer needs no fact base to turn one into a button.
    pub suggestions: Vec<Suggestion>,
    /// The parts of a compound question that have no sourced answer, when others have.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unanswered_parts: Vec<String>,
    /// The language the question was asked in, when it is not English: quotes stay in English,
    /// as published, and the reply says so in this language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Set when this answers a follow-up ("source?", "and russia?") to the previous answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpNote>,
    /// The source paragraphs in full, for "source?": each verbatim, as the article has it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<Passage>,
}

/// Which follow-up an answer answers, and the question it asked for it, if it asked one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpNote {
    /// "source", "why", "more", "about", "pick" or "sure".
    pub kind: String,
    /// The question the follow-up became ("and russia?" → the previous question about Russia;
    /// "2" → the second suggestion).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asked: Option<String>,
}

/// One paragraph of a source, in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub source: String,
    pub title: String,
    /// 0 is the title, body paragraphs count from 1.
    pub paragraph: usize,
    pub text: String,
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
            earlier: Vec::new(),
            suggestions,
            unanswered_parts: Vec::new(),
            language: None,
            follow_up: None,
            passages: Vec::new(),
        }
    }

    /// Whether the fact base answered: true exactly when the answer cites facts.
    pub fn answered(&self) -> bool {
        self.answered
    }

    /// Names the parts of a compound question that have no sourced answer, in the answer too.
    pub fn with_unanswered_parts(mut self, parts: Vec<String>) -> Answer {
        if self.answered {
            for part in &parts {
                self.answer.push_str(&format!("\n{PART_REFUSAL} “{part}”."));
            }
            self.unanswered_parts = parts;
        }
        self
    }

    /// Marks the question's language; an answer then says, in it, that quotes stay English.
    pub fn in_language(mut self, language: Option<Language>) -> Answer {
        self.language = language;
        if let Some(language) = language.filter(|_| self.answered) {
            self.answer.push('\n');
            self.answer.push_str(quotes_in_english(language));
        }
        self
    }
}

/// A question to ask instead, and the fact that answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub fact_id: String,
    pub question: String,
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
