//! The curation rows the store's tests write, as the bot writes them: shared by
//! `tests/store.rs` (the suite run on both backends) and `tests/curation.rs`.
#![allow(dead_code)]

use talkbot::curation::{self, AnswerRecord, Miss, Place, Store};

pub const NOW: i64 = 1_800_000_000;
pub const DAY: i64 = 86_400;
pub const GUILD: Place = Place {
    guild_id: 7,
    channel_id: 8,
};

pub fn miss<'a>(question: &'a str, normalized: &'a str, at: i64) -> Miss<'a> {
    Miss {
        question,
        normalized,
        refused: true,
        confidence: 0.1,
        place: GUILD,
        at,
    }
}

/// Records an answer to `question` citing `fact`, as the bot does: an id first, then the row.
pub fn answer_row(store: &Store, question: &str, fact: &str, at: i64) -> i64 {
    let id = store.reserve_answer_id().unwrap();
    store
        .record_answer(&AnswerRecord {
            id,
            question,
            normalized: &curation::normalize(question),
            fact_ids: &[fact.to_string()],
            confidence: 0.9,
            place: GUILD,
            at,
        })
        .unwrap();
    id
}
