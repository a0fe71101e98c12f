//! `pivot`'s outputs: when to convert each site, as the pivot JSON, CSV
//! rows and a table with a chart of the NPV by start month.
//!
//! The JSON is the normative form (a golden file holds it): per scenario
//! `{"scenario", "sites": [{"name", "best_start", "best_npv_usd",
//! "now_npv_usd", "never_npv_usd", "value_of_waiting_usd", "verdict",
//! "npv_by_start"}]}`, money written as the summary JSON writes it
//! ([`Field`], rounded half-even to cents by [`super::number`]).

use super::csv::{line, overrides_cell};
use super::json::document;
use super::number::{Colour, compact, money, places, stated_percent};
use super::table::{WIDTH, chars, paint_lines, push_lines, wrap};
use super::{Field, fixed, overrides_list};
use crate::calendar::YearMonth;
#[cfg(test)]
use crate::pivot::Answer;
use crate::pivot::{Pivot, SitePivot, Verdict};
use crate::summary::Summary;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use serde::ser::SerializeMap;

/// The keys of a site's pivot, in the JSON's order.
pub const SITE_KEYS: [&str; 8] = [
    "name",
    "best_start",
    "best_npv_usd",
    "now_npv_usd",
    "never_npv_usd",
    "value_of_waiting_usd",
    "verdict",
    "npv_by_start",
];

/// The CSV columns, before `overrides` (when any `--set` was given) and
/// `file`: one row per site and start month.
pub const CSV_COLUMNS: [&str; 7] = [
    "scenario", "site", "start", "npv_usd", "eligible", "best", "verdict",
];

/// Month `s` of a pivot: the start month `s` months after its first.
fn month(pivot: &Pivot, s: usize) -> YearMonth {
    pivot.start.add_months(u32::try_from(s).unwrap_or(u32::MAX))
}

fn usd(value: Decimal) -> Field {
    Field::fixed(value, places::USD)
}

/// One scenario's pivot as the pivot JSON object.
pub struct PivotObject<'a>(pub &'a Pivot);

impl Serialize for PivotObject<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let pivot = self.0;
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("scenario", &pivot.scenario)?;
        let sites: Vec<SiteObject> = pivot
            .sites
            .iter()
            .map(|site| SiteObject { pivot, site })
            .collect();
        map.serialize_entry("sites", &sites)?;
        map.end()
    }
}

struct SiteObject<'a> {
    pivot: &'a Pivot,
    site: &'a SitePivot,
}

impl Serialize for SiteObject<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let site = self.site;
        let npvs: Vec<Field> = site.npv_by_start.iter().map(|v| usd(*v)).collect();
        let mut map = s.serialize_map(Some(SITE_KEYS.len()))?;
        map.serialize_entry("name", &site.name)?;
        map.serialize_entry(
            "best_start",
            &Field::month(site.best_start.map(|b| month(self.pivot, b))),
        )?;
        map.serialize_entry("best_npv_usd", &Field::opt(site.best_npv_usd, places::USD))?;
        map.serialize_entry("now_npv_usd", &usd(site.now_npv_usd))?;
        map.serialize_entry("never_npv_usd", &usd(site.never_npv_usd))?;
        map.serialize_entry(
            "value_of_waiting_usd",
            &Field::opt(site.value_of_waiting_usd, places::USD),
        )?;
        map.serialize_entry("verdict", site.verdict.as_str())?;
        map.serialize_entry("npv_by_start", &npvs)?;
        map.end()
    }
}

/// `pivot --format json`: one object for one scenario, an array (in the
/// order given) for a list.
pub fn json(pivots: &[&Pivot], as_list: bool) -> Vec<u8> {
    let objects: Vec<PivotObject> = pivots.iter().map(|p| PivotObject(p)).collect();
    document(&objects, as_list)
}

