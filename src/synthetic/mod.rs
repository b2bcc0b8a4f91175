//! Synthetic fact bases, for measuring the matcher at sizes the real base will take years to
//! reach (`talkbot gen-kb --facts 100000 DIR`).
//!
//! A generated base is written in the very format moderators write, so it goes through the real
//! loader and validator: invented articles (one per twenty facts) in `sources/`, facts quoting
//! them verbatim in `facts/`, and an `aliases.toml` with full names, adjectives, initials and
//! misspellings. It is deterministic: the same seed gives byte-identical files on any machine,
//! so a figure measured on "the 10,000-fact base, seed 1130" can be checked by anyone.
//!
//! Besides the files, generation returns a question mix for benchmarks ([`Probe`]): for a sample
//! of facts, one alternate question drafted but held out of the file (so it is a new wording,
//! not a copy), the same question with a typo, questions about people the base never mentions,
//! and questions about nothing the bot covers.

mod article;
mod rng;
mod words;
mod world;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use article::{write_article, Article, FactDraft, FACTS_PER_ARTICLE};
use rng::Rng;
use world::{misspell, World};

/// The seed used when none is given, and by the benchmarks.
pub const DEFAULT_SEED: u64 = 1130;

/// Facts per file in `facts/`: a themed file a moderator might keep, well under the size cap.
const FACTS_PER_FILE: usize = 100;

/// How many facts lend a held-out question to the benchmark mix.
const PROBED_FACTS: usize = 100;

/// Ordinary words used interchangeably in talks coverage: the `[synonyms]` of every generated
/// base (names come from the cast).
pub(crate) const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "talks",
        &[
            "negotiations",
            "negotiation",
            "meeting",
            "meetings",
            "session",
            "summit",
            "discussions",
            "met",
            "meet",
        ],
    ),
    (
        "led",
        &["headed", "head", "lead", "leads", "chaired", "in charge"],
    ),
    (
        "delegation",
        &[
            "delegations",
            "team",
            "teams",
            "side",
            "sides",
            "negotiators",
        ],
    ),
    ("agreement", &["agree", "agreed", "deal", "deals", "accord"]),
    (
        "reject",
        &[
            "rejected",
            "rejects",
            "rejection",
            "refused",
            "turn down",
            "turned down",
        ],
    ),
    ("pledged", &["pledge", "promised", "promise", "funding"]),
    ("adviser", &["advisor", "advisers", "advised", "aide"]),
    ("observers", &["observer", "observed", "monitors"]),
    ("hosted", &["host", "hosts", "organised", "organized"]),
    (
        "demand",
        &[
            "demands",
            "insists",
            "insisting",
            "conditions",
            "preconditions",
            "require",
            "requires",
        ],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub facts: usize,
    pub seed: u64,
}

/// What a benchmark question is, and so what a good matcher does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    /// A new wording of a fact's question: should be answered.
    Answerable,
    /// The same with one word misspelled: should still be answered.
    Misspelled,
    /// About the base's subject but a person it never mentions: should be refused.
    NearMiss,
    /// About nothing the base covers: should be refused.
    OffTopic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub question: String,
    pub kind: ProbeKind,
    /// The fact the question was drafted for, when there is one.
    pub fact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub facts: usize,
    pub sources: usize,
    pub aliases: usize,
    pub probes: Vec<Probe>,
}

/// Generates a base, handing each file to `emit` as (path relative to the base, contents), in a
/// fixed order. Nothing is held in memory but the cast and one file at a time.
pub fn generate(
    options: &Options,
    mut emit: impl FnMut(&str, String) -> io::Result<()>,
) -> io::Result<Summary> {
    if options.facts == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a fact base needs at least one fact",
        ));
    }
    let world = World::new(options.seed, options.facts);
    let mut rng = Rng::stream(options.seed, 2);
    let probe_every = (options.facts / PROBED_FACTS).max(1);
    let mut summary = Summary {
        facts: 0,
        sources: 0,
        aliases: world.aliases.values().map(Vec::len).sum::<usize>()
            + SYNONYMS
                .iter()
                .map(|(_, variants)| variants.len())
                .sum::<usize>(),
        probes: Vec::new(),
    };
    let mut facts_file = String::new();
    let mut facts_in_file = 0;
    let mut file_number = 0;
    while summary.facts < options.facts {
        let count = (options.facts - summary.facts).min(FACTS_PER_ARTICLE);
        let article = write_article(&world, &mut rng, summary.sources + 1, count);
        emit(
            &format!("sources/{}.txt", article.id),
            article_text(&article),
        )?;
        emit(
            &format!("sources/{}.toml", article.id),
            article_meta(&article, options),
        )?;
        summary.sources += 1;
        for mut fact in article.facts {
            rng.shuffle(&mut fact.questions);
            let held_out = fact.questions.pop();
            // Shifted by one fact per article, so the sample covers every kind of fact.
            let probed = (summary.facts + summary.sources) % probe_every == 0;
            if let (Some(question), true) = (held_out, probed) {
                add_probes(&mut rng, &mut summary.probes, &fact.id, question);
            }
            if facts_in_file == 0 {
                file_number += 1;
                writeln!(facts_file, "# Synthetic facts, generated by `talkbot gen-kb --facts {} --seed {}`; not news.", options.facts, options.seed)
                    .expect("writing to a String cannot fail");
            }
            render_fact(&mut facts_file, &fact, &article.id);
            summary.facts += 1;
            facts_in_file += 1;
            if facts_in_file == FACTS_PER_FILE {
                emit(
                    &format!("facts/part-{file_number:04}.toml"),
                    std::mem::take(&mut facts_file),
                )?;
                facts_in_file = 0;
            }
        }
    }
    if facts_in_file > 0 {
        emit(&format!("facts/part-{file_number:04}.toml"), facts_file)?;
    }
    emit("aliases.toml", aliases_file(&world))?;
    emit("README.md", readme(options))?;
    add_refusal_probes(&mut Rng::stream(options.seed, 3), &mut summary.probes);
    Ok(summary)
}

