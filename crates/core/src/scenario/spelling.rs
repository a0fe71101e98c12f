//! Spelling hints: "did you mean uptime?" for a key the format does not
//! have.
//!
//! A mistyped key is the most common mistake in a hand-written scenario,
//! and "unknown key" alone leaves the reader to find the difference. The
//! hint names the known key nearest to the one written, when one is close
//! enough to be a plausible typo.

/// The allowed key nearest to a mistyped one, if it is close (at most two
/// edits, or one for short keys).
pub(super) fn closest<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    let limit = if key.len() <= 4 { 1 } else { 2 };
    allowed
        .iter()
        .map(|&a| (edit_distance(key, a), a))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, a)| a)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_keys_are_suggested_far_ones_are_not() {
        let keys = ["uptime", "pue", "pool_fee"];
        assert_eq!(closest("uptim", &keys), Some("uptime"));
        assert_eq!(closest("poolfee", &keys), Some("pool_fee"));
        // Short keys allow one edit only.
        assert_eq!(closest("pu", &keys), Some("pue"));
        assert_eq!(closest("px", &keys), None);
        assert_eq!(closest("capex_usd", &keys), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
