//! `/facts [topic]`: browse the fact base, five facts a page, with Previous/Next buttons. A page
//! is a pure function of the base, the topic and the page number, so a button click only needs
//! those three (carried in its custom id) to draw the next page.

use poise::serenity_prelude as serenity;

use crate::discord::autocomplete::{self, Choice};
use crate::discord::custom_id::ButtonAction;
use crate::discord::data::{Context, Error};
use crate::discord::error::user_error;
use crate::discord::pages;
use crate::discord::reply::{Embed, Field, Reply, NOTICE_COLOUR};
use crate::knowledge::{Fact, KnowledgeBase};

/// Five facts with their sources stay well inside the 6,000 characters of one embed.
pub const PAGE_SIZE: usize = 5;

/// Browse what I know, by topic.
#[poise::command(
    slash_command,
    // Installed by a server or by a member for themselves; usable in servers, the bot's DM and
    // private channels (ARCHITECTURE: "Where the bot can be used").
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub async fn facts(
    ctx: Context<'_>,
    #[description = "Only the facts on this topic"]
    #[autocomplete = "complete_topic"]
    topic: Option<String>,
) -> Result<(), Error> {
    let engine = ctx.data().workflow.current();
    let reply = page(engine.knowledge(), topic.as_deref(), 0)?;
    ctx.send(reply.to_poise()).await?;
    Ok(())
}

async fn complete_topic(ctx: Context<'_>, typed: &str) -> serenity::CreateAutocompleteResponse {
    let engine = ctx.data().workflow.current();
    let typed = typed.trim().to_lowercase();
    let topics = engine.knowledge().topics();
    autocomplete::response(
        topics
            .iter()
            .filter(|(topic, _)| topic.to_lowercase().contains(&typed))
            .map(|(topic, count)| Choice {
                name: format!("{topic} ({count})"),
                value: topic.clone(),
            }),
    )
}

/// Page `page` (from 0; past the end shows the last) of the facts on `topic`, or of all facts.
pub fn page(knowledge: &KnowledgeBase, topic: Option<&str>, page: usize) -> Result<Reply, Error> {
    let topic = match topic.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(wanted) => Some(find_topic(knowledge, wanted)?),
    };
    let facts: Vec<&Fact> = knowledge
        .facts
        .iter()
        .map(|fact| &**fact)
        .filter(|fact| topic.as_ref().is_none_or(|t| fact.topic == *t))
        .collect();
    let (page, pages) = pages::clamp(facts.len(), PAGE_SIZE, page);
    let fields = pages::on_page(&facts, PAGE_SIZE, page)
        .iter()
        .map(|fact| fact_field(knowledge, fact, topic.is_none()))
        .collect();
    let title = match &topic {
        Some(topic) => format!("Facts on {topic}"),
        None => "All facts".to_string(),
    };
    let embed = Embed {
        title,
        description: format!(
            "{} facts · page {} of {pages}\nAsk about any of them with /ask.",
            facts.len(),
            page + 1
        ),
        fields,
        footer: "/source fact:<id> shows a fact's quote in its paragraph".to_string(),
        colour: NOTICE_COLOUR,
    };
    let mut reply = Reply::embed(embed);
    reply.buttons = pages::buttons(page, pages, |page| ButtonAction::FactsPage {
        page,
        topic: topic.clone(),
    });
    Ok(reply.fit())
}

fn find_topic(knowledge: &KnowledgeBase, wanted: &str) -> Result<String, Error> {
    let topics = knowledge.topics();
    if let Some((topic, _)) = topics.iter().find(|(t, _)| t.eq_ignore_ascii_case(wanted)) {
        return Ok(topic.clone());
    }
    let names: Vec<&str> = topics.iter().map(|(t, _)| t.as_str()).collect();
    Err(user_error(format!(
        "I have no facts on the topic “{wanted}”. Topics: {}.",
        names.join(", ")
    )))
}

fn fact_field(knowledge: &KnowledgeBase, fact: &Fact, with_topic: bool) -> Field {
    let source = knowledge.source_of(fact);
    let name = if with_topic {
        format!("{} · {}", fact.topic, fact.id)
    } else {
        fact.id.clone()
    } + &super::source::superseded_note(knowledge, fact);
    Field {
        name,
        value: format!(
            "{}\n— {}, paragraph {}",
            crate::discord::limits::truncate(&fact.statement, 800),
            source.title,
            fact.paragraph
        ),
        inline: false,
    }
}
