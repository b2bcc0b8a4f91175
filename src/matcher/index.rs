//! The inverted index: for each term, the facts that contain it and how much the term says
//! about each (a BM25F impact, computed once at build time so answering is only additions).
//!
//! Layout: one flat array of postings, grouped by term, with each term's range in a second
//! array, rather than a vector per term. At 100,000 facts that is a few million postings in one
//! allocation instead of tens of thousands of small ones, which keeps memory and start-up down.
//! The build (`build.rs`) analyses facts a chunk at a time and keeps only their term counts, so
//! it never holds every fact's analysed text at once.

use rustc_hash::FxHashMap;

use super::analyzer::{Analyzer, Class, Term};
use crate::knowledge::Fact;

/// How much each part of a fact speaks for it. Alternate questions are written in members'
/// words, the statement in plain words, the quote in the article's (often formal) words.
const QUESTION_WEIGHT: f32 = 1.0;
const STATEMENT_WEIGHT: f32 = 1.0;
const QUOTE_WEIGHT: f32 = 0.5;
const TOPIC_WEIGHT: f32 = 0.5;
/// A word used in every alternate question is not worth more than a word used three times:
/// moderators should not have to ration their alternate questions.
const QUESTION_COUNT_CAP: f32 = 3.0;
/// BM25's usual saturation, and a mild length normalization: long facts are not penalized
/// much, because a long statement usually means a richer fact, not a padded one.
const K1: f32 = 1.2;
const B: f32 = 0.5;

/// One fact in a term's posting list. Lists are in fact order.
pub struct Posting {
    pub fact: u32,
    pub impact: f32,
}

pub struct Index {
    terms: FxHashMap<String, u32>,
    /// Every posting, grouped by term: term `t` owns `postings[starts[t]..starts[t + 1]]`.
    postings: Vec<Posting>,
    starts: Vec<u32>,
    idf: Vec<f32>,
    /// The idf a word nobody in the fact base uses would have: the price of an unknown word.
    pub unknown_idf: f32,
}

impl Index {
    pub fn term_id(&self, stem: &str) -> Option<u32> {
        self.terms.get(stem).copied()
    }

    pub fn idf(&self, term: u32) -> f32 {
        self.idf[term as usize]
    }

    pub fn postings(&self, term: u32) -> &[Posting] {
        let term = term as usize;
        &self.postings[self.starts[term] as usize..self.starts[term + 1] as usize]
    }
}

/// The postings as facts are added, in fact order, each fact's terms already given an id: term
/// ids are handed out in the order terms are first met, so ids match however the analysis was
/// done (fresh, or from a refresh's memory of unchanged files). Each fact's (term, frequency)
/// pairs go end to end, and [`IndexBuilder::finish`] lays them out by term with a counting
/// pass: no list per term, so no per-term growth to pay for at 100,000 facts.
///
/// The pairs are kept in blocks of [`BLOCK`] facts, and `finish` frees each block once its
/// postings are written. The postings are as many as the pairs; as one array the pairs were
/// all resident beside the whole postings array, the peak of a build (12 MB more at 100,000
/// facts). Each term's postings fill in order, so the postings' pages become resident about as
/// fast as the blocks' pages are given back.
#[derive(Default)]
pub struct IndexBuilder {
    /// Every fact's (term, weighted term frequency), fact after fact; block `b` holds those of
    /// facts `b * BLOCK..(b + 1) * BLOCK`.
    blocks: Vec<Vec<(u32, f32)>>,
    /// Fact `f`'s pairs end at `ends[f]`, counted over all blocks.
    ends: Vec<u32>,
    lengths: Vec<f32>,
    /// Facts per term so far.
    df: Vec<u32>,
    /// The room a new block is made with (0: let it grow).
    block_pairs: usize,
}

/// Facts per block of pairs: a block (a few hundred kB at the base's 10 to 20 terms a fact) is
/// large enough for the allocator to map and unmap it on its own.
const BLOCK: usize = 4096;

impl IndexBuilder {
    /// A builder with room for `facts` facts and `pairs` (term, frequency) pairs in all: a
    /// refresh knows both, so each block is sized once for its share.
    pub fn with_capacity(facts: usize, pairs: usize) -> IndexBuilder {
        IndexBuilder {
            blocks: Vec::with_capacity(facts.div_ceil(BLOCK)),
            ends: Vec::with_capacity(facts),
            lengths: Vec::with_capacity(facts),
            df: Vec::new(),
            block_pairs: (pairs / facts.max(1) + 1) * BLOCK,
        }
    }

