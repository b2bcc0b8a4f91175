//! What kind of answer a question wants, when it says so plainly.
//!
//! "On what date did Zelenskiy's term expire?" shares every content word with the fact that his
//! term expired, yet the article gives no date: answering would be the nearest-fact guess the bot
//! must never make. When a question asks for a date or a number outright ("what date", "how
//! many"), a fact that holds none is not an answer to it, however well its words match. Plain
//! "when" is left alone: "when will the US give guarantees?" is rightly answered by a condition.

use super::wordfreq::english;
use crate::knowledge::date::{MONTHS, WEEKDAYS};
use crate::text::fold_words;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Date,
    Number,
    /// "How long": a length of time, which a date is not.
    Duration,
    /// "What is the name of…", "what's their name": a proper name, as "Volodymyr Zelenskiy".
    Name,
    /// "What time did it start": a time of day, which a date is not.
    Clock,
    /// "Where were they", "which city": a place named in the fact ("in Hallandale").
    Place,
}

/// Word pairs that ask for a date or a number.
const ASKS: &[(&str, &str, Expected)] = &[
    ("what", "date", Expected::Date),
    ("which", "date", Expected::Date),
    ("date", "of", Expected::Date),
    ("what", "day", Expected::Date),
    ("which", "day", Expected::Date),
    ("what", "year", Expected::Date),
    ("which", "year", Expected::Date),
    ("what", "month", Expected::Date),
    ("which", "month", Expected::Date),
    ("what", "time", Expected::Clock),
    ("what", "hour", Expected::Clock),
    ("which", "hour", Expected::Clock),
    ("which", "city", Expected::Place),
    ("what", "city", Expected::Place),
    ("which", "country", Expected::Place),
    ("what", "country", Expected::Place),
    ("what", "place", Expected::Place),
    ("what", "location", Expected::Place),
    ("what", "venue", Expected::Place),
    ("since", "when", Expected::Date),
    // "When did they meet?" asks for a date; "when will the US give guarantees?" may be
    // answered by a condition, so only the past tense is held to a date.
    ("when", "did", Expected::Date),
    ("when", "was", Expected::Date),
    ("when", "were", Expected::Date),
    ("when", "exactly", Expected::Date),
    ("until", "when", Expected::Date),
    ("how", "many", Expected::Number),
    ("how", "much", Expected::Number),
    ("how", "old", Expected::Number),
    ("how", "long", Expected::Duration),
    ("what", "number", Expected::Number),
    ("what", "percentage", Expected::Number),
    ("what", "percent", Expected::Number),
];

/// Months as members shorten them; the full names are the loader's (`knowledge::date`).
const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

const DURATIONS: &[&str] = &[
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "decade", "decades",
];

/// Days named relative to today; the weekdays are the loader's (`knowledge::date`).
const RELATIVE_DAYS: &[&str] = &["yesterday", "today", "tomorrow"];

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "dozen",
    "dozens",
    "half",
];

/// Verbs that attribute words or a view to someone, in questions ("what did Rubio *say*") and
/// in facts ("Rubio *stated* that…"). A fact answers "what did P say" only if it attributes
/// something to P: a fact that merely names P is the nearest-fact guess the bot must not make.
const QUESTION_SPEECH_VERBS: &[&str] = &[
    "say",
    "said",
    "says",
    "saying",
    "tell",
    "told",
    "think",
    "thinks",
    "thought",
    "mention",
    "mentioned",
    "claim",
    "claimed",
    "comment",
    "feel",
    "feeling",
    "feels",
    "reckon",
    "believe",
    "want",
    "wants",
    "argue",
    "argued",
    "stated",
    "announce",
    "announced",
];
const FACT_SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "stated",
    "emphasized",
    "emphasised",
    "confirmed",
    "confirms",
    "added",
    "adding",
    "told",
    "called",
    "described",
    "warned",
    "noted",
    "argued",
    "insisted",
    "insists",
    "perceived",
    "according",
    "believes",
    "thinks",
    "views",
    "sees",
    "stance",
    "position",
    "refusing",
    "refuses",
    "rejecting",
    "rejects",
    "demands",
    "demand",
    "wants",
];
/// Auxiliaries that open "what did/does/has P say".
const AUXILIARIES: &[&str] = &[
    "did", "does", "do", "has", "have", "is", "was", "are", "were",
];
/// How far on either side of a speech verb a fact's words count as its speaker.
const SPEAKER_REACH: usize = 5;
/// Words that set something aside: "who else besides Umerov" is not answered by Umerov.
const EXCLUDING: &[&[&str]] = &[
    &["besides"],
    &["except"],
    &["apart", "from"],
    &["aside", "from"],
    &["other", "than"],
    &["excluding"],
];

