//! A fake Discord on 127.0.0.1 for end-to-end tests: REST (axum) and the gateway WebSocket
//! (tokio-tungstenite), enough of both for the real serenity client to connect, register
//! commands, receive events and send replies. Every REST call is recorded for assertions.
//!
//! Fixtures must be complete: serenity turns a dispatch it cannot deserialize into
//! `Event::Unknown` without an error, and the bot then simply never reacts. [`fixtures`]
//! builds payloads with every field serenity 0.12.5 requires.

#![allow(dead_code)] // Each test binary uses a different part of the fake.

pub mod fixtures;
pub mod knowledge;

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
use tokio::sync::mpsc;
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
}

enum Outgoing {
    Dispatch { event: String, data: Value },
    Close(u16),
}

struct Shared {
    requests: Mutex<Vec<Request>>,
    /// Payloads the bot sent over the gateway (IDENTIFY, RESUME, heartbeats, closes).
    gateway_log: Mutex<Vec<Value>>,
    /// Held by the connection that is live; events queue up while the bot reconnects.
    outgoing: tokio::sync::Mutex<mpsc::UnboundedReceiver<Outgoing>>,
    sequence: AtomicU64,
    next_id: AtomicU64,
    gateway_url: String,
}

pub struct FakeDiscord {
    /// What `DISCORD_API_BASE` is set to.
    pub api_base: String,
    pub gateway_url: String,
    shared: Arc<Shared>,
    to_gateway: mpsc::UnboundedSender<Outgoing>,
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
        init_tracing();
        let rest = TcpListener::bind("127.0.0.1:0").await.expect("bind REST");
        let gateway = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind gateway");
        let api_base = format!("http://{}", rest.local_addr().unwrap());
        let gateway_url = format!("ws://{}", gateway.local_addr().unwrap());
        let (to_gateway, outgoing) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            gateway_log: Mutex::new(Vec::new()),
            outgoing: tokio::sync::Mutex::new(outgoing),
            sequence: AtomicU64::new(0),
            next_id: AtomicU64::new(1_000),
            gateway_url: gateway_url.clone(),
        });
        let app = Router::new().fallback(rest_call).with_state(shared.clone());
        let rest_task = tokio::spawn(async move {
            axum::serve(rest, app).await.expect("REST server");
        });
        let gateway_shared = shared.clone();
        let gateway_task = tokio::spawn(async move {
            while let Ok((stream, _)) = gateway.accept().await {
                tokio::spawn(gateway_connection(stream, gateway_shared.clone()));
            }
        });
        FakeDiscord {
            api_base,
            gateway_url,
            shared,
            to_gateway,
            tasks: vec![rest_task, gateway_task],
        }
    }

    /// A snowflake no other object in this fake has.
    pub fn next_id(&self) -> u64 {
        self.shared.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// Sends a gateway dispatch (`t` = `event`) to the bot, now or as soon as it is connected.
    pub fn dispatch(&self, event: &str, data: Value) {
        let _ = self.to_gateway.send(Outgoing::Dispatch {
            event: event.to_string(),
            data,
        });
    }

    /// Closes the live gateway connection with `code`, as Discord does.
    pub fn close_gateway(&self, code: u16) {
        let _ = self.to_gateway.send(Outgoing::Close(code));
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
/// here, not as an error). `RUST_LOG` overrides.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,talkbot=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

async fn rest_call(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let request = Request {
        method: method.to_string(),
        path: path.clone(),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    };
    shared.requests.lock().unwrap().push(request.clone());
    let parts: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["gateway"]) => Json(json!({ "url": shared.gateway_url })).into_response(),
        ("GET", ["gateway", "bot"]) => Json(json!({
            "url": shared.gateway_url,
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        }))
        .into_response(),
        ("GET", ["oauth2", "applications", "@me"]) => Json(fixtures::application()).into_response(),
        ("PUT", ["applications", _, "commands"]) => Json(registered(&shared, &request.body, None)).into_response(),
        ("PUT", ["applications", _, "guilds", guild, "commands"]) => {
            Json(registered(&shared, &request.body, Some(guild))).into_response()
        }
        ("POST", ["interactions", _, _, "callback"]) => StatusCode::NO_CONTENT.into_response(),
        ("POST", ["webhooks", _, _]) | ("PATCH", ["webhooks", _, _, "messages", _]) | ("GET", ["webhooks", _, _, "messages", _]) => {
            let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
            Json(fixtures::sent_message(id, fixtures::CHANNEL_ID, &request.body)).into_response()
        }
        ("POST", ["channels", channel, "messages"]) => {
            let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
            let channel = channel.parse().unwrap_or(fixtures::CHANNEL_ID);
            Json(fixtures::sent_message(id, channel, &request.body)).into_response()
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

async fn gateway_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut source) = socket.split();
    // A long interval keeps heartbeats out of the way; they are still answered.
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}, "s": null, "t": null});
    if sink.send(WsMessage::Text(hello.to_string())).await.is_err() {
        return;
    }
    // Until the bot identifies or resumes, no event may reach it.
    loop {
        let Some(Ok(message)) = source.next().await else {
            return;
        };
        let Some(payload) = record(&shared, &message) else {
            continue;
        };
        let reply = match payload["op"].as_u64() {
            Some(1) => json!({"op": 11}),
            Some(2) => dispatch(&shared, "READY", fixtures::ready(&shared.gateway_url)),
            Some(6) => dispatch(&shared, "RESUMED", json!({})),
            _ => continue,
        };
        if sink.send(WsMessage::Text(reply.to_string())).await.is_err() {
            return;
        }
        if payload["op"] == 2 || payload["op"] == 6 {
            break;
        }
    }
    let mut outgoing = shared.outgoing.lock().await;
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
                    if payload["op"] == 1 {
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
                        let payload = dispatch(&shared, &event, data).to_string();
                        if sink.send(WsMessage::Text(payload)).await.is_err() {
                            return;
                        }
                    }
                    Outgoing::Close(code) => {
                        let frame = CloseFrame { code: CloseCode::from(code), reason: "".into() };
                        let _ = sink.send(WsMessage::Close(Some(frame))).await;
                        let _ = sink.close().await;
                        return;
                    }
                }
            }
        }
    }
}

fn dispatch(shared: &Shared, event: &str, data: Value) -> Value {
    let sequence = shared.sequence.fetch_add(1, Ordering::SeqCst) + 1;
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