/// `pivot --format csv`: a header, then one row per site and start month,
/// in start order: [`CSV_COLUMNS`] (`eligible` and `best` are `true` or
/// `false`; `verdict` is the site's), then `overrides` (`KEY=VALUE;…`)
/// when any scenario has one, then `file`.
pub fn csv(answers: &[(&Summary, &Pivot)], files: &[String]) -> Vec<u8> {
    let mut out = String::new();
    let with_overrides = answers.iter().any(|(s, _)| !s.overrides.is_empty());
    let tail = with_overrides
        .then_some("overrides")
        .into_iter()
        .chain(["file"]);
    line(
        &mut out,
        CSV_COLUMNS.into_iter().chain(tail).map(str::to_string),
    );
    for (i, (summary, pivot)) in answers.iter().enumerate() {
        let file = files.get(i).cloned().unwrap_or_default();
        let overrides = with_overrides.then(|| overrides_cell(summary));
        for site in &pivot.sites {
            for (s, npv) in site.npv_by_start.iter().enumerate() {
                line(
                    &mut out,
                    [
                        pivot.scenario.clone(),
                        site.name.clone(),
                        month(pivot, s).to_string(),
                        fixed(*npv, places::USD),
                        site.eligible(s).to_string(),
                        (site.best_start == Some(s)).to_string(),
                        site.verdict.as_str().to_string(),
                    ]
                    .into_iter()
                    .chain(overrides.clone())
                    .chain([file.clone()]),
                );
            }
        }
    }
    out.into_bytes()
}

/// A chart has at most this many rows: longer horizons are shown in
/// buckets of [`BUCKETS`] months.
pub const CHART_ROWS: usize = 40;

/// Bucket sizes a chart may use, in months: one, a quarter, half a year,
/// a year, and multiples of a year.
const BUCKETS: [usize; 7] = [1, 3, 6, 12, 24, 60, 120];

/// The starts each chart row stands for: consecutive runs of the smallest
/// size in [`BUCKETS`] (then whole decades) that keeps the chart within
/// [`CHART_ROWS`] rows.
pub fn buckets(months: usize) -> (usize, Vec<std::ops::Range<usize>>) {
    let size = BUCKETS
        .into_iter()
        .find(|b| months.div_ceil(*b) <= CHART_ROWS)
        .unwrap_or_else(|| months.div_ceil(CHART_ROWS).div_ceil(120) * 120);
    let rows = (0..months)
        .step_by(size)
        .map(|from| from..(from + size).min(months))
        .collect();
    (size, rows)
}

/// `pivot --format table`: per scenario its horizon and discount rate;
/// per site the verdict in a sentence, the four figures behind it, and a
/// chart of the NPV of converting in each start month. Every line keeps
/// to [`WIDTH`] columns; colour (bold headings, the verdict in green) only
/// when `color`.
pub fn table(answers: &[(&Summary, &Pivot)], color: bool) -> Vec<u8> {
    let mut out = String::new();
    for (n, (summary, pivot)) in answers.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        scenario_table(&mut out, summary, pivot, color);
    }
    out.into_bytes()
}

fn scenario_table(out: &mut String, summary: &Summary, pivot: &Pivot, color: bool) {
    paint_lines(
        out,
        wrap("When to convert: ", &[pivot.scenario.as_str()]),
        Colour::Bold,
        color,
    );
    let last = month(pivot, (pivot.months as usize).saturating_sub(1));
    push_lines(
        out,
        wrap(
            "",
            &[
                format!(
                    "Starts {} to {} ({})",
                    pivot.start,
                    last,
                    months(u64::from(pivot.months))
                ),
                format!(
                    "discount rate {} a year",
                    stated_percent(summary.inputs.discount_rate)
                ),
            ],
        ),
    );
    if !summary.overrides.is_empty() {
        let list = overrides_list(summary);
        push_lines(out, wrap("Overrides: ", &list));
    }
    for site in &pivot.sites {
        out.push('\n');
        site_table(out, summary, pivot, site, color);
    }
}

/// `n` months, in words: `1 month`, `12 months`.
fn months(n: u64) -> String {
    match n {
        1 => "1 month".to_string(),
        _ => format!("{n} months"),
    }
}

/// How many months after the first `s` is, in words.
fn from_now(s: usize) -> String {
    format!("{} from now", months(s as u64))
}

