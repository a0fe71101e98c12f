//! Properties that hold for every valid scenario, checked on generated ones
//! (proptest) with the library's unrounded values.

use hashpivot::calendar::YearMonth;
use hashpivot::exact_json::Json;
use hashpivot::network::{Network, subsidy_sats};
use hashpivot::render::json::JsonRenderer;
use hashpivot::render::{Renderer, fixed};
use hashpivot::scenario::{Ai, AiKind, Bitcoin, Fleet, Mining, Scenario, Site};
use hashpivot::summary::{Summary, summarize};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// `n / 10^scale` as a decimal.
fn dec(n: i64, scale: u32) -> Decimal {
    Decimal::new(n, scale)
}

fn bitcoin() -> impl Strategy<Value = Bitcoin> {
    (
        10_000i64..300_000,
        -50i64..100,
        100i64..3_000,
        -50i64..150,
        0i64..50,
        prop_oneof![Just(0u64), 800_000u64..1_300_000, Just(1_050_000u64)],
        prop_oneof![Just(dec(600, 0)), Just(dec(5995, 1)), Just(dec(7, 0))],
    )
        .prop_map(|(price, pg, hr, hg, fees, height, block_time)| Bitcoin {
            price_usd: dec(price, 0),
            price_growth_annual: dec(pg, 2),
            network_hashrate_ehs: dec(hr, 0),
            hashrate_growth_annual: dec(hg, 2),
            fees_btc_per_block: dec(fees, 2),
            block_height: height,
            block_time_s: block_time,
        })
}

fn mining() -> impl Strategy<Value = Mining> {
    (
        100_000i64..5_000_000,
        135i64..300,
        100i64..115,
        90i64..=100,
        0i64..5,
        0i64..500_000,
        0i64..50_000_000,
    )
        .prop_map(|(ths, eff, pue, uptime, fee, opex, capex)| {
            let (ths, eff) = (dec(ths, 0), dec(eff, 1));
            Mining {
                fleet: Fleet::Single {
                    hashrate_ths: ths,
                    efficiency_j_per_th: eff,
                },
                pue: dec(pue, 2),
                uptime: dec(uptime, 2),
                pool_fee: dec(fee, 2),
                opex_usd_per_month: dec(opex, 0),
                capex_usd: dec(capex, 0),
                f2: Default::default(),
            }
        })
}

fn ai() -> impl Strategy<Value = Ai> {
    let colocation =
        (1i64..200, 0i64..300, -5i64..10, any::<bool>()).prop_map(|(it, lease, esc, pass)| {
            (
                dec(it, 0),
                AiKind::Colocation {
                    it_mw: dec(it, 0),
                    lease_usd_per_kw_month: dec(lease, 0),
                    lease_escalator_annual: dec(esc, 2),
                    power_pass_through: pass,
                },
            )
        });
    let gpu = (
        1u64..50_000,
        100i64..200,
        0i64..800,
        0i64..=100,
        0i64..50,
        0i64..40_000,
    )
        .prop_map(|(count, kw, rate, util, decline, capex)| {
            (
                Decimal::from(count) * dec(kw, 2) / dec(1000, 0),
                AiKind::GpuCloud {
                    gpu_count: count,
                    gpu_kw: dec(kw, 2),
                    gpu_hour_usd: dec(rate, 2),
                    utilization: dec(util, 2),
                    gpu_hour_decline_annual: dec(decline, 2),
                    gpu_capex_usd: dec(capex, 0),
                },
            )
        });
    (
        prop_oneof![colocation, gpu],
        100i64..130,
        0u64..30,
        0i64..2_000_000_000,
        0u64..8,
        any::<bool>(),
        0i64..1_000_000,
    )
        .prop_map(|((_, kind), pue, build, capex, ramp, mdb, opex)| Ai {
            pue: dec(pue, 2),
            build_months: build,
            conversion_capex_usd: dec(capex, 0),
            ramp_months: ramp,
            mine_during_build: mdb,
            opex_usd_per_month: dec(opex, 0),
            kind,
            f2: Default::default(),
        })
}

