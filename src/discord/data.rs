//! What every handler shares: built once when the bot starts, then only read. The fact base
//! changes only through [`LiveEngine::refresh`]'s atomic swap, so nothing here needs a lock held
//! across an `.await`.

use std::sync::Arc;

use poise::serenity_prelude::RoleId;

use super::cooldown::Cooldown;
use crate::engine::LiveEngine;

pub struct Data {
    pub engine: Arc<LiveEngine>,
    pub moderator_role: Option<RoleId>,
    pub mention_cooldown: Cooldown,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Context<'a> = poise::Context<'a, Data, Error>;
pub type Command = poise::Command<Data, Error>;
