//! `talkbot chat [--json]`: one question per line until end of input or `quit`, in one
//! conversation: "source?", "why?", "more", "and russia?", a suggestion's number or "really?"
//! follow up on the previous answer (`crate::conversation`).
//!
//! With `--json` each input line gets one JSON object on its own line, in the `ask --json`
//! contract (a follow-up adds `follow_up`, and "source?" `passages`), so a conversation can be
//! scripted; blank lines are skipped, `help` goes to stderr, so stdout stays one object a line.
//! Piped in without `--json`, each question is echoed before its answer, so the transcript reads
//! as a conversation.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use crate::answer::render_text;
use crate::conversation::{self, Context};
use crate::engine::Engine;

const HELP: &str = "Ask about the US–Ukraine talks, one question a line. After an answer:
  source?        the source paragraph in full
  why?           the facts that explain it
  more           more on the same topic
  and russia?    the same question about someone else
  1, 2, 3        a suggestion, after I could not answer
  really?        the quote and how sure I am
help shows this, quit ends.";

pub fn run(engine: &Engine, json: bool) -> anyhow::Result<ExitCode> {
    let interactive = io::stdin().is_terminal();
    if interactive && !json {
        println!("{HELP}");
    }
    let mut stdout = io::stdout().lock();
    let prompt = |out: &mut io::StdoutLock| -> io::Result<()> {
        if interactive && !json {
            write!(out, "> ")?;
            out.flush()?;
        }
        Ok(())
    };
    let mut context: Option<Context> = None;
    prompt(&mut stdout)?;
    for line in io::stdin().lock().lines() {
        // A line that is not UTF-8 is skipped with a note, not the end of the session.
        let line = match line {
            Ok(line) => line,
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                if json {
                    eprintln!("(skipped a line that is not UTF-8 text)");
                } else {
                    writeln!(stdout, "(skipped a line that is not UTF-8 text)\n")?;
                }
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        let question = line.trim();
        match question {
            "quit" | "exit" => break,
            // An empty line is a pause, not a goodbye.
            "" => {}
            "help" if json => eprintln!("{HELP}"),
            "help" => writeln!(stdout, "{HELP}\n")?,
            _ => {
                let (answer, next) = conversation::reply(engine, context.as_ref(), question);
                context = next;
                if json {
                    writeln!(stdout, "{}", serde_json::to_string(&answer)?)?;
                } else {
                    if !interactive {
                        writeln!(stdout, "> {question}")?;
                    }
                    writeln!(stdout, "{}", render_text(&answer))?;
                }
                stdout.flush()?;
            }
        }
        prompt(&mut stdout)?;
    }
    Ok(ExitCode::SUCCESS)
}
