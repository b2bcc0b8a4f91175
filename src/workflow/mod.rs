//! The workflows every adapter shares: answering a question, and the moderators' teach,
//! refresh and reports. The Discord bot's `/ask`, mentions and suggestion clicks (and a
//! context-menu command, and the CLI) all answer through [`Workflow::ask`]; an adapter only
//! turns its event into that call and the [`Asked`] it gets back into a message.
//!
//! Nothing here waits on the disk or the network when answering: the engine is an atomic
//! snapshot and the curation record is queued ([`Curation::record`]).
//!
//! With several processes ([`Cluster`]), a refresh or teach announces itself once its reload
//! succeeded, and [`Workflow::follow_changes`] reloads this process's base when another one
//! announces; teaches take the cluster's teach lock, so edits happen one at a time across all.

mod teach;

use std::fmt;
use std::sync::Arc;

use tracing::{info, warn};

pub use teach::{TeachCheck, TeachOutcome, TeachRequest};

use crate::answer::Answer;
use crate::cluster::Cluster;
use crate::conversation::{self, Context, Conversations, SharedClock};
use crate::curation::{self, Curation, FactFeedback, Place, Unanswered};
use crate::engine::{Changes, Engine, LiveEngine};
use crate::knowledge::LoadErrors;

pub struct Workflow {
    engine: Arc<LiveEngine>,
    curation: Arc<Curation>,
    /// Each member's conversation in each channel: what "source?" or "and russia?" refers to.
    conversations: Conversations<(u64, u64)>,
    /// The other processes sharing the knowledge directory and database, if any.
    cluster: Cluster,
}

/// Who asked, where, and how, for the record and the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asker {
    pub place: Place,
    /// The member's numeric id.
    pub member: u64,
    pub via: Via,
}

/// How a question came in; it only names the log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Slash,
    Mention,
    Suggestion,
    /// A reply to one of the bot's answers.
    Reply,
    /// A message context-menu command ("Ask talkbot" on a message).
    Message,
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Via::Slash => "/ask",
            Via::Mention => "mention",
            Via::Suggestion => "suggestion clicked",
            Via::Reply => "reply",
            Via::Message => "ask talkbot on a message",
        })
    }
}

/// An answer as it goes out: the [`Answer`], and the id its vote buttons carry when it was
/// recorded as an answer to vote on.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub answer: Answer,
    pub answer_id: Option<i64>,
}

/// One conversation per member per channel: never shared between members, and a member's
/// conversation in one channel is not followed up in another.
fn conversation_key(asker: Asker) -> (u64, u64) {
    (asker.place.channel_id, asker.member)
}

impl Workflow {
    pub fn new(engine: Arc<LiveEngine>, curation: Arc<Curation>) -> Workflow {
        Workflow::with_clock(engine, curation, SharedClock::system())
    }

    /// As [`Self::new`], with the clock conversations expire by (a test's, moved by hand).
    pub fn with_clock(
        engine: Arc<LiveEngine>,
        curation: Arc<Curation>,
        clock: SharedClock,
    ) -> Workflow {
        Workflow {
            engine,
            curation,
            conversations: Conversations::new(conversation::CAPACITY, Box::new(clock)),
            cluster: Cluster::single(),
        }
    }