fn site() -> impl Strategy<Value = Site> {
    (prop::option::of(mining()), prop::option::of(ai()), 0i64..80)
        .prop_filter("a site needs a strategy", |(m, a, _)| {
            m.is_some() || a.is_some()
        })
        .prop_map(|(mining, mut ai, power)| {
            if let Some(a) = ai.as_mut() {
                a.mine_during_build &= mining.is_some();
            }
            Site {
                name: String::new(),
                // The grid is checked when loading; generated loads fit by
                // construction of this value.
                grid_mw: dec(1_000_000, 0),
                power_price_usd_per_mwh: dec(power, 0),
                power2: None,
                mining,
                ai,
            }
        })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        2024i32..2031,
        1u32..=12,
        1u32..=60,
        0i64..50,
        bitcoin(),
        prop::collection::vec(site(), 1..3),
    )
        .prop_map(|(year, month, months, rate, bitcoin, mut sites)| {
            for (i, s) in sites.iter_mut().enumerate() {
                s.name = format!("site {i}");
            }
            Scenario {
                name: "generated".into(),
                start: YearMonth { year, month },
                months,
                discount_rate: dec(rate, 2),
                bitcoin,
                sites,
                format2: None,
            }
        })
}

fn run(s: &Scenario) -> Summary {
    summarize(s).expect("generated scenarios stay within the decimal range")
}

