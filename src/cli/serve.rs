//! `talkbot serve`: run the Discord bot until SIGINT or SIGTERM. All of the bot is in
//! [`crate::discord`]; this only sets up logging, reads the settings and waits for a signal.

use std::path::PathBuf;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

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
    // A second subscriber (in tests that call this twice) is not an error worth stopping for.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    // Precedence: --knowledge, then KNOWLEDGE_DIR from the environment or `.env`, then the default.
    let named = named_knowledge.or_else(|| set("KNOWLEDGE_DIR").map(PathBuf::from));
    let config = Config::from_env(super::knowledge_dir(named))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(discord::run(config, shutdown_signal()))?;
    Ok(ExitCode::SUCCESS)
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
