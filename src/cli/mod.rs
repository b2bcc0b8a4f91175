//! The command line: a second adapter over the same engine the Discord bot uses. It is how a
//! newcomer tries the bot, how moderators check their edits, and how answer quality is measured.

mod ask;
mod chat;
mod check;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::engine::Engine;

#[derive(Debug, Parser)]
#[command(name = "talkbot", version, about = "Sourced answers about the US–Ukraine peace talks")]
pub struct Cli {
    /// The fact base directory.
    #[arg(long, global = true, env = "KNOWLEDGE_DIR", default_value = "knowledge")]
    pub knowledge: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one question and exit.
    Ask {
        /// The question, in plain words.
        question: String,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Answer questions one per line, from the terminal or piped in.
    Chat,
    /// Validate the fact base; print a summary, or every problem with file and line.
    Check,
}

/// Runs a parsed command. Errors meant for the user come back as `Err` with their message;
/// a refusal to answer is not an error.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ask { question, json } => ask::run(&load(&cli.knowledge)?, &question, json),
        Command::Chat => chat::run(&load(&cli.knowledge)?),
        Command::Check => Ok(check::run(&cli.knowledge)),
    }
}

fn load(dir: &Path) -> anyhow::Result<Engine> {
    Ok(Engine::load(dir)?)
}
