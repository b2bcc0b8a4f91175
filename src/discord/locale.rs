//! Ukrainian and Russian for everything the bot says in its own words: command and option
//! names and descriptions (registered with Discord, so its menus show them in the member's
//! language), and the fixed texts of replies: the refusal, follow-up notes, help, buttons,
//! notices and errors. All of it is here, in one table per kind, so a translator edits one file.
//!
//! What is not translated, on purpose: quotes (they stay as the article published them, which
//! is the point of quoting), and the fact base's own statements and questions (moderators write
//! those; the core says in the member's language that quotes are in English).
//!
//! Which language: an interaction's `locale` (the member's Discord language); for a mention,
//! the server's preferred locale. Anything but `uk` and `ru` is English.

use poise::serenity_prelude as serenity;

use super::commands::ask_message::{NOTHING_ON_THIS, NO_TEXT, POST_LABEL};
use super::data::Command;
use super::error::INTERNAL_ERROR;
use super::reply::Reply;
use crate::answer::{PART_REFUSAL, REFUSAL};
use crate::conversation::{NOTHING_MORE, NO_CONTEXT};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    Uk,
    Ru,
}

impl Locale {
    /// A Discord locale ("uk", "ru", "en-US", …) as one of ours.
    pub fn of(discord: &str) -> Locale {
        match discord.split('-').next().unwrap_or_default() {
            "uk" => Locale::Uk,
            "ru" => Locale::Ru,
            _ => Locale::En,
        }
    }

    /// The member's language, for a command.
    pub fn of_command(ctx: super::data::Context<'_>) -> Locale {
        ctx.locale().map_or(Locale::En, Locale::of)
    }

    /// The server's preferred locale, for a mention (messages carry no member locale).
    pub fn of_guild(ctx: &serenity::Context, guild: Option<serenity::GuildId>) -> Locale {
        guild
            .and_then(|guild| {
                ctx.cache
                    .guild(guild)
                    .map(|g| Locale::of(&g.preferred_locale))
            })
            .unwrap_or(Locale::En)
    }
}

/// (English, Ukrainian, Russian): the fixed texts of replies, longest first where one holds
/// another (the no-context refusal begins with the plain refusal).
const TEXTS: &[(&str, &str, &str)] = &[
    (
        NO_CONTEXT,
        "Я не маю відповіді на це, підтвердженої джерелом у моїй базі фактів. Спершу поставте \
         запитання; тоді \"source?\", \"why?\" або \"more\" продовжать мою відповідь.",
        "У меня нет ответа на это, подтверждённого источником в моей базе фактов. Сначала \
         задайте вопрос; тогда \"source?\", \"why?\" или \"more\" продолжат мой ответ.",
    ),
    (
        REFUSAL,
        "Я не маю відповіді на це, підтвердженої джерелом у моїй базі фактів.",
        "У меня нет ответа на это, подтверждённого источником в моей базе фактов.",
    ),
    (
        PART_REFUSAL,
        "Я не маю відповіді з джерелом на цю частину:",
        "У меня нет ответа с источником на эту часть:",
    ),
    (
        "You could ask one of these:",
        "Можна запитати, наприклад:",
        "Можно спросить, например:",
    ),
    (
        NOTHING_MORE,
        "Більше про це в моїй базі фактів нічого немає.",
        "Больше об этом в моей базе фактов ничего нет.",
    ),
    (
        NOTHING_ON_THIS,
        "У базі фактів про це нічого немає.",
        "В базе фактов об этом ничего нет.",
    ),
    (
        NO_TEXT,
        "У цьому повідомленні немає тексту, про який можна запитати.",
        "В этом сообщении нет текста, о котором можно спросить.",
    ),
    (
        INTERNAL_ERROR,
        "Щось пішло не так на моєму боці. Це записано в журнал; спробуйте ще раз за мить.",
        "Что-то пошло не так с моей стороны. Это записано в журнал; попробуйте ещё раз чуть позже.",
    ),
    (
        "That is what the source says (confidence",
        "Ось що каже джерело (впевненість",
        "Вот что говорит источник (уверенность",
    ),
    (
        "shows the whole paragraph",
        "показує весь абзац",
        "показывает весь абзац",
    ),
    ("Confidence", "Впевненість", "Уверенность"),
];

