//! Interaction → callback latency through the fake Discord in `tests/fake_discord`, with the
//! real serenity client and the whole bot (`talkbot::discord::run`), per kind of interaction:
//! an answer, a refusal, an autocomplete, a click on a suggestion. The clock starts when the
//! fake hands the interaction to its gateway connection and stops when the bot's callback
//! reaches the fake's REST server, so it covers the gateway read, poise's dispatch, the
//! handler, and the HTTP request.
//!
//! **cold** is the first interaction a freshly started bot gets (a new bot per sample), and
//! the first after a gateway resume; **warm** is one after another on a running bot. The
//! "Nagle on" row runs the cold case against a gateway that leaves Nagle's algorithm on: the
//! dispatch right after READY then waits for the bot's delayed ACK of READY (~40 ms), which is
//! what issue 12's "first answer takes 40 ms" was.
//!
//! `cargo bench --bench callback` (debug: `cargo bench --profile dev --bench callback`);
//! `CALLBACK_SAMPLES` sets the warm sample count (default 200); `CALLBACK_KINDS=answer,click`
//! measures only those kinds.

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use std::time::{Duration, Instant};

use serde_json::json;

use fake_discord::fixtures;
use fake_discord::harness::start_bot;
use fake_discord::members::member;
use fake_discord::{knowledge, FakeDiscord, Options};

#[derive(Clone, Copy, Debug)]
enum Kind {
    Answer,
    Refusal,
    Autocomplete,
    Click,
}

const KINDS: [Kind; 4] = [Kind::Answer, Kind::Refusal, Kind::Autocomplete, Kind::Click];

/// Sends one interaction of `kind` and returns how long its callback took to arrive.
async fn one(fake: &FakeDiscord, kind: Kind, user: u64) -> Duration {
    let id = fake.next_id();
    let token = format!("token-{id}");
    let ask = |question: &str| json!([{"name": "question", "type": 3, "value": question}]);
    let payload = match kind {
        Kind::Answer => fixtures::slash(id, &token, "ask", ask("Who led the talks?"), member(user)),
        Kind::Refusal => fixtures::slash(
            id,
            &token,
            "ask",
            ask("What is the weather on Mars?"),
            member(user),
        ),
        Kind::Autocomplete => {
            fixtures::autocomplete(id, &token, "ask", "question", "who le", member(user))
        }
        Kind::Click => {
            let message = fixtures::message(
                fake.next_id(),
                fixtures::CHANNEL_ID,
                fixtures::bot_user(),
                "",
                json!([]),
            );
            fixtures::click(
                id,
                &token,
                "talkbot:ask:talks-leader",
                message,
                member(user),
            )
        }
    };
    let sent = Instant::now();
    fake.dispatch("INTERACTION_CREATE", payload);
    let path = format!("/api/v10/interactions/{id}/{token}/callback");
    let callback = fake
        .wait_for_request("the callback", |r| r.path == path)
        .await;
    assert!(callback.status < 300, "{}", callback.body);
    callback.at.duration_since(sent)
}

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "n {:>3}  median {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        samples.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3
    )
}

async fn cold(kind: Kind, starts: usize, options: &Options) -> Vec<Duration> {
    let mut samples = Vec::new();
    for _ in 0..starts {
        let fake = FakeDiscord::start_with(options.clone()).await;
        let dir = knowledge::temp();
        let bot = start_bot(&fake, dir.path(), &[]).await;
        samples.push(one(&fake, kind, 7).await);
        bot.stop().await;
    }
    samples
}

async fn after_resume(kind: Kind, resumes: usize) -> Vec<Duration> {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;
    one(&fake, kind, 7).await;
    let mut samples = Vec::new();
    for _ in 0..resumes {
        let before = fake.gateway_log().len();
        fake.drop_gateway();
        fake.wait_for_gateway_op(6, before).await;
        samples.push(one(&fake, kind, 7).await);
    }
    bot.stop().await;
    samples
}

async fn warm(kind: Kind, count: usize) -> Vec<Duration> {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;
    one(&fake, kind, 7).await;
    let mut samples = Vec::new();
    for i in 0..count {
        // A new member each time: mentions have a cooldown, slash commands do not, but the
        // recorded rows should look like real traffic anyway.
        samples.push(one(&fake, kind, 1_000 + i as u64).await);
    }
    bot.stop().await;
    samples
}

fn main() {
    // `cargo bench` passes `--bench`; anything else (a filter) is not used here.
    let warm_count: usize = std::env::var("CALLBACK_SAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let starts = (warm_count / 10).clamp(5, 20);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        println!("interaction → callback through the fake Discord (real serenity client)");
        let wanted = std::env::var("CALLBACK_KINDS").unwrap_or_default();
        for kind in KINDS {
            let label = format!("{kind:?}").to_lowercase();
            if !wanted.is_empty() && !wanted.split(',').any(|k| k.trim() == label) {
                continue;
            }
            let plain = Options::default();
            let nagle = Options {
                gateway_nagle: true,
                ..Options::default()
            };
            println!(
                "{label:<12} cold (new bot)    {}",
                summary(cold(kind, starts, &plain).await)
            );
            println!(
                "{label:<12} cold, Nagle on    {}",
                summary(cold(kind, starts, &nagle).await)
            );
            println!(
                "{label:<12} cold (resumed)    {}",
                summary(after_resume(kind, starts).await)
            );
            println!(
                "{label:<12} warm              {}",
                summary(warm(kind, warm_count).await)
            );
        }
    });
}
