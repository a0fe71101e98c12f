//! The default format: a table an operator reads at a glance.
//!
//! Per scenario, a header (name, horizon, month-0 hashprice, halvings), then
//! per site the two futures side by side and the verdict: who wins, by how
//! much NPV, and the BTC price at which the answer flips. Money carries
//! thousands separators and cents; null is "—". It fits a 100-column
//! terminal. Colour (bold headings, the winner in green) only when the
//! caller asks for it: the CLI does on a terminal without `NO_COLOR`.

use super::{Renderer, fixed, places};
use crate::summary::{AiSummary, MineSummary, Outcome, SiteSummary, Summary, Winner};
use comfy_table::{
    CellAlignment, ContentArrangement, LineStyle, Table as Grid, TableStyle, presets,
};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, Default)]
pub struct Table {
    /// Add a month-by-month section per site.
    pub monthly: bool,
    /// Use ANSI colour and bold.
    pub color: bool,
}

const NULL: &str = "—";

impl Renderer for Table {
    fn render(&self, summaries: &[Summary], _as_list: bool) -> Vec<u8> {
        let mut out = String::new();
        for (n, summary) in summaries.iter().enumerate() {
            if n > 0 {
                out.push('\n');
            }
            self.scenario(&mut out, summary);
        }
        if summaries.len() >= 2 {
            self.comparison(&mut out, summaries);
        }
        out.into_bytes()
    }
}

