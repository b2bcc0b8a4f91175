//! The matcher: which facts, if any, answer a question. Pure computation over a built index:
//! no I/O, no Discord, no clock, so the same question always gets the same verdict.
//!
//! Ranking is BM25F over each fact's alternate questions, statement, quote and topic, with the
//! best few reordered by a static sentence model. Whether to answer at all is a separate,
//! calibrated question: the *confidence* of the facts chosen is the share of the question's
//! meaning (its terms, weighted by rarity) that they account for, cut for each thing the
//! question asks that they do not give (a date, a name, someone's words). A word the fact base
//! has never seen weighs by how informative it is in English at large, so "What did Erdogan say
//! about the talks?" is mostly unaccounted for, and refused, however well "talks" matches, while
//! "stuff" costs almost nothing. Because the confidence is a share, it reads the same for every
//! question and one threshold serves all. ARCHITECTURE.md, "How the matcher decides", has the
//! whole picture.

mod agent;
mod analyzer;
mod beside;
mod build;
mod chat;
mod context;
mod embedding;
mod expectation;
mod family;
mod index;
mod parts;
mod place;
mod select;
mod slip;
mod stopwords;
mod translation;
mod typo;
mod wordfreq;

use std::cell::RefCell;
use std::cmp::Ordering;
use std::sync::OnceLock;

pub use analyzer::{Analyzer, Class, Question, Term};
pub use build::BuildMemo;
use embedding::{SentenceModel, Sentences};
use expectation::{Asks, Provides};
use index::Index;
pub use translation::{language_of, Language};

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
const WRONG_KIND_FACTOR: f32 = 0.45;
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
/// The thing a question asks about is its crux, however common the word ("what is the
/// *population* of Hallandale"): its English frequency discounts it at most this far.
const ASKED_ABOUT_MIN_INFORMATIVENESS: f32 = 0.75;
/// A corrected typo is probably, not certainly, the word meant.
const CORRECTED_MATCH: f32 = 0.85;
/// A second fact joins the answer when it scores close to the best and is itself confident.
const COMPANION_SCORE_RATIO: f32 = 0.6;
/// In a compound question, a part is answered when the facts cover this share of its meaning.
/// A fact is taken for a name of a keyword question when it covers the name so and accounts
/// for this much of the whole.
const PART_ANSWERED: f32 = 0.5;
const PART_CONFIDENCE: f32 = 0.2;
/// How much closeness in meaning (a cosine, 0 to 1) raises a candidate's score: at 1, a fact
/// whose own question means the same as the member's counts double.
const MEANING_RERANK: f32 = 1.0;
/// The candidates, best first, that an answer is put together from.
const CONSIDERED: usize = 8;
/// Each name the question is about that the answer never mentions costs this share of its
/// confidence: "who spoke for the Russian side" is not answered by Ukraine's delegate.
const MISSING_NAME_FACTOR: f32 = 0.6;

/// One fact considered for a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index into [`KnowledgeBase::facts`].
    pub fact: usize,
    pub score: f32,
    pub confidence: f32,
    /// How close the question's meaning is to the fact's nearest alternate question, as a
    /// cosine of sentence vectors.
    pub similarity: f32,
    /// Which of the question's terms the fact matched, one bit per term.
    matched: u64,
}

/// One term of a question as the matcher read it: see [`Matcher::reading`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReadTerm {
    pub stem: String,
    /// Its share of the question's meaning, 0 to 1.
    pub share: f32,
    /// The fact base has this term.
    pub known: bool,
}

/// The matcher's verdict on one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub answered: bool,
    /// The confidence of the facts given (or of the best set that fell short), as a whole:
    /// two facts that each answer half of a compound question are one confident answer.
    pub confidence: f32,
    /// The facts that answer, best first; empty when not answered.
    pub facts: Vec<Candidate>,
    /// Facts near the question, for "you could ask…" when not answered.
    pub suggestions: Vec<usize>,
    /// For a compound question answered in part: the parts with no answer, as folded words.
    pub unanswered_parts: Vec<String>,
}

