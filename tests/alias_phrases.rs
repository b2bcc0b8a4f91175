//! A multi-word alias never matches inside a longer phrase that means something else.
//!
//! `aliases.toml` makes "secretary of state" mean Rubio, which is right for the shipped article
//! ("US Secretary of State Marco Rubio"). The made-up Geneva follow-up (`tests/second_article/`)
//! names "Deputy Secretary of State Christopher Landau": a different person, whom the bot must
//! not read as Rubio, in the fact or in a member's question.
//!
//! This is the matcher's side of issue 11 (the analyzer decides which phrase a word belongs
//! to); the loader's side, a variant that is another group's canonical word, is refused in
//! `tests/broken_knowledge/alias-variant-is-canonical`.

mod knowledge_dirs;

use std::path::{Path, PathBuf};

use talkbot::engine::Engine;

fn with_second_article(temp: &Path) -> PathBuf {
    let dir = temp.join("knowledge");
    knowledge_dirs::copy_dir(&knowledge_dirs::shipped(), &dir);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/second_article");
    knowledge_dirs::copy_dir(&fixture.join("sources"), &dir.join("sources"));
    knowledge_dirs::copy_dir(&fixture.join("facts"), &dir.join("facts"));
    dir
}

fn answer_ids(engine: &Engine, question: &str) -> Vec<String> {
    engine
        .ask(question)
        .facts
        .into_iter()
        .map(|fact| fact.id)
        .collect()
}

/// Facts about Rubio in the shipped base: what "secretary of state" alone means.
const RUBIO_FACTS: &[&str] = &["rubio-secretary-of-state", "rubio-session-productive"];

#[test]
fn the_deputy_secretary_of_state_is_not_rubio() {
    let temp = tempfile::tempdir().unwrap();
    let engine = Engine::load(&with_second_article(temp.path())).unwrap();
    for question in [
        "Who is the deputy secretary of state?",
        "What did the deputy secretary of state do in Geneva?",
        "deputy secretary of state",
    ] {
        let ids = answer_ids(&engine, question);
        assert_eq!(
            ids.first().map(String::as_str),
            Some("landau-joined-witkoff"),
            "{question}: {ids:?}"
        );
        assert!(
            !ids.iter().any(|id| RUBIO_FACTS.contains(&id.as_str())),
            "{question:?} was read as Rubio: {ids:?}"
        );
    }
}

#[test]
fn the_secretary_of_state_is_still_rubio_and_not_landau() {
    let temp = tempfile::tempdir().unwrap();
    let engine = Engine::load(&with_second_article(temp.path())).unwrap();
    for question in [
        "Who is the secretary of state?",
        "What did the secretary of state say?",
        "What did Rubio say?",
    ] {
        let ids = answer_ids(&engine, question);
        assert!(
            ids.first()
                .is_some_and(|id| RUBIO_FACTS.contains(&id.as_str())),
            "{question}: {ids:?}"
        );
        assert!(
            !ids.contains(&"landau-joined-witkoff".to_string()),
            "{question:?} brought up Landau, whose title only contains Rubio's: {ids:?}"
        );
    }
}
