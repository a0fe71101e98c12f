//! The scenario format's vocabulary: which keys each table holds, which
//! are required, the default of each optional one, and its range rule
//! (docs/model.md, "Scenario file (TOML)").
//!
//! This is the format written down once, table by table, in the order the
//! doc lists the keys (which is also the order an "unknown key" message
//! lists them in). The loader reads every value through one of these
//! declarations, and each table's `KEYS` is built from the same
//! declarations (its `DECLS`), so a key's name, default and rule live in
//! one place.
//!
//! A key listed here that the loader never read would be accepted and
//! silently ignored; the table reader refuses that: a key is accepted only
//! once the loader has read it (see [`table`](super::table)).
//!
//! Each declaration also carries a one-line `doc` (what the key is, in
//! which unit) and, for the keys whose value has a rule of its own, the
//! [`Form`] of that value: what the loader does not need but the JSON
//! Schema of scenario files ([`json_schema`](super::json_schema)) does,
//! kept here so that the schema is generated from this table and cannot
//! drift from it.

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
    /// What the key is, with its unit (for editors; no trailing period).
    pub doc: &'static str,
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
    /// What the key is, with its unit.
    pub doc: &'static str,
}

/// `true` or `false`, optional.
#[derive(Debug, Clone, Copy)]
pub(super) struct Flag {
    pub name: &'static str,
    pub default: bool,
    /// What the key is.
    pub doc: &'static str,
}

/// A key whose value has a rule of its own, checked where it is read: the
/// format number, a name, a month, the AI kind, the shutdown mode.
#[derive(Debug, Clone, Copy)]
pub(super) struct Special {
    pub name: &'static str,
    /// What the key is, for "missing key" messages.
    pub what: &'static str,
    /// The form of the value the loader accepts.
    pub form: Form,
    /// Whether the file is refused without it.
    pub required: bool,
    /// The value an optional key stands for when absent, when that is a
    /// literal (`ai.start`'s is the scenario's `start`: none).
    pub default: Option<&'static str>,
    /// What the key is.
    pub doc: &'static str,
}

/// The form of a [`Special`] key's value, as its reader in
/// [`load`](super::load) checks it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Form {
    /// A TOML integer, one of these (the format number).
    Integer(&'static [i128]),
    /// A string with something besides whitespace in it (a name).
    Name,
    /// A month, `"YYYY-MM"`: a four-digit year and a month 01 … 12.
    Month,
    /// One of these strings.
    Choice(&'static [&'static str]),
}

/// A table (`[bitcoin]`) or array of tables (`[[site]]`) and the keys it
/// holds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Nested {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    /// `None` when optional, else what it is, for "missing key" messages.
    pub what: Option<&'static str>,
    /// Whether it is an array of tables (`[[site]]`), read with
    /// `Table::tables`, rather than one table, read with `Table::table`.
    pub many: bool,
    /// The declarations of its keys (`keys` are their names), and those
    /// of the keys only format 2 reads.
    pub decls: &'static [Decl],
    pub f2_decls: &'static [Decl],
    /// What the table is.
    pub doc: &'static str,
}

/// One key's declaration, of whichever kind: the list a table's `KEYS` is
/// made from, and the JSON Schema walks.
#[derive(Debug, Clone, Copy)]
pub(super) enum Decl {
    Number(Number),
    Whole(Whole),
    Flag(Flag),
    Special(Special),
    Nested(Nested),
}

impl Decl {
    pub const fn name(&self) -> &'static str {
        match self {
            Decl::Number(k) => k.name,
            Decl::Whole(k) => k.name,
            Decl::Flag(k) => k.name,
            Decl::Special(k) => k.name,
            Decl::Nested(k) => k.name,
        }
    }
}

/// The names of `decls`, in order: a table's `KEYS`. `N` is
/// `decls.len()`.
const fn names<const N: usize>(decls: &[Decl]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = decls[i].name();
        i += 1;
    }
    out
}

/// A name: a required, non-empty string.
const fn name(name: &'static str, doc: &'static str) -> Special {
    Special {
        name,
        what: "a non-empty name",
        form: Form::Name,
        required: true,
        default: None,
        doc,
    }
}

const fn required(name: &'static str, rule: Rule, what: &'static str, doc: &'static str) -> Number {
    Number {
        name,
        rule,
        need: Need::Required(what),
        fraction: Fraction::No,
        doc,
    }
}

