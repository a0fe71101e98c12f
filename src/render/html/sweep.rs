//! With `--vary`: one page per site with the winner map of the sweep
//! (a heat map with the flip line) and, in words, where the winner
//! flips.
//!
//! One flip, drawn where it is: the flip values are `sweep`'s, linear
//! interpolation of the NPV advantage between neighbouring grid points
//! ([`crate::sweep::flips`]), and the map draws its flip line at those
//! very values (as fractional positions between the cells), so the line,
//! the table under it and `sweep`'s table agree. With one axis on
//! `bitcoin.price_usd` the page also gives `run`'s exact crossover (the
//! cover's figure): the interpolation between grid points differs from
//! it a little, and a reader told both can see why.
//!
//! Axes are named by what the key means, with its unit ("Lease (USD per
//! kW-month)"), from a small table of keys ([`meaning`]; the raw key
//! otherwise), and the file's own values of the varied keys are ringed
//! ("this file") when the file's value of every varied key is known here
//! and inside the grid. Labels are `sweep`'s table's
//! ([`crate::render::sweep::Labels`]): grouped numbers, as many decimals
//! as tell neighbours apart.

use super::escape;
use crate::render::number::money;
use crate::render::svg::{self, Cell, GridAxis, GridPoint, HeatMap};
use crate::render::sweep::{Labels, flip_value, no_flip_text, short};
use crate::scenario::{AiKind, Scenario};
use crate::summary::{SiteSummary, Summary, Winner};
use crate::sweep::{Axis, SiteFigures, flips};
use rust_decimal::Decimal;
use std::fmt::Write;

/// What a varied key means and its unit, for the keys a sweep is most
/// often run on (docs/keys.md); `None` for any other key.
pub(super) fn meaning(key: &str) -> Option<(&'static str, &'static str)> {
    let site_key = key
        .strip_prefix("site[")
        .and_then(|rest| rest.split_once("]."))
        .map(|(_, k)| k);
    let found = match site_key {
        Some(k) => match k {
            "power_price_usd_per_mwh" => ("Power price", "USD per MWh"),
            "power_escalator_annual" => ("Power price escalator", "fraction a year"),
            "grid_mw" => ("Grid connection", "MW"),
            "ai.lease_usd_per_kw_month" => ("Lease", "USD per kW-month"),
            "ai.lease_escalator_annual" => ("Lease escalator", "fraction a year"),
            "ai.it_mw" => ("AI critical IT load", "MW"),
            "ai.conversion_capex_usd" => ("Conversion capex", "USD"),
            "ai.build_months" => ("AI build time", "months"),
            "ai.ramp_months" => ("AI ramp", "months"),
            "ai.opex_usd_per_month" => ("AI opex", "USD a month"),
            "ai.pue" => ("AI PUE", "meter ÷ IT load"),
            "ai.gpu_hour_usd" => ("GPU-hour price in month 0", "USD"),
            "ai.utilization" => ("GPU utilization", "fraction of GPU-hours sold"),
            "ai.gpu_hour_decline_annual" => ("GPU-hour price decline", "fraction a year"),
            "ai.gpu_capex_usd" => ("GPU capex", "USD per GPU"),
            "ai.gpu_count" => ("GPUs", "count"),
            "mining.uptime" => ("Mining uptime", "fraction of hours"),
            "mining.pool_fee" => ("Pool fee", "fraction of BTC mined"),
            "mining.opex_usd_per_month" => ("Mining opex", "USD a month"),
            "mining.capex_usd" => ("Mining capex", "USD"),
            "mining.pue" => ("Mining PUE", "meter ÷ IT load"),
            _ => return None,
        },
        None => match key {
            "bitcoin.price_usd" => ("BTC price in month 0", "USD"),
            "bitcoin.price_growth_annual" => ("BTC price growth", "fraction a year"),
            "bitcoin.network_hashrate_ehs" => ("Network hashrate in month 0", "EH/s"),
            "bitcoin.hashrate_growth_annual" => ("Network hashrate growth", "fraction a year"),
            "bitcoin.fees_btc_per_block" => ("Fees", "BTC per block"),
            "discount_rate" => ("Discount rate", "fraction a year"),
            "inflation_annual" => ("Inflation", "fraction a year"),
            _ => return None,
        },
    };
    Some(found)
}

