//! `--format csv`: one header for every scenario, then one row per site and
//! strategy (or, with `--monthly`, one row per site, strategy and month),
//! for a spreadsheet or a dataframe.
//!
//! Columns follow the Summary JSON's key order: `scenario,site,strategy`,
//! the union of the `mine` and `ai` keys, then the site's comparison. A
//! field is empty where its key does not apply or is null; decimals are
//! written as in JSON (IRR as a fraction). Every row ends with `file`, the
//! scenario file it came from, so rows from a batch can be traced.
//!
//! Format 2 adds, after the strategy keys, the site's `conversion` block
//! as `conversion_*` columns and the scenario's `portfolio` as
//! `portfolio_*` columns (`portfolio_convert`: the site names joined by
//! `;`), repeated on every row they belong to, so that the file stays one
//! rectangle a dataframe reads as it is.

use super::{
    AI_F2_KEYS, AI_KEYS, COMPARISON_KEYS, Field, MINE_F2_KEYS, MINE_KEYS, MONTHLY_F2_KEYS,
    MONTHLY_KEYS, OUTCOME_KEYS, Renderer, ai_fields, comparison_fields, conversion_fields,
    mine_fields, month_fields, overrides_list, portfolio_fields,
};
use crate::calendar::YearMonth;
use crate::summary::{Outcome, SiteSummary, Summary};

/// `--format csv`.
#[derive(Debug, Clone, Default)]
pub struct CsvRenderer {
    /// Print only the month-by-month rows.
    pub monthly: bool,
    /// The file each summary came from, in order (the `file` column; empty
    /// past its end).
    pub files: Vec<String>,
}

const LEAD: [&str; 3] = ["scenario", "site", "strategy"];

/// Format 2's site and scenario blocks as columns: (column, key in the
/// block's JSON object).
const CONVERSION_COLUMNS: [(&str, &str); 5] = [
    ("conversion_npv_usd", "npv_usd"),
    ("conversion_irr", "irr"),
    ("conversion_mirr", "mirr"),
    ("conversion_payback_months", "payback_months"),
    ("conversion_breakeven_rate", "breakeven_rate"),
];
const PORTFOLIO_COLUMNS: [(&str, &str); 4] = [
    ("portfolio_mine_npv_usd", "mine_npv_usd"),
    ("portfolio_ai_npv_usd", "ai_npv_usd"),
    ("portfolio_best_npv_usd", "best_npv_usd"),
    ("portfolio_convert", "convert"),
];

impl Renderer for CsvRenderer {
    fn render(&self, summaries: &[Summary], _as_list: bool) -> Vec<u8> {
        self.table(summaries).to_csv().into_bytes()
    }
}

/// The rows a CSV writes, before they become text: the column names and,
/// per row, one [`Field`] per column (so `--format parquet` can type each
/// column from the same figures, digits and all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Field>>,
}

impl Table {
    /// As CSV: the header, then one line per row (null as an empty cell).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        line(&mut out, self.columns.iter().cloned());
        for row in &self.rows {
            line(&mut out, row.iter().cloned().map(cell));
        }
        out
    }
}

