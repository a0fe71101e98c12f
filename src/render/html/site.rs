//! A site's pages: its cumulative cash and the network's hashprice; when
//! to convert and (with risk) the histogram of the advantage; (with risk)
//! the fans of both strategies and their NPV distributions.
//!
//! Each chart comes with a sentence that says in words what it shows, so
//! the page reads without the chart and the chart without the figures.
//! Values go to [`crate::render::svg`] as binary floats only to be
//! placed; every number written in a sentence is rounded from the exact
//! decimal by [`crate::render::number`].

use super::{Report, draw, escape, title};
use crate::calendar::YearMonth;
use crate::finance::Discount;
use crate::pivot::SitePivot;
use crate::render::number::{compact, group, percent};
use crate::render::simulate::{FIGURE_ROWS, Histogram, SHARE, Sides, figure_columns};
use crate::render::svg::{
    self, Bar, Fan, FanChart, Ink, Level, LineChart, Marker, MonthAxis, Point, Series, Shade, Unit,
    ValueAxis,
};
use crate::simulate::{Fan as Bands, SiteFan as SiteFans, StrategyStats};
use crate::summary::{SiteSummary, Summary};
use rust_decimal::Decimal;
use std::fmt::Write;

/// The site's pages, in order.
pub(super) fn pages(r: &Report, j: usize, site: &SiteSummary) -> Vec<String> {
    let s = r.summary;
    let id = format!("s{}", j + 1);
    let name = escape(&site.name);
    let mut pages = Vec::new();

    // A site without a fleet earns nothing from hashprice: its chart
    // would show a curve that enters none of the site's figures.
    let mut a = if site.mine.is_some() {
        title(&site.name, "cash and hashprice")
    } else {
        title(&site.name, "cash")
    };
    // When the cover recommends converting at another start, these pages
    // (run's, simulate's and sweep's) still draw the file's own plan.
    if let Some(p) = r.pivot
        && let Some(sp) = p.sites.iter().find(|x| x.name == site.name)
        && super::cover::pivot_leads(sp)
        && let Some(best) = sp.best_start
    {
        let best = super::cover::start_month(p, best);
        let _ = writeln!(
            a,
            "<p class=\"plan\">These pages draw the file's own plan, converting in {}; the cover recommends converting in {best} instead. To draw that plan, add <code>--set 'site[{}].ai.start={best}'</code> to the command in the footer.</p>",
            escape(&super::sweep::own_start(s, site)),
            name
        );
    }
    if let Some(fig) = cash_figure(s, site, &id) {
        a.push_str(&fig);
    }
    if site.mine.is_some() {
        a.push_str(&hashprice_figure(s, site, &id));
    } else {
        a.push_str(NO_FLEET);
    }
    pages.push(a);

    let pivot = r
        .pivot
        .and_then(|p| p.sites.iter().find(|x| x.name == site.name));
    let risk = r.risk.as_ref();
    let stats = risk.and_then(|k| k.simulation.sites.get(j));
    let histogram = stats.and_then(|st| {
        let c = st.comparison.as_ref()?;
        Some((c, risk?.histograms.get(j).and_then(Option::as_ref)))
    });
    if pivot.is_some() || stats.is_some() {
        let topic = match (pivot.is_some(), stats.is_some()) {
            (true, true) => "when to convert, and the risk",
            (true, false) => "when to convert",
            _ => "how risky each future is",
        };
        let mut b = title(&site.name, topic);
        if let (Some(p), Some(sp)) = (r.pivot, pivot) {
            b.push_str(&pivot_figure(s, p, sp, &id));
        }
        if let Some((c, h)) = histogram {
            let note = format!(
                "P(AI beats mining) = {} ± {}",
                percent(c.p_ai_beats_mine, SHARE),
                percent(c.p_ai_beats_mine_se, SHARE)
            );
            let start = super::sweep::own_start(s, site);
            b.push_str(&histogram_figure(&site.name, h, &note, c, &start, &id));
        }
        if let Some(st) = stats {
            b.push_str(&distribution_table(st.mine.as_ref(), st.ai.as_ref(), site));
        }
        pages.push(b);
    }

    if let Some(k) = risk
        && let Some(fans) = k.fans.get(j)
        && (fans.mine.is_some() || fans.ai.is_some())
    {
        let mut c = title(&site.name, "the range of outcomes");
        c.push_str(&fan_figures(s, site, fans, k.fan_paths, &id));
        pages.push(c);
    }
    pages
}

/// The month index of `month` on the scenario's axis, when inside it.
fn index(s: &Summary, month: YearMonth) -> Option<usize> {
    let i = month.months_since(s.start)? as usize;
    (i < s.months as usize).then_some(i)
}

