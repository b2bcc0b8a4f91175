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
        "knowledge OK: {} facts, {} sources, {} aliases, {} topics ({})",
        knowledge.facts.len(),
        knowledge.sources.len(),
        knowledge.aliases.len(),
        topics.len(),
        topic_list.join(", ")
    )
}
