//! The cross-process primitives against a real PostgreSQL (tests/support/postgres.rs): two
//! `Cluster`s on one database stand for two bot processes. One registrar; a change announced
//! by one reaches the other within a second, also after the server restarted (the version
//! row is re-read, since a NOTIFY sent while disconnected is lost); teaches in two processes
//! on one knowledge directory keep both questions; a `/teach` in one reloads the other.

mod knowledge_dirs;
#[path = "support/postgres.rs"]
mod postgres_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use talkbot::cluster::Cluster;
use talkbot::curation::{Curation, Store};
use talkbot::engine::LiveEngine;
use talkbot::knowledge::KnowledgeBase;
use talkbot::workflow::{TeachOutcome, TeachRequest, Workflow};
use tokio::sync::watch;

use postgres_server::PostgresServer;

const FACT: &str = "venue-hallandale-florida";

/// Waits up to `limit` for `changes` to be woken, and returns the version it then holds.
async fn next_version(changes: &mut watch::Receiver<u64>, limit: Duration) -> Option<u64> {
    tokio::time::timeout(limit, changes.changed())
        .await
        .ok()?
        .ok()?;
    Some(*changes.borrow_and_update())
}

/// Polls `condition` every 50 ms for up to `limit`.
async fn eventually<F: std::future::Future<Output = bool>>(
    limit: Duration,
    mut condition: impl FnMut() -> F,
) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if condition().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_cluster_alone_claims_and_announces_trivially_and_its_teach_lock_is_exclusive() {
    let single = Cluster::single();
    assert!(single.claim_registrar().await && single.is_registrar());
    assert_eq!(single.announce_change().await.unwrap(), 0);
    let mut changes = single.changes();
    assert_eq!(
        next_version(&mut changes, Duration::from_millis(100)).await,
        None
    );
    let held = single.teach_lock().await.unwrap();
    let waiting = tokio::time::timeout(Duration::from_millis(200), single.teach_lock()).await;
    assert!(waiting.is_err(), "a second teach waits for the first");
    drop(held);
    assert!(
        tokio::time::timeout(Duration::from_secs(1), single.teach_lock())
            .await
            .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_one_of_two_processes_is_registrar_and_the_other_can_claim_once_it_is_gone() {
    let server = PostgresServer::start();
    let first = Cluster::postgres(&server.url()).await.unwrap();
    let second = Cluster::postgres(&server.url()).await.unwrap();
    assert!(first.claim_registrar().await, "the first to ask gets it");
    assert!(!second.claim_registrar().await, "and only it");
    assert!(
        first.claim_registrar().await,
        "asking again while holding it stays true"
    );
    assert!(first.is_registrar() && !second.is_registrar());
    drop(first);
    assert!(
        eventually(Duration::from_secs(5), || {
            let second = &second;
            async move { second.claim_registrar().await }
        })
        .await,
        "the lock is released with the first process's session"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registrar_takes_its_lock_again_after_the_database_restarts() {
    let mut server = PostgresServer::start();
    let registrar = Cluster::postgres(&server.url()).await.unwrap();
    assert!(registrar.claim_registrar().await);
    server.restart();
    assert!(
        eventually(Duration::from_secs(10), || {
            let held = registrar.is_registrar();
            async move { held }
        })
        .await,
        "re-taken after the reconnect"
    );
    let other = Cluster::postgres(&server.url()).await.unwrap();
    assert!(!other.claim_registrar().await, "still held by the first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_announced_in_one_process_reaches_the_other_within_a_second() {
    let server = PostgresServer::start();
    let (here, there) = (
        Cluster::postgres(&server.url()).await.unwrap(),
        Cluster::postgres(&server.url()).await.unwrap(),
    );
    let (mut mine, mut theirs) = (here.changes(), there.changes());
    // Give both listeners a moment to LISTEN.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let version = here.announce_change().await.unwrap();
    assert_eq!(
        next_version(&mut theirs, Duration::from_secs(1)).await,
        Some(version)
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(
        next_version(&mut mine, Duration::from_millis(300)).await,
        None,
        "a process is not woken by its own announcement"
    );
    assert_eq!(*mine.borrow(), version, "but knows the version");
    let again = there.announce_change().await.unwrap();
    assert_eq!(again, version + 1, "one version row for all");
    assert_eq!(
        next_version(&mut mine, Duration::from_secs(1)).await,
        Some(again)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_database_restarts_changes_flow_again() {
    let mut server = PostgresServer::start();
    let (here, there) = (
        Cluster::postgres(&server.url()).await.unwrap(),
        Cluster::postgres(&server.url()).await.unwrap(),
    );
    let mut theirs = there.changes();
    server.restart();
    // The announcing side may need a moment for its pool to reconnect.
    let mut announced = None;
    let deadline = Instant::now() + Duration::from_secs(10);
    while announced.is_none() && Instant::now() < deadline {
        announced = here.announce_change().await.ok();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let announced = announced.expect("announcing works again after the restart");
    assert_eq!(
        next_version(&mut theirs, Duration::from_secs(10)).await,
        Some(announced)
    );
}

/// A NOTIFY sent while a listener is disconnected never reaches it; the version row does.
/// The cluster's connections are cut and the row bumped without a NOTIFY, in one
/// transaction, so the change can only arrive by the re-read after the reconnect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_made_while_a_listener_was_disconnected_is_read_when_it_reconnects() {
    let server = PostgresServer::start();
    let there = Cluster::postgres(&server.url()).await.unwrap();
    let mut theirs = there.changes();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = *theirs.borrow();
    postgres_server::execute(
        &server.url(),
        "BEGIN;
         UPDATE cluster_version SET version = version + 5 WHERE id = 1;
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = 'talkbot-cluster';
         COMMIT;",
    );
    assert_eq!(
        next_version(&mut theirs, Duration::from_secs(5)).await,
        Some(before + 5),
        "re-read after the reconnect"
    );
}

fn workflow(knowledge: &std::path::Path, url: &str, cluster: Cluster) -> Arc<Workflow> {
    let engine = Arc::new(LiveEngine::load(knowledge).unwrap());
    let curation = Arc::new(Curation::with_store(Store::connect(url).unwrap()));
    Arc::new(Workflow::new(engine, curation).with_cluster(cluster))
}

/// Two processes' workflows on one copy of the shipped base and one database, each with a
/// cluster of its own, as two `talkbot serve` would have.
async fn two_processes(
    server: &PostgresServer,
) -> (tempfile::TempDir, Arc<Workflow>, Arc<Workflow>) {
    let knowledge = tempfile::tempdir().unwrap();
    knowledge_dirs::copy_dir(&knowledge_dirs::shipped(), knowledge.path());
    let mut processes = Vec::new();
    for _ in 0..2 {
        let cluster = Cluster::postgres(&server.url()).await.unwrap();
        processes.push(workflow(knowledge.path(), &server.url(), cluster));
    }
    let two = processes.pop().unwrap();
    let one = processes.pop().unwrap();
    (knowledge, one, two)
}

fn teach(question: &str) -> TeachRequest {
    TeachRequest {
        moderator: 1,
        guild: 7,
        question: question.to_string(),
        fact: FACT.to_string(),
    }
}

fn taught(outcome: &TeachOutcome) -> bool {
    matches!(
        outcome,
        TeachOutcome::Taught {
            reload: Ok(_),
            audit: Ok(()),
            ..
        }
    )
}

/// Two processes, one knowledge directory: each teaches the same fact (so the same file) at
/// the same moment. The teach lock puts one after the other, and the second reads the file
/// as the first left it, so neither question is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_teaches_in_two_processes_keep_both_questions() {
    let server = PostgresServer::start();
    let (knowledge, one, two) = two_processes(&server).await;
    for round in 0..3 {
        let (q1, q2) = (
            format!("Which seaside town hosted round {round} of the envoys?"),
            format!("Where on the coast did the delegations sit down, take {round}?"),
        );
        let (t1, t2) = (teach(&q1), teach(&q2));
        let (r1, r2) = tokio::join!(one.teach(&t1), two.teach(&t2));
        assert!(taught(&r1) && taught(&r2), "{r1:?} / {r2:?}");
        let on_disk = KnowledgeBase::load(knowledge.path()).unwrap();
        let questions = &on_disk.fact(FACT).unwrap().questions;
        assert!(
            questions.contains(&q1) && questions.contains(&q2),
            "round {round}: both kept: {questions:?}"
        );
    }
    let audit = one
        .curation()
        .read(|store| store.teach_log(10))
        .await
        .unwrap();
    assert_eq!(audit.len(), 6, "every teach audited, in one shared log");
}

/// A `/teach` in one process is answered by the other within a second: it announces, the
/// other follows and reloads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teach_in_one_process_is_answered_by_the_other_within_a_second() {
    let server = PostgresServer::start();
    let (_knowledge, one, two) = two_processes(&server).await;
    let _following = two.clone().follow_changes();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let question = "Which sunny beach town did the negotiators pick?";
    let has_it = |workflow: &Workflow| {
        workflow
            .current()
            .knowledge()
            .fact(FACT)
            .unwrap()
            .questions
            .iter()
            .any(|q| q == question)
    };
    assert!(!has_it(&two));
    assert!(taught(&one.teach(&teach(question)).await));
    let started = Instant::now();
    assert!(
        eventually(Duration::from_secs(1), || {
            let reloaded = has_it(&two);
            async move { reloaded }
        })
        .await,
        "the other process reloaded within a second"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    let answer = two.current().ask(question);
    assert_eq!(answer.facts.first().map(|f| f.id.as_str()), Some(FACT));

    // And a refresh announces too.
    let mut changes = two.cluster().changes();
    one.refresh().await.unwrap();
    assert!(next_version(&mut changes, Duration::from_secs(1))
        .await
        .is_some());
}
