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

use crate::exact_json::Json;
use crate::render::json::SummaryObject;

/// The golden layout version this build writes and reads (not the
/// scenario format: goldens of format-1 and format-2 scenarios share it).
const FORMAT: i128 = 1;
use crate::summary::Summary;
use std::fmt;
use std::path::{Path, PathBuf};

/// This build's version, recorded in the goldens it writes.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The golden file for `summary`: the layout above, pretty-printed, the
/// summary exactly as `run --format json` prints it.
pub fn write(summary: &Summary) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Golden<'a> {
        hashpivot: &'a str,
        format: i128,
        summary: SummaryObject<'a>,
    }
    let golden = Golden {
        hashpivot: VERSION,
        format: FORMAT,
        summary: SummaryObject(summary),
    };
    // Serializing our own types to memory cannot fail: every number is
    // valid JSON text by construction.
    let mut out = serde_json::to_vec_pretty(&golden).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The golden file of the scenario file `scenario`: `NAME.golden.json`
/// beside it, or in `dir`.
pub fn path_for(scenario: &str, dir: Option<&Path>) -> PathBuf {
    let path = Path::new(scenario);
    let stem = path
        .file_stem()
        .map_or_else(|| scenario.into(), |s| s.to_string_lossy());
    let name = format!("{stem}.golden.json");
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
        }
    }
}

impl std::error::Error for GoldenError {}

/// The stored summary of a golden file's text, or why it cannot be used.
pub fn read(text: &str) -> Result<Json, GoldenError> {
    let doc = Json::parse(text).map_err(|e| GoldenError::NotJson(e.to_string()))?;
    let format = doc.get("format").ok_or(GoldenError::NoFormat)?;
    if format != &Json::Number(FORMAT.to_string()) {
        return Err(GoldenError::OtherFormat(format.to_text()));
    }
    doc.get("summary").cloned().ok_or(GoldenError::NoSummary)
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
