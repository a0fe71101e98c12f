//! Error messages that point into the scenario text.
//!
//! An operator who mistypes a scenario needs three things: what rule was
//! broken, which key broke it, and where that key is. A [`Diagnostic`]
//! carries the first two in its message and the third as a byte span;
//! [`Diagnostic::render`] turns it into the familiar compiler layout:
//!
//! ```text
//! error: site[1].ai.it_mw = 45 needs it_mw × pue (58.5 MW) ≤ grid_mw (50 MW)
//!   --> sites.toml:23:9
//!    |
//! 23 | it_mw = 45
//!    |         ^^
//! ```
//!
//! Rendering is a pure function of the message, the file's name and its
//! text, so the library never touches a file or a terminal. A scenario's
//! warnings ([`Warning`](crate::scenario::Warning)) share the layout,
//! labelled `warning:`.

use std::fmt;
use std::ops::Range;

/// A message, and where in the source it applies (a byte range), if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Option<Range<usize>>,
}

/// Source lines longer than this many characters are shown in part.
const MAX_LINE: usize = 100;

impl Diagnostic {
    pub fn new(message: impl Into<String>, span: Option<Range<usize>>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span,
        }
    }

    /// `error: …`, then ` --> origin:line:col`, the source line and a caret
    /// under the span; just ` --> origin` when there is no span.
    pub fn render(&self, origin: &str, source: &str) -> String {
        self.render_combined(origin, source, source.len())
    }

    /// As [`render`](Self::render), where `text` is a file's first
    /// `file_len` bytes followed by `--set` override lines: a span in those
    /// lines shows the override instead of a file line.
    pub fn render_combined(&self, origin: &str, text: &str, file_len: usize) -> String {
        render_labelled(
            "error",
            &self.message,
            self.span.clone(),
            origin,
            text,
            file_len,
        )
    }
}

/// `LABEL: MESSAGE`, then where `span` points: ` --> origin:line:col`, the
/// source line and a caret, or just ` --> origin` without a span. `text` is
/// a file's first `file_len` bytes followed by `--set` override lines (see
/// [`Diagnostic::render_combined`]). Errors and warnings share this layout.
pub(crate) fn render_labelled(
    label: &str,
    message: &str,
    span: Option<Range<usize>>,
    origin: &str,
    text: &str,
    file_len: usize,
) -> String {
    let source = text;
    let mut out = format!("{label}: {message}\n");
    let Some(span) = span.filter(|s| s.start <= source.len()) else {
        out.push_str(&format!(" --> {origin}\n"));
        return out;
    };
    let start = floor_char_boundary(source, span.start);
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    // A byte-order mark is not a column the reader can see.
    let text_start = if line_start == 0 && source.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8().min(start)
    } else {
        line_start
    };
    let line_text = source[text_start..line_end].trim_end_matches('\r');
    let line_no = source[..line_start].matches('\n').count() + 1;
    let col = source[text_start..start].chars().count() + 1;
    let end = floor_char_boundary(source, span.end.min(text_start + line_text.len()));
    let width = source[start..end.max(start)].chars().count().max(1);

    let in_override = span.start > file_len;
    let number = if in_override {
        String::new()
    } else {
        line_no.to_string()
    };
    let gutter = " ".repeat(number.len().max(1));
    if in_override {
        out.push_str(&format!("{gutter}--> override of {origin}\n"));
    } else {
        out.push_str(&format!("{gutter}--> {origin}:{line_no}:{col}\n"));
    }
    out.push_str(&format!("{gutter} |\n"));
    // A very long line (minified or generated text) is shown as a
    // window around the column.
    let chars: Vec<char> = line_text.chars().collect();
    let (from, to) = if chars.len() > MAX_LINE {
        let from = (col - 1).saturating_sub(MAX_LINE / 3);
        (from, (from + MAX_LINE).min(chars.len()))
    } else {
        (0, chars.len())
    };
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < chars.len() { "…" } else { "" };
    let shown: String = chars[from..to].iter().collect();
    out.push_str(&format!(
        "{:>w$} | {lead}{shown}{tail}\n",
        number,
        w = gutter.len()
    ));
    let pad: String = lead
        .chars()
        .map(|_| ' ')
        .chain(
            chars[from..(col - 1).min(to)]
                .iter()
                .map(|&c| if c == '\t' { '\t' } else { ' ' }),
        )
        .collect();
    let width = width.min(to.saturating_sub(col - 1)).max(1);
    out.push_str(&format!("{gutter} | {pad}{}\n", "^".repeat(width)));
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_line_column_and_caret() {
        let source = "format = 1\n\n[[site]]\nit_mw = 45\n";
        let start = source.find("45").unwrap();
        let d = Diagnostic::new("it_mw is too big", Some(start..start + 2));
        assert_eq!(
            d.render("sites.toml", source),
            "error: it_mw is too big\n --> sites.toml:4:9\n  |\n4 | it_mw = 45\n  |         ^^\n"
        );
    }

    #[test]
    fn counts_columns_in_characters_and_stops_carets_at_line_end() {
        let source = "name = \"Ünïcode\" # x\nnext = 1";
        let start = source.find("# x").unwrap();
        let d = Diagnostic::new("m", Some(start..source.len()));
        assert_eq!(
            d.render("f", source),
            "error: m\n --> f:1:18\n  |\n1 | name = \"Ünïcode\" # x\n  |                  ^^^\n"
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let source = "\u{feff}format = 2\n";
        let start = source.find('2').unwrap();
        let d = Diagnostic::new("m", Some(start..start + 1));
        assert_eq!(
            d.render("f", source),
            "error: m\n --> f:1:10\n  |\n1 | format = 2\n  |          ^\n"
        );
    }

    #[test]
    fn a_span_in_an_override_shows_the_override() {
        let text = "x = 1\n--set site[0].ai.pue=0.5";
        let start = text.find("0.5").unwrap();
        let d = Diagnostic::new("m", Some(start..start + 3));
        assert_eq!(
            d.render_combined("f.toml", text, 5),
            "error: m\n --> override of f.toml\n  |\n  | --set site[0].ai.pue=0.5\n  |                      ^^^\n"
        );
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let source = format!("x = [{}]", "1, ".repeat(200));
        let start = 400;
        let d = Diagnostic::new("m", Some(start..start + 1));
        let text = d.render("f", &source);
        let lines: Vec<&str> = text.lines().collect();
        // The window starts 33 characters before column 401, with an ellipsis.
        assert!(lines[3].starts_with("1 | …"));
        assert_eq!(lines[3].chars().count(), "1 | ".len() + 1 + 100 + 1);
        let caret = lines[4].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[3].chars().nth(caret), source[start..].chars().next());
    }

    #[test]
    fn without_span_names_the_file_only() {
        let d = Diagnostic::new("missing key name", None);
        assert_eq!(
            d.render("a.toml", ""),
            "error: missing key name\n --> a.toml\n"
        );
    }
}
