//! `/refresh`: reload the fact base from disk. Moderators only; see
//! [`crate::discord::moderator`]. The reload validates everything and swaps the new base in at
//! once; when the files are broken, every problem is listed and the old base keeps answering.

use tracing::{info, warn};

use crate::discord::data::{Context, Error};
use crate::discord::moderator::require_moderator;
use crate::discord::reply::{Embed, Field, Reply, ANSWER_COLOUR, PROBLEM_COLOUR};
use crate::engine::Changes;
use crate::knowledge::LoadErrors;

pub const DENIED: &str =
    "Only moderators can refresh the fact base: it takes Manage Server, or the moderator role.";

// Offered in servers only and hidden from members without Manage Server; the handler checks
// again, with one message for everyone it refuses (a DM has no member, so it is refused too).
/// Reload the fact base from disk (moderators only).
#[poise::command(
    slash_command,
    // A server's moderators' tool: only where the server installed the bot, in its channels.
    install_context = "Guild",
    interaction_context = "Guild",
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn refresh(ctx: Context<'_>) -> Result<(), Error> {
    require_moderator(ctx, DENIED)?;
    let author = ctx.author();
    // Reading and checking every file may take longer than the 3 seconds Discord allows.
    ctx.defer_ephemeral().await?;
    // Waits its turn with a teach in progress, so it cannot undo one (LiveEngine::refresh).
    let result = ctx.data().workflow.refresh().await;
    match &result {
        Ok(changes) => info!(
            user = %author.id,
            name = %author.name,
            added = changes.added.len(),
            removed = changes.removed.len(),
            changed = changes.changed.len(),
            "/refresh: fact base reloaded"
        ),
        Err(errors) => warn!(
            user = %author.id,
            name = %author.name,
            problems = errors.0.len(),
            "/refresh: fact base has problems; the old base keeps answering"
        ),
    }
    let facts = ctx.data().workflow.current().knowledge().facts.len();
    ctx.send(report(&result, facts).to_poise()).await?;
    Ok(())
}

/// What a moderator sees after a refresh. `facts` is the size of the base now answering.
pub fn report(result: &Result<Changes, LoadErrors>, facts: usize) -> Reply {
    let embed = match result {
        Ok(changes) if changes.is_empty() => Embed {
            title: "Fact base reloaded: nothing changed".to_string(),
            description: format!("{facts} facts are answering."),
            colour: ANSWER_COLOUR,
            ..Embed::default()
        },
        Ok(changes) => Embed {
            title: "Fact base reloaded".to_string(),
            description: format!("{facts} facts are answering now."),
            fields: [
                ("Added", &changes.added),
                ("Removed", &changes.removed),
                ("Changed", &changes.changed),
            ]
            .into_iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(label, ids)| Field {
                name: format!("{label} ({})", ids.len()),
                value: listing(
                    &ids.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>(),
                    ", ",
                    1024,
                ),
                inline: false,
            })
            .collect(),
            colour: ANSWER_COLOUR,
            ..Embed::default()
        },
        Err(errors) => Embed {
            title: format!(
                "Not reloaded: {} {} in the files",
                errors.0.len(),
                if errors.0.len() == 1 {
                    "problem"
                } else {
                    "problems"
                }
            ),
            description: listing(
                &errors
                    .0
                    .iter()
                    .map(|p| format!("• {p}"))
                    .collect::<Vec<_>>(),
                "\n",
                4000,
            ),
            footer: format!(
                "The old base keeps answering ({facts} facts). Fix the files and /refresh again."
            ),
            colour: PROBLEM_COLOUR,
            ..Embed::default()
        },
    };
    Reply::embed(embed).ephemeral().fit()
}

/// `items` joined, stopping before `max` characters with a count of what was left out, so a
/// long list says how long it was instead of ending mid-word.
fn listing(items: &[String], separator: &str, max: usize) -> String {
    let length = |text: &str| text.chars().count();
    let mut out = String::new();
    for (shown, item) in items.iter().enumerate() {
        let left_after = items.len() - shown - 1;
        let tail = if left_after > 0 {
            format!("{separator}… and {left_after} more")
        } else {
            String::new()
        };
        let separator_here = if shown > 0 { separator } else { "" };
        if length(&out) + length(separator_here) + length(item) + length(&tail) > max {
            // The previous item was kept only if this very note fitted after it.
            out.push_str(separator_here);
            out.push_str(&format!("… and {} more", items.len() - shown));
            return out;
        }
        out.push_str(separator_here);
        out.push_str(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::reply::assert_within_limits;
    use crate::knowledge::Problem;

    #[test]
    fn changes_are_listed_by_kind() {
        let changes = Changes {
            added: vec!["new-fact".into()],
            removed: vec![],
            changed: vec!["a".into(), "b".into()],
        };
        let reply = report(&Ok(changes), 12);
        assert!(reply.ephemeral);
        let embed = reply.embed.unwrap();
        let fields: Vec<(&str, &str)> = embed
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            fields,
            [("Added (1)", "`new-fact`"), ("Changed (2)", "`a`, `b`")]
        );
    }

    #[test]
    fn every_problem_is_shown_with_file_and_line() {
        let errors = LoadErrors(vec![
            Problem::new("facts/talks.toml", Some(3), "missing field `quote`"),
            Problem::new("sources/x.txt", None, "is empty"),
        ]);
        let embed = report(&Err(errors), 9).embed.unwrap();
        assert_eq!(embed.title, "Not reloaded: 2 problems in the files");
        assert_eq!(
            embed.description,
            "• facts/talks.toml:3: missing field `quote`\n• sources/x.txt: is empty"
        );
        assert!(embed.footer.contains("old base keeps answering (9 facts)"));
    }

    #[test]
    fn thousands_of_problems_still_fit_and_are_counted() {
        let errors = LoadErrors(
            (0..5000)
                .map(|i| Problem::new(format!("facts/f{i}.toml"), Some(i), "x".repeat(i % 300)))
                .collect(),
        );
        let reply = report(&Err(errors), 1);
        assert_within_limits(&reply);
        assert!(reply.embed.unwrap().description.contains(" more"));
    }

    #[test]
    fn a_listing_that_overflows_ends_with_the_count_left_out() {
        let items: Vec<String> = (0..10).map(|i| format!("item{i}")).collect();
        let out = listing(&items, ", ", 30);
        assert!(out.chars().count() <= 30, "{out}");
        assert!(out.ends_with("more"), "{out}");
        assert_eq!(listing(&items[..2], ", ", 30), "item0, item1");
    }
}
