//! The curation store in service, as both adapters use it. The database is opened once; if it
//! cannot be, the bot answers anyway and [`Curation::read`] tells moderators why their
//! commands are off.
//!
//! Every store call runs on one thread of its own, in the order the calls were made. An answer
//! never waits for it: [`Curation::record`] takes the answer's vote id from memory
//! ([`Store::reserve_answer_id`]) and queues the write, so the reply goes out beside the write
//! instead of after it. The order still holds where it matters: a vote, or a report, queued
//! after an answer finds that answer written. SQLite may wait up to its busy timeout when
//! another process holds the file; that wait stalls this thread, never an answer. A failed
//! write is logged; rows already committed stay (WAL).

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use tokio::sync::oneshot;
use tracing::{error, info, warn};

use super::policy;
use super::store::{now, Place, Retention, Store, StoreError, Vote};
use crate::answer::Answer;

type Job = Box<dyn FnOnce(&Store) + Send>;

pub struct Curation {
    /// The open store, or why there is none (already in words for a moderator).
    store: Result<Arc<Store>, String>,
    /// To the store's thread; `None` when there is no store.
    jobs: Option<mpsc::Sender<Job>>,
}

/// What became of a member's vote, for the adapter to put in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteOutcome {
    Recorded(Vote),
    /// No writable database: votes cannot be recorded at all right now.
    Unavailable,
    /// The database refused it; most likely the answer is older than the retention period.
    Rejected,
    /// Recording it failed for another reason (logged).
    Failed,
}

impl Curation {
    /// Opens the database in `dir`, or logs clearly why not and carries on without it.
    pub fn open(dir: &Path) -> Curation {
        match Store::open(dir) {
            Ok(store) => {
                if store.is_read_only() {
                    warn!(path = %store.path().display(), "the curation database is read-only: reports work, but questions, votes and teaching are not recorded");
                }
                Curation::with_store(store)
            }
            Err(problem) => {
                error!(%problem, "curation is off: answers go on, but unanswered questions and votes are not recorded and the moderator commands cannot work until this is fixed and the bot restarted");
                Curation::off(problem.to_string())
            }
        }
    }

    /// `store` in service, with its own thread; the thread ends once this is dropped and
    /// the calls queued before have run.
    pub fn with_store(store: Store) -> Curation {
        let store = Arc::new(store);
        let (jobs, queue) = mpsc::channel::<Job>();
        let on_thread = store.clone();
        let spawned = std::thread::Builder::new()
            .name("curation".to_string())
            .spawn(move || {
                for job in queue {
                    // A bug in one call must not stop the recording of every later one.
                    if std::panic::catch_unwind(AssertUnwindSafe(|| job(&on_thread))).is_err() {
                        error!("a curation database call panicked");
                    }
                }
            });
        match spawned {
            Ok(_) => Curation {
                store: Ok(store),
                jobs: Some(jobs),
            },
            Err(problem) => Curation::off(format!("cannot start its thread: {problem}")),
        }
    }

    /// No database, for this `reason`.
    pub fn off(reason: String) -> Curation {
        Curation {
            store: Err(reason),
            jobs: None,
        }
    }

    fn writable_store(&self) -> Option<&Arc<Store>> {
        self.store
            .as_ref()
            .ok()
            .filter(|store| !store.is_read_only())
    }

