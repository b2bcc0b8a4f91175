//! The curation database and teaching, against real SQLite files and real knowledge files.
//! What both backends must do alike is in tests/store.rs, run against SQLite and PostgreSQL;
//! here is what only the SQLite file has (empty, corrupt, read-only, kill -9), the report
//! command, and teaching.

mod knowledge_dirs;
#[path = "support/rows.rs"]
mod rows;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use talkbot::curation::{self, Store, StoreError, Vote};
use talkbot::engine::Engine;
use talkbot::knowledge::teach::{add_question, TeachError};
use talkbot::knowledge::KnowledgeBase;

use rows::{answer_row, miss, DAY, NOW};

/// A private copy of the shipped fact base, safe to edit.
fn knowledge_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    knowledge_dirs::copy_dir(&knowledge_dirs::shipped(), copy.path());
    copy
}

#[test]
fn an_empty_database_file_is_migrated_like_a_new_one() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join(curation::DATABASE_FILE), b"").unwrap();
    let store = Store::open(data.path()).unwrap();
    store.record_miss(&miss("q", "q", NOW)).unwrap();
    assert_eq!(store.misses(0, None).unwrap()[0].count, 1);
}

/// A file made before the second migration (user_version 1, no index on votes) is brought up
/// to date on open, its rows kept.
#[test]
fn a_database_from_the_first_schema_is_migrated_keeping_its_rows() {
    let data = tempfile::tempdir().unwrap();
    {
        let store = Store::open(data.path()).unwrap();
        store.record_miss(&miss("kept?", "kept", NOW)).unwrap();
    }
    let file = data.path().join(curation::DATABASE_FILE);
    {
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute_batch("DROP INDEX votes_voted_at; PRAGMA user_version = 1;")
            .unwrap();
    }
    let store = Store::open(data.path()).unwrap();
    assert_eq!(store.misses(0, None).unwrap().len(), 1, "rows kept");
    drop(store);
    let conn = rusqlite::Connection::open(&file).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    let index: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'votes_voted_at'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!((version, index), (2, 1));
}

#[test]
fn a_corrupt_database_is_refused_with_a_clear_message_and_the_report_says_so() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join(curation::DATABASE_FILE),
        b"this is not a database, it is a shopping list",
    )
    .unwrap();
    let error = Store::open(data.path())
        .err()
        .expect("a corrupt file is refused");
    assert!(matches!(error, StoreError::Unusable { .. }), "{error}");
    assert!(error.to_string().contains("cannot be used"), "{error}");

    let output = Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(["report", "--data"])
        .arg(data.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("cannot be used") && stderr.contains(curation::DATABASE_FILE),
        "{stderr}"
    );
}

#[test]
fn a_read_only_database_still_reports_but_refuses_to_record() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    store
        .record_miss(&miss(
            "What did Putin say?",
            "what did putin say",
            curation::now(),
        ))
        .unwrap();
    drop(store);
    let file = data.path().join(curation::DATABASE_FILE);
    let mut permissions = std::fs::metadata(&file).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&file, permissions).unwrap();

    let store = Store::open(data.path()).unwrap();
    assert!(store.is_read_only());
    let error = store
        .record_miss(&miss("another", "another", NOW))
        .unwrap_err();
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error}");

    let output = Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(["report", "--data"])
        .arg(data.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("What did Putin say?"), "{stdout}");
    assert!(stderr.contains("read-only"), "{stderr}");
}

