//! Aliases: `aliases.toml`, where a moderator says "these words mean the same here". Each entry
//! is `canonical = ["variant", …]`; the matcher rewrites every variant, in questions and in
//! facts alike, to its canonical before comparing. Three tables (`[names]`, `[spellings]`,
//! `[synonyms]`) only keep the file tidy; they mean the same thing.

use std::collections::BTreeMap;

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

/// Refuses a variant given two meanings, and a variant that is another group's canonical word:
/// that would make every word of the other group mean this one (`florida = ["fla.", "talks"]`
/// turns every "meeting" into Florida), a chain nobody reading one line would expect. Where such
/// links close a loop, the loop is reported once, at the line that closes it, instead.
/// Problems come in line order, the same on every load.
fn resolve_chains(direct: Vec<Alias>, problems: &mut Vec<Problem>) -> Vec<Alias> {
    let mut found: Vec<Problem> = Vec::new();
    // First meaning of each variant, in file order (not a hash map's order).
    let mut meaning: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    let mut kept: Vec<&Alias> = Vec::new();
    let mut by_line: Vec<&Alias> = direct.iter().collect();
    by_line.sort_by_key(|alias| alias.line);
    for alias in by_line {
        if let Some(&earlier) = meaning.get(&alias.variant) {
            let earlier: &Alias = kept[earlier];
            if earlier.canonical != alias.canonical {
                found.push(Problem::new(
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
        meaning.insert(alias.variant.clone(), kept.len());
        kept.push(alias);
    }
    // Where each canonical word's own group is declared.
    let mut group_line: BTreeMap<&Vec<String>, usize> = BTreeMap::new();
    for alias in &kept {
        let line = group_line.entry(&alias.canonical).or_insert(alias.line);
        *line = (*line).min(alias.line);
    }
    // Links between groups: a variant that is itself a canonical word. Each has one meaning,
    // so following links from a group is a single path.
    let link = |group: &Vec<String>| -> Option<&Alias> {
        let alias = kept[*meaning.get(group)?];
        group_line.contains_key(&alias.variant).then_some(alias)
    };
    let mut in_loop: Vec<&Vec<String>> = Vec::new();
    for alias in &kept {
        if !group_line.contains_key(&alias.variant) || in_loop.contains(&&alias.variant) {
            continue;
        }
        // Follow the links from this variant; a loop is found when a group comes round again.
        let mut path: Vec<&Alias> = vec![alias];
        while let Some(next) = link(&path.last().expect("a path has a start").canonical) {
            if let Some(start) = path.iter().position(|a| a.variant == next.variant) {
                let cycle: Vec<&Alias> = path[start..].to_vec();
                if !cycle.iter().any(|a| in_loop.contains(&&a.variant)) {
                    in_loop.extend(cycle.iter().map(|a| &a.variant));
                    found.push(loop_problem(&cycle));
                }
                break;
            }
            path.push(next);
        }
    }
    for alias in &kept {
        if let Some(&line) = group_line.get(&alias.variant) {
            if in_loop.contains(&&alias.variant) {
                continue;
            }
            let word = alias.variant.join(" ");
            found.push(Problem::new(
                ALIAS_FILE,
                Some(alias.line),
                format!(
                    "`{word}` is the canonical word of its own group (line {line}); as a variant \
                     of `{}` it would make every word of that group mean `{}` too: remove \
                     `{word}` here, or put the two groups together on one line",
                    alias.canonical.join(" "),
                    alias.canonical.join(" ")
                ),
            ));
        }
    }
    found.sort_by_key(|problem| problem.line);
    problems.extend(found);
    let mut resolved: Vec<Alias> = kept.into_iter().cloned().collect();
    resolved.sort_by_key(|alias| alias.line);
    resolved
}

/// One loop, at the line of the link written last: the one that closed it. Shown from the
/// closing link's canonical word round to it again, so the message ends with the closing link.
fn loop_problem(cycle: &[&Alias]) -> Problem {
    let closing = cycle
        .iter()
        .enumerate()
        .max_by_key(|(_, alias)| alias.line)
        .map(|(i, _)| i)
        .expect("a loop has links");
    let n = cycle.len();
    // Links in rewriting order starting just after the closing one.
    let mut words: Vec<String> = vec![cycle[closing].canonical.join(" ")];
    for step in 1..=n {
        words.push(cycle[(closing + step) % n].canonical.join(" "));
    }
    let closer = cycle[closing];
    Problem::new(
        ALIAS_FILE,
        Some(closer.line),
        format!(
            "alias loop: {}; each word would be rewritten into the next for ever: remove `{}` \
             from this line, or put the groups together on one line",
            words.join(" → "),
            closer.variant.join(" ")
        ),
    )
}
