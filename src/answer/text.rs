//! The answer as plain text, for the terminal.

use std::fmt::Write;

use super::{quotes_in_english, Answer, PART_REFUSAL};

pub fn render_text(answer: &Answer) -> String {
    let mut out = String::new();
    if !answer.answered {
        let _ = writeln!(out, "{}", answer.answer);
        if !answer.suggestions.is_empty() {
            let _ = writeln!(out, "\nYou could ask:");
            for suggestion in &answer.suggestions {
                let _ = writeln!(out, "  - {suggestion}");
            }
        }
        return out;
    }
    for (i, fact) in answer.facts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", fact.statement);
        let _ = writeln!(
            out,
            "  > \"{}\" (paragraph {})",
            fact.source.quote, fact.source.paragraph
        );
    }
    // Where the quotes stand, once per source: an answer from one article names it once.
    let mut named: Vec<&str> = Vec::new();
    for fact in &answer.facts {
        let source = &fact.source;
        if named.contains(&source.id.as_str()) {
            continue;
        }
        named.push(&source.id);
        let _ = writeln!(
            out,
            "\n— {} (dateline {}; events of {})",
            source.title, source.dateline, source.event_date
        );
    }
    for part in &answer.unanswered_parts {
        let _ = writeln!(out, "\n{PART_REFUSAL} “{part}”");
    }
    if let Some(language) = answer.language {
        let _ = writeln!(out, "\n{}", quotes_in_english(language));
    }
    let _ = writeln!(out, "\nconfidence {:.2}", answer.confidence);
    out
}
