//! The curation database behind one interface, with two backends: an embedded SQLite file in
//! `DATA_DIR` (the default: a fresh machine needs nothing installed), or PostgreSQL when
//! `DATABASE_URL` is set, so that several bot processes share one store. Every SQL statement
//! of curation lives in this module and [`super::schema`]; callers see [`Store`]'s methods and
//! plain rows.
//!
//! What is stored is what curation needs and no more: question text and its normalized form,
//! server and channel ids, times, outcomes, fact ids, and the numeric id of a member who voted
//! or taught (so a second click changes a vote instead of adding one). No user names.
//!
//! The methods are blocking. In the bot they all run on the one thread of
//! [`super::Curation`]; the PostgreSQL backend drives its async client on a small runtime of
//! its own, so a caller needs none.

mod postgres;
mod sqlite;

use std::path::{Path, PathBuf};

pub const DATABASE_FILE: &str = "talkbot.sqlite3";
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
const DAY: i64 = 24 * 60 * 60;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the database {path} cannot be used ({source}); move it aside and restart to start a new one")]
    Unusable {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the database {path} is read-only: questions and votes are not being recorded")]
    ReadOnly { path: PathBuf },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("DATABASE_URL is not a PostgreSQL URL talkbot can use: {0}")]
    BadUrl(String),
    /// The PostgreSQL server cannot be reached (or is restarting). Nothing is wrong with the
    /// request; the store reconnects by itself with backoff.
    #[error("the curation database is unreachable ({0}); answers continue, and curation resumes by itself when it is back")]
    Unreachable(String),
    #[error("database error: {0}")]
    Postgres(String),
}

impl StoreError {
    /// Whether this is the database being away rather than a request it refused: what
    /// [`super::Curation`] holds records back for, instead of logging each one.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, StoreError::Unreachable(_))
    }
}

/// Where a question was asked. Zero stands for "not in a server/channel" (the CLI, a DM).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub guild_id: u64,
    pub channel_id: u64,
}

/// A question the bot answered poorly or not at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss<'a> {
    pub question: &'a str,
    pub normalized: &'a str,
    pub refused: bool,
    pub confidence: f64,
    pub place: Place,
    pub at: i64,
}

impl Miss<'_> {
    fn outcome(&self) -> &'static str {
        if self.refused {
            "refused"
        } else {
            "low-confidence"
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    New,
    Changed,
    Unchanged,
}

impl Vote {
    fn after(before: Option<bool>, helpful: bool) -> Vote {
        match before {
            None => Vote::New,
            Some(previous) if previous == helpful => Vote::Unchanged,
            Some(_) => Vote::Changed,
        }
    }
}

/// A row of the unanswered report, before near-duplicates are grouped.
#[derive(Debug, Clone, PartialEq)]
pub struct MissRow {
    pub question: String,
    pub normalized: String,
    pub count: u64,
    pub last_seen: i64,
    pub refused: bool,
}

/// One line of the teach audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeachRecord {
    pub moderator_id: u64,
    pub question: String,
    pub fact_id: String,
    pub taught_at: i64,
}

/// An answer shown with vote buttons, as the store keeps it. `id` was handed out by
/// [`Store::reserve_answer_id`] before the reply went out.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRecord<'a> {
    pub id: i64,
    pub question: &'a str,
    pub normalized: &'a str,
    pub fact_ids: &'a [String],
    pub confidence: f64,
    pub place: Place,
    pub at: i64,
}

/// How long questions, answers and votes are kept: a curation setting (`RETENTION_DAYS` for
/// the bot), applied only by an explicit [`Store::prune`], never by opening the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub days: u32,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention {
            days: DEFAULT_RETENTION_DAYS,
        }
    }
}

/// One vote with what it was about, for the feedback report.
#[derive(Debug, Clone, PartialEq)]
pub struct VoteRow {
    pub fact_ids: Vec<String>,
    pub question: String,
    pub helpful: bool,
}

pub struct Store {
    backend: Backend,
}

enum Backend {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PostgresStore),
}

/// Both backends have the same methods; this picks the one in use.
macro_rules! each {
    ($store:expr, $backend:ident => $call:expr) => {
        match &$store.backend {
            Backend::Sqlite($backend) => $call,
            Backend::Postgres($backend) => $call,
        }
    };
}

