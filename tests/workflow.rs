//! The one answering workflow, without Discord: what `/ask`, a mention and a suggestion click
//! all call. It answers as the engine does, records what the curation policy says, hands out a
//! vote id only for answers, and never waits for the database to do it.

mod knowledge_dirs;

use std::sync::Arc;
use std::time::{Duration, Instant};

use talkbot::curation::{Curation, Place, Store, Vote, VoteOutcome};
use talkbot::engine::LiveEngine;
use talkbot::workflow::{Asker, TeachOutcome, TeachRequest, Via, Workflow};

const HERE: Asker = Asker {
    place: Place {
        guild_id: 7,
        channel_id: 8,
    },
    member: 9,
    via: Via::Slash,
};

fn workflow(knowledge: &std::path::Path, data: &std::path::Path) -> Workflow {
    let engine = Arc::new(LiveEngine::load(knowledge).unwrap());
    let curation = Arc::new(Curation::with_store(Store::open(data).unwrap()));
    Workflow::new(engine, curation)
}

#[tokio::test]
async fn an_answer_is_the_engines_with_a_vote_id_and_a_refusal_is_recorded_without_one() {
    let data = tempfile::tempdir().unwrap();
    let shipped = knowledge_dirs::shipped();
    let workflow = workflow(&shipped, data.path());

    let question = "Who led the talks for the US?";
    let answered = workflow.ask(question, HERE);
    assert_eq!(answered.answer, workflow.current().ask(question));
    assert!(answered.answer.answered() && answered.answer_id.is_some());

    let refused = workflow.ask("What did Putin say about the talks?", HERE);
    assert!(!refused.answer.answered());
    assert_eq!(refused.answer_id, None, "nothing to vote on");

    let report = workflow.unanswered(0, Some(7)).await.unwrap();
    let listed: Vec<&str> = report.groups.iter().map(|g| g.question.as_str()).collect();
    assert_eq!(listed, ["What did Putin say about the talks?"]);
}

#[tokio::test]
async fn a_suggestion_is_asked_as_its_facts_first_question_and_a_gone_one_is_none() {
    let data = tempfile::tempdir().unwrap();
    let workflow = workflow(&knowledge_dirs::shipped(), data.path());
    let refusal = workflow.ask("What is the weather on Mars?", HERE).answer;
    let suggestion = refusal
        .suggestions
        .first()
        .expect("a refusal offers questions");
    let clicked = workflow
        .ask_suggestion(&suggestion.fact_id, HERE)
        .expect("the fact is in the base");
    assert_eq!(clicked.answer.question, suggestion.question);
    assert_eq!(clicked.answer, workflow.current().ask(&suggestion.question));
    assert!(workflow.ask_suggestion("no-such-fact", HERE).is_none());
}

/// The reply never waits on the disk: with another connection holding SQLite's write lock (as
/// a second process might), an answer still comes back at once with its vote id, and the write
/// lands once the lock is free.
#[tokio::test]
async fn an_answer_does_not_wait_for_a_locked_database() {
    let data = tempfile::tempdir().unwrap();
    let workflow = workflow(&knowledge_dirs::shipped(), data.path());
    workflow.ask("warm up", HERE);
    let other =
        rusqlite::Connection::open(data.path().join(talkbot::curation::DATABASE_FILE)).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();

    let started = Instant::now();
    let asked = workflow.ask("Who led the talks for the US?", HERE);
    let took = started.elapsed();
    let id = asked
        .answer_id
        .expect("a vote id, though the database is locked");
    // The lock is still held here, so an answer that waited for the disk would not have come
    // back at all before SQLite's busy timeout (seconds); the bound below is that, generous for
    // a loaded machine, not a speed target (those are benchmarks).
    assert!(took < Duration::from_secs(2), "the answer waited {took:?}");

    tokio::time::sleep(Duration::from_millis(300)).await;
    other.execute_batch("COMMIT").unwrap();
    assert_eq!(
        workflow.curation().vote(id, 1, true).await,
        VoteOutcome::Recorded(Vote::New),
        "the answer was written once the lock was free"
    );
}

#[tokio::test]
async fn teaching_is_edit_reload_audit_and_the_question_asked_again() {
    let knowledge = tempfile::tempdir().unwrap();
    knowledge_dirs::copy_dir(&knowledge_dirs::shipped(), knowledge.path());
    let data = tempfile::tempdir().unwrap();
    let workflow = workflow(knowledge.path(), data.path());
    let request = TeachRequest {
        moderator: 5,
        guild: 7,
        question: "  Which seaside   town did the envoys gather in? ".to_string(),
        fact: "venue-hallandale-florida".to_string(),
    };
    let TeachOutcome::Taught {
        reload,
        audit,
        check,
    } = workflow.teach(&request).await
    else {
        panic!("taught");
    };
    assert!(reload.is_ok() && audit.is_ok());
    assert!(check.answered);
    assert_eq!(
        check.first_fact.as_deref(),
        Some("venue-hallandale-florida")
    );
    let log = workflow
        .curation()
        .read(|store| store.teach_log(5))
        .await
        .unwrap();
    assert_eq!(
        log[0].question,
        "Which seaside town did the envoys gather in?"
    );
    assert_eq!(log[0].moderator_id, 5);
}
