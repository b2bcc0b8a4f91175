//! From text to terms: fold, correct typos, rewrite aliases, drop stopwords, stem. Facts and
//! questions go through the same steps (typo correction aside: the fact base is the spelling
//! reference), so "Kiev’s" in a quote and "kyiv" typed by a member become the same term.

use std::collections::{BTreeMap, HashMap};

use rust_stemmers::{Algorithm, Stemmer};

use super::stopwords::{is_question_word, is_stopword, respell};
use super::typo::TypoIndex;
use crate::knowledge::Alias;
use crate::text::{fold_words, MAX_QUESTION_CHARS};

/// Past this many words a question is cut: no real question is longer, and the cap bounds the
/// work any input can cause.
pub const MAX_QUESTION_WORDS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Content,
    QuestionWord,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub stem: String,
    pub class: Class,
    /// True when the word was a typo we corrected: it counts for a little less.
    pub corrected: bool,
    /// True when the member capitalized it mid-sentence: a name. A name the fact base has never
    /// heard of ("Erdogan", "Geneva") is the surest sign the question is about something else.
    pub name: bool,
}

pub struct Analyzer {
    aliases: HashMap<Vec<String>, Vec<String>>,
    longest_alias: usize,
    stemmer: Stemmer,
    /// Every word of the fact base, before stemming, with its count.
    vocabulary: BTreeMap<String, u32>,
    typos: TypoIndex,
}

/// Words before a lower-case "us" that make it the pronoun, not the United States
/// ("tell us", "give us"), which would otherwise half-match every fact about the US.
const PRONOUN_US_AFTER: &[&str] = &[
    "tell", "give", "show", "help", "let", "teach", "explain", "remind", "to", "for", "with",
    "of", "about",
];

impl Analyzer {
    /// An analyzer that knows `aliases` but no vocabulary yet: enough to analyze the fact base.
    pub fn new(aliases: &[Alias]) -> Self {
        let map: HashMap<Vec<String>, Vec<String>> = aliases
            .iter()
            .map(|alias| (alias.variant.clone(), alias.canonical.clone()))
            .collect();
        let longest_alias = map.keys().map(Vec::len).max().unwrap_or(1);
        Analyzer {
            aliases: map,
            longest_alias,
            stemmer: Stemmer::create(Algorithm::English),
            vocabulary: BTreeMap::new(),
            typos: TypoIndex::default(),
        }
    }

    /// Learns the fact base's own words, for typo correction and autocomplete.
    pub fn learn_vocabulary<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) {
        for text in texts {
            for word in fold_words(text) {
                *self.vocabulary.entry(word).or_default() += 1;
            }
        }
        for (variant, canonical) in &self.aliases {
            for word in variant.iter().chain(canonical) {
                self.vocabulary.entry(word.clone()).or_insert(1);
            }
        }
        self.typos = TypoIndex::new(self.vocabulary.iter().map(|(w, c)| (w.as_str(), *c)));
    }

    /// Terms of fact text: no typo correction, the fact base spells as it means.
    pub fn fact_terms(&self, text: &str) -> Vec<Term> {
        let words = fold_words(text).into_iter().map(|w| (w, false)).collect();
        self.terms(words, &[])
    }

    /// Terms of a member's question, with typos corrected against the fact base's vocabulary.
    pub fn question_terms(&self, question: &str) -> Vec<Term> {
        let capped: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let words = fold_words(&capped)
            .into_iter()
            .take(MAX_QUESTION_WORDS)
            .map(|word| self.spell(word))
            .collect();
        self.terms(words, &names(&capped))
    }

    /// The vocabulary words starting with `prefix`, most common first: what a half-typed last
    /// word of an autocomplete query could become.
    pub fn completions(&self, prefix: &str, limit: usize) -> Vec<String> {
        let mut found: Vec<(&String, &u32)> = self
            .vocabulary
            .range(prefix.to_string()..)
            .take_while(|(word, _)| word.starts_with(prefix))
            .take(500)
            .collect();
        found.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        found.into_iter().take(limit).map(|(w, _)| w.clone()).collect()
    }

    pub fn knows(&self, word: &str) -> bool {
        self.vocabulary.contains_key(word)
    }

    fn spell(&self, word: String) -> (String, bool) {
        let word = respell(&word).to_string();
        if self.knows(&word) || is_stopword(&word) || is_question_word(&word) {
            return (word, false);
        }
        match self.typos.correct(&word) {
            Some(correction) => (correction.word, true),
            None => (word, false),
        }
    }

    fn terms(&self, words: Vec<(String, bool)>, names: &[String]) -> Vec<Term> {
        let mut terms = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let previous = i.checked_sub(1).map(|p| words[p].0.as_str());
            if words[i].0 == "us" && previous.is_some_and(|p| PRONOUN_US_AFTER.contains(&p)) {
                i += 1;
                continue;
            }
            let (replacement, used) = self.alias_at(&words, i);
            let corrected = words[i..i + used].iter().any(|(_, c)| *c);
            let name = used == 1 && names.contains(&words[i].0);
            for word in replacement {
                if let Some(term) = self.term(&word, corrected, name) {
                    terms.push(term);
                }
            }
            i += used;
        }
        terms
    }

    /// The longest alias starting at `start`, as (canonical words, words consumed); a word with
    /// no alias stands for itself.
    fn alias_at(&self, words: &[(String, bool)], start: usize) -> (Vec<String>, usize) {
        let longest = self.longest_alias.min(words.len() - start);
        for len in (1..=longest).rev() {
            let phrase: Vec<String> = words[start..start + len].iter().map(|(w, _)| w.clone()).collect();
            if let Some(canonical) = self.aliases.get(&phrase) {
                return (canonical.clone(), len);
            }
        }
        (vec![words[start].0.clone()], 1)
    }

    fn term(&self, word: &str, corrected: bool, name: bool) -> Option<Term> {
        if is_question_word(word) {
            return Some(Term {
                stem: word.to_string(),
                class: Class::QuestionWord,
                corrected: false,
                name: false,
            });
        }
        if is_stopword(word) {
            return None;
        }
        Some(Term {
            stem: self.stemmer.stem(word).into_owned(),
            class: Class::Content,
            corrected,
            name,
        })
    }
}

/// Words written with a capital in the middle of a sentence, folded: the names in a question.
/// The first word of a sentence proves nothing, and neither does a question typed in capitals.
fn names(text: &str) -> Vec<String> {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.len() > 8 && letters.iter().all(|c| !c.is_lowercase());
    if shouting {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut sentence_start = true;
    for token in text.split_whitespace() {
        if token.starts_with('<') || token.starts_with('@') {
            continue;
        }
        let starts_upper = token
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_uppercase);
        if starts_upper && !sentence_start {
            found.extend(fold_words(token));
        }
        sentence_start = token.ends_with(['.', '?', '!', ':', ';']);
    }
    found
}