fn axis(s: &Summary) -> MonthAxis {
    MonthAxis {
        start: s.start,
        months: s.months as usize,
    }
}

/// The plot's width in chart units, about (the chart's 720 less the
/// value axis and margins): enough to judge whether labels fit.
const PLOT_UNITS: f64 = 610.0;

/// The halvings within the horizon as markers, and the legend entry they
/// need: labelled "halving 2028-04" when such labels fit side by side
/// (about 110 chart units apart), by their year alone when that fits
/// (about 35), else unlabelled; the legend then says "dashed: halvings".
fn halvings(s: &Summary) -> (Vec<Marker>, Option<String>) {
    let months: Vec<(usize, YearMonth)> = s
        .halvings
        .iter()
        .filter_map(|h| Some((index(s, h.month)?, h.month)))
        .collect();
    let per_month = PLOT_UNITS / f64::from(s.months.max(1));
    let closest = months
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) as f64 * per_month)
        .fold(f64::INFINITY, f64::min);
    let (label, legend): (fn(YearMonth) -> String, Option<&str>) = if closest >= 110.0 {
        (|m| format!("halving {m}"), None)
    } else if closest >= 35.0 {
        (
            |m| m.year.to_string(),
            Some("dashed: halvings (year above)"),
        )
    } else {
        (|_| String::new(), Some("dashed: halvings"))
    };
    let markers = months
        .into_iter()
        .map(|(month, m)| Marker {
            month,
            label: label(m),
        })
        .collect();
    (markers, legend.map(str::to_string))
}

/// A strategy's cumulative present value by month: each month's cash
/// flow discounted as the NPV discounts it (`present_value(CF_i, i)` at
/// the scenario's rate), summed; its last value is the NPV. `None` when
/// a figure leaves the decimal range (the chart then has no thin line).
pub(super) fn discounted(s: &Summary, o: &crate::summary::Outcome) -> Option<Vec<Decimal>> {
    let discount = Discount::new(s.inputs.discount_rate, s.months as usize).ok()?;
    let mut total = Decimal::ZERO;
    let mut out = Vec::with_capacity(o.monthly.len());
    for (i, m) in o.monthly.iter().enumerate() {
        total = total.checked_add(discount.present_value(m.cash_flow_usd, i).ok()?)?;
        out.push(total);
    }
    Some(out)
}

/// The AI go-live as a marker.
fn go_live(s: &Summary, site: &SiteSummary) -> Option<Marker> {
    let g = site.ai.as_ref()?.go_live?;
    Some(Marker {
        month: index(s, g)?,
        label: format!("AI go-live {g}"),
    })
}

fn usd_axis(title: &str) -> ValueAxis {
    ValueAxis {
        title: title.to_string(),
        unit: Unit::Usd,
    }
}

/// Where AI's cumulative cash stands against mining's over the months
/// ("ahead" is strictly more cash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Crossing {
    /// AI ahead in every month.
    AlwaysAi,
    /// AI never ahead.
    NeverAi,
    /// AI ahead from `from` to the end; `before` says it was ahead
    /// earlier too and fell behind.
    AiForGood { from: usize, before: bool },
    /// AI ahead from `first` at some point, mining ahead again (or level)
    /// from `back` to the end.
    MineAgain { first: usize, back: usize },
}

pub(super) fn crossing(mine: &[Decimal], ai: &[Decimal]) -> Crossing {
    let ahead: Vec<bool> = mine.iter().zip(ai).map(|(m, a)| a > m).collect();
    let Some(&last) = ahead.last() else {
        return Crossing::NeverAi;
    };
    let first = ahead.iter().position(|&x| x);
    // The start of the final run of equal states.
    let run_start = ahead.iter().rposition(|&x| x != last).map_or(0, |i| i + 1);
    match (last, first) {
        (true, _) if run_start == 0 => Crossing::AlwaysAi,
        (true, Some(f)) => Crossing::AiForGood {
            from: run_start,
            before: f < run_start,
        },
        (false, Some(f)) => Crossing::MineAgain {
            first: f,
            back: run_start,
        },
        _ => Crossing::NeverAi,
    }
}

