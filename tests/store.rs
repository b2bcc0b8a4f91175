//! The curation store's specification, run against both backends: the embedded SQLite file
//! and a real PostgreSQL server the test starts itself (tests/support/postgres.rs). Each
//! test is written once, against a [`Backend`]; `store_suite!` runs it on each. What only one
//! backend has (SQLite's file: corrupt, read-only, kill -9) is in tests/curation.rs.

mod knowledge_dirs;
#[path = "support/postgres.rs"]
mod postgres_server;
#[path = "support/rows.rs"]
mod rows;

use talkbot::curation::{
    self, group_unanswered, AnswerRecord, Curation, Miss, Place, Retention, Store, Vote,
    VoteOutcome,
};
use talkbot::engine::Engine;

use postgres_server::PostgresServer;

use rows::{answer_row, miss, DAY, GUILD, NOW};

/// Where a test's data lives; [`Backend::open`] may be called again, as a restart would.
enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(PostgresServer),
}

impl Backend {
    fn sqlite() -> Backend {
        Backend::Sqlite(tempfile::tempdir().unwrap())
    }

    fn postgres() -> Backend {
        Backend::Postgres(PostgresServer::start())
    }

    fn open(&self) -> Store {
        match self {
            Backend::Sqlite(dir) => Store::open(&dir.path().join("nested/data")).unwrap(),
            Backend::Postgres(server) => Store::connect(&server.url()).unwrap(),
        }
    }
}

