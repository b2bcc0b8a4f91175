//! "Ask talkbot" on any message and the user-installable app, through the fake Discord and the
//! real serenity client: the registration payload (a message command, type 3; where each
//! command may be installed and used), the private answer to a message's text, and the button
//! that posts it to the channel.

mod fake_discord;

use serde_json::{json, Value};

use fake_discord::fixtures::{self, CHANNEL_ID, CHANNEL_MESSAGE, EPHEMERAL};
use fake_discord::harness::start_bot;
use fake_discord::members::{buttons, member};
use fake_discord::{knowledge, FakeDiscord};
use talkbot::discord::ASK_TALKBOT;

/// `member` picks Apps → Ask talkbot on a message saying `text`; the bot's response.
async fn ask_talkbot(fake: &FakeDiscord, text: &str, member: Value) -> Value {
    let id = fake.next_id();
    let token = format!("token-{id}");
    let target = fixtures::message(
        fake.next_id(),
        CHANNEL_ID,
        fixtures::user(30, "someone", false),
        text,
        json!([]),
    );
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::message_command(id, &token, ASK_TALKBOT, target, member),
    );
    fake.interaction_response(id, &token).await
}

fn command<'a>(commands: &'a [Value], name: &str) -> &'a Value {
    commands
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not registered"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_talkbot_is_a_message_command_and_the_public_commands_go_everywhere() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let put = fake.wait_for_registration().await;
    let commands = put.body.as_array().unwrap();
    let menu = command(commands, ASK_TALKBOT);
    assert_eq!(menu["type"], 3, "a message context-menu command: {menu}");
    assert!(menu
        .get("options")
        .is_none_or(|o| o.as_array().unwrap().is_empty()));
    // Guild and user installs (0, 1); servers, the bot's DM and private channels (0, 1, 2).
    for name in ["ask", "source", "facts", "help", ASK_TALKBOT] {
        let registered = command(commands, name);
        assert_eq!(
            registered["integration_types"],
            json!([0, 1]),
            "{registered}"
        );
        assert_eq!(registered["contexts"], json!([0, 1, 2]), "{registered}");
    }
    for name in ["refresh", "unanswered", "feedback", "teach"] {
        let registered = command(commands, name);
        assert_eq!(registered["integration_types"], json!([0]), "{registered}");
        assert_eq!(registered["contexts"], json!([0]), "{registered}");
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_is_answered_privately_with_a_button_that_posts_it() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let response = ask_talkbot(&fake, "Apparently they agreed a prisoner exchange", member(20)).await;
    assert_eq!(response["type"], CHANNEL_MESSAGE);
    let data = &response["data"];
    assert_eq!(
        data["flags"].as_u64().unwrap() & EPHEMERAL,
        EPHEMERAL,
        "private: {data}"
    );
    let embed = &data["embeds"][0];
    assert!(
        embed["fields"][0]["value"]
            .as_str()
            .unwrap()
            .contains("agreed to exchange two hundred prisoners"),
        "{embed}"
    );
    let offered = buttons(data);
    let post = offered
        .iter()
        .find(|b| b["label"] == "Post to channel")
        .unwrap_or_else(|| panic!("no post button: {data}"));

    // The member clicks it on the private message, which Discord sends with the click.
    let id = fake.next_id();
    let token = format!("token-{id}");
    let mut shown = fixtures::message(
        fake.next_id(),
        CHANNEL_ID,
        fixtures::bot_user(),
        "",
        json!([]),
    );
    shown["embeds"] = data["embeds"].clone();
    shown["components"] = data["components"].clone();
    shown["flags"] = json!(EPHEMERAL);
    fake.dispatch(
        "INTERACTION_CREATE",
        fixtures::click(
            id,
            &token,
            post["custom_id"].as_str().unwrap(),
            shown,
            member(20),
        ),
    );
    let posted = fake.interaction_response(id, &token).await;
    assert_eq!(posted["type"], CHANNEL_MESSAGE);
    assert_eq!(
        posted["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0,
        "posted for everyone: {posted}"
    );
    assert_eq!(posted["data"]["embeds"][0]["title"], embed["title"]);
    assert_eq!(posted["data"]["embeds"][0]["fields"], embed["fields"]);
    assert_eq!(posted["data"]["allowed_mentions"]["parse"], json!([]));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_the_base_has_nothing_on_says_so() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let response = ask_talkbot(&fake, "The moon landing was faked", member(20)).await;
    let data = &response["data"];
    assert_eq!(data["flags"].as_u64().unwrap() & EPHEMERAL, EPHEMERAL);
    assert!(
        data["content"]
            .as_str()
            .unwrap()
            .starts_with("The fact base has nothing on this."),
        "{data}"
    );
    let empty = ask_talkbot(&fake, "", member(20)).await;
    assert_eq!(
        empty["data"]["content"],
        "That message has no text to ask about."
    );
    bot.stop().await;
}