/// What a question asks of the fact that answers it, beyond sharing its words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asks {
    pub kind: Option<Expected>,
    /// "What did P say": the folded words naming P.
    pub speaker: Vec<String>,
    /// "Besides X": the folded words naming X.
    pub excluded: Vec<String>,
}

impl Asks {
    pub fn of(words: &[String]) -> Asks {
        Asks {
            kind: expected(words),
            speaker: speaker(words),
            excluded: excluded(words),
        }
    }
}

/// The words between "what did" and "say": who the question wants words from.
fn speaker(words: &[String]) -> Vec<String> {
    let Some(open) = words.iter().position(|w| w == "what" || w == "how") else {
        return Vec::new();
    };
    let rest = &words[open + 1..];
    let Some(aux) = rest.iter().position(|w| AUXILIARIES.contains(&w.as_str())) else {
        return Vec::new();
    };
    if aux > 1 {
        return Vec::new();
    }
    let after = &rest[aux + 1..];
    let Some(verb) = after
        .iter()
        .take(5)
        .position(|w| QUESTION_SPEECH_VERBS.contains(&w.as_str()))
    else {
        return Vec::new();
    };
    after[..verb].to_vec()
}

fn excluded(words: &[String]) -> Vec<String> {
    for (i, _) in words.iter().enumerate() {
        for marker in EXCLUDING {
            let end = i + marker.len();
            if end <= words.len() && words[i..end].iter().zip(marker.iter()).all(|(w, m)| w == m) {
                return words[end..].iter().take(2).cloned().collect();
            }
        }
    }
    Vec::new()
}

/// The words of a fact's text near a verb that attributes something to someone: its speakers.
// The build folds a fact's text once for this and `Provides`; only the tests start from text.
#[cfg(test)]
pub fn speaker_words(text: &str) -> Vec<String> {
    speaker_words_in(&fold_words(text))
}

/// [`speaker_words`] of a text already folded into `words`.
pub fn speaker_words_in(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let united_states = word == "states" && i > 0 && words[i - 1] == "united";
        if united_states || !FACT_SPEECH_VERBS.contains(&word.as_str()) {
            continue;
        }
        let start = i.saturating_sub(SPEAKER_REACH);
        let end = (i + SPEAKER_REACH).min(words.len());
        out.extend(words[start..end].iter().cloned());
    }
    out
}

impl Expected {
    pub const ALL: [Expected; 6] = [
        Expected::Date,
        Expected::Number,
        Expected::Duration,
        Expected::Name,
        Expected::Clock,
        Expected::Place,
    ];

    /// The words that name this kind of answer: a fact that gives a date answers "which
    /// *month*" as far as the word "month" goes.
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Expected::Date => &["date", "day", "month", "year"],
            Expected::Number => &["number", "percentage", "percent", "amount"],
            Expected::Duration => &["long", "length", "duration"],
            Expected::Name => &["name", "named", "called"],
            Expected::Clock => &["time", "hour", "clock"],
            Expected::Place => &["where", "place", "location", "venue", "city", "country"],
        }
    }

    /// The nouns among [`Expected::words`], singular and plural: "is there a *date*" names
    /// the kind of answer without a question word of its own.
    pub fn nouns(self) -> &'static [&'static str] {
        match self {
            Expected::Date => &["date", "dates", "day", "days", "month", "year"],
            Expected::Number => &["number", "numbers", "percentage", "percent", "amount"],
            Expected::Duration => &["length", "duration"],
            Expected::Name => &["name", "names"],
            Expected::Clock => &["time", "hour", "clock"],
            Expected::Place => &["place", "location", "venue", "city", "country"],
        }
    }
}

/// What a question (as folded words) explicitly asks for, if anything.
pub fn expected(words: &[String]) -> Option<Expected> {
    // "what is the name of the US president", "what's their name": a name, wherever the word
    // "name" stands after "what".
    let asks_name = words.iter().position(|w| w == "what").is_some_and(|what| {
        words[what + 1..]
            .iter()
            .take(5)
            .any(|w| w == "name" || w == "names")
    });
    if asks_name {
        return Some(Expected::Name);
    }
    let pair = words.windows(2).find_map(|pair| {
        ASKS.iter()
            .find(|(first, second, _)| pair[0] == *first && pair[1] == *second)
            .map(|(_, _, kind)| *kind)
    });
    // "Where were the talks" wants a place; "where does Russia stand" wants a position.
    let asks_place =
        words.iter().any(|w| w == "where") && !words.iter().any(|w| STANDING.contains(&w.as_str()));
    // "When will they hold elections, is there a date": a plain "when" may be answered by a
    // condition, but not once the question names a date as what it wants.
    let asks_date = words.iter().any(|w| w == "when")
        && words
            .iter()
            .any(|w| Expected::Date.nouns().contains(&w.as_str()));
    pair.or(asks_place.then_some(Expected::Place))
        .or(asks_date.then_some(Expected::Date))
}