/// Each named test, once per backend: `sqlite::name` and `postgres::name`.
macro_rules! store_suite {
    ($($(#[$attribute:meta])* fn $name:ident($backend:ident: &Backend) $body:block)*) => {
        $($(#[$attribute])* fn $name($backend: &Backend) $body)*

        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(&super::Backend::sqlite());
            })*
        }

        mod postgres {
            $(#[test]
            fn $name() {
                super::$name(&super::Backend::postgres());
            })*
        }
    };
}

store_suite! {
    fn a_new_store_gets_the_schema_and_rows_survive_a_reopen(backend: &Backend) {
        let store = backend.open();
        store
            .record_miss(&miss("What did Putin say?", "what did putin say", NOW))
            .unwrap();
        let first = answer_row(&store, "who led", "talks-led-by-witkoff", NOW);
        drop(store);
        let reopened = backend.open();
        assert_eq!(
            reopened.misses(0, None).unwrap().len(),
            1,
            "rows survive a reopen"
        );
        let second = reopened.reserve_answer_id().unwrap();
        assert!(
            second > first,
            "a reopened store never hands out an id again ({second} after {first})"
        );
        assert_eq!(
            reopened.vote(first, 1, true, NOW).unwrap(),
            Vote::New,
            "the answer is there to vote on"
        );
    }

    fn the_same_question_asked_thirty_times_is_one_row_with_a_count(backend: &Backend) {
        let store = backend.open();
        for i in 0..30 {
            store
                .record_miss(&miss("What did Putin say?", "what did putin say", NOW + i))
                .unwrap();
        }
        let rows = store.misses(0, None).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].count, rows[0].last_seen), (30, NOW + 29));
        assert_eq!(
            store.misses(0, Some(GUILD.guild_id)).unwrap().len(),
            1,
            "its server sees it"
        );
        assert!(
            store.misses(0, Some(99)).unwrap().is_empty(),
            "another server does not see it"
        );
        assert!(
            store.misses(NOW + 30, None).unwrap().is_empty(),
            "nothing seen since"
        );
    }

    fn discord_sized_ids_are_kept_exactly(backend: &Backend) {
        let store = backend.open();
        let place = Place {
            guild_id: 1_234_567_890_123_456_789,
            channel_id: u64::MAX >> 1,
        };
        store
            .record_miss(&Miss {
                place,
                ..miss("q", "q", NOW)
            })
            .unwrap();
        assert_eq!(store.misses(0, Some(place.guild_id)).unwrap().len(), 1);
        store
            .log_teach(987_654_321_987_654_321, place.guild_id, "q?", "f", NOW)
            .unwrap();
        assert_eq!(
            store.teach_log(1).unwrap()[0].moderator_id,
            987_654_321_987_654_321
        );
    }

    fn only_refusals_and_low_confidence_answers_are_recorded(backend: &Backend) {
        let store = backend.open();
        let engine = Engine::load(&knowledge_dirs::shipped()).unwrap();
        let refused = engine.ask("What did Putin say about the talks?");
        let confident = engine.ask("Who led the talks for the US?");
        assert!(
            !refused.answered()
                && confident.answered()
                && confident.confidence >= curation::LOW_CONFIDENCE
        );
        assert!(curation::record(&store, &refused, None, GUILD, NOW).unwrap());
        let id = store.reserve_answer_id().unwrap();
        assert!(!curation::record(&store, &confident, Some(id), GUILD, NOW).unwrap());
        let rows = store.misses(0, None).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].question, "What did Putin say about the talks?");
        assert!(rows[0].refused);
        assert_eq!(
            store.vote(id, 1, true, NOW).unwrap(),
            Vote::New,
            "the confident answer was stored under its id, to be voted on"
        );
    }

    fn near_duplicate_questions_are_grouped_in_the_report(backend: &Backend) {
        let store = backend.open();
        for (question, times) in [
            ("What did Putin say?", 4),
            ("what did putin says", 2),
            ("Who won the match?", 1),
        ] {
            let normalized = curation::normalize(question);
            for _ in 0..times {
                store
                    .record_miss(&miss(question, &normalized, NOW))
                    .unwrap();
            }
        }
        let groups = group_unanswered(store.misses(0, None).unwrap());
        let summary: Vec<(&str, u64)> = groups
            .iter()
            .map(|g| (g.question.as_str(), g.count))
            .collect();
        assert_eq!(
            summary,
            vec![("What did Putin say?", 6), ("Who won the match?", 1)]
        );
    }

    fn one_vote_per_member_per_answer_and_a_second_click_changes_it(backend: &Backend) {
        let store = backend.open();
        let answer = answer_row(&store, "who led", "talks-led-by-witkoff", NOW);
        assert_eq!(store.vote(answer, 1, false, NOW).unwrap(), Vote::New);
        assert_eq!(store.vote(answer, 1, false, NOW).unwrap(), Vote::Unchanged);
        assert_eq!(store.vote(answer, 2, false, NOW).unwrap(), Vote::New);
        assert_eq!(store.vote(answer, 1, true, NOW).unwrap(), Vote::Changed);
        let report = curation::fact_feedback(store.votes(0, None).unwrap());
        assert_eq!(report.len(), 1);
        assert_eq!(
            (
                report[0].fact_id.as_str(),
                report[0].not_helpful,
                report[0].helpful
            ),
            ("talks-led-by-witkoff", 1, 1)
        );
        assert_eq!(report[0].questions, vec!["who led"]);
        assert!(
            store.votes(0, Some(99)).unwrap().is_empty(),
            "another server's report is empty"
        );
    }

    fn a_vote_on_an_answer_never_stored_is_refused(backend: &Backend) {
        let store = backend.open();
        assert!(store.vote(424_242, 1, true, NOW).is_err(), "no such answer");
        assert!(store.votes(0, None).unwrap().is_empty());
    }

    fn rows_older_than_the_retention_period_are_pruned(backend: &Backend) {
        let store = backend.open();
        store
            .record_miss(&miss("old", "old", NOW - 91 * DAY))
            .unwrap();
        store
            .record_miss(&miss("recent", "recent", NOW - 89 * DAY))
            .unwrap();
        let old_answer = answer_row(&store, "old", "f", NOW - 91 * DAY);
        store.vote(old_answer, 1, false, NOW - 91 * DAY).unwrap();
        store
            .log_teach(1, 7, "old teach", "f", NOW - 400 * DAY)
            .unwrap();
        assert_eq!(
            store.prune(Retention { days: 90 }, NOW).unwrap(),
            2,
            "one question, one answer"
        );
        let left: Vec<String> = store
            .misses(0, None)
            .unwrap()
            .into_iter()
            .map(|r| r.question)
            .collect();
        assert_eq!(left, vec!["recent"]);
        assert!(
            store.votes(0, None).unwrap().is_empty(),
            "votes go with their answer"
        );
        assert_eq!(
            store.teach_log(10).unwrap().len(),
            1,
            "the teach audit trail is kept"
        );
    }

    fn the_teach_log_lists_who_taught_what_newest_first(backend: &Backend) {
        let store = backend.open();
        store.log_teach(11, 7, "first?", "fact-a", NOW).unwrap();
        store
            .log_teach(12, 7, "second?", "fact-b", NOW + 1)
            .unwrap();
        let log = store.teach_log(10).unwrap();
        let summary: Vec<(u64, &str, &str, i64)> = log
            .iter()
            .map(|r| {
                (
                    r.moderator_id,
                    r.question.as_str(),
                    r.fact_id.as_str(),
                    r.taught_at,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (12, "second?", "fact-b", NOW + 1),
                (11, "first?", "fact-a", NOW)
            ]
        );
        assert_eq!(store.teach_log(1).unwrap().len(), 1, "the limit holds");
    }

    fn the_unanswered_report_leaves_out_what_the_base_now_answers(backend: &Backend) {
        let store = backend.open();
        for question in ["Who led the talks for the US?", "What did Putin say?"] {
            store
                .record_miss(&miss(question, &curation::normalize(question), NOW))
                .unwrap();
        }
        let engine = Engine::load(&knowledge_dirs::shipped()).unwrap();
        let report = curation::unanswered(&store, &engine, 0, None).unwrap();
        assert_eq!(report.now_answered, 1);
        let open: Vec<&str> = report.groups.iter().map(|g| g.question.as_str()).collect();
        assert_eq!(open, ["What did Putin say?"]);
    }

    /// An answer's vote id comes back at once, the write is queued behind it, and a vote
    /// queued after the answer finds it written: the store's one thread keeps the order.
    fn an_answer_is_recorded_beside_its_reply_and_a_vote_after_it_finds_it(backend: &Backend) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let curation = Curation::with_store(backend.open());
            let engine = Engine::load(&knowledge_dirs::shipped()).unwrap();
            let answered = engine.ask("Who led the talks for the US?");
            let id = curation
                .record(&answered, GUILD)
                .expect("an answer gets a vote id");
            assert_eq!(
                curation.vote(id, 5, false).await,
                VoteOutcome::Recorded(Vote::New)
            );
            let refused = engine.ask("What did Putin say about the talks?");
            assert_eq!(curation.record(&refused, GUILD), None, "nothing to vote on");
            let misses = curation.read(|store| store.misses(0, None)).await.unwrap();
            assert_eq!(misses.len(), 1, "the refusal is recorded for moderators");
            let next = curation.record(&answered, GUILD).unwrap();
            assert_eq!(next, id + 1, "ids are handed out in order, from memory");
            assert!(curation.writable().is_ok());
        });
    }
}

