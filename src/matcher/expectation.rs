//! What kind of answer a question wants, when it says so plainly.
//!
//! "On what date did Zelenskiy's term expire?" shares every content word with the fact that his
//! term expired, yet the article gives no date: answering would be the nearest-fact guess the bot
//! must never make. When a question asks for a date or a number outright ("what date", "how
//! many"), a fact that holds none is not an answer to it, however well its words match. Plain
//! "when" is left alone: "when will the US give guarantees?" is rightly answered by a condition.

use crate::text::fold_words;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Date,
    Number,
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
    ("what", "time", Expected::Date),
    ("since", "when", Expected::Date),
    ("until", "when", Expected::Date),
    ("how", "many", Expected::Number),
    ("how", "much", Expected::Number),
    ("how", "old", Expected::Number),
    ("what", "number", Expected::Number),
    ("what", "percentage", Expected::Number),
    ("what", "percent", Expected::Number),
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tomorrow",
];

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

/// What a question (as folded words) explicitly asks for, if anything.
pub fn expected(words: &[String]) -> Option<Expected> {
    words.windows(2).find_map(|pair| {
        ASKS.iter()
            .find(|(first, second, _)| pair[0] == *first && pair[1] == *second)
            .map(|(_, _, kind)| *kind)
    })
}

/// What kinds of answer a fact's text can give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Provides {
    pub date: bool,
    pub number: bool,
}

impl Provides {
    pub fn of(text: &str) -> Provides {
        let words = fold_words(text);
        let has_digits = words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
        Provides {
            date: words.iter().any(|w| {
                MONTHS.contains(&w.as_str()) || WEEKDAYS.contains(&w.as_str()) || is_year(w)
            }),
            number: has_digits || words.iter().any(|w| NUMBER_WORDS.contains(&w.as_str())),
        }
    }

    pub fn satisfies(self, expected: Expected) -> bool {
        match expected {
            Expected::Date => self.date,
            Expected::Number => self.number,
        }
    }
}

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
        ];
        for (question, kind) in table {
            assert_eq!(expected(&fold_words(question)), kind, "{question}");
        }
    }

    #[test]
    fn facts_that_give_a_date_or_a_number() {
        assert!(Provides::of("They met in Hallandale on November 30th.").date);
        assert!(Provides::of("Talks resumed in 2025.").date);
        assert!(!Provides::of("His presidential term has expired.").date);
        assert!(Provides::of("Three delegations attended.").number);
        assert!(!Provides::of("Rubio called the session productive.").number);
    }
}