/// The cumulative-cash chart and its sentence; none for a site without
/// a strategy.
fn cash_figure(s: &Summary, site: &SiteSummary, id: &str) -> Option<String> {
    let cum = |o: &crate::summary::Outcome| -> Vec<Decimal> {
        o.monthly.iter().map(|m| m.cumulative_cash_usd).collect()
    };
    let mine = site.mine.as_ref().map(|m| cum(&m.outcome));
    let ai = site.ai.as_ref().map(|a| cum(&a.outcome));
    if mine.is_none() && ai.is_none() {
        return None;
    }
    let series_of = |name: &str, ink: Ink, v: &[Decimal], thin: bool| Series {
        name: name.to_string(),
        ink,
        values: v.iter().map(|x| Some(draw(*x))).collect(),
        thin,
    };
    let rate = crate::render::number::stated_percent(s.inputs.discount_rate);
    let pv_mine = site.mine.as_ref().and_then(|m| discounted(s, &m.outcome));
    let pv_ai = site.ai.as_ref().and_then(|a| discounted(s, &a.outcome));
    let mut series = Vec::new();
    if let Some(m) = &mine {
        series.push(series_of("Keep mining", Ink::Mine, m, false));
    }
    if let Some(a) = &ai {
        series.push(series_of("Convert to AI", Ink::Ai, a, false));
    }
    if let Some(m) = &pv_mine {
        series.push(series_of(
            &format!("Keep mining, discounted at {rate}"),
            Ink::Mine,
            m,
            true,
        ));
    }
    if let Some(a) = &pv_ai {
        series.push(series_of(
            &format!("Convert to AI, discounted at {rate}"),
            Ink::Ai,
            a,
            true,
        ));
    }
    let (mut markers, marker_legend) = halvings(s);
    markers.extend(go_live(s, site));
    let mut points = Vec::new();
    let mut words = Vec::new();
    if let (Some(m), Some(a)) = (&mine, &ai) {
        let at = |i: usize| s.month(i);
        match crossing(m, a) {
            Crossing::AlwaysAi => {
                words.push("AI's cumulative cash is ahead of mining's in every month.".to_string())
            }
            Crossing::NeverAi => words.push(
                "Mining's cumulative cash stays ahead of (or level with) AI's in every month: the curves never cross."
                    .to_string(),
            ),
            Crossing::AiForGood { from, before } => {
                points.push(Point {
                    month: from,
                    value: draw(a[from]),
                    label: format!("AI's cash ahead from {} (undiscounted)", at(from)),
                });
                let first = m.iter().zip(a.iter()).position(|(m, a)| a > m);
                let last = a.len().saturating_sub(1);
                // Ahead only in the last month, and only by the exit
                // values: the curves' jump, not the months' cash.
                let tv = |o: Option<&crate::summary::Outcome>| {
                    o.and_then(|o| o.f2.as_ref())
                        .map_or(Decimal::ZERO, |f| f.terminal_value_usd)
                };
                let (tm, ta) = (
                    tv(site.mine.as_ref().map(|x| &x.outcome)),
                    tv(site.ai.as_ref().map(|x| &x.outcome)),
                );
                let by_exit = from == last
                    && !(tm.is_zero() && ta.is_zero())
                    && a[last] - ta <= m[last] - tm;
                words.push(if by_exit {
                    format!(
                        "AI's cumulative cash passes mining's only in the last month, {}, through the exit (terminal) values: without them mining's would still be ahead.",
                        at(from)
                    )
                } else if let (true, Some(first)) = (before, first) {
                    format!(
                        "AI's cumulative cash passes mining's in {} and stays ahead (it was also ahead earlier, first in {}).",
                        at(from),
                        at(first)
                    )
                } else {
                    format!(
                        "AI's cumulative cash passes mining's in {} and stays ahead.",
                        at(from)
                    )
                });
            }
            Crossing::MineAgain { first, back } => {
                points.push(Point {
                    month: back,
                    value: draw(m[back]),
                    label: format!("mining's cash ahead again {} (undiscounted)", at(back)),
                });
                words.push(format!(
                    "AI's cumulative cash gets ahead of mining's in {}, but mining's is ahead again from {} to the end.",
                    at(first),
                    at(back)
                ));
            }
        }
    }
    let last = s.months.saturating_sub(1) as usize;
    let end = |v: &Option<Vec<Decimal>>| v.as_ref().and_then(|v| v.last().copied());
    let mut ends = Vec::new();
    if let Some(v) = end(&mine) {
        ends.push(format!("mining {}", compact(v, "$")));
    }
    if let Some(v) = end(&ai) {
        ends.push(format!("AI {}", compact(v, "$")));
    }
    words.push(format!("In {}: {}.", s.month(last), ends.join(", ")));
    // What the curves' steps hold besides the months' cash.
    let exits: Vec<String> = [
        ("mining's", site.mine.as_ref().map(|m| &m.outcome)),
        ("AI's", site.ai.as_ref().map(|a| &a.outcome)),
    ]
    .into_iter()
    .filter_map(|(who, o)| {
        let tv = o?.f2.as_ref()?.terminal_value_usd;
        (!tv.is_zero()).then(|| format!("{who} {}", compact(tv, "$")))
    })
    .collect();
    if !exits.is_empty() {
        words.push(format!(
            "The last month's step includes the exit (terminal) value: {}.",
            exits.join(", ")
        ));
    }
    if let Some(a) = &site.ai
        && let Some(f) = &a.f2
        && !f.fleet_sale_usd.is_zero()
    {
        words.push(format!(
            "AI's curve includes the fleet sale of {} at go-live.",
            compact(f.fleet_sale_usd, "$")
        ));
    }
    // When the undiscounted cash and the NPVs rank the futures apart,
    // that comes first: the picture must not contradict the verdict.
    let npv = |o: Option<&crate::summary::Outcome>| o.map(|o| o.npv_usd);
    let order = |d: Decimal| d.cmp(&Decimal::ZERO);
    if let (Some(em), Some(ea), Some(nm), Some(na)) = (
        end(&mine),
        end(&ai),
        npv(site.mine.as_ref().map(|m| &m.outcome)),
        npv(site.ai.as_ref().map(|a| &a.outcome)),
    ) {
        let (cash, value) = (ea - em, na - nm);
        if !cash.is_zero() && !value.is_zero() && order(cash) != order(value) {
            let who = |d: Decimal| if d > Decimal::ZERO { "AI" } else { "mining" };
            let exit = |o: Option<&crate::summary::Outcome>| {
                o.and_then(|o| o.f2.as_ref())
                    .map_or(Decimal::ZERO, |f| f.terminal_value_usd)
            };
            let exit_gap = exit(site.ai.as_ref().map(|a| &a.outcome))
                - exit(site.mine.as_ref().map(|m| &m.outcome));
            let by_exit = if (exit_gap > Decimal::ZERO) == (cash > Decimal::ZERO)
                && exit_gap.abs() * Decimal::TWO > cash.abs()
            {
                format!(", most of it the exit value in {}", s.month(last))
            } else {
                String::new()
            };
            words.insert(
                0,
                format!(
                    "Undiscounted, {} ends {} ahead{by_exit}; discounted at {rate} (thin lines, ending at the NPVs) {} ends ahead by {}: run's verdict follows the NPV.",
                    who(cash),
                    compact(cash.abs(), "$"),
                    who(value),
                    compact(value.abs(), "$")
                ),
            );
        }
    }
    words.push(format!(
        "Thick lines: cash as it is paid, not discounted. Thin lines: each month's cash discounted at {rate} a year, as the NPV discounts it; they end at the NPVs, which decide the verdict."
    ));
    let chart = LineChart {
        id: format!("{id}-cash"),
        title: format!("{}: cumulative cash by month", site.name),
        x: axis(s),
        y: usd_axis("Cumulative cash, USD"),
        series,
        markers,
        points,
        levels: Vec::new(),
        shades: Vec::new(),
        shade_legend: None,
        marker_legend,
    };
    Some(figure(&svg::line_chart(&chart), &words.join(" ")))
}

