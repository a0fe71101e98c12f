//! `explain`'s output: one month's intermediates as a table for a reader
//! and as one JSON object for a program.
//!
//! Each figure is rounded once, here, to the decimals it carries (those of
//! `run --monthly` where it is one of its columns), so the JSON value of a
//! figure marked with `monthly_key` is byte for byte the number `run
//! --monthly --format json` prints for that month. The table keeps every
//! line within 80 columns: a figure's name and value share a line when
//! they fit, else the value goes on the next; the docs/model.md section
//! is written once above each run of figures that share it.

use super::Field;
use super::number::{fixed, group};
use crate::explain::{Explanation, Figure, Section, Value};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// The table's width.
const WIDTH: usize = 80;

/// A figure's value as the table writes it: grouped digits with exactly
/// its decimals, its unit after; `—` for none.
fn shown(figure: &Figure) -> String {
    let value = match &figure.value {
        Value::Number { value, places } => group(&fixed(*value, *places)),
        Value::Text(text) => return text.clone(),
        Value::Null => return "—".to_string(),
    };
    let mark = if figure.monthly_key.is_some() {
        " *"
    } else {
        ""
    };
    if figure.unit.is_empty() {
        format!("{value}{mark}")
    } else {
        format!("{value} {}{mark}", figure.unit)
    }
}

fn width(text: &str) -> usize {
    // Combining marks (the bar of p̄) take no column.
    text.chars()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .count()
}

fn section_lines(out: &mut String, section: &Section) {
    out.push('\n');
    out.push_str(&section.title);
    out.push('\n');
    let mut rule = "";
    for figure in &section.figures {
        if figure.rule != rule {
            rule = figure.rule;
            out.push_str(&format!("  · docs/model.md, \"{rule}\"\n"));
        }
        let name = format!("    {}", figure.name);
        let value = shown(figure);
        let gap = WIDTH.saturating_sub(width(&name) + width(&value));
        if gap >= 2 {
            out.push_str(&name);
            out.push_str(&" ".repeat(gap));
            out.push_str(&value);
        } else {
            out.push_str(&name);
            out.push('\n');
            let pad = WIDTH.saturating_sub(width(&value)).max(6);
            out.push_str(&" ".repeat(pad));
            out.push_str(&value);
        }
        out.push('\n');
    }
}

/// The table: a heading, the network, then each strategy's sections.
pub fn table(e: &Explanation) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&format!("Explain: {}\n", e.scenario));
    out.push_str(&format!(
        "Site {} \"{}\" · {}, month {} of 0 to {} · format {}\n",
        e.site_index,
        e.site,
        e.month,
        e.month_index,
        e.months.saturating_sub(1),
        e.format
    ));
    out.push_str("Each figure unrounded then rounded once; * marks a column of run --monthly\n");
    out.push_str("for this month (equal to it). Under each heading, · names the section of\n");
    out.push_str("docs/model.md that defines the figures below it.\n");
    section_lines(&mut out, &e.network);
    for s in &e.strategies {
        out.push_str(&format!(
            "\n══ Strategy {} {}\n",
            s.strategy.as_str(),
            "═".repeat(WIDTH.saturating_sub(13 + s.strategy.as_str().len()))
        ));
        for section in &s.sections {
            section_lines(&mut out, section);
        }
    }
    out.into_bytes()
}

struct FigureDoc<'a>(&'a Figure);

impl Serialize for FigureDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("name", &f.name)?;
        let value = match &f.value {
            Value::Number { value, places } => Field::Number(fixed(*value, *places)),
            Value::Text(text) => Field::Text(text.clone()),
            Value::Null => Field::Null,
        };
        map.serialize_entry("value", &value)?;
        map.serialize_entry("unit", f.unit)?;
        map.serialize_entry("rule", f.rule)?;
        map.serialize_entry("monthly_key", &f.monthly_key)?;
        map.end()
    }
}

struct SectionDoc<'a>(&'a Section);

impl Serialize for SectionDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("title", &self.0.title)?;
        let figures: Vec<FigureDoc> = self.0.figures.iter().map(FigureDoc).collect();
        map.serialize_entry("figures", &figures)?;
        map.end()
    }
}

struct StrategyDoc<'a>(&'a crate::explain::StrategyExplanation);

impl Serialize for StrategyDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("strategy", self.0.strategy.as_str())?;
        let sections: Vec<SectionDoc> = self.0.sections.iter().map(SectionDoc).collect();
        map.serialize_entry("sections", &sections)?;
        map.end()
    }
}

struct Doc<'a> {
    e: &'a Explanation,
    file: &'a str,
}

impl Serialize for Doc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.e;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("scenario", &e.scenario)?;
        map.serialize_entry("file", self.file)?;
        map.serialize_entry("format", &e.format)?;
        map.serialize_entry("site", &e.site)?;
        map.serialize_entry("site_index", &e.site_index)?;
        map.serialize_entry("month", &e.month.to_string())?;
        map.serialize_entry("month_index", &e.month_index)?;
        map.serialize_entry("months", &e.months)?;
        map.serialize_entry("network", &SectionDoc(&e.network))?;
        let strategies: Vec<StrategyDoc> = e.strategies.iter().map(StrategyDoc).collect();
        map.serialize_entry("strategies", &strategies)?;
        map.end()
    }
}

/// One JSON object: `scenario`, `file`, `format`, `site`, `site_index`,
/// `month`, `month_index`, `months`, `network` (a section) and
/// `strategies` (`strategy`, `sections`), each section a `title` and its
/// `figures` (`name`, `value`, `unit`, `rule`, `monthly_key`).
pub fn json(e: &Explanation, file: &str) -> Vec<u8> {
    super::json::document(&[Doc { e, file }], false)
}
