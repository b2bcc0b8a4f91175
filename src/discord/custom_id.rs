//! What a button does, written into its `custom_id` (at most 100 characters), so a click is
//! understood even after a restart: no per-message state is kept.

use super::limits;

const PREFIX: &str = "talkbot:";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonAction {
    /// Answer the first question of this fact (a suggestion offered with a refusal).
    Ask { fact: String },
    /// Show this page of `/facts`, for one topic or for all.
    FactsPage { page: usize, topic: Option<String> },
}

impl ButtonAction {
    /// `None` when the id would be over Discord's limit; the caller then offers no button.
    pub fn custom_id(&self) -> Option<String> {
        let id = match self {
            ButtonAction::Ask { fact } => format!("{PREFIX}ask:{fact}"),
            ButtonAction::FactsPage { page, topic } => {
                format!("{PREFIX}facts:{page}:{}", topic.as_deref().unwrap_or(""))
            }
        };
        (limits::length(&id) <= limits::CUSTOM_ID).then_some(id)
    }

    /// `None` for ids that are not ours or not well formed: such clicks are left alone.
    pub fn parse(custom_id: &str) -> Option<ButtonAction> {
        let rest = custom_id.strip_prefix(PREFIX)?;
        if let Some(fact) = rest.strip_prefix("ask:") {
            return (!fact.is_empty()).then(|| ButtonAction::Ask {
                fact: fact.to_string(),
            });
        }
        let (page, topic) = rest.strip_prefix("facts:")?.split_once(':')?;
        Some(ButtonAction::FactsPage {
            page: page.parse().ok()?,
            topic: (!topic.is_empty()).then(|| topic.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(action: ButtonAction) {
        let id = action.custom_id().expect("fits");
        assert_eq!(ButtonAction::parse(&id), Some(action));
    }

    #[test]
    fn actions_survive_the_round_trip() {
        round_trip(ButtonAction::Ask {
            fact: "election-timelines-discussed".into(),
        });
        round_trip(ButtonAction::FactsPage {
            page: 3,
            topic: None,
        });
        round_trip(ButtonAction::FactsPage {
            page: 0,
            topic: Some("security guarantees: a:b".into()),
        });
    }

    #[test]
    fn ids_over_the_limit_are_refused() {
        let fact = "f".repeat(100);
        assert_eq!(ButtonAction::Ask { fact }.custom_id(), None);
    }

    #[test]
    fn foreign_and_broken_ids_are_ignored() {
        for id in [
            "",
            "other:ask:x",
            "talkbot:ask:",
            "talkbot:facts:x:",
            "talkbot:facts:1",
            "talkbot:nope",
        ] {
            assert_eq!(ButtonAction::parse(id), None, "{id}");
        }
    }
}