const fn optional(name: &'static str, default: Decimal, rule: Rule, doc: &'static str) -> Number {
    Number {
        name,
        rule,
        need: Need::Default(default),
        fraction: Fraction::No,
        doc,
    }
}

/// An optional rate, a fraction a year.
const fn rate(name: &'static str, default: Decimal, rule: Rule, doc: &'static str) -> Number {
    Number {
        fraction: Fraction::Rate,
        ..optional(name, default, rule, doc)
    }
}

/// An optional share of one.
const fn share(name: &'static str, default: Decimal, rule: Rule, doc: &'static str) -> Number {
    Number {
        fraction: Fraction::Share,
        ..optional(name, default, rule, doc)
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
        form: Form::Integer(&[crate::scenario::FORMAT, crate::scenario::FORMAT_2]),
        required: true,
        default: None,
        doc: "The scenario format: 1, or 2 for the keys format 2 adds (a TOML integer)",
    };
    pub const NAME: Special = name("name", "The scenario's name, shown in every output");
    pub const START: Special = Special {
        name: "start",
        what: "the first month, \"YYYY-MM\"",
        form: Form::Month,
        required: true,
        default: None,
        doc: "The first month of the horizon, \"YYYY-MM\"",
    };
    pub const MONTHS: Whole = Whole {
        name: "months",
        rule: Rule::between(1, 600),
        need: Need::Required("the horizon in months, 1 … 600"),
        doc: "The horizon, in months (a TOML integer)",
    };
    /// 0.10, written with its scale as `Decimal::new(10, 2)` would be.
    pub const DISCOUNT_RATE: Number = rate(
        "discount_rate",
        Decimal::from_parts(10, 0, 0, false, 2),
        Rule::new(Bound::incl(0), Bound::excl(10)),
        "The discount rate, a fraction a year (0.10 is 10 %)",
    );
    pub const BITCOIN: Nested = Nested {
        name: "bitcoin",
        keys: bitcoin::KEYS,
        what: Some(
            "the [bitcoin] table of network assumptions (price_usd, network_hashrate_ehs, block_height, …)",
        ),
        many: false,
        decls: bitcoin::DECLS,
        f2_decls: &[],
        doc: "The network assumptions: the BTC price, the network hashrate and the block height in month 0",
    };
    pub const SITE: Nested = Nested {
        name: "site",
        keys: site::KEYS,
        what: Some("one or more [[site]] tables"),
        many: true,
        decls: site::DECLS,
        f2_decls: site::F2_DECLS,
        doc: "One or more sites, each with strategy mine ([site.mining]), ai ([site.ai]) or both",
    };

    pub const DECLS: &[Decl] = &[
        Decl::Special(FORMAT),
        Decl::Special(NAME),
        Decl::Special(START),
        Decl::Whole(MONTHS),
        Decl::Number(DISCOUNT_RATE),
        Decl::Nested(BITCOIN),
        Decl::Nested(SITE),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);

    /// Format 2: opex escalation.
    pub const INFLATION_ANNUAL: Number = rate(
        "inflation_annual",
        ZERO,
        GROWTH,
        "Opex escalation of both strategies, a fraction a year, stepping on each anniversary of start",
    );
    /// Format 2: Monte Carlo inputs.
    pub const RISK: Nested = Nested {
        name: "risk",
        keys: super::risk::KEYS,
        what: None,
        many: false,
        decls: super::risk::DECLS,
        f2_decls: &[],
        doc: "The inputs of hashpivot simulate (Monte Carlo); run and pivot ignore them",
    };
    /// The keys only format 2 reads.
    pub const F2_DECLS: &[Decl] = &[Decl::Number(INFLATION_ANNUAL), Decl::Nested(RISK)];
    pub const F2_KEYS: &[&str] = &names::<{ F2_DECLS.len() }>(F2_DECLS);
}

/// `[risk]` (format 2): Monte Carlo inputs, read and checked; `run` does
/// not use them.
pub(super) mod risk {
    use super::*;

