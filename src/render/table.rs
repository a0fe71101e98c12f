//! The default format: a table an operator reads at a glance, for the
//! person deciding rather than a program (that is what JSON and CSV are for).
//!
//! Per scenario, a header (name, horizon, and the assumptions the verdict
//! rests on: discount rate, BTC price and network hashrate with their
//! growth, month-0 hashprice, halvings), then per site its grid and power
//! price, the two futures side by side and the verdict: who wins, by how
//! much NPV, and the BTC price at which the answer flips. Money carries
//! thousands separators and cents; null is "—", and a missing IRR says why.
//!
//! Every line keeps to [`WIDTH`] (80) columns, whatever the terminal, so the
//! output is the same on a screen, in a file and in a pipe: header lines
//! wrap, a month-by-month table too wide leaves out named columns and says
//! so, and the comparison of several scenarios puts each scenario's name on
//! a line of its own. (A figure wider than a whole line, an extreme input,
//! can still overflow.) Colour (bold headings, the winner in green) only
//! when the caller asks for it: the CLI does on a terminal without
//! `NO_COLOR`.

use super::number::{
    Colour, Percent, compact, fixed, group, money, paint, percent, places, stated, stated_money,
    stated_percent, thousands,
};
use super::{Portfolio, Renderer, overrides_list};
use crate::finance::NoIrr;
use crate::summary::{AiF2, AiSummary, MineSummary, Outcome, SiteSummary, Summary, Winner};
use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle, presets};
use rust_decimal::Decimal;

/// The width, in characters, every line keeps to: an 80-column terminal.
pub const WIDTH: usize = 80;

/// `--format table`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableRenderer {
    /// Add a month-by-month section per site.
    pub monthly: bool,
    /// Use ANSI colour and bold.
    pub color: bool,
    /// Draw each site's cumulative cash under its table (`run --chart`,
    /// [`super::chart`]).
    pub chart: bool,
    /// Draw that chart in ASCII characters only (`--ascii`).
    pub ascii: bool,
}

