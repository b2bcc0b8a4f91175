//! What a short line says about the answer before it: a follow-up ("source?", "why?", "more",
//! "and russia?", "2", "really?"), or nothing (a new question). Classified on folded words, so
//! "Source?", "SOURCE" and "source ?" are one thing; anything not listed here is a new question,
//! which keeps a real question from being taken for a follow-up.

use crate::text::fold_words;

/// A follow-up to the previous answer in the same place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUp {
    /// "source?", "quote?": the previous answer's source paragraphs in full.
    Source,
    /// "why?", "how come?": the facts that explain it.
    Why,
    /// "more", "tell me more", "what else?": the next facts on that topic not yet shown.
    More,
    /// "and russia?", "what about europe?": the previous question about this subject.
    About(String),
    /// "2" after a refusal: that suggestion (1-based).
    Pick(usize),
    /// "really?", "are you sure?": the quote and its confidence again.
    Sure,
}

impl FollowUp {
    /// Its name in the JSON (`follow_up.kind`).
    pub fn name(&self) -> &'static str {
        match self {
            FollowUp::Source => "source",
            FollowUp::Why => "why",
            FollowUp::More => "more",
            FollowUp::About(_) => "about",
            FollowUp::Pick(_) => "pick",
            FollowUp::Sure => "sure",
        }
    }
}

const SOURCE: &[&str] = &[
    "source",
    "sources",
    "quote",
    "quotes",
    "the source",
    "the quote",
    "citation",
    "cite",
    "cite it",
    "what is the source",
    // "what's" folds to "what" (the possessive rule).
    "what the source",
    "whats the source",
    "what source",
    "which source",
    "where is that from",
    "where that from",
    "wheres that from",
    "where does that come from",
    "says who",
    "show the source",
    "show me the source",
    "show the quote",
    "full quote",
    "the full quote",
];

const WHY: &[&str] = &[
    "why",
    "how come",
    "why is that",
    "why so",
    "why not",
    "but why",
    "explain",
    "explain that",
    "explain please",
];

const MORE: &[&str] = &[
    "more",
    "tell me more",
    "what else",
    "anything else",
    "go on",
    "and",
    "and then",
    "more please",
    "say more",
    "more on that",
    "keep going",
    "what more",
];

const SURE: &[&str] = &[
    "really",
    "are you sure",
    "sure",
    "you sure",
    "is that true",
    "is that right",
    "is it true",
    "how sure are you",
    "how confident are you",
    "seriously",
    "for real",
];

/// Words in front that change nothing: "ok, source?", "so why?".
const FILLERS: &[&str] = &["ok", "okay", "so", "hmm", "um", "well", "oh"];

/// "and X", "what about X", …: the words before the new subject.
const ABOUT: &[&str] = &[
    "and what about",
    "what about",
    "how about",
    "and how about",
    "and for",
    "same for",
    "and",
    "what of",
];

/// Ordinals a member may use for a suggestion's number.
const ORDINALS: &[(&str, usize)] = &[("first", 1), ("second", 2), ("third", 3)];

/// The follow-up `line` is, if it is one. A subject is at most four words, so "and what did
/// Russia demand at the talks?" stays a question of its own.
pub fn classify(line: &str) -> Option<FollowUp> {
    let mut words = fold_words(line);
    while words.len() > 1 && FILLERS.contains(&words[0].as_str()) {
        words.remove(0);
    }
    if words.last().is_some_and(|w| w == "please" || w == "then") && words.len() > 1 {
        words.pop();
    }
    let phrase = words.join(" ");
    let is = |list: &[&str]| list.contains(&phrase.as_str());
    if phrase.is_empty() {
        return None;
    }
    if is(SOURCE) {
        return Some(FollowUp::Source);
    }
    if is(WHY) {
        return Some(FollowUp::Why);
    }
    if is(MORE) {
        return Some(FollowUp::More);
    }
    if is(SURE) {
        return Some(FollowUp::Sure);
    }
    if let Some(number) = pick(&words) {
        return Some(FollowUp::Pick(number));
    }
    // The subject keeps the member's spelling ("the EU"), since it goes into a question.
    for lead in ABOUT {
        let lead_words: Vec<&str> = lead.split(' ').collect();
        if words.len() > lead_words.len()
            && words.len() <= lead_words.len() + 4
            && words.iter().zip(&lead_words).all(|(w, l)| w == l)
        {
            let subject = original_tail(line, lead_words.len());
            // "and why?" or "and the source?" are the other kinds said with an "and".
            if let Some(other) = classify(&subject).filter(|k| !matches!(k, FollowUp::About(_))) {
                return Some(other);
            }
            if !subject.is_empty() {
                return Some(FollowUp::About(subject));
            }
        }
    }
    None
}

fn pick(words: &[String]) -> Option<usize> {
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "number" | "option" | "the" | "one" | "no"))
        .collect();
    match words.as_slice() {
        [word] => word
            .parse::<usize>()
            .ok()
            .or_else(|| ORDINALS.iter().find(|(o, _)| o == word).map(|&(_, n)| n))
            .filter(|n| (1..=3).contains(n)),
        _ => None,
    }
}

/// `line` after its first `skip` words, as typed, without the closing punctuation.
fn original_tail(line: &str, skip: usize) -> String {
    let mut rest = line.trim();
    for _ in 0..skip {
        // Skip leading punctuation, then one word.
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
        rest = rest.trim_start_matches(|c: char| c.is_alphanumeric() || c == '\'' || c == '’');
    }
    rest.trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_read_in_its_common_wordings() {
        for line in [
            "source?",
            "Quote?",
            "ok, source",
            "what's the source?",
            "Where is that from?",
        ] {
            assert_eq!(classify(line), Some(FollowUp::Source), "{line}");
        }
        for line in ["why?", "How come?", "but why"] {
            assert_eq!(classify(line), Some(FollowUp::Why), "{line}");
        }
        for line in ["more", "Tell me more", "what else?", "more please"] {
            assert_eq!(classify(line), Some(FollowUp::More), "{line}");
        }
        for line in ["really?", "Are you sure?", "is that true?"] {
            assert_eq!(classify(line), Some(FollowUp::Sure), "{line}");
        }
        for (line, n) in [("1", 1), ("2.", 2), ("#3", 3), ("the second one", 2)] {
            assert_eq!(classify(line), Some(FollowUp::Pick(n)), "{line}");
        }
    }

    #[test]
    fn a_new_subject_keeps_the_members_spelling() {
        assert_eq!(
            classify("and Russia?"),
            Some(FollowUp::About("Russia".into()))
        );
        assert_eq!(
            classify("What about the EU?"),
            Some(FollowUp::About("the EU".into()))
        );
        assert_eq!(classify("and why?"), Some(FollowUp::Why));
    }

    #[test]
    fn questions_of_their_own_are_not_follow_ups() {
        for line in [
            "Why did the talks stall?",
            "and what did Russia demand at the talks?",
            "Who led the delegations?",
            "4",
            "",
            "source close to Ukraine's delegation",
        ] {
            assert_eq!(classify(line), None, "{line}");
        }
    }
}
