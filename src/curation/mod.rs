//! The moderators' curation loop: what members asked that the bot could not answer, what they
//! found unhelpful, and the audit trail of questions moderators taught it. Kept in SQLite so it
//! survives restarts; nothing here matches questions or knows about Discord. Recording is best
//! effort: a database problem is logged by the caller and never stops an answer.

mod report;
mod schema;
mod store;

pub use report::{fact_feedback, group_unanswered, FactFeedback, UnansweredGroup};
pub use store::{
    days_ago, now, Miss, MissRow, Place, Store, StoreError, Vote, VoteRow, DATABASE_FILE,
    DEFAULT_RETENTION_DAYS,
};

use crate::answer::Answer;

/// Below this confidence an answer is given but also noted for moderators to look at.
pub const LOW_CONFIDENCE: f64 = 0.65;

/// A pasted essay is kept only as far as a moderator would read it.
pub const MAX_STORED_QUESTION_CHARS: usize = 300;

/// The normalized form questions are grouped by: folded words, single spaces.
pub fn normalize(question: &str) -> String {
    crate::text::fold_words(question).join(" ")
}

/// Records `answer` if moderators should see it: refused, or answered with low confidence.
/// Returns whether it was recorded.
pub fn record_if_missed(
    store: &Store,
    answer: &Answer,
    place: Place,
    at: i64,
) -> Result<bool, StoreError> {
    if answer.answered && answer.confidence >= LOW_CONFIDENCE {
        return Ok(false);
    }
    let question: String = answer
        .question
        .chars()
        .take(MAX_STORED_QUESTION_CHARS)
        .collect();
    let normalized = normalize(&question);
    if normalized.is_empty() {
        return Ok(false);
    }
    store.record_miss(&Miss {
        question: &question,
        normalized: &normalized,
        refused: !answer.answered,
        confidence: answer.confidence,
        place,
        at,
    })?;
    Ok(true)
}
