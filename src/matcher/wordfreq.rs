//! How common a word is, on the Zipf scale, from lists shipped in the binary: English, and
//! Ukrainian and Russian for the words of a question the bilingual lexicon does not translate.
//!
//! The matcher needs to tell a word that carries meaning ("Zaporizhzhia", "Umerov") from one
//! that any question may contain ("stuff", "aspect") even when the fact base has never seen
//! either. General-English frequencies answer that: `lang/wordfreq-en.tsv` holds the 60,000 most
//! frequent words of wordfreq 3.1.1's large English list (made by `scripts/export_wordfreq.py`,
//! CC-BY-SA 4.0, see `lang/README.md`). Zipf is log10 of occurrences per billion words: "the" is
//! 7.7, a word once in a million words is 3, and the list stops near 2.4, so a word that is
//! absent is rarer than that (or not a plain English word).
//!
//! `lang/wordfreq-uk.tsv` and `lang/wordfreq-ru.tsv` are the same package's Ukrainian and
//! Russian lists (30,000 words each, folded as the bot folds Cyrillic), so "питання" (issue,
//! question) counts as the filler it is, as "stuff" does, and "должность" (post) as a word.
//!
//! Ukrainian and Russian inflect: "питаннями" (with issues) is rare as a form, 3.8, while its
//! word, "питання", is among the most common, 5.7. So a Cyrillic word also counts as common as
//! its whole family: the forms that share its Snowball (Russian) stem, their frequencies summed.
//! The Russian stemmer serves Ukrainian too: their noun and adjective endings mostly agree, and
//! a family it misses only leaves a word as informative as its own form says.
//!
//! Each file is compiled in with `include_str!` and parsed once, on first use, into a map from
//! borrowed `&'static str` (no copy of the words) to the Zipf value in hundredths: about 3 MB
//! resident beside the 0.8 MB of text, about 10 ms to build, some 20 ns a lookup.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

const ENGLISH_TSV: &str = include_str!("../../lang/wordfreq-en.tsv");
const UKRAINIAN_TSV: &str = include_str!("../../lang/wordfreq-uk.tsv");
const RUSSIAN_TSV: &str = include_str!("../../lang/wordfreq-ru.tsv");

/// Word → Zipf frequency for one language.
pub struct WordFrequencies {
    /// Zipf × 100, so 7.73 is stored as 773.
    /// FxHash: the keys are the shipped list's words, and a misspelled word is looked up a
    /// few hundred times (once per edit), where SipHash would be most of the cost.
    centi_zipf: FxHashMap<&'static str, u16>,
    /// For an inflecting language: stem → the Zipf of all its forms together, × 100.
    family_centi_zipf: HashMap<String, u16>,
}

/// The English list, parsed on first call.
pub fn english() -> &'static WordFrequencies {
    static ENGLISH: OnceLock<WordFrequencies> = OnceLock::new();
    ENGLISH.get_or_init(|| WordFrequencies::parse(ENGLISH_TSV))
}

fn ukrainian() -> &'static WordFrequencies {
    static UKRAINIAN: OnceLock<WordFrequencies> = OnceLock::new();
    UKRAINIAN.get_or_init(|| WordFrequencies::parse(UKRAINIAN_TSV).with_families())
}

fn russian() -> &'static WordFrequencies {
    static RUSSIAN: OnceLock<WordFrequencies> = OnceLock::new();
    RUSSIAN.get_or_init(|| WordFrequencies::parse(RUSSIAN_TSV).with_families())
}

/// Parses every list now, so that no member's question pays for it.
pub fn load_all() {
    english();
    ukrainian();
    russian();
}

/// How common a question's word is in the language it is written in: English for Latin
/// letters; for Cyrillic, Ukrainian or Russian, whichever uses it more, since a short question
/// does not always tell the two apart.
pub fn everyday_zipf(word: &str) -> Option<f32> {
    if word.chars().any(is_cyrillic) {
        let stem = cyrillic_stemmer().stem(word);
        let uk = ukrainian().zipf_with_family(word, &stem);
        let ru = russian().zipf_with_family(word, &stem);
        return match (uk, ru) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    english().zipf(word)
}

/// A stem this short is as likely a name's chance likeness to a word ("умеров" stems to
/// "умер", died) as the word's own family.
const MIN_FAMILY_STEM_CHARS: usize = 5;

fn cyrillic_stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Russian))
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

