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

pub mod json_schema;
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

/// Scenario format 1 (docs/model.md, "Scenario file (TOML)").
pub const FORMAT: i128 = 1;

/// Scenario format 2 (docs/model.md, "Scenario format 2: what an operator
/// actually does").
pub const FORMAT_2: i128 = 2;

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
    /// The format-2 keys of the top level; `None` for a format-1 file.
    pub format2: Option<Format2>,
}

impl Scenario {
    /// The scenario format the file declares, 1 or 2.
    pub fn format(&self) -> u8 {
        if self.format2.is_some() { 2 } else { 1 }
    }
}

/// The top-level keys of format 2.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Format2 {
    /// Opex escalation, > −1.
    pub inflation_annual: Decimal,
    /// Monte Carlo inputs, checked and otherwise unused by `run`.
    pub risk: Risk,
}

/// `[risk]` (docs/keys.md, "[risk]"): every key optional.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub price_vol_annual: Decimal,
    pub hashrate_vol_annual: Decimal,
    pub price_hashrate_corr: Decimal,
    pub gpu_hour_vol_annual: Decimal,
    pub lease_default_annual: Decimal,
    pub paths: u64,
    pub seed: u64,
}

impl Default for Risk {
    fn default() -> Risk {
        Risk {
            price_vol_annual: Decimal::ZERO,
            hashrate_vol_annual: Decimal::ZERO,
            price_hashrate_corr: Decimal::ZERO,
            gpu_hour_vol_annual: Decimal::ZERO,
            lease_default_annual: Decimal::ZERO,
            paths: 10_000,
            seed: 0,
        }
    }
}

/// One block of a power price duration curve: `share` of every month's
/// hours at `price_usd_per_mwh` (before the escalator).
#[derive(Debug, Clone, PartialEq)]
pub struct PowerBlock {
    /// 0 < share ≤ 1; a site's shares sum to exactly 1.
    pub share: Decimal,
    /// Any decimal: negative prices happen.
    pub price_usd_per_mwh: Decimal,
}

/// A site's power in format 2: a flat price is one block of share 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Power2 {
    pub blocks: Vec<PowerBlock>,
    /// Whether the file wrote `[[site.power_block]]` rows (else a flat
    /// `power_price_usd_per_mwh`).
    pub curve: bool,
    /// > −1.
    pub escalator_annual: Decimal,
}

/// When mining switches a row off (docs/model.md, "Mining, row by row").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shutdown {
    /// A row runs in a block only when it earns that block's price.
    Economic,
    /// Every row runs in every block (format 1).
    Never,
}

/// The format-2 keys of `[site.mining]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mining2 {
    pub shutdown: Shutdown,
    /// ≥ 0, USD per MW of running meter load per month.
    pub demand_response_usd_per_mw_month: Decimal,
    /// ≥ 0.
    pub exit_multiple: Decimal,
}

impl Default for Mining2 {
    /// Format 1's mining: never off, no credit, no terminal value.
    fn default() -> Mining2 {
        Mining2 {
            shutdown: Shutdown::Never,
            demand_response_usd_per_mw_month: Decimal::ZERO,
            exit_multiple: Decimal::ZERO,
        }
    }
}

/// The format-2 keys of `[site.ai]` (docs/model.md, "Strategy `ai` in
/// format 2"). Format 1: their defaults, which convert at the scenario's
/// start, sell no fleet and keep none mining.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ai2 {
    /// `s`, the month index of `site.ai.start` (0: the scenario's start);
    /// within the horizon, and > 0 only on a site with `[site.mining]`.
    pub start_index: u32,
    /// ≥ 0, received in the month mining stops (> 0 only with mining).
    pub fleet_sale_usd: Decimal,
    /// Partial conversion: the best machines mine on the grid the AI load
    /// leaves (only with mining).
    pub keep_mining: bool,
    /// ≥ 0.
    pub exit_multiple: Decimal,
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
    /// Format 1's price (≥ 0); in format 2 the flat price, or the first
    /// block's when the site has a price duration curve.
    pub power_price_usd_per_mwh: Decimal,
    /// Format 2's power: `None` in format 1.
    pub power2: Option<Power2>,
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
    /// Format 2's keys (format 1: their defaults, which are format 1's
    /// mining).
    pub f2: Mining2,
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
    /// Format 2's keys (format 1: their defaults).
    pub f2: Ai2,
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
