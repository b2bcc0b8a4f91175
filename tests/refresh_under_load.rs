//! Refresh under load: members keep asking while a moderator refreshes the fact base again and
//! again. Every answer must come whole from one base or the other (never half old, half new),
//! none may fail, and none may go missing.
//!
//! Two valid bases, A and B, give different answers to the same questions (B restates every
//! fact and knows one fact more). They take turns at the live directory, swapped by renaming
//! whole directories, and each swap is followed by a refresh.

mod knowledge_dirs;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;

use talkbot::answer::Answer;
use talkbot::engine::{Engine, LiveEngine};

const ASKERS: usize = 8;
/// Each asker asks at least this many, and goes on until the last refresh is done.
const QUESTIONS_PER_ASKER: usize = 150;
const REFRESHES: usize = 50;

const QUESTIONS: &[&str] = &[
    "Who led the talks for the US?",
    "Where were the talks held?",
    "Who was on the Ukrainian team?",
    "Do gaps remain between the delegations?",
    "What did Putin say?",
    "",
];

fn valid_base() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken_knowledge/valid")
}

/// Base B: base A with every statement said differently, and one fact more.
fn write_base_b(dir: &Path) {
    knowledge_dirs::copy_dir(&valid_base(), dir);
    let facts = dir.join("facts/talks.toml");
    let text = fs::read_to_string(&facts)
        .unwrap()
        .replace("statement = \"", "statement = \"As base B has it: ");
    fs::write(&facts, text).unwrap();
    fs::write(
        dir.join("facts/gaps.toml"),
        r#"[[fact]]
id = "gaps-remain"
topic = "overview"
statement = "As base B has it: significant gaps remain between Ukraine's delegation and the United States."
questions = ["Do gaps remain between the delegations?"]
source = "deadlock-persists"
quote = "significant gaps remain unresolved"
"#,
    )
    .unwrap();
}

/// Swaps the contents of two directories by renaming them, through a third name.
fn swap(a: &Path, b: &Path) {
    let aside = a.with_extension("aside");
    fs::rename(a, &aside).unwrap();
    fs::rename(b, a).unwrap();
    fs::rename(&aside, b).unwrap();
}

#[test]
fn answers_stay_whole_while_the_base_is_refreshed() {
    let temp = tempfile::tempdir().unwrap();
    let live_dir = temp.path().join("live");
    let spare_dir = temp.path().join("spare");
    knowledge_dirs::copy_dir(&valid_base(), &live_dir);
    write_base_b(&spare_dir);

    let from_a: Vec<Answer> = answers(&Engine::load(&live_dir).expect("base A loads"));
    let from_b: Vec<Answer> = answers(&Engine::load(&spare_dir).expect("base B loads"));
    let distinguishable = (0..QUESTIONS.len())
        .filter(|&i| from_a[i] != from_b[i])
        .count();
    assert!(
        distinguishable >= 4,
        "bases A and B must answer differently"
    );

    let live = LiveEngine::load(&live_dir).unwrap();
    let refreshing = AtomicBool::new(true);
    let (sender, receiver) = mpsc::channel::<(usize, Answer)>();

    let (asked, refreshed) = thread::scope(|scope| {
        let askers: Vec<_> = (0..ASKERS)
            .map(|asker| {
                let sender = sender.clone();
                let (live, refreshing) = (&live, &refreshing);
                scope.spawn(move || {
                    let mut asked = 0;
                    while asked < QUESTIONS_PER_ASKER || refreshing.load(Ordering::Acquire) {
                        let question = (asker + asked) % QUESTIONS.len();
                        let answer = live.current().ask(QUESTIONS[question]);
                        sender.send((question, answer)).unwrap();
                        asked += 1;
                    }
                    asked
                })
            })
            .collect();
        drop(sender);

        let mut refreshed = 0;
        for round in 0..REFRESHES {
            swap(&live_dir, &spare_dir);
            match live.refresh() {
                Ok(changes) => assert!(!changes.is_empty(), "refresh {round} changed nothing"),
                Err(errors) => panic!("refresh {round} failed: {errors}"),
            }
            refreshed += 1;
            thread::yield_now();
        }
        refreshing.store(false, Ordering::Release);

        let asked: usize = askers.into_iter().map(|a| a.join().unwrap()).sum();
        (asked, refreshed)
    });

    let (mut whole_a, mut whole_b, mut same_in_both, mut torn) = (0, 0, 0, Vec::new());
    let mut received = 0;
    for (question, answer) in receiver {
        received += 1;
        let (a, b) = (&from_a[question], &from_b[question]);
        if a == b && answer == *a {
            same_in_both += 1;
        } else if answer == *a {
            whole_a += 1;
        } else if answer == *b {
            whole_b += 1;
        } else if torn.len() < 3 {
            torn.push(format!("{:?} got {answer:?}", QUESTIONS[question]));
        }
    }

    eprintln!(
        "{received} answers across {refreshed} refreshes: {whole_a} from A, {whole_b} from B, \
         {same_in_both} the same in both"
    );
    assert!(
        torn.is_empty(),
        "answers from neither base:\n{}",
        torn.join("\n")
    );
    assert_eq!(received, asked, "answers lost");
    assert!(received >= ASKERS * QUESTIONS_PER_ASKER);
    assert_eq!(refreshed, REFRESHES);
    assert!(
        whole_a > 0 && whole_b > 0,
        "the askers never saw both bases"
    );
    // An even number of swaps puts base A back in service.
    assert_eq!(answers(&live.current()), from_a);
}

fn answers(engine: &Engine) -> Vec<Answer> {
    QUESTIONS
        .iter()
        .map(|question| engine.ask(question))
        .collect()
}
