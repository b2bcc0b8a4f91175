//! A name the question gives as the setting: "who led the *Florida* meeting". The fact that
//! says who led the talks does not name Florida, but the paragraph its quote stands in does:
//! "These talks were led by Steve Witkoff … in Hallandale, Florida". Without that, the fact
//! that merely names Florida (where the meeting was) outranks the one that answers. A name
//! found only in the paragraph counts for a little less than one the fact itself names, and
//! only a name the article uses in that one paragraph: "Ukraine" is in every paragraph, and
//! says nothing about which of them a question is set in. Only a name the question gives as
//! a setting ("in Florida", "at Hallandale", "the Florida meeting"): in "what is Witkoff's
//! title", Witkoff is what is asked about, and his paragraph's other facts are not about him.

use super::analyzer::Question;
use super::{Candidate, Matcher, Query, MISSING_NAME_FACTOR};
use crate::knowledge::KnowledgeBase;

/// The share of its weight a name found only in the fact's paragraph counts for.
const CONTEXT_FACTOR: f32 = 0.65;

/// Words before a name that make it the setting.
const SETTING_BEFORE: &[&str] = &["in", "at"];
/// Words after a name that make it the setting: "the Florida meeting".
const SETTING_AFTER: &[&str] = &[
    "meeting",
    "meetings",
    "talks",
    "session",
    "round",
    "summit",
    "negotiations",
];

/// The terms (index ids) of the paragraph a fact quotes, and of the rest of its source.
pub(super) struct Context {
    here: Box<[u32]>,
    elsewhere: Box<[u32]>,
}

impl Matcher {
    /// Lets each candidate count the question's names that its own paragraph holds.
    pub(super) fn weigh_context(
        &self,
        knowledge: &KnowledgeBase,
        question: &Question,
        query: &Query,
        candidates: &mut [Candidate],
    ) {
        let settings = self.settings(question);
        if settings.is_empty() {
            return;
        }
        let names: Vec<(u64, u32, f32)> = query
            .terms
            .iter()
            .enumerate()
            .filter(|(_, t)| t.known_name && t.weight > 0.0)
            .filter(|(_, t)| t.id.is_some_and(|id| settings.contains(&id)))
            .filter_map(|(bit, t)| Some((1u64 << bit, t.id?, t.weight * t.idf)))
            .collect();
        if names.is_empty() {
            return;
        }
        for candidate in candidates.iter_mut() {
            if names.iter().all(|(bit, _, _)| candidate.matched & bit != 0) {
                continue;
            }
            let context = self.context[candidate.fact]
                .get_or_init(|| self.context_of(knowledge, candidate.fact));
            let found: Vec<&(u64, u32, f32)> = names
                .iter()
                .filter(|(bit, id, _)| {
                    candidate.matched & bit == 0
                        && context.here.binary_search(id).is_ok()
                        && context.elsewhere.binary_search(id).is_err()
                })
                .collect();
            if found.is_empty() {
                continue;
            }
            let matched = found
                .iter()
                .fold(candidate.matched, |matched, (bit, _, _)| matched | bit);
            let confidence = query.coverage(matched)
                * self.fit(query, &[candidate.fact])
                * MISSING_NAME_FACTOR.powi(query.missing_names(matched))
                * CONTEXT_FACTOR;
            if confidence > candidate.confidence {
                candidate.confidence = confidence;
                candidate.matched = matched;
                candidate.score += CONTEXT_FACTOR * found.iter().map(|(_, _, w)| w).sum::<f32>();
            }
        }
    }

    /// The index ids of the names the question gives as its setting.
    fn settings(&self, question: &Question) -> Vec<u32> {
        let words = &question.words;
        let is = |i: Option<usize>, list: &[&str]| {
            i.and_then(|i| words.get(i))
                .is_some_and(|w| list.contains(&w.as_str()))
        };
        (0..words.len())
            .filter(|&i| is(i.checked_sub(1), SETTING_BEFORE) || is(Some(i + 1), SETTING_AFTER))
            .flat_map(|i| {
                self.analyzer
                    .question_terms(&Question::from_words(&words[i..i + 1]))
            })
            .filter(|t| t.name)
            .filter_map(|t| self.index.term_id(&t.stem))
            .collect()
    }

    fn context_of(&self, knowledge: &KnowledgeBase, fact: usize) -> Context {
        let fact = &knowledge.facts[fact];
        let Some(source) = knowledge.sources.get(&*fact.source) else {
            return Context {
                here: Box::new([]),
                elsewhere: Box::new([]),
            };
        };
        let terms = |texts: &mut dyn Iterator<Item = &String>| -> Box<[u32]> {
            let mut ids: Vec<u32> = texts
                .flat_map(|text| self.analyzer.fact_terms(text))
                .filter_map(|t| self.index.term_id(&t.stem))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids.into_boxed_slice()
        };
        let paragraphs = &source.paragraphs;
        Context {
            here: terms(&mut paragraphs.get(fact.paragraph).into_iter()),
            elsewhere: terms(
                &mut paragraphs
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != fact.paragraph)
                    .map(|(_, p)| p),
            ),
        }
    }
}