/// A chart and its caption.
fn figure(svg: &str, caption: &str) -> String {
    format!(
        "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(caption)
    )
}

/// What an AI-only site's page says instead of a hashprice chart.
pub(super) const NO_FLEET: &str = "<p class=\"note\">No hashprice chart: this site has no mining fleet, so the network's hashprice enters none of its figures.</p>\n";

/// The legend of the hashprice chart's shading, as docs/model.md states it.
pub(super) const SHADE_LEGEND: &str = "Share of fleet hours off that month";

/// The hashprice chart, shaded where mining switched some of its fleet off.
fn hashprice_figure(s: &Summary, site: &SiteSummary, id: &str) -> String {
    let values = s
        .hashprice_usd_per_ph_day
        .iter()
        .map(|v| Some(draw(*v)))
        .collect();
    // Strength 1 − run share of strategy `mine`, for each month with one.
    let mut shades = Vec::new();
    let mut off_months = Vec::new();
    if let Some(m) = &site.mine {
        for (i, month) in m.outcome.monthly.iter().enumerate() {
            if let Some(share) = month.f2.as_ref().and_then(|f| f.run_share)
                && share < Decimal::ONE
            {
                let off = Decimal::ONE - share;
                shades.push(Shade {
                    month: i,
                    strength: draw(off).clamp(0.0, 1.0),
                });
                off_months.push(i);
            }
        }
    }
    let caption = match (&site.mine, s.inputs.format2.is_some()) {
        (None, _) => "This site has no mining future: nothing is shaded.".to_string(),
        (Some(_), false) => {
            "Format 1 never switches a machine off: no month is shaded.".to_string()
        }
        (Some(_), true) if off_months.is_empty() => {
            "The fleet runs every hour of every month (run share 100 %): nothing is shaded."
                .to_string()
        }
        (Some(m), true) => {
            let first = off_months.first().copied().unwrap_or(0);
            let total = m
                .outcome
                .f2
                .as_ref()
                .and_then(|f| f.run_share)
                .map(|r| {
                    format!(
                        "; over the horizon the fleet runs {} of its meter-energy hours (run share)",
                        percent(r, SHARE)
                    )
                })
                .unwrap_or_default();
            format!(
                "Shaded: the share of the fleet's meter-energy hours switched off that month (economic shutdown or curtailment), darker when more is off. Some of the fleet is off in {} of {} months, first in {}{total}.",
                off_months.len(),
                s.months,
                s.month(first)
            )
        }
    };
    let caption = format!(
        "Hashprice is what one PH/s earns a day before costs; it halves at each halving. {caption}"
    );
    let has_shades = !shades.is_empty();
    let (markers, marker_legend) = halvings(s);
    let chart = LineChart {
        id: format!("{id}-hashprice"),
        title: format!("{}: hashprice by month", site.name),
        x: axis(s),
        y: ValueAxis {
            title: "Hashprice, USD per PH/s per day".to_string(),
            unit: Unit::UsdPerPhDay,
        },
        series: vec![Series {
            name: "Hashprice".to_string(),
            ink: Ink::Neutral,
            values,
            thin: false,
        }],
        markers,
        points: Vec::new(),
        levels: Vec::new(),
        shades,
        shade_legend: has_shades.then(|| SHADE_LEGEND.to_string()),
        marker_legend,
    };
    figure(&svg::line_chart(&chart), &caption)
}

