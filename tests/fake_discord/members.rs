//! What members do, sent to the bot as Discord delivers it: slash commands, autocomplete,
//! button clicks, mentions and direct messages. Every id comes from [`FakeDiscord::next_id`],
//! and an interaction's token is `token-{id}`. The functions that wait return the bot's
//! response; the `send_` ones return at once, for tests that hold or fail the response.

use serde_json::{json, Value};

use super::fixtures::{self, CHANNEL_ID, MEMBER};
use super::{bot_mention, FakeDiscord};

/// An ordinary member: no Manage Server, no moderator role.
pub fn member(user_id: u64) -> Value {
    fixtures::member(user_id, &format!("member{user_id}"), MEMBER, &[])
}

/// Sends a slash command; returns the interaction's id and token.
pub fn send_slash(
    fake: &FakeDiscord,
    command: &str,
    options: Value,
    member: Value,
) -> (u64, String) {
    let id = fake.next_id();
    let token = format!("token-{id}");
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::slash(id, &token, command, options, member),
    );
    (id, token)
}

/// Sends a slash command; returns its token and the bot's interaction response.
pub async fn slash(
    fake: &FakeDiscord,
    command: &str,
    options: Value,
    member: Value,
) -> (String, Value) {
    let (id, token) = send_slash(fake, command, options, member);
    let response = fake.interaction_response(id, &token).await;
    (token, response)
}

/// Sends `/ask question` as member `user`; returns the interaction's id and token.
pub fn send_ask(fake: &FakeDiscord, user: u64, question: &str) -> (u64, String) {
    let options = json!([{"name": "question", "type": 3, "value": question}]);
    send_slash(fake, "ask", options, member(user))
}

/// Sends `/ask question` as member `user` in server `guild` (so on the shard that owns it);
/// returns the interaction's id and token.
pub fn send_ask_in(fake: &FakeDiscord, guild: u64, user: u64, question: &str) -> (u64, String) {
    let id = fake.next_id();
    let token = format!("token-{id}");
    let options = json!([{"name": "question", "type": 3, "value": question}]);
    let payload = fixtures::slash(id, &token, "ask", options, member(user));
    fake.dispatch("INTERACTION_CREATE", fixtures::in_guild(payload, guild));
    (id, token)
}

/// `/ask question` as member 7; the bot's interaction response.
pub async fn ask(fake: &FakeDiscord, question: &str) -> Value {
    let (id, token) = send_ask(fake, 7, question);
    fake.interaction_response(id, &token).await
}

/// `member` types `typed` into `option` of `command`; the bot's response (the choices).
pub async fn autocomplete(
    fake: &FakeDiscord,
    command: &str,
    option: &str,
    typed: &str,
    member: Value,
) -> Value {
    let id = fake.next_id();
    let token = format!("token-{id}");
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::autocomplete(id, &token, command, option, typed, member),
    );
    fake.interaction_response(id, &token).await
}

/// `member` clicks button `custom_id` on the bot's message whose data is `shown` (its
/// components come with the click, as Discord sends them); the bot's response.
pub async fn click(fake: &FakeDiscord, custom_id: &str, shown: &Value, member: Value) -> Value {
    let (id, token) = send_click(fake, custom_id, shown, member);
    fake.interaction_response(id, &token).await
}

/// Like [`click`], but returns the interaction's id and token at once.
pub fn send_click(
    fake: &FakeDiscord,
    custom_id: &str,
    shown: &Value,
    member: Value,
) -> (u64, String) {
    let id = fake.next_id();
    let token = format!("token-{id}");
    let mut message = fixtures::message(
        fake.next_id(),
        CHANNEL_ID,
        fixtures::bot_user(),
        "",
        json!([]),
    );
    message["components"] = shown["components"].clone();
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::click(id, &token, custom_id, message, member),
    );
    (id, token)
}

/// `author` mentions the bot in the test guild's channel, followed by `text`; returns the
/// message's id, for [`FakeDiscord::reply_to`].
pub fn mention(fake: &FakeDiscord, author: Value, text: &str) -> u64 {
    let id = fake.next_id();
    fake.dispatch(
        "MESSAGE_CREATE",
        fixtures::message_create(
            id,
            author,
            &format!("{} {text}", bot_mention()),
            json!([fixtures::bot_user()]),
            false,
        ),
    );
    id
}

/// `author` sends `text` to the bot in a direct message (no guild); returns the message's id.
pub fn direct_message(fake: &FakeDiscord, author: Value, text: &str) -> u64 {
    let id = fake.next_id();
    let mut message = fixtures::message(id, CHANNEL_ID + 1, author, text, json!([]));
    message.as_object_mut().unwrap().remove("guild_id");
    fake.dispatch("MESSAGE_CREATE", message);
    id
}

/// The buttons of a message's data, all rows together.
pub fn buttons(data: &Value) -> Vec<Value> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// `author` replies with `text` to the bot's message `answer` in the test guild's channel, as
/// Discord delivers a reply that pings the bot: the bot among the mentions, the message replied
/// to along with it, and no `<@bot>` in the text. Returns the reply's id.
pub fn reply_to_bot(fake: &FakeDiscord, author: Value, text: &str, answer: u64) -> u64 {
    let id = fake.next_id();
    let mut message =
        fixtures::message_create(id, author, text, json!([fixtures::bot_user()]), false);
    message["type"] = json!(19);
    message["message_reference"] = json!({
        "message_id": answer.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "guild_id": fixtures::GUILD_ID.to_string(),
    });
    message["referenced_message"] =
        fixtures::message(answer, CHANNEL_ID, fixtures::bot_user(), "", json!([]));
    fake.dispatch("MESSAGE_CREATE", message);
    id
}
