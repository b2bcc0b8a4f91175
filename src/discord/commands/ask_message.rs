//! "Ask talkbot" on any message (Apps → Ask talkbot): the message's text is the question, or a
//! claim to check. The member gets, privately, the facts that bear on it with their quotes, or
//! "the fact base has nothing on this", and a button that posts the answer to the channel for
//! everyone: checking a claim should not call anyone out unless the member chooses to.

use poise::serenity_prelude as serenity;

use crate::discord::curation::place;
use crate::discord::custom_id::ButtonAction;
use crate::discord::data::{Context, Error};
use crate::discord::locale::{localize, Locale};
use crate::discord::render;
use crate::discord::reply::{Button, Reply};
use crate::workflow::{Asker, Via};

/// The command's name in the Apps menu (the `context_menu_command` attribute must repeat it:
/// poise takes a literal there).
pub const NAME: &str = "Ask talkbot";

/// What a message with no sourced answer gets: it is a claim as often as a question.
pub const NOTHING_ON_THIS: &str = "The fact base has nothing on this.";

/// What a message without text (an image, an embed) gets.
pub const NO_TEXT: &str = "That message has no text to ask about.";

/// The label of the button that posts the private answer to the channel.
pub const POST_LABEL: &str = "Post to channel";

/// Check a message against the fact base: its text as a question or a claim.
#[poise::command(
    context_menu_command = "Ask talkbot",
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub async fn ask_message(ctx: Context<'_>, message: serenity::Message) -> Result<(), Error> {
    let locale = Locale::of_command(ctx);
    let text = message.content.trim();
    if text.is_empty() {
        let reply = localize(Reply::text(NO_TEXT).ephemeral(), locale);
        ctx.send(reply.to_poise()).await?;
        return Ok(());
    }
    let asker = Asker {
        place: place(ctx.guild_id(), ctx.channel_id()),
        member: ctx.author().id.get(),
        via: Via::Message,
    };
    // Someone else's words are a new question, never a follow-up to this member's last answer.
    let asked = ctx.data().workflow.ask(text, asker);
    let mut reply = render::asked(&asked);
    if !asked.answer.answered() {
        reply.content = match reply.content.split_once('\n') {
            Some((_, suggestions)) => format!("{NOTHING_ON_THIS}\n{suggestions}"),
            None => NOTHING_ON_THIS.to_string(),
        };
    }
    if let Some(custom_id) = ButtonAction::Post.custom_id() {
        reply.buttons.push(Button {
            label: POST_LABEL.to_string(),
            custom_id,
            disabled: false,
        });
    }
    ctx.send(localize(reply.ephemeral(), locale).to_poise())
        .await?;
    Ok(())
}
