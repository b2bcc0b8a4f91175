//! The few best candidates out of many, without working out the final score of them all.
//!
//! A candidate's score from its words is only cut afterwards, by what the question asks beyond
//! its words (a date, someone's words): at 100,000 facts a question has tens of thousands of
//! candidates, and looking up each one's shape to cut its score was half the time of such an
//! answer. Since a cut never raises a score, a candidate whose words alone score below the
//! `count`-th best final score cannot be among the best, and neither can any below it.

use std::cmp::Ordering;

use super::{best_first, Candidate};

/// Candidates finished in the first round; each later round takes four times as many.
const FIRST_ROUND: usize = 64;

/// The `count` best of `ranked` after `adjust`, best first: what adjusting every candidate and
/// taking the `count` best ([`super::best_of`]) gives, as long as `adjust` never raises a
/// score. Candidates are finished best words first, a round at a time, until the rest cannot
/// reach the `count`-th best.
pub fn best_adjusted(
    mut ranked: Vec<Candidate>,
    count: usize,
    mut adjust: impl FnMut(&mut Candidate),
) -> Vec<Candidate> {
    let mut best: Vec<Candidate> = Vec::with_capacity(count + 1);
    if count == 0 {
        return best;
    }
    let mut done = 0;
    let mut round = FIRST_ROUND;
    while done < ranked.len() {
        let end = (done + round).min(ranked.len());
        // What the words give the best candidate left after this round: no more than this.
        let mut reach = None;
        if end < ranked.len() {
            ranked[done..].select_nth_unstable_by(end - done - 1, best_first);
            reach = Some(ranked[end - 1].score);
        }
        for candidate in &mut ranked[done..end] {
            let words = candidate.score;
            adjust(candidate);
            debug_assert!(candidate.score <= words, "an adjustment raised a score");
            let at = best.partition_point(|b| best_first(b, candidate) == Ordering::Less);
            if at < count {
                best.insert(at, candidate.clone());
                best.truncate(count);
            }
        }
        done = end;
        let out_of_reach = match reach {
            Some(reach) => best.len() == count && best[count - 1].score > reach,
            None => true,
        };
        if out_of_reach {
            break;
        }
        round *= 4;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::best_of;
    use super::*;

    fn candidate(fact: usize, score: f32) -> Candidate {
        Candidate {
            fact,
            score,
            confidence: 0.0,
            similarity: 0.0,
            matched: 0,
        }
    }

    /// Against adjusting them all, on lists with many equal scores and cuts that reorder them,
    /// of every size around the rounds.
    #[test]
    fn the_same_as_adjusting_every_candidate() {
        let mut state = 0x5EED_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..400 {
            let len = match case % 4 {
                0 => (next() % 10) as usize,
                1 => (next() % 100) as usize,
                2 => 60 + (next() % 300) as usize,
                _ => (next() % 6000) as usize,
            };
            let levels = 1 + next() % 50;
            let ranked: Vec<Candidate> = (0..len)
                .map(|fact| candidate(fact, (next() % levels) as f32 * 0.25))
                .collect();
            let cuts: Vec<u32> = (0..len).map(|_| (next() % 4) as u32).collect();
            let adjust = |c: &mut Candidate| {
                c.score *= 0.45f32.powi(cuts[c.fact] as i32);
                c.matched |= 1 << cuts[c.fact];
            };
            for count in [0, 1, 3, 8, 70] {
                let mut all = ranked.clone();
                all.iter_mut().for_each(adjust);
                let want = best_of(all, count);
                let got = best_adjusted(ranked.clone(), count, adjust);
                assert_eq!(got, want, "case {case}, {len} candidates, count {count}");
            }
        }
    }
}
