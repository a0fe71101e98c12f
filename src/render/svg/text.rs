//! Text in SVG: escaping, coordinates and label widths.
//!
//! Every number that lands in the output goes through [`num`], so one rule
//! (one decimal, no `-0`, no `NaN`) makes the bytes reproducible; every
//! piece of caller text goes through [`escape`], so a site called
//! `R&D <east>` cannot break the document. Label widths are *estimated*
//! (no font metrics offline): [`width`] errs on the wide side, so layouts
//! that keep estimated boxes apart keep real ones apart too.

/// The font stack of every chart: the reader's system UI font, nothing to
/// download.
pub(crate) const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/// Tick labels, legends and notes.
pub(crate) const SMALL: f64 = 11.0;
/// Chart titles.
pub(crate) const TITLE: f64 = 14.0;

/// `text` safe inside an element or a double-quoted attribute: `&`, `<`,
/// `>`, `"` and `'` become entities and characters XML forbids (control
/// characters other than tab, line feed and carriage return) are dropped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate as written in the output: one decimal, trailing `.0`
/// dropped, `-0` written `0`; a non-finite value (which layout code never
/// passes on purpose) is written `0` rather than `NaN`.
pub(crate) fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    if text == "-0" { "0".to_string() } else { text }
}

/// The estimated width of `text` at font size `size`, in user units: 0.62
/// em per character, 0.9 em for the widest letters. Real sans-serif digits
/// are about 0.55 em wide, so the estimate is a little generous on purpose.
pub(crate) fn width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'M' | 'W' | 'm' | 'w' | '@' | '%' | '—' => 0.9,
            _ => 0.62,
        })
        .sum::<f64>()
        * size
}

/// `id` reduced to the characters an id prefix may hold (ASCII letters,
/// digits, `-`), others replaced by `-`; `chart` when nothing is left.
pub(crate) fn id_prefix(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "chart".to_string()
    } else if cleaned.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        // An XML id must start with a letter.
        format!("c{cleaned}")
    } else {
        cleaned
    }
}

/// A `<text>` element at (`x`, `y`) with extra attributes `attrs` (each
/// starting with a space) and escaped content.
pub(crate) fn text_at(x: f64, y: f64, attrs: &str, content: &str) -> String {
    format!(
        "<text x=\"{}\" y=\"{}\"{attrs}>{}</text>",
        num(x),
        num(y),
        escape(content)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("R&D <east> \"A\" 'b'"),
            "R&amp;D &lt;east&gt; &quot;A&quot; &#39;b&#39;"
        );
        // A NUL and a bell are not allowed in XML: dropped; a tab becomes a space.
        assert_eq!(escape("a\u{0}b\u{7}c\td"), "abc d");
    }

    #[test]
    fn numbers_have_one_decimal_and_no_nan() {
        assert_eq!(num(1.26), "1.3");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-12.345), "-12.3");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
    }

    #[test]
    fn widths_are_generous() {
        // "2030" at 11: 4 × 0.62 × 11 = 27.28
        assert!((width("2030", 11.0) - 27.28).abs() < 1e-9);
        assert!(width("M", 10.0) > width("1", 10.0));
    }

    #[test]
    fn id_prefixes_are_safe() {
        assert_eq!(id_prefix("site-1"), "site-1");
        assert_eq!(id_prefix("a b\"c"), "a-b-c");
        assert_eq!(id_prefix(""), "chart");
        assert_eq!(id_prefix("1x"), "c1x");
    }
}
