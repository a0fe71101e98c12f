//! Reading JSON without losing a digit.
//!
//! `serde_json` turns numbers into `f64` unless its `arbitrary_precision`
//! feature is on for the whole build. Comparing saved outputs must see
//! `0.30` as exactly thirty hundredths, so this module lets serde_json do
//! the parsing (and the error messages) but keeps each number's text, via
//! `RawValue`, and each object's key order.

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// A JSON value with numbers kept as their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number exactly as written, e.g. `-0.50`.
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Entries in document order.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn parse(text: &str) -> Result<Json, serde_json::Error> {
        let raw: Box<RawValue> = serde_json::from_str(text)?;
        convert(&raw)
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as compact JSON text.
    pub fn to_text(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => n.clone(),
            Json::String(s) => serde_json::Value::String(s.clone()).to_string(),
            Json::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Json::to_text)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Json::Object(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!(
                        "{}:{}",
                        serde_json::Value::String(k.clone()),
                        v.to_text()
                    ))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }
}

fn convert(raw: &RawValue) -> Result<Json, serde_json::Error> {
    let text = raw.get();
    Ok(match text.as_bytes().first() {
        Some(b'{') => {
            let Entries(entries) = serde_json::from_str(text)?;
            Json::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| Ok((k, convert(&v)?)))
                    .collect::<Result<_, serde_json::Error>>()?,
            )
        }
        Some(b'[') => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(text)?;
            Json::Array(items.iter().map(|v| convert(v)).collect::<Result<_, _>>()?)
        }
        Some(b'"') => Json::String(serde_json::from_str(text)?),
        Some(b't') | Some(b'f') => Json::Bool(serde_json::from_str(text)?),
        Some(b'n') => Json::Null,
        _ => Json::Number(text.to_string()),
    })
}

/// An object's entries in document order.
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
        struct Collect;
        impl<'de> Visitor<'de> for Collect {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Collect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_digits_and_keys_their_order() {
        let j = Json::parse(r#"{"b": 0.30, "a": [1e2, -0.00, null, true, "x"], "c": {}}"#).unwrap();
        assert_eq!(
            j,
            Json::Object(vec![
                ("b".into(), Json::Number("0.30".into())),
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Number("1e2".into()),
                        Json::Number("-0.00".into()),
                        Json::Null,
                        Json::Bool(true),
                        Json::String("x".into()),
                    ])
                ),
                ("c".into(), Json::Object(vec![])),
            ])
        );
        // 0.1 + 0.2 style digits survive: no f64 on the way.
        let j = Json::parse("12345678901234567890.123456789").unwrap();
        assert_eq!(j, Json::Number("12345678901234567890.123456789".into()));
        assert_eq!(
            Json::parse(r#"{"k":[1,"two"]}"#).unwrap().to_text(),
            r#"{"k":[1,"two"]}"#
        );
    }

    #[test]
    fn bad_json_is_an_error() {
        assert!(Json::parse("{").is_err());
        assert!(Json::parse("[1,]").is_err());
        assert!(Json::parse("").is_err());
    }
}
