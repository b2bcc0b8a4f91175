//! Answer quality, measured the way `../shared/eval/score.py` measures it, on the public set and
//! on our own larger set. A case of `in`/`typo` passes when the bot answers, its first fact's
//! quote stands inside one of the expected paragraphs, and every term group has a hit in the
//! reply; a case of `out`/`near` passes when the bot declines.
//!
//! The thresholds are floors, not targets: raise them when the matcher improves. Never make a
//! case pass by teaching the fact base that exact string; the hidden set has other wordings.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use talkbot::answer::Answer;
use talkbot::engine::Engine;

#[derive(Deserialize)]
struct Case {
    cat: String,
    q: String,
    #[serde(default)]
    paras: Vec<usize>,
    #[serde(default)]
    terms: Vec<Vec<String>>,
}

/// The scorer's normalization: typographic quotes and dashes made plain, spaces folded, lower case.
fn norm(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .collect();
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn failure(case: &Case, answer: &Answer, paragraphs: &[String]) -> Option<String> {
    let declines = matches!(case.cat.as_str(), "out" | "near");
    if declines {
        return answer
            .answered()
            .then(|| format!("answered: {}", answer.answer));
    }
    if !answer.answered() {
        return Some("declined".to_string());
    }
    let top = norm(&answer.facts[0].source.quote);
    if !case
        .paras
        .iter()
        .any(|&p| paragraphs.get(p).is_some_and(|text| text.contains(&top)))
    {
        return Some(format!(
            "first quote not in paragraphs {:?}: {top:?}",
            case.paras
        ));
    }
    let mut reply = answer.answer.clone();
    for fact in &answer.facts {
        reply.push(' ');
        reply.push_str(&fact.statement);
        reply.push(' ');
        reply.push_str(&fact.source.quote);
    }
    let reply = norm(&reply);
    let missing: Vec<&Vec<String>> = case
        .terms
        .iter()
        .filter(|group| !group.iter().any(|term| reply.contains(&norm(term))))
        .collect();
    (!missing.is_empty()).then(|| format!("terms {missing:?} missing"))
}

/// Scores a question file; returns (passed, total) per category and prints every failure.
fn score(file: &str) -> BTreeMap<String, (usize, usize)> {
    score_showing(file, true)
}

/// Scores a question file, printing its failures only if `show` (a blind set's stay unseen).
fn score_showing(file: &str, show: bool) -> BTreeMap<String, (usize, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let engine = Engine::load(&root.join("knowledge")).expect("the shipped fact base loads");
    let article =
        std::fs::read_to_string(root.join("knowledge/sources/deadlock-persists.txt")).unwrap();
    // Paragraphs as the scorer counts them: every non-empty line, the title first.
    let paragraphs: Vec<String> = article
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(norm)
        .collect();
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Case = serde_json::from_str(line).expect("a question line is valid JSON");
        let answer = engine.ask(&case.q);
        let outcome = failure(&case, &answer, &paragraphs);
        if let Some(why) = outcome.as_ref().filter(|_| show) {
            println!("FAIL [{}] {:?}: {why}", case.cat, case.q);
        }
        let entry = tally.entry(case.cat.clone()).or_default();
        entry.0 += usize::from(outcome.is_none());
        entry.1 += 1;
    }
    println!("{file}: {tally:?}");
    tally
}

/// The share of a category that passed, for floors given as percentages.
fn percent(tally: &BTreeMap<String, (usize, usize)>, category: &str) -> f64 {
    let (passed, total) = tally[category];
    100.0 * passed as f64 / total as f64
}

fn assert_at_least_percent(tally: &BTreeMap<String, (usize, usize)>, floors: &[(&str, f64)]) {
    for (category, floor) in floors {
        let share = percent(tally, category);
        assert!(
            share >= *floor,
            "{category}: {share:.1}% passed, the floor is {floor}% (failures printed above)"
        );
    }
}

fn assert_at_least(tally: &BTreeMap<String, (usize, usize)>, floors: &[(&str, usize)]) {
    for (category, floor) in floors {
        let (passed, total) = tally[*category];
        assert!(
            passed >= *floor,
            "{category}: {passed}/{total} passed, the floor is {floor}/{total} (failures printed above)"
        );
    }
}

#[test]
fn public_question_set_meets_the_issue_floors() {
    let tally = score("tests/eval/public.jsonl");
    assert_at_least(&tally, &[("in", 17), ("typo", 4), ("out", 5), ("near", 3)]);
}

#[test]
fn own_question_set_stays_above_its_floors() {
    // 220 cases: paraphrases, misspellings, terse queries, off-topic and near-miss questions,
    // written without looking at the fact base.
    let tally = score("tests/eval/questions.jsonl");
    assert_at_least(
        &tally,
        // near was 35: the chat-style weighting of unknown words by their English frequency
        // costs two formal near misses ("Where did Marco Rubio go to university?").
        &[("in", 92), ("typo", 42), ("out", 35), ("near", 33)],
    );
}

#[test]
fn holdout_question_set_stays_above_its_floors() {
    // 126 cases written later, by someone who saw neither the fact base, the matcher nor the
    // set above: the closest thing we have to the hidden set. Scored first at in 42/51,
    // typo 19/22, out 21/21, near 28/32, before general fixes (stemmed aliases, names, the
    // date/number check) that were not aimed at its cases.
    let tally = score("tests/eval/holdout.jsonl");
    assert_at_least(
        &tally,
        // in was 44: a yes/no question is no longer read as a list of keywords, which had
        // answered "Has the US eased sanctions yet?" by accident.
        &[("in", 43), ("typo", 20), ("out", 21), ("near", 27)],
    );
}

