//! Chat language: "wat r ppl saying abt the talks" read as "what are people saying about the
//! talks". Members type in shorthand; the fact base is written in plain English. Rewriting the
//! member's words first means every later step (typo correction, aliases, weighting) sees the
//! words meant, so one abbreviation no longer counts as an unknown, heavy word against an
//! answer.
//!
//! The tables are data, in `lang/chat.toml`, so they can be read and extended without reading
//! code. They are compiled in: a bot that answers always has them.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use serde::Deserialize;

use super::stopwords::misspelled_function_word;
use super::typo::one_edit_apart;
use super::wordfreq::english;
use crate::text::fold_words;

/// The word summary phrases become: the topic that holds a base's overview facts.
pub const SUMMARY_TOPIC: &str = "overview";

const CHAT_TOML: &str = include_str!("../../lang/chat.toml");

#[derive(Deserialize)]
struct File {
    abbreviations: HashMap<String, String>,
    contractions: HashMap<String, String>,
    spellings: HashMap<String, String>,
    summary: Summary,
}

#[derive(Deserialize)]
struct Summary {
    phrases: Vec<String>,
}

pub struct ChatLanguage {
    /// Folded words as typed → folded words meant.
    rewrites: HashMap<Vec<String>, Vec<String>>,
    longest: usize,
    /// The words a slip may be read as: the one-word chat forms, and the longer words of the
    /// phrases ("happened" of "what happened"), so "wat happend" is still the phrase.
    slip_targets: BTreeSet<String>,
}

static CHAT: LazyLock<ChatLanguage> = LazyLock::new(|| ChatLanguage::parse(CHAT_TOML));

/// The compiled-in tables.
pub fn chat_language() -> &'static ChatLanguage {
    &CHAT
}

impl ChatLanguage {
    /// Panics on a malformed table: it is compiled in, and a unit test parses it.
    fn parse(text: &str) -> ChatLanguage {
        let file: File = toml::from_str(text).expect("lang/chat.toml is valid");
        let mut rewrites = HashMap::new();
        let tables = [file.abbreviations, file.contractions, file.spellings];
        for (typed, meant) in tables.into_iter().flatten() {
            rewrites.insert(fold_words(&typed), fold_words(&meant));
        }
        for phrase in file.summary.phrases {
            rewrites.insert(fold_words(&phrase), vec![SUMMARY_TOPIC.to_string()]);
        }
        rewrites.retain(|typed, _| !typed.is_empty());
        let longest = rewrites.keys().map(Vec::len).max().unwrap_or(1);
        let slip_targets = rewrites
            .keys()
            .flat_map(|typed| match typed.as_slice() {
                [form] => vec![form],
                phrase => phrase
                    .iter()
                    .filter(|w| w.len() >= MIN_SLIPPED_PHRASE_WORD_LEN)
                    .collect(),
            })
            .filter(|w| w.len() >= MIN_SLIPPED_FORM_LEN)
            .cloned()
            .collect();
        ChatLanguage {
            rewrites,
            longest,
            slip_targets,
        }
    }

    /// `words` (folded) with every chat form replaced by what it means; the longest form
    /// starting at a word wins, so "tl dr" is one phrase and "u s" is the United States.
    pub fn rewrite(&self, words: Vec<String>) -> Vec<String> {
        let words: Vec<String> = words.into_iter().map(|w| self.read_slip(w)).collect();
        // The words with each one-word form read as its one word, for phrases typed in chat
        // themselves: "wat happened" is "what happened".
        let plain: Vec<String> = words
            .iter()
            .map(|w| {
                match self
                    .rewrites
                    .get(std::slice::from_ref(w))
                    .map(Vec::as_slice)
                {
                    Some([meant]) => meant.clone(),
                    _ => w.clone(),
                }
            })
            .collect();
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let longest = self.longest.min(words.len() - i);
            let found = (1..=longest).rev().find_map(|len| {
                let phrase = |words: &[String]| self.rewrites.get(&words[i..i + len]);
                phrase(&words)
                    .or_else(|| phrase(&plain).filter(|_| len > 1))
                    .map(|m| (m, len))
            });
            match found {
                Some((meant, used)) => {
                    out.extend(meant.iter().cloned());
                    i += used;
                }
                None => {
                    out.push(restore_dropped_g(&words[i]));
                    i += 1;
                }
            }
        }
        out
    }
}

