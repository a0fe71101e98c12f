//! A sweep's figures-only evaluation of format-2 points
//! (`summary::sweep_figures`), proven against the summary: over grids of
//! every format-2 scenario shipped and the benchmark's, at ordinary and at
//! extreme values (near the decimal range, where figures the sweep does
//! not print overflow), each point's figures are exactly those of its
//! summary, and a point is computed figures-only only where its summary
//! computes (else the sweep computes the summary and prints its error).

use hashpivot_core::scenario::Override;
use hashpivot_core::summary::{self, Cache};
use hashpivot_core::sweep::{Axis, Grid, PointReader, SiteFigures};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The format-2 scenarios shipped, and the benchmark's.
fn format2_scenarios() -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(workspace().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths.push(workspace().join("benches/lake-mariner-format2.toml"));
    let out: Vec<(String, String)> = paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.display().to_string(), text)
        })
        .filter(|(_, text)| text.contains("format = 2"))
        .collect();
    assert!(out.len() >= 5, "{} format-2 scenarios", out.len());
    out
}

fn grid(axes: &[&str]) -> Grid {
    Grid::new(axes.iter().map(|a| Axis::parse(a).unwrap()).collect()).unwrap()
}

/// Every point of `grid` over `source` with `fixed`: the figures the
/// sweep reports are its summary's (or its error), to the last digit and
/// scale. Returns (points, points computed figures-only).
fn check(origin: &str, source: &str, fixed: &[Override], grid: &Grid) -> (usize, usize) {
    let reader = PointReader::new(source, fixed, grid);
    let cache = Cache::with_capacities(8, 4);
    let mut lean = 0;
    for i in 0..grid.len() {
        let full = reader
            .evaluate(source, fixed, grid, i, Some(&cache))
            .map(|s| s.sites.iter().map(SiteFigures::of).collect::<Vec<_>>());
        if let Some(scenario) = reader.scenario(i)
            && let Some(figures) = summary::sweep_figures(&scenario, &cache)
        {
            lean += 1;
            let at = grid.overrides(fixed, i);
            let full = full.as_ref().unwrap_or_else(|e| {
                panic!("{origin} {at:?}: figures-only, but the summary fails: {e:?}")
            });
            assert_eq!(
                format!("{figures:?}"),
                format!("{full:?}"),
                "{origin} {at:?}"
            );
        }
        // And what the sweep itself reports.
        let swept = reader.figures(source, fixed, grid, i, &cache);
        assert_eq!(
            format!("{swept:?}"),
            format!("{full:?}"),
            "{origin} point {i}"
        );
    }
    (grid.len(), lean)
}

fn set(kv: &str) -> Override {
    Override::parse(kv).unwrap()
}

/// Values that each push some figure toward the decimal range's edge
/// (or a divisor toward 0), set beside a grid of the month-0 price and
/// the hashrate growth: the `[bitcoin]` keys are what a sweep of a
/// format-2 scenario sets from patches (every other key is read from
/// the text with its overrides, and computed in full).
const FIXED: &[&[&str]] = &[
    &[],
    &["discount_rate=-0.9"],
    &["discount_rate=9.99", "months=600"],
    &["inflation_annual=5"],
    &["site[0].mining.opex_usd_per_month=1e20"],
    &["site[0].mining.opex_usd_per_month=1e24"],
    &[
        "site[0].mining.exit_multiple=1e6",
        "site[0].ai.exit_multiple=1e9",
    ],
    &["site[0].ai.build_months=0"],
    &["site[0].ai.build_months=200"],
    &["bitcoin.price_growth_annual=-0.99"],
    &["bitcoin.price_growth_annual=50"],
];

#[test]
fn figures_only_points_are_their_summaries() {
    let g = grid(&[
        "bitcoin.hashrate_growth_annual=-0.5,0.3",
        "bitcoin.price_usd=1e-6,40000,95000.5,1e9,1e18,1e22,1e26",
    ]);
    let (mut points, mut lean) = (0, 0);
    for (origin, source) in format2_scenarios() {
        for fixed in FIXED {
            let fixed: Vec<Override> = fixed.iter().map(|kv| set(kv)).collect();
            let (p, l) = check(&origin, &source, &fixed, &g);
            points += p;
            lean += l;
        }
        // Prices on both sides of where a block's cost is what a month
        // earns.
        let (p, l) = check(
            &origin,
            &source,
            &[],
            &grid(&["bitcoin.price_usd=10000..300000:30"]),
        );
        points += p;
        lean += l;
    }
    // Most ordinary points are figures-only, extreme ones not.
    assert!(lean > points / 3 && lean < points, "{lean} of {points}");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        // Nothing to save a failing case to: it is printed.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A point with random `[bitcoin]` values of every size, on a random
    /// format-2 scenario: figures-only only where its summary computes,
    /// and then its summary's figures.
    #[test]
    fn random_points_are_their_summaries(
        file in 0usize..6,
        price in (-3i32..28, 1u32..10),
        growths in (-90i32..300, -90i32..300),
        fees in 0u32..1000,
    ) {
        let scenarios = format2_scenarios();
        let (origin, source) = &scenarios[file % scenarios.len()];
        let fixed = [
            set(&format!("bitcoin.price_growth_annual={}", f64::from(growths.0) / 100.0)),
            set(&format!("bitcoin.fees_btc_per_block={}", f64::from(fees) / 100.0)),
        ];
        let g = grid(&[
            &format!("bitcoin.hashrate_growth_annual={}", f64::from(growths.1) / 100.0),
            &format!("bitcoin.price_usd={}e{}", price.1, price.0),
        ]);
        check(origin, source, &fixed, &g);
    }
}
