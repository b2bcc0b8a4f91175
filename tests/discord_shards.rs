//! Several processes serving one bot, each with a range of shards, against one fake Discord
//! that serves four shards and routes each server's events to the shard that owns it
//! (`(guild_id >> 22) % 4`). Two bots in this process (`talkbot::discord::run`, as `serve`
//! runs it) and two real `talkbot serve` processes: each answers the interactions of its own
//! shards and no other; a killed process leaves the other answering; a thousand interactions
//! over both get one callback each.
//!
//! Which process registers the commands is the cluster's decision: with `DATABASE_URL` (one
//! PostgreSQL for all) exactly one does. That test needs the PostgreSQL cluster
//! (`src/cluster`), and is ignored until it is built.

mod fake_discord;
#[path = "support/postgres.rs"]
mod postgres_server;
use postgres_server::PostgresServer;

use std::collections::BTreeSet;
use std::ops::RangeInclusive;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use fake_discord::fixtures::{self, guild_on_shard, CHANNEL_MESSAGE, GUILD_ID};
use fake_discord::harness::{start_bot, start_bot_on_shards, Serve};
use fake_discord::members::{direct_message, send_ask_in};
use fake_discord::{knowledge, load, FakeDiscord, Options};

const QUESTION: &str = "Who led the talks?";
const QUOTE: &str = "> led by a former diplomat named Anna Berg";

fn four_shards() -> Options {
    Options {
        shard_count: 4,
        ..Options::default()
    }
}

/// An answer to [`QUESTION`], sourced.
fn assert_answered(response: &Value) {
    assert_eq!(response["type"], CHANNEL_MESSAGE, "{response}");
    let quote = response["data"]["embeds"][0]["fields"][0]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(quote.starts_with(QUOTE), "{response}");
}

/// Asks [`QUESTION`] once in a server of each of `shards`; each interaction's (shard, id,
/// token).
fn ask_on(fake: &FakeDiscord, shards: RangeInclusive<u32>, user: u64) -> Vec<(u32, u64, String)> {
    shards
        .map(|shard| {
            let (id, token) =
                send_ask_in(fake, guild_on_shard(shard), user + shard as u64, QUESTION);
            (shard, id, token)
        })
        .collect()
}

/// Waits for each interaction's callback and checks it answered, came on the shard that owns
/// the server, over one of `connections`, and only once.
async fn assert_answered_on_their_shards(
    fake: &FakeDiscord,
    asked: &[(u32, u64, String)],
    connections: &BTreeSet<u64>,
) {
    for (shard, id, token) in asked {
        assert_answered(&fake.interaction_response(*id, token).await);
        let delivery = fake.delivery_of(*id).expect("the interaction was sent");
        assert_eq!(delivery.shard, *shard, "{delivery:?}");
        assert!(
            connections.contains(&delivery.connection),
            "shard {shard}'s interaction went over connection {}, not one of {connections:?}",
            delivery.connection
        );
    }
    // A second answer would come right after the first.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for (_, id, token) in asked {
        assert_eq!(callbacks(fake, *id, token), 1, "interaction {id}");
    }
}

fn callbacks(fake: &FakeDiscord, id: u64, token: &str) -> usize {
    let path = format!("/api/v10/interactions/{id}/{token}/callback");
    fake.requests().iter().filter(|r| r.path == path).count()
}

/// The connections that identified as `shards` (the last session of each).
fn connections_of(fake: &FakeDiscord, shards: RangeInclusive<u32>) -> BTreeSet<u64> {
    let sessions = fake.sessions();
    shards
        .map(|shard| {
            sessions
                .iter()
                .rev()
                .find(|s| s.shard == shard && !s.resumed)
                .unwrap_or_else(|| panic!("shard {shard} never identified: {sessions:?}"))
                .connection
        })
        .collect()
}

