//! From text to terms: fold, correct typos, rewrite aliases, drop stopwords, stem. Facts and
//! questions go through the same steps (typo correction aside: the fact base is the spelling
//! reference), so "Kiev’s" in a quote and "kyiv" typed by a member become the same term.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

use super::chat::chat_language;
use super::family::same_word;
use super::parts;
use super::slip::{self, likeliest_slip};
use super::stopwords::{
    is_general_noun, is_question_word, is_stopword, misspelled_function_word, near_question_word,
};
use super::translation::{self, lexicon};
use super::typo::TypoIndex;
use super::wordfreq::{english, everyday_zipf};
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
    /// How much an unknown word of a question says, from how rare it is in English at large:
    /// near 1 for "Peskov" or "parliament", near 0 for "stuff" or "these". Always 1 in facts.
    pub informativeness: f32,
}

pub struct Analyzer {
    /// Alias variants by their stemmed words, so "giving up" meets "give up".
    aliases: FxHashMap<Vec<String>, Vec<String>>,
    longest_alias: usize,
    /// Per one-word alias key (a stem), the words written for it: a word that only stems like
    /// them ("position" beside "positive") is not an alias use. See `family.rs`.
    single_words: FxHashMap<String, Vec<String>>,
    /// Per first stem of an alias variant, the longest variant starting with it: a word that
    /// begins no alias is settled with one lookup instead of one per phrase length.
    alias_firsts: FxHashMap<String, usize>,
    /// Stems of the canonical words of `[names]` aliases.
    names: FxHashSet<String>,
    /// Every word of every alias as written: known words, never "corrected" into another.
    alias_words: FxHashSet<String>,
    /// Words that, before a multi-word alias, make a longer name that the alias does not mean
    /// ("deputy" in "Deputy Secretary of State"), learned from the fact base's capitals.
    modifiers: FxHashSet<String>,
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

/// A word at least this frequent in English (Zipf scale: 3 is once per million words) is a
/// word in its own right, not a typo.
const REAL_WORD_ZIPF: f32 = 3.0;
/// A non-word is read as an English word one edit away only when that word is this common (three
/// times in a million words or more): the slip must be likelier than a name.
const EVERYDAY_SLIP_ZIPF: f32 = slip::INDEXED_ZIPF;
/// A shorter one is read so only as a function word: short names no list holds ("Sumy") are
/// one edit from a common word ("sum") too often; a long word one edit from one is that word.
const EVERYDAY_SLIP_MIN_LEN: usize = 6;
/// A listed word rarer than this ("ther", 3.1) may be a slip on a function word...
const RARE_LISTED_ZIPF: f32 = 3.5;
/// ...when that function word is this much more common: a hundred times, against the few in a
/// hundred that a word is mistyped.
const SLIP_ODDS_ZIPF: f32 = 2.0;
/// A listed word longer than this is a word, not a slip on a function word.
const MAX_FUNCTION_SLIP_LEN: usize = 4;
/// A word stripped of a chat possessive's "s" keeps at least this many letters.
const POSSESSIVE_MIN_LEN: usize = 4;

/// How much an unknown word of a question weighs, from its English frequency: a word not in
/// the list (a name, a rare term, a typo nobody could correct) weighs fully; "thing" (Zipf 5.6)
/// hardly at all. Linear on the Zipf scale between these two points.
const INFORMATIVE_ZIPF: f32 = 4.5;
const FILLER_ZIPF: f32 = 5.5;
const MIN_INFORMATIVENESS: f32 = 0.05;

/// Common words that carry a question's meaning however frequent they are: "when is the
/// *next* meeting" is not answered by the last one.
const WEIGHTY_WORDS: &[&str] = &[
    "next",
    "upcoming",
    "future",
    "later",
    "previous",
    "former",
    "never",
    "again",
    "tomorrow",
    "yesterday",
    "before",
    "after",
    "since",
    "without",
];

fn is_weighty(word: &str) -> bool {
    WEIGHTY_WORDS.contains(&word)
}

fn informativeness(word: &str) -> f32 {
    if is_weighty(word) {
        return 1.0;
    }
    match everyday_zipf(word) {
        None => 1.0,
        Some(zipf) => ((FILLER_ZIPF - zipf) / (FILLER_ZIPF - INFORMATIVE_ZIPF))
            .clamp(MIN_INFORMATIVENESS, 1.0),
    }
}

/// How many words after "which"/"what" may name the thing asked about ("which European
/// *countries*").
const ASKED_ABOUT_REACH: usize = 2;

/// A member's question, cut to size and folded once for everything the matcher asks of it.
pub struct Question {
    text: String,
    /// Folded words, at most [`MAX_QUESTION_WORDS`].
    pub words: Vec<String>,
    /// The questions it asks, as ranges of `words`: one, or several for "who led the talks
    /// and where were they".
    pub parts: Vec<Range<usize>>,
}

impl Question {
    pub fn new(question: &str) -> Question {
        let text: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let mut words = fold_words(&parts::joining_marks_as_words(&text));
        words.truncate(MAX_QUESTION_WORDS);
        let mut words = chat_language().rewrite(lexicon().translate(words));
        words.truncate(MAX_QUESTION_WORDS);
        let parts = parts::parts(&words);
        Question { text, words, parts }
    }

