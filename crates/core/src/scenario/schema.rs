//! The scenario format's vocabulary: which keys each table holds, which
//! are required, the default of each optional one, and its range rule
//! (docs/model.md, "Scenario file (TOML)").
//!
//! This is the format written down once, table by table, in the order the
//! doc lists the keys (which is also the order an "unknown key" message
//! lists them in). The loader reads every value through one of these
//! declarations, and each table's `KEYS` is built from the same
//! declarations, so a key's name, default and rule live in one place.
//!
//! A key listed here that the loader never read would be accepted and
//! silently ignored; the table reader refuses that: a key is accepted only
//! once the loader has read it (see [`table`](super::table)).

use super::ranges::{Bound, Rule};
use rust_decimal::Decimal;

/// Whether a key must be written, and its value when it is not.
#[derive(Debug, Clone, Copy)]
pub(super) enum Need<T> {
    /// Required; the text says what the key is, for "missing key" messages.
    Required(&'static str),
    /// Optional, with this default.
    Default(T),
}

/// A decimal number, read exactly from its text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Number {
    pub name: &'static str,
    pub rule: Rule,
    pub need: Need<Decimal>,
    /// Whether the number is a fraction of one, which a value that breaks
    /// the rule may be written as a percentage of.
    pub fraction: Fraction,
}

/// What kind of fraction a [`Number`] is, for the hint of a range error
/// whose value, read as a percentage, would keep the rule (docs/model.md,
/// "How values are read").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fraction {
    /// Not a fraction: an amount, a price, a ratio such as `pue`.
    No,
    /// A rate (`discount_rate`, the `_annual` keys).
    Rate,
    /// A share of one (`uptime`, `pool_fee`, `utilization`).
    Share,
}

/// A whole number (a TOML integer).
#[derive(Debug, Clone, Copy)]
pub(super) struct Whole {
    pub name: &'static str,
    pub rule: Rule,
    pub need: Need<u64>,
}

/// `true` or `false`, optional.
#[derive(Debug, Clone, Copy)]
pub(super) struct Flag {
    pub name: &'static str,
    pub default: bool,
}

/// A required key whose value has a rule of its own, checked where it is
/// read: the format number, a name, the start month, the AI kind.
#[derive(Debug, Clone, Copy)]
pub(super) struct Special {
    pub name: &'static str,
    /// What the key is, for "missing key" messages.
    pub what: &'static str,
}

/// A table (`[bitcoin]`) or array of tables (`[[site]]`) and the keys it
/// holds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Nested {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    /// `None` when optional, else what it is, for "missing key" messages.
    pub what: Option<&'static str>,
}

/// A name: a required, non-empty string.
const fn name(name: &'static str) -> Special {
    Special {
        name,
        what: "a non-empty name",
    }
}

const fn required(name: &'static str, rule: Rule, what: &'static str) -> Number {
    Number {
        name,
        rule,
        need: Need::Required(what),
        fraction: Fraction::No,
    }
}

const fn optional(name: &'static str, default: Decimal, rule: Rule) -> Number {
    Number {
        name,
        rule,
        need: Need::Default(default),
        fraction: Fraction::No,
    }
}

/// An optional rate, a fraction a year.
const fn rate(name: &'static str, default: Decimal, rule: Rule) -> Number {
    Number {
        fraction: Fraction::Rate,
        ..optional(name, default, rule)
    }
}

/// An optional share of one.
const fn share(name: &'static str, default: Decimal, rule: Rule) -> Number {
    Number {
        fraction: Fraction::Share,
        ..optional(name, default, rule)
    }
}

const ZERO: Decimal = Decimal::ZERO;
const ONE: Decimal = Decimal::ONE;
/// `[0, 1)`: a fee or decline rate.
const FRACTION: Rule = Rule::new(Bound::incl(0), Bound::excl(1));
/// `> −1`: an annual growth rate.
const GROWTH: Rule = Rule::gt(-1);
/// `≥ 0`: an amount of money.
const AMOUNT: Rule = Rule::ge(0);

/// The top level of the file.
pub(super) mod root {
    use super::*;

    pub const FORMAT: Special = Special {
        name: "format",
        what: "the scenario format, 1 or 2",
    };
    pub const NAME: Special = name("name");
    pub const START: Special = Special {
        name: "start",
        what: "the first month, \"YYYY-MM\"",
    };
    pub const MONTHS: Whole = Whole {
        name: "months",
        rule: Rule::between(1, 600),
        need: Need::Required("the horizon in months, 1 … 600"),
    };
    /// 0.10, written with its scale as `Decimal::new(10, 2)` would be.
    pub const DISCOUNT_RATE: Number = rate(
        "discount_rate",
        Decimal::from_parts(10, 0, 0, false, 2),
        Rule::new(Bound::incl(0), Bound::excl(10)),
    );
    pub const BITCOIN: Nested = Nested {
        name: "bitcoin",
        keys: bitcoin::KEYS,
        what: Some(
            "the [bitcoin] table of network assumptions (price_usd, network_hashrate_ehs, block_height, …)",
        ),
    };
    pub const SITE: Nested = Nested {
        name: "site",
        keys: site::KEYS,
        what: Some("one or more [[site]] tables"),
    };

