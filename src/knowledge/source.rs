//! Source articles: `sources/<id>.txt` holds the text exactly as published, `sources/<id>.toml`
//! what we know about it. Paragraphs are numbered as readers count them: the title is 0, then
//! every non-empty line in order, skipping page furniture ("Recommended Articles").

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

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
    /// Paragraph 0 is the title line.
    pub paragraphs: Vec<String>,
}

impl Source {
    /// The paragraph that holds `quote` verbatim, if any. A quote never spans two paragraphs,
    /// because a citation names exactly one.
    pub fn paragraph_of(&self, quote: &str) -> Option<usize> {
        self.paragraphs.iter().position(|p| p.contains(quote))
    }

    /// The passage of this source closest to `quote`, for the error shown when a quote is not
    /// verbatim: the moderator sees what the article really says.
    pub fn closest_passage(&self, quote: &str) -> Option<(usize, String)> {
        let wanted: Vec<char> = quote.chars().take(400).collect();
        let wanted_text: String = wanted.iter().collect();
        let mut best: Option<(f64, usize, String)> = None;
        for (number, paragraph) in self.paragraphs.iter().enumerate() {
            let chars: Vec<char> = paragraph.chars().collect();
            let starts = (0..chars.len()).filter(|&i| i == 0 || chars[i - 1] == ' ');
            for start in starts {
                let end = (start + wanted.len()).min(chars.len());
                let window: String = chars[start..end].iter().collect();
                let similarity = strsim::normalized_levenshtein(&wanted_text, &window);
                if best.as_ref().is_none_or(|(b, _, _)| similarity > *b) {
                    best = Some((similarity, number, window));
                }
            }
        }
        best.map(|(_, number, window)| (number, window))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceMeta {
    title: String,
    dateline: String,
    event_date: String,
    publisher: String,
    url: String,
    byline: String,
    #[serde(default)]
    furniture: Vec<String>,
}

/// Loads every source in `sources/`, adding what is wrong to `problems`.
pub fn load_sources(dir: &KnowledgeDir, problems: &mut Vec<Problem>) -> BTreeMap<String, Source> {
    let mut sources = BTreeMap::new();
    for text_path in dir.list("sources", "txt") {
        if !text_path.with_extension("toml").exists() {
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
    for meta_path in dir.list("sources", "toml") {
        if let Some(source) = load_source(dir, &meta_path, problems) {
            sources.insert(source.id.clone(), source);
        }
    }
    sources
}

/// Ids of sources that are in `sources/` but did not load (their problem is already reported).
/// A fact citing one is not reported again as citing an unknown source: the source's own
/// problem says what to fix, and repeating it once per fact would bury it.
pub fn unloaded_ids(dir: &KnowledgeDir, loaded: &BTreeMap<String, Source>) -> BTreeSet<String> {
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
) -> Option<Source> {
    let id = meta_path.file_stem()?.to_string_lossy().to_string();
    let meta_name = dir.display(meta_path);
    let text_path = meta_path.with_extension("txt");
    let meta_text = dir.read(meta_path).map_err(|p| problems.push(p)).ok()?;
    let meta: SourceMeta = toml::from_str(&meta_text)
        .map_err(|e| problems.push(toml_problem(&meta_name, &meta_text, &e)))
        .ok()?;
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
    Some(Source {
        id,
        title: meta.title,
        dateline: meta.dateline,
        event_date: meta.event_date,
        publisher: meta.publisher,
        url: meta.url,
        byline: meta.byline,
        paragraphs,
    })
}

/// A TOML syntax or shape error, placed on its line.
pub fn toml_problem(file: &str, text: &str, error: &toml::de::Error) -> Problem {
    let line = error.span().map(|span| line_at(text, span.start));
    let mut message = error.message().trim().replace('\n', " ");
    // The commonest slip in a hand-edited file, and toml's words for it are cryptic.
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        message.push_str(
            ": a text value must end with a closing quote on the same line \
             (put text that runs over several lines between \"\"\" and \"\"\")",
        );
    }
    Problem::new(file, line, message)
}