/// An axis's title: "Lease (USD per kW-month)", or the raw key.
pub(super) fn axis_title(key: &str) -> String {
    match meaning(key) {
        Some((what, unit)) => format!("{what} ({unit})"),
        None => key.to_string(),
    }
}

/// A value of `key` with its unit: `$85,611`, `$104.06 per kW-month`,
/// `0.35 (fraction a year)`, `12 months`; bare for an unknown key.
pub(super) fn with_unit(key: &str, value: &str) -> String {
    let Some((_, unit)) = meaning(key) else {
        return value.to_string();
    };
    let (sign, digits) = match value.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", value),
    };
    if unit == "USD" {
        format!("{sign}${digits}")
    } else if let Some(rest) = unit.strip_prefix("USD ") {
        format!("{sign}${digits} {rest}")
    } else if unit.starts_with("fraction") || unit.contains('÷') {
        format!("{value} ({unit})")
    } else {
        format!("{value} {unit}")
    }
}

/// The file's own value of `key`, for the keys [`meaning`] knows and the
/// file holds as one number; `None` otherwise (no ring is drawn).
pub(super) fn own_value(inputs: &Scenario, key: &str) -> Option<Decimal> {
    let b = &inputs.bitcoin;
    match key {
        "bitcoin.price_usd" => return Some(b.price_usd),
        "bitcoin.price_growth_annual" => return Some(b.price_growth_annual),
        "bitcoin.network_hashrate_ehs" => return Some(b.network_hashrate_ehs),
        "bitcoin.hashrate_growth_annual" => return Some(b.hashrate_growth_annual),
        "bitcoin.fees_btc_per_block" => return Some(b.fees_btc_per_block),
        "discount_rate" => return Some(inputs.discount_rate),
        "inflation_annual" => {
            return Some(
                inputs
                    .format2
                    .as_ref()
                    .map_or(Decimal::ZERO, |f| f.inflation_annual),
            );
        }
        _ => {}
    }
    let (selector, rest) = key.strip_prefix("site[")?.split_once("].")?;
    let site = match selector.parse::<usize>() {
        Ok(i) => inputs.sites.get(i)?,
        Err(_) => inputs.sites.iter().find(|s| s.name == selector)?,
    };
    let ai = || site.ai.as_ref();
    let mining = || site.mining.as_ref();
    Some(match rest {
        "power_price_usd_per_mwh" => {
            if site.power2.as_ref().is_some_and(|p| p.curve) {
                return None;
            }
            site.power_price_usd_per_mwh
        }
        "power_escalator_annual" => site.power2.as_ref()?.escalator_annual,
        "grid_mw" => site.grid_mw,
        "ai.conversion_capex_usd" => ai()?.conversion_capex_usd,
        "ai.build_months" => Decimal::from(ai()?.build_months),
        "ai.ramp_months" => Decimal::from(ai()?.ramp_months),
        "ai.opex_usd_per_month" => ai()?.opex_usd_per_month,
        "ai.pue" => ai()?.pue,
        "mining.uptime" => mining()?.uptime,
        "mining.pool_fee" => mining()?.pool_fee,
        "mining.opex_usd_per_month" => mining()?.opex_usd_per_month,
        "mining.capex_usd" => mining()?.capex_usd,
        "mining.pue" => mining()?.pue,
        _ => match (&ai()?.kind, rest) {
            (
                AiKind::Colocation {
                    lease_usd_per_kw_month,
                    ..
                },
                "ai.lease_usd_per_kw_month",
            ) => *lease_usd_per_kw_month,
            (
                AiKind::Colocation {
                    lease_escalator_annual,
                    ..
                },
                "ai.lease_escalator_annual",
            ) => *lease_escalator_annual,
            (AiKind::Colocation { it_mw, .. }, "ai.it_mw") => *it_mw,
            (AiKind::GpuCloud { gpu_hour_usd, .. }, "ai.gpu_hour_usd") => *gpu_hour_usd,
            (AiKind::GpuCloud { utilization, .. }, "ai.utilization") => *utilization,
            (
                AiKind::GpuCloud {
                    gpu_hour_decline_annual,
                    ..
                },
                "ai.gpu_hour_decline_annual",
            ) => *gpu_hour_decline_annual,
            (AiKind::GpuCloud { gpu_capex_usd, .. }, "ai.gpu_capex_usd") => *gpu_capex_usd,
            (AiKind::GpuCloud { gpu_count, .. }, "ai.gpu_count") => Decimal::from(*gpu_count),
            _ => return None,
        },
    })
}

