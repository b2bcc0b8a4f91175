//! The real `talkbot serve` binary facing a Discord that will not have it: a token Discord
//! rejects ends the bot with exit code 1 and one plain line naming `DISCORD_TOKEN`, whether the
//! REST API says so (401) or the gateway does (close code 4004); a Discord that cannot be
//! reached is said once and retried quietly, and SIGTERM still stops the bot within a second.

mod fake_discord;

use std::path::Path;
use std::time::{Duration, Instant};

use fake_discord::harness::Serve;
use fake_discord::{FakeDiscord, Options};

const TOKEN: &str = "connect-test-token";

fn shipped() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("knowledge")
        .display()
        .to_string()
}

fn serve(api_base: &str, cwd: &Path) -> Serve {
    Serve::start(
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_API_BASE", api_base),
            ("KNOWLEDGE_DIR", &shipped()),
        ],
        cwd,
    )
}

/// The lines the process wrote that are not log lines (tracing's start with a timestamp).
fn plain_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| !line.starts_with(|c: char| c.is_ascii_digit()))
        .collect()
}

/// Regression (issue 12): with a token Discord rejects, `talkbot serve` never exited and logged
/// serenity's raw retry warning every 5 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_rejected_by_rest_ends_serve_with_exit_1_and_one_line_naming_discord_token() {
    let fake = FakeDiscord::start_with(Options {
        reject_token: true,
        ..Options::default()
    })
    .await;
    let cwd = tempfile::tempdir().unwrap();
    let mut serve = serve(&fake.api_base, cwd.path());
    let status = serve.wait().await;
    let stderr = serve.stderr();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(
        plain_lines(&stderr),
        ["talkbot: Discord rejected the token (401 Unauthorized (401: Unauthorized)): check DISCORD_TOKEN"],
        "{stderr}"
    );
    assert!(!stderr.contains("Shard Queuer"), "{stderr}");
    assert!(!stderr.contains("get gateway URL"), "{stderr}");
}

/// The gateway is the other place Discord says no: close code 4004 (authentication failed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_rejected_by_the_gateway_ends_serve_with_exit_1_and_one_line() {
    let fake = FakeDiscord::start().await;
    let cwd = tempfile::tempdir().unwrap();
    let mut serve = serve(&fake.api_base, cwd.path());
    fake.wait_for_registration().await;
    fake.close_gateway(4004);
    let status = serve.wait().await;
    let stderr = serve.stderr();
    assert_eq!(status.code(), Some(1), "{stderr}");
    let plain = plain_lines(&stderr);
    assert_eq!(plain.len(), 1, "{stderr}");
    assert!(
        plain[0].starts_with("talkbot: Discord rejected the token ("),
        "{stderr}"
    );
    assert!(plain[0].ends_with("check DISCORD_TOKEN"), "{stderr}");
    assert!(!stderr.contains("Shard Queuer"), "no retry loop: {stderr}");
}

/// Nothing listens where Discord should be: one warning, quiet retries, and SIGTERM ends it
/// within a second with exit code 0. (It used to wait 5 s more for shards that never started.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_discord_is_said_once_retried_quietly_and_sigterm_exits_within_a_second() {
    // A port that was free a moment ago: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let api_base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let cwd = tempfile::tempdir().unwrap();
    let mut serve = serve(&api_base, cwd.path());
    serve.wait_for_log("cannot reach Discord").await;
    tokio::time::sleep(Duration::from_secs(3)).await; // several retries
    assert!(serve.running());
    let stderr = serve.stderr();
    assert_eq!(
        stderr.matches("cannot reach Discord").count(),
        1,
        "said once:\n{stderr}"
    );
    assert!(
        !stderr.contains("Shard Queuer") && !stderr.contains("gateway URL"),
        "{stderr}"
    );

    let asked = Instant::now();
    serve.terminate();
    let status = serve.wait().await;
    let took = asked.elapsed();
    println!(
        "SIGTERM with Discord unreachable: exited in {:.2} s",
        took.as_secs_f64()
    );
    assert_eq!(status.code(), Some(0), "{}", serve.stderr());
    assert!(took < Duration::from_millis(1_100), "took {took:?}");
}

/// Connected and idle, SIGTERM ends the bot within a second, with exit code 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connected_idle_bot_exits_within_a_second_of_sigterm() {
    let fake = FakeDiscord::start().await;
    let cwd = tempfile::tempdir().unwrap();
    let mut serve = serve(&fake.api_base, cwd.path());
    fake.wait_for_registration().await;
    serve.wait_for_log("commands registered").await;
    let asked = Instant::now();
    serve.terminate();
    let status = serve.wait().await;
    let took = asked.elapsed();
    println!(
        "SIGTERM, connected and idle: exited in {:.2} s",
        took.as_secs_f64()
    );
    assert_eq!(status.code(), Some(0), "{}", serve.stderr());
    assert!(took < Duration::from_millis(1_100), "took {took:?}");
}
