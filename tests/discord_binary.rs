//! The real `talkbot serve` binary against the fake Discord, the way an outside harness checks
//! it: only `DISCORD_TOKEN` and `DISCORD_API_BASE` set, the shipped fact base, global command
//! registration. It must register its commands, answer `/ask` and a mention, refuse `/refresh`
//! to a member without permission, and stop cleanly on SIGTERM.

mod fake_discord;

use std::path::Path;

use serde_json::{json, Value};

use fake_discord::fixtures::{self, APP_ID, CHANNEL_MESSAGE, EPHEMERAL, MEMBER};
use fake_discord::harness::Serve;
use fake_discord::members::{mention, slash};
use fake_discord::FakeDiscord;

const TOKEN: &str = "binary-test-token";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_registers_answers_and_refuses_refresh_to_members_then_stops_on_sigterm() {
    let fake = FakeDiscord::start().await;
    let cwd = tempfile::tempdir().unwrap(); // no stray `.env` is picked up
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let base = talkbot::knowledge::KnowledgeBase::load(&shipped).expect("the shipped base loads");
    let mut serve = Serve::start(
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_API_BASE", &fake.api_base),
            ("KNOWLEDGE_DIR", shipped.to_str().unwrap()),
        ],
        cwd.path(),
    );

    // Registration: global, since no GUILD_ID is set.
    let put = fake.wait_for_registration().await;
    assert_eq!(put.path, format!("/api/v10/applications/{APP_ID}/commands"));
    assert_eq!(put.authorization, Some(format!("Bot {TOKEN}")));
    let names: Vec<&str> = put
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "ask",
            "facts",
            "source",
            "refresh",
            "unanswered",
            "feedback",
            "teach",
            "help",
            "Ask talkbot"
        ]
    );

    // /ask with a question the shipped base lists as answerable.
    let question = &base.facts[0].questions[0];
    let options = json!([{"name": "question", "type": 3, "value": question}]);
    let member = fixtures::member(50, "member", MEMBER, &[]);
    let (_, response) = slash(&fake, "ask", options, member.clone()).await;
    assert_eq!(response["type"], CHANNEL_MESSAGE);
    let embed = &response["data"]["embeds"][0];
    assert_eq!(embed["title"], question);
    assert_sourced(embed);

    // A mention, answered as a reply.
    let message = mention(&fake, fixtures::user(51, "asker", false), question);
    let reply = fake.reply_to(message).await;
    assert_sourced(&reply["embeds"][0]);
    assert_eq!(reply["allowed_mentions"]["parse"], json!([]));

    // /refresh by a member without Manage Server: refused, privately.
    let (_, refused) = slash(&fake, "refresh", json!([]), member).await;
    assert_eq!(refused["type"], CHANNEL_MESSAGE);
    assert_eq!(refused["data"]["flags"], EPHEMERAL);
    assert!(
        refused["data"]["content"]
            .as_str()
            .unwrap()
            .starts_with("Only moderators"),
        "{refused}"
    );

    serve.terminate();
    let status = serve.wait().await;
    let log = serve.stderr();
    assert!(status.success(), "exit {status}; log:\n{log}");
    assert!(
        log.contains("stopped"),
        "a clean shutdown is logged:\n{log}"
    );
    assert!(!log.contains(TOKEN), "the token was logged:\n{log}");
    let closes: Vec<Value> = fake
        .gateway_log()
        .into_iter()
        .filter(|p| p.get("close").is_some())
        .collect();
    assert_eq!(
        closes,
        [json!({"close": 1000})],
        "the gateway is closed normally"
    );
}

/// An answer embed: a statement, and sources whose first line is a quote.
fn assert_sourced(embed: &Value) {
    assert!(
        !embed["description"].as_str().unwrap_or_default().is_empty(),
        "{embed}"
    );
    let fields = embed["fields"].as_array().expect("source fields");
    assert!(!fields.is_empty(), "{embed}");
    for field in fields {
        assert!(
            field["value"].as_str().unwrap().starts_with("> "),
            "{field}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_without_a_token_says_so_in_one_line() {
    let cwd = tempfile::tempdir().unwrap();
    let mut serve = Serve::start(&[], cwd.path());
    let status = serve.wait().await;
    assert!(!status.success());
    let log = serve.stderr();
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(
        log.starts_with("talkbot: DISCORD_TOKEN is not set"),
        "{log}"
    );
}

/// Everything from `.env` in the working directory, as a self-hosting moderator would set it
/// up from `.env.example`, including a blank `RUST_LOG`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_its_settings_from_dot_env() {
    let fake = FakeDiscord::start().await;
    let cwd = tempfile::tempdir().unwrap();
    let knowledge = fake_discord::knowledge::temp();
    let dot_env = format!(
        "DISCORD_TOKEN={TOKEN}\nDISCORD_API_BASE={}\nGUILD_ID={}\nMODERATOR_ROLE_ID=\nKNOWLEDGE_DIR={}\nRUST_LOG=\n",
        fake.api_base,
        fixtures::GUILD_ID,
        knowledge.path().display()
    );
    std::fs::write(cwd.path().join(".env"), dot_env).unwrap();
    let mut serve = Serve::start(&[], cwd.path());

    let put = fake.wait_for_registration().await;
    assert_eq!(
        put.path,
        format!(
            "/api/v10/applications/{APP_ID}/guilds/{}/commands",
            fixtures::GUILD_ID
        )
    );
    let options = json!([{"name": "question", "type": 3, "value": "Who led the talks?"}]);
    let member = fixtures::member(52, "member", MEMBER, &[]);
    let (_, response) = slash(&fake, "ask", options, member).await;
    let quote = &response["data"]["embeds"][0]["fields"][0]["value"];
    assert!(
        quote
            .as_str()
            .unwrap()
            .starts_with("> led by a former diplomat named Anna Berg"),
        "the fact base named in .env answers: {response}"
    );

    serve.terminate();
    let status = serve.wait().await;
    assert!(status.success(), "exit {status}; log:\n{}", serve.stderr());
    assert!(
        serve.stderr().contains("fact base loaded"),
        "a blank RUST_LOG keeps the default"
    );
}

/// A broken fact base stops `serve` before it connects, with every problem listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_to_start_on_a_broken_fact_base() {
    let cwd = tempfile::tempdir().unwrap();
    let knowledge = fake_discord::knowledge::temp();
    fake_discord::knowledge::add_broken_fact(knowledge.path());
    let mut serve = Serve::start(
        &[
            ("DISCORD_TOKEN", TOKEN),
            // Nothing listens here: the bot must stop before it tries.
            ("DISCORD_API_BASE", "http://127.0.0.1:9"),
            ("KNOWLEDGE_DIR", knowledge.path().to_str().unwrap()),
        ],
        cwd.path(),
    );
    let status = serve.wait().await;
    assert!(!status.success());
    let log = serve.stderr();
    assert!(
        log.contains("talkbot: 1 problem in the knowledge base:"),
        "{log}"
    );
    assert!(log.contains("facts/broken.toml:"), "{log}");
}