/// Where `value` sits on the grid values `xs`, in grid steps (value
/// `xs[k]` at `k`, linear between neighbours): the first pair of
/// neighbours that holds it; `None` outside every pair. Exact, then
/// made a float to be drawn.
pub(super) fn position(xs: &[Decimal], value: Decimal) -> Option<f64> {
    if xs.len() == 1 {
        return (xs[0] == value).then_some(0.0);
    }
    for (k, w) in xs.windows(2).enumerate() {
        let (a, b) = (w[0], w[1]);
        if value < a.min(b) || value > a.max(b) {
            continue;
        }
        let fraction = if a == b {
            Decimal::ZERO
        } else {
            (value - a).checked_div(b - a)?
        };
        return Some(k as f64 + super::draw(fraction));
    }
    None
}

/// The month strategy `ai` starts converting at in the file.
pub(super) fn own_start(s: &Summary, site: &SiteSummary) -> String {
    site.ai
        .as_ref()
        .and_then(|a| a.f2.as_ref())
        .map_or(s.start, |f| f.start)
        .to_string()
}

/// The winner-map pages, one per site.
pub(super) fn pages(summary: &Summary, sweep: &super::Sweep) -> Vec<String> {
    let grid = sweep.grid;
    let (rows, cols) = (grid.rows(), grid.columns());
    let rows_axis = &grid.axes[0];
    let cols_axis = grid.axes.get(1);
    let row_labels = Labels::of(rows_axis);
    let col_labels = cols_axis.map(Labels::of);
    let at = |point: usize, site: &str| -> Option<&SiteFigures> {
        sweep
            .results
            .iter()
            .find(|r| r.point == point)
            .and_then(|r| r.outcome.as_ref().ok())
            .and_then(|s| s.iter().find(|f| f.site == site))
    };
    let mut pages = Vec::new();
    // A site with one strategy has no winner anywhere on the grid.
    for (j, site) in summary
        .sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.comparison.is_some())
    {
        let name = &site.name;
        let cells: Vec<Vec<Cell>> = (0..rows)
            .map(|r| {
                (0..cols)
                    .map(|c| match at(r * cols + c, name).and_then(|f| f.winner) {
                        Some(Winner::Mine) => Cell::Mine,
                        Some(Winner::Ai) => Cell::Ai,
                        Some(Winner::Tie) => Cell::Tie,
                        None => Cell::Missing,
                    })
                    .collect()
            })
            .collect();
        // The flips along the horizontal axis (the columns, or a strip's
        // one axis), per drawn row, as sweep finds them.
        let advantage = |point: usize| at(point, name).and_then(SiteFigures::signed_advantage);
        let flip_axis = cols_axis.unwrap_or(rows_axis);
        let flip_places = col_labels.as_ref().unwrap_or(&row_labels).places;
        let xs = flip_axis.numbers();
        let row_flips: Vec<Vec<Decimal>> = match (&xs, cols_axis) {
            (None, _) => Vec::new(),
            (Some(xs), Some(_)) => (0..rows)
                .map(|r| {
                    let adv: Vec<_> = (0..cols).map(|c| advantage(r * cols + c)).collect();
                    flips(xs, &adv)
                })
                .collect(),
            (Some(xs), None) => {
                let adv: Vec<_> = (0..rows).map(advantage).collect();
                vec![flips(xs, &adv)]
            }
        };
        let drawn_flips: Vec<Vec<f64>> = match &xs {
            Some(xs) => row_flips
                .iter()
                .map(|f| f.iter().filter_map(|v| position(xs, *v)).collect())
                .collect(),
            None => Vec::new(),
        };
        let mark = own_point(&summary.inputs, rows_axis, cols_axis);
        let chart = HeatMap {
            id: format!("s{}-map", j + 1),
            title: format!("{name}: who wins across the grid"),
            rows: GridAxis {
                title: axis_title(&rows_axis.key),
                labels: row_labels.texts.clone(),
            },
            columns: cols_axis.zip(col_labels.as_ref()).map(|(a, l)| GridAxis {
                title: axis_title(&a.key),
                labels: l.texts.clone(),
            }),
            cells,
            flips: drawn_flips,
            mark,
        };
        let mut out = super::title(name, "who wins as the inputs vary");
        let vary: Vec<String> = grid.axes.iter().map(|a| a.key.clone()).collect();
        let _ = writeln!(
            out,
            "<p>Each cell is the winner with {} set to that point's value{}, everything else as in the file, converting at the file's own start ({}; the pivot chart weighs other starts). Orange: keep mining; blue, hatched: convert to AI; the thick line runs where the winner flips, interpolated between grid points as <code>hashpivot sweep</code> states it; the ring is the file's own value{}.</p>",
            escape(&vary.join(" and ")),
            if vary.len() > 1 { "s" } else { "" },
            own_start(summary, site),
            if vary.len() > 1 { "s" } else { "" }
        );
        let _ = writeln!(out, "<figure>\n{}\n</figure>", svg::heat_map(&chart));
        // Where it flips, in words, with the same values as the line.
        let flip_words = |found: &[Decimal]| -> String {
            found
                .iter()
                .map(|x| with_unit(&flip_axis.key, &flip_value(*x, flip_places)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (&xs, cols_axis) {
            (None, _) => {
                let _ = writeln!(
                    out,
                    "<p>Flip: not a number axis ({}).</p>",
                    escape(short(&flip_axis.key))
                );
            }
            (Some(_), Some(c)) => {
                let _ = writeln!(
                    out,
                    "<table class=\"flips\">\n<caption>Where the winner flips along {} (interpolated between grid points)</caption>\n<thead><tr><th class=\"n\">{}</th><th>{} flips at</th></tr></thead>\n<tbody>",
                    escape(&axis_title(&c.key)),
                    escape(&axis_title(&rows_axis.key)),
                    escape(meaning(&c.key).map_or(short(&c.key), |m| m.0))
                );
                for (r, found) in row_flips.iter().enumerate() {
                    let text = if found.is_empty() {
                        let adv: Vec<_> = (0..cols).map(|c| advantage(r * cols + c)).collect();
                        no_flip_text(&adv)
                    } else {
                        flip_words(found)
                    };
                    let _ = writeln!(
                        out,
                        "<tr><td class=\"n\">{}</td><td>{}</td></tr>",
                        escape(&with_unit(&rows_axis.key, &row_labels.texts[r])),
                        escape(&text)
                    );
                }
                out.push_str("</tbody>\n</table>\n");
            }
            (Some(_), None) => {
                let found = row_flips.first().map(Vec::as_slice).unwrap_or_default();
                let what = meaning(&rows_axis.key).map_or(short(&rows_axis.key), |m| m.0);
                let mut text = if found.is_empty() {
                    format!("{what}: no flip in range")
                } else {
                    format!(
                        "The winner flips where {what} is {} (interpolated between grid points)",
                        flip_words(found)
                    )
                };
                if rows_axis.key == "bitcoin.price_usd"
                    && let Some(p) = site
                        .comparison
                        .as_ref()
                        .and_then(|c| c.crossover_btc_price_usd)
                {
                    let _ = write!(
                        text,
                        "; exactly {} with every other input as in the file, as on the cover",
                        money(p, 2)
                    );
                }
                let _ = writeln!(out, "<p><b>{}.</b></p>", escape(&text));
            }
        }
        let failed: Vec<_> = sweep
            .results
            .iter()
            .filter(|r| r.outcome.is_err())
            .collect();
        if !failed.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"note\">{} of {} points could not be computed (white with a cross):</p>\n<ul class=\"note\">",
                failed.len(),
                grid.len()
            );
            // The first few with their reason (its first line, as `sweep`
            // lists them); `sweep` lists every one.
            const SHOWN: usize = 4;
            for r in failed.iter().take(SHOWN) {
                if let Err(e) = &r.outcome {
                    let reason = e.to_string();
                    let reason = reason.lines().next().unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "<li>{}: {}</li>",
                        escape(&r.values.join(", ")),
                        escape(reason.trim_start_matches("error: "))
                    );
                }
            }
            if failed.len() > SHOWN {
                let _ = writeln!(
                    out,
                    "<li>and {} more (<code>hashpivot sweep</code> lists every one)</li>",
                    failed.len() - SHOWN
                );
            }
            out.push_str("</ul>\n");
        }
        pages.push(out);
    }
    pages
}

