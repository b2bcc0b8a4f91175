//! `talkbot add-source FILE.txt [--id ID] [--published YYYY-MM-DD]`: the first ten minutes of
//! adding an article, done for the moderator. It copies the text into `sources/`, writes the
//! metadata (title from the first line, dateline and event date detected, furniture guessed, each
//! guess marked REVIEW), and a facts file of commented-out drafts, one per sentence, with the
//! verbatim quote and its paragraph filled in. Nothing is live until a moderator uncomments a
//! draft, so `check` passes right after, and the drafts' quotes cannot be mistyped.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::knowledge::{Date, KnowledgeBase};

/// Words that make a short line page furniture rather than a paragraph ("Read more", "Share").
const FURNITURE_WORDS: &[&str] = &[
    "advertisement",
    "recommended",
    "related",
    "read more",
    "share",
    "subscribe",
    "sign up",
    "newsletter",
    "most read",
    "more on this",
    "follow us",
];

pub fn run(
    knowledge_dir: &Path,
    file: &Path,
    id: Option<&str>,
    published: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let text = fs::read_to_string(file)
        .with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
    let id = match id {
        Some(id) => id.trim().to_string(),
        None => slug(
            &file
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default(),
        ),
    };
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        bail!("the source id `{id}` must be lowercase letters, digits and hyphens; give one with --id");
    }
    let published = match published.map(str::trim) {
        None | Some("unknown") => "unknown".to_string(),
        Some(date) => match Date::parse_iso(date) {
            Some(date) => date.iso(),
            None => bail!("--published {date} is not a date written YYYY-MM-DD, like 2026-12-08"),
        },
    };
    let text_path = knowledge_dir.join("sources").join(format!("{id}.txt"));
    let meta_path = text_path.with_extension("toml");
    let facts_path = knowledge_dir.join("facts").join(format!("{id}.toml"));
    for path in [&text_path, &meta_path, &facts_path] {
        if path.exists() {
            bail!(
                "{} already exists; pick another id with --id, or remove the old files first",
                path.display()
            );
        }
    }
    let draft = Draft::of(&id, &text, &published);
    if draft.paragraphs.len() < 2 {
        bail!(
            "{} has no article text after its title line (the title first, then one paragraph per line)",
            file.display()
        );
    }
    fs::create_dir_all(knowledge_dir.join("sources"))?;
    fs::create_dir_all(knowledge_dir.join("facts"))?;
    fs::write(&text_path, &text)?;
    fs::write(&meta_path, draft.metadata())?;
    fs::write(&facts_path, draft.facts())?;
    println!(
        "added {}, {} and {} ({} draft facts, all commented out)",
        shown(knowledge_dir, &text_path),
        shown(knowledge_dir, &meta_path),
        shown(knowledge_dir, &facts_path),
        draft.sentences()
    );
    println!(
        "next: review the lines marked REVIEW in {}, then turn drafts into facts in {} (see \"Adding an article\" in knowledge/README.md)",
        shown(knowledge_dir, &meta_path),
        shown(knowledge_dir, &facts_path)
    );
    match KnowledgeBase::load(knowledge_dir) {
        Ok(knowledge) => {
            for note in alias_notes(&knowledge, &id) {
                println!("{note}");
            }
            println!("{}", super::check::summary(&knowledge));
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("{errors}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A file name as a source id: "Geneva Talks (Dec 7).txt" → "geneva-talks-dec-7".
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// What add-source writes, worked out from the text alone.
struct Draft {
    id: String,
    published: String,
    /// Numbered as the loader numbers them: title 0, then non-furniture lines.
    paragraphs: Vec<String>,
    furniture: Vec<String>,
    dateline: Option<String>,
    event_date: Option<String>,
}

impl Draft {
    fn of(id: &str, text: &str, published: &str) -> Draft {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut paragraphs = Vec::new();
        let mut furniture = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 && looks_like_furniture(line) {
                if !furniture.contains(&line.to_string()) {
                    furniture.push(line.to_string());
                }
            } else {
                paragraphs.push(line.to_string());
            }
        }
        let first = paragraphs.get(1).map(String::as_str).unwrap_or("");
        Draft {
            id: id.to_string(),
            published: published.to_string(),
            dateline: dateline(first),
            event_date: paragraphs.iter().skip(1).find_map(|p| event_date(p)),
            paragraphs,
            furniture,
        }
    }

    fn sentences(&self) -> usize {
        self.paragraphs[1..]
            .iter()
            .map(|p| sentences(p).len())
            .sum()
    }

    fn metadata(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Metadata for the article in {id}.txt (written by `talkbot add-source`).\n\
             # Facts point at this article with:  source = \"{id}\"\n\
             # Lines marked REVIEW were guessed from the text: check them against the article.\n\
             # Write \"unknown\" when the article does not say; never guess.\n",
            id = self.id
        );
        let _ = writeln!(
            out,
            "# The headline: the first line of the text file (paragraph 0).\ntitle = {}\n",
            quoted(&self.paragraphs[0])
        );
        let _ = writeln!(
            out,
            "# The place printed at the start of the first paragraph.{}\ndateline = {}\n",
            review(self.dateline.is_some()),
            quoted(self.dateline.as_deref().unwrap_or("unknown"))
        );
        let _ = writeln!(
            out,
            "# The date of the events the article reports, as it gives it (with the year if it\n\
             # gives one).{}\nevent_date = {}\n",
            review(self.event_date.is_some()),
            quoted(self.event_date.as_deref().unwrap_or("unknown"))
        );
        let _ = writeln!(
            out,
            "# When the article was published, YYYY-MM-DD, or \"unknown\". It decides which of\n\
             # two reports is newer.\npublished = {}\n",
            quoted(&self.published)
        );
        let _ = writeln!(
            out,
            "publisher = \"unknown\"\nurl = \"unknown\"\nbyline = \"unknown\"\n"
        );
        let list: Vec<String> = self.furniture.iter().map(|f| quoted(f)).collect();
        let _ = writeln!(
            out,
            "# Lines of the text that are not article text (menus, \"read more\" links): not\n\
             # numbered, never quoted.{}\nfurniture = [{}]",
            review(!self.furniture.is_empty()),
            list.join(", ")
        );
        out
    }

    fn facts(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Facts from the article sources/{id}.txt: drafts written by `talkbot add-source`.\n\
             #\n\
             # Each draft below is one sentence of the article, commented out. For each sentence\n\
             # a member might ask about: remove the \"# \" in front of its lines, write the\n\
             # statement (only what the quote says) and 6 to 12 questions, pick the topic, and\n\
             # if it replaces an older fact, name it in supersedes. Shorten the quote to the\n\
             # words that prove the statement, but never retype it. Delete the drafts you do\n\
             # not use. Then run `talkbot check`.",
            id = self.id
        );
        for (number, paragraph) in self.paragraphs.iter().enumerate().skip(1) {
            for (k, sentence) in sentences(paragraph).iter().enumerate() {
                let _ = write!(
                    out,
                    "\n# Paragraph {number}, sentence {}.\n\
                     # [[fact]]\n\
                     # id = \"{id}-p{number}-s{}\"\n\
                     # topic = \"\"\n\
                     # statement = \"\"\n\
                     # questions = [\n\
                     #   \"\",\n\
                     # ]\n\
                     # source = \"{id}\"\n\
                     # quote = {}\n\
                     # supersedes = \"\"   # an older fact's id, if this report replaces it; else delete the line\n",
                    k + 1,
                    k + 1,
                    quoted(sentence),
                    id = self.id
                );
            }
        }
        out
    }
}