/// Generates a base into `dir`, which must be new or empty: the generator never overwrites.
pub fn write(dir: &Path, options: &Options) -> io::Result<Summary> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty; choose a new or empty directory",
                dir.display()
            ),
        ));
    }
    fs::create_dir_all(dir.join("sources"))?;
    fs::create_dir_all(dir.join("facts"))?;
    generate(options, |path, contents| {
        fs::write(dir.join(path), contents)
    })
}

fn add_probes(rng: &mut Rng, probes: &mut Vec<Probe>, fact: &str, question: String) {
    let fact = Some(fact.to_string());
    // A typo in a longer word: short words are never corrected, by design.
    let words: Vec<&str> = question.split(' ').collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().filter(|c| c.is_alphabetic()).count() >= 6)
        .collect();
    if !long.is_empty() {
        let at = long[rng.below(long.len())];
        let word = words[at];
        let letters = word.trim_end_matches(|c: char| !c.is_alphabetic());
        let typo = format!("{}{}", misspell(rng, letters), &word[letters.len()..]);
        let mut misspelled: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        misspelled[at] = typo;
        probes.push(Probe {
            question: misspelled.join(" "),
            kind: ProbeKind::Misspelled,
            fact: fact.clone(),
        });
    }
    probes.push(Probe {
        question,
        kind: ProbeKind::Answerable,
        fact,
    });
}

fn add_refusal_probes(rng: &mut Rng, probes: &mut Vec<Probe>) {
    for question in words::OFF_TOPIC {
        probes.push(Probe {
            question: question.to_string(),
            kind: ProbeKind::OffTopic,
            fact: None,
        });
    }
    for n in 0..20 {
        let stranger = format!(
            "{}{}",
            rng.pick(words::FOREIGN_STARTS),
            rng.pick(words::FOREIGN_ENDS)
        );
        let issue = rng.pick(words::ISSUES).topic;
        let question = match n % 4 {
            0 => format!("What did {stranger} say about the {issue} talks?"),
            1 => format!("Did Minister {stranger} attend the talks?"),
            2 => format!("Who is {stranger}?"),
            _ => format!("What is {stranger}'s position on {issue}?"),
        };
        probes.push(Probe {
            question,
            kind: ProbeKind::NearMiss,
            fact: None,
        });
    }
}

fn article_text(article: &Article) -> String {
    let mut text = format!("{}\n", article.title);
    for paragraph in &article.paragraphs {
        text.push('\n');
        text.push_str(paragraph);
        text.push('\n');
    }
    text.push_str("\nRelated coverage\n");
    text
}

fn article_meta(article: &Article, options: &Options) -> String {
    format!(
        "# Invented article, generated by `talkbot gen-kb --facts {} --seed {}`; not news.\n\
         title = {}\ndateline = {}\nevent_date = {}\npublisher = {}\nurl = \"unknown\"\n\
         byline = \"unknown\"\nfurniture = [\"Related coverage\"]\n",
        options.facts,
        options.seed,
        quoted(&article.title),
        quoted(&article.dateline),
        quoted(&article.event_date),
        quoted(&format!(
            "synthetic (talkbot gen-kb, seed {})",
            options.seed
        )),
    )
}

fn render_fact(out: &mut String, fact: &FactDraft, source: &str) {
    let questions: String = fact
        .questions
        .iter()
        .map(|q| format!("  {},\n", quoted(q)))
        .collect();
    write!(
        out,
        "\n[[fact]]\nid = {}\ntopic = {}\nstatement = {}\nquestions = [\n{questions}]\nsource = {}\nquote = {}\n",
        quoted(&fact.id),
        quoted(fact.topic),
        quoted(&fact.statement),
        quoted(source),
        quoted(&fact.quote),
    )
    .expect("writing to a String cannot fail");
}

fn aliases_file(world: &World) -> String {
    let mut out = String::from(
        "# Aliases of a synthetic base: full names for surnames, adjectives for countries,\n\
         # initials for organisations, and common misspellings.\n\n[names]\n",
    );
    let line = |canonical: &str, variants: &[String]| {
        let list: Vec<String> = variants.iter().map(|v| quoted(v)).collect();
        format!("{} = [{}]\n", quoted(canonical), list.join(", "))
    };
    for (canonical, variants) in &world.aliases {
        out.push_str(&line(canonical, variants));
    }
    out.push_str("\n[synonyms]\n");
    for (canonical, variants) in SYNONYMS {
        let variants: Vec<String> = variants.iter().map(|v| v.to_string()).collect();
        out.push_str(&line(canonical, &variants));
    }
    out
}

fn readme(options: &Options) -> String {
    format!(
        "# A synthetic fact base\n\n\
         Generated by `talkbot gen-kb --facts {} --seed {}` for benchmarks and load tests.\n\
         The articles, officials, towns and organisations are invented; nothing here is news.\n\
         Never copy these files into `knowledge/`.\n",
        options.facts, options.seed
    )
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                write!(out, "\\u{:04X}", c as u32).expect("writing to a String cannot fail")
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
