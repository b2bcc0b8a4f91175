//! The matcher: which facts, if any, answer a question. Pure computation over a built index:
//! no I/O, no Discord, no clock, so the same question always gets the same verdict.
//!
//! Ranking is BM25F over each fact's alternate questions, statement, quote and topic. Whether
//! to answer at all is a separate, calibrated question: the *confidence* of a fact is the share
//! of the question's meaning (its terms, weighted by rarity) that the fact accounts for. Words
//! the fact base has never seen weigh as much as its rarest words, so "What did Erdogan say about
//! the talks?" is mostly unaccounted for, and refused, however well "talks" matches. Because the
//! confidence is a share, it reads the same for every question and one threshold serves all.

mod analyzer;
mod expectation;
mod index;
mod stopwords;
mod typo;

use std::cell::RefCell;
use std::cmp::Ordering;

pub use analyzer::{Analyzer, Class, Question, Term};
use expectation::{expected, Provides};
use index::Index;

use crate::knowledge::KnowledgeBase;

/// The confidence a fact needs before it is given as an answer.
pub const ANSWER_THRESHOLD: f32 = 0.5;
/// At most this many facts in one answer, and this many suggestions in a refusal.
pub const MAX_FACTS: usize = 3;
pub const MAX_SUGGESTIONS: usize = 3;

/// Question words hint at the kind of answer but must never carry a match alone.
const QUESTION_WORD_WEIGHT: f32 = 0.4;
/// A fact that cannot give the date or number a question asks for keeps this share of its
/// confidence and score: enough to be suggested, too little to be the answer.
const WRONG_KIND_FACTOR: f32 = 0.5;
/// A name the fact base does not know weighs this many times an unknown common word.
const UNKNOWN_NAME_FACTOR: f32 = 1.5;
/// A name the fact base knows weighs this many times another word of the same rarity: "Who
/// heads Russia's delegation?" is not answered by a fact about the US delegation.
const KNOWN_NAME_WEIGHT: f32 = 1.5;
/// A name the fact base knows counts as at least this share of an unknown word's weight, even
/// when it is in many facts ("Russia"): the fact must be about that name.
const KNOWN_NAME_IDF_FLOOR: f32 = 0.5;
/// An unknown word of three letters or fewer is as likely noise or a typo ("wer") as meaning.
const UNKNOWN_SHORT_WORD_FACTOR: f32 = 0.5;
/// The unknown thing a "which …"/"what …" question asks about weighs this many times another
/// unknown word: it is the crux of the question.
const ASKED_ABOUT_FACTOR: f32 = 2.0;
/// A corrected typo is probably, not certainly, the word meant.
const CORRECTED_MATCH: f32 = 0.85;
/// A second fact joins the answer when it scores close to the best and is itself confident.
const COMPANION_SCORE_RATIO: f32 = 0.6;

/// One fact considered for a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index into [`KnowledgeBase::facts`].
    pub fact: usize,
    pub score: f32,
    pub confidence: f32,
}

/// The matcher's verdict on one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub answered: bool,
    /// The best candidate's confidence, whether or not it was enough.
    pub confidence: f32,
    /// The facts that answer, best first; empty when not answered.
    pub facts: Vec<Candidate>,
    /// Facts near the question, for "you could ask…" when not answered.
    pub suggestions: Vec<usize>,
}

pub struct Matcher {
    analyzer: Analyzer,
    index: Index,
    fact_count: usize,
    /// What kind of answer each fact can give, by fact index.
    provides: Vec<Provides>,
}

/// A query term, resolved against the index once.
struct QueryTerm {
    id: Option<u32>,
    weight: f32,
    quality: f32,
    idf: f32,
    content: bool,
}

