//! Properties of scenario format 2 (docs/model.md, "Scenario format 2: what an operator actually does"),
//! checked on generated scenarios (proptest):
//! - economic shutdown never lowers mining NPV versus `"never"`;
//! - NPV is non-decreasing in the month-0 BTC price (every strategy);
//! - the breakeven BTC price plugged back gives NPV ≥ 0 there and < 0 one
//!   cent below (within half a cent of a root, or at a jump);
//! - a one-block `"never"` format-2 file without other format-2 keys prints
//!   exactly what its format-1 twin prints, figure for figure.

use hashpivot::render::Renderer;
use hashpivot::render::json::JsonRenderer;
use hashpivot::summary::Summary;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The inputs a generated scenario is written from.
#[derive(Debug, Clone)]
struct Gen {
    months: u32,
    price: u32,
    price_growth: i32,
    hashrate: u32,
    hashrate_growth: i32,
    height: u32,
    /// (count, ths, j_per_th tenths) per fleet row.
    rows: Vec<(u32, u32, u32)>,
    /// (share in hundredths, price) per block; shares made to sum to 1.
    blocks: Vec<(u32, i32)>,
    escalator: i32,
    inflation: i32,
    opex: u32,
    capex: u32,
    dr: u32,
    mining_exit: u32,
    ai_exit: u32,
    build: u32,
    mine_during_build: bool,
    lease: u32,
    conversion: u32,
}

fn scenario() -> impl Strategy<Value = Gen> {
    (
        (
            1u32..48,
            20_000u32..200_000,
            -30i32..60,
            300u32..2_000,
            -20i32..80,
            prop_oneof![Just(840_000u32), 880_000u32..1_100_000],
        ),
        (
            prop::collection::vec((100u32..5_000, 50u32..300, 150u32..400), 1..4),
            prop::collection::vec((1u32..100, -20i32..200), 1..5),
            -5i32..10,
            0i32..8,
            0u32..2_000_000,
            0u32..50_000_000,
        ),
        (
            0u32..10_000,
            0u32..8,
            0u32..15,
            0u32..10,
            any::<bool>(),
            50u32..250,
            0u32..200_000_000,
        ),
    )
        .prop_map(
            |(
                (months, price, price_growth, hashrate, hashrate_growth, height),
                (rows, blocks, escalator, inflation, opex, capex),
                (dr, mining_exit, ai_exit, build, mine_during_build, lease, conversion),
            )| Gen {
                months,
                price,
                price_growth,
                hashrate,
                hashrate_growth,
                height,
                rows,
                blocks,
                escalator,
                inflation,
                opex,
                capex,
                dr,
                mining_exit,
                ai_exit,
                build,
                mine_during_build,
                lease,
                conversion,
            },
        )
}

/// Block shares in hundredths summing to exactly 100: the last block takes
/// the rest (blocks that would leave nothing are dropped).
fn shares(blocks: &[(u32, i32)]) -> Vec<(u32, i32)> {
    let mut left = 100;
    let mut out = Vec::new();
    for (i, (share, price)) in blocks.iter().enumerate() {
        let s = if i + 1 == blocks.len() {
            left
        } else {
            (*share).min(left - 1)
        };
        if s == 0 {
            continue;
        }
        out.push((s, *price));
        left -= s;
        if left == 0 {
            break;
        }
    }
    if left > 0 {
        out.push((left, blocks[0].1));
    }
    out
}

