//! Autocomplete answers within Discord's limits: at most 25 choices, each name and value at most
//! 100 characters. A choice too long is left out rather than cut, because its value is sent back
//! as the option and a cut question or id would no longer be the one offered.

use poise::serenity_prelude as serenity;

use super::limits::{self, length};

/// A choice: what the member sees, and what is filled in.
pub struct Choice {
    pub name: String,
    pub value: String,
}

impl Choice {
    /// The same text shown and sent, like a question.
    pub fn plain(text: &str) -> Choice {
        Choice {
            name: text.to_string(),
            value: text.to_string(),
        }
    }
}

pub fn fit(choices: impl IntoIterator<Item = Choice>) -> Vec<Choice> {
    choices
        .into_iter()
        .filter(|choice| {
            let fits = |text: &str| !text.is_empty() && length(text) <= limits::AUTOCOMPLETE_CHOICE;
            fits(&choice.name) && fits(&choice.value)
        })
        .take(limits::AUTOCOMPLETE_CHOICES)
        .collect()
}

pub fn response(choices: impl IntoIterator<Item = Choice>) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(
        fit(choices)
            .into_iter()
            .map(|choice| serenity::AutocompleteChoice::new(choice.name, choice.value))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_25_choices_none_over_100_characters() {
        let choices =
            (0..60).map(|i| Choice::plain(&"q".repeat(if i % 2 == 0 { 101 } else { 100 })));
        let fitted = fit(choices);
        assert_eq!(fitted.len(), 25);
        assert!(fitted
            .iter()
            .all(|c| length(&c.name) <= 100 && length(&c.value) <= 100));
    }

    #[test]
    fn empty_choices_are_left_out() {
        assert!(fit([Choice::plain("")]).is_empty());
    }
}
