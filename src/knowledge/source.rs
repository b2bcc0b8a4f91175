//! Source articles: `sources/<id>.txt` holds the text exactly as published, `sources/<id>.toml`
//! what we know about it. Paragraphs are numbered as readers count them: the title is 0, then
//! every non-empty line in order, skipping page furniture ("Recommended Articles").

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use super::date::{parse_event_date, Date};
use super::files::KnowledgeDir;
use super::problem::{line_at, Problem};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub dateline: String,
    /// The date of the events the article reports, as the article gives it.
    pub event_date: String,
    pub publisher: String,
    pub url: String,
    pub byline: String,
    /// When the article was published; `None` when the metadata says "unknown". What decides
    /// which of two reports is newer.
    pub published: Option<Date>,
    /// Paragraph 0 is the title line.
    pub paragraphs: Vec<String>,
    /// Lines of the text that are not article text; kept to tell a moderator who quotes one.
    pub furniture: Vec<String>,
}

impl Source {
    /// The paragraph that holds `quote` verbatim, if any. A quote never spans two paragraphs,
    /// because a citation names exactly one.
    pub fn paragraph_of(&self, quote: &str) -> Option<usize> {
        // One searcher for every paragraph: `str::contains` would set one up per paragraph.
        let finder = memchr::memmem::Finder::new(quote);
        self.paragraphs
            .iter()
            .position(|p| finder.find(p.as_bytes()).is_some())
    }

    /// The passage of this source closest to `quote`, for the error shown when a quote is not
    /// verbatim: the moderator sees what the article really says. The passage is whole words
    /// (a hint cut mid-word, copied back, is a wrong quote again), about as many as the quote has.
    pub fn closest_passage(&self, quote: &str) -> Option<(usize, String)> {
        let wanted: String = quote.chars().take(400).collect();
        let wanted_words = wanted.split_whitespace().count().max(1);
        let mut best: Option<(f64, usize, String)> = None;
        for (number, paragraph) in self.paragraphs.iter().enumerate() {
            let words: Vec<&str> = paragraph.split_whitespace().collect();
            for start in 0..words.len() {
                for length in wanted_words.saturating_sub(1).max(1)..=wanted_words + 1 {
                    if start + length > words.len() {
                        break;
                    }
                    let window = words[start..start + length].join(" ");
                    let similarity = strsim::normalized_levenshtein(&wanted, &window);
                    if best.as_ref().is_none_or(|(b, _, _)| similarity > *b) {
                        best = Some((similarity, number, window));
                    }
                }
            }
        }
        best.map(|(_, number, window)| (number, window))
    }