impl Table {
    fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn green(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1;32m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn scenario(&self, out: &mut String, s: &Summary) {
        out.push_str(&self.bold(&s.scenario));
        out.push('\n');
        let last = s.month(s.months.saturating_sub(1) as usize);
        out.push_str(&format!(
            "{} months, {} to {} · hashprice in {}: {}/PH/s/day\n",
            s.months,
            s.start,
            last,
            s.start,
            money(s.hashprice_usd_per_ph_day(), places::RATE),
        ));
        if s.halvings.is_empty() {
            out.push_str("Halvings: none within the horizon\n");
        } else {
            let list: Vec<String> = s
                .halvings
                .iter()
                .map(|h| format!("block {} in {}", group(&h.height.to_string()), h.month))
                .collect();
            out.push_str(&format!("Halvings: {}\n", list.join(" · ")));
        }
        if !s.overrides.is_empty() {
            let list: Vec<String> = s
                .overrides
                .iter()
                .map(|o| format!("{}={}", o.key, o.value))
                .collect();
            out.push_str(&format!("Overrides: {}\n", list.join(" · ")));
        }
        for site in &s.sites {
            out.push('\n');
            self.site(out, s, site);
        }
    }

    fn site(&self, out: &mut String, s: &Summary, site: &SiteSummary) {
        out.push_str(&self.bold(&format!("Site: {}", site.name)));
        out.push('\n');
        let mut grid = Grid::new();
        grid.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        let mut header = vec![String::new()];
        let mut columns: Vec<Vec<String>> = Vec::new();
        if let Some(m) = &site.mine {
            header.push("keep mining".into());
            columns.push(mine_column(m));
        }
        if let Some(a) = &site.ai {
            header.push("convert to AI".into());
            columns.push(ai_column(a));
        }
        grid.set_header(header);
        for (r, label) in LABELS.iter().enumerate() {
            let mut row = vec![label.to_string()];
            row.extend(columns.iter().map(|c| c[r].clone()));
            grid.add_row(row);
        }
        for c in 1..=columns.len() {
            if let Some(column) = grid.column_mut(c) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&grid.to_string());
        out.push('\n');
        if let Some(c) = &site.comparison {
            let verdict = match c.winner {
                Winner::Mine => format!(
                    "Winner: keep mining, by {} of NPV",
                    money(c.npv_advantage_usd, places::USD)
                ),
                Winner::Ai => format!(
                    "Winner: convert to AI, by {} of NPV",
                    money(c.npv_advantage_usd, places::USD)
                ),
                Winner::Tie => "Tie: both futures have the same NPV".to_string(),
            };
            out.push_str(&self.green(&verdict));
            out.push('\n');
            match c.crossover_btc_price_usd {
                Some(p) => out.push_str(&format!(
                    "The answer flips at a month-0 BTC price of {}\n",
                    money(p, places::USD)
                )),
                None => out.push_str("No month-0 BTC price flips the answer\n"),
            }
        }
        if self.monthly {
            if let Some(m) = &site.mine {
                self.monthly_table(out, s, "keep mining", &m.outcome);
            }
            if let Some(a) = &site.ai {
                self.monthly_table(out, s, "convert to AI", &a.outcome);
            }
        }
    }

    /// One row per scenario and site: the verdict at a glance.
    fn comparison(&self, out: &mut String, summaries: &[Summary]) {
        out.push('\n');
        out.push_str(&self.bold("Comparison"));
        out.push('\n');
        let mut grid = Grid::new();
        // Long scenario names wrap, so the table keeps to 100 columns.
        grid.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(100)
            .set_header(vec![
                "Scenario",
                "Site",
                "Winner",
                "Mine NPV",
                "AI NPV",
                "Advantage",
                "Crossover BTC",
            ]);
        for s in summaries {
            for site in &s.sites {
                let npv = |o: Option<&Outcome>| o.map_or(NULL.into(), |o| compact_money(o.npv_usd));
                let c = site.comparison.as_ref();
                grid.add_row(vec![
                    s.scenario.clone(),
                    site.name.clone(),
                    c.map_or(NULL.into(), |c| c.winner.as_str().to_string()),
                    npv(site.mine.as_ref().map(|m| &m.outcome)),
                    npv(site.ai.as_ref().map(|a| &a.outcome)),
                    c.map_or(NULL.into(), |c| compact_money(c.npv_advantage_usd)),
                    c.and_then(|c| c.crossover_btc_price_usd)
                        .map_or(NULL.into(), |p| money(p, 0)),
                ]);
            }
        }
        for c in 3..7 {
            if let Some(column) = grid.column_mut(c) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&grid.to_string());
        out.push('\n');
    }

    fn monthly_table(&self, out: &mut String, s: &Summary, title: &str, o: &Outcome) {
        out.push('\n');
        out.push_str(&self.bold(&format!("Month by month: {title} (money in USD thousands)")));
        out.push('\n');
        let mut grid = Grid::new();
        grid.load_style(MONTHLY_STYLE)
            .set_content_arrangement(ContentArrangement::Disabled);
        grid.set_header(vec![
            "Month",
            "$/PH/day",
            "BTC",
            "Revenue",
            "Power",
            "Opex",
            "Capex",
            "Cash flow",
            "Cumulative",
        ]);
        for (i, m) in o.monthly.iter().enumerate() {
            let hashprice = s
                .hashprice_usd_per_ph_day
                .get(i)
                .copied()
                .unwrap_or_default();
            grid.add_row(vec![
                s.month(i).to_string(),
                fixed(hashprice, 2),
                group_decimal(&fixed(m.btc_mined, 4)),
                thousands(m.revenue_usd),
                thousands(m.power_cost_usd),
                thousands(m.opex_usd),
                thousands(m.capex_usd),
                thousands(m.cash_flow_usd),
                thousands(m.cumulative_cash_usd),
            ]);
        }
        for (c, column) in grid.column_iter_mut().enumerate() {
            column.set_padding((if c == 0 { 0 } else { 1 }, 0));
            if c > 0 {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&grid.to_string());
        out.push('\n');
    }
}

/// A rule above, under the header and below; no lines between months.
const MONTHLY_STYLE: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('─').junction('─'))
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .bottom_border(LineStyle::none().fill('─').junction('─'));

const LABELS: [&str; 13] = [
    "Revenue",
    "Power cost",
    "Opex",
    "Capex",
    "Net cash",
    "NPV",
    "IRR (a year)",
    "Payback",
    "BTC mined",
    "Breakeven",
    "Cost per BTC",
    "All-in cost per BTC",
    "Go-live",
];

fn outcome_cells(o: &Outcome) -> Vec<String> {
    vec![
        money(o.revenue_usd, places::USD),
        money(o.power_cost_usd, places::USD),
        money(o.opex_usd, places::USD),
        money(o.capex_usd, places::USD),
        money(o.net_cash_usd, places::USD),
        money(o.npv_usd, places::USD),
        o.irr.map_or(NULL.into(), percent),
        o.payback_months
            .map_or(NULL.into(), |n| format!("{n} months")),
        group_decimal(&fixed(o.btc_mined, places::BTC)),
    ]
}

fn mine_column(m: &MineSummary) -> Vec<String> {
    let mut cells = outcome_cells(&m.outcome);
    cells.push(m.breakeven_btc_price_usd.map_or(NULL.into(), |p| {
        format!("{} per BTC", money(p, places::USD))
    }));
    cells.push(
        m.cost_per_btc_usd
            .map_or(NULL.into(), |p| money(p, places::USD)),
    );
    cells.push(
        m.all_in_cost_per_btc_usd
            .map_or(NULL.into(), |p| money(p, places::USD)),
    );
    cells.push(String::new());
    cells
}

fn ai_column(a: &AiSummary) -> Vec<String> {
    let mut cells = outcome_cells(&a.outcome);
    cells.push(a.breakeven_rate.map_or(NULL.into(), |r| {
        format!("{} per {}", money(r, places::RATE), a.offer.rate_unit())
    }));
    cells.push(String::new());
    cells.push(String::new());
    cells.push(
        a.go_live
            .map_or("not within horizon".into(), |g| g.to_string()),
    );
    cells
}

/// `$1.2B`, `-$35.1M`: money in a comparison cell.
fn compact_money(value: Decimal) -> String {
    let text = super::sweep::compact(value);
    match text.strip_prefix('-') {
        Some(abs) => format!("-${abs}"),
        None => format!("${text}"),
    }
}

/// `$1,234.56`, `-$1,234.56`, rounded half-even to `places`.
pub fn money(value: Decimal, places: u32) -> String {
    let text = fixed(value, places);
    match text.strip_prefix('-') {
        Some(abs) => format!("-${}", group_decimal(abs)),
        None => format!("${}", group_decimal(&text)),
    }
}

/// An IRR fraction as a percentage with the JSON's digits: 0.158788 →
/// `15.8788 %`.
fn percent(irr: Decimal) -> String {
    let rounded = irr.round_dp_with_strategy(
        places::IRR,
        rust_decimal::RoundingStrategy::MidpointNearestEven,
    );
    format!(
        "{} %",
        group_decimal(&fixed(rounded * Decimal::ONE_HUNDRED, places::IRR - 2))
    )
}

/// Whole USD thousands with separators: 14,100,515.81 → `14,101`.
fn thousands(value: Decimal) -> String {
    group_decimal(&fixed(value / Decimal::ONE_THOUSAND, 0))
}

/// Thousands separators in the whole part of a plain decimal string.
pub(crate) fn group_decimal(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    match body.split_once('.') {
        Some((whole, frac)) => format!("{sign}{}.{frac}", group(whole)),
        None => format!("{sign}{}", group(body)),
    }
}

fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;