impl Matcher {
    pub fn new(knowledge: &KnowledgeBase) -> Matcher {
        let mut analyzer = Analyzer::new(&knowledge.aliases);
        analyzer.learn_vocabulary(knowledge.facts.iter().flat_map(|fact| {
            fact.questions
                .iter()
                .map(String::as_str)
                .chain([fact.statement.as_str(), fact.quote.as_str()])
        }));
        let index = Index::build(&knowledge.facts, &analyzer);
        let provides = knowledge
            .facts
            .iter()
            .map(|fact| Provides::of(&format!("{} {}", fact.statement, fact.quote)))
            .collect();
        Matcher {
            analyzer,
            index,
            fact_count: knowledge.facts.len(),
            provides,
        }
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Every fact that shares a term with the question, best first.
    pub fn rank(&self, question: &str) -> Vec<Candidate> {
        let mut ranked = self.candidates(question);
        sort_best_first(&mut ranked);
        ranked
    }

    /// What [`Matcher::rank`] returns, in no particular order.
    fn candidates(&self, question: &str) -> Vec<Candidate> {
        let question = Question::new(question);
        let terms = self.query_terms(&self.analyzer.question_terms(&question));
        let mut ranked = self.rank_terms(&terms);
        if let Some(kind) = expected(&question.words) {
            for candidate in &mut ranked {
                if !self.provides[candidate.fact].satisfies(kind) {
                    candidate.score *= WRONG_KIND_FACTOR;
                    candidate.confidence *= WRONG_KIND_FACTOR;
                }
            }
        }
        ranked
    }

    /// The verdict read off [`Matcher::rank`]'s list: the top fact, then the next ones close to
    /// it. Only those few are picked out of the candidates, not the whole list sorted: at
    /// 100,000 facts a question can have tens of thousands of candidates.
    pub fn verdict(&self, question: &str) -> Verdict {
        let candidates = self.candidates(question);
        let first = candidates.iter().min_by(|a, b| best_first(a, b)).cloned();
        let confidence = first.as_ref().map_or(0.0, |c| c.confidence);
        let answered = confidence >= ANSWER_THRESHOLD;
        let Some(first) = first.filter(|_| answered) else {
            return Verdict {
                answered,
                confidence,
                facts: Vec::new(),
                suggestions: self.suggestions(&best_of(candidates, MAX_SUGGESTIONS)),
            };
        };
        let best_score = first.score;
        let companions = candidates
            .into_iter()
            .filter(|c| {
                c.fact != first.fact
                    && c.confidence >= ANSWER_THRESHOLD
                    && c.score >= COMPANION_SCORE_RATIO * best_score
            })
            .collect();
        let mut facts = vec![first];
        facts.extend(best_of(companions, MAX_FACTS - 1));
        Verdict {
            answered,
            confidence,
            facts,
            suggestions: Vec::new(),
        }
    }

    fn query_terms(&self, terms: &[Term]) -> Vec<QueryTerm> {
        let mut merged: Vec<(String, QueryTerm)> = Vec::new();
        for term in terms {
            let id = self.index.term_id(&term.stem);
            let content = term.class == Class::Content;
            let weight = match (content, term.name, id.is_some()) {
                (false, _, _) => QUESTION_WORD_WEIGHT,
                (true, true, true) => KNOWN_NAME_WEIGHT,
                (true, _, _) => 1.0,
            };
            let idf = match id {
                Some(id) if term.name => self
                    .index
                    .idf(id)
                    .max(KNOWN_NAME_IDF_FLOOR * self.index.unknown_idf),
                Some(id) => self.index.idf(id),
                None => {
                    self.index.unknown_idf
                        * if term.name { UNKNOWN_NAME_FACTOR } else { 1.0 }
                        * if term.asked_about {
                            ASKED_ABOUT_FACTOR
                        } else {
                            1.0
                        }
                        * if term.stem.chars().count() <= 3 {
                            UNKNOWN_SHORT_WORD_FACTOR
                        } else {
                            1.0
                        }
                }
            };
            let query_term = QueryTerm {
                id,
                weight,
                quality: if term.corrected { CORRECTED_MATCH } else { 1.0 },
                idf,
                content,
            };
            match merged.iter_mut().find(|(stem, _)| *stem == term.stem) {
                Some((_, existing)) => existing.quality = existing.quality.max(query_term.quality),
                None => merged.push((term.stem.clone(), query_term)),
            }
            if merged.len() == 64 {
                break;
            }
        }
        merged.into_iter().map(|(_, term)| term).collect()
    }

    /// Every fact that shares a content term with the question, scored, in no particular order.
    fn rank_terms(&self, terms: &[QueryTerm]) -> Vec<Candidate> {
        let total: f32 = terms.iter().map(|t| t.weight * t.idf).sum();
        if total <= 0.0 || !terms.iter().any(|t| t.content && t.id.is_some()) {
            return Vec::new();
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch { hits, touched } = &mut *scratch;
            // Left behind only if an earlier question panicked half-way; cheap to be sure.
            for &fact in touched.iter() {
                hits[fact as usize] = Hit::default();
            }
            touched.clear();
            if hits.len() < self.fact_count {
                hits.resize(self.fact_count, Hit::default());
            }
            for term in terms {
                let Some(id) = term.id else { continue };
                for posting in self.index.postings(id) {
                    let hit = &mut hits[posting.fact as usize];
                    if !hit.touched {
                        hit.touched = true;
                        touched.push(posting.fact);
                    }
                    hit.score += term.weight * term.quality * posting.impact;
                    hit.covered += term.weight * term.quality * term.idf;
                    hit.content |= term.content;
                }
            }
            let mut ranked = Vec::with_capacity(touched.len());
            for &fact in touched.iter() {
                let hit = std::mem::take(&mut hits[fact as usize]);
                if hit.content {
                    ranked.push(Candidate {
                        fact: fact as usize,
                        score: hit.score,
                        confidence: (hit.covered / total).clamp(0.0, 1.0),
                    });
                }
            }
            touched.clear();
            ranked
        })
    }