    /// This workflow as one of the processes sharing `cluster` (the default is
    /// [`Cluster::single`]): refreshes and teaches announce themselves to the others, and
    /// teaches take the cluster's teach lock.
    pub fn with_cluster(mut self, cluster: Cluster) -> Workflow {
        self.cluster = cluster;
        self
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    pub fn live(&self) -> &Arc<LiveEngine> {
        &self.engine
    }

    /// The engine answering now; hold it for one reply, so the reply comes from one base.
    pub fn current(&self) -> Arc<Engine> {
        self.engine.current()
    }

    pub fn curation(&self) -> &Arc<Curation> {
        &self.curation
    }

    /// The one answering workflow: ask the engine answering now, log, record for curation
    /// (queued, never waited for), and hand back the answer with its vote id.
    /// The member's conversation in this channel starts again from this answer.
    pub fn ask(&self, question: &str, asker: Asker) -> Asked {
        let answer = self.current().ask(question);
        self.conversations
            .put(conversation_key(asker), Context::new(&answer));
        self.answered(answer, asker)
    }

    /// A line in the member's conversation in this channel: a follow-up ("source?", "why?",
    /// "and russia?", "2", …) to their last answer there within [`conversation::EXPIRY`], else
    /// an ordinary question ([`conversation::reply`]); logged and recorded as [`Self::ask`] is.
    pub fn converse(&self, line: &str, asker: Asker) -> Asked {
        let key = conversation_key(asker);
        let context = self.conversations.get(&key);
        let (answer, next) = conversation::reply(&self.current(), context.as_ref(), line);
        if let Some(next) = next {
            self.conversations.put(key, next);
        }
        self.answered(answer, asker)
    }

    fn answered(&self, answer: Answer, asker: Asker) -> Asked {
        info!(
            user = asker.member,
            answered = answer.answered(),
            confidence = answer.confidence,
            follow_up = answer.follow_up.as_ref().map(|f| f.kind.as_str()),
            "{}",
            asker.via
        );
        let answer_id = self.curation.record(&answer, asker.place);
        Asked { answer, answer_id }
    }

    /// A suggestion clicked: asked exactly as a member would type it, through [`Self::ask`].
    /// `None` when the fact is no longer in the base.
    pub fn ask_suggestion(&self, fact_id: &str, asker: Asker) -> Option<Asked> {
        let question = self.current().suggested_question(fact_id)?.to_string();
        Some(self.ask(&question, asker))
    }

    /// Whether the member has a conversation in this channel that has not expired.
    pub fn in_conversation(&self, asker: Asker) -> bool {
        self.conversations.get(&conversation_key(asker)).is_some()
    }

    /// Reloads the fact base off the async threads (reading every file takes a while); waits
    /// its turn with teaches ([`LiveEngine::refresh`]). Once it succeeded, the other processes
    /// are told ([`Cluster::announce_change`]); failing to tell them is logged, not an error of
    /// the refresh, which did happen here.
    pub async fn refresh(&self) -> Result<Changes, LoadErrors> {
        let changes = self.reload_engine().await?;
        self.announce("refresh").await;
        Ok(changes)
    }

    async fn reload_engine(&self) -> Result<Changes, LoadErrors> {
        let engine = self.engine.clone();
        match tokio::task::spawn_blocking(move || engine.refresh()).await {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic.into_panic()),
        }
    }

    /// Tells the other processes that the base changed, after `what`.
    async fn announce(&self, what: &str) {
        if let Err(problem) = self.cluster.announce_change().await {
            warn!(%problem, "{what}: reloaded here, but the other processes could not be told; they reload on their next change or refresh");
        }
    }

    /// Reloads this process's base whenever another process announces a change (a
    /// `/refresh` or `/teach` there), logging what changed. Runs until the workflow is
    /// dropped; a reload that fails keeps the base answering now, as a refresh does.
    pub fn follow_changes(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        let mut changes = self.cluster.changes();
        let workflow = Arc::downgrade(&self);
        drop(self);
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                let version = *changes.borrow_and_update();
                let Some(workflow) = workflow.upgrade() else {
                    return;
                };
                match workflow.reload_engine().await {
                    Ok(changed) => info!(
                        version,
                        added = changed.added.len(),
                        changed = changed.changed.len(),
                        removed = changed.removed.len(),
                        facts = ?changed.added.iter().chain(&changed.changed).chain(&changed.removed).take(10).collect::<Vec<_>>(),
                        "fact base reloaded: another process changed it"
                    ),
                    Err(errors) => warn!(
                        version,
                        problems = errors.0.len(),
                        first = errors.0.first().map(|p| p.to_string()),
                        "another process changed the fact base, but it does not load here; the base loaded before keeps answering"
                    ),
                }
            }
        })
    }

    /// The unanswered report for `guild` (or everywhere) since `since`; what `/unanswered`
    /// shows, computed as `talkbot report` computes it ([`curation::unanswered`]).
    pub async fn unanswered(&self, since: i64, guild: Option<u64>) -> Result<Unanswered, String> {
        let engine = self.current();
        self.curation
            .read(move |store| curation::unanswered(store, &engine, since, guild))
            .await
    }

    /// The feedback report's rows for `guild` since `since`.
    pub async fn feedback(
        &self,
        since: i64,
        guild: Option<u64>,
    ) -> Result<Vec<FactFeedback>, String> {
        self.curation
            .read(move |store| Ok(curation::fact_feedback(store.votes(since, guild)?)))
            .await
    }
}