/// Button labels, matched whole, so a suggestion (a question from the base) is never touched.
const LABELS: &[(&str, &str, &str)] = &[
    ("👍 Helpful", "👍 Корисно", "👍 Полезно"),
    ("👎 Not helpful", "👎 Не корисно", "👎 Бесполезно"),
    (POST_LABEL, "Опублікувати в каналі", "Опубликовать в канале"),
];

fn pick(locale: Locale, (en, uk, ru): (&'static str, &'static str, &'static str)) -> &'static str {
    match locale {
        Locale::En => en,
        Locale::Uk => uk,
        Locale::Ru => ru,
    }
}

fn translate(text: &str, locale: Locale) -> String {
    let mut out = text.to_string();
    for &entry in TEXTS {
        if out.contains(entry.0) {
            out = out.replace(entry.0, pick(locale, entry));
        }
    }
    out
}

/// `reply` with its fixed texts in `locale`: the content, the embed's description and footer
/// (quotes are in the fields, which stay as they are) and the bot's own button labels.
pub fn localize(mut reply: Reply, locale: Locale) -> Reply {
    if locale == Locale::En {
        return reply;
    }
    reply.content = translate(&reply.content, locale);
    if let Some(embed) = reply.embed.as_mut() {
        embed.description = translate(&embed.description, locale);
        embed.footer = translate(&embed.footer, locale);
    }
    for button in &mut reply.buttons {
        if let Some(&entry) = LABELS.iter().find(|(en, _, _)| *en == button.label) {
            button.label = pick(locale, entry).to_string();
        }
    }
    reply
}

/// The mention cooldown's notice.
pub fn cooldown(locale: Locale, seconds: u64) -> String {
    match locale {
        Locale::En => {
            format!("One question every few seconds, please; ask me again in {seconds} s.")
        }
        Locale::Uk => format!(
            "Одне запитання раз на кілька секунд, будь ласка; запитайте знову через {seconds} с."
        ),
        Locale::Ru => format!(
            "Один вопрос раз в несколько секунд, пожалуйста; спросите снова через {seconds} с."
        ),
    }
}

/// `/help`'s introduction and its field names.
pub struct HelpTexts {
    pub title: &'static str,
    /// With `{bot}` where the bot's mention goes.
    pub intro: &'static str,
    pub topics: &'static str,
    pub sources: &'static str,
    pub moderators: &'static str,
}

pub fn help(locale: Locale) -> Option<HelpTexts> {
    match locale {
        Locale::En => None,
        Locale::Uk => Some(HelpTexts {
            title: "talkbot: відповіді з джерелами про перемовини США й України",
            intro: "Я відповідаю на запитання про мирні перемовини США й України з бази фактів, \
                    яку ведуть модератори, і кожна відповідь цитує статтю, на якій вона \
                    ґрунтується. Коли відповіді немає, я так і кажу й пропоную запитання, на \
                    які можу відповісти; я ніколи не вгадую. Цитати подано англійською, як їх \
                    опубліковано.\n\n\
                    **Запитати**: `/ask` або згадайте мене: {bot} Were elections discussed?\n\
                    **Переглянути**: `/facts` (за темою).\n\
                    **Прочитати джерело**: `/source`.\n\
                    **Продовжити розмову**: дайте відповідь на моє повідомлення: \"source?\", \
                    \"why?\", \"more\", \"and russia?\".\n\
                    **Перевірити повідомлення**: Програми → Ask talkbot.",
            topics: "Теми",
            sources: "Джерела",
            moderators: "Для модераторів",
        }),
        Locale::Ru => Some(HelpTexts {
            title: "talkbot: ответы с источниками о переговорах США и Украины",
            intro: "Я отвечаю на вопросы о мирных переговорах США и Украины по базе фактов, \
                    которую ведут модераторы, и каждый ответ цитирует статью, на которой он \
                    основан. Когда ответа нет, я так и говорю и предлагаю вопросы, на которые \
                    могу ответить; я никогда не угадываю. Цитаты приведены на английском, как \
                    они опубликованы.\n\n\
                    **Спросить**: `/ask` или упомяните меня: {bot} Were elections discussed?\n\
                    **Посмотреть**: `/facts` (по теме).\n\
                    **Прочитать источник**: `/source`.\n\
                    **Продолжить разговор**: ответьте на моё сообщение: \"source?\", \"why?\", \
                    \"more\", \"and russia?\".\n\
                    **Проверить сообщение**: Приложения → Ask talkbot.",
            topics: "Темы",
            sources: "Источники",
            moderators: "Для модераторов",
        }),
    }
}

/// Command names and descriptions: (command, uk name, uk description, ru name, ru description).
/// Names follow Discord's rule for slash commands (lower case, no spaces); the message command's
/// name is shown as written.
const COMMANDS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "ask",
        "запитати",
        "Запитайте про мирні перемовини США й України; кожна відповідь цитує джерело.",
        "спросить",
        "Спросите о мирных переговорах США и Украины; каждый ответ цитирует источник.",
    ),
    (
        "facts",
        "факти",
        "Перегляньте, що я знаю, за темами.",
        "факты",
        "Посмотрите, что я знаю, по темам.",
    ),
    (
        "source",
        "джерело",
        "Покажіть абзац джерела повністю, з посиланням.",
        "источник",
        "Покажите абзац источника полностью, со ссылкой.",
    ),
    (
        "help",
        "довідка",
        "Що я знаю, звідки це, і як мене питати.",
        "справка",
        "Что я знаю, откуда это и как меня спрашивать.",
    ),
    (
        "refresh",
        "оновити",
        "Перезавантажити базу фактів з диска (лише модератори).",
        "обновить",
        "Перезагрузить базу фактов с диска (только модераторы).",
    ),
    (
        "unanswered",
        "без-відповіді",
        "Запитання, на які я не відповів на цьому сервері (лише модератори).",
        "без-ответа",
        "Вопросы, на которые я не ответил на этом сервере (только модераторы).",
    ),
    (
        "feedback",
        "відгуки",
        "Факти, які учасники вважали некорисними (лише модератори).",
        "отзывы",
        "Факты, которые участники сочли бесполезными (только модераторы).",
    ),
    (
        "teach",
        "навчити",
        "Додати запитання до факту, що на нього відповідає (лише модератори).",
        "научить",
        "Добавить вопрос к факту, который на него отвечает (только модераторы).",
    ),
    (
        "ask_message",
        "Запитати talkbot",
        "",
        "Спросить talkbot",
        "",
    ),
];

