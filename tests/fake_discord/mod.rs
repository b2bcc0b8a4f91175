//! A fake Discord on 127.0.0.1 for end-to-end tests: REST (axum) and the gateway WebSocket
//! (tokio-tungstenite), enough of both for the real serenity client to connect, register
//! commands, receive events and send replies. Every REST call is recorded for assertions.
//!
//! Fixtures must be complete: serenity turns a dispatch it cannot deserialize into
//! `Event::Unknown` without an error, and the bot then simply never reacts. [`fixtures`]
//! builds payloads with every field serenity 0.12.5 requires.
//!
//! Faults are armed by the test, one call each, and nowhere else: [`FakeDiscord::fail_next`]
//! answers the next call on a [`Route`] with a [`Failure`]; [`FakeDiscord::hold`] keeps the
//! responses on a route waiting until released; [`FakeDiscord::close_gateway`],
//! [`FakeDiscord::drop_gateway`] and [`FakeDiscord::stop_acknowledging_heartbeats`] act on the
//! gateway connection that is live (shard 0's; [`FakeDiscord::close_shard`] and
//! [`FakeDiscord::drop_shard`] name another). [`Options`] sets what Discord decides once per
//! connection.
//!
//! **Shards.** The gateway serves [`Options::shard_count`] shards, the count `GET /gateway/bot`
//! recommends. Each connection is the shard its IDENTIFY names (`shard: [id, count]`; a count
//! other than the fake's, or an id beyond it, is closed with 4010 as Discord closes an invalid
//! shard) or its RESUME's session belongs to ([`fixtures::session_id`]). A dispatch goes to the
//! shard that owns its server, `(guild_id >> 22) % count`, as Discord routes them, direct
//! messages to shard 0; each shard has its own queue, so events wait for their shard's
//! connection and no other. What each connection was sent is recorded ([`Delivery`]), and
//! every REST call can be watched as it arrives ([`FakeDiscord::watch_requests`]).

#![allow(dead_code)] // Each test binary uses a different part of the fake.

pub mod fixtures;
pub mod harness;
pub mod knowledge;
pub mod load;
pub mod members;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use fixtures::{APP_ID, BOT_ID};

/// Every wait in the tests is bounded by this, so a broken bot fails a test instead of hanging it.
pub const WAIT: Duration = Duration::from_secs(15);

/// One REST call the bot made.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Without the query, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    pub authorization: Option<String>,
    /// `Value::Null` when the body was empty or not JSON.
    pub body: Value,
    /// The status the fake answered with.
    pub status: u16,
    /// When the call arrived, for latency measurements (`benches/callback.rs`).
    pub at: std::time::Instant,
}

/// One dispatch the fake sent over the gateway: on which shard and connection, and when.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub shard: u32,
    /// Gateway connections are numbered from 1 in the order they were accepted.
    pub connection: u64,
    pub event: String,
    /// The dispatched object's `id` (an interaction's, a message's), if it has one.
    pub id: Option<u64>,
    /// When it was written to the connection.
    pub at: std::time::Instant,
}

/// A gateway connection that identified or resumed, and as which shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub connection: u64,
    pub shard: u32,
    /// `true` for RESUME, `false` for IDENTIFY.
    pub resumed: bool,
}

/// What the fake decides once for every gateway connection.
#[derive(Debug, Clone)]
pub struct Options {
    /// The interval HELLO asks for. The default keeps heartbeats out of the way; the
    /// missing-ACK test shortens it so that serenity notices within a second or two.
    pub heartbeat_interval: Duration,
    /// Every REST call is answered 401 Unauthorized, as Discord answers a revoked token.
    pub reject_token: bool,
    /// A posted channel message is accepted (200) but echoed back as a body serenity cannot
    /// read (`content: null`, nothing else), as Spacebar, an independent Discord server, does.
    pub odd_echo: bool,
    /// Leave Nagle's algorithm on for the gateway connection (a server that does not set
    /// TCP_NODELAY), to measure what it costs (`benches/callback.rs`).
    pub gateway_nagle: bool,
    /// How many shards the gateway serves, and `GET /gateway/bot` recommends.
    pub shard_count: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            heartbeat_interval: Duration::from_millis(41_250),
            reject_token: false,
            odd_echo: false,
            gateway_nagle: false,
            shard_count: 1,
        }
    }
}

