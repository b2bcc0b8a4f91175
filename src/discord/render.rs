//! An [`Answer`] as a Discord reply: the statements, and for each fact its source's title,
//! paragraph number, verbatim quote and dates, with Helpful / Not helpful buttons when it was
//! recorded; or, for a refusal, the plain refusal with the suggestions as buttons. Pure, so
//! the limits are checked without Discord; the reply is fitted to them when it is sent.

use std::fmt::Write;

use super::custom_id::ButtonAction;
use super::limits::{self, length, truncate};
use super::reply::{Button, Embed, Field, Reply, ANSWER_COLOUR};
use crate::answer::{Answer, CitedFact};
use crate::workflow::Asked;

/// An answer as it goes out: with vote buttons when it has an id to vote on.
pub fn asked(asked: &Asked) -> Reply {
    let reply = answer(&asked.answer);
    match asked.answer_id {
        Some(answer_id) => with_vote_buttons(reply, answer_id),
        None => reply,
    }
}

pub fn answer(answer: &Answer) -> Reply {
    if answer.answered() {
        answered(answer)
    } else {
        refusal(answer)
    }
}

/// `reply` with Helpful / Not helpful buttons for answer `answer_id`. An answer has no other
/// buttons, so two more stay well within Discord's five per row.
fn with_vote_buttons(mut reply: Reply, answer_id: i64) -> Reply {
    for (label, helpful) in [("👍 Helpful", true), ("👎 Not helpful", false)] {
        let action = ButtonAction::Vote { answer_id, helpful };
        if let Some(custom_id) = action.custom_id() {
            reply.buttons.push(Button {
                label: label.to_string(),
                custom_id,
                disabled: false,
            });
        }
    }
    reply
}

fn answered(answer: &Answer) -> Reply {
    let numbered = answer.facts.len() > 1;
    let mut description = String::new();
    // "source?" shows the paragraphs in full and "really?" the quotes with the confidence:
    // what they asked for, in the answer's own words, above the usual source fields.
    let shows_its_sources = answer
        .follow_up
        .as_ref()
        .is_some_and(|f| f.kind == "source" || f.kind == "sure");
    if shows_its_sources {
        description.push_str(&answer.answer);
        description.push_str("\n\n");
    }
    for (i, fact) in answer.facts.iter().enumerate() {
        if shows_its_sources {
            break;
        }
        if numbered {
            let _ = write!(description, "**{}.** ", i + 1);
        }
        description.push_str(&fact.statement);
        description.push_str("\n\n");
    }
    for part in &answer.unanswered_parts {
        let _ = writeln!(description, "{} “{part}”\n", crate::answer::PART_REFUSAL);
    }
    // Where and when, once per source: the title and dateline are not repeated per quote.
    let mut sources: Vec<&crate::answer::Citation> = Vec::new();
    for fact in &answer.facts {
        if !sources.iter().any(|s| s.id == fact.source.id) {
            sources.push(&fact.source);
        }
    }
    for (source, line) in sources.iter().zip(crate::answer::reported_lines(answer)) {
        let _ = writeln!(
            description,
            "*{line} {} · reported events of {}.*",
            known_or(&source.dateline, "Place not given"),
            known_or(&source.event_date, "date not given"),
        );
    }
    if let Some(line) = crate::answer::earlier_line(answer) {
        let _ = writeln!(description, "*{line}*");
    }
    if let Some(language) = answer.language {
        let _ = writeln!(
            description,
            "{}",
            crate::answer::quotes_in_english(language)
        );
    }
    let fields = answer
        .facts
        .iter()
        .enumerate()
        .map(|(i, fact)| quote_field(fact, numbered.then_some(i + 1)))
        .collect();
    let title = if answer.question.is_empty() {
        "Answer".to_string()
    } else {
        answer.question.clone()
    };
    let footer = match answer.facts.first() {
        Some(fact) => format!(
            "Confidence {:.2} · /source fact:{} shows the whole paragraph",
            answer.confidence, fact.id
        ),
        None => format!("Confidence {:.2}", answer.confidence),
    };
    Reply::embed(Embed {
        title,
        description: description.trim_end().to_string(),
        fields,
        footer,
        colour: ANSWER_COLOUR,
    })
}

/// One fact's quote in an answer, with its paragraph: the source's title and dates are said
/// once for the whole answer.
fn quote_field(fact: &CitedFact, number: Option<usize>) -> Field {
    let paragraph = format!("Paragraph {}", fact.source.paragraph);
    let room = limits::FIELD_VALUE - length(&paragraph) - 4;
    Field {
        name: match number {
            Some(n) => format!("Quote {n}"),
            None => "Quote".to_string(),
        },
        value: format!(
            "> {}\n{paragraph}",
            truncate(&one_line(&fact.source.quote), room)
        ),
        inline: false,
    }
}

