//! Scenario text (TOML) to a checked [`Scenario`].
//!
//! Every rule of MODEL.md's scenario table is enforced here, and each
//! failure is a [`Diagnostic`] naming the key path (`site[1].ai.it_mw`,
//! 0-based like the rest of hashpivot), the rule, and the span of the
//! offending key or value, so the message can show the line and a caret.
//!
//! The document is read with toml's span-keeping `DeTable`, which keeps each
//! number's literal text: numbers go from that text straight to exact
//! decimals (see [`literal`](super::literal)), never through `f64`.

use super::literal::{LiteralError, parse_decimal};
use super::overrides::{Override, apply, combined_text};
use super::{Ai, AiKind, Bitcoin, FORMAT, Fleet, FleetRow, Mining, Scenario, Site};
use crate::calendar::YearMonth;
use crate::diagnostic::Diagnostic;
use crate::exact::Checked;
use rust_decimal::Decimal;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

type Span = Range<usize>;
type Result<T> = std::result::Result<T, Diagnostic>;

const ROOT_KEYS: &[&str] = &[
    "format",
    "name",
    "start",
    "months",
    "discount_rate",
    "bitcoin",
    "site",
];
const BITCOIN_KEYS: &[&str] = &[
    "price_usd",
    "price_growth_annual",
    "network_hashrate_ehs",
    "hashrate_growth_annual",
    "fees_btc_per_block",
    "block_height",
    "block_time_s",
];
const SITE_KEYS: &[&str] = &["name", "grid_mw", "power_price_usd_per_mwh", "mining", "ai"];
const MINING_KEYS: &[&str] = &[
    "hashrate_ths",
    "efficiency_j_per_th",
    "fleet",
    "pue",
    "uptime",
    "pool_fee",
    "opex_usd_per_month",
    "capex_usd",
];
const FLEET_KEYS: &[&str] = &["model", "count", "ths", "j_per_th"];
const AI_COMMON_KEYS: &[&str] = &[
    "kind",
    "pue",
    "build_months",
    "conversion_capex_usd",
    "ramp_months",
    "mine_during_build",
    "opex_usd_per_month",
];
const COLOCATION_KEYS: &[&str] = &[
    "it_mw",
    "lease_usd_per_kw_month",
    "lease_escalator_annual",
    "power_pass_through",
];
const GPU_CLOUD_KEYS: &[&str] = &[
    "gpu_count",
    "gpu_kw",
    "gpu_hour_usd",
    "utilization",
    "gpu_hour_decline_annual",
    "gpu_capex_usd",
];

/// Reads and checks a scenario. `source` is the file's text; a leading
/// UTF-8 byte-order mark is ignored. Spans in the returned diagnostic are
/// byte offsets into `source` as given.
pub fn parse(source: &str) -> Result<Scenario> {
    parse_with_overrides(source, &[])
}