/// The verdict in a sentence, with the differences that decide it.
pub fn verdict_sentence(pivot: &Pivot, site: &SitePivot) -> String {
    let at = |s: usize| month(pivot, s);
    match (site.verdict, site.best_start, site.best_npv_usd) {
        (Verdict::Convert, Some(0), Some(best)) => format!(
            "Convert now ({}): worth {} more than never converting",
            at(0),
            compact(best.saturating_sub(site.never_npv_usd), "$")
        ),
        (Verdict::Convert, Some(b), Some(best)) => format!(
            "Convert in {} ({}): worth {} more than converting now and {} more than never converting",
            at(b),
            from_now(b),
            compact(best.saturating_sub(site.now_npv_usd), "$"),
            compact(best.saturating_sub(site.never_npv_usd), "$")
        ),
        (_, Some(b), Some(best)) => {
            // The best start named by its month ("now" for the first), so
            // the sentence reads as a decision, then what it is worth.
            let which = if b == 0 {
                format!("now ({})", at(0))
            } else {
                at(b).to_string()
            };
            if best == site.never_npv_usd {
                format!(
                    "Keep mining: the best month to convert, {which}, is worth no more than never converting"
                )
            } else {
                format!(
                    "Keep mining: the best month to convert, {which}, is still worth {} less than never converting",
                    compact(site.never_npv_usd.saturating_sub(best), "$")
                )
            }
        }
        _ => format!(
            "Keep mining: no start month leaves AI hosting live for the last {} of the horizon",
            months(live_months(pivot))
        ),
    }
}

/// The share of the best NPV within which another start counts as as
/// good: a best start is only as sharp as the curve around it.
const NEAR_BEST_PERCENT: u32 = 1;