    /// The furniture line `quote` was taken from, if it was.
    pub fn furniture_holding(&self, quote: &str) -> Option<&str> {
        let quote = quote.trim();
        self.furniture
            .iter()
            .map(|line| line.trim())
            .find(|line| !quote.is_empty() && line.contains(quote))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceMeta {
    title: Spanned<String>,
    dateline: String,
    event_date: Spanned<String>,
    /// Optional so that older bases load; absent means "unknown".
    #[serde(default)]
    published: Option<Spanned<String>>,
    publisher: String,
    url: String,
    byline: String,
    #[serde(default)]
    furniture: Vec<String>,
}

/// Loads every source in `sources/`, adding what is wrong to `problems`.
/// Warnings (things a moderator should look at that do not stop the bot) go to `warnings`.
/// One source (if it loaded), with its problems and warnings.
pub(super) type LoadedSource = (Option<Arc<Source>>, Vec<Problem>, Vec<Problem>);

pub fn load_sources(
    dir: &KnowledgeDir,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> BTreeMap<String, Arc<Source>> {
    missing_metadata(dir, problems);
    let loaded: Vec<LoadedSource> = dir
        .list("sources", "toml")
        .par_iter()
        .map(|meta_path| load_one(dir, meta_path))
        .collect();
    let mut sources = BTreeMap::new();
    for (source, more_problems, more_warnings) in loaded {
        problems.extend(more_problems);
        warnings.extend(more_warnings);
        if let Some(source) = source {
            sources.insert(source.id.clone(), source);
        }
    }
    sources
}

/// Every article text with no metadata beside it.
pub(super) fn missing_metadata(dir: &KnowledgeDir, problems: &mut Vec<Problem>) {
    for text_path in dir.list("sources", "txt") {
        if !dir.exists_in("sources", &text_path.with_extension("toml")) {
            problems.push(Problem::new(
                dir.display(&text_path),
                None,
                format!(
                    "has no metadata file beside it; create {} (see knowledge/README.md)",
                    dir.display(&text_path.with_extension("toml"))
                ),
            ));
        }
    }
}

/// One source, with its own problems and warnings: what a refresh may remember of it.
pub(super) fn load_one(dir: &KnowledgeDir, meta_path: &Path) -> LoadedSource {
    let (mut problems, mut warnings) = (Vec::new(), Vec::new());
    let source = load_source(dir, meta_path, &mut problems, &mut warnings).map(Arc::new);
    (source, problems, warnings)
}

/// Ids of sources that are in `sources/` but did not load (their problem is already reported).
/// A fact citing one is not reported again as citing an unknown source: the source's own
/// problem says what to fix, and repeating it once per fact would bury it.
pub fn unloaded_ids(
    dir: &KnowledgeDir,
    loaded: &BTreeMap<String, Arc<Source>>,
) -> BTreeSet<String> {
    dir.list("sources", "toml")
        .into_iter()
        .chain(dir.list("sources", "txt"))
        .filter_map(|path| Some(path.file_stem()?.to_string_lossy().to_string()))
        .filter(|id| !loaded.contains_key(id))
        .collect()
}

fn load_source(
    dir: &KnowledgeDir,
    meta_path: &Path,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Option<Source> {
    let id = meta_path.file_stem()?.to_string_lossy().to_string();
    let meta_name = dir.display(meta_path);
    let text_path = meta_path.with_extension("txt");
    let meta_text = dir.read(meta_path).map_err(|p| problems.push(p)).ok()?;
    let meta: SourceMeta = toml::from_str(&meta_text)
        .map_err(|e| problems.push(toml_problem(&meta_name, &meta_text, &e)))
        .ok()?;
    let line = |span: std::ops::Range<usize>| Some(line_at(&meta_text, span.start));
    let published = match &meta.published {
        None => None,
        Some(value) if value.get_ref().trim() == "unknown" => None,
        Some(value) => match Date::parse_iso(value.get_ref()) {
            Some(date) => Some(date),
            None => {
                problems.push(Problem::new(
                    meta_name.clone(),
                    line(value.span()),
                    format!(
                        "published = \"{}\" is not a date written YYYY-MM-DD; write it like \
                         published = \"2026-12-08\", or published = \"unknown\" if the article \
                         does not say",
                        value.get_ref()
                    ),
                ));
                return None;
            }
        },
    };
    let event_date = meta.event_date.get_ref().trim();
    if event_date != "unknown" {
        match parse_event_date(event_date) {
            None => {
                problems.push(Problem::new(
                    meta_name.clone(),
                    line(meta.event_date.span()),
                    format!(
                        "event_date = \"{event_date}\" is not a date I can read; write the month \
                         and day as the article does, with the year if it gives one, like \
                         event_date = \"December 7\" or \"December 7, 2026\", or \"unknown\""
                    ),
                ));
                return None;
            }
            Some((month, day, Some(year))) => {
                let event = Date::new(year, month, day);
                if let (Some(event), Some(published)) = (event, published) {
                    if event > published {
                        problems.push(Problem::new(
                            meta_name.clone(),
                            line(meta.event_date.span()),
                            format!(
                                "event_date {} is after the article was published ({}); an \
                                 article reports events before it appears: check both dates",
                                event.iso(),
                                published.iso()
                            ),
                        ));
                        return None;
                    }
                }
            }
            Some(_) => {}
        }
    }
    if !text_path.exists() {
        problems.push(Problem::new(
            meta_name,
            None,
            format!("the article text {} is missing", dir.display(&text_path)),
        ));
        return None;
    }
    let text = dir.read(&text_path).map_err(|p| problems.push(p)).ok()?;
    let paragraphs: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !meta.furniture.iter().any(|f| f.trim() == *line))
        .map(str::to_string)
        .collect();
    if paragraphs.is_empty() {
        problems.push(Problem::new(dir.display(&text_path), None, "is empty"));
        return None;
    }
    let title = meta.title.get_ref().trim().to_string();
    if crate::text::fold_words(&title) != crate::text::fold_words(&paragraphs[0]) {
        warnings.push(Problem::new(
            meta_name.clone(),
            line(meta.title.span()),
            format!(
                "title \"{title}\" is not the first line of {}, \"{}\"; copy that line here \
                 (members see this title in every citation)",
                dir.display(&text_path),
                paragraphs[0]
            ),
        ));
    }
    Some(Source {
        id,
        title,
        dateline: meta.dateline,
        event_date: event_date.to_string(),
        publisher: meta.publisher,
        url: meta.url,
        byline: meta.byline,
        published,
        paragraphs,
        furniture: meta.furniture,
    })
}

/// A TOML syntax or shape error, placed on its line, in words a moderator can act on. toml's
/// own messages name the parser's state ("invalid array expected `]`"), often on the line after
/// the slip; the commonest slips are recognised and said as the fix, at the line to fix.
pub fn toml_problem(file: &str, text: &str, error: &toml::de::Error) -> Problem {
    let line = error.span().map(|span| line_at(text, span.start));
    let message = error.message().trim().replace('\n', " ");
    if let Some(header) = single_bracket_fact(text) {
        if message.contains("duplicate key `fact`") || message.contains("expected a sequence") {
            return Problem::new(
                file,
                Some(header),
                "write [[fact]], with two brackets on each side: every fact starts with [[fact]]",
            );
        }
    }
    if message.starts_with("invalid array") {
        // On one line (`["a" "b"]`) the comma goes before the item toml stopped at.
        if let Some(start) = error.span().map(|span| span.start.min(text.len())) {
            let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
            let before = text[line_start..start].trim();
            let item: String = text[start..].chars().take_while(|c| *c != '\n').collect();
            let item = item.trim();
            if before.contains('[')
                && !before.ends_with(',')
                && !before.ends_with('[')
                && !item.is_empty()
                && !item.starts_with(']')
            {
                let item: String = item.chars().take(30).collect();
                return Problem::new(
                    file,
                    line,
                    format!(
                        "add a comma before {item} on line {}: items in a list [ … ] are \
                         separated by commas",
                        line.unwrap_or(1)
                    ),
                );
            }
        }
        if let Some(before) = line.and_then(|line| previous_content_line(text, line)) {
            let ends = text.lines().nth(before - 1).unwrap_or("").trim_end();
            if ends.ends_with(',') || ends.ends_with('[') {
                return Problem::new(
                    file,
                    Some(before),
                    format!("close the list: put ] on the line after line {before}"),
                );
            }
            return Problem::new(
                file,
                Some(before),
                format!(
                    "add a comma at the end of line {before}: items in a list [ … ] are separated \
                     by commas"
                ),
            );
        }
    }
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        return Problem::new(
            file,
            line,
            format!(
                "{message}: a text value must end with a closing quote on the same line \
                 (put text that runs over several lines between \"\"\" and \"\"\")"
            ),
        );
    }
    Problem::new(file, line, message)
}

/// The 1-based line of a `[fact]` header (one bracket each side), if the file has one.
fn single_bracket_fact(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.split('#').next().unwrap_or("").trim().replace(' ', "") == "[fact]")
        .map(|i| i + 1)
}

/// The last line before `line` (1-based) that holds more than blanks and a comment: where a
/// comma left out of a list belongs.
fn previous_content_line(text: &str, line: usize) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    (1..line.min(lines.len() + 1)).rev().find(|&n| {
        let content = lines[n - 1].trim();
        !content.is_empty() && !content.starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Problem {
        let error = toml::from_str::<toml::Table>(text).unwrap_err();
        toml_problem("aliases.toml", text, &error)
    }

    #[test]
    fn a_comma_missing_between_items_on_one_line_is_placed_before_the_second() {
        let found = problem("[synonyms]\ntalks = [\"meet\" \"met\"]\n");
        assert_eq!(found.line, Some(2));
        assert_eq!(
            found.message,
            "add a comma before \"met\"] on line 2: items in a list [ … ] are separated by commas"
        );
    }

    #[test]
    fn a_comma_missing_at_the_end_of_a_line_is_placed_there() {
        let found = problem("talks = [\n  \"meet\"\n  \"met\",\n]\n");
        assert_eq!(found.line, Some(2));
        assert!(
            found
                .message
                .starts_with("add a comma at the end of line 2"),
            "{found}"
        );
    }

    #[test]
    fn a_list_never_closed_is_said_so() {
        let found = problem("talks = [\n  \"meet\",\n  \"met\",\nid = \"x\"\n");
        assert_eq!(
            found.message,
            "close the list: put ] on the line after line 3"
        );
    }
}
