//! `/teach question:<text> fact:<id>`: link a question members ask to the existing fact that
//! answers it, by adding it to that fact's questions on disk, then reloading the base. Only
//! existing, sourced facts can be taught, so teaching never makes the bot answer something the
//! fact base cannot source. Moderators only (as `/refresh`); every teach is written to the
//! curation database's audit log and to the bot's log.
//!
//! The edit itself is [`crate::knowledge::teach::add_question`]: atomic, comments kept,
//! validated, undone on failure. Teaching needs a writable curation database, so that no
//! teach goes unaudited; without one it is refused before any file is touched.

use poise::serenity_prelude as serenity;

use crate::curation;
use crate::discord::autocomplete::{self, Choice};
use crate::discord::data::{Context, Error};
use crate::discord::error::user_error;
use crate::discord::limits::truncate;
use crate::discord::moderator::{invoked_by_moderator, require_moderator};
use crate::discord::reply::{Embed, Field, Reply, ANSWER_COLOUR, PROBLEM_COLOUR};
use crate::knowledge::teach::{TeachError, MAX_TAUGHT_QUESTION_CHARS};
use crate::workflow::{TeachCheck, TeachOutcome, TeachRequest};

pub const DENIED: &str =
    "Only moderators can teach me questions: it takes Manage Server, or the moderator role.";

/// Teach me a question: add it to the questions of the fact that answers it (moderators only).
#[poise::command(
    slash_command,
    // A server's moderators' tool: only where the server installed the bot, in its channels.
    install_context = "Guild",
    interaction_context = "Guild",
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn teach(
    ctx: Context<'_>,
    #[description = "The question, as members ask it"]
    #[autocomplete = "complete_question"]
    #[max_length = 200]
    question: String,
    #[description = "The id of the fact that answers it"]
    #[autocomplete = "complete_fact"]
    #[max_length = 100]
    fact: String,
) -> Result<(), Error> {
    let guild = require_moderator(ctx, DENIED)?;
    let workflow = &ctx.data().workflow;
    // No teach goes unaudited: refused before any file is touched.
    workflow.curation().writable().map_err(user_error)?;
    // Reading and checking every file may take longer than the 3 seconds Discord allows.
    ctx.defer_ephemeral().await?;
    let request = TeachRequest {
        moderator: ctx.author().id.get(),
        guild: guild.get(),
        question,
        fact,
    };
    let outcome = workflow.teach(&request).await;
    let facts = workflow.current().knowledge().facts.len();
    let reply = report(&request.question(), request.fact(), &outcome, facts);
    ctx.send(reply.to_poise()).await?;
    Ok(())
}

/// What the moderator sees. `facts` is the size of the base answering now.
fn report(question: &str, fact: &str, outcome: &TeachOutcome, facts: usize) -> Reply {
    let question = truncate(question, MAX_TAUGHT_QUESTION_CHARS);
    let embed = match outcome {
        TeachOutcome::NotTaught(problem) => Embed {
            title: "Not taught".to_string(),
            description: problem.to_string(),
            // An edit error says itself whether undoing failed; every other refusal comes
            // before the file is touched, or after the edit was undone.
            footer: match problem {
                TeachError::Edit { .. } => String::new(),
                _ => "Nothing was changed.".to_string(),
            },
            colour: PROBLEM_COLOUR,
            ..Embed::default()
        },
        TeachOutcome::Taught {
            reload,
            audit,
            check:
                TeachCheck {
                    answered,
                    first_fact,
                    confidence,
                },
        } => {
            let now = match (answered, first_fact) {
                (true, Some(first)) if first == fact => {
                    format!("Answered with `{fact}` (confidence {confidence:.2}).")
                }
                (true, Some(first)) => format!(
                    "Answered, but with `{first}` first (confidence {confidence:.2}): \
                     the question may fit that fact better."
                ),
                _ => format!("Still refused (confidence {confidence:.2})."),
            };
            let mut fields = vec![Field {
                name: "Asking it now".to_string(),
                value: now,
                inline: false,
            }];
            if let Err(errors) = reload {
                fields.push(Field {
                    name: "Not reloaded".to_string(),
                    value: format!(
                        "The question is in the file, but the fact base would not reload, so the \
                         old base keeps answering ({facts} facts). Fix the files and /refresh.\n{errors}"
                    ),
                    inline: false,
                });
            }
            if let Err(problem) = audit {
                fields.push(Field {
                    name: "Not audited".to_string(),
                    value: format!("The teach log was not written. {problem}"),
                    inline: false,
                });
            }
            Embed {
                title: format!("Taught `{fact}` a question"),
                description: format!("“{question}” is now one of the questions of `{fact}`."),
                fields,
                footer: match reload {
                    Ok(_) => format!("The fact base was reloaded: {facts} facts are answering."),
                    Err(_) => String::new(),
                },
                colour: ANSWER_COLOUR,
            }
        }
    };
    Reply::embed(embed).ephemeral().fit()
}

/// This server's unanswered questions, most asked first. Offered to moderators only: they are
/// what members asked, and the command is theirs.
async fn complete_question(ctx: Context<'_>, typed: &str) -> serenity::CreateAutocompleteResponse {
    let Some(guild) = ctx.guild_id().filter(|_| invoked_by_moderator(ctx)) else {
        return autocomplete::response([]);
    };
    let groups = ctx
        .data()
        .workflow
        .unanswered(0, Some(guild.get()))
        .await
        .map(|report| report.groups)
        .unwrap_or_default();
    let typed = curation::normalize(typed);
    autocomplete::response(
        groups
            .into_iter()
            .filter(|group| curation::normalize(&group.question).contains(&typed))
            .map(|group| {
                let count = format!(" ({}×)", group.count);
                Choice {
                    name: format!("{}{count}", truncate(&group.question, 100 - count.len())),
                    value: group.question,
                }
            }),
    )
}

/// The facts, as `/source` offers them, but to moderators only, like the command.
async fn complete_fact(ctx: Context<'_>, typed: &str) -> serenity::CreateAutocompleteResponse {
    if !invoked_by_moderator(ctx) {
        return autocomplete::response([]);
    }
    let engine = ctx.data().workflow.current();
    autocomplete::response(autocomplete::fact_choices(engine.knowledge(), typed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::reply::assert_within_limits;
    use crate::engine::Changes;

    #[test]
    fn a_refused_teach_shows_the_exact_error() {
        let outcome = TeachOutcome::NotTaught(TeachError::UnknownFact("nope".into()));
        let reply = report("q", "nope", &outcome, 3);
        assert!(reply.ephemeral);
        let embed = reply.embed.unwrap();
        assert_eq!(embed.description, "there is no fact `nope`");
        assert_eq!(embed.footer, "Nothing was changed.");
    }

    #[test]
    fn a_teach_reports_how_the_question_is_answered_now() {
        let outcome = TeachOutcome::Taught {
            reload: Ok(Changes::default()),
            audit: Ok(()),
            check: TeachCheck {
                answered: true,
                first_fact: Some("venue".into()),
                confidence: 0.93,
            },
        };
        let reply = report(&"q".repeat(5000), "venue", &outcome, 3);
        assert_within_limits(&reply);
        let embed = reply.embed.unwrap();
        assert_eq!(embed.title, "Taught `venue` a question");
        assert_eq!(
            embed.fields[0].value,
            "Answered with `venue` (confidence 0.93)."
        );
    }
}
