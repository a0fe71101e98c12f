//! With `--vary`: one page per site with the winner map of the sweep
//! (a heat map, the flip line drawn between cells of different winners)
//! and, in words, where the winner flips, as `sweep`'s table states it.
//!
//! The axis labels and flip values follow `sweep`'s table (grouped
//! numbers, as many decimals as tell neighbours apart); that table keeps
//! its helpers private, so they are rebuilt here with the same rules.

use super::escape;
use crate::render::number::{fixed, group};
use crate::render::svg::{self, Cell, GridAxis, HeatMap};
use crate::summary::{Summary, Winner};
use crate::sweep::{Axis, SiteFigures, flips};
use rust_decimal::Decimal;
use std::fmt::Write;

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
        let chart = HeatMap {
            id: format!("s{}-map", j + 1),
            title: format!("{name}: who wins across the grid"),
            rows: GridAxis {
                title: rows_axis.key.clone(),
                labels: row_labels.texts.clone(),
            },
            columns: cols_axis.zip(col_labels.as_ref()).map(|(a, l)| GridAxis {
                title: a.key.clone(),
                labels: l.texts.clone(),
            }),
            cells,
        };
        let mut out = format!("<h2>{}: who wins as the inputs vary</h2>\n", escape(name));
        let vary: Vec<String> = grid.axes.iter().map(|a| a.key.clone()).collect();
        let _ = writeln!(
            out,
            "<p>Each cell is the winner with {} set to that point's value{}, everything else as in the file. Orange: keep mining; blue, hatched: convert to AI; the thick line runs where the winner flips.</p>",
            escape(&vary.join(" and ")),
            if vary.len() > 1 { "s" } else { "" }
        );
        let _ = writeln!(out, "<figure>\n{}\n</figure>", svg::heat_map(&chart));
        // Where it flips, in words, as sweep's table says it.
        let advantage = |point: usize| at(point, name).and_then(SiteFigures::signed_advantage);
        let flip_axis = cols_axis.unwrap_or(rows_axis);
        let flip_places = col_labels.as_ref().unwrap_or(&row_labels).places;
        let short = |key: &str| key.rsplit('.').next().unwrap_or(key).to_string();
        let flip_text = |xs: &[Decimal], adv: Vec<Option<Decimal>>| {
            let found = flips(xs, &adv);
            if found.is_empty() {
                let missing = adv.iter().filter(|a| a.is_none()).count();
                match missing {
                    0 => "no flip in range".to_string(),
                    _ => format!(
                        "no flip in range ({missing} of {} points without both NPVs)",
                        adv.len()
                    ),
                }
            } else {
                found
                    .iter()
                    .map(|x| flip_value(*x, flip_places))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        match (flip_axis.numbers(), cols_axis) {
            (None, _) => {
                let _ = writeln!(
                    out,
                    "<p>Flip: not a number axis ({}).</p>",
                    escape(&short(&flip_axis.key))
                );
            }
            (Some(xs), Some(c)) => {
                let _ = writeln!(
                    out,
                    "<table class=\"flips\">\n<caption>Where the winner flips along {}</caption>\n<thead><tr><th class=\"n\">{}</th><th>flips at</th></tr></thead>\n<tbody>",
                    escape(&short(&c.key)),
                    escape(&short(&rows_axis.key))
                );
                for r in 0..rows {
                    let adv = (0..cols).map(|c| advantage(r * cols + c)).collect();
                    let _ = writeln!(
                        out,
                        "<tr><td class=\"n\">{}</td><td>{}</td></tr>",
                        escape(&row_labels.texts[r]),
                        escape(&flip_text(&xs, adv))
                    );
                }
                out.push_str("</tbody>\n</table>\n");
            }
            (Some(xs), None) => {
                let adv: Vec<_> = (0..rows).map(advantage).collect();
                let key = short(&rows_axis.key);
                let text = if flips(&xs, &adv).is_empty() {
                    format!("{key}: {}", flip_text(&xs, adv))
                } else {
                    format!("The winner flips at {key} = {}", flip_text(&xs, adv))
                };
                let _ = writeln!(out, "<p><b>{}.</b></p>", escape(&text));
            }
        }
        let failed = sweep.results.iter().filter(|r| r.outcome.is_err()).count();
        if failed > 0 {
            let _ = writeln!(
                out,
                "<p class=\"note\">{failed} of {} points could not be computed (white with a cross); <code>hashpivot sweep</code> lists why.</p>",
                grid.len()
            );
        }
        pages.push(out);
    }
    pages
}

/// A flip value as `sweep`'s table writes it.
fn flip_value(x: Decimal, label_places: u32) -> String {
    let places = if x.abs() >= Decimal::ONE_THOUSAND {
        0
    } else if x.abs() >= Decimal::ONE {
        2
    } else {
        4
    };
    group(&plain(x.round_dp(places.max(label_places)).normalize()))
}

/// An axis's values as `sweep`'s table labels them, and the decimals.
struct Labels {
    texts: Vec<String>,
    places: u32,
}

impl Labels {
    fn of(axis: &Axis) -> Labels {
        let Some(numbers) = axis.numbers() else {
            return Labels {
                texts: axis.values.clone(),
                places: 0,
            };
        };
        let exact = numbers
            .iter()
            .map(|n| n.normalize().scale())
            .max()
            .unwrap_or(0);
        let step = numbers
            .windows(2)
            .filter_map(|w| w[1].checked_sub(w[0]))
            .map(|d| d.abs())
            .filter(|d| !d.is_zero())
            .min();
        let places = match step {
            Some(step) => u32::try_from(1 - magnitude(step)).unwrap_or(0),
            None => exact,
        };
        if exact <= places + 1 {
            let texts = numbers
                .iter()
                .map(|n| group(&plain(n.normalize())))
                .collect();
            Labels {
                texts,
                places: exact,
            }
        } else {
            let texts = numbers.iter().map(|n| group(&fixed(*n, places))).collect();
            Labels { texts, places }
        }
    }
}

/// `e` such that 10^e ≤ |x| < 10^(e+1), for x ≠ 0.
fn magnitude(x: Decimal) -> i64 {
    let x = x.normalize();
    let digits = x.mantissa().unsigned_abs().to_string().len() as i64;
    digits - 1 - i64::from(x.scale())
}

/// A decimal's digits, never `-0`.
fn plain(mut x: Decimal) -> String {
    if x.is_zero() {
        x.set_sign_positive(true);
    }
    x.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels as `sweep`'s table: 60000..140000 in steps of 20000 are
    /// grouped whole numbers; a third's step 0.0333… takes two significant
    /// digits of it (3 decimals: 1 − magnitude(0.033) = 1 − (−2)).
    #[test]
    fn labels_follow_the_sweep_table() {
        let axis = Axis::parse("bitcoin.price_usd=60000..140000:5").unwrap();
        let l = Labels::of(&axis);
        assert_eq!(
            l.texts,
            ["60,000", "80,000", "100,000", "120,000", "140,000"]
        );
        assert_eq!(l.places, 0);
        let axis = Axis::parse("discount_rate=0..0.1:4").unwrap();
        let l = Labels::of(&axis);
        assert_eq!(l.texts, ["0.000", "0.033", "0.067", "0.100"]);
        assert_eq!(flip_value(Decimal::new(8_620_345, 2), 0), "86,203");
        assert_eq!(flip_value(Decimal::new(5, 2), 3), "0.05");
    }
}
