//! `simulate` (docs/model.md, "Uncertainty: `simulate`"): the paths a
//! reader can check without the generator.

use hashpivot_core::scenario::{Risk, Scenario, parse};
use hashpivot_core::simulate::{FAN_PATHS, Settings, fan, path_cash, paths, simulate};
use hashpivot_core::summarize;
use hashpivot_core::summary::{PathBase, PathCash};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const SHIPPED: [&str; 5] = [
    include_str!("../../../scenarios/lake-mariner-lease-life.toml"),
    include_str!("../../../scenarios/texas-west-curtailment.toml"),
    include_str!("../../../scenarios/mixed-fleet-s19-s21.toml"),
    include_str!("../../../scenarios/halving-2028-lease-life.toml"),
    include_str!("../../../scenarios/permian-partial-conversion.toml"),
];

/// `scenario`'s settings with every σ and q at 0 (whatever its [risk]
/// says), `paths` paths, seed 7.
fn without_risk(scenario: &Scenario, paths: u64) -> Settings {
    let mut settings = Settings::of(scenario, Some(paths), Some(7));
    settings.risk = Risk {
        paths,
        seed: 7,
        ..Risk::default()
    };
    settings
}

/// `scenario`'s settings with a risk a CFO would recognise (σ_p 60 %,
/// σ_h 30 %, ρ 0.5, 5 % tenant defaults a year), whatever its [risk] says.
fn risky(scenario: &Scenario, seed: u64) -> Settings {
    let mut settings = Settings::of(scenario, None, Some(seed));
    settings.risk = Risk {
        price_vol_annual: Decimal::new(6, 1),
        hashrate_vol_annual: Decimal::new(3, 1),
        price_hashrate_corr: Decimal::new(5, 1),
        lease_default_annual: Decimal::new(5, 2),
        ..settings.risk
    };
    settings
}