#[test]
fn report_json_lists_unanswered_groups_and_feedback() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let now = curation::now();
    store
        .record_miss(&miss("What did Putin say?", "what did putin say", now))
        .unwrap();
    let answer = answer_row(&store, "who led", "talks-led-by-witkoff", now);
    store.vote(answer, 1, false, now).unwrap();
    let output = report(data.path(), &["--json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["days"], 7);
    assert_eq!(report["unanswered"][0]["question"], "What did Putin say?");
    assert_eq!(report["unanswered"][0]["count"], 1);
    assert_eq!(report["feedback"][0]["fact_id"], "talks-led-by-witkoff");
    assert_eq!(report["feedback"][0]["not_helpful"], 1);
}

#[test]
fn teaching_a_question_makes_it_answered_and_keeps_the_file_comments() {
    let knowledge = knowledge_copy();
    let question = "Which seaside town did the envoys gather in?";
    let before = Engine::load(knowledge.path()).unwrap();
    assert!(!before.ask(question).answered(), "refused before teaching");
    let fact = before
        .knowledge()
        .fact("venue-hallandale-florida")
        .expect("the shipped base has this fact")
        .clone();
    let file = knowledge.path().join(&fact.file);
    let comments_before: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .map(str::to_string)
        .collect();

    add_question(knowledge.path(), before.knowledge(), &fact.id, question).unwrap();

    let after = Engine::load(knowledge.path()).unwrap();
    let answer = after.ask(question);
    assert!(answer.answered(), "answered after teaching");
    assert_eq!(answer.facts[0].id, fact.id);
    let text = std::fs::read_to_string(&file).unwrap();
    let comments_after: Vec<String> = text
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .map(str::to_string)
        .collect();
    assert_eq!(
        comments_before, comments_after,
        "every comment kept, in order"
    );
    assert!(
        text.contains(&format!("  \"{question}\",")) || text.contains(&format!("  \"{question}\"")),
        "one question per line, like the others"
    );
}

#[test]
fn teaching_refuses_unknown_facts_duplicates_and_empty_questions_leaving_files_alone() {
    let knowledge = knowledge_copy();
    let base = KnowledgeBase::load(knowledge.path()).unwrap();
    let fact = &base.facts[0];
    let file = knowledge.path().join(&fact.file);
    let original = std::fs::read_to_string(&file).unwrap();
    let cases = [
        ("no-such-fact", "anything", "there is no fact"),
        (fact.id.as_str(), "   ", "empty"),
        (fact.id.as_str(), &fact.questions[0], "already has"),
    ];
    for (fact_id, question, expected) in cases {
        let error = add_question(knowledge.path(), &base, fact_id, question).unwrap_err();
        assert!(
            error.to_string().contains(expected),
            "{fact_id}/{question:?}: {error}"
        );
    }
    let long = "why ".repeat(100);
    assert!(matches!(
        add_question(knowledge.path(), &base, &fact.id, &long),
        Err(TeachError::TooLong)
    ));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

/// Run as a child process by the test below: writes rows and teaches questions as fast as it
/// can, printing each one once it is committed, until it is killed.
fn crash_child(data: &Path, knowledge: &Path) {
    let store = Store::open(data).unwrap();
    for i in 0.. {
        let question = format!("crash question {i}");
        store.record_miss(&miss(&question, &question, NOW)).unwrap();
        let base = KnowledgeBase::load(knowledge).unwrap();
        let fact_id = base.facts[i % base.facts.len()].id.clone();
        add_question(
            knowledge,
            &base,
            &fact_id,
            &format!("taught question number {i}"),
        )
        .unwrap();
        println!("committed {}", i + 1);
    }
}

#[test]
fn a_kill_9_between_writes_loses_no_committed_row_and_no_knowledge_file() {
    if let (Ok(data), Ok(knowledge)) = (
        std::env::var("TALKBOT_CRASH_DATA"),
        std::env::var("TALKBOT_CRASH_KNOWLEDGE"),
    ) {
        crash_child(Path::new(&data), Path::new(&knowledge));
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let knowledge = knowledge_copy();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_kill_9_between_writes_loses_no_committed_row_and_no_knowledge_file",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TALKBOT_CRASH_DATA", data.path())
        .env("TALKBOT_CRASH_KNOWLEDGE", knowledge.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut committed = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if let Some(count) = line.unwrap().strip_prefix("committed ") {
            committed = count.parse().unwrap();
        }
        if committed >= 15 {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL: no destructors, no flushes
    child.wait().unwrap();
    assert!(
        committed >= 15,
        "the child committed {committed} rows before dying"
    );

    let store = Store::open(data.path()).unwrap();
    assert!(
        store.misses(0, None).unwrap().len() >= committed,
        "every committed row is there"
    );
    let base = KnowledgeBase::load(knowledge.path()).expect("no fact file is half-written");
    let taught = base
        .facts
        .iter()
        .flat_map(|f| &f.questions)
        .filter(|q| q.starts_with("taught question number"))
        .count();
    assert!(
        taught >= committed,
        "{taught} taught questions on disk, {committed} reported"
    );
}

/// Regression (issue 12): `talkbot report` opened the store with the default 90-day retention,
/// and opening pruned, so a bot running with `RETENTION_DAYS=365` lost its older rows
/// whenever someone ran a report. Opening never deletes now; only `Store::prune` does.
#[test]
fn a_report_deletes_nothing_whatever_retention_the_bot_runs_with() {
    let data = tempfile::tempdir().unwrap();
    let now = curation::now();
    let old = now - 200 * DAY;
    {
        let store = Store::open(data.path()).unwrap();
        store
            .record_miss(&miss("What did Putin say?", "what did putin say", old))
            .unwrap();
        answer_row(&store, "who led", "talks-led-by-witkoff", old);
    }
    report(data.path(), &[]);
    let store = Store::open(data.path()).unwrap();
    assert_eq!(
        store.misses(0, None).unwrap().len(),
        1,
        "the old miss is kept"
    );
    assert_eq!(
        store.vote(1, 9, true, now).unwrap(),
        Vote::New,
        "the old answer is kept, so it can still be voted on"
    );
}

/// `talkbot report` and `/unanswered` are one function: a miss the fact base now answers well
/// is left out of both, and counted.
#[test]
fn the_report_leaves_out_what_the_fact_base_now_answers() {
    let data = tempfile::tempdir().unwrap();
    let now = curation::now();
    let store = Store::open(data.path()).unwrap();
    for question in ["Who led the talks for the US?", "What did Putin say?"] {
        store
            .record_miss(&miss(question, &curation::normalize(question), now))
            .unwrap();
    }
    let engine = Engine::load(&knowledge_dirs::shipped()).unwrap();
    let direct = curation::unanswered(&store, &engine, 0, None).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(["report", "--json", "--data"])
        .arg(data.path())
        .arg("--knowledge")
        .arg(knowledge_dirs::shipped())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let listed: Vec<&str> = report["unanswered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| group["question"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["What did Putin say?"]);
    assert_eq!(report["now_answered"], 1);
    assert_eq!(direct.now_answered, 1);
    assert_eq!(direct.groups[0].question, "What did Putin say?");
}

/// Regression (issue 12): `/refresh` was not serialised with `/teach`, so a slow refresh that
/// had read the files before a teach's edit could swap in, after the teach, a base without the
/// question just taught. Both now take one turn inside `LiveEngine`: while a refresh holds it,
/// a teach waits before touching the file, and a refresh waits for a teach in progress.
#[test]
fn refreshes_and_teaches_take_turns_so_a_refresh_cannot_undo_a_teach() {
    use std::sync::Arc;
    use std::time::Duration;
    use talkbot::engine::LiveEngine;

    let knowledge = knowledge_copy();
    let live = Arc::new(LiveEngine::load(knowledge.path()).unwrap());
    let fact = "venue-hallandale-florida";
    let file = knowledge
        .path()
        .join(&live.current().knowledge().fact(fact).unwrap().file);
    let question = "Which seaside town did the envoys gather in?";

    // A refresh in progress holds the turn; the teach must not edit the file meanwhile.
    let refreshing = live.turn();
    let teach = {
        let live = live.clone();
        std::thread::spawn(move || {
            live.teach(fact, question)
                .map(|taught| taught.reload.is_ok())
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !std::fs::read_to_string(&file).unwrap().contains(question),
        "the teach waits for the refresh before editing"
    );
    assert!(!teach.is_finished());
    drop(refreshing);
    assert!(teach.join().unwrap().unwrap(), "taught and reloaded");

    // And a refresh waits for a teach (or anything else) holding the turn.
    let teaching = live.turn();
    let refresh = {
        let live = live.clone();
        std::thread::spawn(move || live.refresh().is_ok())
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(!refresh.is_finished(), "the refresh waits its turn");
    drop(teaching);
    assert!(refresh.join().unwrap());
    let answer = live.current().ask(question);
    assert_eq!(answer.facts[0].id, fact, "still answered after the refresh");
}

/// `talkbot report --days 7 [extra] --data DATA`, which must succeed.
fn report(data: &Path, extra: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(["report", "--days", "7"])
        .args(extra)
        .arg("--data")
        .arg(data)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A teach reads the fact's file as it is now, not as the base in memory was loaded: another
/// process's question taught in between is kept, and the same question is not added twice.
#[test]
fn a_teach_from_a_stale_base_keeps_what_was_taught_since_and_adds_nothing_twice() {
    let knowledge = knowledge_copy();
    let stale = KnowledgeBase::load(knowledge.path()).unwrap();
    let fact = "venue-hallandale-florida";
    let (elsewhere, here) = (
        "Which seaside town did the envoys gather in?",
        "Where on the coast did they sit down?",
    );
    add_question(knowledge.path(), &stale, fact, elsewhere).unwrap();
    add_question(knowledge.path(), &stale, fact, here).unwrap();
    assert!(matches!(
        add_question(knowledge.path(), &stale, fact, elsewhere),
        Err(TeachError::AlreadyThere { .. })
    ));
    let now = KnowledgeBase::load(knowledge.path()).unwrap();
    let questions = &now.fact(fact).unwrap().questions;
    let count = |q: &str| questions.iter().filter(|x| *x == q).count();
    assert_eq!((count(elsewhere), count(here)), (1, 1), "{questions:?}");
}