    fn submit(&self, job: Job) -> bool {
        self.jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok())
    }

    /// Records `answer`, asked at `place`, by [`policy::record`], and returns the id its vote
    /// buttons carry (`None` when there is nothing to vote on or no writable store). Never
    /// waits: the write is queued, and a failure is logged.
    pub fn record(&self, answer: &Answer, place: Place) -> Option<i64> {
        let store = self.writable_store()?;
        let answer_id = if answer.answered() {
            store.reserve_answer_id().ok()
        } else {
            None
        };
        let answer = answer.clone();
        let at = now();
        let queued = self.submit(Box::new(move |store| {
            if let Err(problem) = policy::record(store, &answer, answer_id, place, at) {
                warn!(%problem, "could not record a question for curation; it was answered anyway");
            }
        }));
        answer_id.filter(|_| queued)
    }

    /// Runs `work` on the store's thread, after every call queued before it, and waits for it.
    /// The error is in words for a moderator: curation is off, or the database failed (logged).
    pub async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, String> {
        self.call(work, "read").await
    }

    async fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
        verb: &str,
    ) -> Result<T, String> {
        if let Err(reason) = &self.store {
            return Err(format!("Curation is off: {reason}"));
        }
        let (done, result) = oneshot::channel();
        let queued = self.submit(Box::new(move |store| {
            let _ = done.send(work(store));
        }));
        let outcome = match result.await {
            Ok(outcome) if queued => outcome,
            _ => {
                error!("the curation database call did not complete");
                return Err("The curation database call did not complete.".to_string());
            }
        };
        outcome.map_err(|problem| {
            error!(%problem, "curation database query failed");
            format!("The curation database could not be {verb}: {problem}")
        })
    }

    /// Like [`Curation::read`], but refuses a read-only store first: for calls that write.
    pub async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, String> {
        self.writable()?;
        self.call(work, "written").await
    }

    /// Whether calls that write can work, or why not in words for a moderator.
    pub fn writable(&self) -> Result<(), String> {
        match &self.store {
            Err(reason) => Err(format!("Curation is off: {reason}")),
            Ok(store) if store.is_read_only() => {
                let problem = StoreError::ReadOnly {
                    path: store.path().to_path_buf(),
                };
                Err(format!("Curation is read-only: {problem}."))
            }
            Ok(_) => Ok(()),
        }
    }

    /// Records `member`'s vote on answer `answer_id`.
    pub async fn vote(&self, answer_id: i64, member: u64, helpful: bool) -> VoteOutcome {
        if self.writable().is_err() {
            return VoteOutcome::Unavailable;
        }
        let (done, result) = oneshot::channel();
        self.submit(Box::new(move |store| {
            let _ = done.send(store.vote(answer_id, member, helpful, now()));
        }));
        match result.await {
            Ok(Ok(vote)) => VoteOutcome::Recorded(vote),
            Ok(Err(problem)) => {
                warn!(%problem, answer_id, "could not record a vote");
                VoteOutcome::Rejected
            }
            Err(_) => {
                error!(answer_id, "recording a vote failed");
                VoteOutcome::Failed
            }
        }
    }

    /// Completes once every call queued so far has run (or after `limit`): at shutdown, so
    /// the last answers' records are written before the process ends.
    pub async fn flush(&self, limit: Duration) {
        if self.jobs.is_none() {
            return;
        }
        if tokio::time::timeout(limit, self.read(|_| Ok(())))
            .await
            .is_err()
        {
            warn!(
                limit_secs = limit.as_secs(),
                "curation: queued writes still running; stopping anyway"
            );
        }
    }

    /// Deletes rows past `retention` now and then once a day, so a bot that runs for months
    /// keeps only what the setting allows. Opening the store never prunes: this is the one
    /// schedule that does, and only `talkbot serve` starts it. Stops when the guard is dropped.
    pub fn prune_daily(self: &Arc<Self>, retention: Retention) -> Option<Pruning> {
        self.writable_store()?;
        let curation = Arc::downgrade(self);
        Some(Pruning(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
            loop {
                ticks.tick().await;
                let Some(curation) = curation.upgrade() else {
                    return;
                };
                match curation
                    .write(move |store| store.prune(retention, now()))
                    .await
                {
                    Ok(removed) => {
                        info!(removed, days = retention.days, "curation: old rows pruned")
                    }
                    Err(problem) => warn!(%problem, "curation: pruning old rows failed"),
                }
            }
        })))
    }
}

/// The daily pruning task; dropping this stops it, however the bot stops.
pub struct Pruning(tokio::task::JoinHandle<()>);

impl Drop for Pruning {
    fn drop(&mut self) {
        self.0.abort();
    }
}