/// The NPV of each conversion start, the best marked, never converting
/// as a level, the file's own start as a marker.
fn pivot_figure(s: &Summary, p: &crate::pivot::Pivot, sp: &SitePivot, id: &str) -> String {
    let values = sp
        .npv_by_start
        .iter()
        .enumerate()
        .map(|(i, v)| sp.eligible(i).then(|| draw(*v)))
        .collect();
    // A best start is ringed only when converting there beats never
    // converting: when the answer is never convert, the least bad start
    // is not a recommendation.
    let mut points = Vec::new();
    if let (Some(b), Some(v)) = (sp.best_start, sp.best_npv_usd) {
        let label = match sp.verdict {
            crate::pivot::Verdict::Convert => format!("best start {}", s.month(b)),
            crate::pivot::Verdict::Mine => format!("least bad start {}", s.month(b)),
        };
        points.push(Point {
            month: b,
            value: draw(v),
            label,
        });
    }
    let markers = vec![Marker {
        month: sp.planned_start,
        label: format!("planned start {}", s.month(sp.planned_start)),
    }];
    let chart = LineChart {
        id: format!("{id}-pivot"),
        title: format!("{}: NPV by conversion start month", sp.name),
        x: axis(s),
        y: usd_axis("NPV, USD"),
        series: vec![Series {
            name: "Convert in that month".to_string(),
            ink: Ink::Ai,
            values,
            thin: false,
        }],
        markers,
        points,
        levels: vec![Level {
            value: draw(sp.never_npv_usd),
            label: format!(
                "Never convert (keep mining): {}",
                compact(sp.never_npv_usd, "$")
            ),
        }],
        shades: Vec::new(),
        shade_legend: None,
        marker_legend: None,
    };
    let planned = sp
        .npv_by_start
        .get(sp.planned_start)
        .map(|v| compact(*v, "$"))
        .unwrap_or_default();
    let mut caption = format!(
        "{}. Each point of the line is the NPV of converting in that month; the dotted line is never converting. The file's own start, {}, gives {planned}.",
        crate::render::pivot::verdict_sentence(p, sp),
        s.month(sp.planned_start)
    );
    let limit = sp.last_start_limit.min(sp.npv_by_start.len());
    if limit < sp.npv_by_start.len() {
        let _ = write!(
            caption,
            " Starts from {} on leave AI hosting live for less than the horizon's last year and are not drawn.",
            s.month(limit)
        );
    }
    // What `pivot` prints under its verdict (starts near the best, a
    // verdict resting on the exit values, both futures losing money), as
    // sentences of the caption: a list would not leave the risk charts
    // room on the same printed page.
    for c in crate::render::pivot::caveats(s, p, sp) {
        let _ = write!(caption, " {c}.");
    }
    figure(&svg::line_chart(&chart), &caption)
}

