//! Start-up and shutdown: load the fact base, build the clients, connect, register the
//! commands once connected, and stop cleanly when told to.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tracing::{error, info, warn};

use super::commands;
use super::config::Config;
use super::cooldown::Cooldown;
use super::curation::Curation;
use super::data::{Data, Error};
use super::error::on_error;
use super::events;
use super::reply::no_pings;
use crate::engine::LiveEngine;

/// Mentions carry their content without the privileged Message Content intent, so these two are
/// all the bot needs; slash commands and clicks arrive whatever the intents.
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILD_MESSAGES | serenity::GatewayIntents::DIRECT_MESSAGES
}

/// Runs the bot until `shutdown` completes (or the connection fails for good). This is all of
/// `talkbot serve` but the signal handling, and what the end-to-end tests run.
pub async fn run(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let dir = config.knowledge_dir.clone();
    let engine = tokio::task::spawn_blocking(move || LiveEngine::load(&dir)).await??;
    {
        let current = engine.current();
        info!(
            facts = current.knowledge().facts.len(),
            sources = current.knowledge().sources.len(),
            dir = %config.knowledge_dir.display(),
            "fact base loaded"
        );
    }
    // A database that cannot be opened turns curation off, not the bot: answers matter more.
    let (data_dir, retention) = (config.data_dir.clone(), config.retention_days);
    let curation =
        tokio::task::spawn_blocking(move || Curation::open(&data_dir, retention)).await?;
    let _pruning = curation.prune_daily();
    let mut client = serenity::ClientBuilder::new_with_http(http(&config), intents())
        .framework(framework(&config, Arc::new(engine), curation))
        .await?;
    let shard_manager = client.shard_manager.clone();
    let start = client.start();
    tokio::pin!(start);
    tokio::select! {
        result = &mut start => result?,
        () = shutdown => {
            info!("shutting down");
            shard_manager.shutdown_all().await;
            // `start` returns once the shards have closed; if none had started yet, it never
            // would, so the wait is bounded.
            if tokio::time::timeout(Duration::from_secs(5), start).await.is_err() {
                warn!("the gateway did not close within 5 s; stopping anyway");
            }
        }
    }
    info!("stopped");
    Ok(())
}

/// With `DISCORD_API_BASE`, REST calls go to that endpoint, which owns rate limiting; serenity's
/// own limiter is then off, because it would send its requests past the proxy.
fn http(config: &Config) -> serenity::Http {
    let mut builder =
        serenity::HttpBuilder::new(config.token.expose()).default_allowed_mentions(no_pings());
    if let Some(base) = &config.api_base {
        builder = builder.proxy(base).ratelimiter_disabled(true);
    }
    builder.build()
}

fn framework(
    config: &Config,
    engine: Arc<LiveEngine>,
    curation: Curation,
) -> poise::Framework<Data, Error> {
    let data = Data {
        engine,
        moderator_role: config.moderator_role_id,
        mention_cooldown: Cooldown::new(config.mention_cooldown),
        curation,
        teaching: Default::default(),
    };
    let guild = config.guild_id;
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error,
            event_handler: events::handle,
            allowed_mentions: Some(no_pings()),
            // Mentions are questions, not prefix commands; without this poise would try to
            // parse each one as a command and log a warning for every mention.
            prefix_options: poise::PrefixFrameworkOptions {
                mention_as_prefix: false,
                ..Default::default()
            },
            ..Default::default()
        })
        // Owners are not used, and finding them costs a REST call at every start.
        .initialize_owners(false)
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                register(ctx, &framework.options().commands, guild).await;
                Ok(data)
            })
        })
        .build()
}

/// A failed registration is logged, not fatal: the commands registered last time keep working,
/// and mentions need no registration. (A setup error would also leave poise waiting forever.)
async fn register(
    ctx: &serenity::Context,
    commands: &[poise::Command<Data, Error>],
    guild: Option<serenity::GuildId>,
) {
    let result = match guild {
        Some(guild) => poise::builtins::register_in_guild(ctx, commands, guild).await,
        None => poise::builtins::register_globally(ctx, commands).await,
    };
    match (result, guild) {
        (Ok(()), Some(guild)) => {
            info!(count = commands.len(), %guild, "commands registered in the server")
        }
        (Ok(()), None) => info!(
            count = commands.len(),
            "commands registered globally (Discord may take a while to show them everywhere)"
        ),
        (Err(error), _) => error!(%error, "could not register the commands"),
    }
}
