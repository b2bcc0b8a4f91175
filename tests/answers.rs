//! What the bot answers, as a table: question in, expected kind of answer out. Runs on the
//! shipped fact base through the same `Engine::ask` the CLI and Discord use.

use std::path::Path;
use std::sync::OnceLock;

use talkbot::answer::Answer;
use talkbot::engine::Engine;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"))
            .expect("shipped base loads")
    })
}

#[derive(Debug)]
enum Expect {
    /// Answered; the first fact cites this paragraph and its statement mentions this word.
    Answer {
        paragraph: usize,
        mentions: &'static str,
    },
    /// Answered with at least this many facts.
    Several(usize),
    /// Declined, with suggestions to ask instead.
    Refusal,
}

fn check(question: &str, expected: Expect) {
    let answer = engine().ask(question);
    let ok = match expected {
        Expect::Answer {
            paragraph,
            mentions,
        } => {
            answer.answered()
                && answer.facts[0].source.paragraph == paragraph
                && answer.facts[0]
                    .statement
                    .to_lowercase()
                    .contains(&mentions.to_lowercase())
        }
        Expect::Several(count) => answer.answered() && answer.facts.len() >= count,
        Expect::Refusal => {
            !answer.answered() && answer.facts.is_empty() && !answer.suggestions.is_empty()
        }
    };
    assert!(
        ok,
        "{question:?}: expected {expected:?}, got {}",
        describe(&answer)
    );
}

