//! Questions never break the core: whatever a member types (emoji, right-to-left text, control
//! characters, Discord markup, code fences, a 10,000-character paste), folding, matching,
//! completion and rendering return normally, and every answer keeps the promises of
//! [`talkbot::answer::Answer`].
//!
//! The case count is modest so CI stays fast; run more with `PROPTEST_CASES=5000 cargo test
//! --test properties`. Time is not asserted here (machines are noisy): the bound on the work a
//! question can cause is asserted structurally, by showing that everything past
//! [`MAX_QUESTION_CHARS`] is ignored. Timing is for benchmarks.

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use talkbot::answer::{render_text, Answer, Citation, CitedFact, Suggestion};
use talkbot::engine::Engine;
use talkbot::matcher::{Analyzer, Question, MAX_FACTS, MAX_SUGGESTIONS};
use talkbot::text::{fold_words, MAX_QUESTION_CHARS};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 64;

/// The characters of a 10,000-character paste.
const LONG: usize = 10_000;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    Engine::load(&dir).unwrap_or_else(|errors| panic!("the shipped knowledge/ must load: {errors}"))
});

fn config() -> ProptestConfig {
    // `ProptestConfig::default()` already reads PROPTEST_CASES; only replace its default.
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    // A failure is kept beside this file (tests/properties.proptest-regressions) and replayed
    // first on later runs; commit it with the fix.
    config.failure_persistence = Some(Box::new(FileFailurePersistence::WithSource(
        "proptest-regressions",
    )));
    config
}

/// Pieces of what members type, the awkward kinds included.
const PIECES: &[&str] = &[
    "🙂",
    "👩‍👩‍👧‍👦",
    "🇺🇦",
    "مرحبا، ماذا قال روبيو؟",
    "שלום",
    "\u{202e}desrever\u{202c}",
    "\u{200f}",
    "\u{200b}",
    "\u{feff}",
    "\0",
    "\u{7}",
    "\u{1b}[31m",
    "\r\n",
    "\t",
    "\u{85}",
    "\u{2028}",
    "<@123>",
    "<@!123456789012345678>",
    "<@&5>",
    "<#1>",
    "<:e:1>",
    "<a:wave:99>",
    "<:bad",
    "<@",
    "@everyone",
    "@here",
    "```",
    "```rust\nfn main() {}\n```",
    "`",
    "**bold**",
    "||spoiler||",
    "> quoted",
    "https://example.com/?q=talks",
    "Kyiv",
    "Kiev’s",
    "Zelenskiy's",
    "U.S.",
    "who led the talks",
    "Rubio",
    "November 30th",
    "ceasefire",
    "security guarantees",
    "Donbass",
    "nukes",
    "'",
    "’s",
    "—",
    "-",
    "e\u{301}",
    "\u{301}",
    "ﬁ",
    "ﷺ",
    "İ",
    "ß",
    "ǅ",
    "٣٠",
    "1st",
    "99999999999999999999",
    "?",
    "...",
    " ",
];

/// One piece: a known awkward one, or anything at all.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(PIECES).prop_map(str::to_string),
        2 => any::<String>(),
        1 => "[a-zA-Z' ]{0,30}",
        1 => prop::collection::vec(any::<char>(), 0..8).prop_map(|c| c.into_iter().collect()),
    ]
}

/// `text` repeated, then cut to exactly `LONG` characters (or left empty if it has none).
fn pasted(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    text.chars().cycle().take(LONG).collect()
}

/// Exactly the first `MAX_QUESTION_CHARS` characters of `text`, padded with spaces if short.
fn first_characters(text: &str) -> String {
    let mut prefix: String = text.chars().take(MAX_QUESTION_CHARS).collect();
    let missing = MAX_QUESTION_CHARS - prefix.chars().count();
    prefix.extend(std::iter::repeat_n(' ', missing));
    prefix
}