impl CsvRenderer {
    /// The header and rows [`Renderer::render`] writes as CSV.
    pub fn table(&self, summaries: &[Summary]) -> Table {
        let mut out = Table::default();
        // Format 2's columns follow format 1's when any scenario is format
        // 2 (a format-1 row leaves them empty), so the table stays
        // rectangular.
        let format2 = summaries.iter().any(|s| s.inputs.format2.is_some());
        let mut columns = header();
        if format2 {
            for key in MINE_F2_KEYS.into_iter().chain(AI_F2_KEYS) {
                if !columns.contains(&key) {
                    columns.push(key);
                }
            }
            columns.extend(
                CONVERSION_COLUMNS
                    .iter()
                    .chain(&PORTFOLIO_COLUMNS)
                    .map(|(column, _)| *column),
            );
        }
        let monthly_columns: Vec<&str> = MONTHLY_KEYS
            .into_iter()
            .chain(format2.then_some(MONTHLY_F2_KEYS).into_iter().flatten())
            .collect();
        // The `overrides` column is there when any `--set` was given.
        let with_overrides = summaries.iter().any(|s| !s.overrides.is_empty());
        let tail = with_overrides
            .then_some("overrides")
            .into_iter()
            .chain(["file"]);
        if self.monthly {
            out.columns = LEAD
                .into_iter()
                .chain(monthly_columns.iter().copied())
                .chain(tail)
                .map(str::to_string)
                .collect();
        } else {
            out.columns = columns
                .iter()
                .copied()
                .chain(tail)
                .map(str::to_string)
                .collect();
        }
        for (i, summary) in summaries.iter().enumerate() {
            let file = self.files.get(i).cloned().unwrap_or_default();
            let portfolio = summary.inputs.format2.is_some().then(|| {
                let (totals, convert) = portfolio_fields(summary);
                let mut fields = prefixed(totals, &PORTFOLIO_COLUMNS);
                fields.push(("portfolio_convert", Field::Text(convert.join(";"))));
                fields
            });
            let overrides = with_overrides.then(|| Field::Text(overrides_cell(summary)));
            for site in &summary.sites {
                for (strategy, fields, outcome) in strategies(site, summary.start) {
                    let lead = [summary.scenario.as_str(), site.name.as_str(), strategy];
                    if self.monthly {
                        for (i, m) in outcome.monthly.iter().enumerate() {
                            let fields = month_fields(summary, i, m);
                            let values = monthly_columns.iter().map(|key| {
                                fields
                                    .iter()
                                    .find(|(k, _)| k == key)
                                    .map_or(Field::Null, |(_, f)| f.clone())
                            });
                            out.rows.push(
                                lead.iter()
                                    .map(|s| Field::Text(s.to_string()))
                                    .chain(values)
                                    .chain(overrides.clone())
                                    .chain([Field::Text(file.clone())])
                                    .collect(),
                            );
                        }
                    } else {
                        let comparison = site.comparison.as_ref().map(comparison_fields);
                        let conversion = site
                            .comparison
                            .as_ref()
                            .and_then(|c| c.conversion.as_ref())
                            .map(|c| prefixed(conversion_fields(c), &CONVERSION_COLUMNS));
                        let values = columns[LEAD.len()..].iter().map(|key| {
                            fields
                                .iter()
                                .chain(comparison.iter().flatten())
                                .chain(conversion.iter().flatten())
                                .chain(portfolio.iter().flatten())
                                .find(|(k, _)| k == key)
                                .map_or(Field::Null, |(_, f)| f.clone())
                        });
                        out.rows.push(
                            lead.iter()
                                .map(|s| Field::Text(s.to_string()))
                                .chain(values)
                                .chain(overrides.clone())
                                .chain([Field::Text(file.clone())])
                                .collect(),
                        );
                    }
                }
            }
        }
        out
    }
}

/// The summary header, in the Summary JSON's key order.
pub fn header() -> Vec<&'static str> {
    LEAD.into_iter()
        .chain(OUTCOME_KEYS)
        .chain(MINE_KEYS)
        .chain(AI_KEYS)
        .chain(COMPARISON_KEYS)
        .collect()
}

type Strategy<'a> = (&'static str, Vec<(&'static str, Field)>, &'a Outcome);

fn strategies(site: &SiteSummary, start: YearMonth) -> Vec<Strategy<'_>> {
    let mut out = Vec::with_capacity(2);
    if let Some(m) = &site.mine {
        out.push(("mine", mine_fields(m), &m.outcome));
    }
    if let Some(a) = &site.ai {
        out.push(("ai", ai_fields(a, start), &a.outcome));
    }
    out
}

