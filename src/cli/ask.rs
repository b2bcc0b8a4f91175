//! `talkbot ask "QUESTION" [--json]`

use std::process::ExitCode;

use crate::answer::render_text;
use crate::engine::Engine;

pub fn run(engine: &Engine, question: &str, json: bool) -> anyhow::Result<ExitCode> {
    let answer = engine.ask(question);
    if json {
        println!("{}", serde_json::to_string(&answer)?);
    } else {
        print!("{}", render_text(&answer));
    }
    Ok(ExitCode::SUCCESS)
}
