//! Text folding shared by the loader and the matcher.
//!
//! Both sides of a match (a member's question and the fact base) must go through the very same
//! folding, or "Kiev’s" in a quote would never meet "kievs" typed on a phone. Keeping it in one
//! place, with no knowledge of facts or aliases, is what guarantees that.

mod hash;

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

pub use hash::FastMap;

/// Questions longer than this are cut before matching. A real question is a line or two; the cap
/// keeps the matcher's work bounded for a pasted essay (or a 10,000-character flood).
pub const MAX_QUESTION_CHARS: usize = 1_000;

/// Discord markup that carries no words: user, role and channel mentions, custom emoji.
static DISCORD_MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<(?:@[!&]?|#)\d+>|<a?:[A-Za-z0-9_~]+:\d+>|@(?:everyone|here)\b")
        .expect("the markup pattern is valid")
});

/// Folds text for comparison: Discord markup removed, accents stripped, lower case, typographic
/// quotes and dashes made plain. Punctuation is kept here; [`words`] splits on it.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return fold_ascii(text);
    }
    let capped: String = text.chars().take(MAX_QUESTION_CHARS * 4).collect();
    let without_markup = DISCORD_MARKUP.replace_all(&capped, " ");
    without_markup
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{2032}' | '`' | '\u{b4}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// [`fold`] of ASCII text, the commonest by far, without the Unicode machinery: ASCII has no
/// decompositions and no combining marks, and lower-cases to ASCII, so the result is the same.
fn fold_ascii(text: &str) -> String {
    let capped = &text[..text.len().min(MAX_QUESTION_CHARS * 4)];
    DISCORD_MARKUP
        .replace_all(capped, " ")
        .bytes()
        .map(|b| match b {
            b'`' => '\'',
            b if b.is_ascii_control() => ' ',
            b => char::from(b.to_ascii_lowercase()),
        })
        .collect()
}

/// Splits folded text into words: runs of letters and digits. A possessive "’s" is dropped
/// ("Russia’s" is "russia"), other apostrophes join ("won't" is "wont"), and ordinals lose their
/// suffix ("30th" is "30"), so a date typed either way meets the article's.
pub fn words(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in folded.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let trimmed = raw.trim_matches('\'');
        let base = trimmed.strip_suffix("'s").unwrap_or(trimmed);
        let word: String = if base.contains('\'') {
            base.chars().filter(|c| *c != '\'').collect()
        } else {
            base.to_string()
        };
        if word.is_empty() {
            continue;
        }
        out.push(strip_ordinal(word));
    }
    out
}

fn strip_ordinal(word: String) -> String {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let is_ordinal = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(suffix, "st" | "nd" | "rd" | "th");
    if is_ordinal {
        digits.to_string()
    } else {
        word
    }
}

/// Folds and splits in one go: the form the loader uses to compare alias phrases.
pub fn fold_words(text: &str) -> Vec<String> {
    words(&fold(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let got = fold_words(input);
        assert_eq!(got, expected, "words of {input:?}");
    }

    /// The ASCII shortcut folds exactly as the general path does.
    fn fold_general(text: &str) -> String {
        let capped: String = text.chars().take(MAX_QUESTION_CHARS * 4).collect();
        let without_markup = DISCORD_MARKUP.replace_all(&capped, " ");
        without_markup
            .nfkd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                '`' => '\'',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect()
    }

    #[test]
    fn the_ascii_shortcut_folds_as_the_general_path() {
        let every_byte: String = (0u8..128).map(char::from).collect();
        let long = "Who LED the `talks` <@123>? ".repeat(400);
        for text in [
            every_byte.as_str(),
            long.as_str(),
            "RUSSIA'S core Demands, 30th\tNov\u{7f}",
            "@everyone <#456> <:wave:789> <a:x:1>",
        ] {
            assert!(text.is_ascii());
            assert_eq!(fold(text), fold_general(text), "fold of {text:?}");
        }
    }

    #[test]
    fn folding_table() {
        check("Russia’s core demands", &["russia", "core", "demands"]);
        check("RUSSIA'S", &["russia"]);
        check("U.S. delegation", &["u", "s", "delegation"]);
        check("November 30th", &["november", "30"]);
        check("won't", &["wont"]);
        check("Zelenskyy — Kyïv", &["zelenskyy", "kyiv"]);
        check(
            "<@123> who led? <#456> <:wave:789> @everyone",
            &["who", "led"],
        );
        check("```who led```", &["who", "led"]);
        check("", &[]);
        check("   \t\n ", &[]);
        check("🙂🙂", &[]);
        check("نعم hello", &["نعم", "hello"]);
        check("a\u{0}b", &["a", "b"]);
    }
}