/// The table's null.
pub(crate) const NULL: &str = "—";

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
    /// `lines`, each in bold when colour is on.
    fn bold_lines(&self, out: &mut String, lines: Vec<String>) {
        paint_lines(out, lines, Colour::Bold, self.color);
    }

    fn scenario(&self, out: &mut String, s: &Summary) {
        let inputs = &s.inputs;
        let btc = &inputs.bitcoin;
        self.bold_lines(out, wrap("", &[s.scenario.as_str()]));
        let last = s.month(s.months.saturating_sub(1) as usize);
        let mut lines = vec![
            wrap(
                "",
                &[
                    format!("{} months, {} to {}", s.months, s.start, last),
                    format!(
                        "discount rate {} a year",
                        stated_percent(inputs.discount_rate)
                    ),
                ]
                .into_iter()
                .chain(inputs.format2.as_ref().map(|f| {
                    // Format 2 escalates opex; stated even when flat.
                    format!("opex {}", growth(f.inflation_annual))
                }))
                .collect::<Vec<_>>(),
            ),
            wrap(
                "",
                &[format!(
                    "BTC price {} in {}, {}",
                    stated_money(btc.price_usd),
                    s.start,
                    growth(btc.price_growth_annual)
                )],
            ),
            wrap(
                "",
                &[format!(
                    "Network hashrate {} EH/s in {}, {}",
                    stated(btc.network_hashrate_ehs),
                    s.start,
                    growth(btc.hashrate_growth_annual)
                )],
            ),
            wrap(
                "",
                &[format!(
                    "Hashprice in {}: {}/PH/s/day",
                    s.start,
                    money(s.hashprice_usd_per_ph_day(), places::RATE),
                )],
            ),
        ];
        if s.halvings.is_empty() {
            lines.push(wrap("Halvings: ", &["none within the horizon"]));
        } else {
            let list: Vec<String> = s
                .halvings
                .iter()
                .map(|h| format!("block {} in {}", group(&h.height.to_string()), h.month))
                .collect();
            lines.push(wrap("Halvings: ", &list));
        }
        if !s.overrides.is_empty() {
            let list = overrides_list(s);
            lines.push(wrap("Overrides: ", &list));
        }
        push_lines(out, lines.into_iter().flatten());
        for site in &s.sites {
            out.push('\n');
            self.site(out, s, site);
        }
        if let Some((parts, which)) = portfolio(s) {
            out.push('\n');
            push_lines(out, wrap("Portfolio NPV: ", &parts));
            push_lines(out, wrap("Sites to convert: ", &[which]));
        }
    }

    fn site(&self, out: &mut String, s: &Summary, site: &SiteSummary) {
        self.bold_lines(out, wrap("Site: ", &[site.name.as_str()]));
        if let Some(input) = s.inputs.sites.iter().find(|i| i.name == site.name) {
            let power = power_text(input, "power in ", "power ");
            push_lines(
                out,
                wrap("", &[format!("Grid {} MW", stated(input.grid_mw)), power]),
            );
            // Format 2: what decides the verdict besides the figures.
            if s.inputs.format() == 2 {
                push_lines(out, wrap("", &format2_assumptions(input)));
            }
        }
        // A missing IRR says why on one line; when that makes the table too
        // wide (both futures without one), on two.
        let mut table = site_table(site, false);
        if widest(&table) > WIDTH {
            table = site_table(site, true);
        }
        out.push_str(&table);
        out.push('\n');
        if let Some(verdict) = winner_line(site) {
            for line in wrap("", &[verdict]) {
                out.push_str(&paint(&line, Colour::BoldGreen, self.color));
                out.push('\n');
            }
            for caveat in caveats(s, site) {
                push_lines(out, wrap("", &[caveat]));
            }
            if let Some(flips) = flip_line(s, site) {
                push_lines(out, wrap("", &[flips]));
            }
            if let Some(parts) = conversion_parts(site) {
                push_lines(out, wrap("", &parts));
            }
        }
        if self.chart {
            let style = super::chart::Style {
                ascii: self.ascii,
                color: self.color,
            };
            let lines = super::chart::cumulative_cash(s, site, style);
            if !lines.is_empty() {
                out.push('\n');
                push_lines(out, lines);
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

    /// One row per scenario and site: the verdict at a glance. Each
    /// scenario's name is a line of its own above its sites, so the
    /// figures keep to [`WIDTH`] however long the names are.
    fn comparison(&self, out: &mut String, summaries: &[Summary]) {
        out.push('\n');
        self.bold_lines(out, vec!["Comparison".into()]);
        const HEADER: [&str; 6] = [
            "Site",
            "Winner",
            "Mine NPV",
            "AI NPV",
            "Advantage",
            "Crossover BTC",
        ];
        const INDENT: &str = "  ";
        // Figures of each site; the site's name is cell 0.
        let mut groups: Vec<(&str, Vec<[String; 6]>)> = Vec::new();
        for s in summaries {
            let rows = s
                .sites
                .iter()
                .map(|site| {
                    let npv =
                        |o: Option<&Outcome>| o.map_or(NULL.into(), |o| compact(o.npv_usd, "$"));
                    let c = site.comparison.as_ref();
                    [
                        site.name.clone(),
                        c.map_or(NULL.into(), |c| c.winner.as_str().to_string()),
                        npv(site.mine.as_ref().map(|m| &m.outcome)),
                        npv(site.ai.as_ref().map(|a| &a.outcome)),
                        c.map_or(NULL.into(), |c| compact(c.npv_advantage_usd, "$")),
                        c.and_then(|c| c.crossover_btc_price_usd)
                            .map_or(NULL.into(), |p| money(p, 0)),
                    ]
                })
                .collect();
            groups.push((&s.scenario, rows));
        }
        let rows = || groups.iter().flat_map(|(_, rows)| rows);
        let mut widths = HEADER.map(chars);
        for row in rows() {
            for (c, cell) in row.iter().enumerate().skip(1) {
                widths[c] = widths[c].max(chars(cell));
            }
        }
        // The site column takes what the figures leave, up to its longest
        // name; a longer name wraps inside it.
        let figures: usize = widths[1..].iter().map(|w| w + GAP.len()).sum();
        let longest = rows()
            .map(|r| INDENT.len() + chars(&r[0]))
            .max()
            .unwrap_or(0);
        widths[0] = longest
            .min(WIDTH.saturating_sub(figures))
            .max(widths[0])
            .max(INDENT.len() + 8);
        let total = widths[0] + figures;
        let line = |cells: &[String]| -> String {
            let mut text = String::new();
            for (c, cell) in cells.iter().enumerate() {
                if c > 0 {
                    text.push_str(GAP);
                }
                let pad = " ".repeat(widths[c].saturating_sub(chars(cell)));
                if c < 2 {
                    text.push_str(cell);
                    text.push_str(&pad);
                } else {
                    text.push_str(&pad);
                    text.push_str(cell);
                }
            }
            text.trim_end().to_string()
        };
        let rule = "─".repeat(total);
        let mut lines = vec![rule.clone(), line(&HEADER.map(String::from)), rule.clone()];
        for (scenario, rows) in &groups {
            lines.extend(wrap("", &[scenario]));
            for row in rows {
                let name = wrap_to(
                    widths[0],
                    INDENT,
                    &format!("{INDENT}  "),
                    &[row[0].as_str()],
                );
                let mut first = row.clone();
                first[0] = name[0].clone();
                lines.push(line(&first));
                lines.extend(name[1..].iter().cloned());
            }
        }
        lines.push(rule);
        push_lines(out, lines);
    }

    fn monthly_table(&self, out: &mut String, s: &Summary, title: &str, o: &Outcome) {
        out.push('\n');
        self.bold_lines(
            out,
            wrap(
                "",
                &[format!("Month by month: {title} (money in USD thousands)")],
            ),
        );
        let mut columns: Vec<(&str, Vec<String>)> = MONTHLY_COLUMNS
            .iter()
            .map(|&name| (name, Vec::with_capacity(o.monthly.len())))
            .collect();
        for (i, m) in o.monthly.iter().enumerate() {
            let hashprice = s
                .hashprice_usd_per_ph_day
                .get(i)
                .copied()
                .unwrap_or_default();
            let cells = [
                s.month(i).to_string(),
                fixed(hashprice, 2),
                group(&fixed(m.btc_mined, 4)),
                thousands(m.revenue_usd),
                thousands(m.power_cost_usd),
                thousands(m.opex_usd),
                thousands(m.capex_usd),
                thousands(m.cash_flow_usd),
                thousands(m.cumulative_cash_usd),
            ];
            for ((_, column), cell) in columns.iter_mut().zip(cells) {
                column.push(cell);
            }
        }
        // Too wide: leave out the columns least needed to follow the cash,
        // in this order, until the rest fit.
        let mut left_out = Vec::new();
        let mut table = monthly_table(&columns);
        for drop in MONTHLY_LEFT_OUT_FIRST {
            if widest(&table) <= WIDTH {
                break;
            }
            columns.retain(|(name, _)| *name != drop);
            left_out.push(drop);
            table = monthly_table(&columns);
        }
        if !left_out.is_empty() {
            let note = format!(
                "Left out to fit {WIDTH} columns: {} (--format csv has all {})",
                left_out.join(", "),
                MONTHLY_COLUMNS.len(),
            );
            push_lines(out, wrap("", &[note]));
        }
        out.push_str(&table);
        out.push('\n');
        // Format 2: the cash that is neither revenue nor cost (the CSV and
        // JSON rows have it as columns), so that each row adds up.
        let mut extra = Vec::new();
        for (i, m) in o.monthly.iter().enumerate() {
            if let Some(f) = &m.f2 {
                if !f.fleet_sale_usd.is_zero() {
                    extra.push(format!(
                        "the fleet sale of {} in {}",
                        compact(f.fleet_sale_usd, "$"),
                        s.month(i)
                    ));
                }
                if !f.terminal_value_usd.is_zero() {
                    extra.push(format!(
                        "the terminal value of {} in {}",
                        compact(f.terminal_value_usd, "$"),
                        s.month(i)
                    ));
                }
            }
        }
        if !extra.is_empty() {
            let note = format!(
                "Cash flow also counts {} (cash, not revenue)",
                extra.join(" and ")
            );
            push_lines(out, wrap("", &[note]));
        }
    }
}

/// Format 2 with several sites: the scenario's sites together
/// (docs/model.md, "Summary JSON in format 2", `portfolio`): the
/// portfolio NPV's parts and the sites to convert (`none`). Shared with
/// the HTML report's cover.
pub(crate) fn portfolio(s: &Summary) -> Option<(Vec<String>, String)> {
    if s.inputs.format2.is_none() || s.sites.len() < 2 {
        return None;
    }
    let p = Portfolio::of(s);
    // Each total says how many sites it sums when a strategy is missing
    // from some site (that site is left out of the strategy's total).
    let all = s.sites.len();
    let count = |has: &dyn Fn(&SiteSummary) -> bool| s.sites.iter().filter(|x| has(x)).count();
    let sites = |n: usize| match n {
        _ if n == all => String::new(),
        1 => " (1 site)".to_string(),
        _ => format!(" ({n} sites)"),
    };
    let mut parts = Vec::new();
    if let Some(v) = p.mine_npv_usd {
        let n = count(&|x| x.mine.is_some());
        parts.push(format!(
            "keep mining everywhere{}: {}",
            sites(n),
            money(v, places::USD)
        ));
    }
    if let Some(v) = p.ai_npv_usd {
        let n = count(&|x| x.ai.is_some());
        parts.push(format!(
            "convert everywhere{}: {}",
            sites(n),
            money(v, places::USD)
        ));
    }
    if let Some(v) = p.best_npv_usd {
        let n = count(&|x| x.mine.is_some() || x.ai.is_some());
        parts.push(format!(
            "each site's better future{}: {}",
            sites(n),
            money(v, places::USD)
        ));
    }
    // Names may hold commas: a semicolon keeps the list unambiguous.
    let which = if p.convert.is_empty() {
        "none".to_string()
    } else {
        p.convert.join("; ")
    };
    Some((parts, which))
}

/// "Winner: keep mining, by $… of NPV": the verdict line under a site's
/// table (none for a site with one strategy). Shared with the HTML report,
/// which must say exactly what `run` says.
pub(crate) fn winner_line(site: &SiteSummary) -> Option<String> {
    let c = site.comparison.as_ref()?;
    Some(match c.winner {
        Winner::Mine => format!(
            "Winner: keep mining, by {} of NPV",
            money(c.npv_advantage_usd, places::USD)
        ),
        Winner::Ai => format!(
            "Winner: convert to AI, by {} of NPV",
            money(c.npv_advantage_usd, places::USD)
        ),
        Winner::Tie => "Tie: both futures have the same NPV".to_string(),
    })
}

/// The caveats under the verdict, in the order the table prints them:
/// both NPVs negative, a verdict resting on the exit values, an NPV or a
/// payback only the terminal value brings, an AI future that never goes
/// live. Plain sentences: each caller wraps, colours or escapes them.
pub(crate) fn caveats(s: &Summary, site: &SiteSummary) -> Vec<String> {
    let mut lines = Vec::new();
    let Some(c) = &site.comparison else {
        return lines;
    };
    // A winner that loses money is only the lesser loss: say so, or a
    // reader takes "Winner" for "worth doing".
    if let (Some(m), Some(a)) = (&site.mine, &site.ai)
        && m.outcome.npv_usd.is_sign_negative()
        && a.outcome.npv_usd.is_sign_negative()
        && !m.outcome.npv_usd.is_zero()
        && !a.outcome.npv_usd.is_zero()
    {
        lines.push(format!(
            "Both NPVs are negative: neither future earns the {} cost of capital; the winner only loses less",
            stated_percent(s.inputs.discount_rate)
        ));
    }
    // A verdict that rests on the assumed sale at the horizon says so:
    // without the terminal values the other future would win.
    if let (Some(m), Some(a)) = (&site.mine, &site.ai)
        && let (Some(tm), Some(ta)) = (
            terminal_present_value(&m.outcome),
            terminal_present_value(&a.outcome),
        )
        && !(tm.is_zero() && ta.is_zero())
        && let (Some(mine_ex), Some(ai_ex)) = (
            m.outcome.npv_usd.checked_sub(tm),
            a.outcome.npv_usd.checked_sub(ta),
        )
    {
        let flipped = match c.winner {
            Winner::Ai => mine_ex > ai_ex,
            Winner::Mine => ai_ex > mine_ex,
            Winner::Tie => false,
        };
        if flipped {
            let (who, by) = if mine_ex > ai_ex {
                ("keep mining", mine_ex - ai_ex)
            } else {
                ("convert to AI", ai_ex - mine_ex)
            };
            lines.push(format!(
                "The verdict rests on the exit values: without them, {who} wins by {}",
                money(by, places::USD)
            ));
        }
    }
    let both = [
        ("Keep mining", site.mine.as_ref().map(|m| &m.outcome)),
        ("Convert to AI", site.ai.as_ref().map(|a| &a.outcome)),
    ];
    // A positive NPV that only the assumed sale at the horizon makes
    // positive (its IRR above the hurdle likewise).
    for (who, o) in both {
        if let Some(o) = o
            && let Some(tv) = terminal_present_value(o)
            && let Some(bare) = o.npv_usd.checked_sub(tv)
            && o.npv_usd > Decimal::ZERO
            && bare < Decimal::ZERO
        {
            lines.push(format!(
                "{who}'s NPV rests on its terminal value: without it, NPV {}",
                money(bare, places::USD)
            ));
        }
    }
    // A payback that only the assumed sale at the horizon brings is no
    // payback a lender would count: say so.
    for (who, o) in both {
        if let Some(short) = o.and_then(short_without_exit_value) {
            lines.push(format!(
                "{who} pays back only through its terminal value: without it, net cash is {}",
                money(short, places::USD)
            ));
        }
    }
    // An AI future that never goes live within the horizon is the fleet
    // mining on (format 2: a later start) without the mining capex: a win
    // for that reason alone is no case for AI.
    if let (Winner::Ai, Some(a)) = (c.winner, &site.ai)
        && a.go_live.is_none()
    {
        lines.push("AI hosting never goes live within the horizon: the AI future wins only by mining without the fleet's capex".to_string());
    }
    lines
}

/// The line on the month-0 BTC price that flips the answer (none for a
/// site with one strategy).
pub(crate) fn flip_line(s: &Summary, site: &SiteSummary) -> Option<String> {
    let c = site.comparison.as_ref()?;
    Some(match c.crossover_btc_price_usd {
        // Which way: the other future wins on the far side of the flip
        // from the scenario's price.
        Some(p) => {
            let other = match c.winner {
                Winner::Ai => Some("keep mining"),
                Winner::Mine => Some("convert to AI"),
                Winner::Tie => None,
            };
            let side = if p > s.inputs.bitcoin.price_usd {
                "above"
            } else {
                "below"
            };
            match other {
                Some(other) => format!(
                    "The answer flips at a month-0 BTC price of {}: {side} it, {other} wins",
                    money(p, places::USD)
                ),
                None => format!(
                    "The answer flips at a month-0 BTC price of {}",
                    money(p, places::USD)
                ),
            }
        }
        None => "No month-0 BTC price flips the answer".to_string(),
    })
}

/// Format 2: converting as an investment of its own, on the
/// month-by-month difference of the cash flows, as parts the table joins
/// with " · " (and wraps between them).
pub(crate) fn conversion_parts(site: &SiteSummary) -> Option<Vec<String>> {
    let conv = site.comparison.as_ref()?.conversion.as_ref()?;
    let mut parts = vec![format!(
        "Converting instead of mining: NPV {}",
        signed_money(conv.npv_usd)
    )];
    // Its IRR, or why there is none (often: converting skips the fleet
    // refresh, so it earns first).
    parts.push(match conv.irr {
        Some(irr) => format!("IRR {}", percent(irr, Percent::IRR)),
        None => {
            let flows: Option<Vec<Decimal>> = match (&site.mine, &site.ai) {
                (Some(m), Some(a)) => m
                    .outcome
                    .monthly
                    .iter()
                    .zip(&a.outcome.monthly)
                    .map(|(m, a)| a.cash_flow_usd.checked_sub(m.cash_flow_usd))
                    .collect(),
                _ => None,
            };
            match flows {
                Some(f) => format!("IRR {NULL} {}", NoIrr::of(&f).reason()),
                None => format!("IRR {NULL}"),
            }
        }
    });
    parts.push(format!(
        "MIRR {}",
        conv.mirr
            .map_or(NULL.to_string(), |m| percent(m, Percent::IRR))
    ));
    parts.push(match conv.payback_months {
        Some(n) => {
            // Only through the exit values: ΔCF's net cash without the
            // two terminal values is below 0.
            let exit = |o: Option<&Outcome>| {
                o.and_then(|o| o.f2.as_ref())
                    .map_or(Decimal::ZERO, |f| f.terminal_value_usd)
            };
            let net = |o: Option<&Outcome>| o.map_or(Decimal::ZERO, |o| o.net_cash_usd);
            let (m, a) = (
                site.mine.as_ref().map(|m| &m.outcome),
                site.ai.as_ref().map(|a| &a.outcome),
            );
            let bare = (net(a) - exit(a)) - (net(m) - exit(m));
            if !(exit(a) - exit(m)).is_zero() && bare < Decimal::ZERO {
                format!("pays back in {n} months, only through the exit values")
            } else {
                format!("pays back in {n} months")
            }
        }
        None => "never pays back".to_string(),
    });
    if let (Some(r), Some(a)) = (conv.breakeven_rate, &site.ai) {
        parts.push(format!(
            "worth it above {} per {}",
            money(r, places::RATE),
            a.offer.rate_unit()
        ));
    }
    Some(parts)
}

/// Between the comparison's columns.
const GAP: &str = "  ";

/// The month-by-month columns, in order.
const MONTHLY_COLUMNS: [&str; 9] = [
    "Month",
    "$/PH/day",
    "BTC",
    "Revenue",
    "Power",
    "Opex",
    "Capex",
    "Cash flow",
    "Cumulative",
];

/// The month-by-month columns a table too wide for [`WIDTH`] leaves out, in
/// this order: the network's hashprice (the same in every table of a
/// scenario, and no part of the cash), then the BTC mined, then the opex
/// (the same every month). Revenue, power, capex, cash flow and cumulative
/// cash, the curve payback is read from, always stay.
const MONTHLY_LEFT_OUT_FIRST: [&str; 3] = ["$/PH/day", "BTC", "Opex"];

/// The month-by-month table of `columns` (name, cells), as text.
fn monthly_table(columns: &[(&str, Vec<String>)]) -> String {
    let mut table = Table::new();
    table
        .load_style(MONTHLY_STYLE)
        .set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(columns.iter().map(|(name, _)| *name));
    let months = columns.first().map_or(0, |(_, cells)| cells.len());
    for i in 0..months {
        table.add_row(columns.iter().map(|(_, cells)| cells[i].as_str()));
    }
    for (c, column) in table.column_iter_mut().enumerate() {
        column.set_padding((if c == 0 { 0 } else { 1 }, 0));
        if c > 0 {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

/// A rule above, under the header and below; no lines between months.
const MONTHLY_STYLE: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('─').junction('─'))
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .bottom_border(LineStyle::none().fill('─').junction('─'));

/// Display width: characters, not bytes (every character printed here is
/// one column wide).
pub(super) fn chars(text: &str) -> usize {
    text.chars().count()
}

/// The widest line of `text`.
fn widest(text: &str) -> usize {
    text.lines().map(chars).max().unwrap_or(0)
}

/// `lines`, each painted `colour` when `color` is on.
pub(super) fn paint_lines(out: &mut String, lines: Vec<String>, colour: Colour, color: bool) {
    for line in lines {
        out.push_str(&paint(&line, colour, color));
        out.push('\n');
    }
}

pub(super) fn push_lines(out: &mut String, lines: impl IntoIterator<Item = String>) {
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
}

/// `lead`, then `items` joined by " · ", in lines of at most [`WIDTH`]
/// characters; continuation lines are indented by `lead`'s width.
pub(super) fn wrap(lead: &str, items: &[impl AsRef<str>]) -> Vec<String> {
    wrap_to(WIDTH, lead, &" ".repeat(chars(lead)), items)
}

/// `first` then `items` joined by " · ", in lines of at most `width`
/// characters, each after the first starting with `indent`. An item that
/// would cross the edge starts a new line; one too long for any line is
/// broken between words, and a word too long for a line between
/// characters.
fn wrap_to(width: usize, first: &str, indent: &str, items: &[impl AsRef<str>]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    // Whether `line` holds anything after its lead or indent.
    let mut started = false;
    for item in items {
        let item = item.as_ref();
        let sep = if started { " · " } else { "" };
        if chars(&line) + chars(sep) + chars(item) <= width {
            line.push_str(sep);
            line.push_str(item);
            started = true;
            continue;
        }
        if started && chars(indent) + chars(item) <= width {
            lines.push(std::mem::replace(&mut line, indent.to_string()));
            line.push_str(item);
            continue;
        }
        // Too long for a line of its own: word by word.
        for (k, word) in item.split(' ').enumerate() {
            let sep = match (started, k) {
                (false, _) => "",
                (true, 0) => " · ",
                (true, _) => " ",
            };
            if chars(&line) + chars(sep) + chars(word) <= width {
                line.push_str(sep);
                line.push_str(word);
                started = true;
                continue;
            }
            if started {
                lines.push(std::mem::replace(&mut line, indent.to_string()));
            }
            // A word longer than the rest of the line: between characters.
            for c in word.chars() {
                if chars(&line) + 1 > width && chars(&line) > chars(indent) {
                    lines.push(std::mem::replace(&mut line, indent.to_string()));
                }
                line.push(c);
            }
            started = true;
        }
    }
    lines.push(line);
    lines
}

/// A format-2 site's policies, as the header states them: when mining
/// switches off, its demand-response credit, and each future's exit
/// multiple (a terminal value can decide the verdict, so it is stated even
/// when 0).
fn format2_assumptions(input: &crate::scenario::Site) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(m) = &input.mining {
        parts.push(match m.f2.shutdown {
            crate::scenario::Shutdown::Economic => "mining switches off at a loss".to_string(),
            crate::scenario::Shutdown::Never => "mining never switches off".to_string(),
        });
        if !m.f2.demand_response_usd_per_mw_month.is_zero() {
            parts.push(format!(
                "demand response {}/MW-month",
                stated_money(m.f2.demand_response_usd_per_mw_month)
            ));
        }
    }
    let mut exits = Vec::new();
    if let Some(m) = &input.mining {
        exits.push(format!("mining {}×", stated(m.f2.exit_multiple)));
    }
    if let Some(a) = &input.ai {
        exits.push(format!("AI {}×", stated(a.f2.exit_multiple)));
    }
    if !exits.is_empty() {
        parts.push(format!("exit {}", exits.join(", ")));
    }
    parts
}

/// The power a site buys, as `run`'s table and the report's assumptions
/// state it: a curve's block count and blended price after
/// `curve_lead`, else the flat price after `flat_lead`, then the
/// escalator when it is not zero.
pub(crate) fn power_text(
    site: &crate::scenario::Site,
    curve_lead: &str,
    flat_lead: &str,
) -> String {
    let mut text = match &site.power2 {
        Some(p) if p.curve => {
            let blended = p.blocks.iter().fold(Decimal::ZERO, |acc, b| {
                acc.saturating_add(b.share.saturating_mul(b.price_usd_per_mwh))
            });
            format!(
                "{curve_lead}{} price blocks, blended {}/MWh",
                p.blocks.len(),
                stated_money(blended)
            )
        }
        _ => format!(
            "{flat_lead}{}/MWh",
            stated_money(site.power_price_usd_per_mwh)
        ),
    };
    if let Some(p) = site
        .power2
        .as_ref()
        .filter(|p| !p.escalator_annual.is_zero())
    {
        text = format!("{text}, {}", growth(p.escalator_annual));
    }
    text
}

/// A yearly growth rate as words: `rising 8 % a year`, `falling 5 % a
/// year`, `flat`.
pub(crate) fn growth(annual: Decimal) -> String {
    if annual.is_zero() {
        "flat".into()
    } else if annual.is_sign_negative() {
        format!("falling {} a year", stated_percent(-annual))
    } else {
        format!("rising {} a year", stated_percent(annual))
    }
}

/// A site's two futures side by side, as text: a missing IRR's reason on
/// two lines when `split`. Figures wider than [`WIDTH`] even so wrap
/// inside their cells.
fn site_table(site: &SiteSummary, split: bool) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(if split {
            ContentArrangement::Dynamic
        } else {
            ContentArrangement::Disabled
        })
        .set_width(WIDTH as u16);
    let columns = site_columns(site, split);
    let format2 = has_format2(site);
    let mut header = vec![String::new()];
    header.extend(columns.iter().map(|(h, _)| h.to_string()));
    table.set_header(header);
    for (r, label) in labels(format2).iter().enumerate() {
        let mut row = vec![label.to_string()];
        row.extend(columns.iter().map(|(_, c)| c[r].clone()));
        table.add_row(row);
    }
    for c in 1..=columns.len() {
        if let Some(column) = table.column_mut(c) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

/// Whether the site's figures have format 2's rows.
fn has_format2(site: &SiteSummary) -> bool {
    site.mine
        .as_ref()
        .map(|m| &m.outcome)
        .or(site.ai.as_ref().map(|a| &a.outcome))
        .is_some_and(|o| o.f2.is_some())
}

/// The row labels of a site's table: [`LABELS`], then in format 2
/// [`LABELS_F2`].
pub(crate) fn labels(format2: bool) -> Vec<&'static str> {
    LABELS
        .iter()
        .chain(format2.then_some(LABELS_F2.iter()).into_iter().flatten())
        .copied()
        .collect()
}

/// A site's futures as columns (heading, cells in [`labels`]' order):
/// `keep mining` then `convert to AI`, each when the site has it; a
/// missing IRR's reason on two lines when `split`. The HTML report shows
/// the same cells.
pub(crate) fn site_columns(site: &SiteSummary, split: bool) -> Vec<(&'static str, Vec<String>)> {
    let format2 = has_format2(site);
    let mut columns = Vec::new();
    if let Some(m) = &site.mine {
        let mut cells = mine_column(m, split);
        if format2 {
            cells.extend(f2_cells(&m.outcome, None));
        }
        columns.push(("keep mining", cells));
    }
    if let Some(a) = &site.ai {
        let mut cells = ai_column(a, split);
        if format2 {
            cells.extend(f2_cells(&a.outcome, a.f2.as_ref()));
        }
        columns.push(("convert to AI", cells));
    }
    columns
}

/// The rows of both futures.
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
    "Month-0 breakeven",
    "Cost per BTC",
    "All-in cost per BTC",
    "Go-live",
];

/// A USD amount with its sign: `+$1,234.00`, `-$1,234.00`.
fn signed_money(v: Decimal) -> String {
    let shown = money(v, places::USD);
    if v > Decimal::ZERO && !shown.starts_with('-') {
        format!("+{shown}")
    } else {
        shown
    }
}

/// The rows format 2 adds (docs/model.md, "Summary JSON in format 2"),
/// and the terminal value in today's money: the part of the NPV that is
/// an assumed sale at the horizon, which a reader must see beside the NPV.
const LABELS_F2: [&str; 8] = [
    "MIRR (a year)",
    "Conversion starts",
    "Fleet sale",
    "Hashrate kept",
    "Run share",
    "Demand response",
    "Terminal value",
    "Terminal value (PV)",
];

/// Net cash without the terminal value, when it is below 0 although the
/// strategy pays back (so only the terminal value pays it back).
fn short_without_exit_value(o: &Outcome) -> Option<Decimal> {
    let tv = o.f2.as_ref()?.terminal_value_usd;
    o.payback_months?;
    let bare = o.net_cash_usd.checked_sub(tv)?;
    (tv > Decimal::ZERO && bare < Decimal::ZERO).then_some(bare)
}

/// The terminal value discounted as the last month's cash flow is: its
/// share of the NPV.
fn terminal_present_value(o: &Outcome) -> Option<Decimal> {
    let f = o.f2.as_ref()?;
    let factor = o.monthly.last()?.f2.as_ref()?.discount_factor;
    f.terminal_value_usd.checked_mul(factor)
}

/// A strategy's format-2 cells, in [`LABELS_F2`]'s order; `plan` is
/// strategy `ai`'s start, fleet sale and kept machines (blank under
/// `mine`).
fn f2_cells(o: &Outcome, plan: Option<&AiF2>) -> Vec<String> {
    let Some(f) = &o.f2 else {
        return vec![String::new(); LABELS_F2.len()];
    };
    let (start, sale, kept) = match plan {
        Some(p) => (
            p.start.to_string(),
            money(p.fleet_sale_usd, places::USD),
            p.kept_hashrate_ths.map_or("none".into(), |t| {
                let t = t
                    .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointNearestEven)
                    .normalize();
                format!("{} TH/s", group(&t.to_string()))
            }),
        ),
        None => Default::default(),
    };
    vec![
        f.mirr.map_or(NULL.into(), |m| percent(m, Percent::IRR)),
        start,
        sale,
        kept,
        f.run_share.map_or(NULL.into(), |r| {
            let r =
                r.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointNearestEven);
            format!("{} %", fixed(r * Decimal::ONE_HUNDRED, 2))
        }),
        money(f.demand_response_usd, places::USD),
        money(f.terminal_value_usd, places::USD),
        terminal_present_value(o).map_or(NULL.into(), |pv| money(pv, places::USD)),
    ]
}