    pub const KEYS: &[&str] = &[
        FORMAT.name,
        NAME.name,
        START.name,
        MONTHS.name,
        DISCOUNT_RATE.name,
        BITCOIN.name,
        SITE.name,
    ];

    /// Format 2: opex escalation.
    pub const INFLATION_ANNUAL: Number = rate("inflation_annual", ZERO, GROWTH);
    /// Format 2: Monte Carlo inputs.
    pub const RISK: Nested = Nested {
        name: "risk",
        keys: super::risk::KEYS,
        what: None,
    };
    /// The keys only format 2 reads.
    pub const F2_KEYS: &[&str] = &[INFLATION_ANNUAL.name, RISK.name];
}

/// `[risk]` (format 2): Monte Carlo inputs, read and checked; `run` does
/// not use them.
pub(super) mod risk {
    use super::*;

    pub const PRICE_VOL_ANNUAL: Number = rate("price_vol_annual", ZERO, Rule::ge(0));
    pub const HASHRATE_VOL_ANNUAL: Number = rate("hashrate_vol_annual", ZERO, Rule::ge(0));
    pub const PRICE_HASHRATE_CORR: Number =
        optional("price_hashrate_corr", ZERO, Rule::between(-1, 1));
    pub const GPU_HOUR_VOL_ANNUAL: Number = rate("gpu_hour_vol_annual", ZERO, Rule::ge(0));
    pub const LEASE_DEFAULT_ANNUAL: Number = rate("lease_default_annual", ZERO, FRACTION);
    pub const PATHS: Whole = Whole {
        name: "paths",
        rule: Rule::between(1, 10_000_000),
        need: Need::Default(10_000),
    };
    pub const SEED: Whole = Whole {
        name: "seed",
        rule: Rule::ge(0),
        need: Need::Default(0),
    };

    pub const KEYS: &[&str] = &[
        PRICE_VOL_ANNUAL.name,
        HASHRATE_VOL_ANNUAL.name,
        PRICE_HASHRATE_CORR.name,
        GPU_HOUR_VOL_ANNUAL.name,
        LEASE_DEFAULT_ANNUAL.name,
        PATHS.name,
        SEED.name,
    ];
}

/// `[bitcoin]`: the network assumptions.
pub(super) mod bitcoin {
    use super::*;

    pub const PRICE_USD: Number =
        required("price_usd", Rule::gt(0), "the BTC price in month 0, USD");
    pub const PRICE_GROWTH_ANNUAL: Number = rate("price_growth_annual", ZERO, GROWTH);
    pub const NETWORK_HASHRATE_EHS: Number = required(
        "network_hashrate_ehs",
        Rule::gt(0),
        "the network hashrate in month 0, EH/s",
    );
    pub const HASHRATE_GROWTH_ANNUAL: Number = rate("hashrate_growth_annual", ZERO, GROWTH);
    pub const FEES_BTC_PER_BLOCK: Number = optional("fees_btc_per_block", ZERO, Rule::ge(0));
    pub const BLOCK_HEIGHT: Whole = Whole {
        name: "block_height",
        rule: Rule::ge(0),
        need: Need::Required("the height of the first block mined in month 0"),
    };
    pub const BLOCK_TIME_S: Number = optional(
        "block_time_s",
        Decimal::from_parts(600, 0, 0, false, 0),
        Rule::gt(0),
    );

    pub const KEYS: &[&str] = &[
        PRICE_USD.name,
        PRICE_GROWTH_ANNUAL.name,
        NETWORK_HASHRATE_EHS.name,
        HASHRATE_GROWTH_ANNUAL.name,
        FEES_BTC_PER_BLOCK.name,
        BLOCK_HEIGHT.name,
        BLOCK_TIME_S.name,
    ];
}

/// `[[site]]`: one site and its strategies.
pub(super) mod site {
    use super::*;

