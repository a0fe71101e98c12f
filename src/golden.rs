//! Golden files: a scenario's stored summary, with its provenance.
//!
//! Layout: `{"hashpivot": "<version>", "format": 1, "summary": {...}}`.
//! The version says which hashpivot wrote it and is never compared; the
//! format is the golden file's own layout version (1), kept apart from the
//! scenario format (a format-2 scenario's summary says `"format": 2`
//! inside it), and a golden of another layout is an error, not a diff of
//! every field.
//!
//! Where: `NAME.golden.json` beside the scenario file `NAME.toml`, or in a
//! folder given with `--golden-dir` ([`path_for`]).
//!
//! A report golden (`check --report`) is the HTML report itself,
//! `NAME.report.html` ([`Kind::Report`]), compared byte for byte
//! ([`first_difference`]): the report is deterministic, and a person
//! opens the golden in a browser to see what changed.
//!
//! A pivot golden (`check --pivot`) holds the scenario's pivot instead, as
//! `pivot --format json` prints it, in the same layout with `"pivot"` in
//! place of `"summary"`, in `NAME.pivot.golden.json` ([`Kind::Pivot`]).

use crate::exact_json::Json;
use crate::pivot::Pivot;
use crate::render::json::SummaryObject;
use crate::render::pivot::PivotObject;

/// The golden layout version this build writes and reads (not the
/// scenario format: goldens of format-1 and format-2 scenarios share it).
const FORMAT: i128 = 1;
use crate::summary::Summary;
use std::fmt;
use std::path::{Path, PathBuf};

/// This build's version, recorded in the goldens it writes.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a golden file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The scenario's summary (`run --format json`): `NAME.golden.json`.
    Summary,
    /// The scenario's pivot (`pivot --format json`):
    /// `NAME.pivot.golden.json`.
    Pivot,
    /// The scenario's HTML report (`report`, default options):
    /// `NAME.report.html`, compared byte for byte, never read as JSON.
    Report,
}

impl Kind {
    /// The key the stored answer is under.
    fn key(self) -> &'static str {
        match self {
            Kind::Summary => "summary",
            Kind::Pivot => "pivot",
            Kind::Report => "report",
        }
    }

    /// What follows the scenario file's stem in the golden's name.
    fn suffix(self) -> &'static str {
        match self {
            Kind::Summary => ".golden.json",
            Kind::Pivot => ".pivot.golden.json",
            Kind::Report => ".report.html",
        }
    }
}

/// The layout above around `answer`, pretty-printed.
fn wrap(kind: Kind, answer: impl serde::Serialize) -> Vec<u8> {
    struct Golden<T>(Kind, T);
    impl<T: serde::Serialize> serde::Serialize for Golden<T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(3))?;
            map.serialize_entry("hashpivot", VERSION)?;
            map.serialize_entry("format", &FORMAT)?;
            map.serialize_entry(self.0.key(), &self.1)?;
            map.end()
        }
    }
    // Serializing our own types to memory cannot fail: every number is
    // valid JSON text by construction.
    let mut out = serde_json::to_vec_pretty(&Golden(kind, answer)).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The golden file for `summary`: the layout above, pretty-printed, the
/// summary exactly as `run --format json` prints it.
pub fn write(summary: &Summary) -> Vec<u8> {
    wrap(Kind::Summary, SummaryObject(summary))
}

/// The pivot golden file for `pivot`: the layout above with `"pivot"`,
/// the pivot exactly as `pivot --format json` prints it.
pub fn write_pivot(pivot: &Pivot) -> Vec<u8> {
    wrap(Kind::Pivot, PivotObject(pivot))
}

/// The golden file of the scenario file `scenario`: `NAME.golden.json`
/// beside it, or in `dir`.
pub fn path_for(scenario: &str, dir: Option<&Path>) -> PathBuf {
    path_of(Kind::Summary, scenario, dir)
}

/// The golden file of `kind` for the scenario file `scenario`, beside it
/// or in `dir`: `NAME.golden.json` or `NAME.pivot.golden.json`.
pub fn path_of(kind: Kind, scenario: &str, dir: Option<&Path>) -> PathBuf {
    let path = Path::new(scenario);
    let stem = path
        .file_stem()
        .map_or_else(|| scenario.into(), |s| s.to_string_lossy());
    let name = format!("{stem}{}", kind.suffix());
    match dir {
        Some(d) => d.join(name),
        None => path.with_file_name(name),
    }
}

/// Why a golden file's text cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoldenError {
    /// Not JSON at all.
    NotJson(String),
    /// JSON without the golden layout's `"format"`.
    NoFormat,
    /// A golden of another scenario format (its `format`, as written).
    OtherFormat(String),
    /// The layout without its `"summary"`.
    NoSummary,
    /// A pivot golden without its `"pivot"`.
    NoPivot,
}

impl fmt::Display for GoldenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GoldenError::NotJson(why) => write!(f, "not valid JSON: {why}"),
            GoldenError::NoFormat => f.write_str(
                "not a hashpivot golden file (no \"format\"; expected {\"hashpivot\": …, \"format\": 1, \"summary\": …})",
            ),
            GoldenError::OtherFormat(format) => write!(
                f,
                "a golden of format {format}, but this hashpivot writes format {FORMAT}: regenerate it with check --update"
            ),
            GoldenError::NoSummary => f.write_str("a golden file without a \"summary\""),
            GoldenError::NoPivot => f.write_str("a pivot golden file without a \"pivot\""),
        }
    }
}

impl std::error::Error for GoldenError {}

