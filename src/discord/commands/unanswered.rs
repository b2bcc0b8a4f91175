//! `/unanswered [days]`: the questions members of this server asked that the bot refused or
//! answered with low confidence, near-duplicates grouped, most asked first, paged. Moderators
//! only (as `/refresh`), and ephemeral: members' questions are shown to moderators alone.
//! Questions the current fact base now answers (taught since, say) are left out and counted.

use poise::serenity_prelude::GuildId;

use crate::curation::{self, UnansweredGroup};
use crate::discord::curation::relative_time;
use crate::discord::custom_id::ButtonAction;
use crate::discord::data::{Context, Data, Error};
use crate::discord::error::user_error;
use crate::discord::moderator::require_moderator;
use crate::discord::pages;
use crate::discord::reply::{Embed, Field, Reply, NOTICE_COLOUR};

pub const DENIED: &str =
    "Only moderators can see unanswered questions: it takes Manage Server, or the moderator role.";
pub const DEFAULT_DAYS: u32 = 30;
/// Eight groups with a few variants each stay well inside one embed.
pub const PAGE_SIZE: usize = 8;

/// The questions I could not answer in this server, most asked first (moderators only).
#[poise::command(
    slash_command,
    // A server's moderators' tool: only where the server installed the bot, in its channels.
    install_context = "Guild",
    interaction_context = "Guild",
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn unanswered(
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

/// Page `page` of the report for `guild` over the last `days` days, read afresh: the same
/// report as `talkbot report` ([`crate::workflow::Workflow::unanswered`]).
pub async fn page(data: &Data, guild: GuildId, days: u32, page: usize) -> Result<Reply, Error> {
    let since = curation::days_ago(curation::now(), days);
    let report = data
        .workflow
        .unanswered(since, Some(guild.get()))
        .await
        .map_err(user_error)?;
    Ok(render(&report.groups, report.now_answered, days, page))
}

/// The report as a reply: pure, so its limits are tested without Discord.
pub fn render(groups: &[UnansweredGroup], now_answered: usize, days: u32, page: usize) -> Reply {
    let (page, pages) = pages::clamp(groups.len(), PAGE_SIZE, page);
    let asks: u64 = groups.iter().map(|g| g.count).sum();
    let mut description = if groups.is_empty() {
        format!("Nothing unanswered in the last {days} days.")
    } else {
        format!(
            "{} questions, asked {asks} times · page {} of {pages}\n\
             Link one to a fact with `/teach question:… fact:…`.",
            groups.len(),
            page + 1
        )
    };
    if now_answered > 0 {
        description.push_str(&format!(
            "\n{now_answered} more asked in that time are answered by the fact base now."
        ));
    }
    let fields = pages::on_page(groups, PAGE_SIZE, page)
        .iter()
        .map(group_field)
        .collect();
    let embed = Embed {
        title: format!("Unanswered questions, last {days} days"),
        description,
        fields,
        footer: "Near-duplicate wordings are counted together.".to_string(),
        colour: NOTICE_COLOUR,
    };
    pages::report(embed, page, pages, |page| ButtonAction::UnansweredPage {
        days,
        page,
    })
}

fn group_field(group: &UnansweredGroup) -> Field {
    let outcome = if group.refused {
        "refused"
    } else {
        "answered with low confidence"
    };
    let mut value = format!("last asked {} · {outcome}", relative_time(group.last_seen));
    if !group.variants.is_empty() {
        let variants: Vec<String> = group.variants.iter().map(|v| format!("“{v}”")).collect();
        value.push_str(&format!("\nalso asked as {}", variants.join(", ")));
    }
    Field {
        name: format!("{}× {}", group.count, group.question),
        value,
        inline: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::reply::assert_within_limits;

    fn group(question: &str, count: u64) -> UnansweredGroup {
        UnansweredGroup {
            question: question.to_string(),
            count,
            last_seen: 1_700_000_000,
            variants: vec!["x".repeat(400); 5],
            refused: true,
        }
    }

    #[test]
    fn a_group_shows_its_count_question_time_and_variants() {
        let reply = render(&[group("Who won the match?", 3)], 0, 7, 0);
        assert!(reply.ephemeral);
        assert!(reply.buttons.is_empty(), "one page needs no buttons");
        let embed = reply.embed.unwrap();
        assert_eq!(embed.fields[0].name, "3× Who won the match?");
        assert!(embed.fields[0]
            .value
            .starts_with("last asked <t:1700000000:R> · refused"));
        assert!(embed.fields[0].value.contains("also asked as “x"));
    }

    #[test]
    fn many_long_groups_are_paged_within_limits() {
        let groups: Vec<UnansweredGroup> =
            (0..30).map(|i| group(&"q".repeat(300 + i), 1)).collect();
        for page in [0, 1, 3, 99] {
            let reply = render(&groups, 2, 30, page);
            assert_within_limits(&reply);
            assert_eq!(reply.buttons.len(), 2);
        }
        let last = render(&groups, 2, 30, 99).embed.unwrap();
        assert!(
            last.description.contains("page 4 of 4"),
            "{}",
            last.description
        );
        assert!(last.description.contains("2 more asked"));
    }

    #[test]
    fn nothing_unanswered_says_so() {
        let embed = render(&[], 0, 30, 0).embed.unwrap();
        assert_eq!(embed.description, "Nothing unanswered in the last 30 days.");
    }
}
