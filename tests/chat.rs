//! `talkbot chat` as a conversation, on the real binary: with `--json`, one object a line in the
//! `ask --json` contract, and each kind of follow-up ("source?", "why?", "more", "and russia?",
//! a suggestion's number or words, "really?") answering from the previous answer; a follow-up
//! with nothing before it is an ordinary question, and "source?" alone is never answered.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use talkbot::conversation::{NOTHING_MORE, NO_CONTEXT};
use talkbot::engine::Engine;

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// Pipes `lines` into `talkbot chat ARGS` and returns its stdout.
fn chat(args: &[&str], lines: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .arg("chat")
        .args(args)
        .arg("--knowledge")
        .arg(shipped())
        .env_remove("KNOWLEDGE_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for line in lines {
            writeln!(stdin, "{line}").unwrap();
        }
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The conversation through `chat --json`: one parsed object per answered line.
fn converse(lines: &[&str]) -> Vec<Value> {
    chat(&["--json"], lines)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn engine() -> Engine {
    Engine::load(&shipped()).unwrap()
}

/// What `ask --json` prints for `question`, parsed.
fn asked(question: &str) -> Value {
    serde_json::to_value(engine().ask(question)).unwrap()
}

fn ids(answer: &Value) -> Vec<String> {
    answer["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn kind(answer: &Value) -> &str {
    answer["follow_up"]["kind"].as_str().unwrap_or("")
}

#[test]
fn each_line_gets_one_object_and_a_question_is_answered_as_ask_json_answers_it() {
    let questions = ["Who led the delegations?", "Were elections discussed?"];
    // A blank line and `help` answer nothing on stdout; `quit` ends, so the last line is unread.
    let answers = converse(&[questions[0], "", "help", questions[1], "quit", "source?"]);
    assert_eq!(answers.len(), 2, "{answers:?}");
    for (answer, question) in answers.iter().zip(questions) {
        assert_eq!(
            answer,
            &asked(question),
            "a new question is ask --json's answer"
        );
        assert!(answer.get("follow_up").is_none());
    }
}

#[test]
fn source_gives_the_paragraphs_of_the_previous_answer_in_full() {
    let answers = converse(&["Who led the delegations?", "source?"]);
    let (first, source) = (&answers[0], &answers[1]);
    assert_eq!(kind(source), "source");
    assert_eq!(source["answered"], true);
    assert_eq!(ids(source), ids(first), "the same facts, cited again");
    let knowledge = engine();
    let passages = source["passages"].as_array().unwrap();
    assert!(!passages.is_empty());
    for fact in first["facts"].as_array().unwrap() {
        let cited = &fact["source"];
        let paragraph = cited["paragraph"].as_u64().unwrap();
        let passage = passages
            .iter()
            .find(|p| p["source"] == cited["id"] && p["paragraph"] == paragraph)
            .unwrap_or_else(|| panic!("no passage for {fact}"));
        let text = &knowledge.knowledge().sources[cited["id"].as_str().unwrap()].paragraphs
            [paragraph as usize];
        assert_eq!(passage["text"], text.as_str(), "the paragraph in full");
        assert!(text.contains(cited["quote"].as_str().unwrap()));
        assert!(source["answer"].as_str().unwrap().contains(text.as_str()));
    }
}

#[test]
fn why_adds_facts_from_the_same_paragraph_or_topic_not_shown_yet() {
    let answers = converse(&["What is Ukraine's position?", "why?"]);
    let (first, why) = (&answers[0], &answers[1]);
    assert_eq!(kind(why), "why");
    assert_eq!(why["answered"], true, "{why}");
    let before: Vec<&Value> = first["facts"].as_array().unwrap().iter().collect();
    for fact in why["facts"].as_array().unwrap() {
        assert!(!ids(first).contains(&fact["id"].as_str().unwrap().to_string()));
        let related = before.iter().any(|b| {
            b["topic"] == fact["topic"]
                || (b["source"]["id"] == fact["source"]["id"]
                    && b["source"]["paragraph"] == fact["source"]["paragraph"])
        });
        assert!(related, "{fact} explains nothing shown");
    }
}

#[test]
fn more_goes_on_through_the_topic_never_repeating_then_says_there_is_no_more() {
    let answers = converse(&[
        "Were elections discussed?",
        "tell me more",
        "more",
        "what else?",
    ]);
    let topics: HashSet<&Value> = answers[0]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["topic"])
        .collect();
    let mut seen: HashSet<String> = ids(&answers[0]).into_iter().collect();
    for more in &answers[1..] {
        assert_eq!(kind(more), "more");
        for fact in more["facts"].as_array().unwrap() {
            assert!(topics.contains(&fact["topic"]), "off topic: {fact}");
            assert!(
                seen.insert(fact["id"].as_str().unwrap().to_string()),
                "repeated {fact}"
            );
        }
    }
    let last = answers.last().unwrap();
    assert_eq!(
        last["answered"], false,
        "the elections topic has 4 facts: {last}"
    );
    assert_eq!(last["answer"], NOTHING_MORE);
}

#[test]
fn and_x_asks_the_previous_question_about_the_new_subject() {
    let answers = converse(&[
        "What is Ukraine's position?",
        "and Russia?",
        "what about europe?",
    ]);
    assert_eq!(kind(&answers[1]), "about");
    assert_eq!(
        answers[1]["follow_up"]["asked"],
        "What is Russia's position?"
    );
    assert_eq!(ids(&answers[1]), ids(&asked("What is Russia's position?")));
    assert_eq!(answers[1]["question"], "and Russia?", "the line as typed");
    // The rewritten question is the one the next "what about X?" rewrites.
    assert_eq!(
        answers[2]["follow_up"]["asked"],
        "What is europe's position?"
    );
    assert_eq!(ids(&answers[2]), ids(&asked("What is europe's position?")));
    assert_eq!(answers[2]["answered"], true);
}

#[test]
fn a_number_or_a_suggestions_words_after_a_refusal_answers_that_suggestion() {
    let refusal = asked("What did Putin say?");
    assert_eq!(refusal["answered"], false);
    let suggestions = refusal["suggestions"].as_array().unwrap();
    assert!(suggestions.len() >= 2);
    let second = suggestions[1]["question"].as_str().unwrap();
    let words = second.trim_end_matches('?').to_lowercase();
    let answers = converse(&["What did Putin say?", "2", "What did Putin say?", &words]);
    for picked in [&answers[1], &answers[3]] {
        assert_eq!(kind(picked), "pick", "{picked}");
        assert_eq!(picked["follow_up"]["asked"], second);
        assert_eq!(ids(picked), ids(&asked(second)));
    }
}

#[test]
fn really_shows_the_quotes_and_the_confidence_again() {
    let answers = converse(&["Who led the delegations?", "are you sure?"]);
    let (first, sure) = (&answers[0], &answers[1]);
    assert_eq!(kind(sure), "sure");
    assert_eq!(ids(sure), ids(first));
    assert_eq!(sure["confidence"], first["confidence"]);
    let said = sure["answer"].as_str().unwrap();
    assert!(said.contains("confidence 1.00"), "{said}");
    for fact in first["facts"].as_array().unwrap() {
        assert!(said.contains(fact["source"]["quote"].as_str().unwrap()));
    }
}

#[test]
fn a_conversation_that_starts_with_a_follow_up_answers_no_fact() {
    let answers = converse(&["source?", "why?", "really?", "more", "and Russia?", "2"]);
    for answer in &answers[..4] {
        assert_eq!(answer["answered"], false, "{answer}");
        assert_eq!(answer["confidence"], 0.0);
        assert_eq!(answer["answer"], NO_CONTEXT);
        assert!(answer.get("follow_up").is_none(), "nothing was followed up");
    }
    // "and Russia?" with nothing before is an ordinary question, and so is "2" after an answer.
    assert_eq!(answers[4], asked("and Russia?"));
    assert_eq!(answers[5], asked("2"));
}

#[test]
fn piped_chat_echoes_each_question_before_its_answer() {
    let text = chat(&[], &["Who led the delegations?", "source?"]);
    let first = text.find("> Who led the delegations?").expect(&text);
    let second = text.find("> source?").expect(&text);
    let statement = "The talks were led by Steve Witkoff";
    let answer = text.find(statement).expect(&text);
    assert!(first < answer && answer < second, "{text}");
    assert!(text[second..].contains("paragraph"), "{text}");
}
