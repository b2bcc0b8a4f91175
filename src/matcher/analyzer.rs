//! From text to terms: fold, correct typos, rewrite aliases, drop stopwords, stem. Facts and
//! questions go through the same steps (typo correction aside: the fact base is the spelling
//! reference), so "Kiev’s" in a quote and "kyiv" typed by a member become the same term.

use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// True for a name: a word the member capitalized mid-sentence, or one from the `[names]`
    /// aliases. A question is held to the names it mentions more strictly than to other words,
    /// and a name the fact base has never heard of ("Erdogan", "Geneva") is the surest sign the
    /// question is about something else.
    pub name: bool,
    /// True for the thing a "which …"/"what …" question asks about ("which *hotel*"). If the
    /// fact base has never heard of it, nothing in it can be the answer.
    pub asked_about: bool,
}

pub struct Analyzer {
    /// Alias variants by their stemmed words, so "giving up" meets "give up".
    aliases: HashMap<Vec<String>, Vec<String>>,
    longest_alias: usize,
    /// Stems of the canonical words of `[names]` aliases.
    names: HashSet<String>,
    /// Every word of every alias as written: known words, never "corrected" into another.
    alias_words: Vec<String>,
    stemmer: Stemmer,
    /// Every word of the fact base, before stemming, with its count.
    vocabulary: BTreeMap<String, u32>,
    typos: TypoIndex,
}

/// Words before a lower-case "us" that make it the pronoun, not the United States
/// ("tell us", "give us"), which would otherwise half-match every fact about the US.
const PRONOUN_US_AFTER: &[&str] = &[
    "tell", "give", "show", "help", "let", "teach", "explain", "remind", "to", "for", "with", "of",
    "about",
];

/// How many words after "which"/"what" may name the thing asked about ("which European
/// *countries*").
const ASKED_ABOUT_REACH: usize = 2;

/// A member's question, cut to size and folded once for everything the matcher asks of it.
pub struct Question {
    text: String,
    /// Folded words, at most [`MAX_QUESTION_WORDS`].
    pub words: Vec<String>,
}

impl Question {
    pub fn new(question: &str) -> Question {
        let text: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let mut words = fold_words(&text);
        words.truncate(MAX_QUESTION_WORDS);
        Question { text, words }
    }
}

/// A word of the text on its way to becoming a term.
struct Word {
    surface: String,
    stem: String,
    corrected: bool,
}

impl Analyzer {
    /// An analyzer that knows `aliases` but no vocabulary yet: enough to analyze the fact base.
    pub fn new(aliases: &[Alias]) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut map: HashMap<Vec<String>, Vec<String>> = HashMap::new();
        let mut names = HashSet::new();
        let mut alias_words = Vec::new();
        for alias in aliases {
            alias_words.extend(alias.variant.iter().chain(&alias.canonical).cloned());
            let key = alias
                .variant
                .iter()
                .map(|w| stemmer.stem(w).into_owned())
                .collect();
            // Two variants that stem alike: the one written first in the file wins.
            map.entry(key).or_insert_with(|| alias.canonical.clone());
            if alias.name {
                names.extend(alias.canonical.iter().map(|w| stemmer.stem(w).into_owned()));
            }
        }
        let longest_alias = map.keys().map(Vec::len).max().unwrap_or(1);
        Analyzer {
            aliases: map,
            longest_alias,
            names,
            alias_words,
            stemmer,
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
        for word in &self.alias_words {
            self.vocabulary.entry(word.clone()).or_insert(1);
        }
        self.typos = TypoIndex::new(self.vocabulary.iter().map(|(w, c)| (w.as_str(), *c)));
    }

    /// Terms of fact text: no typo correction, the fact base spells as it means.
    pub fn fact_terms(&self, text: &str) -> Vec<Term> {
        let words = fold_words(text)
            .into_iter()
            .map(|w| self.word(w, false))
            .collect();
        self.terms(words, &[])
    }

