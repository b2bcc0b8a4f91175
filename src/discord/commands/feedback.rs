//! `/feedback [days]`: the facts members of this server voted "Not helpful" most often, with
//! the questions behind those votes, paged. Moderators only (as `/refresh`), and ephemeral.
//! A fact is shown with its statement from the base now answering, so a moderator sees what
//! members were given; a fact removed since says so.

use poise::serenity_prelude::GuildId;

use crate::curation::{self, FactFeedback};
use crate::discord::custom_id::ButtonAction;
use crate::discord::data::{Context, Data, Error};
use crate::discord::error::user_error;
use crate::discord::limits::truncate;
use crate::discord::moderator::require_moderator;
use crate::discord::pages;
use crate::discord::reply::{Embed, Field, Reply, NOTICE_COLOUR};
use crate::knowledge::KnowledgeBase;

pub const DENIED: &str =
    "Only moderators can see answer feedback: it takes Manage Server, or the moderator role.";
pub const DEFAULT_DAYS: u32 = 30;
pub const PAGE_SIZE: usize = 5;

/// The facts members found not helpful, and what they had asked (moderators only).
#[poise::command(
    slash_command,
    // A server's moderators' tool: only where the server installed the bot, in its channels.
    install_context = "Guild",
    interaction_context = "Guild",
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn feedback(
    ctx: Context<'_>,
    #[description = "How many days back to look (default 30)"]
    #[min = 1]
    #[max = 3650]
    days: Option<u32>,
) -> Result<(), Error> {
    let guild = require_moderator(ctx, DENIED)?;
    let reply = page(ctx.data(), guild, days.unwrap_or(DEFAULT_DAYS), 0).await?;
    ctx.send(reply.to_poise()).await?;
    Ok(())
}

/// Page `page` of the report for `guild` over the last `days` days, read afresh.
pub async fn page(data: &Data, guild: GuildId, days: u32, page: usize) -> Result<Reply, Error> {
    let since = curation::days_ago(curation::now(), days);
    let facts = data
        .workflow
        .feedback(since, Some(guild.get()))
        .await
        .map_err(user_error)?;
    let engine = data.workflow.current();
    Ok(render(&facts, engine.knowledge(), days, page))
}

/// The report as a reply: pure, so its limits are tested without Discord.
pub fn render(facts: &[FactFeedback], knowledge: &KnowledgeBase, days: u32, page: usize) -> Reply {
    let (page, pages) = pages::clamp(facts.len(), PAGE_SIZE, page);
    let description = if facts.is_empty() {
        format!("No “Not helpful” votes in the last {days} days.")
    } else {
        format!(
            "{} facts with “Not helpful” votes · page {} of {pages}\n\
             `/source fact:<id>` shows a fact's paragraph; `/teach` links a question to a better fact.",
            facts.len(),
            page + 1
        )
    };
    let fields = pages::on_page(facts, PAGE_SIZE, page)
        .iter()
        .map(|fact| fact_field(fact, knowledge))
        .collect();
    let embed = Embed {
        title: format!("Answer feedback, last {days} days"),
        description,
        fields,
        footer: "One vote per member per answer; a changed vote counts once.".to_string(),
        colour: NOTICE_COLOUR,
    };
    pages::report(embed, page, pages, |page| ButtonAction::FeedbackPage {
        days,
        page,
    })
}

fn fact_field(fact: &FactFeedback, knowledge: &KnowledgeBase) -> Field {
    let statement = match knowledge.fact(&fact.fact_id) {
        Some(known) => truncate(&known.statement, 300),
        None => "(no longer in the fact base)".to_string(),
    };
    let questions: Vec<String> = fact
        .questions
        .iter()
        .map(|q| format!("• {}", truncate(q, 120)))
        .collect();
    Field {
        name: format!(
            "{} · {} not helpful, {} helpful",
            fact.fact_id, fact.not_helpful, fact.helpful
        ),
        value: format!("{statement}\nAsked:\n{}", questions.join("\n")),
        inline: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::reply::assert_within_limits;

    fn empty_base() -> KnowledgeBase {
        KnowledgeBase {
            sources: Default::default(),
            facts: Vec::new(),
            aliases: Vec::new(),
        }
    }

    fn feedback(id: &str) -> FactFeedback {
        FactFeedback {
            fact_id: id.to_string(),
            not_helpful: 2,
            helpful: 1,
            questions: vec!["Who paid?".into(), "q".repeat(500)],
        }
    }

    #[test]
    fn a_fact_shows_its_votes_and_the_questions_behind_them() {
        let reply = render(&[feedback("gone")], &empty_base(), 7, 0);
        assert!(reply.ephemeral);
        let field = &reply.embed.unwrap().fields[0];
        assert_eq!(field.name, "gone · 2 not helpful, 1 helpful");
        assert!(field
            .value
            .starts_with("(no longer in the fact base)\nAsked:\n• Who paid?\n• qqq"));
    }

    #[test]
    fn many_facts_are_paged_within_limits() {
        let facts: Vec<FactFeedback> = (0..12).map(|i| feedback(&format!("f{i}"))).collect();
        let reply = render(&facts, &empty_base(), 30, 2);
        assert_within_limits(&reply);
        assert!(reply.embed.unwrap().description.contains("page 3 of 3"));
        assert_eq!(reply.buttons.len(), 2);
    }
}
