//! The catalogue of broken fact bases: each case is one mistake a moderator could make while
//! editing `knowledge/` by hand, with the exact problem the loader must report for it.
//!
//! Every case goes three ways, because a moderator meets the same mistake in three places:
//! `KnowledgeBase::load` (what everything else calls), the real binary's `talkbot check`
//! (non-zero exit, `file:line: message` on stderr) and `LiveEngine::refresh` on an engine
//! serving a valid base (what `/refresh` calls): the refresh must fail with the very same
//! problems while the old base goes on answering exactly as before.
//!
//! Most cases are committed directories under `tests/broken_knowledge/`, each a copy of
//! `valid/` with one edit, so `talkbot check --knowledge tests/broken_knowledge/<case>` shows
//! the message by hand. Cases that need bytes, sizes or links that do not belong in git (a file
//! that is not UTF-8, one over 10 MB, a symlink out of the directory) are built by [`Case::Built`]
//! from `valid/` in a temporary directory.

mod knowledge_dirs;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use talkbot::engine::LiveEngine;
use talkbot::knowledge::{KnowledgeBase, Problem, MAX_FILE_BYTES};

/// The question asked of the live engine before and after each failed refresh.
const QUESTION: &str = "Who led the talks for the US?";

/// What one problem must look like: its file and line exactly, and a part of its message.
struct Expected {
    file: &'static str,
    line: Option<usize>,
    message: &'static str,
}

fn at(file: &'static str, line: usize, message: &'static str) -> Expected {
    Expected {
        file,
        line: Some(line),
        message,
    }
}

/// A problem with a whole file or directory, where no line would help.
fn whole(file: &'static str, message: &'static str) -> Expected {
    Expected {
        file,
        line: None,
        message,
    }
}

impl Expected {
    fn matches(&self, problem: &Problem) -> bool {
        problem.file == self.file
            && problem.line == self.line
            && problem.message.contains(self.message)
    }

    /// How the problem starts on `talkbot check`'s stderr.
    fn prefix(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{}: ", self.file, line),
            None => format!("{}: ", self.file),
        }
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}…{}…", self.prefix(), self.message)
    }
}

enum Case {
    /// A committed directory under `tests/broken_knowledge/`.
    Dir(&'static str),
    /// `valid/` copied, then broken by the function, given the knowledge dir to break.
    Built(&'static str, fn(&Path)),
}

impl Case {
    fn name(&self) -> &'static str {
        match self {
            Case::Dir(name) | Case::Built(name, _) => name,
        }
    }

    /// Writes the case's knowledge directory at `dir`, which must not exist yet.
    fn materialize(&self, dir: &Path) {
        match self {
            Case::Dir(name) => knowledge_dirs::copy_dir(&catalogue().join(name), dir),
            Case::Built(_, build) => {
                knowledge_dirs::copy_dir(&catalogue().join("valid"), dir);
                build(dir);
            }
        }
    }
}

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken_knowledge")
}

/// Runs one case all three ways; returns what went wrong, empty when all is well.
fn check(case: Case, expected: &[Expected]) -> Vec<String> {
    let temp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();

    // 1. The loader.
    let dir = temp.path().join("knowledge");
    case.materialize(&dir);
    let problems = match KnowledgeBase::load(&dir) {
        Ok(_) => {
            failures.push("KnowledgeBase::load accepted it".to_string());
            Vec::new()
        }
        Err(errors) => errors.0,
    };
    let all_match = problems.len() == expected.len()
        && expected.iter().zip(&problems).all(|(e, p)| e.matches(p));
    if !all_match {
        failures.push(format!(
            "KnowledgeBase::load reported\n{}\n    but the catalogue expects\n{}",
            bullets(problems.iter()),
            bullets(expected.iter())
        ));
    }

    // 2. `talkbot check`, the real binary.
    let output = Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(["check", "--knowledge"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        failures.push(format!("`talkbot check` exited 0; stderr:\n{stderr}"));
    }
    for wanted in expected {
        let found = stderr.lines().any(|line| {
            line.trim_start().starts_with(&wanted.prefix()) && line.contains(wanted.message)
        });
        if !found {
            failures.push(format!(
                "`talkbot check` stderr lacks {wanted}; it was:\n{stderr}"
            ));
        }
    }

    // 3. A refresh of a live engine serving the valid base.
    let live_dir = temp.path().join("live");
    Case::Dir("valid").materialize(&live_dir);
    let live = LiveEngine::load(&live_dir).expect("valid/ loads");
    let before = live.current().ask(QUESTION);
    fs::remove_dir_all(&live_dir).unwrap();
    case.materialize(&live_dir);
    match live.refresh() {
        Ok(changes) => failures.push(format!("LiveEngine::refresh accepted it: {changes:?}")),
        Err(errors) if errors.0 != problems => failures.push(format!(
            "LiveEngine::refresh reported\n{}\n    where the loader reported\n{}",
            bullets(errors.0.iter()),
            bullets(problems.iter())
        )),
        Err(_) => {}
    }
    let after = live.current().ask(QUESTION);
    if !before.answered() || after != before {
        failures.push(format!(
            "after the failed refresh the old base answered {after:?}; before it, {before:?}"
        ));
    }

    failures
        .into_iter()
        .map(|failure| format!("case `{}`: {failure}", case.name()))
        .collect()
}

fn bullets<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    let lines: Vec<String> = items.map(|item| format!("      {item}")).collect();
    if lines.is_empty() {
        "      (nothing)".to_string()
    } else {
        lines.join("\n")
    }
}

