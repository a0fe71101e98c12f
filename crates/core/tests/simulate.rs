//! `simulate` (docs/model.md, "Uncertainty: `simulate`"): the paths a
//! reader can check without the generator.

use hashpivot_core::scenario::parse;
use hashpivot_core::simulate::{Settings, paths, simulate};
use hashpivot_core::summarize;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const SHIPPED: [&str; 5] = [
    include_str!("../../../scenarios/lake-mariner-lease-life.toml"),
    include_str!("../../../scenarios/texas-west-curtailment.toml"),
    include_str!("../../../scenarios/mixed-fleet-s19-s21.toml"),
    include_str!("../../../scenarios/halving-2028-lease-life.toml"),
    include_str!("../../../scenarios/permian-partial-conversion.toml"),
];

/// With every σ and q at 0 each path is `run`'s result: the same NPVs
/// and paybacks, to the last digit, on every shipped format-2 scenario.
#[test]
fn without_risk_every_path_is_the_run() {
    for text in SHIPPED {
        let scenario = parse(text).unwrap();
        let run = summarize(&scenario).unwrap();
        let settings = Settings::of(&scenario, Some(3), Some(7));
        for record in paths(&scenario, &settings, 0..3).unwrap() {
            for (site, path) in run.sites.iter().zip(&record.sites) {
                let of = |o: &hashpivot_core::summary::Outcome| (o.npv_usd, o.payback_months);
                assert_eq!(
                    path.mine,
                    site.mine.as_ref().map(|m| of(&m.outcome)),
                    "{}",
                    site.name
                );
                assert_eq!(
                    path.ai,
                    site.ai.as_ref().map(|a| of(&a.outcome)),
                    "{}",
                    site.name
                );
            }
        }
    }
}

/// A draw depends only on (seed, path): paths 0..10 are paths 0..4
/// followed by paths 4..10, whatever the threads did; another seed
/// draws otherwise.
#[test]
fn a_path_depends_only_on_the_seed_and_its_number() {
    let text = SHIPPED[1].replace("[[site]]", "[risk]\nprice_vol_annual = 0.6\nhashrate_vol_annual = 0.3\nprice_hashrate_corr = 0.5\nlease_default_annual = 0.05\n\n[[site]]");
    let scenario = parse(&text).unwrap();
    let settings = Settings::of(&scenario, None, Some(42));
    let all = paths(&scenario, &settings, 0..10).unwrap();
    let mut parts = paths(&scenario, &settings, 0..4).unwrap();
    parts.extend(paths(&scenario, &settings, 4..10).unwrap());
    assert_eq!(all, parts);
    // One thread or three: the same records.
    let one = hashpivot_core::simulate::paths_on(Some(1), &scenario, &settings, 0..10).unwrap();
    let three = hashpivot_core::simulate::paths_on(Some(3), &scenario, &settings, 0..10).unwrap();
    assert_eq!(all, one);
    assert_eq!(all, three);
    let other = paths(&scenario, &Settings::of(&scenario, None, Some(43)), 0..10).unwrap();
    assert_ne!(all, other);
}

