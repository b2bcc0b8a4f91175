//! The moderators' curation loop end to end, through the fake Discord: questions the bot could
//! not answer reach `/unanswered`, "Not helpful" votes reach `/feedback`, and `/teach` turns a
//! refused question into an answered one by editing the (temporary) fact base on disk. Each
//! test owns its knowledge directory and its data directory, so each has its own database.

mod fake_discord;

use std::path::Path;

use serde_json::{json, Value};
use talkbot::curation::{Store, DATABASE_FILE};

use fake_discord::fixtures::{
    self, AUTOCOMPLETE_RESULT, CHANNEL_MESSAGE, DEFERRED_MESSAGE, EPHEMERAL, MANAGE_GUILD, MEMBER,
    MODERATOR_ROLE_ID, UPDATE_MESSAGE,
};
use fake_discord::harness::{self, Bot};
use fake_discord::members::{self, ask, buttons, click, direct_message, member, mention, slash};
use fake_discord::{knowledge, FakeDiscord};

const MODERATOR: u64 = 500;
/// Refused by the test fact base until `/teach` links it to `talks-leader`.
const TAUGHT_QUESTION: &str = "Who was the top negotiator?";

/// The bot against `fake`, with the fact base in `knowledge`, the database in `data` (which the
/// tests prepare and read) and the moderator role set.
async fn start_bot(fake: &FakeDiscord, knowledge: &Path, data: &Path) -> Bot {
    let data = data.display().to_string();
    let role = MODERATOR_ROLE_ID.to_string();
    let settings = [
        ("DATA_DIR", data.as_str()),
        ("MODERATOR_ROLE_ID", role.as_str()),
    ];
    harness::start_bot(fake, knowledge, &settings).await
}

/// The test fact base, with comments a moderator might have written, which `/teach` must keep.
fn knowledge_with_comments() -> tempfile::TempDir {
    let dir = knowledge::temp();
    let file = dir.path().join("facts/talks.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = format!(
        "# Facts from the Geneva round. Keep one question per wording.\n{}",
        text.replace(
            r#"id = "talks-leader""#,
            r#"id = "talks-leader"  # who chaired the sessions"#
        )
    );
    std::fs::write(&file, text).unwrap();
    dir
}

fn moderator() -> Value {
    fixtures::member(MODERATOR, "mod", MANAGE_GUILD, &[])
}

/// `/unanswered` or `/feedback` by `who`: the response's data.
async fn report(fake: &FakeDiscord, command: &str, who: Value) -> Value {
    let (_, response) = slash(fake, command, json!([]), who).await;
    assert_eq!(response["type"], CHANNEL_MESSAGE, "{response}");
    response["data"].clone()
}

async fn teach(fake: &FakeDiscord, question: &str, fact: &str, who: Value) -> (String, Value) {
    let options = json!([
        {"name": "question", "type": 3, "value": question},
        {"name": "fact", "type": 3, "value": fact},
    ]);
    slash(fake, "teach", options, who).await
}

