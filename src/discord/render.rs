//! An [`Answer`] as a Discord reply: the statements, and for each fact its source's title,
//! paragraph number, verbatim quote and dates; or, for a refusal, the plain refusal with the
//! suggestions as buttons. Pure, so the limits are checked without Discord.

use std::fmt::Write;

use super::custom_id::ButtonAction;
use super::limits::{self, length, truncate};
use super::reply::{Button, Embed, Field, Reply, ANSWER_COLOUR};
use crate::answer::{Answer, CitedFact};
use crate::knowledge::KnowledgeBase;

/// `knowledge` is the base the answer came from; it turns suggestions into buttons.
pub fn answer(answer: &Answer, knowledge: &KnowledgeBase) -> Reply {
    let reply = if answer.answered {
        answered(answer)
    } else {
        refusal(answer, knowledge)
    };
    reply.fit()
}

fn answered(answer: &Answer) -> Reply {
    let numbered = answer.facts.len() > 1;
    let mut description = String::new();
    for (i, fact) in answer.facts.iter().enumerate() {
        if numbered {
            let _ = write!(description, "**{}.** ", i + 1);
        }
        description.push_str(&fact.statement);
        description.push_str("\n\n");
    }
    for line in crate::answer::reported_lines(answer)
        .into_iter()
        .chain(crate::answer::earlier_line(answer))
    {
        let _ = writeln!(description, "*{line}*");
    }
    let fields = answer
        .facts
        .iter()
        .enumerate()
        .map(|(i, fact)| source_field(fact, numbered.then_some(i + 1)))
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

/// One fact's citation. The quote is shortened before the citation line is added, so a very
/// long quote never pushes the title, paragraph and date out of the field.
pub fn source_field(fact: &CitedFact, number: Option<usize>) -> Field {
    let source = &fact.source;
    let citation = format!(
        "Paragraph {} · {} · reported events of {}",
        source.paragraph,
        known_or(&source.dateline, "place not given"),
        known_or(&source.event_date, "date not given"),
    );
    let room = limits::FIELD_VALUE - length(&citation) - 4;
    let name = match number {
        Some(n) => format!("Source {n}: {}", source.title),
        None => format!("Source: {}", source.title),
    };
    Field {
        name,
        value: format!("> {}\n{citation}", truncate(&one_line(&source.quote), room)),
        inline: false,
    }
}

fn refusal(answer: &Answer, knowledge: &KnowledgeBase) -> Reply {
    let mut content = answer.answer.clone();
    let mut buttons = Vec::new();
    let mut unbuttoned = Vec::new();
    for suggestion in &answer.suggestions {
        let action = knowledge
            .facts
            .iter()
            .find(|fact| fact.questions.first() == Some(suggestion))
            .and_then(|fact| {
                ButtonAction::Ask {
                    fact: fact.id.clone(),
                }
                .custom_id()
            });
        match action {
            Some(custom_id) if buttons.len() < limits::BUTTONS_PER_ROW * limits::ROWS => buttons
                .push(Button {
                    label: suggestion.clone(),
                    custom_id,
                    disabled: false,
                }),
            _ => unbuttoned.push(suggestion),
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
    use crate::answer::Citation;
    use crate::discord::reply::assert_within_limits;
    use crate::knowledge::KnowledgeBase;
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

    fn empty_base() -> KnowledgeBase {
        KnowledgeBase {
            sources: Default::default(),
            facts: Vec::new(),
            aliases: Vec::new(),
        }
    }

    #[test]
    fn an_answer_shows_statement_quote_paragraph_and_date() {
        let answer = Answer {
            question: "Who led the talks?".into(),
            answered: true,
            confidence: 0.9,
            answer: "Witkoff led them.".into(),
            facts: vec![fact(
                "led",
                "Witkoff led them.",
                "led by Steve Witkoff",
                "Deadlock Persists",
            )],
            suggestions: vec![],
            unanswered_parts: Vec::new(),
            language: None,
            earlier: vec![],
        };
        let reply = super::answer(&answer, &empty_base());
        assert_within_limits(&reply);
        let embed = reply.embed.expect("an embed");
        assert_eq!(embed.title, "Who led the talks?");
        assert_eq!(
            embed.description,
            "Witkoff led them.\n\n*As reported by “Deadlock Persists”, date not given.*"
        );
        assert_eq!(embed.fields[0].name, "Source: Deadlock Persists");
        assert_eq!(
            embed.fields[0].value,
            "> led by Steve Witkoff\nParagraph 2 · WASHINGTON · reported events of November 30"
        );
        assert!(embed.footer.contains("/source fact:led"));
        assert!(reply.buttons.is_empty());
    }

    #[test]
    fn a_refusal_is_plain_text_with_no_embed() {
        let answer = Answer {
            question: "weather?".into(),
            answered: false,
            confidence: 0.0,
            answer: crate::answer::REFUSAL.into(),
            facts: vec![],
            suggestions: vec!["Not a known question".into()],
            unanswered_parts: Vec::new(),
            language: None,
            earlier: vec![],
        };
        let reply = super::answer(&answer, &empty_base());
        assert_within_limits(&reply);
        assert!(reply.embed.is_none());
        assert!(reply.content.starts_with(crate::answer::REFUSAL));
        // A suggestion that names no fact cannot be a button, so it is listed instead.
        assert!(reply.content.ends_with("• Not a known question"));
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
            suggestions in proptest::collection::vec(any_text(), 0..30),
        ) {
            let facts: Vec<CitedFact> = statements
                .iter()
                .map(|(s, q, t)| fact("id", s, q, t))
                .collect();
            let answer = Answer {
                question,
                answered: !facts.is_empty(),
                confidence: 0.5,
                answer: "x".into(),
                facts,
                suggestions,
                unanswered_parts: Vec::new(),
                language: None,
                earlier: vec![],
            };
            assert_within_limits(&super::answer(&answer, &empty_base()));
        }
    }
}