/// The histogram of the advantage of converting over the paths.
fn histogram_figure(
    site: &str,
    h: Option<&Histogram>,
    note: &str,
    c: &crate::simulate::Comparison,
    start: &str,
    id: &str,
) -> String {
    let summary = format!(
        "Converting at the file's own start, {start} (the chart above weighs other starts); AI − mining NPV over the paths: mean {}, P5 {}, median {}, P95 {}.",
        compact(c.advantage_mean_usd, "$"),
        compact(c.advantage_p5_usd, "$"),
        compact(c.advantage_p50_usd, "$"),
        compact(c.advantage_p95_usd, "$")
    );
    let (bars, tails) = match h {
        Some(Histogram::Bins {
            lo,
            width,
            counts,
            under,
            over,
            ..
        }) => bars(*lo, *width, counts, *under, *over),
        Some(Histogram::Flat { value, paths }) => {
            return format!(
                "<p>{note}. Every one of the {} paths has the same advantage, {}: there is nothing to draw. {}</p>\n",
                group(&paths.to_string()),
                compact(*value, "$"),
                escape(&summary)
            );
        }
        None => return format!("<p>{} {}</p>\n", escape(note), escape(&summary)),
    };
    let chart = svg::Histogram {
        id: format!("{id}-advantage"),
        title: format!("{site}: NPV advantage of converting, over the paths"),
        x: usd_axis("NPV of AI − NPV of mining, USD"),
        bars,
        note: note.to_string(),
    };
    let mut caption = format!("{note}. {summary}");
    if !tails.is_empty() {
        let _ = write!(caption, " {tails}");
    }
    figure(&svg::histogram(&chart), &caption)
}

/// `the N paths`, or `the one path`.
fn paths(n: usize) -> String {
    match n {
        1 => "the one path".to_string(),
        _ => format!("the {} paths", group(&n.to_string())),
    }
}

/// `simulate`'s bins as bars, the gathered tails as one bar a bin wide at
/// each end; and a sentence on those end bars.
fn bars(
    lo: Decimal,
    width: Decimal,
    counts: &[Sides],
    under: Option<Sides>,
    over: Option<Sides>,
) -> (Vec<Bar>, String) {
    let edge = |k: usize| lo + width * Decimal::from(k);
    // A gathered tail's bar: above zero when most of its paths are.
    let tail = |from: Decimal, to: Decimal, s: Sides| Bar {
        lo: draw(from),
        hi: draw(to),
        count: s.total(),
        above_zero: s.ahead > s.behind,
    };
    let mut bars = Vec::new();
    let mut tails = Vec::new();
    if let Some(u) = under {
        bars.push(tail(lo - width, lo, u));
        tails.push(format!(
            "the first bar gathers {} at or below {}",
            paths(u.total()),
            compact(lo, "$")
        ));
    }
    for (k, c) in counts.iter().enumerate() {
        bars.push(Bar {
            lo: draw(edge(k)),
            hi: draw(edge(k + 1)),
            count: c.total(),
            above_zero: c.ahead > 0,
        });
    }
    if let Some(o) = over {
        let hi = edge(counts.len());
        bars.push(tail(hi, hi + width, o));
        tails.push(format!(
            "the last bar gathers {} above {}",
            paths(o.total()),
            compact(hi, "$")
        ));
    }
    let text = if tails.is_empty() {
        String::new()
    } else {
        let mut t = tails.join("; ");
        if let Some(first) = t.get(..1) {
            t = format!("{}{}", first.to_uppercase(), &t[1..]);
        }
        format!("{t} (far tails, drawn one bin wide).")
    };
    (bars, text)
}

/// A fan's bands as the chart takes them.
fn fan_of(name: &str, ink: Ink, b: &Bands) -> Fan {
    let f = |v: &[Decimal]| v.iter().map(|x| draw(*x)).collect();
    Fan {
        name: name.to_string(),
        ink,
        p5: f(&b.p5),
        p25: f(&b.p25),
        p50: f(&b.p50),
        p75: f(&b.p75),
        p95: f(&b.p95),
    }
}

/// The two fans of a site on one scale.
fn fan_figures(s: &Summary, site: &SiteSummary, fans: &SiteFans, paths: u64, id: &str) -> String {
    let present: Vec<(&str, &str, Ink, &Bands)> = [
        ("mine", "Keep mining", Ink::Mine, fans.mine.as_ref()),
        ("ai", "Convert to AI", Ink::Ai, fans.ai.as_ref()),
    ]
    .into_iter()
    .filter_map(|(k, n, i, b)| Some((k, n, i, b?)))
    .collect();
    if present.is_empty() {
        return String::new();
    }
    let lo = present
        .iter()
        .flat_map(|(_, _, _, b)| b.p5.iter())
        .min()
        .copied()
        .unwrap_or_default();
    let hi = present
        .iter()
        .flat_map(|(_, _, _, b)| b.p95.iter())
        .max()
        .copied()
        .unwrap_or_default();
    let mut out = String::new();
    for (key, name, ink, bands) in &present {
        // The go-live matters to the AI future only.
        let (mut markers, marker_legend) = halvings(s);
        if *key == "ai" {
            markers.extend(go_live(s, site));
        }
        let chart = FanChart {
            id: format!("{id}-fan-{key}"),
            title: format!("{}: {name}, cumulative cash over the paths", site.name),
            x: axis(s),
            y: usd_axis("Cumulative cash, USD (undiscounted)"),
            fan: fan_of(name, *ink, bands),
            y_range: Some((draw(lo), draw(hi))),
            markers,
            marker_legend,
        };
        let last = bands.p50.len().saturating_sub(1);
        let end = |v: &[Decimal]| v.get(last).map(|x| compact(*x, "$")).unwrap_or_default();
        let caption = fan_caption(
            name,
            &s.month(last).to_string(),
            [
                end(&bands.p5),
                end(&bands.p25),
                end(&bands.p50),
                end(&bands.p75),
                end(&bands.p95),
            ],
        );
        out.push_str(&figure(&svg::fan_chart(&chart), &caption));
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">Bands: P5–P95 light, P25–P75 dark, median line; percentiles taken month by month (nearest rank) over the first {} paths; undiscounted. Both charts share one scale.</p>",
        group(&paths.to_string())
    );
    out
}