    pub const PRICE_VOL_ANNUAL: Number = rate(
        "price_vol_annual",
        ZERO,
        Rule::ge(0),
        "Volatility (σ) of the BTC price, a fraction a year",
    );
    pub const HASHRATE_VOL_ANNUAL: Number = rate(
        "hashrate_vol_annual",
        ZERO,
        Rule::ge(0),
        "Volatility (σ) of the network hashrate, a fraction a year",
    );
    pub const PRICE_HASHRATE_CORR: Number = optional(
        "price_hashrate_corr",
        ZERO,
        Rule::between(-1, 1),
        "Correlation of the BTC price's and the network hashrate's monthly shocks",
    );
    pub const GPU_HOUR_VOL_ANNUAL: Number = rate(
        "gpu_hour_vol_annual",
        ZERO,
        Rule::ge(0),
        "Volatility (σ) of the GPU-hour price, a fraction a year",
    );
    pub const LEASE_DEFAULT_ANNUAL: Number = rate(
        "lease_default_annual",
        ZERO,
        FRACTION,
        "Yearly chance that a colocation tenant defaults, a fraction",
    );
    pub const PATHS: Whole = Whole {
        name: "paths",
        rule: Rule::between(1, 10_000_000),
        need: Need::Default(10_000),
        doc: "Number of simulated paths (a TOML integer; simulate --paths wins)",
    };
    pub const SEED: Whole = Whole {
        name: "seed",
        rule: Rule::ge(0),
        need: Need::Default(0),
        doc: "Seed of the random generator (a TOML integer; simulate --seed wins)",
    };

    pub const DECLS: &[Decl] = &[
        Decl::Number(PRICE_VOL_ANNUAL),
        Decl::Number(HASHRATE_VOL_ANNUAL),
        Decl::Number(PRICE_HASHRATE_CORR),
        Decl::Number(GPU_HOUR_VOL_ANNUAL),
        Decl::Number(LEASE_DEFAULT_ANNUAL),
        Decl::Whole(PATHS),
        Decl::Whole(SEED),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);
}

/// `[bitcoin]`: the network assumptions.
pub(super) mod bitcoin {
    use super::*;

    pub const PRICE_USD: Number = required(
        "price_usd",
        Rule::gt(0),
        "the BTC price in month 0, USD",
        "The BTC price in month 0, USD per BTC",
    );
    pub const PRICE_GROWTH_ANNUAL: Number = rate(
        "price_growth_annual",
        ZERO,
        GROWTH,
        "Growth of the BTC price, a fraction a year, compounded monthly",
    );
    pub const NETWORK_HASHRATE_EHS: Number = required(
        "network_hashrate_ehs",
        Rule::gt(0),
        "the network hashrate in month 0, EH/s",
        "The network hashrate in month 0, EH/s; at least all sites' fleets together",
    );
    pub const HASHRATE_GROWTH_ANNUAL: Number = rate(
        "hashrate_growth_annual",
        ZERO,
        GROWTH,
        "Growth of the network hashrate, a fraction a year, compounded monthly",
    );
    pub const FEES_BTC_PER_BLOCK: Number = optional(
        "fees_btc_per_block",
        ZERO,
        Rule::ge(0),
        "Transaction fees, BTC per block",
    );
    pub const BLOCK_HEIGHT: Whole = Whole {
        name: "block_height",
        rule: Rule::ge(0),
        need: Need::Required("the height of the first block mined in month 0"),
        doc: "The height of the first block mined in month 0 (a TOML integer)",
    };
    pub const BLOCK_TIME_S: Number = optional(
        "block_time_s",
        Decimal::from_parts(600, 0, 0, false, 0),
        Rule::gt(0),
        "The average time between blocks, seconds",
    );

    pub const DECLS: &[Decl] = &[
        Decl::Number(PRICE_USD),
        Decl::Number(PRICE_GROWTH_ANNUAL),
        Decl::Number(NETWORK_HASHRATE_EHS),
        Decl::Number(HASHRATE_GROWTH_ANNUAL),
        Decl::Number(FEES_BTC_PER_BLOCK),
        Decl::Whole(BLOCK_HEIGHT),
        Decl::Number(BLOCK_TIME_S),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);
}

/// `[[site]]`: one site and its strategies.
pub(super) mod site {
    use super::*;

    pub const NAME: Special = name("name", "The site's name, unique among the scenario's sites");
    pub const GRID_MW: Number = required(
        "grid_mw",
        Rule::gt(0),
        "the site's grid connection, MW",
        "The site's grid connection, MW at the meter",
    );
    pub const POWER_PRICE_USD_PER_MWH: Number = required(
        "power_price_usd_per_mwh",
        AMOUNT,
        "the power price, USD per MWh",
        "The power price, USD per MWh (format 2: any decimal, or [[site.power_block]] rows instead)",
    );
    pub const MINING: Nested = Nested {
        name: "mining",
        keys: mining::KEYS,
        what: None,
        many: false,
        decls: mining::DECLS,
        f2_decls: mining::F2_DECLS,
        doc: "Strategy mine: the fleet and its costs",
    };
    pub const AI: Nested = Nested {
        name: "ai",
        keys: ai::KEYS,
        what: None,
        many: false,
        decls: ai::DECLS,
        f2_decls: ai::F2_DECLS,
        doc: "Strategy ai: convert the site to AI hosting, kind \"colocation\" or \"gpu_cloud\"",
    };

