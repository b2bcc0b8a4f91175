//! Discord failing in the ways it does, through the fake Discord: the gateway dropped, closed
//! with 4009, or no longer acknowledging heartbeats; REST refusing a reply with 500 or 429.
//! Each time the bot must log it, reconnect or not resend as documented in
//! `src/discord/error.rs`, keep running, and answer the next question.
//!
//! Then two checks on the real `talkbot serve` binary: SIGTERM while answers are in flight lets
//! them finish and exits 0; and a whole session logged at `trace` never shows the token.
//!
//! Recovery times are printed (`cargo test --test discord_faults -- --nocapture`).

mod fake_discord;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use talkbot::discord::Config;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use fake_discord::fixtures::{self, GUILD_ID, MANAGE_GUILD, MEMBER};
use fake_discord::{knowledge, Failure, FakeDiscord, Options, Route, WAIT};

const TOKEN: &str = "faults-test-token";
const CHANNEL_MESSAGE: u64 = 4;
const EPHEMERAL: u64 = 64;

/// The bot run in this process, exactly as `talkbot serve` runs it.
struct Bot {
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
    /// The fact base and the curation database; removed when the test ends.
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

async fn start_bot(fake: &FakeDiscord) -> Bot {
    let knowledge = knowledge::temp();
    let data = tempfile::tempdir().unwrap();
    let vars = [
        ("DISCORD_TOKEN", TOKEN.to_string()),
        ("DISCORD_API_BASE", fake.api_base.clone()),
        ("GUILD_ID", GUILD_ID.to_string()),
        ("DATA_DIR", data.path().display().to_string()),
    ];
    let config = Config::from_lookup(
        |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        },
        knowledge.path().to_path_buf(),
    )
    .expect("config");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(talkbot::discord::run(config, async move {
        let _ = stopped.await;
    }));
    fake.wait_for_request("command registration", |r| r.method == "PUT")
        .await;
    Bot {
        stop,
        task,
        _dirs: (knowledge, data),
    }
}

impl Bot {
    /// Stops the bot and checks that it was still running and stops cleanly.
    async fn stop(self) {
        assert!(!self.task.is_finished(), "the bot stopped on its own");
        let _ = self.stop.send(());
        let result = tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the bot stops within the wait")
            .expect("the bot task did not panic");
        result.expect("the bot ran and stopped without error");
    }
}

fn member(user_id: u64) -> Value {
    fixtures::member(user_id, &format!("member{user_id}"), MEMBER, &[])
}

/// Sends `/ask question` as `user`; returns the interaction's id and token.
fn send_ask(fake: &FakeDiscord, user: u64, question: &str) -> (u64, String) {
    let id = fake.next_id();
    let token = format!("token-{id}");
    let options = json!([{"name": "question", "type": 3, "value": question}]);
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::slash(id, &token, "ask", options, member(user)),
    );
    (id, token)
}

/// Asks and checks the answer quotes `quote`.
async fn assert_answered(fake: &FakeDiscord, user: u64, question: &str, quote: &str) {
    let (id, token) = send_ask(fake, user, question);
    let response = fake.interaction_response(id, &token).await;
    assert_eq!(response["type"], CHANNEL_MESSAGE, "{response}");
    let field = response["data"]["embeds"][0]["fields"][0]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(field.starts_with(&format!("> {quote}")), "{response}");
}

async fn assert_still_answering(fake: &FakeDiscord, user: u64) {
    assert_answered(
        fake,
        user,
        "Was there a prisoner exchange?",
        "agreed to exchange two hundred prisoners",
    )
    .await;
}

/// Every call the bot made for interaction `id`, in order.
fn callbacks(fake: &FakeDiscord, id: u64) -> Vec<fake_discord::Request> {
    let prefix = format!("/api/v10/interactions/{id}/");
    fake.requests()
        .into_iter()
        .filter(|r| r.path.starts_with(&prefix))
        .collect()
}

fn count_op(fake: &FakeDiscord, op: u64) -> usize {
    fake.gateway_log().iter().filter(|p| p["op"] == op).count()
}

fn seconds(elapsed: Duration) -> String {
    format!("{:.2} s", elapsed.as_secs_f64())
}

// ---------------------------------------------------------------------------------------------
// The gateway

