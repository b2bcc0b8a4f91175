//! Questions in Ukrainian and Russian, read as English through a bilingual word list with
//! stems (`lang/uk-ru.toml`), so they meet the same facts, aliases and weights as English ones.
//! A word list rather than a model: the sentence model distilled for paraphrase is English-only,
//! and on this story's vocabulary a few hundred stems cover what members ask (measured in
//! the closing note of the change that added it). Quotes are never translated.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::Deserialize;

use crate::text::{fold, fold_words};

const UK_RU_TOML: &str = include_str!("../../lang/uk-ru.toml");

/// A Cyrillic word this short that the list does not know is a function word ("що", "и").
const MAX_UNLISTED_FUNCTION_WORD: usize = 3;

/// The language a question is written in, where it is not English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Uk,
    Ru,
}

#[derive(Deserialize)]
struct File {
    words: HashMap<String, Vec<String>>,
    stopwords: Stopwords,
}

#[derive(Deserialize)]
struct Stopwords {
    words: Vec<String>,
}

pub struct Lexicon {
    exact: HashMap<String, Vec<String>>,
    /// (stem, English words), longest stem first, so the most specific stem wins.
    stems: Vec<(String, Vec<String>)>,
    stopwords: HashSet<String>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(UK_RU_TOML));

pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

impl Lexicon {
    /// Panics on a malformed list: it is compiled in, and a unit test parses it.
    fn parse(text: &str) -> Lexicon {
        let file: File = toml::from_str(text).expect("lang/uk-ru.toml is valid");
        let mut exact = HashMap::new();
        let mut stems = Vec::new();
        for (english, forms) in file.words {
            let english = fold_words(&english);
            for form in forms {
                let folded = fold(&form);
                match folded.strip_suffix('*') {
                    Some(stem) => stems.push((stem.to_string(), english.clone())),
                    None => {
                        exact.insert(folded, english.clone());
                    }
                }
            }
        }
        stems.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        let stopwords = file.stopwords.words.iter().map(|w| fold(w)).collect();
        Lexicon {
            exact,
            stems,
            stopwords,
        }
    }

    /// `words` (folded) with each Ukrainian or Russian word replaced by its English meaning;
    /// other words are left as they are.
    pub fn translate(&self, words: Vec<String>) -> Vec<String> {
        let mut out = Vec::with_capacity(words.len());
        for word in words {
            if !is_cyrillic(&word) {
                out.push(word);
                continue;
            }
            if self.stopwords.contains(&word) {
                continue;
            }
            if let Some(english) = self.exact.get(&word) {
                out.extend(english.iter().cloned());
                continue;
            }
            match self
                .stems
                .iter()
                .find(|(stem, _)| word.starts_with(stem.as_str()))
            {
                Some((_, english)) => out.extend(english.iter().cloned()),
                None if word.chars().count() <= MAX_UNLISTED_FUNCTION_WORD => {}
                None => out.push(word),
            }
        }
        out
    }
}

pub fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| ('\u{0400}'..='\u{04ff}').contains(&c))
}

/// Ukrainian or Russian, when the question is written in Cyrillic: Ukrainian if it has a letter
/// or a common word that Russian lacks, else Russian.
pub fn language_of(text: &str) -> Option<Language> {
    if !text.chars().any(|c| ('\u{0400}'..='\u{04ff}').contains(&c)) {
        return None;
    }
    let lower = text.to_lowercase();
    let ukrainian_letter = lower.chars().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ'));
    let russian_letter = lower.chars().any(|c| matches!(c, 'ы' | 'э' | 'ъ' | 'ё'));
    let words = fold_words(&lower);
    let ukrainian_word = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "що" | "хто" | "чи" | "як" | "де" | "коли" | "або"
        )
    });
    if (ukrainian_letter || ukrainian_word) && !russian_letter {
        Some(Language::Uk)
    } else {
        Some(Language::Ru)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(question: &str) -> String {
        lexicon().translate(fold_words(question)).join(" ")
    }

    #[test]
    fn ukrainian_and_russian_questions_read_as_english() {
        assert_eq!(read("хто очолював переговори"), "who led talks");
        assert_eq!(read("кто вёл переговоры"), "who led talks");
        assert_eq!(read("кто такой умеров"), "who umerov");
        assert_eq!(read("що хоче росія"), "what want russia");
        assert_eq!(read("who led the talks"), "who led the talks");
    }

    #[test]
    fn general_vocabulary_of_diplomatic_news_reads_as_english() {
        assert_eq!(read("хто підписав угоду"), "who sign agreement");
        assert_eq!(
            read("какие условия предложила россия"),
            "which conditions proposal russia"
        );
        assert_eq!(
            read("кто главный переговорщик сша"),
            "who main negotiators us"
        );
        assert_eq!(
            read("на прошлой неделе прошли переговоры"),
            "last week held talks"
        );
        assert_eq!(read("яка посада умєрова"), "which position umerov");
        assert_eq!(read("какая должность у рубио"), "which position rubio");
        assert_eq!(
            read("коротко: заголовок статті"),
            "summary headline article"
        );
        assert_eq!(
            read("чи погодиться україна на іноземні війська"),
            "did agreement ukraine foreign troops"
        );
        assert_eq!(
            read("должна ли украина стать нейтральной"),
            "must ukraine become neutral"
        );
        assert_eq!(
            read("когда следующий раунд переговоров"),
            "when next round talks"
        );
    }

    #[test]
    fn an_unlisted_long_word_stays_as_an_unknown_word() {
        assert_eq!(read("що сказав ердоган"), "what said ердоган");
    }

    #[test]
    fn the_language_is_told_by_its_letters_and_words() {
        assert_eq!(language_of("що хоче росія"), Some(Language::Uk));
        assert_eq!(language_of("кто такой умеров"), Some(Language::Ru));
        assert_eq!(
            language_of("что думают европейские союзники"),
            Some(Language::Ru)
        );
        assert_eq!(language_of("who led the talks"), None);
    }
}