/// Reads a scenario, applies `--set` overrides, then checks it. Spans in
/// the returned diagnostic are byte offsets into
/// [`combined_text`]`(source, overrides)`.
pub fn parse_with_overrides(source: &str, overrides: &[Override]) -> Result<Scenario> {
    let combined = combined_text(source, overrides);
    let mut doc = DeTable::parse(&combined[..source.len()]).map_err(|e| {
        let mut message = format!("invalid TOML: {}", e.message().trim_end());
        if message.ends_with("duplicate key")
            && let Some(key) = e.span().and_then(|s| source.get(s))
        {
            message = format!("{message} {key}: each key may appear once in a table");
        }
        Diagnostic::new(message, e.span())
    })?;
    apply(doc.get_mut(), &combined, source.len(), overrides)?;
    let root = Table {
        path: String::new(),
        table: doc.get_ref(),
        span: None,
        source: &combined,
    };

    // The format comes first: a file of another format should hear that,
    // not a list of keys this version does not know.
    let format_value = root
        .get("format")
        .ok_or_else(|| root.missing("format", "the scenario format, which must be 1"))?;
    match root.integer_value("format")? {
        Some((FORMAT, _)) => {}
        _ => {
            return Err(Diagnostic::new(
                format!(
                    "format = {} is not supported: this hashpivot reads scenario format {FORMAT}",
                    root.text(&format_value.span())
                ),
                Some(format_value.span()),
            ));
        }
    }
    root.check_keys(ROOT_KEYS, "the top level")?;

    let name = root.required_name("name")?;
    let start = root.start()?;
    let months = root
        .integer("months", &Rule::between(1, 600))?
        .ok_or_else(|| root.missing("months", "the horizon in months, 1 … 600"))?;
    let discount_rate = root.decimal_or(
        "discount_rate",
        Decimal::new(10, 2),
        &Rule::new(Bound::incl(0), Bound::excl(10)),
    )?;
    let bitcoin_table = root.table("bitcoin")?.ok_or_else(|| {
        root.missing(
            "bitcoin",
            "the [bitcoin] table of network assumptions (price_usd, network_hashrate_ehs, block_height, …)",
        )
    })?;
    let bitcoin = read_bitcoin(&bitcoin_table)?;

    let site_tables = root
        .tables("site")?
        .filter(|t| !t.is_empty())
        .ok_or_else(|| root.missing("site", "one or more [[site]] tables"))?;
    let mut sites: Vec<Site> = Vec::with_capacity(site_tables.len());
    for table in &site_tables {
        let site = read_site(table)?;
        if let Some(first) = sites.iter().position(|s| s.name == site.name) {
            let value = table.get("name").map(|v| v.span());
            return Err(Diagnostic::new(
                format!(
                    "{}.name = {} is already the name of site[{first}]: site names must be unique",
                    table.path,
                    value.clone().map_or(String::new(), |s| table.text(&s)),
                ),
                value,
            ));
        }
        sites.push(site);
    }

    Ok(Scenario {
        name,
        start,
        months: months as u32,
        discount_rate,
        bitcoin,
        sites,
    })
}

fn read_bitcoin(t: &Table) -> Result<Bitcoin> {
    t.check_keys(BITCOIN_KEYS, "[bitcoin]")?;
    Ok(Bitcoin {
        price_usd: t.decimal_required(
            "price_usd",
            &Rule::gt(0),
            "the BTC price in month 0, USD",
        )?,
        price_growth_annual: t.decimal_or("price_growth_annual", Decimal::ZERO, &Rule::gt(-1))?,
        network_hashrate_ehs: t.decimal_required(
            "network_hashrate_ehs",
            &Rule::gt(0),
            "the network hashrate in month 0, EH/s",
        )?,
        hashrate_growth_annual: t.decimal_or(
            "hashrate_growth_annual",
            Decimal::ZERO,
            &Rule::gt(-1),
        )?,
        fees_btc_per_block: t.decimal_or("fees_btc_per_block", Decimal::ZERO, &Rule::ge(0))?,
        block_height: t.integer("block_height", &Rule::ge(0))?.ok_or_else(|| {
            t.missing(
                "block_height",
                "the height of the first block mined in month 0",
            )
        })?,
        block_time_s: t.decimal_or("block_time_s", Decimal::from(600), &Rule::gt(0))?,
    })
}

fn read_site(t: &Table) -> Result<Site> {
    t.check_keys(SITE_KEYS, &t.path)?;
    let name = t.required_name("name")?;
    let grid_mw = t.decimal_required("grid_mw", &Rule::gt(0), "the site's grid connection, MW")?;
    let power_price_usd_per_mwh = t.decimal_required(
        "power_price_usd_per_mwh",
        &Rule::ge(0),
        "the power price, USD per MWh",
    )?;
    let mining = match t.table("mining")? {
        Some(m) => Some(read_mining(&m, grid_mw)?),
        None => None,
    };
    let ai = match t.table("ai")? {
        Some(a) => Some(read_ai(&a, grid_mw, mining.is_some())?),
        None => None,
    };
    if mining.is_none() && ai.is_none() {
        return Err(Diagnostic::new(
            format!(
                "{} needs [site.mining], [site.ai] or both: a site with no strategy has nothing to compare",
                t.path
            ),
            t.span.clone(),
        ));
    }
    Ok(Site {
        name,
        grid_mw,
        power_price_usd_per_mwh,
        mining,
        ai,
    })
}

