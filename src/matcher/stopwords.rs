//! Words that say nothing about which fact is wanted. Besides the usual function words, this
//! holds the filler of questions put to a bot ("tell me", "what did … say", "in this story"):
//! were they content, "What did Putin say?" would half-match every fact that quotes a speaker.

/// Question words are kept apart: they hint at the kind of answer ("where" wants a place) and
/// count for a little, but never carry a match on their own.
pub const QUESTION_WORDS: &[&str] = &[
    "who", "whom", "whose", "what", "which", "where", "when", "why", "how",
];

pub const STOPWORDS: &[&str] = &[
    "a", "about", "above", "actually", "after", "again", "all", "also", "am", "an", "and", "any",
    "anyone", "anything", "are", "arent", "as", "at", "be", "been", "being", "both", "but", "by",
    "can", "cant", "could", "couldnt", "currently", "did", "didnt", "do", "does", "doesnt",
    "doing", "dont", "each", "else", "even", "ever", "exactly", "for", "from", "get", "give",
    "go", "going", "got", "had", "has", "hasnt", "have", "havent", "having", "he", "hello",
    "her", "here", "hers", "hey", "hi", "him", "his", "i", "id", "if", "im", "in", "into", "is",
    "isnt", "it", "its", "ive", "just", "kind", "know", "let", "lets", "like", "me", "mean",
    "might", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "ok",
    "okay", "on", "one", "only", "or", "other", "our", "out", "over", "please", "pls", "plz",
    "really", "right", "say", "says", "saying", "shall", "she", "should", "so", "some",
    "something", "sort", "still", "story", "such", "sure", "tell", "than", "thank", "thanks",
    "that", "thats", "the", "their", "theirs", "them", "then", "there", "these", "they", "thing",
    "things", "think", "this", "those", "through", "thx", "to", "too", "u", "uh", "um", "up",
    "ur", "very", "want", "was", "wasnt", "way", "we", "well", "were", "werent", "will", "with", "wont", "would", "wouldnt", "ya", "yeah", "yes", "yet",
    "you", "your", "yours", "article", "bot", "news", "anyway", "basically", "guys", "folks",
    "name", "named", "called", "mention", "mentioned", "quick", "q", "yo", "lol", "talkbot",
    "wondering", "curious", "someone", "somebody", "anybody", "said", "does", "dude", "hmm",
    "went", "gone", "goes", "people", "person", "key", "main", "major", "important",
    "specifically", "overall", "general", "generally", "details", "detail", "info", "exact",
    "wants", "wanted", "wanting", "tells", "told", "knows", "knew", "thinks", "thought", "wer",
    "text", "piece", "sorry", "apologies", "apologize", "question", "questions", "explain",
    "ask", "asks", "asked", "asking", "kinda", "sorta", "reading", "read", "confused", "lost",
];

/// Chat spellings of question words, read as the word meant.
const CHAT_SPELLINGS: &[(&str, &str)] = &[
    ("wat", "what"),
    ("wut", "what"),
    ("wot", "what"),
    ("wht", "what"),
    ("whats", "what"),
    ("wats", "what"),
    ("whos", "who"),
    ("wheres", "where"),
    ("wher", "where"),
    ("whn", "when"),
    ("whr", "where"),
    ("wen", "when"),
    ("hw", "how"),
];

/// The question word a chat spelling stands for, or the word itself.
pub fn respell(word: &str) -> &str {
    CHAT_SPELLINGS
        .iter()
        .find(|(chat, _)| *chat == word)
        .map_or(word, |(_, meant)| meant)
}

pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

pub fn is_question_word(word: &str) -> bool {
    QUESTION_WORDS.contains(&word)
}