/// docs/model.md's check: with `shutdown = "never"`, no terminal value
/// and mining only, `E[P_i / H_i] = (P_i / H_i) · exp((σh² − ρ·σp·σh) ·
/// i / 12)`, so the mean NPV is `Σ_i d_i · (revenue_i · that factor −
/// power_i − opex_i − capex_i)` from `run`'s monthly rows; the simulated
/// mean must be within 4 standard errors of it.
#[test]
fn the_mean_mining_npv_has_a_closed_form() {
    let text = r#"
format = 2
name = "closed form"
start = "2026-01"
months = 24
discount_rate = 0.1

[risk]
price_vol_annual = 0.7
hashrate_vol_annual = 0.4
price_hashrate_corr = 0.3

[bitcoin]
price_usd = 95000
price_growth_annual = 0.1
network_hashrate_ehs = 1050
hashrate_growth_annual = 0.2
fees_btc_per_block = 0.025
block_height = 930400

[[site]]
name = "A"
grid_mw = 60
power_price_usd_per_mwh = 40

[site.mining]
hashrate_ths = 2000000
efficiency_j_per_th = 17.5
pue = 1.08
opex_usd_per_month = 200000
capex_usd = 10000000
shutdown = "never"
"#;
    let scenario = parse(text).unwrap();
    let run = summarize(&scenario).unwrap();
    let monthly = &run.sites[0].mine.as_ref().unwrap().outcome.monthly;
    let (sp, sh, rho) = (0.7_f64, 0.4_f64, 0.3_f64);
    let mut expected = 0.0;
    for (i, m) in monthly.iter().enumerate() {
        let f = m.f2.as_ref().unwrap();
        let lift = ((sh * sh - rho * sp * sh) * i as f64 / 12.0).exp();
        let cash = m.revenue_usd.to_f64().unwrap() * lift
            - (m.power_cost_usd + m.opex_usd + m.capex_usd)
                .to_f64()
                .unwrap();
        expected += cash * f.discount_factor.to_f64().unwrap();
    }
    let settings = Settings::of(&scenario, Some(1000), Some(1));
    let sim = simulate(&scenario, &settings).unwrap();
    let mine = sim.sites[0].mine.as_ref().unwrap();
    let mean = mine.npv_mean_usd.to_f64().unwrap();
    let se = mine.npv_se_usd.unwrap().to_f64().unwrap();
    assert!(se > 0.0);
    assert!(
        (mean - expected).abs() < 4.0 * se,
        "mean {mean}, closed form {expected}, se {se}"
    );
    // The deterministic NPV is not the mean: hashrate volatility lifts
    // E[1/H] (Jensen), which is why the check needs the closed form.
    assert!(mine.npv_p5_usd < mine.npv_p95_usd);
    assert_ne!(
        run.sites[0].mine.as_ref().unwrap().outcome.npv_usd,
        Decimal::ZERO
    );
}

/// A format-1 file is refused: simulate needs format 2.
#[test]
fn format_1_is_refused() {
    let text = include_str!("../../../scenarios/lake-mariner.toml");
    let scenario = parse(text).unwrap();
    let settings = Settings::of(&scenario, Some(2), None);
    assert!(matches!(
        simulate(&scenario, &settings),
        Err(hashpivot_core::simulate::SimulateError::Format1 { .. })
    ));
}

/// A conversion that keeps every machine mining, for no rent, capex or
/// opex, is mining by another name: on every path its ΔCF is 0 month by
/// month, so AI never beats mining and every advantage is exactly 0 (a
/// difference of two separately summed NPVs could leave ±1e-20).
#[test]
fn identical_futures_never_beat_each_other() {
    let text = r#"
format = 2
name = "same"
start = "2026-01"
months = 36
discount_rate = 0.1

[risk]
price_vol_annual = 0.8
hashrate_vol_annual = 0.3

[bitcoin]
price_usd = 95000
network_hashrate_ehs = 1050
fees_btc_per_block = 0.025
block_height = 930400

[[site]]
name = "A"
grid_mw = 100
power_price_usd_per_mwh = 45

[site.mining]
pue = 1.1
opex_usd_per_month = 100000
[[site.mining.fleet]]
model = "S21"
count = 5000
ths = 200
j_per_th = 17.5
[[site.mining.fleet]]
model = "S19"
count = 5000
ths = 100
j_per_th = 30

[site.ai]
kind = "colocation"
it_mw = 10
pue = 1.2
build_months = 0
conversion_capex_usd = 0
lease_usd_per_kw_month = 0
power_pass_through = true
keep_mining = true
"#;
    let scenario = parse(text).unwrap();
    let sim = simulate(&scenario, &Settings::of(&scenario, Some(200), Some(3))).unwrap();
    let c = sim.sites[0].comparison.as_ref().unwrap();
    assert_eq!(c.p_ai_beats_mine, Decimal::ZERO);
    assert_eq!(c.advantage_mean_usd, Decimal::ZERO);
    assert_eq!(c.advantage_p5_usd, Decimal::ZERO);
    assert_eq!(c.advantage_p95_usd, Decimal::ZERO);
    // And the paths did vary.
    let mine = sim.sites[0].mine.as_ref().unwrap();
    assert!(mine.npv_p5_usd < mine.npv_p95_usd);
}
