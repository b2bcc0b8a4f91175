//! A refresh reads and analyses again only the files that changed (`LiveEngine`'s memo), and
//! the engine it builds answers exactly as one built cold from the same directory: same base,
//! same answers, same scores, same load errors.

mod knowledge_dirs;

use std::fs;
use std::path::Path;

use talkbot::engine::{Engine, LiveEngine};
use talkbot::knowledge::KnowledgeBase;
use talkbot::synthetic::{self, Options};

/// Questions from every eval set, and each fact's first question of a synthetic base.
fn questions(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/questions.jsonl");
    for line in fs::read_to_string(eval).unwrap().lines() {
        if let Ok(case) = serde_json::from_str::<serde_json::Value>(line) {
            out.push(case["q"].as_str().unwrap().to_string());
        }
    }
    let knowledge = KnowledgeBase::load(dir).unwrap();
    for fact in knowledge.facts.iter().step_by(7).take(150) {
        out.extend(fact.questions.iter().take(2).map(str::to_string));
        out.push(format!("{} and who else", &fact.questions[0]));
    }
    out.push("what did erdogan say about grain".to_string());
    out.push("tl;dr".to_string());
    out
}

/// The live engine's current engine and a cold one from the same directory agree on the base
/// and on every answer, closest facts and completion.
fn assert_same_as_cold(live: &LiveEngine, dir: &Path, questions: &[String]) {
    let cold = Engine::load(dir).unwrap_or_else(|e| panic!("{e}"));
    let warm = live.current();
    assert!(
        warm.knowledge() == cold.knowledge(),
        "the refreshed base differs from a cold load"
    );
    for question in questions {
        let (a, b) = (warm.ask(question), cold.ask(question));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap(),
            "answer to {question:?}"
        );
        assert_eq!(
            warm.explain(question, 8),
            cold.explain(question, 8),
            "closest facts to {question:?}"
        );
    }
    assert_eq!(
        warm.complete("who led th", 10),
        cold.complete("who led th", 10)
    );
}

fn synthetic_base(root: &Path, facts: usize) -> std::path::PathBuf {
    let dir = root.join("knowledge");
    synthetic::write(
        &dir,
        &Options {
            facts,
            seed: synthetic::DEFAULT_SEED,
        },
    )
    .unwrap();
    dir
}

#[test]
fn a_teach_reads_one_file_and_answers_as_a_cold_build() {
    let temp = tempfile::tempdir().unwrap();
    let dir = synthetic_base(temp.path(), 1_000);
    let questions = questions(&dir);
    let live = LiveEngine::load(&dir).unwrap();
    let files = live.last_load().0;
    assert!(files > 20, "the first load reads every file: {files}");
    assert_same_as_cold(&live, &dir, &questions);

    let fact = live.current().knowledge().facts[567].clone();
    let taught = live
        .teach(&fact.id, "who was the person in charge over there")
        .unwrap();
    assert_eq!(taught.reload.unwrap().changed, vec![fact.id.clone()]);
    assert_eq!(
        live.last_load(),
        (1, files - 1),
        "only the taught file is read"
    );
    assert_same_as_cold(&live, &dir, &questions);

    // Nothing changed: nothing is read.
    assert!(live.refresh().unwrap().is_empty());
    assert_eq!(live.last_load(), (0, files));
}

