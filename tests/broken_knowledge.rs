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
                 `deadlock-persists`; closest passage (paragraph 2): \"These talks were led by \
                 Steve Witkoff alongside informal adviser Jared Kushner\"; the quote has \"The\" \
                 where the article has \"These\"; the quote has \"and\" where the article has \
                 \"alongside\"",
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
            // At the line that closes the loop, the last of its links in the file.
            vec![at(
                ALIASES,
                9,
                "alias loop: negotiations → talks → meeting → negotiations; each word would be \
                 rewritten into the next for ever: remove `meeting` from this line, or put the \
                 groups together on one line",
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
            // toml says "invalid array expected `]`" on the line after; the comma is missing here.
            Case::Dir("missing-comma"),
            vec![at(
                FACTS,
                19,
                "add a comma at the end of line 19: items in a list [ … ] are separated by commas",
            )],
        ),
        (
            // toml says "invalid table header duplicate key `fact` in document root".
            Case::Dir("single-bracket-fact"),
            vec![at(
                FACTS,
                14,
                "write [[fact]], with two brackets on each side: every fact starts with [[fact]]",
            )],
        ),
        (
            // The hint is whole words, and names the word that differs.
            Case::Dir("quote-with-extra-comma"),
            vec![at(
                FACTS,
                23,
                "the quote of fact `talks-led-by-witkoff` is not verbatim in source \
                 `deadlock-persists`; closest passage (paragraph 2): \"These talks were led by \
                 Steve Witkoff alongside informal adviser Jared Kushner\"; the quote has \
                 \"Witkoff,\" where the article has \"Witkoff\"",
            )],
        ),
        (
            Case::Dir("quote-of-furniture"),
            vec![at(
                FACTS,
                12,
                "the quote of fact `talks-venue` is from the line \"Recommended Articles\", which \
                 the metadata of `deadlock-persists` lists as page furniture, not article text; \
                 quote the article's own words",
            )],
        ),
        (
            // florida = ["fla.", "talks"] would make every word meaning "talks" mean Florida.
            Case::Dir("alias-variant-is-canonical"),
            vec![at(
                ALIASES,
                6,
                "`talks` is the canonical word of its own group (line 9); as a variant of \
                 `florida` it would make every word of that group mean `florida` too: remove \
                 `talks` here, or put the two groups together on one line",
            )],
        ),
        (
            // A loop through a group of 18 variants: one message, not one per variant.
            Case::Dir("alias-loop-big-group"),
            vec![at(
                ALIASES,
                9,
                "alias loop: summit → talks → summit; each word would be rewritten into the next \
                 for ever: remove `talks` from this line, or put the groups together on one line",
            )],
        ),
        (
            Case::Dir("topic-not-declared"),
            vec![at(
                FACTS,
                5,
                "topic `venues` is not in topics.toml; did you mean `venue`? (a new topic must \
                 be added to topics.toml first)",
            )],
        ),
        (
            Case::Dir("published-not-a-date"),
            vec![at(
                META,
                8,
                "published = \"8 Dec 2026\" is not a date written YYYY-MM-DD; write it like \
                 published = \"2026-12-08\", or published = \"unknown\" if the article does \
                 not say",
            )],
        ),
        (
            Case::Dir("event-date-misspelt"),
            vec![at(
                META,
                4,
                "event_date = \"Novmber 30\" is not a date I can read; write the month and day \
                 as the article does, with the year if it gives one, like event_date = \
                 \"December 7\" or \"December 7, 2026\", or \"unknown\"",
            )],
        ),
        (
            Case::Dir("event-after-publication"),
            vec![at(
                META,
                4,
                "event_date 2026-11-30 is after the article was published (2026-11-20); an \
                 article reports events before it appears: check both dates",
            )],
        ),
        (
            Case::Dir("supersedes-unknown-fact"),
            vec![at(
                FACTS,
                24,
                "fact `talks-led-by-witkoff` supersedes `talks-venu`, but there is no fact with \
                 that id; did you mean `talks-venue`?",
            )],
        ),
        (
            // At the supersedes written last, the one that closed the loop.
            Case::Dir("supersedes-loop"),
            vec![at(
                FACTS,
                36,
                "supersedes loop: umerov-in-ukrainian-team supersedes talks-venue supersedes \
                 umerov-in-ukrainian-team; a fact cannot be both newer and older than another: \
                 keep supersedes only on the newer report",
            )],
        ),
        (
            Case::Dir("supersedes-newer-source"),
            vec![at(
                FACTS,
                13,
                "fact `talks-venue` (source `deadlock-persists`, published 2026-12-01) supersedes \
                 fact `geneva-venue` from a newer source (`geneva`, published 2026-12-08); a newer \
                 report supersedes an older one: move the supersedes to fact `geneva-venue`, or \
                 check the published dates",
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

/// Bases that load, but that a moderator should look at: `talkbot check` exits 0 and prints
/// each of these lines exactly (`valid/` itself warns that its facts have 2 questions each;
/// those lines are not repeated here).
fn warned_cases() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "warn-title-mismatch",
            vec![
                "sources/deadlock-persists.toml:2: warning: title \"Deadlock Persists: Talks \
                 Stall\" is not the first line of sources/deadlock-persists.txt, \"Deadlock \
                 Persists: US-Ukraine Talks Stall Over Security Guarantees\"; copy that line \
                 here (members see this title in every citation)",
            ],
        ),
        (
            "warn-topic-typo",
            vec![
                "facts/talks.toml:27: warning: topic `delegatons` of fact \
                 `umerov-in-ukrainian-team` is used by no other fact; did you mean \
                 `delegations`? (declare the topics in topics.toml to make this an error)",
            ],
        ),
        (
            "warn-too-few-questions",
            vec![
                "facts/talks.toml:7: warning: fact `talks-venue` has 2 questions; add more, to \
                 6–12 different ways a member might ask (see \"questions\" in \
                 knowledge/README.md)",
            ],
        ),
        (
            "warn-question-elsewhere",
            vec![
                "facts/talks.toml:32: warning: the question \"Who led the talks?\" of fact \
                 `umerov-in-ukrainian-team` is answered with fact `talks-led-by-witkoff` first; \
                 reword it, or see why with: talkbot ask --explain \"Who led the talks?\"",
            ],
        ),
        (
            "warn-contradiction",
            vec![
                "facts/geneva.toml:4: warning: fact `geneva-venue` (source `geneva`) and fact \
                 `talks-venue` at facts/talks.toml:4 (source `deadlock-persists`) both answer \
                 the place of topic `venue`, and neither supersedes the other; if the newer \
                 report replaces the older, add supersedes = \"talks-venue\" to fact \
                 `geneva-venue`; if both stand, give one a different slot = \"…\" (see \
                 \"Contradictions\" in knowledge/README.md)",
            ],
        ),
    ]
}

#[test]
fn warnings_are_shown_with_exit_zero_in_file_and_line_order() {
    let mut failures = Vec::new();
    for (name, expected) in warned_cases() {
        // `warn-too-few-questions` is `valid/` itself.
        let dir = match name {
            "warn-too-few-questions" => catalogue().join("valid"),
            _ => catalogue().join(name),
        };
        if let Err(errors) = KnowledgeBase::load(&dir) {
            failures.push(format!("{name}: does not load: {errors}"));
            continue;
        }
        let run = || {
            Command::new(env!("CARGO_BIN_EXE_talkbot"))
                .args(["check", "--knowledge"])
                .arg(&dir)
                .env_remove("KNOWLEDGE_DIR")
                .output()
                .unwrap()
        };
        let output = run();
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        if !output.status.success() {
            failures.push(format!("{name}: check exited {:?}", output.status));
        }
        for line in &expected {
            if !stdout.lines().any(|l| l == *line) {
                failures.push(format!("{name}: no line\n  {line}\nin\n{stdout}"));
            }
        }
        let shown = std::fs::canonicalize(&dir).unwrap();
        if stdout.lines().last() != Some(format!("checked {}", shown.display()).as_str()) {
            failures.push(format!(
                "{name}: the last line does not name {}",
                shown.display()
            ));
        }
        // Sorted by file, then line, and the same on every run.
        let positions: Vec<(String, usize)> = stdout
            .lines()
            .filter(|l| l.contains(": warning: "))
            .map(|l| {
                let mut parts = l.splitn(3, ':');
                let file = parts.next().unwrap().to_string();
                (file, parts.next().unwrap().parse().unwrap())
            })
            .collect();
        let mut sorted = positions.clone();
        sorted.sort();
        if positions != sorted {
            failures.push(format!("{name}: warnings out of order:\n{stdout}"));
        }
        if String::from_utf8_lossy(&run().stdout) != stdout {
            failures.push(format!("{name}: a second run printed something else"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_directory_is_in_the_table() {
    let warned: Vec<&str> = warned_cases().iter().map(|(name, _)| *name).collect();
    let listed: Vec<&str> = cases()
        .iter()
        .map(|(case, _)| case.name())
        .chain(warned)
        .collect();
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