    fn render(table: Table) -> String {
        String::from_utf8(table.render(&[sample::summary()], false)).unwrap()
    }

    #[test]
    fn summary_table() {
        insta::assert_snapshot!(render(Table::default()));
    }

    #[test]
    fn monthly_table() {
        insta::assert_snapshot!(render(Table {
            monthly: true,
            color: false
        }));
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(!render(Table::default()).contains('\x1b'));
        let coloured = render(Table {
            monthly: false,
            color: true,
        });
        assert!(coloured.contains("\x1b[1;32mWinner: convert to AI, by $251,500.50 of NPV\x1b[0m"));
    }

    #[test]
    fn fits_100_columns() {
        for monthly in [false, true] {
            let text = render(Table {
                monthly,
                color: false,
            });
            for line in text.lines() {
                assert!(line.chars().count() <= 100, "{line}");
            }
        }
    }

    #[test]
    fn number_formats() {
        use std::str::FromStr;
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(money(d("1234567.891"), 2), "$1,234,567.89");
        assert_eq!(money(d("-1000"), 2), "-$1,000.00");
        assert_eq!(money(d("999.995"), 2), "$1,000.00"); // half-even: 999.995 → 1000.00
        assert_eq!(money(d("-0.001"), 2), "$0.00");
        // IRR 0.1234565 rounds half-even to 0.123456 (6 is even), so 12.3456 %.
        assert_eq!(percent(d("0.1234565")), "12.3456 %");
        assert_eq!(percent(d("-0.5")), "-50.0000 %");
        assert_eq!(thousands(d("-368283.8855")), "-368");
        assert_eq!(group("1234567"), "1,234,567");
        assert_eq!(group("123"), "123");
    }
}
