//! The embedded backend: one SQLite file under `DATA_DIR`, in WAL mode so a crash loses no
//! committed row. Calls lock the connection only for the statement at hand, and never across
//! an `.await`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::{
    join_fact_ids, split_fact_ids, AnswerRecord, Miss, MissRow, StoreError, TeachRecord, Vote,
    VoteRow, DATABASE_FILE,
};
use crate::curation::schema;

pub(super) struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
    read_only: bool,
    /// The id the next answer gets. Handed out in memory, so a reply never waits on the disk
    /// for its vote buttons; this assumes one process writes the file (see ARCHITECTURE.md).
    next_answer_id: AtomicI64,
}

impl SqliteStore {
    pub(super) fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
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
            schema::migrate_sqlite(&mut conn).map_err(unusable)?;
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
        Ok(SqliteStore {
            path,
            conn: Mutex::new(conn),
            read_only,
            next_answer_id: AtomicI64::new(last_answer + 1),
        })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// A file is always there to try.
    pub(super) fn probe(&self) -> Result<(), StoreError> {
        Ok(())
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

    pub(super) fn record_miss(&self, miss: &Miss) -> Result<(), StoreError> {
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
                miss.outcome(),
                miss.confidence,
                miss.place.channel_id as i64,
                miss.at
            ],
        )?;
        Ok(())
    }

    pub(super) fn reserve_answer_id(&self) -> Result<i64, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        Ok(self.next_answer_id.fetch_add(1, Ordering::Relaxed))
    }

    pub(super) fn record_answer(&self, answer: &AnswerRecord) -> Result<(), StoreError> {
        self.writable()?.execute(
            "INSERT INTO answers (id, question, normalized, fact_ids, guild_id, channel_id, confidence, asked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                answer.id,
                answer.question,
                answer.normalized,
                join_fact_ids(answer.fact_ids),
                answer.place.guild_id as i64,
                answer.place.channel_id as i64,
                answer.confidence,
                answer.at
            ],
        )?;
        Ok(())
    }

    pub(super) fn vote(
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
        Ok(Vote::after(before, helpful))
    }

    pub(super) fn log_teach(
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

    pub(super) fn teach_log(&self, limit: usize) -> Result<Vec<TeachRecord>, StoreError> {
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

    pub(super) fn misses(
        &self,
        since: i64,
        guild: Option<u64>,
    ) -> Result<Vec<MissRow>, StoreError> {
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

    pub(super) fn votes(&self, since: i64, guild: Option<u64>) -> Result<Vec<VoteRow>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT answers.fact_ids, answers.question, votes.helpful FROM votes
             JOIN answers ON answers.id = votes.answer_id
             WHERE votes.voted_at >= ?1 AND (?2 IS NULL OR answers.guild_id = ?2)",
        )?;
        let rows = statement
            .query_map(params![since, guild.map(|g| g as i64)], |row| {
                Ok(VoteRow {
                    fact_ids: split_fact_ids(&row.get::<_, String>(0)?),
                    question: row.get(1)?,
                    helpful: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub(super) fn prune(&self, cutoff: i64) -> Result<usize, StoreError> {
        let conn = self.writable()?;
        let mut removed = conn.execute(
            "DELETE FROM unanswered WHERE last_seen < ?1",
            params![cutoff],
        )?;
        removed += conn.execute("DELETE FROM answers WHERE asked_at < ?1", params![cutoff])?;
        Ok(removed)
    }
}