/// The file's own point on the map, when the file's value of every
/// varied key is known and inside the grid's range.
fn own_point(inputs: &Scenario, rows: &Axis, columns: Option<&Axis>) -> Option<GridPoint> {
    let place = |axis: &Axis| position(&axis.numbers()?, own_value(inputs, &axis.key)?);
    let (x, y) = match columns {
        Some(c) => (place(c)?, place(rows)?),
        None => (place(rows)?, 0.0),
    };
    Some(GridPoint {
        x,
        y,
        label: "this file".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn positions_are_in_grid_steps() {
        let xs: Vec<Decimal> = ["0", "50000", "100000", "150000", "200000"]
            .into_iter()
            .map(d)
            .collect();
        // 86,203.45 is 36,203.45 / 50,000 = 0.724069 past the second value.
        let p = position(&xs, d("86203.45")).unwrap_or(-1.0);
        assert!((p - 1.724069).abs() < 1e-9, "{p}");
        assert_eq!(position(&xs, d("0")), Some(0.0));
        assert_eq!(position(&xs, d("200000")), Some(4.0));
        assert_eq!(position(&xs, d("200001")), None);
        // A falling grid: 150 is halfway from 200 to 100.
        assert_eq!(position(&[d("200"), d("100")], d("150")), Some(0.5));
    }

    #[test]
    fn known_keys_have_words_and_units() {
        assert_eq!(
            axis_title("bitcoin.price_usd"),
            "BTC price in month 0 (USD)"
        );
        assert_eq!(
            axis_title("site[0].ai.lease_usd_per_kw_month"),
            "Lease (USD per kW-month)"
        );
        assert_eq!(
            axis_title("site[North].ai.lease_usd_per_kw_month"),
            "Lease (USD per kW-month)"
        );
        assert_eq!(axis_title("site[0].ai.kind"), "site[0].ai.kind");
        assert_eq!(with_unit("bitcoin.price_usd", "85,611"), "$85,611");
        assert_eq!(
            with_unit("site[0].ai.lease_usd_per_kw_month", "104.06"),
            "$104.06 per kW-month"
        );
        assert_eq!(with_unit("site[0].ai.build_months", "12"), "12 months");
        assert_eq!(with_unit("discount_rate", "0.1"), "0.1 (fraction a year)");
        assert_eq!(with_unit("bitcoin.price_usd", "-5"), "-$5");
        assert_eq!(with_unit("nothing.known", "7"), "7");
    }
}