/// A network failure: the TCP stream ends without a close frame. serenity resumes the session
/// (same session id, from the last sequence number) instead of starting a new one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_is_resumed_and_answers_keep_flowing() {
    let fake = FakeDiscord::start().await;
    let bot = start_bot(&fake).await;
    assert_answered(&fake, 101, "Who led the talks?", "led by a former diplomat").await;

    let sent_before = fake.gateway_log().len();
    let dropped = Instant::now();
    fake.drop_gateway();
    let resume = fake.wait_for_gateway_op(6, sent_before).await;
    let resumed_after = dropped.elapsed();
    assert_eq!(resume["d"]["session_id"], fixtures::SESSION_ID);
    assert!(resume["d"]["seq"].as_u64().unwrap() >= 2, "{resume}");

    assert_still_answering(&fake, 102).await;
    fake_discord::wait_for_log(&["gateway session resumed"]).await;
    eprintln!(
        "figure: dropped connection: resumed after {}, answering again after {}",
        seconds(resumed_after),
        seconds(dropped.elapsed())
    );
    assert_eq!(count_op(&fake, 2), 1, "a resume, not a new session");
    bot.stop().await;
}

/// 4009 (session timed out) means the session cannot be resumed: serenity identifies afresh,
/// after the 5 s it keeps between two IDENTIFYs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_close_with_4009_starts_a_new_session_and_answers_keep_flowing() {
    let fake = FakeDiscord::start().await;
    let bot = start_bot(&fake).await;
    assert_answered(&fake, 111, "Who led the talks?", "led by a former diplomat").await;

    let sent_before = fake.gateway_log().len();
    let closed = Instant::now();
    fake.close_gateway(4009);
    let identify = fake.wait_for_gateway_op(2, sent_before).await;
    let identified_after = closed.elapsed();
    assert_eq!(identify["d"]["token"], format!("Bot {TOKEN}"));
    let resumes = fake.gateway_log()[sent_before..]
        .iter()
        .filter(|p| p["op"] == 6)
        .count();
    assert_eq!(resumes, 0, "a timed-out session is not resumed");

    assert_still_answering(&fake, 112).await;
    eprintln!(
        "figure: close 4009: new session after {}, answering again after {}",
        seconds(identified_after),
        seconds(closed.elapsed())
    );
    assert_eq!(count_op(&fake, 2), 2);
    bot.stop().await;
}

/// The gateway stops acknowledging heartbeats (a zombied connection). With a 1 s interval,
/// serenity notices at its next heartbeat, drops the connection and reconnects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_heartbeat_ack_makes_the_bot_reconnect_and_answers_keep_flowing() {
    let fake = FakeDiscord::start_with(Options {
        heartbeat_interval: Duration::from_secs(1),
    })
    .await;
    let bot = start_bot(&fake).await;
    assert_answered(&fake, 121, "Who led the talks?", "led by a former diplomat").await;

    let sent_before = fake.gateway_log().len();
    let silenced = Instant::now();
    fake.stop_acknowledging_heartbeats();
    let (reconnect, reconnected_after) = loop {
        let log = fake.gateway_log();
        if let Some(payload) = log[sent_before..]
            .iter()
            .find(|p| p["op"] == 2 || p["op"] == 6)
        {
            break (payload.clone(), silenced.elapsed());
        }
        assert!(
            silenced.elapsed() < WAIT,
            "no reconnection after the missing ACK; the bot sent: {log:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let heartbeats_unanswered = fake.gateway_log()[sent_before..]
        .iter()
        .take_while(|p| p["op"] == 1)
        .count();
    assert!(heartbeats_unanswered >= 1, "{:?}", fake.gateway_log());

    assert_still_answering(&fake, 122).await;
    let how = if reconnect["op"] == 6 {
        "resumed"
    } else {
        "new session"
    };
    eprintln!(
        "figure: missing heartbeat ACK: {how} after {}, answering again after {}",
        seconds(reconnected_after),
        seconds(silenced.elapsed())
    );
    bot.stop().await;
}

// ---------------------------------------------------------------------------------------------
// REST refusing a reply

/// A 500 to an answer: logged, not resent (Discord may have taken it), and the member is told
/// once, privately, to try again. The next question is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_on_an_answer_is_logged_reported_once_and_the_next_question_answered() {
    let fake = FakeDiscord::start().await;
    let bot = start_bot(&fake).await;

    fake.fail_next(Route::InteractionCallback, Failure::ServerError);
    let (id, _) = send_ask(&fake, 131, "Who led the talks?");
    let line = fake_discord::wait_for_log(&["user=131", "500 Internal Server Error"]).await;
    assert!(line.contains("WARN"), "{line}");
    fake.wait_for_request("the notice", |r| {
        r.path.starts_with(&format!("/api/v10/interactions/{id}/")) && r.status == 204
    })
    .await;

    assert_still_answering(&fake, 132).await;
    let calls = callbacks(&fake, id);
    let statuses: Vec<u16> = calls.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [500, 204], "the answer, then one notice");
    assert!(
        calls[0].body["data"]["embeds"][0]["title"] == "Who led the talks?",
        "{}",
        calls[0].body
    );
    let notice = &calls[1].body["data"];
    assert_eq!(notice["content"], talkbot_internal_error());
    assert_eq!(notice["flags"], EPHEMERAL);
    bot.stop().await;
}

