//! `talkbot chat`: one question per line until end of input or `quit`.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use crate::answer::render_text;
use crate::engine::Engine;

pub fn run(engine: &Engine) -> anyhow::Result<ExitCode> {
    let interactive = io::stdin().is_terminal();
    if interactive {
        println!("Ask about the US–Ukraine talks. An empty line or `quit` ends.");
    }
    let mut stdout = io::stdout().lock();
    let prompt = |out: &mut io::StdoutLock| -> io::Result<()> {
        if interactive {
            write!(out, "> ")?;
            out.flush()?;
        }
        Ok(())
    };
    prompt(&mut stdout)?;
    for line in io::stdin().lock().lines() {
        // A line that is not UTF-8 is skipped with a note, not the end of the session.
        let line = match line {
            Ok(line) => line,
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                writeln!(stdout, "(skipped a line that is not UTF-8 text)\n")?;
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        let question = line.trim();
        if question == "quit" || question == "exit" || (interactive && question.is_empty()) {
            break;
        }
        if !question.is_empty() {
            writeln!(stdout, "{}", render_text(&engine.ask(question)))?;
        }
        prompt(&mut stdout)?;
    }
    Ok(ExitCode::SUCCESS)
}