/// "Where … stand": a position, not a place.
const STANDING: &[&str] = &[
    "stand", "stands", "standing", "headed", "heading", "going", "leave", "leaves",
];

/// What kinds of answer a fact's text can give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Provides {
    pub date: bool,
    pub number: bool,
    pub duration: bool,
    /// Names someone in full: two capitalised words in a row ("Steve Witkoff").
    pub name: bool,
    /// A time of day: "3 p.m.", "10:30", "noon".
    pub clock: bool,
    /// A place: a capitalised word after "in", "at", "from", "near" ("in Hallandale").
    pub place: bool,
}

impl Provides {
    #[cfg(test)]
    pub fn of(text: &str) -> Provides {
        Provides::of_folded(text, &fold_words(text))
    }

    /// [`Provides::of`] of `text`, given its folded `words`.
    pub fn of_folded(text: &str, words: &[String]) -> Provides {
        let has_digits = words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
        Provides {
            date: words.iter().any(|w| {
                MONTHS.contains(&w.as_str())
                    || MONTH_ABBREVIATIONS.contains(&w.as_str())
                    || WEEKDAYS.contains(&w.as_str())
                    || RELATIVE_DAYS.contains(&w.as_str())
                    || is_year(w)
            }),
            number: has_digits || words.iter().any(|w| NUMBER_WORDS.contains(&w.as_str())),
            // "two hours", "3 days": a unit of time after a number. "The year" alone is not one.
            name: has_full_name(text),
            clock: words.windows(2).any(|pair| is_clock(&pair[0], &pair[1]))
                || words.iter().any(|w| CLOCK_WORDS.contains(&w.as_str()))
                || text
                    .split_whitespace()
                    .any(|token| is_hh_mm(token.trim_end_matches(['.', ',', ';', ')']))),
            place: has_place(text),
            duration: words.windows(2).any(|pair| {
                let number = pair[0].chars().all(|c| c.is_ascii_digit())
                    || NUMBER_WORDS.contains(&pair[0].as_str());
                number && DURATIONS.contains(&pair[1].as_str())
            }),
        }
    }

    pub fn satisfies(self, expected: Expected) -> bool {
        match expected {
            Expected::Date => self.date,
            Expected::Number => self.number,
            Expected::Duration => self.duration,
            Expected::Name => self.name,
            Expected::Clock => self.clock,
            Expected::Place => self.place,
        }
    }
}

/// Words before a place: "in Hallandale", "from the Donbass region".
const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "from", "near", "outside"];

/// Whether the text names a place: a preposition, perhaps "the", then a capitalised word that
/// is not a month or a weekday ("in November" is a date).
fn has_place(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    tokens.iter().enumerate().any(|(i, token)| {
        if !PLACE_PREPOSITIONS.contains(&token.to_lowercase().as_str()) {
            return false;
        }
        let next = match tokens.get(i + 1) {
            Some(&"the") => tokens.get(i + 2),
            next => next,
        };
        next.is_some_and(|next| {
            let folded = fold_words(next);
            next.chars().next().is_some_and(char::is_uppercase)
                && next.chars().skip(1).any(char::is_lowercase)
                && !folded
                    .iter()
                    .any(|w| MONTHS.contains(&w.as_str()) || WEEKDAYS.contains(&w.as_str()))
        })
    })
}

/// Times of day named by a word.
const CLOCK_WORDS: &[&str] = &["noon", "midnight", "midday", "o'clock", "oclock"];

/// "3 pm", "11 a" (of "11 a.m.", folded to words).
fn is_clock(number: &str, suffix: &str) -> bool {
    let hour = number.parse::<u8>().is_ok_and(|h| (1..=24).contains(&h));
    hour && matches!(suffix, "am" | "pm" | "a" | "p")
}

/// "10:30" as written: folding would make it two numbers, which are more often something else.
fn is_hh_mm(word: &str) -> bool {
    let Some((h, m)) = word.split_once(':') else {
        return false;
    };
    h.parse::<u8>().is_ok_and(|h| h < 25) && m.len() == 2 && m.parse::<u8>().is_ok_and(|m| m < 60)
}

