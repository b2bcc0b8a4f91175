//! `/ask question:<text>`: the answer with its quotes, or a refusal with suggestions. Refused
//! and low-confidence questions are recorded for `/unanswered`; answers carry vote buttons.

use poise::serenity_prelude as serenity;
use tracing::info;

use crate::discord::autocomplete::{self, Choice};
use crate::discord::curation;
use crate::discord::data::{Context, Error};
use crate::discord::render;

/// Ask about the US–Ukraine peace talks; every answer quotes its source.
#[poise::command(slash_command)]
pub async fn ask(
    ctx: Context<'_>,
    #[description = "Your question, in plain words"]
    #[autocomplete = "complete_question"]
    #[max_length = 500]
    question: String,
) -> Result<(), Error> {
    // One engine for the whole answer, even if a refresh lands meanwhile.
    let engine = ctx.data().engine.current();
    let answer = engine.ask(&question);
    info!(
        user = %ctx.author().id,
        answered = answer.answered,
        confidence = answer.confidence,
        "/ask"
    );
    let place = curation::place(ctx.guild_id(), ctx.channel_id());
    let mut reply = render::answer(&answer, engine.knowledge());
    if let Some(answer_id) = ctx.data().curation.record(&answer, place).await {
        reply = curation::with_vote_buttons(reply, answer_id);
    }
    ctx.send(reply.to_poise()).await?;
    Ok(())
}

async fn complete_question(ctx: Context<'_>, typed: &str) -> serenity::CreateAutocompleteResponse {
    let engine = ctx.data().engine.current();
    // Ask for more than 25: some may be too long to offer.
    let questions = engine.complete(typed, 50);
    autocomplete::response(questions.iter().map(|q| Choice::plain(q)))
}
