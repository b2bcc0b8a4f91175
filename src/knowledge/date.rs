//! Dates as moderators write them. A source's `published` is `YYYY-MM-DD` (or "unknown"), the
//! one form that cannot be misread and that sorts; its `event_date` is the article's own words
//! ("November 30", "December 7, 2026"), checked only for being a real date, so a typo such as
//! "Novmber 30" is caught before members see it.

use std::fmt;

/// A calendar day. Ordered, so "which report is newer" is a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// The months as articles spell them, January first.
pub const MONTHS: [&str; 12] = [
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
];

/// The days of the week, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Publication years outside this range are typing slips ("2062", "0226"), not old news.
const YEARS: std::ops::RangeInclusive<u16> = 1990..=2100;

impl Date {
    /// `YYYY-MM-DD`, a real day of a plausible year.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.trim().split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let date = Date { year, month, day };
        (YEARS.contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= date.days_in_month())
        .then_some(date)
    }

    fn days_in_month(&self) -> u8 {
        match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// "2026-12-08", as JSON and the metadata file give it.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// "8 Dec 2026": what members read, unambiguous on both sides of the Atlantic.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let month = MONTHS[usize::from(self.month - 1)];
        let short = &month[..3];
        let mut chars = short.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or(' ');
        write!(f, "{} {first}{} {}", self.day, chars.as_str(), self.year)
    }
}

/// An event date as an article gives it: month and day, maybe a year. Returns the month, day
/// and year if given (month and day 0 for a weekday alone), or `None` for text that is not a
/// date this checker understands. Accepted: "November 30", "November 30th", "Nov. 30",
/// "30 November", "November 30, 2026", "30 November 2026", "2026-11-30", "Tuesday",
/// "Tuesday, December 7".
pub fn parse_event_date(text: &str) -> Option<(u8, u8, Option<u16>)> {
    if let Some(date) = Date::parse_iso(text) {
        return Some((date.month, date.day, Some(date.year)));
    }
    let mut words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    // "Tuesday" alone is how many articles date their news; "Tuesday, December 7" too.
    if words
        .first()
        .is_some_and(|w| WEEKDAYS.contains(&w.as_str()))
    {
        words.remove(0);
        if words.is_empty() {
            return Some((0, 0, None));
        }
    }
    let (month, day, year) = match words.as_slice() {
        [m, d] if month_number(m).is_some() => (month_number(m)?, d.as_str(), None),
        [d, m] => (month_number(m)?, d.as_str(), None),
        [m, d, y] if month_number(m).is_some() => (month_number(m)?, d.as_str(), Some(y.as_str())),
        [d, m, y] => (month_number(m)?, d.as_str(), Some(y.as_str())),
        _ => return None,
    };
    let day: u8 = day
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()?;
    let year: Option<u16> = match year {
        Some(y) => Some(y.parse().ok()?),
        None => None,
    };
    // February 29 is a real day when no year says otherwise.
    Date::new(year.unwrap_or(2028), month, day)?;
    Some((month, day, year))
}

/// "november", "nov" (any case) → 11.
pub fn month_number(word: &str) -> Option<u8> {
    let word = word.to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == word
                || (word.len() == 3 && m.starts_with(&word))
                || (word == "sept" && *m == "september")
        })
        .map(|i| i as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_dates_are_real_days_written_yyyy_mm_dd() {
        assert_eq!(Date::parse_iso("2026-12-08"), Date::new(2026, 12, 8));
        assert_eq!(Date::parse_iso("2028-02-29").map(|d| d.day), Some(29));
        for wrong in [
            "2026-13-01",
            "2026-02-30",
            "2027-02-29",
            "8 Dec 2026",
            "2026-12-8",
            "26-12-08",
            "unknown",
        ] {
            assert_eq!(Date::parse_iso(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn members_read_day_short_month_year() {
        assert_eq!(Date::new(2026, 12, 8).unwrap().to_string(), "8 Dec 2026");
        assert_eq!(Date::new(2026, 12, 8).unwrap().iso(), "2026-12-08");
    }

    #[test]
    fn event_dates_are_read_in_the_forms_articles_use() {
        assert_eq!(parse_event_date("November 30"), Some((11, 30, None)));
        assert_eq!(parse_event_date("November 30th"), Some((11, 30, None)));
        assert_eq!(
            parse_event_date("December 7, 2026"),
            Some((12, 7, Some(2026)))
        );
        assert_eq!(
            parse_event_date("7 December 2026"),
            Some((12, 7, Some(2026)))
        );
        assert_eq!(parse_event_date("Dec. 7"), Some((12, 7, None)));
        assert_eq!(parse_event_date("2026-12-07"), Some((12, 7, Some(2026))));
        assert_eq!(parse_event_date("Tuesday"), Some((0, 0, None)));
        assert_eq!(parse_event_date("Monday, December 7"), Some((12, 7, None)));
        for wrong in [
            "Novmber 30",
            "November 31",
            "next Tuesday",
            "December 7, 20266",
        ] {
            assert_eq!(parse_event_date(wrong), None, "{wrong}");
        }
    }
}
