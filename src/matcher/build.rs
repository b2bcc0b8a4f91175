//! Building a [`Matcher`] from a base: every fact's text analysed (vocabulary, modifiers,
//! weighted terms, what it can give), on every core, then the parts that span the base (the
//! typo index, idf, postings, quote numbers) put together in fact order.
//!
//! A [`BuildMemo`] keeps each fact's analysis between builds, keyed by a hash of the fact's
//! text, so a refresh after one file changed analyses only that file's facts. What a fact's
//! analysis depends on beyond its own text is the aliases and the modifiers learned from the
//! whole base: when either changes, the memo's analyses are dropped and redone. Whatever the
//! memo holds, the matcher built is the one a cold build makes (`tests/incremental.rs`).

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::analyzer::Analyzer;
use super::expectation::{self, Provides};
use super::index::{sorted_terms, Index, IndexBuilder};
use super::{chat, FactShape, Matcher};
use crate::knowledge::{Alias, Fact, KnowledgeBase};

/// Facts analysed at once: each chunk's results are added before the next is analysed.
const CHUNK: usize = 4096;

/// What a refresh remembers of the last build. Hold one per live base and pass it to every
/// [`Matcher::build`].
#[derive(Default)]
pub struct BuildMemo {
    /// The aliases every analysis here was made with.
    aliases: Vec<Alias>,
    /// The modifiers the term analyses were made with.
    modifiers: Vec<String>,
    strings: Interner,
    words: HashMap<u64, FactWords>,
    analyses: HashMap<u64, FactAnalysis>,
}

impl BuildMemo {
    /// How many facts' analyses are remembered.
    pub fn len(&self) -> usize {
        self.analyses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.analyses.is_empty()
    }
}

/// Words and stems as numbers, so that what the memo keeps per fact is a few small arrays.
#[derive(Default)]
struct Interner {
    ids: HashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    fn text(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }
}

/// A fact's own words (its questions, statement and quote), with counts, and the modifiers
/// they teach: what the vocabulary is summed from.
struct FactWords {
    words: Box<[(u32, u32)]>,
    modifiers: Box<[u32]>,
}

/// A fact's analysis once the vocabulary and modifiers are known.
struct FactAnalysis {
    /// (stem, weighted frequency), in stem order.
    terms: Box<[(u32, f32)]>,
    provides: Provides,
    /// The stems of the words near its verbs of saying.
    speakers: Box<[u32]>,
}

/// The words of one fact, as analysed on a worker thread, before interning.
struct RawWords {
    words: Vec<(String, u32)>,
    modifiers: Vec<String>,
}

struct RawAnalysis {
    terms: Vec<(String, f32)>,
    provides: Provides,
    speakers: Vec<String>,
}

fn texts(fact: &Fact) -> impl Iterator<Item = &str> {
    fact.questions
        .iter()
        .map(String::as_str)
        .chain([fact.statement.as_str(), fact.quote.as_str()])
}

fn raw_words(fact: &Fact, analyzer: &Analyzer) -> RawWords {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let mut modifiers = Vec::new();
    for text in texts(fact) {
        let (words, found) = analyzer.words_of_fact_text(text);
        modifiers.extend(found);
        for word in words {
            *counts.entry(word).or_default() += 1;
        }
    }
    RawWords {
        words: counts.into_iter().collect(),
        modifiers,
    }
}

fn raw_analysis(fact: &Fact, analyzer: &Analyzer) -> RawAnalysis {
    let text = format!("{} {}", fact.statement, fact.quote);
    RawAnalysis {
        terms: sorted_terms(fact, analyzer),
        provides: Provides::of(&text),
        speakers: analyzer
            .fact_terms(&expectation::speaker_words(&text).join(" "))
            .into_iter()
            .map(|term| term.stem)
            .collect(),
    }
}

/// What a fact's analysis is keyed by: everything of it the matcher reads.
fn content_hash(fact: &Fact) -> u64 {
    let mut hasher = DefaultHasher::new();
    (&fact.topic, &fact.statement, &fact.questions, &fact.quote).hash(&mut hasher);
    hasher.finish()
}

