//! Scenario text (TOML) to a checked [`Scenario`].
//!
//! Every rule of docs/model.md, "Scenario file (TOML)" is enforced here,
//! and each failure is a [`Diagnostic`] naming the key path
//! (`site[1].ai.it_mw`, 0-based like the rest of hashpivot), the rule, and
//! the span of the offending key or value, so the message can show the
//! line and a caret.
//!
//! This module holds the order of reading and the rules that join keys
//! (exactly one fleet form, a load that fits the grid, unique site names).
//! What each table holds is declared in [`schema`](super::schema); reading
//! one value with its span is [`table`](super::table)'s job.

use super::overrides::{Override, apply, combined_text};
use super::schema::{
    self, ai, bitcoin, colocation, fleet, gpu_cloud, mining, power_block, risk, root, site,
};
use super::table::{Result, Table};
use super::warnings::{self, Warning};
use super::{
    Ai, Ai2, AiKind, Bitcoin, FORMAT, FORMAT_2, Fleet, FleetRow, Format2, Mining, Mining2, Power2,
    PowerBlock, Risk, Scenario, Shutdown, Site,
};
use crate::calendar::YearMonth;
use crate::diagnostic::Diagnostic;
use crate::exact::Overflow;
use rust_decimal::Decimal;
use toml::de::DeTable;

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
    read(source, overrides, false).map(|(scenario, _)| scenario)
}

/// As [`parse_with_overrides`], with the scenario's [`Warning`]s: values
/// the rules admit that are probably unit slips. Their spans, too, are
/// byte offsets into [`combined_text`]`(source, overrides)`.
pub fn parse_with_warnings(
    source: &str,
    overrides: &[Override],
) -> Result<(Scenario, Vec<Warning>)> {
    read(source, overrides, true)
}

fn read(source: &str, overrides: &[Override], warn: bool) -> Result<(Scenario, Vec<Warning>)> {
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
    // Nothing but whitespace and comments: say so, rather than name the
    // first of the many keys missing.
    if doc.get_ref().is_empty() {
        return Err(Diagnostic::new(
            "the file is empty: a scenario needs format = 1, name, start, months, [bitcoin] and one or more [[site]]",
            None,
        ));
    }
    apply(doc.get_mut(), &combined, source.len(), overrides)?;
    let scenario = read_scenario(&Table::root(doc.get_ref(), &combined, root::KEYS))?;
    let warnings = if warn {
        warnings::check(&scenario, doc.get_ref(), &combined)
    } else {
        Vec::new()
    };
    Ok((scenario, warnings))
}

fn read_scenario(doc: &Table) -> Result<Scenario> {
    const OWNER: &str = "the top level";
    // The format comes first: a file of another format should hear that,
    // not a list of keys this version does not know.
    let format = &root::FORMAT;
    let format_span = doc
        .get(format.name)
        .map(|v| v.span())
        .ok_or_else(|| doc.missing(format.name, format.what))?;
    let format2 = match doc.integer_value(format.name)? {
        Some((FORMAT, _)) => false,
        Some((FORMAT_2, _)) => true,
        _ => {
            return Err(Diagnostic::new(
                format!(
                    "format = {} is not supported: this hashpivot reads scenario formats {FORMAT} and {FORMAT_2}",
                    doc.text(&format_span)
                ),
                Some(format_span),
            ));
        }
    };
    let mut doc = doc;
    let owned;
    if format2 {
        owned = doc.with_more(root::F2_KEYS);
        doc = &owned;
        doc.take(format.name);
    } else {
        refuse_format2_keys(doc, root::F2_KEYS)?;
    }
    doc.check_keys(OWNER)?;

    let name = doc.name(&root::NAME)?;
    let start = doc.month(&root::START)?;
    let months = doc.whole(&root::MONTHS)?;
    let discount_rate = doc.number(&root::DISCOUNT_RATE)?;
    let bitcoin_table = doc
        .table(&root::BITCOIN)?
        .ok_or_else(|| missing(doc, &root::BITCOIN))?;
    let bitcoin = read_bitcoin(&bitcoin_table)?;
    let format2 = if format2 {
        let inflation_annual = doc.number(&root::INFLATION_ANNUAL)?;
        let risk = match doc.table(&root::RISK)? {
            Some(t) => read_risk(&t)?,
            None => Risk::default(),
        };
        Some(Format2 {
            inflation_annual,
            risk,
        })
    } else {
        None
    };
    let horizon = Horizon {
        start,
        months: months as u32,
    };

    let site_tables = doc
        .tables(&root::SITE)?
        .filter(|t| !t.is_empty())
        .ok_or_else(|| missing(doc, &root::SITE))?;
    let mut sites: Vec<Site> = Vec::with_capacity(site_tables.len());
    for table in &site_tables {
        let site = read_site(
            table,
            bitcoin.network_hashrate_ehs,
            format2.is_some().then_some(&horizon),
        )?;
        if let Some(first) = sites.iter().position(|s| s.name == site.name) {
            return Err(Diagnostic::new(
                format!(
                    "{}.name = {} is already the name of site[{first}]: site names must be unique",
                    table.path,
                    table.text_of(site::NAME.name),
                ),
                table.get(site::NAME.name).map(|v| v.span()),
            ));
        }
        sites.push(site);
    }
    check_fleets_in_network(&bitcoin_table, &sites, bitcoin.network_hashrate_ehs)?;
    doc.finish(OWNER)?;
    if format2.is_some() && !FORMAT_2_COMPUTED {
        return Err(Diagnostic::new(
            "format = 2 is not computed yet by this hashpivot: its keys are read and checked, not run",
            Some(format_span),
        ));
    }

    Ok(Scenario {
        name,
        start,
        // The rule caps it at 600.
        months: months as u32,
        discount_rate,
        bitcoin,
        sites,
        format2,
    })
}

