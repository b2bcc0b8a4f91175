//! The shared backend: PostgreSQL at `DATABASE_URL`, through tokio-postgres and a small
//! deadpool pool, for several bot processes at once.
//!
//! [`super::Store`]'s methods are blocking, so this backend keeps a one-worker tokio runtime of
//! its own: the connections' I/O runs there, and each call blocks its caller (the curation
//! thread) until done, bounded by [`CALL_LIMIT`]. A server that goes away is said once
//! ([`Health`]): calls then fail at once with [`StoreError::Unreachable`] until the backoff
//! has passed, when the next call tries again; the first that succeeds ends the outage.
//!
//! Answer ids: each process takes one number from the `answer_id_blocks` sequence when it
//! first connects, and hands out `block << 32 | n` from memory, so a reply never waits on the
//! network for its vote buttons and two processes never hand out the same id.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod};
use tokio_postgres::NoTls;
use tracing::{debug, info, warn};

use super::{
    join_fact_ids, split_fact_ids, AnswerRecord, Miss, MissRow, StoreError, TeachRecord, Vote,
    VoteRow,
};
use crate::curation::schema;

/// The longest one call may take, connecting included, before the server counts as away.
const CALL_LIMIT: Duration = Duration::from_secs(5);
const CONNECT_LIMIT: Duration = Duration::from_secs(2);
/// Between tries while the server is away: doubling from the first to the last.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(15);
/// Ids within a process's block: the low 32 bits.
const BLOCK_BITS: u32 = 32;

pub(super) struct PostgresStore {
    /// host:port/database, for messages (never the password).
    target: String,
    /// `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    health: Mutex<Health>,
    /// Migrated, and this process's id block taken: once, at the first connection.
    ready: AtomicBool,
    id_block: AtomicI64,
    next_in_block: AtomicI64,
}

/// Whether the server answers, and when to try again if not.
#[derive(Default)]
struct Health {
    down: Option<Down>,
}

struct Down {
    since: Instant,
    retry_at: Instant,
    wait: Duration,
    reason: String,
}

/// Why a call failed: the server away (pool, connection, time limit), or a statement it
/// refused.
enum Failure {
    Pool(PoolError),
    Sql(tokio_postgres::Error),
    TimedOut,
}

impl From<tokio_postgres::Error> for Failure {
    fn from(error: tokio_postgres::Error) -> Failure {
        Failure::Sql(error)
    }
}

impl Failure {
    /// A server that answered with an error is there; anything else means it is not.
    fn is_connection(&self) -> bool {
        match self {
            Failure::Pool(_) | Failure::TimedOut => true,
            Failure::Sql(error) => error.as_db_error().is_none(),
        }
    }

    fn describe(&self) -> String {
        match self {
            Failure::Pool(error) => error.to_string(),
            Failure::Sql(error) => match error.as_db_error() {
                Some(db) => db.message().to_string(),
                None => error.to_string(),
            },
            Failure::TimedOut => format!("no answer within {} s", CALL_LIMIT.as_secs()),
        }
    }
}