/// A REST route a fault can be aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `POST /interactions/{id}/{token}/callback`: the response to a slash command or a click.
    InteractionCallback,
    /// `POST /channels/{id}/messages`: a message, such as the reply to a mention.
    ChannelMessage,
    /// `POST /webhooks/{application}/{token}`: a follow-up after a deferred response.
    Followup,
    /// `PUT /applications/{id}/commands` (or a guild's): registering the slash commands.
    Registration,
}

impl Route {
    fn matches(self, method: &str, parts: &[&str]) -> bool {
        matches!(
            (self, method, parts),
            (
                Route::InteractionCallback,
                "POST",
                ["interactions", _, _, "callback"]
            ) | (Route::ChannelMessage, "POST", ["channels", _, "messages"])
                | (Route::Followup, "POST", ["webhooks", _, _])
                | (Route::Registration, "PUT", ["applications", _, "commands"])
                | (
                    Route::Registration,
                    "PUT",
                    ["applications", _, "guilds", _, "commands"]
                )
        )
    }
}

/// How the fake fails a REST call, with the status, headers and body Discord uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure {
    /// 500 Internal Server Error.
    ServerError,
    /// 429 Too Many Requests on a per-route bucket: `retry_after` (seconds) in the JSON body and
    /// in `Retry-After`, with the `X-RateLimit-*` headers of an exhausted bucket.
    RateLimited { retry_after: f64 },
}

impl Failure {
    fn response(self) -> Response {
        match self {
            Failure::ServerError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"message": "500: Internal Server Error", "code": 0})),
            )
                .into_response(),
            Failure::RateLimited { retry_after } => {
                let seconds = format!("{retry_after:.3}");
                let reset = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs_f64()
                    + retry_after;
                let headers = [
                    ("retry-after", retry_after.ceil().to_string()),
                    ("x-ratelimit-limit", "5".to_string()),
                    ("x-ratelimit-remaining", "0".to_string()),
                    ("x-ratelimit-reset", format!("{reset:.3}")),
                    ("x-ratelimit-reset-after", seconds),
                    ("x-ratelimit-bucket", "fake-bucket".to_string()),
                    ("x-ratelimit-scope", "user".to_string()),
                ];
                let body = json!({
                    "message": "You are being rate limited.",
                    "retry_after": retry_after,
                    "global": false,
                });
                (StatusCode::TOO_MANY_REQUESTS, headers, Json(body)).into_response()
            }
        }
    }
}

/// Keeps the responses on a route waiting (the calls are recorded as they arrive) until
/// [`Hold::release`] or until it is dropped, so a failing test never leaves a call hanging.
pub struct Hold {
    released: watch::Sender<bool>,
}

impl Hold {
    pub fn release(&self) {
        let _ = self.released.send(true);
    }
}

/// The faults a test has armed and that have not happened yet.
#[derive(Default)]
struct Faults {
    /// Each is used up by the first call on its route, in the order they were armed.
    failures: Vec<(Route, Failure)>,
    holds: Vec<(Route, watch::Receiver<bool>)>,
}

impl Faults {
    /// What to do with this call: fail it, hold it, or neither.
    fn take(
        &mut self,
        method: &str,
        parts: &[&str],
    ) -> (Option<Failure>, Vec<watch::Receiver<bool>>) {
        let failure = self
            .failures
            .iter()
            .position(|(route, _)| route.matches(method, parts))
            .map(|index| self.failures.remove(index).1);
        let holds = self
            .holds
            .iter()
            .filter(|(route, _)| route.matches(method, parts))
            .map(|(_, released)| released.clone())
            .collect();
        (failure, holds)
    }
}

enum Outgoing {
    Dispatch {
        event: String,
        data: Value,
    },
    Close(u16),
    /// End the TCP connection without a close frame, as a network failure does.
    Drop,
    /// Stop answering heartbeats on this connection.
    SilenceHeartbeats,
}