/// A question: a few pieces, sometimes a known question with noise around it, sometimes a flood.
fn question() -> impl Strategy<Value = String> {
    let asked: Vec<String> = ENGINE
        .knowledge()
        .facts
        .iter()
        .flat_map(|fact| fact.questions.iter().map(str::to_string))
        .collect();
    prop_oneof![
        4 => prop::collection::vec(piece(), 0..10).prop_map(|pieces| pieces.join(" ")),
        2 => (prop::sample::select(asked), piece(), piece())
            .prop_map(|(asked, before, after)| format!("{before}{asked}{after}")),
        1 => prop::collection::vec(piece(), 1..4).prop_map(|pieces| pasted(&pieces.join(" "))),
    ]
}

/// The promises every answer keeps, whatever the question.
fn check_answer(question: &str, answer: &Answer) -> Result<(), TestCaseError> {
    let knowledge = ENGINE.knowledge();
    prop_assert_eq!(answer.answered(), !answer.facts.is_empty());
    prop_assert!(
        (0.0..=1.0).contains(&answer.confidence),
        "confidence {} out of [0, 1]",
        answer.confidence
    );
    prop_assert!(answer.facts.len() <= MAX_FACTS);
    prop_assert!(answer.suggestions.len() <= MAX_SUGGESTIONS);
    prop_assert_eq!(&answer.question, question.trim());
    let ids: HashSet<&str> = answer.facts.iter().map(|fact| fact.id.as_str()).collect();
    prop_assert_eq!(ids.len(), answer.facts.len(), "a fact given twice");
    for fact in &answer.facts {
        let known = knowledge.fact(&fact.id);
        prop_assert!(known.is_some(), "unknown fact `{}`", fact.id);
        prop_assert_eq!(&known.unwrap().statement, &fact.statement);
        let citation = &fact.source;
        let source = knowledge.sources.get(&citation.id);
        prop_assert!(source.is_some(), "unknown source `{}`", citation.id);
        let paragraph = source.unwrap().paragraphs.get(citation.paragraph);
        prop_assert!(paragraph.is_some(), "no paragraph {}", citation.paragraph);
        prop_assert!(
            paragraph.unwrap().contains(&citation.quote),
            "quote of `{}` not verbatim in paragraph {}",
            fact.id,
            citation.paragraph
        );
    }
    for suggestion in &answer.suggestions {
        prop_assert!(!suggestion.question.trim().is_empty());
        prop_assert!(knowledge.fact(&suggestion.fact_id).is_some());
    }
    Ok(())
}

