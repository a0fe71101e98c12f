//! The typed scenario: what a scenario file says, after every rule of
//! docs/model.md, "Scenario file (TOML)" has been checked.
//!
//! The types here hold only valid values, so the calculation core never
//! re-checks a range, and each fact once: a quantity that follows from
//! others (a fleet's hashrate and IT load, an AI site's IT load) is a
//! method, never a stored copy that could go stale.
//!
//! Reading TOML into them is split by concern:
//!
//! - [`load`]: the order of reading and the rules that join keys;
//! - `schema`: which keys each table holds, required or with a default,
//!   and each key's range rule;
//! - `table`: the span-keeping view of the TOML document, and the record
//!   of which keys were read, from which unknown keys follow;
//! - `ranges`: range rules such as `0 < uptime ≤ 1`, checked and worded;
//! - `spelling`: "did you mean …?" for a mistyped key;
//! - [`literal`]: the text of a number to an exact decimal;
//! - [`overrides`]: `--set`, applied before the checks;
//! - [`patch`]: an override applied to a scenario already checked (a
//!   sweep's grid points: parse once), re-checking the rules its key
//!   takes part in;
//! - [`warnings`]: values the rules admit that are probably unit slips
//!   (a power price of 0.045 USD/MWh), reported as [`Warning`]s.

pub mod literal;
pub mod load;
pub mod overrides;
pub mod patch;
mod ranges;
mod schema;
mod spelling;
mod table;
pub mod warnings;

use crate::calendar::YearMonth;
use crate::exact::{Checked, Overflow};
use rust_decimal::Decimal;

pub use load::{parse, parse_with_overrides, parse_with_warnings};
pub use overrides::Override;
pub use warnings::{Slip, Warning};

/// The only scenario format this version reads (docs/model.md, "Scenario
/// file (TOML)").
pub const FORMAT: i128 = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub start: YearMonth,
    /// 1 … 600
    pub months: u32,
    /// Annual, 0 ≤ r < 10.
    pub discount_rate: Decimal,
    pub bitcoin: Bitcoin,
    /// One or more, with unique names.
    pub sites: Vec<Site>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bitcoin {
    pub price_usd: Decimal,
    pub price_growth_annual: Decimal,
    pub network_hashrate_ehs: Decimal,
    pub hashrate_growth_annual: Decimal,
    pub fees_btc_per_block: Decimal,
    pub block_height: u64,
    pub block_time_s: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub name: String,
    pub grid_mw: Decimal,
    pub power_price_usd_per_mwh: Decimal,
    /// Strategy `mine`, when the site has `[site.mining]`.
    pub mining: Option<Mining>,
    /// Strategy `ai`, when the site has `[site.ai]`.
    pub ai: Option<Ai>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mining {
    pub fleet: Fleet,
    pub pue: Decimal,
    pub uptime: Decimal,
    pub pool_fee: Decimal,
    pub opex_usd_per_month: Decimal,
    pub capex_usd: Decimal,
}

impl Mining {
    /// Fleet hashrate `T`, TH/s (see [`Fleet::hashrate_ths`]).
    pub fn hashrate_ths(&self) -> Result<Decimal, Overflow> {
        self.fleet.hashrate_ths()
    }

    /// IT load, MW (see [`Fleet::it_mw`]).
    pub fn it_mw(&self) -> Result<Decimal, Overflow> {
        self.fleet.it_mw()
    }
}

/// The two ways a scenario may describe its machines.
#[derive(Debug, Clone, PartialEq)]
pub enum Fleet {
    Single {
        hashrate_ths: Decimal,
        efficiency_j_per_th: Decimal,
    },
    Rows(Vec<FleetRow>),
}

impl Fleet {
    /// Fleet hashrate `T`, TH/s: `hashrate_ths`, or `Σ count·ths` for rows
    /// (docs/model.md, "Strategy `mine`").
    pub fn hashrate_ths(&self) -> Result<Decimal, Overflow> {
        match self {
            Fleet::Single { hashrate_ths, .. } => Ok(*hashrate_ths),
            Fleet::Rows(rows) => rows
                .iter()
                .try_fold(Decimal::ZERO, |ths, r| ths.plus(r.hashrate_ths()?)),
        }
    }

    /// IT load, MW: `T·E / 10^6`, or for rows `Σ count·ths·j_per_th / 10^6`,
    /// which is the same quantity without the rounding of `E`
    /// (docs/model.md, "Strategy `mine`"). A loaded scenario's fits its
    /// grid, so it is in range.
    pub fn it_mw(&self) -> Result<Decimal, Overflow> {
        let watts = match self {
            Fleet::Single {
                hashrate_ths,
                efficiency_j_per_th,
            } => hashrate_ths.times(*efficiency_j_per_th)?,
            Fleet::Rows(rows) => rows.iter().try_fold(Decimal::ZERO, |watts, r| {
                watts.plus(r.hashrate_ths()?.times(r.j_per_th)?)
            })?,
        };
        watts.over(Decimal::from(1_000_000))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FleetRow {
    pub model: String,
    pub count: u64,
    pub ths: Decimal,
    pub j_per_th: Decimal,
}

impl FleetRow {
    /// The row's hashrate, `count · ths` TH/s.
    pub fn hashrate_ths(&self) -> Result<Decimal, Overflow> {
        Decimal::from(self.count).times(self.ths)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ai {
    pub pue: Decimal,
    pub build_months: u64,
    pub conversion_capex_usd: Decimal,
    pub ramp_months: u64,
    pub mine_during_build: bool,
    pub opex_usd_per_month: Decimal,
    pub kind: AiKind,
}

impl Ai {
    /// Critical IT load at full ramp, MW (see [`AiKind::it_mw`]).
    pub fn it_mw(&self) -> Result<Decimal, Overflow> {
        self.kind.it_mw()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum AiKind {
    Colocation {
        it_mw: Decimal,
        lease_usd_per_kw_month: Decimal,
        lease_escalator_annual: Decimal,
        power_pass_through: bool,
    },
    GpuCloud {
        gpu_count: u64,
        gpu_kw: Decimal,
        gpu_hour_usd: Decimal,
        utilization: Decimal,
        gpu_hour_decline_annual: Decimal,
        gpu_capex_usd: Decimal,
    },
}

impl AiKind {
    /// Critical IT load at full ramp, MW: the colocation's `it_mw`, or
    /// `gpu_count · gpu_kw / 1000` for a GPU cloud (docs/model.md,
    /// "Strategy `ai`"). A loaded scenario's fits its grid, so it is in
    /// range.
    pub fn it_mw(&self) -> Result<Decimal, Overflow> {
        match self {
            AiKind::Colocation { it_mw, .. } => Ok(*it_mw),
            AiKind::GpuCloud {
                gpu_count, gpu_kw, ..
            } => Decimal::from(*gpu_count)
                .times(*gpu_kw)?
                .over(Decimal::ONE_THOUSAND),
        }
    }
}