/// The catalogue. Keep it in step with the directories: `every_directory_is_in_the_table`.
fn cases() -> Vec<(Case, Vec<Expected>)> {
    const FACTS: &str = "facts/talks.toml";
    const ALIASES: &str = "aliases.toml";
    const META: &str = "sources/deadlock-persists.toml";
    vec![
        (
            Case::Dir("malformed-toml"),
            vec![at(
                FACTS,
                6,
                "invalid basic string: a text value must end with a closing quote",
            )],
        ),
        (
            Case::Dir("wrong-type"),
            vec![at(
                FACTS,
                7,
                "invalid type: string \"Where were the talks held?\", expected a sequence",
            )],
        ),
        (
            Case::Dir("unknown-field"),
            vec![at(FACTS, 16, "unknown field `date`, expected one of `id`")],
        ),
        (
            Case::Dir("missing-field"),
            vec![at(FACTS, 25, "missing field `quote`")],
        ),
        (
            Case::Dir("duplicate-id"),
            // Files load in name order, so more.toml has the id first.
            vec![at(
                FACTS,
                4,
                "duplicate fact id `talks-venue` (first used at facts/more.toml:4)",
            )],
        ),
        (
            Case::Dir("bad-id"),
            vec![at(
                FACTS,
                4,
                "fact id `Talks Venue` must be lowercase letters, digits and hyphens",
            )],
        ),
        (
            Case::Dir("quote-not-verbatim"),
            vec![at(
                FACTS,
                23,
                "the quote of fact `talks-led-by-witkoff` is not verbatim in source \
                 `deadlock-persists`; closest passage (paragraph 2): \"talks were led by Steve \
                 Witkoff alongside informal adviser",
            )],
        ),
        (
            Case::Dir("quote-with-straight-apostrophe"),
            vec![at(
                FACTS,
                12,
                "(the article may use the curly apostrophe ’ where the quote has ')",
            )],
        ),
        (
            Case::Dir("quote-from-another-source"),
            vec![at(
                FACTS,
                11,
                "the quote of fact `talks-venue` is not in source `deadlock-persists` but in \
                 source `second-article` (paragraph 1); set source = \"second-article\"",
            )],
        ),
        (
            Case::Dir("unknown-source"),
            vec![at(
                FACTS,
                11,
                "fact `talks-venue` cites unknown source `deadlock-persist` (known: deadlock-persists)",
            )],
        ),
        (
            // One problem, not one more per fact citing the article: see `unloaded_ids`.
            Case::Dir("missing-source-text"),
            vec![whole(
                META,
                "the article text sources/deadlock-persists.txt is missing",
            )],
        ),
        (
            Case::Dir("missing-source-metadata"),
            vec![whole(
                "sources/deadlock-persists.txt",
                "has no metadata file beside it; create sources/deadlock-persists.toml",
            )],
        ),
        (
            Case::Dir("source-metadata-wrong-type"),
            vec![at(
                META,
                8,
                "invalid type: string \"Recommended Articles\", expected a sequence",
            )],
        ),
        (
            Case::Dir("empty-statement"),
            vec![at(
                FACTS,
                17,
                "fact `talks-led-by-witkoff` has an empty statement",
            )],
        ),
        (
            Case::Dir("empty-question"),
            vec![at(
                FACTS,
                32,
                "fact `umerov-in-ukrainian-team` has an empty question",
            )],
        ),
        (
            Case::Dir("empty-quote"),
            vec![at(
                FACTS,
                34,
                "fact `umerov-in-ukrainian-team` has an empty quote",
            )],
        ),
        (
            Case::Dir("alias-loop"),
            vec![at(
                ALIASES,
                7,
                "alias loop: negotiations → talks → meeting → negotiations",
            )],
        ),
        (
            Case::Dir("alias-two-meanings"),
            vec![at(
                ALIASES,
                9,
                "`steve` already means `witkoff` (line 5); a variant can mean only one thing",
            )],
        ),
        (
            Case::Dir("no-facts"),
            vec![whole(
                "facts",
                "holds no fact files (*.toml); the bot would know nothing",
            )],
        ),
        (
            Case::Built("not-utf8", write_latin1_fact_file),
            vec![at(
                "facts/latin1.toml",
                5,
                "is not UTF-8 text; save it as UTF-8 in your editor",
            )],
        ),
        (
            Case::Built("over-size-limit", write_huge_fact_file),
            vec![whole(
                "facts/huge.toml",
                "is 10485761 bytes, over the limit of 10485760 bytes for a knowledge file",
            )],
        ),
        #[cfg(unix)]
        (
            Case::Built("symlink-outside", link_fact_file_outside),
            vec![whole(
                "facts/shared.toml",
                "is a link to a file outside the knowledge directory; copy the file in instead",
            )],
        ),
    ]
}

