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
//!
//! A shared database can go away (PostgreSQL restarting, the network). The queue to the thread
//! is bounded ([`QUEUE`]) and never waited on: past it, a record is dropped. Records the
//! database was unreachable for are held, in order, up to [`HELD`], and written when it
//! answers again (the thread tries every [`TICK`] while the database is away, within the
//! store's backoff); the store says the outage once, not once per answer. Moderators' reads
//! fail at once meanwhile, saying so. A held record whose miss was written but whose answer
//! row was not when the connection dropped is written whole again: its miss counts twice.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use tokio::sync::oneshot;
use tracing::{error, info, warn};

use super::policy;
use super::store::{now, Place, Retention, Store, StoreError, Vote};
use crate::answer::Answer;

/// Calls waiting for the store's thread, at most. Beyond, a record is dropped (and said once)
/// rather than an answer waiting or memory growing while the database is slow.
pub const QUEUE: usize = 4096;
/// Records held while the database is unreachable, at most; later ones are dropped.
pub const HELD: usize = 10_000;
/// How often the thread looks whether the database is back (the store's backoff decides
/// whether it really tries).
const TICK: Duration = Duration::from_millis(200);

type Call = Box<dyn FnOnce(&Store) + Send>;

/// What the store's thread is asked to do.
enum Job {
    Record(Box<Held>),
    Call(Call),
}

/// An answer's record, kept as data (not a closure) so it can wait for the database.
struct Held {
    answer: Answer,
    answer_id: Option<i64>,
    place: Place,
    at: i64,
}