    /// The same question with some of its words left out: the text keeps its capitals, which
    /// say what is a name.
    pub fn with_words(self, words: Vec<String>) -> Question {
        let parts = parts::parts(&words);
        Question {
            text: self.text,
            words,
            parts,
        }
    }

    /// A question already folded into `words`, such as a part of another question.
    pub fn from_words(words: &[String]) -> Question {
        Question {
            text: words.join(" "),
            words: words.to_vec(),
            parts: std::iter::once(0..words.len()).collect(),
        }
    }
}

/// One fact text as the build reads it: see [`Analyzer::fact_text`].
pub struct FactText {
    /// Folded, for the vocabulary.
    pub words: Vec<String>,
    /// The modifiers it teaches.
    pub modifiers: Vec<String>,
    /// The words just before a multi-word alias.
    pub before_aliases: Vec<String>,
    pub terms: Vec<Term>,
}

/// A word of the text on its way to becoming a term.
#[derive(Clone)]
struct Word {
    surface: String,
    stem: String,
    corrected: bool,
}

/// A question's words with typos corrected: see [`Analyzer::spell_all`].
pub struct Spelled(Vec<Word>);

impl Spelled {
    /// The corrected words of `range`: what a question's kind of answer ("which mnth") is
    /// read from.
    pub fn words(&self, range: Range<usize>) -> Vec<String> {
        self.0[range].iter().map(|w| w.surface.clone()).collect()
    }
}

impl Analyzer {
    /// An analyzer that knows `aliases` but no vocabulary yet: enough to analyze the fact base.
    pub fn new(aliases: &[Alias]) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        // Through the memo: every refresh builds an analyzer, and stemming a large base's
        // aliases afresh each time was a tenth of a refresh.
        let mut map: FxHashMap<Vec<String>, Vec<String>> = FxHashMap::default();
        let mut names = FxHashSet::default();
        let mut alias_words = FxHashSet::default();
        let mut single_words: FxHashMap<String, Vec<String>> = FxHashMap::default();
        // A group's own word always means itself: "aide" (adviser) stems to "aid", and must
        // not turn "military aid" into "military adviser".
        let canonical_stems: HashSet<Vec<String>> = aliases
            .iter()
            .map(|alias| {
                alias
                    .canonical
                    .iter()
                    .map(|w| stem_memo(&stemmer, w))
                    .collect()
            })
            .collect();
        for alias in aliases {
            alias_words.extend(alias.variant.iter().chain(&alias.canonical).cloned());
            let key: Vec<String> = alias
                .variant
                .iter()
                .map(|w| stem_memo(&stemmer, w))
                .collect();
            let own: Vec<String> = alias
                .canonical
                .iter()
                .map(|w| stem_memo(&stemmer, w))
                .collect();
            if key != own && canonical_stems.contains(&key) {
                continue;
            }
            if let [stem] = key.as_slice() {
                let written = single_words.entry(stem.clone()).or_default();
                written.extend(alias.variant.iter().chain(&alias.canonical).cloned());
            }
            // Two variants that stem alike: the one written first in the file wins.
            map.entry(key).or_insert_with(|| alias.canonical.clone());
            if alias.name {
                names.extend(alias.canonical.iter().map(|w| stem_memo(&stemmer, w)));
            }
        }
        let longest_alias = map.keys().map(Vec::len).max().unwrap_or(1);
        let mut alias_firsts: FxHashMap<String, usize> = FxHashMap::default();
        for key in map.keys() {
            if let Some(first) = key.first() {
                let longest = alias_firsts.entry(first.clone()).or_default();
                *longest = (*longest).max(key.len());
            }
        }
        Analyzer {
            aliases: map,
            single_words,
            longest_alias,
            alias_firsts,
            names,
            alias_words,
            modifiers: FxHashSet::default(),
            stemmer,
            vocabulary: BTreeMap::new(),
            typos: TypoIndex::default(),
        }
    }