    pub const NAME: Special = name("name");
    pub const GRID_MW: Number = required("grid_mw", Rule::gt(0), "the site's grid connection, MW");
    pub const POWER_PRICE_USD_PER_MWH: Number = required(
        "power_price_usd_per_mwh",
        AMOUNT,
        "the power price, USD per MWh",
    );
    pub const MINING: Nested = Nested {
        name: "mining",
        keys: mining::KEYS,
        what: None,
    };
    pub const AI: Nested = Nested {
        name: "ai",
        keys: ai::KEYS,
        what: None,
    };

    pub const KEYS: &[&str] = &[
        NAME.name,
        GRID_MW.name,
        POWER_PRICE_USD_PER_MWH.name,
        MINING.name,
        AI.name,
    ];

    /// Format 2: the flat price may be any decimal, as a block's.
    pub const POWER_PRICE_ANY: Number = Number {
        rule: Rule::any(),
        ..POWER_PRICE_USD_PER_MWH
    };
    /// Format 2: a price duration curve.
    pub const POWER_BLOCK: Nested = Nested {
        name: "power_block",
        keys: super::power_block::KEYS,
        what: Some("one or more [[site.power_block]] rows"),
    };
    pub const POWER_ESCALATOR_ANNUAL: Number = rate("power_escalator_annual", ZERO, GROWTH);
    /// The keys only format 2 reads.
    pub const F2_KEYS: &[&str] = &[POWER_BLOCK.name, POWER_ESCALATOR_ANNUAL.name];
}

/// `[[site.power_block]]` (format 2): one block of a price duration curve.
pub(super) mod power_block {
    use super::*;

    pub const SHARE: Number = Number {
        fraction: Fraction::Share,
        ..required(
            "share",
            Rule::new(Bound::excl(0), Bound::incl(1)),
            "the share of every month's hours at this price",
        )
    };
    pub const PRICE_USD_PER_MWH: Number = required(
        "price_usd_per_mwh",
        Rule::any(),
        "the power price in this block, USD per MWh",
    );

    pub const KEYS: &[&str] = &[SHARE.name, PRICE_USD_PER_MWH.name];
}

/// `[site.mining]`: strategy `mine`. The fleet is either one hashrate and
/// efficiency or `[[site.mining.fleet]]` rows, exactly one of the two.
pub(super) mod mining {
    use super::*;

    pub const HASHRATE_THS: Number =
        required("hashrate_ths", Rule::gt(0), "the fleet hashrate, TH/s");
    pub const EFFICIENCY_J_PER_TH: Number = required(
        "efficiency_j_per_th",
        Rule::gt(0),
        "the fleet efficiency, J/TH",
    );
    pub const FLEET: Nested = Nested {
        name: "fleet",
        keys: fleet::KEYS,
        what: Some("one or more [[site.mining.fleet]] rows"),
    };
    pub const PUE: Number = optional("pue", ONE, Rule::ge(1));
    pub const UPTIME: Number = share("uptime", ONE, Rule::new(Bound::excl(0), Bound::incl(1)));
    pub const POOL_FEE: Number = share("pool_fee", ZERO, FRACTION);
    pub const OPEX_USD_PER_MONTH: Number = optional("opex_usd_per_month", ZERO, AMOUNT);
    pub const CAPEX_USD: Number = optional("capex_usd", ZERO, AMOUNT);

    pub const KEYS: &[&str] = &[
        HASHRATE_THS.name,
        EFFICIENCY_J_PER_TH.name,
        FLEET.name,
        PUE.name,
        UPTIME.name,
        POOL_FEE.name,
        OPEX_USD_PER_MONTH.name,
        CAPEX_USD.name,
    ];

    /// Format 2: `"economic"` (the default) or `"never"`.
    pub const SHUTDOWN: Special = Special {
        name: "shutdown",
        what: "\"economic\" or \"never\"",
    };
    pub const DEMAND_RESPONSE_USD_PER_MW_MONTH: Number =
        optional("demand_response_usd_per_mw_month", ZERO, AMOUNT);
    pub const EXIT_MULTIPLE: Number = optional("exit_multiple", ZERO, AMOUNT);
    /// The keys only format 2 reads.
    pub const F2_KEYS: &[&str] = &[
        SHUTDOWN.name,
        DEMAND_RESPONSE_USD_PER_MW_MONTH.name,
        EXIT_MULTIPLE.name,
    ];
}

/// `[[site.mining.fleet]]`: one row of machines of one model.
pub(super) mod fleet {
    use super::*;

    pub const MODEL: Special = name("model");
    pub const COUNT: Whole = Whole {
        name: "count",
        rule: Rule::ge(1),
        need: Need::Required("how many machines of this model, ≥ 1"),
    };
    pub const THS: Number = required("ths", Rule::gt(0), "TH/s per machine");
    pub const J_PER_TH: Number = required("j_per_th", Rule::gt(0), "efficiency, J/TH");

