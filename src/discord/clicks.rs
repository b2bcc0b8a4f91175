//! Button clicks: a suggestion offered with a refusal, a `/facts` page, a vote on an answer, or
//! a page of a moderator's report. What to do is in the button's custom id ([`ButtonAction`]);
//! clicks on buttons that are not ours are left alone.
//!
//! A click fails as a slash command does (ARCHITECTURE's failure table): a fault of ours, or
//! Discord refusing the response with anything but 429, gets the member one ephemeral
//! "something went wrong"; a 429 gets nothing more.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, CreateInteractionResponse};
use tracing::{error, info, warn};

use super::commands::{facts, feedback, unanswered};
use super::curation::{place, vote_said};
use super::custom_id::ButtonAction;
use super::data::{Data, Error};
use super::error::{log_send_failure, user_error, Refusal, UserError, INTERNAL_ERROR};
use super::locale::{localize, Locale};
use super::moderator::member_is_moderator;
use super::render;
use super::reply::{no_pings, Reply};
use crate::workflow::{Asker, Via};

pub async fn on_click(
    ctx: &serenity::Context,
    data: &Data,
    click: &ComponentInteraction,
) -> Result<(), Error> {
    let Some(action) = ButtonAction::parse(&click.data.custom_id) else {
        return Ok(());
    };
    let locale = Locale::of(&click.locale);
    let response = match respond(data, click, action, locale).await {
        Ok(response) => response,
        Err(error) => {
            error!(user = %click.user.id, %error, "a button click failed; telling the member");
            notice(INTERNAL_ERROR, locale)
        }
    };
    if let Err(error) = click.create_response(&ctx.http, response).await {
        match Refusal::of(&error) {
            Some(refusal) if refusal.rate_limited() => {
                warn!(user = %click.user.id, %refusal, "Discord rate-limited the response to a click; nothing more is sent for it");
                return Ok(());
            }
            Some(refusal) if refusal.passing() => {
                warn!(user = %click.user.id, %refusal, "Discord could not take the response to a click; telling the member once")
            }
            Some(refusal) => {
                error!(user = %click.user.id, %refusal, "Discord refused the response to a click")
            }
            None => error!(user = %click.user.id, %error, "could not respond to a click"),
        }
        log_send_failure(
            click
                .create_response(&ctx.http, notice(INTERNAL_ERROR, locale))
                .await,
            "an error notice",
        );
    }
    Ok(())
}

async fn respond(
    data: &Data,
    click: &ComponentInteraction,
    action: ButtonAction,
    locale: Locale,
) -> Result<CreateInteractionResponse, Error> {
    Ok(match action {
        ButtonAction::Ask { fact } => {
            let asker = Asker {
                place: place(click.guild_id, click.channel_id),
                member: click.user.id.get(),
                via: Via::Suggestion,
            };
            match data.workflow.ask_suggestion(&fact, asker) {
                Some(asked) => CreateInteractionResponse::Message(
                    localize(render::asked(&asked), locale).to_interaction_message(),
                ),
                None => notice(
                    "That suggestion is out of date: the fact base has changed since. Try /ask again.",
                    locale,
                ),
            }
        }
        // The private answer, as it is, for everyone in the channel: an interaction response,
        // so it works where a user-installed bot cannot post messages of its own.
        ButtonAction::Post => {
            let shown = &click.message;
            let mut message = serenity::CreateInteractionResponseMessage::new()
                .allowed_mentions(no_pings())
                .embeds(shown.embeds.iter().cloned().map(Into::into).collect());
            if !shown.content.is_empty() {
                message = message.content(shown.content.clone());
            }
            info!(user = %click.user.id, "an answer posted to the channel");
            CreateInteractionResponse::Message(message)
        }
        ButtonAction::FactsPage { page, topic } => {
            let engine = data.workflow.current();
            match facts::page(engine.knowledge(), topic.as_deref(), page) {
                Ok(reply) => {
                    CreateInteractionResponse::UpdateMessage(reply.to_interaction_message())
                }
                Err(error) => user_notice(error, locale)?,
            }
        }
        ButtonAction::Vote { answer_id, helpful } => {
            let outcome = data
                .workflow
                .curation()
                .vote(answer_id, click.user.id.get(), helpful)
                .await;
            info!(user = %click.user.id, answer_id, helpful, "vote");
            notice(&vote_said(outcome, helpful), locale)
        }
        // The report was ephemeral, so only its moderator sees these buttons; still, a click
        // is checked like the command, since permissions may have changed since.
        ButtonAction::UnansweredPage { days, page } | ButtonAction::FeedbackPage { days, page } => {
            let guild = click
                .guild_id
                .filter(|_| member_is_moderator(click.member.as_ref(), data.moderator_role));
            let unanswered = matches!(action, ButtonAction::UnansweredPage { .. });
            let drawn = match (guild, unanswered) {
                (None, true) => Err(user_error(unanswered::DENIED)),
                (None, false) => Err(user_error(feedback::DENIED)),
                (Some(guild), true) => unanswered::page(data, guild, days, page).await,
                (Some(guild), false) => feedback::page(data, guild, days, page).await,
            };
            match drawn {
                Ok(reply) => {
                    CreateInteractionResponse::UpdateMessage(reply.to_interaction_message())
                }
                Err(error) => user_notice(error, locale)?,
            }
        }
    })
}

/// A [`UserError`] as an ephemeral notice; any other error is the caller's to report.
fn user_notice(error: Error, locale: Locale) -> Result<CreateInteractionResponse, Error> {
    match error.downcast_ref::<UserError>() {
        Some(user_error) => Ok(notice(&user_error.0, locale)),
        None => Err(error),
    }
}

fn notice(text: &str, locale: Locale) -> CreateInteractionResponse {
    let reply = localize(Reply::text(text).ephemeral(), locale);
    CreateInteractionResponse::Message(reply.to_interaction_message())
}