/// The IRR as a percentage, or why there is none: "— no investment to earn
/// on" (docs/model.md, "Finance"); with `split`, on two lines.
fn irr_cell(o: &Outcome, split: bool) -> String {
    match o.irr {
        Some(irr) => percent(irr, Percent::IRR),
        None => {
            let flows: Vec<Decimal> = o.monthly.iter().map(|m| m.cash_flow_usd).collect();
            let text = format!("{NULL} {}", NoIrr::of(&flows).reason());
            if split { halve(&text) } else { text }
        }
    }
}

/// `text` on two lines, broken at the space nearest its middle that does
/// not part a number from its `%`: "— no investment" over "to earn on".
fn halve(text: &str) -> String {
    let middle = chars(text) / 2;
    let chars: Vec<char> = text.chars().collect();
    let best = (1..chars.len().saturating_sub(1))
        .filter(|&i| chars[i] == ' ' && chars[i + 1] != '%')
        .min_by_key(|&i| i.abs_diff(middle));
    match best {
        Some(i) => {
            let (head, tail) = (&chars[..i], &chars[i + 1..]);
            format!(
                "{}\n{}",
                head.iter().collect::<String>(),
                tail.iter().collect::<String>()
            )
        }
        None => text.to_string(),
    }
}

fn outcome_cells(o: &Outcome, split: bool) -> Vec<String> {
    vec![
        money(o.revenue_usd, places::USD),
        money(o.power_cost_usd, places::USD),
        money(o.opex_usd, places::USD),
        money(o.capex_usd, places::USD),
        money(o.net_cash_usd, places::USD),
        money(o.npv_usd, places::USD),
        irr_cell(o, split),
        o.payback_months
            .map_or(NULL.into(), |n| format!("{n} months")),
        group(&fixed(o.btc_mined, places::BTC)),
    ]
}

