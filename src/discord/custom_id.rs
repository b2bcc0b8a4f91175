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
    /// A member's vote on a stored answer (the id [`crate::curation::Store::record_answer`] gave).
    Vote { answer_id: i64, helpful: bool },
    /// Show this page of `/unanswered` over the last `days` days (moderators only).
    UnansweredPage { days: u32, page: usize },
    /// Show this page of `/feedback` over the last `days` days (moderators only).
    FeedbackPage { days: u32, page: usize },
    /// Post the private answer this button is on to the channel ("Ask talkbot"). The answer
    /// is read back from the clicked message itself, so the id needs nothing more.
    Post,
}

impl ButtonAction {
    /// `None` when the id would be over Discord's limit; the caller then offers no button.
    pub fn custom_id(&self) -> Option<String> {
        let id = match self {
            ButtonAction::Ask { fact } => format!("{PREFIX}ask:{fact}"),
            ButtonAction::FactsPage { page, topic } => {
                format!("{PREFIX}facts:{page}:{}", topic.as_deref().unwrap_or(""))
            }
            ButtonAction::Vote { answer_id, helpful } => {
                format!(
                    "{PREFIX}vote:{answer_id}:{}",
                    if *helpful { "y" } else { "n" }
                )
            }
            ButtonAction::UnansweredPage { days, page } => {
                format!("{PREFIX}unanswered:{days}:{page}")
            }
            ButtonAction::FeedbackPage { days, page } => format!("{PREFIX}feedback:{days}:{page}"),
            ButtonAction::Post => format!("{PREFIX}post"),
        };
        (limits::length(&id) <= limits::CUSTOM_ID).then_some(id)
    }

    /// `None` for ids that are not ours or not well formed: such clicks are left alone.
    pub fn parse(custom_id: &str) -> Option<ButtonAction> {
        let rest = custom_id.strip_prefix(PREFIX)?;
        if rest == "post" {
            return Some(ButtonAction::Post);
        }
        if let Some(fact) = rest.strip_prefix("ask:") {
            return (!fact.is_empty()).then(|| ButtonAction::Ask {
                fact: fact.to_string(),
            });
        }
        if let Some(vote) = rest.strip_prefix("vote:") {
            let (answer_id, helpful) = vote.split_once(':')?;
            return Some(ButtonAction::Vote {
                answer_id: answer_id.parse().ok()?,
                helpful: match helpful {
                    "y" => true,
                    "n" => false,
                    _ => return None,
                },
            });
        }
        if let Some(report) = rest.strip_prefix("unanswered:") {
            let (days, page) = days_and_page(report)?;
            return Some(ButtonAction::UnansweredPage { days, page });
        }
        if let Some(report) = rest.strip_prefix("feedback:") {
            let (days, page) = days_and_page(report)?;
            return Some(ButtonAction::FeedbackPage { days, page });
        }
        let (page, topic) = rest.strip_prefix("facts:")?.split_once(':')?;
        Some(ButtonAction::FactsPage {
            page: page.parse().ok()?,
            topic: (!topic.is_empty()).then(|| topic.to_string()),
        })
    }
}

fn days_and_page(text: &str) -> Option<(u32, usize)> {
    let (days, page) = text.split_once(':')?;
    Some((days.parse().ok()?, page.parse().ok()?))
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
        round_trip(ButtonAction::Vote {
            answer_id: i64::MAX,
            helpful: false,
        });
        round_trip(ButtonAction::Vote {
            answer_id: 1,
            helpful: true,
        });
        round_trip(ButtonAction::UnansweredPage { days: 30, page: 2 });
        round_trip(ButtonAction::FeedbackPage {
            days: 365,
            page: usize::MAX,
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
            "talkbot:vote:12",
            "talkbot:vote:12:maybe",
            "talkbot:vote:x:y",
            "talkbot:unanswered:30",
            "talkbot:feedback:-1:0",
        ] {
            assert_eq!(ButtonAction::parse(id), None, "{id}");
        }
    }
}