/// Rendering returns, and the JSON reads back with the fields the CLI documents.
fn check_rendering(answer: &Answer) -> Result<(), TestCaseError> {
    render_text(answer);
    let json = serde_json::to_string(answer);
    prop_assert!(json.is_ok(), "{:?}", json);
    let value: serde_json::Value = serde_json::from_str(&json.unwrap()).unwrap();
    for field in [
        "question",
        "answered",
        "confidence",
        "answer",
        "facts",
        "suggestions",
    ] {
        prop_assert!(value.get(field).is_some(), "JSON lacks `{}`", field);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn folding_yields_only_words(text in question()) {
        for word in fold_words(&text) {
            prop_assert!(!word.is_empty());
            prop_assert!(word.chars().all(char::is_alphanumeric), "{:?} in {:?}", word, text);
        }
    }

    #[test]
    fn every_answer_keeps_its_promises(text in question()) {
        let answer = ENGINE.ask(&text);
        check_answer(&text, &answer)?;
        check_rendering(&answer)?;
        prop_assert!(!render_text(&answer).trim().is_empty(), "rendered to nothing");
    }

    /// The structural bound on time: past `MAX_QUESTION_CHARS` nothing is looked at, so a
    /// 10,000-character paste costs what its first thousand characters cost, and whatever
    /// follows them cannot change the answer.
    #[test]
    fn a_flood_is_answered_as_its_first_characters(
        start in question(),
        rest in question(),
    ) {
        let prefix = first_characters(&pasted(&start));
        let flood: String = format!("{prefix}{}", pasted(&rest)).chars().take(LONG).collect();
        let mut flooded = ENGINE.ask(&flood);
        let capped = ENGINE.ask(&prefix);
        flooded.question = capped.question.clone();
        prop_assert_eq!(flooded, capped);
        prop_assert_eq!(ENGINE.complete(&flood, 10), ENGINE.complete(&prefix, 10));
        let analyzer = Analyzer::new(&ENGINE.knowledge().aliases);
        let terms = analyzer.question_terms(&Question::new(&flood));
        prop_assert_eq!(&terms, &analyzer.question_terms(&Question::new(&prefix)));
        prop_assert!(terms.len() <= MAX_QUESTION_CHARS);
    }

    #[test]
    fn completion_offers_only_known_questions(typed in question(), limit in 0usize..30) {
        let offered = ENGINE.complete(&typed, limit);
        prop_assert!(offered.len() <= limit);
        let unique: HashSet<&String> = offered.iter().collect();
        prop_assert_eq!(unique.len(), offered.len(), "offered twice: {:?}", offered);
        for question in &offered {
            let known = ENGINE
                .knowledge()
                .facts
                .iter()
                .any(|fact| fact.questions.contains(question));
            prop_assert!(known, "{:?} is no fact's question", question);
        }
    }

    /// Rendering holds for any answer, not only those the engine makes: the Discord adapter and
    /// future callers build them too.
    #[test]
    fn any_answer_renders(answer in arbitrary_answer()) {
        check_rendering(&answer)?;
    }
}

fn arbitrary_answer() -> impl Strategy<Value = Answer> {
    let fact = (
        piece(),
        piece(),
        question(),
        piece(),
        piece(),
        0usize..100,
        question(),
    )
        .prop_map(
            |(id, topic, statement, source_id, title, paragraph, quote)| CitedFact {
                id,
                topic,
                statement,
                source: Citation {
                    id: source_id,
                    title,
                    paragraph,
                    quote,
                    dateline: "WASHINGTON".to_string(),
                    event_date: "November 30".to_string(),
                    published: "unknown".to_string(),
                },
            },
        );
    (
        question(),
        prop_oneof![0.0..=1.0, any::<f64>()],
        prop::collection::vec(fact, 0..4),
        prop::collection::vec((question(), question()), 0..4),
    )
        .prop_map(|(question, confidence, facts, suggestions)| {
            let suggestions = suggestions
                .into_iter()
                .map(|(fact_id, question)| Suggestion { fact_id, question })
                .collect();
            let earlier = facts.iter().skip(1).cloned().collect();
            let mut answer = Answer::new(&question, confidence, facts, suggestions);
            answer.earlier = earlier;
            answer
        })
}

/// The inputs the brief names, each once, whatever proptest happens to draw.
#[test]
fn named_awkward_questions() {
    let mut questions: Vec<String> = PIECES.iter().map(|p| p.to_string()).collect();
    questions.extend(
        [
            "",
            "   ",
            "<@123> who led the talks? <#1> <:e:1>",
            "```\nwho led the talks?\n```",
            "مَن قاد المحادثات؟ who led the talks",
        ]
        .map(str::to_string),
    );
    questions.push(pasted("who led the talks? 🙂 "));
    questions.push(pasted("a"));
    questions.push(pasted("\u{301}"));
    questions.push(pasted("<@1>"));
    for question in &questions {
        let answer = ENGINE.ask(question);
        if let Err(error) = check_answer(question, &answer).and_then(|()| check_rendering(&answer))
        {
            panic!("{question:?}: {error}");
        }
        ENGINE.complete(question, 10);
    }
}

/// Regression: words past the cap once changed the answer. The matcher's check for "how many" or
/// "when did" read the whole question, so a question padded past `MAX_QUESTION_CHARS` and ending
/// in "how many" lost confidence and facts it had without the tail.
#[test]
fn words_past_the_cap_do_not_change_the_answer() {
    let question = "Why did the talks stall?";
    let padded = first_characters(question);
    for tail in [
        " how many",
        " when did",
        " how many years when did it happen",
    ] {
        let mut flooded = ENGINE.ask(&format!("{padded}{tail}"));
        let plain = ENGINE.ask(question);
        flooded.question = plain.question.clone();
        assert_eq!(flooded, plain, "the tail {tail:?} changed the answer");
    }
}