/// A fan's caption from its last month's P5, P25, P50, P75 and P95 as
/// shown (rounded): "half the paths end between $1.1B and $1.3B (median
/// $1.2B)", or, when the two ends of a band show the same figure, "at
/// about" it (a range "between $1.2B and $1.2B" reads as a mistake).
fn fan_caption(name: &str, month: &str, [p5, p25, p50, p75, p95]: [String; 5]) -> String {
    let half = if p25 == p75 {
        // Rounding keeps order, so the median shows the same figure.
        format!("half the paths end at about {p25}")
    } else {
        format!("half the paths end between {p25} and {p75} (median {p50})")
    };
    let most = if p5 == p95 {
        format!("nine in ten end at about {p5}")
    } else {
        format!("nine in ten between {p5} and {p95}")
    };
    format!("{name}: in {month}, {half}, {most}.")
}

/// The NPV distribution figures `simulate` prints, per strategy (the
/// rows [`FIGURE_ROWS`] keeps for the report).
fn distribution_table(
    mine: Option<&StrategyStats>,
    ai: Option<&StrategyStats>,
    site: &SiteSummary,
) -> String {
    let columns = figure_columns([
        (
            "keep mining",
            mine,
            site.mine.as_ref().map(|m| m.outcome.npv_usd),
        ),
        (
            "convert to AI",
            ai,
            site.ai.as_ref().map(|a| a.outcome.npv_usd),
        ),
    ]);
    if columns.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<table class=\"distribution\">\n<caption>NPV over the paths (from <code>hashpivot simulate</code>, which also prints CVaR and P(pays back))</caption>\n<thead><tr><th></th>",
    );
    for (n, _) in &columns {
        let _ = write!(out, "<th class=\"n\">{n}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, (label, shown)) in FIGURE_ROWS.iter().enumerate() {
        if !shown {
            continue;
        }
        let _ = write!(out, "<tr><th scope=\"row\">{label}</th>");
        for (_, cells) in &columns {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                escape(cells.get(i).map_or("", String::as_str))
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: &[i64]) -> Vec<Decimal> {
        v.iter().map(|&x| Decimal::from(x)).collect()
    }

    /// The thin discounted line ends at the NPV: summing each month's
    /// present value as `Discount` gives it must give `npv_usd` (the NPV
    /// is that sum, the exit value included in the last month's cash
    /// flow) to far less than a drawing unit: the two sums may differ in
    /// the 28th significant digit, where decimals round, so within a
    /// millionth of a dollar; for both strategies of every site of
    /// shipped files in both formats; and the first point is month 0's cash flow
    /// discounted by one month, `CF_0 / (1 + r)^(1/12)`, so less than it
    /// in size when the rate is positive.
    #[test]
    fn the_discounted_line_ends_at_the_npv() {
        for file in [
            "texas-west-curtailment.toml",
            "permian-partial-conversion.toml",
            "lake-mariner.toml",
            "portfolio.toml",
        ] {
            let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
            let source = std::fs::read_to_string(&path).unwrap();
            let s = crate::evaluate(&source).unwrap();
            assert!(s.inputs.discount_rate > Decimal::ZERO);
            for site in &s.sites {
                let outcomes = [
                    site.mine.as_ref().map(|m| &m.outcome),
                    site.ai.as_ref().map(|a| &a.outcome),
                ];
                for o in outcomes.into_iter().flatten() {
                    let line = discounted(&s, o).unwrap();
                    assert_eq!(line.len(), s.months as usize);
                    let last = line.last().copied().unwrap_or(Decimal::MAX);
                    assert!(
                        (last - o.npv_usd).abs() < Decimal::new(1, 6),
                        "{file} {}: {last} vs {}",
                        site.name,
                        o.npv_usd
                    );
                    let cf0 = o.monthly[0].cash_flow_usd;
                    assert!(cf0.is_zero() || line[0].abs() < cf0.abs(), "{file}");
                }
            }
        }
    }

    /// Halvings are labelled in full on a short horizon, by year on a long
    /// one, and the legend then names them: 120 months, halvings 48
    /// months apart are 610 × 48 / 120 = 244 units apart (full labels);
    /// 600 months: 48.8 units (years, ≥ 35).
    #[test]
    fn halving_labels_fit_the_horizon() {
        let path = format!(
            "{}/scenarios/texas-west-curtailment.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let source = std::fs::read_to_string(&path).unwrap();
        let s = crate::evaluate(&source).unwrap();
        let (markers, legend) = halvings(&s);
        assert!(markers.iter().all(|m| m.label.starts_with("halving 20")));
        assert_eq!(legend, None);
        let long = crate::evaluate_with(&source, &[crate::Override::parse("months=600").unwrap()])
            .unwrap();
        let (markers, legend) = halvings(&long);
        assert!(markers.len() >= 12, "{}", markers.len());
        assert!(markers.iter().all(|m| m.label.len() == 4), "{markers:?}");
        assert_eq!(legend.as_deref(), Some("dashed: halvings (year above)"));
    }

    /// Ahead means strictly more cash: a tie is not a crossing.
    #[test]
    fn crossings_read_from_the_curves() {
        // AI behind, level in month 2, ahead from month 3 on.
        assert_eq!(
            crossing(&d(&[0, 0, 5, 5]), &d(&[-9, -1, 5, 6])),
            Crossing::AiForGood {
                from: 3,
                before: false
            }
        );
        // Ahead in month 1, behind in 2, ahead again from 3: for good from 3.
        assert_eq!(
            crossing(&d(&[0, 0, 0, 0]), &d(&[-1, 1, -1, 1])),
            Crossing::AiForGood {
                from: 3,
                before: true
            }
        );
        assert_eq!(crossing(&d(&[0, 0]), &d(&[1, 1])), Crossing::AlwaysAi);
        assert_eq!(crossing(&d(&[0, 0]), &d(&[0, -1])), Crossing::NeverAi);
        // Ahead in months 1 and 2, level in 3: mining "ahead again" from 3.
        assert_eq!(
            crossing(&d(&[0, 0, 0, 0]), &d(&[-1, 2, 2, 0])),
            Crossing::MineAgain { first: 1, back: 3 }
        );
        assert_eq!(crossing(&[], &[]), Crossing::NeverAi);
    }

    /// A band whose ends show the same figure is said "at about" it; the
    /// others as ranges, the median with the middle half.
    #[test]
    fn fan_captions_say_at_about_when_a_band_rounds_to_one_figure() {
        let f = |v: [&str; 5]| fan_caption("Convert to AI", "2035-12", v.map(String::from));
        assert_eq!(
            f(["$1.1B", "$1.2B", "$1.2B", "$1.2B", "$1.3B"]),
            "Convert to AI: in 2035-12, half the paths end at about $1.2B, nine in ten between $1.1B and $1.3B."
        );
        assert_eq!(
            f(["$1.2B", "$1.2B", "$1.2B", "$1.2B", "$1.2B"]),
            "Convert to AI: in 2035-12, half the paths end at about $1.2B, nine in ten end at about $1.2B."
        );
        assert_eq!(
            f(["-$5.0M", "$1.0M", "$2.0M", "$3.0M", "$9.0M"]),
            "Convert to AI: in 2035-12, half the paths end between $1.0M and $3.0M (median $2.0M), nine in ten between -$5.0M and $9.0M."
        );
    }

    /// Bins (lo + k·w, lo + (k+1)·w] become bars at those edges, the
    /// gathered tails a bin wide past each end: lo −10, w 5, two bins
    /// (−10, −5] and (−5, 0] with 3 and 1 paths below zero, 4 paths under
    /// −10 and 2 over 0 (both AI ahead).
    #[test]
    fn bins_become_bars() {
        let side = |behind, ahead| Sides { behind, ahead };
        let (bars, tails) = bars(
            Decimal::from(-10),
            Decimal::from(5),
            &[side(3, 0), side(1, 0)],
            Some(side(4, 0)),
            Some(side(0, 2)),
        );
        let edges: Vec<(f64, f64, usize, bool)> = bars
            .iter()
            .map(|b| (b.lo, b.hi, b.count, b.above_zero))
            .collect();
        assert_eq!(
            edges,
            [
                (-15.0, -10.0, 4, false),
                (-10.0, -5.0, 3, false),
                (-5.0, 0.0, 1, false),
                (0.0, 5.0, 2, true)
            ]
        );
        assert_eq!(
            tails,
            "The first bar gathers the 4 paths at or below -$10; the last bar gathers the 2 paths above $0 (far tails, drawn one bin wide)."
        );
    }
}
