//! "Ask talkbot" on any message and the user-installable app, through the fake Discord and the
//! real serenity client: the registration payload (a message command, type 3; where each
//! command may be installed and used), the private answer to a message's text, and the button
//! that posts it to the channel; command texts in Ukrainian and Russian, and the fixed texts of
//! replies in the member's language (the server's, for a mention).

mod fake_discord;

use serde_json::{json, Value};

use fake_discord::fixtures::{self, CHANNEL_ID, CHANNEL_MESSAGE, EPHEMERAL};
use fake_discord::harness::start_bot;
use fake_discord::members::{buttons, member};
use fake_discord::{knowledge, wait_for_log, FakeDiscord};
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
    // Discord's echo of the commands was read back: the message command is one serenity reads.
    wait_for_log(&["commands registered in the server"]).await;
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

    let response = ask_talkbot(
        &fake,
        "Apparently they agreed a prisoner exchange",
        member(20),
    )
    .await;
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

/// `/COMMAND` with `options` from a member whose Discord is set to `locale`.
async fn slash_in(fake: &FakeDiscord, locale: &str, command: &str, options: Value) -> Value {
    let id = fake.next_id();
    let token = format!("token-{id}");
    let mut payload = fixtures::slash(id, &token, command, options, member(20));
    payload["locale"] = json!(locale);
    fake.dispatch("INTERACTION_CREATE", payload);
    fake.interaction_response(id, &token).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_with_ukrainian_and_russian_names_and_descriptions() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let put = fake.wait_for_registration().await;
    let commands = put.body.as_array().unwrap();
    let ask = command(commands, "ask");
    assert_eq!(
        ask["name_localizations"],
        json!({"uk": "запитати", "ru": "спросить"})
    );
    assert!(ask["description_localizations"]["uk"]
        .as_str()
        .unwrap()
        .starts_with("Запитайте"));
    assert!(ask["description_localizations"]["ru"]
        .as_str()
        .unwrap()
        .starts_with("Спросите"));
    assert_eq!(
        ask["options"][0]["name_localizations"],
        json!({"uk": "запитання", "ru": "вопрос"})
    );
    assert!(ask["options"][0]["description_localizations"]["uk"].is_string());
    assert_eq!(
        command(commands, ASK_TALKBOT)["name_localizations"],
        json!({"uk": "Запитати talkbot", "ru": "Спросить talkbot"})
    );
    // Every slash command and every option is localized in both languages.
    for registered in commands.iter().filter(|c| c["type"] == 1) {
        for locale in ["uk", "ru"] {
            assert!(
                registered["name_localizations"][locale].is_string(),
                "{registered}"
            );
            assert!(
                registered["description_localizations"][locale].is_string(),
                "{registered}"
            );
            for option in registered["options"].as_array().into_iter().flatten() {
                assert!(option["name_localizations"][locale].is_string(), "{option}");
                assert!(
                    option["description_localizations"][locale].is_string(),
                    "{option}"
                );
            }
        }
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ukrainian_member_gets_the_fixed_texts_in_ukrainian_and_the_quotes_as_published() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let question = |q: &str| json!([{"type": 3, "name": "question", "value": q}]);
    let refusal = slash_in(&fake, "uk", "ask", question("Who was the interpreter?")).await;
    let content = refusal["data"]["content"].as_str().unwrap();
    assert!(
        content.starts_with("Я не маю відповіді на це, підтвердженої джерелом"),
        "{content}"
    );
    assert!(content.contains("Можна запитати"), "{content}");
    // Suggestions are the base's questions: as written.
    for button in buttons(&refusal["data"]) {
        assert!(button["label"].as_str().unwrap().is_ascii(), "{button}");
    }

    let answer = slash_in(
        &fake,
        "uk",
        "ask",
        question("Was there a prisoner exchange?"),
    )
    .await;
    let data = &answer["data"];
    let labels: Vec<String> = buttons(data)
        .iter()
        .map(|b| b["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["👍 Корисно", "👎 Не корисно"]);
    let embed = &data["embeds"][0];
    assert!(embed["footer"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Впевненість 1.00"));
    assert!(
        embed["fields"][0]["value"]
            .as_str()
            .unwrap()
            .starts_with("> agreed to exchange two hundred prisoners"),
        "the quote stays as published: {embed}"
    );

    let help = slash_in(&fake, "ru", "help", json!([])).await;
    assert!(help["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("talkbot: ответы с источниками"));
    let english = slash_in(&fake, "en-GB", "ask", question("Who was the interpreter?")).await;
    assert!(english["data"]["content"]
        .as_str()
        .unwrap()
        .starts_with("I have no sourced answer"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_in_a_server_whose_language_is_russian_is_answered_in_russian() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    // The server as GUILD_CREATE describes it, with only what serenity requires.
    fake.dispatch(
        "GUILD_CREATE",
        json!({
            "id": fixtures::GUILD_ID.to_string(), "name": "test", "owner_id": "1",
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "roles": [], "emojis": [], "features": [],
            "mfa_level": 0, "system_channel_flags": 0, "premium_tier": 0,
            "preferred_locale": "ru", "nsfw_level": 0, "stickers": [],
            "premium_progress_bar_enabled": false, "joined_at": "2026-01-01T00:00:00.000000+00:00",
            "large": false, "member_count": 1, "voice_states": [], "members": [],
            "channels": [], "threads": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [],
        }),
    );
    let id = fake_discord::members::mention(
        &fake,
        fixtures::user(20, "asker", false),
        "Who was the interpreter?",
    );
    let reply = fake.reply_to(id).await;
    let content = reply["content"].as_str().unwrap();
    assert!(
        content.starts_with("У меня нет ответа на это, подтверждённого источником"),
        "{content}"
    );
    bot.stop().await;
}