    pub const DECLS: &[Decl] = &[
        Decl::Special(NAME),
        Decl::Number(GRID_MW),
        Decl::Number(POWER_PRICE_USD_PER_MWH),
        Decl::Nested(MINING),
        Decl::Nested(AI),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);

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
        many: true,
        decls: super::power_block::DECLS,
        f2_decls: &[],
        doc: "A price duration curve, instead of power_price_usd_per_mwh: each block is a share of every month's hours at one price; the shares sum to exactly 1",
    };
    pub const POWER_ESCALATOR_ANNUAL: Number = rate(
        "power_escalator_annual",
        ZERO,
        GROWTH,
        "Escalation of the power price (every block), a fraction a year, stepping on each anniversary of start",
    );
    /// The keys only format 2 reads.
    pub const F2_DECLS: &[Decl] = &[
        Decl::Nested(POWER_BLOCK),
        Decl::Number(POWER_ESCALATOR_ANNUAL),
    ];
    pub const F2_KEYS: &[&str] = &names::<{ F2_DECLS.len() }>(F2_DECLS);
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
            "The share of every month's hours at this price, a fraction",
        )
    };
    pub const PRICE_USD_PER_MWH: Number = required(
        "price_usd_per_mwh",
        Rule::any(),
        "the power price in this block, USD per MWh",
        "The power price in this block, USD per MWh (negative prices happen)",
    );

    pub const DECLS: &[Decl] = &[Decl::Number(SHARE), Decl::Number(PRICE_USD_PER_MWH)];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);
}

/// `[site.mining]`: strategy `mine`. The fleet is either one hashrate and
/// efficiency or `[[site.mining.fleet]]` rows, exactly one of the two.
pub(super) mod mining {
    use super::*;

    pub const HASHRATE_THS: Number = required(
        "hashrate_ths",
        Rule::gt(0),
        "the fleet hashrate, TH/s",
        "The hashrate of the whole fleet, TH/s (the single form, with efficiency_j_per_th)",
    );
    pub const EFFICIENCY_J_PER_TH: Number = required(
        "efficiency_j_per_th",
        Rule::gt(0),
        "the fleet efficiency, J/TH",
        "The efficiency of the whole fleet, J/TH (the single form, with hashrate_ths)",
    );
    pub const FLEET: Nested = Nested {
        name: "fleet",
        keys: fleet::KEYS,
        what: Some("one or more [[site.mining.fleet]] rows"),
        many: true,
        decls: fleet::DECLS,
        f2_decls: &[],
        doc: "The fleet as rows of machines of one model each (the row form, instead of hashrate_ths and efficiency_j_per_th)",
    };
    pub const PUE: Number = optional(
        "pue",
        ONE,
        Rule::ge(1),
        "Power usage effectiveness: meter load ÷ IT load",
    );
    pub const UPTIME: Number = share(
        "uptime",
        ONE,
        Rule::new(Bound::excl(0), Bound::incl(1)),
        "The share of hours the fleet runs, a fraction",
    );
    pub const POOL_FEE: Number = share(
        "pool_fee",
        ZERO,
        FRACTION,
        "The pool fee, a fraction of the BTC mined",
    );
    pub const OPEX_USD_PER_MONTH: Number = optional(
        "opex_usd_per_month",
        ZERO,
        AMOUNT,
        "Operating cost besides power, USD a month",
    );
    pub const CAPEX_USD: Number = optional(
        "capex_usd",
        ZERO,
        AMOUNT,
        "Capital cost, USD, paid in month 0",
    );

    pub const DECLS: &[Decl] = &[
        Decl::Number(HASHRATE_THS),
        Decl::Number(EFFICIENCY_J_PER_TH),
        Decl::Nested(FLEET),
        Decl::Number(PUE),
        Decl::Number(UPTIME),
        Decl::Number(POOL_FEE),
        Decl::Number(OPEX_USD_PER_MONTH),
        Decl::Number(CAPEX_USD),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);