#[test]
fn edits_to_sources_aliases_and_facts_are_all_seen() {
    let temp = tempfile::tempdir().unwrap();
    let dir = synthetic_base(temp.path(), 600);
    let questions = questions(&dir);
    let live = LiveEngine::load(&dir).unwrap();

    // A new alias changes how every fact is analysed.
    let aliases = dir.join("aliases.toml");
    let text = fs::read_to_string(&aliases).unwrap();
    fs::write(
        &aliases,
        text.replace("[synonyms]\n", "[synonyms]\nceasefire = [\"truce\"]\n"),
    )
    .unwrap();
    live.refresh().unwrap();
    assert_same_as_cold(&live, &dir, &questions);
    assert!(live.current().ask("when was the truce agreed").confidence > 0.0);

    // A fact file edited by hand: a question added, another fact's statement reworded.
    let first = dir.join("facts").join(
        fs::read_dir(dir.join("facts"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .min()
            .unwrap(),
    );
    let text = fs::read_to_string(&first).unwrap();
    let edited = text
        .replacen(
            "questions = [\n",
            "questions = [\n  \"what about the lake house\",\n",
            1,
        )
        .replacen("led the", "headed the", 1);
    assert_ne!(text, edited);
    fs::write(&first, edited).unwrap();
    let changes = live.refresh().unwrap();
    assert!(!changes.changed.is_empty(), "{changes:?}");
    assert_same_as_cold(&live, &dir, &questions);

    // A source's metadata edited: every fact file is checked against it again.
    let meta = fs::read_dir(dir.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .min()
        .unwrap();
    let text = fs::read_to_string(&meta).unwrap();
    fs::write(&meta, text.replacen("byline = \"", "byline = \"Staff, ", 1)).unwrap();
    live.refresh().unwrap();
    assert_same_as_cold(&live, &dir, &questions);
}

#[test]
fn a_change_in_one_file_that_breaks_another_is_refused_as_a_cold_load_refuses_it() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("knowledge");
    knowledge_dirs::copy_dir(&knowledge_dirs::shipped(), &dir);
    let live = LiveEngine::load(&dir).unwrap();
    let before = live.current();
    let knowledge = before.knowledge();
    // A new file reusing an id from another file, and superseding a fact that is not there.
    let taken = &knowledge.facts[0];
    let extra = format!(
        "[[fact]]\nid = \"{}\"\ntopic = \"{}\"\nstatement = \"Again.\"\nquestions = [\"again?\"]\n\
         source = \"{}\"\nquote = {:?}\nsupersedes = \"no-such-fact\"\n",
        taken.id, taken.topic, taken.source, taken.quote
    );
    fs::write(dir.join("facts").join("zz-extra.toml"), extra).unwrap();
    let warm = live.refresh().unwrap_err().to_string();
    let cold = KnowledgeBase::load(&dir).unwrap_err().to_string();
    assert_eq!(warm, cold);
    assert!(warm.contains("duplicate fact id"), "{warm}");
    // The old base keeps answering, and once the file is gone the memo still works.
    assert!(std::sync::Arc::ptr_eq(&before, &live.current()));
    fs::remove_file(dir.join("facts").join("zz-extra.toml")).unwrap();
    assert!(live.refresh().unwrap().is_empty());
    assert_same_as_cold(&live, &dir, &questions(&dir));

    // A source removed makes facts in other files cite an unknown source.
    let cited = &knowledge.facts[0].source;
    let moved = temp.path().join("moved.toml");
    fs::rename(dir.join("sources").join(format!("{cited}.toml")), &moved).unwrap();
    let warm = live.refresh().unwrap_err().to_string();
    assert_eq!(warm, KnowledgeBase::load(&dir).unwrap_err().to_string());
    fs::rename(&moved, dir.join("sources").join(format!("{cited}.toml"))).unwrap();
    live.refresh().unwrap();
    assert_same_as_cold(&live, &dir, &questions(&dir));
}

#[test]
fn a_link_to_an_unchanged_file_and_a_fact_that_leaves_are_seen_as_a_cold_load_sees_them() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("knowledge");
    knowledge_dirs::copy_dir(&knowledge_dirs::shipped(), &dir);
    let questions = questions(&dir);
    let live = LiveEngine::load(&dir).unwrap();

    // A fact in politics.toml supersedes one in talks.toml, whose file is not read again:
    // the older fact, shared with the last base, must still learn that it was replaced.
    let politics = dir.join("facts/politics.toml");
    let original = fs::read_to_string(&politics).unwrap();
    let linked = original.replacen(
        "id = \"election-timelines-discussed\"\n",
        "id = \"election-timelines-discussed\"\nsupersedes = \"gaps-remain-unresolved\"\n",
        1,
    );
    assert_ne!(original, linked);
    fs::write(&politics, &linked).unwrap();
    live.refresh().unwrap();
    assert_eq!(live.last_load().0, 1, "only the edited file is read");
    let older = live.current();
    let older = older.knowledge().fact("gaps-remain-unresolved").unwrap();
    assert_eq!(older.newer.len(), 1);
    assert_same_as_cold(&live, &dir, &questions);

    // The link taken out again: the shared fact loses it.
    fs::write(&politics, &original).unwrap();
    live.refresh().unwrap();
    let engine = live.current();
    assert!(engine
        .knowledge()
        .fact("gaps-remain-unresolved")
        .unwrap()
        .newer
        .is_empty());
    assert_same_as_cold(&live, &dir, &questions);

    // A fact removed, then written back: its words leave the vocabulary and come back.
    let positions = dir.join("facts/positions.toml");
    let original = fs::read_to_string(&positions).unwrap();
    let last = original.rfind("[[fact]]").unwrap();
    fs::write(&positions, &original[..last]).unwrap();
    let changes = live.refresh().unwrap();
    assert_eq!(changes.removed.len(), 1, "{changes:?}");
    assert_same_as_cold(&live, &dir, &questions);
    fs::write(&positions, &original).unwrap();
    let changes = live.refresh().unwrap();
    assert_eq!(changes.added.len(), 1, "{changes:?}");
    assert_same_as_cold(&live, &dir, &questions);
}
