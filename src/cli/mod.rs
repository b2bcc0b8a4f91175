//! The command line: a second adapter over the same engine the Discord bot uses. It is how a
//! newcomer tries the bot, how moderators check their edits, and how answer quality is measured.

mod add_source;
mod ask;
mod chat;
mod check;
mod gen_kb;
mod report;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::engine::Engine;

#[derive(Debug, Parser)]
#[command(
    name = "talkbot",
    version,
    about = "Sourced answers about the US–Ukraine peace talks"
)]
pub struct Cli {
    /// The fact base directory [default: ./knowledge, else the one shipped with the source].
    #[arg(long, global = true, env = "KNOWLEDGE_DIR")]
    pub knowledge: Option<PathBuf>,

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
        /// Also show the closest facts with their scores: why this answer (or refusal).
        #[arg(long, conflicts_with = "json")]
        explain: bool,
    },
    /// Answer questions one per line, from the terminal or piped in, as a conversation:
    /// "source?", "why?", "more", "and russia?", "1" or "really?" follow up on the last answer.
    Chat {
        /// One JSON object per line, in the `ask --json` contract.
        #[arg(long)]
        json: bool,
    },
    /// Validate the fact base; print a summary and warnings, or every problem with file and line.
    Check,
    /// Add an article: copy its text into the fact base with its metadata and a facts file of
    /// commented-out drafts, one per sentence, for a moderator to finish.
    AddSource {
        /// The article as plain text: the title on the first line, then one paragraph per line.
        file: PathBuf,
        /// The source id (the file names in `sources/`) [default: from FILE's name].
        #[arg(long)]
        id: Option<String>,
        /// When the article was published, YYYY-MM-DD [default: unknown].
        #[arg(long)]
        published: Option<String>,
    },
    /// What moderators should look at: questions the bot could not answer, facts members
    /// found unhelpful (from the curation database the Discord bot keeps).
    Report {
        /// How many days back to look.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// The directory of the SQLite curation database [default: the PostgreSQL database
        /// at DATABASE_URL when that is set, else DATA_DIR, from the environment or `.env`,
        /// else ./data].
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Run the Discord bot (settings from the environment and `.env`; see `.env.example`).
    Serve,
    /// Write a synthetic fact base (invented articles and facts) for benchmarks and load tests.
    GenKb {
        /// How many facts to generate (one invented article per 20 facts).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        facts: u64,
        /// The same seed always gives the same files.
        #[arg(long, default_value_t = crate::synthetic::DEFAULT_SEED)]
        seed: u64,
        /// A new or empty directory to write into.
        dir: PathBuf,
    },
}

/// Runs a parsed command. Errors meant for the user come back as `Err` with their message;
/// a refusal to answer is not an error.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Every command reads `.env` as `serve` does, so `check` checks the directory the bot will
    // serve, not another one. Precedence: --knowledge, then the environment, then `.env`.
    crate::discord::config::load_dotenv();
    let named = cli
        .knowledge
        .clone()
        .or_else(|| set("KNOWLEDGE_DIR").map(PathBuf::from));
    let dir = knowledge_dir(named.clone());
    if !matches!(cli.command, Command::Serve) {
        stop_quietly_when_the_reader_goes();
    }
    match cli.command {
        Command::Ask {
            question,
            json,
            explain,
        } => ask::run(&load(&dir)?, &question, json, explain),
        Command::Chat { json } => chat::run(&load(&dir)?, json),
        Command::Check => Ok(check::run(&dir)),
        Command::AddSource {
            file,
            id,
            published,
        } => add_source::run(&dir, &file, id.as_deref(), published.as_deref()),
        Command::GenKb { facts, seed, dir } => {
            let facts = usize::try_from(facts)?;
            gen_kb::run(&dir, &crate::synthetic::Options { facts, seed })
        }
        Command::Report { days, json, data } => {
            // `--data` names a SQLite directory; without it, the bot's own settings decide.
            let database_url = if data.is_some() {
                None
            } else {
                set("DATABASE_URL")
            };
            let data = data
                .or_else(|| set("DATA_DIR").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from(crate::discord::config::DEFAULT_DATA_DIR));
            report::run(&data, database_url.as_deref(), &dir, days, json)
        }
        Command::Serve => serve::run(named),
    }
}

/// The fact base to use: the one named, else `./knowledge`, else the one in the source tree
/// this binary was built from, so `talkbot ask` works from any directory on a dev machine.
pub fn knowledge_dir(named: Option<PathBuf>) -> PathBuf {
    if let Some(dir) = named {
        return dir;
    }
    let local = PathBuf::from("knowledge");
    if local.is_dir() {
        return local;
    }
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    if shipped.is_dir() {
        shipped
    } else {
        local
    }
}

/// A variable's value, unless it is unset or blank (`.env.example` leaves some blank).
fn set(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

fn load(dir: &Path) -> anyhow::Result<Engine> {
    Ok(Engine::load(dir)?)
}

/// `talkbot ask … | head` closes the pipe early; a terminal command should then stop as `cat`
/// does, not panic in `println!`. Rust ignores SIGPIPE for every program, so the default is put
/// back here, but never for `serve`, whose sockets must see a closed peer as an error instead.
fn stop_quietly_when_the_reader_goes() {
    #[cfg(unix)]
    // SAFETY: called before any thread is started, setting a signal's disposition to a default.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