/// One shard's side of the gateway.
struct Shard {
    to_gateway: mpsc::UnboundedSender<Outgoing>,
    /// Held by the shard's connection that is live; events queue up while it reconnects.
    outgoing: tokio::sync::Mutex<mpsc::UnboundedReceiver<Outgoing>>,
    /// The last sequence number of the shard's session.
    sequence: AtomicU64,
}

struct Shared {
    requests: Mutex<Vec<Request>>,
    /// Payloads the bot sent over the gateway (IDENTIFY, RESUME, heartbeats, closes).
    gateway_log: Mutex<Vec<Value>>,
    shards: Vec<Shard>,
    connections: AtomicU64,
    sessions: Mutex<Vec<Session>>,
    /// Connections that have ended, by number.
    ended: Mutex<std::collections::BTreeSet<u64>>,
    deliveries: Mutex<Vec<Delivery>>,
    watchers: Mutex<Vec<mpsc::UnboundedSender<Request>>>,
    next_id: AtomicU64,
    gateway_url: String,
    options: Options,
    faults: Mutex<Faults>,
}

pub struct FakeDiscord {
    /// What `DISCORD_API_BASE` is set to.
    pub api_base: String,
    pub gateway_url: String,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        FakeDiscord::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> FakeDiscord {
        init_tracing();
        let rest = TcpListener::bind("127.0.0.1:0").await.expect("bind REST");
        let gateway = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind gateway");
        let api_base = format!("http://{}", rest.local_addr().unwrap());
        let gateway_url = format!("ws://{}", gateway.local_addr().unwrap());
        assert!(options.shard_count >= 1, "a gateway has at least one shard");
        let shards = (0..options.shard_count)
            .map(|_| {
                let (to_gateway, outgoing) = mpsc::unbounded_channel();
                Shard {
                    to_gateway,
                    outgoing: tokio::sync::Mutex::new(outgoing),
                    sequence: AtomicU64::new(0),
                }
            })
            .collect();
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            gateway_log: Mutex::new(Vec::new()),
            shards,
            connections: AtomicU64::new(0),
            sessions: Mutex::new(Vec::new()),
            ended: Mutex::new(Default::default()),
            deliveries: Mutex::new(Vec::new()),
            watchers: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(1_000),
            gateway_url: gateway_url.clone(),
            options,
            faults: Mutex::new(Faults::default()),
        });
        let app = Router::new().fallback(rest_call).with_state(shared.clone());
        let rest_task = tokio::spawn(async move {
            axum::serve(rest, app).await.expect("REST server");
        });
        let gateway_shared = shared.clone();
        let gateway_task = tokio::spawn(async move {
            while let Ok((stream, _)) = gateway.accept().await {
                // Nagle's algorithm would hold a dispatch sent right after READY or RESUMED
                // until the bot's delayed ACK of that frame (40 ms on Linux): every "first
                // answer" measured 40 ms for that reason alone (issue 12). Off, unless asked.
                let _ = stream.set_nodelay(!gateway_shared.options.gateway_nagle);
                let connection = gateway_shared.connections.fetch_add(1, Ordering::SeqCst) + 1;
                let shared = gateway_shared.clone();
                tokio::spawn(async move {
                    gateway_connection(stream, shared.clone(), connection).await;
                    shared.ended.lock().unwrap().insert(connection);
                });
            }
        });
        FakeDiscord {
            api_base,
            gateway_url,
            shared,
            tasks: vec![rest_task, gateway_task],
        }
    }

    /// A snowflake no other object in this fake has.
    pub fn next_id(&self) -> u64 {
        self.shared.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// Sends a gateway dispatch (`t` = `event`) to the bot, on the shard that owns its server
    /// (`data.guild_id`; shard 0 without one), now or as soon as that shard is connected.
    pub fn dispatch(&self, event: &str, data: Value) {
        let shard = self.shard_of(&data);
        self.send_to(
            shard,
            Outgoing::Dispatch {
                event: event.to_string(),
                data,
            },
        );
    }

    /// The shard an event about `data` goes to.
    pub fn shard_of(&self, data: &Value) -> u32 {
        let guild = data["guild_id"]
            .as_str()
            .and_then(|id| id.parse::<u64>().ok());
        match guild {
            Some(guild) => fixtures::shard_of_guild(guild, self.shard_count()),
            None => 0,
        }
    }

    pub fn shard_count(&self) -> u32 {
        self.shared.options.shard_count
    }

    fn send_to(&self, shard: u32, outgoing: Outgoing) {
        let _ = self.shared.shards[shard as usize].to_gateway.send(outgoing);
    }

    /// Closes the live gateway connection (shard 0's) with `code`, as Discord does.
    pub fn close_gateway(&self, code: u16) {
        self.close_shard(0, code);
    }

    /// Closes shard `shard`'s live connection with `code`.
    pub fn close_shard(&self, shard: u32, code: u16) {
        self.send_to(shard, Outgoing::Close(code));
    }

    /// Ends the live gateway connection's (shard 0's) TCP stream without a close frame.
    pub fn drop_gateway(&self) {
        self.drop_shard(0);
    }

    /// Ends shard `shard`'s live connection without a close frame.
    pub fn drop_shard(&self, shard: u32) {
        self.send_to(shard, Outgoing::Drop);
    }

    /// The live gateway connection (shard 0's) stops answering heartbeats (later connections
    /// answer them).
    pub fn stop_acknowledging_heartbeats(&self) {
        self.send_to(0, Outgoing::SilenceHeartbeats);
    }

    /// Every dispatch sent so far, in order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.deliveries.lock().unwrap().clone()
    }

    /// Where the dispatch of the object with `id` (an interaction) went, if it was sent.
    pub fn delivery_of(&self, id: u64) -> Option<Delivery> {
        self.shared
            .deliveries
            .lock()
            .unwrap()
            .iter()
            .find(|delivery| delivery.id == Some(id))
            .cloned()
    }

    /// Every IDENTIFY and RESUME so far, with the connection and shard.
    pub fn sessions(&self) -> Vec<Session> {
        self.shared.sessions.lock().unwrap().clone()
    }

    /// Waits, up to [`WAIT`], until each of `shards` has a session (IDENTIFY answered with
    /// READY) on a connection after the first `after` connections; returns those connections,
    /// one per shard.
    pub async fn wait_for_shards(
        &self,
        shards: std::ops::RangeInclusive<u32>,
        after: u64,
    ) -> Vec<u64> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let sessions = self.sessions();
            let found: Vec<u64> = shards
                .clone()
                .filter_map(|shard| {
                    sessions
                        .iter()
                        .rev()
                        .find(|s| s.shard == shard && s.connection > after)
                        .map(|s| s.connection)
                })
                .collect();
            if found.len() == shards.clone().count() {
                return found;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for shards {shards:?} to identify; sessions: {sessions:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits, up to [`WAIT`], until every one of `connections` has ended (its bot gone).
    pub async fn wait_for_connections_to_end(&self, connections: &std::collections::BTreeSet<u64>) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !connections.is_subset(&self.shared.ended.lock().unwrap()) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "connections {connections:?} did not end"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// How many gateway connections the fake has accepted.
    pub fn connection_count(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Every REST call from now on, as it arrives (recorded as [`Self::requests`] records it).
    pub fn watch_requests(&self) -> mpsc::UnboundedReceiver<Request> {
        let (sender, receiver) = mpsc::unbounded_channel();
        self.shared.watchers.lock().unwrap().push(sender);
        receiver
    }

    /// The next call on `route` is answered with `failure` (armed twice, the next two, ...).
    pub fn fail_next(&self, route: Route, failure: Failure) {
        self.shared
            .faults
            .lock()
            .unwrap()
            .failures
            .push((route, failure));
    }

    /// Calls on `route` wait for their response until the returned [`Hold`] is released.
    pub fn hold(&self, route: Route) -> Hold {
        let (released, receiver) = watch::channel(false);
        self.shared
            .faults
            .lock()
            .unwrap()
            .holds
            .push((route, receiver));
        Hold { released }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub fn gateway_log(&self) -> Vec<Value> {
        self.shared.gateway_log.lock().unwrap().clone()
    }

    /// The first recorded REST call matching `wanted`, waiting up to [`WAIT`]. On timeout the
    /// test fails with every call that was made, which is usually enough to see why.
    pub async fn wait_for_request(&self, what: &str, wanted: impl Fn(&Request) -> bool) -> Request {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(found) = self.requests().into_iter().find(|r| wanted(r)) {
                return found;
            }
            if tokio::time::Instant::now() > deadline {
                let seen: Vec<String> = self
                    .requests()
                    .iter()
                    .map(|r| format!("{} {} {}", r.method, r.path, r.body))
                    .collect();
                panic!(
                    "timed out waiting for {what}; REST calls so far:\n{}",
                    seen.join("\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The bot's command registration (a bulk overwrite), waiting up to [`WAIT`]: the bot is
    /// connected and ready once it has made it.
    pub async fn wait_for_registration(&self) -> Request {
        self.wait_for_request("command registration", |r| r.method == "PUT")
            .await
    }

    /// The first gateway payload from the bot with opcode `op`, waiting up to [`WAIT`].
    pub async fn wait_for_gateway_op(&self, op: u64, after: usize) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let log = self.gateway_log();
            if let Some(found) = log.iter().skip(after).find(|p| p["op"] == op) {
                return found.clone();
            }
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for gateway op {op}; the bot sent: {log:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The first close frame the bot sent, waiting up to [`WAIT`].
    pub async fn wait_for_gateway_close(&self) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let log = self.gateway_log();
            if let Some(found) = log.iter().find(|p| p.get("close").is_some()) {
                return found.clone();
            }
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for a close frame; the bot sent: {log:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The callback the bot made for interaction `id`/`token`.
    pub async fn interaction_response(&self, id: u64, token: &str) -> Value {
        let path = format!("/api/v10/interactions/{id}/{token}/callback");
        self.wait_for_request(&format!("the response to interaction {id}"), |r| {
            r.path == path
        })
        .await
        .body
    }

    /// A follow-up message the bot sent for the interaction with `token` (after deferring).
    pub async fn followup(&self, token: &str) -> Value {
        let path = format!("/api/v10/webhooks/{APP_ID}/{token}");
        self.wait_for_request(&format!("a follow-up for {token}"), |r| {
            r.method == "POST" && r.path == path
        })
        .await
        .body
    }

    /// The reply the bot posted to message `message_id`.
    pub async fn reply_to(&self, message_id: u64) -> Value {
        self.wait_for_request(&format!("a reply to message {message_id}"), |r| {
            is_reply_to(r, message_id)
        })
        .await
        .body
    }

    pub fn replies_to(&self, message_id: u64) -> usize {
        self.requests()
            .iter()
            .filter(|r| is_reply_to(r, message_id))
            .count()
    }
}

fn is_reply_to(request: &Request, message_id: u64) -> bool {
    request.method == "POST"
        && request.path.starts_with("/api/v10/channels/")
        && request.path.ends_with("/messages")
        && request.body["message_reference"]["message_id"].as_str() == Some(&message_id.to_string())
}

/// Test output shows serenity's and poise's warnings (a payload they could not read shows up
/// here, not as an error). `RUST_LOG` overrides. The same lines, at the default level whatever
/// `RUST_LOG` says, are also kept for [`logs`].
pub fn init_tracing() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{fmt, EnvFilter, Layer};

    let shown = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG));
    let _ = tracing_subscriber::registry()
        .with(fmt::layer().with_test_writer().with_filter(shown))
        .with(
            fmt::layer()
                .with_ansi(false)
                .with_writer(|| Captured)
                .with_filter(EnvFilter::new(DEFAULT_LOG)),
        )
        .try_init();
}

const DEFAULT_LOG: &str = "warn,talkbot=info";

static LOGS: Mutex<String> = Mutex::new(String::new());

/// Everything logged so far in this test binary at `talkbot=info`, `warn` for the rest. Tests
/// run in parallel and share it: look for a line that names something only your test uses.
pub fn logs() -> String {
    LOGS.lock().unwrap().clone()
}

/// The first line of [`logs`] that contains every one of `parts`, waiting up to [`WAIT`].
pub async fn wait_for_log(parts: &[&str]) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(line) = logs()
            .lines()
            .find(|line| parts.iter().all(|part| line.contains(part)))
        {
            return line.to_string();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for a log line with {parts:?}; logged:\n{}",
            logs()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

struct Captured;

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGS.lock()
            .unwrap()
            .push_str(&String::from_utf8_lossy(bytes));
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn rest_call(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = std::time::Instant::now();
    let path = uri.path().to_string();
    let parts: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let (failure, holds) = shared.faults.lock().unwrap().take(method.as_str(), &parts);
    let mut request = Request {
        method: method.to_string(),
        path: path.clone(),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        status: 0,
        at,
    };
    let response = match failure {
        Some(failure) => failure.response(),
        None if shared.options.reject_token => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "401: Unauthorized", "code": 0})),
        )
            .into_response(),
        None if shared.options.odd_echo
            && Route::ChannelMessage.matches(method.as_str(), &parts) =>
        {
            let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
            Json(json!({"id": id.to_string(), "content": null})).into_response()
        }
        None => answer(&shared, &method, &path, &parts, &request.body),
    };
    request.status = response.status().as_u16();
    shared
        .watchers
        .lock()
        .unwrap()
        .retain(|watcher| watcher.send(request.clone()).is_ok());
    shared.requests.lock().unwrap().push(request);
    for mut released in holds {
        // Bounded like every wait here; a dropped `Hold` counts as released.
        let _ = tokio::time::timeout(WAIT, released.wait_for(|released| *released)).await;
    }
    response
}

/// What Discord answers to a call that no fault is aimed at.
fn answer(shared: &Shared, method: &Method, path: &str, parts: &[&str], body: &Value) -> Response {
    match (method.as_str(), parts) {
        ("GET", ["gateway"]) => Json(json!({ "url": shared.gateway_url })).into_response(),
        ("GET", ["gateway", "bot"]) => Json(json!({
            "url": shared.gateway_url,
            "shards": shared.options.shard_count,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        }))
        .into_response(),
        ("GET", ["oauth2", "applications", "@me"]) => Json(fixtures::application()).into_response(),
        ("PUT", ["applications", _, "commands"]) => Json(registered(shared, body, None)).into_response(),
        ("PUT", ["applications", _, "guilds", guild, "commands"]) => {
            Json(registered(shared, body, Some(guild))).into_response()
        }
        ("POST", ["interactions", _, _, "callback"]) => StatusCode::NO_CONTENT.into_response(),
        ("POST", ["webhooks", _, _]) | ("PATCH", ["webhooks", _, _, "messages", _]) | ("GET", ["webhooks", _, _, "messages", _]) => {
            let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
            Json(fixtures::sent_message(id, fixtures::CHANNEL_ID, body)).into_response()
        }
        ("POST", ["channels", channel, "messages"]) => {
            let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
            let channel = channel.parse().unwrap_or(fixtures::CHANNEL_ID);
            Json(fixtures::sent_message(id, channel, body)).into_response()
        }
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"message": format!("the fake Discord has no {method} {path}"), "code": 0})),
        )
            .into_response(),
    }
}