fn tiny() -> Decimal {
    dec(1, 6)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Nothing generated panics or errors; at the breakeven BTC price the
    /// mining NPV is 0, at the crossover both NPVs are equal, and at the
    /// breakeven rate the AI NPV is 0 — each within 1e-6 USD.
    #[test]
    fn breakevens_and_crossovers_solve_their_equations(s in scenario()) {
        let summary = run(&s);
        for (i, site) in summary.sites.iter().enumerate() {
            if let Some(p) = site.mine.as_ref().and_then(|m| m.breakeven_btc_price_usd) {
                let mut at = s.clone();
                at.bitcoin.price_usd = p;
                let npv = run(&at).sites[i].mine.as_ref().unwrap().outcome.npv_usd;
                prop_assert!(npv.abs() <= tiny(), "mine NPV {npv} at breakeven {p}");
            }
            if let Some(p) = site.comparison.as_ref().and_then(|c| c.crossover_btc_price_usd) {
                let mut at = s.clone();
                at.bitcoin.price_usd = p;
                let there = run(&at);
                let site = &there.sites[i];
                let gap = site.mine.as_ref().unwrap().outcome.npv_usd
                    - site.ai.as_ref().unwrap().outcome.npv_usd;
                prop_assert!(gap.abs() <= tiny(), "NPV gap {gap} at crossover {p}");
            }
            if let Some(r) = site.ai.as_ref().and_then(|a| a.breakeven_rate) {
                let mut at = s.clone();
                match &mut at.sites[i].ai.as_mut().unwrap().kind {
                    AiKind::Colocation { lease_usd_per_kw_month, .. } => *lease_usd_per_kw_month = r,
                    AiKind::GpuCloud { gpu_hour_usd, .. } => *gpu_hour_usd = r,
                }
                let npv = run(&at).sites[i].ai.as_ref().unwrap().outcome.npv_usd;
                prop_assert!(npv.abs() <= tiny(), "AI NPV {npv} at breakeven rate {r}");
            }
        }
    }

    /// Payback is the first month count after which cumulative cash never
    /// dips below 0 again, read off the monthly rows.
    #[test]
    fn payback_agrees_with_cumulative_cash(s in scenario()) {
        for site in run(&s).sites {
            let outcomes = site.mine.iter().map(|m| &m.outcome).chain(site.ai.iter().map(|a| &a.outcome));
            for o in outcomes {
                let mut cumulative = vec![Decimal::ZERO];
                cumulative.extend(o.monthly.iter().map(|m| m.cumulative_cash_usd));
                let expected = if *cumulative.last().unwrap() < Decimal::ZERO {
                    None
                } else {
                    let last_negative = cumulative.iter().rposition(|c| *c < Decimal::ZERO);
                    Some(last_negative.map_or(0, |k| k + 1) as u32)
                };
                prop_assert_eq!(o.payback_months, expected);
                prop_assert_eq!(cumulative.last().copied(), Some(o.net_cash_usd));
            }
        }
    }

    /// Mining NPV never falls as the BTC price rises, nor rises as the
    /// network hashrate does; BTC mined scales with the fleet.
    #[test]
    fn mining_responds_the_right_way(s in scenario(), up in 1i64..50) {
        let factor = Decimal::ONE + dec(up, 2);
        let base = run(&s);
        let mut richer = s.clone();
        richer.bitcoin.price_usd *= factor;
        let mut harder = s.clone();
        harder.bitcoin.network_hashrate_ehs *= factor;
        let mut bigger = s.clone();
        for site in &mut bigger.sites {
            if let Some(m) = site.mining.as_mut()
                && let Fleet::Single { hashrate_ths, .. } = &mut m.fleet
            {
                *hashrate_ths *= factor;
            }
        }
        let (richer, harder, bigger) = (run(&richer), run(&harder), run(&bigger));
        for i in 0..base.sites.len() {
            let Some(m) = base.sites[i].mine.as_ref() else { continue };
            let npv = m.outcome.npv_usd;
            let richer_npv = richer.sites[i].mine.as_ref().unwrap().outcome.npv_usd;
            let harder_npv = harder.sites[i].mine.as_ref().unwrap().outcome.npv_usd;
            prop_assert!(richer_npv >= npv - tiny(), "{richer_npv} < {npv}");
            prop_assert!(harder_npv <= npv + tiny(), "{harder_npv} > {npv}");
            let btc = m.outcome.btc_mined;
            let scaled = bigger.sites[i].mine.as_ref().unwrap().outcome.btc_mined;
            let want = btc * factor;
            prop_assert!(
                (scaled - want).abs() <= want.abs() * dec(1, 20),
                "{scaled} vs {want}"
            );
        }
    }

    /// A month that contains a halving earns between the two epochs'
    /// rewards, and the halving list names that month.
    #[test]
    fn halving_months_earn_between_the_epochs(s in scenario()) {
        let net = Network::project(&s.bitcoin, s.start, s.months).unwrap();
        let sats = |e: u64| Decimal::from(subsidy_sats(e)) / Decimal::from(100_000_000u64);
        for (i, m) in net.months.iter().enumerate() {
            let h1 = net.months.get(i + 1).map(|n| n.height_start).unwrap_or(m.height_start + m.blocks);
            let crossed: Vec<u64> = (1..=33u64)
                .map(|k| k * 210_000)
                .filter(|h| m.height_start <= Decimal::from(*h) && Decimal::from(*h) < h1)
                .collect();
            for h in &crossed {
                prop_assert!(net.halvings.iter().any(|x| x.height == *h && x.month == m.grid.label));
            }
            if crossed.len() == 1 {
                let epoch = crossed[0] / 210_000;
                let fees = m.blocks * s.bitcoin.fees_btc_per_block;
                let low = m.blocks * sats(epoch) + fees;
                let high = m.blocks * sats(epoch - 1) + fees;
                prop_assert!(low - tiny() <= m.reward_btc && m.reward_btc <= high + tiny(),
                    "{} not in [{low}, {high}]", m.reward_btc);
            }
        }
    }

    /// The JSON output parses back (exactly, without floats) to the same
    /// rounded decimals.
    #[test]
    fn json_parses_back_to_the_same_decimals(s in scenario()) {
        let summary = run(&s);
        let bytes = JsonRenderer { monthly: false }.render(std::slice::from_ref(&summary), false);
        let doc = Json::parse(std::str::from_utf8(&bytes).unwrap()).unwrap();
        let Some(Json::Array(sites)) = doc.get("sites") else { panic!("no sites") };
        for (site, json) in summary.sites.iter().zip(sites) {
            let pairs = site.mine.iter().map(|m| ("mine", &m.outcome)).chain(site.ai.iter().map(|a| ("ai", &a.outcome)));
            for (key, o) in pairs {
                let strategy = json.get(key).unwrap();
                let number = |k: &str| match strategy.get(k) {
                    Some(Json::Number(text)) => text.clone(),
                    other => panic!("{k}: {other:?}"),
                };
                prop_assert_eq!(number("npv_usd"), fixed(o.npv_usd, 2));
                prop_assert_eq!(number("btc_mined"), fixed(o.btc_mined, 8));
                prop_assert_eq!(number("revenue_usd"), fixed(o.revenue_usd, 2));
            }
        }
    }
}
