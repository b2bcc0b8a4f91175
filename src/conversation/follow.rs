//! Answering a follow-up from what the base holds: nothing here matches text against facts
//! except through [`Engine::ask`], so a follow-up is never answered with less care than a
//! question. The facts a follow-up adds ("why?", "more") are chosen by the base's own structure
//! (same paragraph, same topic), not by guessing.

use std::fmt::Write;

use super::kind::{classify, FollowUp};
use super::Context;
use crate::answer::{Answer, CitedFact, FollowUpNote, Passage};
use crate::engine::Engine;
use crate::knowledge::Fact;
use crate::text::fold_words;

/// Said to "source?", "why?", "more" or "really?" when there is no answer to refer to.
pub const NO_CONTEXT: &str = "I have no sourced answer to that in my fact base. \
    Ask me a question first; then \"source?\", \"why?\" or \"more\" follow up on my answer.";

/// Said to "why?" or "more" when the base has nothing on the topic that was not shown yet.
pub const NOTHING_MORE: &str = "I have nothing more on that in my fact base.";

/// How many facts "why?" and "more" add at a time.
const AT_A_TIME: usize = 3;

/// Subjects "and X?" can swap for one another in the previous question, one group per party.
/// A question naming none of them gets the new subject appended instead.
const SUBJECTS: &[&[&str]] = &[
    &[
        "russia", "russian", "russians", "moscow", "kremlin", "putin",
    ],
    &[
        "ukraine",
        "ukrainian",
        "ukrainians",
        "kyiv",
        "kiev",
        "zelensky",
        "zelenskyy",
    ],
    &[
        "america",
        "american",
        "americans",
        "washington",
        "usa",
        "trump",
    ],
    &["europe", "european", "europeans", "eu"],
];

/// The answer to `line` in a conversation whose last answer is `context`, and the question the
/// conversation now stands on (what a later "and X?" rewrites).
pub fn answer(engine: &Engine, context: Option<&Context>, line: &str) -> (Answer, String) {
    let line = line.trim();
    let kind = classify(line).or_else(|| context.and_then(|c| suggestion_named(c, line)));
    let Some(kind) = kind else {
        return (engine.ask(line), line.to_string());
    };
    match (kind, context) {
        (FollowUp::About(subject), Some(context)) => {
            let asked = about(&context.question, &subject);
            let answer = asked_as(engine, line, &asked, "about");
            // Appended to a question that names no party, a subject can drown in it ("Was a
            // grain corridor agreed? energy" is the grain corridor again); then the subject
            // is asked on its own.
            let same = |a: &Answer| {
                a.facts
                    .iter()
                    .map(|f| &f.id)
                    .eq(context.answer.facts.iter().map(|f| &f.id))
            };
            if context.answer.answered() && same(&answer) {
                let alone = asked_as(engine, line, &subject, "about");
                if alone.answered() && !same(&alone) {
                    return (alone, subject);
                }
            }
            (answer, asked)
        }
        (FollowUp::Pick(number), Some(context))
            if !context.answer.answered() && number <= context.answer.suggestions.len() =>
        {
            let asked = context.answer.suggestions[number - 1].question.clone();
            (asked_as(engine, line, &asked, "pick"), asked)
        }
        // "and Russia?" or "2" with nothing before: an ordinary question.
        (FollowUp::About(_) | FollowUp::Pick(_), _) => (engine.ask(line), line.to_string()),
        (kind, Some(context)) if context.answer.answered() => {
            let answer = match kind {
                FollowUp::Source => source(engine, line, &context.answer),
                FollowUp::Sure => sure(line, &context.answer),
                FollowUp::Why => added(engine, line, context, "why", true),
                _ => added(engine, line, context, "more", false),
            };
            (answer, context.question.clone())
        }
        // "source?" alone refers to nothing: refused, never matched (the matcher would find a
        // fact that mentions a source). After a refusal its suggestions are offered again.
        (_, context) => {
            let suggestions = context.map(|c| c.answer.suggestions.clone());
            let mut answer = Answer::new(line, 0.0, vec![], suggestions.unwrap_or_default());
            answer.answer = NO_CONTEXT.to_string();
            (answer, line.to_string())
        }
    }
}

