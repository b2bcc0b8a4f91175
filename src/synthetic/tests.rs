use std::collections::BTreeMap;

use super::*;
use crate::answer::Answer;
use crate::engine::Engine;
use crate::knowledge::KnowledgeBase;

/// Generates in memory: path → contents.
fn generated(options: &Options) -> (BTreeMap<String, String>, Summary) {
    let mut files = BTreeMap::new();
    let summary = generate(options, |path, contents| {
        files.insert(path.to_string(), contents);
        Ok(())
    })
    .expect("generation in memory cannot fail");
    (files, summary)
}

#[test]
fn the_same_seed_gives_the_same_files() {
    let options = Options {
        facts: 300,
        seed: 7,
    };
    assert_eq!(generated(&options), generated(&options));
    let other_seed = generated(&Options {
        facts: 300,
        seed: 8,
    })
    .0;
    assert_ne!(generated(&options).0, other_seed);
}

#[test]
fn the_default_base_is_pinned() {
    // Published figures name "seed 1130": if this changes, so do the bases they were measured
    // on, and PERFORMANCE.md must be measured again.
    let (files, _) = generated(&Options {
        facts: 40,
        seed: DEFAULT_SEED,
    });
    let first_article = files
        .keys()
        .find(|path| path.ends_with(".txt"))
        .expect("an article");
    let title = files[first_article].lines().next().expect("a title");
    let facts = &files["facts/part-0001.toml"];
    let statement = facts
        .lines()
        .find(|line| line.starts_with("statement"))
        .expect("a fact");
    assert_eq!(
        (first_article.as_str(), title, statement),
        (
            "sources/t00001-ceasefire-korgrad.txt",
            "Croatia and Azerbaijan Hold Ceasefire Talks in Korgrad",
            "statement = \"Nina Fenyan, Croatia’s army chief of staff, led the Croatian delegation at the talks in Korgrad.\"",
        )
    );
}

#[test]
fn a_generated_base_passes_the_loader() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = temp.path().join("knowledge");
    let summary = write(
        &dir,
        &Options {
            facts: 1050,
            seed: DEFAULT_SEED,
        },
    )
    .expect("written");
    let knowledge = KnowledgeBase::load(&dir).unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(knowledge.facts.len(), 1050);
    assert_eq!(summary.facts, 1050);
    // One article per twenty facts, the last one shorter; a hundred facts to a file.
    assert_eq!(knowledge.sources.len(), 53);
    assert_eq!(
        std::fs::read_dir(dir.join("facts"))
            .expect("facts/")
            .count(),
        11
    );
    assert_eq!(knowledge.aliases.len(), summary.aliases);
    for fact in &knowledge.facts {
        assert!(
            (6..=12).contains(&fact.questions.len()),
            "{} has {} questions; the README asks for 6 to 12",
            fact.id,
            fact.questions.len()
        );
    }
}

#[test]
fn the_question_mix_finds_its_facts_and_refuses_the_rest() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = temp.path().join("knowledge");
    let summary = write(
        &dir,
        &Options {
            facts: 1000,
            seed: DEFAULT_SEED,
        },
    )
    .expect("written");
    let engine = Engine::load(&dir).unwrap_or_else(|errors| panic!("{errors}"));
    let count = |kind: ProbeKind| summary.probes.iter().filter(|p| p.kind == kind).count();
    assert_eq!(count(ProbeKind::Answerable), 100);
    assert!(count(ProbeKind::Misspelled) >= 90);
    assert_eq!(count(ProbeKind::OffTopic) + count(ProbeKind::NearMiss), 32);
    // A held-out wording is a fair test, not a copy. Every one should be answered; the exact
    // fact it was drafted for comes first less often, because the base, like a real one after
    // many rounds, holds several facts that fit "Who led the Polish delegation?".
    let answerable: Vec<&Probe> = summary
        .probes
        .iter()
        .filter(|p| p.kind == ProbeKind::Answerable)
        .collect();
    let answers: Vec<Answer> = answerable
        .iter()
        .map(|probe| engine.ask(&probe.question))
        .collect();
    let answered = answers.iter().filter(|answer| answer.answered()).count();
    let same_article = answerable
        .iter()
        .zip(&answers)
        .filter(|(probe, answer)| {
            let article = |id: &str| id.split('-').next().map(str::to_string);
            let first = answer.facts.first().and_then(|fact| article(&fact.id));
            first.is_some() && first == probe.fact.as_deref().and_then(article)
        })
        .count();
    assert!(
        answered >= 90,
        "only {answered} of 100 held-out questions answered"
    );
    assert!(
        same_article >= 35,
        "only {same_article} of 100 held-out questions found their article"
    );
    for probe in summary
        .probes
        .iter()
        .filter(|p| matches!(p.kind, ProbeKind::OffTopic | ProbeKind::NearMiss))
    {
        assert!(
            !engine.ask(&probe.question).answered(),
            "answered {:?}",
            probe.question
        );
    }
}

#[test]
fn writes_only_into_a_new_or_empty_directory() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(temp.path().join("notes.txt"), "mine").expect("written");
    let error = write(temp.path(), &Options { facts: 10, seed: 1 }).expect_err("not empty");
    assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
    assert_eq!(
        std::fs::read_to_string(temp.path().join("notes.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn zero_facts_is_refused() {
    let error = generate(&Options { facts: 0, seed: 1 }, |_, _| Ok(())).expect_err("no facts");
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
}
