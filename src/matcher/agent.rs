//! Who does what. "What does Moscow refuse?" shares every word with "Ukraine rejects Russia's
//! core demands", yet asks what *Russia* refuses: the fact names Russia, but not as the one who
//! refuses. The fact base says whose doing each fact is through its own alternate questions
//! ("What does Ukraine refuse to accept?", "Is Ukraine holding firm?"): the name each puts
//! before its verb. A question whose doer is named in a fact, but is never the doer of the
//! fact's own questions, reads the fact the wrong way round, and is not answered by it at full
//! confidence.
//!
//! Only the plain shapes are read: "did/does/will X …", "is X …ing", "what does X …", "why is X
//! …ing". "What is Russia's position" has no doer (its subject is the position), and a fact
//! whose questions name no doer is never held to one.

use super::analyzer::{Analyzer, Class, Question};
use super::index::Index;
use super::stopwords::is_question_word;
use crate::knowledge::Fact;
use crate::text::fold_words;

/// A fact that names the question's doer, but only as someone else's object, keeps this share
/// of its confidence and score: enough to be suggested, no longer the sure answer.
pub const WRONG_DOER_FACTOR: f32 = 0.6;

/// Auxiliaries that put the doer right after them.
const DOING: &[&str] = &[
    "does", "do", "did", "will", "would", "has", "have", "had", "can", "could", "should", "is",
    "are", "was", "were",
];
const BEING: &[&str] = &["is", "are", "was", "were"];
const ARTICLES: &[&str] = &["the", "a", "an"];
const OPENERS: &[&str] = &[
    "so", "ok", "okay", "and", "but", "like", "wait", "hey", "then",
];
const INTENSIFIERS: &[&str] = &[
    "exactly", "really", "actually", "even", "else", "tf", "then",
];
/// Nouns that make the name before them a modifier: in "does the US delegation include", the
/// doer is the delegation, whose members may be named by anyone.
const GROUPS: &[&str] = &[
    "delegation",
    "delegations",
    "team",
    "teams",
    "side",
    "officials",
    "negotiators",
    "government",
    "leadership",
    "envoy",
    "envoys",
    "camp",
    "people",
    "president",
    "leader",
    "leaders",
    "army",
    "forces",
    "military",
];

/// The words that may name the doer of a question (folded words), if it has that shape.
pub fn doer_words(words: &[String]) -> &[String] {
    let is = |i: usize, list: &[&str]| words.get(i).is_some_and(|w| list.contains(&w.as_str()));
    // "so what exactly does moscow refuse": chat's openers, and the words that stress a
    // question word, stand outside the shape.
    let first = (0..words.len())
        .find(|&i| !is(i, OPENERS))
        .unwrap_or(words.len());
    let asking = words.get(first).is_some_and(|w| is_question_word(w));
    let mut aux = first + asking as usize;
    while asking && is(aux, INTENSIFIERS) {
        aux += 1;
    }
    if !is(aux, DOING) {
        return &[];
    }
    let mut start = aux + 1;
    while is(start, ARTICLES) {
        start += 1;
    }
    let end = (start + 2).min(words.len());
    if is(start + 1, GROUPS) {
        return &[];
    }
    // "what is Russia('s) position": after "what is" a name is the subject's owner, unless
    // a verb in "-ing" follows it ("why is russia refusing").
    if asking && is(aux, BEING) {
        let acting = words[start.min(end)..end]
            .iter()
            .skip(1)
            .any(|w| w.ends_with("ing") && w.len() > 4);
        if !acting {
            return &[];
        }
    }
    &words[start.min(words.len())..end]
}

/// The index id of the name among `words`, as the analyzer reads it (aliases applied).
pub fn doer(words: &[String], analyzer: &Analyzer, index: &Index) -> Option<u32> {
    if words.is_empty() {
        return None;
    }
    analyzer
        .question_terms(&Question::from_words(words))
        .iter()
        .filter(|t| t.class == Class::Content && t.name)
        .find_map(|t| index.term_id(&t.stem))
}

/// Every doer the fact's own questions name ("russia stance" names Russia too: a keyword
/// question that starts with a name is about that name's doing).
pub fn doers_of(fact: &Fact, analyzer: &Analyzer, index: &Index) -> Box<[u32]> {
    let mut doers: Vec<u32> = Vec::new();
    for question in fact.questions.iter() {
        let words = fold_words(question);
        let shaped = doer_words(&words);
        let named = if shaped.is_empty() && !words.first().is_some_and(|w| is_question_word(w)) {
            doer(&words[..words.len().min(1)], analyzer, index)
        } else {
            doer(shaped, analyzer, index)
        };
        if let Some(id) = named {
            if !doers.contains(&id) {
                doers.push(id);
            }
        }
    }
    doers.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doer_of(question: &str) -> Vec<String> {
        doer_words(&fold_words(question)).to_vec()
    }

    #[test]
    fn the_doer_stands_after_the_auxiliary() {
        assert_eq!(doer_of("what does moscow refuse"), ["moscow", "refuse"]);
        assert_eq!(doer_of("is ukraine budging at all"), ["ukraine", "budging"]);
        assert_eq!(doer_of("did the us agree"), ["us", "agree"]);
        assert_eq!(
            doer_of("why is russia refusing a deal"),
            ["russia", "refusing"]
        );
        assert_eq!(
            doer_of("so what exactly does moscow say"),
            ["moscow", "say"]
        );
    }

    #[test]
    fn a_question_about_what_someone_holds_has_no_doer() {
        assert!(doer_of("what is russia's position").is_empty());
        assert!(doer_of("who led the talks").is_empty());
        assert!(doer_of("russia stance").is_empty());
        assert!(doer_of("who does the us delegation include").is_empty());
    }
}
