//! `/source`: one paragraph of a source article in full, with its citation, picked by a fact
//! (whose quote is then shown in its context) or by paragraph number.

use poise::serenity_prelude as serenity;

use crate::discord::autocomplete::{self, Choice};
use crate::discord::data::{Context, Error};
use crate::discord::error::user_error;
use crate::discord::reply::{Embed, Field, Reply, NOTICE_COLOUR};
use crate::knowledge::{KnowledgeBase, Source};

/// Show a source paragraph in full, with its citation.
#[poise::command(
    slash_command,
    // Installed by a server or by a member for themselves; usable in servers, the bot's DM and
    // private channels (ARCHITECTURE: "Where the bot can be used").
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub async fn source(
    ctx: Context<'_>,
    #[description = "A fact: shows the paragraph its quote comes from"]
    #[autocomplete = "complete_fact"]
    fact: Option<String>,
    #[description = "A paragraph number (0 is the headline)"]
    #[min = 0]
    #[max = 10000]
    paragraph: Option<u32>,
    #[description = "The article, when there is more than one"]
    #[autocomplete = "complete_article"]
    article: Option<String>,
) -> Result<(), Error> {
    let engine = ctx.data().workflow.current();
    let reply = show(
        engine.knowledge(),
        fact.as_deref(),
        paragraph.map(|n| n as usize),
        article.as_deref(),
    )?;
    ctx.send(reply.to_poise()).await?;
    Ok(())
}

async fn complete_fact(ctx: Context<'_>, typed: &str) -> serenity::CreateAutocompleteResponse {
    let engine = ctx.data().workflow.current();
    autocomplete::response(autocomplete::fact_choices(engine.knowledge(), typed))
}

async fn complete_article(ctx: Context<'_>, typed: &str) -> serenity::CreateAutocompleteResponse {
    let engine = ctx.data().workflow.current();
    let typed = typed.trim().to_lowercase();
    autocomplete::response(
        engine
            .knowledge()
            .sources
            .values()
            .filter(|s| s.id.contains(&typed) || s.title.to_lowercase().contains(&typed))
            .map(|s| Choice {
                name: crate::discord::limits::truncate(&s.title, 100),
                value: s.id.clone(),
            }),
    )
}

pub fn show(
    knowledge: &KnowledgeBase,
    fact: Option<&str>,
    paragraph: Option<usize>,
    article: Option<&str>,
) -> Result<Reply, Error> {
    if let Some(id) = fact.map(str::trim).filter(|id| !id.is_empty()) {
        let fact = knowledge.fact(id).ok_or_else(|| {
            user_error(format!(
                "I have no fact with the id “{id}”. /facts lists them all."
            ))
        })?;
        let source = knowledge.source_of(fact);
        let mut reply = paragraph_reply(source, fact.paragraph);
        if let Some(embed) = reply.embed.as_mut() {
            embed.fields.insert(
                0,
                Field {
                    name: format!(
                        "Quoted by the fact {}{}",
                        fact.id,
                        superseded_note(knowledge, fact)
                    ),
                    value: format!("> {}", fact.quote),
                    inline: false,
                },
            );
        }
        return Ok(reply.fit());
    }
    let Some(number) = paragraph else {
        return Err(user_error(
            "Pick a fact (`fact:`) or a paragraph number (`paragraph:`) to show.",
        ));
    };
    let source = pick_article(knowledge, article)?;
    if number >= source.paragraphs.len() {
        return Err(user_error(format!(
            "“{}” has paragraphs 0 to {}.",
            source.title,
            source.paragraphs.len() - 1
        )));
    }
    Ok(paragraph_reply(source, number).fit())
}

/// " (superseded by a newer report: ID)" for a fact a newer one replaced, else nothing.
pub fn superseded_note(knowledge: &KnowledgeBase, fact: &crate::knowledge::Fact) -> String {
    match fact.newer.first() {
        Some(&newer) => format!(
            " (superseded by a newer report: {})",
            knowledge.facts[newer].id
        ),
        None => String::new(),
    }
}

fn pick_article<'a>(
    knowledge: &'a KnowledgeBase,
    article: Option<&str>,
) -> Result<&'a Source, Error> {
    match article.map(str::trim).filter(|a| !a.is_empty()) {
        Some(id) => knowledge.sources.get(id).map(|s| &**s).ok_or_else(|| {
            user_error(format!(
                "I have no article with the id “{id}”. /help lists the sources."
            ))
        }),
        None if knowledge.sources.len() == 1 => Ok(knowledge.sources.values().next().expect("one")),
        None => Err(user_error(
            "I have several articles; pick one with `article:` as well.",
        )),
    }
}

fn paragraph_reply(source: &Source, number: usize) -> Reply {
    let mut fields = vec![Field {
        name: "Citation".to_string(),
        value: format!(
            "{}, paragraph {} · {} · reported events of {}",
            source.title, number, source.dateline, source.event_date
        ),
        inline: false,
    }];
    let published: Vec<String> = [
        ("Publisher", &source.publisher),
        ("Byline", &source.byline),
        ("Link", &source.url),
    ]
    .iter()
    .filter(|(_, value)| value.as_str() != "unknown" && !value.is_empty())
    .map(|(label, value)| format!("{label}: {value}"))
    .collect();
    if !published.is_empty() {
        fields.push(Field {
            name: "Published".to_string(),
            value: published.join("\n"),
            inline: false,
        });
    }
    Reply::embed(Embed {
        title: source.title.clone(),
        description: source.paragraphs[number].clone(),
        fields,
        footer: format!("Source id: {}", source.id),
        colour: NOTICE_COLOUR,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped base with the made-up Geneva follow-up of `tests/second_article/`.
    fn with_second_article() -> (tempfile::TempDir, KnowledgeBase) {
        let temp = tempfile::tempdir().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = temp.path().join("knowledge");
        for (from, to) in [
            ("knowledge", ""),
            ("knowledge/sources", "sources"),
            ("knowledge/facts", "facts"),
            ("tests/second_article/sources", "sources"),
            ("tests/second_article/facts", "facts"),
        ] {
            std::fs::create_dir_all(dir.join(to)).unwrap();
            for entry in std::fs::read_dir(root.join(from)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    std::fs::copy(&path, dir.join(to).join(path.file_name().unwrap())).unwrap();
                }
            }
        }
        let knowledge = KnowledgeBase::load(&dir).unwrap();
        (temp, knowledge)
    }

    #[test]
    fn source_and_facts_mark_a_superseded_fact_with_its_newer_report() {
        let (_temp, knowledge) = with_second_article();
        let reply = show(&knowledge, Some("venue-hallandale-florida"), None, None).unwrap();
        assert_eq!(
            reply.embed.unwrap().fields[0].name,
            "Quoted by the fact venue-hallandale-florida (superseded by a newer report: geneva-venue)"
        );
        let reply = show(&knowledge, Some("geneva-venue"), None, None).unwrap();
        assert_eq!(
            reply.embed.unwrap().fields[0].name,
            "Quoted by the fact geneva-venue"
        );
        let page = super::super::facts::page(&knowledge, Some("venue"), 0).unwrap();
        let names: Vec<String> = page
            .embed
            .unwrap()
            .fields
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert!(
            names.contains(
                &"venue-hallandale-florida (superseded by a newer report: geneva-venue)"
                    .to_string()
            ),
            "{names:?}"
        );
        assert!(names.contains(&"geneva-venue".to_string()), "{names:?}");
    }
}
