//! Typo tolerance that does not grow with the vocabulary.
//!
//! A misspelled word is looked up SymSpell-style: every word of the fact base is stored under
//! itself and under each of its one-letter deletions; a query word probes the same keys. Two
//! words meet when they are within one edit, or two edits of the kinds typos are made of (a
//! swapped pair, a wrong letter plus a missing one). Only those few candidates are scored with
//! strsim, so a lookup costs the same at 50 facts as at 100,000.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use rphonetic::{DoubleMetaphone, Encoder};

/// Words this short are too easily one letter away from another word ("town"/"down"); they are
/// only ever matched exactly.
const MIN_FUZZY_LEN: usize = 5;

/// A four-letter word is still corrected, by one edit, when the caller knows it is no English
/// word at all ("stve" for "steve"): then nothing it could have meant is lost.
const MIN_NON_WORD_LEN: usize = 4;

/// The words and their keys, in flat arrays: at 100,000 facts the vocabulary runs to tens of
/// thousands of words and a few hundred thousand keys, and one allocation per key (a hash map
/// of vectors) would cost more than the keys themselves.
#[derive(Default)]
pub struct TypoIndex {
    /// Every word, end to end; word `w` is `text[words[w].start..words[w].end]`.
    text: String,
    words: Vec<Word>,
    /// Hash of a word or one of its deletions, sorted, with the word it leads to beside it.
    /// Hashing keeps the table small; a collision only adds a candidate that strsim rejects.
    keys: Vec<u64>,
    key_words: Vec<u32>,
    /// Hash of each word's sound (Double Metaphone), sorted, with the word beside it: a word
    /// spelled as it sounds ("elecshuns") is several edits from the word but sounds the same.
    sounds: Vec<(u64, u32)>,
}

/// Words spelled by ear are corrected only when this long: shorter ones share their sound
/// with too many others.
const MIN_SOUND_LEN: usize = 5;
/// And only onto a word this similar in letters (Jaro-Winkler), so that a sound shared by
/// chance ("nation", "notion") is not taken for a misspelling.
const MIN_SOUND_SIMILARITY: f64 = 0.75;

/// Double Metaphone is a code for English spellings, and the implementation slices its input
/// by bytes: plain lower-case ASCII letters only.
fn sounds_english(word: &str) -> bool {
    word.len() >= MIN_SOUND_LEN && word.bytes().all(|b| b.is_ascii_lowercase())
}

fn sound(word: &str) -> u64 {
    // Full-length codes: the usual four letters would make "elections" sound like "election
    // commission".
    hash(&DoubleMetaphone::new(None).encode(word))
}

#[derive(Clone, Copy)]
struct Word {
    start: u32,
    end: u32,
    count: u32,
}

/// A correction: the vocabulary word meant, and how many edits away it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub word: String,
    pub distance: usize,
}

impl TypoIndex {
    /// `vocabulary` pairs each word with how often it occurs, to prefer the common word when
    /// two are equally close.
    pub fn new<'a>(vocabulary: impl IntoIterator<Item = (&'a str, u32)>) -> Self {
        let mut index = TypoIndex::default();
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        for (word, count) in vocabulary {
            if word.chars().count() < MIN_NON_WORD_LEN {
                continue;
            }
            let id = index.words.len() as u32;
            let start = index.text.len() as u32;
            index.text.push_str(word);
            index.words.push(Word {
                start,
                end: index.text.len() as u32,
                count,
            });
            pairs.extend(keys_of(word).into_iter().map(|key| (key, id)));
            if sounds_english(word) {
                index.sounds.push((sound(word), id));
            }
        }
        index.sounds.sort_unstable();
        // A word with a doubled letter has two equal deletions; it is listed once per key.
        pairs.sort_unstable();
        pairs.dedup();
        index.keys = pairs.iter().map(|(key, _)| *key).collect();
        index.key_words = pairs.iter().map(|(_, id)| *id).collect();
        index.text.shrink_to_fit();
        index.words.shrink_to_fit();
        index
    }

    /// The vocabulary word `word` most likely misspells, if one is close enough for its length.
    pub fn correct(&self, word: &str) -> Option<Correction> {
        self.correct_within(word, MIN_FUZZY_LEN)
    }

    /// Like [`TypoIndex::correct`], for a word known to be no English word, so that four
    /// letters are enough to try.
    pub fn correct_non_word(&self, word: &str) -> Option<Correction> {
        self.correct_within(word, MIN_NON_WORD_LEN)
    }

    /// The vocabulary word that `word`, no English word, sounds like: the letters of the one
    /// most alike among those that sound the same.
    pub fn correct_by_sound(&self, word: &str) -> Option<Correction> {
        if !sounds_english(word) {
            return None;
        }
        let key = sound(word);
        let from = self.sounds.partition_point(|(k, _)| *k < key);
        self.sounds[from..]
            .iter()
            .take_while(|(k, _)| *k == key)
            .map(|&(_, id)| {
                let Word { start, end, .. } = self.words[id as usize];
                let candidate = &self.text[start as usize..end as usize];
                (strsim::jaro_winkler(word, candidate), candidate)
            })
            .filter(|(similarity, candidate)| {
                *similarity >= MIN_SOUND_SIMILARITY && *candidate != word
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, candidate)| Correction {
                word: candidate.to_string(),
                distance: strsim::osa_distance(word, candidate),
            })
    }

    fn correct_within(&self, word: &str, min_len: usize) -> Option<Correction> {
        let len = word.chars().count();
        if !(min_len..=40).contains(&len) {
            return None;
        }
        let limit = if len <= 5 { 1 } else { 2 };
        let mut candidates: Vec<u32> = Vec::new();
        for key in keys_of(word) {
            let from = self.keys.partition_point(|k| *k < key);
            let to = from + self.keys[from..].partition_point(|k| *k == key);
            candidates.extend_from_slice(&self.key_words[from..to]);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(usize, u32, &str)> = None;
        for id in candidates {
            let Word { start, end, count } = self.words[id as usize];
            let candidate = &self.text[start as usize..end as usize];
            let distance = strsim::osa_distance(word, candidate);
            // A short word stands only for a word of its own length or one letter longer
            // ("stve"/"steve"), never a shorter one it merely contains.
            if distance == 0
                || distance > limit
                || (len < MIN_FUZZY_LEN && candidate.chars().count() < len)
            {
                continue;
            }
            let better = match best {
                None => true,
                Some((d, c, w)) => {
                    (distance, std::cmp::Reverse(count), candidate) < (d, std::cmp::Reverse(c), w)
                }
            };
            if better {
                best = Some((distance, count, candidate));
            }
        }
        best.map(|(distance, _, word)| Correction {
            word: word.to_string(),
            distance,
        })
    }
}

