//! Whether two words are forms of one word ("refuse", "refusing", "refusal"), told from their
//! letters. The stemmer alone cannot say: it gives "positive" and "position" the one stem
//! "posit", so an alias for "positive" (productive) would capture every "position" too.

/// Endings that make another form of the same word. Derivations that change the meaning
/// ("-ive", "-ity") are left out on purpose: the point is to refuse a merge, not to find one.
const ENDINGS: &[&str] = &[
    "s", "es", "d", "ed", "ing", "ings", "ly", "al", "als", "ion", "ions", "ment", "ments", "er",
    "ers", "ful", "fully", "ies", "ied", "ness",
];

/// True when the two words come from one root by those endings ("discussed", "discussion"),
/// allowing for the "e" or "y" a root drops before them ("decline", "declining"; "supply",
/// "supplies") and a doubled last consonant ("stop", "stopped").
pub fn same_word(a: &str, b: &str) -> bool {
    let roots_of_b = roots(b);
    roots(a).iter().any(|root| roots_of_b.contains(root))
}

/// The word itself and every root it can be that word's form of.
fn roots(word: &str) -> Vec<String> {
    let mut roots = vec![word.to_string()];
    for ending in ENDINGS {
        let Some(rest) = word.strip_suffix(ending) else {
            continue;
        };
        if rest.chars().count() < MIN_ROOT_LEN {
            continue;
        }
        roots.push(rest.to_string());
        roots.push(format!("{rest}e"));
        roots.push(format!("{rest}y"));
        let mut chars = rest.chars().rev();
        if let (Some(last), Some(before)) = (chars.next(), chars.next()) {
            if last == before {
                roots.push(rest[..rest.len() - last.len_utf8()].to_string());
            }
        }
    }
    roots
}

/// A shorter remainder ("ed" off "bed") is no root.
const MIN_ROOT_LEN: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_and_close_derivations_are_one_word() {
        for (a, b) in [
            ("reject", "rejects"),
            ("rejected", "reject"),
            ("rejection", "reject"),
            ("refuse", "refusing"),
            ("refuse", "refusal"),
            ("decline", "declined"),
            ("supply", "supplies"),
            ("stop", "stopped"),
            ("success", "successful"),
            ("successful", "successfully"),
            ("agree", "agreement"),
            ("stall", "stalled"),
            ("discussed", "discussion"),
            ("negotiating", "negotiations"),
        ] {
            assert!(same_word(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn words_that_merely_stem_alike_are_not() {
        for (a, b) in [
            ("positive", "position"),
            ("general", "generous"),
            ("university", "universe"),
            ("aide", "aid"),
        ] {
            assert!(!same_word(a, b), "{a} / {b}");
        }
    }
}
