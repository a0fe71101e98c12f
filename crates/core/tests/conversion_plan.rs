//! Converting later, in part, and selling the fleet (docs/model.md,
//! "Converting later, in part, and selling the fleet"), worked by hand on
//! small sites.

use hashpivot_core::scenario::parse;
use hashpivot_core::summary::{AiSummary, Summary, summarize};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A 12-month format-2 site with both strategies; `MINING` and `AI` are
/// replaced by each test's own keys.
const SITE: &str = r#"
format = 2
name = "plan"
start = "2026-01"
months = 12
discount_rate = 0

[bitcoin]
price_usd = 100000
price_growth_annual = 0
network_hashrate_ehs = 1000
hashrate_growth_annual = 0
fees_btc_per_block = 0.02
block_height = 935000
block_time_s = 600

[[site]]
name = "A"
grid_mw = 10
power_price_usd_per_mwh = 40

[site.mining]
pue = 1.0
uptime = 1
pool_fee = 0
opex_usd_per_month = 1000000
capex_usd = 5000000
shutdown = "never"
MINING

[site.ai]
kind = "colocation"
pue = 1.5
it_mw = 6
lease_usd_per_kw_month = 100
opex_usd_per_month = 200000
conversion_capex_usd = 12000000
AI
"#;

const THREE_ROWS: &str = r#"
[[site.mining.fleet]]
model = "A"
count = 100
ths = 100
j_per_th = 20
[[site.mining.fleet]]
model = "B"
count = 1000
ths = 200
j_per_th = 15
[[site.mining.fleet]]
model = "C"
count = 10
ths = 50
j_per_th = 15
"#;

fn run(mining: &str, ai: &str) -> Summary {
    let text = SITE.replace("MINING", mining).replace("AI", ai);
    summarize(&parse(&text).unwrap()).unwrap()
}

fn ai(s: &Summary) -> &AiSummary {
    s.sites[0].ai.as_ref().unwrap()
}

/// Spare grid C = 10 − 6 × 1.5 = 1 MW. One machine's meter load
/// m = ths × J/TH × pue / 10^6: A 0.002 MW, B 0.003 MW, C 0.00075 MW.
/// Best first: B (15 J/TH), then C (15, after B in the file), then A.
/// B keeps min(1000, floor(1 / 0.003) = 333) = 333, leaving 0.001 MW;
/// C keeps floor(0.001 / 0.00075) = 1, leaving 0.00025 MW; A keeps
/// floor(0.00025 / 0.002) = 0. Kept: 333 × 200 + 1 × 50 = 66,650 TH/s.
#[test]
fn keep_mining_keeps_whole_machines_best_first() {
    let s = run(THREE_ROWS, "keep_mining = true\nbuild_months = 2");
    let a2 = ai(&s).f2.as_ref().unwrap();
    assert_eq!(a2.kept_hashrate_ths, Some(d("66650")));
    // Mining opex scaled by kept ÷ full meter load (pue 1 cancels):
    // kept 333 × 200 × 15 + 1 × 50 × 15 = 999,750 W, full 100 × 100 × 20
    // + 1000 × 200 × 15 + 10 × 50 × 15 = 3,207,500 W; 1,000,000 ×
    // 999,750 / 3,207,500 = 311,691.348402…, plus AI opex 200,000.
    let live = &ai(&s).outcome.monthly[5];
    let expected = d("511691.34840218238503507404520654715510522213561964");
    assert!((live.opex_usd - expected).abs() < d("0.0000000001"));
    // Construction months mine nothing (no mine_during_build).
    assert_eq!(ai(&s).outcome.monthly[1].btc_mined, Decimal::ZERO);
    assert!(ai(&s).outcome.monthly[2].btc_mined > Decimal::ZERO);
}