/// What the verdict sentence leaves out: that a best start on a flat
/// curve is one of many as good (the starts within
/// [`NEAR_BEST_PERCENT`] % of the best), that the verdict may rest on the
/// values assumed at the horizon, and that a verdict between two losses
/// is only the lesser loss. Plain sentences: the table wraps them, the
/// HTML report lists them under its chart of NPV by start.
pub(crate) fn caveats(summary: &Summary, pivot: &Pivot, site: &SitePivot) -> Vec<String> {
    let mut lines = Vec::new();
    if let (Verdict::Convert, Some(best)) = (site.verdict, site.best_npv_usd) {
        let margin = (best.abs() * Decimal::from(NEAR_BEST_PERCENT) / Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(places::USD, RoundingStrategy::MidpointNearestEven);
        let near: Vec<usize> = (0..site.last_start_limit.min(site.npv_by_start.len()))
            .filter(|&s| site.npv_by_start[s] >= best.saturating_sub(margin))
            .collect();
        if let (Some(&first), Some(&last)) = (near.first(), near.last())
            && near.len() > 1
        {
            let within = format!(
                "within {NEAR_BEST_PERCENT} % ({}) of the best",
                compact(margin, "$")
            );
            lines.push(if near.len() == last - first + 1 {
                format!(
                    "Every start from {} to {} is {within}",
                    month(pivot, first),
                    month(pivot, last)
                )
            } else {
                format!(
                    "{} starts between {} and {} are {within}",
                    near.len(),
                    month(pivot, first),
                    month(pivot, last)
                )
            });
        }
    }
    // Whether the verdict rests on the values assumed at the horizon: a
    // late start's lease is valued at the same multiple as one that ran
    // for years.
    if let Some(bare) = &site.without_exit_values {
        let changed = bare.verdict != site.verdict
            || (site.verdict == Verdict::Convert && bare.best_start != site.best_start);
        if changed {
            let answer = match (bare.verdict, bare.best_start) {
                (Verdict::Convert, Some(0)) => format!("to convert now ({})", month(pivot, 0)),
                (Verdict::Convert, Some(b)) => format!("to convert in {}", month(pivot, b)),
                _ => "to keep mining".to_string(),
            };
            lines.push(format!(
                "The verdict rests on the exit values: without them, the answer is {answer}"
            ));
        }
    }
    let chosen = site.best_npv_usd.unwrap_or(site.now_npv_usd);
    if chosen.is_sign_negative()
        && !chosen.is_zero()
        && site.never_npv_usd.is_sign_negative()
        && !site.never_npv_usd.is_zero()
    {
        lines.push(format!(
            "Both are negative: neither converting nor mining earns the {} cost of capital; the verdict only loses less",
            stated_percent(summary.inputs.discount_rate)
        ));
    }
    lines
}

/// `w = min(12, months)`: the months a chosen start must leave AI hosting
/// live before the horizon ends (docs/model.md, "When to convert").
fn live_months(pivot: &Pivot) -> u64 {
    u64::from(pivot.months.min(12))
}

fn site_table(out: &mut String, summary: &Summary, pivot: &Pivot, site: &SitePivot, color: bool) {
    paint_lines(
        out,
        wrap("Site: ", &[site.name.as_str()]),
        Colour::Bold,
        color,
    );
    // What limits the choice: the build, and the months live it must
    // leave; and what the months before a start leave out.
    let input = summary.inputs.sites.iter().find(|s| s.name == site.name);
    let build = input
        .and_then(|s| s.ai.as_ref())
        .map(|a| format!("AI build {}", months(a.build_months)));
    let rule = match (site.last_start_limit, build) {
        // The verdict says that no start may be chosen.
        (0, build) => build,
        (limit, build) => {
            let starts = format!(
                "tarts up to {} may be chosen (later ones leave AI hosting live under {})",
                month(pivot, limit - 1),
                months(live_months(pivot))
            );
            Some(match build {
                Some(b) => format!("{b}: s{starts}"),
                None => format!("S{starts}"),
            })
        }
    };
    push_lines(out, rule.iter().flat_map(|r| wrap("", &[r])));
    if let Some(m) = input
        .and_then(|s| s.mining.as_ref())
        .filter(|m| !m.capex_usd.is_zero())
    {
        let line = format!(
            "Before a start the site mines without the mining capex ({})",
            compact(m.capex_usd, "$")
        );
        push_lines(out, wrap("", &[line]));
    }
    paint_lines(
        out,
        wrap("", &[verdict_sentence(pivot, site)]),
        Colour::BoldGreen,
        color,
    );
    for caveat in caveats(summary, pivot, site) {
        push_lines(out, wrap("", &[caveat]));
    }
    // The figures behind the sentence, to the cent.
    let mut rows = vec![
        (
            format!("Convert now ({})", month(pivot, 0)),
            money(site.now_npv_usd, places::USD),
        ),
        (
            match site.best_start {
                Some(b) => format!("Best start ({})", month(pivot, b)),
                None => "Best start".to_string(),
            },
            site.best_npv_usd
                .map_or("— (no start can be chosen)".to_string(), |v| {
                    money(v, places::USD)
                }),
        ),
        (
            "Never convert (keep mining)".to_string(),
            money(site.never_npv_usd, places::USD),
        ),
        (
            "Value of waiting (best − now)".to_string(),
            site.value_of_waiting_usd
                .map_or("—".to_string(), |v| money(v, places::USD)),
        ),
    ];
    // The start the file plans, when it is not now: one of those compared.
    if site.planned_start != 0 {
        rows.insert(
            3,
            (
                format!("The file's start ({})", month(pivot, site.planned_start)),
                site.npv_by_start
                    .get(site.planned_start)
                    .map_or("—".to_string(), |v| money(*v, places::USD)),
            ),
        );
    }
    let label_width = rows.iter().map(|(l, _)| chars(l)).max().unwrap_or(0);
    let value_width = rows.iter().map(|(_, v)| chars(v)).max().unwrap_or(0);
    for (label, value) in rows {
        let pad = value_width - chars(&value);
        out.push_str(&format!(
            "  {label:<label_width$}  {}{value}\n",
            " ".repeat(pad)
        ));
    }
    out.push('\n');
    chart(out, pivot, site);
}

/// A bar's character: a start that may be chosen, or one too late.
const BAR: char = '█';
const LATE: char = '░';
const ZERO: char = '│';
const NEVER: char = '┊';
const BEST: &str = " ◀ best";
/// The end of a bar cut at the scale's edge.
const CUT_LOW: char = '◄';
const CUT_HIGH: char = '►';

/// One chart row: the first start it stands for, the NPV shown (the best
/// of its starts that may be chosen, else the best of all), and whether
/// any of its starts may be chosen; plus the best start when it is here.
struct ChartRow {
    from: usize,
    npv: Decimal,
    eligible: bool,
    best: Option<usize>,
}

fn chart_rows(site: &SitePivot, buckets: &[std::ops::Range<usize>]) -> Vec<ChartRow> {
    buckets
        .iter()
        .filter_map(|range| {
            let npvs = || range.clone().map(|s| (s, site.npv_by_start[s]));
            let eligible = range.clone().any(|s| site.eligible(s));
            let shown = npvs()
                .filter(|(s, _)| !eligible || site.eligible(*s))
                .map(|(_, v)| v)
                .max()?;
            Some(ChartRow {
                from: range.start,
                npv: shown,
                eligible,
                best: site.best_start.filter(|b| range.contains(b)),
            })
        })
        .collect()
}

/// The column of `value` on a scale from `lo` (column 0) to `hi` (column
/// `cells − 1`), rounded half-even.
fn column(value: Decimal, lo: Decimal, hi: Decimal, cells: usize) -> usize {
    if hi <= lo || cells < 2 {
        return 0;
    }
    let span = Decimal::from(cells - 1);
    let at = value
        .checked_sub(lo)
        .and_then(|d| d.checked_mul(span))
        .zip(hi.checked_sub(lo))
        .and_then(|(d, range)| d.checked_div(range))
        .unwrap_or_default()
        .round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven);
    at.to_usize().unwrap_or(0).min(cells - 1)
}