pub struct Matcher {
    analyzer: Analyzer,
    index: Index,
    fact_count: usize,
    /// Per fact, the sentence vectors of its alternate questions and statement, made the first
    /// time the fact is a candidate: a large base pays only for the facts questions reach.
    vectors: Vec<OnceLock<Sentences>>,
    /// Per fact, who does what in its own questions (`agent.rs`), read the first time a
    /// question with a doer reaches the fact.
    doers: Vec<OnceLock<Box<[u32]>>>,
    /// Per fact, where its quote stands: for "what does the last paragraph say".
    places: Vec<place::Place>,
    /// Per fact, the terms of the paragraph its quote stands in (`context.rs`), read the first
    /// time a question names something the fact itself does not.
    context: Vec<OnceLock<context::Context>>,
    /// What each fact can answer besides its words, by fact index.
    shapes: Vec<FactShape>,
    /// The stems a summary phrase becomes, and those of each kind's own words ("month"),
    /// analysed once here rather than for every question.
    summary_stems: Vec<String>,
    kind_stems: Vec<(expectation::Expected, Vec<String>)>,
}

/// What a fact can give, read off its text once at build time.
struct FactShape {
    provides: Provides,
    /// Terms (index ids) of the words near the fact's verbs of saying: whose words it reports.
    speakers: Box<[u32]>,
    /// Facts with the same quote share this number; an answer shows a quote once.
    quote: u32,
}

/// A query term, resolved against the index once.
#[derive(Clone)]
struct QueryTerm {
    id: Option<u32>,
    weight: f32,
    quality: f32,
    idf: f32,
    content: bool,
    /// A name the fact base knows: an answer must be about it.
    known_name: bool,
}

/// A question, resolved against the index once: its terms and what it asks of an answer.
struct Query {
    terms: Vec<QueryTerm>,
    /// Each term's stem, by bit.
    stems: Vec<String>,
    /// Per question asked (one, or more for a compound question), the bits of its terms.
    parts: Vec<u64>,
    total: f32,
    /// Per part, what it asks of its answer beyond its words: in "what did the source say and
    /// what did Rubio say" each part wants its own speaker.
    asks: Vec<PartAsks>,
    /// "tl;dr", "what happened": the story as a whole, and nothing more particular.
    summary: bool,
    /// The parts of a compound question that ask for the story as a whole ("tl;dr, and who
    /// led them"), as bits of `parts`; each is answered by the headline.
    summary_parts: Vec<bool>,
    /// Keywords, not a sentence ("witkoff kushner florida"): no question word ties the names
    /// together, so facts that each cover some of them answer it together.
    keywords: bool,
    /// "The last paragraph", "para 3": only facts there answer (`place.rs`).
    location: Option<place::Location>,
}

/// What one part of a question asks of its answer beyond its words, resolved against the index.
#[derive(Clone)]
struct PartAsks {
    kind: Option<expectation::Expected>,
    /// "What did P say": P's terms (None for a word the base never uses); a fact must report
    /// P's words.
    speaker: Vec<Option<u32>>,
    /// "Besides X": X's terms; a fact about X is not the answer.
    excluded: Vec<Option<u32>>,
    /// The terms that name the kind of answer asked for ("which *month*"): covered by any fact
    /// that gives that kind of answer.
    kind_bits: u64,
    /// "What does *Moscow* refuse": the term (index id) of the one the part says acts.
    doer: Option<u32>,
}

impl Query {
    /// The share of the question's meaning that facts matching `matched` account for together.
    fn coverage(&self, matched: u64) -> f32 {
        self.coverage_of(u64::MAX, matched)
    }

    /// The share of the meaning of the terms in `part` that facts matching `matched` cover.
    fn coverage_of(&self, part: u64, matched: u64) -> f32 {
        let weigh = |mask: u64, quality: bool| -> f32 {
            self.terms
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, t)| t.weight * t.idf * if quality { t.quality } else { 1.0 })
                .sum()
        };
        let total = weigh(part, false);
        if total <= 0.0 {
            return 0.0;
        }
        (weigh(part & matched, true) / total).clamp(0.0, 1.0)
    }

    /// Whether the terms in `part` name anything, beyond the kind of answer wanted.
    fn names_something(&self, part: u64) -> bool {
        self.terms
            .iter()
            .enumerate()
            .any(|(bit, t)| part & (1 << bit) != 0 && t.content)
    }

    /// One bit each for the names the question is about.
    fn name_bits(&self) -> impl Iterator<Item = u64> + '_ {
        self.terms
            .iter()
            .enumerate()
            .filter(|(_, t)| t.known_name)
            .map(|(bit, _)| 1u64 << bit)
    }

    /// How many names the question is about that facts matching `matched` never mention.
    fn missing_names(&self, matched: u64) -> i32 {
        self.terms
            .iter()
            .enumerate()
            .filter(|(bit, t)| t.known_name && matched & (1 << bit) == 0)
            .count() as i32
    }

    /// Part `part` of a compound question asked on its own. The other parts' terms keep their
    /// bits but weigh nothing, so what a fact matches reads the same in both queries.
    fn part(&self, part: usize) -> Query {
        let mask = self.parts[part];
        let terms: Vec<QueryTerm> = self
            .terms
            .iter()
            .enumerate()
            .map(|(bit, term)| {
                let mut term = term.clone();
                if mask & (1 << bit) == 0 {
                    term.weight = 0.0;
                }
                term
            })
            .collect();
        Query {
            total: terms.iter().map(|t| t.weight * t.idf).sum(),
            terms,
            stems: self.stems.clone(),
            parts: vec![mask],
            asks: vec![self.asks[part].clone()],
            summary: self.summary_parts[part],
            summary_parts: vec![self.summary_parts[part]],
            keywords: false,
            location: self.location,
        }
    }
}

