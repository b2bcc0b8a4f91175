//! The command line's contract, checked on the real binary: `ask --json` prints one object with
//! the documented fields and types, a refusal is not an error, bad arguments are, `check` passes
//! on the shipped base, and `chat` answers every line piped to it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use talkbot::answer::render_text;
use talkbot::engine::Engine;

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// `talkbot ARGS --knowledge <shipped>`, with no `KNOWLEDGE_DIR` from the caller's shell.
fn talkbot(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_talkbot"));
    command
        .args(args)
        .arg("--knowledge")
        .arg(shipped())
        .env_remove("KNOWLEDGE_DIR");
    command
}

fn run(args: &[&str]) -> Output {
    talkbot(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

/// `ask --json QUESTION`, checked to print exactly one JSON object and exit 0.
fn ask_json(question: &str) -> Value {
    let output = run(&["ask", "--json", question]);
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        stderr(&output)
    );
    let text = stdout(&output);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not one JSON object ({e}): {text}"))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    String,
    Bool,
    Number,
    Array,
    Object,
}

fn kind(value: &Value) -> Option<Kind> {
    match value {
        Value::String(_) => Some(Kind::String),
        Value::Bool(_) => Some(Kind::Bool),
        Value::Number(_) => Some(Kind::Number),
        Value::Array(_) => Some(Kind::Array),
        Value::Object(_) => Some(Kind::Object),
        Value::Null => None,
    }
}

/// `object` has exactly the `documented` fields with their kinds, plus at most the `extra` ones
/// (the contract allows fields after the documented ones; these are the ones we know of, so a
/// renamed or misspelled field still fails).
fn check_object(what: &str, object: &Value, documented: &[(&str, Kind)], extra: &[&str]) {
    let Value::Object(map) = object else {
        panic!("{what} is not an object: {object}");
    };
    for (field, expected) in documented {
        let value = map
            .get(*field)
            .unwrap_or_else(|| panic!("{what} lacks `{field}`: {object}"));
        assert_eq!(kind(value), Some(*expected), "{what}.{field} in {object}");
    }
    for field in map.keys() {
        let known =
            documented.iter().any(|(name, _)| name == field) || extra.contains(&field.as_str());
        assert!(
            known,
            "{what} has an undocumented field `{field}`: {object}"
        );
    }
}

fn check_answer_json(answer: &Value) {
    check_object(
        "answer",
        answer,
        &[
            ("question", Kind::String),
            ("answered", Kind::Bool),
            ("confidence", Kind::Number),
            ("answer", Kind::String),
            ("facts", Kind::Array),
            ("earlier", Kind::Array),
            ("suggestions", Kind::Array),
        ],
        &[],
    );
    let confidence = answer["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence), "confidence {confidence}");
    let engine = Engine::load(&shipped()).unwrap();
    let earlier = answer["earlier"].as_array().unwrap();
    let facts = answer["facts"].as_array().unwrap();
    assert!(
        !facts.is_empty() || earlier.is_empty(),
        "a refusal has no earlier reports: {answer}"
    );
    // `earlier` has the same shape as `facts`.
    for fact in facts.iter().chain(earlier) {
        check_object(
            "fact",
            fact,
            &[
                ("id", Kind::String),
                ("statement", Kind::String),
                ("source", Kind::Object),
            ],
            &["topic"],
        );
        let source = &fact["source"];
        check_object(
            "source",
            source,
            &[
                ("id", Kind::String),
                ("title", Kind::String),
                ("paragraph", Kind::Number),
                ("quote", Kind::String),
                ("published", Kind::String),
            ],
            &["dateline", "event_date"],
        );
        let published = source["published"].as_str().unwrap();
        assert!(
            published == "unknown" || talkbot::knowledge::Date::parse_iso(published).is_some(),
            "published is YYYY-MM-DD or unknown: {fact}"
        );
        let paragraph = source["paragraph"]
            .as_u64()
            .expect("paragraph is a whole number") as usize;
        let article = &engine.knowledge().sources[source["id"].as_str().unwrap()];
        assert!(
            article.paragraphs[paragraph].contains(source["quote"].as_str().unwrap()),
            "quote not verbatim in paragraph {paragraph}: {fact}"
        );
    }
    // Each suggestion names the fact it asks about, so a reader needs no second lookup.
    let suggestions = answer["suggestions"].as_array().unwrap();
    assert!(suggestions.len() <= 3, "{answer}");
    for suggestion in suggestions {
        check_object(
            "suggestion",
            suggestion,
            &[("fact_id", Kind::String), ("question", Kind::String)],
            &[],
        );
        let fact = engine
            .knowledge()
            .fact(suggestion["fact_id"].as_str().unwrap())
            .unwrap_or_else(|| panic!("a suggestion names an unknown fact: {suggestion}"));
        assert_eq!(suggestion["question"], &fact.questions[0], "{suggestion}");
    }
}

#[test]
fn ask_json_answer_has_exactly_the_documented_fields() {
    let answer = ask_json("Who led the talks for the US?");
    check_answer_json(&answer);
    assert_eq!(answer["question"], "Who led the talks for the US?");
    assert_eq!(answer["answered"], true, "{answer}");
    assert!(!answer["facts"].as_array().unwrap().is_empty());
    assert!(
        answer["answer"].as_str().unwrap().contains("Witkoff"),
        "{answer}"
    );
}

#[test]
fn ask_json_refusal_has_no_facts_and_exits_zero() {
    for question in [
        "What did Putin say?",
        "What is the capital of Peru?",
        "🙂",
        "",
    ] {
        let answer = ask_json(question);
        check_answer_json(&answer);
        assert_eq!(answer["answered"], false, "{question:?}: {answer}");
        assert_eq!(answer["facts"], Value::Array(Vec::new()), "{question:?}");
        assert!(!answer["answer"].as_str().unwrap().is_empty());
    }
}

#[test]
fn ask_prints_the_answer_with_its_quote() {
    let output = run(&["ask", "Who led the talks for the US?"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Witkoff") && text.contains("> \""), "{text}");
}

#[test]
fn ask_explain_shows_how_the_question_was_read_even_when_nothing_was() {
    let output = run(&["ask", "--explain", "who led the talks"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("read as: who ") && text.contains("talk "),
        "{text}"
    );
    assert!(text.contains("talks-led-by-witkoff"), "{text}");
    for question in ["", "🙂🙂", "so did it go or nah"] {
        let output = run(&["ask", "--explain", question]);
        assert!(output.status.success(), "{question:?}: {}", stderr(&output));
        let text = stdout(&output);
        assert!(
            text.contains("read as: no word the matcher weighs"),
            "{question:?}: {text}"
        );
        assert!(text.contains("closest facts: none"), "{question:?}: {text}");
    }
    let long = "why ".repeat(2_000);
    let output = run(&["ask", "--explain", &long]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn bad_arguments_exit_non_zero_with_a_message_on_stderr() {
    let missing_dir = std::env::temp_dir().join("talkbot-no-such-knowledge-dir");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![], "Usage"),
        (vec!["ask"], "QUESTION"),
        (vec!["ask", "--jsn", "who?"], "--jsn"),
        (vec!["frobnicate"], "frobnicate"),
        (vec!["check", "extra"], "extra"),
    ];
    for (args, expected) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_talkbot"))
            .args(&args)
            .env_remove("KNOWLEDGE_DIR")
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?} exited 0");
        assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    for command in ["ask", "chat", "check"] {
        let mut args = vec![command];
        if command == "ask" {
            args.push("who?");
        }
        let output = Command::new(env!("CARGO_BIN_EXE_talkbot"))
            .args(&args)
            .arg("--knowledge")
            .arg(&missing_dir)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            !output.status.success(),
            "{command} on a missing dir exited 0"
        );
        assert!(
            stderr(&output).contains("cannot open the knowledge directory"),
            "{command}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn check_on_the_shipped_base_exits_zero_with_a_summary() {
    let output = run(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stdout(&output);
    assert!(summary.starts_with("knowledge OK: "), "{summary}");
    let base = talkbot::knowledge::KnowledgeBase::load(&shipped_knowledge_dir()).unwrap();
    let counted =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    for expected in [
        counted(base.facts.len(), "fact", "facts"),
        counted(base.sources.len(), "source", "sources"),
        counted(base.aliases.len(), "alias", "aliases"),
        counted(base.topics().len(), "topic", "topics"),
    ] {
        assert!(
            summary.contains(&expected),
            "summary lacks {expected:?}: {summary}"
        );
    }
}

#[test]
fn chat_answers_each_piped_line() {
    let questions = [
        "Who led the talks for the US?",
        "What did Putin say?",
        "Where were the talks held?",
    ];
    let mut child = talkbot(&["chat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        // A blank line and a line that is not UTF-8 are passed over, not the end of the session.
        stdin.write_all(questions[0].as_bytes()).unwrap();
        stdin.write_all(b"\n\n\xff\xfe not text\n").unwrap();
        for question in &questions[1..] {
            writeln!(stdin, "{question}").unwrap();
        }
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let engine = Engine::load(&shipped()).unwrap();
    let mut from = 0;
    for question in questions {
        let expected = render_text(&engine.ask(question));
        let found = text[from..]
            .find(&expected)
            .unwrap_or_else(|| panic!("no answer to {question:?} (in order) in:\n{text}"));
        from += found + expected.len();
    }
}

fn shipped_knowledge_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// `talkbot` run in `cwd`, with neither KNOWLEDGE_DIR nor DATA_DIR from the caller's shell.
fn talkbot_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(args)
        .current_dir(cwd)
        .env_remove("KNOWLEDGE_DIR")
        .env_remove("DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn check_ask_and_report_read_dotenv_as_serve_does() {
    let temp = tempfile::tempdir().unwrap();
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken_knowledge/missing-comma");
    let nowhere = temp.path().join("no-data-here");
    std::fs::write(
        temp.path().join(".env"),
        format!(
            "KNOWLEDGE_DIR={}\nDATA_DIR={}\n",
            broken.display(),
            nowhere.display()
        ),
    )
    .unwrap();

    let check = talkbot_in(temp.path(), &["check"]);
    assert!(!check.status.success(), "check ignored .env: {check:?}");
    let err = stderr(&check);
    assert!(err.contains("add a comma at the end of line 19"), "{err}");
    assert!(
        err.contains(&format!(
            "checked {}",
            broken.canonicalize().unwrap().display()
        )),
        "check names the directory it checked: {err}"
    );

    let ask = talkbot_in(temp.path(), &["ask", "Who led the talks?"]);
    assert!(!ask.status.success(), "ask ignored .env: {ask:?}");

    let report = talkbot_in(temp.path(), &["report"]);
    assert!(
        stderr(&report).contains(&format!("no curation database in {}", nowhere.display())),
        "report ignored DATA_DIR from .env: {}",
        stderr(&report)
    );

    // The flag still wins over `.env`.
    let check = talkbot_in(
        temp.path(),
        &["check", "--knowledge", shipped().to_str().unwrap()],
    );
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn check_names_the_directory_it_checked_on_its_last_line() {
    let output = run(&["check"]);
    let text = stdout(&output);
    assert_eq!(
        text.lines().last(),
        Some(format!("checked {}", shipped().canonicalize().unwrap().display()).as_str()),
        "{text}"
    );
}

#[test]
fn add_source_refuses_a_published_date_it_cannot_read_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("knowledge");
    std::fs::create_dir_all(&dir).unwrap();
    let article = temp.path().join("article.txt");
    std::fs::write(&article, "A Title\n\nGENEVA — Something happened.\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(["add-source"])
        .arg(&article)
        .args(["--published", "8 Dec 2026", "--knowledge"])
        .arg(&dir)
        .env_remove("KNOWLEDGE_DIR")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--published 8 Dec 2026 is not a date written YYYY-MM-DD"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("sources").exists(), "nothing written");
}

#[test]
fn a_reader_that_stops_early_ends_ask_quietly() {
    // `talkbot ask … | head -1`: the pipe closes before the answer is written.
    let mut child = talkbot(&["ask", "--explain", "Who led the talks?"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = stderr(&output);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "a closed pipe is no error to report: {stderr}"
    );
}
