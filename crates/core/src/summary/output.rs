//! The output model: what one scenario's answer holds, site by site and
//! strategy by strategy, unrounded (docs/model.md, "Summary JSON").
//!
//! Plain data with no computation behind it, so renderers can be tested
//! on summaries built by hand and the computation ([`summarize`]) can be
//! read apart from the shape of its result.
//!
//! [`summarize`]: super::summarize

use crate::calendar::YearMonth;
use crate::finance::Line;
use crate::network::Halving;
use crate::scenario::{Override, Scenario};
use rust_decimal::Decimal;

/// The whole answer for one scenario, unrounded.
///
/// Plain data, so renderers can be tested on summaries built by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub scenario: String,
    pub start: YearMonth,
    pub months: u32,
    /// Hashprice of each month, USD per PH/s per day.
    pub hashprice_usd_per_ph_day: Vec<Decimal>,
    /// Halvings inside the horizon.
    pub halvings: Vec<Halving>,
    pub sites: Vec<SiteSummary>,
    /// The `--set` overrides applied, in the order given.
    pub overrides: Vec<Override>,
    /// The checked scenario this answers (overrides applied), so a
    /// renderer can state the assumptions behind the figures: discount
    /// rate, BTC price, network, each site's grid and power price.
    pub inputs: Scenario,
}

impl Summary {
    /// Hashprice in month 0, USD per PH/s per day.
    pub fn hashprice_usd_per_ph_day(&self) -> Decimal {
        self.hashprice_usd_per_ph_day
            .first()
            .copied()
            .unwrap_or_default()
    }

    /// The calendar month of month index `i`.
    pub fn month(&self, i: usize) -> YearMonth {
        self.start.add_months(i as u32)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SiteSummary {
    pub name: String,
    pub mine: Option<MineSummary>,
    pub ai: Option<AiSummary>,
    /// Present when the site has both strategies.
    pub comparison: Option<Comparison>,
}

/// What both strategies report: totals over the horizon and finance.
#[derive(Debug, Clone, PartialEq)]
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
    /// Month by month, in month-index order.
    pub monthly: Vec<MonthFigures>,
    /// Format 2's figures; `None` for a format-1 scenario.
    pub f2: Option<OutcomeF2>,
}

/// What format 2 adds to each strategy (docs/model.md, "Summary JSON in format
/// 2"). Under `ai`, `start` is the scenario's start and no fleet is sold
/// or kept (this version refuses those keys).
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeF2 {
    pub mirr: Option<Decimal>,
    /// Part of revenue.
    pub demand_response_usd: Decimal,
    /// Added to the last month's cash flow; not revenue.
    pub terminal_value_usd: Decimal,
    /// Meter-load-weighted share of the hours the rows ran, over the
    /// months the strategy mines; `None` when it mines none.
    pub run_share: Option<Decimal>,
}

/// What format 2 adds to each month (docs/model.md, "Summary JSON in format 2").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthF2 {
    pub btc_price_usd: Decimal,
    pub network_hashrate_ehs: Decimal,
    /// Blended: `Σ share_b · price_b,i`.
    pub power_price_usd_per_mwh: Decimal,
    /// `None` in a month nothing is mined.
    pub run_share: Option<Decimal>,
    /// The lease or GPU-hour rate in force; `None` under `mine` and before
    /// go-live.
    pub rate: Option<Decimal>,
    /// `None` under `mine` and before go-live.
    pub in_service_share: Option<Decimal>,
    pub discount_factor: Decimal,
    pub present_value_usd: Decimal,
    /// The fleet sale received this month (0 in all others).
    pub fleet_sale_usd: Decimal,
    /// The terminal value, in the last month (0 in all others).
    pub terminal_value_usd: Decimal,
}

/// One month of one strategy, unrounded: the `--monthly` rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthFigures {
    pub btc_mined: Decimal,
    pub revenue_usd: Decimal,
    pub power_cost_usd: Decimal,
    pub opex_usd: Decimal,
    pub capex_usd: Decimal,
    /// `CF_i = revenue − power cost − opex − capex` (docs/model.md,
    /// "Finance").
    pub cash_flow_usd: Decimal,
    /// `Σ_{j≤i} CF_j`.
    pub cumulative_cash_usd: Decimal,
    /// Format 2's monthly figures.
    pub f2: Option<MonthF2>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MineSummary {
    pub outcome: Outcome,
    pub breakeven_btc_price_usd: Option<Decimal>,
    pub cost_per_btc_usd: Option<Decimal>,
    pub all_in_cost_per_btc_usd: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AiSummary {
    pub offer: Offer,
    pub outcome: Outcome,
    /// The lease (USD per kW-month) or GPU-hour rate at which the AI NPV
    /// is 0.
    pub breakeven_rate: Option<Decimal>,
    pub go_live: Option<YearMonth>,
    /// Format 2's own figures of strategy `ai` (`None` in format 1).
    pub f2: Option<AiF2>,
}

/// What format 2 adds to strategy `ai` (docs/model.md, "Strategy `ai` in
/// format 2").
#[derive(Debug, Clone, PartialEq)]
pub struct AiF2 {
    /// The month the conversion starts (`site.ai.start`).
    pub start: YearMonth,
    /// The fleet sale received within the horizon (0 when none is).
    pub fleet_sale_usd: Decimal,
    /// `Σ n_r · ths_r` kept mining (`T'` for the single form); `None`
    /// unless `keep_mining`.
    pub kept_hashrate_ths: Option<Decimal>,
}

/// What an AI site sells, which sets the unit of its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    Colocation,
    GpuCloud,
}

impl Offer {
    /// The unit of `breakeven_rate`.
    pub fn rate_unit(self) -> &'static str {
        match self {
            Offer::Colocation => "kW-month",
            Offer::GpuCloud => "GPU-hour",
        }
    }
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

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub winner: Winner,
    pub npv_advantage_usd: Decimal,
    pub crossover_btc_price_usd: Option<Decimal>,
    /// Format 2's `conversion` block; `None` for format 1.
    pub conversion: Option<Conversion>,
}

/// Converting as an investment of its own (docs/model.md, "Summary JSON in
/// format 2"): finance on `ΔCF_i = CF_ai,i − CF_mine,i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// Signed, AI − mine.
    pub npv_usd: Decimal,
    pub irr: Option<Decimal>,
    pub mirr: Option<Decimal>,
    pub payback_months: Option<u32>,
    /// The AI rate at which `NPV_ai = NPV_mine`.
    pub breakeven_rate: Option<Decimal>,
}
