//! The multi-process bot end to end on the fake Discord: two bots (`talkbot::discord::run`, as
//! `serve` runs it) sharing ONE PostgreSQL (`DATABASE_URL`, tests/support/postgres.rs) and ONE
//! knowledge directory, serving SHARDS=0-1 and 2-3 of SHARD_COUNT=4. Bot A answers the
//! servers of shards 0 and 1, bot B those of shards 2 and 3 (`fixtures::guild_on_shard`).
//!
//! - a `/refresh` through A is answered by B within about a second (the figure is printed;
//!   the deadline asserted is generous, for a loaded machine);
//! - a `/teach` through each at the same moment keeps both questions, once each;
//! - PostgreSQL stopped and started again while members keep asking: every interaction is
//!   answered, and curation (held records, new records, `/teach`) resumes.
//!
//! The registrar's takeover when a process dies is not tested here: the standby asks for the
//! lock every 30 s (`REGISTRAR_RETRY`), too long for this file; `tests/cluster.rs` tests the
//! lock being freed.

mod fake_discord;
#[path = "support/postgres.rs"]
mod postgres_server;
use postgres_server::PostgresServer;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use fake_discord::fixtures::{
    self, guild_on_shard, CHANNEL_MESSAGE, DEFERRED_MESSAGE, MANAGE_GUILD,
};
use fake_discord::harness::{start_bot_on_shards, Bot};
use fake_discord::members::member;
use fake_discord::{knowledge, FakeDiscord, Options};

/// Answered by the test fact base from the start.
const KNOWN: &str = "Who led the talks?";
const KNOWN_QUOTE: &str = "> led by a former diplomat named Anna Berg";
const MODERATOR: u64 = 500;

/// A server of bot A's shards, and one of bot B's.
fn on_a() -> u64 {
    guild_on_shard(0)
}
fn on_b() -> u64 {
    guild_on_shard(2)
}

fn moderator() -> Value {
    fixtures::member(MODERATOR, "mod", MANAGE_GUILD, &[])
}

/// Two bots on one database and one knowledge directory, each with half of four shards.
struct TwoBots {
    database: PostgresServer,
    fake: FakeDiscord,
    knowledge: tempfile::TempDir,
    a: Bot,
    b: Bot,
}

impl TwoBots {
    async fn start() -> TwoBots {
        let database = PostgresServer::start();
        let fake = FakeDiscord::start_with(Options {
            shard_count: 4,
            ..Options::default()
        })
        .await;
        let knowledge = knowledge::temp();
        let url = database.url();
        let shared = [("DATABASE_URL", url.as_str())];
        // Started together, as a deployment starts its processes (serenity waits 5 s between
        // a process's shards; one after the other would double that).
        let (a, b) = tokio::join!(
            start_bot_on_shards(&fake, knowledge.path(), 0..=1, &shared),
            start_bot_on_shards(&fake, knowledge.path(), 2..=3, &shared),
        );
        // Each process LISTENs as it joins the cluster, before its shards connect; a moment
        // more for the listeners to be in place on a loaded machine.
        tokio::time::sleep(Duration::from_millis(200)).await;
        TwoBots {
            database,
            fake,
            knowledge,
            a,
            b,
        }
    }

    fn dir(&self) -> &Path {
        self.knowledge.path()
    }

    async fn stop(self) {
        self.a.stop().await;
        self.b.stop().await;
        drop(self.database);
    }
}

/// Sends `/command` with `options` as `who` in server `guild` (so to the bot with its shard);
/// returns the interaction's id and token at once.
fn send_slash_in(
    fake: &FakeDiscord,
    guild: u64,
    command: &str,
    options: Value,
    who: Value,
) -> (u64, String) {
    let id = fake.next_id();
    let token = format!("token-{id}");
    let payload = fixtures::slash(id, &token, command, options, who);
    fake.dispatch("INTERACTION_CREATE", fixtures::in_guild(payload, guild));
    (id, token)
}

/// A member's `/ask question` in `guild`: the bot's interaction response.
async fn ask_in(fake: &FakeDiscord, guild: u64, user: u64, question: &str) -> Value {
    let options = json!([{"name": "question", "type": 3, "value": question}]);
    let (id, token) = send_slash_in(fake, guild, "ask", options, member(user));
    fake.interaction_response(id, &token).await
}

