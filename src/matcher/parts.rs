//! Where one question ends and the next begins: "who led the talks and where were they" asks
//! two things, each answered on its own terms.
//!
//! Members join questions with words ("and", "n", "plus") and with marks ("who led it + where",
//! "who led it? where was it"). The marks are gone once a question is folded into words, so
//! they are read first, as the joining word they stand for. A tail that only says what kind of
//! answer is wanted ("when will they hold elections, is there a date") is no second question:
//! it stays with the question it clarifies, whose answer must then give that kind.

use std::ops::Range;

use super::expectation::Expected;
use super::stopwords::is_stopword;

/// Words that join two questions when a question word follows them: "… and where were they".
const JOINERS: &[&str] = &["and", "also", "plus", "then", "or", "but"];
/// Words a second question starts with.
const OPENERS: &[&str] = &[
    "who", "whom", "whose", "what", "which", "where", "when", "why", "how", "did", "does", "do",
    "is", "are", "was", "were", "has", "have", "can", "will", "would", "could",
];
/// A part shorter than this is no question of its own ("and why" is a follow-up, "or not" is
/// no question at all).
const MIN_PART_WORDS: usize = 2;

/// The text with each mark that joins two questions written as the word "and": "+" and "&"
/// standing between words, and a "?" or ";" before a space and more of the question.
pub fn joining_marks_as_words(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let spaced = |at: Option<&char>| at.is_none_or(|c| c.is_whitespace());
        let before = i.checked_sub(1).and_then(|j| chars.get(j));
        let between_words = (c == '+' || c == '&') && spaced(before) && spaced(chars.get(i + 1));
        let more_after = || chars[i + 1..].iter().any(|c| c.is_alphanumeric());
        // "tl;dr" and "wait?what" are one word each: a mark ends a question only before a space.
        let ends = (c == '?' || c == ';') && spaced(chars.get(i + 1)) && more_after();
        if between_words || ends {
            out.push_str(" and ");
        } else {
            out.push(c);
        }
    }
    out
}

/// The questions `words` asks, as ranges: split at a joining word followed by a question word
/// when both sides are questions in their own right, then each clarifying tail put back with
/// the question before it.
pub fn parts(words: &[String]) -> Vec<Range<usize>> {
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..words.len().saturating_sub(1) {
        let joins = JOINERS.contains(&words[i].as_str());
        let opens = OPENERS.contains(&words[i + 1].as_str());
        let rest = &words[i + 1..];
        let long_enough = rest.len() >= MIN_PART_WORDS || asks_a_kind_alone(rest);
        if joins && opens && i - start >= MIN_PART_WORDS && long_enough {
            parts.push(start..i);
            start = i + 1;
        }
    }
    parts.push(start..words.len());
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(parts.len());
    for part in parts {
        match merged.last_mut() {
            Some(previous) if clarifies(&words[part.clone()]) => previous.end = part.end,
            _ => merged.push(part),
        }
    }
    merged
}

/// "… and where", "… + when": one word, yet a question of its own, since it asks for a place
/// or a date ("and why" asks for no kind of answer: it is a follow-up).
fn asks_a_kind_alone(rest: &[String]) -> bool {
    matches!(rest, [word] if word == "where" || word == "when")
}

/// Whether a part only names the kind of answer wanted ("is there a date", "any names"): every
/// word a function word or a kind of answer, and at least one kind named.
fn clarifies(words: &[String]) -> bool {
    let is_kind = |w: &str| Expected::ALL.iter().any(|kind| kind.nouns().contains(&w));
    words.iter().any(|w| is_kind(w)) && words.iter().all(|w| is_kind(w) || is_stopword(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold_words;

    fn split(question: &str) -> Vec<String> {
        let words = fold_words(&joining_marks_as_words(question));
        parts(&words)
            .into_iter()
            .map(|range| words[range].join(" "))
            .collect()
    }

    #[test]
    fn two_questions_joined_by_a_word_are_two_parts() {
        assert_eq!(
            split("who led the talks and where were they"),
            ["who led the talks", "where were they"]
        );
    }

    #[test]
    fn a_plus_a_question_mark_or_a_semicolon_joins_two_questions() {
        assert_eq!(
            split("when was the meeting + who was there"),
            ["when was the meeting", "who was there"]
        );
        assert_eq!(
            split("who led it? where was it?"),
            ["who led it", "where was it"]
        );
        assert_eq!(
            split("what did rubio say; what does russia want"),
            ["what did rubio say", "what does russia want"]
        );
    }

    #[test]
    fn a_last_where_or_when_is_a_question_of_its_own() {
        assert_eq!(
            split("who led the talks and where"),
            ["who led the talks", "where"]
        );
        assert_eq!(
            split("who led the talks and why"),
            ["who led the talks and why"]
        );
    }

    #[test]
    fn marks_inside_a_question_join_nothing() {
        assert_eq!(
            split("what is the us+ukraine plan?"),
            ["what is the us ukraine plan"]
        );
        assert_eq!(split("why?"), ["why"]);
        assert_eq!(split("tl;dr who led it"), ["tl dr who led it"]);
    }

    #[test]
    fn a_tail_that_names_the_kind_of_answer_stays_with_its_question() {
        assert_eq!(
            split("when will they hold elections then, is there a date"),
            ["when will they hold elections then is there a date"]
        );
        assert_eq!(
            split("who led the talks and where were they"),
            ["who led the talks", "where were they"],
            "a question word alone is a question, not a clarification"
        );
    }
}
