//! One scenario's answer: for each site, both futures, which one wins, and
//! the BTC price at which the answer flips (MODEL.md, "Finance" and
//! "Summary JSON").
//!
//! This is the calculation core's front door: [`summarize`] takes a checked
//! [`Scenario`] and returns unrounded figures. Rounding happens only in the
//! renderers, once, at output.

use crate::calendar::YearMonth;
use crate::exact::{Checked, Overflow, sum};
use crate::finance::{Discount, Line, irr, payback_months};
use crate::network::{Halving, Network};
use crate::scenario::{Ai, Scenario, Site};
use crate::strategy::{MonthRow, ai, mine};
use rust_decimal::Decimal;
use std::fmt;

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

/// The whole answer for one scenario, unrounded.
#[derive(Debug, Clone)]
pub struct Summary {
    pub scenario: String,
    pub start: YearMonth,
    pub months: u32,
    pub network: Network,
    pub sites: Vec<SiteSummary>,
}

impl Summary {
    /// Hashprice in month 0, USD per PH/s per day.
    pub fn hashprice_usd_per_ph_day(&self) -> Decimal {
        self.network.months[0].hashprice_usd_per_ph_day
    }

    pub fn halvings(&self) -> &[Halving] {
        &self.network.halvings
    }
}

#[derive(Debug, Clone)]
pub struct SiteSummary {
    pub name: String,
    pub mine: Option<MineSummary>,
    pub ai: Option<AiSummary>,
    /// Present when the site has both strategies.
    pub comparison: Option<Comparison>,
}

/// What both strategies report: totals over the horizon and finance.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub revenue_usd: Decimal,
    pub power_cost_usd: Decimal,
    pub opex_usd: Decimal,
    pub capex_usd: Decimal,
    pub net_cash_usd: Decimal,
    pub npv_usd: Decimal,
    pub irr: Option<Decimal>,
    pub payback_months: Option<u32>,
    pub btc_mined: Decimal,
    /// The NPV as a line in the month-0 BTC price.
    pub price_line: Line,
    /// The NPV as a line in the AI rate (flat for strategy `mine`).
    pub rate_line: Line,
    pub rows: Vec<MonthRow>,
}

