//! The answer as plain text, for the terminal.

use std::fmt::Write;

use super::{quotes_in_english, Answer, Citation, PART_REFUSAL};
use crate::knowledge::Date;

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
    // "source?": the paragraphs in full, then where they were reported.
    for passage in &answer.passages {
        let _ = writeln!(
            out,
            "\"{}\"\n  (paragraph {} of “{}”)\n",
            passage.text, passage.paragraph, passage.title
        );
    }
    for (i, fact) in answer.facts.iter().enumerate() {
        if !answer.passages.is_empty() {
            break;
        }
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
    // When and where the quotes were reported, once per source: an answer from one article
    // names it once, however many of its facts it gives.
    out.push('\n');
    let mut sources: Vec<&Citation> = Vec::new();
    for fact in &answer.facts {
        if !sources.iter().any(|s| s.id == fact.source.id) {
            sources.push(&fact.source);
        }
    }
    for (source, line) in sources.into_iter().zip(reported_lines(answer)) {
        let _ = writeln!(out, "{line}");
        let _ = writeln!(
            out,
            "  (dateline {}; events of {})",
            source.dateline, source.event_date
        );
    }
    if let Some(line) = earlier_line(answer) {
        let _ = writeln!(out, "{line}");
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

/// "as reported on 8 Dec 2026 by “TITLE”", or "…, date not given": when the news is from.
pub fn reported(source: &Citation) -> String {
    match Date::parse_iso(&source.published) {
        Some(date) => format!("as reported on {date} by “{}”", source.title),
        None => format!("as reported by “{}”, date not given", source.title),
    }
}

/// One "As reported …" line per source of the answer's facts, in the order they first appear.
pub fn reported_lines(answer: &Answer) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut lines = Vec::new();
    for fact in &answer.facts {
        if !seen.contains(&fact.source.id.as_str()) {
            seen.push(&fact.source.id);
            let line = reported(&fact.source);
            lines.push(format!("A{}.", &line[1..]));
        }
    }
    lines
}

/// "Earlier reports: …", one line for everything the answer's facts superseded.
pub fn earlier_line(answer: &Answer) -> Option<String> {
    if answer.earlier.is_empty() {
        return None;
    }
    let reports: Vec<String> = answer
        .earlier
        .iter()
        .map(|fact| {
            let statement = fact.statement.trim_end_matches('.');
            format!("{statement}, {}", reported(&fact.source))
        })
        .collect();
    Some(format!("Earlier reports: {}.", reports.join("; ")))
}
