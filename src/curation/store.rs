//! The curation database: one SQLite file under `DATA_DIR`, in WAL mode so a crash loses no
//! committed row. Calls lock the connection only for the statement at hand, and never across
//! an `.await`; in the bot they all run on the one thread of [`super::Curation`].
//!
//! What is stored is what curation needs and no more: question text and its normalized form,
//! server and channel ids, times, outcomes, fact ids, and the numeric id of a member who voted
//! or taught (so a second click changes a vote instead of adding one). No user names.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::schema;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    New,
    Changed,
    Unchanged,
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
    path: PathBuf,
    conn: Mutex<Connection>,
    read_only: bool,
    /// The id the next answer gets. Handed out in memory, so a reply never waits on the disk
    /// for its vote buttons; this assumes one process writes the file (see ARCHITECTURE.md).
    next_answer_id: AtomicI64,
}

impl Store {
    /// Opens (creating if needed) the database in `dir` and brings its schema up to date. It
    /// never deletes anything: `talkbot report` opens the bot's database too, and must not
    /// apply a retention period of its own to it ([`Store::prune`] is the only delete). A file
    /// its owner made read-only is opened read-only: reports work, recording reports
    /// [`StoreError::ReadOnly`].
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DATABASE_FILE);
        let read_only = std::fs::metadata(&path).is_ok_and(|m| m.permissions().readonly());
        let unusable = |source| StoreError::Unusable {
            path: path.clone(),
            source,
        };
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        };
        let mut conn = Connection::open_with_flags(&path, flags).map_err(unusable)?;
        conn.busy_timeout(std::time::Duration::from_secs(2))
            .map_err(unusable)?;
        if !read_only {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(unusable)?;
            conn.pragma_update(None, "synchronous", "NORMAL")
                .map_err(unusable)?;
            conn.pragma_update(None, "foreign_keys", "ON")
                .map_err(unusable)?;
            schema::migrate(&mut conn).map_err(unusable)?;
        } else {
            // Still prove the file is a database we can read.
            conn.query_row("SELECT count(*) FROM unanswered", [], |row| {
                row.get::<_, i64>(0)
            })
            .map_err(unusable)?;
        }
        let last_answer: i64 = conn
            .query_row("SELECT coalesce(max(id), 0) FROM answers", [], |row| {
                row.get(0)
            })
            .map_err(unusable)?;
        Ok(Store {
            path,
            conn: Mutex::new(conn),
            read_only,
            next_answer_id: AtomicI64::new(last_answer + 1),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection itself intact.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn writable(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        Ok(self.conn())
    }

    /// Records a refused or low-confidence question; the same wording in the same server adds
    /// to one row's count.
    pub fn record_miss(&self, miss: &Miss) -> Result<(), StoreError> {
        let outcome = if miss.refused {
            "refused"
        } else {
            "low-confidence"
        };
        self.writable()?.execute(
            "INSERT INTO unanswered
                 (normalized, guild_id, question, outcome, confidence, channel_id, first_seen, last_seen, count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1)
             ON CONFLICT (normalized, guild_id) DO UPDATE SET
                 question = excluded.question, outcome = excluded.outcome,
                 confidence = excluded.confidence, channel_id = excluded.channel_id,
                 last_seen = excluded.last_seen, count = count + 1",
            params![
                miss.normalized,
                miss.place.guild_id as i64,
                miss.question,
                outcome,
                miss.confidence,
                miss.place.channel_id as i64,
                miss.at
            ],
        )?;
        Ok(())
    }

    /// The id for an answer about to be shown with vote buttons, without touching the disk;
    /// [`Store::record_answer`] writes the row later. An id whose write fails is never reused.
    pub fn reserve_answer_id(&self) -> Result<i64, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        Ok(self.next_answer_id.fetch_add(1, Ordering::Relaxed))
    }

    /// Records an answer that was shown with feedback buttons, under its reserved id.
    pub fn record_answer(&self, answer: &AnswerRecord) -> Result<(), StoreError> {
        self.writable()?.execute(
            "INSERT INTO answers (id, question, normalized, fact_ids, guild_id, channel_id, confidence, asked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                answer.id,
                answer.question,
                answer.normalized,
                answer.fact_ids.join(" "),
                answer.place.guild_id as i64,
                answer.place.channel_id as i64,
                answer.confidence,
                answer.at
            ],
        )?;
        Ok(())
    }

    /// One vote per member per answer: a second click replaces the first.
    pub fn vote(
        &self,
        answer_id: i64,
        member_id: u64,
        helpful: bool,
        at: i64,
    ) -> Result<Vote, StoreError> {
        let mut conn = self.writable()?;
        let tx = conn.transaction()?;
        let before: Option<bool> = tx
            .query_row(
                "SELECT helpful FROM votes WHERE answer_id = ?1 AND member_id = ?2",
                params![answer_id, member_id as i64],
                |row| row.get(0),
            )
            .optional()?;
        tx.execute(
            "INSERT INTO votes (answer_id, member_id, helpful, voted_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (answer_id, member_id) DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at",
            params![answer_id, member_id as i64, helpful, at],
        )?;
        tx.commit()?;
        Ok(match before {
            None => Vote::New,
            Some(previous) if previous == helpful => Vote::Unchanged,
            Some(_) => Vote::Changed,
        })
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
        self.writable()?.execute(
            "INSERT INTO teach_log (moderator_id, guild_id, question, fact_id, taught_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![moderator_id as i64, guild_id as i64, question, fact_id, at],
        )?;
        Ok(())
    }

    /// The audit trail, newest first.
    pub fn teach_log(&self, limit: usize) -> Result<Vec<TeachRecord>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT moderator_id, question, fact_id, taught_at FROM teach_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = statement
            .query_map(params![limit as i64], |row| {
                Ok(TeachRecord {
                    moderator_id: row.get::<_, i64>(0)? as u64,
                    question: row.get(1)?,
                    fact_id: row.get(2)?,
                    taught_at: row.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Misses seen since `since`, most asked first; `guild` narrows to one server.
    pub fn misses(&self, since: i64, guild: Option<u64>) -> Result<Vec<MissRow>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT question, normalized, count, last_seen, outcome FROM unanswered
             WHERE last_seen >= ?1 AND (?2 IS NULL OR guild_id = ?2)
             ORDER BY count DESC, last_seen DESC LIMIT 1000",
        )?;
        let rows = statement
            .query_map(params![since, guild.map(|g| g as i64)], |row| {
                Ok(MissRow {
                    question: row.get(0)?,
                    normalized: row.get(1)?,
                    count: row.get::<_, i64>(2)? as u64,
                    last_seen: row.get(3)?,
                    refused: row.get::<_, String>(4)? == "refused",
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Votes cast since `since` on answers; `guild` narrows to one server.
    pub fn votes(&self, since: i64, guild: Option<u64>) -> Result<Vec<VoteRow>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT answers.fact_ids, answers.question, votes.helpful FROM votes
             JOIN answers ON answers.id = votes.answer_id
             WHERE votes.voted_at >= ?1 AND (?2 IS NULL OR answers.guild_id = ?2)",
        )?;
        let rows = statement
            .query_map(params![since, guild.map(|g| g as i64)], |row| {
                let fact_ids: String = row.get(0)?;
                Ok(VoteRow {
                    fact_ids: fact_ids.split_whitespace().map(str::to_string).collect(),
                    question: row.get(1)?,
                    helpful: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Deletes questions, answers and their votes older than `retention` at `now`; returns how
    /// many rows went. The teach audit trail is kept: it records changes to the fact base.
    pub fn prune(&self, retention: Retention, now: i64) -> Result<usize, StoreError> {
        let cutoff = days_ago(now, retention.days);
        let conn = self.writable()?;
        let mut removed = conn.execute(
            "DELETE FROM unanswered WHERE last_seen < ?1",
            params![cutoff],
        )?;
        removed += conn.execute("DELETE FROM answers WHERE asked_at < ?1", params![cutoff])?;
        Ok(removed)
    }
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