impl Matcher {
    pub fn new(knowledge: &KnowledgeBase) -> Matcher {
        load_language_data();
        Matcher::build_cold(knowledge)
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The question, without the words that say where in the article to look, and that place.
    fn read(question: &str) -> (Question, Option<place::Location>) {
        let question = Question::new(question);
        match place::locate(&question.words) {
            Some((location, words)) => (question.with_words(words), Some(location)),
            None => (question, None),
        }
    }

    /// Every fact that shares a term with the question, best first.
    pub fn rank(&self, knowledge: &KnowledgeBase, question: &str) -> Vec<Candidate> {
        let (question, location) = Matcher::read(question);
        let query = self.query(&question, location);
        let mut ranked = self.candidates(&query);
        self.confide(&query, &mut ranked);
        sort_best_first(&mut ranked);
        let near = ranked.len().min(CONSIDERED);
        self.weigh_few(knowledge, &question, &query, &mut ranked[..near]);
        ranked
    }

    /// How the question was read: each term (a stem, after chat language, translation, typo
    /// correction and aliases), its share of the question's meaning, and whether the fact base
    /// knows it. For `ask --explain`: why a question was refused is usually here.
    pub fn reading(&self, question: &str) -> Vec<ReadTerm> {
        let (question, location) = Matcher::read(question);
        let query = self.query(&question, location);
        query
            .stems
            .iter()
            .zip(&query.terms)
            .map(|(stem, term)| ReadTerm {
                stem: stem.clone(),
                share: if query.total > 0.0 {
                    term.weight * term.idf / query.total
                } else {
                    0.0
                },
                known: term.id.is_some(),
            })
            .collect()
    }

    fn query(&self, question: &Question, location: Option<place::Location>) -> Query {
        let spelled = self.analyzer.spell_all(question);
        let analyzed: Vec<(usize, Vec<Term>)> = question
            .parts
            .iter()
            .enumerate()
            .map(|(part, range)| {
                let terms = self
                    .analyzer
                    .spelled_part_terms(question, &spelled, range.clone());
                (part, terms)
            })
            .collect();
        let (terms, parts, term_stems) = self.query_terms(&analyzed);
        let mut content = analyzed
            .iter()
            .flat_map(|(_, terms)| terms)
            .filter(|t| t.class == Class::Content)
            .peekable();
        let summary =
            content.peek().is_some() && content.all(|t| self.summary_stems.contains(&t.stem));
        let summary_parts = analyzed
            .iter()
            .map(|(_, terms)| {
                let mut content = terms
                    .iter()
                    .filter(|t| t.class == Class::Content)
                    .peekable();
                content.peek().is_some() && content.all(|t| self.summary_stems.contains(&t.stem))
            })
            .collect();
        // The terms naming someone the question is about, as index ids; a name the base has
        // never seen is kept as None, so nothing can be said to report their words.
        let ids = |words: &[String]| -> Vec<Option<u32>> {
            self.analyzer
                .question_terms(&Question::from_words(words))
                .iter()
                .filter(|t| t.class == Class::Content)
                .map(|t| self.index.term_id(&t.stem))
                .collect()
        };
        let no_stems = Vec::new();
        let asks: Vec<PartAsks> = question
            .parts
            .iter()
            .zip(&analyzed)
            .map(|(range, (_, part_terms))| {
                let words = spelled.words(range.clone());
                let asks = Asks::of(&words);
                let doer = agent::doer(agent::doer_words(&words), &self.analyzer, &self.index);
                let kind_stems = asks
                    .kind
                    .and_then(|kind| self.kind_stems.iter().find(|(k, _)| *k == kind))
                    .map_or(&no_stems, |(_, stems)| stems);
                let kind_bits = part_terms
                    .iter()
                    .filter(|t| kind_stems.contains(&t.stem))
                    .filter_map(|t| term_stems.iter().position(|s| *s == t.stem))
                    .fold(0u64, |bits, bit| bits | 1 << bit);
                PartAsks {
                    kind: asks.kind,
                    speaker: ids(&asks.speaker),
                    excluded: ids(&asks.excluded),
                    kind_bits,
                    doer,
                }
            })
            .collect();
        let kind_bits = asks.iter().fold(0u64, |bits, a| bits | a.kind_bits);
        // "Which *month*", "what *date*" say what kind of answer is wanted, as a question word
        // does, not what it is about: a fact that merely holds a date must not answer "did
        // they set a date for a ceasefire" on that word alone.
        let mut terms = terms;
        for (bit, term) in terms.iter_mut().enumerate() {
            if kind_bits & (1 << bit) != 0 {
                term.weight = term.weight.min(QUESTION_WORD_WEIGHT);
            }
        }
        Query {
            total: terms.iter().map(|t| t.weight * t.idf).sum(),
            terms,
            stems: term_stems,
            parts,
            asks,
            summary,
            summary_parts,
            // Every word a content word: "did witkoff go to moscow" is a sentence, whose
            // names one fact must answer together.
            keywords: analyzed
                .iter()
                .flat_map(|(_, terms)| terms)
                .all(|t| t.class == Class::Content)
                && !question.words.iter().any(|w| stopwords::is_stopword(w)),
            location,
        }
    }

    /// Every candidate with its score, in no particular order.
    fn candidates(&self, query: &Query) -> Vec<Candidate> {
        let mut ranked = self.rank_terms(query);
        for candidate in &mut ranked {
            self.adjust(query, candidate);
        }
        ranked
    }

    /// `best_of(self.candidates(query), count)`, without adjusting the many candidates that
    /// their words alone put out of reach (`select.rs`). Only a summary's score can rise.
    fn best_candidates(&self, query: &Query, count: usize) -> Vec<Candidate> {
        if query.summary {
            return best_of(self.candidates(query), count);
        }
        let ceiling = self.fit_ceiling(query);
        select::best_adjusted(self.rank_terms(query), count, ceiling, |candidate| {
            self.adjust(query, candidate)
        })
    }

    fn adjust(&self, query: &Query, candidate: &mut Candidate) {
        for asks in &query.asks {
            if asks
                .kind
                .is_some_and(|kind| self.shapes[candidate.fact].provides.satisfies(kind))
            {
                candidate.matched |= asks.kind_bits;
            }
        }
        let factor = self.fit(query, &[candidate.fact]);
        candidate.score *= factor;
        if query.summary {
            // A summary takes the overview facts in the base's own order: the headline
            // first, as a reader meets them.
            candidate.score = 1.0 - candidate.fact as f32 / self.fact_count as f32;
        }
    }

    /// Each candidate's own confidence. Only the few an answer is built from need it, so it is
    /// not worked out for the tens of thousands a large base can give.
    fn confide(&self, query: &Query, candidates: &mut [Candidate]) {
        for candidate in candidates {
            candidate.confidence = query.coverage(candidate.matched)
                * self.fit(query, &[candidate.fact])
                * MISSING_NAME_FACTOR.powi(query.missing_names(candidate.matched));
        }
    }

    /// Orders the few best candidates by meaning as well as words: each one's score grows
    /// with how close the question is, as a sentence vector, to one of the fact's own
    /// questions or its statement. "did the session go well" shares one word with "was the
    /// session productive" but means it. Meaning only reorders: whether to answer stays with
    /// the words and the checks of what is asked, because on our question sets the sentence
    /// model tells near misses from answerable questions no better than the words do
    /// (`scripts/compare_rankers.py` prints both).
    fn weigh_meaning(
        &self,
        knowledge: &KnowledgeBase,
        question: &Question,
        candidates: &mut [Candidate],
    ) {
        if candidates.is_empty() || question.words.is_empty() {
            return;
        }
        let model = SentenceModel::embedded();
        let asked = model.encode(&question.words.join(" "));
        for candidate in candidates.iter_mut() {
            let vectors = self.vectors[candidate.fact].get_or_init(|| {
                let fact = &knowledge.facts[candidate.fact];
                model.encode_all(fact.questions.iter().chain([fact.statement.as_str()]))
            });
            let similarity = vectors.best_cosine(&asked);
            candidate.similarity = similarity;
            candidate.score *= 1.0 + MEANING_RERANK * similarity;
        }
        sort_best_first(candidates);
    }

    /// What only the few best candidates are worth: the setting their paragraph gives them,
    /// whether they read the doer the right way round, and how near they mean the question.
    fn weigh_few(
        &self,
        knowledge: &KnowledgeBase,
        question: &Question,
        query: &Query,
        candidates: &mut [Candidate],
    ) {
        self.weigh_context(knowledge, question, query, candidates);
        self.weigh_roles(knowledge, query, candidates);
        self.weigh_meaning(knowledge, question, candidates);
    }

    /// Holds back the candidates that read the question's doer the wrong way round
    /// (`agent.rs`): a fact that names Moscow, but never as the one who refuses, is not the
    /// sure answer to "what does Moscow refuse".
    fn weigh_roles(&self, knowledge: &KnowledgeBase, query: &Query, candidates: &mut [Candidate]) {
        // Per part, the doer's id and bit; a part with no doer is never read the wrong way.
        let doers: Vec<Option<(u32, u64)>> = query
            .asks
            .iter()
            .map(|asks| {
                let doer = asks.doer?;
                let bit = query.terms.iter().position(|t| t.id == Some(doer))?;
                Some((doer, 1u64 << bit))
            })
            .collect();
        if doers.iter().all(Option::is_none) {
            return;
        }
        for candidate in candidates.iter_mut() {
            let own = self.doers[candidate.fact].get_or_init(|| {
                agent::doers_of(
                    &knowledge.facts[candidate.fact],
                    &self.analyzer,
                    &self.index,
                )
            });
            // Of a compound question, held back only when it reads every part the wrong way:
            // the answer to "what does Ukraine want" may well name Moscow.
            let inverted = !own.is_empty()
                && doers.iter().all(|part| {
                    part.is_some_and(|(doer, bit)| {
                        candidate.matched & bit != 0 && !own.contains(&doer)
                    })
                });
            if inverted {
                candidate.confidence *= agent::WRONG_DOER_FACTOR;
                candidate.score *= agent::WRONG_DOER_FACTOR;
            }
        }
    }

    /// The most [`Matcher::fit`] gives any one fact for this question: the words of someone
    /// the base never names are in no fact.
    fn fit_ceiling(&self, query: &Query) -> f32 {
        query
            .asks
            .iter()
            .map(|asks| {
                if !asks.speaker.is_empty() && asks.speaker.iter().all(Option::is_none) {
                    WRONG_KIND_FACTOR
                } else {
                    1.0
                }
            })
            .fold(0.0, f32::max)
    }

    /// How well `facts` together give what the question asks for beyond its words: the
    /// kind of answer, whose words, who set aside. 1 when they do, less for each way they
    /// don't; never more than 1 (`select.rs` relies on it). Of a compound question, the part
    /// they suit best: a fact answering one part is not the worse for not answering the other.
    fn fit(&self, query: &Query, facts: &[usize]) -> f32 {
        (0..query.asks.len())
            .map(|part| self.fit_part(query, part, facts))
            .fold(0.0, f32::max)
    }

    /// How well `facts` give what part `part` of the question asks for beyond its words.
    fn fit_part(&self, query: &Query, part: usize, facts: &[usize]) -> f32 {
        let asks = &query.asks[part];
        let shapes = || facts.iter().map(|&f| &self.shapes[f]);
        let mut factor = 1.0;
        if let Some(kind) = asks.kind {
            if !shapes().any(|s| s.provides.satisfies(kind)) {
                factor *= WRONG_KIND_FACTOR;
            }
        }
        if !asks.speaker.is_empty()
            && !shapes().any(|s| {
                asks.speaker
                    .iter()
                    .flatten()
                    .any(|t| s.speakers.contains(t))
            })
        {
            factor *= WRONG_KIND_FACTOR;
        }
        if !asks.excluded.is_empty()
            && facts.iter().all(|&f| {
                asks.excluded
                    .iter()
                    .flatten()
                    .any(|&t| self.index.postings(t).iter().any(|p| p.fact as usize == f))
            })
        {
            factor *= WRONG_KIND_FACTOR;
        }
        factor
    }

    /// Whether facts matching `matched` answer part `part` of a compound question: they
    /// cover its meaning and give what it asks for.
    fn answers_part(&self, query: &Query, part: usize, matched: u64, facts: &[usize]) -> bool {
        query.coverage_of(query.parts[part], matched) * self.fit_part(query, part, facts)
            >= PART_ANSWERED
    }

    /// The verdict: the best fact, then the few that answer with it: for a compound question,
    /// the best fact for each part the others leave open; then close runners-up that are
    /// confident on their own. A fact whose quote is already shown is never shown again. Only
    /// those few are picked out of the candidates, never the whole list sorted: at 100,000
    /// facts a question can have tens of thousands of them.
    pub fn verdict(&self, knowledge: &KnowledgeBase, question: &str) -> Verdict {
        let (question, location) = Matcher::read(question);
        let query = self.query(&question, location);
        let mut near = self.best_candidates(&query, CONSIDERED);
        self.confide(&query, &mut near);
        self.weigh_few(knowledge, &question, &query, &mut near);
        if near.is_empty() {
            near.extend(self.first_at(&query));
        }
        let Some(first) = near.first().cloned() else {
            return Verdict {
                answered: false,
                confidence: 0.0,
                facts: Vec::new(),
                suggestions: self.suggestions(&[]),
                unanswered_parts: Vec::new(),
            };
        };
        let mut chosen = vec![first.clone()];
        let mut matched = first.matched;
        let shown = |chosen: &[Candidate], c: &Candidate| {
            chosen
                .iter()
                .any(|o| self.shapes[o.fact].quote == self.shapes[c.fact].quote)
        };
        // The parts a compound question asks, and each name a keyword question ("witkoff
        // kushner florida") lists: each wants the fact that covers it, if the first does not.
        let mut wanted = if query.parts.len() > 1 {
            query.parts.clone()
        } else {
            Vec::new()
        };
        if query.keywords {
            wanted.extend(query.name_bits());
        }
        // The parts answered by the paragraph of another part's answer (`beside.rs`).
        let mut beside = vec![false; query.parts.len()];
        {
            let compound = query.parts.len() > 1;
            for (i, &part) in wanted.iter().enumerate() {
                let facts: Vec<usize> = chosen.iter().map(|c| c.fact).collect();
                // Past the parts come the names of a keyword question.
                let is_part = compound && i < query.parts.len();
                let answered = if is_part {
                    self.answers_part(&query, i, matched, &facts)
                } else {
                    query.coverage_of(part, matched) >= PART_ANSWERED
                };
                if answered {
                    continue;
                }
                if let Some(kind) = query.asks.get(i).and_then(|a| a.kind) {
                    if is_part && !query.names_something(part) {
                        let quote_shown = |f: usize| {
                            chosen
                                .iter()
                                .any(|o| self.shapes[o.fact].quote == self.shapes[f].quote)
                        };
                        let fact = chosen
                            .iter()
                            .find_map(|c| self.beside(knowledge, c.fact, kind, quote_shown));
                        if let Some(fact) = fact {
                            matched |= part;
                            chosen.push(self.beside_candidate(fact, part));
                            beside[i] = true;
                            continue;
                        }
                    }
                }
                if query.summary_parts.get(i) == Some(&true) {
                    if let Some(headline) = self.headline(&query, part) {
                        if !shown(&chosen, &headline) {
                            matched |= headline.matched;
                            chosen.push(headline);
                            continue;
                        }
                    }
                }
                // A part must be answered on its own terms; a name of a keyword question by
                // a fact that also accounts for a good share of the whole.
                let answers_part = |c: &&Candidate| {
                    !shown(&chosen, c)
                        && if is_part {
                            self.answers_part(&query, i, c.matched, &[c.fact])
                        } else {
                            query.coverage(c.matched) >= PART_CONFIDENCE
                                && query.coverage_of(part, c.matched) >= PART_ANSWERED
                        }
                };
                // A part is best answered from its own ranking: the whole question's few
                // best can all be about the other part ("where was the meeting and who
                // represented zelenskiy").
                let own = if is_part {
                    self.part_candidates(knowledge, &question, &query, i)
                } else {
                    Vec::new()
                };
                if let Some(best) = own.iter().chain(&near).find(answers_part).cloned() {
                    matched |= best.matched;
                    chosen.push(best);
                }
            }
        }
        for candidate in &near[1..] {
            if chosen.len() >= MAX_FACTS {
                break;
            }
            let companion = candidate.confidence >= ANSWER_THRESHOLD
                && candidate.score >= COMPANION_SCORE_RATIO * first.score;
            if companion && !shown(&chosen, candidate) {
                matched |= candidate.matched;
                chosen.push(candidate.clone());
            }
        }
        let facts: Vec<usize> = chosen.iter().map(|c| c.fact).collect();
        let answered_parts: Vec<bool> = (0..query.parts.len())
            .map(|part| beside[part] || self.answers_part(&query, part, matched, &facts))
            .collect();
        // A compound question is as confident as the parts it answers; the others are named.
        let confidence = if query.parts.len() > 1 && answered_parts.iter().any(|&a| a) {
            let answered_mask = query
                .parts
                .iter()
                .zip(&answered_parts)
                .filter(|(_, &a)| a)
                .fold(0, |mask, (&part, _)| mask | part);
            query.coverage_of(answered_mask, matched)
        } else if wanted.is_empty() {
            // One thing asked: the facts that came along with the first do not add up to an
            // answer none of them is. "did they set a date for a ceasefire" is not answered by
            // a fact about a ceasefire plus a fact with a date.
            chosen.iter().map(|c| c.confidence).fold(0.0, f32::max)
        } else {
            query.coverage(matched)
        } * if wanted.is_empty() {
            // Each fact's own confidence already holds its fit and the names it misses.
            1.0
        } else {
            self.fit(&query, &facts) * MISSING_NAME_FACTOR.powi(query.missing_names(matched))
        };

        let answered = confidence >= ANSWER_THRESHOLD;
        if !answered {
            return Verdict {
                answered,
                confidence,
                facts: Vec::new(),
                suggestions: self.suggestions(&near),
                unanswered_parts: Vec::new(),
            };
        }
        let unanswered_parts = if query.parts.len() > 1 {
            question
                .parts
                .iter()
                .zip(&answered_parts)
                .filter(|(_, &a)| !a)
                .map(|(range, _)| question.words[range.clone()].join(" "))
                .collect()
        } else {
            Vec::new()
        };
        Verdict {
            answered,
            confidence,
            facts: chosen,
            suggestions: Vec::new(),
            unanswered_parts,
        }
    }

    /// The best candidates for part `part` of a compound question asked on its own, ordered
    /// by that part's words and meaning, each with its confidence for the whole question.
    fn part_candidates(
        &self,
        knowledge: &KnowledgeBase,
        question: &Question,
        query: &Query,
        part: usize,
    ) -> Vec<Candidate> {
        let part_query = query.part(part);
        let mut own = self.best_candidates(&part_query, CONSIDERED);
        self.confide(query, &mut own);
        let asked = Question::from_words(&question.words[question.parts[part].clone()]);
        self.weigh_few(knowledge, &asked, query, &mut own);
        own
    }

    /// The first overview fact in the base's order, as the answer to the part of a question
    /// that asks for the story as a whole: the ranking of the other part may have left it out
    /// of the candidates.
    fn headline(&self, query: &Query, part: u64) -> Option<Candidate> {
        let summary_bits: u64 = query
            .terms
            .iter()
            .enumerate()
            .filter(|(bit, t)| part & (1 << bit) != 0 && t.content)
            .fold(0, |bits, (bit, _)| bits | 1 << bit);
        let fact = self
            .summary_stems
            .iter()
            .filter_map(|stem| self.index.term_id(stem))
            .flat_map(|id| self.index.postings(id))
            .map(|posting| posting.fact as usize)
            .min()?;
        let mut headline = Candidate {
            fact,
            score: 0.0,
            confidence: 0.0,
            similarity: 0.0,
            matched: summary_bits,
        };
        self.confide(query, std::slice::from_mut(&mut headline));
        Some(headline)
    }

    /// The question's terms, each once, with the bits of each part's terms.
    fn query_terms(
        &self,
        analyzed: &[(usize, Vec<Term>)],
    ) -> (Vec<QueryTerm>, Vec<u64>, Vec<String>) {
        let mut merged: Vec<(String, QueryTerm)> = Vec::new();
        let mut parts = vec![0u64; analyzed.len()];
        let terms = analyzed
            .iter()
            .flat_map(|(part, terms)| terms.iter().map(move |t| (*part, t)));
        for (part, term) in terms {
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
                        * if term.asked_about {
                            term.informativeness.max(ASKED_ABOUT_MIN_INFORMATIVENESS)
                        } else {
                            term.informativeness
                        }
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
                known_name: content && term.name && id.is_some(),
            };
            match merged.iter().position(|(stem, _)| *stem == term.stem) {
                Some(bit) => {
                    let existing = &mut merged[bit].1;
                    existing.quality = existing.quality.max(query_term.quality);
                    parts[part] |= 1 << bit;
                }
                None if merged.len() < 64 => {
                    parts[part] |= 1 << merged.len();
                    merged.push((term.stem.clone(), query_term));
                }
                None => {}
            }
        }
        let stems = merged.iter().map(|(stem, _)| stem.clone()).collect();
        (
            merged.into_iter().map(|(_, term)| term).collect(),
            parts,
            stems,
        )
    }

