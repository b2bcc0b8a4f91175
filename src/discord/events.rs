//! Gateway events that are not slash commands (poise handles those): messages, for mentions,
//! and button clicks.

use poise::serenity_prelude as serenity;
use serenity::{FullEvent, Interaction};
use tracing::info;

use super::clicks;
use super::data::{Data, Error};
use super::mention;

pub fn handle<'a>(
    framework: poise::FrameworkContext<'a, Data, Error>,
    event: &'a FullEvent,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let ctx = framework.serenity_context;
        let data = framework.user_data;
        match event {
            FullEvent::Message { new_message } => {
                mention::on_message(ctx, data, framework.bot_id(), new_message).await
            }
            FullEvent::InteractionCreate {
                interaction: Interaction::Component(click),
            } => clicks::on_click(ctx, data, click).await,
            FullEvent::Ready { data_about_bot } => {
                info!(
                    bot = %data_about_bot.user.name,
                    id = %data_about_bot.user.id,
                    servers = data_about_bot.guilds.len(),
                    shard = %ctx.shard_id,
                    "connected to Discord"
                );
                data.registration
                    .once(ctx, &framework.options().commands)
                    .await;
                Ok(())
            }
            FullEvent::Resume { .. } => {
                info!(shard = %ctx.shard_id, "gateway session resumed");
                Ok(())
            }
            _ => Ok(()),
        }
    })
}