/// With every σ and q at 0 each path is `run`'s result: the same NPVs
/// and paybacks, to the last digit, on every shipped format-2 scenario.
#[test]
fn without_risk_every_path_is_the_run() {
    for text in SHIPPED {
        let scenario = parse(text).unwrap();
        let run = summarize(&scenario).unwrap();
        let settings = without_risk(&scenario, 3);
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
    let scenario = parse(SHIPPED[1]).unwrap();
    let settings = risky(&scenario, 42);
    let all = paths(&scenario, &settings, 0..10).unwrap();
    let mut parts = paths(&scenario, &settings, 0..4).unwrap();
    parts.extend(paths(&scenario, &settings, 4..10).unwrap());
    assert_eq!(all, parts);
    // One thread or three: the same records.
    let one = hashpivot_core::simulate::paths_on(Some(1), &scenario, &settings, 0..10).unwrap();
    let three = hashpivot_core::simulate::paths_on(Some(3), &scenario, &settings, 0..10).unwrap();
    assert_eq!(all, one);
    assert_eq!(all, three);
    let other = paths(&scenario, &risky(&scenario, 43), 0..10).unwrap();
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

/// Without risk every path is the run, so every percentile of the fan is
/// `run`'s cumulative cash of that month (terminal value in the last), on
/// every shipped format-2 scenario.
#[test]
fn without_risk_the_fan_is_the_runs_cumulative_cash() {
    for text in SHIPPED {
        let scenario = parse(text).unwrap();
        let run = summarize(&scenario).unwrap();
        let fans = fan(&scenario, &without_risk(&scenario, 4), None).unwrap();
        assert_eq!(fans.len(), run.sites.len());
        for (site, fan) in run.sites.iter().zip(&fans) {
            let cumulative = |o: &hashpivot_core::summary::Outcome| -> Vec<Decimal> {
                o.monthly.iter().map(|m| m.cumulative_cash_usd).collect()
            };
            for (strategy, fan, run) in [
                (
                    "mine",
                    &fan.mine,
                    site.mine.as_ref().map(|m| cumulative(&m.outcome)),
                ),
                (
                    "ai",
                    &fan.ai,
                    site.ai.as_ref().map(|a| cumulative(&a.outcome)),
                ),
            ] {
                assert_eq!(fan.is_some(), run.is_some(), "{} {strategy}", site.name);
                if let (Some(fan), Some(run)) = (fan, run) {
                    for band in [&fan.p5, &fan.p25, &fan.p50, &fan.p75, &fan.p95] {
                        assert_eq!(band, &run, "{} {strategy}", site.name);
                    }
                }
            }
        }
    }
}

/// The fan's percentiles are nearest ranks of the paths' cumulative
/// cash, month by month: of 20 paths the P5 is the 1st smallest
/// (ceil(0.05·20) = 1), the P25 the 5th, the P50 the 10th, the P75 the
/// 15th and the P95 the 19th, each picked here from `path_cash` of each
/// path; one thread or three give the same fan.
#[test]
fn the_fan_is_nearest_ranks_of_each_month() {
    let scenario = parse(SHIPPED[1]).unwrap();
    let settings = Settings {
        paths: 20,
        ..risky(&scenario, 5)
    };
    let base = PathBase::new(&scenario).unwrap();
    let cash: Vec<_> = (0..20)
        .map(|k| path_cash(&scenario, &base, &settings, k).unwrap())
        .collect();
    let fans = fan(&scenario, &settings, Some(1)).unwrap();
    assert_eq!(fans, fan(&scenario, &settings, Some(3)).unwrap());
    let mut checked = 0;
    for (j, site_fan) in fans.iter().enumerate() {
        type Pick = fn(&PathCash) -> Option<Vec<Decimal>>;
        let strategies: [(_, Pick); 2] = [
            (site_fan.mine.as_ref(), |c: &PathCash| c.mine.clone()),
            (site_fan.ai.as_ref(), |c: &PathCash| c.ai.clone()),
        ];
        for (f, pick) in strategies {
            let Some(f) = f else { continue };
            for i in 0..scenario.months as usize {
                let mut column: Vec<Decimal> = cash
                    .iter()
                    .map(|sites| pick(&sites[j]).unwrap()[i])
                    .collect();
                column.sort();
                assert_eq!(f.p5[i], column[0]);
                assert_eq!(f.p25[i], column[4]);
                assert_eq!(f.p50[i], column[9]);
                assert_eq!(f.p75[i], column[14]);
                assert_eq!(f.p95[i], column[18]);
                checked += 1;
            }
            // The draws spread the paths: the band is not a line by the end.
            let last = scenario.months as usize - 1;
            assert!(f.p5[last] < f.p95[last]);
        }
    }
    assert!(checked > 0);
}

/// At most the first FAN_PATHS paths: a fan of more paths is the fan of
/// the first FAN_PATHS (checked with the cap's worth of paths made cheap:
/// a 12-month horizon).
#[test]
fn the_fan_takes_at_most_the_first_paths() {
    let text = SHIPPED[1]
        .lines()
        .map(|l| {
            if l.starts_with("months") {
                "months = 12"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let scenario = parse(&text).unwrap();
    let capped = Settings {
        paths: FAN_PATHS,
        ..risky(&scenario, 9)
    };
    let more = Settings {
        paths: FAN_PATHS + 500,
        ..capped.clone()
    };
    assert_eq!(
        fan(&scenario, &capped, None).unwrap(),
        fan(&scenario, &more, None).unwrap()
    );
    let fewer = Settings {
        paths: FAN_PATHS - 1,
        ..capped.clone()
    };
    assert_ne!(
        fan(&scenario, &capped, None).unwrap(),
        fan(&scenario, &fewer, None).unwrap()
    );
}

/// `paths_and_fan` (one computation of each of the first paths' cash
/// flows for both) gives exactly `paths_on`'s records and `fan`'s fans.
#[test]
fn paths_and_fan_is_paths_and_fan() {
    use hashpivot_core::simulate::paths_and_fan;
    for text in [SHIPPED[0], SHIPPED[1], SHIPPED[4]] {
        let scenario = parse(text).unwrap();
        let settings = Settings {
            paths: 30,
            ..risky(&scenario, 11)
        };
        let (records, fans) = paths_and_fan(Some(2), &scenario, &settings).unwrap();
        assert_eq!(records, paths(&scenario, &settings, 0..30).unwrap());
        assert_eq!(fans, fan(&scenario, &settings, Some(1)).unwrap());
    }
}