/// Option names and descriptions: (command, option, uk name, uk description, ru name, ru
/// description).
type OptionTexts = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const OPTIONS: &[OptionTexts] = &[
    (
        "ask",
        "question",
        "запитання",
        "Ваше запитання, простими словами",
        "вопрос",
        "Ваш вопрос, простыми словами",
    ),
    (
        "facts",
        "topic",
        "тема",
        "Лише факти на цю тему",
        "тема",
        "Только факты на эту тему",
    ),
    (
        "source",
        "fact",
        "факт",
        "Факт: показує абзац, з якого його цитата",
        "факт",
        "Факт: показывает абзац, откуда его цитата",
    ),
    (
        "source",
        "paragraph",
        "абзац",
        "Номер абзацу (0 — заголовок)",
        "абзац",
        "Номер абзаца (0 — заголовок)",
    ),
    (
        "source",
        "article",
        "стаття",
        "Стаття, коли їх більше однієї",
        "статья",
        "Статья, когда их больше одной",
    ),
    (
        "teach",
        "question",
        "запитання",
        "Запитання, як його ставлять учасники",
        "вопрос",
        "Вопрос, как его задают участники",
    ),
    (
        "teach",
        "fact",
        "факт",
        "Id факту, що на нього відповідає",
        "факт",
        "Id факта, который на него отвечает",
    ),
    (
        "unanswered",
        "days",
        "днів",
        "За скільки днів дивитися (типово 30)",
        "дней",
        "За сколько дней смотреть (по умолчанию 30)",
    ),
    (
        "feedback",
        "days",
        "днів",
        "За скільки днів дивитися (типово 30)",
        "дней",
        "За сколько дней смотреть (по умолчанию 30)",
    ),
];

