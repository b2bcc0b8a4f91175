//! The Discord bot end to end: the real serenity client and poise framework, run exactly as
//! `talkbot serve` runs them (`talkbot::discord::run`), against a fake Discord on 127.0.0.1
//! (`fake_discord`). No token, no internet. Each test starts its own fake and its own bot.

mod fake_discord;

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};

use fake_discord::fixtures::{
    self, AUTOCOMPLETE_RESULT, BOT_ID, CHANNEL_ID, CHANNEL_MESSAGE, DEFERRED_MESSAGE, EPHEMERAL,
    GUILD_ID, MANAGE_GUILD, MEMBER, MODERATOR_ROLE_ID, UPDATE_MESSAGE,
};
use fake_discord::harness::{start_bot, TOKEN};
use fake_discord::members::{
    ask, autocomplete, buttons, click, direct_message, member, mention, slash,
};
use fake_discord::{knowledge, FakeDiscord};

fn field_values(embed: &Value) -> Vec<String> {
    embed["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["value"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The quote in a source field: the block-quoted first line.
fn quote_in(field_value: &str) -> String {
    field_value
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("> ")
        .to_string()
}

fn assert_no_pings(body: &Value) {
    let mentions = &body["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]), "allowed_mentions: {mentions}");
    assert_eq!(mentions["users"], json!([]), "allowed_mentions: {mentions}");
    assert_eq!(mentions["roles"], json!([]), "allowed_mentions: {mentions}");
    assert_eq!(
        mentions["replied_user"],
        json!(false),
        "allowed_mentions: {mentions}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_lists_every_command_with_its_options_and_permissions() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let put = fake.wait_for_registration().await;
    assert_eq!(
        put.path,
        format!(
            "/api/v10/applications/{}/guilds/{GUILD_ID}/commands",
            fixtures::APP_ID
        )
    );
    assert_eq!(put.authorization.as_deref(), Some("Bot test-token"));
    let commands = put.body.as_array().expect("an array of commands");
    let names: Vec<&str> = commands
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
    // Context-menu commands have no description; slash commands must.
    for command in commands.iter().filter(|c| c["type"] == 1) {
        let description = command["description"].as_str().unwrap();
        assert!(
            !description.is_empty() && description.chars().count() <= 100,
            "{command}"
        );
    }
    let ask = &commands[0];
    assert_eq!(ask["options"][0]["name"], "question");
    assert_eq!(ask["options"][0]["type"], 3);
    assert_eq!(ask["options"][0]["required"], true);
    assert_eq!(ask["options"][0]["autocomplete"], true);
    for moderators_only in &commands[3..7] {
        assert_eq!(moderators_only["default_member_permissions"], MANAGE_GUILD);
        assert_eq!(
            moderators_only["contexts"],
            json!([0]),
            "server channels only, never DMs"
        );
    }
    // Only the moderator commands are restricted at registration.
    assert!(commands[0]["default_member_permissions"].is_null());
    // Only GUILD_MESSAGES (1 << 9) and DIRECT_MESSAGES (1 << 12): no privileged intent.
    let identify = fake.wait_for_gateway_op(2, 0).await;
    assert_eq!(identify["d"]["intents"], (1 << 9) | (1 << 12));
    // Owners are not looked up: no extra call at start.
    assert!(!fake.requests().iter().any(|r| r.path.contains("oauth2")));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_answers_from_the_shipped_base_with_a_verbatim_quote() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let base = talkbot::knowledge::KnowledgeBase::load(&shipped).expect("the shipped base loads");
    let fake = FakeDiscord::start().await;
    let bot = start_bot(&fake, &shipped, &[]).await;

    let question = base.facts[0].questions[0].to_string();
    let response = ask(&fake, &question).await;
    assert_eq!(response["type"], CHANNEL_MESSAGE);
    let data = &response["data"];
    assert_eq!(
        data["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0,
        "answers are public"
    );
    assert_no_pings(data);
    let embed = &data["embeds"][0];
    assert_eq!(embed["title"], question.as_str());
    assert!(!embed["description"].as_str().unwrap().is_empty());
    // The source is named once, with its dates, under the statements; each quote is a field.
    let description = embed["description"].as_str().unwrap();
    let source = base
        .sources
        .values()
        .find(|s| description.contains(&s.title))
        .expect("the answer names a known source");
    let title = &source.title;
    assert!(
        description.contains(&source.event_date),
        "the date of the report is shown: {description}"
    );
    let fields = embed["fields"].as_array().expect("quote fields");
    assert!(!fields.is_empty());
    for field in fields {
        assert!(field["name"].as_str().unwrap().starts_with("Quote"));
        let value = field["value"].as_str().unwrap();
        let paragraph: usize = value
            .lines()
            .nth(1)
            .and_then(|line| line.strip_prefix("Paragraph "))
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("a paragraph number");
        let quote = quote_in(value);
        assert!(
            source.paragraphs[paragraph].contains(&quote),
            "quote {quote:?} is not verbatim in paragraph {paragraph} of {title}"
        );
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_offers_suggestions_as_buttons_and_a_click_answers_one() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let response = ask(&fake, "What is the weather on Mars?").await;
    assert_eq!(response["type"], CHANNEL_MESSAGE);
    let data = &response["data"];
    assert!(data["content"]
        .as_str()
        .unwrap()
        .starts_with(talkbot::answer::REFUSAL));
    assert!(
        data["embeds"].as_array().is_none_or(|e| e.is_empty()),
        "a refusal has no embed"
    );
    let offered = buttons(data);
    assert!(!offered.is_empty(), "suggestions come as buttons: {data}");
    for button in &offered {
        assert!(button["label"].as_str().unwrap().chars().count() <= 80);
        assert!(button["custom_id"]
            .as_str()
            .unwrap()
            .starts_with("talkbot:ask:"));
    }

    let first = &offered[0];
    let answer = click(&fake, first["custom_id"].as_str().unwrap(), data, member(8)).await;
    assert_eq!(answer["type"], CHANNEL_MESSAGE);
    let embed = &answer["data"]["embeds"][0];
    assert_eq!(
        embed["title"], first["label"],
        "the clicked question is the one answered"
    );
    let quote = quote_in(&field_values(embed)[0]);
    assert!(knowledge::ARTICLE.contains(&quote), "{quote}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_answerable_questions_within_limits() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let response = autocomplete(&fake, "ask", "question", "prisoner", member(9)).await;
    assert_eq!(response["type"], AUTOCOMPLETE_RESULT);
    let choices = response["data"]["choices"].as_array().expect("choices");
    assert!(!choices.is_empty() && choices.len() <= 25);
    for choice in choices {
        assert!(choice["name"].as_str().unwrap().chars().count() <= 100);
        assert_eq!(choice["name"], choice["value"]);
    }
    assert!(
        choices
            .iter()
            .any(|c| c["value"] == "Was there a prisoner exchange?"),
        "{choices:?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facts_page_forward_and_back_with_buttons() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let (_, response) = slash(&fake, "facts", json!([]), member(10)).await;
    assert_eq!(response["type"], CHANNEL_MESSAGE);
    let first = &response["data"];
    assert_eq!(first["embeds"][0]["fields"].as_array().unwrap().len(), 5);
    assert!(first["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .starts_with("7 facts · page 1 of 2"));
    let page_buttons = buttons(first);
    assert_eq!(page_buttons.len(), 2);
    assert_eq!(
        page_buttons[0]["disabled"], true,
        "no previous page on page 1"
    );
    assert_eq!(page_buttons[1]["custom_id"], "talkbot:facts:1:");

    let second = click(&fake, "talkbot:facts:1:", first, member(8)).await;
    assert_eq!(
        second["type"], UPDATE_MESSAGE,
        "paging edits the message in place"
    );
    let data = &second["data"];
    assert!(data["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .starts_with("7 facts · page 2 of 2"));
    assert_eq!(data["embeds"][0]["fields"].as_array().unwrap().len(), 2);
    assert_eq!(
        buttons(data)[1]["disabled"],
        true,
        "no next page on the last page"
    );

    let back = click(&fake, "talkbot:facts:0:", data, member(8)).await;
    assert!(back["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .contains("page 1 of 2"));

    // One topic only, by name.
    let options = json!([{"name": "topic", "type": 3, "value": "talks"}]);
    let (_, topic) = slash(&fake, "facts", options, member(10)).await;
    let embed = &topic["data"]["embeds"][0];
    assert_eq!(embed["title"], "Facts on talks");
    assert_eq!(embed["fields"].as_array().unwrap().len(), 4);
    assert!(
        buttons(&topic["data"]).is_empty(),
        "one page needs no buttons"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn source_shows_a_facts_paragraph_and_help_lists_what_the_bot_knows() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let options = json!([{"name": "fact", "type": 3, "value": "mood"}]);
    let (_, response) = slash(&fake, "source", options, member(11)).await;
    let embed = &response["data"]["embeds"][0];
    assert_eq!(
        embed["title"],
        "Negotiators Meet in Geneva for a Second Round"
    );
    assert_eq!(
        embed["description"],
        "Observers said the mood in the room was cautious but constructive."
    );
    assert_eq!(
        quote_in(&field_values(embed)[0]),
        "the mood in the room was cautious but constructive"
    );

    let options = json!([{"name": "paragraph", "type": 4, "value": 99}]);
    let (_, response) = slash(&fake, "source", options, member(11)).await;
    assert_eq!(
        response["data"]["flags"], EPHEMERAL,
        "a mistake is shown to the asker only"
    );
    assert!(response["data"]["content"]
        .as_str()
        .unwrap()
        .contains("paragraphs 0 to 8"));

    let (_, response) = slash(&fake, "help", json!([]), member(11)).await;
    let embed = &response["data"]["embeds"][0];
    let text = embed.to_string();
    assert!(
        text.contains("talks (4)") && text.contains("Negotiators Meet in Geneva"),
        "{text}"
    );
    assert!(
        text.contains(&format!("<@{BOT_ID}>")),
        "help says how to mention the bot"
    );
    bot.stop().await;
}

/// `/refresh` by a member with Manage Server: the reply is deferred (ephemeral), then lists
/// the fact added on disk, which is answered from then on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_by_a_moderator_adds_a_fact_that_is_answered_afterwards() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let before = ask(&fake, knowledge::NEW_FACT_QUESTION).await;
    assert!(before["data"]["content"]
        .as_str()
        .unwrap()
        .starts_with(talkbot::answer::REFUSAL));

    knowledge::add_new_fact(dir.path());
    let moderator = fixtures::member(12, "mod", MANAGE_GUILD, &[]);
    let (token, deferred) = slash(&fake, "refresh", json!([]), moderator).await;
    assert_eq!(deferred["type"], DEFERRED_MESSAGE);
    assert_eq!(deferred["data"]["flags"], EPHEMERAL);
    let report = fake.followup(&token).await;
    assert_eq!(report["flags"], EPHEMERAL);
    let embed = &report["embeds"][0];
    assert_eq!(embed["title"], "Fact base reloaded");
    assert_eq!(embed["fields"][0]["name"], "Added (1)");
    assert_eq!(
        embed["fields"][0]["value"],
        format!("`{}`", knowledge::NEW_FACT_ID)
    );

    let after = ask(&fake, knowledge::NEW_FACT_QUESTION).await;
    let embed = &after["data"]["embeds"][0];
    assert_eq!(quote_in(&field_values(embed)[0]), knowledge::NEW_FACT_QUOTE);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_by_the_moderator_role_is_allowed() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let role = MODERATOR_ROLE_ID.to_string();
    let bot = start_bot(&fake, dir.path(), &[("MODERATOR_ROLE_ID", role.as_str())]).await;

    let moderator = fixtures::member(13, "helper", MEMBER, &[MODERATOR_ROLE_ID]);
    let (token, deferred) = slash(&fake, "refresh", json!([]), moderator).await;
    assert_eq!(deferred["type"], DEFERRED_MESSAGE);
    let report = fake.followup(&token).await;
    assert_eq!(
        report["embeds"][0]["title"],
        "Fact base reloaded: nothing changed"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_by_a_member_is_refused_ephemerally_and_changes_nothing() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    knowledge::add_new_fact(dir.path());
    let (token, response) = slash(&fake, "refresh", json!([]), member(14)).await;
    assert_eq!(response["type"], CHANNEL_MESSAGE);
    assert_eq!(response["data"]["flags"], EPHEMERAL);
    assert!(response["data"]["content"]
        .as_str()
        .unwrap()
        .starts_with("Only moderators can refresh"));

    let still = ask(&fake, knowledge::NEW_FACT_QUESTION).await;
    assert!(
        still["data"]["content"]
            .as_str()
            .unwrap()
            .starts_with(talkbot::answer::REFUSAL),
        "the base on disk was not loaded: {still}"
    );
    assert!(
        !fake.requests().iter().any(|r| r.path.ends_with(&token)),
        "no follow-up was sent"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_with_a_broken_file_lists_the_problem_and_the_old_base_keeps_answering() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    knowledge::add_new_fact(dir.path());
    knowledge::add_broken_fact(dir.path());
    let moderator = fixtures::member(15, "mod", MANAGE_GUILD, &[]);
    let (token, _) = slash(&fake, "refresh", json!([]), moderator).await;
    let report = fake.followup(&token).await;
    let embed = &report["embeds"][0];
    assert_eq!(embed["title"], "Not reloaded: 1 problem in the files");
    let problems = embed["description"].as_str().unwrap();
    assert!(
        problems.starts_with("• facts/broken.toml:"),
        "file:line first: {problems}"
    );
    assert!(embed["footer"]["text"]
        .as_str()
        .unwrap()
        .contains("old base keeps answering (7 facts)"));

    let old = ask(&fake, "Who led the talks?").await;
    assert_eq!(
        quote_in(&field_values(&old["data"]["embeds"][0])[0]),
        "led by a former diplomat named Anna Berg"
    );
    let new = ask(&fake, knowledge::NEW_FACT_QUESTION).await;
    assert!(
        new["data"]["content"]
            .as_str()
            .unwrap()
            .starts_with(talkbot::answer::REFUSAL),
        "nothing of the broken load was taken in"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_is_answered_as_a_reply() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let author = fixtures::user(20, "asker", false);
    let id = mention(&fake, author, "Was there a prisoner exchange?");
    let reply = fake.reply_to(id).await;
    assert_eq!(
        reply["message_reference"]["channel_id"],
        CHANNEL_ID.to_string()
    );
    assert_no_pings(&reply);
    let embed = &reply["embeds"][0];
    assert_eq!(embed["title"], "Was there a prisoner exchange?");
    assert_eq!(
        quote_in(&field_values(embed)[0]),
        "agreed to exchange two hundred prisoners"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_carrying_everyone_pings_nobody() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let id = fake.next_id();
    let content = format!(
        "{} @everyone @here <@&{MODERATOR_ROLE_ID}> <@21> who led the talks?",
        fake_discord::bot_mention()
    );
    let author = fixtures::user(22, "prankster", false);
    let mentions = json!([fixtures::bot_user(), fixtures::user(21, "victim", false)]);
    fake.dispatch(
        "MESSAGE_CREATE",
        fixtures::message_create(id, author, &content, mentions, true),
    );
    let reply = fake.reply_to(id).await;
    assert_no_pings(&reply);
    // The echoed question still holds the text; it is allowed_mentions that keeps it silent.
    assert!(reply.to_string().contains("@everyone"), "{reply}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bot_authors_are_ignored() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let question = "Who led the talks?";
    let other_bot = fixtures::user(30, "otherbot", true);
    let from_bot = mention(&fake, other_bot, question);
    let from_itself = mention(&fake, fixtures::bot_user(), question);
    // A person's mention sent after both is answered; by then the two before it were seen.
    let from_person = mention(&fake, fixtures::user(31, "person", false), question);
    fake.reply_to(from_person).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.replies_to(from_bot), 0, "another bot was answered");
    assert_eq!(fake.replies_to(from_itself), 0, "the bot answered itself");
    bot.stop().await;
}

/// In a server only mentions are answered; in a direct message the bot is the only listener,
/// so the whole message is the question.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_messages_need_a_mention_but_direct_messages_do_not() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let chatter = fake.next_id();
    fake.dispatch(
        "MESSAGE_CREATE",
        fixtures::message_create(
            chatter,
            fixtures::user(32, "chatty", false),
            "Who led the talks?",
            json!([]),
            false,
        ),
    );
    let private = fixtures::user(33, "private", false);
    let direct = direct_message(&fake, private, "Who led the talks?");
    let reply = fake.reply_to(direct).await;
    assert_eq!(
        quote_in(&field_values(&reply["embeds"][0])[0]),
        "led by a former diplomat named Anna Berg"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        fake.replies_to(chatter),
        0,
        "a server message without a mention was answered"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_are_limited_per_member_with_one_quiet_notice() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let author = fixtures::user(40, "eager", false);
    // An empty mention gets a hint (and counts as the member's one answer).
    let first = mention(&fake, author.clone(), "");
    let hint = fake.reply_to(first).await;
    assert!(hint["content"].as_str().unwrap().contains("/ask"), "{hint}");

    let second = mention(&fake, author.clone(), "Who led the talks?");
    let notice = fake.reply_to(second).await;
    assert!(notice["content"]
        .as_str()
        .unwrap()
        .starts_with("One question every few seconds"));
    assert_no_pings(&notice);

    let third = mention(&fake, author, "Who led the talks?");
    // Someone else is not held back, and their answer shows the third mention was seen.
    let other = mention(
        &fake,
        fixtures::user(41, "patient", false),
        "Who led the talks?",
    );
    fake.reply_to(other).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.replies_to(third), 0, "only one notice per cooldown");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_closing_with_4000_is_resumed_and_answers_keep_flowing() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;
    let answered = ask(&fake, "Who led the talks?").await;
    assert_eq!(answered["type"], CHANNEL_MESSAGE);

    let sent_before = fake.gateway_log().len();
    fake.close_gateway(4000);
    let resume = fake.wait_for_gateway_op(6, sent_before).await;
    assert_eq!(resume["d"]["session_id"], fixtures::SESSION_ID);
    assert_eq!(
        resume["d"]["token"],
        format!("Bot {TOKEN}"),
        "the same credentials"
    );
    assert!(
        resume["d"]["seq"].as_u64().unwrap() >= 2,
        "resumes from the last event seen: {resume}"
    );

    let answer = ask(&fake, "Was there a prisoner exchange?").await;
    let embed = &answer["data"]["embeds"][0];
    assert_eq!(
        quote_in(&field_values(embed)[0]),
        "agreed to exchange two hundred prisoners"
    );
    let identifies = fake.gateway_log().iter().filter(|p| p["op"] == 2).count();
    assert_eq!(identifies, 1, "a resume, not a new session");
    bot.stop().await;
}
