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
/// pairs go end to end in one array, and [`IndexBuilder::finish`] lays them out by term with a
/// counting pass: no list per term, so no per-term growth to pay for at 100,000 facts.
#[derive(Default)]
pub struct IndexBuilder {
    /// Every fact's (term, weighted term frequency), fact after fact.
    pairs: Vec<(u32, f32)>,
    /// Fact `f` owns `pairs[ends[f - 1]..ends[f]]`.
    ends: Vec<u32>,
    lengths: Vec<f32>,
    /// Facts per term so far.
    df: Vec<u32>,
}

impl IndexBuilder {
    /// A builder with room for `facts` facts and `pairs` (term, frequency) pairs in all: a
    /// refresh knows both, and growing a few million pairs by doubling copies them over again.
    pub fn with_capacity(facts: usize, pairs: usize) -> IndexBuilder {
        IndexBuilder {
            pairs: Vec::with_capacity(pairs),
            ends: Vec::with_capacity(facts),
            lengths: Vec::with_capacity(facts),
            df: Vec::new(),
        }
    }

    /// The next fact's terms, in the order of their stems (as [`sorted_terms`] gives them), with
    /// their term ids: an id never seen before is the next one.
    pub fn add_fact(&mut self, terms: impl IntoIterator<Item = (u32, f32)>) {
        let mut length = 0.0;
        for (id, tf) in terms {
            // Summed in term order, so a fact has the same length on every build.
            length += tf;
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            self.df[id as usize] += 1;
            self.pairs.push((id, tf));
        }
        self.ends.push(self.pairs.len() as u32);
        self.lengths.push(length);
    }

    /// How many facts have been added.
    pub fn facts(&self) -> usize {
        self.ends.len()
    }

    /// How many (term, frequency) pairs, all facts together.
    pub fn pairs(&self) -> usize {
        self.pairs.len()
    }

    /// Fact `fact`'s (term id, weighted frequency) pairs, as added.
    pub fn fact(&self, fact: usize) -> &[(u32, f32)] {
        let begin = fact.checked_sub(1).map_or(0, |f| self.ends[f] as usize);
        &self.pairs[begin..self.ends[fact] as usize]
    }

    /// The index, given each term's id (as handed to [`IndexBuilder::add_fact`]).
    pub fn finish(self, mut terms: FxHashMap<String, u32>) -> Index {
        let IndexBuilder {
            pairs,
            ends,
            lengths,
            df,
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
        // Filled fact by fact, so each term's postings come out in fact order.
        let mut next: Vec<u32> = starts[..df.len()].to_vec();
        let mut postings: Vec<Posting> = (0..pairs.len())
            .map(|_| Posting {
                fact: 0,
                impact: 0.0,
            })
            .collect();
        let mut begin = 0usize;
        for (fact, &end) in ends.iter().enumerate() {
            let norm = 1.0 - B + B * lengths[fact] / average;
            for &(term, tf) in &pairs[begin..end as usize] {
                let term_idf = idf[term as usize];
                let slot = &mut next[term as usize];
                postings[*slot as usize] = Posting {
                    fact: fact as u32,
                    impact: term_idf * tf * (K1 + 1.0) / (tf + K1 * norm),
                };
                *slot += 1;
            }
            begin = end as usize;
        }
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
