//! The naive baseline every figure is compared with: no index, no analysis, just strsim. The
//! question is compared with every alternate question of every fact, and the most similar
//! wins. It is what one writes first, and what the issue asks the matcher to beat.

use talkbot::knowledge::KnowledgeBase;

/// Below this similarity the naive matcher says it has no answer (it is only used to report
/// how often it would answer; the timing does not depend on it).
pub const NAIVE_THRESHOLD: f64 = 0.6;

pub struct NaiveScan {
    /// (fact index, alternate question in lower case), for every question of every fact.
    questions: Vec<(u32, String)>,
}

impl NaiveScan {
    pub fn new(knowledge: &KnowledgeBase) -> NaiveScan {
        let questions = knowledge
            .facts
            .iter()
            .enumerate()
            .flat_map(|(i, fact)| {
                fact.questions
                    .iter()
                    .map(move |q| (i as u32, q.to_lowercase()))
            })
            .collect();
        NaiveScan { questions }
    }

    /// The fact whose alternate question is most like `question`, with that similarity.
    pub fn best(&self, question: &str) -> Option<(usize, f64)> {
        let question = question.to_lowercase();
        let mut best: Option<(usize, f64)> = None;
        for (fact, candidate) in &self.questions {
            let similarity = strsim::normalized_levenshtein(&question, candidate);
            if best.is_none_or(|(_, b)| similarity > b) {
                best = Some((*fact as usize, similarity));
            }
        }
        best
    }

    pub fn answers(&self, question: &str) -> bool {
        self.best(question)
            .is_some_and(|(_, s)| s >= NAIVE_THRESHOLD)
    }
}
