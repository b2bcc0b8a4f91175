//! Building a [`Matcher`] from a base: every fact's text analysed (vocabulary, modifiers,
//! weighted terms, what it can give), on every core, then the parts that span the base (the
//! typo index, idf, postings, quote numbers) put together in fact order.
//!
//! A [`BuildMemo`] keeps each fact's analysis between builds, so a refresh after one file
//! changed analyses only that file's facts. A fact the new base shares with the last one (the
//! same `Arc`, which the loader hands on for every unchanged file) is known by its address,
//! without reading its text; a fact read again is matched by a hash of its text against the
//! facts that left. The vocabulary is kept as counts and updated by the facts that came and
//! went. What a fact's analysis depends on beyond its own text is the aliases and the modifiers
//! learned from the whole base: when either changes, the memo's analyses are dropped and
//! redone. Whatever the memo holds, the matcher built is the one a cold build makes
//! (`tests/incremental.rs`).

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::analyzer::{Analyzer, Term};
use super::expectation::{self, Provides};
use super::index::{sorted_terms, sorted_terms_of, topic_text, Index, IndexBuilder};
use super::{chat, FactShape, Matcher};
use crate::knowledge::prehashed::{prehash, PrehashedMap};
use crate::knowledge::{Alias, Fact, KnowledgeBase};
use crate::text::fold_words;

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
    /// The facts of the last build, in order, each with its analysis at the same position.
    facts: Vec<Arc<Fact>>,
    analyses: Vec<Option<FactAnalysis>>,
    /// Over `facts`: how often each word (by interned id) occurs, and how many facts teach
    /// each modifier. A fact's own words are not kept: when it leaves, its text (still held
    /// in `facts`) is read again to take them off.
    counts: Vec<u32>,
    modifier_counts: Vec<u32>,
}

