//! Button clicks: a suggestion offered with a refusal, a `/facts` page, a vote on an answer, or
//! a page of a moderator's report. What to do is in the button's custom id ([`ButtonAction`]);
//! clicks on buttons that are not ours are left alone.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, CreateInteractionResponse};
use tracing::info;

use super::commands::{facts, feedback, unanswered};
use super::curation;
use super::custom_id::ButtonAction;
use super::data::{Data, Error};
use super::error::{user_error, UserError};
use super::moderator::member_is_moderator;
use super::render;
use super::reply::Reply;

pub async fn on_click(
    ctx: &serenity::Context,
    data: &Data,
    click: &ComponentInteraction,
) -> Result<(), Error> {
    let Some(action) = ButtonAction::parse(&click.data.custom_id) else {
        return Ok(());
    };
    let engine = data.engine.current();
    let knowledge = engine.knowledge();
    let response = match action {
        ButtonAction::Ask { fact } => match knowledge.fact(&fact) {
            Some(fact) => {
                // Asked exactly as a member would type the suggestion.
                let question = fact.questions.first().unwrap_or(&fact.statement);
                let answer = engine.ask(question);
                info!(user = %click.user.id, answered = answer.answered, "suggestion clicked");
                let mut reply = render::answer(&answer, knowledge);
                let place = curation::place(click.guild_id, click.channel_id);
                if let Some(answer_id) = data.curation.record(&answer, place).await {
                    reply = curation::with_vote_buttons(reply, answer_id);
                }
                CreateInteractionResponse::Message(reply.to_interaction_message())
            }
            None => notice(
                "That suggestion is out of date: the fact base has changed since. Try /ask again.",
            ),
        },
        ButtonAction::FactsPage { page, topic } => {
            match facts::page(knowledge, topic.as_deref(), page) {
                Ok(reply) => {
                    CreateInteractionResponse::UpdateMessage(reply.to_interaction_message())
                }
                Err(error) => user_notice(error)?,
            }
        }
        ButtonAction::Vote { answer_id, helpful } => {
            let said = data
                .curation
                .vote(answer_id, click.user.id.get(), helpful)
                .await;
            info!(user = %click.user.id, answer_id, helpful, "vote");
            notice(&said)
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
                Err(error) => user_notice(error)?,
            }
        }
    };
    click.create_response(&ctx.http, response).await?;
    Ok(())
}

/// A [`UserError`] as an ephemeral notice; any other error is the caller's to report.
fn user_notice(error: Error) -> Result<CreateInteractionResponse, Error> {
    match error.downcast_ref::<UserError>() {
        Some(user_error) => Ok(notice(&user_error.0)),
        None => Err(error),
    }
}

fn notice(text: &str) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(Reply::text(text).ephemeral().fit().to_interaction_message())
}
