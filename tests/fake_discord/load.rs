//! Many interactions at once, spread over every shard of the fake, with a bounded number in
//! flight: the load run of `tests/discord_shards.rs` and `benches/cluster_load.rs`. Each
//! interaction must get exactly one callback; the report says how long each took, from the
//! moment the fake wrote it to its shard's connection to the moment the callback reached the
//! fake's REST server, and which shard carried it.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::json;

use super::fixtures::{self, guild_on_shard};
use super::members::member;
use super::{FakeDiscord, WAIT};

/// Questions in turn: answers and a refusal, as a real server's traffic mixes them.
const QUESTIONS: [&str; 4] = [
    "Who led the talks?",
    "When is the next round?",
    "What is the weather on Mars?",
    "Was there a prisoner exchange?",
];

#[derive(Debug, Default)]
pub struct LoadReport {
    pub sent: usize,
    /// One per interaction that got its callback, in the order they arrived.
    pub latencies: Vec<Duration>,
    /// Interactions carried by each shard.
    pub per_shard: Vec<usize>,
    /// Callbacks beyond the first for one interaction.
    pub duplicates: usize,
    /// Interactions that got no callback (ids).
    pub missing: Vec<u64>,
    /// Callbacks answered with an error status.
    pub failed: usize,
    /// First callbacks that were answers (an embed with source fields), not refusals.
    pub answers: usize,
    pub elapsed: Duration,
}

impl LoadReport {
    /// The latency at quantile `q` (0.5: the median).
    pub fn quantile(&self, q: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        sorted[((sorted.len() - 1) as f64 * q).round() as usize]
    }
}

/// Sends `count` `/ask` interactions round-robin over the fake's shards (each in a server that
/// shard owns), never more than `window` waiting for their callback, then waits `settle` for
/// late duplicates. A callback that has not come within [`WAIT`] of the last one ends the run:
/// the interactions still waiting are reported missing.
pub async fn run(fake: &FakeDiscord, count: usize, window: usize, settle: Duration) -> LoadReport {
    let mut callbacks = fake.watch_requests();
    let shards = fake.shard_count();
    let mut report = LoadReport {
        per_shard: vec![0; shards as usize],
        ..LoadReport::default()
    };
    let mut waiting: HashMap<u64, ()> = HashMap::new();
    let mut answered: HashMap<u64, std::time::Instant> = HashMap::new();
    let started = std::time::Instant::now();
    loop {
        while report.sent < count && waiting.len() < window {
            let shard = (report.sent as u32) % shards;
            let id = fake.next_id();
            let token = format!("token-{id}");
            let question = QUESTIONS[report.sent % QUESTIONS.len()];
            let options = json!([{"name": "question", "type": 3, "value": question}]);
            let user = 10_000 + report.sent as u64;
            let payload = fixtures::slash(id, &token, "ask", options, member(user));
            fake.dispatch(
                "INTERACTION_CREATE",
                fixtures::in_guild(payload, guild_on_shard(shard)),
            );
            waiting.insert(id, ());
            report.sent += 1;
        }
        if waiting.is_empty() {
            break;
        }
        let Ok(Some(request)) = tokio::time::timeout(WAIT, callbacks.recv()).await else {
            break;
        };
        let Some(id) = callback_id(&request.path) else {
            continue;
        };
        if request.status >= 300 {
            report.failed += 1;
        }
        if waiting.remove(&id).is_some() {
            if request.body["data"]["embeds"][0]["fields"].is_array() {
                report.answers += 1;
            }
            answered.insert(id, request.at);
        } else if answered.contains_key(&id) {
            report.duplicates += 1;
        }
    }
    report.elapsed = started.elapsed();
    // Any second callback for an interaction would come soon after the first.
    let deadline = tokio::time::Instant::now() + settle;
    while let Ok(Some(request)) = tokio::time::timeout_at(deadline, callbacks.recv()).await {
        if callback_id(&request.path).is_some_and(|id| answered.contains_key(&id)) {
            report.duplicates += 1;
        }
    }
    report.missing = waiting.into_keys().collect();
    let deliveries: HashMap<u64, super::Delivery> = fake
        .deliveries()
        .into_iter()
        .filter_map(|delivery| Some((delivery.id?, delivery)))
        .collect();
    let mut arrivals: Vec<(u64, std::time::Instant)> = answered.into_iter().collect();
    arrivals.sort_by_key(|(_, at)| *at);
    for (id, at) in arrivals {
        let delivery = &deliveries[&id];
        report.per_shard[delivery.shard as usize] += 1;
        report.latencies.push(at.duration_since(delivery.at));
    }
    report
}

/// The interaction id in `POST /api/v10/interactions/{id}/{token}/callback`.
fn callback_id(path: &str) -> Option<u64> {
    let parts: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    match parts.as_slice() {
        ["interactions", id, _, "callback"] => id.parse().ok(),
        _ => None,
    }
}