fn review(guessed: bool) -> &'static str {
    if guessed {
        "\n# REVIEW: guessed by add-source."
    } else {
        "\n# REVIEW: not found in the text; fill in, or leave \"unknown\"."
    }
}

/// A TOML basic string holding `text` exactly.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A short line with no sentence punctuation, or one of the usual page links.
fn looks_like_furniture(line: &str) -> bool {
    let lower = line.to_lowercase();
    let words = line.split_whitespace().count();
    let ends_like_prose = line.ends_with(['.', '!', '?', '"', '”', ':', ';', ',']);
    (words <= 4 && !ends_like_prose)
        || (words <= 6 && FURNITURE_WORDS.iter().any(|w| lower.starts_with(w)))
}

/// "GENEVA — The talks…" → "GENEVA"; "WASHINGTON, Dec 7 (Reuters) -" → "WASHINGTON".
fn dateline(paragraph: &str) -> Option<String> {
    let head = ["—", "–", " - "]
        .iter()
        .filter_map(|dash| paragraph.find(dash).map(|at| &paragraph[..at]))
        .min_by_key(|head| head.len())?;
    let place = head.split(',').next()?.trim();
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    (!letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) && place.len() <= 40)
        .then(|| place.to_string())
}

/// The first "December 7" or "December 7, 2026" in a paragraph, as written.
fn event_date(paragraph: &str) -> Option<String> {
    let words: Vec<&str> = paragraph.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let month = word.trim_matches(|c: char| !c.is_alphabetic());
        if month.len() < 3
            || !month.starts_with(char::is_uppercase)
            || crate::knowledge::date::month_number(month).is_none()
        {
            continue;
        }
        let Some(day) = words.get(i + 1) else {
            continue;
        };
        let day_digits = day.trim_end_matches(|c: char| !c.is_ascii_digit());
        let candidate = format!("{month} {day_digits}");
        if crate::knowledge::date::parse_event_date(&candidate).is_none() {
            continue;
        }
        let year = words
            .get(i + 2)
            .filter(|_| day.ends_with(','))
            .map(|y| y.trim_end_matches(|c: char| !c.is_ascii_digit()))
            .filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()));
        return Some(match year {
            Some(year) => format!("{candidate}, {year}"),
            None => candidate,
        });
    }
    None
}

