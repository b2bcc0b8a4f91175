//! Curation on a PostgreSQL that goes away (tests/support/postgres.rs, stopped and started
//! again by the test): answers never wait and never fail, the outage is logged once and not
//! once per answer, moderators' reads say plainly what is wrong, and once the server is back
//! the records held meanwhile and new ones land without a restart of the bot.

mod knowledge_dirs;
#[path = "support/postgres.rs"]
mod postgres_server;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use talkbot::curation::{Curation, Place, Vote, VoteOutcome};
use talkbot::engine::LiveEngine;
use talkbot::workflow::{Asker, Via, Workflow};

use postgres_server::PostgresServer;

const HERE: Asker = Asker {
    place: Place {
        guild_id: 7,
        channel_id: 8,
    },
    member: 9,
    via: Via::Slash,
};

/// Everything logged in this test binary, as text.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    /// The one log of this binary (a global subscriber, since the store logs from its own
    /// threads); tests tell their lines apart by their server's port.
    fn capture() -> Log {
        static LOG: std::sync::OnceLock<Log> = std::sync::OnceLock::new();
        LOG.get_or_init(|| {
            let log = Log::default();
            let writer = log.clone();
            tracing_subscriber::fmt()
                .with_ansi(false)
                .with_env_filter("talkbot=debug")
                .with_writer(move || writer.clone())
                .init();
            log
        })
        .clone()
    }

    fn lines_with(&self, all: &[&str]) -> usize {
        let text = String::from_utf8_lossy(&self.0.lock().unwrap()).to_string();
        text.lines()
            .filter(|line| all.iter().all(|part| line.contains(part)))
            .count()
    }
}

async fn misses(curation: &Curation) -> Result<Vec<String>, String> {
    curation
        .read(|store| store.misses(0, None))
        .await
        .map(|rows| rows.into_iter().map(|row| row.question).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_answers_go_on_at_once_and_curation_resumes_when_it_is_back() {
    let log = Log::capture();
    let mut server = PostgresServer::start();
    let database = format!("127.0.0.1:{}", server.port());
    let engine = Arc::new(LiveEngine::load(&knowledge_dirs::shipped()).unwrap());
    let curation = Arc::new(Curation::connect(&server.url()));
    let workflow = Workflow::new(engine, curation.clone());

    workflow.ask("What did Putin say before the outage?", HERE);
    assert_eq!(
        misses(&curation).await.unwrap(),
        ["What did Putin say before the outage?"]
    );

    server.stop();
    let mut slowest = Duration::ZERO;
    let mut held_answer = None;
    for i in 0..200 {
        let started = Instant::now();
        let asked = if i % 2 == 0 {
            workflow.ask(&format!("What did Putin say during outage {i}?"), HERE)
        } else {
            workflow.ask("Who led the talks for the US?", HERE)
        };
        slowest = slowest.max(started.elapsed());
        assert_eq!(asked.answer.answered(), i % 2 == 1, "answers go on");
        if asked.answer.answered() {
            held_answer = held_answer.or(asked.answer_id);
        }
    }
    assert!(
        slowest < Duration::from_millis(250),
        "no answer waited for the database: slowest {slowest:?}"
    );

    let started = Instant::now();
    let refused = misses(&curation).await.unwrap_err();
    assert!(
        refused.contains("unreachable") && refused.contains("answers continue"),
        "{refused}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the moderator is told promptly: {:?}",
        started.elapsed()
    );
    assert!(curation.writable().is_err(), "no teach goes unaudited");
    let voted = curation.vote(held_answer.expect("an id"), 5, true).await;
    assert_eq!(voted, VoteOutcome::Unavailable);
    assert_eq!(
        log.lines_with(&["WARN", "curation database is unreachable", &database]),
        1,
        "the outage is said once, not once per answer"
    );

    server.start_again();
    workflow.ask("What did Putin say after the outage?", HERE);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(questions) = misses(&curation).await {
            seen = questions;
            if seen.len() >= 102 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        seen.iter()
            .any(|q| q == "What did Putin say after the outage?"),
        "new records land: {seen:?}"
    );
    assert!(
        seen.iter()
            .any(|q| q == "What did Putin say during outage 0?")
            && seen
                .iter()
                .any(|q| q == "What did Putin say during outage 198?"),
        "and so do those held while it was away: {} rows",
        seen.len()
    );
    assert_eq!(seen.len(), 102, "each once");
    assert_eq!(
        curation.vote(held_answer.unwrap(), 5, true).await,
        VoteOutcome::Recorded(Vote::New),
        "an answer given while it was away can be voted on"
    );
    assert!(curation.writable().is_ok());
    assert!(log.lines_with(&["reachable again", &database]) >= 1);

    // Away again, with nothing recorded meanwhile: writes are refused while it is away and
    // allowed again once it is back, found out by the store's own retries.
    server.stop();
    assert!(misses(&curation).await.is_err());
    assert!(curation.writable().is_err());
    server.start_again();
    let deadline = Instant::now() + Duration::from_secs(20);
    while curation.writable().is_err() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        curation.writable().is_ok(),
        "writable again without any call"
    );
}

/// A bot started while PostgreSQL is down answers from the start (without vote buttons, since
/// its answer ids come from the database), and curation starts once the server is up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_started_before_postgres_answers_and_curation_starts_when_it_is_up() {
    let log = Log::capture();
    let mut server = PostgresServer::start();
    let database = format!("127.0.0.1:{}", server.port());
    server.stop();
    let engine = Arc::new(LiveEngine::load(&knowledge_dirs::shipped()).unwrap());
    let curation = Arc::new(Curation::connect(&server.url()));
    let workflow = Workflow::new(engine, curation.clone());
    let started = Instant::now();
    let answered = workflow.ask("Who led the talks for the US?", HERE);
    let refused = workflow.ask("What did Putin say before the server was up?", HERE);
    assert!(started.elapsed() < Duration::from_millis(250));
    assert!(answered.answer.answered() && !refused.answer.answered());
    assert_eq!(
        answered.answer_id, None,
        "no ids before the first connection"
    );
    assert!(misses(&curation).await.unwrap_err().contains("unreachable"));

    server.start_again();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while seen.is_empty() && Instant::now() < deadline {
        seen = misses(&curation).await.unwrap_or_default();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen, ["What did Putin say before the server was up?"]);
    let later = workflow.ask("Who led the talks for the US?", HERE);
    assert!(later.answer_id.is_some(), "vote ids once connected");
    assert_eq!(
        log.lines_with(&["WARN", "curation database is unreachable", &database]),
        1
    );
}
