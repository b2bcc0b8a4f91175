//! `/help`, and the short hint an empty mention gets.

use poise::serenity_prelude::UserId;

use crate::discord::data::{Context, Error};
use crate::discord::locale::{self, Locale};
use crate::discord::reply::{Embed, Field, Reply, NOTICE_COLOUR};
use crate::knowledge::KnowledgeBase;

/// What I know, where it comes from, and how to ask me.
#[poise::command(
    slash_command,
    // Installed by a server or by a member for themselves; usable in servers, the bot's DM and
    // private channels (ARCHITECTURE: "Where the bot can be used").
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    let engine = ctx.data().workflow.current();
    let bot = ctx.framework().bot_id();
    let reply = in_language(
        render(engine.knowledge(), bot),
        bot,
        Locale::of_command(ctx),
    );
    ctx.send(reply.to_poise()).await?;
    Ok(())
}

/// `/help` in the member's language: the introduction and the field names (`locale.rs`); the
/// topics and sources are the base's own words, and stay as they are.
fn in_language(mut reply: Reply, bot: UserId, locale: Locale) -> Reply {
    let (Some(texts), Some(embed)) = (locale::help(locale), reply.embed.as_mut()) else {
        return reply;
    };
    embed.title = texts.title.to_string();
    embed.description = texts.intro.replace("{bot}", &format!("<@{bot}>"));
    for field in &mut embed.fields {
        let (english, translated) = match field.name.split_once(" (") {
            Some(("Topics", count)) => ("Topics", format!("{} ({count}", texts.topics)),
            _ if field.name == "Sources" => ("Sources", texts.sources.to_string()),
            _ if field.name == "For moderators" => ("For moderators", texts.moderators.to_string()),
            _ => continue,
        };
        debug_assert!(field.name.starts_with(english));
        field.name = translated;
    }
    reply
}

pub fn render(knowledge: &KnowledgeBase, bot: UserId) -> Reply {
    let topics: Vec<String> = knowledge
        .topics()
        .iter()
        .map(|(topic, count)| format!("{topic} ({count})"))
        .collect();
    let sources: Vec<String> = knowledge
        .sources
        .values()
        .map(|s| {
            format!(
                "• {} — {}, reporting on {}",
                s.title, s.dateline, s.event_date
            )
        })
        .collect();
    let description = format!(
        "I answer questions about the US–Ukraine peace talks from a fact base that moderators keep, \
         and every answer quotes the article it rests on. When the fact base has no answer I say so \
         and suggest questions I can answer; I never guess.\n\n\
         **Ask** with `/ask question:` (it suggests questions as you type), or mention me: \
         <@{bot}> Were elections discussed?\n\
         **Browse** with `/facts` (optionally by topic).\n\
         **Read a source** with `/source` (by fact, or by paragraph number).\n\
         **Rate an answer** with its Helpful / Not helpful buttons: moderators see the votes.\n\
         **Follow up** by replying to my answer: \"source?\", \"why?\", \"more\", \"and russia?\".\n\
         **Check a message**: Apps → Ask talkbot."
    );
    Reply::embed(Embed {
        title: "talkbot: sourced answers on the US–Ukraine talks".to_string(),
        description,
        fields: vec![
            Field {
                name: format!("Topics ({} facts)", knowledge.facts.len()),
                value: topics.join(", "),
                inline: false,
            },
            Field {
                name: "Sources".to_string(),
                value: sources.join("\n"),
                inline: false,
            },
            Field {
                name: "For moderators".to_string(),
                value: "`/refresh` reloads the fact base from disk after an edit, and lists \
                        every problem if the files are broken (the old base keeps answering).\n\
                        `/unanswered` lists what members asked that I could not answer, \
                        `/feedback` the answers they found not helpful, and `/teach` links a \
                        question to the fact that answers it."
                    .to_string(),
                inline: false,
            },
        ],
        footer: String::new(),
        colour: NOTICE_COLOUR,
    })
    .ephemeral()
    .fit()
}

/// For a mention with no question in it.
pub fn mention_hint(bot: UserId) -> Reply {
    Reply::text(format!(
        "Ask me about the US–Ukraine peace talks: mention me with a question, like \
         “<@{bot}> Were elections discussed?”, or use `/ask`. `/help` tells you more."
    ))
    .fit()
}
