//! The span-keeping view of the TOML document: each table being read, with
//! its key path for messages, and typed reads of its values that remember
//! where each value sits in the text.
//!
//! The document is parsed with toml's `DeTable`, which keeps every key's
//! and value's byte span and each number's literal text. Spans let a
//! diagnostic show the line and a caret; the literal text lets numbers go
//! straight to exact decimals (see [`literal`](super::literal)), never
//! through `f64`.
//!
//! A [`Table`] also records which keys the loader has read. A key is
//! accepted only if it was read: [`Table::finish`] reports any key present
//! but never read as unknown. So the format's list of keys
//! ([`schema`](super::schema)) and the keys the loader actually reads
//! cannot disagree silently: a key declared but not read is refused, not
//! ignored (and in a debug build, reading a key outside the list or leaving
//! one of the list unread is a bug caught at once).

use super::literal::{LiteralError, parse_decimal};
use super::ranges::Rule;
use super::schema::{Flag, Fraction, Need, Nested, Number, Special, Whole};
use super::spelling::{did_you_mean, suggest};
use crate::calendar::YearMonth;
use crate::diagnostic::Diagnostic;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(super) type Span = Range<usize>;
pub(super) type Result<T> = std::result::Result<T, Diagnostic>;

/// A TOML table being read, with its key path for messages.
pub(super) struct Table<'a, 'i> {
    /// `""` for the document, else e.g. `site[1].ai`.
    pub path: String,
    table: &'a DeTable<'i>,
    /// The table's own span (its header), for "missing key" messages.
    pub span: Option<Span>,
    source: &'a str,
    /// The keys this table may hold (from the schema), in the order
    /// messages list them.
    keys: Vec<&'static str>,
    /// The keys the loader has read so far, present or not.
    read: RefCell<Vec<&'static str>>,
}

