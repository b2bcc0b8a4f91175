//! [`Shared`]: a string many facts hold the same copy of.
//!
//! A fact's file, source, topic and slot repeat across the facts of a file (at 100,000 facts,
//! a hundred facts to a file, a handful of sources and topics among them). As a `String` each
//! fact had its own heap copy of each, four allocations a fact; sharing one `Arc<str>` per
//! distinct value takes them out. It reads as a `&str` (deref, comparisons with `str` and
//! `String`, `Display`, `as_str`), so code written against the `String` fields reads it as
//! before.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;

#[derive(Clone, PartialOrd, Ord)]
pub struct Shared(Arc<str>);

impl Shared {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Shared {
    fn default() -> Shared {
        Shared::from("")
    }
}

impl Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<Path> for Shared {
    fn as_ref(&self) -> &Path {
        Path::new(&*self.0)
    }
}

impl Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        // Most comparisons are between copies of one value: no need to read the text.
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Eq for Shared {}

/// As the text hashes, so that a `Shared` and a `String` of one text are the same key.
impl Hash for Shared {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Shared {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Shared> for String {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Shared> for str {
    fn eq(&self, other: &Shared) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Shared> for &str {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl From<&str> for Shared {
    fn from(text: &str) -> Shared {
        Shared(Arc::from(text))
    }
}

impl From<String> for Shared {
    fn from(text: String) -> Shared {
        Shared(Arc::from(text))
    }
}

impl From<Shared> for String {
    fn from(shared: Shared) -> String {
        shared.as_str().to_string()
    }
}

impl From<&Shared> for String {
    fn from(shared: &Shared) -> String {
        shared.as_str().to_string()
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// One copy of each distinct text among the values of a file's facts. A file holds a handful
/// of distinct sources, topics and slots, so a scan beats a hash map.
#[derive(Default)]
pub(super) struct Interner {
    seen: Vec<Shared>,
}

impl Interner {
    pub fn get(&mut self, text: &str) -> Shared {
        if let Some(shared) = self.seen.iter().rev().find(|s| s.as_str() == text) {
            return shared.clone();
        }
        let shared = Shared::from(text);
        self.seen.push(shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_text_reads_and_compares_as_the_string() {
        let shared = Shared::from("talks-venue");
        assert_eq!(shared, "talks-venue");
        assert_eq!(shared, "talks-venue".to_string());
        assert_eq!("talks-venue".to_string(), shared);
        assert_eq!(shared.replace('-', " "), "talks venue");
        assert_eq!(
            format!("{shared}|{shared:?}"),
            "talks-venue|\"talks-venue\""
        );
        let mut hashed = std::collections::HashMap::new();
        hashed.insert(shared.clone(), 1);
        assert_eq!(hashed.get("talks-venue"), Some(&1));
    }

    #[test]
    fn an_interner_hands_out_one_copy_per_text() {
        let mut interner = Interner::default();
        let a = interner.get("geneva");
        let b = interner.get("geneva");
        let c = interner.get("paris");
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert!(!Arc::ptr_eq(&a.0, &c.0));
        assert_eq!(c, "paris");
    }
}