pub struct Curation {
    /// The open store, or why there is none (already in words for a moderator).
    store: Result<Arc<Store>, String>,
    /// To the store's thread; `None` when there is no store.
    jobs: Option<mpsc::SyncSender<Job>>,
    /// Set while records are dropped because the queue is full, so that is said once.
    overflowing: AtomicBool,
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
        Curation::opened(Store::open(dir))
    }

    /// The PostgreSQL database at `url`. A server not reachable yet is no failure: records
    /// are held until it is ([`Store::connect`]); only an unusable URL turns curation off.
    pub fn connect(url: &str) -> Curation {
        Curation::opened(Store::connect(url))
    }

    /// PostgreSQL at `database_url` when there is one (`DATABASE_URL`), else SQLite in
    /// `data_dir` (`DATA_DIR`). Blocks while it connects: call it off the async threads.
    pub fn open_configured(data_dir: &Path, database_url: Option<&str>) -> Curation {
        Curation::opened(Store::open_configured(data_dir, database_url))
    }

    fn opened(store: Result<Store, StoreError>) -> Curation {
        match store {
            Ok(store) => {
                if store.is_read_only() {
                    warn!(path = %store.describe(), "the curation database is read-only: reports work, but questions, votes and teaching are not recorded");
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
        let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUE);
        let on_thread = store.clone();
        let spawned = std::thread::Builder::new()
            .name("curation".to_string())
            .spawn(move || Worker::new(on_thread).run(queue));
        match spawned {
            Ok(_) => Curation {
                store: Ok(store),
                jobs: Some(jobs),
                overflowing: AtomicBool::new(false),
            },
            Err(problem) => Curation::off(format!("cannot start its thread: {problem}")),
        }
    }

    /// No database, for this `reason`.
    pub fn off(reason: String) -> Curation {
        Curation {
            store: Err(reason),
            jobs: None,
            overflowing: AtomicBool::new(false),
        }
    }

    fn writable_store(&self) -> Option<&Arc<Store>> {
        self.store
            .as_ref()
            .ok()
            .filter(|store| !store.is_read_only())
    }

    /// Queues `job` without waiting: false when the queue is full (or the thread gone).
    fn submit(&self, job: Job) -> bool {
        let Some(jobs) = &self.jobs else {
            return false;
        };
        match jobs.try_send(job) {
            Ok(()) => {
                if self.overflowing.swap(false, Ordering::Relaxed) {
                    info!("curation: the queue has room again");
                }
                true
            }
            Err(mpsc::TrySendError::Full(_)) => {
                if !self.overflowing.swap(true, Ordering::Relaxed) {
                    warn!(limit = QUEUE, "curation: the database is too slow to keep up; records are dropped (answers continue) until it catches up");
                }
                false
            }
            Err(mpsc::TrySendError::Disconnected(_)) => false,
        }
    }

    /// Records `answer`, asked at `place`, by [`policy::record`], and returns the id its vote
    /// buttons carry (`None` when there is nothing to vote on or no writable store). Never
    /// waits: the write is queued (held while the database is unreachable), and a failure is
    /// logged.
    pub fn record(&self, answer: &Answer, place: Place) -> Option<i64> {
        let store = self.writable_store()?;
        let answer_id = if answer.answered() {
            store.reserve_answer_id().ok()
        } else {
            None
        };
        let queued = self.submit(Job::Record(Box::new(Held {
            answer: answer.clone(),
            answer_id,
            place,
            at: now(),
        })));
        answer_id.filter(|_| queued)
    }

    /// Runs `work` on the store's thread, after every call queued before it, and waits for it.
    /// The error is in words for a moderator: curation is off, the database is unreachable,
    /// or it failed (logged).
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
        let queued = self.submit(Job::Call(Box::new(move |store| {
            let _ = done.send(work(store));
        })));
        if !queued {
            return Err("The curation database is busy; try again in a moment.".to_string());
        }
        let outcome = match result.await {
            Ok(outcome) => outcome,
            Err(_) => {
                error!("the curation database call did not complete");
                return Err("The curation database call did not complete.".to_string());
            }
        };
        outcome.map_err(|problem| match problem {
            // Said once by the store already; the moderator gets it in words.
            StoreError::Unreachable(_) => capitalized(&problem.to_string()),
            problem => {
                error!(%problem, "curation database query failed");
                format!("The curation database could not be {verb}: {problem}")
            }
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

    /// Whether calls that write can work, or why not in words for a moderator. A database
    /// known to be unreachable right now counts as not writable, so `/teach` is refused
    /// rather than left unaudited.
    pub fn writable(&self) -> Result<(), String> {
        match &self.store {
            Err(reason) => Err(format!("Curation is off: {reason}")),
            Ok(store) if store.is_read_only() => {
                let problem = StoreError::ReadOnly {
                    path: store.path().map(Path::to_path_buf).unwrap_or_default(),
                };
                Err(format!("Curation is read-only: {problem}."))
            }
            Ok(store) if store.is_unreachable() => Err(capitalized(
                &StoreError::Unreachable(store.describe()).to_string(),
            )),
            Ok(_) => Ok(()),
        }
    }

    /// Records `member`'s vote on answer `answer_id`.
    pub async fn vote(&self, answer_id: i64, member: u64, helpful: bool) -> VoteOutcome {
        if self.writable().is_err() {
            return VoteOutcome::Unavailable;
        }
        let (done, result) = oneshot::channel();
        let queued = self.submit(Job::Call(Box::new(move |store| {
            let _ = done.send(store.vote(answer_id, member, helpful, now()));
        })));
        if !queued {
            return VoteOutcome::Unavailable;
        }
        match result.await {
            Ok(Ok(vote)) => VoteOutcome::Recorded(vote),
            Ok(Err(problem)) if problem.is_unreachable() => VoteOutcome::Unavailable,
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
    /// the last answers' records are written before the process ends. Records held for an
    /// unreachable database are not waited for.
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

/// The store's thread: runs the jobs in order, and holds records the database could not be
/// reached for until it can.
struct Worker {
    store: Arc<Store>,
    held: VecDeque<Held>,
    /// Records dropped during this outage because [`HELD`] were already held.
    dropped: u64,
    /// Records written from `held` during this outage, for the line that ends it.
    caught_up: u64,
}

impl Worker {
    fn new(store: Arc<Store>) -> Worker {
        Worker {
            store,
            held: VecDeque::new(),
            dropped: 0,
            caught_up: 0,
        }
    }

    fn run(mut self, queue: mpsc::Receiver<Job>) {
        loop {
            // While the database is away, wake now and then to find out it is back, so that
            // `writable()` says so even when nothing is being recorded.
            let job = if self.held.is_empty() && !self.store.is_unreachable() {
                match queue.recv() {
                    Ok(job) => Some(job),
                    Err(_) => return,
                }
            } else {
                match queue.recv_timeout(TICK) {
                    Ok(job) => Some(job),
                    Err(mpsc::RecvTimeoutError::Timeout) => None,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            };
            // Held records go first, so a vote or report after them finds them written.
            self.write_held();
            if job.is_none() && self.held.is_empty() && self.store.is_unreachable() {
                let _ = self.store.probe();
            }
            match job {
                Some(Job::Record(held)) => self.record(*held),
                Some(Job::Call(call)) => {
                    // A bug in one call must not stop the recording of every later one.
                    let store = &self.store;
                    if std::panic::catch_unwind(AssertUnwindSafe(|| call(store))).is_err() {
                        error!("a curation database call panicked");
                    }
                }
                None => {}
            }
        }
    }

    fn record(&mut self, held: Held) {
        if !self.held.is_empty() {
            return self.hold(held);
        }
        match self.write(&held) {
            Ok(()) => {}
            Err(problem) if problem.is_unreachable() => self.hold(held),
            Err(problem) => {
                warn!(%problem, "could not record a question for curation; it was answered anyway")
            }
        }
    }

    fn write(&self, held: &Held) -> Result<(), StoreError> {
        let store = &self.store;
        match std::panic::catch_unwind(AssertUnwindSafe(|| {
            policy::record(store, &held.answer, held.answer_id, held.place, held.at)
        })) {
            Ok(outcome) => outcome.map(|_| ()),
            Err(_) => {
                error!("recording a question for curation panicked");
                Ok(())
            }
        }
    }

    fn hold(&mut self, held: Held) {
        if self.held.len() < HELD {
            self.held.push_back(held);
        } else {
            // The outage was said once by the store; the count is in the line that ends it.
            self.dropped += 1;
        }
    }

    /// Writes what is held, oldest first, while the database answers.
    fn write_held(&mut self) {
        if self.held.is_empty() || self.store.probe().is_err() {
            return;
        }
        while let Some(held) = self.held.pop_front() {
            match self.write(&held) {
                Ok(()) => self.caught_up += 1,
                Err(problem) if problem.is_unreachable() => {
                    self.held.push_front(held);
                    return;
                }
                Err(problem) => {
                    warn!(%problem, "could not record a held question for curation")
                }
            }
        }
        info!(
            written = self.caught_up,
            dropped = self.dropped,
            "curation: the records held while the database was unreachable are written"
        );
        self.caught_up = 0;
        self.dropped = 0;
    }
}

/// `text` with its first letter in capitals, for a sentence of its own.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
