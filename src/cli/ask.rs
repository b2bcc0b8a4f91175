//! `talkbot ask "QUESTION" [--json | --explain]`

use std::process::ExitCode;

use crate::answer::render_text;
use crate::engine::Engine;
use crate::matcher::ANSWER_THRESHOLD;

pub fn run(engine: &Engine, question: &str, json: bool, explain: bool) -> anyhow::Result<ExitCode> {
    let answer = engine.ask(question);
    if json {
        println!("{}", serde_json::to_string(&answer)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", render_text(&answer));
    if explain {
        let read: Vec<String> = engine
            .reading(question)
            .iter()
            .map(|t| {
                let unknown = if t.known { "" } else { " unknown" };
                format!("{} {:.2}{unknown}", t.stem, t.share)
            })
            .collect();
        if read.is_empty() {
            println!("\nread as: no word the matcher weighs (only function words, or none)");
        } else {
            println!("\nread as: {}", read.join(", "));
        }
        let closest = engine.explain(question, 5);
        if closest.is_empty() {
            println!("closest facts: none share a word with the question");
            return Ok(ExitCode::SUCCESS);
        }
        println!("closest facts (answer threshold {ANSWER_THRESHOLD}):");
        for closest in closest {
            println!(
                "  {:.3}  score {:6.2}  meaning {:.3}  {}",
                closest.confidence, closest.score, closest.meaning, closest.fact_id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
