//! Throughput of the calculation core, run by hand: `cargo bench`.
//!
//! Figures are for comparing versions side by side on one machine, never
//! asserted in tests (shared CI machines are noisy).

use std::fmt::Write;

fn main() {
    divan::main();
}

/// The shipped 120-month, one-site scenario: parse, check and compute.
#[divan::bench]
fn lake_mariner(bencher: divan::Bencher) {
    let text = include_str!("../scenarios/lake-mariner.toml");
    assert!(hashpivot::evaluate(text).is_ok());
    bencher.bench(|| hashpivot::evaluate(divan::black_box(text)).map(|s| s.sites.len()));
}

/// 600 months × 20 sites, each with both strategies: 24,000 site-months of
/// cash flows plus 40 IRR searches.
#[divan::bench(sample_count = 10)]
fn portfolio_600_months_20_sites(bencher: divan::Bencher) {
    let text = portfolio(20);
    assert!(
        hashpivot::evaluate(&text).is_ok(),
        "the bench scenario must be valid"
    );
    bencher.bench(|| hashpivot::evaluate(divan::black_box(&text)).map(|s| s.sites.len()));
}

/// A 100 × 100 sweep (hashrate growth × month-0 price) of the shipped
/// 120-month, one-site scenario: 10,000 evaluations with every figure
/// including both IRRs, through the same grid loop as `hashpivot sweep`
/// (every core, shared network projections).
#[divan::bench(sample_count = 3)]
fn sweep_100_by_100(bencher: divan::Bencher) {
    use hashpivot::sweep::{Axis, Grid, Shard, evaluate_grid};
    let text = include_str!("../scenarios/lake-mariner.toml");
    let axis = |arg: &str| Axis::parse(arg).expect("the bench's axes are valid (never fails)");
    let grid = Grid::new(vec![
        axis("bitcoin.hashrate_growth_annual=0..0.8:100"),
        axis("bitcoin.price_usd=40000..200000:100"),
    ])
    .expect("two axes always make a grid");
    bencher.bench(|| {
        evaluate_grid(text, &[], &grid, Shard::default(), |r| {
            divan::black_box(r);
            Ok::<(), ()>(())
        })
        .map(|run| run.failures)
    });
}

fn portfolio(sites: usize) -> String {
    let mut text = String::from(
        "format = 1\nname = \"bench\"\nstart = \"2026-01\"\nmonths = 600\n\n[bitcoin]\n\
         price_usd = 95000\nprice_growth_annual = 0.1\nnetwork_hashrate_ehs = 1050\n\
         hashrate_growth_annual = 0.2\nfees_btc_per_block = 0.025\nblock_height = 930400\n",
    );
    for i in 0..sites {
        let _ = write!(
            text,
            "\n[[site]]\nname = \"site {i}\"\ngrid_mw = 300\npower_price_usd_per_mwh = {}\n\
             [site.mining]\nhashrate_ths = 10000000\nefficiency_j_per_th = 17.5\npue = 1.08\n\
             opex_usd_per_month = 1000000\ncapex_usd = 250000000\n\
             [site.ai]\nkind = \"{}\"\npue = 1.25\nbuild_months = 12\nramp_months = 6\n\
             conversion_capex_usd = 1800000000\nmine_during_build = true\n{}",
            30 + i,
            if i % 2 == 0 {
                "colocation"
            } else {
                "gpu_cloud"
            },
            if i % 2 == 0 {
                "it_mw = 200\nlease_usd_per_kw_month = 154\nlease_escalator_annual = 0.03\n"
            } else {
                "gpu_count = 100000\ngpu_kw = 1.3\ngpu_hour_usd = 2.35\nutilization = 0.8\n\
                 gpu_hour_decline_annual = 0.15\ngpu_capex_usd = 25000\n"
            }
        );
    }
    text
}