#[derive(Debug, Clone)]
pub struct MineSummary {
    pub outcome: Outcome,
    pub breakeven_btc_price_usd: Option<Decimal>,
    pub cost_per_btc_usd: Option<Decimal>,
    pub all_in_cost_per_btc_usd: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct AiSummary {
    pub outcome: Outcome,
    /// The lease (USD per kW-month) or GPU-hour rate at which the AI NPV
    /// is 0.
    pub breakeven_rate: Option<Decimal>,
    pub go_live: Option<YearMonth>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Winner {
    Mine,
    Ai,
    Tie,
}

impl Winner {
    pub fn as_str(self) -> &'static str {
        match self {
            Winner::Mine => "mine",
            Winner::Ai => "ai",
            Winner::Tie => "tie",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub winner: Winner,
    pub npv_advantage_usd: Decimal,
    pub crossover_btc_price_usd: Option<Decimal>,
}

/// Computes the summary of a checked scenario.
pub fn summarize(scenario: &Scenario) -> Result<Summary, ComputeError> {
    let fail = |during: String| {
        move |_: Overflow| ComputeError {
            scenario: scenario.name.clone(),
            during,
        }
    };
    let months = scenario.months as usize;
    let network = Network::project(&scenario.bitcoin, scenario.start, scenario.months)
        .map_err(fail("the Bitcoin network projection".into()))?;
    let discount = Discount::new(scenario.discount_rate, months)
        .map_err(fail("the discount factors".into()))?;

    let mut sites = Vec::with_capacity(scenario.sites.len());
    for (index, site) in scenario.sites.iter().enumerate() {
        let label =
            |strategy: &str| format!("site[{index}] (\"{}\") strategy {strategy}", site.name);
        let mine = site
            .mining
            .as_ref()
            .map(|m| {
                mine::project(site, m, &network).and_then(|rows| mine_summary(rows, &discount))
            })
            .transpose()
            .map_err(fail(label("mine")))?;
        let ai = site
            .ai
            .as_ref()
            .map(|a| ai_summary(site, a, &network, &discount))
            .transpose()
            .map_err(fail(label("ai")))?;
        let comparison = match (&mine, &ai) {
            (Some(m), Some(a)) => Some(compare(&m.outcome, &a.outcome).map_err(fail(format!(
                "site[{index}] (\"{}\") comparison",
                site.name
            )))?),
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
        network,
        sites,
    })
}

fn outcome(rows: Vec<MonthRow>, discount: &Discount) -> Result<Outcome, Overflow> {
    let cash_flows = rows
        .iter()
        .map(MonthRow::cash_flow_usd)
        .collect::<Result<Vec<_>, _>>()?;
    let revenue_usd = sum(rows
        .iter()
        .map(MonthRow::revenue_usd)
        .collect::<Result<Vec<_>, _>>()?)?;
    let price_line = Line {
        slope: discount.npv(rows.iter().map(|r| r.price_coef))?,
        intercept: discount.npv(
            cash_flows
                .iter()
                .zip(&rows)
                .map(|(cf, r)| cf.minus(r.mining_revenue_usd))
                .collect::<Result<Vec<_>, _>>()?,
        )?,
    };
    let rate_line = Line {
        slope: discount.npv(rows.iter().map(|r| r.rate_coef))?,
        intercept: discount.npv(
            cash_flows
                .iter()
                .zip(&rows)
                .map(|(cf, r)| cf.minus(r.ai_revenue_usd))
                .collect::<Result<Vec<_>, _>>()?,
        )?,
    };
    Ok(Outcome {
        revenue_usd,
        power_cost_usd: sum(rows.iter().map(|r| r.power_cost_usd))?,
        opex_usd: sum(rows.iter().map(|r| r.opex_usd))?,
        capex_usd: sum(rows.iter().map(|r| r.capex_usd))?,
        net_cash_usd: sum(cash_flows.iter().copied())?,
        npv_usd: discount.npv(cash_flows.iter().copied())?,
        irr: irr(&cash_flows)?,
        payback_months: payback_months(&cash_flows)?,
        btc_mined: sum(rows.iter().map(|r| r.btc_mined))?,
        price_line,
        rate_line,
        rows,
    })
}

fn mine_summary(rows: Vec<MonthRow>, discount: &Discount) -> Result<MineSummary, Overflow> {
    let outcome = outcome(rows, discount)?;
    let btc = outcome.btc_mined;
    // MODEL.md: breakeven price and costs per BTC are null when nothing is
    // mined.
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
    site: &Site,
    ai_spec: &Ai,
    network: &Network,
    discount: &Discount,
) -> Result<AiSummary, Overflow> {
    let rows = ai::project(site, ai_spec, network)?;
    let outcome = outcome(rows, discount)?;
    Ok(AiSummary {
        // Null when revenue does not depend on the rate: never live within
        // the horizon, or utilization 0 (the line is flat).
        breakeven_rate: outcome.rate_line.zero()?,
        go_live: ai::go_live(ai_spec, network.months.len()).map(|g| network.months[g].grid.label),
        outcome,
    })
}

/// MODEL.md: the winner by unrounded NPV, the advantage, and the month-0
/// BTC price at which the two NPV lines cross (null if parallel or ≤ 0).
fn compare(mine: &Outcome, ai: &Outcome) -> Result<Comparison, Overflow> {
    let winner = match mine.npv_usd.cmp(&ai.npv_usd) {
        std::cmp::Ordering::Greater => Winner::Mine,
        std::cmp::Ordering::Less => Winner::Ai,
        std::cmp::Ordering::Equal => Winner::Tie,
    };
    let crossover = mine
        .price_line
        .meets(&ai.price_line)?
        .filter(|p| *p > Decimal::ZERO);
    Ok(Comparison {
        winner,
        npv_advantage_usd: mine.npv_usd.minus(ai.npv_usd)?.abs(),
        crossover_btc_price_usd: crossover,
    })
}