/// Whether a checked format-2 scenario is computed (until then the loader
/// refuses it after every check, so no half-computed figure is printed).
const FORMAT_2_COMPUTED: bool = true;

/// The months a format-2 site's dates must fall in.
struct Horizon {
    start: YearMonth,
    months: u32,
}

/// In a format-1 file, a format-2 key is an error that says it needs
/// `format = 2` (rather than "unknown key").
fn refuse_format2_keys(t: &Table, keys: &[&'static str]) -> Result<()> {
    for key in keys {
        if let Some(v) = t.get(key) {
            return Err(Diagnostic::new(
                format!(
                    "{} needs format = 2: it is a scenario format 2 key, and this file says format = 1",
                    t.key_path(key)
                ),
                Some(v.span()),
            ));
        }
    }
    Ok(())
}

fn read_risk(t: &Table) -> Result<Risk> {
    const OWNER: &str = "[risk]";
    t.check_keys(OWNER)?;
    let r = Risk {
        price_vol_annual: t.number(&risk::PRICE_VOL_ANNUAL)?,
        hashrate_vol_annual: t.number(&risk::HASHRATE_VOL_ANNUAL)?,
        price_hashrate_corr: t.number(&risk::PRICE_HASHRATE_CORR)?,
        gpu_hour_vol_annual: t.number(&risk::GPU_HOUR_VOL_ANNUAL)?,
        lease_default_annual: t.number(&risk::LEASE_DEFAULT_ANNUAL)?,
        paths: t.whole(&risk::PATHS)?,
        seed: t.whole(&risk::SEED)?,
    };
    t.finish(OWNER)?;
    Ok(r)
}

/// A site's power in format 2: a flat price (any decimal) or
/// `[[site.power_block]]` rows whose shares sum to exactly 1.
fn read_power2(t: &Table) -> Result<(Decimal, Power2)> {
    let flat = t.get(site::POWER_PRICE_USD_PER_MWH.name).is_some();
    let rows = t.get(site::POWER_BLOCK.name);
    let escalator_annual = t.number(&site::POWER_ESCALATOR_ANNUAL)?;
    match (flat, rows) {
        (true, Some(rows)) => {
            // At the form written second (an override's text comes last).
            let span = t
                .get(site::POWER_PRICE_USD_PER_MWH.name)
                .map(|flat| flat.span())
                .filter(|flat| flat.start > rows.span().start)
                .unwrap_or_else(|| rows.span());
            Err(Diagnostic::new(
                format!(
                    "{} has both power_price_usd_per_mwh and [[site.power_block]] rows: use exactly one form",
                    t.path
                ),
                Some(span),
            ))
        }
        (false, None) => Err(Diagnostic::new(
            format!(
                "{} needs either power_price_usd_per_mwh or one or more [[site.power_block]] rows (a price duration curve)",
                t.path
            ),
            t.span.clone(),
        )),
        (true, None) => {
            t.take(site::POWER_BLOCK.name);
            let price = t.number(&site::POWER_PRICE_ANY)?;
            Ok((
                price,
                Power2 {
                    blocks: vec![PowerBlock {
                        share: Decimal::ONE,
                        price_usd_per_mwh: price,
                    }],
                    curve: false,
                    escalator_annual,
                },
            ))
        }
        (false, Some(value)) => {
            t.take(site::POWER_PRICE_USD_PER_MWH.name);
            let tables = t.tables(&site::POWER_BLOCK)?.unwrap_or_default();
            if tables.is_empty() {
                return Err(missing(t, &site::POWER_BLOCK));
            }
            let mut blocks = Vec::with_capacity(tables.len());
            for row in &tables {
                row.check_keys(&row.path)?;
                blocks.push(PowerBlock {
                    share: row.number(&power_block::SHARE)?,
                    price_usd_per_mwh: row.number(&power_block::PRICE_USD_PER_MWH)?,
                });
                row.finish(&row.path)?;
            }
            let total = blocks
                .iter()
                .try_fold(Decimal::ZERO, |sum, b| sum.checked_add(b.share));
            if total != Some(Decimal::ONE) {
                let shown = total.map_or("more than the decimal range".to_string(), |t| {
                    t.normalize().to_string()
                });
                // Point at the share written last: an override's (its text
                // follows the file's), else the last block's, where a
                // reader adding up the shares arrives at the wrong sum.
                let last_share = tables
                    .iter()
                    .filter_map(|row| row.get(power_block::SHARE.name))
                    .map(|v| v.span())
                    .max_by_key(|span| span.start);
                return Err(Diagnostic::new(
                    format!(
                        "{}.power_block shares sum to {shown}: they must sum to exactly 1 (every hour of the month at one price)",
                        t.path
                    ),
                    Some(last_share.unwrap_or_else(|| value.span())),
                ));
            }
            Ok((
                blocks[0].price_usd_per_mwh,
                Power2 {
                    blocks,
                    curve: true,
                    escalator_annual,
                },
            ))
        }
    }
}

/// "missing key …" for a required table.
fn missing(t: &Table, key: &schema::Nested) -> Diagnostic {
    t.missing(key.name, key.what.unwrap_or_default())
}

fn read_bitcoin(t: &Table) -> Result<Bitcoin> {
    const OWNER: &str = "[bitcoin]";
    t.check_keys(OWNER)?;
    let b = Bitcoin {
        price_usd: t.number(&bitcoin::PRICE_USD)?,
        price_growth_annual: t.number(&bitcoin::PRICE_GROWTH_ANNUAL)?,
        network_hashrate_ehs: t.number(&bitcoin::NETWORK_HASHRATE_EHS)?,
        hashrate_growth_annual: t.number(&bitcoin::HASHRATE_GROWTH_ANNUAL)?,
        fees_btc_per_block: t.number(&bitcoin::FEES_BTC_PER_BLOCK)?,
        block_height: t.whole(&bitcoin::BLOCK_HEIGHT)?,
        block_time_s: t.number(&bitcoin::BLOCK_TIME_S)?,
    };
    t.finish(OWNER)?;
    Ok(b)
}

fn read_site(t: &Table, network_ehs: Decimal, format2: Option<&Horizon>) -> Result<Site> {
    let mut t = t;
    let owned;
    if format2.is_some() {
        owned = t.with_more(site::F2_KEYS);
        t = &owned;
    } else {
        refuse_format2_keys(t, site::F2_KEYS)?;
    }
    t.check_keys(&t.path)?;
    let name = t.name(&site::NAME)?;
    let grid_mw = t.number(&site::GRID_MW)?;
    let (power_price_usd_per_mwh, power2) = if format2.is_some() {
        let (price, power) = read_power2(t)?;
        (price, Some(power))
    } else {
        (t.number(&site::POWER_PRICE_USD_PER_MWH)?, None)
    };
    let mining = match t.table(&site::MINING)? {
        Some(m) => Some(read_mining(&m, grid_mw, network_ehs, format2.is_some())?),
        None => None,
    };
    let ai = match t.table(&site::AI)? {
        Some(mut a) => Some(read_ai(&mut a, grid_mw, mining.is_some(), format2)?),
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
    t.finish(&t.path)?;
    Ok(Site {
        name,
        grid_mw,
        power_price_usd_per_mwh,
        power2,
        mining,
        ai,
    })
}

fn read_mining(t: &Table, grid_mw: Decimal, network_ehs: Decimal, format2: bool) -> Result<Mining> {
    let mut t = t;
    let owned;
    if format2 {
        owned = t.with_more(mining::F2_KEYS);
        t = &owned;
    } else {
        refuse_format2_keys(t, mining::F2_KEYS)?;
    }
    t.check_keys(&t.path)?;
    // Which keys are present decides the form; the other form's keys are
    // thereby read (and refused below if present).
    let single = t
        .take(mining::HASHRATE_THS.name)
        .or_else(|| t.take(mining::EFFICIENCY_J_PER_TH.name));
    let rows = t.take(mining::FLEET.name);
    let pue = t.number(&mining::PUE)?;

    let fleet = match (single, rows) {
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
        (Some(_), None) => Fleet::Single {
            hashrate_ths: t.number(&mining::HASHRATE_THS)?,
            efficiency_j_per_th: t.number(&mining::EFFICIENCY_J_PER_TH)?,
        },
        (None, Some(_)) => {
            let tables = t.tables(&mining::FLEET)?.unwrap_or_default();
            if tables.is_empty() {
                return Err(missing(t, &mining::FLEET));
            }
            let rows = tables
                .iter()
                .map(read_fleet_row)
                .collect::<Result<Vec<_>>>()?;
            Fleet::Rows(rows)
        }
    };
    let (load_key, single, rows) = match fleet {
        Fleet::Single { .. } => (
            mining::HASHRATE_THS.name,
            "hashrate_ths × efficiency_j_per_th / 10^6",
            "",
        ),
        Fleet::Rows(_) => (mining::FLEET.name, "", "Σ count × ths × j_per_th / 10^6"),
    };
    check_grid(t, load_key, fleet_it_mw(&fleet), pue, grid_mw, single, rows)?;
    check_fleet_in_network(t, &fleet, network_ehs)?;
    let m = Mining {
        fleet,
        pue,
        uptime: t.number(&mining::UPTIME)?,
        pool_fee: t.number(&mining::POOL_FEE)?,
        opex_usd_per_month: t.number(&mining::OPEX_USD_PER_MONTH)?,
        capex_usd: t.number(&mining::CAPEX_USD)?,
        f2: if format2 {
            read_mining2(t)?
        } else {
            Mining2::default()
        },
    };
    t.finish(&t.path)?;
    Ok(m)
}

fn read_mining2(t: &Table) -> Result<Mining2> {
    let shutdown = match t.string(mining::SHUTDOWN.name)?.as_deref() {
        None | Some("economic") => Shutdown::Economic,
        Some("never") => Shutdown::Never,
        Some(_) => {
            return Err(Diagnostic::new(
                format!(
                    "{} = {} must be \"economic\" (a row runs in a price block only when it earns that block's price) or \"never\"",
                    t.key_path(mining::SHUTDOWN.name),
                    t.text_of(mining::SHUTDOWN.name)
                ),
                t.get(mining::SHUTDOWN.name).map(|v| v.span()),
            ));
        }
    };
    Ok(Mining2 {
        shutdown,
        demand_response_usd_per_mw_month: t.number(&mining::DEMAND_RESPONSE_USD_PER_MW_MONTH)?,
        exit_multiple: t.number(&mining::EXIT_MULTIPLE)?,
    })
}

fn read_fleet_row(row: &Table) -> Result<FleetRow> {
    row.check_keys(&row.path)?;
    let r = FleetRow {
        model: row.name(&fleet::MODEL)?,
        count: row.whole(&fleet::COUNT)?,
        ths: row.number(&fleet::THS)?,
        j_per_th: row.number(&fleet::J_PER_TH)?,
    };
    row.finish(&row.path)?;
    Ok(r)
}

/// docs/model.md, "Strategy `mine`" and "Strategy `ai`": the meter load
/// `IT · pue` must fit the grid. `load_key` names the key the message
/// points at; `single`/`rows` describe the IT load for a plain key and for
/// the fleet table.
fn check_grid(
    t: &Table,
    load_key: &str,
    it_mw: std::result::Result<Decimal, Overflow>,
    pue: Decimal,
    grid_mw: Decimal,
    single: &str,
    rows: &str,
) -> Result<()> {
    let meter = meter_mw(it_mw, pue);
    if fits_grid(&meter, grid_mw) {
        return Ok(());
    }
    let value = t.get(load_key).map(|v| v.span());
    let shown = match meter {
        Ok(m) => format!("{} MW", m.normalize()),
        Err(_) => "beyond the decimal range".to_string(),
    };
    let subject = if load_key == mining::FLEET.name {
        format!("{}.fleet needs {rows} × pue", t.path)
    } else {
        format!(
            "{}.{load_key} = {} needs {single} × pue",
            t.path,
            t.text_of(load_key)
        )
    };
    Err(Diagnostic::new(
        format!("{subject} ({shown}) ≤ grid_mw ({} MW)", grid_mw.normalize()),
        value,
    ))
}

/// TH/s in an EH/s.
const THS_PER_EHS: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// Whether fleets of `fleet_ths` TH/s together are more than the network's
/// `network_ehs` EH/s, decided exactly (and, where a total leaves the
/// decimal range, by which side does).
fn larger_than_network(fleet_ths: &[Decimal], network_ehs: Decimal) -> bool {
    let total = fleet_ths
        .iter()
        .try_fold(Decimal::ZERO, |sum, &f| sum.checked_add(f));
    match (total, network_ehs.checked_mul(THS_PER_EHS)) {
        (Some(total), Some(network)) => total > network,
        (Some(_), None) => false,
        (None, Some(_)) => true,
        // Both beyond the range in TH/s: compare in EH/s.
        (None, None) => fleet_ths
            .iter()
            .try_fold(Decimal::ZERO, |sum, &f| sum.checked_add(f / THS_PER_EHS))
            .is_none_or(|total| total > network_ehs),
    }
}

/// `5 EH/s`: TH/s shown in EH/s, for a message.
fn in_ehs(ths: Option<Decimal>) -> String {
    match ths {
        Some(ths) => format!("{} EH/s", (ths / THS_PER_EHS).normalize()),
        None => "beyond the decimal range".to_string(),
    }
}

/// docs/model.md, "`[site.mining]`": a site's fleet is part of the
/// network, so its hashrate cannot exceed the month-0 network hashrate.
fn check_fleet_in_network(t: &Table, fleet: &Fleet, network_ehs: Decimal) -> Result<()> {
    if fleet_in_network(fleet, network_ehs) {
        return Ok(());
    }
    // A loaded fleet's hashrate is in range (check_grid saw to it).
    let Ok(ths) = fleet.hashrate_ths() else {
        return Ok(());
    };
    let (subject, key, unit) = match fleet {
        Fleet::Single { .. } => (
            format!(
                "{}.hashrate_ths = {} needs hashrate_ths / 10^6",
                t.path,
                t.text_of(mining::HASHRATE_THS.name)
            ),
            mining::HASHRATE_THS.name,
            "the fleet in TH/s",
        ),
        Fleet::Rows(_) => (
            format!("{}.fleet needs Σ count × ths / 10^6", t.path),
            mining::FLEET.name,
            "each machine's ths in TH/s",
        ),
    };
    Err(Diagnostic::new(
        format!(
            "{subject} ({}) ≤ bitcoin.network_hashrate_ehs ({} EH/s): a fleet cannot be larger than the network it is part of: was the network meant in EH/s, or {unit}?",
            in_ehs(Some(ths)),
            network_ehs.normalize()
        ),
        t.get(key).map(|v| v.span()),
    ))
}

/// As [`check_fleet_in_network`], for all sites' fleets together.
fn check_fleets_in_network(bitcoin: &Table, sites: &[Site], network_ehs: Decimal) -> Result<()> {
    if fleets_in_network(sites, network_ehs) {
        return Ok(());
    }
    let fleets = fleet_hashrates(sites);
    let total = fleets
        .iter()
        .try_fold(Decimal::ZERO, |sum, &f| sum.checked_add(f));
    let key = bitcoin::NETWORK_HASHRATE_EHS.name;
    Err(Diagnostic::new(
        format!(
            "{} = {} needs Σ of the sites' fleets / 10^6 ({}) ≤ network_hashrate_ehs ({} EH/s): fleets cannot be larger than the network they are part of: was the network meant in EH/s, or a fleet in TH/s?",
            bitcoin.key_path(key),
            bitcoin.text_of(key),
            in_ehs(total),
            network_ehs.normalize()
        ),
        bitcoin.get(key).map(|v| v.span()),
    ))
}

// The rules that join keys, over typed values. The loader words each
// failure (the checks above); a scenario changed after it was loaded (a
// sweep's grid point, see `patch`) is re-checked with the same
// predicates, so a rule lives in one place.

/// A fleet's IT load, MW, for the grid rule: a fleet whose hashrate or IT
/// load leaves the decimal range is refused, so both methods succeed on a
/// loaded scenario.
fn fleet_it_mw(fleet: &Fleet) -> std::result::Result<Decimal, Overflow> {
    fleet.hashrate_ths().and_then(|_| fleet.it_mw())
}

/// An AI site's IT load, MW, for the grid rule.
fn ai_it_mw(kind: &AiKind) -> std::result::Result<Decimal, Overflow> {
    kind.it_mw()
}

/// The meter load `IT · pue`, MW.
fn meter_mw(
    it_mw: std::result::Result<Decimal, Overflow>,
    pue: Decimal,
) -> std::result::Result<Decimal, Overflow> {
    use crate::exact::Checked;
    it_mw.and_then(|it| it.times(pue))
}

/// docs/model.md, "Strategy `mine`" and "Strategy `ai`": the meter load
/// fits the grid (and is in the decimal range).
fn fits_grid(meter: &std::result::Result<Decimal, Overflow>, grid_mw: Decimal) -> bool {
    matches!(meter, Ok(m) if *m <= grid_mw)
}

/// A site's fleet is no larger than the network (a fleet whose hashrate
/// leaves the range is the grid rule's to refuse).
fn fleet_in_network(fleet: &Fleet, network_ehs: Decimal) -> bool {
    fleet
        .hashrate_ths()
        .map_or(true, |ths| !larger_than_network(&[ths], network_ehs))
}

/// The hashrates of the sites' fleets, TH/s.
fn fleet_hashrates(sites: &[Site]) -> Vec<Decimal> {
    sites
        .iter()
        .filter_map(|s| s.mining.as_ref()?.hashrate_ths().ok())
        .collect()
}

/// All sites' fleets together are no larger than the network.
fn fleets_in_network(sites: &[Site], network_ehs: Decimal) -> bool {
    !larger_than_network(&fleet_hashrates(sites), network_ehs)
}

/// A mining site's load fits its grid ([`check_grid`]'s rule, typed).
pub(super) fn mining_fits_grid(m: &Mining, grid_mw: Decimal) -> bool {
    fits_grid(&meter_mw(fleet_it_mw(&m.fleet), m.pue), grid_mw)
}

/// An AI site's load fits its grid ([`check_grid`]'s rule, typed).
pub(super) fn ai_fits_grid(a: &Ai, grid_mw: Decimal) -> bool {
    fits_grid(&meter_mw(ai_it_mw(&a.kind), a.pue), grid_mw)
}

/// Every site's fleet, alone and all together, is no larger than the
/// network ([`check_fleet_in_network`] and [`check_fleets_in_network`],
/// typed).
pub(super) fn fleets_fit_network(sites: &[Site], network_ehs: Decimal) -> bool {
    sites
        .iter()
        .filter_map(|s| s.mining.as_ref())
        .all(|m| fleet_in_network(&m.fleet, network_ehs))
        && fleets_in_network(sites, network_ehs)
}

/// `mine_during_build = true` needs a `[site.mining]` in the same site.
pub(super) fn mine_during_build_allowed(mine_during_build: bool, has_mining: bool) -> bool {
    !mine_during_build || has_mining
}

fn read_ai(
    t: &mut Table,
    grid_mw: Decimal,
    has_mining: bool,
    format2: Option<&Horizon>,
) -> Result<Ai> {
    if format2.is_some() {
        t.allow(ai::F2_KEYS);
    } else {
        refuse_format2_keys(t, ai::F2_KEYS)?;
    }
    let kind = &ai::KIND;
    let kind_span = t
        .get(kind.name)
        .map(|v| v.span())
        .ok_or_else(|| t.missing(kind.name, kind.what))?;
    let kind_name = t.string(kind.name)?.unwrap_or_default();
    let extra = match kind_name.as_str() {
        colocation::KIND => colocation::KEYS,
        gpu_cloud::KIND => gpu_cloud::KEYS,
        _ => {
            return Err(Diagnostic::new(
                format!(
                    "{}.kind = {} must be \"colocation\" or \"gpu_cloud\"",
                    t.path,
                    t.text(&kind_span)
                ),
                Some(kind_span),
            ));
        }
    };
    t.allow(extra);
    let owner = format!("{} with kind = \"{kind_name}\"", t.path);
    t.check_keys(&owner)?;

    let pue = t.number(&ai::PUE)?;
    let mine_during_build = t.flag(&ai::MINE_DURING_BUILD)?;
    if !mine_during_build_allowed(mine_during_build, has_mining) {
        return Err(Diagnostic::new(
            format!(
                "{}.mine_during_build = true needs a [site.mining] table in the same site",
                t.path
            ),
            t.get(ai::MINE_DURING_BUILD.name).map(|v| v.span()),
        ));
    }

    let (kind, load_key, single) = if kind_name == colocation::KIND {
        let kind = AiKind::Colocation {
            it_mw: t.number(&colocation::IT_MW)?,
            lease_usd_per_kw_month: t.number(&colocation::LEASE_USD_PER_KW_MONTH)?,
            lease_escalator_annual: t.number(&colocation::LEASE_ESCALATOR_ANNUAL)?,
            power_pass_through: t.flag(&colocation::POWER_PASS_THROUGH)?,
        };
        (kind, colocation::IT_MW.name, "it_mw")
    } else {
        let kind = AiKind::GpuCloud {
            gpu_count: t.whole(&gpu_cloud::GPU_COUNT)?,
            gpu_kw: t.number(&gpu_cloud::GPU_KW)?,
            gpu_hour_usd: t.number(&gpu_cloud::GPU_HOUR_USD)?,
            utilization: t.number(&gpu_cloud::UTILIZATION)?,
            gpu_hour_decline_annual: t.number(&gpu_cloud::GPU_HOUR_DECLINE_ANNUAL)?,
            gpu_capex_usd: t.number(&gpu_cloud::GPU_CAPEX_USD)?,
        };
        (kind, gpu_cloud::GPU_COUNT.name, "gpu_count × gpu_kw / 1000")
    };
    check_grid(t, load_key, ai_it_mw(&kind), pue, grid_mw, single, "")?;
    let a = Ai {
        pue,
        build_months: t.whole(&ai::BUILD_MONTHS)?,
        conversion_capex_usd: t.number(&ai::CONVERSION_CAPEX_USD)?,
        ramp_months: t.whole(&ai::RAMP_MONTHS)?,
        mine_during_build,
        opex_usd_per_month: t.number(&ai::OPEX_USD_PER_MONTH)?,
        kind,
        f2: match format2 {
            Some(h) => read_ai2(t, h, has_mining)?,
            None => Ai2::default(),
        },
    };
    t.finish(&owner)?;
    Ok(a)
}

/// `[site.ai]`'s format-2 keys (docs/model.md, "Strategy `ai` in format
/// 2"): `start` within the horizon; a `start` later than the scenario's,
/// `fleet_sale_usd > 0` and `keep_mining = true` need `[site.mining]`.
fn read_ai2(t: &Table, h: &Horizon, has_mining: bool) -> Result<Ai2> {
    let start = if t.get(ai::START.name).is_some() {
        let month = t.month(&ai::START)?;
        let last = h.start.add_months(h.months - 1);
        if month < h.start || month > last {
            return Err(Diagnostic::new(
                format!(
                    "{} = {} needs a month within the horizon, {} … {}",
                    t.key_path(ai::START.name),
                    t.text_of(ai::START.name),
                    h.start,
                    last
                ),
                t.get(ai::START.name).map(|v| v.span()),
            ));
        }
        month
    } else {
        t.take(ai::START.name);
        h.start
    };
    let fleet_sale_usd = t.number(&ai::FLEET_SALE_USD)?;
    let keep_mining = t.flag(&ai::KEEP_MINING)?;
    let exit_multiple = t.number(&ai::EXIT_MULTIPLE)?;
    let later = (start > h.start).then(|| {
        (
            ai::START.name,
            format!("{} later than start", t.key_path(ai::START.name)),
        )
    });
    let sale = (fleet_sale_usd > Decimal::ZERO).then(|| {
        (
            ai::FLEET_SALE_USD.name,
            format!("{} > 0", t.key_path(ai::FLEET_SALE_USD.name)),
        )
    });
    let keep = keep_mining.then(|| {
        (
            ai::KEEP_MINING.name,
            format!("{} = true", t.key_path(ai::KEEP_MINING.name)),
        )
    });
    if !has_mining && let Some((key, what)) = [later, sale, keep].into_iter().flatten().next() {
        return Err(Diagnostic::new(
            format!("{what} needs a [site.mining] table in the same site"),
            t.get(key).map(|v| v.span()),
        ));
    }
    Ok(Ai2 {
        // Within the horizon (checked above), so at most months − 1.
        start_index: start.months_since(h.start).unwrap_or(0),
        fleet_sale_usd,
        keep_mining,
        exit_multiple,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of every table, in the first form of each choice: one
    /// hashrate and efficiency, and a colocation lease.
    const SINGLE_AND_COLOCATION: &str = r#"
format = 1
name = "every key, first forms"
start = "2026-01"
months = 12
discount_rate = 0.08

[bitcoin]
price_usd = 100000
price_growth_annual = 0.1
network_hashrate_ehs = 1000
hashrate_growth_annual = 0.2
fees_btc_per_block = 0.05
block_height = 900000
block_time_s = 600

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
kind = "colocation"
pue = 1.25
build_months = 3
conversion_capex_usd = 1000000
ramp_months = 4
mine_during_build = true
opex_usd_per_month = 100000
it_mw = 10
lease_usd_per_kw_month = 150
lease_escalator_annual = 0.03
power_pass_through = false
"#;

    /// The other forms: fleet rows, and a GPU cloud.
    const ROWS_AND_GPU_CLOUD: &str = r#"
format = 1
name = "every key, second forms"
start = "2026-01"
months = 12

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 900000

[[site]]
name = "B"
grid_mw = 100
power_price_usd_per_mwh = 40

[site.mining]
[[site.mining.fleet]]
model = "S21"
count = 100
ths = 200
j_per_th = 17.5

[site.ai]
kind = "gpu_cloud"
gpu_count = 1000
gpu_kw = 1.3
gpu_hour_usd = 2
utilization = 0.5
gpu_hour_decline_annual = 0.19
gpu_capex_usd = 25000
"#;

    fn assert_all_read(t: &Table) {
        assert_eq!(t.unread_keys(), Vec::<&str>::new(), "in {:?}", t.path);
    }

    /// The loader reads every key the schema lists, in every table and
    /// every form of it; so no listed key can be accepted and then ignored.
    /// (A listed key that is never read is refused, see below, and a debug
    /// build's `finish` asserts the same on every load.)
    #[test]
    fn every_listed_key_is_read() {
        let mut fleet_rows = 0;
        for text in [SINGLE_AND_COLOCATION, ROWS_AND_GPU_CLOUD] {
            // Every key written is accepted.
            parse(text).unwrap();

            // And each table, read on its own, reads all its keys.
            let doc = DeTable::parse(text).unwrap();
            let top = Table::root(doc.get_ref(), text, root::KEYS);
            read_scenario(&top).unwrap();
            assert_all_read(&top);
            let btc = top.table(&root::BITCOIN).unwrap().unwrap();
            let network_ehs = read_bitcoin(&btc).unwrap().network_hashrate_ehs;
            assert_all_read(&btc);
            for s in top.tables(&root::SITE).unwrap().unwrap() {
                read_site(&s, network_ehs, None).unwrap();
                assert_all_read(&s);
                let grid_mw = s.number(&site::GRID_MW).unwrap();
                let m = s.table(&site::MINING).unwrap().unwrap();
                read_mining(&m, grid_mw, network_ehs, false).unwrap();
                assert_all_read(&m);
                for row in m.tables(&mining::FLEET).unwrap().unwrap_or_default() {
                    read_fleet_row(&row).unwrap();
                    assert_all_read(&row);
                    fleet_rows += 1;
                }
                let mut a = s.table(&site::AI).unwrap().unwrap();
                read_ai(&mut a, grid_mw, true, None).unwrap();
                assert_all_read(&a);
            }
        }
        assert!(fleet_rows > 0, "the fixtures cover fleet rows");
    }

    #[test]
    fn fleets_against_the_network_exactly() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(!larger_than_network(&[d("1000000")], d("1")));
        assert!(larger_than_network(
            &[d("1000000.0000000000000000001")],
            d("1")
        ));
        assert!(larger_than_network(&[d("600000"), d("400001")], d("1")));
        assert!(!larger_than_network(&[], d("1")));
        // Beyond the decimal range in TH/s, on either side or both.
        let max = Decimal::MAX;
        assert!(!larger_than_network(&[max], max));
        assert!(larger_than_network(&[max, max], d("1000")));
        assert!(!larger_than_network(&[max, max], max));
        assert!(larger_than_network(&[max, max], d("1e22")));
    }

    /// The check behind the test above: a key listed for a table that the
    /// loader never reads is named, and refused rather than ignored when a
    /// scenario writes it.
    #[test]
    fn a_listed_key_that_is_never_read_is_refused() {
        let text = "pue = 1.1\nphantom = 3\n";
        let doc = DeTable::parse(text).unwrap();
        let t = Table::root(doc.get_ref(), text, &["pue", "phantom"]);
        // Listed, so the early check lets it through…
        t.check_keys("the table").unwrap();
        assert_eq!(t.number(&mining::PUE).unwrap(), Decimal::new(11, 1));
        // …but it was never read.
        assert_eq!(t.unread_keys(), ["phantom"]);
        let err = t.refuse_unread("the table").unwrap_err();
        assert_eq!(
            err.message,
            "unknown key phantom: the table takes pue, phantom"
        );
        assert_eq!(err.span, Some(10..17));
    }

    #[test]
    fn derived_loads_match_the_formulas() {
        let s = parse(ROWS_AND_GPU_CLOUD).unwrap();
        let site = &s.sites[0];
        let m = site.mining.as_ref().unwrap();
        // 100 × 200 TH/s at 17.5 J/TH: 20,000 TH/s, 0.35 MW.
        assert_eq!(m.hashrate_ths().unwrap(), Decimal::from(20_000));
        assert_eq!(m.it_mw().unwrap(), Decimal::new(35, 2));
        // 1000 GPUs × 1.3 kW = 1.3 MW.
        assert_eq!(
            site.ai.as_ref().unwrap().it_mw().unwrap(),
            Decimal::new(13, 1)
        );
        let s = parse(SINGLE_AND_COLOCATION).unwrap();
        let m = s.sites[0].mining.as_ref().unwrap();
        assert_eq!(m.it_mw().unwrap(), Decimal::from(20));
        assert_eq!(
            s.sites[0].ai.as_ref().unwrap().it_mw().unwrap(),
            Decimal::from(10)
        );
    }
}
