//! Strings keyed by a hash worked out beforehand, on every core. A map over the 100,000 ids or
//! quotes of a large base is filled on one thread, in order; what it costs there is reaching
//! each string (a cache miss per fact) to hash it. Hashing them first on both cores leaves the
//! filling thread only the hashes to read, and a string is read again only to settle two
//! equal hashes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHasher;

/// A string with its hash; equal when the strings are.
#[derive(Clone, Copy)]
pub(crate) struct Prehashed<'a> {
    hash: u64,
    pub text: &'a str,
}

impl PartialEq for Prehashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for Prehashed<'_> {}

impl Hash for Prehashed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// A map keyed by [`Prehashed`]: Fx over one `u64` is a multiply.
pub(crate) type PrehashedMap<'a, V> = HashMap<Prehashed<'a>, V, BuildHasherDefault<FxHasher>>;

/// `text(item)` of every item, with its hash, worked out on every core.
pub(crate) fn prehash<'a, T: Sync>(
    items: &'a [T],
    text: impl Fn(&'a T) -> &'a str + Sync,
) -> Vec<Prehashed<'a>> {
    items
        .par_iter()
        .map(|item| {
            let text = text(item);
            let mut hasher = FxHasher::default();
            text.hash(&mut hasher);
            Prehashed {
                hash: hasher.finish(),
                text,
            }
        })
        .collect()
}