/// The `shard` of every IDENTIFY the bots sent, sorted.
fn identified_shards(fake: &FakeDiscord) -> Vec<Value> {
    let mut shards: Vec<Value> = fake
        .gateway_log()
        .into_iter()
        .filter(|p| p["op"] == 2)
        .map(|p| p["d"]["shard"].clone())
        .collect();
    shards.sort_by_key(|shard| shard[0].as_u64());
    shards
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_bots_with_two_shards_each_answer_the_servers_of_their_own_shards() {
    let fake = FakeDiscord::start_with(four_shards()).await;
    let dir = knowledge::temp();
    let first = start_bot_on_shards(&fake, dir.path(), 0..=1, &[]).await;
    let second = start_bot_on_shards(&fake, dir.path(), 2..=3, &[]).await;
    assert_eq!(
        identified_shards(&fake),
        [[0, 4], [1, 4], [2, 4], [3, 4]].map(|s| serde_json::json!(s)),
        "SHARDS=0-1 and 2-3 of SHARD_COUNT=4: each shard once, the range ends included"
    );
    let of_first = connections_of(&fake, 0..=1);
    let of_second = connections_of(&fake, 2..=3);

    let asked = ask_on(&fake, 0..=1, 100);
    assert_answered_on_their_shards(&fake, &asked, &of_first).await;
    let asked = ask_on(&fake, 2..=3, 200);
    assert_answered_on_their_shards(&fake, &asked, &of_second).await;

    // A direct message belongs to no server: Discord sends it on shard 0.
    let message = direct_message(&fake, fixtures::user(250, "dm", false), QUESTION);
    let reply = fake.reply_to(message).await;
    assert!(
        reply["embeds"][0]["fields"][0]["value"]
            .as_str()
            .is_some_and(|quote| quote.starts_with(QUOTE)),
        "{reply}"
    );
    let delivery = fake.delivery_of(message).unwrap();
    assert_eq!(delivery.shard, 0);
    assert!(of_first.contains(&delivery.connection));
    assert_eq!(fake.replies_to(message), 1);

    first.stop().await;
    second.stop().await;
}

/// Without SHARDS, a bot runs every shard Discord recommends (`GET /gateway/bot`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_shards_a_bot_runs_as_many_as_discord_recommends() {
    let fake = FakeDiscord::start_with(Options {
        shard_count: 2,
        ..Options::default()
    })
    .await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;
    fake.wait_for_shards(0..=1, 0).await;
    assert_eq!(
        identified_shards(&fake),
        [[0, 2], [1, 2]].map(|s| serde_json::json!(s))
    );
    let connections = connections_of(&fake, 0..=1);
    let asked = ask_on(&fake, 0..=1, 300);
    assert_answered_on_their_shards(&fake, &asked, &connections).await;
    bot.stop().await;
}

/// The test version of `benches/cluster_load.rs`: no interaction lost or answered twice, no
/// timing asserted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_interactions_over_two_bots_get_one_callback_each() {
    let fake = FakeDiscord::start_with(four_shards()).await;
    let dir = knowledge::temp();
    let first = start_bot_on_shards(&fake, dir.path(), 0..=1, &[]).await;
    let second = start_bot_on_shards(&fake, dir.path(), 2..=3, &[]).await;

    let report = load::run(&fake, 1_000, 32, Duration::from_millis(300)).await;
    assert_eq!(report.sent, 1_000);
    assert_eq!(
        report.missing,
        Vec::<u64>::new(),
        "every interaction answered"
    );
    assert_eq!(report.duplicates, 0, "none answered twice");
    assert_eq!(report.failed, 0);
    assert_eq!(
        report.answers, 750,
        "three questions in four are answerable"
    );
    assert_eq!(report.latencies.len(), 1_000);
    assert_eq!(report.per_shard, [250; 4], "spread over every shard");

    first.stop().await;
    second.stop().await;
}

