//! The words and cells `run`'s table prints, for the report's cover and
//! figures pages: the verdict line, its caveats, the flip and the
//! conversion line, and the cells of the two futures side by side.
//!
//! Why a copy: the report must say exactly what `run` says (a CFO compares
//! the two), but `render::table` keeps these helpers private. Until they
//! are made `pub(crate)` there, this module rebuilds them with the same
//! wording and rounding, and `tests/report.rs` checks that every sentence
//! and cell here equals what `run` prints for the shipped scenarios.

use crate::finance::NoIrr;
use crate::render::number::{Percent, fixed, group, money, percent, places, stated_percent};
use crate::summary::{AiF2, AiSummary, MineSummary, Outcome, SiteSummary, Summary, Winner};
use rust_decimal::{Decimal, RoundingStrategy};

/// The table's null.
pub(super) const NULL: &str = "—";

/// The table's row labels of both futures.
pub(super) const LABELS: [&str; 13] = [
    "Revenue",
    "Power cost",
    "Opex",
    "Capex",
    "Net cash",
    "NPV",
    "IRR (a year)",
    "Payback",
    "BTC mined",
    "Month-0 breakeven",
    "Cost per BTC",
    "All-in cost per BTC",
    "Go-live",
];

/// The rows format 2 adds.
pub(super) const LABELS_F2: [&str; 8] = [
    "MIRR (a year)",
    "Conversion starts",
    "Fleet sale",
    "Hashrate kept",
    "Run share",
    "Demand response",
    "Terminal value",
    "Terminal value (PV)",
];

/// "Winner: keep mining, by $… of NPV", as the table's verdict line.
pub(super) fn winner_line(site: &SiteSummary) -> Option<String> {
    let c = site.comparison.as_ref()?;
    Some(match c.winner {
        Winner::Mine => format!(
            "Winner: keep mining, by {} of NPV",
            money(c.npv_advantage_usd, places::USD)
        ),
        Winner::Ai => format!(
            "Winner: convert to AI, by {} of NPV",
            money(c.npv_advantage_usd, places::USD)
        ),
        Winner::Tie => "Tie: both futures have the same NPV".to_string(),
    })
}

/// The table's caveats under the verdict, in its order: both NPVs
/// negative, a verdict resting on the exit values, an NPV or a payback
/// only the terminal value brings, an AI future that never goes live.
pub(super) fn caveats(s: &Summary, site: &SiteSummary) -> Vec<String> {
    let mut lines = Vec::new();
    let Some(c) = &site.comparison else {
        return lines;
    };
    if let (Some(m), Some(a)) = (&site.mine, &site.ai)
        && m.outcome.npv_usd.is_sign_negative()
        && a.outcome.npv_usd.is_sign_negative()
        && !m.outcome.npv_usd.is_zero()
        && !a.outcome.npv_usd.is_zero()
    {
        lines.push(format!(
            "Both NPVs are negative: neither future earns the {} cost of capital; the winner only loses less",
            stated_percent(s.inputs.discount_rate)
        ));
    }
    if let (Some(m), Some(a)) = (&site.mine, &site.ai)
        && let (Some(tm), Some(ta)) = (
            terminal_present_value(&m.outcome),
            terminal_present_value(&a.outcome),
        )
        && !(tm.is_zero() && ta.is_zero())
        && let (Some(mine_ex), Some(ai_ex)) = (
            m.outcome.npv_usd.checked_sub(tm),
            a.outcome.npv_usd.checked_sub(ta),
        )
    {
        let flipped = match c.winner {
            Winner::Ai => mine_ex > ai_ex,
            Winner::Mine => ai_ex > mine_ex,
            Winner::Tie => false,
        };
        if flipped {
            let (who, by) = if mine_ex > ai_ex {
                ("keep mining", mine_ex - ai_ex)
            } else {
                ("convert to AI", ai_ex - mine_ex)
            };
            lines.push(format!(
                "The verdict rests on the exit values: without them, {who} wins by {}",
                money(by, places::USD)
            ));
        }
    }
    let both = [
        ("Keep mining", site.mine.as_ref().map(|m| &m.outcome)),
        ("Convert to AI", site.ai.as_ref().map(|a| &a.outcome)),
    ];
    for (who, o) in both {
        if let Some(o) = o
            && let Some(tv) = terminal_present_value(o)
            && let Some(bare) = o.npv_usd.checked_sub(tv)
            && o.npv_usd > Decimal::ZERO
            && bare < Decimal::ZERO
        {
            lines.push(format!(
                "{who}'s NPV rests on its terminal value: without it, NPV {}",
                money(bare, places::USD)
            ));
        }
    }
    for (who, o) in both {
        if let Some(short) = o.and_then(short_without_exit_value) {
            lines.push(format!(
                "{who} pays back only through its terminal value: without it, net cash is {}",
                money(short, places::USD)
            ));
        }
    }
    if let (Winner::Ai, Some(a)) = (c.winner, &site.ai)
        && a.go_live.is_none()
    {
        lines.push("AI hosting never goes live within the horizon: the AI future wins only by mining without the fleet's capex".to_string());
    }
    lines
}

