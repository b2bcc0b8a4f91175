//! A load run over several processes: 10,000 `/ask` interactions spread round-robin over the
//! four shards of the fake Discord in `tests/fake_discord`, answered by real `talkbot serve`
//! processes. First one process running all four shards (the baseline), then two processes
//! with two shards each (`SHARDS=0-1` and `2-3`, `SHARD_COUNT=4`), in the same run. Each
//! interaction must get exactly one callback; the run prints how many were lost or answered
//! twice, the callback latency's median and p99 (from the fake writing the interaction to its
//! shard's connection to the callback reaching its REST server), and two processes' figures
//! against one's.
//!
//! At most `CLUSTER_LOAD_WINDOW` interactions (default 64) wait for their callback at once, as
//! members keep asking while earlier answers are on their way; `CLUSTER_LOAD_COUNT` (default
//! 10000) sets how many. The fake runs in this process, the bots in their own.
//!
//! `cargo bench --profile dev --bench cluster_load` (debug build, as `benches/callback.rs`);
//! not run in CI (`tests/discord_shards.rs` runs 1,000 over two bots, no timing asserted).

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use std::path::Path;
use std::time::Duration;

use fake_discord::fixtures::GUILD_ID;
use fake_discord::harness::Serve;
use fake_discord::load::{self, LoadReport};
use fake_discord::{knowledge, FakeDiscord, Options};

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// `talkbot serve` on `shards` of 4, with its own data directory.
fn serve(fake: &FakeDiscord, knowledge: &Path, data: &Path, shards: &str) -> Serve {
    let guild = GUILD_ID.to_string();
    Serve::start(
        &[
            ("DISCORD_TOKEN", "cluster-load-token"),
            ("DISCORD_API_BASE", fake.api_base.as_str()),
            ("GUILD_ID", guild.as_str()),
            ("KNOWLEDGE_DIR", knowledge.to_str().unwrap()),
            ("DATA_DIR", data.to_str().unwrap()),
            ("SHARDS", shards),
            ("SHARD_COUNT", "4"),
        ],
        data,
    )
}

/// Starts one process per entry of `ranges`, waits for all four shards, runs the load.
async fn measure(ranges: &[&str], count: usize, window: usize) -> LoadReport {
    let fake = FakeDiscord::start_with(Options {
        shard_count: 4,
        ..Options::default()
    })
    .await;
    let dir = knowledge::temp();
    let data: Vec<tempfile::TempDir> = ranges
        .iter()
        .map(|_| tempfile::tempdir().unwrap())
        .collect();
    let mut processes: Vec<Serve> = ranges
        .iter()
        .zip(&data)
        .map(|(shards, data)| serve(&fake, dir.path(), data.path(), shards))
        .collect();
    // serenity starts a process's shards 5 s apart (one process: 15 s for all four), so each
    // is waited for in turn; the run begins once all four are up.
    for shard in 0..=3 {
        fake.wait_for_shards(shard..=shard, 0).await;
    }
    // A short warm-up, not measured: the first answer of each shard.
    let warm_up = load::run(&fake, 8, 8, Duration::ZERO).await;
    assert!(warm_up.missing.is_empty(), "warm-up unanswered");
    let report = load::run(&fake, count, window, Duration::from_millis(500)).await;
    for process in &mut processes {
        assert!(process.running(), "a bot died:\n{}", process.stderr());
        process.terminate();
        let status = process.wait().await;
        assert!(status.success(), "exit {status}:\n{}", process.stderr());
    }
    report
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn line(label: &str, report: &LoadReport) {
    println!(
        "{label:<26} n {:>5}  answers {:>5}  lost {}  twice {}  failed {}  median {:>6.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  {:>6.0}/s  per shard {:?}",
        report.latencies.len(),
        report.answers,
        report.missing.len(),
        report.duplicates,
        report.failed,
        ms(report.quantile(0.5)),
        ms(report.quantile(0.99)),
        ms(report.quantile(1.0)),
        report.latencies.len() as f64 / report.elapsed.as_secs_f64(),
        report.per_shard,
    );
}

fn main() {
    let count = setting("CLUSTER_LOAD_COUNT", 10_000);
    let window = setting("CLUSTER_LOAD_WINDOW", 64);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        println!(
            "{count} /ask interactions over 4 shards, at most {window} waiting; talkbot serve processes against the fake Discord"
        );
        let one = measure(&["0-3"], count, window).await;
        line("1 process, shards 0-3", &one);
        let two = measure(&["0-1", "2-3"], count, window).await;
        line("2 processes, 0-1 and 2-3", &two);
        let ratio = |q: f64| ms(two.quantile(q)) / ms(one.quantile(q));
        println!(
            "2 processes / 1: median ×{:.2}, p99 ×{:.2}, throughput ×{:.2}",
            ratio(0.5),
            ratio(0.99),
            (two.latencies.len() as f64 / two.elapsed.as_secs_f64())
                / (one.latencies.len() as f64 / one.elapsed.as_secs_f64()),
        );
        let lost = one.missing.len() + two.missing.len() + one.duplicates + two.duplicates;
        assert_eq!(lost, 0, "every interaction gets exactly one callback");
    });
}