/// `command` with its uk and ru names and descriptions, and its options'.
pub fn localize_command(mut command: Command) -> Command {
    // poise's `Command::name` is the function's name for a message command too; its menu
    // label is `context_menu_name`, localized at registration (`register.rs`).
    if let Some(&(_, uk, uk_about, ru, ru_about)) =
        COMMANDS.iter().find(|(name, ..)| *name == command.name)
    {
        command.name_localizations =
            vec![("uk".into(), uk.into()), ("ru".into(), ru.into())].into();
        if !uk_about.is_empty() {
            command.description_localizations = vec![
                ("uk".into(), uk_about.into()),
                ("ru".into(), ru_about.into()),
            ]
            .into();
        }
    }
    let name = command.name.clone();
    for parameter in &mut command.parameters {
        if let Some(&(_, _, uk, uk_about, ru, ru_about)) = OPTIONS
            .iter()
            .find(|(of, option, ..)| *of == name && *option == parameter.name)
        {
            parameter.name_localizations =
                vec![("uk".into(), uk.into()), ("ru".into(), ru.into())].into();
            parameter.description_localizations = vec![
                ("uk".into(), uk_about.into()),
                ("ru".into(), ru_about.into()),
            ]
            .into();
        }
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discords_locales_are_read_by_their_language() {
        assert_eq!(Locale::of("uk"), Locale::Uk);
        assert_eq!(Locale::of("ru"), Locale::Ru);
        assert_eq!(Locale::of("en-US"), Locale::En);
        assert_eq!(Locale::of("de"), Locale::En);
    }

    #[test]
    fn a_refusal_is_translated_and_a_suggestion_is_not() {
        let mut reply = Reply::text(format!("{REFUSAL}\nYou could ask one of these:"));
        reply.buttons.push(super::super::reply::Button {
            label: "Who led the talks?".into(),
            custom_id: "talkbot:ask:x".into(),
            disabled: false,
        });
        let uk = localize(reply, Locale::Uk);
        assert!(
            uk.content.starts_with("Я не маю відповіді"),
            "{}",
            uk.content
        );
        assert!(uk.content.contains("Можна запитати"));
        assert_eq!(uk.buttons[0].label, "Who led the talks?");
    }

    #[test]
    fn every_name_is_one_discord_accepts() {
        for &(_, uk, _, ru, _) in COMMANDS.iter().filter(|c| c.0 != "ask_message") {
            for name in [uk, ru] {
                assert!(name.chars().count() <= 32 && !name.contains(' '), "{name}");
                assert_eq!(name, name.to_lowercase());
            }
        }
        let options = OPTIONS.iter().map(|&(_, _, a, b, c, d)| (a, b, c, d));
        let commands = COMMANDS.iter().map(|&(_, a, b, c, d)| (a, b, c, d));
        for (uk, about_uk, ru, about_ru) in options.chain(commands) {
            assert!(uk.chars().count() <= 32 && ru.chars().count() <= 32);
            assert!(about_uk.chars().count() <= 100 && about_ru.chars().count() <= 100);
        }
    }
}
