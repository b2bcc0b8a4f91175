//! `talkbot check`: what a moderator runs after editing the fact base.

use std::path::Path;
use std::process::ExitCode;

use crate::knowledge::KnowledgeBase;

pub fn run(dir: &Path) -> ExitCode {
    match KnowledgeBase::load(dir) {
        Ok(knowledge) => {
            println!("{}", summary(&knowledge));
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
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
