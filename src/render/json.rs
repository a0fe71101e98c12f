//! `--format json` and `--format jsonl`: the Summary JSON, the exact and
//! stable form that programs and the golden files read (docs/model.md,
//! "Reading the outputs"). Keys in its order, numbers as JSON numbers with
//! exactly the stated decimals; with `--monthly`, a `monthly` array inside
//! each strategy after those keys.
//!
//! Numbers are written from their decimal digits through serde_json's
//! `RawValue`, so no figure passes through `f64` on its way out.

use super::{
    Field, Renderer, ai_fields, comparison_fields, conversion_fields, fixed, format2_top,
    mine_fields, month_fields, places, portfolio_fields,
};
use crate::summary::{Outcome, SiteSummary, Summary};
use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// `--format json`: one object for one scenario, an array for a list.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonRenderer {
    /// Add each strategy's month-by-month rows.
    pub monthly: bool,
}

impl Renderer for JsonRenderer {
    fn render(&self, summaries: &[Summary], as_list: bool) -> Vec<u8> {
        let docs: Vec<Doc> = summaries
            .iter()
            .map(|summary| Doc {
                summary,
                monthly: self.monthly,
                file: None,
            })
            .collect();
        document(&docs, as_list)
    }
}

/// `objects` as one pretty-printed JSON document ending in a newline: the
/// object alone for one, an array (in the order given) for a list.
pub(crate) fn document<T: Serialize>(objects: &[T], as_list: bool) -> Vec<u8> {
    let mut out = if as_list || objects.len() != 1 {
        serde_json::to_vec_pretty(objects)
    } else {
        serde_json::to_vec_pretty(&objects[0])
    }
    // Serializing our own types to memory cannot fail: every number is
    // valid JSON text by construction (see `fixed`).
    .unwrap_or_default();
    out.push(b'\n');
    out
}

/// One summary as `--format json` prints it (without monthly rows), to be
/// embedded in another document (a golden file).
pub struct SummaryObject<'a>(pub &'a Summary);

impl Serialize for SummaryObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Doc {
            summary: self.0,
            monthly: false,
            file: None,
        }
        .serialize(s)
    }
}

/// `--format jsonl`: one summary object per line, whatever the count, each
/// ending with a `file` key naming where it came from (a line read alone,
/// say by `grep`, still says which file it describes).
#[derive(Debug, Clone, Default)]
pub struct JsonlRenderer {
    pub monthly: bool,
    /// The file each summary came from, in order; `null` past its end.
    pub files: Vec<String>,
}

impl Renderer for JsonlRenderer {
    fn render(&self, summaries: &[Summary], _as_list: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, summary) in summaries.iter().enumerate() {
            let doc = Doc {
                summary,
                monthly: self.monthly,
                file: Some(self.files.get(i).map(String::as_str)),
            };
            // As above: our own types always serialize.
            out.extend(serde_json::to_vec(&doc).unwrap_or_default());
            out.push(b'\n');
        }
        out
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Number(digits) => RawValue::from_string(digits.clone())
                .map_err(S::Error::custom)?
                .serialize(s),
            Field::Text(text) => s.serialize_str(text),
            Field::Null => s.serialize_none(),
        }
    }
}

/// Key-value pairs as a JSON object, in their order.
struct Object(Vec<(&'static str, Field)>);

impl Serialize for Object {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

struct Doc<'a> {
    summary: &'a Summary,
    monthly: bool,
    /// JSON Lines only: the `file` key, last (`Some(None)` writes null).
    file: Option<Option<&'a str>>,
}

#[derive(Serialize)]
struct OverrideDoc<'a> {
    key: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct HalvingDoc {
    height: u64,
    month: String,
}

#[derive(Serialize)]
struct NetworkDoc {
    hashprice_usd_per_ph_day: Field,
    halvings: Vec<HalvingDoc>,
}

impl Serialize for Doc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let summary = self.summary;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("scenario", &summary.scenario)?;
        map.serialize_entry("months", &summary.months)?;
        let network = NetworkDoc {
            hashprice_usd_per_ph_day: Field::Number(fixed(
                summary.hashprice_usd_per_ph_day(),
                places::RATE,
            )),
            halvings: summary
                .halvings
                .iter()
                .map(|h| HalvingDoc {
                    height: h.height,
                    month: h.month.to_string(),
                })
                .collect(),
        };
        map.serialize_entry("network", &network)?;
        let sites: Vec<SiteDoc> = summary
            .sites
            .iter()
            .map(|site| SiteDoc { doc: self, site })
            .collect();
        map.serialize_entry("sites", &sites)?;
        if let Some(top) = format2_top(summary) {
            for (key, value) in &top {
                map.serialize_entry(key, value)?;
            }
            let (totals, convert) = portfolio_fields(summary);
            map.serialize_entry("portfolio", &Portfolio { totals, convert })?;
        }
        if !summary.overrides.is_empty() {
            let overrides: Vec<OverrideDoc> = summary
                .overrides
                .iter()
                .map(|o| OverrideDoc {
                    key: &o.key,
                    value: &o.value,
                })
                .collect();
            map.serialize_entry("overrides", &overrides)?;
        }
        if let Some(file) = self.file {
            map.serialize_entry("file", &file)?;
        }
        map.end()
    }
}