    /// How many pairs came before block `block`.
    fn block_start(&self, block: usize) -> usize {
        (block * BLOCK)
            .checked_sub(1)
            .map_or(0, |last| self.ends[last] as usize)
    }

    /// The next fact's terms, in the order of their stems (as [`sorted_terms`] gives them), with
    /// their term ids: an id never seen before is the next one.
    pub fn add_fact(&mut self, terms: impl IntoIterator<Item = (u32, f32)>) {
        if self.ends.len() % BLOCK == 0 {
            self.blocks.push(Vec::with_capacity(self.block_pairs));
        }
        let block = self.blocks.last_mut().expect("a block was just made");
        let mut length = 0.0;
        for (id, tf) in terms {
            // Summed in term order, so a fact has the same length on every build.
            length += tf;
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            self.df[id as usize] += 1;
            block.push((id, tf));
        }
        let before = self.block_start(self.blocks.len() - 1);
        let block = self.blocks.last().expect("a block was just made");
        self.ends.push((before + block.len()) as u32);
        self.lengths.push(length);
    }

    /// How many facts have been added.
    pub fn facts(&self) -> usize {
        self.ends.len()
    }

    /// How many (term, frequency) pairs, all facts together.
    pub fn pairs(&self) -> usize {
        self.ends.last().map_or(0, |&end| end as usize)
    }

    /// Fact `fact`'s (term id, weighted frequency) pairs, as added.
    pub fn fact(&self, fact: usize) -> &[(u32, f32)] {
        let block = fact / BLOCK;
        let before = self.block_start(block);
        let begin = fact.checked_sub(1).map_or(0, |f| self.ends[f] as usize);
        &self.blocks[block][begin - before..self.ends[fact] as usize - before]
    }

    /// The index, given each term's id (as handed to [`IndexBuilder::add_fact`]).
    pub fn finish(self, mut terms: FxHashMap<String, u32>) -> Index {
        let total = self.pairs();
        let IndexBuilder {
            blocks,
            ends,
            lengths,
            df,
            ..
        } = self;
        let average = (lengths.iter().sum::<f32>() / lengths.len().max(1) as f32).max(1.0);
        let n = lengths.len() as f32;
        let idf_of = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let idf: Vec<f32> = df.iter().map(|&df| idf_of(df as f32)).collect();
        let mut starts = Vec::with_capacity(df.len() + 1);
        starts.push(0u32);
        for &count in &df {
            starts.push(starts[starts.len() - 1] + count);
        }
        // Filled fact by fact, so each term's postings come out in fact order. Not zeroed
        // first: writing every slot up front made the whole array resident at once.
        let mut next: Vec<u32> = starts[..df.len()].to_vec();
        let mut postings: Vec<Posting> = Vec::with_capacity(total);
        let slots = &mut postings.spare_capacity_mut()[..total];
        let mut begin = 0usize;
        let mut fact = 0usize;
        for block in blocks {
            for &(term, tf) in &block {
                while ends[fact] as usize <= begin {
                    fact += 1;
                }
                let norm = 1.0 - B + B * lengths[fact] / average;
                let slot = &mut next[term as usize];
                slots[*slot as usize].write(Posting {
                    fact: fact as u32,
                    impact: idf[term as usize] * tf * (K1 + 1.0) / (tf + K1 * norm),
                });
                *slot += 1;
                begin += 1;
            }
            // Dropped here, before the next block's postings are written.
        }
        // Every term's slots were written to the end of its range and not past it (a slot past
        // it would be the next term's, which its own count fills): so every slot once.
        assert!(
            next.iter().zip(&starts[1..]).all(|(n, end)| n == end),
            "every posting written"
        );
        // SAFETY: the first `total` slots are initialised: the ranges `starts[t]..starts[t + 1]`
        // tile `0..total` (`starts` sums `df`, which counts every pair), and the assert above
        // says each was written through to its end.
        unsafe { postings.set_len(total) };
        terms.shrink_to_fit();
        Index {
            terms,
            postings,
            starts,
            idf,
            unknown_idf: idf_of(0.0),
        }
    }
}

