//! News moves on: the shipped base plus a second, made-up article (`tests/second_article/`, a
//! Geneva follow-up published 2026-12-08) whose facts supersede the shipped venue and date.
//! What members see: the newest report first, the superseded ones as "Earlier reports", every
//! answer dated; what moderators see: contradictions warned, and `talkbot add-source` drafts
//! that pass `check` as they are and once a draft is filled in.

mod knowledge_dirs;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use talkbot::answer::render_text;
use talkbot::engine::Engine;
use talkbot::knowledge::{history, KnowledgeBase};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/second_article")
}

/// The shipped base with the second article and its facts added, in `temp`.
fn with_second_article(temp: &Path) -> PathBuf {
    let dir = temp.join("knowledge");
    knowledge_dirs::copy_dir(&knowledge_dirs::shipped(), &dir);
    knowledge_dirs::copy_dir(&fixture(), &dir);
    fs::remove_file(dir.join("README.md")).unwrap();
    dir
}

fn talkbot(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talkbot"))
        .args(args)
        .arg("--knowledge")
        .arg(dir)
        .env_remove("KNOWLEDGE_DIR")
        .output()
        .unwrap()
}

fn ask_json(dir: &Path, question: &str) -> Value {
    let output = talkbot(dir, &["ask", "--json", question]);
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ids(facts: &Value) -> Vec<String> {
    facts
        .as_array()
        .unwrap()
        .iter()
        .map(|fact| fact["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_newer_report_answers_where_the_talks_were_held_and_the_older_is_history() {
    let temp = tempfile::tempdir().unwrap();
    let dir = with_second_article(temp.path());
    let answer = ask_json(&dir, "Where were the talks held?");
    assert_eq!(ids(&answer["facts"])[0], "geneva-venue", "{answer}");
    assert!(
        !ids(&answer["facts"]).contains(&"venue-hallandale-florida".to_string()),
        "a superseded fact is never given as the answer: {answer}"
    );
    assert!(
        ids(&answer["earlier"]).contains(&"venue-hallandale-florida".to_string()),
        "{answer}"
    );
    assert_eq!(answer["facts"][0]["source"]["published"], "2026-12-08");
    assert_eq!(answer["earlier"][0]["source"]["published"], "unknown");
}

#[test]
fn now_last_and_latest_mean_the_newest_report() {
    let temp = tempfile::tempdir().unwrap();
    let dir = with_second_article(temp.path());
    for (question, newest) in [
        ("Where are they meeting now?", "geneva-venue"),
        ("where are the talks now", "geneva-venue"),
        ("When did they last meet?", "geneva-date"),
        ("When was the latest meeting?", "geneva-date"),
        ("when did they meet", "geneva-date"),
    ] {
        let answer = ask_json(&dir, question);
        assert_eq!(
            ids(&answer["facts"]).first().map(String::as_str),
            Some(newest),
            "{question}: {answer}"
        );
    }
}

#[test]
fn every_answer_says_when_it_was_reported_once_per_source_and_lists_earlier_reports() {
    let temp = tempfile::tempdir().unwrap();
    let engine = Engine::load(&with_second_article(temp.path())).unwrap();
    let text = render_text(&engine.ask("When did they last meet?"));
    assert_eq!(
        text.matches("As reported on 8 Dec 2026 by “Talks Move to Geneva as Envoys Narrow Gaps on Guarantees”.")
            .count(),
        1,
        "{text}"
    );
    assert!(
        text.contains(
            "Earlier reports: The meeting in Hallandale, Florida took place on November 30th \
             (the article does not give the year), as reported by “Deadlock Persists: \
             US-Ukraine Talks Stall Over Security Guarantees”, date not given"
        ),
        "{text}"
    );
    // The shipped base alone: no date, said so.
    let shipped = Engine::load(&knowledge_dirs::shipped()).unwrap();
    let text = render_text(&shipped.ask("Who led the talks for the US?"));
    assert!(
        text.contains("As reported by “Deadlock Persists: US-Ukraine Talks Stall Over Security Guarantees”, date not given."),
        "{text}"
    );
    assert!(!text.contains("Earlier reports"), "{text}");
}

#[test]
fn history_is_newest_first_along_a_chain_of_reports() {
    let temp = tempfile::tempdir().unwrap();
    let dir = with_second_article(temp.path());
    // A third report, superseding the Geneva venue in turn, from a later article.
    fs::write(
        dir.join("sources/geneva-round-two.txt"),
        "Envoys Return to Geneva\n\nGENEVA — The envoys met in Geneva for a third round.\n",
    )
    .unwrap();
    fs::write(
        dir.join("sources/geneva-round-two.toml"),
        "title = \"Envoys Return to Geneva\"\ndateline = \"GENEVA\"\nevent_date = \"December 14, 2026\"\n\
         published = \"2026-12-15\"\npublisher = \"unknown\"\nurl = \"unknown\"\nbyline = \"unknown\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("facts/third.toml"),
        "[[fact]]\nid = \"third-round-venue\"\ntopic = \"venue\"\n\
         statement = \"The envoys met in Geneva for a third round.\"\n\
         questions = [\"Where was the third round?\"]\nsource = \"geneva-round-two\"\n\
         quote = \"The envoys met in Geneva for a third round.\"\nsupersedes = \"geneva-venue\"\n",
    )
    .unwrap();
    let knowledge = KnowledgeBase::load(&dir).unwrap();
    let position = |id: &str| knowledge.facts.iter().position(|f| f.id == id).unwrap();
    let hallandale = position("venue-hallandale-florida");
    assert_eq!(
        history::newest(&knowledge, hallandale),
        position("third-round-venue")
    );
    let earlier: Vec<&str> = history::earlier(&knowledge, position("third-round-venue"))
        .into_iter()
        .map(|i| knowledge.facts[i].id.as_str())
        .collect();
    assert_eq!(earlier, ["geneva-venue", "venue-hallandale-florida"]);
}

#[test]
fn two_sources_answering_the_same_slot_without_supersedes_are_warned_naming_both() {
    let temp = tempfile::tempdir().unwrap();
    let dir = with_second_article(temp.path());
    let facts = dir.join("facts/geneva.toml");
    let text = fs::read_to_string(&facts).unwrap();
    fs::write(
        &facts,
        text.replace("supersedes = \"venue-hallandale-florida\"\n", ""),
    )
    .unwrap();
    let output = talkbot(&dir, &["check"]);
    assert!(
        output.status.success(),
        "a contradiction is a warning, not an error"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    // The older fact is named by the line of its id, wherever moderators' edits have put it.
    let talks = fs::read_to_string(dir.join("facts/talks.toml")).unwrap();
    let line = 1 + talks
        .lines()
        .position(|l| l == "id = \"venue-hallandale-florida\"")
        .expect("the shipped base has the Hallandale venue fact");
    let expected = format!(
        "facts/geneva.toml:4: warning: fact `geneva-venue` (source `geneva-round`) \
         and fact `venue-hallandale-florida` at facts/talks.toml:{line} (source \
         `deadlock-persists`) both answer the place of topic `venue`, and neither \
         supersedes the other; if the newer report replaces the older, add supersedes \
         = \"venue-hallandale-florida\" to fact `geneva-venue`; if both stand, give \
         one a different slot = \"…\" (see \"Contradictions\" in knowledge/README.md)"
    );
    assert!(
        stdout.lines().any(|line| line == expected),
        "no line\n{expected}\nin\n{stdout}"
    );
    // With the supersedes in place (the fixture as committed), no contradiction is warned.
    let clean = with_second_article(&temp.path().join("clean"));
    let stdout = String::from_utf8(talkbot(&clean, &["check"]).stdout).unwrap();
    assert!(!stdout.contains("neither supersedes"), "{stdout}");
}

#[test]
fn add_source_drafts_pass_check_at_once_and_a_filled_in_draft_loads() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("knowledge");
    knowledge_dirs::copy_dir(&knowledge_dirs::shipped(), &dir);
    let article = temp.path().join("Geneva Round.txt");
    fs::copy(fixture().join("sources/geneva-round.txt"), &article).unwrap();
    let output = talkbot(
        &dir,
        &[
            "add-source",
            article.to_str().unwrap(),
            "--published",
            "2026-12-08",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(
        stdout.contains("added sources/geneva-round.txt, sources/geneva-round.toml and facts/geneva-round.toml (4 draft facts, all commented out)"),
        "{stdout}"
    );
    // The text is copied byte for byte; quotes are checked against it.
    assert_eq!(
        fs::read(dir.join("sources/geneva-round.txt")).unwrap(),
        fs::read(&article).unwrap()
    );
    let meta = fs::read_to_string(dir.join("sources/geneva-round.toml")).unwrap();
    for line in [
        "title = \"Talks Move to Geneva as Envoys Narrow Gaps on Guarantees\"",
        "dateline = \"GENEVA\"",
        "event_date = \"December 7\"",
        "published = \"2026-12-08\"",
        "furniture = [\"Share this article\"]",
    ] {
        assert!(meta.lines().any(|l| l == line), "no {line:?} in\n{meta}");
    }
    assert!(meta.contains("# REVIEW: guessed by add-source."), "{meta}");
    // The aliases that read the new article's names differently are pointed out.
    assert!(
        stdout.contains("review aliases.toml: paragraph 2 has \"deputy secretary of state\""),
        "{stdout}"
    );
    assert!(
        !stdout.contains("joined steve witkoff"),
        "\"joined Steve Witkoff\" is the alias's own person, not a longer name: {stdout}"
    );
    assert!(
        stdout.contains("names this article uses that no other article or alias has: geneva, christopher, landau"),
        "{stdout}"
    );

    let check = talkbot(&dir, &["check"]);
    assert!(
        check.status.success(),
        "check right after add-source: {check:?}"
    );

    // A moderator fills in one draft: uncomment it, write the statement and questions.
    let facts_path = dir.join("facts/geneva-round.toml");
    let drafts = fs::read_to_string(&facts_path).unwrap();
    let start = drafts
        .find("# [[fact]]\n# id = \"geneva-round-p2-s1\"")
        .expect("draft p2 s1");
    let end = start + drafts[start..].find("# supersedes").unwrap();
    let draft: String = drafts[start..end]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("topic = \"\"", "topic = \"delegations\"")
        .replace(
            "statement = \"\"",
            "statement = \"Christopher Landau joined Steve Witkoff in Geneva.\"",
        )
        .replace("  \"\",", "  \"Who joined Witkoff in Geneva?\",");
    fs::write(&facts_path, format!("{drafts}\n{draft}\n")).unwrap();
    let knowledge = KnowledgeBase::load(&dir).expect("the filled-in draft loads");
    let fact = knowledge.fact("geneva-round-p2-s1").unwrap();
    assert_eq!(fact.paragraph, 2);
    assert_eq!(
        fact.quote,
        "Deputy Secretary of State Christopher Landau joined Steve Witkoff for the Geneva session, while Rustem Umerov again headed the Ukrainian team."
    );
}

#[test]
fn add_source_refuses_to_overwrite_an_article() {
    let temp = tempfile::tempdir().unwrap();
    let dir = with_second_article(temp.path());
    let output = talkbot(
        &dir,
        &[
            "add-source",
            fixture().join("sources/geneva-round.txt").to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("geneva-round.txt already exists; pick another id with --id"),
        "{stderr}"
    );
}

#[test]
fn a_fact_may_supersede_several_older_facts_with_a_list() {
    let temp = tempfile::tempdir().unwrap();
    let dir = with_second_article(temp.path());
    fs::write(
        dir.join("facts/geneva.toml"),
        "[[fact]]\nid = \"geneva-venue-and-date\"\ntopic = \"venue\"\n\
         statement = \"The negotiators met again in Geneva on December 7.\"\n\
         questions = [\"Where and when did they meet again?\"]\nsource = \"geneva-round\"\n\
         quote = \"met again in Geneva on December 7\"\n\
         supersedes = [\"venue-hallandale-florida\", \"meeting-date-november-30\"]\n",
    )
    .unwrap();
    let engine = Engine::load(&dir).unwrap();
    let knowledge = engine.knowledge();
    for old in ["venue-hallandale-florida", "meeting-date-november-30"] {
        let position = knowledge.facts.iter().position(|f| f.id == old).unwrap();
        assert!(history::is_superseded(&knowledge.facts[position]), "{old}");
    }
    let answer = engine.ask("When did they meet?");
    assert_eq!(answer.facts[0].id, "geneva-venue-and-date", "{answer:?}");
    let earlier: Vec<&str> = answer.earlier.iter().map(|f| f.id.as_str()).collect();
    assert!(earlier.contains(&"meeting-date-november-30"), "{earlier:?}");
}
