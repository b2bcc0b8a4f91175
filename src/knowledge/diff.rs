//! The words that differ between a quote and the passage it was meant to copy. A hint that
//! only shows the passage leaves the moderator to spot one missing comma in a long line; naming
//! the words makes the fix obvious.

/// At most this many differences are named; past that the passage itself says more.
const MAX_DIFFERENCES: usize = 3;

/// "the quote has "and" where the article has "alongside"", joined by "; ", or empty when
/// the two have the same words.
pub fn describe(quote: &str, passage: &str) -> String {
    let ours: Vec<&str> = quote.split_whitespace().collect();
    let theirs: Vec<&str> = passage.split_whitespace().collect();
    let mut out = Vec::new();
    for (mine, article) in differing_runs(&ours, &theirs) {
        let said = match (mine.is_empty(), article.is_empty()) {
            (false, false) => format!(
                "the quote has \"{}\" where the article has \"{}\"",
                mine.join(" "),
                article.join(" ")
            ),
            (false, true) => format!(
                "the quote has \"{}\", which the article does not",
                mine.join(" ")
            ),
            (true, false) => format!("the quote leaves out \"{}\"", article.join(" ")),
            (true, true) => continue,
        };
        out.push(said);
    }
    let more = out.len().saturating_sub(MAX_DIFFERENCES);
    out.truncate(MAX_DIFFERENCES);
    if more > 0 {
        out.push(format!(
            "and {more} more difference{}",
            if more == 1 { "" } else { "s" }
        ));
    }
    out.join("; ")
}

/// Runs of words that differ, as (the quote's words, the article's words), from a longest
/// common subsequence of words. Quotes are short, so the quadratic table is small.
fn differing_runs<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Vec<&'a str>, Vec<&'a str>)> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut runs = Vec::new();
    let mut run: (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            if !run.0.is_empty() || !run.1.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            run.1.push(b[j]);
            j += 1;
        } else {
            run.0.push(a[i]);
            i += 1;
        }
    }
    if !run.0.is_empty() || !run.1.is_empty() {
        runs.push(run);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn a_changed_word_is_named_with_the_article_s_word() {
        assert_eq!(
            describe(
                "The talks were led by Steve Witkoff and informal adviser",
                "These talks were led by Steve Witkoff alongside informal adviser"
            ),
            "the quote has \"The\" where the article has \"These\"; \
             the quote has \"and\" where the article has \"alongside\""
        );
    }

    #[test]
    fn a_stray_comma_and_a_left_out_word_are_named() {
        assert_eq!(
            describe(
                "led by Steve Witkoff, alongside",
                "led by Steve Witkoff alongside"
            ),
            "the quote has \"Witkoff,\" where the article has \"Witkoff\""
        );
        assert_eq!(
            describe("led by Witkoff", "led by Steve Witkoff"),
            "the quote leaves out \"Steve\""
        );
        assert_eq!(describe("same words", "same words"), "");
    }
}
