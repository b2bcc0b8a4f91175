//! The matcher at scale, without timing anything (timings live in `benches/`):
//!
//! - `talkbot gen-kb` writes the same files for the same seed, and they pass `talkbot check`;
//! - `Matcher::verdict`, which picks its few facts without sorting every candidate, reads the
//!   same as `Matcher::rank`'s sorted list;
//! - an answer does not depend on what was asked before on the same thread, nor on the size of
//!   the base the thread last answered from. The matcher keeps one reusable accumulator per
//!   thread (one slot per fact); this pins that no slot ever leaks from one question, or one
//!   base, into the next.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::thread;

use talkbot::answer::Answer;
use talkbot::engine::Engine;
use talkbot::knowledge::KnowledgeBase;
use talkbot::matcher::{Matcher, ANSWER_THRESHOLD, MAX_FACTS};
use talkbot::synthetic::{self, Options};

fn talkbot(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Every file under `dir`, relative path → bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).expect("readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                found.push((name, fs::read(&path).expect("readable")));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn gen_kb_is_deterministic_and_its_output_passes_check() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let (first, second) = (temp.path().join("first"), temp.path().join("second"));
    for dir in [&first, &second] {
        let output = talkbot(&[
            "gen-kb",
            "--facts",
            "250",
            "--seed",
            "42",
            dir.to_str().expect("UTF-8"),
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            said.contains("wrote 250 facts from 13 invented articles"),
            "{said}"
        );
        assert!(
            said.contains("knowledge OK: 250 facts, 13 sources"),
            "{said}"
        );
    }
    assert_eq!(files(&first), files(&second));
    let check = talkbot(&["check", "--knowledge", first.to_str().expect("UTF-8")]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn gen_kb_refuses_a_directory_that_is_not_empty() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    fs::write(temp.path().join("keep.txt"), "mine").expect("written");
    let output = talkbot(&[
        "gen-kb",
        "--facts",
        "10",
        temp.path().to_str().expect("UTF-8"),
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not empty"));
    let output = talkbot(&[
        "gen-kb",
        "--facts",
        "0",
        temp.path().join("new").to_str().expect("UTF-8"),
    ]);
    assert!(
        !output.status.success(),
        "zero facts is refused by the argument parser"
    );
}

#[test]
fn answers_do_not_depend_on_what_the_thread_answered_before() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = temp.path().join("knowledge");
    let summary = synthetic::write(
        &dir,
        &Options {
            facts: 600,
            seed: 9,
        },
    )
    .expect("written");
    let large = Engine::load(&dir).unwrap_or_else(|errors| panic!("{errors}"));
    let shipped = Engine::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"))
        .unwrap_or_else(|errors| panic!("{errors}"));
    let questions: Vec<String> = summary
        .probes
        .iter()
        .map(|probe| probe.question.clone())
        .chain(
            [
                "Who led the talks?",
                "Where were the talks held?",
                "wat about nukes",
            ]
            .map(String::from),
        )
        .collect();
    let ask_all =
        |engine: &Engine, order: &mut dyn Iterator<Item = &String>| -> Vec<(String, Answer)> {
            let mut answers: Vec<(String, Answer)> =
                order.map(|q| (q.clone(), engine.ask(q))).collect();
            answers.sort_by(|a, b| a.0.cmp(&b.0));
            answers
        };
    // Each answer on a fresh thread: nothing asked before.
    let fresh = |engine: &Engine| -> Vec<(String, Answer)> {
        thread::scope(|scope| {
            let mut answers: Vec<(String, Answer)> = questions
                .iter()
                .map(|q| {
                    scope
                        .spawn(move || (q.clone(), engine.ask(q)))
                        .join()
                        .expect("answered")
                })
                .collect();
            answers.sort_by(|a, b| a.0.cmp(&b.0));
            answers
        })
    };
    let (fresh_large, fresh_shipped) = (fresh(&large), fresh(&shipped));
    // One thread, alternating bases and going through the questions both ways.
    thread::scope(|scope| {
        scope.spawn(|| {
            assert_eq!(ask_all(&large, &mut questions.iter()), fresh_large);
            assert_eq!(
                ask_all(&shipped, &mut questions.iter().rev()),
                fresh_shipped
            );
            assert_eq!(ask_all(&large, &mut questions.iter().rev()), fresh_large);
            assert_eq!(ask_all(&shipped, &mut questions.iter()), fresh_shipped);
        });
    });
}

/// `verdict` picks its few facts out of the candidates instead of sorting them all; what it
/// picks must be what reading `rank`'s sorted list from the top gives.
#[test]
fn the_verdict_agrees_with_the_ranking() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = temp.path().join("knowledge");
    let summary = synthetic::write(
        &dir,
        &Options {
            facts: 800,
            seed: 3,
        },
    )
    .expect("written");
    let shipped_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let dev_questions = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/questions.jsonl"),
    )
    .expect("the dev set");
    let dev_questions: Vec<String> = dev_questions
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).expect("JSON")["q"]
                .as_str()
                .expect("q")
                .to_string()
        })
        .collect();
    let synthetic_questions: Vec<String> = summary
        .probes
        .into_iter()
        .map(|probe| probe.question)
        .collect();
    for (dir, questions) in [(&shipped_dir, &dev_questions), (&dir, &synthetic_questions)] {
        let knowledge = KnowledgeBase::load(dir).unwrap_or_else(|errors| panic!("{errors}"));
        let matcher = Matcher::new(&knowledge);
        for question in questions {
            let ranked = matcher.rank(&knowledge, question);
            let verdict = matcher.verdict(&knowledge, question);
            let top: Vec<usize> = ranked.iter().map(|c| c.fact).collect();
            if verdict.answered {
                assert_eq!(verdict.facts.first(), ranked.first(), "{question}");
                assert!(verdict.confidence >= ANSWER_THRESHOLD, "{question}");
                // The few facts an answer is built from are the ranking's first few.
                for fact in &verdict.facts {
                    let position = top.iter().position(|&f| f == fact.fact);
                    assert!(position.is_some_and(|p| p < 8), "{question}: {position:?}");
                }
                assert!(verdict.facts.len() <= MAX_FACTS);
            } else {
                // Suggestions open with the ranking's first fact and follow its order (skipping
                // a fact whose quote is already offered) before any spread of other topics.
                if let Some(&first) = top.first() {
                    assert_eq!(verdict.suggestions[0], first, "{question}");
                    let mut rest = top.iter();
                    let from_ranking = verdict
                        .suggestions
                        .iter()
                        .take_while(|&s| rest.any(|f| f == s))
                        .count();
                    assert!(from_ranking >= 1, "{question}");
                }
            }
        }
    }
}