/// `portfolio` (format 2).
struct Portfolio {
    totals: Vec<(&'static str, Field)>,
    convert: Vec<String>,
}

impl Serialize for Portfolio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.totals.len() + 1))?;
        for (key, value) in &self.totals {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("convert", &self.convert)?;
        map.end()
    }
}

struct SiteDoc<'a> {
    doc: &'a Doc<'a>,
    site: &'a SiteSummary,
}

impl Serialize for SiteDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let site = self.site;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &site.name)?;
        if let Some(mine) = &site.mine {
            map.serialize_entry("mine", &self.strategy(mine_fields(mine), &mine.outcome))?;
        }
        if let Some(ai) = &site.ai {
            map.serialize_entry(
                "ai",
                &self.strategy(ai_fields(ai, self.doc.summary.start), &ai.outcome),
            )?;
        }
        if let Some(c) = &site.comparison {
            for (key, value) in comparison_fields(c) {
                map.serialize_entry(key, &value)?;
            }
            if let Some(conversion) = &c.conversion {
                map.serialize_entry("conversion", &Object(conversion_fields(conversion)))?;
            }
        }
        map.end()
    }
}

impl SiteDoc<'_> {
    fn strategy(&self, fields: Vec<(&'static str, Field)>, outcome: &Outcome) -> StrategyDoc {
        let monthly = self.doc.monthly.then(|| {
            outcome
                .monthly
                .iter()
                .enumerate()
                .map(|(i, m)| Object(month_fields(self.doc.summary, i, m)))
                .collect()
        });
        StrategyDoc {
            fields: Object(fields),
            monthly,
        }
    }
}

struct StrategyDoc {
    fields: Object,
    monthly: Option<Vec<Object>>,
}

impl Serialize for StrategyDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (key, value) in &self.fields.0 {
            map.serialize_entry(key, value)?;
        }
        if let Some(rows) = &self.monthly {
            map.serialize_entry("monthly", rows)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;

    /// Ties (see `render::sample`), half-even: hashprice 45.72005 →
    /// 45.7200; revenue 2500000.125 → 2500000.12, NPV -1500.005 → -1500.00,
    /// advantage 251500.505 → 251500.50; NPV -0.001 → 0.00, never -0.00;
    /// IRR 0.1234565 → 0.123456; breakeven_rate -12.34565 → -12.3456. BTC
    /// ties: `ties` below.
    #[test]
    fn summary_json() {
        let out = JsonRenderer { monthly: false }.render(&[sample::summary()], false);
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    /// Ties in the monthly rows, half-even: hashprice 45.72005 → 45.7200;
    /// revenue 1250000.065 → 1250000.06.
    #[test]
    fn monthly_rows_follow_model_keys() {
        let out = JsonRenderer { monthly: true }.render(&[sample::summary()], true);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("[\n"));
        assert!(text.contains("\"revenue_usd\": 1250000.06,"));
        // `monthly` comes after the last Summary JSON key of each strategy.
        assert!(text.contains("\"all_in_cost_per_btc_usd\": null,\n          \"monthly\": ["));
        assert!(text.contains("\"go_live\": \"2028-04\",\n          \"monthly\": ["));
        assert!(text.contains("\"hashprice_usd_per_ph_day\": 45.7200,"));
        assert!(text.contains("\"cumulative_cash_usd\": -368283.89"));
    }

    /// The BTC ties `render::sample::ties` adds, worked by hand: each
    /// strategy's total 0.123456785 → 0.12345678 (8 even), month 2028-03's
    /// 12.345678905 → 12.34567890 (0 even); JSON lines print the same.
    #[test]
    fn ties() {
        let out = JsonRenderer { monthly: true }.render(&[sample::ties()], false);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("\"btc_mined\": 0.12345678,").count(), 3);
        assert_eq!(text.matches("\"btc_mined\": 12.34567890,").count(), 3);
        let out = JsonlRenderer {
            monthly: false,
            files: vec!["ties.toml".into()],
        }
        .render(&[sample::ties()], false);
        let line = String::from_utf8(out).unwrap();
        assert_eq!(line.matches("\"btc_mined\":0.12345678,").count(), 3);
    }
}