/// The single form keeps T' = min(T, C × 10^6 / (E × pue)) =
/// min(200,000, 1 × 10^6 / (20 × 1.25)) = 40,000 TH/s.
#[test]
fn keep_mining_single_form_keeps_what_fits() {
    let s = run(
        "hashrate_ths = 200000\nefficiency_j_per_th = 20",
        "keep_mining = true",
    );
    let text = SITE
        .replace("pue = 1.0\n", "pue = 1.25\n")
        .replace("MINING", "hashrate_ths = 200000\nefficiency_j_per_th = 20")
        .replace("AI", "keep_mining = true");
    let s125 = summarize(&parse(&text).unwrap()).unwrap();
    assert_eq!(
        ai(&s125).f2.as_ref().unwrap().kept_hashrate_ths,
        Some(d("40000"))
    );
    // At pue 1: 1 × 10^6 / 20 = 50,000.
    assert_eq!(
        ai(&s).f2.as_ref().unwrap().kept_hashrate_ths,
        Some(d("50000"))
    );
    // Without keep_mining it is null.
    let none = run("hashrate_ths = 200000\nefficiency_j_per_th = 20", "");
    assert_eq!(ai(&none).f2.as_ref().unwrap().kept_hashrate_ths, None);
}

/// The fleet sale arrives when mining stops: the start month without
/// mine_during_build (s = 3, 2026-04), go-live with it (L = 3 + 2 = 5),
/// and not at all when that month is past the horizon (s = 10, L = 12).
#[test]
fn the_fleet_sale_arrives_when_mining_stops() {
    let cash = |ai_keys: &str| -> Vec<Decimal> {
        ai(&run(THREE_ROWS, ai_keys))
            .outcome
            .monthly
            .iter()
            .map(|m| m.cash_flow_usd)
            .collect()
    };
    for (keys, month) in [
        ("start = \"2026-04\"\nbuild_months = 2", Some(3)),
        (
            "start = \"2026-04\"\nbuild_months = 2\nmine_during_build = true",
            Some(5),
        ),
        (
            "start = \"2026-11\"\nbuild_months = 2\nmine_during_build = true",
            None,
        ),
    ] {
        let without = cash(keys);
        let with = cash(&format!("{keys}\nfleet_sale_usd = 7000000"));
        for i in 0..12 {
            let sale = if Some(i) == month {
                d("7000000")
            } else {
                Decimal::ZERO
            };
            assert_eq!(with[i] - without[i], sale, "{keys}: month {i}");
        }
        let s = run(THREE_ROWS, &format!("{keys}\nfleet_sale_usd = 7000000"));
        let received = if month.is_some() {
            d("7000000")
        } else {
            Decimal::ZERO
        };
        assert_eq!(ai(&s).f2.as_ref().unwrap().fleet_sale_usd, received);
        // Not revenue.
        let s0 = run(THREE_ROWS, keys);
        assert_eq!(ai(&s).outcome.revenue_usd, ai(&s0).outcome.revenue_usd);
    }
}

/// Converting in 2026-04 with a 2-month build: months 0–2 are strategy
/// mine's months without its capex (5,000,000 in month 0), go-live is
/// 2026-06, and the build's 12,000,000 is 6,000,000 in months 3 and 4.
#[test]
fn a_later_start_mines_until_then() {
    let s = run(THREE_ROWS, "start = \"2026-04\"\nbuild_months = 2");
    let mine = &s.sites[0].mine.as_ref().unwrap().outcome.monthly;
    let a = ai(&s);
    assert_eq!(a.f2.as_ref().unwrap().start.to_string(), "2026-04");
    assert_eq!(a.go_live.unwrap().to_string(), "2026-06");
    for (m, mined) in a.outcome.monthly.iter().zip(mine).take(3) {
        assert_eq!(m.btc_mined, mined.btc_mined);
        assert_eq!(m.revenue_usd, mined.revenue_usd);
        assert_eq!(m.capex_usd, Decimal::ZERO);
    }
    assert_eq!(mine[0].capex_usd, d("5000000"));
    assert_eq!(
        a.outcome.monthly[0].cash_flow_usd,
        mine[0].cash_flow_usd + d("5000000")
    );
    for i in [3, 4] {
        assert_eq!(a.outcome.monthly[i].capex_usd, d("6000000"));
        assert_eq!(a.outcome.monthly[i].revenue_usd, Decimal::ZERO);
    }
    // Live month k = 0 (2026-06) is the ramp's first: no ramp here, so
    // the full 6,000 kW × $100 = $600,000.
    assert_eq!(a.outcome.monthly[5].revenue_usd, d("600000"));
}
