//! @mentions: `<@BOT> question` gets the same answer as `/ask`, as a reply to that message.
//! A reply to one of the bot's answers is a mention too (Discord delivers its content when the
//! reply pings the bot), and "source?", "why?" or "and russia?" there follow up on the member's
//! conversation in the channel (`Workflow::converse`).
//! Direct messages are answered without a mention, since there the bot is the only one listening.
//! Mentions arrive with their content without the privileged Message Content intent, which is
//! why the bot asks only for GUILD_MESSAGES and DIRECT_MESSAGES.

use std::time::Instant;

use poise::serenity_prelude as serenity;
use serenity::{Message, UserId};
use tracing::debug;

use super::commands::mention_hint;
use super::cooldown::Verdict;
use super::curation::place;
use super::data::{Data, Error};
use super::error::log_send_failure;
use super::locale::{self, localize, Locale};
use super::render;
use super::reply::Reply;
use crate::conversation;
use crate::workflow::{Asker, Via};

pub async fn on_message(
    ctx: &serenity::Context,
    data: &Data,
    bot: UserId,
    message: &Message,
) -> Result<(), Error> {
    // Bots (and this bot itself) are never answered: two bots could otherwise talk forever.
    if message.author.bot || message.author.id == bot {
        return Ok(());
    }
    let mentioned = message.mentions.iter().any(|user| user.id == bot);
    // A reply to one of the bot's answers (Discord sends the message replied to along).
    let replying = message
        .referenced_message
        .as_ref()
        .is_some_and(|answered| answered.author.id == bot);
    if !mentioned && !replying && message.guild_id.is_some() {
        return Ok(());
    }
    let question = strip_mentions(&message.content, bot);
    // A reply that does not ping the bot reaches it without its text (no Message Content
    // intent): there is nothing to answer, and a hint would be noise in someone's thread.
    if question.is_empty() && !mentioned && message.guild_id.is_some() {
        return Ok(());
    }
    let asker = Asker {
        place: place(message.guild_id, message.channel_id),
        member: message.author.id.get(),
        via: if replying { Via::Reply } else { Via::Mention },
    };
    // "source?" in reply to the bot's own answer is the conversation going on, not another
    // question: the cooldown, there against floods of questions, does not hold it up.
    let following_up = replying
        && conversation::classify(&question).is_some()
        && data.workflow.in_conversation(asker);
    let verdict = if following_up {
        Verdict::Answer
    } else {
        data.mention_cooldown
            .check(message.author.id, Instant::now())
    };
    // Messages carry no member locale; the server's preferred one is the best guess.
    let locale = Locale::of_guild(ctx, message.guild_id);
    let reply = match verdict {
        Verdict::Ignore => {
            debug!(user = %message.author.id, "mention ignored: cooling down");
            return Ok(());
        }
        Verdict::Notice(left) => Reply::text(locale::cooldown(locale, left.as_secs().max(1))),
        Verdict::Answer => {
            if question.is_empty() {
                mention_hint(bot)
            } else {
                render::asked(&data.workflow.converse(&question, asker))
            }
        }
    };
    let reply = localize(reply, locale)
        .to_message()
        .reference_message(message);
    log_send_failure(
        message.channel_id.send_message(&ctx.http, reply).await,
        "a mention reply",
    );
    Ok(())
}

/// The question in a message: the text without the bot's own mentions (`<@id>` or `<@!id>`),
/// with whitespace tidied.
pub fn strip_mentions(content: &str, bot: UserId) -> String {
    let plain = format!("<@{bot}>");
    let nick = format!("<@!{bot}>");
    content
        .replace(&plain, " ")
        .replace(&nick, " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bots_mentions_are_removed_wherever_they_are() {
        let bot = UserId::new(42);
        assert_eq!(
            strip_mentions("<@42> Were elections discussed?", bot),
            "Were elections discussed?"
        );
        assert_eq!(
            strip_mentions("so <@!42>,  who led?  <@42>", bot),
            "so , who led?"
        );
        assert_eq!(strip_mentions("<@42>", bot), "");
    }

    #[test]
    fn other_mentions_stay_in_the_question() {
        assert_eq!(
            strip_mentions("<@42> ask <@7> @everyone", UserId::new(42)),
            "ask <@7> @everyone"
        );
    }
}
