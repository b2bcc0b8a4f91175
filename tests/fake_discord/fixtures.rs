//! Gateway and REST payloads with every field serenity 0.12.5 needs to deserialize them. A
//! missing field does not fail loudly: the event silently becomes `Unknown`.

use serde_json::{json, Value};

pub const APP_ID: u64 = 100;
pub const BOT_ID: u64 = 100;
pub const GUILD_ID: u64 = 200;
pub const CHANNEL_ID: u64 = 300;
pub const MODERATOR_ROLE_ID: u64 = 400;
pub const SESSION_ID: &str = "fake-session";
pub const TIMESTAMP: &str = "2025-12-01T12:00:00.000000+00:00";

/// Interaction response types and message flags, as Discord numbers them.
pub const CHANNEL_MESSAGE: u64 = 4;
pub const DEFERRED_MESSAGE: u64 = 5;
pub const UPDATE_MESSAGE: u64 = 7;
pub const AUTOCOMPLETE_RESULT: u64 = 8;
pub const EPHEMERAL: u64 = 64;

/// Permission bits as Discord sends them (decimal strings).
pub const MANAGE_GUILD: &str = "32";
/// Send Messages, View Channel, Read Message History: an ordinary member.
pub const MEMBER: &str = "68608";

pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": null,
        "bot": bot,
    })
}

pub fn bot_user() -> Value {
    user(BOT_ID, "talkbot", true)
}

pub fn ready(gateway_url: &str) -> Value {
    json!({
        "v": 10,
        "user": {
            "id": BOT_ID.to_string(),
            "username": "talkbot",
            "discriminator": "0",
            "global_name": null,
            "avatar": null,
            "bot": true,
            "verified": true,
            "mfa_enabled": false,
            "flags": 0,
        },
        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
        "session_id": SESSION_ID,
        "resume_gateway_url": gateway_url,
        "shard": [0, 1],
        "application": {"id": APP_ID.to_string(), "flags": 0},
    })
}

pub fn application() -> Value {
    json!({
        "id": APP_ID.to_string(),
        "name": "talkbot",
        "icon": null,
        "description": "",
        "bot_public": true,
        "bot_require_code_grant": false,
        "verify_key": "",
        "flags": 0,
        "owner": user(1, "owner", false),
    })
}

/// A guild member as interactions carry it; `permissions` are their permissions in the channel.
pub fn member(user_id: u64, name: &str, permissions: &str, roles: &[u64]) -> Value {
    json!({
        "user": user(user_id, name, false),
        "nick": null,
        "avatar": null,
        "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "joined_at": TIMESTAMP,
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "permissions": permissions,
        "communication_disabled_until": null,
    })
}

fn interaction(id: u64, token: &str, kind: u8, data: Value, member: Value) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": data,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "member": member,
        "token": token,
        "version": 1,
        "app_permissions": "2147483647",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
        "context": 0,
        "attachment_size_limit": 10485760,
    })
}

/// A slash command invocation (`INTERACTION_CREATE`, type 2). `options` as Discord sends them:
/// `[{"name": "question", "type": 3, "value": "..."}]`.
pub fn slash(id: u64, token: &str, command: &str, options: Value, member: Value) -> Value {
    let data = json!({
        "id": (id + 1).to_string(),
        "name": command,
        "type": 1,
        "guild_id": GUILD_ID.to_string(),
        "options": options,
    });
    interaction(id, token, 2, data, member)
}

/// A message context-menu command ("Apps → NAME" on `target`, a message as [`message`] makes
/// it): an application command of type 3, the message in `resolved`.
pub fn message_command(id: u64, token: &str, name: &str, target: Value, member: Value) -> Value {
    let target_id = target["id"].clone();
    let data = json!({
        "id": (id + 1).to_string(),
        "name": name,
        "type": 3,
        "guild_id": GUILD_ID.to_string(),
        "target_id": target_id,
        "resolved": {"messages": {target_id.as_str().unwrap(): target}},
    });
    interaction(id, token, 2, data, member)
}

/// An autocomplete request (type 4) while `option` is being typed.
pub fn autocomplete(
    id: u64,
    token: &str,
    command: &str,
    option: &str,
    typed: &str,
    member: Value,
) -> Value {
    let data = json!({
        "id": (id + 1).to_string(),
        "name": command,
        "type": 1,
        "guild_id": GUILD_ID.to_string(),
        "options": [{"name": option, "type": 3, "value": typed, "focused": true}],
    });
    interaction(id, token, 4, data, member)
}

/// A click on button `custom_id` of the bot's message `message` (type 3).
pub fn click(id: u64, token: &str, custom_id: &str, message: Value, member: Value) -> Value {
    let mut payload = interaction(
        id,
        token,
        3,
        json!({"custom_id": custom_id, "component_type": 2}),
        member,
    );
    payload["message"] = message;
    payload
}

/// A message as the REST API returns it, and as clicks carry it.
pub fn message(id: u64, channel: u64, author: Value, content: &str, mentions: Value) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "author": author,
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": mentions,
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
        "components": [],
    })
}

/// What the fake answers to a message the bot posts. Embeds and components are not echoed:
/// tests read them from the recorded request instead.
pub fn sent_message(id: u64, channel: u64, body: &Value) -> Value {
    let content = body["content"].as_str().unwrap_or("");
    message(id, channel, bot_user(), content, json!([]))
}

/// `MESSAGE_CREATE` in the test guild. `mentions` lists users mentioned (the bot must be
/// there for a mention to count); `mention_everyone` is what Discord sets for `@everyone`.
pub fn message_create(
    id: u64,
    author: Value,
    content: &str,
    mentions: Value,
    mention_everyone: bool,
) -> Value {
    let mut payload = message(id, CHANNEL_ID, author, content, mentions);
    payload["guild_id"] = json!(GUILD_ID.to_string());
    payload["mention_everyone"] = json!(mention_everyone);
    payload
}
