//! [`Questions`]: a fact's alternate questions in one string.
//!
//! A fact has 6 to 12 questions. As a `Vec<String>` that is a vector and one heap string per
//! question, each string with its own header and allocator overhead: at 100,000 facts over a
//! million allocations and more than half of what the loaded base took. Here they are one
//! string end to end and where each ends, two allocations a fact, read as `&str`s.

use std::fmt;
use std::ops::{Index, Range};

#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Questions {
    /// Every question, end to end.
    text: Box<str>,
    /// Where each question ends in `text`.
    ends: Box<[u32]>,
}

impl Questions {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = i
            .checked_sub(1)
            .map_or(0, |before| self.ends[before] as usize);
        Some(&self.text[start..end])
    }

    pub fn first(&self) -> Option<&str> {
        self.get(0)
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter {
            questions: self,
            range: 0..self.len(),
        }
    }

    pub fn contains(&self, question: &str) -> bool {
        self.iter().any(|q| q == question)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Questions {
    fn from_iter<I: IntoIterator<Item = S>>(questions: I) -> Questions {
        let mut text = String::new();
        let mut ends = Vec::new();
        for question in questions {
            text.push_str(question.as_ref());
            ends.push(u32::try_from(text.len()).expect("a fact's questions under 4 GB"));
        }
        Questions {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }
}

impl From<Vec<String>> for Questions {
    fn from(questions: Vec<String>) -> Questions {
        questions.iter().collect()
    }
}

impl Index<usize> for Questions {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(question) => question,
            None => panic!("question {i} of {}", self.len()),
        }
    }
}

impl<'a> IntoIterator for &'a Questions {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for Questions {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Questions {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for Questions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[derive(Clone)]
pub struct Iter<'a> {
    questions: &'a Questions,
    range: Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let i = self.range.next()?;
        self.questions.get(i)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let i = self.range.next_back()?;
        self.questions.get(i)
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::Questions;

    #[test]
    fn questions_read_back_as_written_in_order() {
        let written = ["Who led the talks?", "", "where were they"];
        let questions: Questions = written.iter().collect();
        assert_eq!(questions.len(), 3);
        assert_eq!(questions.iter().collect::<Vec<_>>(), written);
        assert_eq!(
            questions.iter().rev().collect::<Vec<_>>(),
            ["where were they", "", "Who led the talks?"]
        );
        assert_eq!(&questions[1], "");
        assert_eq!(questions.first(), Some("Who led the talks?"));
        assert_eq!(questions.get(3), None);
        assert!(questions.contains("where were they"));
        assert!(!questions.contains("where were"));
        assert_eq!(questions, written.to_vec());
        assert_eq!(
            format!("{questions:?}"),
            r#"["Who led the talks?", "", "where were they"]"#
        );
        assert!(Questions::default().is_empty());
    }
}