/// The stored summary of a golden file's text, or why it cannot be used.
pub fn read(text: &str) -> Result<Json, GoldenError> {
    read_kind(Kind::Summary, text)
}

/// The stored answer of a golden file of `kind`, or why it cannot be used.
pub fn read_kind(kind: Kind, text: &str) -> Result<Json, GoldenError> {
    let doc = Json::parse(text).map_err(|e| GoldenError::NotJson(e.to_string()))?;
    let format = doc.get("format").ok_or(GoldenError::NoFormat)?;
    if format != &Json::Number(FORMAT.to_string()) {
        return Err(GoldenError::OtherFormat(format.to_text()));
    }
    doc.get(kind.key()).cloned().ok_or(match kind {
        Kind::Summary => GoldenError::NoSummary,
        Kind::Pivot | Kind::Report => GoldenError::NoPivot,
    })
}

/// Where two texts first differ, line by line: the first differing line
/// (1-based), the nearest heading (`<h1>` or `<h2>`) of `old` at or
/// before it, as text, and how many lines differ (line `i` of one
/// against line `i` of the other; a line only one has counts).
/// `None` when they are equal.
pub fn first_difference(old: &str, new: &str) -> Option<(usize, Option<String>, usize)> {
    if old == new {
        return None;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let n = a.len().max(b.len());
    let differs = |i: usize| a.get(i) != b.get(i);
    let first = (0..n).find(|&i| differs(i)).unwrap_or(n.saturating_sub(1));
    let count = (0..n).filter(|&i| differs(i)).count().max(1);
    let heading = a
        .iter()
        .take(first + 1)
        .rev()
        .find_map(|line| heading_text(line));
    Some((first + 1, heading, count))
}

/// The text of an `<h1>` or `<h2>` line, tags dropped and the escapes
/// the report writes undone.
fn heading_text(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("<h1>")
        .or_else(|| line.strip_prefix("<h2>"))?;
    let inner = rest.split("</h").next()?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_own_layout() {
        let text = r#"{"hashpivot": "9.9.9", "format": 1, "summary": {"scenario": "x"}}"#;
        assert_eq!(
            read(text).unwrap(),
            Json::Object(vec![("scenario".into(), Json::String("x".into()))])
        );
    }

    #[test]
    fn another_format_is_an_error() {
        let text = r#"{"hashpivot": "9.9.9", "format": 2, "summary": {}}"#;
        assert_eq!(
            read(text).unwrap_err().to_string(),
            "a golden of format 2, but this hashpivot writes format 1: regenerate it with check --update"
        );
        assert_eq!(
            read(r#"{"scenario": "bare summary"}"#),
            Err(GoldenError::NoFormat)
        );
        assert!(matches!(read("{"), Err(GoldenError::NotJson(_))));
    }

    #[test]
    fn what_it_writes_it_reads_back() {
        let summary = crate::render::sample::summary();
        let text = String::from_utf8(write(&summary)).unwrap();
        assert!(text.starts_with(&format!(
            "{{\n  \"hashpivot\": \"{VERSION}\",\n  \"format\": 1,\n  \"summary\": {{\n    \"scenario\": \"Hand-built\","
        )));
        let stored = read(&text).unwrap();
        assert_eq!(
            stored.get("scenario"),
            Some(&Json::String("Hand-built".into()))
        );
    }

    #[test]
    fn a_pivot_golden_holds_the_pivot_json() {
        let text =
            r#"{"hashpivot": "9.9.9", "format": 1, "pivot": {"scenario": "x", "sites": []}}"#;
        assert_eq!(
            read_kind(Kind::Pivot, text).unwrap().get("scenario"),
            Some(&Json::String("x".into()))
        );
        // A summary golden is no pivot golden, and the other way round.
        assert_eq!(read_kind(Kind::Summary, text), Err(GoldenError::NoSummary));
        let summary = r#"{"hashpivot": "9.9.9", "format": 1, "summary": {}}"#;
        assert_eq!(
            read_kind(Kind::Pivot, summary).unwrap_err().to_string(),
            "a pivot golden file without a \"pivot\""
        );
        assert_eq!(
            path_of(Kind::Pivot, "scenarios/lake.toml", None),
            PathBuf::from("scenarios/lake.pivot.golden.json")
        );
        assert_eq!(
            path_of(
                Kind::Pivot,
                "scenarios/lake.toml",
                Some(Path::new("goldens"))
            ),
            PathBuf::from("goldens/lake.pivot.golden.json")
        );
    }

    /// Line 3 differs (under the heading "B &amp; C" of line 2), line 5
    /// exists only in the new text: 2 lines differ, the first is 3.
    #[test]
    fn the_first_difference_names_its_line_and_heading() {
        let old = "<h1>A</h1>\n<h2>B &amp; C</h2>\n<p>1</p>\n<p>2</p>\n";
        let new = "<h1>A</h1>\n<h2>B &amp; C</h2>\n<p>9</p>\n<p>2</p>\nmore\n";
        assert_eq!(
            first_difference(old, new),
            Some((3, Some("B & C".to_string()), 2))
        );
        assert_eq!(first_difference(old, old), None);
        assert_eq!(
            path_of(Kind::Report, "scenarios/lake.toml", None),
            PathBuf::from("scenarios/lake.report.html")
        );
    }

    #[test]
    fn goldens_sit_beside_their_scenario_or_in_a_folder() {
        assert_eq!(
            path_for("scenarios/lake.toml", None),
            PathBuf::from("scenarios/lake.golden.json")
        );
        assert_eq!(
            path_for("scenarios/lake.toml", Some(Path::new("goldens"))),
            PathBuf::from("goldens/lake.golden.json")
        );
    }
}