fn teach_options(question: &str, fact: &str) -> Value {
    json!([
        {"name": "question", "type": 3, "value": question},
        {"name": "fact", "type": 3, "value": fact},
    ])
}

/// A moderator's `/teach question fact` in `guild`, sent at once: its id and token.
fn send_teach_in(fake: &FakeDiscord, guild: u64, question: &str, fact: &str) -> (u64, String) {
    send_slash_in(
        fake,
        guild,
        "teach",
        teach_options(question, fact),
        moderator(),
    )
}

/// The deferred response and then the follow-up of a moderator's command: the follow-up.
async fn deferred_then_told(fake: &FakeDiscord, id: u64, token: &str) -> Value {
    let deferred = fake.interaction_response(id, token).await;
    assert_eq!(deferred["type"], DEFERRED_MESSAGE, "{deferred}");
    fake.followup(token).await
}

fn is_refusal(answer: &Value) -> bool {
    answer["type"] == CHANNEL_MESSAGE
        && answer["data"]["content"]
            .as_str()
            .is_some_and(|c| c.starts_with(talkbot::answer::REFUSAL))
}

/// The fact an answer cites first (its footer's `/source fact:`), empty for a refusal.
fn first_fact(answer: &Value) -> String {
    answer["data"]["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or_default()
        .split("/source fact:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_string()
}

/// The quote an answer shows first.
fn first_quote(answer: &Value) -> &str {
    answer["data"]["embeds"][0]["fields"][0]["value"]
        .as_str()
        .unwrap_or_default()
}

/// Asks `question` in `guild` every 50 ms until it is answered with `fact`, for up to
/// `limit`; how long that took, or `None`.
async fn answered_within(
    fake: &FakeDiscord,
    guild: u64,
    question: &str,
    fact: &str,
    limit: Duration,
) -> Option<Duration> {
    let started = Instant::now();
    let mut user = 9_000;
    while started.elapsed() < limit {
        user += 1;
        let answer = ask_in(fake, guild, user, question).await;
        if first_fact(&answer) == fact {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// One row, one column, from the shared database: `sql` with `$1` = `text`.
async fn count(url: &str, sql: &str, text: &str) -> i64 {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to the test server");
    tokio::spawn(connection);
    client
        .query_one(sql, &[&text])
        .await
        .expect("the test's query")
        .get(0)
}

/// Polls [`count`] every 100 ms until it is at least `wanted`, for up to `limit`.
async fn eventually_counted(url: &str, sql: &str, text: &str, wanted: i64, limit: Duration) -> i64 {
    let deadline = Instant::now() + limit;
    loop {
        let n = count(url, sql, text).await;
        if n >= wanted || Instant::now() > deadline {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const UNANSWERED: &str = "SELECT count(*) FROM unanswered WHERE question = $1";
const TAUGHT: &str = "SELECT count(*) FROM teach_log WHERE question = $1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_through_one_process_is_answered_by_the_other_within_about_a_second() {
    let bots = TwoBots::start().await;
    let fake = &bots.fake;
    for guild in [on_a(), on_b()] {
        let before = ask_in(fake, guild, 11, knowledge::NEW_FACT_QUESTION).await;
        assert!(is_refusal(&before), "not in the base yet: {before}");
    }

    // A moderator adds a fact quoting the article verbatim, and refreshes through bot A.
    knowledge::add_new_fact(bots.dir());
    let sent = Instant::now();
    let (id, token) = send_slash_in(fake, on_a(), "refresh", json!([]), moderator());
    // Bot B never sees the /refresh; it reloads on A's announcement. Its members ask from the
    // moment the moderator sends it.
    let (told, on_b_after) = tokio::join!(
        async {
            let told = deferred_then_told(fake, id, &token).await;
            (told, sent.elapsed())
        },
        answered_within(
            fake,
            on_b(),
            knowledge::NEW_FACT_QUESTION,
            knowledge::NEW_FACT_ID,
            Duration::from_secs(5),
        )
    );
    let (told, refreshed_after) = told;
    assert!(
        told.to_string().contains(knowledge::NEW_FACT_ID),
        "the refresh lists the new fact: {told}"
    );
    let on_b_after =
        on_b_after.expect("bot B answers the new fact within 5 s of the /refresh through bot A");
    println!(
        "/refresh through bot A: its follow-up after {refreshed_after:?}; bot B answered the new \
         fact after {on_b_after:?}, {:?} after the follow-up",
        on_b_after.saturating_sub(refreshed_after)
    );

    for guild in [on_a(), on_b()] {
        let answer = ask_in(fake, guild, 12, knowledge::NEW_FACT_QUESTION).await;
        assert_eq!(first_fact(&answer), knowledge::NEW_FACT_ID, "{answer}");
        assert!(
            first_quote(&answer).starts_with(&format!("> {}", knowledge::NEW_FACT_QUOTE)),
            "{answer}"
        );
        let other = ask_in(fake, guild, 13, "Who translated at the talks?").await;
        assert_eq!(first_fact(&other), knowledge::NEW_FACT_ID, "{other}");
        // The rest of the base is untouched.
        let known = ask_in(fake, guild, 14, KNOWN).await;
        assert!(first_quote(&known).starts_with(KNOWN_QUOTE), "{known}");
    }
    bots.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teach_through_each_process_at_the_same_moment_keeps_both_questions() {
    let bots = TwoBots::start().await;
    let fake = &bots.fake;
    const FACT: &str = "talks-leader";
    const X: &str = "Who was the top negotiator?";
    const Y: &str = "Which envoy presided over the meetings?";
    for (guild, question) in [(on_a(), X), (on_a(), Y), (on_b(), X), (on_b(), Y)] {
        let before = ask_in(fake, guild, 21, question).await;
        assert!(
            is_refusal(&before),
            "{question:?} is not known yet: {before}"
        );
    }

    // Both sent before either bot has answered either.
    let through_a = send_teach_in(fake, on_a(), X, FACT);
    let through_b = send_teach_in(fake, on_b(), Y, FACT);
    for (id, token) in [&through_a, &through_b] {
        let told = deferred_then_told(fake, *id, token).await;
        assert_eq!(
            told["embeds"][0]["title"],
            format!("Taught `{FACT}` a question"),
            "{told}"
        );
    }
    for (id, _) in [&through_a, &through_b] {
        let delivery = fake.delivery_of(*id).unwrap();
        assert_eq!(delivery.shard, if *id == through_a.0 { 0 } else { 2 });
    }

    let file = std::fs::read_to_string(bots.dir().join("facts/talks.toml")).unwrap();
    for question in [X, Y] {
        assert_eq!(
            file.matches(&format!("\"{question}\"")).count(),
            1,
            "{question:?} exactly once in the fact file:\n{file}"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(bots.dir().join("facts"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["talks.toml"], "no temporary file left behind");

    // Whichever taught first reloads again on the other's announcement.
    for guild in [on_a(), on_b()] {
        for question in [X, Y] {
            assert!(
                answered_within(fake, guild, question, FACT, Duration::from_secs(5))
                    .await
                    .is_some(),
                "{question:?} answered in server {guild}"
            );
        }
    }
    let url = bots.database.url();
    for question in [X, Y] {
        assert_eq!(
            count(&url, TAUGHT, question).await,
            1,
            "{question:?} audited once"
        );
    }
    bots.stop().await;
}

/// What a member asking during the outage was answered, per interaction.
#[derive(Default)]
struct Asked {
    answered: usize,
    refused: usize,
    interactions: Vec<(u64, String)>,
}

/// Members ask on both bots, a known question and a refused one by turns, each waiting for its
/// answer, until `stop`; each answer checked as it comes.
async fn keep_asking(fake: Arc<FakeDiscord>, stop: Arc<AtomicBool>) -> Asked {
    let mut asked = Asked::default();
    let mut round = 0u64;
    while !stop.load(Ordering::Relaxed) {
        round += 1;
        let mut sent = Vec::new();
        for guild in [on_a(), on_b()] {
            let (question, known) = if round % 2 == 0 {
                (KNOWN.to_string(), true)
            } else {
                (format!("What did the mayor say in round {round}?"), false)
            };
            let options = json!([{"name": "question", "type": 3, "value": question}]);
            let (id, token) = send_slash_in(&fake, guild, "ask", options, member(1_000 + round));
            sent.push((id, token, known));
        }
        for (id, token, known) in sent {
            let answer = fake.interaction_response(id, &token).await;
            assert_eq!(
                answer["type"], CHANNEL_MESSAGE,
                "interaction {id}: {answer}"
            );
            if known {
                assert!(first_quote(&answer).starts_with(KNOWN_QUOTE), "{answer}");
                asked.answered += 1;
            } else {
                assert!(is_refusal(&answer), "{answer}");
                asked.refused += 1;
            }
            asked.interactions.push((id, token));
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    asked
}

fn callbacks(fake: &FakeDiscord, id: u64, token: &str) -> usize {
    let path = format!("/api/v10/interactions/{id}/{token}/callback");
    fake.requests().iter().filter(|r| r.path == path).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_questions_loses_no_answer_and_curation_resumes() {
    let TwoBots {
        mut database,
        fake,
        knowledge,
        a,
        b,
    } = TwoBots::start().await;
    let url = database.url();
    let fake = Arc::new(fake);
    let before = "What did the mayor say before the outage?";
    assert!(is_refusal(&ask_in(&fake, on_a(), 31, before).await));
    assert_eq!(
        eventually_counted(&url, UNANSWERED, before, 1, Duration::from_secs(5)).await,
        1,
        "curation works before the outage"
    );

    let stop = Arc::new(AtomicBool::new(false));
    let asking = tokio::spawn(keep_asking(fake.clone(), stop.clone()));
    tokio::time::sleep(Duration::from_millis(500)).await;
    tokio::task::block_in_place(|| database.stop());
    // Asked on each bot while the server is down: held, and written once it is back.
    let during = "What did the mayor say during the outage?";
    for guild in [on_a(), on_b()] {
        assert!(is_refusal(&ask_in(&fake, guild, 32, during).await));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    tokio::task::block_in_place(|| database.start_again());
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    let asked = tokio::time::timeout(Duration::from_secs(20), asking)
        .await
        .expect("the members' questions were all answered")
        .expect("every answer was right");
    println!(
        "{} answers and {} refusals through the restart",
        asked.answered, asked.refused
    );
    assert!(
        asked.answered >= 4 && asked.refused >= 4,
        "members kept asking on both bots throughout: {} answered, {} refused",
        asked.answered,
        asked.refused
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    for (id, token) in &asked.interactions {
        assert_eq!(callbacks(&fake, *id, token), 1, "interaction {id}");
    }

    // Curation resumes without a restart of either bot: what was held, and what is new.
    assert_eq!(
        eventually_counted(&url, UNANSWERED, during, 2, Duration::from_secs(20)).await,
        2,
        "both bots' misses from the outage landed"
    );
    for (guild, question) in [
        (on_a(), "What did the mayor say after the outage, to A?"),
        (on_b(), "What did the mayor say after the outage, to B?"),
    ] {
        assert!(is_refusal(&ask_in(&fake, guild, 33, question).await));
        assert_eq!(
            eventually_counted(&url, UNANSWERED, question, 1, Duration::from_secs(20)).await,
            1,
            "{question:?} recorded"
        );
    }

    // And a /teach through one is answered by both.
    let taught = "Who was the chief mediator after the restart?";
    let (id, token) = send_teach_in(&fake, on_b(), taught, "talks-leader");
    let told = deferred_then_told(&fake, id, &token).await;
    assert_eq!(
        told["embeds"][0]["title"], "Taught `talks-leader` a question",
        "{told}"
    );
    assert_eq!(count(&url, TAUGHT, taught).await, 1, "audited");
    for (bot, guild) in [("A", on_a()), ("B", on_b())] {
        let took = answered_within(
            &fake,
            guild,
            taught,
            "talks-leader",
            Duration::from_secs(10),
        )
        .await
        .unwrap_or_else(|| panic!("the taught question answered by bot {bot}"));
        println!(
            "after the restart, a /teach through bot B was answered by bot {bot} after {took:?}"
        );
    }

    a.stop().await;
    b.stop().await;
    drop(knowledge);
}