/// Whether `a` and `b` are exactly one edit apart: a letter put in, left out or changed, or two
/// neighbours swapped. The same as `strsim::osa_distance(a, b) == 1`, which fills a table over
/// every pair of prefixes; a question with a few non-words asks this of every function word for
/// each, and the table was most of the time such a question took.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return one_edit_apart_in(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit_apart_in(&a, &b)
}

fn one_edit_apart_in<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let same = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() < long.len() {
        return short[same..] == long[same + 1..];
    }
    if same == short.len() {
        return false;
    }
    let changed = short[same + 1..] == long[same + 1..];
    let swapped = same + 1 < short.len()
        && short[same] == long[same + 1]
        && short[same + 1] == long[same]
        && short[same + 2..] == long[same + 2..];
    changed || swapped
}

fn keys_of(word: &str) -> Vec<u64> {
    let chars: Vec<char> = word.chars().collect();
    let mut keys = Vec::with_capacity(chars.len() + 1);
    keys.push(hash(word));
    for skip in 0..chars.len() {
        let deletion: String = chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, c)| c)
            .collect();
        keys.push(hash(&deletion));
    }
    keys
}

fn hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(vocabulary: &[&str], typed: &str, expected: Option<&str>) {
        let index = TypoIndex::new(vocabulary.iter().map(|w| (*w, 1)));
        let got = index.correct(typed).map(|c| c.word);
        assert_eq!(got.as_deref(), expected, "correction of {typed:?}");
    }

    #[test]
    fn corrections_table() {
        let words = [
            "rubio",
            "russia",
            "florida",
            "nuclear",
            "hallandale",
            "guarantees",
            "kushner",
        ];
        check(&words, "rubbio", Some("rubio"));
        check(&words, "rusia", Some("russia"));
        check(&words, "flordia", Some("florida"));
        check(&words, "nucelar", Some("nuclear"));
        check(&words, "hallandal", Some("hallandale"));
        check(&words, "gaurantees", Some("guarantees"));
        check(&words, "kushnr", Some("kushner"));
        // Exact words are not corrections; short words and far-off words are left alone.
        check(&words, "rubio", None);
        check(&words, "rub", None);
        check(&words, "pizza", None);
        check(&["war"], "was", None);
        check(&["steve"], "stve", None);
    }

    #[test]
    fn a_word_spelled_by_ear_is_corrected_to_the_word_it_sounds_like() {
        let index = TypoIndex::new([("elections", 1), ("security", 1), ("nuclear", 1)]);
        let fix = |typed: &str| index.correct_by_sound(typed).map(|c| c.word);
        assert_eq!(fix("elecshuns").as_deref(), Some("elections"));
        assert_eq!(fix("sekurity").as_deref(), Some("security"));
        // A different word, and a word too short to tell, are left alone.
        assert_eq!(fix("pizza").as_deref(), None);
        assert_eq!(fix("sekr").as_deref(), None);
        // Not English letters: no code, and no panic.
        assert_eq!(fix("ñññññ").as_deref(), None);
        assert_eq!(fix("безпека").as_deref(), None);
    }

    #[test]
    fn a_four_letter_non_word_is_corrected_by_one_edit() {
        let index = TypoIndex::new([("steve", 1), ("talks", 1), ("rubio", 1)]);
        let fix = |typed: &str| index.correct_non_word(typed).map(|c| c.word);
        assert_eq!(fix("stve").as_deref(), Some("steve"));
        assert_eq!(fix("tlks").as_deref(), Some("talks"));
        // Two edits are too many for four letters, and three letters are never enough.
        assert_eq!(fix("rbo").as_deref(), None);
        assert_eq!(fix("stvv").as_deref(), None);
    }

    #[test]
    fn one_edit_apart_is_osa_distance_one() {
        // Every string of up to four letters over a small alphabet (so that repeats, swaps and
        // shared prefixes are common), ASCII and not, against every other.
        let alphabet = ['a', 'b', 'c', '\u{e9}'];
        let mut words = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        assert_eq!(words.len(), 341);
        for a in &words {
            for b in &words {
                let want = strsim::osa_distance(a, b) == 1;
                assert_eq!(one_edit_apart(a, b), want, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn equally_close_words_prefer_the_more_common() {
        let index = TypoIndex::new([("troops", 1), ("troopz", 5)]);
        assert_eq!(
            index.correct("troopx").map(|c| c.word).as_deref(),
            Some("troopz")
        );
    }
}
