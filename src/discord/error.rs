//! The one place errors end up. A [`UserError`] is the member's to fix ("no such topic") and is
//! shown as it is; anything else is ours, so the member sees "something went wrong" and the
//! details go to the log. Neither ever becomes a second failure: a failed send is logged.
//!
//! A third kind is Discord refusing a reply ([`Refusal`]). The bot never sends a refused reply
//! again itself:
//! - **429** (rate limited): nothing more is sent for that question. Another call into an empty
//!   bucket is refused too, and refusals count towards Discord's limit on invalid requests.
//!   Waiting out `retry_after` and resending is the rate limiter's job: serenity's own when the
//!   bot talks to Discord directly (it honours `Retry-After` and resends), the proxy's when
//!   `DISCORD_API_BASE` points at one (serenity's limiter is then off).
//! - **5xx** (Discord's trouble): a message may have been created all the same, so resending
//!   could post the answer twice. A slash command or button, which still owns its response,
//!   gets one ephemeral "something went wrong, try again"; a mention gets nothing more.
//! - **other 4xx**: our request was wrong, or came after the interaction's 3 seconds; logged as
//!   an error, and a slash command gets the same one notice.

use std::fmt;

use poise::serenity_prelude as serenity;
use poise::FrameworkError;
use tracing::{debug, error, warn};

use super::data::{Data, Error};
use super::locale::{localize, Locale};
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

/// Discord answered a REST call with an error status. Its `Display` is the status and
/// Discord's message, never the URL: an interaction's URL holds the token that answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    /// Discord's explanation, with the fields it blames; empty for a 429, whose body serenity
    /// does not read.
    pub message: String,
}

impl Refusal {
    /// The refusal inside `error`, if it is one.
    pub fn of(error: &(dyn std::error::Error + 'static)) -> Option<Refusal> {
        let serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) =
            error.downcast_ref::<serenity::Error>()?
        else {
            return None;
        };
        let status = response.status_code.as_u16();
        let mut message = String::new();
        if status != 429 {
            message.push_str(&response.error.message);
            for field in &response.error.errors {
                message.push_str(&format!("; {}: {}", field.path, field.message));
            }
        }
        Some(Refusal { status, message })
    }

    pub fn rate_limited(&self) -> bool {
        self.status == 429
    }

    /// A 429 or a 5xx: Discord's state, not a mistake in the request.
    pub fn passing(&self) -> bool {
        self.rate_limited() || self.status >= 500
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = serenity::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("");
        write!(f, "{} {reason}", self.status)?;
        if !self.message.is_empty() {
            write!(f, " ({})", self.message)?;
        }
        Ok(())
    }
}

pub fn on_error(error: FrameworkError<'_, Data, Error>) -> poise::BoxFuture<'_, ()> {
    Box::pin(async move {
        match error {
            FrameworkError::Command { error, ctx, .. } if echo_unreadable(&*error) => {
                debug!(command = %ctx.command().name, %error, "Discord took the reply, but its echo could not be read");
            }
            FrameworkError::Command { error, ctx, .. } => {
                let command = &ctx.command().name;
                let user = ctx.author().id;
                let message = if let Some(user_error) = error.downcast_ref::<UserError>() {
                    user_error.0.clone()
                } else {
                    match Refusal::of(&*error) {
                        Some(refusal) if refusal.rate_limited() => {
                            warn!(%command, %user, %refusal, "Discord rate-limited the reply; nothing more is sent for it");
                            return;
                        }
                        Some(refusal) if refusal.passing() => {
                            warn!(%command, %user, %refusal, "Discord could not take the reply; telling the member once");
                        }
                        Some(refusal) => {
                            error!(%command, %user, %refusal, "Discord refused the reply");
                        }
                        None => error!(%command, %user, %error, "command failed"),
                    }
                    INTERNAL_ERROR.to_string()
                };
                let reply = localize(Reply::text(message).ephemeral(), Locale::of_command(ctx));
                log_send_failure(ctx.send(reply.to_poise()).await, "an error reply");
            }
            FrameworkError::CommandPanic { payload, ctx, .. } => {
                let panic = payload.as_deref().unwrap_or("(no message)");
                error!(command = %ctx.command().name, user = %ctx.author().id, panic, "command panicked");
                let reply = localize(
                    Reply::text(INTERNAL_ERROR).ephemeral(),
                    Locale::of_command(ctx),
                );
                log_send_failure(ctx.send(reply.to_poise()).await, "an error reply");
            }
            FrameworkError::EventHandler { error, event, .. } => {
                let event = event.snake_case_name();
                match Refusal::of(&*error) {
                    Some(refusal) if refusal.passing() => {
                        warn!(event, %refusal, "Discord could not take the response; not sent again")
                    }
                    Some(refusal) => error!(event, %refusal, "Discord refused the response"),
                    None => error!(event, %error, "event handler failed"),
                }
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

/// Discord took the call (a 2xx) but serenity could not read the message it echoed back (an
/// independent Discord server such as Spacebar sends `content: null`). serenity reads a body
/// only after a success status, so a JSON error means the reply was sent: it is no failure.
pub fn echo_unreadable(error: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        error.downcast_ref::<serenity::Error>(),
        Some(serenity::Error::Json(_))
    )
}

/// Logs instead of failing when a send fails: a reply that could not be delivered is not a
/// reason to fail the handler that tried, and it is not sent again (see the module's docs).
/// A reply Discord accepted whose echo did not parse is not a failure ([`echo_unreadable`]).
pub fn log_send_failure<T>(result: Result<T, serenity::Error>, what: &str) {
    if let Err(error) = result {
        if echo_unreadable(&error) {
            debug!(%error, "Discord took {what}, but its echo of the message could not be read");
            return;
        }
        match Refusal::of(&error) {
            Some(refusal) => warn!(%refusal, "Discord did not take {what}; not sent again"),
            None => warn!(%error, "could not send {what}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_discords_refusals_are_refusals() {
        assert_eq!(Refusal::of(&UserError("no such topic".into())), None);
        let io = serenity::Error::Io(std::io::Error::other("connection reset"));
        assert_eq!(Refusal::of(&io), None);
    }

    #[test]
    fn a_refusal_shows_its_status_and_message_but_no_url() {
        let refusal = Refusal {
            status: 500,
            message: "500: Internal Server Error".into(),
        };
        assert_eq!(
            refusal.to_string(),
            "500 Internal Server Error (500: Internal Server Error)"
        );
        assert!(refusal.passing() && !refusal.rate_limited());
        let limited = Refusal {
            status: 429,
            message: String::new(),
        };
        assert_eq!(limited.to_string(), "429 Too Many Requests");
        assert!(limited.passing() && limited.rate_limited());
        assert!(!Refusal {
            status: 400,
            message: "Invalid Form Body".into()
        }
        .passing());
    }
}