/// A fact's weighted terms, in stem order.
pub fn sorted_terms(fact: &Fact, analyzer: &Analyzer) -> Vec<(String, f32)> {
    sorted_terms_of(
        fact.questions.iter().map(|q| analyzer.fact_terms(q)),
        analyzer.fact_terms(&fact.statement),
        analyzer.fact_terms(&fact.quote),
        analyzer.fact_terms(&topic_text(fact)),
    )
}

/// The text a fact's topic is analysed as.
pub fn topic_text(fact: &Fact) -> String {
    fact.topic.replace('-', " ")
}

/// [`sorted_terms`] from the terms of the fact's questions, statement, quote and topic.
pub fn sorted_terms_of(
    questions: impl Iterator<Item = Vec<Term>>,
    statement: Vec<Term>,
    quote: Vec<Term>,
    topic: Vec<Term>,
) -> Vec<(String, f32)> {
    let mut sorted: Vec<(String, f32)> = weighted_terms(questions, statement, quote, topic)
        .into_iter()
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted
}

fn weighted_terms(
    questions: impl Iterator<Item = Vec<Term>>,
    statement: Vec<Term>,
    quote: Vec<Term>,
    topic: Vec<Term>,
) -> FxHashMap<String, f32> {
    let mut weights: FxHashMap<String, f32> = FxHashMap::default();
    let mut question_counts: FxHashMap<String, f32> = FxHashMap::default();
    for question in questions {
        let mut seen: Vec<String> = Vec::new();
        for term in question {
            if !seen.contains(&term.stem) {
                seen.push(term.stem);
            }
        }
        for stem in seen {
            *question_counts.entry(stem).or_default() += 1.0;
        }
    }
    for (stem, count) in question_counts {
        *weights.entry(stem).or_default() += QUESTION_WEIGHT * count.min(QUESTION_COUNT_CAP);
    }
    let mut add = |terms: Vec<Term>, weight: f32| {
        for term in terms {
            // Question words in a statement ("who said…") are not the fact asking a question.
            if term.class == Class::Content {
                *weights.entry(term.stem).or_default() += weight;
            }
        }
    };
    add(statement, STATEMENT_WEIGHT);
    add(quote, QUOTE_WEIGHT);
    add(topic, TOPIC_WEIGHT);
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fact `f`'s pairs in a base of more facts than a block holds, some facts with no terms.
    fn pairs_of(f: usize) -> Vec<(u32, f32)> {
        (0..(f * 7) % 5)
            .map(|k| (((f + k * 13) % 50) as u32, 1.0 + k as f32))
            .collect()
    }

    #[test]
    fn postings_over_several_blocks_are_each_terms_facts_in_order() {
        let facts = 2 * BLOCK + 17;
        let mut builder = IndexBuilder::default();
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        for f in 0..facts {
            let mut pairs = pairs_of(f);
            pairs.sort_by_key(|&(term, _)| term);
            pairs.dedup_by_key(|&mut (term, _)| term);
            // Term ids in the order first met, as a build hands them out.
            let pairs: Vec<(u32, f32)> = pairs
                .into_iter()
                .map(|(term, tf)| {
                    let next = ids.len() as u32;
                    (*ids.entry(format!("t{term}")).or_insert(next), tf)
                })
                .collect();
            builder.add_fact(pairs.clone());
            assert_eq!(builder.fact(f), &pairs[..]);
        }
        assert_eq!(builder.facts(), facts);
        let added: Vec<Vec<(u32, f32)>> = (0..facts).map(|f| builder.fact(f).to_vec()).collect();
        assert_eq!(builder.pairs(), added.iter().map(Vec::len).sum::<usize>());
        let index = builder.finish(ids.clone());
        for (name, &term) in &ids {
            let expected: Vec<u32> = (0..facts)
                .filter(|&f| added[f].iter().any(|&(t, _)| t == term))
                .map(|f| f as u32)
                .collect();
            let found: Vec<u32> = index.postings(term).iter().map(|p| p.fact).collect();
            assert_eq!(found, expected, "postings of {name}");
            assert!(index.postings(term).iter().all(|p| p.impact > 0.0));
            assert_eq!(index.term_id(name), Some(term));
        }
    }
}