/// A 429 to an answer, with `retry_after` and the rate-limit headers Discord sends: logged, and
/// nothing more is sent for that question (another call would be refused too). The next
/// question is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_answer_is_logged_not_resent_and_the_next_question_answered() {
    let fake = FakeDiscord::start().await;
    let bot = start_bot(&fake).await;

    fake.fail_next(
        Route::InteractionCallback,
        Failure::RateLimited { retry_after: 0.25 },
    );
    let (id, _) = send_ask(&fake, 141, "Who led the talks?");
    let line = fake_discord::wait_for_log(&["user=141", "429 Too Many Requests"]).await;
    assert!(line.contains("nothing more is sent"), "{line}");

    // The handler has logged its last word; the next answer shows the bot is still going.
    assert_still_answering(&fake, 142).await;
    let statuses: Vec<u16> = callbacks(&fake, id).iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429], "not resent, no notice either");
    bot.stop().await;
}

/// A mention's reply refused with 500, then another with 429: each logged, neither resent, and
/// the next mention is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_mention_replies_are_logged_not_resent_and_the_next_mention_answered() {
    let fake = FakeDiscord::start().await;
    let bot = start_bot(&fake).await;
    let mention = |author: u64| {
        let id = fake.next_id();
        fake.dispatch(
            "MESSAGE_CREATE",
            fixtures::message_create(
                id,
                fixtures::user(author, &format!("asker{author}"), false),
                &format!("{} Who led the talks?", fake_discord::bot_mention()),
                json!([fixtures::bot_user()]),
                false,
            ),
        );
        id
    };

    fake.fail_next(Route::ChannelMessage, Failure::ServerError);
    let failed = mention(151);
    fake_discord::wait_for_log(&["a mention reply", "500 Internal Server Error"]).await;
    fake.fail_next(
        Route::ChannelMessage,
        Failure::RateLimited { retry_after: 0.25 },
    );
    let limited = mention(152);
    fake_discord::wait_for_log(&["a mention reply", "429 Too Many Requests"]).await;

    let answered = mention(153);
    let reply = fake.reply_to(answered).await;
    assert_eq!(reply["embeds"][0]["title"], "Who led the talks?", "{reply}");
    assert_eq!(fake.replies_to(failed), 1, "a 500 reply is not resent");
    assert_eq!(fake.replies_to(limited), 1, "a 429 reply is not resent");
    bot.stop().await;
}

fn talkbot_internal_error() -> &'static str {
    "Something went wrong on my side. It has been logged; please try again in a moment."
}

// ---------------------------------------------------------------------------------------------
// The real binary: shutdown, and the token in the logs

/// `talkbot serve` as a child process, killed if the test fails before it stops, with its
/// stderr collected.
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
            let mut buffer = [0u8; 8192];
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

    async fn wait_for_log(&self, text: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.stderr().contains(text) {
            assert!(
                Instant::now() < deadline,
                "talkbot did not log {text:?}; it logged:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits for the process to exit on its own, then for its stderr to end.
    async fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                tokio::time::sleep(Duration::from_millis(100)).await;
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "talkbot did not exit; it logged:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
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

/// SIGTERM arrives while an `/ask` answer and a `/refresh` are in flight (Discord is slow to
/// take their first responses). The bot closes the gateway, waits for both, sends the refresh
/// report, which it had not even started on when the signal came, and exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_answers_lets_them_finish_then_exits_0() {
    let fake = FakeDiscord::start().await;
    let cwd = tempfile::tempdir().unwrap();
    let base = knowledge::temp();
    let guild = GUILD_ID.to_string();
    let mut serve = Serve::start(
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_API_BASE", &fake.api_base),
            ("GUILD_ID", &guild),
            ("KNOWLEDGE_DIR", base.path().to_str().unwrap()),
        ],
        cwd.path(),
    );
    fake.wait_for_request("command registration", |r| r.method == "PUT")
        .await;

    let held = fake.hold(Route::InteractionCallback);
    let (ask, ask_token) = send_ask(&fake, 161, "Who led the talks?");
    let refresh = fake.next_id();
    let refresh_token = format!("token-{refresh}");
    let moderator = fixtures::member(162, "mod", MANAGE_GUILD, &[]);
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::slash(refresh, &refresh_token, "refresh", json!([]), moderator),
    );
    let answer = fake.interaction_response(ask, &ask_token).await;
    assert_eq!(answer["type"], CHANNEL_MESSAGE);
    let deferred = fake.interaction_response(refresh, &refresh_token).await;
    assert_eq!(deferred["type"], 5, "the refresh is deferred: {deferred}");

    let signalled = Instant::now();
    serve.terminate();
    serve
        .wait_for_log("waiting for the answers in flight answers=2")
        .await;
    assert!(serve.running(), "talkbot exited with answers in flight");
    let close = fake.wait_for_gateway_close().await;
    assert_eq!(close, json!({"close": 1000}), "the gateway is closed first");

    let released = Instant::now();
    held.release();
    let report = fake.followup(&refresh_token).await;
    assert_eq!(
        report["embeds"][0]["title"], "Fact base reloaded: nothing changed",
        "{report}"
    );
    let status = serve.wait().await;
    let log = serve.stderr();
    assert!(status.success(), "exit {status}; log:\n{log}");
    assert!(log.contains("stopped"), "{log}");
    assert!(!log.contains("stopping anyway"), "{log}");
    eprintln!(
        "figure: SIGTERM with 2 answers in flight: exit 0 {} after they were released ({} after the signal, held meanwhile)",
        seconds(released.elapsed()),
        seconds(signalled.elapsed())
    );
}