fn read_mining(t: &Table, grid_mw: Decimal) -> Result<Mining> {
    t.check_keys(MINING_KEYS, &t.path)?;
    let single = t
        .get("hashrate_ths")
        .or_else(|| t.get("efficiency_j_per_th"));
    let rows = t.get("fleet");
    let pue = t.decimal_or("pue", Decimal::ONE, &Rule::ge(1))?;

    let (fleet, hashrate_ths, it_mw, load_key) = match (single, rows) {
        (Some(_), Some(rows)) => {
            return Err(Diagnostic::new(
                format!(
                    "{} has both hashrate_ths/efficiency_j_per_th and [[site.mining.fleet]] rows: use exactly one form",
                    t.path
                ),
                Some(rows.span()),
            ));
        }
        (None, None) => {
            return Err(Diagnostic::new(
                format!(
                    "{} needs either hashrate_ths and efficiency_j_per_th, or one or more [[site.mining.fleet]] rows",
                    t.path
                ),
                t.span.clone(),
            ));
        }
        (Some(_), None) => {
            let ths =
                t.decimal_required("hashrate_ths", &Rule::gt(0), "the fleet hashrate, TH/s")?;
            let eff = t.decimal_required(
                "efficiency_j_per_th",
                &Rule::gt(0),
                "the fleet efficiency, J/TH",
            )?;
            // MODEL.md: IT load T·E / 10^6 MW
            let it = ths
                .times(eff)
                .and_then(|w| w.over(Decimal::from(1_000_000)));
            (
                Fleet::Single {
                    hashrate_ths: ths,
                    efficiency_j_per_th: eff,
                },
                Some(ths),
                it,
                "hashrate_ths",
            )
        }
        (None, Some(_)) => {
            let tables = t.tables("fleet")?.unwrap_or_default();
            if tables.is_empty() {
                return Err(t.missing("fleet", "one or more [[site.mining.fleet]] rows"));
            }
            let mut fleet = Vec::with_capacity(tables.len());
            for row in &tables {
                row.check_keys(FLEET_KEYS, &row.path)?;
                fleet.push(FleetRow {
                    model: row.required_name("model")?,
                    count: row.integer("count", &Rule::ge(1))?.ok_or_else(|| {
                        row.missing("count", "how many machines of this model, ≥ 1")
                    })?,
                    ths: row.decimal_required("ths", &Rule::gt(0), "TH/s per machine")?,
                    j_per_th: row.decimal_required("j_per_th", &Rule::gt(0), "efficiency, J/TH")?,
                });
            }
            // MODEL.md: T = Σ count·ths; IT load Σ count·ths·j_per_th / 10^6
            let totals =
                fleet
                    .iter()
                    .try_fold((Decimal::ZERO, Decimal::ZERO), |(ths, watts), r| {
                        let row_ths = Decimal::from(r.count).times(r.ths)?;
                        Ok((ths.plus(row_ths)?, watts.plus(row_ths.times(r.j_per_th)?)?))
                    });
            let it = totals.and_then(|(_, w)| w.over(Decimal::from(1_000_000)));
            (
                Fleet::Rows(fleet),
                totals.ok().map(|(ths, _)| ths),
                it,
                "fleet",
            )
        }
    };
    let it_mw = check_grid(
        t,
        load_key,
        it_mw,
        pue,
        grid_mw,
        "hashrate_ths × efficiency_j_per_th / 10^6",
        "Σ count × ths × j_per_th / 10^6",
    )?;
    Ok(Mining {
        fleet,
        // Overflowing T would have overflowed the IT load, refused above.
        hashrate_ths: hashrate_ths.unwrap_or_default(),
        it_mw,
        pue,
        uptime: t.decimal_or(
            "uptime",
            Decimal::ONE,
            &Rule::new(Bound::excl(0), Bound::incl(1)),
        )?,
        pool_fee: t.decimal_or(
            "pool_fee",
            Decimal::ZERO,
            &Rule::new(Bound::incl(0), Bound::excl(1)),
        )?,
        opex_usd_per_month: t.decimal_or("opex_usd_per_month", Decimal::ZERO, &Rule::ge(0))?,
        capex_usd: t.decimal_or("capex_usd", Decimal::ZERO, &Rule::ge(0))?,
    })
}