    /// Learns the fact base's own words, for typo correction and autocomplete.
    pub fn learn_vocabulary<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) {
        let mut vocabulary: BTreeMap<String, u32> = BTreeMap::new();
        let mut modifiers = HashSet::new();
        for text in texts {
            let (words, found) = self.words_of_fact_text(text);
            modifiers.extend(found);
            for word in words {
                *vocabulary.entry(word).or_default() += 1;
            }
        }
        self.learn(vocabulary, modifiers);
    }

    /// Build side, one fact text at a time (and so on any thread): its folded words, for the
    /// vocabulary, and the modifiers it teaches ([`Analyzer::learn`] takes both, summed over
    /// the base).
    pub fn words_of_fact_text(&self, text: &str) -> (Vec<String>, Vec<String>) {
        let words = fold_words(text);
        let modifiers = self.modifiers_in(text, &words);
        (words, modifiers)
    }

    /// Build side: [`Analyzer::words_of_fact_text`] and [`Analyzer::fact_terms`] of one fact
    /// text from one folding and stemming, the terms as the modifiers learned so far make
    /// them. Also the words that stand just before a multi-word alias: a modifier learned
    /// later changes these terms only if it is one of them.
    pub fn fact_text(&self, text: &str) -> FactText {
        let words = fold_words(text);
        let stems: Vec<String> = words.iter().map(|w| stem_memo(&self.stemmer, w)).collect();
        let mut before_aliases = Vec::new();
        let modifiers = self.modifiers_at(text, &words, &stems, &mut before_aliases);
        let terms = self.terms(
            words
                .iter()
                .zip(stems)
                .map(|(surface, stem)| Word {
                    surface: surface.clone(),
                    stem,
                    corrected: false,
                })
                .collect(),
            &[],
            false,
        );
        FactText {
            words,
            modifiers,
            before_aliases,
            terms,
        }
    }

    /// Takes the fact base's vocabulary (word → count) and the modifiers found in it, and
    /// builds the typo index over it. The alias words are known words too.
    pub fn learn(&mut self, mut vocabulary: BTreeMap<String, u32>, modifiers: HashSet<String>) {
        self.modifiers.extend(modifiers);
        for word in &self.alias_words {
            vocabulary.entry(word.clone()).or_insert(1);
        }
        self.vocabulary = vocabulary;
        self.typos = TypoIndex::new(self.vocabulary.iter().map(|(w, c)| (w.as_str(), *c)));
    }

    /// The modifiers learned so far, sorted: what fact analysis depends on besides the aliases.
    pub fn modifiers(&self) -> Vec<&str> {
        let mut modifiers: Vec<&str> = self.modifiers.iter().map(String::as_str).collect();
        modifiers.sort_unstable();
        modifiers
    }

    /// The capitalised words that open a longer name around a multi-word alias: where a
    /// fact says "Deputy Secretary of State", "deputy secretary of state" is someone other than
    /// the "secretary of state" the alias means, in facts and questions alike. A word that is
    /// itself a name or an alias word ("US Secretary of State") or a function word is no such
    /// modifier.
    fn modifiers_in(&self, text: &str, words: &[String]) -> Vec<String> {
        if self.longest_alias < 2 || words.len() < 3 {
            return Vec::new();
        }
        let stems: Vec<String> = words.iter().map(|w| stem_memo(&self.stemmer, w)).collect();
        self.modifiers_at(text, words, &stems, &mut Vec::new())
    }

    /// [`Analyzer::modifiers_in`] with the words' stems, also pushing to `before_aliases` every
    /// word just before a multi-word alias (under two words or no such alias, there is none).
    fn modifiers_at(
        &self,
        text: &str,
        words: &[String],
        stems: &[String],
        before_aliases: &mut Vec<String>,
    ) -> Vec<String> {
        let mut found = Vec::new();
        if self.longest_alias < 2 || words.len() < 3 {
            return found;
        }
        let mut capitalised: Option<HashSet<String>> = None;
        for i in 1..words.len() {
            let Some((_, used)) = self.alias_at(stems, i) else {
                continue;
            };
            if used < 2 {
                continue;
            }
            before_aliases.push(words[i - 1].clone());
            let capitalised = capitalised.get_or_insert_with(|| capitalised_words(text));
            let before = &words[i - 1];
            let modifier = capitalised.contains(before)
                && capitalised.contains(&words[i])
                && !is_stopword(before)
                && !self.alias_words.contains(before)
                && !self.names.contains(&stems[i - 1]);
            if modifier {
                found.push(before.clone());
            }
        }
        found
    }

    /// Terms of fact text: no typo correction, the fact base spells as it means.
    pub fn fact_terms(&self, text: &str) -> Vec<Term> {
        let words = fold_words(text)
            .into_iter()
            .map(|surface| Word {
                stem: stem_memo(&self.stemmer, &surface),
                surface,
                corrected: false,
            })
            .collect();
        self.terms(words, &[], false)
    }

    /// Terms of a member's question, with typos corrected against the fact base's vocabulary.
    pub fn question_terms(&self, question: &Question) -> Vec<Term> {
        self.part_terms(question, 0..question.words.len())
    }

    /// Terms of the words `range` of a question: one of the questions it asks.
    pub fn part_terms(&self, question: &Question, range: Range<usize>) -> Vec<Term> {
        self.spelled_part_terms(question, &self.spell_all(question), range)
    }

    /// Every word of a question as the matcher reads it, typos corrected, once for all the
    /// uses a question has for them.
    pub fn spell_all(&self, question: &Question) -> Spelled {
        Spelled(
            question
                .words
                .iter()
                .map(|w| self.spell(w.clone()))
                .collect(),
        )
    }

    /// [`Analyzer::part_terms`] of words already spelled.
    pub fn spelled_part_terms(
        &self,
        question: &Question,
        spelled: &Spelled,
        range: Range<usize>,
    ) -> Vec<Term> {
        self.terms(spelled.0[range].to_vec(), &names(&question.text), true)
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
        if self.knows(&word) || is_stopword(&word) || is_question_word(&word) {
            return self.word(word, false);
        }
        let zipf = english().zipf(&word);
        // A rare listed word one slip from a far more common function word is that word
        // misspelled ("ther", "wer"): the slip is likelier than the rarity. Only onto function
        // words, which weigh nothing either way; a rare name is never read as a common word.
        // Short words only ("reaping" is no slip on "reading"), and not where it could be a
        // slip on one question word as well as on another function word ("whe").
        let short = word.len() <= MAX_FUNCTION_SLIP_LEN;
        if let Some(zipf) = zipf.filter(|&z| z < RARE_LISTED_ZIPF && short) {
            if let Some(meant) = likeliest_slip(&word, zipf + SLIP_ODDS_ZIPF)
                .filter(|w| is_question_word(w) || (is_stopword(w) && !near_question_word(&word)))
            {
                return self.word(meant.to_string(), true);
            }
        }
        // A real English word is never "corrected" into another: "unclear" is not "nuclear".
        if zipf.is_some_and(|z| z >= REAL_WORD_ZIPF) {
            return self.word(word, false);
        }
        if zipf.is_some() {
            return match self.typos.correct(&word) {
                Some(correction) => self.word(correction.word, true),
                None => self.word(word, false),
            };
        }
        // No English word at all: a misspelled "who" or "what" is likelier than a rare word of
        // the base one letter away, and four letters are enough to try the base's words.
        if let Some(meant) = misspelled_function_word(&word) {
            return self.word(meant.to_string(), false);
        }
        if let Some(correction) = self.correct_non_word(&word) {
            return self.word(correction, true);
        }
        // Nothing in the base is that close: a slip on an everyday word ("tgether") is likelier
        // than a rare name no list holds, and read as that word it weighs as little.
        // Not when the slip could be on a question word: "whe" may be "when", "where" or
        // "who", and reading it as "the" would drop what kind of answer is wanted.
        if near_question_word(&word) {
            return self.word(word, false);
        }
        match likeliest_slip(&word, EVERYDAY_SLIP_ZIPF)
            .filter(|meant| word.len() >= EVERYDAY_SLIP_MIN_LEN || is_stopword(meant))
        {
            Some(meant) => self.word(meant.to_string(), true),
            None => self.word(word, false),
        }
    }

    /// The base's word that a non-word misspells, by letters or by sound. Chat drops the
    /// possessive's apostrophe ("rusisas" for "Russia's"), which puts the typo a letter
    /// further from the word: without its "s" it is tried again.
    fn correct_non_word(&self, word: &str) -> Option<String> {
        let correct = |word: &str| {
            self.typos
                .correct_non_word(word)
                .or_else(|| self.typos.correct_by_sound(word))
                .map(|c| c.word)
        };
        correct(word).or_else(|| {
            let bare = word
                .strip_suffix('s')
                .filter(|bare| bare.len() >= POSSESSIVE_MIN_LEN)?;
            correct(bare).map(|meant| meant + "s")
        })
    }

    fn terms(&self, mut words: Vec<Word>, capitalized: &[String], question: bool) -> Vec<Term> {
        // Alias keys are stems; one list of them serves every phrase length tried below.
        let stems: Vec<String> = words
            .iter_mut()
            .map(|w| std::mem::take(&mut w.stem))
            .collect();
        let mut terms: Vec<Term> = Vec::new();
        let mut asked_about_reach = 0;
        let mut asked_by_what = false;
        let mut i = 0;
        while i < words.len() {
            let previous = i.checked_sub(1).map(|p| words[p].surface.as_str());
            if words[i].surface == "us" && previous.is_some_and(|p| PRONOUN_US_AFTER.contains(&p)) {
                i += 1;
                continue;
            }
            let modified = i > 0 && self.modifiers.contains(&words[i - 1].surface);
            let alias = self
                .alias_at(&stems, i)
                .filter(|(_, used)| !(modified && *used >= 2))
                .filter(|(_, used)| *used > 1 || self.is_alias_use(&words[i].surface, &stems[i]));
            let used = alias.map_or(1, |(_, used)| used);
            let span = &words[i..i + used];
            let corrected = span.iter().any(|w| w.corrected);
            let capital = used == 1 && capitalized.contains(&words[i].surface);
            let (canonical, own): (&[String], Option<(&str, &str)>) = match alias {
                Some((canonical, _)) => (canonical, None),
                // A word with no alias keeps the stem already computed for it.
                None => (&[], Some((words[i].surface.as_str(), stems[i].as_str()))),
            };
            let replacement = canonical
                .iter()
                .map(|w| (w.as_str(), None))
                .chain(own.map(|(surface, stem)| (surface, Some(stem))));
            for (surface, stem) in replacement {
                let Some(mut term) = self.term(surface, stem, corrected, capital) else {
                    continue;
                };
                let unknown = question && term.class == Class::Content && !self.knows(surface);
                if unknown {
                    term.informativeness = informativeness(surface);
                }
                if unknown && is_general_noun(surface) {
                    // "what nuclear *stuff*": the word beside it is what is asked about.
                    term.informativeness = MIN_INFORMATIVENESS;
                } else if term.class == Class::QuestionWord {
                    asked_by_what = surface == "what";
                    asked_about_reach = if matches!(surface, "which" | "what") {
                        ASKED_ABOUT_REACH
                    } else {
                        0
                    };
                } else if asked_about_reach > 0 {
                    asked_about_reach -= 1;
                    // "що робить", "что делает": in Ukrainian and Russian "what" is followed by
                    // the verb ("what does it do"), and a word left untranslated there is that
                    // verb, not the thing asked about. "Which" ("які санкції") is followed by it.
                    let verb_after_what =
                        asked_by_what && span.iter().any(|w| translation::is_cyrillic(&w.surface));
                    term.asked_about =
                        !verb_after_what && !span.iter().any(|w| self.knows(&w.surface));
                }
                terms.push(term);
            }
            i += used;
        }
        terms
    }

    /// Whether `word`, whose stem is a one-word alias key, is a form of a word the alias was
    /// written with. An English word that merely stems alike is a word of its own; a word no
    /// list holds may be a form nobody listed, and stems are the best guess for it.
    fn is_alias_use(&self, word: &str, stem: &str) -> bool {
        match self.single_words.get(stem) {
            Some(written) if english().zipf(word).is_some() => {
                written.iter().any(|w| same_word(w, word))
            }
            _ => true,
        }
    }

    /// The longest alias starting at word `start`, as (canonical words, words consumed).
    fn alias_at(&self, stems: &[String], start: usize) -> Option<(&[String], usize)> {
        let longest = match self.alias_firsts.get(&stems[start]) {
            Some(&longest) => longest.min(stems.len() - start),
            None => return None,
        };
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
                informativeness: 1.0,
            });
        }
        if is_stopword(word) {
            return None;
        }
        // An alias's canonical words ("mehmet maroyan") come here unstemmed, in most facts.
        let stem = stem.map_or_else(|| stem_memo(&self.stemmer, word), str::to_string);
        Some(Term {
            name: capital || self.names.contains(&stem),
            stem,
            class: Class::Content,
            corrected,
            asked_about: false,
            informativeness: 1.0,
        })
    }
}

/// Past this many words the build-side stem memo starts over, so it stays small.
const STEM_MEMO_CAP: usize = 100_000;

thread_local! {
    /// Each building thread's stems of the words it has met: a fact base says the same few
    /// thousand words millions of times, and Snowball is the costly part of analysing them.
    static STEMS: std::cell::RefCell<FxHashMap<String, String>> =
        std::cell::RefCell::new(FxHashMap::default());
}

/// `stemmer.stem(word)`, remembered per thread (every analyzer stems English alike).
fn stem_memo(stemmer: &Stemmer, word: &str) -> String {
    STEMS.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(stem) = memo.get(word) {
            return stem.clone();
        }
        if memo.len() >= STEM_MEMO_CAP {
            memo.clear();
        }
        let stem = stemmer.stem(word).into_owned();
        memo.insert(word.to_string(), stem.clone());
        stem
    })
}

/// Every word written with a capital, folded, wherever it stands: in a fact, a title such as
/// "Deputy Secretary of State" may open a sentence.
fn capitalised_words(text: &str) -> HashSet<String> {
    text.split_whitespace()
        .filter(|token| {
            token
                .chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(char::is_uppercase)
        })
        .flat_map(fold_words)
        .collect()
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
