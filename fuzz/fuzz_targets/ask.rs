//! Arbitrary bytes, read as a member's question, through everything a question touches:
//! folding, matching, completion and both renderings. Any panic is a crash; so is an answer that
//! breaks the promises of `talkbot::answer::Answer`.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use talkbot::answer::render_text;
use talkbot::engine::Engine;

/// Loaded once, from the shipped fact base: the fuzzer varies questions, not knowledge.
static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../knowledge");
    Engine::load(&dir).unwrap_or_else(|errors| panic!("the shipped knowledge/ must load: {errors}"))
});

fuzz_target!(|data: &[u8]| {
    // Discord hands the bot UTF-8; lossy decoding keeps every byte string useful as input.
    let question = String::from_utf8_lossy(data);
    let answer = ENGINE.ask(&question);

    assert_eq!(answer.answered(), !answer.facts.is_empty());
    assert!(
        (0.0..=1.0).contains(&answer.confidence),
        "confidence {}",
        answer.confidence
    );
    assert!(answer.suggestions.len() <= 3);
    for fact in &answer.facts {
        let source = &ENGINE.knowledge().sources[&fact.source.id];
        assert!(source.paragraphs[fact.source.paragraph].contains(&fact.source.quote));
    }

    render_text(&answer);
    serde_json::to_string(&answer).expect("an answer always serializes");
    ENGINE.complete(&question, 25);
    talkbot::text::fold_words(&question);
});