/// MODEL.md: the meter load `IT · pue` must fit the grid. `load_key` names
/// the key the message points at; `single`/`rows` describe the IT load for
/// a plain key and for the fleet table.
fn check_grid(
    t: &Table,
    load_key: &str,
    it_mw: std::result::Result<Decimal, crate::exact::Overflow>,
    pue: Decimal,
    grid_mw: Decimal,
    single: &str,
    rows: &str,
) -> Result<Decimal> {
    let meter = it_mw.and_then(|it| it.times(pue).map(|m| (it, m)));
    if let Ok((it, meter)) = meter
        && meter <= grid_mw
    {
        return Ok(it);
    }
    let value = t.get(load_key).map(|v| v.span());
    let shown = match meter {
        Ok((_, m)) => format!("{} MW", m.normalize()),
        Err(_) => "beyond the decimal range".to_string(),
    };
    let subject = if load_key == "fleet" {
        format!("{}.fleet needs {rows} × pue", t.path)
    } else {
        format!(
            "{}.{load_key} = {} needs {single} × pue",
            t.path,
            value.clone().map_or(String::new(), |s| t.text(&s))
        )
    };
    Err(Diagnostic::new(
        format!("{subject} ({shown}) ≤ grid_mw ({} MW)", grid_mw.normalize()),
        value,
    ))
}

fn read_ai(t: &Table, grid_mw: Decimal, has_mining: bool) -> Result<Ai> {
    let kind_value = t
        .get("kind")
        .ok_or_else(|| t.missing("kind", "\"colocation\" or \"gpu_cloud\""))?;
    let kind_name = t.string("kind")?.unwrap_or_default();
    let extra = match kind_name.as_str() {
        "colocation" => COLOCATION_KEYS,
        "gpu_cloud" => GPU_CLOUD_KEYS,
        _ => {
            return Err(Diagnostic::new(
                format!(
                    "{}.kind = {} must be \"colocation\" or \"gpu_cloud\"",
                    t.path,
                    t.text(&kind_value.span())
                ),
                Some(kind_value.span()),
            ));
        }
    };
    let allowed: Vec<&str> = AI_COMMON_KEYS.iter().chain(extra).copied().collect();
    t.check_keys(&allowed, &format!("{} with kind = \"{kind_name}\"", t.path))?;

    let pue = t.decimal_or("pue", Decimal::ONE, &Rule::ge(1))?;
    let mine_during_build = t.boolean("mine_during_build")?.unwrap_or(false);
    if mine_during_build && !has_mining {
        let span = t.get("mine_during_build").map(|v| v.span());
        return Err(Diagnostic::new(
            format!(
                "{}.mine_during_build = true needs a [site.mining] table in the same site",
                t.path
            ),
            span,
        ));
    }

    let (kind, it_mw, load_key) = if kind_name == "colocation" {
        let it_mw = t.decimal_required("it_mw", &Rule::gt(0), "the critical IT load leased, MW")?;
        let kind = AiKind::Colocation {
            it_mw,
            lease_usd_per_kw_month: t.decimal_required(
                "lease_usd_per_kw_month",
                &Rule::ge(0),
                "the lease rate, USD per kW of critical IT per month",
            )?,
            lease_escalator_annual: t.decimal_or(
                "lease_escalator_annual",
                Decimal::ZERO,
                &Rule::gt(-1),
            )?,
            power_pass_through: t.boolean("power_pass_through")?.unwrap_or(true),
        };
        (kind, Ok(it_mw), "it_mw")
    } else {
        let gpu_count = t
            .integer("gpu_count", &Rule::gt(0))?
            .ok_or_else(|| t.missing("gpu_count", "the number of GPUs, > 0"))?;
        let gpu_kw = t.decimal_required(
            "gpu_kw",
            &Rule::gt(0),
            "IT kW per GPU including its share of server and network",
        )?;
        let kind = AiKind::GpuCloud {
            gpu_count,
            gpu_kw,
            gpu_hour_usd: t.decimal_required(
                "gpu_hour_usd",
                &Rule::ge(0),
                "the rental price, USD per GPU-hour",
            )?,
            utilization: t.decimal_or(
                "utilization",
                Decimal::ONE,
                &Rule::new(Bound::incl(0), Bound::incl(1)),
            )?,
            gpu_hour_decline_annual: t.decimal_or(
                "gpu_hour_decline_annual",
                Decimal::ZERO,
                &Rule::new(Bound::incl(0), Bound::excl(1)),
            )?,
            gpu_capex_usd: t.decimal_or("gpu_capex_usd", Decimal::ZERO, &Rule::ge(0))?,
        };
        // MODEL.md: it_mw = gpu_count · gpu_kw / 1000
        let it = Decimal::from(gpu_count)
            .times(gpu_kw)
            .and_then(|kw| kw.over(Decimal::ONE_THOUSAND));
        (kind, it, "gpu_count")
    };
    let it_mw = check_grid(
        t,
        load_key,
        it_mw,
        pue,
        grid_mw,
        if load_key == "it_mw" {
            "it_mw"
        } else {
            "gpu_count × gpu_kw / 1000"
        },
        "",
    )?;
    Ok(Ai {
        pue,
        build_months: t.integer("build_months", &Rule::ge(0))?.unwrap_or(0),
        conversion_capex_usd: t.decimal_or("conversion_capex_usd", Decimal::ZERO, &Rule::ge(0))?,
        ramp_months: t.integer("ramp_months", &Rule::ge(0))?.unwrap_or(0),
        mine_during_build,
        opex_usd_per_month: t.decimal_or("opex_usd_per_month", Decimal::ZERO, &Rule::ge(0))?,
        it_mw,
        kind,
    })
}