/// `asked` answered by the engine, shown as the answer to `line`.
fn asked_as(engine: &Engine, line: &str, asked: &str, kind: &str) -> Answer {
    let mut answer = engine.ask(asked);
    answer.question = line.to_string();
    answer.follow_up = Some(FollowUpNote {
        kind: kind.to_string(),
        asked: Some(asked.to_string()),
    });
    answer
}

fn note(kind: &str) -> Option<FollowUpNote> {
    Some(FollowUpNote {
        kind: kind.to_string(),
        asked: None,
    })
}

/// A suggestion typed out after a refusal ("the second suggestion's words"), as a pick.
fn suggestion_named(context: &Context, line: &str) -> Option<FollowUp> {
    if context.answer.answered() {
        return None;
    }
    let typed = fold_words(line).join(" ");
    if fold_words(line).len() < 2 {
        return None;
    }
    context
        .answer
        .suggestions
        .iter()
        .position(|s| {
            let suggestion = fold_words(&s.question).join(" ");
            suggestion == typed || format!(" {suggestion} ").contains(&format!(" {typed} "))
        })
        .map(|i| FollowUp::Pick(i + 1))
}

/// The rule for "and X?": the previous question with its first party word replaced by X
/// ("What does Russia demand?" + "Ukraine" → "What does Ukraine demand?"); when it names no
/// party, X is appended ("Who led the delegations?" → "Who led the delegations? Ukraine"), and
/// if that only answers the previous question again, X is asked on its own.
pub fn about(previous: &str, subject: &str) -> String {
    let subject_words = fold_words(subject);
    let mut replaced = false;
    let tokens: Vec<String> = previous
        .split_whitespace()
        .map(|token| {
            let folded = fold_words(token);
            let is_party = folded.len() == 1
                && SUBJECTS
                    .iter()
                    .any(|group| group.contains(&folded[0].as_str()))
                && !subject_words.contains(&folded[0]);
            // "US" is a party only in capitals: "tell us" is not America.
            let is_us = token.trim_matches(|c: char| !c.is_alphanumeric()) == "US";
            if !replaced && (is_party || is_us) {
                replaced = true;
                let start = token.find(|c: char| c.is_alphanumeric()).unwrap_or(0);
                let end = token
                    .char_indices()
                    .find(|&(i, c)| i > start && !c.is_alphanumeric())
                    .map_or(token.len(), |(i, _)| i);
                format!("{}{subject}{}", &token[..start], &token[end..])
            } else {
                token.to_string()
            }
        })
        .collect();
    if replaced {
        tokens.join(" ")
    } else {
        format!("{} {subject}", previous.trim())
    }
}

/// "source?": the paragraphs the previous answer quoted, in full, each once, with its citation.
fn source(engine: &Engine, line: &str, previous: &Answer) -> Answer {
    let knowledge = engine.knowledge();
    let mut passages: Vec<Passage> = Vec::new();
    for fact in &previous.facts {
        let cited = &fact.source;
        if passages
            .iter()
            .any(|p| p.source == cited.id && p.paragraph == cited.paragraph)
        {
            continue;
        }
        let Some(text) = knowledge
            .sources
            .get(&cited.id)
            .and_then(|s| s.paragraphs.get(cited.paragraph))
        else {
            // Gone in a refresh since: the quote is still the one shown.
            continue;
        };
        passages.push(Passage {
            source: cited.id.clone(),
            title: cited.title.clone(),
            paragraph: cited.paragraph,
            text: text.clone(),
        });
    }
    let mut answer = Answer::new(line, previous.confidence, previous.facts.clone(), vec![]);
    let mut said = String::new();
    for passage in &passages {
        let _ = writeln!(
            said,
            "“{}” (“{}”, paragraph {})",
            passage.text, passage.title, passage.paragraph
        );
    }
    if !said.is_empty() {
        answer.answer = said.trim_end().to_string();
    }
    answer.passages = passages;
    answer.follow_up = note("source");
    answer
}

