//! The workflows every adapter shares: answering a question, and the moderators' teach,
//! refresh and reports. The Discord bot's `/ask`, mentions and suggestion clicks (and a
//! context-menu command, and the CLI) all answer through [`Workflow::ask`]; an adapter only
//! turns its event into that call and the [`Asked`] it gets back into a message.
//!
//! Nothing here waits on the disk or the network when answering: the engine is an atomic
//! snapshot and the curation record is queued ([`Curation::record`]).

mod teach;

use std::fmt;
use std::sync::Arc;

use tracing::info;

pub use teach::{TeachCheck, TeachOutcome, TeachRequest};

use crate::answer::Answer;
use crate::curation::{self, Curation, FactFeedback, Place, Unanswered};
use crate::engine::{Changes, Engine, LiveEngine};
use crate::knowledge::LoadErrors;

pub struct Workflow {
    engine: Arc<LiveEngine>,
    curation: Arc<Curation>,
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
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Via::Slash => "/ask",
            Via::Mention => "mention",
            Via::Suggestion => "suggestion clicked",
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

impl Workflow {
    pub fn new(engine: Arc<LiveEngine>, curation: Arc<Curation>) -> Workflow {
        Workflow { engine, curation }
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
    pub fn ask(&self, question: &str, asker: Asker) -> Asked {
        let answer = self.current().ask(question);
        info!(
            user = asker.member,
            answered = answer.answered(),
            confidence = answer.confidence,
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

    /// Reloads the fact base off the async threads (reading every file takes a while); waits
    /// its turn with teaches ([`LiveEngine::refresh`]).
    pub async fn refresh(&self) -> Result<Changes, LoadErrors> {
        let engine = self.engine.clone();
        match tokio::task::spawn_blocking(move || engine.refresh()).await {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic.into_panic()),
        }
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
