//! talkbot: answers questions about the US–Ukraine peace talks from a curated fact base, with
//! the verbatim quote each answer rests on, and says so plainly when it has no answer.
//!
//! The core ([`knowledge`], [`matcher`], [`answer`], [`engine`]) knows nothing of Discord or
//! terminals. [`cli`] and [`discord`] are adapters that turn their events into
//! [`engine::Engine::ask`] calls and render the one [`answer::Answer`] type.

pub mod answer;
pub mod cli;
pub mod curation;
pub mod discord;
pub mod engine;
pub mod knowledge;
pub mod matcher;
pub mod synthetic;
pub mod text;
