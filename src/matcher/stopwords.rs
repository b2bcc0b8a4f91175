//! Words that say nothing about which fact is wanted. Besides the usual function words, this
//! holds the filler of questions put to a bot ("tell me", "what did … say", "in this story"):
//! were they content, "What did Putin say?" would half-match every fact that quotes a speaker.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::typo::one_edit_apart;

/// Question words are kept apart: they hint at the kind of answer ("where" wants a place) and
/// count for a little, but never carry a match on their own.
pub const QUESTION_WORDS: &[&str] = &[
    "who", "whom", "whose", "what", "which", "where", "when", "why", "how",
];

pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "actually",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "anything",
    "are",
    "arent",
    "as",
    "at",
    "be",
    "been",
    "being",
    "both",
    "but",
    "by",
    "can",
    "cant",
    "could",
    "couldnt",
    "currently",
    "did",
    "didnt",
    "do",
    "does",
    "doesnt",
    "doing",
    "dont",
    "each",
    "else",
    "even",
    "ever",
    "exactly",
    "for",
    "from",
    "get",
    "give",
    "go",
    "going",
    "got",
    "had",
    "has",
    "hasnt",
    "have",
    "havent",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hers",
    "hey",
    "hi",
    "him",
    "his",
    "i",
    "id",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isnt",
    "it",
    "its",
    "ive",
    "just",
    "kind",
    "know",
    "let",
    "lets",
    "like",
    "me",
    "mean",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "ok",
    "okay",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "please",
    "pls",
    "plz",
    "really",
    "right",
    "say",
    "says",
    "saying",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "something",
    "sort",
    "still",
    "story",
    "such",
    "sure",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "thats",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "through",
    "thx",
    "to",
    "too",
    "u",
    "uh",
    "um",
    "up",
    "ur",
    "very",
    "want",
    "was",
    "wasnt",
    "way",
    "we",
    "well",
    "were",
    "werent",
    "will",
    "with",
    "wont",
    "would",
    "wouldnt",
    "ya",
    "yeah",
    "yes",
    "yet",
    "you",
    "your",
    "yours",
    "article",
    "bot",
    "news",
    "anyway",
    "basically",
    "honestly",
    "literally",
    "seriously",
    "guys",
    "folks",
    "name",
    "named",
    "called",
    "mention",
    "mentioned",
    "quick",
    "q",
    "yo",
    "lol",
    "talkbot",
    "wondering",
    "curious",
    "someone",
    "somebody",
    "anybody",
    "said",
    "does",
    "dude",
    "hmm",
    "went",
    "gone",
    "goes",
    "people",
    "person",
    "key",
    "main",
    "major",
    "important",
    "specifically",
    "overall",
    "general",
    "generally",
    "details",
    "detail",
    "info",
    "exact",
    "wants",
    "wanted",
    "wanting",
    "tells",
    "told",
    "knows",
    "knew",
    "thinks",
    "thought",
    "wer",
    "text",
    "piece",
    "sorry",
    "apologies",
    "apologize",
    "question",
    "questions",
    "explain",
    "ask",
    "asks",
    "asked",
    "asking",
    "kinda",
    "sorta",
    "reading",
    "read",
    "confused",
    "lost",
];

/// The lists as sets: every word of every fact passes through both checks when a base is
/// built, and a scan of a few hundred words for each was a large part of a 100,000-fact build.
static STOPWORD_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| STOPWORDS.iter().copied().collect());
static QUESTION_WORD_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| QUESTION_WORDS.iter().copied().collect());

/// General nouns ("stuff", "aspect", "питання"), `lang/general-nouns.txt`: see its header.
static GENERAL_NOUNS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../lang/general-nouns.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// A noun that stands for whatever the sentence is about: it names no topic of its own.
pub fn is_general_noun(word: &str) -> bool {
    GENERAL_NOUNS.contains(word)
}

pub fn is_stopword(word: &str) -> bool {
    STOPWORD_SET.contains(word)
}

pub fn is_question_word(word: &str) -> bool {
    QUESTION_WORD_SET.contains(word)
}

/// The function word a non-word most likely misspells ("whoe", "waht", "wher"), when exactly
/// one is a single edit away: a question word decides what kind of answer is wanted, so a
/// misspelled one must not be read as a rare content word that no fact contains. Three letters
/// at least on both sides, since "hw" or "te" could be anything.
pub fn misspelled_function_word(word: &str) -> Option<&'static str> {
    const MIN_LEN: usize = 3;
    if word.chars().count() < MIN_LEN {
        return None;
    }
    let mut found = QUESTION_WORDS
        .iter()
        .chain(STOPWORDS)
        .filter(|w| w.chars().count() >= MIN_LEN && one_edit_apart(word, w));
    match (found.next(), found.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// Whether `word` is one edit from a question word ("whe": "who", "when", "where", "why").
pub fn near_question_word(word: &str) -> bool {
    word.chars().count() >= 3 && QUESTION_WORDS.iter().any(|w| one_edit_apart(word, w))
}