/// The scenario text. `format2` false writes the format-1 twin (one flat
/// price, format-2 keys left out); `price` overrides the month-0 BTC price.
fn text(g: &Gen, format2: bool, shutdown: &str, price: u32) -> String {
    let mut t = format!(
        "format = {}\nname = \"generated\"\nstart = \"2026-03\"\nmonths = {}\ndiscount_rate = 0.1\n",
        if format2 { 2 } else { 1 },
        g.months
    );
    if format2 && shutdown != "twin" {
        t += &format!(
            "inflation_annual = {}\n",
            Decimal::new(g.inflation.into(), 2)
        );
    }
    t += &format!(
        "[bitcoin]\nprice_usd = {price}\nprice_growth_annual = {}\nnetwork_hashrate_ehs = {}\nhashrate_growth_annual = {}\nfees_btc_per_block = 0.02\nblock_height = {}\n",
        Decimal::new(g.price_growth.into(), 2),
        g.hashrate,
        Decimal::new(g.hashrate_growth.into(), 2),
        g.height
    );
    t += "[[site]]\nname = \"A\"\ngrid_mw = 100000\n";
    if format2 && shutdown != "twin" {
        t += &format!(
            "power_escalator_annual = {}\n",
            Decimal::new(g.escalator.into(), 2)
        );
        for (share, price) in shares(&g.blocks) {
            t += &format!(
                "[[site.power_block]]\nshare = {}\nprice_usd_per_mwh = {price}\n",
                Decimal::new(share.into(), 2)
            );
        }
    } else {
        t += &format!(
            "power_price_usd_per_mwh = {}\n",
            g.blocks[0].1.unsigned_abs()
        );
    }
    t += &format!(
        "[site.mining]\npue = 1.1\nuptime = 0.97\npool_fee = 0.02\nopex_usd_per_month = {}\ncapex_usd = {}\n",
        g.opex, g.capex
    );
    if format2 {
        let mode = if shutdown == "twin" {
            "never"
        } else {
            shutdown
        };
        t += &format!("shutdown = \"{mode}\"\n");
        if shutdown != "twin" {
            t += &format!(
                "demand_response_usd_per_mw_month = {}\nexit_multiple = {}\n",
                g.dr, g.mining_exit
            );
        }
    }
    for (count, ths, j) in &g.rows {
        t += &format!(
            "[[site.mining.fleet]]\nmodel = \"m\"\ncount = {count}\nths = {ths}\nj_per_th = {}\n",
            Decimal::new((*j).into(), 1)
        );
    }
    t += &format!(
        "[site.ai]\nkind = \"colocation\"\nit_mw = 20\npue = 1.2\nbuild_months = {}\nmine_during_build = {}\nconversion_capex_usd = {}\nlease_usd_per_kw_month = {}\nopex_usd_per_month = 100000\n",
        g.build, g.mine_during_build, g.conversion, g.lease
    );
    if format2 && shutdown != "twin" {
        t += &format!("exit_multiple = {}\n", g.ai_exit);
    }
    t
}

fn run(text: &str) -> Summary {
    hashpivot::evaluate(text).unwrap_or_else(|e| panic!("{e:?}\n{text}"))
}

fn mine_npv(s: &Summary) -> Decimal {
    s.sites[0].mine.as_ref().unwrap().outcome.npv_usd
}

fn ai_npv(s: &Summary) -> Decimal {
    s.sites[0].ai.as_ref().unwrap().outcome.npv_usd
}

