//! The Discord adapter: `talkbot serve`. It turns slash commands, mentions and button clicks into
//! calls on the core's [`crate::workflow::Workflow`] and renders what comes back (the one
//! [`crate::answer::Answer`] type, the reports) as Discord messages, and nothing more. Nothing
//! outside this module (and `cli/serve.rs`) knows about serenity or poise.
//!
//! Map: [`config`] reads the environment; `connect` reaches Discord first (a rejected token, an
//! unreachable API); `bot` builds the HTTP client, the poise framework and the gateway client
//! and runs them until shutdown; `commands/` holds one file per slash command; `mention` and
//! `clicks` handle messages and buttons, routed by `events`; `render` and `reply` turn answers
//! into messages within Discord's `limits`; `curation` puts Discord's ids into the core's
//! [`crate::curation::Place`] and votes into words.

mod autocomplete;
mod bot;
mod clicks;
mod commands;
pub mod config;
mod connect;
mod cooldown;
mod curation;
mod custom_id;
mod data;
mod error;
mod events;
mod limits;
mod locale;
mod mention;
mod moderator;
mod pages;
mod register;
mod render;
mod reply;

pub use bot::run;
pub use commands::ask_message::NAME as ASK_TALKBOT;
pub use config::{Config, ConfigError, Token};
pub use connect::TokenRejected;