/// A chat form this short ("wat", "r") is too near too many words to take a slip for it.
const MIN_SLIPPED_FORM_LEN: usize = 4;
/// A listed word rarer than this may be a common misspelling the list picked up ("happend",
/// 2.8): a word in its own right is at least this common (the analyzer's line too).
const LISTED_WORD_ZIPF: f32 = 3.0;
/// A word of a phrase this short ("what", "is") is a function word, read by the rule for them.
const MIN_SLIPPED_PHRASE_WORD_LEN: usize = 5;

impl ChatLanguage {
    /// A slip on a function word ("whaat", "whhats") read as that word before the tables and
    /// phrases are: "so whaat happened" is the summary phrase it would be spelled right. Only
    /// a word no English list holds (or only as a rare one) and no table knows, one edit from exactly one function word
    /// or else from exactly one chat form or word of a phrase.
    fn read_slip(&self, word: String) -> String {
        let zipf = english().zipf(&word);
        if zipf.is_some_and(|zipf| zipf >= LISTED_WORD_ZIPF)
            || self.rewrites.contains_key(std::slice::from_ref(&word))
        {
            return word;
        }
        // A rare listed word may be a word ("caving"), however near "having": only a word no
        // list holds is taken for a function word.
        if zipf.is_none() {
            if let Some(meant) = misspelled_function_word(&word) {
                return meant.to_string();
            }
        }
        // Or a slip on a chat form ("whhats" for "whats") or on a phrase's word ("happend").
        let mut forms = self
            .slip_targets
            .iter()
            .filter(|form| one_edit_apart(&word, form));
        match (forms.next(), forms.next()) {
            (Some(form), None) => form.clone(),
            _ => word,
        }
    }
}

/// The shortest word whose dropped "g" is put back: "doin", but not "in".
const MIN_DROPPED_G_LEN: usize = 4;
/// How much more common (Zipf) the "-ing" word must be than the word as typed: "doing" 5.6
/// against "doin" 3.8; "skin" is far more common than "sking".
const DROPPED_G_MARGIN: f32 = 1.0;

/// "doin", "sayin", "talkin": the "g" chat drops from "-ing", put back when the "-ing" word is
/// much the more common English word. "putin", "kremlin" and "rain" stay as they are.
fn restore_dropped_g(word: &str) -> String {
    if word.len() >= MIN_DROPPED_G_LEN && word.ends_with("in") {
        let meant = format!("{word}g");
        let typed = english().zipf(word).unwrap_or(0.0);
        if english()
            .zipf(&meant)
            .is_some_and(|zipf| zipf >= typed + DROPPED_G_MARGIN)
        {
            return meant;
        }
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(typed: &str) -> String {
        chat_language().rewrite(fold_words(typed)).join(" ")
    }

    #[test]
    fn a_dropped_g_is_put_back_but_names_keep_theirs() {
        assert_eq!(
            read("whats the military command doin"),
            "what is the military command doing"
        );
        assert_eq!(read("wat r they talkin abt"), "what are they talking about");
        assert_eq!(
            read("putin kremlin berlin rain in"),
            "putin kremlin berlin rain in"
        );
    }

    #[test]
    fn chat_forms_are_read_as_meant() {
        let table = [
            (
                "what did rubio say abt the meeting",
                "what did rubio say about the meeting",
            ),
            ("what r the nuclear issues", "what are the nuclear issues"),
            (
                "whats the deal w/ security guarantees",
                "what is the deal with security guarantees",
            ),
            ("wat did UA say", "what did ukraine say"),
            ("tl;dr", "overview"),
            ("give me the gist pls", "give me overview please"),
            ("the U.S. position", "the united states position"),
            ("who led the talks", "who led the talks"),
            ("so whaat happened", "overview"),
            ("whhats the headline", "what is overview"),
            ("wat happend", "overview"),
            ("wat happend at the talks", "overview at the talks"),
            ("gimme the summry", "give me the overview"),
        ];
        for (typed, meant) in table {
            assert_eq!(read(typed), meant, "{typed:?}");
        }
    }

    #[test]
    fn the_table_parses_and_no_form_rewrites_to_nothing() {
        let chat = ChatLanguage::parse(CHAT_TOML);
        assert!(chat.rewrites.len() > 100);
        assert!(chat.rewrites.values().all(|meant| !meant.is_empty()));
    }
}
