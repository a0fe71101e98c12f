//! Spelling hints: "did you mean uptime?" for a key the format does not
//! have, or a site name no site has.
//!
//! A mistyped key is the most common mistake in a hand-written scenario,
//! and "unknown key" alone leaves the reader to find the difference. The
//! hint names the known words nearest to the one written, when they are
//! close enough to be a plausible slip (docs/model.md, "How values are
//! read"):
//!
//! 1. the same word in another case (`AI` for `ai`);
//! 2. else the nearest within two edits (one for words of up to four
//!    characters), case aside (`prise_usd` for `price_usd`);
//! 3. else, for a word of three or more characters, the known words that
//!    start with it, when there are at most [`MAX_PREFIXED`] of them
//!    (`price` for `price_usd` or `price_growth_annual`).

/// At most this many words that start with the one written are offered;
/// more is no hint, and the caller lists every word instead.
pub(super) const MAX_PREFIXED: usize = 3;

/// The allowed words to suggest for a mistyped one, best first: none, one,
/// or (for a prefix) a few.
pub(super) fn suggest<'k>(written: &str, allowed: &[&'k str]) -> Vec<&'k str> {
    let lower = written.to_lowercase();
    if let Some(&same) = allowed.iter().find(|a| a.to_lowercase() == lower) {
        return vec![same];
    }
    let limit = if lower.chars().count() <= 4 { 1 } else { 2 };
    let nearest = allowed
        .iter()
        .map(|&a| (edit_distance(&lower, &a.to_lowercase()), a))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, a)| a);
    if let Some(near) = nearest {
        return vec![near];
    }
    if lower.chars().count() < 3 {
        return Vec::new();
    }
    let prefixed: Vec<&str> = allowed
        .iter()
        .copied()
        .filter(|a| a.to_lowercase().starts_with(&lower))
        .collect();
    if prefixed.len() <= MAX_PREFIXED {
        prefixed
    } else {
        Vec::new()
    }
}

/// `did you mean a?`, `did you mean a or b?`, `did you mean a, b or c?`,
/// each suggestion shown by `show`; `None` for no suggestion.
pub(super) fn did_you_mean(suggestions: &[&str], show: impl Fn(&str) -> String) -> Option<String> {
    let shown: Vec<String> = suggestions.iter().map(|s| show(s)).collect();
    let (last, rest) = shown.split_last()?;
    Some(if rest.is_empty() {
        format!("did you mean {last}?")
    } else {
        format!("did you mean {} or {last}?", rest.join(", "))
    })
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

    fn one<'k>(written: &str, allowed: &[&'k str]) -> Option<&'k str> {
        match suggest(written, allowed).as_slice() {
            [] => None,
            [only] => Some(*only),
            many => panic!("{written}: {many:?}"),
        }
    }

    #[test]
    fn near_keys_are_suggested_far_ones_are_not() {
        let keys = ["uptime", "pue", "pool_fee"];
        assert_eq!(one("uptim", &keys), Some("uptime"));
        assert_eq!(one("poolfee", &keys), Some("pool_fee"));
        // Short keys allow one edit only.
        assert_eq!(one("pu", &keys), Some("pue"));
        assert_eq!(one("px", &keys), None);
        assert_eq!(one("capex_usd", &keys), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn case_is_no_difference() {
        assert_eq!(one("AI", &["name", "mining", "ai"]), Some("ai"));
        assert_eq!(
            one("j_per_TH", &["model", "ths", "j_per_th"]),
            Some("j_per_th")
        );
        assert_eq!(one("texas", &["Texas", "Ohio"]), Some("Texas"));
        assert_eq!(one("Texsa", &["Texas", "Ohio"]), Some("Texas"));
    }

    #[test]
    fn a_prefix_suggests_the_few_words_it_starts() {
        let bitcoin = ["price_usd", "price_growth_annual", "network_hashrate_ehs"];
        assert_eq!(
            suggest("price", &bitcoin),
            ["price_usd", "price_growth_annual"]
        );
        assert_eq!(
            one("lease_usd_per_kw_mo", &["it_mw", "lease_usd_per_kw_month"]),
            Some("lease_usd_per_kw_month")
        );
        // Too short, or too many words start with it: no hint.
        assert_eq!(suggest("pr", &bitcoin), Vec::<&str>::new());
        let gpu = [
            "gpu_count",
            "gpu_kw",
            "gpu_hour_usd",
            "gpu_hour_decline_annual",
            "gpu_capex_usd",
        ];
        assert_eq!(suggest("gpu_", &gpu), Vec::<&str>::new());
        assert_eq!(
            suggest("gpu_hour", &gpu),
            ["gpu_hour_usd", "gpu_hour_decline_annual"]
        );
    }

    #[test]
    fn hints_are_worded_as_a_question() {
        let plain = |s: &str| s.to_string();
        assert_eq!(did_you_mean(&[], plain), None);
        assert_eq!(did_you_mean(&["a"], plain).unwrap(), "did you mean a?");
        assert_eq!(
            did_you_mean(&["a", "b"], plain).unwrap(),
            "did you mean a or b?"
        );
        assert_eq!(
            did_you_mean(&["a", "b", "c"], |s| format!("site[{s}]")).unwrap(),
            "did you mean site[a], site[b] or site[c]?"
        );
    }
}