/// The `overrides` column: each `--set` as `key=value`, joined by `;`.
pub(crate) fn overrides_cell(summary: &Summary) -> String {
    overrides_list(summary).join(";")
}

/// A block's fields under their column names (`columns`: column, key).
fn prefixed(
    fields: Vec<(&'static str, Field)>,
    columns: &[(&'static str, &'static str)],
) -> Vec<(&'static str, Field)> {
    fields
        .into_iter()
        .filter_map(|(key, field)| {
            let (column, _) = columns.iter().find(|(_, k)| *k == key)?;
            Some((*column, field))
        })
        .collect()
}

/// A field as a CSV cell: its digits or text, empty for null.
pub(crate) fn cell(field: Field) -> String {
    match field {
        Field::Number(digits) | Field::Text(digits) => digits,
        Field::Null => String::new(),
    }
}

/// One CSV record: fields quoted where they hold a comma, a quote or a
/// line break (RFC 4180), ended by `\n`.
pub(crate) fn line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;

    fn render(monthly: bool) -> String {
        String::from_utf8(
            CsvRenderer {
                monthly,
                files: vec!["sample.toml".into()],
            }
            .render(&[sample::summary()], false),
        )
        .unwrap()
    }

    /// Ties (see `render::sample`), half-even: revenue 2500000.125 →
    /// 2500000.12, NPV -1500.005 → -1500.00, advantage 251500.505 →
    /// 251500.50; NPV -0.001 → 0.00, never -0.00; IRR 0.1234565 → 0.123456;
    /// breakeven_rate -12.34565 → -12.3456. BTC ties: `ties` below.
    #[test]
    fn summary_csv() {
        insta::assert_snapshot!(render(false));
    }

    /// Ties, half-even: hashprice 45.72005 → 45.7200; revenue 1250000.065 →
    /// 1250000.06 (617283.9455 → 617283.95 is no tie). BTC ties: `ties`.
    #[test]
    fn monthly_csv() {
        insta::assert_snapshot!(render(true));
    }

    /// The BTC ties `render::sample::ties` adds, worked by hand: each
    /// strategy's total 0.123456785 → 0.12345678 (8 even), month 2028-03's
    /// 12.345678905 → 12.34567890 (0 even).
    #[test]
    fn ties() {
        let render = |monthly| {
            let out = CsvRenderer {
                monthly,
                files: vec!["ties.toml".into()],
            }
            .render(&[sample::ties()], false);
            String::from_utf8(out).unwrap()
        };
        let field = |text: &str, row: usize, column: &str| -> String {
            let mut lines = text.lines();
            let header: Vec<&str> = lines.next().unwrap().split(',').collect();
            let at = header.iter().position(|&c| c == column).unwrap();
            lines
                .nth(row)
                .unwrap()
                .split(',')
                .nth(at)
                .unwrap()
                .to_string()
        };
        // Rows 0 and 1 are North's, before the quoted site name.
        let summary = render(false);
        assert_eq!(field(&summary, 0, "btc_mined"), "0.12345678");
        assert_eq!(field(&summary, 1, "btc_mined"), "0.12345678");
        let monthly = render(true);
        assert_eq!(field(&monthly, 0, "month"), "2028-03");
        assert_eq!(field(&monthly, 0, "btc_mined"), "12.34567890");
    }

    #[test]
    fn every_row_has_every_column() {
        let text = render(false);
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        // 3 lead + 9 shared + 3 mine + 2 ai + 3 comparison + file.
        assert_eq!(header.split(',').count(), 21);
        assert!(
            header.ends_with(",crossover_btc_price_usd,file"),
            "{header}"
        );
        // The quoted site name holds a comma: count fields outside quotes.
        for line in lines {
            let mut quoted = false;
            let commas = line
                .chars()
                .filter(|&c| {
                    if c == '"' {
                        quoted = !quoted;
                    }
                    c == ',' && !quoted
                })
                .count();
            assert_eq!(commas, 20, "{line}");
        }
    }
}