/// Rounding in sums of 28-digit products: far below a cent.
fn slack() -> Decimal {
    Decimal::new(1, 6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn economic_shutdown_never_lowers_mining_npv(g in scenario()) {
        let economic = run(&text(&g, true, "economic", g.price));
        let never = run(&text(&g, true, "never", g.price));
        prop_assert!(mine_npv(&economic) >= mine_npv(&never) - slack(),
            "economic {} < never {}", mine_npv(&economic), mine_npv(&never));
    }

    #[test]
    fn npv_is_non_decreasing_in_the_btc_price(g in scenario(), step in 1u32..50_000) {
        for mode in ["economic", "never"] {
            let low = run(&text(&g, true, mode, g.price));
            let high = run(&text(&g, true, mode, g.price + step));
            prop_assert!(mine_npv(&high) >= mine_npv(&low) - slack(), "{mode} mine");
            prop_assert!(ai_npv(&high) >= ai_npv(&low) - slack(), "{mode} ai");
        }
    }

    #[test]
    fn the_breakeven_price_is_a_root_or_a_jump(g in scenario()) {
        let s = run(&text(&g, true, "economic", g.price));
        let Some(be) = s.sites[0].mine.as_ref().unwrap().breakeven_btc_price_usd else {
            return Ok(());
        };
        // Printed to the cent: NPV at the printed root and one cent above
        // is ≥ −(half a cent's worth), one cent below < 0 unless the root
        // is 0.
        let cent = Decimal::new(1, 2);
        let at = |p: Decimal| -> Decimal {
            let p = p.round_dp(2);
            let body = text(&g, true, "economic", 1).replace("price_usd = 1\n", &format!("price_usd = {p}\n"));
            mine_npv(&run(&body))
        };
        let printed = be.round_dp(2);
        if printed > cent {
            prop_assert!(at(printed + cent) >= Decimal::ZERO, "above {printed}");
            prop_assert!(at(printed - cent) < Decimal::ZERO, "below {printed}");
        }
    }

    #[test]
    fn the_conversion_block_is_the_difference_of_the_strategies(g in scenario()) {
        let s = run(&text(&g, true, "economic", g.price));
        let c = s.sites[0].comparison.as_ref().unwrap();
        let conv = c.conversion.as_ref().unwrap();
        prop_assert!((conv.npv_usd - (ai_npv(&s) - mine_npv(&s))).abs() <= slack());
        prop_assert_eq!(conv.npv_usd.abs(), c.npv_advantage_usd);
        // At the conversion's breakeven rate the two NPVs are equal: the
        // rate printed to 4 decimals moves the AI NPV by at most the
        // slope times 0.00005.
        if let Some(rate) = conv.breakeven_rate {
            let body = text(&g, true, "economic", g.price).replace(
                &format!("lease_usd_per_kw_month = {}\n", g.lease),
                &format!("lease_usd_per_kw_month = {}\n", rate.round_dp(10)),
            );
            if rate >= Decimal::ZERO {
                let at = run(&body);
                let gap = (ai_npv(&at) - mine_npv(&at)).abs();
                prop_assert!(gap <= Decimal::new(1, 2), "gap {gap} at {rate}");
            }
        }
    }

    #[test]
    fn a_one_block_never_file_equals_its_format_1_twin(g in scenario()) {
        let render = |s: Summary| {
            String::from_utf8(JsonRenderer { monthly: false }.render(&[s], false)).unwrap()
        };
        let one = render(run(&text(&g, false, "twin", g.price)));
        let two = render(run(&text(&g, true, "twin", g.price)));
        let mut two: serde_json::Value = serde_json::from_str(&two).unwrap();
        let one: serde_json::Value = serde_json::from_str(&one).unwrap();
        // Format 2's own keys, appended after format 1's, set aside.
        let top = two.as_object_mut().unwrap();
        for key in ["format", "start", "discount_rate", "portfolio"] {
            prop_assert!(top.remove(key).is_some(), "{key}");
        }
        let site = top["sites"][0].as_object_mut().unwrap();
        prop_assert!(site.remove("conversion").is_some());
        for key in ["mirr", "demand_response_usd", "terminal_value_usd", "run_share"] {
            site["mine"].as_object_mut().unwrap().remove(key);
        }
        for key in ["mirr", "start", "fleet_sale_usd", "demand_response_usd",
                    "terminal_value_usd", "run_share", "kept_hashrate_ths"] {
            site["ai"].as_object_mut().unwrap().remove(key);
        }
        // Format 1 prints a negative month-0 breakeven; format 2's is the
        // smallest P ≥ 0 (0 when the NPV is ≥ 0 at P = 0).
        let be1 = one["sites"][0]["mine"]["breakeven_btc_price_usd"].clone();
        if be1.as_str().is_none() && !be1.is_null()
            && Decimal::from_str(&be1.to_string()).unwrap() < Decimal::ZERO {
            return Ok(());
        }
        prop_assert_eq!(two, one);
    }
}
