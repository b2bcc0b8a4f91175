//! The real `talkbot serve` binary against the fake Discord, the way an outside harness checks
//! it: only `DISCORD_TOKEN` and `DISCORD_API_BASE` set, the shipped fact base, global command
//! registration. It must register its commands, answer `/ask` and a mention, refuse `/refresh`
//! to a member without permission, and stop cleanly on SIGTERM.

mod fake_discord;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use fake_discord::fixtures::{self, APP_ID, MEMBER};
use fake_discord::{FakeDiscord, WAIT};

const TOKEN: &str = "binary-test-token";

/// The child process, killed if the test fails before it stops it, with its stderr collected
/// so a failure can show what the bot logged.
struct Serve {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Serve {
    fn start(envs: &[(&str, &str)], cwd: &Path) -> Serve {
        let mut command = Command::new(env!("CARGO_BIN_EXE_talkbot"));
        command
            .arg("serve")
            .current_dir(cwd)
            .env_remove("DISCORD_TOKEN")
            .env_remove("DISCORD_API_BASE")
            .env_remove("GUILD_ID")
            .env_remove("MODERATOR_ROLE_ID")
            .env_remove("KNOWLEDGE_DIR")
            .env_remove("DATA_DIR")
            .env_remove("RETENTION_DAYS")
            .env("RUST_LOG", "warn,talkbot=info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (name, value) in envs {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start talkbot serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        Serve { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits for the process to exit on its own, up to [`WAIT`].
    async fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take in the last lines.
                tokio::time::sleep(Duration::from_millis(100)).await;
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "talkbot did not exit; it logged:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
    let put = fake
        .wait_for_request("command registration", |r| r.method == "PUT")
        .await;
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
            "help"
        ]
    );

    // /ask with a question the shipped base lists as answerable.
    let question = &base.facts[0].questions[0];
    let id = fake.next_id();
    let token = format!("token-{id}");
    let options = json!([{"name": "question", "type": 3, "value": question}]);
    let member = fixtures::member(50, "member", MEMBER, &[]);
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::slash(id, &token, "ask", options, member.clone()),
    );
    let response = fake.interaction_response(id, &token).await;
    assert_eq!(response["type"], 4);
    let embed = &response["data"]["embeds"][0];
    assert_eq!(embed["title"], question.as_str());
    assert_sourced(embed);

    // A mention, answered as a reply.
    let message = fake.next_id();
    let content = format!("{} {question}", fake_discord::bot_mention());
    fake.dispatch(
        "MESSAGE_CREATE",
        fixtures::message_create(
            message,
            fixtures::user(51, "asker", false),
            &content,
            json!([fixtures::bot_user()]),
            false,
        ),
    );
    let reply = fake.reply_to(message).await;
    assert_sourced(&reply["embeds"][0]);
    assert_eq!(reply["allowed_mentions"]["parse"], json!([]));

    // /refresh by a member without Manage Server: refused, privately.
    let id = fake.next_id();
    let token = format!("token-{id}");
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::slash(id, &token, "refresh", json!([]), member),
    );
    let refused = fake.interaction_response(id, &token).await;
    assert_eq!(refused["type"], 4);
    assert_eq!(refused["data"]["flags"], 64);
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

    let put = fake
        .wait_for_request("command registration", |r| r.method == "PUT")
        .await;
    assert_eq!(
        put.path,
        format!(
            "/api/v10/applications/{APP_ID}/guilds/{}/commands",
            fixtures::GUILD_ID
        )
    );
    let id = fake.next_id();
    let token = format!("token-{id}");
    let options = json!([{"name": "question", "type": 3, "value": "Who led the talks?"}]);
    let member = fixtures::member(52, "member", MEMBER, &[]);
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::slash(id, &token, "ask", options, member),
    );
    let response = fake.interaction_response(id, &token).await;
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