impl BuildMemo {
    /// How many facts' analyses are remembered.
    pub fn len(&self) -> usize {
        self.analyses.iter().filter(|a| a.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Words and stems as numbers, so that what the memo keeps per fact is a few small arrays.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<Box<str>, u32>,
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

/// A fact's analysis once the vocabulary and modifiers are known.
#[derive(Clone)]
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
        .chain([fact.statement.as_str(), fact.quote.as_str()])
}

fn raw_words(fact: &Fact, analyzer: &Analyzer) -> RawWords {
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
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
    // Folded once for both: the fold was a tenth of a cold build.
    let words = fold_words(&text);
    RawAnalysis {
        terms: sorted_terms(fact, analyzer),
        provides: Provides::of_folded(&text, &words),
        speakers: analyzer
            .fact_terms(&expectation::speaker_words_in(&words).join(" "))
            .into_iter()
            .map(|term| term.stem)
            .collect(),
    }
}

/// What a fact read afresh is matched by against the facts that left: everything of it the
/// matcher reads.
fn content_hash(fact: &Fact) -> u64 {
    let mut hasher = DefaultHasher::new();
    (&fact.topic, &fact.statement, &fact.questions, &fact.quote).hash(&mut hasher);
    hasher.finish()
}

/// Adds (`sign` 1) or takes off (-1) facts' words and modifiers to per-id counts.
fn count(
    strings: &mut Interner,
    counts: &mut Vec<u32>,
    modifier_counts: &mut Vec<u32>,
    raw: &[RawWords],
    add: bool,
) {
    for fact in raw {
        for (word, n) in &fact.words {
            let id = strings.id(word) as usize;
            if counts.len() <= id {
                counts.resize(id + 1, 0);
            }
            if add {
                counts[id] += n;
            } else {
                counts[id] -= n;
            }
        }
        for modifier in &fact.modifiers {
            let id = strings.id(modifier) as usize;
            if modifier_counts.len() <= id {
                modifier_counts.resize(id + 1, 0);
            }
            if add {
                modifier_counts[id] += 1;
            } else {
                modifier_counts[id] -= 1;
            }
        }
    }
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

        // Where each fact was in the last build, if it was: by address, else by text among
        // the facts that left.
        let at: FxHashMap<usize, u32> = memo
            .facts
            .iter()
            .enumerate()
            .map(|(i, fact)| (Arc::as_ptr(fact) as usize, i as u32))
            .collect();
        let mut previous: Vec<Option<u32>> = facts
            .par_iter()
            .map(|fact| at.get(&(Arc::as_ptr(fact) as usize)).copied())
            .collect();
        drop(at);
        let mut uses = vec![0u32; memo.facts.len()];
        for &p in previous.iter().flatten() {
            uses[p as usize] += 1;
        }
        let left: Vec<usize> = (0..memo.facts.len()).filter(|&p| uses[p] == 0).collect();
        let arrived: Vec<usize> = (0..facts.len())
            .filter(|&i| previous[i].is_none())
            .collect();
        if !left.is_empty() && !arrived.is_empty() {
            let by_text: FxHashMap<u64, u32> = left
                .par_iter()
                .map(|&p| (content_hash(&memo.facts[p]), p as u32))
                .collect();
            let hashes: Vec<u64> = arrived
                .par_iter()
                .map(|&i| content_hash(&facts[i]))
                .collect();
            for (&i, hash) in arrived.iter().zip(hashes) {
                if let Some(&p) = by_text.get(&hash) {
                    previous[i] = Some(p);
                    uses[p as usize] += 1;
                }
            }
        }

        // The vocabulary and modifiers: the last build's counts, less the facts that left,
        // plus the facts that are new (a fact taken twice counts twice).
        let gone: Vec<usize> = (0..memo.facts.len()).filter(|&p| uses[p] == 0).collect();
        let mut twice: Vec<usize> = Vec::new();
        for (p, &n) in uses.iter().enumerate() {
            twice.extend(std::iter::repeat_n(p, n.saturating_sub(1) as usize));
        }
        let fresh: Vec<usize> = (0..facts.len())
            .filter(|&i| previous[i].is_none())
            .collect();
        let BuildMemo {
            strings,
            counts,
            modifier_counts,
            ..
        } = memo;
        // Counted on both cores, a chunk at a time, so the words of at most one chunk are held.
        let mut tally = |taken: Vec<&Fact>, add: bool| {
            for chunk in taken.chunks(CHUNK) {
                let raw: Vec<RawWords> = chunk
                    .par_iter()
                    .map(|&fact| raw_words(fact, &analyzer))
                    .collect();
                count(strings, counts, modifier_counts, &raw, add);
            }
        };
        tally(gone.iter().map(|&p| &*memo.facts[p]).collect(), false);
        tally(twice.iter().map(|&p| &*memo.facts[p]).collect(), true);
        tally(fresh.iter().map(|&i| &*facts[i]).collect(), true);
        let vocabulary: BTreeMap<String, u32> = counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(word, &n)| (strings.text(word as u32).to_string(), n))
            .collect();
        let modifiers: HashSet<String> = modifier_counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(word, _)| strings.text(word as u32).to_string())
            .collect();
        analyzer.learn(vocabulary, modifiers);
        let learned: Vec<String> = analyzer.modifiers().into_iter().map(String::from).collect();
        if memo.modifiers != learned {
            memo.analyses.iter_mut().for_each(|a| *a = None);
            memo.modifiers = learned;
        }

        // Each fact's terms and what it can give: the last build's where it has one.
        let mut kept: Vec<Option<FactAnalysis>> = std::mem::take(&mut memo.analyses);
        let mut analyses: Vec<Option<FactAnalysis>> = previous
            .iter()
            .map(|p| {
                let p = (*p)? as usize;
                uses[p] -= 1;
                if uses[p] == 0 {
                    kept[p].take()
                } else {
                    kept[p].clone()
                }
            })
            .collect();
        drop(kept);
        let missing: Vec<usize> = (0..facts.len())
            .filter(|&i| analyses[i].is_none())
            .collect();
        for chunk in missing.chunks(CHUNK) {
            let raw: Vec<RawAnalysis> = chunk
                .par_iter()
                .map(|&i| raw_analysis(&facts[i], &analyzer))
                .collect();
            for (&i, raw) in chunk.iter().zip(raw) {
                let strings = &mut memo.strings;
                analyses[i] = Some(FactAnalysis {
                    terms: raw
                        .terms
                        .iter()
                        .map(|(stem, tf)| (strings.id(stem), *tf))
                        .collect(),
                    provides: raw.provides,
                    speakers: raw.speakers.iter().map(|s| strings.id(s)).collect(),
                });
            }
        }
        let analyses: Vec<FactAnalysis> = analyses
            .into_iter()
            .map(|a| a.expect("every fact analysed"))
            .collect();

