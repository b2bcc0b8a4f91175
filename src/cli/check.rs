//! `talkbot check`: what a moderator runs after editing the fact base. Problems (the bot would
//! refuse the base) exit 1; warnings (the base works, but worse than it could) are shown and
//! exit 0. Either way the last line names the directory checked, so a check of the wrong
//! directory (a stale `KNOWLEDGE_DIR`) is seen at once.

use std::path::Path;
use std::process::ExitCode;

use crate::engine::Engine;
use crate::knowledge::{history, KnowledgeBase, Problem};

pub fn run(dir: &Path) -> ExitCode {
    let shown = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    match KnowledgeBase::load_checked(dir) {
        Ok(checked) => {
            let engine = Engine::new(checked.knowledge);
            let mut warnings = checked.warnings;
            warnings.extend(misrouted_questions(&engine));
            warnings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            println!("{}", summary(engine.knowledge()));
            for warning in &warnings {
                println!("{}", as_warning(warning));
            }
            if !warnings.is_empty() {
                println!(
                    "{} {} to look at (the bot works, but answers worse than it could)",
                    warnings.len(),
                    if warnings.len() == 1 {
                        "warning"
                    } else {
                        "warnings"
                    }
                );
            }
            println!("checked {}", shown.display());
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("checked {}", shown.display());
            ExitCode::FAILURE
        }
    }
}

/// `file:line: warning: message`.
pub fn as_warning(problem: &Problem) -> String {
    match problem.line {
        Some(line) => format!("{}:{line}: warning: {}", problem.file, problem.message),
        None => format!("{}: warning: {}", problem.file, problem.message),
    }
}

/// A fact's own question that the bot answers with another fact first (or not at all): the
/// moderator meant it for this fact, and members asking it get something else. A fact a newer
/// report superseded is left out: its questions rightly lead to the newer report.
pub fn misrouted_questions(engine: &Engine) -> Vec<Problem> {
    let knowledge = engine.knowledge();
    let mut out = Vec::new();
    for fact in &knowledge.facts {
        if history::is_superseded(fact) {
            continue;
        }
        for (question, &line) in fact.questions.iter().zip(&fact.lines.questions) {
            let answer = engine.ask(question);
            let message = match answer.facts.first() {
                Some(first) if first.id == fact.id => continue,
                Some(first) => format!(
                    "the question \"{question}\" of fact `{}` is answered with fact `{}` first; \
                     reword it, or see why with: talkbot ask --explain \"{question}\"",
                    fact.id, first.id
                ),
                None => format!(
                    "the question \"{question}\" of fact `{}` is not answered at all; reword it, \
                     or see why with: talkbot ask --explain \"{question}\"",
                    fact.id
                ),
            };
            out.push(Problem::new(
                fact.file.clone(),
                Some(line as usize),
                message,
            ));
        }
    }
    out
}

pub fn summary(knowledge: &KnowledgeBase) -> String {
    let topics = knowledge.topics();
    let topic_list: Vec<String> = topics.iter().map(|(t, n)| format!("{t} {n}")).collect();
    format!(
        "knowledge OK: {}, {}, {}, {} ({})",
        count(knowledge.facts.len(), "fact"),
        count(knowledge.sources.len(), "source"),
        count(knowledge.aliases.len(), "alias"),
        count(topics.len(), "topic"),
        topic_list.join(", ")
    )
}

fn count(n: usize, noun: &str) -> String {
    match (n, noun.ends_with('s')) {
        (1, _) => format!("1 {noun}"),
        (_, true) => format!("{n} {noun}es"),
        (_, false) => format!("{n} {noun}s"),
    }
}
