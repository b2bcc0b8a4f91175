//! The bot's side of the curation loop: recording what members asked, the Helpful / Not helpful
//! buttons on answers, and votes. The database is opened once at start; if it cannot be, the
//! bot answers anyway and [`Curation::store`] tells moderators why their commands are off.
//!
//! Every store call runs on tokio's blocking pool: SQLite waits up to its busy timeout when
//! another writer holds the file, and that wait must not stall the gateway's tasks. The store's
//! own lock is taken inside the call and released before it returns, so no lock is ever held
//! across an `.await`. A failed write is logged and the answer goes out regardless.

use std::sync::Arc;

use poise::serenity_prelude::{ChannelId, GuildId};
use tracing::{error, info, warn};

use super::custom_id::ButtonAction;
use super::error::{user_error, UserError};
use super::reply::{Button, Reply};
use crate::answer::Answer;
use crate::curation::{self, Place, Store, StoreError, UnansweredGroup, Vote};
use crate::engine::Engine;

pub struct Curation {
    /// The open store, or why there is none (already in words for a moderator).
    store: Result<Arc<Store>, String>,
}

impl Curation {
    /// Opens the database in `dir`, or logs clearly why not and carries on without it.
    pub fn open(dir: &std::path::Path, retention_days: u32) -> Curation {
        match Store::open(dir, retention_days) {
            Ok(store) => {
                if store.is_read_only() {
                    warn!(path = %store.path().display(), "the curation database is read-only: reports work, but questions, votes and teaching are not recorded");
                }
                Curation {
                    store: Ok(Arc::new(store)),
                }
            }
            Err(problem) => {
                error!(%problem, "curation is off: answers go on, but unanswered questions and votes are not recorded and the moderator commands cannot work until this is fixed and the bot restarted");
                Curation::off(problem.to_string())
            }
        }
    }

    /// Deletes rows past the retention period once a day (opening the store did it once
    /// already), so a bot that runs for months keeps only what the setting allows. The task
    /// stops when the returned guard is dropped.
    pub fn prune_daily(&self) -> Option<Pruning> {
        let store = self.store.as_ref().ok()?.clone();
        if store.is_read_only() {
            return None;
        }
        Some(Pruning(tokio::spawn(async move {
            let day = std::time::Duration::from_secs(24 * 60 * 60);
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + day, day);
            loop {
                ticks.tick().await;
                let store = store.clone();
                match tokio::task::spawn_blocking(move || store.prune(curation::now())).await {
                    Ok(Ok(removed)) => info!(removed, "curation: old rows pruned"),
                    Ok(Err(problem)) => warn!(%problem, "curation: pruning old rows failed"),
                    Err(panic) => error!(%panic, "curation: pruning old rows failed"),
                }
            }
        })))
    }

    /// No database, for this `reason`.
    pub fn off(reason: String) -> Curation {
        Curation { store: Err(reason) }
    }

    /// The store, or a [`UserError`] that says what is wrong with it.
    pub fn store(&self) -> Result<Arc<Store>, UserError> {
        self.store
            .clone()
            .map_err(|reason| UserError(format!("Curation is off: {reason}")))
    }

    /// Like [`Curation::store`], but also refuses a read-only store: for commands that write.
    pub fn writable_store(&self) -> Result<Arc<Store>, UserError> {
        let store = self.store()?;
        if store.is_read_only() {
            let problem = StoreError::ReadOnly {
                path: store.path().to_path_buf(),
            };
            return Err(UserError(format!("Curation is read-only: {problem}.")));
        }
        Ok(store)
    }

    /// Records `answer` for moderators (refused or low confidence) and, if it was answered,
    /// stores it so members can vote on it. Returns the id its vote buttons carry; `None` when
    /// there is nothing to vote on or the database could not take it (logged).
    pub async fn record(&self, answer: &Answer, place: Place) -> Option<i64> {
        let store = self.store.as_ref().ok()?.clone();
        if store.is_read_only() {
            return None;
        }
        let answer = answer.clone();
        let stored = tokio::task::spawn_blocking(move || {
            let at = curation::now();
            curation::record_if_missed(&store, &answer, place, at)?;
            if !answer.answered {
                return Ok(None);
            }
            let fact_ids: Vec<String> = answer.facts.iter().map(|f| f.id.clone()).collect();
            let question: String = answer
                .question
                .chars()
                .take(curation::MAX_STORED_QUESTION_CHARS)
                .collect();
            let normalized = curation::normalize(&question);
            store
                .record_answer(
                    &question,
                    &normalized,
                    &fact_ids,
                    answer.confidence,
                    place,
                    at,
                )
                .map(Some)
        })
        .await;
        match stored {
            Ok(Ok(id)) => id,
            Ok(Err(problem)) => {
                warn!(%problem, "could not record a question for curation; answering anyway");
                None
            }
            Err(panic) => {
                error!(%panic, "recording a question for curation failed");
                None
            }
        }
    }

    /// Records `member`'s vote on answer `answer_id`, and says what happened in words for them.
    pub async fn vote(&self, answer_id: i64, member: u64, helpful: bool) -> String {
        let store = match self.writable_store() {
            Ok(store) => store,
            Err(_) => return "Sorry, votes cannot be recorded right now.".to_string(),
        };
        let result = tokio::task::spawn_blocking(move || {
            store.vote(answer_id, member, helpful, curation::now())
        })
        .await;
        let what = if helpful { "helpful" } else { "not helpful" };
        match result {
            Ok(Ok(Vote::New)) => "Thanks — recorded.".to_string(),
            Ok(Ok(Vote::Changed)) => format!("Thanks — changed your vote to “{what}”."),
            Ok(Ok(Vote::Unchanged)) => format!("You already said “{what}”; thanks."),
            Ok(Err(problem)) => {
                // Most likely the answer is older than the retention period and was deleted.
                warn!(%problem, answer_id, "could not record a vote");
                "Sorry, that vote could not be recorded (the answer may be too old).".to_string()
            }
            Err(panic) => {
                error!(%panic, "recording a vote failed");
                "Sorry, that vote could not be recorded.".to_string()
            }
        }
    }
}

