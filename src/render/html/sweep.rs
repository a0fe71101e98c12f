//! With `--vary`: one page per site with the winner map of the sweep
//! (a heat map, the flip line drawn between cells of different winners)
//! and, in words, where the winner flips, as `sweep`'s table states it.
//!
//! The axis labels and flip values are `sweep`'s table's, from the same
//! functions ([`crate::render::sweep`]): grouped numbers, as many
//! decimals as tell neighbours apart.

use super::escape;
use crate::render::svg::{self, Cell, GridAxis, HeatMap};
use crate::render::sweep::{Labels, flip_text, one_axis_flips, short};
use crate::summary::{Summary, Winner};
use crate::sweep::SiteFigures;
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
        match (flip_axis.numbers(), cols_axis) {
            (None, _) => {
                let _ = writeln!(
                    out,
                    "<p>Flip: not a number axis ({}).</p>",
                    escape(short(&flip_axis.key))
                );
            }
            (Some(xs), Some(c)) => {
                let _ = writeln!(
                    out,
                    "<table class=\"flips\">\n<caption>Where the winner flips along {}</caption>\n<thead><tr><th class=\"n\">{}</th><th>flips at</th></tr></thead>\n<tbody>",
                    escape(short(&c.key)),
                    escape(short(&rows_axis.key))
                );
                for r in 0..rows {
                    let adv: Vec<_> = (0..cols).map(|c| advantage(r * cols + c)).collect();
                    let _ = writeln!(
                        out,
                        "<tr><td class=\"n\">{}</td><td>{}</td></tr>",
                        escape(&row_labels.texts[r]),
                        escape(&flip_text(&xs, &adv, flip_places))
                    );
                }
                out.push_str("</tbody>\n</table>\n");
            }
            (Some(xs), None) => {
                let adv: Vec<_> = (0..rows).map(advantage).collect();
                let text = one_axis_flips(&rows_axis.key, &xs, &adv, flip_places);
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