#[test]
fn chat_style_set_stays_above_its_floors() {
    // 270 cases typed the way Discord members type (abbreviations, typos, two questions in
    // one, rambles, Ukrainian and Russian), written by someone who saw only the article. Our
    // development set: the matcher was tuned while watching it.
    let tally = score("tests/eval/chat.jsonl");
    assert_at_least_percent(
        &tally,
        &[
            ("in", 80.0),
            ("typo", 83.0),
            ("out", 100.0),
            ("near", 83.0),
            ("xl", 85.0),
        ],
    );
}

#[test]
fn blind_chat_style_holdout_stays_above_its_floors() {
    // 110 cases written the same way by someone else, and never looked at while tuning: only
    // its summary line is read. Floors are set just under its measured scores (see README).
    let tally = score_showing("tests/eval/chat_holdout.jsonl", false);
    assert_at_least_percent(
        &tally,
        &[
            ("in", 55.0),
            ("typo", 85.0),
            ("out", 100.0),
            ("near", 78.0),
            ("xl", 85.0),
        ],
    );
}

#[test]
fn second_chat_style_set_stays_above_its_floors() {
    // 260 cases in the same style by a third writer who saw only the article, added after the
    // matcher above was built: its first-contact scores are in the README. A development set
    // from then on.
    let tally = score("tests/eval/chat2.jsonl");
    assert_at_least_percent(
        &tally,
        &[
            ("in", 75.0),
            ("typo", 88.0),
            ("out", 100.0),
            ("near", 86.0),
            ("xl", 88.0),
        ],
    );
}

#[test]
fn second_blind_chat_style_holdout_stays_above_its_floors() {
    // 110 cases by the same writer as chat2.jsonl, never looked at: only its summary line is
    // read. Floors just under its measured scores. Lowered (in 45, typo 25, out 100) when the
    // changes checked on chat3.jsonl cost it 2 in, 1 typo and 1 out; see the README.
    let tally = score_showing("tests/eval/chat_holdout2.jsonl", false);
    assert_at_least_percent(
        &tally,
        &[
            ("in", 42.0),
            ("typo", 20.0),
            ("out", 92.0),
            ("near", 90.0),
            ("xl", 25.0),
        ],
    );
}

#[test]
fn third_chat_style_set_stays_above_its_floors() {
    // 300 cases by a fourth writer who saw only the article (first contact in the README); a
    // development set from then on.
    let tally = score("tests/eval/chat3.jsonl");
    assert_at_least_percent(
        &tally,
        &[
            ("in", 85.0),
            ("typo", 86.0),
            ("out", 100.0),
            ("near", 84.0),
            ("xl", 90.0),
        ],
    );
}

#[test]
fn third_blind_chat_style_holdout_stays_above_its_floors() {
    // 120 cases by the same writer as chat3.jsonl, never looked at: only its summary line is
    // read. Floors just under its measured scores.
    let tally = score_showing("tests/eval/chat_holdout3.jsonl", false);
    assert_at_least_percent(
        &tally,
        &[
            ("in", 62.0),
            ("typo", 70.0),
            ("out", 91.0),
            ("near", 74.0),
            ("xl", 76.0),
        ],
    );
}

#[test]
fn typo_and_translation_heavy_set_stays_above_its_floors() {
    // 130 cases by a fifth writer who saw only the article: misspellings of every kind, and
    // questions in Ukrainian and Russian (first contact in the README); a development set.
    let tally = score("tests/eval/chat4.jsonl");
    assert_at_least_percent(
        &tally,
        &[("typo", 85.0), ("out", 90.0), ("near", 85.0), ("xl", 90.0)],
    );
}

#[test]
fn fifth_chat_style_set_stays_above_its_floors() {
    // 200 cases by a sixth writer who saw only the article (first contact in the README); a
    // development set from then on.
    let tally = score("tests/eval/chat5.jsonl");
    assert_at_least_percent(
        &tally,
        &[
            ("in", 77.0),
            ("typo", 95.0),
            ("out", 100.0),
            ("near", 72.0),
            ("xl", 90.0),
        ],
    );
}

#[test]
fn paraphrase_heavy_chat_style_set_stays_above_its_floors() {
    // 200 cases by a seventh writer who saw only the article and was asked to paraphrase
    // rather than reuse its words (first contact in the README); a development set.
    let tally = score("tests/eval/chat7.jsonl");
    assert_at_least_percent(
        &tally,
        &[
            ("in", 70.0),
            ("typo", 76.0),
            ("out", 100.0),
            ("near", 85.0),
            ("xl", 75.0),
        ],
    );
}

#[test]
fn sixth_blind_chat_style_holdout_stays_above_its_floors() {
    // 160 cases by an eighth writer who saw only the article, never looked at: only its
    // summary line is read. Floors just under its first-contact scores.
    let tally = score_showing("tests/eval/chat6_holdout.jsonl", false);
    assert_at_least_percent(
        &tally,
        &[
            ("in", 60.0),
            ("typo", 80.0),
            ("out", 100.0),
            ("near", 85.0),
            ("xl", 85.0),
        ],
    );
}
