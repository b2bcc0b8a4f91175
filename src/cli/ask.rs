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
        println!("\nread as: {}", read.join(", "));
        println!("closest facts (answer threshold {ANSWER_THRESHOLD}):");
        for closest in engine.explain(question, 5) {
            println!(
                "  {:.3}  score {:6.2}  meaning {:.3}  {}",
                closest.confidence, closest.score, closest.meaning, closest.fact_id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