/// What Discord answers to a bulk overwrite: the commands as sent, with ids added.
fn registered(shared: &Shared, body: &Value, guild: Option<&str>) -> Value {
    let commands = body.as_array().cloned().unwrap_or_default();
    Value::Array(
        commands
            .into_iter()
            .map(|mut command| {
                let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
                command["id"] = json!(id.to_string());
                command["application_id"] = json!(APP_ID.to_string());
                command["version"] = json!(id.to_string());
                if command.get("type").is_none() {
                    command["type"] = json!(1);
                }
                if let Some(guild) = guild {
                    command["guild_id"] = json!(guild);
                }
                command
            })
            .collect(),
    )
}

async fn gateway_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>, connection: u64) {
    let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut source) = socket.split();
    let interval = shared.options.heartbeat_interval.as_millis() as u64;
    let hello = json!({"op": 10, "d": {"heartbeat_interval": interval}, "s": null, "t": null});
    if sink.send(WsMessage::Text(hello.to_string())).await.is_err() {
        return;
    }
    // Until the bot identifies or resumes, no event may reach it.
    let count = shared.options.shard_count;
    let shard = loop {
        let Some(Ok(message)) = source.next().await else {
            return;
        };
        let Some(payload) = record(&shared, &message) else {
            continue;
        };
        let (shard, resumed) = match payload["op"].as_u64() {
            Some(1) => {
                let ack = json!({"op": 11}).to_string();
                if sink.send(WsMessage::Text(ack)).await.is_err() {
                    return;
                }
                continue;
            }
            Some(2) => {
                let asked = &payload["d"]["shard"];
                let id = asked[0].as_u64().unwrap_or(0);
                let total = asked[1].as_u64().unwrap_or(1);
                if total != count as u64 || id >= total {
                    // What Discord does with a shard it cannot serve: 4010, Invalid shard.
                    let frame = CloseFrame {
                        code: CloseCode::from(4010),
                        reason: "Invalid shard".into(),
                    };
                    let _ = sink.send(WsMessage::Close(Some(frame))).await;
                    let _ = sink.close().await;
                    return;
                }
                (id as u32, false)
            }
            Some(6) => {
                let session = payload["d"]["session_id"].as_str().unwrap_or_default();
                let shard = fixtures::shard_of_session(session).filter(|shard| *shard < count);
                (shard.unwrap_or(0), true)
            }
            _ => continue,
        };
        let state = &shared.shards[shard as usize];
        let reply = if resumed {
            dispatch(state, "RESUMED", json!({}))
        } else {
            // A new session numbers its events from 1 again, as Discord's do.
            state.sequence.store(0, Ordering::SeqCst);
            let ready = fixtures::ready_on(&shared.gateway_url, shard, count);
            dispatch(state, "READY", ready)
        };
        if sink.send(WsMessage::Text(reply.to_string())).await.is_err() {
            return;
        }
        shared.sessions.lock().unwrap().push(Session {
            connection,
            shard,
            resumed,
        });
        break shard;
    };
    let state = &shared.shards[shard as usize];
    let mut outgoing = state.outgoing.lock().await;
    let mut acknowledging = true;
    loop {
        tokio::select! {
            incoming = source.next() => {
                let Some(Ok(message)) = incoming else { return };
                let payload = record(&shared, &message);
                if matches!(message, WsMessage::Close(_)) {
                    // Echo the close as Discord does; serenity waits for it.
                    let _ = sink.close().await;
                    return;
                }
                if let Some(payload) = payload {
                    if payload["op"] == 1 && acknowledging {
                        let ack = json!({"op": 11}).to_string();
                        if sink.send(WsMessage::Text(ack)).await.is_err() {
                            return;
                        }
                    }
                }
            }
            next = outgoing.recv() => {
                let Some(next) = next else { return };
                match next {
                    Outgoing::Dispatch { event, data } => {
                        let id = data["id"].as_str().and_then(|id| id.parse().ok());
                        let payload = dispatch(state, &event, data).to_string();
                        let at = std::time::Instant::now();
                        if sink.send(WsMessage::Text(payload)).await.is_err() {
                            return;
                        }
                        shared.deliveries.lock().unwrap().push(Delivery {
                            shard,
                            connection,
                            event,
                            id,
                            at,
                        });
                    }
                    Outgoing::Close(code) => {
                        let frame = CloseFrame { code: CloseCode::from(code), reason: "".into() };
                        let _ = sink.send(WsMessage::Close(Some(frame))).await;
                        let _ = sink.close().await;
                        return;
                    }
                    // Returning drops both halves of the socket: the TCP stream ends, no frame.
                    Outgoing::Drop => return,
                    Outgoing::SilenceHeartbeats => acknowledging = false,
                }
            }
        }
    }
}

fn dispatch(shard: &Shard, event: &str, data: Value) -> Value {
    let sequence = shard.sequence.fetch_add(1, Ordering::SeqCst) + 1;
    json!({"op": 0, "t": event, "s": sequence, "d": data})
}

fn record(shared: &Shared, message: &WsMessage) -> Option<Value> {
    let payload: Value = match message {
        WsMessage::Text(text) => serde_json::from_str(text).ok()?,
        WsMessage::Binary(bytes) => serde_json::from_slice(bytes).ok()?,
        WsMessage::Close(frame) => json!({"close": frame.as_ref().map(|f| u16::from(f.code))}),
        _ => return None,
    };
    shared.gateway_log.lock().unwrap().push(payload.clone());
    Some(payload)
}

/// The id the bot is known by, for `<@id>` mentions.
pub fn bot_mention() -> String {
    format!("<@{BOT_ID}>")
}