impl Matcher {
    /// Builds the matcher for `knowledge`, reusing and then updating `memo`'s analyses:
    /// the same matcher [`Matcher::new`] builds, in less time when few facts changed.
    pub fn build(knowledge: &KnowledgeBase, memo: &mut BuildMemo) -> Matcher {
        super::load_language_data();
        let mut analyzer = Analyzer::new(&knowledge.aliases);
        if memo.aliases != knowledge.aliases {
            *memo = BuildMemo {
                aliases: knowledge.aliases.clone(),
                ..BuildMemo::default()
            };
        }
        let facts = &knowledge.facts;
        let hashes: Vec<u64> = facts.par_iter().map(content_hash).collect();

        // The vocabulary and modifiers, from each fact's words.
        let missing: Vec<usize> = unique_missing(&hashes, |h| memo.words.contains_key(h));
        for chunk in missing.chunks(CHUNK) {
            let raw: Vec<RawWords> = chunk
                .par_iter()
                .map(|&i| raw_words(&facts[i], &analyzer))
                .collect();
            for (&i, raw) in chunk.iter().zip(raw) {
                let strings = &mut memo.strings;
                let words = raw
                    .words
                    .iter()
                    .map(|(word, count)| (strings.id(word), *count))
                    .collect();
                let modifiers = raw.modifiers.iter().map(|m| strings.id(m)).collect();
                memo.words.insert(hashes[i], FactWords { words, modifiers });
            }
        }
        let mut counts: Vec<u32> = vec![0; memo.strings.strings.len()];
        let mut modifiers: HashSet<String> = HashSet::new();
        for hash in &hashes {
            let fact = &memo.words[hash];
            for &(word, count) in fact.words.iter() {
                counts[word as usize] += count;
            }
            for &modifier in fact.modifiers.iter() {
                modifiers.insert(memo.strings.text(modifier).to_string());
            }
        }
        let vocabulary: BTreeMap<String, u32> = counts
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0)
            .map(|(word, &count)| (memo.strings.text(word as u32).to_string(), count))
            .collect();
        analyzer.learn(vocabulary, modifiers);
        let learned: Vec<String> = analyzer.modifiers().into_iter().map(String::from).collect();
        if memo.modifiers != learned {
            memo.analyses.clear();
            memo.modifiers = learned;
        }

        // Each fact's terms and what it can give.
        let missing: Vec<usize> = unique_missing(&hashes, |h| memo.analyses.contains_key(h));
        for chunk in missing.chunks(CHUNK) {
            let raw: Vec<RawAnalysis> = chunk
                .par_iter()
                .map(|&i| raw_analysis(&facts[i], &analyzer))
                .collect();
            for (&i, raw) in chunk.iter().zip(raw) {
                let strings = &mut memo.strings;
                let analysis = FactAnalysis {
                    terms: raw
                        .terms
                        .iter()
                        .map(|(stem, tf)| (strings.id(stem), *tf))
                        .collect(),
                    provides: raw.provides,
                    speakers: raw.speakers.iter().map(|s| strings.id(s)).collect(),
                };
                memo.analyses.insert(hashes[i], analysis);
            }
        }

        // The index, with term ids handed out in fact order as a cold build does.
        let mut term_of: Vec<u32> = vec![u32::MAX; memo.strings.strings.len()];
        let mut terms: HashMap<String, u32> = HashMap::new();
        let mut builder = IndexBuilder::default();
        for hash in &hashes {
            let analysis = &memo.analyses[hash];
            builder.add_fact(analysis.terms.iter().map(|&(stem, tf)| {
                let slot = &mut term_of[stem as usize];
                if *slot == u32::MAX {
                    *slot = terms.len() as u32;
                    terms.insert(memo.strings.text(stem).to_string(), *slot);
                }
                (*slot, tf)
            }));
        }
        let index = builder.finish(terms);
        let speakers: Vec<Box<[u32]>> = hashes
            .par_iter()
            .map(|hash| {
                let analysis = &memo.analyses[hash];
                let mut speakers: Vec<u32> = analysis
                    .speakers
                    .iter()
                    .filter_map(|&stem| index.term_id(memo.strings.text(stem)))
                    .collect();
                speakers.sort_unstable();
                speakers.dedup();
                speakers.into_boxed_slice()
            })
            .collect();
        let shapes = shapes(
            knowledge,
            speakers
                .into_iter()
                .zip(&hashes)
                .map(|(speakers, hash)| (memo.analyses[hash].provides, speakers)),
        );

