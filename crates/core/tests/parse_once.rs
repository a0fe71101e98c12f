//! Parse once, proven against parsing every point: for grids over the
//! shipped scenarios and the extremes, every point a sweep reads from the
//! checked scenario (a [`Patch`] per axis value) must be exactly the
//! scenario `run --set` reads from the text, and every other point is
//! read from the text itself, so its error is that one's.

use hashpivot_core::scenario::patch::Patch;
use hashpivot_core::scenario::{Override, parse_with_overrides};
use hashpivot_core::sweep::{Axis, Grid, PointReader};
use hashpivot_core::{evaluate_with, summary};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shipped scenarios and the extremes (the overflow ones included:
/// they read, then fail to compute).
fn scenarios() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["scenarios", "tests/extremes", "tests/extremes/overflow"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(workspace().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy();
            out.push((format!("{dir}/{name}"), text));
        }
    }
    assert!(out.len() >= 16, "{} scenarios", out.len());
    out.push(("an AI-only site first".into(), AI_ONLY_FIRST.into()));
    out
}

/// A site with no mining (where `mine_during_build = true` is refused)
/// before one with fleet rows.
const AI_ONLY_FIRST: &str = r#"
format = 1
name = "an AI-only site first"
start = "2026-01"
months = 24

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 900000

[[site]]
name = "Rockdale"
grid_mw = 60
power_price_usd_per_mwh = 40

[site.ai]
kind = "colocation"
it_mw = 40
lease_usd_per_kw_month = 150
build_months = 6

[[site]]
name = "Niagara"
grid_mw = 60
power_price_usd_per_mwh = 30

[site.mining]
[[site.mining.fleet]]
model = "Antminer S21"
count = 10000
ths = 200
j_per_th = 17.5

[site.ai]
kind = "gpu_cloud"
gpu_count = 20000
gpu_kw = 1.3
gpu_hour_usd = 2
"#;

/// Representation-exact: `0.10` and `0.1` are equal decimals but print
/// differently, so scenarios compare by their debug text.
fn exact<T: std::fmt::Debug>(s: &T) -> String {
    format!("{s:?}")
}

/// Axes over the keys sweeps vary, with values that keep and break the
/// rules, and literals read in every way `--set` reads them.
const AXES: &[&str] = &[
    "bitcoin.price_usd=1e3,0x10,\"50000\",-0,0,90000.50,0.10,-5,x,true,1_000,1e40,100000",
    "bitcoin.price_growth_annual=-1,-0.99,0,0.10,12,\"0.2\",0o7",
    "bitcoin.hashrate_growth_annual=-1,-0.5,0,0.3,1e0,99,-0.0",
    "bitcoin.network_hashrate_ehs=0,1e-6,0.001,0.05,1,100,800,1e6,-1,\"5\"",
    "bitcoin.fees_btc_per_block=-0.01,0,0.05,1,0.050",
    "bitcoin.block_height=-1,0,840000,1.5,0x10,18446744073709551616,\"5\",1e3",
    "bitcoin.block_time_s=0,1,600,1e-6,600.0",
    "discount_rate=0,0.10,1e-1,9.99,10,12,-0,\"x\",x,true,0.1",
    "months=0,1,12,0x10,600,601,1.5,-0,\"12\",+24",
    "site[0].power_price_usd_per_mwh=-1,0,0.045,20,45.5,1e2,\"x\"",
    // Steps of 5 MW: between each site's mining and AI loads at the meter.
    "site[0].grid_mw=0..300:61",
    "site[0].grid_mw=1e4,-3,60.0",
    "site[0].mining.uptime=0,0.5,1,95,1.5,0.950",
    "site[0].mining.pue=0.5,1,1.2,3,100,1.10",
    "site[0].mining.pool_fee=0,0.02,1,2",
    "site[0].mining.hashrate_ths=1,1e6,1e9,2e9,1e12,0,-1",
    "site[0].mining.efficiency_j_per_th=0,1e-9,1,15,20,100,1e4",
    "site[0].mining.opex_usd_per_month=-1,0,1e6",
    "site[0].mining.fleet[0].count=0,1,1000,20000,1e3,1.5,100000000",
    "site[0].mining.fleet[Antminer S21].ths=0,100,200,1e6",
    "site[0].mining.fleet.1.j_per_th=0,1e-9,10,17.5,1e5",
    "site[0].ai.it_mw=0,1,10,40,50,1000,1e3",
    "site[0].ai.pue=0.9,1,1.3,2,5",
    "site[0].ai.lease_usd_per_kw_month=-1,0,100,150.5",
    "site[0].ai.lease_escalator_annual=-1,0,0.02,3",
    "site[0].ai.power_pass_through=true,false,1",
    "site[0].ai.gpu_hour_usd=-1,0,1.5,3",
    "site[0].ai.gpu_count=0,1,1000,5000,1e3,-1",
    "site[0].ai.gpu_kw=0,0.7,1.3,100",
    "site[0].ai.utilization=0,0.5,1,70",
    "site[0].ai.build_months=0,3,12,-1,1.5,1000",
    "site[0].ai.ramp_months=0,6,700",
    "site[0].ai.mine_during_build=true,false,\"true\"",
    "site[0].ai.conversion_capex_usd=0,1e8,-1",
    // Sites by name and shorthand, another site, one that is not there.
    "site.0.ai.pue=1,1.25,2",
    "site[Rockdale].mining.pue=1,1.08,1.3",
    "site[Niagara].grid_mw=10,48,60,1000",
    "site[1].ai.it_mw=1,40,500",
    "site[9].ai.it_mw=1,2",
    // Keys a patch does not read: always the text.
    "site[0].name=X,Y",
    "start=2026-01,2030-13",
    "site[0].ai.kind=colocation,gpu_cloud",
    "bitcoin.price_us=1,2",
];

