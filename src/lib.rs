//! talkbot: answers questions about the US–Ukraine peace talks from a curated fact base, with
//! the verbatim quote each answer rests on, and says so plainly when it has no answer.
//!
//! The core ([`text`], [`knowledge`], [`matcher`], [`answer`], [`engine`], [`curation`],
//! [`conversation`], [`workflow`], [`cluster`]) knows nothing of Discord or terminals. [`cli`] and [`discord`] are adapters
//! that turn their events into [`workflow::Workflow`] calls (the CLI's one-shot commands call
//! [`engine::Engine`] directly) and render the one [`answer::Answer`] type.

pub mod answer;
pub mod cli;
pub mod cluster;
pub mod conversation;
pub mod curation;
pub mod discord;
pub mod engine;
pub mod knowledge;
pub mod matcher;
pub mod synthetic;
pub mod text;
pub mod workflow;