/// Two capitalised words in a row, each a capital followed by lower case: "Marco Rubio", not
/// "US" or "NATO" (initialisms), nor "Hallandale, Florida" (a comma between).
fn has_full_name(text: &str) -> bool {
    let capitalised = |token: &str| {
        let mut chars = token.chars();
        chars.next().is_some_and(char::is_uppercase)
            && token.chars().skip(1).any(char::is_lowercase)
            && token
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
    };
    let ends = |token: &str| {
        token
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')'])
            .len()
    };
    // "United States" and a headline's "Talks Stall" are capitalised pairs of everyday words;
    // a person's name has at least one word that is not one ("Steve *Witkoff*").
    let everyday = |token: &str| {
        fold_words(token)
            .iter()
            .all(|w| english().zipf(w).is_some_and(|z| z >= EVERYDAY_ZIPF))
    };
    text.split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|pair| {
            let second = &pair[1][..ends(pair[1])];
            capitalised(pair[0]) && capitalised(second) && !(everyday(pair[0]) && everyday(second))
        })
}

/// As frequent as this in English, a word is an everyday word rather than part of a name.
const EVERYDAY_ZIPF: f32 = 4.5;

fn is_year(word: &str) -> bool {
    word.len() == 4
        && (word.starts_with("19") || word.starts_with("20"))
        && word.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_that_ask_for_a_date_or_a_number() {
        let table = [
            ("On what date did his term expire?", Some(Expected::Date)),
            ("What is Rubio's date of birth?", Some(Expected::Date)),
            ("How many drones were launched?", Some(Expected::Number)),
            ("How old is Zelenskiy?", Some(Expected::Number)),
            ("When will the US give guarantees?", None),
            ("Who led the talks?", None),
            ("when did they meet", Some(Expected::Date)),
            ("how long has he been an envoy", Some(Expected::Duration)),
            ("what is the name of the US president", Some(Expected::Name)),
            ("what is their name", Some(Expected::Name)),
            ("what time did the meeting start", Some(Expected::Clock)),
            ("where were the talks held", Some(Expected::Place)),
            ("which city is it datelined from", Some(Expected::Place)),
            ("where does russia stand on nato", None),
            // "who was the interpreter" may be answered by a description ("a retired
            // lighthouse keeper"), so a role asked about is not held to a name.
            ("who is the us president", None),
        ];
        for (question, kind) in table {
            assert_eq!(expected(&fold_words(question)), kind, "{question}");
        }
    }

    #[test]
    fn questions_that_want_words_from_someone_or_set_someone_aside() {
        let asks = |q: &str| Asks::of(&fold_words(q));
        assert_eq!(
            asks("what did rubio say about the meeting").speaker,
            ["rubio"]
        );
        assert_eq!(
            asks("what does the ukrainian source think").speaker,
            ["the", "ukrainian", "source"]
        );
        assert!(asks("what did they discuss").speaker.is_empty());
        assert!(asks("who led the talks").speaker.is_empty());
        assert_eq!(
            asks("who else was there besides umerov").excluded,
            ["umerov"]
        );
        assert_eq!(asks("anyone other than witkoff").excluded, ["witkoff"]);
    }

    #[test]
    fn a_fact_speaks_for_the_names_near_its_speech_verbs() {
        let speakers = speaker_words(
            "US Secretary of State Marco Rubio stated that the session was productive.",
        );
        assert!(speakers.contains(&"rubio".to_string()));
        assert!(speaker_words("Jared Kushner took part as an informal adviser.").is_empty());
        assert!(speaker_words("talks in the United States").is_empty());
    }

    #[test]
    fn facts_that_give_a_date_or_a_number() {
        assert!(Provides::of("They met in Hallandale on November 30th.").date);
        assert!(Provides::of("Talks resumed in 2025.").date);
        assert!(!Provides::of("His presidential term has expired.").date);
        assert!(Provides::of("Three delegations attended.").number);
        assert!(!Provides::of("Rubio called the session productive.").number);
        assert!(Provides::of("The meeting lasted three hours.").duration);
        assert!(Provides::of("The talks were led by Steve Witkoff.").name);
        assert!(!Provides::of("The US president's peace roadmap, backed by NATO.").name);
        assert!(!Provides::of("gaps between Kyiv and the United States").name);
        assert!(Provides::of("The meeting began at 3 p.m. local time.").clock);
        assert!(Provides::of("They spoke until 10:30.").clock);
        assert!(!Provides::of("They met on November 30th.").clock);
        assert!(Provides::of("The talks took place at a meeting in Hallandale, Florida.").place);
        assert!(Provides::of("Russia demands withdrawal from the Donbass region.").place);
        assert!(!Provides::of("They met in November.").place);
        assert!(!Provides::of("Rubio said the session was productive.").place);
        assert!(!Provides::of("The article does not give the year.").duration);
    }
}