    /// Format 2: `"economic"` (the default) or `"never"`.
    pub const SHUTDOWN: Special = Special {
        name: "shutdown",
        what: "\"economic\" or \"never\"",
        form: Form::Choice(&["economic", "never"]),
        required: false,
        default: Some("economic"),
        doc: "\"economic\": each fleet row runs in a price block only when a MWh of it earns at least that block's price; \"never\": every row runs in every block",
    };
    pub const DEMAND_RESPONSE_USD_PER_MW_MONTH: Number = optional(
        "demand_response_usd_per_mw_month",
        ZERO,
        AMOUNT,
        "Demand-response payment, USD per MW of running meter load a month; earned only with shutdown = \"economic\"",
    );
    pub const EXIT_MULTIPLE: Number = optional(
        "exit_multiple",
        ZERO,
        AMOUNT,
        "Terminal value, × the last 12 months' EBITDA, added to the last month",
    );
    /// The keys only format 2 reads.
    pub const F2_DECLS: &[Decl] = &[
        Decl::Special(SHUTDOWN),
        Decl::Number(DEMAND_RESPONSE_USD_PER_MW_MONTH),
        Decl::Number(EXIT_MULTIPLE),
    ];
    pub const F2_KEYS: &[&str] = &names::<{ F2_DECLS.len() }>(F2_DECLS);
}

/// `[[site.mining.fleet]]`: one row of machines of one model.
pub(super) mod fleet {
    use super::*;

    pub const MODEL: Special = name("model", "The machine model");
    pub const COUNT: Whole = Whole {
        name: "count",
        rule: Rule::ge(1),
        need: Need::Required("how many machines of this model, ≥ 1"),
        doc: "How many machines of this model (a TOML integer)",
    };
    pub const THS: Number = required(
        "ths",
        Rule::gt(0),
        "TH/s per machine",
        "The hashrate of one machine, TH/s",
    );
    pub const J_PER_TH: Number = required(
        "j_per_th",
        Rule::gt(0),
        "efficiency, J/TH",
        "The efficiency of the model, J/TH",
    );

    pub const DECLS: &[Decl] = &[
        Decl::Special(MODEL),
        Decl::Whole(COUNT),
        Decl::Number(THS),
        Decl::Number(J_PER_TH),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);
}

/// `[site.ai]`: strategy `ai`. The keys common to both kinds; each kind
/// adds its own ([`colocation`], [`gpu_cloud`]).
pub(super) mod ai {
    use super::*;

    pub const KIND: Special = Special {
        name: "kind",
        what: "\"colocation\" or \"gpu_cloud\"",
        form: Form::Choice(&[colocation::KIND, gpu_cloud::KIND]),
        required: true,
        default: None,
        doc: "\"colocation\": lease critical IT capacity to a tenant; \"gpu_cloud\": own GPUs and rent them by the hour",
    };
    pub const PUE: Number = optional(
        "pue",
        ONE,
        Rule::ge(1),
        "Power usage effectiveness of the AI site: meter load ÷ IT load",
    );
    pub const BUILD_MONTHS: Whole = Whole {
        name: "build_months",
        rule: Rule::ge(0),
        need: Need::Default(0),
        doc: "Months of construction before go-live (a TOML integer)",
    };
    pub const CONVERSION_CAPEX_USD: Number = optional(
        "conversion_capex_usd",
        ZERO,
        AMOUNT,
        "Conversion cost, USD, spread over the build",
    );
    pub const RAMP_MONTHS: Whole = Whole {
        name: "ramp_months",
        rule: Rule::ge(0),
        need: Need::Default(0),
        doc: "Months from go-live to full revenue (a TOML integer)",
    };
    pub const MINE_DURING_BUILD: Flag = Flag {
        name: "mine_during_build",
        default: false,
        doc: "Keep mining during the build; true needs [site.mining] in the same site",
    };
    pub const OPEX_USD_PER_MONTH: Number = optional(
        "opex_usd_per_month",
        ZERO,
        AMOUNT,
        "Operating cost once live, besides power, USD a month",
    );

    pub const DECLS: &[Decl] = &[
        Decl::Special(KIND),
        Decl::Number(PUE),
        Decl::Whole(BUILD_MONTHS),
        Decl::Number(CONVERSION_CAPEX_USD),
        Decl::Whole(RAMP_MONTHS),
        Decl::Flag(MINE_DURING_BUILD),
        Decl::Number(OPEX_USD_PER_MONTH),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);