/// The table's line on the month-0 BTC price that flips the answer.
pub(super) fn flip_line(s: &Summary, site: &SiteSummary) -> Option<String> {
    let c = site.comparison.as_ref()?;
    Some(match c.crossover_btc_price_usd {
        Some(p) => {
            let other = match c.winner {
                Winner::Ai => Some("keep mining"),
                Winner::Mine => Some("convert to AI"),
                Winner::Tie => None,
            };
            let side = if p > s.inputs.bitcoin.price_usd {
                "above"
            } else {
                "below"
            };
            match other {
                Some(other) => format!(
                    "The answer flips at a month-0 BTC price of {}: {side} it, {other} wins",
                    money(p, places::USD)
                ),
                None => format!(
                    "The answer flips at a month-0 BTC price of {}",
                    money(p, places::USD)
                ),
            }
        }
        None => "No month-0 BTC price flips the answer".to_string(),
    })
}

/// Format 2's line on converting as an investment of its own, as the
/// table joins its parts (" · ").
pub(super) fn conversion_line(site: &SiteSummary) -> Option<String> {
    let conv = site.comparison.as_ref()?.conversion.as_ref()?;
    let mut parts = vec![format!(
        "Converting instead of mining: NPV {}",
        signed_money(conv.npv_usd)
    )];
    parts.push(match conv.irr {
        Some(irr) => format!("IRR {}", percent(irr, Percent::IRR)),
        None => {
            let flows: Option<Vec<Decimal>> = match (&site.mine, &site.ai) {
                (Some(m), Some(a)) => m
                    .outcome
                    .monthly
                    .iter()
                    .zip(&a.outcome.monthly)
                    .map(|(m, a)| a.cash_flow_usd.checked_sub(m.cash_flow_usd))
                    .collect(),
                _ => None,
            };
            match flows {
                Some(f) => format!("IRR {NULL} {}", NoIrr::of(&f).reason()),
                None => format!("IRR {NULL}"),
            }
        }
    });
    parts.push(format!(
        "MIRR {}",
        conv.mirr
            .map_or(NULL.to_string(), |m| percent(m, Percent::IRR))
    ));
    parts.push(match conv.payback_months {
        Some(n) => {
            let exit = |o: Option<&Outcome>| {
                o.and_then(|o| o.f2.as_ref())
                    .map_or(Decimal::ZERO, |f| f.terminal_value_usd)
            };
            let net = |o: Option<&Outcome>| o.map_or(Decimal::ZERO, |o| o.net_cash_usd);
            let (m, a) = (
                site.mine.as_ref().map(|m| &m.outcome),
                site.ai.as_ref().map(|a| &a.outcome),
            );
            let bare = (net(a) - exit(a)) - (net(m) - exit(m));
            if !(exit(a) - exit(m)).is_zero() && bare < Decimal::ZERO {
                format!("pays back in {n} months, only through the exit values")
            } else {
                format!("pays back in {n} months")
            }
        }
        None => "never pays back".to_string(),
    });
    if let (Some(r), Some(a)) = (conv.breakeven_rate, &site.ai) {
        parts.push(format!(
            "worth it above {} per {}",
            money(r, places::RATE),
            a.offer.rate_unit()
        ));
    }
    Some(parts.join(" · "))
}

/// A USD amount with its sign: `+$1,234.00`, `-$1,234.00`.
fn signed_money(v: Decimal) -> String {
    let shown = money(v, places::USD);
    if v > Decimal::ZERO && !shown.starts_with('-') {
        format!("+{shown}")
    } else {
        shown
    }
}