/// `talkbot serve` with `envs`, its own data directory, the test fact base and the fake.
fn serve(fake: &FakeDiscord, knowledge: &Path, data: &Path, envs: &[(&str, &str)]) -> Serve {
    let guild = GUILD_ID.to_string();
    let mut all = vec![
        ("DISCORD_TOKEN", "shards-test-token"),
        ("DISCORD_API_BASE", fake.api_base.as_str()),
        ("GUILD_ID", guild.as_str()),
        ("KNOWLEDGE_DIR", knowledge.to_str().unwrap()),
        ("DATA_DIR", data.to_str().unwrap()),
    ];
    all.extend_from_slice(envs);
    Serve::start(&all, data)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_answer_their_shards_and_one_killed_leaves_the_other_answering() {
    let fake = FakeDiscord::start_with(four_shards()).await;
    let dir = knowledge::temp();
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = serve(
        &fake,
        dir.path(),
        data_a.path(),
        &[("SHARDS", "0-1"), ("SHARD_COUNT", "4")],
    );
    fake.wait_for_shards(0..=1, 0).await;
    let before = fake.connection_count();
    let mut second = serve(
        &fake,
        dir.path(),
        data_b.path(),
        &[("SHARDS", "2-3"), ("SHARD_COUNT", "4")],
    );
    fake.wait_for_shards(2..=3, before).await;
    first
        .wait_for_log("starting this process's shards shards=0-1 of 4")
        .await;
    second
        .wait_for_log("starting this process's shards shards=2-3 of 4")
        .await;
    assert_eq!(
        identified_shards(&fake),
        [[0, 4], [1, 4], [2, 4], [3, 4]].map(|s| serde_json::json!(s))
    );

    let asked = ask_on(&fake, 0..=3, 400);
    let every = connections_of(&fake, 0..=3);
    assert_answered_on_their_shards(&fake, &asked, &every).await;
    for (shard, id, _) in &asked {
        let connection = fake.delivery_of(*id).unwrap().connection;
        let owner = if *shard < 2 { 0..=1 } else { 2..=3 };
        assert!(connections_of(&fake, owner).contains(&connection));
    }

    // The first process dies at once: no close, no flush.
    first.kill();
    fake.wait_for_connections_to_end(&connections_of(&fake, 0..=1))
        .await;
    let orphaned = ask_on(&fake, 0..=0, 500);
    for round in 0..3 {
        let asked = ask_on(&fake, 2..=3, 600 + round * 10);
        assert_answered_on_their_shards(&fake, &asked, &connections_of(&fake, 2..=3)).await;
    }
    // Shard 0 has no process now: its server's question waits, unanswered, for one.
    let (_, id, token) = &orphaned[0];
    assert_eq!(callbacks(&fake, *id, token), 0);
    assert!(
        fake.delivery_of(*id).is_none(),
        "nobody took shard 0's event"
    );

    assert!(second.running());
    second.terminate();
    let status = second.wait().await;
    assert!(status.success(), "exit {status}; log:\n{}", second.stderr());
}

/// A PostgreSQL for the processes of one test (the test fails saying how to install it when
/// the server is missing).
fn shared_database() -> PostgresServer {
    PostgresServer::start()
}

/// Started together, the two processes race for the registrar; exactly one wins, registers
/// the commands and schedules the pruning, and says so; the other says it does not. Both
/// answer their shards, and once the registrar is killed the other keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_serve_processes_sharing_a_database_exactly_one_registers_and_prunes() {
    let database = shared_database();
    let fake = FakeDiscord::start_with(four_shards()).await;
    let dir = knowledge::temp();
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let url = database.url();
    let shared = [("DATABASE_URL", url.as_str()), ("SHARD_COUNT", "4")];
    let with = |shards| {
        let mut envs = shared.to_vec();
        envs.push(("SHARDS", shards));
        envs
    };
    let mut processes = [
        serve(&fake, dir.path(), data_a.path(), &with("0-1")),
        serve(&fake, dir.path(), data_b.path(), &with("2-3")),
    ];
    // Each says which it is first (a process that could not join the cluster says why).
    for process in &processes {
        process.wait_for_log("prunes curation records").await;
    }
    fake.wait_for_shards(0..=3, 0).await;
    let registrars: Vec<usize> = (0..2)
        .filter(|&i| {
            processes[i]
                .stderr()
                .contains("this process registers the commands")
        })
        .collect();
    assert_eq!(registrars.len(), 1, "exactly one registrar");
    let registrar = registrars[0];
    let other = 1 - registrar;
    assert!(processes[other]
        .stderr()
        .contains("another process registers the commands and prunes curation records"));
    fake.wait_for_registration().await;
    let asked = ask_on(&fake, 0..=3, 700);
    assert_answered_on_their_shards(&fake, &asked, &connections_of(&fake, 0..=3)).await;
    let registrations = fake.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(
        registrations, 1,
        "the commands are registered once, by one process"
    );

    processes[registrar].kill();
    let still = if other == 0 { 0..=1 } else { 2..=3 };
    let asked = ask_on(&fake, still.clone(), 800);
    assert_answered_on_their_shards(&fake, &asked, &connections_of(&fake, still)).await;
    processes[other].terminate();
    assert!(processes[other].wait().await.success());
}

