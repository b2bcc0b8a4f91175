//! The answer as plain text, for the terminal.

use std::fmt::Write;

use super::Answer;

pub fn render_text(answer: &Answer) -> String {
    let mut out = String::new();
    if !answer.answered() {
        let _ = writeln!(out, "{}", answer.answer);
        if !answer.suggestions.is_empty() {
            let _ = writeln!(out, "\nYou could ask:");
            for suggestion in &answer.suggestions {
                let _ = writeln!(out, "  - {}", suggestion.question);
            }
        }
        return out;
    }
    for (i, fact) in answer.facts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let source = &fact.source;
        let _ = writeln!(out, "{}", fact.statement);
        let _ = writeln!(out, "  > \"{}\"", source.quote);
        let _ = writeln!(
            out,
            "  — {}, paragraph {} (dateline {}; events of {})",
            source.title, source.paragraph, source.dateline, source.event_date
        );
    }
    let _ = writeln!(out, "\nconfidence {:.2}", answer.confidence);
    out
}
