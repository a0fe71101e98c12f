//! The default format: a table an operator reads at a glance, for the
//! person deciding rather than a program (that is what JSON and CSV are for).
//!
//! Per scenario, a header (name, horizon, month-0 hashprice, halvings), then
//! per site the two futures side by side and the verdict: who wins, by how
//! much NPV, and the BTC price at which the answer flips. Money carries
//! thousands separators and cents; null is "—". It fits a 100-column
//! terminal. Colour (bold headings, the winner in green) only when the
//! caller asks for it: the CLI does on a terminal without `NO_COLOR`.

use super::Renderer;
use super::number::{
    Colour, Percent, compact, fixed, group, money, paint, percent, places, thousands,
};
use crate::summary::{AiSummary, MineSummary, Outcome, SiteSummary, Summary, Winner};
use comfy_table::{
    CellAlignment, ContentArrangement, LineStyle, Table as Grid, TableStyle, presets,
};

/// `--format table`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableRenderer {
    /// Add a month-by-month section per site.
    pub monthly: bool,
    /// Use ANSI colour and bold.
    pub color: bool,
}

const NULL: &str = "—";

impl Renderer for TableRenderer {
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

impl TableRenderer {
    fn bold(&self, text: &str) -> String {
        paint(text, Colour::Bold, self.color)
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
            out.push_str(&paint(&verdict, Colour::BoldGreen, self.color));
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
                let npv = |o: Option<&Outcome>| o.map_or(NULL.into(), |o| compact(o.npv_usd, "$"));
                let c = site.comparison.as_ref();
                grid.add_row(vec![
                    s.scenario.clone(),
                    site.name.clone(),
                    c.map_or(NULL.into(), |c| c.winner.as_str().to_string()),
                    npv(site.mine.as_ref().map(|m| &m.outcome)),
                    npv(site.ai.as_ref().map(|a| &a.outcome)),
                    c.map_or(NULL.into(), |c| compact(c.npv_advantage_usd, "$")),
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
                group(&fixed(m.btc_mined, 4)),
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
        o.irr.map_or(NULL.into(), |irr| percent(irr, Percent::IRR)),
        o.payback_months
            .map_or(NULL.into(), |n| format!("{n} months")),
        group(&fixed(o.btc_mined, places::BTC)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;

    fn render(table: TableRenderer) -> String {
        String::from_utf8(table.render(&[sample::summary()], false)).unwrap()
    }

    /// Ties (see `render::sample`), half-even: money 2,500,000.125 →
    /// $2,500,000.12, NPV -1,500.005 → -$1,500.00, advantage 251,500.505 →
    /// $251,500.50; NPV -0.001 → $0.00, never -$0.00; IRR 0.1234565 →
    /// 0.123456 → 12.3456 %; hashprice 45.72005 → $45.7200 and breakeven
    /// rate -12.34565 → -$12.3456 per kW-month. BTC ties: `ties` below.
    #[test]
    fn summary_table() {
        insta::assert_snapshot!(render(TableRenderer::default()));
    }

    /// The summary table's ties (above); the month-by-month rows themselves
    /// hold none (45.72005 → 45.72 at 2 and 12.345678901 → 12.3457 at 4
    /// drop less than half): `ties` below has them.
    #[test]
    fn monthly_table() {
        insta::assert_snapshot!(render(TableRenderer {
            monthly: true,
            color: false
        }));
    }

    /// The ties `render::sample::ties` adds, worked by hand: BTC mined
    /// 0.123456785 → 0.12345678 (8 even); in month 2028-04, hashprice
    /// 22.865 → 22.86 (6 even), BTC 0.00025 → 0.0002 (2 even), opex 1,500
    /// → 2 thousand (1.5: 1 odd, up), capex 2,500 → 2 thousand (2.5: 2
    /// even); month 2028-03's 12.345678905 BTC is no tie at 4 → 12.3457.
    #[test]
    fn ties() {
        let table = TableRenderer {
            monthly: true,
            color: false,
        };
        let text = String::from_utf8(table.render(&[sample::ties()], false)).unwrap();
        let btc = text.lines().find(|l| l.contains("BTC mined")).unwrap();
        assert_eq!(
            btc.split(['│', '┆']).map(str::trim).collect::<Vec<_>>(),
            ["", "BTC mined", "0.12345678", "0.12345678", ""]
        );
        let cells = |month: &str| -> Vec<String> {
            let row = text.lines().find(|l| l.starts_with(month)).unwrap();
            row.split_whitespace().map(str::to_string).collect()
        };
        assert_eq!(
            cells("2028-03"),
            [
                "2028-03", "45.72", "12.3457", "1,250", "617", "1", "1,000", "-368", "-368"
            ]
        );
        assert_eq!(
            cells("2028-04"),
            [
                "2028-04", "22.86", "0.0002", "1,250", "617", "2", "2", "632", "263"
            ]
        );
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(!render(TableRenderer::default()).contains('\x1b'));
        let coloured = render(TableRenderer {
            monthly: false,
            color: true,
        });
        assert!(coloured.contains("\x1b[1;32mWinner: convert to AI, by $251,500.50 of NPV\x1b[0m"));
        assert!(coloured.contains("\x1b[1mSite: North\x1b[0m"));
    }

    #[test]
    fn fits_100_columns() {
        for monthly in [false, true] {
            let text = render(TableRenderer {
                monthly,
                color: false,
            });
            for line in text.lines() {
                assert!(line.chars().count() <= 100, "{line}");
            }
        }
    }
}