    /// Format 2: the month the conversion starts, "YYYY-MM".
    pub const START: Special = Special {
        name: "start",
        what: "the month the conversion starts, \"YYYY-MM\"",
        form: Form::Month,
        required: false,
        default: None,
        doc: "The month the conversion starts, \"YYYY-MM\", within the horizon (default: the scenario's start); a later month needs [site.mining]",
    };
    pub const FLEET_SALE_USD: Number = optional(
        "fleet_sale_usd",
        ZERO,
        AMOUNT,
        "Cash from selling the mining fleet, USD; more than 0 needs [site.mining]",
    );
    pub const KEEP_MINING: Flag = Flag {
        name: "keep_mining",
        default: false,
        doc: "Keep the best machines mining on the spare grid after go-live; true needs [site.mining]",
    };
    pub const EXIT_MULTIPLE: Number = optional(
        "exit_multiple",
        ZERO,
        AMOUNT,
        "Terminal value, × the last 12 months' EBITDA; 0 unless the site was live through the whole window",
    );
    /// The keys only format 2 reads.
    pub const F2_DECLS: &[Decl] = &[
        Decl::Special(START),
        Decl::Number(FLEET_SALE_USD),
        Decl::Flag(KEEP_MINING),
        Decl::Number(EXIT_MULTIPLE),
    ];
    pub const F2_KEYS: &[&str] = &names::<{ F2_DECLS.len() }>(F2_DECLS);
}

/// `[site.ai]` with `kind = "colocation"`: a lease of critical IT.
pub(super) mod colocation {
    use super::*;

    pub const KIND: &str = "colocation";
    pub const IT_MW: Number = required(
        "it_mw",
        Rule::gt(0),
        "the critical IT load leased, MW",
        "The critical IT load leased, MW",
    );
    pub const LEASE_USD_PER_KW_MONTH: Number = required(
        "lease_usd_per_kw_month",
        AMOUNT,
        "the lease rate, USD per kW of critical IT per month",
        "The lease rate, USD per kW of critical IT a month",
    );
    pub const LEASE_ESCALATOR_ANNUAL: Number = rate(
        "lease_escalator_annual",
        ZERO,
        GROWTH,
        "Escalation of the lease, a fraction a year, stepping on each go-live anniversary",
    );
    pub const POWER_PASS_THROUGH: Flag = Flag {
        name: "power_pass_through",
        default: true,
        doc: "Whether the tenant pays the power",
    };

    pub const DECLS: &[Decl] = &[
        Decl::Number(IT_MW),
        Decl::Number(LEASE_USD_PER_KW_MONTH),
        Decl::Number(LEASE_ESCALATOR_ANNUAL),
        Decl::Flag(POWER_PASS_THROUGH),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);
}

/// `[site.ai]` with `kind = "gpu_cloud"`: GPUs rented by the hour.
pub(super) mod gpu_cloud {
    use super::*;

    pub const KIND: &str = "gpu_cloud";
    pub const GPU_COUNT: Whole = Whole {
        name: "gpu_count",
        rule: Rule::gt(0),
        need: Need::Required("the number of GPUs, > 0"),
        doc: "The number of GPUs (a TOML integer)",
    };
    pub const GPU_KW: Number = required(
        "gpu_kw",
        Rule::gt(0),
        "IT kW per GPU including its share of server and network",
        "IT load per GPU including its share of server and network, kW",
    );
    pub const GPU_HOUR_USD: Number = required(
        "gpu_hour_usd",
        AMOUNT,
        "the rental price, USD per GPU-hour",
        "The rental price in month 0, USD per GPU-hour",
    );
    pub const UTILIZATION: Number = share(
        "utilization",
        ONE,
        Rule::new(Bound::incl(0), Bound::incl(1)),
        "The share of GPU-hours sold, a fraction",
    );
    pub const GPU_HOUR_DECLINE_ANNUAL: Number = rate(
        "gpu_hour_decline_annual",
        ZERO,
        FRACTION,
        "Decline of the GPU-hour price, a fraction a year, from month 0",
    );
    pub const GPU_CAPEX_USD: Number = optional(
        "gpu_capex_usd",
        ZERO,
        AMOUNT,
        "The cost of one GPU, USD, paid at go-live",
    );

    pub const DECLS: &[Decl] = &[
        Decl::Whole(GPU_COUNT),
        Decl::Number(GPU_KW),
        Decl::Number(GPU_HOUR_USD),
        Decl::Number(UTILIZATION),
        Decl::Number(GPU_HOUR_DECLINE_ANNUAL),
        Decl::Number(GPU_CAPEX_USD),
    ];
    pub const KEYS: &[&str] = &names::<{ DECLS.len() }>(DECLS);
}