/// A shard range that cannot be right stops `serve` before it connects, with one line naming
/// the variable and the fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_a_wrong_shard_range_naming_the_variable_and_the_fix() {
    let cwd = tempfile::tempdir().unwrap();
    let dir = knowledge::temp();
    let cases = [
        (
            &[("SHARDS", "4-2"), ("SHARD_COUNT", "8")][..],
            "talkbot: SHARDS=4-2 ends before it starts; write the lower id first: SHARDS=2-4",
        ),
        (
            &[("SHARDS", "0-9"), ("SHARD_COUNT", "8")][..],
            "talkbot: SHARDS=0-9 needs shard 9, but SHARD_COUNT=8 numbers the shards 0 to 7; raise SHARD_COUNT or end SHARDS at 7",
        ),
        (
            &[("SHARDS", "0-3")][..],
            "talkbot: SHARDS=0-3 is set without SHARD_COUNT; set SHARD_COUNT",
        ),
    ];
    for (shards, said) in cases {
        let mut envs = vec![
            ("DISCORD_TOKEN", "shards-test-token"),
            // Nothing listens here: the bot must stop before it tries.
            ("DISCORD_API_BASE", "http://127.0.0.1:9"),
            ("KNOWLEDGE_DIR", dir.path().to_str().unwrap()),
        ];
        envs.extend_from_slice(shards);
        let mut serve = Serve::start(&envs, cwd.path());
        let status = serve.wait().await;
        let log = serve.stderr();
        assert!(!status.success(), "{shards:?}: {log}");
        assert_eq!(log.lines().count(), 1, "{log}");
        assert!(log.starts_with(said), "{shards:?}:\n{log}");
    }
}

/// One shard's connection lost: serenity resumes that shard's session (RESUME names it), and
/// the shard answers again; the other shard's connection is untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_shard_resumes_its_own_session_and_answers_again() {
    let fake = FakeDiscord::start_with(Options {
        shard_count: 2,
        ..Options::default()
    })
    .await;
    let dir = knowledge::temp();
    let bot = start_bot_on_shards(&fake, dir.path(), 0..=1, &[]).await;
    let shard_0 = connections_of(&fake, 0..=0);
    let before = fake.gateway_log().len();
    fake.drop_shard(1);
    let resume = fake.wait_for_gateway_op(6, before).await;
    assert_eq!(resume["d"]["session_id"], "fake-session-1");
    let asked = ask_on(&fake, 0..=1, 900);
    // The fake records the session once it has answered the RESUME.
    let deadline = tokio::time::Instant::now() + fake_discord::WAIT;
    let resumed = loop {
        let resumed: BTreeSet<u64> = fake
            .sessions()
            .iter()
            .filter(|s| s.resumed && s.shard == 1)
            .map(|s| s.connection)
            .collect();
        if !resumed.is_empty() || tokio::time::Instant::now() > deadline {
            break resumed;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(resumed.len(), 1, "{:?}", fake.sessions());
    assert_answered_on_their_shards(&fake, &asked[..1], &shard_0).await;
    assert_answered_on_their_shards(&fake, &asked[1..], &resumed).await;
    bot.stop().await;
}
