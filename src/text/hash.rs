//! A fast hasher for the word tables looked up with every word of every question.
//!
//! std's `HashMap` hashes with SipHash, which keeps an attacker who chooses the keys a table is
//! filled with from making its lookups slow. The tables that use this one are filled from data
//! compiled into the binary, never from what members type, so that protection buys nothing
//! there, and SipHash was a tenth of the time of an answer. This is FxHash (the Firefox and
//! rustc hash): one rotate, xor and multiply per eight bytes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` for tables the program fills itself: see the module.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[derive(Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the high bits well mixed and the low ones less so; the table
        // picks its bucket from the low bits.
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fast_map_finds_what_it_holds_and_nothing_else() {
        let words = ["a", "ab", "abcdefgh", "abcdefghi", "кто", "", "the talks"];
        let map: FastMap<&str, usize> = words.iter().enumerate().map(|(i, w)| (*w, i)).collect();
        for (i, word) in words.iter().enumerate() {
            assert_eq!(map.get(word), Some(&i));
        }
        // The last chunk is padded with zeros, but a key padded so is another key.
        assert_eq!(map.get("a\0"), None);
        assert_eq!(map.get("abcdefgh\0"), None);
    }
}