fn mine_column(m: &MineSummary, split: bool) -> Vec<String> {
    let mut cells = outcome_cells(&m.outcome, split);
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

fn ai_column(a: &AiSummary, split: bool) -> Vec<String> {
    let mut cells = outcome_cells(&a.outcome, split);
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
            color: false,
            chart: false,
            ascii: false,
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
            chart: false,
            ascii: false,
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
            chart: false,
            ascii: false,
        });
        assert!(coloured.contains("\x1b[1;32mWinner: convert to AI, by $251,500.50 of NPV\x1b[0m"));
        assert!(coloured.contains("\x1b[1mSite: North\x1b[0m"));
    }

    /// The assumptions the verdict rests on, in the header: the discount
    /// rate (the sample's is the default, 10 %), the BTC price and the
    /// network with their growth, and each site's grid and power price.
    #[test]
    fn states_the_assumptions() {
        let text = render(TableRenderer::default());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..7],
            [
                "Hand-built",
                "2 months, 2028-03 to 2028-04 · discount rate 10 % a year",
                "BTC price $100,000 in 2028-03, flat",
                "Network hashrate 1,000 EH/s in 2028-03, rising 22.5 % a year",
                "Hashprice in 2028-03: $45.7200/PH/s/day",
                "Halvings: block 1,050,000 in 2028-04",
                "",
            ]
        );
        assert!(text.contains("\nSite: North\nGrid 30 MW · power $38.50/MWh\n┌"));
        assert!(text.contains("\nSite: South, \"Unit 2\"\nGrid 12.5 MW · power $45/MWh\n┌"));

        let mut s = sample::summary();
        s.inputs.discount_rate = Decimal::new(85, 3);
        s.inputs.bitcoin.price_usd = Decimal::new(9_500_050, 2);
        s.inputs.bitcoin.price_growth_annual = Decimal::new(-5, 2);
        s.inputs.bitcoin.hashrate_growth_annual = Decimal::ZERO;
        let text = String::from_utf8(TableRenderer::default().render(&[s], false)).unwrap();
        let lines: Vec<&str> = text.lines().skip(1).take(3).collect();
        assert_eq!(
            lines,
            [
                "2 months, 2028-03 to 2028-04 · discount rate 8.5 % a year",
                "BTC price $95,000.50 in 2028-03, falling 5 % a year",
                "Network hashrate 1,000 EH/s in 2028-03, flat",
            ]
        );
    }

    /// The IRR cell of each strategy, by site.
    fn irr_cells(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .filter(|l| l.starts_with("│ IRR (a year)"))
            .map(|l| {
                l.split(['│', '┆'])
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .skip(1)
                    .map(str::to_string)
                    .collect()
            })
            .collect()
    }

    /// A missing IRR says why (docs/model.md, "Finance"), from the monthly
    /// cash flows: earning first is no investment, only spending never
    /// pays back, nothing at all is no cash flows, and flows that change
    /// sign with no root found are outside the search range.
    #[test]
    fn a_missing_irr_says_why() {
        let flows = |o: &mut Outcome, flows: [&str; 2]| {
            o.irr = None;
            for (m, f) in o.monthly.iter_mut().zip(flows) {
                m.cash_flow_usd = f.parse().unwrap();
            }
        };
        let mut s = sample::summary();
        let north = &mut s.sites[0];
        flows(&mut north.mine.as_mut().unwrap().outcome, ["5", "-10"]);
        flows(&mut north.ai.as_mut().unwrap().outcome, ["-1", "-2"]);
        flows(&mut s.sites[1].ai.as_mut().unwrap().outcome, ["0", "0"]);
        let text = String::from_utf8(TableRenderer::default().render(&[s], false)).unwrap();
        assert_eq!(
            irr_cells(&text),
            [
                vec!["— earns before it invests", "— never paid back"],
                vec!["— no cash flows"],
            ]
        );
        // The sample's own: North's AI has none (by hand) though its flows
        // change sign (−368,283.89 then +631,716.12, NPV positive at both
        // ends of the search), so the return is above the range.
        assert_eq!(
            irr_cells(&render(TableRenderer::default()))[0],
            ["12.3456 %", "— above 10,000 %"]
        );
    }

    /// Two reasons side by side: "— earns before it invests" twice fits
    /// 80 columns on one line (a longer pair would go on two lines,
    /// broken between words and never before a `%`: `halve` below).
    #[test]
    fn two_reasons_side_by_side_fit() {
        let mut s = sample::summary();
        let north = &mut s.sites[0];
        for o in [
            &mut north.mine.as_mut().unwrap().outcome,
            &mut north.ai.as_mut().unwrap().outcome,
        ] {
            o.irr = None;
        }
        // Both earn first.
        north.mine.as_mut().unwrap().outcome.monthly[0].cash_flow_usd = Decimal::ONE;
        north.ai.as_mut().unwrap().outcome.monthly[0].cash_flow_usd = Decimal::ONE;
        let text = String::from_utf8(TableRenderer::default().render(&[s], false)).unwrap();
        let at = text.find("│ IRR (a year)").unwrap();
        let rows: Vec<&str> = text[at..].lines().take(2).collect();
        assert_eq!(
            rows,
            [
                "│ IRR (a year)        ┆ — earns before it invests ┆ — earns before it invests │",
                "│ Payback             ┆                         — ┆                  0 months │",
            ]
        );
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        assert_eq!(halve("— no cash flows"), "— no cash\nflows");
        assert_eq!(
            halve("— earns before it invests"),
            "— earns before\nit invests"
        );
        assert_eq!(halve("ab"), "ab");
    }

    /// `summaries` rendered, with the widest line checked against 80
    /// columns (characters, not bytes).
    fn fits(table: TableRenderer, summaries: &[Summary]) -> String {
        let text = String::from_utf8(table.render(summaries, false)).unwrap();
        for line in text.lines() {
            assert!(
                line.chars().count() <= WIDTH,
                "{} > {WIDTH}: {line}",
                line.chars().count()
            );
        }
        text
    }

    /// Long names, many halvings and overrides, and a year of months too
    /// wide for nine columns: every line still fits 80 columns.
    #[test]
    fn fits_80_columns() {
        let plain = sample::summary();
        let mut wide = sample::summary();
        wide.scenario = "A portfolio of sites whose name is far longer than any terminal line \
                         could hold in one piece"
            .into();
        wide.sites[0].name = "North Campus, Phase 2 (the former aluminium smelter)".into();
        wide.inputs.sites[0].name = wide.sites[0].name.clone();
        wide.halvings = (5..=12)
            .map(|k| crate::network::Halving {
                height: k * 210_000,
                month: wide.start.add_months(k as u32),
            })
            .collect();
        wide.overrides = (0..6)
            .map(|k| crate::Override {
                key: format!("site[{k}].ai.lease_usd_per_kw_month"),
                value: format!("{}", 100 + k),
            })
            .collect();
        for monthly in [false, true] {
            let table = TableRenderer {
                monthly,
                color: false,
                chart: false,
                ascii: false,
            };
            fits(table, std::slice::from_ref(&plain));
            let text = fits(table, &[plain.clone(), wide.clone(), sample::ties()]);
            assert!(text.contains(
                "\nHalvings: block 1,050,000 in 2028-08 · block 1,260,000 in 2028-09\n          block"
            ));
        }
    }

    /// A month-by-month table too wide for 80 columns leaves out the
    /// hashprice first, then BTC, then opex, and says which.
    #[test]
    fn a_wide_monthly_table_names_what_it_leaves_out() {
        let table = TableRenderer {
            monthly: true,
            color: false,
            chart: false,
            ascii: false,
        };
        let mut s = sample::summary();
        s.sites.truncate(1);
        let mine = &mut s.sites[0].mine.as_mut().unwrap().outcome;
        let billion = |n: i64| Decimal::from(n) * Decimal::from(1_000_000_000);
        mine.monthly[0].btc_mined = Decimal::from(123_456);
        mine.monthly[0].revenue_usd = billion(12);
        mine.monthly[0].capex_usd = billion(34);
        mine.monthly[0].cash_flow_usd = billion(-56);
        mine.monthly[0].cumulative_cash_usd = billion(-78);
        let text = fits(table, &[s.clone()]);
        let section = &text[text.find("Month by month: keep mining").unwrap()..];
        let mut lines = section.lines().skip(1);
        assert_eq!(
            lines.next(),
            Some("Left out to fit 80 columns: $/PH/day, BTC (--format csv has all 9)")
        );
        assert_eq!(
            lines.nth(1).unwrap().split_whitespace().collect::<Vec<_>>(),
            [
                "Month",
                "Revenue",
                "Power",
                "Opex",
                "Capex",
                "Cash",
                "flow",
                "Cumulative"
            ]
        );
        // The AI table fits whole, and says nothing.
        let ai = &text[text.find("Month by month: convert to AI").unwrap()..];
        let header = ai.lines().nth(2).unwrap();
        assert!(header.starts_with("Month ") && header.contains(" $/PH/day "));
        assert!(!ai.contains("Left out"));
    }

    /// Several scenarios end with one row per site, each scenario's name
    /// on a line of its own above its sites.
    #[test]
    fn the_comparison_groups_sites_by_scenario() {
        let mut other = sample::summary();
        other.scenario = "Second".into();
        let text = fits(TableRenderer::default(), &[sample::summary(), other]);
        let comparison = &text[text.find("\nComparison\n").unwrap() + 1..];
        assert_eq!(
            comparison.lines().collect::<Vec<_>>(),
            [
                "Comparison",
                "─────────────────────────────────────────────────────────────────────",
                "Site               Winner  Mine NPV  AI NPV  Advantage  Crossover BTC",
                "─────────────────────────────────────────────────────────────────────",
                "Hand-built",
                "  North            ai        -$1.5k   $250k      $252k              —",
                "  South, \"Unit 2\"  —              —      $0          —              —",
                "Second",
                "  North            ai        -$1.5k   $250k      $252k              —",
                "  South, \"Unit 2\"  —              —      $0          —              —",
                "─────────────────────────────────────────────────────────────────────",
            ]
        );
    }

    /// Lines break between items, then between words, then inside a word;
    /// continuation lines start with the indent.
    #[test]
    fn wrapping() {
        let wrapped = |width, first, indent, items: &[&str]| wrap_to(width, first, indent, items);
        assert_eq!(
            wrapped(20, "Lead: ", "      ", &["one two", "three", "four five"]),
            ["Lead: one two", "      three", "      four five"]
        );
        assert_eq!(
            wrapped(16, "", "", &["short", "a much longer item"]),
            ["short · a much", "longer item"]
        );
        assert_eq!(
            wrapped(12, "", "  ", &["alpha beta gamma delta"]),
            ["alpha beta", "  gamma", "  delta"]
        );
        assert_eq!(wrapped(6, "", "", &["abcdefghij"]), ["abcdef", "ghij"]);
        assert_eq!(wrapped(80, "", "", &["fits"]), ["fits"]);
    }
}