impl PostgresStore {
    pub(super) fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| StoreError::BadUrl(e.to_string()))?;
        config.connect_timeout(CONNECT_LIMIT);
        config.application_name("talkbot-curation");
        let target = describe(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("curation-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Postgres(format!("cannot start its runtime: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                // The connection task runs on this backend's own runtime, so a connection the
                // server closed is seen closed without a round trip.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(4)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CALL_LIMIT))
            .create_timeout(Some(CONNECT_LIMIT))
            .recycle_timeout(Some(CONNECT_LIMIT))
            .build()
            .map_err(|e| StoreError::BadUrl(e.to_string()))?;
        let store = PostgresStore {
            target,
            runtime: Some(runtime),
            pool,
            health: Mutex::new(Health::default()),
            ready: AtomicBool::new(false),
            id_block: AtomicI64::new(0),
            next_in_block: AtomicI64::new(1),
        };
        // Connect and migrate now if the server is there; if not, that was said once, and
        // the first call after the backoff tries again.
        let _ = store.probe();
        Ok(store)
    }

    pub(super) fn describe(&self) -> &str {
        &self.target
    }

    pub(super) fn is_down(&self) -> bool {
        self.health().down.is_some()
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn probe(&self) -> Result<(), StoreError> {
        self.run(async {
            drop(self.client().await?);
            Ok(())
        })
    }

    /// A pooled connection; the first one also migrates and takes this process's id block.
    async fn client(&self) -> Result<Object, Failure> {
        let mut client = self.pool.get().await.map_err(Failure::Pool)?;
        if !self.ready.load(Ordering::Acquire) {
            schema::migrate_postgres(&mut client).await?;
            let block: i64 = client
                .query_one("SELECT nextval('answer_id_blocks')", &[])
                .await?
                .get(0);
            self.id_block.store(block, Ordering::Release);
            self.ready.store(true, Ordering::Release);
        }
        Ok(client)
    }

    /// Runs `work` to completion on this backend's runtime, unless the server is known to be
    /// away and its backoff has not passed; keeps [`Health`] up to date either way.
    fn run<T: Send>(
        &self,
        work: impl Future<Output = Result<T, Failure>> + Send,
    ) -> Result<T, StoreError> {
        if let Some(down) = &self.health().down {
            if Instant::now() < down.retry_at {
                return Err(StoreError::Unreachable(down.reason.clone()));
            }
        }
        let outcome = self.block_on(async {
            tokio::time::timeout(CALL_LIMIT, work)
                .await
                .unwrap_or(Err(Failure::TimedOut))
        });
        match outcome {
            Ok(value) => {
                self.reached();
                Ok(value)
            }
            Err(failure) if failure.is_connection() => {
                let reason = failure.describe();
                self.unreached(&reason);
                Err(StoreError::Unreachable(reason))
            }
            Err(failure) => {
                self.reached();
                Err(StoreError::Postgres(failure.describe()))
            }
        }
    }

    fn reached(&self) {
        if let Some(down) = self.health().down.take() {
            info!(
                database = %self.target,
                after_secs = down.since.elapsed().as_secs(),
                "the curation database is reachable again"
            );
        }
    }

    /// One WARN per outage, however many calls fail during it.
    fn unreached(&self, reason: &str) {
        let mut health = self.health();
        let now = Instant::now();
        match &mut health.down {
            Some(down) => {
                down.wait = (down.wait * 2).min(LAST_RETRY);
                down.retry_at = now + down.wait;
                down.reason = reason.to_string();
                debug!(database = %self.target, reason, retry_in_ms = down.wait.as_millis() as u64, "the curation database is still unreachable");
            }
            None => {
                warn!(database = %self.target, reason, "the curation database is unreachable; answers continue, records are held until it is back, reconnecting with backoff");
                health.down = Some(Down {
                    since: now,
                    retry_at: now + FIRST_RETRY,
                    wait: FIRST_RETRY,
                    reason: reason.to_string(),
                });
            }
        }
    }

    /// Blocks on `work`, also from inside an async context (a test, an adapter calling
    /// without `spawn_blocking`), where blocking this thread's runtime is not allowed: there
    /// it waits on a scoped thread instead.
    fn block_on<F>(&self, work: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        let runtime = self
            .runtime
            .as_ref()
            .expect("the runtime lives as long as the store");
        if tokio::runtime::Handle::try_current().is_err() {
            return runtime.block_on(work);
        }
        std::thread::scope(|scope| {
            scope
                .spawn(|| runtime.block_on(work))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    pub(super) fn record_miss(&self, miss: &Miss) -> Result<(), StoreError> {
        self.run(async {
            self.client()
                .await?
                .execute(
                    "INSERT INTO unanswered
                         (normalized, guild_id, question, outcome, confidence, channel_id, first_seen, last_seen, count)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)
                     ON CONFLICT (normalized, guild_id) DO UPDATE SET
                         question = excluded.question, outcome = excluded.outcome,
                         confidence = excluded.confidence, channel_id = excluded.channel_id,
                         last_seen = excluded.last_seen, count = unanswered.count + 1",
                    &[
                        &miss.normalized,
                        &(miss.place.guild_id as i64),
                        &miss.question,
                        &miss.outcome(),
                        &miss.confidence,
                        &(miss.place.channel_id as i64),
                        &miss.at,
                    ],
                )
                .await?;
            Ok(())
        })
    }

    pub(super) fn reserve_answer_id(&self) -> Result<i64, StoreError> {
        if !self.ready.load(Ordering::Acquire) {
            return Err(StoreError::Unreachable(
                "not connected yet, so no answer ids".to_string(),
            ));
        }
        let n = self.next_in_block.fetch_add(1, Ordering::Relaxed);
        if n >= 1 << BLOCK_BITS {
            return Err(StoreError::Postgres(
                "this process has handed out all the answer ids of its block".to_string(),
            ));
        }
        Ok(self.id_block.load(Ordering::Acquire) << BLOCK_BITS | n)
    }

    pub(super) fn record_answer(&self, answer: &AnswerRecord) -> Result<(), StoreError> {
        self.run(async {
            self.client()
                .await?
                .execute(
                    "INSERT INTO answers (id, question, normalized, fact_ids, guild_id, channel_id, confidence, asked_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[
                        &answer.id,
                        &answer.question,
                        &answer.normalized,
                        &join_fact_ids(answer.fact_ids),
                        &(answer.place.guild_id as i64),
                        &(answer.place.channel_id as i64),
                        &answer.confidence,
                        &answer.at,
                    ],
                )
                .await?;
            Ok(())
        })
    }

    pub(super) fn vote(
        &self,
        answer_id: i64,
        member_id: u64,
        helpful: bool,
        at: i64,
    ) -> Result<Vote, StoreError> {
        let member_id = member_id as i64;
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            let before: Option<bool> = tx
                .query_opt(
                    "SELECT helpful FROM votes WHERE answer_id = $1 AND member_id = $2 FOR UPDATE",
                    &[&answer_id, &member_id],
                )
                .await?
                .map(|row| row.get(0));
            tx.execute(
                "INSERT INTO votes (answer_id, member_id, helpful, voted_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (answer_id, member_id) DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at",
                &[&answer_id, &member_id, &helpful, &at],
            )
            .await?;
            tx.commit().await?;
            Ok(Vote::after(before, helpful))
        })
    }

    pub(super) fn log_teach(
        &self,
        moderator_id: u64,
        guild_id: u64,
        question: &str,
        fact_id: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        self.run(async {
            self.client()
                .await?
                .execute(
                    "INSERT INTO teach_log (moderator_id, guild_id, question, fact_id, taught_at) VALUES ($1, $2, $3, $4, $5)",
                    &[&(moderator_id as i64), &(guild_id as i64), &question, &fact_id, &at],
                )
                .await?;
            Ok(())
        })
    }

    pub(super) fn teach_log(&self, limit: usize) -> Result<Vec<TeachRecord>, StoreError> {
        self.run(async {
            let rows = self
                .client()
                .await?
                .query(
                    "SELECT moderator_id, question, fact_id, taught_at FROM teach_log ORDER BY id DESC LIMIT $1",
                    &[&(limit as i64)],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|row| TeachRecord {
                    moderator_id: row.get::<_, i64>(0) as u64,
                    question: row.get(1),
                    fact_id: row.get(2),
                    taught_at: row.get(3),
                })
                .collect())
        })
    }

    pub(super) fn misses(
        &self,
        since: i64,
        guild: Option<u64>,
    ) -> Result<Vec<MissRow>, StoreError> {
        let guild = guild.map(|g| g as i64);
        self.run(async {
            let rows = self
                .client()
                .await?
                .query(
                    "SELECT question, normalized, count, last_seen, outcome FROM unanswered
                     WHERE last_seen >= $1 AND ($2::BIGINT IS NULL OR guild_id = $2)
                     ORDER BY count DESC, last_seen DESC LIMIT 1000",
                    &[&since, &guild],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|row| MissRow {
                    question: row.get(0),
                    normalized: row.get(1),
                    count: row.get::<_, i64>(2) as u64,
                    last_seen: row.get(3),
                    refused: row.get::<_, &str>(4) == "refused",
                })
                .collect())
        })
    }

    pub(super) fn votes(&self, since: i64, guild: Option<u64>) -> Result<Vec<VoteRow>, StoreError> {
        let guild = guild.map(|g| g as i64);
        self.run(async {
            let rows = self
                .client()
                .await?
                .query(
                    "SELECT answers.fact_ids, answers.question, votes.helpful FROM votes
                     JOIN answers ON answers.id = votes.answer_id
                     WHERE votes.voted_at >= $1 AND ($2::BIGINT IS NULL OR answers.guild_id = $2)",
                    &[&since, &guild],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|row| VoteRow {
                    fact_ids: split_fact_ids(row.get(0)),
                    question: row.get(1),
                    helpful: row.get(2),
                })
                .collect())
        })
    }

    pub(super) fn prune(&self, cutoff: i64) -> Result<usize, StoreError> {
        self.run(async {
            let client = self.client().await?;
            let misses = client
                .execute("DELETE FROM unanswered WHERE last_seen < $1", &[&cutoff])
                .await?;
            let answers = client
                .execute("DELETE FROM answers WHERE asked_at < $1", &[&cutoff])
                .await?;
            Ok((misses + answers) as usize)
        })
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which an async context does not allow; the store may be
        // dropped there (the last `Arc` held by an adapter's task).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// `host:port/database` of `config`, for messages.
pub(crate) fn describe(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_string());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let database = config.get_dbname().unwrap_or("(default database)");
    format!("postgres {host}:{port}/{database}")
}