/// `/teach` autocomplete of `option` as `who` types `typed`: the choices offered.
async fn teach_choices(fake: &FakeDiscord, option: &str, typed: &str, who: Value) -> Vec<Value> {
    let response = members::autocomplete(fake, "teach", option, typed, who).await;
    assert_eq!(response["type"], AUTOCOMPLETE_RESULT);
    response["data"]["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The custom id of the button labelled `label` (by its words, without the emoji).
fn button_id(data: &Value, label: &str) -> String {
    buttons(data)
        .iter()
        .find(|b| b["label"].as_str().unwrap_or_default().ends_with(label))
        .and_then(|b| b["custom_id"].as_str())
        .unwrap_or_else(|| panic!("no “{label}” button in {data}"))
        .to_string()
}

fn field_names(data: &Value) -> Vec<String> {
    data["embeds"][0]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn is_refusal(answer: &Value) -> bool {
    answer["data"]["content"]
        .as_str()
        .is_some_and(|c| c.starts_with(talkbot::answer::REFUSAL))
}

fn first_fact(answer: &Value) -> String {
    let footer = answer["data"]["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or_default();
    footer
        .split("/source fact:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_string()
}

fn assert_ephemeral(data: &Value) {
    assert_eq!(
        data["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "{data}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_off_topic_question_shows_up_in_unanswered_grouped_with_its_near_duplicates() {
    let fake = FakeDiscord::start().await;
    let (dir, data) = (knowledge::temp(), tempfile::tempdir().unwrap());
    let bot = start_bot(&fake, dir.path(), data.path()).await;

    // The same wording twice is one row; its latest spelling is the one shown.
    ask(&fake, "what is the weather on mars").await;
    let refused = ask(&fake, "What is the weather on Mars?").await;
    assert!(is_refusal(&refused), "{refused}");
    let offered = buttons(&refused["data"]);
    assert!(
        !offered.is_empty()
            && offered
                .iter()
                .all(|b| b["custom_id"].as_str().unwrap().starts_with("talkbot:ask:")),
        "a refusal keeps its suggestion buttons and gets no vote buttons: {offered:?}"
    );
    ask(&fake, "What is the weather like on Mars?").await;
    ask(&fake, "Who painted the Mona Lisa?").await;
    // Asked in a direct message: not this server's, so not in its report.
    let private = fixtures::user(33, "private", false);
    let direct = direct_message(&fake, private, "What is the capital of Peru?");
    fake.reply_to(direct).await;

    let data = report(&fake, "unanswered", moderator()).await;
    assert_ephemeral(&data);
    assert_eq!(
        field_names(&data),
        [
            "3× What is the weather on Mars?",
            "1× Who painted the Mona Lisa?"
        ]
    );
    let first = data["embeds"][0]["fields"][0]["value"].as_str().unwrap();
    assert!(first.starts_with("last asked <t:"), "{first}");
    assert!(
        first.contains("also asked as “What is the weather like on Mars?”"),
        "{first}"
    );
    assert!(buttons(&data).is_empty(), "one page needs no buttons");

    // The moderator role is enough too.
    let helper = fixtures::member(501, "helper", MEMBER, &[MODERATOR_ROLE_ID]);
    let data = report(&fake, "unanswered", helper).await;
    assert_eq!(field_names(&data).len(), 2);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unanswered_is_paged_with_buttons() {
    let fake = FakeDiscord::start().await;
    let (dir, data) = (knowledge::temp(), tempfile::tempdir().unwrap());
    let bot = start_bot(&fake, dir.path(), data.path()).await;

    let questions = [
        "What is the weather on Mars?",
        "Who painted the Mona Lisa?",
        "What is the capital of Peru?",
        "How do I bake bread?",
        "What time is it in Tokyo?",
        "Which planet is largest?",
        "How tall is Everest?",
        "What is the speed of light?",
        "How many legs does a spider have?",
        "Who won the football match?",
    ];
    for question in questions {
        ask(&fake, question).await;
    }
    let first = report(&fake, "unanswered", moderator()).await;
    assert_eq!(field_names(&first).len(), 8);
    let description = first["embeds"][0]["description"].as_str().unwrap();
    assert!(
        description.starts_with("10 questions, asked 10 times · page 1 of 2"),
        "{description}"
    );
    let next = button_id(&first, "Next ▶");
    let second = click(&fake, &next, &first, moderator()).await;
    assert_eq!(second["type"], UPDATE_MESSAGE, "paging edits the report");
    assert_eq!(field_names(&second["data"]).len(), 2);
    assert!(second["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .contains("page 2 of 2"));

    // A member who somehow clicks a report's button is refused like the command.
    let forged = click(&fake, &next, &first, member(9)).await;
    assert_eq!(forged["type"], CHANNEL_MESSAGE);
    assert_ephemeral(&forged["data"]);
    assert!(forged["data"]["content"]
        .as_str()
        .unwrap()
        .starts_with("Only moderators"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_not_helpful_vote_shows_up_in_feedback_and_a_second_click_changes_it() {
    let fake = FakeDiscord::start().await;
    let (dir, data) = (knowledge::temp(), tempfile::tempdir().unwrap());
    let bot = start_bot(&fake, dir.path(), data.path()).await;

    let answer = ask(&fake, "Who led the talks?").await;
    assert_eq!(first_fact(&answer), "talks-leader");
    let not_helpful = button_id(&answer["data"], "Not helpful");
    let helpful = button_id(&answer["data"], "Helpful");
    for id in [&not_helpful, &helpful] {
        assert!(id.starts_with("talkbot:vote:") && id.len() <= 100, "{id}");
    }

    let said = click(&fake, &not_helpful, &answer["data"], member(8)).await;
    assert_eq!(said["type"], CHANNEL_MESSAGE);
    assert_ephemeral(&said["data"]);
    assert_eq!(said["data"]["content"], "Thanks — recorded.");

    let data = report(&fake, "feedback", moderator()).await;
    assert_ephemeral(&data);
    assert_eq!(
        field_names(&data),
        ["talks-leader · 1 not helpful, 0 helpful"]
    );
    let value = data["embeds"][0]["fields"][0]["value"].as_str().unwrap();
    assert!(
        value.starts_with("The talks were led by Anna Berg")
            && value.contains("• Who led the talks?"),
        "the fact and the question behind the vote: {value}"
    );

    // The same member changes their mind: still one vote, now helpful.
    let said = click(&fake, &helpful, &answer["data"], member(8)).await;
    assert_eq!(
        said["data"]["content"],
        "Thanks — changed your vote to “helpful”."
    );
    let data = report(&fake, "feedback", moderator()).await;
    assert!(field_names(&data).is_empty(), "{data}");
    assert!(data["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .starts_with("No “Not helpful” votes"));

    // Back to not helpful, and a second member agrees: one vote each.
    click(&fake, &not_helpful, &answer["data"], member(8)).await;
    click(&fake, &not_helpful, &answer["data"], member(9)).await;
    let again = click(&fake, &not_helpful, &answer["data"], member(9)).await;
    assert_eq!(
        again["data"]["content"],
        "You already said “not helpful”; thanks."
    );
    let data = report(&fake, "feedback", moderator()).await;
    assert_eq!(
        field_names(&data),
        ["talks-leader · 2 not helpful, 0 helpful"]
    );

    // Mention answers carry the same buttons.
    let asker = fixtures::user(20, "asker", false);
    let id = mention(&fake, asker, "Was there a prisoner exchange?");
    let reply = fake.reply_to(id).await;
    let vote = button_id(&reply, "Not helpful");
    assert_ne!(vote, not_helpful, "each answer has its own id");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teach_makes_a_refused_question_answered_and_keeps_the_files_comments() {
    let fake = FakeDiscord::start().await;
    let (dir, data) = (knowledge_with_comments(), tempfile::tempdir().unwrap());
    let bot = start_bot(&fake, dir.path(), data.path()).await;

    assert!(is_refusal(&ask(&fake, TAUGHT_QUESTION).await));

    // Autocomplete offers this server's unanswered question and the facts, to moderators.
    let choices = teach_choices(&fake, "question", "negotiator", moderator()).await;
    assert_eq!(choices.len(), 1, "{choices:?}");
    assert_eq!(choices[0]["value"], TAUGHT_QUESTION);
    assert_eq!(choices[0]["name"], format!("{TAUGHT_QUESTION} (1×)"));
    let choices = teach_choices(&fake, "fact", "anna berg", moderator()).await;
    assert_eq!(choices.len(), 1, "{choices:?}");
    assert_eq!(choices[0]["value"], "talks-leader");
    assert!(choices[0]["name"]
        .as_str()
        .unwrap()
        .starts_with("talks-leader — The talks were led by Anna Berg"));

    let (token, deferred) = teach(&fake, TAUGHT_QUESTION, "talks-leader", moderator()).await;
    assert_eq!(deferred["type"], DEFERRED_MESSAGE);
    assert_eq!(deferred["data"]["flags"], EPHEMERAL);
    let told = fake.followup(&token).await;
    assert_eq!(told["flags"], EPHEMERAL);
    let embed = &told["embeds"][0];
    assert_eq!(embed["title"], "Taught `talks-leader` a question");
    assert_eq!(
        embed["fields"][0]["value"],
        "Answered with `talks-leader` (confidence 1.00)."
    );

    let after = ask(&fake, TAUGHT_QUESTION).await;
    assert_eq!(first_fact(&after), "talks-leader", "{after}");
    let file = std::fs::read_to_string(dir.path().join("facts/talks.toml")).unwrap();
    assert!(
        file.starts_with("# Facts from the Geneva round.")
            && file.contains(r#"id = "talks-leader"  # who chaired the sessions"#),
        "comments kept: {file}"
    );
    assert!(
        file.contains(r#""Who chaired the sessions?", "Who was the top negotiator?"]"#),
        "{file}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("facts"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["talks.toml"], "no temporary file left behind");

    // Audited: who taught what.
    let store = Store::open(data.path()).unwrap();
    let log = store.teach_log(10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (
            log[0].moderator_id,
            log[0].question.as_str(),
            log[0].fact_id.as_str()
        ),
        (MODERATOR, TAUGHT_QUESTION, "talks-leader")
    );

    // No longer unanswered; said so instead of listed.
    let data = report(&fake, "unanswered", moderator()).await;
    assert!(field_names(&data).is_empty(), "{data}");
    assert!(data["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .contains("1 more asked in that time are answered by the fact base now"));

    // A mistake is shown exactly, and nothing changes.
    let (token, _) = teach(&fake, "Who paid for lunch?", "no-such-fact", moderator()).await;
    let told = fake.followup(&token).await;
    assert_eq!(told["embeds"][0]["title"], "Not taught");
    assert_eq!(
        told["embeds"][0]["description"],
        "there is no fact `no-such-fact`"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("facts/talks.toml")).unwrap(),
        file
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_refused_the_moderator_commands_ephemerally_and_nothing_changes() {
    let fake = FakeDiscord::start().await;
    let (dir, data) = (knowledge_with_comments(), tempfile::tempdir().unwrap());
    let bot = start_bot(&fake, dir.path(), data.path()).await;
    let before = std::fs::read_to_string(dir.path().join("facts/talks.toml")).unwrap();

    assert!(is_refusal(&ask(&fake, TAUGHT_QUESTION).await));
    let (_, unanswered) = slash(&fake, "unanswered", json!([]), member(9)).await;
    let (_, feedback) = slash(&fake, "feedback", json!([]), member(9)).await;
    let (teach_token, taught) = teach(&fake, TAUGHT_QUESTION, "talks-leader", member(9)).await;
    for (response, refusal) in [
        (&unanswered, "Only moderators can see unanswered questions"),
        (&feedback, "Only moderators can see answer feedback"),
        (&taught, "Only moderators can teach me questions"),
    ] {
        assert_eq!(response["type"], CHANNEL_MESSAGE, "{response}");
        assert_ephemeral(&response["data"]);
        let content = response["data"]["content"].as_str().unwrap();
        assert!(content.starts_with(refusal), "{content}");
        assert!(response["data"]["embeds"]
            .as_array()
            .is_none_or(|e| e.is_empty()));
    }
    // Members get no autocomplete of other members' questions either.
    assert!(teach_choices(&fake, "question", "", member(9))
        .await
        .is_empty());

    assert!(is_refusal(&ask(&fake, TAUGHT_QUESTION).await), "not taught");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("facts/talks.toml")).unwrap(),
        before
    );
    assert!(!fake
        .requests()
        .iter()
        .any(|r| r.path.ends_with(&teach_token)));
    let store = Store::open(data.path()).unwrap();
    assert!(store.teach_log(10).unwrap().is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_corrupt_database_the_bot_still_answers_and_moderators_are_told_why() {
    let fake = FakeDiscord::start().await;
    let (dir, data) = (knowledge_with_comments(), tempfile::tempdir().unwrap());
    let database = data.path().join(DATABASE_FILE);
    let garbage = "this is not a database ".repeat(200);
    std::fs::write(&database, &garbage).unwrap();
    let before = std::fs::read_to_string(dir.path().join("facts/talks.toml")).unwrap();
    let bot = start_bot(&fake, dir.path(), data.path()).await;

    let answer = ask(&fake, "Who led the talks?").await;
    assert_eq!(first_fact(&answer), "talks-leader");
    assert!(
        buttons(&answer["data"]).is_empty(),
        "no vote buttons when votes cannot be kept"
    );
    let refused = ask(&fake, "What is the weather on Mars?").await;
    assert!(is_refusal(&refused) && !buttons(&refused["data"]).is_empty());

    for command in ["unanswered", "feedback"] {
        let data = report(&fake, command, moderator()).await;
        assert_ephemeral(&data);
        let content = data["content"].as_str().unwrap();
        assert!(
            content.starts_with("Curation is off: the database ")
                && content.contains(DATABASE_FILE)
                && content.contains("move it aside and restart"),
            "{content}"
        );
    }
    let (_, refused_teach) = teach(&fake, TAUGHT_QUESTION, "talks-leader", moderator()).await;
    assert_ephemeral(&refused_teach["data"]);
    assert!(refused_teach["data"]["content"]
        .as_str()
        .unwrap()
        .starts_with("Curation is off"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("facts/talks.toml")).unwrap(),
        before,
        "no unaudited teach"
    );
    assert_eq!(
        std::fs::read_to_string(&database).unwrap(),
        garbage,
        "the broken file is left for a person to look at"
    );
    bot.stop().await;
}

/// Pruning is the running bot's job, with its own `RETENTION_DAYS`, and nobody else's: the
/// bot prunes at start (and daily) what is older than its setting and keeps the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_prunes_at_start_with_its_own_retention_and_keeps_the_rest() {
    use talkbot::curation::{now, Miss, Place};

    let fake = FakeDiscord::start().await;
    let (dir, data) = (knowledge::temp(), tempfile::tempdir().unwrap());
    let day = 86_400;
    {
        let store = Store::open(data.path()).unwrap();
        for (question, age_days) in [("asked long ago", 400), ("asked last month", 30)] {
            store
                .record_miss(&Miss {
                    question,
                    normalized: question,
                    refused: true,
                    confidence: 0.0,
                    place: Place {
                        guild_id: fixtures::GUILD_ID,
                        channel_id: fixtures::CHANNEL_ID,
                    },
                    at: now() - age_days * day,
                })
                .unwrap();
        }
    }
    let settings = [
        ("DATA_DIR", data.path().to_str().unwrap()),
        ("RETENTION_DAYS", "365"),
    ];
    let bot = harness::start_bot(&fake, dir.path(), &settings).await;
    let line = fake_discord::wait_for_log(&["old rows pruned", "days=365"]).await;
    assert!(line.contains("removed=1"), "{line}");
    bot.stop().await;
    let left: Vec<String> = Store::open(data.path())
        .unwrap()
        .misses(0, None)
        .unwrap()
        .into_iter()
        .map(|row| row.question)
        .collect();
    assert_eq!(left, ["asked last month"]);
}