        // The index, with term ids handed out in fact order as a cold build does.
        let mut term_of: Vec<u32> = vec![u32::MAX; memo.strings.strings.len()];
        let mut terms: FxHashMap<String, u32> = FxHashMap::default();
        let pairs = analyses.iter().map(|a| a.terms.len()).sum();
        let mut builder = IndexBuilder::with_capacity(facts.len(), pairs);
        for analysis in &analyses {
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
        // A stem is in the index exactly when some fact's terms gave it an id above.
        let mut shapes: Vec<FactShape> = analyses
            .par_iter()
            .map(|analysis| {
                let mut speakers: Vec<u32> = analysis
                    .speakers
                    .iter()
                    .map(|&stem| term_of[stem as usize])
                    .filter(|&id| id != u32::MAX)
                    .collect();
                speakers.sort_unstable();
                speakers.dedup();
                FactShape {
                    provides: analysis.provides,
                    speakers: speakers.into_boxed_slice(),
                    quote: 0,
                }
            })
            .collect();
        number_quotes(knowledge, &mut shapes);

        memo.facts = facts.clone();
        memo.analyses = analyses.into_iter().map(Some).collect();
        Matcher::assemble(knowledge, analyzer, index, shapes)
    }

    /// The matcher for `knowledge`, built fresh on every core. Each fact text is folded and
    /// stemmed once: its words go to the vocabulary and its terms, made before the base's
    /// modifiers are known, straight to the index. A fact's terms can only change once the
    /// modifiers are known where a word before one of its multi-word aliases is one of them;
    /// only such facts are analysed again.
    pub(super) fn build_cold(knowledge: &KnowledgeBase) -> Matcher {
        let mut analyzer = Analyzer::new(&knowledge.aliases);
        let facts = &knowledge.facts;
        let mut vocabulary: FxHashMap<String, u32> = FxHashMap::default();
        let mut modifiers: HashSet<String> = HashSet::new();
        let mut exposed: Vec<(usize, Vec<String>)> = Vec::new();
        let mut terms: FxHashMap<String, u32> = FxHashMap::default();
        let mut builder = IndexBuilder::default();
        // One chunk is added (in fact order, on this thread) while the next is analysed, so
        // the other core is not left idle while this one adds.
        let chunks: Vec<&[Arc<Fact>]> = facts.chunks(CHUNK).collect();
        let mut analysed: Option<Vec<ColdPart>> = None;
        for c in 0..=chunks.len() {
            let add = analysed.take();
            let analyzer = &analyzer;
            let (_, next) = rayon::join(
                || {
                    let Some(parts) = add else { return };
                    let first = (c - 1) * CHUNK;
                    for (p, part) in parts.into_iter().enumerate() {
                        for (word, n) in part.vocabulary {
                            *vocabulary.entry(word).or_default() += n;
                        }
                        modifiers.extend(part.modifiers);
                        for (k, (sorted, before)) in part.facts.into_iter().enumerate() {
                            if !before.is_empty() {
                                exposed.push((first + p * PART + k, before));
                            }
                            builder.add_fact(sorted.into_iter().map(|(term, tf)| {
                                let next = terms.len() as u32;
                                (*terms.entry(term).or_insert(next), tf)
                            }));
                        }
                    }
                },
                || {
                    chunks.get(c).map(|chunk| {
                        chunk
                            .par_chunks(PART)
                            .map(|part| cold_part(part, analyzer))
                            .collect::<Vec<ColdPart>>()
                    })
                },
            );
            analysed = next;
        }
        analyzer.learn(vocabulary.into_iter().collect(), modifiers);
        let learned: HashSet<&str> = analyzer.modifiers().into_iter().collect();
        let redo: Vec<usize> = exposed
            .iter()
            .filter(|(_, before)| before.iter().any(|w| learned.contains(w.as_str())))
            .map(|(i, _)| *i)
            .collect();
        drop(learned);
        let index = if redo.is_empty() {
            builder.finish(terms)
        } else {
            let redone: Vec<Vec<(String, f32)>> = redo
                .par_iter()
                .map(|&i| sorted_terms(&facts[i], &analyzer))
                .collect();
            rebuild(builder, terms, redo.into_iter().zip(redone).collect())
        };
        let mut shapes: Vec<FactShape> = knowledge
            .facts
            .par_iter()
            .map(|fact| {
                let text = format!("{} {}", fact.statement, fact.quote);
                let words = fold_words(&text);
                let mut speakers: Vec<u32> = analyzer
                    .fact_terms(&expectation::speaker_words_in(&words).join(" "))
                    .iter()
                    .filter_map(|term| index.term_id(&term.stem))
                    .collect();
                speakers.sort_unstable();
                speakers.dedup();
                FactShape {
                    provides: Provides::of_folded(&text, &words),
                    speakers: speakers.into_boxed_slice(),
                    quote: 0,
                }
            })
            .collect();
        number_quotes(knowledge, &mut shapes);
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
            doers: (0..knowledge.facts.len())
                .map(|_| OnceLock::new())
                .collect(),
            places: super::place::places(knowledge),
            context: (0..knowledge.facts.len())
                .map(|_| OnceLock::new())
                .collect(),
            shapes,
            summary_stems,
            kind_stems,
        }
    }
}

