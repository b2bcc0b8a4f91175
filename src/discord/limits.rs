//! Discord's size limits, and the one way we shorten text to meet them.
//!
//! Discord rejects a whole message when any part is over a limit, so a long quote or a long
//! question would otherwise turn an answer into an error. Every renderer goes through
//! [`crate::discord::reply::Reply::fit`], which applies these.

/// Message content.
pub const CONTENT: usize = 2000;
pub const EMBED_TITLE: usize = 256;
pub const EMBED_DESCRIPTION: usize = 4096;
pub const FIELD_NAME: usize = 256;
pub const FIELD_VALUE: usize = 1024;
pub const FIELDS: usize = 25;
pub const FOOTER: usize = 2048;
/// Title, description, field names and values, and footer, over all embeds of one message.
pub const EMBED_TOTAL: usize = 6000;
pub const BUTTON_LABEL: usize = 80;
pub const CUSTOM_ID: usize = 100;
pub const BUTTONS_PER_ROW: usize = 5;
pub const ROWS: usize = 5;
pub const AUTOCOMPLETE_CHOICES: usize = 25;
/// Both the name shown and the value sent back.
pub const AUTOCOMPLETE_CHOICE: usize = 100;

/// Discord counts characters, not bytes.
pub fn length(text: &str) -> usize {
    text.chars().count()
}

/// `text` cut to at most `max` characters, ending in "…" when something was cut, so a reader
/// can tell a shortened quote from a whole one.
pub fn truncate(text: &str, max: usize) -> String {
    if length(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_left_alone() {
        assert_eq!(truncate("abc", 3), "abc");
    }

    #[test]
    fn long_text_ends_in_an_ellipsis_within_the_limit() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(length(&truncate("абвгдежз", 5)), 5);
    }

    #[test]
    fn zero_leaves_nothing() {
        assert_eq!(truncate("abc", 0), "");
    }
}
