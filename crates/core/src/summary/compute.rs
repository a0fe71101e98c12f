//! The computation: a checked [`Scenario`] to its unrounded [`Summary`].
//!
//! For each site, each strategy's months ([`strategy`](crate::strategy))
//! become totals, NPV, IRR, payback and breakevens (docs/model.md,
//! "Finance"), and a site with both strategies gets its winner and
//! crossover price.

use super::cache::{Cache, Shared, SharedFailure, SharedKey};
use super::output::{
    AiSummary, Comparison, MineSummary, MonthFigures, Offer, Outcome, SiteSummary, Summary, Winner,
};
use crate::exact::{Checked, Overflow, sum};
use crate::finance::{Discount, Line, irr, payback_from_cumulative};
use crate::network::Network;
use crate::scenario::{Ai, AiKind, Scenario, Site};
use crate::strategy::{MonthRow, ai, mine};
use crate::sweep::SiteFigures;
use rust_decimal::Decimal;
use std::fmt;
use std::sync::Arc;

/// Arithmetic left the decimal range while computing a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputeError {
    /// The scenario's `name`.
    pub scenario: String,
    /// What was being computed, e.g. `site[0] ("North") strategy ai`.
    pub during: String,
}

impl fmt::Display for ComputeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arithmetic overflow in scenario \"{}\" while computing {}: {}",
            self.scenario, self.during, Overflow
        )
    }
}

impl std::error::Error for ComputeError {}

/// Computes the summary of a checked scenario.
pub fn summarize(scenario: &Scenario) -> Result<Summary, ComputeError> {
    summarize_with(scenario, None)
}

