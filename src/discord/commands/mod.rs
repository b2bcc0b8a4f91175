//! The slash commands, one file each. [`all`] is the one list that registers them: a command
//! not listed there does not exist for Discord. Each command's doc comment is the description
//! members see in Discord (at most 100 characters).

mod ask;
pub mod ask_message;
pub mod facts;
pub mod feedback;
mod help;
mod refresh;
mod source;
mod teach;
pub mod unanswered;

pub use help::mention_hint;

use super::data::Command;

/// Every command, with its Ukrainian and Russian names and descriptions (`locale.rs`).
pub fn all() -> Vec<Command> {
    let commands = vec![
        ask::ask(),
        facts::facts(),
        source::source(),
        refresh::refresh(),
        unanswered::unanswered(),
        feedback::feedback(),
        teach::teach(),
        help::help(),
        ask_message::ask_message(),
    ];
    commands
        .into_iter()
        .map(crate::discord::locale::localize_command)
        .collect()
}