/// A fact file saved as Latin-1 by an old editor: the "é" of "café" is the lone byte 0xE9.
fn write_latin1_fact_file(dir: &Path) {
    let mut bytes =
        b"# Saved as Latin-1.\n\n[[fact]]\nid = \"cafe-meeting\"\nstatement = \"They met in a caf"
            .to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b".\"\n");
    fs::write(dir.join("facts/latin1.toml"), bytes).unwrap();
}

/// One byte over the limit. Sparse, so it costs no disk; the loader must refuse it by its size
/// before reading a byte of it.
fn write_huge_fact_file(dir: &Path) {
    let file = fs::File::create(dir.join("facts/huge.toml")).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
}

/// A perfectly good fact file, but outside the knowledge directory, reached by a symlink.
#[cfg(unix)]
fn link_fact_file_outside(dir: &Path) {
    let outside = dir.parent().unwrap().join(format!(
        "outside-{}",
        dir.file_name().unwrap().to_string_lossy()
    ));
    fs::create_dir_all(&outside).unwrap();
    fs::write(
        outside.join("shared.toml"),
        "[[fact]]\nid = \"venue-state\"\ntopic = \"venue\"\nstatement = \"They met in Florida.\"\n\
         questions = [\"Which state?\"]\nsource = \"deadlock-persists\"\nquote = \"Florida\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("shared.toml"), dir.join("facts/shared.toml")).unwrap();
}

#[test]
fn catalogue_of_broken_knowledge() {
    let cases = cases();
    assert!(
        cases.len() >= 13,
        "the catalogue has only {} cases",
        cases.len()
    );
    let failures: Vec<String> = cases
        .into_iter()
        .flat_map(|(case, expected)| check(case, &expected))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failure(s) in the catalogue:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_directory_is_in_the_table() {
    let listed: Vec<&str> = cases().iter().map(|(case, _)| case.name()).collect();
    let mut missing = Vec::new();
    for entry in fs::read_dir(catalogue()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.file_type().unwrap().is_dir()
            && name != "valid"
            && !listed.contains(&name.as_str())
        {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "directories with no expected error: {missing:?}"
    );
}

/// The baseline must itself be valid, or every case would fail for the wrong reason.
#[test]
fn the_baseline_is_valid_and_answers() {
    let knowledge = KnowledgeBase::load(&catalogue().join("valid")).expect("valid/ loads");
    assert_eq!(knowledge.facts.len(), 3);
    let engine = talkbot::engine::Engine::new(knowledge);
    let answer = engine.ask(QUESTION);
    assert!(answer.answered(), "{answer:?}");
    assert_eq!(answer.facts[0].id, "talks-led-by-witkoff");
}

/// Links are not refused as such: one that stays inside the directory is followed.
#[cfg(unix)]
#[test]
fn a_symlink_inside_the_knowledge_dir_is_followed() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("knowledge");
    Case::Dir("valid").materialize(&dir);
    fs::create_dir_all(dir.join("drafts")).unwrap();
    fs::write(
        dir.join("drafts/state.toml"),
        "[[fact]]\nid = \"venue-state\"\ntopic = \"venue\"\nstatement = \"They met in Florida.\"\n\
         questions = [\"Which state did they meet in?\"]\nsource = \"deadlock-persists\"\n\
         quote = \"Hallandale, Florida\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("../drafts/state.toml", dir.join("facts/state.toml")).unwrap();
    let knowledge = KnowledgeBase::load(&dir).expect("a link inside the directory is fine");
    assert!(knowledge.fact("venue-state").is_some());
}
