//! The one place errors end up. A [`UserError`] is the member's to fix ("no such topic") and is
//! shown as it is; anything else is ours, so the member sees "something went wrong" and the
//! details go to the log. Neither ever becomes a second failure: a failed send is logged.

use std::fmt;

use poise::serenity_prelude as serenity;
use poise::FrameworkError;
use tracing::{error, warn};

use super::data::{Data, Error};
use super::reply::Reply;

/// A problem with what the member asked, in words meant for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError(pub String);

/// A [`UserError`] as the error type handlers return.
pub fn user_error(message: impl Into<String>) -> Error {
    Box::new(UserError(message.into()))
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

pub const INTERNAL_ERROR: &str =
    "Something went wrong on my side. It has been logged; please try again in a moment.";

pub fn on_error(error: FrameworkError<'_, Data, Error>) -> poise::BoxFuture<'_, ()> {
    Box::pin(async move {
        match error {
            FrameworkError::Command { error, ctx, .. } => {
                let message = match error.downcast_ref::<UserError>() {
                    Some(user_error) => user_error.0.clone(),
                    None => {
                        error!(command = %ctx.command().name, user = %ctx.author().id, %error, "command failed");
                        INTERNAL_ERROR.to_string()
                    }
                };
                let reply = Reply::text(message).ephemeral().fit();
                if let Err(send_error) = ctx.send(reply.to_poise()).await {
                    warn!(%send_error, "could not send an error reply");
                }
            }
            FrameworkError::EventHandler { error, event, .. } => {
                error!(event = event.snake_case_name(), %error, "event handler failed");
            }
            FrameworkError::Setup { error, .. } => {
                error!(%error, "start-up failed");
            }
            other => {
                if let Err(send_error) = poise::builtins::on_error(other).await {
                    warn!(%send_error, "could not report an error");
                }
            }
        }
    })
}

/// Sends, and logs instead of failing when the send fails: a reply that could not be delivered
/// is not a reason to fail the handler that tried.
pub fn log_send_failure<T>(result: Result<T, serenity::Error>, what: &str) {
    if let Err(error) = result {
        warn!(%error, "could not send {what}");
    }
}