    pub const KEYS: &[&str] = &[MODEL.name, COUNT.name, THS.name, J_PER_TH.name];
}

/// `[site.ai]`: strategy `ai`. The keys common to both kinds; each kind
/// adds its own ([`colocation`], [`gpu_cloud`]).
pub(super) mod ai {
    use super::*;

    pub const KIND: Special = Special {
        name: "kind",
        what: "\"colocation\" or \"gpu_cloud\"",
    };
    pub const PUE: Number = optional("pue", ONE, Rule::ge(1));
    pub const BUILD_MONTHS: Whole = Whole {
        name: "build_months",
        rule: Rule::ge(0),
        need: Need::Default(0),
    };
    pub const CONVERSION_CAPEX_USD: Number = optional("conversion_capex_usd", ZERO, AMOUNT);
    pub const RAMP_MONTHS: Whole = Whole {
        name: "ramp_months",
        rule: Rule::ge(0),
        need: Need::Default(0),
    };
    pub const MINE_DURING_BUILD: Flag = Flag {
        name: "mine_during_build",
        default: false,
    };
    pub const OPEX_USD_PER_MONTH: Number = optional("opex_usd_per_month", ZERO, AMOUNT);

    pub const KEYS: &[&str] = &[
        KIND.name,
        PUE.name,
        BUILD_MONTHS.name,
        CONVERSION_CAPEX_USD.name,
        RAMP_MONTHS.name,
        MINE_DURING_BUILD.name,
        OPEX_USD_PER_MONTH.name,
    ];

    /// Format 2: the month the conversion starts, "YYYY-MM".
    pub const START: Special = Special {
        name: "start",
        what: "the month the conversion starts, \"YYYY-MM\"",
    };
    pub const FLEET_SALE_USD: Number = optional("fleet_sale_usd", ZERO, AMOUNT);
    pub const KEEP_MINING: Flag = Flag {
        name: "keep_mining",
        default: false,
    };
    pub const EXIT_MULTIPLE: Number = optional("exit_multiple", ZERO, AMOUNT);
    /// The keys only format 2 reads.
    pub const F2_KEYS: &[&str] = &[
        START.name,
        FLEET_SALE_USD.name,
        KEEP_MINING.name,
        EXIT_MULTIPLE.name,
    ];
}

/// `[site.ai]` with `kind = "colocation"`: a lease of critical IT.
pub(super) mod colocation {
    use super::*;

    pub const KIND: &str = "colocation";
    pub const IT_MW: Number = required("it_mw", Rule::gt(0), "the critical IT load leased, MW");
    pub const LEASE_USD_PER_KW_MONTH: Number = required(
        "lease_usd_per_kw_month",
        AMOUNT,
        "the lease rate, USD per kW of critical IT per month",
    );
    pub const LEASE_ESCALATOR_ANNUAL: Number = rate("lease_escalator_annual", ZERO, GROWTH);
    pub const POWER_PASS_THROUGH: Flag = Flag {
        name: "power_pass_through",
        default: true,
    };

    pub const KEYS: &[&str] = &[
        IT_MW.name,
        LEASE_USD_PER_KW_MONTH.name,
        LEASE_ESCALATOR_ANNUAL.name,
        POWER_PASS_THROUGH.name,
    ];
}

/// `[site.ai]` with `kind = "gpu_cloud"`: GPUs rented by the hour.
pub(super) mod gpu_cloud {
    use super::*;

    pub const KIND: &str = "gpu_cloud";
    pub const GPU_COUNT: Whole = Whole {
        name: "gpu_count",
        rule: Rule::gt(0),
        need: Need::Required("the number of GPUs, > 0"),
    };
    pub const GPU_KW: Number = required(
        "gpu_kw",
        Rule::gt(0),
        "IT kW per GPU including its share of server and network",
    );
    pub const GPU_HOUR_USD: Number =
        required("gpu_hour_usd", AMOUNT, "the rental price, USD per GPU-hour");
    pub const UTILIZATION: Number = share(
        "utilization",
        ONE,
        Rule::new(Bound::incl(0), Bound::incl(1)),
    );
    pub const GPU_HOUR_DECLINE_ANNUAL: Number = rate("gpu_hour_decline_annual", ZERO, FRACTION);
    pub const GPU_CAPEX_USD: Number = optional("gpu_capex_usd", ZERO, AMOUNT);

    pub const KEYS: &[&str] = &[
        GPU_COUNT.name,
        GPU_KW.name,
        GPU_HOUR_USD.name,
        UTILIZATION.name,
        GPU_HOUR_DECLINE_ANNUAL.name,
        GPU_CAPEX_USD.name,
    ];
}