/// Net cash without the terminal value, when it is below 0 although the
/// strategy pays back.
fn short_without_exit_value(o: &Outcome) -> Option<Decimal> {
    let tv = o.f2.as_ref()?.terminal_value_usd;
    o.payback_months?;
    let bare = o.net_cash_usd.checked_sub(tv)?;
    (tv > Decimal::ZERO && bare < Decimal::ZERO).then_some(bare)
}

/// The terminal value discounted as the last month's cash flow is.
pub(super) fn terminal_present_value(o: &Outcome) -> Option<Decimal> {
    let f = o.f2.as_ref()?;
    let factor = o.monthly.last()?.f2.as_ref()?.discount_factor;
    f.terminal_value_usd.checked_mul(factor)
}

/// The IRR as a percentage, or why there is none.
fn irr_cell(o: &Outcome) -> String {
    match o.irr {
        Some(irr) => percent(irr, Percent::IRR),
        None => {
            let flows: Vec<Decimal> = o.monthly.iter().map(|m| m.cash_flow_usd).collect();
            format!("{NULL} {}", NoIrr::of(&flows).reason())
        }
    }
}

fn outcome_cells(o: &Outcome) -> Vec<String> {
    vec![
        money(o.revenue_usd, places::USD),
        money(o.power_cost_usd, places::USD),
        money(o.opex_usd, places::USD),
        money(o.capex_usd, places::USD),
        money(o.net_cash_usd, places::USD),
        money(o.npv_usd, places::USD),
        irr_cell(o),
        o.payback_months
            .map_or(NULL.into(), |n| format!("{n} months")),
        group(&fixed(o.btc_mined, places::BTC)),
    ]
}

/// Strategy `mine`'s column of the table ([`LABELS`] then, in format 2,
/// [`LABELS_F2`]).
pub(super) fn mine_column(m: &MineSummary) -> Vec<String> {
    let mut cells = outcome_cells(&m.outcome);
    cells.push(m.breakeven_btc_price_usd.map_or(NULL.into(), |p| {
        format!("{} per BTC", money(p, places::USD))
    }));
    cells.push(
        m.cost_per_btc_usd
            .map_or(NULL.into(), |p| money(p, places::USD)),
    );
    cells.push(
        m.all_in_cost_per_btc_usd
            .map_or(NULL.into(), |p| money(p, places::USD)),
    );
    cells.push(String::new());
    cells.extend(f2_cells(&m.outcome, None));
    cells
}

/// Strategy `ai`'s column, as [`mine_column`].
pub(super) fn ai_column(a: &AiSummary) -> Vec<String> {
    let mut cells = outcome_cells(&a.outcome);
    cells.push(a.breakeven_rate.map_or(NULL.into(), |r| {
        format!("{} per {}", money(r, places::RATE), a.offer.rate_unit())
    }));
    cells.push(String::new());
    cells.push(String::new());
    cells.push(
        a.go_live
            .map_or("not within horizon".into(), |g| g.to_string()),
    );
    cells.extend(f2_cells(&a.outcome, a.f2.as_ref()));
    cells
}

/// A strategy's format-2 cells (none in format 1).
fn f2_cells(o: &Outcome, plan: Option<&AiF2>) -> Vec<String> {
    let Some(f) = &o.f2 else {
        return Vec::new();
    };
    let (start, sale, kept) = match plan {
        Some(p) => (
            p.start.to_string(),
            money(p.fleet_sale_usd, places::USD),
            p.kept_hashrate_ths.map_or("none".into(), |t| {
                let t = t
                    .round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven)
                    .normalize();
                format!("{} TH/s", group(&t.to_string()))
            }),
        ),
        None => Default::default(),
    };
    vec![
        f.mirr.map_or(NULL.into(), |m| percent(m, Percent::IRR)),
        start,
        sale,
        kept,
        f.run_share.map_or(NULL.into(), |r| {
            let r = r.round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven);
            format!("{} %", fixed(r * Decimal::ONE_HUNDRED, 2))
        }),
        money(f.demand_response_usd, places::USD),
        money(f.terminal_value_usd, places::USD),
        terminal_present_value(o).map_or(NULL.into(), |pv| money(pv, places::USD)),
    ]
}

/// A yearly growth rate as words, as the table states it.
pub(super) fn growth(annual: Decimal) -> String {
    if annual.is_zero() {
        "flat".into()
    } else if annual.is_sign_negative() {
        format!("falling {} a year", stated_percent(-annual))
    } else {
        format!("rising {} a year", stated_percent(annual))
    }
}