/// Facts a worker of [`Matcher::build_cold`] analyses at once, and what it hands back.
const PART: usize = 256;

type ColdFact = (Vec<(String, f32)>, Vec<String>);

#[derive(Default)]
struct ColdPart {
    vocabulary: FxHashMap<String, u32>,
    modifiers: Vec<String>,
    /// Per fact, its weighted terms in stem order and the words before its multi-word aliases.
    facts: Vec<ColdFact>,
}

fn cold_part(facts: &[Arc<Fact>], analyzer: &Analyzer) -> ColdPart {
    let mut part = ColdPart::default();
    for fact in facts {
        let mut before = Vec::new();
        let mut read = |text: &str, words: bool| -> Vec<Term> {
            let text = analyzer.fact_text(text);
            before.extend(text.before_aliases);
            // The topic's words are not the vocabulary's (see `texts`).
            if words {
                part.modifiers.extend(text.modifiers);
                for word in text.words {
                    *part.vocabulary.entry(word).or_default() += 1;
                }
            }
            text.terms
        };
        let questions: Vec<Vec<Term>> = fact.questions.iter().map(|q| read(q, true)).collect();
        let statement = read(&fact.statement, true);
        let quote = read(&fact.quote, true);
        let topic = read(&topic_text(fact), false);
        let sorted = sorted_terms_of(questions.into_iter(), statement, quote, topic);
        part.facts.push((sorted, before));
    }
    part
}

/// The index of `old`'s facts with the facts in `redone` given new terms, term ids handed out
/// again in the order terms are first met, as a build that had known the modifiers from the
/// start would have.
fn rebuild(
    old: IndexBuilder,
    terms: FxHashMap<String, u32>,
    mut redone: FxHashMap<usize, Vec<(String, f32)>>,
) -> Index {
    let mut names: Vec<String> = vec![String::new(); terms.len()];
    for (name, id) in terms {
        names[id as usize] = name;
    }
    let mut remap: Vec<u32> = vec![u32::MAX; names.len()];
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let id_of = |name: &str, ids: &mut FxHashMap<String, u32>| -> u32 {
        let next = ids.len() as u32;
        *ids.entry(name.to_string()).or_insert(next)
    };
    let mut builder = IndexBuilder::with_capacity(old.facts(), old.pairs());
    for fact in 0..old.facts() {
        match redone.remove(&fact) {
            Some(sorted) => builder.add_fact(
                sorted
                    .iter()
                    .map(|(term, tf)| (id_of(term, &mut ids), *tf))
                    .collect::<Vec<_>>(),
            ),
            None => builder.add_fact(
                old.fact(fact)
                    .iter()
                    .map(|&(term, tf)| {
                        let slot = &mut remap[term as usize];
                        if *slot == u32::MAX {
                            *slot = id_of(&names[term as usize], &mut ids);
                        }
                        (*slot, tf)
                    })
                    .collect::<Vec<_>>(),
            ),
        }
    }
    builder.finish(ids)
}

/// Numbers each fact's quote in fact order: facts with the same quote share one. In place: a
/// second array of shapes beside the first was the peak of a cold build once the postings
/// were no longer.
fn number_quotes(knowledge: &KnowledgeBase, shapes: &mut [FactShape]) {
    let texts = prehash(&knowledge.facts, |fact| fact.quote.as_str());
    // Sized for every fact at once: growing it by doubling rehashed 100,000 quotes.
    let mut quotes: PrehashedMap<u32> =
        PrehashedMap::with_capacity_and_hasher(knowledge.facts.len(), Default::default());
    for (quote, shape) in texts.into_iter().zip(shapes) {
        let next = quotes.len() as u32;
        shape.quote = *quotes.entry(quote).or_insert(next);
    }
}