fn grid(axes: &[&str]) -> Grid {
    Grid::new(axes.iter().map(|a| Axis::parse(a).unwrap()).collect()).unwrap()
}

/// Every point of `grid`: the reader's scenario, where it has one, is the
/// text's exactly. Returns (points, points read from patches).
fn check_grid(origin: &str, source: &str, fixed: &[Override], grid: &Grid) -> (usize, usize) {
    let reader = PointReader::new(source, fixed, grid);
    let mut fast = 0;
    for i in 0..grid.len() {
        let overrides = grid.overrides(fixed, i);
        let Some(patched) = reader.scenario(i) else {
            continue;
        };
        fast += 1;
        match parse_with_overrides(source, &overrides) {
            Ok(read) => assert_eq!(
                exact(&patched),
                exact(&read),
                "{origin} {overrides:?}: patched and read differ"
            ),
            Err(e) => panic!(
                "{origin} {overrides:?}: patched, but the text says {}",
                e.message
            ),
        }
    }
    (grid.len(), fast)
}

#[test]
fn every_point_patched_is_the_point_read() {
    let (mut points, mut fast) = (0, 0);
    for (origin, source) in scenarios() {
        let price = AXES[0];
        for (k, axis) in AXES.iter().enumerate() {
            // Each axis alone, against the price, and against its neighbour
            // (both orders of the pair over the run).
            let next = AXES[(k + 1) % AXES.len()];
            for axes in [vec![*axis], vec![*axis, price], vec![next, *axis]] {
                let (p, f) = check_grid(&origin, &source, &[], &grid(&axes));
                points += p;
                fast += f;
            }
        }
        // After fixed overrides, which the base reads with.
        let fixed = [
            Override::parse("bitcoin.price_usd=60000").unwrap(),
            Override::parse("discount_rate=0.15").unwrap(),
        ];
        let axes = [
            "bitcoin.hashrate_growth_annual=0..0.8:5",
            "site[0].ai.pue=1..2:5",
        ];
        let (p, f) = check_grid(&origin, &source, &fixed, &grid(&axes));
        points += p;
        fast += f;
    }
    eprintln!("{points} points, {fast} patched");
    // The test means something: many points are patched, many are not.
    assert!(fast > points / 4 && fast < points, "{fast} of {points}");
}

