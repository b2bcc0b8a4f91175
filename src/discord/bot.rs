//! Start-up and shutdown: load the fact base, open curation, join the cluster (and, if this
//! process is its registrar, schedule the pruning), reach Discord (`connect.rs`), build the
//! clients, connect this process's shards (commands are registered on READY, see
//! `register.rs`), and stop cleanly when told to.
//!
//! Several processes can serve one bot, each with its own range of shards (`SHARDS` of
//! `SHARD_COUNT`). What must happen once for all of them, registering the commands and pruning
//! the curation records, is done by the one process the cluster makes registrar; following the
//! other processes' refreshes and teaches is the core's ([`Workflow::follow_changes`]).
//!
//! Stopping cleanly means finishing what was started. serenity runs every event in a task of
//! its own, and those tasks would die with the runtime; so each one is counted while it runs
//! ([`InFlight`]), and shutdown first closes the gateway (no new questions), then waits, up to
//! [`SHUTDOWN_GRACE`], for the answers already being sent, then for the curation records they
//! queued. REST stays up meanwhile.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::watch;
use tokio::time::Instant;
use tracing::{info, warn};

use super::commands;
use super::config::{Config, ShardRange};
use super::connect;
use super::cooldown::Cooldown;
use super::data::{Data, Error};
use super::error::on_error;
use super::events;
use super::register::Registration;
use super::reply::no_pings;
use crate::cluster::Cluster;
use crate::curation::{Curation, Retention};
use crate::engine::LiveEngine;
use crate::workflow::Workflow;

/// Mentions carry their content without the privileged Message Content intent, so these two are
/// all the bot needs; slash commands and clicks arrive whatever the intents.
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILD_MESSAGES | serenity::GatewayIntents::DIRECT_MESSAGES
}

/// How long shutdown waits for answers in flight (a reply Discord is slow to take, a refresh
/// reading its files) before it stops anyway. Container runtimes send SIGKILL 10 s after
/// SIGTERM by default; this stays under that.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);

/// Runs the bot until `shutdown` completes (or the connection fails for good), then lets the
/// answers in flight finish. This is all of `talkbot serve` but the signal handling, and what
/// the end-to-end tests run.
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
    // With DATABASE_URL, curation goes to PostgreSQL, shared by every process.
    let data_dir = config.data_dir.clone();
    let database_url = config
        .database_url
        .as_ref()
        .map(|url| url.expose().to_string());
    let curation = Arc::new(
        tokio::task::spawn_blocking(move || {
            Curation::open_configured(&data_dir, database_url.as_deref())
        })
        .await?,
    );
    let cluster = match &config.database_url {
        Some(url) => Cluster::postgres(url.expose())
            .await
            .map_err(|error| anyhow::anyhow!("cannot join the cluster at DATABASE_URL: {error}"))?,
        None => Cluster::single(),
    };
    let shards = shards_named(config.shards);
    let registrar = cluster.claim_registrar().await;
    if registrar {
        info!(%shards, "this process registers the commands and prunes curation records");
    } else {
        info!(
            %shards,
            "another process registers the commands and prunes curation records; this one does not"
        );
    }
    // Opening the store never prunes (a report must not delete anything); the registrar does,
    // on this schedule, with its own retention setting.
    let retention = Retention {
        days: config.retention_days,
    };
    let _pruning = registrar.then(|| curation.prune_daily(retention)).flatten();
    // A process that lost the race stands by: should the registrar die, its lock is freed and
    // this one takes over the pruning (the commands stay registered at Discord meanwhile).
    let _standby = (!registrar).then(|| {
        AbortOnDrop(tokio::spawn(stand_by_as_registrar(
            cluster.clone(),
            curation.clone(),
            retention,
        )))
    });
    let workflow = Arc::new(
        Workflow::with_clock(Arc::new(engine), curation.clone(), config.clock.clone())
            .with_cluster(cluster),
    );
    let _following = AbortOnDrop(workflow.clone().follow_changes());
    let in_flight = InFlight::default();
    let framework = Counted {
        framework: framework(&config, workflow, registrar),
        in_flight: in_flight.clone(),
    };
    // Shutdown may be asked for while Discord is still being reached, or once connected.
    let (stop, mut stopping) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let http = http(&config);
    let Some(recommended) = connect::reach(&http, &mut stopping).await? else {
        info!("stopped before Discord could be reached");
        return Ok(());
    };
    let mut client = serenity::ClientBuilder::new_with_http(http, intents())
        .framework(framework)
        .await?;
    let shard_manager = client.shard_manager.clone();
    let start = async {
        match config.shards {
            // serenity 0.12's `start_shard_range` includes the range's end: `first..last`
            // starts `last` too, so this is SHARDS exactly as written.
            Some(range) => {
                info!(shards = %range, "starting this process's shards");
                client
                    .start_shard_range(range.first..range.last, range.count)
                    .await
            }
            None => {
                info!(
                    shards = recommended,
                    "starting the shards Discord recommends"
                );
                client.start_shards(recommended).await
            }
        }
    };
    tokio::pin!(start);
    tokio::select! {
        result = &mut start => {
            if let Err(error) = result {
                return Err(match connect::rejected_by_gateway(&error) {
                    Some(rejected) => rejected.into(),
                    None => error.into(),
                });
            }
        }
        () = connect::stopped(&mut stopping) => {
            let deadline = Instant::now() + SHUTDOWN_GRACE;
            info!(answers_in_flight = in_flight.count(), "shutting down");
            shard_manager.shutdown_all().await;
            // `start` returns once the shards have closed; if none had started yet, it never
            // would, so the wait is bounded.
            if tokio::time::timeout(Duration::from_secs(5), start).await.is_err() {
                warn!("the gateway did not close within 5 s; stopping anyway");
            }
            if in_flight.count() > 0 {
                info!(answers = in_flight.count(), "waiting for the answers in flight");
            }
            if tokio::time::timeout_at(deadline, in_flight.idle()).await.is_err() {
                warn!(
                    answers = in_flight.count(),
                    grace_secs = SHUTDOWN_GRACE.as_secs(),
                    "answers still in flight after the grace period; stopping anyway"
                );
            }
        }
    }
    // The answers sent last may have their records still queued.
    curation.flush(Duration::from_secs(2)).await;
    info!("stopped");
    Ok(())
}

