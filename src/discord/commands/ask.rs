//! `/ask question:<text>`: the answer with its quotes, or a refusal with suggestions. Refused
//! and low-confidence questions are recorded for `/unanswered`; answers carry vote buttons.

use poise::serenity_prelude as serenity;

use crate::discord::autocomplete::{self, Choice};
use crate::discord::curation::place;
use crate::discord::data::{Context, Error};
use crate::discord::locale::{localize, Locale};
use crate::discord::render;
use crate::workflow::{Asker, Via};

/// Ask about the US–Ukraine peace talks; every answer quotes its source.
#[poise::command(
    slash_command,
    // Installed by a server or by a member for themselves; usable in servers, the bot's DM and
    // private channels (ARCHITECTURE: "Where the bot can be used").
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub async fn ask(
    ctx: Context<'_>,
    #[description = "Your question, in plain words"]
    #[autocomplete = "complete_question"]
    #[max_length = 500]
    question: String,
) -> Result<(), Error> {
    let asker = Asker {
        place: place(ctx.guild_id(), ctx.channel_id()),
        member: ctx.author().id.get(),
        via: Via::Slash,
    };
    // Within minutes of their last answer here, "source?" or "and russia?" follow it up.
    let asked = ctx.data().workflow.converse(&question, asker);
    let reply = localize(render::asked(&asked), Locale::of_command(ctx));
    ctx.send(reply.to_poise()).await?;
    Ok(())
}

async fn complete_question(ctx: Context<'_>, typed: &str) -> serenity::CreateAutocompleteResponse {
    let engine = ctx.data().workflow.current();
    // Ask for more than 25: some may be too long to offer.
    let questions = engine.complete(typed, 50);
    autocomplete::response(questions.iter().map(|q| Choice::plain(q)))
}
