//! The part of a compound question that names nothing of its own: in "who led the talks and
//! where was it", "it" is what the other part is about, so the place is the one the paragraph
//! that answered "who led the talks" gives. Only a part that asks for a kind of answer (a
//! place, a date, a number…) is answered so, and only by a fact of that same paragraph that
//! gives it: with nothing named, the paragraph is the only evidence of what "it" is.

use super::expectation::Expected;
use super::{Candidate, Matcher};
use crate::knowledge::KnowledgeBase;

impl Matcher {
    /// The fact nearest `answered` in the base, of the same paragraph of the same source, that
    /// gives `kind`: facts are written paragraph by paragraph, so the paragraph's other facts
    /// stand beside it and the search stops at the first fact of another paragraph.
    pub(super) fn beside(
        &self,
        knowledge: &KnowledgeBase,
        answered: usize,
        kind: Expected,
        shown: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let facts = &knowledge.facts;
        let anchor = &facts[answered];
        let same_paragraph =
            |f: usize| facts[f].source == anchor.source && facts[f].paragraph == anchor.paragraph;
        let gives = |f: usize| self.shapes[f].provides.satisfies(kind) && !shown(f);
        let mut below = (0..answered).rev().take_while(|&f| same_paragraph(f));
        let mut above = (answered + 1..facts.len()).take_while(|&f| same_paragraph(f));
        // Nearest first, on either side.
        loop {
            match (below.next(), above.next()) {
                (None, None) => return None,
                (b, a) => {
                    if let Some(f) = b.filter(|&f| gives(f)) {
                        return Some(f);
                    }
                    if let Some(f) = a.filter(|&f| gives(f)) {
                        return Some(f);
                    }
                }
            }
        }
    }

    /// [`Matcher::beside`] as a candidate that answers the whole of `part`.
    pub(super) fn beside_candidate(&self, fact: usize, part: u64) -> Candidate {
        Candidate {
            fact,
            score: 0.0,
            confidence: 0.0,
            similarity: 0.0,
            matched: part,
        }
    }
}