/// The daily pruning task; dropping this stops it, however the bot stops.
pub struct Pruning(tokio::task::JoinHandle<()>);

impl Drop for Pruning {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `work` with the store on the blocking pool; a database error becomes a [`UserError`]
/// naming it, since only moderators call this and they are the ones who can fix it.
pub async fn with_store<T: Send + 'static>(
    store: Arc<Store>,
    work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, super::data::Error> {
    match tokio::task::spawn_blocking(move || work(&store)).await? {
        Ok(value) => Ok(value),
        Err(problem) => {
            error!(%problem, "curation database query failed");
            Err(user_error(format!(
                "The curation database could not be read: {problem}"
            )))
        }
    }
}

/// Where a question was asked, as the store keeps it (0 for "none": a DM has no server).
pub fn place(guild: Option<GuildId>, channel: ChannelId) -> Place {
    Place {
        guild_id: guild.map_or(0, GuildId::get),
        channel_id: channel.get(),
    }
}

/// `reply` with Helpful / Not helpful buttons for answer `answer_id`. An answer has no other
/// buttons, so two more stay well within Discord's five per row.
pub fn with_vote_buttons(mut reply: Reply, answer_id: i64) -> Reply {
    for (label, helpful) in [("👍 Helpful", true), ("👎 Not helpful", false)] {
        let action = ButtonAction::Vote { answer_id, helpful };
        if let Some(custom_id) = action.custom_id() {
            reply.buttons.push(Button {
                label: label.to_string(),
                custom_id,
                disabled: false,
            });
        }
    }
    reply.fit()
}

/// Discord shows `<t:UNIX:R>` as "3 hours ago" in each reader's own language and time zone.
pub fn relative_time(unix: i64) -> String {
    format!("<t:{unix}:R>")
}

/// The groups whose question the fact base in `engine` still cannot answer well, and how many
/// it now can. A question a moderator has since taught (or a refresh has covered) stays in the
/// database until retention removes it, but it is no longer "unanswered".
pub fn still_unanswered(
    engine: &Engine,
    groups: Vec<UnansweredGroup>,
) -> (Vec<UnansweredGroup>, usize) {
    let before = groups.len();
    let open: Vec<UnansweredGroup> = groups
        .into_iter()
        .filter(|group| {
            let answer = engine.ask(&group.question);
            !answer.answered || answer.confidence < curation::LOW_CONFIDENCE
        })
        .collect();
    let now_answered = before - open.len();
    (open, now_answered)
}