fn refusal(answer: &Answer) -> Reply {
    let mut content = answer.answer.clone();
    let mut buttons = Vec::new();
    let mut unbuttoned = Vec::new();
    for suggestion in &answer.suggestions {
        let action = ButtonAction::Ask {
            fact: suggestion.fact_id.clone(),
        }
        .custom_id();
        match action {
            Some(custom_id) if buttons.len() < limits::BUTTONS_PER_ROW * limits::ROWS => buttons
                .push(Button {
                    label: suggestion.question.clone(),
                    custom_id,
                    disabled: false,
                }),
            _ => unbuttoned.push(&suggestion.question),
        }
    }
    if !answer.suggestions.is_empty() {
        content.push_str("\nYou could ask one of these:");
    }
    for suggestion in unbuttoned {
        let _ = write!(content, "\n• {suggestion}");
    }
    Reply {
        content,
        buttons,
        ..Reply::default()
    }
}

/// The article's own words for "unknown" read badly in a citation.
fn known_or<'a>(value: &'a str, otherwise: &'a str) -> &'a str {
    if value.trim().is_empty() || value == "unknown" {
        otherwise
    } else {
        value
    }
}

/// A block quote in Discord lasts one line; a quote spanning lines would fall out of it.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{Citation, Suggestion};
    use crate::discord::reply::assert_within_limits;
    use proptest::prelude::*;

    fn fact(id: &str, statement: &str, quote: &str, title: &str) -> CitedFact {
        CitedFact {
            id: id.into(),
            topic: "talks".into(),
            statement: statement.into(),
            source: Citation {
                id: "article".into(),
                title: title.into(),
                paragraph: 2,
                quote: quote.into(),
                dateline: "WASHINGTON".into(),
                event_date: "November 30".into(),
                published: "unknown".into(),
            },
        }
    }

    #[test]
    fn an_answer_shows_statement_quote_paragraph_and_date() {
        let answer = Answer::new(
            "Who led the talks?",
            0.9,
            vec![fact(
                "led",
                "Witkoff led them.",
                "led by Steve Witkoff",
                "Deadlock Persists",
            )],
            vec![],
        );
        let reply = super::answer(&answer).fit();
        assert_within_limits(&reply);
        let embed = reply.embed.expect("an embed");
        assert_eq!(embed.title, "Who led the talks?");
        assert_eq!(
            embed.description,
            "Witkoff led them.\n\n*As reported by “Deadlock Persists”, date not given. \
             WASHINGTON · reported events of November 30.*"
        );
        assert_eq!(embed.fields[0].name, "Quote");
        assert_eq!(embed.fields[0].value, "> led by Steve Witkoff\nParagraph 2");
        assert!(embed.footer.contains("/source fact:led"));
        assert!(reply.buttons.is_empty());
    }

    #[test]
    fn a_refusal_is_plain_text_with_no_embed() {
        let suggestion = |fact_id: &str, question: &str| Suggestion {
            fact_id: fact_id.into(),
            question: question.into(),
        };
        let answer = Answer::new(
            "weather?",
            0.0,
            vec![],
            vec![
                suggestion("venue", "Where were the talks?"),
                suggestion(&"x".repeat(200), "A fact id too long for a button"),
            ],
        );
        let reply = super::answer(&answer).fit();
        assert_within_limits(&reply);
        assert!(reply.embed.is_none());
        assert!(reply.content.starts_with(crate::answer::REFUSAL));
        assert_eq!(reply.buttons.len(), 1);
        assert_eq!(reply.buttons[0].label, "Where were the talks?");
        assert!(reply.buttons[0].custom_id.contains("venue"));
        // A suggestion whose id cannot fit in a button's custom id is listed instead.
        assert!(reply.content.ends_with("• A fact id too long for a button"));
    }

    #[test]
    fn a_recorded_answer_gets_vote_buttons_and_an_unrecorded_one_none() {
        let answer = Answer::new(
            "Who led the talks?",
            0.9,
            vec![fact("led", "Witkoff led them.", "led by", "Deadlock")],
            vec![],
        );
        let recorded = asked(&Asked {
            answer: answer.clone(),
            answer_id: Some(12),
        });
        let labels: Vec<&str> = recorded.buttons.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["👍 Helpful", "👎 Not helpful"]);
        let unrecorded = asked(&Asked {
            answer,
            answer_id: None,
        });
        assert!(unrecorded.buttons.is_empty());
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![".{0,40}", "[a-zé@<>*_ ]{0,3000}", Just("€".repeat(5000)),]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_answer_fits_discord(
            question in any_text(),
            statements in proptest::collection::vec((any_text(), any_text(), any_text()), 0..30),
            suggestions in proptest::collection::vec((any_text(), any_text()), 0..30),
        ) {
            let facts: Vec<CitedFact> = statements
                .iter()
                .map(|(s, q, t)| fact("id", s, q, t))
                .collect();
            let suggestions = suggestions
                .into_iter()
                .map(|(fact_id, question)| Suggestion { fact_id, question })
                .collect();
            let answer = Answer::new(&question, 0.5, facts, suggestions);
            let sent = asked(&Asked { answer, answer_id: Some(i64::MAX) }).fit();
            assert_within_limits(&sent);
        }
    }
}