/// How the log names this process's shards.
fn shards_named(shards: Option<ShardRange>) -> String {
    match shards {
        Some(range) => range.to_string(),
        None => "all (as many as Discord recommends)".to_string(),
    }
}

/// A task that ends when the bot stops, however `run` returns.
/// How often a standby process asks for the registrar's lock.
const REGISTRAR_RETRY: Duration = Duration::from_secs(30);

async fn stand_by_as_registrar(cluster: Cluster, curation: Arc<Curation>, retention: Retention) {
    loop {
        tokio::time::sleep(REGISTRAR_RETRY).await;
        if cluster.claim_registrar().await {
            info!("the registrar has gone; this process prunes curation records from now on");
            let _pruning = curation.prune_daily(retention);
            std::future::pending::<()>().await;
        }
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The number of events being handled. Each handler holds a [`Handling`] guard, so the count
/// goes down however the handler ends: returning, failing, or panicking (a panic ends only that
/// handler's task; poise also catches panics in commands and reports them through `on_error`).
#[derive(Clone)]
struct InFlight(Arc<watch::Sender<usize>>);

struct Handling(Arc<watch::Sender<usize>>);

impl Default for InFlight {
    fn default() -> InFlight {
        InFlight(Arc::new(watch::channel(0).0))
    }
}

impl InFlight {
    fn enter(&self) -> Handling {
        self.0.send_modify(|count| *count += 1);
        Handling(self.0.clone())
    }

    fn count(&self) -> usize {
        *self.0.borrow()
    }

    /// Completes when no event is being handled.
    async fn idle(&self) {
        let mut count = self.0.subscribe();
        // The sender lives in `self`, so this only ends when the count reaches zero.
        let _ = count.wait_for(|count| *count == 0).await;
    }
}

impl Drop for Handling {
    fn drop(&mut self) {
        self.0.send_modify(|count| *count -= 1);
    }
}

/// poise's framework, with every event it handles counted in [`InFlight`].
struct Counted {
    framework: poise::Framework<Data, Error>,
    in_flight: InFlight,
}

#[serenity::async_trait]
impl serenity::Framework for Counted {
    async fn init(&mut self, client: &serenity::Client) {
        self.framework.init(client).await;
    }

    async fn dispatch(&self, ctx: serenity::Context, event: serenity::FullEvent) {
        let _handling = self.in_flight.enter();
        self.framework.dispatch(ctx, event).await;
    }
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
    workflow: Arc<Workflow>,
    registrar: bool,
) -> poise::Framework<Data, Error> {
    let data = Data {
        workflow,
        moderator_role: config.moderator_role_id,
        mention_cooldown: Cooldown::new(config.mention_cooldown),
        registration: Registration::new(config.guild_id, registrar),
    };
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
        // Setup only hands poise the data: poise holds every event until setup has returned
        // (polling every 100 ms), so the commands are registered on READY instead
        // (`register.rs`), once the data is there and events flow.
        .setup(move |_ctx, _ready, _framework| Box::pin(async move { Ok(data) }))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOON: Duration = Duration::from_secs(5);

    #[tokio::test]
    async fn shutdown_waits_for_every_handler_however_it_ends() {
        let in_flight = InFlight::default();
        tokio::time::timeout(SOON, in_flight.idle())
            .await
            .expect("nothing in flight: idle at once");

        let (finish, finished) = tokio::sync::oneshot::channel::<()>();
        let answering = in_flight.enter();
        let answering = tokio::spawn(async move {
            let _handling = answering;
            let _ = finished.await;
        });
        let panicking = in_flight.enter();
        let panicking = tokio::spawn(async move {
            let _handling = panicking;
            panic!("a bug in one handler");
        });
        assert!(panicking.await.unwrap_err().is_panic());
        assert_eq!(
            in_flight.count(),
            1,
            "the handler that panicked is no longer counted"
        );

        let mut idle = Box::pin(in_flight.idle());
        assert!(
            tokio::time::timeout(Duration::from_millis(50), &mut idle)
                .await
                .is_err(),
            "not idle while an answer is in flight"
        );
        finish.send(()).unwrap();
        answering.await.unwrap();
        tokio::time::timeout(SOON, idle)
            .await
            .expect("idle once the last answer is sent");
        assert_eq!(in_flight.count(), 0);
    }
}