/// Two processes sharing one PostgreSQL database never hand out the same answer id, so a
/// vote always lands on the answer its button was for.
#[test]
fn two_stores_on_one_postgres_hand_out_different_answer_ids() {
    let server = PostgresServer::start();
    let (a, b) = (
        Store::connect(&server.url()).unwrap(),
        Store::connect(&server.url()).unwrap(),
    );
    let mut ids: Vec<i64> = (0..50)
        .flat_map(|_| {
            [
                a.reserve_answer_id().unwrap(),
                b.reserve_answer_id().unwrap(),
            ]
        })
        .collect();
    for (n, &id) in ids.iter().enumerate() {
        let store = if n % 2 == 0 { &a } else { &b };
        store
            .record_answer(&AnswerRecord {
                id,
                question: "who led",
                normalized: "who led",
                fact_ids: &["f".to_string()],
                confidence: 0.9,
                place: GUILD,
                at: NOW,
            })
            .unwrap();
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 100, "no id handed out twice");
}

#[test]
fn a_postgres_url_that_cannot_be_used_is_refused_with_the_variable_named() {
    let error = Store::connect("postgres://talkbot@127.0.0.1:notaport/db")
        .err()
        .expect("refused");
    assert!(error.to_string().contains("DATABASE_URL"), "{error}");
}

/// `talkbot report` reads what the bot reads: PostgreSQL when `DATABASE_URL` is set.
#[test]
fn talkbot_report_reads_postgres_when_database_url_is_set() {
    let server = PostgresServer::start();
    let store = Store::connect(&server.url()).unwrap();
    let now = curation::now();
    store
        .record_miss(&miss("What did Putin say?", "what did putin say", now))
        .unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .current_dir(cwd.path())
        .env("DATABASE_URL", server.url())
        .env_remove("DATA_DIR")
        .args(["report", "--json", "--knowledge"])
        .arg(knowledge_dirs::shipped())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["unanswered"][0]["question"], "What did Putin say?");
}
