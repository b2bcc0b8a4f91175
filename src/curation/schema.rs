//! The database schema, as an ordered list of migrations. `PRAGMA user_version` records how
//! many have run, so opening an old file brings it up to date and opening a new one builds it.
//! Append only: never edit a migration that has shipped.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: questions the bot could not answer well, one row per wording per server.
    "CREATE TABLE unanswered (
        normalized  TEXT    NOT NULL,
        guild_id    INTEGER NOT NULL,
        question    TEXT    NOT NULL,
        outcome     TEXT    NOT NULL,
        confidence  REAL    NOT NULL,
        channel_id  INTEGER NOT NULL,
        first_seen  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL,
        count       INTEGER NOT NULL,
        PRIMARY KEY (normalized, guild_id)
    );
    CREATE TABLE answers (
        id          INTEGER PRIMARY KEY,
        question    TEXT    NOT NULL,
        normalized  TEXT    NOT NULL,
        fact_ids    TEXT    NOT NULL,
        guild_id    INTEGER NOT NULL,
        channel_id  INTEGER NOT NULL,
        confidence  REAL    NOT NULL,
        asked_at    INTEGER NOT NULL
    );
    CREATE TABLE votes (
        answer_id   INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        member_id   INTEGER NOT NULL,
        helpful     INTEGER NOT NULL,
        voted_at    INTEGER NOT NULL,
        PRIMARY KEY (answer_id, member_id)
    );
    CREATE TABLE teach_log (
        id           INTEGER PRIMARY KEY,
        moderator_id INTEGER NOT NULL,
        guild_id     INTEGER NOT NULL,
        question     TEXT    NOT NULL,
        fact_id      TEXT    NOT NULL,
        taught_at    INTEGER NOT NULL
    );
    CREATE INDEX unanswered_last_seen ON unanswered(last_seen);
    CREATE INDEX answers_asked_at ON answers(asked_at);",
];

/// Runs the migrations this file has not seen yet, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<usize> {
    let done: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (number, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", number as i64 + 1)?;
        tx.commit()?;
    }
    Ok(MIGRATIONS.len())
}
