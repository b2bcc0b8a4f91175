//! Autocomplete answers within Discord's limits: at most 25 choices, each name and value at most
//! 100 characters. A choice too long is left out rather than cut, because its value is sent back
//! as the option and a cut question or id would no longer be the one offered.

use poise::serenity_prelude as serenity;

use super::limits::{self, length, truncate};
use crate::knowledge::KnowledgeBase;

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

/// The facts whose id or statement holds what was typed, whatever its case: shown as
/// "id — statement", filled in as the id. `/source fact:` and `/teach fact:` offer the same.
pub fn fact_choices<'a>(
    knowledge: &'a KnowledgeBase,
    typed: &str,
) -> impl Iterator<Item = Choice> + 'a {
    let typed = typed.trim().to_lowercase();
    knowledge
        .facts
        .iter()
        .filter(move |fact| {
            fact.id.to_lowercase().contains(&typed)
                || fact.statement.to_lowercase().contains(&typed)
        })
        .map(|fact| Choice {
            // The name is only shown, so it may be cut; the id it stands for never is.
            name: truncate(
                &format!("{} — {}", fact.id, fact.statement),
                limits::AUTOCOMPLETE_CHOICE,
            ),
            value: fact.id.clone(),
        })
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

    #[test]
    fn facts_are_offered_by_id_or_statement_in_any_case() {
        let fact = |id: &str, statement: &str| crate::knowledge::Fact {
            id: id.to_string(),
            topic: "talks".into(),
            statement: statement.to_string(),
            questions: Default::default(),
            source: "geneva".into(),
            quote: String::new(),
            paragraph: 1,
            file: "facts/talks.toml".into(),
            line: 1,
            ..Default::default()
        };
        let knowledge = KnowledgeBase {
            sources: Default::default(),
            facts: vec![
                fact("talks-leader", "Anna Berg led the talks.").into(),
                fact("mood", &"Cautious. ".repeat(30)).into(),
            ],
            aliases: Vec::new(),
        };
        let offered = |typed: &str| -> Vec<String> {
            fact_choices(&knowledge, typed)
                .map(|choice| choice.value)
                .collect()
        };
        assert_eq!(offered(" ANNA "), ["talks-leader"]);
        assert_eq!(offered("Talks-L"), ["talks-leader"]);
        assert_eq!(offered("mood"), ["mood"]);
        let all: Vec<Choice> = fact_choices(&knowledge, "").collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].name, "talks-leader — Anna Berg led the talks.");
        assert_eq!(length(&all[1].name), limits::AUTOCOMPLETE_CHOICE);
    }
}
