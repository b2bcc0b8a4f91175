//! `talkbot serve`: run the Discord bot until SIGINT or SIGTERM. All of the bot is in
//! [`crate::discord`]; this only sets up logging, reads the settings and waits for a signal.
//!
//! The token never reaches the log, whatever `RUST_LOG` says. serenity keeps it in a
//! `SecretString` and skips it in its spans, and the config's `Debug` redacts it; the one leak
//! left is tungstenite, whose TRACE lines dump every WebSocket frame, IDENTIFY and RESUME
//! included, with the token in hex. Those lines are dropped ([`shows_frames`]).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use tracing::Level;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{filter, fmt, EnvFilter, Layer};

use crate::discord::{self, config::load_dotenv, Config};

/// Logs go to stderr; `RUST_LOG` picks what, and by default that is the bot's own story plus
/// serenity's and poise's warnings (which include payloads they could not read).
const DEFAULT_LOG: &str = "warn,talkbot=info";

pub fn run(named_knowledge: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    load_dotenv();
    // An empty RUST_LOG (as `.env.example` has it) means the default, not "errors only".
    let filter = set("RUST_LOG")
        .and_then(|directives| EnvFilter::try_new(directives).ok())
        .unwrap_or_else(|| EnvFilter::new(DEFAULT_LOG));
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, not in journald or a log file.
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(filter::filter_fn(|metadata| {
            !shows_frames(*metadata.level(), metadata.target())
        }));
    // A second subscriber (in tests that call this twice) is not an error worth stopping for.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(stderr)
        .try_init();
    // Precedence: --knowledge, then KNOWLEDGE_DIR from the environment or `.env`, then the default.
    let named = named_knowledge.or_else(|| set("KNOWLEDGE_DIR").map(PathBuf::from));
    let config = Config::from_env(super::knowledge_dir(named))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(discord::run(config, shutdown_signal()));
    // `run` has waited for the answers in flight; anything still going (a refresh stuck reading
    // a file) must not hold the exit up for long.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result?;
    Ok(ExitCode::SUCCESS)
}

/// A tungstenite TRACE line, which may hold a whole WebSocket frame, the token included.
fn shows_frames(level: Level, target: &str) -> bool {
    level == Level::TRACE
        && (target.starts_with("tungstenite") || target.starts_with("tokio_tungstenite"))
}

/// A variable's value, unless it is unset or blank.
fn set(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// Completes on the first SIGINT (Ctrl-C) or SIGTERM (what service managers and containers send).
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_dumps_are_never_logged_but_the_rest_of_tungstenite_is() {
        assert!(shows_frames(Level::TRACE, "tungstenite::protocol::frame"));
        assert!(shows_frames(Level::TRACE, "tungstenite::protocol"));
        assert!(shows_frames(Level::TRACE, "tokio_tungstenite::compat"));
        assert!(!shows_frames(Level::DEBUG, "tungstenite::protocol"));
        assert!(!shows_frames(Level::TRACE, "serenity::gateway::shard"));
        assert!(!shows_frames(Level::TRACE, "talkbot::discord::bot"));
    }
}