/// Each question answered from `paragraph`, its first fact mentioning the word given.
fn answers_each(cases: &[(&str, usize, &'static str)]) {
    for &(question, paragraph, mentions) in cases {
        check(
            question,
            Expect::Answer {
                paragraph,
                mentions,
            },
        );
    }
}

fn describe(answer: &Answer) -> String {
    let facts: Vec<String> = answer
        .facts
        .iter()
        .map(|f| format!("{} (¶{})", f.id, f.source.paragraph))
        .collect();
    format!(
        "answered={} confidence={} facts={facts:?} suggestions={:?}",
        answer.answered(),
        answer.confidence,
        answer.suggestions
    )
}

#[test]
fn answers_what_the_article_says() {
    check(
        "Who led the talks for the US?",
        Expect::Answer {
            paragraph: 2,
            mentions: "Witkoff",
        },
    );
    check(
        "Where were the talks held?",
        Expect::Answer {
            paragraph: 2,
            mentions: "Hallandale",
        },
    );
    check(
        "How did Rubio describe the session?",
        Expect::Answer {
            paragraph: 3,
            mentions: "productive",
        },
    );
    check(
        "Has military aid been expanded?",
        Expect::Answer {
            paragraph: 5,
            mentions: "military aid",
        },
    );
}

#[test]
fn understands_aliases_spelling_variants_and_typos() {
    check(
        "who headed the american delegation",
        Expect::Answer {
            paragraph: 2,
            mentions: "Witkoff",
        },
    );
    check(
        "what did the secretary of state say about the session",
        Expect::Answer {
            paragraph: 3,
            mentions: "productive",
        },
    );
    check(
        "was the meeting in flordia",
        Expect::Answer {
            paragraph: 2,
            mentions: "Florida",
        },
    );
    check(
        "Who represented Zelensky?",
        Expect::Answer {
            paragraph: 2,
            mentions: "Umerov",
        },
    );
    check(
        "does moscow want kyiv out of the donbas",
        Expect::Answer {
            paragraph: 4,
            mentions: "Donbass",
        },
    );
}

#[test]
fn answers_with_several_facts_when_the_question_spans_them() {
    check(
        "What do Russia and Ukraine each demand?",
        Expect::Several(2),
    );
}

#[test]
fn a_summary_asked_beside_a_question_gets_the_headline_too() {
    let answer = engine().ask("whats the headline and when did the talks happen");
    assert!(answer.answered(), "{}", describe(&answer));
    let paragraphs: Vec<usize> = answer.facts.iter().map(|f| f.source.paragraph).collect();
    assert!(
        paragraphs.contains(&0) && paragraphs.contains(&2),
        "the headline (paragraph 0) and the date (paragraph 2): {}",
        describe(&answer)
    );
}

#[test]
fn each_part_of_a_compound_question_wants_its_own_speaker() {
    // The second part asks for the source's words, not Rubio's: a fact that merely mentions
    // Rubio's position does not answer it.
    let answer =
        engine().ask("what did rubio say, and what did the source close to the delegation say");
    assert!(answer.answered(), "{}", describe(&answer));
    let says = |word: &str| {
        answer
            .facts
            .iter()
            .any(|f| f.statement.to_lowercase().contains(word))
    };
    assert!(
        says("rubio said") && says("source close"),
        "Rubio's words and the source's words: {}",
        describe(&answer)
    );
}

#[test]
fn each_part_of_a_compound_question_is_looked_up_on_its_own() {
    // The whole question's best facts are all about Umerov; the venue is found only by asking
    // "where was the meeting" by itself.
    let answer = engine().ask("where was the meeting and who represented zelenskiy");
    assert!(answer.answered(), "{}", describe(&answer));
    let mentions = |word: &str| answer.facts.iter().any(|f| f.statement.contains(word));
    assert!(
        mentions("Hallandale") && mentions("Umerov") && answer.unanswered_parts.is_empty(),
        "the venue and Umerov, both parts answered: {}",
        describe(&answer)
    );
}

#[test]
fn a_part_that_names_nothing_is_about_what_the_other_part_is_about() {
    // "where was it": the place the paragraph that says who led the talks gives.
    for question in [
        "who led it and where was it",
        "who led it? where was it",
        "who led it + where",
    ] {
        let answer = engine().ask(question);
        let mentions = |word: &str| answer.facts.iter().any(|f| f.statement.contains(word));
        assert!(
            answer.answered()
                && mentions("Witkoff")
                && mentions("Hallandale")
                && answer.unanswered_parts.is_empty(),
            "{question:?}: Witkoff and the venue, both parts answered: {}",
            describe(&answer)
        );
    }
    // Rubio's paragraph gives no date: that part is named as unanswered, not guessed.
    let answer = engine().ask("what did rubio say and when was it");
    assert!(
        answer.answered() && answer.unanswered_parts == ["when was it"],
        "{}",
        describe(&answer)
    );
}

#[test]
fn a_tail_that_asks_for_a_date_holds_the_question_to_a_date() {
    // "is there a date" is no second question: it says the first wants a date, which the
    // article does not give for elections.
    check(
        "so when will ukraine hold elections then, is there a date",
        Expect::Refusal,
    );
}

#[test]
fn the_one_a_question_says_acts_is_the_one_the_answer_says_acts() {
    // "Ukraine rejects Russia's core demands" names Russia, but not as the one refusing;
    // a name before a group noun ("the American team") only says whose team it is.
    answers_each(&[
        ("what does russia refuse to do", 6, "Russia refuses"),
        ("is kyiv budging", 4, "Ukrainian position"),
        ("who does the american team include", 2, "Witkoff"),
    ]);
}

#[test]
fn a_paragraph_named_in_the_question_is_where_the_answer_comes_from() {
    // Members read the report beside the bot: "the last paragraph" says where to look.
    answers_each(&[
        (
            "in the final paragraph what happens with the military",
            7,
            "military",
        ),
        ("what does the third paragraph say", 3, "Rubio"),
        ("para 5, what is it about", 5, "Rubio"),
    ]);
    // "Last" and "first" alone name no paragraph.
    check(
        "when was the last meeting",
        Expect::Answer {
            paragraph: 2,
            mentions: "November 30",
        },
    );
}

#[test]
fn a_place_given_as_the_setting_is_read_from_the_paragraph_of_the_answer() {
    // The fact that says who led the talks does not name Florida; its paragraph does.
    answers_each(&[("who ran the florida talks", 2, "Witkoff")]);
    // The setting is no reason to answer who else was there.
    check("did vance attend the florida meeting", Expect::Refusal);
}

#[test]
fn a_word_that_only_stems_like_an_alias_keeps_its_own_meaning() {
    // "positive" is written as a way to say "productive", and "position" has its stem: the
    // Ukrainian position is not Rubio's productive session.
    check(
        "whats ukraines position",
        Expect::Answer {
            paragraph: 4,
            mentions: "position",
        },
    );
    check(
        "was the session positive",
        Expect::Answer {
            paragraph: 3,
            mentions: "productive",
        },
    );
}

#[test]
fn questions_in_ukrainian_and_russian_get_the_sourced_english_answer() {
    answers_each(&[
        ("хто очолював переговори", 2, "Witkoff"),
        // "What" is followed by its verb in both languages ("what does it do"): a verb left
        // untranslated is not the thing asked about, which no fact would name.
        ("что делает военное командование", 7, "military command"),
        ("шо робить військове командування", 7, "military command"),
    ]);
}

#[test]
fn misspellings_by_ear_by_one_letter_and_of_question_words_are_read_as_meant() {
    answers_each(&[
        ("whoe led teh tlaks", 2, "Witkoff"),
        ("stve witcoff", 2, "Witkoff"),
        ("zelensky elecshuns", 6, "election"),
    ]);
}

#[test]
fn slips_on_everyday_words_and_chat_possessives_do_not_sink_an_answer() {
    answers_each(&[
        // Slips on a function word, or on a chat form of one.
        ("whhats russias core demands", 4, "Donbass"),
        ("has ther been any sanctions relief", 5, "sanctions"),
        ("so whaat happened", 0, "deadlock"),
        // A slip on a word of a summary phrase, after a chat form of another.
        ("wat happend at the talks", 0, "deadlock"),
        // A slip on an everyday word the base never uses ("wile").
        (
            "is the military stil fighting wile they talk",
            7,
            "hostilities",
        ),
        // A swapped pair in a possessive typed without its apostrophe.
        ("what are rusisas core demands", 4, "Donbass"),
    ]);
}

#[test]
fn a_short_name_no_list_holds_is_not_read_as_the_common_word_one_letter_away() {
    // "Sumy" is one edit from "sum"; read so, the question would be about Umerov's role.
    check("who represented sumy", Expect::Refusal);
    check("did sumy reject the plan", Expect::Refusal);
}

#[test]
fn refuses_what_the_article_does_not_say() {
    check("What did Putin say?", Expect::Refusal);
    check(
        "what time did the hallandale meeting start",
        Expect::Refusal,
    );
    check("When is the next round in Geneva?", Expect::Refusal);
    check("How many soldiers died last month?", Expect::Refusal);
    check("What is the capital of France?", Expect::Refusal);
    check("tell us a joke", Expect::Refusal);
}

#[test]
fn strange_input_is_refused_politely_never_a_panic() {
    let long = "why ".repeat(2_500);
    for input in [
        "",
        "   \t\n",
        "🙂🙂🙂",
        "مرحبا كيف حالك",
        "\u{0}\u{1b}[31m\u{7}",
        "<@123456789>",
        "<#42> <:wave:99> <a:dance:7>",
        "```rust\nfn main() {}\n```",
        long.as_str(),
    ] {
        check(input, Expect::Refusal);
    }
}

#[test]
fn discord_markup_around_a_real_question_is_ignored() {
    check(
        "<@123456789> who led the talks?",
        Expect::Answer {
            paragraph: 2,
            mentions: "Witkoff",
        },
    );
    check(
        "`where` were the talks held? 🤔",
        Expect::Answer {
            paragraph: 2,
            mentions: "Hallandale",
        },
    );
}

#[test]
fn autocomplete_offers_answerable_questions_that_fit() {
    let offered = engine().complete("who led", 25);
    assert!(!offered.is_empty() && offered.len() <= 25, "{offered:?}");
    let first = engine().ask(&offered[0]);
    assert!(
        first.answered(),
        "the first completion {:?} must itself be answered",
        offered[0]
    );
    assert_eq!(engine().complete("", 25).len(), 25);
}