/// A whole session logged at `trace`, everything on: start, every kind of question, a refresh,
/// a reply refused with 500, the gateway closed and resumed (RESUME carries the token), and
/// shutdown. The token appears nowhere in the log: not as text, nor as the hex or the byte list
/// that WebSocket frame dumps would show it as.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_logged_at_trace_never_shows_the_token() {
    const SECRET: &str = "MTIzNDU2Nzg5.secret-token-never-logged";
    let fake = FakeDiscord::start().await;
    let cwd = tempfile::tempdir().unwrap();
    let base = knowledge::temp();
    let guild = GUILD_ID.to_string();
    let mut serve = Serve::start(
        &[
            ("DISCORD_TOKEN", SECRET),
            ("DISCORD_API_BASE", &fake.api_base),
            ("GUILD_ID", &guild),
            ("KNOWLEDGE_DIR", base.path().to_str().unwrap()),
            ("RUST_LOG", "trace"),
        ],
        cwd.path(),
    );
    fake.wait_for_request("command registration", |r| r.method == "PUT")
        .await;

    assert_answered(&fake, 171, "Who led the talks?", "led by a former diplomat").await;
    let mention = fake.next_id();
    fake.dispatch(
        "MESSAGE_CREATE",
        fixtures::message_create(
            mention,
            fixtures::user(172, "asker", false),
            &format!(
                "{} Was there a prisoner exchange?",
                fake_discord::bot_mention()
            ),
            json!([fixtures::bot_user()]),
            false,
        ),
    );
    fake.reply_to(mention).await;
    let refresh = fake.next_id();
    let refresh_token = format!("token-{refresh}");
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::slash(
            refresh,
            &refresh_token,
            "refresh",
            json!([]),
            fixtures::member(173, "mod", MANAGE_GUILD, &[]),
        ),
    );
    fake.followup(&refresh_token).await;
    fake.fail_next(Route::InteractionCallback, Failure::ServerError);
    let (failed, _) = send_ask(&fake, 174, "Who led the talks?");
    fake.wait_for_request("the notice after the 500", |r| {
        r.path
            .starts_with(&format!("/api/v10/interactions/{failed}/"))
            && r.status == 204
    })
    .await;
    let sent_before = fake.gateway_log().len();
    fake.close_gateway(4000);
    let resume = fake.wait_for_gateway_op(6, sent_before).await;
    assert_eq!(resume["d"]["token"], format!("Bot {SECRET}"));
    assert_still_answering(&fake, 175).await;

    serve.terminate();
    let status = serve.wait().await;
    let log = serve.stderr();
    assert!(status.success(), "exit {status}");
    // The log covers the moments the token is used: every REST call, IDENTIFY and RESUME.
    for sign in ["TRACE", "request{self=Http", "send_identify", "send_resume"] {
        assert!(log.contains(sign), "the log is not verbose: no {sign:?}");
    }
    assert!(
        log.contains("Discord could not take the reply"),
        "the 500 is logged"
    );
    let hex: String = SECRET.bytes().map(|b| format!("{b:02x}")).collect();
    let bytes = SECRET
        .bytes()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    for (form, leak) in [("text", SECRET), ("hex", &hex), ("bytes", &bytes)] {
        if let Some(line) = log.lines().find(|line| line.contains(leak)) {
            panic!("the token is logged as {form}: {line}");
        }
    }
}