/// As [`summarize`], reusing network projections from `cache`.
pub fn summarize_with(scenario: &Scenario, cache: Option<&Cache>) -> Result<Summary, ComputeError> {
    if scenario.format2.is_some() {
        return super::format2::summarize(scenario, cache);
    }
    let fail = |during: String| {
        move |_: Overflow| ComputeError {
            scenario: scenario.name.clone(),
            during,
        }
    };
    let months = scenario.months as usize;
    let shared = shared(scenario, cache)?;
    let network = &shared.network;
    let price_usd = scenario.bitcoin.price_usd;
    let hashprice_usd_per_ph_day = (0..months)
        .map(|i| network.hashprice(price_usd, i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail("the Bitcoin network projection".into()))?;

    let mut sites = Vec::with_capacity(scenario.sites.len());
    for (index, site) in scenario.sites.iter().enumerate() {
        let label =
            |strategy: &str| format!("site[{index}] (\"{}\") strategy {strategy}", site.name);
        let template = shared.template(site);
        let mine = template
            .mine
            .as_ref()
            .map(|t| mine_summary(t.as_ref().map_err(|e| *e)?, price_usd))
            .transpose()
            .map_err(fail(label("mine")))?;
        let ai = match (&site.ai, &template.ai) {
            (Some(a), Some(t)) => Some(ai_summary(
                a,
                t.as_ref().map_err(|e| *e),
                network,
                price_usd,
            )),
            _ => None,
        }
        .transpose()
        .map_err(fail(label("ai")))?;
        let comparison = match (&mine, &ai) {
            (Some(m), Some(a)) => Some(decide_winner(&m.outcome, &a.outcome).map_err(fail(
                format!("site[{index}] (\"{}\") comparison", site.name),
            ))?),
            _ => None,
        };
        sites.push(SiteSummary {
            name: site.name.clone(),
            mine,
            ai,
            comparison,
        });
    }
    Ok(Summary {
        scenario: scenario.name.clone(),
        start: scenario.start,
        months: scenario.months,
        hashprice_usd_per_ph_day,
        halvings: network.halvings.clone(),
        sites,
        overrides: Vec::new(),
        inputs: scenario.clone(),
    })
}

/// The figures a sweep prints of each site of `scenario`, computed
/// without the rest of its summary where that gives exactly the figures
/// of [`summarize_with`] and fails only where it fails (a format-2
/// scenario, whose summary has much a sweep never prints: see
/// `format2::headline`); `None` where the summary must be computed.
pub fn sweep_figures(scenario: &Scenario, cache: &Cache) -> Option<Vec<SiteFigures>> {
    if scenario.format2.is_some() {
        super::format2::sweep_figures(scenario, cache)
    } else {
        None
    }
}

/// The network projection and discount factors of `scenario`: from
/// `cache` when it has them, else computed (the network first, so a
/// scenario where both would leave the decimal range is reported for the
/// network).
pub(super) fn shared(
    scenario: &Scenario,
    cache: Option<&Cache>,
) -> Result<Arc<Shared>, ComputeError> {
    let months = scenario.months as usize;
    let project = || {
        let network = Network::project(&scenario.bitcoin, scenario.start, scenario.months)
            .map_err(|_| SharedFailure::Network)?;
        let discount =
            Discount::new(scenario.discount_rate, months).map_err(|_| SharedFailure::Discount)?;
        let keep = cache.map_or(0, Cache::templates_per_projection);
        Ok(Shared::new(network, discount, keep))
    };
    match cache {
        Some(c) => c.get_or_compute(SharedKey::of(scenario), project),
        None => project().map(Arc::new),
    }
    .map_err(|failure| ComputeError {
        scenario: scenario.name.clone(),
        during: match failure {
            SharedFailure::Network => "the Bitcoin network projection",
            SharedFailure::Discount => "the discount factors",
        }
        .into(),
    })
}

/// The inputs each NPV is a line in.
#[derive(Debug, Clone, Copy)]
struct Prices {
    /// The month-0 BTC price.
    btc_usd: Decimal,
    /// The lease (USD per kW-month) or GPU-hour rate; 0 for mining.
    ai_rate: Decimal,
}

/// A strategy's figures that do not depend on the month-0 BTC price: its
/// months (with no mining revenue: that is `price · price_coef`, added
/// per price), the three discounted sums behind its NPV lines, and its
/// price-free totals. Points of a sweep that differ only in the price
/// share one (see [`Shared::template`]).
#[derive(Debug)]
pub(super) struct StrategyTemplate {
    rows: Vec<MonthRow>,
    /// `Σ price_coef_i / (1 + r)^((i+1)/12)`.
    price_slope: Decimal,
    /// `Σ rate_coef_i / (1 + r)^((i+1)/12)`.
    rate_slope: Decimal,
    /// Discounted power, opex and capex.
    costs: Decimal,
    power_cost_usd: Decimal,
    opex_usd: Decimal,
    capex_usd: Decimal,
    btc_mined: Decimal,
}

impl StrategyTemplate {
    /// From the strategy's months at a month-0 price of 0.
    fn new(rows: Vec<MonthRow>, discount: &Discount) -> Result<StrategyTemplate, Overflow> {
        // NPV = x · slope + intercept, for x the month-0 BTC price (mining
        // revenue is price_usd · price_coef) and for x the AI rate (AI
        // revenue is rate · rate_coef). Three discounted sums give both
        // lines and the NPV: the revenue slopes and the costs. Each
        // intercept is the other revenue less the costs, so a site with no
        // costs has an intercept of exactly 0 (and a crossover of exactly
        // 0, which is null), never a rounding residue.
        let price_slope = discount.npv(rows.iter().map(|r| r.price_coef))?;
        let rate_slope = discount.npv(rows.iter().map(|r| r.rate_coef))?;
        let costs = discount.npv(
            rows.iter()
                .map(|r| r.power_cost_usd.plus(r.opex_usd)?.plus(r.capex_usd))
                .collect::<Result<Vec<_>, _>>()?,
        )?;
        Ok(StrategyTemplate {
            price_slope,
            rate_slope,
            costs,
            power_cost_usd: sum(rows.iter().map(|r| r.power_cost_usd))?,
            opex_usd: sum(rows.iter().map(|r| r.opex_usd))?,
            capex_usd: sum(rows.iter().map(|r| r.capex_usd))?,
            btc_mined: sum(rows.iter().map(|r| r.btc_mined))?,
            rows,
        })
    }
}

/// Both strategies' [`StrategyTemplate`]s of a site (an overflow in one
/// is that strategy's error, reported when its turn comes).
#[derive(Debug)]
pub(super) struct SiteTemplate {
    pub(super) mine: Option<Result<StrategyTemplate, Overflow>>,
    pub(super) ai: Option<Result<StrategyTemplate, Overflow>>,
}

impl SiteTemplate {
    pub(super) fn new(site: &Site, network: &Network, discount: &Discount) -> SiteTemplate {
        // At a month-0 price of 0 every month's mining revenue is exactly
        // Decimal::ZERO (as in a month that does not mine), and nothing
        // else in the months depends on the price.
        let free = Decimal::ZERO;
        SiteTemplate {
            mine: site.mining.as_ref().map(|m| {
                mine::project(site, m, network, free)
                    .and_then(|rows| StrategyTemplate::new(rows, discount))
            }),
            ai: site.ai.as_ref().map(|a| {
                ai::project(site, a, network, free)
                    .and_then(|rows| StrategyTemplate::new(rows, discount))
            }),
        }
    }
}

fn outcome(t: &StrategyTemplate, prices: Prices) -> Result<Outcome, Overflow> {
    let mut monthly = Vec::with_capacity(t.rows.len());
    let mut cash_flows = Vec::with_capacity(t.rows.len());
    let mut cumulative_cash = Vec::with_capacity(t.rows.len());
    let mut cumulative = Decimal::ZERO;
    for r in &t.rows {
        // The month as the strategy computes it at this price: mining
        // revenue price_usd · price_coef (exactly Decimal::ZERO where the
        // month does not mine, price_coef being 0), then revenue and cash
        // flow in MonthRow's order of operations.
        let row = MonthRow {
            mining_revenue_usd: prices.btc_usd.times(r.price_coef)?,
            ..*r
        };
        let revenue_usd = row.revenue_usd()?;
        let cash_flow_usd = row.cash_flow_usd()?;
        cumulative = cumulative.plus(cash_flow_usd)?;
        cash_flows.push(cash_flow_usd);
        cumulative_cash.push(cumulative);
        monthly.push(MonthFigures {
            btc_mined: r.btc_mined,
            revenue_usd,
            power_cost_usd: r.power_cost_usd,
            opex_usd: r.opex_usd,
            capex_usd: r.capex_usd,
            cash_flow_usd,
            cumulative_cash_usd: cumulative,
            f2: None,
        });
    }
    let mining = prices.btc_usd.times(t.price_slope)?;
    let ai = prices.ai_rate.times(t.rate_slope)?;
    let npv_usd = mining.plus(ai)?.minus(t.costs)?;
    Ok(Outcome {
        revenue_usd: sum(monthly.iter().map(|m| m.revenue_usd))?,
        power_cost_usd: t.power_cost_usd,
        opex_usd: t.opex_usd,
        capex_usd: t.capex_usd,
        net_cash_usd: cumulative,
        npv_usd,
        irr: irr(&cash_flows)?,
        payback_months: payback_from_cumulative(&cumulative_cash),
        btc_mined: t.btc_mined,
        price_line: Line {
            slope: t.price_slope,
            intercept: ai.minus(t.costs)?,
        },
        rate_line: Line {
            slope: t.rate_slope,
            intercept: mining.minus(t.costs)?,
        },
        monthly,
        f2: None,
    })
}

fn mine_summary(template: &StrategyTemplate, btc_usd: Decimal) -> Result<MineSummary, Overflow> {
    let prices = Prices {
        btc_usd,
        ai_rate: Decimal::ZERO,
    };
    let outcome = outcome(template, prices)?;
    let btc = outcome.btc_mined;
    // Breakeven price and costs per BTC are null when nothing is mined
    // (docs/model.md, "Finance").
    let per_btc = |usd: Decimal| -> Result<Option<Decimal>, Overflow> {
        if btc.is_zero() {
            Ok(None)
        } else {
            usd.over(btc).map(Some)
        }
    };
    let all_in = outcome
        .power_cost_usd
        .plus(outcome.opex_usd)?
        .plus(outcome.capex_usd)?;
    Ok(MineSummary {
        breakeven_btc_price_usd: if btc.is_zero() {
            None
        } else {
            outcome.price_line.zero()?
        },
        cost_per_btc_usd: per_btc(outcome.power_cost_usd)?,
        all_in_cost_per_btc_usd: per_btc(all_in)?,
        outcome,
    })
}

fn ai_summary(
    ai_spec: &Ai,
    template: Result<&StrategyTemplate, Overflow>,
    network: &Network,
    price_usd: Decimal,
) -> Result<AiSummary, Overflow> {
    let template = template?;
    let ai_rate = match ai_spec.kind {
        AiKind::Colocation {
            lease_usd_per_kw_month,
            ..
        } => lease_usd_per_kw_month,
        AiKind::GpuCloud { gpu_hour_usd, .. } => gpu_hour_usd,
    };
    let prices = Prices {
        btc_usd: price_usd,
        ai_rate,
    };
    let outcome = outcome(template, prices)?;
    Ok(AiSummary {
        offer: match ai_spec.kind {
            AiKind::Colocation { .. } => Offer::Colocation,
            AiKind::GpuCloud { .. } => Offer::GpuCloud,
        },
        // Null when revenue does not depend on the rate: never live within
        // the horizon, or utilization 0 (the line is flat).
        breakeven_rate: outcome.rate_line.zero()?,
        go_live: ai::go_live(ai_spec, network.months.len()).map(|g| network.months[g].grid.label),
        f2: None,
        outcome,
    })
}

/// The winner by unrounded NPV, the advantage, and the month-0 BTC price
/// at which the two NPV lines cross (null if parallel or ≤ 0), for a site
/// with both strategies (docs/model.md, "Finance").
fn decide_winner(mine: &Outcome, ai: &Outcome) -> Result<Comparison, Overflow> {
    let winner = match mine.npv_usd.cmp(&ai.npv_usd) {
        std::cmp::Ordering::Greater => Winner::Mine,
        std::cmp::Ordering::Less => Winner::Ai,
        std::cmp::Ordering::Equal => Winner::Tie,
    };
    let crossover = mine.price_line.meets_above_zero(&ai.price_line)?;
    Ok(Comparison {
        winner,
        npv_advantage_usd: mine.npv_usd.minus(ai.npv_usd)?.abs(),
        crossover_btc_price_usd: crossover,
        conversion: None,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::evaluate;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// One 30-day month (June 2026) at a 0 % discount rate, so NPV equals
    /// the single cash flow. The mining site is the one worked in
    /// strategy/mine.rs: 12.5685 BTC, revenue 1,256,850, power 601,920,
    /// opex 50,000, capex 3,000,000.
    pub(in crate::summary) fn one_month(ai: &str) -> String {
        format!(
            r#"
format = 1
name = "hand"
start = "2026-06"
months = 1
discount_rate = 0
[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 900000
[[site]]
name = "A"
grid_mw = 100
power_price_usd_per_mwh = 40
[site.mining]
hashrate_ths = 1000000
efficiency_j_per_th = 20
pue = 1.1
uptime = 0.95
pool_fee = 0.02
opex_usd_per_month = 50000
capex_usd = 3000000
[site.ai]
{ai}
"#
        )
    }

    fn site(ai: &str) -> SiteSummary {
        evaluate(&one_month(ai)).unwrap().sites.remove(0)
    }

    #[test]
    fn mine_figures_by_hand() {
        let s = site("kind = \"colocation\"\nit_mw = 10\nlease_usd_per_kw_month = 150");
        let m = s.mine.unwrap();
        // CF = 1,256,850 − 601,920 − 50,000 − 3,000,000 = −2,395,070
        assert_eq!(m.outcome.npv_usd, d("-2395070"));
        assert_eq!(m.outcome.net_cash_usd, d("-2395070"));
        // One negative flow: no IRR, never pays back.
        assert_eq!(m.outcome.irr, None);
        assert_eq!(m.outcome.payback_months, None);
        // Breakeven: 12.5685 · P = 3,651,920 → P = 290,561.3239447825…
        let be = m.breakeven_btc_price_usd.unwrap();
        assert!(
            (be - d("290561.32394478259139913275")).abs() < d("1e-18"),
            "{be}"
        );
        // Cost per BTC: 601,920 / 12.5685 = 47,891.156462585034…
        let c = m.cost_per_btc_usd.unwrap();
        assert!(
            (c - d("47891.156462585034013605442")).abs() < d("1e-18"),
            "{c}"
        );
        // All-in: (601,920 + 50,000 + 3,000,000) / 12.5685, the breakeven
        // again since one undiscounted month has nothing else.
        assert!((m.all_in_cost_per_btc_usd.unwrap() - be).abs() < d("1e-18"));
    }

    #[test]
    fn colocation_wins_and_the_crossover_price() {
        // AI: 10,000 kW · $150 = 1,500,000 revenue, 1,000,000 conversion
        // capex in month 0: NPV 500,000.
        let s = site(
            "kind = \"colocation\"\nit_mw = 10\npue = 1.25\nlease_usd_per_kw_month = 150\nconversion_capex_usd = 1000000",
        );
        let a = s.ai.unwrap();
        assert_eq!(a.outcome.npv_usd, d("500000"));
        assert_eq!(a.outcome.payback_months, Some(0));
        assert_eq!(a.go_live.unwrap().to_string(), "2026-06");
        // Breakeven lease: 10,000 · L − 1,000,000 = 0 → L = 100.
        assert_eq!(a.breakeven_rate, Some(d("100")));
        let c = s.comparison.unwrap();
        assert_eq!(c.winner, Winner::Ai);
        // 500,000 − (−2,395,070)
        assert_eq!(c.npv_advantage_usd, d("2895070"));
        // 12.5685 · P − 3,651,920 = 500,000 → P = 330,343.31861399530…
        let x = c.crossover_btc_price_usd.unwrap();
        assert!(
            (x - d("330343.31861399530572462896")).abs() < d("1e-18"),
            "{x}"
        );
    }

    #[test]
    fn parallel_lines_have_no_crossover() {
        // Never live (build 1 ≥ 1 month), mining meanwhile: the AI NPV has
        // the same slope in the BTC price as mining's. AI CF = 1,256,850 −
        // 601,920 − 50,000 − 1,000,000 = −395,070, better by 2,000,000.
        let s = site(
            "kind = \"colocation\"\nit_mw = 10\nlease_usd_per_kw_month = 150\nbuild_months = 1\nmine_during_build = true\nconversion_capex_usd = 1000000",
        );
        let a = s.ai.as_ref().unwrap();
        assert_eq!(a.outcome.npv_usd, d("-395070"));
        assert_eq!(a.outcome.btc_mined, d("12.5685"));
        assert_eq!(a.go_live, None);
        // Never live: revenue does not depend on the lease rate.
        assert_eq!(a.breakeven_rate, None);
        let c = s.comparison.unwrap();
        assert_eq!(c.winner, Winner::Ai);
        assert_eq!(c.npv_advantage_usd, d("2000000"));
        assert_eq!(c.crossover_btc_price_usd, None);
    }

    #[test]
    fn equal_npvs_tie() {
        // Same as above with the conversion costing what the refresh does:
        // identical cash flows.
        let s = site(
            "kind = \"colocation\"\nit_mw = 10\nlease_usd_per_kw_month = 150\nbuild_months = 3\nmine_during_build = true\nconversion_capex_usd = 9000000",
        );
        let c = s.comparison.unwrap();
        // 9,000,000 / 3 build months = 3,000,000 in the one month counted.
        assert_eq!(c.winner, Winner::Tie);
        assert_eq!(c.npv_advantage_usd, Decimal::ZERO);
        assert_eq!(c.crossover_btc_price_usd, None);
    }

    #[test]
    fn breakeven_rate_is_null_at_zero_utilization() {
        // 100 GPUs sold at utilization 0: revenue is 0 whatever the rate.
        let s = site(
            "kind = \"gpu_cloud\"\ngpu_count = 100\ngpu_kw = 1.3\ngpu_hour_usd = 2\nutilization = 0",
        );
        let a = s.ai.unwrap();
        assert_eq!(a.breakeven_rate, None);
        assert_eq!(a.outcome.revenue_usd, Decimal::ZERO);
        // Power is still drawn: 0.13 MW · 720 h · $40 = 3,744.
        assert_eq!(a.outcome.power_cost_usd, d("3744"));
    }

    #[test]
    fn a_crossover_at_exactly_zero_is_null() {
        // Mining with no costs at all (power free, no opex, no capex) and an
        // AI option that never goes live and costs nothing: both intercepts
        // are exactly 0, so the lines cross at a price of exactly 0, which
        // is not > 0. (Found by tools/crosscheck.py when the intercept was
        // once taken as NPV − price · slope, leaving a 1e-20 residue.)
        let text = one_month(
            "kind = \"colocation\"\nit_mw = 10\nlease_usd_per_kw_month = 150\nbuild_months = 6",
        )
        .replace(
            "power_price_usd_per_mwh = 40",
            "power_price_usd_per_mwh = 0",
        )
        .replace("opex_usd_per_month = 50000\n", "")
        .replace("capex_usd = 3000000\n", "")
        .replace("discount_rate = 0", "discount_rate = 0.08");
        let site = evaluate(&text).unwrap().sites.remove(0);
        assert_eq!(
            site.mine.as_ref().unwrap().outcome.price_line.intercept,
            Decimal::ZERO
        );
        assert_eq!(site.ai.as_ref().unwrap().outcome.npv_usd, Decimal::ZERO);
        assert_eq!(site.comparison.unwrap().crossover_btc_price_usd, None);
    }

    #[test]
    fn overflow_names_the_scenario() {
        // Every value is in range (the 0.01 EH/s fleet fits the 0.1 EH/s
        // network), but hashprice = R/days · P / (H · 1000)
        // = 450 · 7e28 / 100 ≈ 3.2e29 is beyond it.
        let text = one_month("kind = \"colocation\"\nit_mw = 10\nlease_usd_per_kw_month = 150")
            .replace("price_usd = 100000", "price_usd = 7e28")
            .replace("network_hashrate_ehs = 1000", "network_hashrate_ehs = 0.1")
            .replace("hashrate_ths = 1000000", "hashrate_ths = 10000");
        let err = evaluate(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "arithmetic overflow in scenario \"hand\" while computing the Bitcoin network projection: a value exceeds the decimal range (about ±7.9e28)"
        );
    }
}
