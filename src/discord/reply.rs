//! What the bot sends, as plain data: content, one embed, buttons. Renderers build a [`Reply`]
//! without touching serenity; only the `to_*` conversions at the bottom know serenity's
//! builders, and each of them first brings (a copy of) the reply within Discord's limits
//! ([`Reply::fit`]), so no message can be sent unfitted and renderers need not fit. That keeps every renderer a
//! pure function that unit tests can check against the limits.

use poise::serenity_prelude as serenity;

use super::limits::{self, length, truncate};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub content: String,
    pub embed: Option<Embed>,
    pub buttons: Vec<Button>,
    /// Seen only by the member who asked (interactions only).
    pub ephemeral: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    pub title: String,
    pub description: String,
    pub fields: Vec<Field>,
    pub footer: String,
    pub colour: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
    pub disabled: bool,
}

/// Colours of the side bar, so an answer, a refusal and a notice look different at a glance.
pub const ANSWER_COLOUR: u32 = 0x2B6CB0;
pub const NOTICE_COLOUR: u32 = 0x718096;
pub const PROBLEM_COLOUR: u32 = 0xC53030;

/// Discord rejects an empty field name or value; a zero-width space is the usual stand-in.
const BLANK: &str = "\u{200b}";

impl Reply {
    pub fn text(content: impl Into<String>) -> Reply {
        Reply {
            content: content.into(),
            ..Reply::default()
        }
    }

    pub fn embed(embed: Embed) -> Reply {
        Reply {
            embed: Some(embed),
            ..Reply::default()
        }
    }

    pub fn ephemeral(mut self) -> Reply {
        self.ephemeral = true;
        self
    }

    /// The same reply, cut down to what Discord accepts whatever the input: every text within
    /// its limit, at most 25 fields and 6,000 characters over the embed, at most 25 buttons
    /// with unique, short-enough ids. Fields are dropped from the end before the description
    /// is shortened, because the description carries the answer itself.
    pub fn fit(mut self) -> Reply {
        self.content = truncate(&self.content, limits::CONTENT);
        if let Some(embed) = self.embed.as_mut() {
            embed.fit();
        }
        let mut seen: Vec<String> = Vec::new();
        self.buttons.retain(|button| {
            let usable = !button.custom_id.is_empty()
                && length(&button.custom_id) <= limits::CUSTOM_ID
                && !seen.contains(&button.custom_id);
            seen.push(button.custom_id.clone());
            usable
        });
        self.buttons
            .truncate(limits::BUTTONS_PER_ROW * limits::ROWS);
        for button in &mut self.buttons {
            button.label = truncate(button.label.trim(), limits::BUTTON_LABEL);
            if button.label.is_empty() {
                button.label = "…".to_string();
            }
        }
        // A message needs something to show.
        if self.content.is_empty() && self.embed.is_none() {
            self.content = BLANK.to_string();
        }
        self
    }
}

impl Embed {
    fn fit(&mut self) {
        self.title = truncate(&self.title, limits::EMBED_TITLE);
        self.description = truncate(&self.description, limits::EMBED_DESCRIPTION);
        self.footer = truncate(&self.footer, limits::FOOTER);
        self.fields.truncate(limits::FIELDS);
        for field in &mut self.fields {
            field.name = non_blank(truncate(&field.name, limits::FIELD_NAME));
            field.value = non_blank(truncate(&field.value, limits::FIELD_VALUE));
        }
        while self.total() > limits::EMBED_TOTAL && !self.fields.is_empty() {
            self.fields.pop();
        }
        let over = self.total().saturating_sub(limits::EMBED_TOTAL);
        if over > 0 {
            let keep = length(&self.description).saturating_sub(over);
            self.description = truncate(&self.description, keep);
        }
    }

    /// Characters Discord counts towards the 6,000 limit.
    pub fn total(&self) -> usize {
        length(&self.title)
            + length(&self.description)
            + length(&self.footer)
            + self
                .fields
                .iter()
                .map(|field| length(&field.name) + length(&field.value))
                .sum::<usize>()
    }
}

fn non_blank(text: String) -> String {
    if text.trim().is_empty() {
        BLANK.to_string()
    } else {
        text
    }
}

/// Replies never ping anyone: questions are echoed back, and a question may hold `@everyone`
/// or a role mention. This also keeps a reply from pinging the member it answers.
pub fn no_pings() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .replied_user(false)
}

impl Reply {
    fn serenity_embed(&self) -> Option<serenity::CreateEmbed> {
        let embed = self.embed.as_ref()?;
        let mut out = serenity::CreateEmbed::new().colour(embed.colour);
        if !embed.title.is_empty() {
            out = out.title(&embed.title);
        }
        if !embed.description.is_empty() {
            out = out.description(&embed.description);
        }
        for field in &embed.fields {
            out = out.field(&field.name, &field.value, field.inline);
        }
        if !embed.footer.is_empty() {
            out = out.footer(serenity::CreateEmbedFooter::new(&embed.footer));
        }
        Some(out)
    }

    fn serenity_components(&self) -> Vec<serenity::CreateActionRow> {
        self.buttons
            .chunks(limits::BUTTONS_PER_ROW)
            .map(|row| {
                serenity::CreateActionRow::Buttons(
                    row.iter()
                        .map(|button| {
                            serenity::CreateButton::new(&button.custom_id)
                                .label(&button.label)
                                .style(serenity::ButtonStyle::Secondary)
                                .disabled(button.disabled)
                        })
                        .collect(),
                )
            })
            .collect()
    }

