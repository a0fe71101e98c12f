//! The two futures of a site, month by month.
//!
//! [`mine`] keeps the site mining; [`ai`] converts it to AI hosting (a
//! colocation lease or a GPU cloud), optionally mining while it is built.
//! Both produce the same [`MonthRow`]s, which `finance` turns into NPV,
//! IRR, payback and breakevens.

pub mod ai;
pub mod mine;

use crate::exact::{Checked, Overflow};
use rust_decimal::Decimal;

/// One month of one strategy at one site. Every amount is unrounded.
///
/// Revenue is kept in its two parts because each is exactly linear in one
/// input: mining revenue is `price_usd · price_coef` (the month-0 BTC price
/// times BTC mined times the price path), AI revenue is `rate · rate_coef`
/// (the lease or GPU-hour rate times its quantity and path). Breakeven and
/// crossover prices solve those lines exactly (docs/model.md, "Finance").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthRow {
    pub btc_mined: Decimal,
    pub mining_revenue_usd: Decimal,
    pub ai_revenue_usd: Decimal,
    pub power_cost_usd: Decimal,
    pub opex_usd: Decimal,
    pub capex_usd: Decimal,
    /// Mining revenue per USD of month-0 BTC price.
    pub price_coef: Decimal,
    /// AI revenue per unit of the AI rate (USD per kW-month or GPU-hour).
    pub rate_coef: Decimal,
}

impl MonthRow {
    pub fn revenue_usd(&self) -> Result<Decimal, Overflow> {
        self.mining_revenue_usd.plus(self.ai_revenue_usd)
    }

    /// `CF_i = revenue − power cost − opex − capex` (docs/model.md,
    /// "Finance").
    pub fn cash_flow_usd(&self) -> Result<Decimal, Overflow> {
        self.revenue_usd()?
            .minus(self.power_cost_usd)?
            .minus(self.opex_usd)?
            .minus(self.capex_usd)
    }
}