/// End to end, a sample: what the sweep evaluates at each point (patched or
/// read) equals `run --set`'s summary or error, exactly.
#[test]
fn every_point_evaluates_as_run_set() {
    let mut checked = 0;
    for (origin, source) in scenarios() {
        // The 600-month files are slow unoptimized; their reading is
        // covered above.
        if source.contains("months = 600") {
            continue;
        }
        for axes in [
            &[
                "bitcoin.hashrate_growth_annual=-1,0,0.3,1e0",
                "bitcoin.price_usd=1e3,-0,90000.50,x",
            ][..],
            &["site[0].ai.it_mw=0,10,1e3", "site[0].grid_mw=0,60,1e4"],
            &[
                "discount_rate=0.10,10,\"x\"",
                "site[0].mining.pue=0.5,1.10,100",
            ],
            &[
                "bitcoin.network_hashrate_ehs=0.001,800,1e6",
                "site[0].mining.hashrate_ths=1,1e6,0",
            ],
            &["months=0,12,0x10", "site[0].ai.gpu_count=0,1000"],
        ] {
            let grid = grid(axes);
            let reader = PointReader::new(&source, &[], &grid);
            let cache = summary::Cache::with_capacities(4, 4);
            for i in 0..grid.len() {
                let overrides = grid.overrides(&[], i);
                let swept = reader.evaluate(&source, &[], &grid, i, Some(&cache));
                let alone = evaluate_with(&source, &overrides);
                assert_eq!(exact(&swept), exact(&alone), "{origin} {overrides:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

/// A patch is read against the scenario as checked: a key it does not
/// know, a table the site lacks, a value of another kind, or one that
/// breaks its rule, is no patch.
#[test]
fn what_a_patch_declines() {
    let source = std::fs::read_to_string(workspace().join("scenarios/lake-mariner.toml")).unwrap();
    let base = parse_with_overrides(&source, &[]).unwrap();
    let patch = |kv: &str| Patch::of(&base, &Override::parse(kv).unwrap());
    assert!(patch("bitcoin.price_usd=1e3").is_some());
    assert!(patch("bitcoin.price_usd=0x10").is_some());
    assert!(patch("bitcoin.price_usd=\"5\"").is_some());
    for declined in [
        "bitcoin.price_usd=0",
        "bitcoin.price_usd=x",
        "bitcoin.price_usd=true",
        "bitcoin.price_us=1",
        "Bitcoin.price_usd=1",
        "bitcoin[0].price_usd=1",
        "months=1.5",
        "months=601",
        "site[1].grid_mw=1",
        "site[0].mining.fleet[0].count=1",
        "site[0].ai.gpu_count=1",
        "site[0].name=X",
        "start=2027-01",
    ] {
        assert_eq!(patch(declined), None, "{declined}");
    }
}

const FILES: [&str; 4] = [
    "scenarios/lake-mariner.toml",
    "scenarios/gpu-cloud.toml",
    "scenarios/portfolio.toml",
    "scenarios/halving-2028.toml",
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Nothing to save a failing case to: it is printed.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any two overrides from the keys sweeps vary, with numbers written
    /// in several ways: patched means read, exactly.
    #[test]
    fn patched_is_read(
        file in 0usize..FILES.len(),
        keys in (0usize..AXES.len(), 0usize..AXES.len()),
        values in (value(), value()),
    ) {
        let source = std::fs::read_to_string(workspace().join(FILES[file])).unwrap();
        let key = |k: usize| AXES[k].split_once('=').unwrap().0;
        let (Ok(a), Ok(b)) = (
            Axis::parse(&format!("{}={}", key(keys.0), values.0)),
            Axis::parse(&format!("{}={}", key(keys.1), values.1)),
        ) else {
            return Ok(());
        };
        check_grid(FILES[file], &source, &[], &Grid::new(vec![a, b]).unwrap());
    }
}

/// A number as `--set` may be given it: plain, signed, with a fraction,
/// an exponent, underscores, another radix, or quoted.
fn value() -> impl Strategy<Value = String> {
    let digits = "[0-9]{1,6}";
    prop_oneof![
        digits.prop_map(|d| d.to_string()),
        (digits, "[0-9]{1,4}").prop_map(|(a, b)| format!("{a}.{b}")),
        (digits, "[0-9]{1,4}").prop_map(|(a, b)| format!("-{a}.{b}")),
        (0usize..3, "[0-9]{1,3}").prop_map(|(a, b)| format!("0.{}{b}", "0".repeat(a))),
        ("[1-9]", -8i32..8).prop_map(|(a, e)| format!("{a}e{e}")),
        "[1-9]_[0-9]{3}".prop_map(|s| s.to_string()),
        "0x[0-9a-f]{1,4}".prop_map(|s| s.to_string()),
        digits.prop_map(|d| format!("\"{d}\"")),
        Just("-0".to_string()),
        Just("true".to_string()),
        Just("1.".to_string()),
    ]
}
