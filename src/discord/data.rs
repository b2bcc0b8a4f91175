//! What every handler shares: built once when the bot starts, then only read. The fact base
//! changes only through [`LiveEngine::refresh`]'s atomic swap, so nothing here needs a lock held
//! across an `.await`. The curation store locks its connection only inside each call, and
//! `teaching` is taken only inside a blocking task.

use std::sync::Arc;

use poise::serenity_prelude::RoleId;

use super::cooldown::Cooldown;
use super::curation::Curation;
use crate::engine::LiveEngine;

pub struct Data {
    pub engine: Arc<LiveEngine>,
    pub moderator_role: Option<RoleId>,
    pub mention_cooldown: Cooldown,
    pub curation: Curation,
    /// One `/teach` at a time: two edits of the same file at once would lose one of them.
    pub teaching: Arc<std::sync::Mutex<()>>,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Context<'a> = poise::Context<'a, Data, Error>;
pub type Command = poise::Command<Data, Error>;
