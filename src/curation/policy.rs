//! What is recorded of an answer, the one policy every adapter's questions go through: a
//! refusal or a low-confidence answer is a miss for `/unanswered`; an answered question is
//! stored under the id its vote buttons carry.

use super::store::{AnswerRecord, Miss, Place, Store, StoreError};
use crate::answer::Answer;

/// Below this confidence an answer is given but also noted for moderators to look at.
pub const LOW_CONFIDENCE: f64 = 0.65;

/// A pasted essay is kept only as far as a moderator would read it.
pub const MAX_STORED_QUESTION_CHARS: usize = 300;

/// The normalized form questions are grouped by: folded words, single spaces.
pub fn normalize(question: &str) -> String {
    crate::text::fold_words(question).join(" ")
}

/// Records `answer`, asked at `place` at time `at`: as a miss if moderators should see it
/// (refused, or answered with low confidence), and as a votable answer under `answer_id` if
/// it has one. Returns whether a miss was recorded.
pub fn record(
    store: &Store,
    answer: &Answer,
    answer_id: Option<i64>,
    place: Place,
    at: i64,
) -> Result<bool, StoreError> {
    let question: String = answer
        .question
        .chars()
        .take(MAX_STORED_QUESTION_CHARS)
        .collect();
    let normalized = normalize(&question);
    let missed = !(answer.answered() && answer.confidence >= LOW_CONFIDENCE);
    let recorded_miss = missed && !normalized.is_empty();
    if recorded_miss {
        store.record_miss(&Miss {
            question: &question,
            normalized: &normalized,
            refused: !answer.answered(),
            confidence: answer.confidence,
            place,
            at,
        })?;
    }
    if let Some(id) = answer_id.filter(|_| answer.answered()) {
        let fact_ids: Vec<String> = answer.facts.iter().map(|f| f.id.clone()).collect();
        store.record_answer(&AnswerRecord {
            id,
            question: &question,
            normalized: &normalized,
            fact_ids: &fact_ids,
            confidence: answer.confidence,
            place,
            at,
        })?;
    }
    Ok(recorded_miss)
}