/// One bound of a range rule.
#[derive(Debug, Clone, Copy)]
struct Bound {
    value: Decimal,
    inclusive: bool,
}

impl Bound {
    fn incl(v: i64) -> Bound {
        Bound {
            value: Decimal::from(v),
            inclusive: true,
        }
    }
    fn excl(v: i64) -> Bound {
        Bound {
            value: Decimal::from(v),
            inclusive: false,
        }
    }
}

/// A range rule from MODEL.md's scenario table, e.g. `0 < uptime ≤ 1`.
#[derive(Debug, Clone, Copy)]
struct Rule {
    lo: Option<Bound>,
    hi: Option<Bound>,
}

impl Rule {
    fn new(lo: Bound, hi: Bound) -> Rule {
        Rule {
            lo: Some(lo),
            hi: Some(hi),
        }
    }
    fn gt(v: i64) -> Rule {
        Rule {
            lo: Some(Bound::excl(v)),
            hi: None,
        }
    }
    fn ge(v: i64) -> Rule {
        Rule {
            lo: Some(Bound::incl(v)),
            hi: None,
        }
    }
    fn between(lo: i64, hi: i64) -> Rule {
        Rule::new(Bound::incl(lo), Bound::incl(hi))
    }

    fn admits(&self, v: Decimal) -> bool {
        let lo_ok = self.lo.is_none_or(|b| {
            if b.inclusive {
                v >= b.value
            } else {
                v > b.value
            }
        });
        let hi_ok = self.hi.is_none_or(|b| {
            if b.inclusive {
                v <= b.value
            } else {
                v < b.value
            }
        });
        lo_ok && hi_ok
    }

    fn describe(&self, name: &str) -> String {
        let op = |b: &Bound| if b.inclusive { "≤" } else { "<" };
        match (&self.lo, &self.hi) {
            (Some(lo), Some(hi)) => {
                format!("{} {} {name} {} {}", lo.value, op(lo), op(hi), hi.value)
            }
            (Some(lo), None) => {
                let op = if lo.inclusive { "≥" } else { ">" };
                format!("{name} {op} {}", lo.value)
            }
            (None, Some(hi)) => format!("{name} {} {}", op(hi), hi.value),
            (None, None) => format!("{name} to be any value"),
        }
    }
}

/// A TOML table being read, with its key path for messages.
struct Table<'a, 'i> {
    /// `""` for the document, else e.g. `site[1].ai`.
    path: String,
    table: &'a DeTable<'i>,
    /// The table's own span (its header), for "missing key" messages.
    span: Option<Span>,
    source: &'a str,
}

