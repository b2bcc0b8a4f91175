//! The inverted index: for each term, the facts that contain it and how much the term says
//! about each (a BM25F impact, computed once at build time so answering is only additions).

use std::collections::HashMap;

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

pub struct Posting {
    pub fact: u32,
    pub impact: f32,
}

pub struct Index {
    terms: HashMap<String, u32>,
    postings: Vec<Vec<Posting>>,
    idf: Vec<f32>,
    /// The idf a word nobody in the fact base uses would have: the price of an unknown word.
    pub unknown_idf: f32,
}

impl Index {
    pub fn build(facts: &[Fact], analyzer: &Analyzer) -> Index {
        let weighted: Vec<HashMap<String, f32>> =
            facts.iter().map(|fact| weighted_terms(fact, analyzer)).collect();
        let lengths: Vec<f32> = weighted.iter().map(|terms| terms.values().sum()).collect();
        let average = (lengths.iter().sum::<f32>() / lengths.len().max(1) as f32).max(1.0);
        let mut terms: HashMap<String, u32> = HashMap::new();
        let mut frequencies: Vec<Vec<(u32, f32)>> = Vec::new();
        for (fact, fact_terms) in weighted.iter().enumerate() {
            let mut sorted: Vec<(&String, &f32)> = fact_terms.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (term, tf) in sorted {
                let next = terms.len() as u32;
                let id = *terms.entry(term.clone()).or_insert(next);
                if id as usize == frequencies.len() {
                    frequencies.push(Vec::new());
                }
                frequencies[id as usize].push((fact as u32, *tf));
            }
        }
        let n = facts.len() as f32;
        let idf_of = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut idf = Vec::with_capacity(frequencies.len());
        let mut postings = Vec::with_capacity(frequencies.len());
        for list in frequencies {
            let term_idf = idf_of(list.len() as f32);
            idf.push(term_idf);
            postings.push(
                list.into_iter()
                    .map(|(fact, tf)| {
                        let norm = 1.0 - B + B * lengths[fact as usize] / average;
                        Posting {
                            fact,
                            impact: term_idf * tf * (K1 + 1.0) / (tf + K1 * norm),
                        }
                    })
                    .collect(),
            );
        }
        Index {
            terms,
            postings,
            idf,
            unknown_idf: idf_of(0.0),
        }
    }

    pub fn term_id(&self, stem: &str) -> Option<u32> {
        self.terms.get(stem).copied()
    }

    pub fn idf(&self, term: u32) -> f32 {
        self.idf[term as usize]
    }

    pub fn postings(&self, term: u32) -> &[Posting] {
        &self.postings[term as usize]
    }
}

fn weighted_terms(fact: &Fact, analyzer: &Analyzer) -> HashMap<String, f32> {
    let mut weights: HashMap<String, f32> = HashMap::new();
    let mut question_counts: HashMap<String, f32> = HashMap::new();
    for question in &fact.questions {
        let mut seen: Vec<String> = Vec::new();
        for term in analyzer.fact_terms(question) {
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
    add(analyzer.fact_terms(&fact.statement), STATEMENT_WEIGHT);
    add(analyzer.fact_terms(&fact.quote), QUOTE_WEIGHT);
    add(analyzer.fact_terms(&fact.topic.replace('-', " ")), TOPIC_WEIGHT);
    weights
}