/// A paragraph cut into sentences, each verbatim: at ". ", "? " or "! " before a capital
/// letter or an opening quote. An abbreviation ("U.S. Secretary") may cut a sentence in two;
/// both halves are still verbatim, and the moderator joins them if needed.
fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for k in 0..chars.len() {
        let (at, c) = chars[k];
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let (Some(&(_, space)), Some(&(next_at, next))) = (chars.get(k + 1), chars.get(k + 2))
        else {
            continue;
        };
        if space == ' ' && (next.is_uppercase() || matches!(next, '"' | '“' | '‘')) {
            out.push(paragraph[start..at + c.len_utf8()].trim());
            start = next_at;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Names in the new article that the aliases may read differently: a multi-word alias found
/// inside a longer name ("Deputy Secretary of State" holds "secretary of state", which means
/// Rubio here), and capitalised names the base has never seen, which may need an alias.
fn alias_notes(knowledge: &KnowledgeBase, id: &str) -> Vec<String> {
    let Some(source) = knowledge.sources.get(id) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for (number, paragraph) in source.paragraphs.iter().enumerate() {
        // Each folded word, with whether the word it came from is capitalised: only a
        // capitalised word before the alias ("Deputy Secretary of State") makes a longer name;
        // "joined Steve Witkoff" is the alias's own person.
        let mut words: Vec<(String, bool)> = Vec::new();
        for raw in paragraph.split_whitespace() {
            let capital = raw
                .chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(char::is_uppercase);
            words.extend(
                crate::text::fold_words(raw)
                    .into_iter()
                    .map(|w| (w, capital)),
            );
        }
        for alias in knowledge.aliases.iter().filter(|a| a.variant.len() > 1) {
            let n = alias.variant.len();
            for start in 1..words.len().saturating_sub(n - 1) {
                let here = words[start..start + n].iter().map(|(w, _)| w);
                if !words[start - 1].1 || !here.eq(alias.variant.iter()) {
                    continue;
                }
                notes.push(format!(
                    "review aliases.toml: paragraph {number} has \"{} {}\", and line {} of aliases.toml makes \"{}\" mean `{}`; if it is someone else here, the bot will read it as `{}`",
                    words[start - 1].0,
                    alias.variant.join(" "),
                    alias.line,
                    alias.variant.join(" "),
                    alias.canonical.join(" "),
                    alias.canonical.join(" ")
                ));
            }
        }
    }
    // Capitalised words (not starting a sentence) that no other article and no alias has.
    let known =
        |word: &str| {
            knowledge.aliases.iter().any(|a| {
                a.variant.iter().any(|w| w == word) || a.canonical.iter().any(|w| w == word)
            }) || knowledge.sources.values().filter(|s| s.id != id).any(|s| {
                s.paragraphs
                    .iter()
                    .any(|p| crate::text::fold_words(p).iter().any(|w| w == word))
            })
        };
    let mut new_names: Vec<String> = Vec::new();
    for paragraph in &source.paragraphs[1..] {
        let raw: Vec<&str> = paragraph.split_whitespace().collect();
        for (i, word) in raw.iter().enumerate() {
            let previous_ends = i == 0 || raw[i - 1].ends_with(['.', '?', '!', '—']);
            let starts_capital = word.chars().next().is_some_and(char::is_uppercase);
            let lower_rest = word.chars().skip(1).any(char::is_lowercase);
            if previous_ends || !starts_capital || !lower_rest {
                continue;
            }
            for folded in crate::text::fold_words(word) {
                let month =
                    folded.len() > 3 && crate::knowledge::date::month_number(&folded).is_some();
                if !month && !known(&folded) && !new_names.contains(&folded) {
                    new_names.push(folded);
                }
            }
        }
    }
    if !new_names.is_empty() {
        notes.push(format!(
            "review aliases.toml: names this article uses that no other article or alias has: {} (add spellings members may use, see \"Aliases\" in knowledge/README.md)",
            new_names.join(", ")
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_cut_verbatim_at_sentence_ends() {
        assert_eq!(
            sentences("GENEVA — They met. Talks went on! Did they? “Yes,” he said."),
            vec![
                "GENEVA — They met.",
                "Talks went on!",
                "Did they?",
                "“Yes,” he said."
            ]
        );
    }

    #[test]
    fn the_dateline_is_the_capitals_before_the_dash() {
        assert_eq!(dateline("GENEVA — The talks"), Some("GENEVA".to_string()));
        assert_eq!(
            dateline("WASHINGTON, Dec 7 (Reuters) - Talks"),
            Some("WASHINGTON".to_string())
        );
        assert_eq!(dateline("The talks — in Geneva"), None);
    }

    #[test]
    fn the_event_date_is_the_first_month_and_day() {
        assert_eq!(
            event_date("They met on December 7, 2026, in Geneva."),
            Some("December 7, 2026".to_string())
        );
        assert_eq!(
            event_date("They met on December 7th."),
            Some("December 7".to_string())
        );
        assert_eq!(event_date("They may meet again."), None);
    }

    #[test]
    fn short_lines_without_punctuation_are_guessed_as_furniture() {
        assert!(looks_like_furniture("Recommended Articles"));
        assert!(looks_like_furniture("Share this article on social media"));
        assert!(!looks_like_furniture(
            "GENEVA — The talks resumed on Monday."
        ));
    }

    #[test]
    fn a_file_name_becomes_a_source_id() {
        assert_eq!(slug("Geneva Talks (Dec 7)"), "geneva-talks-dec-7");
    }
}
