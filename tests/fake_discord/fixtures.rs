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
    ready_on(gateway_url, 0, 1)
}

/// The session id of shard `shard`'s sessions: shard 0's is [`SESSION_ID`], so a bot with one
/// shard sees what it always did; RESUME names it, which is how the fake knows the shard.
pub fn session_id(shard: u32) -> String {
    match shard {
        0 => SESSION_ID.to_string(),
        shard => format!("{SESSION_ID}-{shard}"),
    }
}

/// The shard a session id belongs to (see [`session_id`]).
pub fn shard_of_session(session: &str) -> Option<u32> {
    match session.strip_prefix(SESSION_ID)? {
        "" => Some(0),
        rest => rest.strip_prefix('-')?.parse().ok(),
    }
}

/// A server whose events Discord sends on shard `shard` (of any count above it): its id
/// shifted right by 22 bits is `shard`.
pub fn guild_on_shard(shard: u32) -> u64 {
    ((shard as u64) << 22) | GUILD_ID
}

/// The shard that receives `guild`'s events when the bot runs `count` shards, as Discord
/// routes them.
pub fn shard_of_guild(guild: u64, count: u32) -> u32 {
    ((guild >> 22) % count as u64) as u32
}

/// `payload` (an interaction, a message) moved into server `guild`.
pub fn in_guild(mut payload: Value, guild: u64) -> Value {
    let guild = json!(guild.to_string());
    payload["guild_id"] = guild.clone();
    if payload["data"].get("guild_id").is_some() {
        payload["data"]["guild_id"] = guild.clone();
    }
    if payload.get("authorizing_integration_owners").is_some() {
        payload["authorizing_integration_owners"]["0"] = guild;
    }
    payload
}

/// READY for shard `shard` of `count`.
pub fn ready_on(gateway_url: &str, shard: u32, count: u32) -> Value {
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
        "guilds": [{"id": guild_on_shard(shard).to_string(), "unavailable": true}],
        "session_id": session_id(shard),
        "resume_gateway_url": gateway_url,
        "shard": [shard, count],
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
