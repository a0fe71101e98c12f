//! Golden files: a scenario's stored summary, with its provenance.
//!
//! Layout: `{"hashpivot": "<version>", "format": 1, "summary": {...}}`.
//! The version says which hashpivot wrote it and is never compared; the
//! format is the scenario format the summary follows, and a golden of
//! another format is an error, not a diff of every field.

use crate::exact_json::Json;
use crate::render::json::golden_document;
use crate::scenario::FORMAT;
use crate::summary::Summary;

/// This build's version, recorded in the goldens it writes.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The golden file for `summary`.
pub fn write(summary: &Summary) -> Vec<u8> {
    golden_document(summary, VERSION, FORMAT)
}

/// The stored summary of a golden file's text, or why it cannot be used.
pub fn read(text: &str) -> Result<Json, String> {
    let doc = Json::parse(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let format = doc.get("format").ok_or_else(|| {
        "not a hashpivot golden file (no \"format\"; expected {\"hashpivot\": …, \"format\": 1, \"summary\": …})"
            .to_string()
    })?;
    if format != &Json::Number(FORMAT.to_string()) {
        return Err(format!(
            "a golden of format {}, but this hashpivot writes format {FORMAT}: regenerate it with check --update",
            format.to_text()
        ));
    }
    doc.get("summary")
        .cloned()
        .ok_or_else(|| "a golden file without a \"summary\"".to_string())
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
            read(text).unwrap_err(),
            "a golden of format 2, but this hashpivot writes format 1: regenerate it with check --update"
        );
        assert!(
            read(r#"{"scenario": "bare summary"}"#)
                .unwrap_err()
                .starts_with("not a hashpivot golden")
        );
        assert!(read("{").unwrap_err().starts_with("not valid JSON"));
    }
}