    /// `out` with the reply's content, when it has some, and its embed, when it has one.
    /// serenity's three message builders share no trait, so each `to_*` passes its own two
    /// setters, and what goes into a message is decided here for all three.
    fn with_body<B>(
        &self,
        mut out: B,
        content: impl FnOnce(B, &str) -> B,
        embed: impl FnOnce(B, serenity::CreateEmbed) -> B,
    ) -> B {
        if !self.content.is_empty() {
            out = content(out, &self.content);
        }
        if let Some(built) = self.serenity_embed() {
            out = embed(out, built);
        }
        out
    }

    /// For poise's `ctx.send`: a slash command's reply, fitted.
    pub fn to_poise(&self) -> poise::CreateReply {
        let reply = self.clone().fit();
        let out = poise::CreateReply::default()
            .ephemeral(reply.ephemeral)
            .allowed_mentions(no_pings())
            .components(reply.serenity_components());
        reply.with_body(out, |out, text| out.content(text), |out, e| out.embed(e))
    }

    /// For a channel message, fitted; the caller adds the message it replies to.
    pub fn to_message(&self) -> serenity::CreateMessage {
        let reply = self.clone().fit();
        let out = serenity::CreateMessage::new()
            .allowed_mentions(no_pings())
            .components(reply.serenity_components());
        reply.with_body(out, |out, text| out.content(text), |out, e| out.embed(e))
    }

    /// For answering a button click, as a new message or as an edit of the clicked one, fitted.
    pub fn to_interaction_message(&self) -> serenity::CreateInteractionResponseMessage {
        let reply = self.clone().fit();
        let out = serenity::CreateInteractionResponseMessage::new()
            .ephemeral(reply.ephemeral)
            .allowed_mentions(no_pings())
            .components(reply.serenity_components());
        reply.with_body(out, |out, text| out.content(text), |out, e| out.embed(e))
    }
}

#[cfg(test)]
pub use tests::assert_within_limits;

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts every limit the renderers promise. Shared by the renderers' tests.
    pub fn assert_within_limits(reply: &Reply) {
        assert!(
            length(&reply.content) <= limits::CONTENT,
            "content too long"
        );
        assert!(
            !reply.content.is_empty() || reply.embed.is_some(),
            "empty message"
        );
        if let Some(embed) = &reply.embed {
            assert!(
                length(&embed.title) <= limits::EMBED_TITLE,
                "title too long"
            );
            assert!(
                length(&embed.description) <= limits::EMBED_DESCRIPTION,
                "description too long"
            );
            assert!(length(&embed.footer) <= limits::FOOTER, "footer too long");
            assert!(embed.fields.len() <= limits::FIELDS, "too many fields");
            for field in &embed.fields {
                assert!(!field.name.is_empty() && length(&field.name) <= limits::FIELD_NAME);
                assert!(!field.value.is_empty() && length(&field.value) <= limits::FIELD_VALUE);
            }
            assert!(
                embed.total() <= limits::EMBED_TOTAL,
                "embed over 6,000: {}",
                embed.total()
            );
        }
        assert!(reply.buttons.len() <= limits::BUTTONS_PER_ROW * limits::ROWS);
        for button in &reply.buttons {
            assert!(!button.label.is_empty() && length(&button.label) <= limits::BUTTON_LABEL);
            assert!(!button.custom_id.is_empty() && length(&button.custom_id) <= limits::CUSTOM_ID);
        }
    }

    fn huge() -> Reply {
        let long = "x".repeat(10_000);
        Reply {
            content: long.clone(),
            embed: Some(Embed {
                title: long.clone(),
                description: long.clone(),
                fields: (0..40)
                    .map(|_| Field {
                        name: long.clone(),
                        value: long.clone(),
                        inline: false,
                    })
                    .collect(),
                footer: long.clone(),
                colour: 0,
            }),
            buttons: (0..40)
                .map(|i| Button {
                    label: long.clone(),
                    custom_id: format!("id{i}"),
                    disabled: false,
                })
                .collect(),
            ephemeral: false,
        }
    }

    #[test]
    fn everything_over_the_limits_is_cut_to_fit() {
        assert_within_limits(&huge().fit());
    }

    #[test]
    fn fields_go_before_the_description_does() {
        let mut reply = huge();
        reply.embed.as_mut().unwrap().footer = "short".into();
        let fitted = reply.fit();
        let embed = fitted.embed.unwrap();
        assert!(embed.fields.len() < 25);
        assert_eq!(length(&embed.description), limits::EMBED_DESCRIPTION);
    }

    #[test]
    fn only_the_description_is_cut_when_there_are_no_fields() {
        let mut reply = huge();
        reply.embed.as_mut().unwrap().fields.clear();
        let embed = reply.fit().embed.unwrap();
        assert_eq!(embed.total(), limits::EMBED_TOTAL);
        assert_eq!(length(&embed.title), limits::EMBED_TITLE);
    }

    #[test]
    fn buttons_with_unusable_ids_are_dropped_not_cut() {
        let reply = Reply {
            buttons: vec![
                Button {
                    label: "a".into(),
                    custom_id: "k".repeat(101),
                    disabled: false,
                },
                Button {
                    label: "b".into(),
                    custom_id: "same".into(),
                    disabled: false,
                },
                Button {
                    label: "c".into(),
                    custom_id: "same".into(),
                    disabled: false,
                },
            ],
            ..Reply::text("hi")
        }
        .fit();
        let labels: Vec<&str> = reply.buttons.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["b"]);
    }

    #[test]
    fn blank_fields_and_messages_get_a_stand_in() {
        let reply = Reply::embed(Embed {
            fields: vec![Field::default()],
            ..Embed::default()
        })
        .fit();
        assert_within_limits(&reply);
        assert_within_limits(&Reply::default().fit());
    }

    #[test]
    fn allowed_mentions_parse_nothing() {
        let json = serde_json::to_value(no_pings()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"parse": [], "users": [], "roles": [], "replied_user": false})
        );
    }
}
