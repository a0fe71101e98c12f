//! `--set KEY=VALUE`: change one value of a scenario before it is checked.
//!
//! An override is applied to the parsed TOML document, not to the typed
//! scenario, so its value goes through exactly the checks a value written
//! in the file does, and an error points at the override itself.
//!
//! Keys use the paths error messages print: `bitcoin.price_usd`,
//! `site[0].mining.uptime` (0-based), `site[Lake Mariner].ai.it_mw` (by
//! name; any name without `]`), and the shorthand `site.0.…` / `site.Lake.…`
//! (an all-digit segment is always an index). VALUE is a TOML value (`0.35`,
//! `true`, `"2027-01"`); text that is not one is taken as a string.
//!
//! To point at an override, its text is laid after the scenario's own in
//! one *combined text*, one `--set KEY=VALUE` line each (see
//! [`combined_text`]); spans into that tail render as the override line.

use super::spelling::{did_you_mean, suggest};
use crate::diagnostic::Diagnostic;
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One `--set KEY=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub key: String,
    pub value: String,
}

/// `--set` text with no `KEY=` in front (the text as given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideSyntaxError(pub String);

impl std::fmt::Display for OverrideSyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "--set takes KEY=VALUE, got {:?}", self.0)
    }
}

impl std::error::Error for OverrideSyntaxError {}

impl Override {
    /// Splits `KEY=VALUE` at the first `=`.
    pub fn parse(arg: &str) -> Result<Override, OverrideSyntaxError> {
        match arg.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => Ok(Override {
                key: key.trim().to_string(),
                value: value.trim().to_string(),
            }),
            _ => Err(OverrideSyntaxError(arg.to_string())),
        }
    }

    /// The line this override occupies in the combined text.
    pub fn line(&self) -> String {
        format!("{}{}={}", PREFIX, self.key, self.value)
    }
}

const PREFIX: &str = "--set ";

/// The scenario's text followed by one line per override.
pub fn combined_text(source: &str, overrides: &[Override]) -> String {
    let mut text = source.to_string();
    for o in overrides {
        text.push('\n');
        text.push_str(&o.line());
    }
    text
}

/// Byte ranges of each override's key and value in the combined text.
pub(crate) fn layout(
    source_len: usize,
    overrides: &[Override],
) -> Vec<(Range<usize>, Range<usize>)> {
    let mut at = source_len;
    overrides
        .iter()
        .map(|o| {
            let key_start = at + 1 + PREFIX.len();
            let key = key_start..key_start + o.key.len();
            let value = key.end + 1..key.end + 1 + o.value.len();
            at = value.end;
            (key, value)
        })
        .collect()
}

/// A step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
    Name(String),
}

/// The steps of a key path, as `--set` reads them (`None`: not a key path).
pub(crate) fn segments(key: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    let mut rest = key;
    loop {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let word = &rest[..end];
        if word.is_empty() {
            return None;
        }
        out.push(Segment::Key(word.to_string()));
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']')?;
            let inner = &after[..close];
            if inner.is_empty() {
                return None;
            }
            out.push(selector(inner));
            rest = &after[close + 1..];
        }
        if rest.is_empty() {
            return Some(out);
        }
        rest = rest.strip_prefix('.')?;
    }
}

/// What `[text]` (or `.text` after an array) selects: an index when all
/// digits, else a name.
pub(crate) fn selector(text: &str) -> Segment {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse()
            .map_or(Segment::Name(text.to_string()), Segment::Index)
    } else {
        Segment::Name(text.to_string())
    }
}

/// Applies `overrides` to `doc`, whose text is the start of `combined`.
pub(crate) fn apply<'i>(
    doc: &mut DeTable<'i>,
    combined: &'i str,
    source_len: usize,
    overrides: &[Override],
) -> Result<(), Diagnostic> {
    for (o, (key_span, value_span)) in overrides.iter().zip(layout(source_len, overrides)) {
        let bad_key = |why: String| {
            Diagnostic::new(format!("--set {}: {why}", o.key), Some(key_span.clone()))
        };
        let path = segments(&o.key).ok_or_else(|| {
            bad_key("not a key path (e.g. bitcoin.price_usd, site[0].mining.uptime, site[North].ai.it_mw)".into())
        })?;
        let value =
            parse_value(&combined[value_span.clone()], value_span.clone()).map_err(|why| {
                Diagnostic::new(format!("--set {}: {why}", o.key), Some(value_span.clone()))
            })?;
        set(doc, &path, key_span.clone(), value).map_err(bad_key)?;
    }
    Ok(())
}

/// A TOML scalar, or the text itself as a string.
pub(super) fn parse_value<'i>(
    text: &'i str,
    span: Range<usize>,
) -> Result<Spanned<DeValue<'i>>, String> {
    match DeValue::parse(text) {
        Ok(v) => match v.into_inner() {
            DeValue::Table(_) | DeValue::Array(_) => Err(
                "a value must be a single number, string or boolean, not a table or array".into(),
            ),
            scalar => Ok(Spanned::new(span, scalar)),
        },
        Err(_) => Ok(Spanned::new(span, DeValue::String(Cow::Borrowed(text)))),
    }
}

fn set<'i>(
    table: &mut DeTable<'i>,
    path: &[Segment],
    key_span: Range<usize>,
    value: Spanned<DeValue<'i>>,
) -> Result<(), String> {
    let Some(Segment::Key(key)) = path.first() else {
        return Err("a key path starts with a key".into());
    };
    let rest = &path[1..];
    if rest.is_empty() {
        table.insert(Spanned::new(key_span, Cow::Owned(key.clone())), value);
        return Ok(());
    }
    let selects = matches!(rest[0], Segment::Index(_) | Segment::Name(_));
    if selects
        && !matches!(
            table.get(key.as_str()).map(|v| v.get_ref()),
            Some(DeValue::Array(_))
        )
    {
        // `power_blocks[1]`: an item of an array of tables the file does
        // not have (a typo, or one that cannot be created by `--set`).
        let arrays: Vec<&str> = table
            .iter()
            .filter(|(_, v)| matches!(v.get_ref(), DeValue::Array(_)))
            .map(|(k, _)| k.get_ref().as_ref())
            .collect();
        let mut why =
            format!("{key}[…] selects an item of [[{key}]], and there is no [[{key}]] here");
        if let Some(hint) = did_you_mean(&suggest(key, &arrays), |k| format!("{k}[…]")) {
            why = format!("{why}: {hint}");
        }
        return Err(why);
    }
    if table.get(key.as_str()).is_none() {
        // A table the file does not have yet, as `[site.ai]` would add it.
        table.insert(
            Spanned::new(key_span.clone(), Cow::Owned(key.clone())),
            Spanned::new(key_span.clone(), DeValue::Table(DeTable::new())),
        );
    }
    let Some(entry) = table.get_mut(key.as_str()) else {
        return Err(format!("{key} could not be created"));
    };
    match entry.get_mut() {
        DeValue::Table(inner) => set(inner, rest, key_span, value),
        DeValue::Array(items) => {
            // `site.0` and `site.North` select as `site[0]` and `site[North]`.
            let (pick, after) = match &rest[0] {
                Segment::Key(word) => (selector(word), &rest[1..]),
                other => (other.clone(), &rest[1..]),
            };
            let count = items.len();
            let item = match &pick {
                Segment::Index(i) => items.get_mut(*i).ok_or_else(|| {
                    format!("{key}[{i}] does not exist: the scenario has {count} [[{key}]] table(s), from {key}[0]")
                })?,
                Segment::Name(name) | Segment::Key(name) => {
                    let mut unknown = no_such_name(key, name, items);
                    // `site.ai.…`: a key of the items, not a name: the
                    // item was left out (natural with one site).
                    let inside = |t: &Spanned<DeValue>| match t.get_ref() {
                        DeValue::Table(t) => t.get(name.as_str()).is_some(),
                        _ => false,
                    };
                    if matches!(rest[0], Segment::Key(_)) && items.iter().any(inside) {
                        let first = items.iter().flat_map(names).next().unwrap_or("0");
                        unknown = format!(
                            "{key}.{name}… leaves out which [[{key}]] it means: write {key}[{first}].{name}… (by name) or {key}[0].{name}… (by position)"
                        );
                    }
                    items
                        .iter_mut()
                        .find(|t| has_name(t, name))
                        .ok_or(unknown)?
                }
            };
            match item.get_mut() {
                DeValue::Table(inner) if !after.is_empty() => set(inner, after, key_span, value),
                _ => Err(format!("{key}[…] must be followed by a key inside it")),
            }
        }
        _ => Err(format!("{key} is a value, not a table")),
    }
}

/// A site is named by `name`, a fleet row by `model`.
fn has_name(item: &Spanned<DeValue>, wanted: &str) -> bool {
    names(item).any(|n| n == wanted)
}

/// The names an item of an array of tables answers to.
fn names<'a>(item: &'a Spanned<DeValue>) -> impl Iterator<Item = &'a str> {
    let table = match item.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    };
    ["name", "model"]
        .into_iter()
        .filter_map(move |k| table?.get(k))
        .filter_map(|v| v.get_ref().as_str())
}

/// `no [[site]] has name = "Texsa"`, with the nearest names as a hint
/// (`did you mean site[Texas]?`), as an unknown key gets the nearest keys;
/// with none near, the names there are.
fn no_such_name(key: &str, wanted: &str, items: &[Spanned<DeValue>]) -> String {
    let known: Vec<&str> = items.iter().flat_map(names).collect();
    let unknown = format!("no [[{key}]] has name = \"{wanted}\"");
    if known.is_empty() {
        return unknown;
    }
    let hint =
        did_you_mean(&suggest(wanted, &known), |n| format!("{key}[{n}]")).unwrap_or_else(|| {
            let quoted: Vec<String> = known.iter().map(|n| format!("\"{n}\"")).collect();
            format!("the names are {}", quoted.join(", "))
        });
    format!("{unknown}: {hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths() {
        use Segment::*;
        let k = |s: &str| Key(s.to_string());
        assert_eq!(segments("discount_rate"), Some(vec![k("discount_rate")]));
        assert_eq!(
            segments("site[0].mining.uptime"),
            Some(vec![k("site"), Index(0), k("mining"), k("uptime")])
        );
        assert_eq!(
            segments("site[Lake Mariner. NY].ai.it_mw"),
            Some(vec![
                k("site"),
                Name("Lake Mariner. NY".into()),
                k("ai"),
                k("it_mw")
            ])
        );
        // Shorthand: resolved against the document (an all-digit word is an
        // index there).
        assert_eq!(
            segments("site.0.ai.pue"),
            Some(vec![k("site"), k("0"), k("ai"), k("pue")])
        );
        assert_eq!(
            segments("site[0].mining.fleet[1].count").map(|s| s.len()),
            Some(6)
        );
        for bad in ["", ".x", "x.", "x..y", "site[0", "site[]", "site[0]x"] {
            assert_eq!(segments(bad), None, "{bad}");
        }
    }

    #[test]
    fn override_arguments() {
        assert_eq!(
            Override::parse("bitcoin.price_usd=120000"),
            Ok(Override {
                key: "bitcoin.price_usd".into(),
                value: "120000".into()
            })
        );
        // Only the first = splits: a string value may hold one.
        assert_eq!(Override::parse("name=a=b").unwrap().value, "a=b");
        assert!(Override::parse("=3").is_err());
        assert_eq!(
            Override::parse("price").unwrap_err().to_string(),
            "--set takes KEY=VALUE, got \"price\""
        );
    }

    #[test]
    fn layout_points_at_each_override() {
        let overrides = [
            Override::parse("a=1").unwrap(),
            Override::parse("site[0].b=true").unwrap(),
        ];
        let text = combined_text("x = 1", &overrides);
        assert_eq!(text, "x = 1\n--set a=1\n--set site[0].b=true");
        let spans = layout(5, &overrides);
        assert_eq!(&text[spans[0].0.clone()], "a");
        assert_eq!(&text[spans[0].1.clone()], "1");
        assert_eq!(&text[spans[1].0.clone()], "site[0].b");
        assert_eq!(&text[spans[1].1.clone()], "true");
    }
}