impl<'a, 'i> Table<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn text(&self, span: &Span) -> String {
        self.source.get(span.clone()).unwrap_or("").to_string()
    }

    fn missing(&self, key: &str, what: &str) -> Diagnostic {
        Diagnostic::new(
            format!("missing key {}: {what}", self.key_path(key)),
            self.span.clone(),
        )
    }

    /// Every key must be one MODEL.md defines for this table.
    fn check_keys(&self, allowed: &[&str], owner: &str) -> Result<()> {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            let hint = match closest(name, allowed) {
                Some(near) => format!("did you mean {near}?"),
                None => format!("{owner} takes {}", allowed.join(", ")),
            };
            return Err(Diagnostic::new(
                format!("unknown key {}: {hint}", self.key_path(name)),
                Some(key.span()),
            ));
        }
        Ok(())
    }

    fn type_error(&self, key: &str, value: &Spanned<DeValue>, expected: &str) -> Diagnostic {
        let path = self.key_path(key);
        let message = match value.get_ref() {
            DeValue::Table(_) => format!("{path} must be {expected}, not a table"),
            DeValue::Array(_) => format!("{path} must be {expected}, not an array"),
            other => {
                let kind = other.type_str();
                format!(
                    "{path} = {} must be {expected}, not {} {kind}",
                    self.text(&value.span()),
                    article(kind)
                )
            }
        };
        Diagnostic::new(message, Some(value.span()))
    }

    fn range_error(&self, key: &str, span: Span, rule: &Rule) -> Diagnostic {
        Diagnostic::new(
            format!(
                "{} = {} needs {}",
                self.key_path(key),
                self.text(&span),
                rule.describe(key)
            ),
            Some(span),
        )
    }

    /// A decimal key: a TOML integer, a TOML float, or a quoted decimal,
    /// each read exactly from its text.
    fn decimal(&self, key: &str, rule: &Rule) -> Result<Option<Decimal>> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => integer_text(i.as_str(), i.radix()).and_then(|n| {
                Decimal::try_from_i128_with_scale(n, 0).map_err(|_| LiteralError::TooLarge)
            }),
            DeValue::Float(f) => parse_decimal(f.as_str()),
            DeValue::String(s) => parse_decimal(s),
            _ => {
                return Err(self.type_error(
                    key,
                    value,
                    "a number (an integer, a decimal, or a quoted decimal such as \"0.1\")",
                ));
            }
        };
        let number = parsed.map_err(|e| self.literal_error(key, value, e))?;
        if !rule.admits(number) {
            return Err(self.range_error(key, value.span(), rule));
        }
        Ok(Some(number))
    }

    fn decimal_or(&self, key: &str, default: Decimal, rule: &Rule) -> Result<Decimal> {
        Ok(self.decimal(key, rule)?.unwrap_or(default))
    }

    fn decimal_required(&self, key: &str, rule: &Rule, what: &str) -> Result<Decimal> {
        self.decimal(key, rule)?
            .ok_or_else(|| self.missing(key, &format!("{what} (needs {})", rule.describe(key))))
    }

    fn literal_error(&self, key: &str, value: &Spanned<DeValue>, e: LiteralError) -> Diagnostic {
        let why = match e {
            LiteralError::NotANumber => {
                "must be a number (an integer, a decimal, or a quoted decimal such as \"0.1\")"
            }
            LiteralError::NotFinite => "must be a finite number",
            LiteralError::TooManyDecimals => {
                "has more than 28 decimal places, which an exact decimal cannot hold (hashpivot never rounds an input)"
            }
            LiteralError::TooLarge => {
                "is beyond the decimal range (magnitude at most 79228162514264337593543950335)"
            }
            LiteralError::TooManyDigits => {
                "has more significant digits than an exact decimal holds (a 96-bit mantissa; hashpivot never rounds an input)"
            }
        };
        Diagnostic::new(
            format!(
                "{} = {} {why}",
                self.key_path(key),
                self.text(&value.span())
            ),
            Some(value.span()),
        )
    }

    /// An integer key takes a TOML integer only.
    fn integer_value(&self, key: &str) -> Result<Option<(i128, Span)>> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        let DeValue::Integer(i) = value.get_ref() else {
            return Err(self.type_error(key, value, "a whole number (a TOML integer such as 36)"));
        };
        integer_text(i.as_str(), i.radix())
            .map(|n| Some((n, value.span())))
            .map_err(|_| self.too_large(key, value.span()))
    }

    fn too_large(&self, key: &str, span: Span) -> Diagnostic {
        Diagnostic::new(
            format!(
                "{} = {} is too large (at most {})",
                self.key_path(key),
                self.text(&span),
                u64::MAX
            ),
            Some(span),
        )
    }

    /// An integer key with its range rule, as a `u64` (every integer key of
    /// MODEL.md but `format` is ≥ 0).
    fn integer(&self, key: &str, rule: &Rule) -> Result<Option<u64>> {
        let Some((n, span)) = self.integer_value(key)? else {
            return Ok(None);
        };
        let as_decimal = Decimal::try_from_i128_with_scale(n, 0)
            .map_err(|_| self.too_large(key, span.clone()))?;
        if !rule.admits(as_decimal) {
            return Err(self.range_error(key, span, rule));
        }
        u64::try_from(n)
            .map(Some)
            .map_err(|_| self.too_large(key, span))
    }

    fn string(&self, key: &str) -> Result<Option<String>> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        match value.get_ref() {
            DeValue::String(s) => Ok(Some(s.to_string())),
            _ => Err(self.type_error(key, value, "a string")),
        }
    }

    /// A required, non-empty string (a scenario, site or model name).
    fn required_name(&self, key: &str) -> Result<String> {
        let name = self
            .string(key)?
            .ok_or_else(|| self.missing(key, "a non-empty name"))?;
        if name.trim().is_empty() {
            let span = self.get(key).map(|v| v.span());
            return Err(Diagnostic::new(
                format!(
                    "{} = {} needs a non-empty name",
                    self.key_path(key),
                    span.clone().map_or(String::new(), |s| self.text(&s))
                ),
                span,
            ));
        }
        Ok(name)
    }

    fn start(&self) -> Result<YearMonth> {
        let text = self
            .string("start")?
            .ok_or_else(|| self.missing("start", "the first month, \"YYYY-MM\""))?;
        YearMonth::parse(&text).ok_or_else(|| {
            let span = self.get("start").map(|v| v.span());
            Diagnostic::new(
                format!(
                    "start = {} needs the form \"YYYY-MM\": a four-digit year and a month from 01 to 12",
                    span.clone().map_or(String::new(), |s| self.text(&s))
                ),
                span,
            )
        })
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        match value.get_ref() {
            DeValue::Boolean(b) => Ok(Some(*b)),
            _ => Err(self.type_error(key, value, "true or false")),
        }
    }

    fn table(&self, key: &str) -> Result<Option<Table<'a, 'i>>> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        match value.get_ref() {
            DeValue::Table(t) => Ok(Some(Table {
                path: self.key_path(key),
                table: t,
                span: Some(value.span()),
                source: self.source,
            })),
            _ => Err(self.type_error(key, value, &format!("a table ([{key}])"))),
        }
    }

    /// An array of tables (`[[site]]`), each with its 0-based path.
    fn tables(&self, key: &str) -> Result<Option<Vec<Table<'a, 'i>>>> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        let expected = format!("an array of tables ([[{}]])", self.key_path(key));
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.type_error(key, value, &expected));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item.get_ref() {
                DeValue::Table(t) => Ok(Table {
                    path: format!("{}[{i}]", self.key_path(key)),
                    table: t,
                    span: Some(item.span()),
                    source: self.source,
                }),
                _ => Err(self.type_error(&format!("{key}[{i}]"), item, "a table")),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }
}

/// Parses a TOML integer's text (`as_str`, which carries the sign but not
/// the radix prefix) in its radix.
fn integer_text(text: &str, radix: u32) -> std::result::Result<i128, LiteralError> {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    i128::from_str_radix(&digits, radix).map_err(|_| LiteralError::TooLarge)
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The allowed key nearest to a mistyped one, if it is close (at most two
/// edits, or one for short keys).
fn closest<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    let limit = if key.len() <= 4 { 1 } else { 2 };
    allowed
        .iter()
        .map(|&a| (edit_distance(key, a), a))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}