impl WordFrequencies {
    /// Reads `word<TAB>zipf` lines; `#` lines are comments. A malformed line is skipped (the
    /// shipped file has none: a test counts its words). The first occurrence of a word wins.
    fn parse(tsv: &'static str) -> WordFrequencies {
        let mut centi_zipf =
            FxHashMap::with_capacity_and_hasher(tsv.len() / 12, Default::default());
        for line in tsv.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((word, zipf)) = line.split_once('\t') else {
                continue;
            };
            let Ok(zipf) = zipf.trim().parse::<f32>() else {
                continue;
            };
            if word.is_empty() || !(0.0..=9.0).contains(&zipf) {
                continue;
            }
            centi_zipf
                .entry(word)
                .or_insert((zipf * 100.0).round() as u16);
        }
        WordFrequencies {
            centi_zipf,
            family_centi_zipf: HashMap::new(),
        }
    }

    /// Adds each stem's family frequency: occurrences summed over the forms, back to Zipf.
    fn with_families(mut self) -> WordFrequencies {
        let stemmer = cyrillic_stemmer();
        let mut per_billion: HashMap<String, f64> = HashMap::with_capacity(self.centi_zipf.len());
        for (word, &centi) in &self.centi_zipf {
            *per_billion
                .entry(stemmer.stem(word).into_owned())
                .or_default() += 10f64.powf(f64::from(centi) / 100.0);
        }
        self.family_centi_zipf = per_billion
            .into_iter()
            .map(|(stem, count)| (stem, (count.log10() * 100.0).round() as u16))
            .collect();
        self
    }

    /// The word's own Zipf, or its family's when that is higher.
    fn zipf_with_family(&self, word: &str, stem: &str) -> Option<f32> {
        let family = self
            .family_centi_zipf
            .get(stem)
            .filter(|_| stem.chars().count() >= MIN_FAMILY_STEM_CHARS)
            .map(|&centi| f32::from(centi) / 100.0);
        match (self.zipf(word), family) {
            (Some(own), Some(family)) => Some(own.max(family)),
            (own, family) => own.or(family),
        }
    }

    /// The word's Zipf frequency, or `None` when it is not among the listed words. The list is
    /// lowercase with straight apostrophes; other forms ("The", "don’t") are folded to it first.
    pub fn zipf(&self, word: &str) -> Option<f32> {
        let centi = match self.centi_zipf.get(word) {
            Some(&centi) => centi,
            None if needs_folding(word) => *self.centi_zipf.get(fold(word).as_str())?,
            None => return None,
        };
        Some(f32::from(centi) / 100.0)
    }

    /// The listed words at least `min_zipf` common, with their Zipf values.
    pub fn words_at_least(&self, min_zipf: f32) -> impl Iterator<Item = (&'static str, f32)> + '_ {
        let min_centi = (min_zipf * 100.0).round() as u16;
        self.centi_zipf
            .iter()
            .filter(move |(_, &centi)| centi >= min_centi)
            .map(|(&word, &centi)| (word, f32::from(centi) / 100.0))
    }
}

fn needs_folding(word: &str) -> bool {
    word.chars()
        .any(|c| c.is_uppercase() || c == '\u{2019}' || c == '\u{2018}')
}

fn fold(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' => '\'',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_parses_whole() {
        let data_lines = ENGLISH_TSV
            .lines()
            .filter(|line| !line.starts_with('#'))
            .count();
        assert_eq!(english().centi_zipf.len(), data_lines);
        assert!(data_lines >= 50_000, "{data_lines}");
    }

    #[test]
    fn function_words_are_the_most_common() {
        assert!(english().zipf("the").unwrap() > 7.0);
        assert!(english().zipf("and").unwrap() > 7.0);
    }

    #[test]
    fn everyday_words_are_common() {
        for word in ["aspect", "stuff", "talks", "deal", "don't"] {
            let zipf = english().zipf(word).unwrap_or(0.0);
            assert!(zipf > 4.0, "{word}: {zipf}");
        }
    }

    #[test]
    fn rare_names_are_rare_or_absent() {
        for word in ["zaporizhzhia", "umerov", "hallandale"] {
            let zipf = english().zipf(word).unwrap_or(0.0);
            assert!(zipf < 3.0, "{word}: {zipf}");
        }
    }

    #[test]
    fn unknown_words_are_none() {
        assert_eq!(english().zipf("asdkjhqwe"), None);
        assert_eq!(english().zipf(""), None);
        assert_eq!(english().zipf("the talks"), None);
    }

    #[test]
    fn capitals_and_curly_apostrophes_fold() {
        assert_eq!(english().zipf("The"), english().zipf("the"));
        assert_eq!(english().zipf("DON\u{2019}T"), english().zipf("don't"));
    }

    #[test]
    fn cyrillic_words_are_weighed_in_their_own_languages() {
        // "питання" (question, issue) and "чого" (of what) are everyday Ukrainian; "должность"
        // (a post) is a word in its own right in Russian; none is an English word.
        assert!(everyday_zipf("питання").unwrap() > 5.0);
        assert!(everyday_zipf("чого").unwrap() > 5.0);
        let post = everyday_zipf("должность").unwrap();
        assert!((4.0..5.5).contains(&post), "{post}");
        assert_eq!(everyday_zipf("умеров"), None);
        assert_eq!(everyday_zipf("aspect"), english().zipf("aspect"));
    }

    #[test]
    fn an_inflected_cyrillic_form_is_as_common_as_its_word() {
        // "питаннями" (with issues) is a rare form of one of the commonest words; "ядерними"
        // (nuclear, instrumental) is absent as a form.
        let form = ukrainian().zipf("питаннями").unwrap();
        assert!(form < 4.0, "{form}");
        assert!(everyday_zipf("питаннями").unwrap() > 5.5);
        assert!(everyday_zipf("ядерними").is_some());
        // A name whose stem is a short word's stays unknown: "умерову" is not "умер" (died).
        assert_eq!(everyday_zipf("умерову"), None);
        assert_eq!(everyday_zipf("пєскову"), None);
    }

    #[test]
    fn comments_and_malformed_lines_are_skipped() {
        let list = WordFrequencies::parse("# header\nthe\t7.73\nbad line\nword\tx\nthe\t1.00\n");
        assert_eq!(list.centi_zipf.len(), 1);
        assert_eq!(list.zipf("the"), Some(7.73));
    }
}