        // Only what this base uses is remembered.
        let used: HashSet<u64> = hashes.iter().copied().collect();
        memo.words.retain(|hash, _| used.contains(hash));
        memo.analyses.retain(|hash, _| used.contains(hash));
        Matcher::assemble(knowledge, analyzer, index, shapes)
    }

    /// The matcher for `knowledge`, built fresh on every core.
    pub(super) fn build_cold(knowledge: &KnowledgeBase) -> Matcher {
        let mut analyzer = Analyzer::new(&knowledge.aliases);
        let (vocabulary, modifiers) = knowledge
            .facts
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut vocabulary: HashMap<String, u32> = HashMap::new();
                let mut modifiers: HashSet<String> = HashSet::new();
                for fact in chunk {
                    for text in texts(fact) {
                        let (words, found) = analyzer.words_of_fact_text(text);
                        modifiers.extend(found);
                        for word in words {
                            *vocabulary.entry(word).or_default() += 1;
                        }
                    }
                }
                (vocabulary, modifiers)
            })
            .reduce(
                || (HashMap::new(), HashSet::new()),
                |(mut vocabulary, mut modifiers), (more, found)| {
                    for (word, count) in more {
                        *vocabulary.entry(word).or_default() += count;
                    }
                    modifiers.extend(found);
                    (vocabulary, modifiers)
                },
            );
        analyzer.learn(vocabulary.into_iter().collect(), modifiers);
        let index = Index::build(&knowledge.facts, &analyzer);
        let shapes: Vec<(Provides, Box<[u32]>)> = knowledge
            .facts
            .par_iter()
            .map(|fact| {
                let text = format!("{} {}", fact.statement, fact.quote);
                let mut speakers: Vec<u32> = analyzer
                    .fact_terms(&expectation::speaker_words(&text).join(" "))
                    .iter()
                    .filter_map(|term| index.term_id(&term.stem))
                    .collect();
                speakers.sort_unstable();
                speakers.dedup();
                (Provides::of(&text), speakers.into_boxed_slice())
            })
            .collect();
        let shapes = shapes_of(knowledge, shapes);
        Matcher::assemble(knowledge, analyzer, index, shapes)
    }

    /// The parts every build ends with.
    fn assemble(
        knowledge: &KnowledgeBase,
        analyzer: Analyzer,
        index: Index,
        shapes: Vec<FactShape>,
    ) -> Matcher {
        let stems = |text: &str| -> Vec<String> {
            analyzer
                .fact_terms(text)
                .into_iter()
                .map(|t| t.stem)
                .collect()
        };
        let summary_stems = stems(chat::SUMMARY_TOPIC);
        let kind_stems = expectation::Expected::ALL
            .iter()
            .map(|&kind| (kind, kind.words().iter().flat_map(|w| stems(w)).collect()))
            .collect();
        Matcher {
            analyzer,
            index,
            fact_count: knowledge.facts.len(),
            vectors: (0..knowledge.facts.len())
                .map(|_| OnceLock::new())
                .collect(),
            shapes,
            summary_stems,
            kind_stems,
        }
    }
}

/// The facts (by position) whose hash `known` does not know, each hash once.
fn unique_missing(hashes: &[u64], known: impl Fn(&u64) -> bool) -> Vec<usize> {
    let mut seen = HashSet::new();
    hashes
        .iter()
        .enumerate()
        .filter(|(_, hash)| !known(hash) && seen.insert(**hash))
        .map(|(i, _)| i)
        .collect()
}

fn shapes(
    knowledge: &KnowledgeBase,
    parts: impl Iterator<Item = (Provides, Box<[u32]>)>,
) -> Vec<FactShape> {
    shapes_of(knowledge, parts.collect())
}

/// Each fact's shape, its quote numbered in fact order: facts with the same quote share one.
fn shapes_of(knowledge: &KnowledgeBase, parts: Vec<(Provides, Box<[u32]>)>) -> Vec<FactShape> {
    let mut quotes: HashMap<&str, u32> = HashMap::new();
    knowledge
        .facts
        .iter()
        .zip(parts)
        .map(|(fact, (provides, speakers))| {
            let next = quotes.len() as u32;
            FactShape {
                provides,
                speakers,
                quote: *quotes.entry(fact.quote.as_str()).or_insert(next),
            }
        })
        .collect()
}