    /// The nearest facts, to offer as questions to ask instead; when nothing is near, a spread
    /// of topics so the member still sees what the bot can do.
    fn suggestions(&self, ranked: &[Candidate]) -> Vec<usize> {
        let mut picks: Vec<usize> = ranked
            .iter()
            .map(|c| c.fact)
            .take(MAX_SUGGESTIONS)
            .collect();
        let step = (self.fact_count / MAX_SUGGESTIONS).max(1);
        let spread = (0..self.fact_count).step_by(step).chain(0..self.fact_count);
        for fact in spread {
            if picks.len() >= MAX_SUGGESTIONS {
                break;
            }
            if !picks.contains(&fact) {
                picks.push(fact);
            }
        }
        picks
    }
}

thread_local! {
    /// Each answering thread's accumulator for [`Matcher::rank_terms`]: one slot per fact,
    /// reused from question to question, so a question costs the postings of its terms and not
    /// a hash map as large as its hits (at 100,000 facts a common word has tens of thousands).
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

#[derive(Default)]
struct Scratch {
    hits: Vec<Hit>,
    /// The facts whose slot is in use, in the order first hit.
    touched: Vec<u32>,
}

/// What one fact has gathered for the question so far.
#[derive(Default, Clone, Copy)]
struct Hit {
    score: f32,
    /// The share of the question's meaning the fact accounts for, before dividing by the total.
    covered: f32,
    /// Matched a content word: question words alone never make a candidate.
    content: bool,
    touched: bool,
}

fn sort_best_first(ranked: &mut [Candidate]) {
    ranked.sort_by(best_first);
}

/// The order of [`Matcher::rank`]: higher score, then higher confidence, then the earlier fact.
/// It is total (no two candidates are the same fact), so any way of finding the first few gives
/// the same few.
fn best_first(a: &Candidate, b: &Candidate) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(b.confidence.total_cmp(&a.confidence))
        .then(a.fact.cmp(&b.fact))
}

/// The `count` best candidates, best first, by partial selection: the same as sorting them all
/// and taking `count`, in one pass over the many instead of a sort.
fn best_of(mut candidates: Vec<Candidate>, count: usize) -> Vec<Candidate> {
    if candidates.len() > count {
        if count > 0 {
            candidates.select_nth_unstable_by(count - 1, best_first);
        }
        candidates.truncate(count);
    }
    sort_best_first(&mut candidates);
    candidates
}
