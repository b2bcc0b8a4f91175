//! Where in the article a question points: "the last paragraph", "para 3". (The headline is
//! a summary phrase of `lang/chat.toml`: it is answered as the story as a whole.)
//! Members read the report beside the bot and ask about its parts; those words say where to
//! look, not what about, so they leave the question and the answer is looked for there.

/// A part of a source, as its facts' paragraph numbers give it (0 is the title).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Paragraph(usize),
    /// The source's last paragraph, whatever its number.
    Last,
}

/// Where one fact's quote stands in its source.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub paragraph: u32,
    /// Its source has no later paragraph with a fact.
    pub last: bool,
}

impl Place {
    pub fn is_at(self, location: Location) -> bool {
        match location {
            Location::Paragraph(n) => self.paragraph as usize == n,
            Location::Last => self.last,
        }
    }
}

/// Each fact's place, by fact index.
pub fn places(knowledge: &crate::knowledge::KnowledgeBase) -> Vec<Place> {
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for fact in &knowledge.facts {
        let entry = last.entry(&*fact.source).or_default();
        *entry = (*entry).max(fact.paragraph);
    }
    knowledge
        .facts
        .iter()
        .map(|fact| Place {
            paragraph: fact.paragraph as u32,
            last: last.get(&*fact.source) == Some(&fact.paragraph),
        })
        .collect()
}

/// What a paragraph is called in chat; a sentence or line stands in the paragraph it is in.
const PIECES: &[&str] = &[
    "paragraph",
    "paragraphs",
    "para",
    "paras",
    "bit",
    "section",
    "sentence",
    "line",
];
const ORDINALS: &[(&str, usize)] = &[
    ("first", 1),
    ("1st", 1),
    ("opening", 1),
    ("second", 2),
    ("2nd", 2),
    ("third", 3),
    ("3rd", 3),
    ("fourth", 4),
    ("4th", 4),
    ("fifth", 5),
    ("5th", 5),
    ("sixth", 6),
    ("6th", 6),
    ("seventh", 7),
    ("7th", 7),
    ("eighth", 8),
    ("8th", 8),
];
const LAST: &[&str] = &["last", "final", "closing"];

/// The location a question names, and its words without the ones that name it.
pub fn locate(words: &[String]) -> Option<(Location, Vec<String>)> {
    let is = |i: usize, list: &[&str]| words.get(i).is_some_and(|w| list.contains(&w.as_str()));
    for i in 0..words.len() {
        let (location, span) = if is(i + 1, PIECES) && is(i, LAST) {
            (Location::Last, i..i + 2)
        } else if let Some(&(_, n)) = is(i + 1, PIECES)
            .then(|| ORDINALS.iter().find(|(w, _)| *w == words[i]))
            .flatten()
        {
            (Location::Paragraph(n), i..i + 2)
        } else if let Some(n) = is(i, PIECES)
            .then(|| words.get(i + 1)?.parse::<usize>().ok())
            .flatten()
        {
            (Location::Paragraph(n), i..i + 2)
        } else {
            continue;
        };
        let rest = words
            .iter()
            .enumerate()
            .filter(|(j, _)| !span.contains(j))
            .map(|(_, w)| w.clone())
            .collect();
        return Some((location, rest));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold_words;

    fn located(question: &str) -> Option<(Location, String)> {
        locate(&fold_words(question)).map(|(at, rest)| (at, rest.join(" ")))
    }

    #[test]
    fn numbered_and_last_paragraphs_are_places() {
        assert_eq!(
            located("what does the second paragraph say"),
            Some((Location::Paragraph(2), "what does the say".into()))
        );
        assert_eq!(
            located("para 3 who said that"),
            Some((Location::Paragraph(3), "who said that".into()))
        );
        assert_eq!(
            located("last bit of the article abt the military"),
            Some((Location::Last, "of the article abt the military".into()))
        );
    }

    #[test]
    fn last_and_first_alone_are_no_place() {
        assert_eq!(located("when was the last meeting"), None);
        assert_eq!(located("who spoke first"), None);
    }
}