    /// Terms of a member's question, with typos corrected against the fact base's vocabulary.
    pub fn question_terms(&self, question: &Question) -> Vec<Term> {
        let words = question
            .words
            .iter()
            .map(|word| self.spell(word.clone()))
            .collect();
        self.terms(words, &names(&question.text))
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
        found
            .into_iter()
            .take(limit)
            .map(|(w, _)| w.clone())
            .collect()
    }

    pub fn knows(&self, word: &str) -> bool {
        self.vocabulary.contains_key(word)
    }

    fn word(&self, surface: String, corrected: bool) -> Word {
        Word {
            stem: self.stemmer.stem(&surface).into_owned(),
            surface,
            corrected,
        }
    }

    fn spell(&self, word: String) -> Word {
        let word = respell(&word).to_string();
        if self.knows(&word) || is_stopword(&word) || is_question_word(&word) {
            return self.word(word, false);
        }
        match self.typos.correct(&word) {
            Some(correction) => self.word(correction.word, true),
            None => self.word(word, false),
        }
    }

    fn terms(&self, words: Vec<Word>, capitalized: &[String]) -> Vec<Term> {
        // Alias keys are stems; one list of them serves every phrase length tried below.
        let stems: Vec<String> = words.iter().map(|w| w.stem.clone()).collect();
        let mut terms: Vec<Term> = Vec::new();
        let mut asked_about_reach = 0;
        let mut i = 0;
        while i < words.len() {
            let previous = i.checked_sub(1).map(|p| words[p].surface.as_str());
            if words[i].surface == "us" && previous.is_some_and(|p| PRONOUN_US_AFTER.contains(&p)) {
                i += 1;
                continue;
            }
            let alias = self.alias_at(&stems, i);
            let used = alias.map_or(1, |(_, used)| used);
            let span = &words[i..i + used];
            let corrected = span.iter().any(|w| w.corrected);
            let capital = used == 1 && capitalized.contains(&words[i].surface);
            let replacement: Vec<(&str, Option<&str>)> = match alias {
                Some((canonical, _)) => canonical.iter().map(|w| (w.as_str(), None)).collect(),
                // A word with no alias keeps the stem already computed for it.
                None => vec![(words[i].surface.as_str(), Some(words[i].stem.as_str()))],
            };
            for (surface, stem) in replacement {
                let Some(mut term) = self.term(surface, stem, corrected, capital) else {
                    continue;
                };
                if term.class == Class::QuestionWord {
                    asked_about_reach = if matches!(surface, "which" | "what") {
                        ASKED_ABOUT_REACH
                    } else {
                        0
                    };
                } else if asked_about_reach > 0 {
                    asked_about_reach -= 1;
                    term.asked_about = !span.iter().any(|w| self.knows(&w.surface));
                }
                terms.push(term);
            }
            i += used;
        }
        terms
    }

    /// The longest alias starting at word `start`, as (canonical words, words consumed).
    fn alias_at(&self, stems: &[String], start: usize) -> Option<(&[String], usize)> {
        let longest = self.longest_alias.min(stems.len() - start);
        (1..=longest).rev().find_map(|len| {
            self.aliases
                .get(&stems[start..start + len])
                .map(|canonical| (canonical.as_slice(), len))
        })
    }

    fn term(&self, word: &str, stem: Option<&str>, corrected: bool, capital: bool) -> Option<Term> {
        if is_question_word(word) {
            return Some(Term {
                stem: word.to_string(),
                class: Class::QuestionWord,
                corrected: false,
                name: false,
                asked_about: false,
            });
        }
        if is_stopword(word) {
            return None;
        }
        let stem = stem.map_or_else(|| self.stemmer.stem(word).into_owned(), str::to_string);
        Some(Term {
            name: capital || self.names.contains(&stem),
            stem,
            class: Class::Content,
            corrected,
            asked_about: false,
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