impl<'a, 'i> Table<'a, 'i> {
    /// The document itself: `table` is its root, `source` the text spans
    /// point into.
    pub fn root(table: &'a DeTable<'i>, source: &'a str, keys: &[&'static str]) -> Self {
        Table::new(String::new(), table, None, source, keys)
    }

    fn new(
        path: String,
        table: &'a DeTable<'i>,
        span: Option<Span>,
        source: &'a str,
        keys: &[&'static str],
    ) -> Self {
        Table {
            path,
            table,
            span,
            source,
            keys: keys.to_vec(),
            read: RefCell::new(Vec::new()),
        }
    }

    /// Adds keys the table may hold once something read from it decides
    /// them (an AI table's `kind`).
    pub fn allow(&mut self, more: &[&'static str]) {
        self.keys.extend_from_slice(more);
    }

    /// A fresh view of the same table that may also hold `more` keys
    /// (format 2's), nothing read yet.
    pub fn with_more(&self, more: &[&'static str]) -> Table<'a, 'i> {
        let mut t = Table::new(
            self.path.clone(),
            self.table,
            self.span.clone(),
            self.source,
            &self.keys,
        );
        t.allow(more);
        t
    }

    /// The value of `key`, without counting it as read: for pointing at a
    /// value already read, or at a key in a message.
    pub fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    /// The value of `key`, counting it as read. Every typed read goes
    /// through here.
    pub fn take(&self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        debug_assert!(
            self.keys.contains(&key),
            "{}: the loader reads {key}, which the schema does not list",
            self.owner_path()
        );
        let mut read = self.read.borrow_mut();
        if !read.contains(&key) {
            read.push(key);
        }
        self.get(key)
    }

    fn owner_path(&self) -> &str {
        if self.path.is_empty() {
            "the top level"
        } else {
            &self.path
        }
    }

    pub fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The source text of a span (a value as written).
    pub fn text(&self, span: &Span) -> String {
        self.source.get(span.clone()).unwrap_or("").to_string()
    }

    /// The written text of `key`'s value, or `""` if absent.
    pub fn text_of(&self, key: &str) -> String {
        self.get(key)
            .map_or(String::new(), |v| self.text(&v.span()))
    }

    pub fn missing(&self, key: &str, what: &str) -> Diagnostic {
        Diagnostic::new(
            format!("missing key {}: {what}", self.key_path(key)),
            self.span.clone(),
        )
    }

    /// Every key present must be one the schema lists for this table;
    /// `owner` names the table in the hint (`[bitcoin]`, `site[0]`).
    ///
    /// Checked before any value is read, so a mistyped key is reported
    /// before the missing or out-of-range values it may explain.
    pub fn check_keys(&self, owner: &str) -> Result<()> {
        self.refuse_unless(|name| self.keys.contains(&name), owner)
    }

    /// Ends reading the table: see [`refuse_unread`](Self::refuse_unread).
    /// In a debug build, a key the schema lists that the loader did not
    /// read is a bug, reported at once whatever the input holds.
    pub fn finish(&self, owner: &str) -> Result<()> {
        debug_assert!(
            self.unread_keys().is_empty(),
            "{}: the schema lists {:?}, which the loader never reads",
            self.owner_path(),
            self.unread_keys()
        );
        self.refuse_unread(owner)
    }

    /// A key present but never read is unknown, even if the schema lists
    /// it, because its value would be ignored.
    pub fn refuse_unread(&self, owner: &str) -> Result<()> {
        let read = self.read.borrow();
        self.refuse_unless(|name| read.contains(&name), owner)
    }

    /// Keys the schema lists for this table that the loader has not read.
    pub fn unread_keys(&self) -> Vec<&'static str> {
        let read = self.read.borrow();
        self.keys
            .iter()
            .copied()
            .filter(|k| !read.contains(k))
            .collect()
    }

    fn refuse_unless(&self, accepted: impl Fn(&str) -> bool, owner: &str) -> Result<()> {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if accepted(name) {
                continue;
            }
            // Never suggest the key itself (one listed but not read).
            let others: Vec<&str> = self.keys.iter().copied().filter(|&k| k != name).collect();
            let hint = did_you_mean(&suggest(name, &others), str::to_string)
                .unwrap_or_else(|| format!("{owner} takes {}", self.keys.join(", ")));
            return Err(Diagnostic::new(
                format!("unknown key {}: {hint}", self.key_path(name)),
                Some(key.span()),
            ));
        }
        Ok(())
    }

    fn type_error(&self, key: &str, value: &Spanned<DeValue>, expected: &str) -> Diagnostic {
        let path = self.key_path(key);
        let message = match value.get_ref() {
            DeValue::Table(_) => format!("{path} must be {expected}, not a table"),
            DeValue::Array(_) => format!("{path} must be {expected}, not an array"),
            other => {
                let kind = other.type_str();
                format!(
                    "{path} = {} must be {expected}, not {} {kind}",
                    self.text(&value.span()),
                    article(kind)
                )
            }
        };
        Diagnostic::new(message, Some(value.span()))
    }

    fn range_error(&self, key: &str, span: Span, rule: &Rule) -> Diagnostic {
        self.range_error_with(key, span, rule, String::new())
    }

    /// As [`range_error`](Self::range_error), followed by `hint`.
    fn range_error_with(&self, key: &str, span: Span, rule: &Rule, hint: String) -> Diagnostic {
        Diagnostic::new(
            format!(
                "{} = {} needs {}{hint}",
                self.key_path(key),
                self.text(&span),
                rule.describe(key)
            ),
            Some(span),
        )
    }

    /// For a fraction whose value breaks its rule but would keep it as a
    /// percentage: `: rates are fractions (0.10 means 10 %): was 0.12
    /// meant?`, worded as the warning for a rate over 1 is.
    fn percentage_hint(key: &Number, value: Decimal) -> String {
        let subject = match key.fraction {
            Fraction::No => return String::new(),
            Fraction::Rate => "rates are fractions".to_string(),
            Fraction::Share => format!("{} is a fraction", key.name),
        };
        match key.rule.as_percentage(value) {
            Some(meant) => format!(
                ": {subject} (0.10 means 10 %): was {} meant?",
                meant.normalize()
            ),
            None => String::new(),
        }
    }

    /// A decimal key: a TOML integer, a TOML float, or a quoted decimal,
    /// each read exactly from its text; its default when absent and
    /// optional.
    pub fn number(&self, key: &Number) -> Result<Decimal> {
        let name = key.name;
        match (self.number_if_present(key)?, key.need) {
            (Some(n), _) => Ok(n),
            (None, Need::Default(d)) => Ok(d),
            (None, Need::Required(what)) if key.rule.is_any() => Err(self.missing(name, what)),
            (None, Need::Required(what)) => {
                Err(self.missing(name, &format!("{what} (needs {})", key.rule.describe(name))))
            }
        }
    }

    fn number_if_present(&self, key: &Number) -> Result<Option<Decimal>> {
        let name = key.name;
        let Some(value) = self.take(name) else {
            return Ok(None);
        };
        let Some(parsed) = decimal_of(value.get_ref()) else {
            return Err(self.type_error(
                name,
                value,
                "a number (an integer, a decimal, or a quoted decimal such as \"0.1\")",
            ));
        };
        let number = parsed.map_err(|e| self.literal_error(name, value, e))?;
        if !key.rule.admits(number) {
            let hint = Self::percentage_hint(key, number);
            return Err(self.range_error_with(name, value.span(), &key.rule, hint));
        }
        Ok(Some(number))
    }

    fn literal_error(&self, key: &str, value: &Spanned<DeValue>, e: LiteralError) -> Diagnostic {
        let why = match e {
            LiteralError::NotANumber => {
                "must be a number (an integer, a decimal, or a quoted decimal such as \"0.1\")"
            }
            LiteralError::NotFinite => "must be a finite number",
            LiteralError::TooManyDecimals => {
                "has more than 28 decimal places, which an exact decimal cannot hold (hashpivot never rounds an input)"
            }
            LiteralError::TooLarge => {
                "is beyond the decimal range (magnitude at most 79228162514264337593543950335)"
            }
            LiteralError::TooManyDigits => {
                "has more significant digits than an exact decimal holds (a 96-bit mantissa; hashpivot never rounds an input)"
            }
        };
        Diagnostic::new(
            format!(
                "{} = {} {why}",
                self.key_path(key),
                self.text(&value.span())
            ),
            Some(value.span()),
        )
    }

    /// A key that takes a TOML integer only, as written, with its span.
    pub fn integer_value(&self, key: &'static str) -> Result<Option<(i128, Span)>> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        let Some(parsed) = integer_of(value.get_ref()) else {
            return Err(self.type_error(key, value, "a whole number (a TOML integer such as 36)"));
        };
        parsed
            .map(|n| Some((n, value.span())))
            .map_err(|_| self.too_large(key, value.span()))
    }

    fn too_large(&self, key: &str, span: Span) -> Diagnostic {
        Diagnostic::new(
            format!(
                "{} = {} is too large (at most {})",
                self.key_path(key),
                self.text(&span),
                u64::MAX
            ),
            Some(span),
        )
    }

    /// A whole-number key with its range rule, as a `u64` (every one but
    /// `format` is ≥ 0); its default when absent and optional.
    pub fn whole(&self, key: &Whole) -> Result<u64> {
        let name = key.name;
        let Some((n, span)) = self.integer_value(name)? else {
            return match key.need {
                Need::Default(d) => Ok(d),
                Need::Required(what) => Err(self.missing(name, what)),
            };
        };
        match whole_in_rule(n, &key.rule) {
            Ok(whole) => Ok(whole),
            Err(WholeError::OutOfRule) => Err(self.range_error(name, span, &key.rule)),
            Err(WholeError::TooLarge) => Err(self.too_large(name, span)),
        }
    }

    /// A string key, if present.
    pub fn string(&self, key: &'static str) -> Result<Option<String>> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        match value.get_ref() {
            DeValue::String(s) => Ok(Some(s.to_string())),
            _ => Err(self.type_error(key, value, "a string")),
        }
    }

    /// A required string.
    pub fn required_string(&self, key: &Special) -> Result<String> {
        self.string(key.name)?
            .ok_or_else(|| self.missing(key.name, key.what))
    }

    /// A required, non-empty string (a scenario, site or model name).
    pub fn name(&self, key: &Special) -> Result<String> {
        let name = self.required_string(key)?;
        if name.trim().is_empty() {
            return Err(Diagnostic::new(
                format!(
                    "{} = {} needs a non-empty name",
                    self.key_path(key.name),
                    self.text_of(key.name)
                ),
                self.get(key.name).map(|v| v.span()),
            ));
        }
        Ok(name)
    }

    /// The first month, `"YYYY-MM"`.
    pub fn month(&self, key: &Special) -> Result<YearMonth> {
        let text = self.required_string(key)?;
        YearMonth::parse(&text).ok_or_else(|| {
            Diagnostic::new(
                format!(
                    "{} = {} needs the form \"YYYY-MM\": a four-digit year and a month from 01 to 12",
                    self.key_path(key.name),
                    self.text_of(key.name)
                ),
                self.get(key.name).map(|v| v.span()),
            )
        })
    }

    pub fn flag(&self, key: &Flag) -> Result<bool> {
        let Some(value) = self.take(key.name) else {
            return Ok(key.default);
        };
        match value.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            _ => Err(self.type_error(key.name, value, "true or false")),
        }
    }

    /// A sub-table (`[bitcoin]`, `[site.mining]`), if present.
    pub fn table(&self, key: &Nested) -> Result<Option<Table<'a, 'i>>> {
        let Some(value) = self.take(key.name) else {
            return Ok(None);
        };
        let header = self.header(key.name);
        match value.get_ref() {
            DeValue::Table(t) => Ok(Some(Table::new(
                self.key_path(key.name),
                t,
                Some(value.span()),
                self.source,
                key.keys,
            ))),
            // `[[site.mining]]` where `[site.mining]` was meant.
            DeValue::Array(items)
                if !items.is_empty()
                    && items
                        .iter()
                        .all(|i| matches!(i.get_ref(), DeValue::Table(_))) =>
            {
                Err(Diagnostic::new(
                    format!(
                        "{} must be a table ([{header}]), not an array of tables ([[{header}]])",
                        self.key_path(key.name)
                    ),
                    Some(value.span()),
                ))
            }
            _ => Err(self.type_error(key.name, value, &format!("a table ([{header}])"))),
        }
    }

    /// `key` as a TOML table header names it: the key path without the
    /// indices (`site.mining` for `site[0].mining`).
    fn header(&self, key: &str) -> String {
        let mut out = String::new();
        let mut in_index = false;
        for c in self.key_path(key).chars() {
            match c {
                '[' => in_index = true,
                ']' => in_index = false,
                _ if !in_index => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// An array of tables (`[[site]]`), each with its 0-based path, if
    /// present.
    pub fn tables(&self, key: &Nested) -> Result<Option<Vec<Table<'a, 'i>>>> {
        let name = key.name;
        let Some(value) = self.take(name) else {
            return Ok(None);
        };
        let expected = format!("an array of tables ([[{}]])", self.header(name));
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.type_error(name, value, &expected));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item.get_ref() {
                DeValue::Table(t) => Ok(Table::new(
                    format!("{}[{i}]", self.key_path(name)),
                    t,
                    Some(item.span()),
                    self.source,
                    key.keys,
                )),
                _ => Err(self.type_error(&format!("{name}[{i}]"), item, "a table")),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }
}

/// A TOML value as a decimal key reads it: an integer, a float or a
/// string, each exactly from its text (`None`: not one of the three, which
/// is a type error).
pub(super) fn decimal_of(value: &DeValue) -> Option<std::result::Result<Decimal, LiteralError>> {
    Some(match value {
        DeValue::Integer(i) => integer_text(i.as_str(), i.radix()).and_then(|n| {
            Decimal::try_from_i128_with_scale(n, 0).map_err(|_| LiteralError::TooLarge)
        }),
        DeValue::Float(f) => parse_decimal(f.as_str()),
        DeValue::String(s) => parse_decimal(s),
        _ => return None,
    })
}

/// A TOML value as a whole-number key reads it: an integer only (`None`:
/// any other type, which is a type error).
pub(super) fn integer_of(value: &DeValue) -> Option<std::result::Result<i128, LiteralError>> {
    match value {
        DeValue::Integer(i) => Some(integer_text(i.as_str(), i.radix())),
        _ => None,
    }
}

/// Why a whole number was refused by [`whole_in_rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WholeError {
    /// Breaks its range rule.
    OutOfRule,
    /// Beyond `u64` (or the decimal range).
    TooLarge,
}

/// A whole number checked against its range rule, as a `u64`.
pub(super) fn whole_in_rule(n: i128, rule: &Rule) -> std::result::Result<u64, WholeError> {
    let as_decimal = Decimal::try_from_i128_with_scale(n, 0).map_err(|_| WholeError::TooLarge)?;
    if !rule.admits(as_decimal) {
        return Err(WholeError::OutOfRule);
    }
    u64::try_from(n).map_err(|_| WholeError::TooLarge)
}

/// Parses a TOML integer's text (`as_str`, which carries the sign but not
/// the radix prefix) in its radix.
fn integer_text(text: &str, radix: u32) -> std::result::Result<i128, LiteralError> {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    i128::from_str_radix(&digits, radix).map_err(|_| LiteralError::TooLarge)
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
