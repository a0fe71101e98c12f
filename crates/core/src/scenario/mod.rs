//! The typed scenario: what a scenario file says, after every rule of
//! MODEL.md's scenario table has been checked.
//!
//! The types here hold only valid values, so the calculation core never
//! re-checks a range. Reading TOML into them lives in [`load`]; turning the
//! text of a number into an exact decimal lives in [`literal`].

pub mod literal;
pub mod load;
pub mod overrides;

use crate::calendar::YearMonth;
use rust_decimal::Decimal;

pub use load::{parse, parse_with_overrides};
pub use overrides::Override;

/// The only scenario format this version reads (MODEL.md, title).
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
    /// Fleet hashrate `T`, TH/s (MODEL.md: `Σ count·ths` for fleet rows).
    pub hashrate_ths: Decimal,
    /// IT load `T·E / 10^6`, MW; for fleet rows `Σ count·ths·j_per_th / 10^6`,
    /// which is the same quantity without the rounding of `E`.
    pub it_mw: Decimal,
    pub pue: Decimal,
    pub uptime: Decimal,
    pub pool_fee: Decimal,
    pub opex_usd_per_month: Decimal,
    pub capex_usd: Decimal,
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

#[derive(Debug, Clone, PartialEq)]
pub struct FleetRow {
    pub model: String,
    pub count: u64,
    pub ths: Decimal,
    pub j_per_th: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ai {
    pub pue: Decimal,
    pub build_months: u64,
    pub conversion_capex_usd: Decimal,
    pub ramp_months: u64,
    pub mine_during_build: bool,
    pub opex_usd_per_month: Decimal,
    /// Critical IT load at full ramp, MW (MODEL.md: `it_mw`, or
    /// `gpu_count · gpu_kw / 1000` for a GPU cloud), computed when loading.
    pub it_mw: Decimal,
    pub kind: AiKind,
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
