//! The unanswered report: what members asked that the fact base still cannot answer well.
//! `talkbot report` and Discord's `/unanswered` both call [`unanswered()`], so they agree.

use serde::Serialize;

use super::policy::LOW_CONFIDENCE;
use super::report::{group_unanswered, UnansweredGroup};
use super::store::{Store, StoreError};
use crate::engine::Engine;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unanswered {
    /// Most asked first.
    pub groups: Vec<UnansweredGroup>,
    /// Groups asked in the period that the fact base answers now (taught since, say).
    pub now_answered: usize,
}

/// Misses seen since `since` (in `guild`, or everywhere), grouped, without those `engine`
/// now answers well.
pub fn unanswered(
    store: &Store,
    engine: &Engine,
    since: i64,
    guild: Option<u64>,
) -> Result<Unanswered, StoreError> {
    let groups = group_unanswered(store.misses(since, guild)?);
    Ok(still_unanswered(engine, groups))
}

/// The groups whose question the fact base in `engine` still cannot answer well. A question a
/// moderator has since taught stays in the database until retention removes it, but it is no
/// longer "unanswered".
pub fn still_unanswered(engine: &Engine, groups: Vec<UnansweredGroup>) -> Unanswered {
    let before = groups.len();
    let open: Vec<UnansweredGroup> = groups
        .into_iter()
        .filter(|group| {
            let answer = engine.ask(&group.question);
            !answer.answered() || answer.confidence < LOW_CONFIDENCE
        })
        .collect();
    Unanswered {
        now_answered: before - open.len(),
        groups: open,
    }
}
