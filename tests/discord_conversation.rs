//! Follow-ups in Discord, through the fake Discord and the real serenity client: a reply to one
//! of the bot's answers ("source?", "why?", "more", "and energy?", "1", "really?") follows up the
//! member's conversation in the channel, as does a mention after `/ask`; another member's reply
//! to the same answer has no conversation behind it; a conversation expires after ten minutes
//! by an injected clock (no sleeps); follow-ups in a reply chain are not held up by the mention
//! cooldown.

mod fake_discord;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use fake_discord::fixtures;
use fake_discord::harness::{start_bot, start_bot_with};
use fake_discord::members::{ask, buttons, member, mention, reply_to_bot, slash};
use fake_discord::{knowledge, FakeDiscord};
use talkbot::conversation::{ManualClock, SharedClock, EXPIRY, NO_CONTEXT};

const ASKER: u64 = 20;

fn asker() -> Value {
    fixtures::user(ASKER, "asker", false)
}

/// The embed's description and fields, as one text to look for words in.
fn shown(reply: &Value) -> String {
    let embed = &reply["embeds"][0];
    let mut text = embed["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for field in embed["fields"].as_array().into_iter().flatten() {
        text.push('\n');
        text.push_str(field["value"].as_str().unwrap_or_default());
    }
    text
}

/// Replies `text` to the bot's answer and waits for the bot's reply to that.
async fn follow_up(fake: &FakeDiscord, author: Value, text: &str) -> Value {
    let answer = fake.next_id();
    let id = reply_to_bot(fake, author, text, answer);
    fake.reply_to(id).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_chain_follows_up_each_kind_without_waiting_for_the_cooldown() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let first = mention(&fake, asker(), "Who led the talks?");
    let answer = fake.reply_to(first).await;
    assert!(shown(&answer).contains("Anna Berg"), "{answer}");

    // The whole paragraph, not only the quote; sent at once, the cooldown would have held it.
    let source = follow_up(&fake, asker(), "source?").await;
    assert!(
        shown(&source).contains(
            "The talks were led by a former diplomat named Anna Berg, who chaired every session."
        ),
        "{source}"
    );

    // The other facts of the topic ("talks"), never the one already shown.
    let why = follow_up(&fake, asker(), "why?").await;
    let why_text = shown(&why);
    assert!(!why_text.contains("led by Anna Berg"), "{why}");
    for other in ["Vienna", "cautious but constructive", "second round"] {
        assert!(why_text.contains(other), "{other} missing: {why}");
    }
    let more = follow_up(&fake, asker(), "tell me more").await;
    let more_text = shown(&more);
    // The talks topic has four facts: one asked, three by "why?", none left for "more".
    assert!(
        more_text.contains("nothing more")
            || more["content"].as_str().unwrap().contains("nothing more"),
        "{more}"
    );
    let sure = follow_up(&fake, asker(), "are you sure?").await;
    assert!(
        shown(&sure).contains("That is what the source says (confidence"),
        "{sure}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn and_x_and_a_suggestions_number_follow_up_in_a_reply() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let refusal = fake
        .reply_to(mention(&fake, asker(), "Who was the interpreter?"))
        .await;
    let offered = buttons(&refusal);
    assert!(!offered.is_empty(), "{refusal}");
    let label = offered[0]["label"].as_str().unwrap().to_string();
    let picked = follow_up(&fake, asker(), "1").await;
    // The same answer another member gets for asking the suggestion outright.
    let outright = ask(&fake, &label).await;
    assert_eq!(
        picked["embeds"][0]["fields"], outright["data"]["embeds"][0]["fields"],
        "{picked}"
    );

    let grain = fake
        .reply_to(mention(
            &fake,
            fixtures::user(22, "third", false),
            "Was a grain corridor agreed?",
        ))
        .await;
    assert!(shown(&grain).contains("grain corridor"), "{grain}");
    let energy = follow_up(&fake, fixtures::user(22, "third", false), "and energy?").await;
    assert!(
        shown(&energy).contains("Energy infrastructure was declared off limits"),
        "{energy}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_members_follow_up_has_no_conversation_behind_it() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    fake.reply_to(mention(&fake, asker(), "Who led the talks?"))
        .await;
    let other = follow_up(&fake, fixtures::user(21, "other", false), "source?").await;
    assert_eq!(other["content"], NO_CONTEXT, "{other}");
    assert!(
        other["embeds"].as_array().is_none_or(|e| e.is_empty()),
        "{other}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_then_a_mention_in_the_same_channel_is_one_conversation() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let bot = start_bot(&fake, dir.path(), &[]).await;

    let (_, answer) = slash(
        &fake,
        "ask",
        json!([{"type": 3, "name": "question", "value": "Was there a prisoner exchange?"}]),
        member(ASKER),
    )
    .await;
    assert!(answer.to_string().contains("two hundred prisoners"));
    let source = fake.reply_to(mention(&fake, asker(), "source?")).await;
    assert!(
        shown(&source).contains(
            "The delegations agreed to exchange two hundred prisoners before the end of the month."
        ),
        "{source}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_expires_ten_minutes_after_its_last_answer() {
    let fake = FakeDiscord::start().await;
    let dir = knowledge::temp();
    let clock = Arc::new(ManualClock::new());
    let given = clock.clone();
    let bot = start_bot_with(&fake, dir.path(), &[], move |config| {
        config.clock = SharedClock(given);
        // Expiry, not the cooldown, is what this test is about.
        config.mention_cooldown = Duration::ZERO;
    })
    .await;

    fake.reply_to(mention(&fake, asker(), "Who led the talks?"))
        .await;
    clock.advance(EXPIRY - Duration::from_secs(1));
    let still = follow_up(&fake, asker(), "really?").await;
    assert!(
        shown(&still).contains("That is what the source says"),
        "{still}"
    );
    // "really?" answered is the conversation's last answer: ten minutes from it.
    clock.advance(EXPIRY);
    let expired = follow_up(&fake, asker(), "source?").await;
    assert_eq!(expired["content"], NO_CONTEXT, "{expired}");
    bot.stop().await;
}
