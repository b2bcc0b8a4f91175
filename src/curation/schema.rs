//! The database schema, as one ordered list of migrations for both backends. SQLite records
//! how many have run in `PRAGMA user_version`, PostgreSQL in the one-row table
//! `schema_version`; opening an old database brings it up to date and opening a new one
//! builds it. Append only: never edit a migration that has shipped.
//!
//! A migration is one SQL text both dialects accept when it can be ([`both`]); a statement
//! that differs gets a text per dialect. The first one does: it shipped for SQLite before
//! PostgreSQL was a backend (so its SQLite text is frozen as it was), and PostgreSQL needs
//! 64-bit integers for Discord's ids, double precision, booleans and an identity column where
//! SQLite's `INTEGER PRIMARY KEY` counts by itself.

use rusqlite::Connection;

/// One step of the schema.
pub(crate) struct Migration {
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

/// A migration whose SQL both dialects accept as it is.
const fn both(sql: &'static str) -> Migration {
    Migration {
        sqlite: sql,
        postgres: sql,
    }
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    // 1: questions the bot could not answer well (one row per wording per server), answers
    // shown with vote buttons, votes, and the teach audit trail.
    Migration {
        sqlite: "CREATE TABLE unanswered (
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
        postgres: "CREATE TABLE unanswered (
        normalized  TEXT             NOT NULL,
        guild_id    BIGINT           NOT NULL,
        question    TEXT             NOT NULL,
        outcome     TEXT             NOT NULL,
        confidence  DOUBLE PRECISION NOT NULL,
        channel_id  BIGINT           NOT NULL,
        first_seen  BIGINT           NOT NULL,
        last_seen   BIGINT           NOT NULL,
        count       BIGINT           NOT NULL,
        PRIMARY KEY (normalized, guild_id)
    );
    CREATE TABLE answers (
        id          BIGINT           PRIMARY KEY,
        question    TEXT             NOT NULL,
        normalized  TEXT             NOT NULL,
        fact_ids    TEXT             NOT NULL,
        guild_id    BIGINT           NOT NULL,
        channel_id  BIGINT           NOT NULL,
        confidence  DOUBLE PRECISION NOT NULL,
        asked_at    BIGINT           NOT NULL
    );
    CREATE TABLE votes (
        answer_id   BIGINT  NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        member_id   BIGINT  NOT NULL,
        helpful     BOOLEAN NOT NULL,
        voted_at    BIGINT  NOT NULL,
        PRIMARY KEY (answer_id, member_id)
    );
    CREATE TABLE teach_log (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        moderator_id BIGINT NOT NULL,
        guild_id     BIGINT NOT NULL,
        question     TEXT   NOT NULL,
        fact_id      TEXT   NOT NULL,
        taught_at    BIGINT NOT NULL
    );
    CREATE INDEX unanswered_last_seen ON unanswered(last_seen);
    CREATE INDEX answers_asked_at ON answers(asked_at);
    -- Each process takes one number from this at connect: the high half of the answer ids it
    -- hands out, so processes sharing the database never hand out the same id.
    CREATE SEQUENCE answer_id_blocks;",
    },
    // 2: the feedback report reads votes by when they were cast.
    both("CREATE INDEX votes_voted_at ON votes(voted_at);"),
];

/// Runs the migrations this SQLite file has not seen yet, each in its own transaction.
pub(crate) fn migrate_sqlite(conn: &mut Connection) -> rusqlite::Result<usize> {
    let done: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (number, migration) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(migration.sqlite)?;
        tx.pragma_update(None, "user_version", number as i64 + 1)?;
        tx.commit()?;
    }
    Ok(MIGRATIONS.len())
}

/// An advisory lock key no other use of the database shares: held for the migrations, so two
/// processes starting at once do not both build the schema.
const MIGRATION_LOCK: i64 = 0x7461_6c6b_0000_0001;

/// Runs the migrations this PostgreSQL database has not seen yet, in one transaction under an
/// advisory lock (a second process starting at once waits, then finds them done).
pub(crate) async fn migrate_postgres(
    client: &mut tokio_postgres::Client,
) -> Result<usize, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
         INSERT INTO schema_version (version)
             SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);",
    )
    .await?;
    let done: i32 = tx
        .query_one("SELECT version FROM schema_version", &[])
        .await?
        .get(0);
    for (number, migration) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        tx.batch_execute(migration.postgres).await?;
        tx.execute(
            "UPDATE schema_version SET version = $1",
            &[&(number as i32 + 1)],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(MIGRATIONS.len())
}
