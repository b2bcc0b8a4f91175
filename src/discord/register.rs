//! Registering the slash commands with Discord, once per run, on the first READY. Not in
//! poise's setup: poise holds every event until setup returns (it polls every 100 ms), so an
//! interaction arriving while the registration call was out waited up to 100 ms. On READY the
//! data is in place and events flow while the call is out.
//!
//! Of several processes serving the bot, only the one the cluster made registrar registers
//! ([`crate::cluster::Cluster::claim_registrar`], asked once at start in `bot.rs`): the others
//! would send the same commands again, each a rate-limited bulk overwrite.

use std::sync::atomic::{AtomicBool, Ordering};

use poise::serenity_prelude as serenity;
use tracing::{error, info};

use super::data::{Data, Error};

/// What poise's `create_application_commands` builds, with two additions for the context-menu
/// command: its name's localizations (poise 0.7.1 leaves them out) and its empty description.
fn builders(commands: &[poise::Command<Data, Error>]) -> Vec<serenity::CreateCommand> {
    let mut out = Vec::new();
    for command in commands {
        if let Some(slash) = command.create_as_slash_command() {
            out.push(slash);
        }
        if let Some(menu) = command.create_as_context_menu_command() {
            // Discord gives a message command an empty description, and serenity's reading of
            // the registration's echo requires the field: sent empty, it comes back.
            let mut menu = menu.description("");
            for (locale, name) in command.name_localizations.iter() {
                menu = menu.name_localized(locale.as_ref(), name.as_ref());
            }
            out.push(menu);
        }
    }
    out
}

pub struct Registration {
    /// Where to register: one server (commands show at once), or globally.
    guild: Option<serenity::GuildId>,
    /// Whether this process is the one that registers.
    registrar: bool,
    done: AtomicBool,
}

impl Registration {
    pub fn new(guild: Option<serenity::GuildId>, registrar: bool) -> Registration {
        Registration {
            guild,
            registrar,
            done: AtomicBool::new(false),
        }
    }

    /// Registers `commands` unless this run already has (each shard gets READY, and so does a
    /// new session after a 4009, say, and the commands have not changed), or another process
    /// is the registrar (which `bot.rs` said in the log at start).
    ///
    /// A failed registration is logged, not fatal: the commands registered last time keep
    /// working, and mentions need no registration.
    pub async fn once(&self, ctx: &serenity::Context, commands: &[poise::Command<Data, Error>]) {
        if !self.registrar || self.done.swap(true, Ordering::SeqCst) {
            return;
        }
        let count = commands.len();
        let builders = builders(commands);
        let result = match self.guild {
            Some(guild) => guild.set_commands(&ctx.http, builders).await.map(drop),
            None => serenity::Command::set_global_commands(&ctx.http, builders)
                .await
                .map(drop),
        };
        match (result, self.guild) {
            (Ok(()), Some(guild)) => info!(count, %guild, "commands registered in the server"),
            (Ok(()), None) => info!(
                count,
                "commands registered globally (Discord may take a while to show them everywhere)"
            ),
            (Err(error), _) => error!(%error, "could not register the commands"),
        }
    }
}
