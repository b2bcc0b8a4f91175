//! Reaching Discord before the gateway starts, so the two ways that commonly fails are told
//! plainly instead of through serenity's retry loop (which logs a raw warning every 5 s, never
//! gives up on a rejected token, and falls back to the real gateway's URL):
//! - a token Discord rejects (401 here, or close code 4004 from the gateway later) ends the
//!   bot with [`TokenRejected`], one line naming `DISCORD_TOKEN`, and exit code 1;
//! - Discord unreachable (or failing) is said once, then retried quietly with backoff, until
//!   it answers or shutdown is asked for.

use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::error::Refusal;

/// Discord refused the bot's token. Its `Display` is the one line `talkbot serve` prints.
#[derive(Debug, thiserror::Error)]
#[error("Discord rejected the token ({0}): check DISCORD_TOKEN")]
pub struct TokenRejected(pub String);

/// The first wait after a failure, and the longest.
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LONGEST_RETRY: Duration = Duration::from_secs(60);

/// Waits until Discord answers an authenticated call (`GET /gateway/bot`), and returns the
/// number of shards Discord recommends in its answer. `Ok(None)` when shutdown was asked for
/// first.
pub async fn reach(
    http: &serenity::Http,
    stopping: &mut watch::Receiver<bool>,
) -> Result<Option<u32>, TokenRejected> {
    let mut wait = FIRST_RETRY;
    let mut told = false;
    loop {
        let attempt = tokio::select! {
            attempt = http.get_bot_gateway() => attempt,
            () = stopped(stopping) => return Ok(None),
        };
        let problem = match attempt {
            Ok(gateway) => {
                if told {
                    info!("Discord is reachable again; connecting");
                }
                return Ok(Some(gateway.shards.max(1)));
            }
            Err(error) => match Refusal::of(&error) {
                Some(refusal) if refusal.status == 401 => {
                    return Err(TokenRejected(refusal.to_string()))
                }
                Some(refusal) => refusal.to_string(),
                None => with_causes(&error),
            },
        };
        if told {
            debug!(%problem, retry_in_ms = wait.as_millis() as u64, "Discord still unreachable");
        } else {
            warn!(%problem, "cannot reach Discord; retrying quietly with backoff until it answers");
            told = true;
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = stopped(stopping) => return Ok(None),
        }
        wait = (wait * 2).min(LONGEST_RETRY);
    }
}

/// `error` and what caused it, outermost first: serenity's own words ("Error while sending
/// HTTP request.") do not say that the connection was refused, or where.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut said = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(inner) = cause {
        let words = inner.to_string();
        // serenity wraps reqwest's error twice in the same words.
        if said.last() != Some(&words) {
            said.push(words);
        }
        cause = inner.source();
    }
    said.join(": ")
}

/// Completes once shutdown has been asked for. (The guard `wait_for` returns is dropped here,
/// so no lock is held across an `.await`.)
pub async fn stopped(stopping: &mut watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stop| *stop).await;
}

/// The gateway's verdict on the token, from the error `Client::start` ended with.
pub fn rejected_by_gateway(error: &serenity::Error) -> Option<TokenRejected> {
    match error {
        serenity::Error::Gateway(serenity::GatewayError::InvalidAuthentication) => Some(
            TokenRejected("the gateway closed with 4004, authentication failed".to_string()),
        ),
        _ => None,
    }
}
