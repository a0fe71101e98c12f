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

/// The shipped 120-month scenarios `pivot_all_starts` is set beside: one
/// format 1, two format 2 (power blocks, shutdown, exit multiples).
const PIVOTED: [&str; 3] = [
    "lake-mariner",
    "lake-mariner-lease-life",
    "texas-west-curtailment",
];

fn shipped(name: &str) -> String {
    let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// One `run` of a shipped scenario, parsed once: every figure of both
/// strategies (breakevens, crossover, IRRs, MIRRs), the yardstick of
/// `pivot_all_starts`.
#[divan::bench(args = PIVOTED)]
fn run_once(bencher: divan::Bencher, name: &str) {
    let scenario = hashpivot::scenario::parse(&shipped(name)).unwrap();
    bencher.bench(|| hashpivot::summarize(divan::black_box(&scenario)).map(|s| s.sites.len()));
}

/// `hashpivot pivot` of the same scenario: the AI NPV for each of its 120
/// start months, the mining NPV, and the answer without exit values
/// (docs/model.md, "When to convert: `pivot`"). Issue 14 asks for under
/// 10× `run_once`.
#[divan::bench(args = PIVOTED)]
fn pivot_all_starts(bencher: divan::Bencher, name: &str) {
    let scenario = hashpivot::scenario::parse(&shipped(name)).unwrap();
    bencher.bench(|| hashpivot::pivot::pivot(divan::black_box(&scenario)).map(|p| p.sites.len()));
}

/// The format-2 scenarios of [`PIVOTED`], with a `[risk]` that moves
/// every input `simulate` draws (BTC price, network hashrate, tenant
/// default).
const SIMULATED: [&str; 2] = ["lake-mariner-lease-life", "texas-west-curtailment"];

/// One `simulate` path (docs/model.md, "One path") of a shipped scenario,
/// its shared part built once as `simulate` builds it: each site's NPV
/// and payback under both strategies and the advantage, beside
/// `run_once`.
#[divan::bench(args = SIMULATED)]
fn simulate_one_path(bencher: divan::Bencher, name: &str) {
    use hashpivot::simulate::{Settings, path};
    let text = shipped(name).replace(
        "[[site]]",
        "[risk]\nprice_vol_annual = 0.6\nhashrate_vol_annual = 0.3\nprice_hashrate_corr = 0.5\nlease_default_annual = 0.03\n\n[[site]]",
    );
    let scenario = hashpivot::scenario::parse(&text).unwrap();
    let settings = Settings::of(&scenario, None, None);
    let base = hashpivot::summary::PathBase::new(&scenario).unwrap();
    let mut k = 0;
    bencher.bench_local(|| {
        k += 1;
        path(divan::black_box(&scenario), &base, &settings, k).map(|r| r.sites.len())
    });
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

/// The two axes of the README's 100 × 100 sweep.
const HASHRATE_GROWTH: &str = "bitcoin.hashrate_growth_annual=0..0.8:100";
const PRICE: &str = "bitcoin.price_usd=40000..200000:100";

/// A 100 × 100 sweep of the shipped 120-month, one-site scenario: 10,000
/// evaluations with every figure including both IRRs, through the same
/// grid loop as `hashpivot sweep` (every core, shared projections).
fn sweep(bencher: divan::Bencher, axes: [&str; 2]) {
    sweep_of(
        bencher,
        include_str!("../scenarios/lake-mariner.toml"),
        axes,
    );
}

/// As [`sweep`], of the scenario `text`.
fn sweep_of(bencher: divan::Bencher, text: &'static str, axes: [&str; 2]) {
    use hashpivot::sweep::{Axis, Grid, Shard, evaluate_grid};
    let axis = |arg: &str| Axis::parse(arg).expect("the bench's axes are valid (never fails)");
    let grid =
        Grid::new(axes.iter().map(|a| axis(a)).collect()).expect("two axes always make a grid");
    bencher.bench(|| {
        evaluate_grid(text, &[], &grid, Shard::default(), |r| {
            divan::black_box(r);
            Ok::<(), ()>(())
        })
        .map(|run| run.failures)
    });
}

/// Hashrate growth on the rows, the month-0 price on the columns.
#[divan::bench(sample_count = 3)]
fn sweep_100_by_100(bencher: divan::Bencher) {
    sweep(bencher, [HASHRATE_GROWTH, PRICE]);
}

/// The same grid with the axes swapped: the price on the rows.
#[divan::bench(sample_count = 3)]
fn sweep_100_by_100_price_first(bencher: divan::Bencher) {
    sweep(bencher, [PRICE, HASHRATE_GROWTH]);
}

/// The same sweep of the benchmark site in format 2
/// (`benches/lake-mariner-format2.toml`: three power blocks, two fleet
/// rows, economic shutdown, exit multiples; issue 13, item 9 wants it
/// within 2× of `sweep_100_by_100`).
#[divan::bench(sample_count = 3)]
fn sweep_format2_100_by_100(bencher: divan::Bencher) {
    let text = include_str!("lake-mariner-format2.toml");
    assert!(
        hashpivot::evaluate(text).is_ok(),
        "the bench scenario must be valid"
    );
    sweep_of(bencher, text, [HASHRATE_GROWTH, PRICE]);
}

/// The floor: the same 10,000 points' work in plain `f64` on one thread,
/// with no exactness, no checks and no sharing between points (each point
/// projects its own network): per month the block reward (halvings
/// included), the mining share, revenue, power and the colocation lease
/// with its build, ramp and escalator; then each strategy's NPV, payback
/// and IRR (bisection, as `finance::irr` locates it). Written for the
/// shipped scenario's shape (one site, colocation, mining during the
/// build), which the assertions check.
#[divan::bench(sample_count = 3)]
fn sweep_100_by_100_f64_floor(bencher: divan::Bencher) {
    use hashpivot::scenario::AiKind;
    let text = include_str!("../scenarios/lake-mariner.toml");
    let scenario = hashpivot::evaluate(text)
        .expect("the shipped scenario computes")
        .inputs;
    let f = |d: rust_decimal::Decimal| -> f64 { d.try_into().expect("in f64 range") };
    let site = &scenario.sites[0];
    let mining = site.mining.as_ref().expect("the scenario mines");
    let ai = site.ai.as_ref().expect("the scenario has an AI offer");
    let AiKind::Colocation {
        lease_usd_per_kw_month,
        lease_escalator_annual,
        power_pass_through,
        ..
    } = ai.kind
    else {
        panic!("the floor is written for colocation");
    };
    assert!(ai.mine_during_build && power_pass_through);
    let grid = hashpivot::calendar::grid(scenario.start, scenario.months);
    let n = scenario.months as usize;
    let b = &scenario.bitcoin;
    let (height0, block_time, fees) = (
        b.block_height as f64,
        f(b.block_time_s),
        f(b.fees_btc_per_block),
    );
    let (price_growth, rate) = (f(b.price_growth_annual), f(scenario.discount_rate));
    let hashrate0 = f(b.network_hashrate_ehs);
    let share0 = f(mining.hashrate_ths().unwrap()) * f(mining.uptime) * (1.0 - f(mining.pool_fee))
        / (hashrate0 * 1e6);
    let mine_mw = f(mining.it_mw().unwrap()) * f(mining.pue) * f(mining.uptime);
    let power_price = f(site.power_price_usd_per_mwh);
    let (mine_opex, mine_capex) = (f(mining.opex_usd_per_month), f(mining.capex_usd));
    let it_kw = f(ai.it_mw().unwrap()) * 1000.0;
    let (g, ramp) = (ai.build_months as usize, ai.ramp_months as usize);
    let (lease, escalator) = (f(lease_usd_per_kw_month), f(lease_escalator_annual));
    let build_capex = f(ai.conversion_capex_usd) / g.max(1) as f64;
    let ai_opex = f(ai.opex_usd_per_month);
    let growths: Vec<f64> = (0..100).map(|j| 0.8 * j as f64 / 99.0).collect();
    let prices: Vec<f64> = (0..100)
        .map(|j| 40_000.0 + 160_000.0 * j as f64 / 99.0)
        .collect();
    let subsidy = |h0: f64, h1: f64| -> f64 {
        let mut total = 0.0;
        let mut epoch = (h0 / 210_000.0).floor();
        while epoch * 210_000.0 < h1 && epoch < 64.0 {
            let lo = h0.max(epoch * 210_000.0);
            let hi = h1.min((epoch + 1.0) * 210_000.0);
            total += (hi - lo) * (5e9 / 2f64.powf(epoch)).floor() / 1e8;
            epoch += 1.0;
        }
        total
    };
    let npv = |flows: &[f64], r: f64| -> f64 {
        let v = (1.0 + r).powf(-1.0 / 12.0);
        flows.iter().rev().fold(0.0, |s, cf| s * v + cf) * v
    };
    let irr = |flows: &[f64]| -> Option<f64> {
        let (mut lo, mut hi) = (-0.99_f64, 100.0_f64);
        let sign_lo = npv(flows, lo).signum();
        if sign_lo == npv(flows, hi).signum() {
            return None;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if npv(flows, mid).signum() == sign_lo {
                lo = mid
            } else {
                hi = mid
            }
        }
        Some(0.5 * (lo + hi))
    };
    let payback = |flows: &[f64]| -> Option<usize> {
        let mut c = 0.0;
        let mut last_negative = None;
        for (i, cf) in flows.iter().enumerate() {
            c += cf;
            if c < 0.0 {
                last_negative = Some(i + 1);
            }
        }
        (c >= 0.0).then(|| last_negative.unwrap_or(0))
    };
    let (mut mine, mut conv) = (vec![0.0; n], vec![0.0; n]);
    bencher.bench_local(|| {
        let mut checksum = 0.0;
        for &growth in &growths {
            for &price in &prices {
                for (i, m) in grid.iter().take(n).enumerate() {
                    let years = i as f64 / 12.0;
                    let h0 = height0 + m.seconds_before as f64 / block_time;
                    let h1 = height0 + grid[i + 1].seconds_before as f64 / block_time;
                    let blocks = f64::from(m.days) * 86_400.0 / block_time;
                    let reward = subsidy(h0, h1) + blocks * fees;
                    let btc = share0 * reward / (1.0 + growth).powf(years);
                    let revenue = btc * price * (1.0 + price_growth).powf(years);
                    let hours = f64::from(m.days) * 24.0;
                    let power = mine_mw * hours * power_price;
                    mine[i] = revenue - power - mine_opex - if i == 0 { mine_capex } else { 0.0 };
                    conv[i] = if i < g {
                        revenue - power - build_capex
                    } else {
                        let k = i - g;
                        let share = if ramp == 0 {
                            1.0
                        } else {
                            ((k + 1) as f64 / ramp as f64).min(1.0)
                        };
                        lease * it_kw * share * (1.0 + escalator).powi((k / 12) as i32) - ai_opex
                    };
                }
                for flows in [&mine, &conv] {
                    checksum += npv(flows, rate)
                        + irr(flows).unwrap_or(0.0)
                        + payback(flows).unwrap_or(0) as f64;
                }
            }
        }
        divan::black_box(checksum)
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
