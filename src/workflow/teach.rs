//! The teach sequence: take the cluster's teach lock (other processes edit the same
//! directory); add the question to the fact's file and reload, in one turn with refreshes
//! ([`crate::engine::LiveEngine::teach`]); tell the other processes; let the lock go; write
//! the audit log; ask the question of the base now answering, so the moderator sees what
//! members will get. The edit reads the fact's file from disk under the lock, so a question
//! another process taught a moment ago is kept.

use tracing::{error, info, warn};

use super::Workflow;
use crate::curation;
use crate::engine::Changes;
use crate::knowledge::teach::TeachError;
use crate::knowledge::LoadErrors;

/// A moderator's teach, as they typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeachRequest {
    pub moderator: u64,
    pub guild: u64,
    pub question: String,
    pub fact: String,
}

impl TeachRequest {
    /// The question as the file will hold it (whitespace tidied), so the log and the reply say
    /// exactly what was taught.
    pub fn question(&self) -> String {
        self.question
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn fact(&self) -> &str {
        self.fact.trim()
    }
}

#[derive(Debug)]
pub enum TeachOutcome {
    NotTaught(TeachError),
    Taught {
        reload: Result<Changes, LoadErrors>,
        /// The audit log's write, or why it failed in words for the moderator.
        audit: Result<(), String>,
        check: TeachCheck,
    },
}

/// The taught question, asked of the base answering after the teach.
#[derive(Debug, Clone, PartialEq)]
pub struct TeachCheck {
    pub answered: bool,
    pub first_fact: Option<String>,
    pub confidence: f64,
}

impl Workflow {
    /// Teaches `request`. The caller checks first that curation is writable
    /// ([`curation::Curation::writable`]), so that no teach goes unaudited.
    pub async fn teach(&self, request: &TeachRequest) -> TeachOutcome {
        let (question, fact) = (request.question(), request.fact().to_string());
        let lock = match self.cluster().teach_lock().await {
            Ok(lock) => lock,
            Err(problem) => {
                warn!(moderator = request.moderator, fact, question, %problem, "/teach: not taught, the teach lock could not be taken");
                return TeachOutcome::NotTaught(TeachError::Locked(problem.to_string()));
            }
        };
        let engine = self.live().clone();
        let (q, f) = (question.clone(), fact.clone());
        let taught = match tokio::task::spawn_blocking(move || engine.teach(&f, &q)).await {
            Ok(taught) => taught,
            Err(panic) => std::panic::resume_unwind(panic.into_panic()),
        };
        if taught.as_ref().is_ok_and(|taught| taught.reload.is_ok()) {
            self.announce("/teach").await;
        }
        drop(lock);
        let taught = match taught {
            Ok(taught) => taught,
            Err(problem) => {
                warn!(moderator = request.moderator, guild = request.guild, fact, question, %problem, "/teach: not taught");
                return TeachOutcome::NotTaught(problem);
            }
        };
        info!(
            moderator = request.moderator,
            guild = request.guild,
            fact,
            question,
            reloaded = taught.reload.is_ok(),
            "/teach: question taught"
        );
        let (moderator, guild) = (request.moderator, request.guild);
        let (q, f) = (question.clone(), fact.clone());
        let audit = self
            .curation()
            .write(move |store| store.log_teach(moderator, guild, &q, &f, curation::now()))
            .await;
        if let Err(problem) = &audit {
            error!(%problem, moderator, fact, question, "/teach: the audit log could not be written");
        }
        let answer = self.current().ask(&question);
        TeachOutcome::Taught {
            reload: taught.reload,
            audit,
            check: TeachCheck {
                answered: answer.answered(),
                first_fact: answer.facts.first().map(|f| f.id.clone()),
                confidence: answer.confidence,
            },
        }
    }
}
