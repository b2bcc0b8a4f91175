//! Button clicks: a suggestion offered with a refusal, or a `/facts` page. What to do is in the
//! button's custom id ([`ButtonAction`]); clicks on buttons that are not ours are left alone.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, CreateInteractionResponse};
use tracing::info;

use super::commands::facts;
use super::custom_id::ButtonAction;
use super::data::{Data, Error};
use super::error::UserError;
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
                let reply = render::answer(&answer, knowledge);
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
                Err(error) => match error.downcast_ref::<UserError>() {
                    Some(user_error) => notice(&user_error.0),
                    None => return Err(error),
                },
            }
        }
    };
    click.create_response(&ctx.http, response).await?;
    Ok(())
}

fn notice(text: &str) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(Reply::text(text).ephemeral().fit().to_interaction_message())
}
