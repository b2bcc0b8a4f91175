//! What every handler shares: built once when the bot starts, then only read. The workflows
//! (answering, teaching, refreshing, the reports) are the core's [`Workflow`]; the adapter adds
//! only what is Discord's: who counts as a moderator and the mention cooldown.

use std::sync::Arc;

use poise::serenity_prelude::RoleId;

use super::cooldown::Cooldown;
use super::register::Registration;
use crate::workflow::Workflow;

pub struct Data {
    pub workflow: Arc<Workflow>,
    pub moderator_role: Option<RoleId>,
    pub mention_cooldown: Cooldown,
    pub registration: Registration,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Context<'a> = poise::Context<'a, Data, Error>;
pub type Command = poise::Command<Data, Error>;