impl Store {
    /// Opens (creating if needed) the SQLite database in `dir` and brings its schema up to
    /// date. It never deletes anything: `talkbot report` opens the bot's database too, and
    /// must not apply a retention period of its own to it ([`Store::prune`] is the only
    /// delete). A file its owner made read-only is opened read-only: reports work, recording
    /// reports [`StoreError::ReadOnly`].
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Ok(Store {
            backend: Backend::Sqlite(sqlite::SqliteStore::open(dir)?),
        })
    }

    /// The PostgreSQL database at `url` (`postgres://user:password@host:port/database`). Only
    /// a URL that cannot be used is an error: a server that cannot be reached yet is logged
    /// once, and the store connects (and migrates) by itself when it can.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        Ok(Store {
            backend: Backend::Postgres(postgres::PostgresStore::connect(url)?),
        })
    }

    /// PostgreSQL at `database_url` when there is one, else SQLite in `data_dir`: how the bot
    /// and `talkbot report` choose, from `DATABASE_URL` and `DATA_DIR`.
    pub fn open_configured(
        data_dir: &Path,
        database_url: Option<&str>,
    ) -> Result<Store, StoreError> {
        match database_url.filter(|url| !url.trim().is_empty()) {
            Some(url) => Store::connect(url),
            None => Store::open(data_dir),
        }
    }

    /// Where the data is, for messages: the SQLite file's path, or the PostgreSQL server and
    /// database (never the password).
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.path().display().to_string(),
            Backend::Postgres(postgres) => postgres.describe().to_string(),
        }
    }

    /// The SQLite file, when that is the backend.
    pub fn path(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Sqlite(sqlite) => Some(sqlite.path()),
            Backend::Postgres(_) => None,
        }
    }

    pub fn is_read_only(&self) -> bool {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.is_read_only(),
            Backend::Postgres(_) => false,
        }
    }

    /// Whether the database is known to be unreachable right now (PostgreSQL between a
    /// failed call and the next successful one). Costs no I/O.
    pub fn is_unreachable(&self) -> bool {
        match &self.backend {
            Backend::Sqlite(_) => false,
            Backend::Postgres(postgres) => postgres.is_down(),
        }
    }

    /// Tries the database now if it was unreachable and its backoff has passed; `Ok` when it
    /// answers. Lets a caller with records held back find out that it is back.
    pub fn probe(&self) -> Result<(), StoreError> {
        each!(self, backend => backend.probe())
    }

    /// Records a refused or low-confidence question; the same wording in the same server adds
    /// to one row's count.
    pub fn record_miss(&self, miss: &Miss) -> Result<(), StoreError> {
        each!(self, backend => backend.record_miss(miss))
    }

    /// The id for an answer about to be shown with vote buttons, without touching the disk
    /// or the network; [`Store::record_answer`] writes the row later. An id whose write fails
    /// is never reused. With PostgreSQL, ids are unique across every process sharing it.
    pub fn reserve_answer_id(&self) -> Result<i64, StoreError> {
        each!(self, backend => backend.reserve_answer_id())
    }

    /// Records an answer that was shown with feedback buttons, under its reserved id.
    pub fn record_answer(&self, answer: &AnswerRecord) -> Result<(), StoreError> {
        each!(self, backend => backend.record_answer(answer))
    }

    /// One vote per member per answer: a second click replaces the first.
    pub fn vote(
        &self,
        answer_id: i64,
        member_id: u64,
        helpful: bool,
        at: i64,
    ) -> Result<Vote, StoreError> {
        each!(self, backend => backend.vote(answer_id, member_id, helpful, at))
    }

    /// Writes who taught what to which fact, for the audit trail.
    pub fn log_teach(
        &self,
        moderator_id: u64,
        guild_id: u64,
        question: &str,
        fact_id: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        each!(self, backend => backend.log_teach(moderator_id, guild_id, question, fact_id, at))
    }

    /// The audit trail, newest first.
    pub fn teach_log(&self, limit: usize) -> Result<Vec<TeachRecord>, StoreError> {
        each!(self, backend => backend.teach_log(limit))
    }

    /// Misses seen since `since`, most asked first; `guild` narrows to one server.
    pub fn misses(&self, since: i64, guild: Option<u64>) -> Result<Vec<MissRow>, StoreError> {
        each!(self, backend => backend.misses(since, guild))
    }

    /// Votes cast since `since` on answers; `guild` narrows to one server.
    pub fn votes(&self, since: i64, guild: Option<u64>) -> Result<Vec<VoteRow>, StoreError> {
        each!(self, backend => backend.votes(since, guild))
    }

    /// Deletes questions, answers and their votes older than `retention` at `now`; returns how
    /// many rows went. The teach audit trail is kept: it records changes to the fact base.
    pub fn prune(&self, retention: Retention, now: i64) -> Result<usize, StoreError> {
        each!(self, backend => backend.prune(days_ago(now, retention.days)))
    }
}

/// The fact ids of an answer as one column: space-separated (fact ids hold no spaces).
fn join_fact_ids(fact_ids: &[String]) -> String {
    fact_ids.join(" ")
}

fn split_fact_ids(column: &str) -> Vec<String> {
    column.split_whitespace().map(str::to_string).collect()
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `days` days before `now`.
pub fn days_ago(now: i64, days: u32) -> i64 {
    now - i64::from(days) * DAY
}
