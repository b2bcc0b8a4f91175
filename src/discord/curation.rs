//! Curation as Discord shows it: where a question was asked in Discord's ids, a vote's outcome
//! in words for the member, times in Discord's own format. What is recorded, and when, is the
//! core's ([`crate::curation`]); the vote buttons are drawn by `render`.

use poise::serenity_prelude::{ChannelId, GuildId};

use crate::curation::{Place, Vote, VoteOutcome};

/// Where a question was asked, as the store keeps it (0 for "none": a DM has no server).
pub fn place(guild: Option<GuildId>, channel: ChannelId) -> Place {
    Place {
        guild_id: guild.map_or(0, GuildId::get),
        channel_id: channel.get(),
    }
}

/// What the member who clicked a vote button is told.
pub fn vote_said(outcome: VoteOutcome, helpful: bool) -> String {
    let what = if helpful { "helpful" } else { "not helpful" };
    match outcome {
        VoteOutcome::Recorded(Vote::New) => "Thanks — recorded.".to_string(),
        VoteOutcome::Recorded(Vote::Changed) => format!("Thanks — changed your vote to “{what}”."),
        VoteOutcome::Recorded(Vote::Unchanged) => format!("You already said “{what}”; thanks."),
        VoteOutcome::Unavailable => "Sorry, votes cannot be recorded right now.".to_string(),
        VoteOutcome::Rejected => {
            "Sorry, that vote could not be recorded (the answer may be too old).".to_string()
        }
        VoteOutcome::Failed => "Sorry, that vote could not be recorded.".to_string(),
    }
}

/// Discord shows `<t:UNIX:R>` as "3 hours ago" in each reader's own language and time zone.
pub fn relative_time(unix: i64) -> String {
    format!("<t:{unix}:R>")
}