/// The NPV of converting in each start month as horizontal bars from a
/// zero line, with never converting as a dotted line, the starts too late
/// to be chosen in a lighter shade and the best start marked; one row per
/// start month, or per bucket of months on a long horizon.
fn chart(out: &mut String, pivot: &Pivot, site: &SitePivot) {
    let (size, buckets) = buckets(site.npv_by_start.len());
    let rows = chart_rows(site, &buckets);
    if rows.is_empty() {
        return;
    }
    let title = if size == 1 {
        "NPV of converting, by start month".to_string()
    } else {
        format!(
            "NPV of converting, by start month: each row is the best of {size} starts, from the month shown"
        )
    };
    push_lines(out, wrap("", &[title]));
    // The scale holds zero, never converting and every start that may be
    // chosen (every start when none may): a bar too late to choose that
    // falls outside it is cut at its edge, marked, so it does not squeeze
    // the bars the verdict is about.
    let any_eligible = rows.iter().any(|r| r.eligible);
    let values = rows
        .iter()
        .filter(|r| r.eligible || !any_eligible)
        .map(|r| r.npv)
        .chain([Decimal::ZERO, site.never_npv_usd]);
    let (mut lo, mut hi) = (
        values.clone().min().unwrap_or_default(),
        values.max().unwrap_or_default(),
    );
    // A cut bar on the far side of zero gets an eighth of the scale to
    // show which way it goes.
    let eighth = (hi - lo) / Decimal::from(8);
    if lo.is_zero() && rows.iter().any(|r| r.npv < lo) {
        lo = -eighth;
    }
    if hi.is_zero() && rows.iter().any(|r| r.npv > hi) {
        hi = eighth;
    }
    let labels: Vec<String> = rows.iter().map(|r| compact(r.npv, "$")).collect();
    let label_width = labels.iter().map(|l| chars(l)).max().unwrap_or(0);
    let marker_width = if size == 1 {
        chars(BEST)
    } else {
        chars(BEST) + " 2026-01".len()
    };
    // "2026-01" + two spaces + the figure + a space, the bars, the marker.
    let lead = 7 + 2 + label_width + 1;
    let cells = WIDTH.saturating_sub(lead + marker_width).max(10);
    let zero = column(Decimal::ZERO, lo, hi, cells);
    let never = column(site.never_npv_usd, lo, hi, cells);
    for (row, label) in rows.iter().zip(&labels) {
        let mut bar: Vec<char> = vec![' '; cells];
        let at = column(row.npv, lo, hi, cells);
        let fill = if row.eligible { BAR } else { LATE };
        for cell in &mut bar[at.min(zero)..=at.max(zero)] {
            *cell = fill;
        }
        if row.npv < lo {
            bar[0] = CUT_LOW;
        } else if row.npv > hi {
            bar[cells - 1] = CUT_HIGH;
        }
        // Never converting is drawn through the bars: the part of a bar
        // past it is what converting then adds over mining.
        bar[never] = NEVER;
        bar[zero] = ZERO;
        let mut text = format!(
            "{}  {label:>label_width$} {}",
            month(pivot, row.from),
            bar.iter().collect::<String>()
        );
        if let Some(b) = row.best {
            text = text.trim_end().to_string();
            text.push_str(BEST);
            if size > 1 {
                text.push_str(&format!(" {}", month(pivot, b)));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    // The scale under the bars: its ends and zero.
    let indent = " ".repeat(lead);
    let mut axis: Vec<char> = vec!['─'; cells];
    axis[0] = '├';
    axis[cells - 1] = '┤';
    axis[zero] = '┼';
    out.push_str(&format!("{indent}{}\n", axis.iter().collect::<String>()));
    let (lo_text, hi_text) = (compact(lo, "$"), compact(hi, "$"));
    let mut scale: Vec<char> = vec![' '; cells.max(chars(&lo_text) + chars(&hi_text) + 1)];
    for (i, c) in lo_text.chars().enumerate() {
        scale[i] = c;
    }
    let hi_from = scale.len() - chars(&hi_text);
    for (i, c) in hi_text.chars().enumerate() {
        scale[hi_from + i] = c;
    }
    // "0" under the zero line when it has room beside the ends.
    if zero > chars(&lo_text) && zero + 1 < hi_from {
        scale[zero] = '0';
    }
    out.push_str(&format!(
        "{indent}{}\n",
        scale.iter().collect::<String>().trim_end()
    ));
    let mut legend = vec![
        format!("{ZERO} zero"),
        format!(
            "{NEVER} never converting ({})",
            compact(site.never_npv_usd, "$")
        ),
    ];
    if rows.iter().any(|r| !r.eligible) {
        legend.push(format!(
            "{LATE} too late to choose (AI live under {})",
            months(live_months(pivot))
        ));
    }
    if rows.iter().any(|r| r.npv < lo || r.npv > hi) {
        legend.push(format!("{CUT_LOW} {CUT_HIGH} beyond the scale"));
    }
    push_lines(out, wrap("", &legend));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A pivot built by hand over six months from 2028-03, with the ties
    /// the outputs round, half-even, worked by hand: North's NPVs 0.125 →
    /// 0.12 (2 even), 2.675 → 2.68 (7 odd, up), -1.005 → -1.00 (0 even),
    /// -0.001 → 0.00 (never -0.00); never converting 1.115 → 1.12 (1 odd,
    /// up); the value of waiting 2.55 = 2.675 − 0.125, no tie. South has
    /// no start that may be chosen: its best and value of waiting are null.
    fn pivot() -> Pivot {
        let north = ["0.125", "-1.005", "2.675", "-0.001", "9", "-3"].map(d);
        let south = ["-5", "-6", "-7", "-8", "-9", "-10"].map(d);
        Pivot {
            scenario: "Hand-built".into(),
            start: YearMonth::parse("2028-03").unwrap(),
            months: 6,
            sites: vec![
                SitePivot {
                    name: "North".into(),
                    npv_by_start: north.to_vec(),
                    // Starts 0 … 3 may be chosen; 9 at start 4 is too late.
                    last_start_limit: 4,
                    best_start: Some(2),
                    best_npv_usd: Some(north[2]),
                    now_npv_usd: north[0],
                    never_npv_usd: d("1.115"),
                    value_of_waiting_usd: Some(north[2] - north[0]),
                    verdict: Verdict::Convert,
                    // The file plans 2028-04; without exit values the best
                    // (now, 0.10) is below never converting (1.115).
                    planned_start: 1,
                    without_exit_values: Some(Answer {
                        best_start: Some(0),
                        best_npv_usd: Some(d("0.10")),
                        never_npv_usd: d("1.115"),
                        verdict: Verdict::Mine,
                    }),
                },
                SitePivot {
                    name: "South, \"Unit 2\"".into(),
                    npv_by_start: south.to_vec(),
                    last_start_limit: 0,
                    best_start: None,
                    best_npv_usd: None,
                    now_npv_usd: south[0],
                    never_npv_usd: d("-1"),
                    value_of_waiting_usd: None,
                    verdict: Verdict::Mine,
                    planned_start: 0,
                    without_exit_values: None,
                },
            ],
        }
    }

    #[test]
    fn pivot_json() {
        let p = pivot();
        let text = String::from_utf8(json(&[&p], false)).unwrap();
        insta::assert_snapshot!(text);
        // A list is an array even of one.
        assert!(
            String::from_utf8(json(&[&p], true))
                .unwrap()
                .starts_with("[\n  {\n")
        );
    }

    #[test]
    fn pivot_csv() {
        let (summary, p) = (sample::summary(), pivot());
        let text = String::from_utf8(csv(&[(&summary, &p)], &["hand.toml".into()])).unwrap();
        insta::assert_snapshot!(text);
        // A header, then 2 sites × 6 start months.
        assert_eq!(text.lines().count(), 1 + 2 * 6);
    }

    #[test]
    fn pivot_table() {
        let (summary, p) = (sample::summary(), pivot());
        let text = String::from_utf8(table(&[(&summary, &p)], false)).unwrap();
        insta::assert_snapshot!(text);
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        let coloured = String::from_utf8(table(&[(&summary, &p)], true)).unwrap();
        assert!(coloured.contains("\x1b[1mSite: North\x1b[0m"));
    }

    /// The verdict in words: converting at the best start, now, or not.
    #[test]
    fn verdict_sentences() {
        let mut p = pivot();
        // Best 2.675 at 2028-05 against now 0.125 (+2.55) and never 1.115
        // (+1.56): differences under $1,000 are whole dollars.
        assert_eq!(
            verdict_sentence(&p, &p.sites[0]),
            "Convert in 2028-05 (2 months from now): worth $3 more than converting now and $2 more than never converting"
        );
        assert_eq!(
            verdict_sentence(&p, &p.sites[1]),
            "Keep mining: no start month leaves AI hosting live for the last 6 months of the horizon"
        );
        let north = &mut p.sites[0];
        north.best_start = Some(0);
        north.best_npv_usd = Some(d("41200000"));
        // 41,200,000 − 1.115 = 41,199,998.885 → $41M.
        assert_eq!(
            verdict_sentence(&p, &p.sites[0]),
            "Convert now (2028-03): worth $41M more than never converting"
        );
        let north = &mut p.sites[0];
        north.verdict = Verdict::Mine;
        north.best_start = Some(1);
        north.best_npv_usd = Some(d("-2000000"));
        // 1.115 − (−2,000,000) = 2,000,001.115 → $2.0M.
        assert_eq!(
            verdict_sentence(&p, &p.sites[0]),
            "Keep mining: the best month to convert, 2028-04, is still worth $2.0M less than never converting"
        );
        p.sites[0].best_npv_usd = Some(d("1.115"));
        assert_eq!(
            verdict_sentence(&p, &p.sites[0]),
            "Keep mining: the best month to convert, 2028-04, is worth no more than never converting"
        );
        // The best start is the first month: named "now" with its month.
        p.sites[0].best_start = Some(0);
        p.sites[0].best_npv_usd = Some(d("-5000000"));
        // 1.115 − (−5,000,000) = 5,000,001.115 → $5.0M.
        assert_eq!(
            verdict_sentence(&p, &p.sites[0]),
            "Keep mining: the best month to convert, now (2028-03), is still worth $5.0M less than never converting"
        );
    }

    /// One row per start month up to 40, then quarters, half-years, years,
    /// two and five years: the smallest that keeps to 40 rows.
    #[test]
    fn chart_buckets() {
        let size = |months| buckets(months).0;
        let rows = |months| buckets(months).1.len();
        assert_eq!((size(36), rows(36)), (1, 36));
        assert_eq!((size(40), rows(40)), (1, 40));
        // 41 months: 41 / 3 → 14 quarters, the last of 2 months.
        assert_eq!((size(41), rows(41)), (3, 14));
        assert_eq!(buckets(41).1[13], 39..41);
        // 120 months: 40 quarters; 121: 21 half-years (121 / 6 = 20.2).
        assert_eq!((size(120), rows(120)), (3, 40));
        assert_eq!((size(121), rows(121)), (6, 21));
        // 198 months (the halving twin): 33 half-years.
        assert_eq!((size(198), rows(198)), (6, 33));
        // 600 months: 50 years are too many, 25 two-year rows are not.
        assert_eq!((size(600), rows(600)), (24, 25));
        // Past 40 decades, whole decades: 4,801 / 40 = 120.025 → 121
        // months a row → 2 decades, 21 rows.
        assert_eq!((size(4801), rows(4801)), (240, 21));
    }

    /// A start's column on the scale from lo to hi, half-even: on 11 cells
    /// from −5 to 5, 0 is column 5; 2.5 is 7.5 → 8 (7 odd, up); −2.5 is
    /// 2.5 → 2 (2 even).
    #[test]
    fn scale_columns() {
        let at = |v: &str| column(d(v), d("-5"), d("5"), 11);
        assert_eq!(at("-5"), 0);
        assert_eq!(at("0"), 5);
        assert_eq!(at("5"), 10);
        assert_eq!(at("2.5"), 8);
        assert_eq!(at("-2.5"), 2);
        // A flat scale puts everything in column 0.
        assert_eq!(column(d("3"), d("3"), d("3"), 11), 0);
    }
}
