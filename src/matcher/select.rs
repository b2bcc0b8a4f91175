//! The few best candidates out of many, without working out the final score of them all.
//!
//! A candidate's score from its words is only cut afterwards, by what the question asks beyond
//! its words (a date, someone's words): at 100,000 facts a question has tens of thousands of
//! candidates, and looking up each one's shape to cut its score was half the time of such an
//! answer. Since a cut never raises a score, a candidate whose words alone rank below the
//! `count`-th best final candidate cannot be among the best, and neither can any below it.
//! "Rank below" is the order of `best_first`, the earlier fact first among equal scores: a
//! common word such as "talks" gives thousands of facts the same score, and only that order
//! tells them apart. And a question can cut every candidate alike (whose words, when the
//! speaker is someone no fact names): the caller says how far at least, its `ceiling`, so that
//! the order of the words' scores still settles it.

use std::cmp::Ordering;

use super::{best_first, Candidate};

/// Candidates finished in the first round; each later round takes four times as many.
const FIRST_ROUND: usize = 64;

/// The `count` best of `ranked` after `adjust`, best first: what adjusting every candidate and
/// taking the `count` best ([`super::best_of`]) gives, as long as `adjust` multiplies no score
/// by more than `ceiling` (at most 1). Candidates are finished best words first, a round at a
/// time, until the rest cannot reach the `count`-th best.
pub fn best_adjusted(
    mut ranked: Vec<Candidate>,
    count: usize,
    ceiling: f32,
    mut adjust: impl FnMut(&mut Candidate),
) -> Vec<Candidate> {
    debug_assert!((0.0..=1.0).contains(&ceiling), "{ceiling}");
    let mut best: Vec<Candidate> = Vec::with_capacity(count + 1);
    if count == 0 {
        return best;
    }
    let mut done = 0;
    let mut round = FIRST_ROUND;
    while done < ranked.len() {
        let end = (done + round).min(ranked.len());
        // The last candidate of this round by its words: every one left ranks below it.
        let mut boundary = None;
        if end < ranked.len() {
            ranked[done..].select_nth_unstable_by(end - done - 1, best_first);
            boundary = Some(ranked[end - 1].clone());
        }
        for candidate in &mut ranked[done..end] {
            let words = candidate.score;
            adjust(candidate);
            debug_assert!(
                candidate.score <= words * ceiling,
                "an adjustment went past the ceiling"
            );
            let at = best.partition_point(|b| best_first(b, candidate) == Ordering::Less);
            if at < count {
                best.insert(at, candidate.clone());
                best.truncate(count);
            }
        }
        done = end;
        let out_of_reach = match &boundary {
            Some(boundary) if best.len() == count => {
                // One left with the boundary's score (and a later fact) ends up at most here;
                // one with a lower score, below the next lower score's ceiling.
                let highest = Candidate {
                    score: boundary.score * ceiling,
                    ..boundary.clone()
                };
                let lower = next_down(boundary.score) * ceiling;
                let last = &best[count - 1];
                best_first(last, &highest) == Ordering::Less && last.score > lower
            }
            Some(_) => false,
            None => true,
        };
        if out_of_reach {
            break;
        }
        round *= 4;
    }
    best
}

/// The largest `f32` below `x` (`f32::next_down`, newer than the crate's minimum Rust).
fn next_down(x: f32) -> f32 {
    if x.is_nan() || x == f32::NEG_INFINITY {
        return x;
    }
    if x == 0.0 {
        return -f32::from_bits(1);
    }
    let bits = x.to_bits();
    f32::from_bits(if x > 0.0 { bits - 1 } else { bits + 1 })
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

    #[test]
    fn next_down_is_the_next_float_below() {
        for x in [
            1.0f32,
            0.25,
            3.5e-40,
            f32::MAX,
            f32::INFINITY,
            -2.0,
            0.0,
            -0.0,
        ] {
            let below = next_down(x);
            assert!(below < x, "{x}");
        }
        assert_eq!(next_down(1.0), 1.0 - f32::EPSILON / 2.0);
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
            // Some questions cut every candidate at least once: the ceiling.
            let least = (case / 4 % 2) as u32;
            let ceiling = 0.45f32.powi(least as i32);
            let cuts: Vec<u32> = (0..len).map(|_| least + (next() % 3) as u32).collect();
            let adjust = |c: &mut Candidate| {
                c.score *= 0.45f32.powi(cuts[c.fact] as i32);
                c.matched |= 1 << cuts[c.fact];
            };
            for count in [0, 1, 3, 8, 70] {
                let mut all = ranked.clone();
                all.iter_mut().for_each(adjust);
                let want = best_of(all, count);
                let got = best_adjusted(ranked.clone(), count, ceiling, adjust);
                assert_eq!(got, want, "case {case}, {len} candidates, count {count}");
                let loose = best_adjusted(ranked.clone(), count, 1.0, adjust);
                assert_eq!(loose, want, "case {case}, ceiling 1");
            }
        }
    }
}