    /// Every fact that shares a content term with the question, scored, in no particular order.
    fn rank_terms(&self, query: &Query) -> Vec<Candidate> {
        let terms = &query.terms;
        if query.total <= 0.0
            || !terms
                .iter()
                .any(|t| t.content && t.id.is_some() && t.weight > 0.0)
        {
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
            for (bit, term) in terms.iter().enumerate() {
                let Some(id) = term.id else { continue };
                // Another part's term, in a part asked on its own: it marks what a fact
                // matches but neither scores nor brings a fact in.
                let weighed = term.weight > 0.0;
                for posting in self.index.postings(id) {
                    let hit = &mut hits[posting.fact as usize];
                    if !hit.touched {
                        hit.touched = true;
                        touched.push(posting.fact);
                    }
                    hit.score += term.weight * term.quality * posting.impact;
                    hit.matched |= 1 << bit;
                    hit.content |= term.content && weighed;
                }
            }
            let mut ranked = Vec::with_capacity(touched.len());
            for &fact in touched.iter() {
                let hit = std::mem::take(&mut hits[fact as usize]);
                if hit.content {
                    ranked.push(Candidate {
                        fact: fact as usize,
                        score: hit.score,
                        confidence: 0.0,
                        similarity: 0.0,
                        matched: hit.matched,
                    });
                }
            }
            touched.clear();
            if let Some(location) = query.location {
                ranked.retain(|c| self.places[c.fact].is_at(location));
            }
            ranked
        })
    }

    /// "What does the headline say": a question that names a place in the article and
    /// nothing else is answered by the first fact there, as a summary is by the headline.
    fn first_at(&self, query: &Query) -> Option<Candidate> {
        let location = query.location?;
        // "What is it about" beside the place asks for that part as a whole.
        if query.parts.len() > 1 || (!query.summary && query.terms.iter().any(|t| t.content)) {
            return None;
        }
        let fact = self.places.iter().position(|p| p.is_at(location))?;
        Some(Candidate {
            fact,
            score: 1.0,
            confidence: 1.0,
            similarity: 0.0,
            matched: u64::MAX,
        })
    }

    /// The nearest facts, to offer as questions to ask instead; when nothing is near, a spread
    /// of topics so the member still sees what the bot can do.
    fn suggestions(&self, ranked: &[Candidate]) -> Vec<usize> {
        let mut picks: Vec<usize> = Vec::new();
        for candidate in ranked {
            let quote = self.shapes[candidate.fact].quote;
            if picks.len() < MAX_SUGGESTIONS
                && !picks.iter().any(|&p| self.shapes[p].quote == quote)
            {
                picks.push(candidate.fact);
            }
        }
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

/// Parses the compiled-in language data, once per process. Every way of building a matcher
/// calls it, so that no member's first answer (a Cyrillic one included) pays for it.
fn load_language_data() {
    SentenceModel::embedded();
    wordfreq::load_all();
    slip::load();
    chat::chat_language();
    translation::lexicon();
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
    /// The question's terms the fact matched, one bit each.
    matched: u64,
    /// Matched a content word: question words alone never make a candidate.
    content: bool,
    touched: bool,
}

fn sort_best_first(ranked: &mut [Candidate]) {
    ranked.sort_by(best_first);
}

/// The order of [`Matcher::rank`]: higher score, then the earlier fact.
/// It is total (no two candidates are the same fact), so any way of finding the first few gives
/// the same few.
fn best_first(a: &Candidate, b: &Candidate) -> Ordering {
    b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact))
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
