//! Aliases: `aliases.toml`, where a moderator says "these words mean the same here". Each entry
//! is `canonical = ["variant", …]`; the matcher rewrites every variant, in questions and in
//! facts alike, to its canonical before comparing. Three tables (`[names]`, `[spellings]`,
//! `[synonyms]`) only keep the file tidy; they mean the same thing.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use super::files::KnowledgeDir;
use super::problem::{LineIndex, Problem};
use super::source::toml_problem;
use crate::text::fold_words;

pub const ALIAS_FILE: &str = "aliases.toml";

/// One rewrite, already folded into words and resolved to the end of any chain
/// (`a = ["b"]`, `b = ["c"]` makes `c` mean `a`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub variant: Vec<String>,
    pub canonical: Vec<String>,
    pub line: usize,
    /// From the `[names]` table: a person, place or party. The matcher holds a question to the
    /// names it mentions more strictly than to its other words.
    pub name: bool,
}

type Table = BTreeMap<String, Spanned<Vec<Spanned<String>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    #[serde(default)]
    names: Table,
    #[serde(default)]
    spellings: Table,
    #[serde(default)]
    synonyms: Table,
}

/// Loads `aliases.toml` if there is one (a fact base may have none).
pub fn load_aliases(dir: &KnowledgeDir, problems: &mut Vec<Problem>) -> Vec<Alias> {
    let path = dir.root().join(ALIAS_FILE);
    if !path.exists() {
        return Vec::new();
    }
    let text = match dir.read(&path) {
        Ok(text) => text,
        Err(problem) => {
            problems.push(problem);
            return Vec::new();
        }
    };
    let file: AliasFile = match toml::from_str(&text) {
        Ok(file) => file,
        Err(error) => {
            problems.push(toml_problem(ALIAS_FILE, &text, &error));
            return Vec::new();
        }
    };
    let lines = LineIndex::new(&text);
    let mut direct: Vec<Alias> = Vec::new();
    for (table, name) in [
        (file.names, true),
        (file.spellings, false),
        (file.synonyms, false),
    ] {
        for (canonical, variants) in table {
            let canonical_words = fold_words(&canonical);
            let table_line = lines.line(variants.span().start);
            if canonical_words.is_empty() {
                problems.push(Problem::new(
                    ALIAS_FILE,
                    Some(table_line),
                    format!("alias `{canonical}` has no letters or digits"),
                ));
                continue;
            }
            for variant in variants.into_inner() {
                let line = lines.line(variant.span().start);
                let words = fold_words(variant.get_ref());
                if words.is_empty() {
                    problems.push(Problem::new(
                        ALIAS_FILE,
                        Some(line),
                        format!("a variant of `{canonical}` has no letters or digits"),
                    ));
                } else if words == canonical_words {
                    problems.push(Problem::new(
                        ALIAS_FILE,
                        Some(line),
                        format!("`{}` is listed as a variant of itself", variant.get_ref()),
                    ));
                } else {
                    direct.push(Alias {
                        variant: words,
                        canonical: canonical_words.clone(),
                        line,
                        name,
                    });
                }
            }
        }
    }
    resolve_chains(direct, problems)
}

/// Refuses a variant given two meanings, follows chains to their end, and refuses loops, which
/// would otherwise rewrite a word forever.
fn resolve_chains(direct: Vec<Alias>, problems: &mut Vec<Problem>) -> Vec<Alias> {
    let mut meaning: HashMap<Vec<String>, &Alias> = HashMap::new();
    for alias in &direct {
        if let Some(earlier) = meaning.get(&alias.variant) {
            if earlier.canonical != alias.canonical {
                problems.push(Problem::new(
                    ALIAS_FILE,
                    Some(alias.line),
                    format!(
                        "`{}` already means `{}` (line {}); a variant can mean only one thing",
                        alias.variant.join(" "),
                        earlier.canonical.join(" "),
                        earlier.line
                    ),
                ));
            }
            continue;
        }
        meaning.insert(alias.variant.clone(), alias);
    }
    let mut resolved = Vec::new();
    let mut reported_loops: Vec<Vec<Vec<String>>> = Vec::new();
    // In file order, so a loop is reported the same way (from the same line) on every load.
    let mut by_line: Vec<&Alias> = meaning.values().copied().collect();
    by_line.sort_by_key(|alias| alias.line);
    for alias in by_line {
        let mut path = vec![alias.variant.clone()];
        let mut current = alias.canonical.clone();
        let mut looped = false;
        loop {
            if path.contains(&current) {
                looped = true;
                path.push(current.clone());
                break;
            }
            match meaning.get(&current) {
                Some(next) => {
                    path.push(current);
                    current = next.canonical.clone();
                }
                None => break,
            }
        }
        if looped {
            let mut members = path.clone();
            members.sort();
            members.dedup();
            if !reported_loops.contains(&members) {
                reported_loops.push(members);
                let shown: Vec<String> = path.iter().map(|w| w.join(" ")).collect();
                problems.push(Problem::new(
                    ALIAS_FILE,
                    Some(alias.line),
                    format!("alias loop: {}", shown.join(" → ")),
                ));
            }
            continue;
        }
        resolved.push(Alias {
            variant: alias.variant.clone(),
            canonical: current,
            line: alias.line,
            name: alias.name,
        });
    }
    resolved.sort_by_key(|alias| alias.line);
    resolved
}