/// "really?": the same facts, each quote with where it stands, and the confidence.
fn sure(line: &str, previous: &Answer) -> Answer {
    let mut answer = Answer::new(line, previous.confidence, previous.facts.clone(), vec![]);
    let mut said = format!(
        "That is what the source says (confidence {:.2}):",
        previous.confidence
    );
    for fact in &previous.facts {
        let _ = write!(
            said,
            "\n“{}” (“{}”, paragraph {})",
            fact.source.quote, fact.source.title, fact.source.paragraph
        );
    }
    answer.answer = said;
    answer.follow_up = note("sure");
    answer
}

/// "why?" and "more": facts the conversation has not shown yet, on the previous question's
/// topics, in the base's order. For "why?" the topic's facts from the same paragraphs come first
/// (an article explains a thing next to it), then the rest of the topic, and only when the
/// topic has nothing left, the other facts of those paragraphs.
fn added<'a>(engine: &'a Engine, line: &str, context: &Context, kind: &str, why: bool) -> Answer {
    let knowledge = engine.knowledge();
    let previous = &context.answer;
    let unseen = |fact: &&Fact| {
        !context.shown.contains(&fact.id)
            && !previous.facts.iter().any(|f| f.id == fact.id)
            // A report a newer one replaced is history, not an explanation.
            && fact.newer.is_empty()
    };
    let same_place = |fact: &Fact| {
        previous
            .facts
            .iter()
            .any(|f| f.source.id == fact.source && f.source.paragraph == fact.paragraph)
    };
    let same_topic = |fact: &Fact| context.topics.iter().any(|t| *t == fact.topic);
    let mut chosen: Vec<&Fact> = Vec::new();
    let add = |chosen: &mut Vec<&'a Fact>, wanted: &dyn Fn(&Fact) -> bool| {
        for fact in knowledge
            .facts
            .iter()
            .map(|f| &**f)
            .filter(unseen)
            .filter(|f| wanted(f))
        {
            if !chosen.iter().any(|c| c.id == fact.id) {
                chosen.push(fact);
            }
        }
    };
    if why {
        add(&mut chosen, &|f| same_place(f) && same_topic(f));
    }
    add(&mut chosen, &same_topic);
    // With the topic exhausted, "why?" falls back on what the article says around it; while
    // the topic has something left, a paragraph's other subjects are no explanation.
    if why && chosen.is_empty() {
        add(&mut chosen, &same_place);
    }
    chosen.truncate(AT_A_TIME);
    let facts: Vec<CitedFact> = chosen.into_iter().map(|f| engine.cite(f)).collect();
    let confidence = if facts.is_empty() {
        0.0
    } else {
        previous.confidence
    };
    let mut answer = Answer::new(line, confidence, facts, vec![]);
    if !answer.answered() {
        answer.answer = NOTHING_MORE.to_string();
    }
    answer.follow_up = note(kind);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn and_x_swaps_the_first_party_or_appends() {
        assert_eq!(
            about("What does Russia demand?", "Ukraine"),
            "What does Ukraine demand?"
        );
        assert_eq!(
            about("What is Russia's position?", "europe"),
            "What is europe's position?"
        );
        assert_eq!(
            about("What is the US position?", "Russia"),
            "What is the Russia position?"
        );
        assert_eq!(
            about("Who led the delegations?", "Russia"),
            "Who led the delegations? Russia"
        );
        assert_eq!(
            about("Did they tell us?", "Russia"),
            "Did they tell us? Russia"
        );
    }
}
