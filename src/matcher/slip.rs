//! Which everyday English word a non-word is one slip from: "tgether" is "together", "ther"
//! may be "the". The typo index (`typo.rs`) corrects onto the fact base's own words; this one
//! knows the common words of English at large, which the base mostly never uses, so that a
//! slip on one weighs as little as the word itself instead of like a rare name.
//!
//! SymSpell-style, as the typo index: each word of Zipf [`INDEXED_ZIPF`] or more (about 15,000
//! of the shipped list) is stored under a hash of itself and of each of its one-letter
//! deletions; a non-word probes the same keys, and the few words met are checked to be one edit
//! away. Built on first use, in a few milliseconds, about 1.5 MB.

use std::sync::OnceLock;

use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

use super::typo::one_edit_apart;
use super::wordfreq::english;

/// The rarest word a slip is ever read as: three times in a million words.
pub const INDEXED_ZIPF: f32 = 3.5;

const MIN_LEN: usize = 3;
const MAX_LEN: usize = 24;

struct SlipIndex {
    /// (key hash, word number), sorted by key.
    keys: Vec<(u64, u32)>,
    words: Vec<(&'static str, f32)>,
}

fn index() -> &'static SlipIndex {
    static INDEX: OnceLock<SlipIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let words: Vec<(&'static str, f32)> = english()
            .words_at_least(INDEXED_ZIPF)
            .filter(|(word, _)| plain(word))
            .collect();
        let mut keys = Vec::with_capacity(words.len() * 8);
        for (number, (word, _)) in words.iter().enumerate() {
            for_each_key(word.as_bytes(), |key| keys.push((key, number as u32)));
        }
        keys.sort_unstable();
        keys.dedup();
        SlipIndex { keys, words }
    })
}

/// Builds the index now, so that no member's question pays for it.
pub fn load() {
    index();
}

/// The most common English word, at least `min_zipf` (and never below [`INDEXED_ZIPF`]), one
/// edit from `word`: a letter put in, left out or changed, or two neighbours swapped. Only
/// plain lower-case ASCII words of three letters or more, onto words as long.
pub fn likeliest_slip(word: &str, min_zipf: f32) -> Option<&'static str> {
    if !plain(word) {
        return None;
    }
    let index = index();
    let mut best: Option<(f32, &'static str)> = None;
    for_each_key(word.as_bytes(), |key| {
        let from = index.keys.partition_point(|(k, _)| *k < key);
        for &(_, number) in index.keys[from..].iter().take_while(|(k, _)| *k == key) {
            let (candidate, zipf) = index.words[number as usize];
            let better = best.is_none_or(|(z, w)| {
                (zipf, std::cmp::Reverse(candidate)) > (z, std::cmp::Reverse(w))
            });
            if zipf >= min_zipf && better && candidate != word && one_edit_apart(word, candidate) {
                best = Some((zipf, candidate));
            }
        }
    });
    best.map(|(_, word)| word)
}

fn plain(word: &str) -> bool {
    (MIN_LEN..=MAX_LEN).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// The word's own key and one per letter left out.
fn for_each_key(word: &[u8], mut key: impl FnMut(u64)) {
    key(hash(word, None));
    for skip in 0..word.len() {
        key(hash(word, Some(skip)));
    }
}

fn hash(word: &[u8], skip: Option<usize>) -> u64 {
    let mut hasher = FxHasher::default();
    for (i, b) in word.iter().enumerate() {
        if Some(i) != skip {
            b.hash(&mut hasher);
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_word_reads_as_the_most_common_word_one_edit_away() {
        let guess = |word| likeliest_slip(word, INDEXED_ZIPF);
        assert_eq!(guess("tgether"), Some("together"));
        assert_eq!(guess("whhat"), Some("what"));
        assert_eq!(guess("fihgting"), Some("fighting"));
        assert_eq!(guess("ther"), Some("the"));
        // Several words are one edit away: the most common wins.
        assert_eq!(guess("tink"), Some("think"));
        // Too far from anything, or too short to say.
        assert_eq!(guess("xqzvbn"), None);
        assert_eq!(guess("wt"), None);
    }

    #[test]
    fn only_words_as_common_as_asked_for() {
        // "the" is far more common than "ther"; nothing that common is one edit from "sumy".
        assert_eq!(likeliest_slip("ther", 7.0), Some("the"));
        assert_eq!(likeliest_slip("sumy", 6.0), None);
    }
}
