//! The two curation reports, as plain data: what members asked that the bot could not answer
//! (near-duplicates grouped), and which facts members found unhelpful. Both adapters render
//! these: `talkbot report` as text or JSON, Discord's `/unanswered` and `/feedback` as pages.

use serde::Serialize;

use super::store::{MissRow, VoteRow};

/// Two wordings this similar (normalized Levenshtein on their normalized forms) are one group.
const NEAR_DUPLICATE: f64 = 0.8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnansweredGroup {
    /// The most-asked wording.
    pub question: String,
    /// How many times any wording of the group was asked.
    pub count: u64,
    pub last_seen: i64,
    /// Other wordings in the group.
    pub variants: Vec<String>,
    /// True if any wording was refused outright (not just answered with low confidence).
    pub refused: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactFeedback {
    pub fact_id: String,
    pub not_helpful: u64,
    pub helpful: u64,
    /// Questions behind the "not helpful" votes, most frequent first.
    pub questions: Vec<String>,
}

/// Groups rows (most asked first) whose normalized wordings are near-duplicates.
pub fn group_unanswered(rows: Vec<MissRow>) -> Vec<UnansweredGroup> {
    let mut groups: Vec<(String, UnansweredGroup)> = Vec::new();
    for row in rows {
        let home = groups.iter_mut().find(|(key, _)| {
            strsim::normalized_levenshtein(key, &row.normalized) >= NEAR_DUPLICATE
        });
        match home {
            Some((_, group)) => {
                group.count += row.count;
                group.last_seen = group.last_seen.max(row.last_seen);
                group.refused |= row.refused;
                if group.variants.len() < 5 && group.question != row.question {
                    group.variants.push(row.question);
                }
            }
            None => groups.push((
                row.normalized,
                UnansweredGroup {
                    question: row.question,
                    count: row.count,
                    last_seen: row.last_seen,
                    variants: Vec::new(),
                    refused: row.refused,
                },
            )),
        }
    }
    let mut groups: Vec<UnansweredGroup> = groups.into_iter().map(|(_, g)| g).collect();
    groups.sort_by(|a, b| b.count.cmp(&a.count).then(b.last_seen.cmp(&a.last_seen)));
    groups
}

/// Facts by "not helpful" votes, worst first; facts with none are left out.
pub fn fact_feedback(votes: Vec<VoteRow>) -> Vec<FactFeedback> {
    let mut facts: Vec<(FactFeedback, Vec<(String, u64)>)> = Vec::new();
    for vote in votes {
        for fact_id in &vote.fact_ids {
            let position = match facts.iter().position(|(f, _)| f.fact_id == *fact_id) {
                Some(position) => position,
                None => {
                    facts.push((
                        FactFeedback {
                            fact_id: fact_id.clone(),
                            not_helpful: 0,
                            helpful: 0,
                            questions: Vec::new(),
                        },
                        Vec::new(),
                    ));
                    facts.len() - 1
                }
            };
            let (feedback, questions) = &mut facts[position];
            if vote.helpful {
                feedback.helpful += 1;
                continue;
            }
            feedback.not_helpful += 1;
            match questions.iter_mut().find(|(q, _)| *q == vote.question) {
                Some((_, count)) => *count += 1,
                None => questions.push((vote.question.clone(), 1)),
            }
        }
    }
    let mut report: Vec<FactFeedback> = facts
        .into_iter()
        .filter(|(f, _)| f.not_helpful > 0)
        .map(|(mut feedback, mut questions)| {
            questions.sort_by_key(|q| std::cmp::Reverse(q.1));
            feedback.questions = questions.into_iter().take(5).map(|(q, _)| q).collect();
            feedback
        })
        .collect();
    report.sort_by(|a, b| {
        b.not_helpful
            .cmp(&a.not_helpful)
            .then(a.fact_id.cmp(&b.fact_id))
    });
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn miss(question: &str, count: u64, last_seen: i64) -> MissRow {
        MissRow {
            question: question.to_string(),
            normalized: crate::text::fold_words(question).join(" "),
            count,
            last_seen,
            refused: true,
        }
    }

    #[test]
    fn near_duplicate_wordings_are_one_group_with_their_counts_added() {
        let groups = group_unanswered(vec![
            miss("What did Putin say?", 5, 10),
            miss("what did putin say", 3, 30),
            miss("What did Putin says?", 1, 20),
            miss("Who won the match?", 2, 40),
        ]);
        assert_eq!(groups.len(), 2, "{groups:?}");
        assert_eq!(
            (
                groups[0].question.as_str(),
                groups[0].count,
                groups[0].last_seen
            ),
            ("What did Putin say?", 9, 30)
        );
        assert_eq!(groups[1].count, 2);
    }

    #[test]
    fn feedback_ranks_facts_by_not_helpful_votes() {
        let vote = |facts: &[&str], question: &str, helpful| VoteRow {
            fact_ids: facts.iter().map(|f| f.to_string()).collect(),
            question: question.to_string(),
            helpful,
        };
        let report = fact_feedback(vec![
            vote(&["a"], "q1", false),
            vote(&["a", "b"], "q2", false),
            vote(&["a"], "q1", false),
            vote(&["b"], "q3", true),
            vote(&["c"], "q4", true),
        ]);
        let ids: Vec<(&str, u64, u64)> = report
            .iter()
            .map(|f| (f.fact_id.as_str(), f.not_helpful, f.helpful))
            .collect();
        assert_eq!(ids, vec![("a", 3, 0), ("b", 1, 1)]);
        assert_eq!(report[0].questions, vec!["q1", "q2"]);
    }
}
