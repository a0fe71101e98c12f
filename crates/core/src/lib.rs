//! hashpivot's calculation core: should a Bitcoin-mining site keep mining
//! or convert to AI hosting, and at what BTC price does that answer flip?
//!
//! This crate is the whole model and nothing else. It reads scenario
//! *text*, checks it, and computes unrounded figures; it never reads a file,
//! prints, or exits, and every failure is a typed error. Rounding,
//! rendering, files and exit codes belong to the `hashpivot` crate. Its
//! layout follows the path of a number:
//!
//! - [`scenario`]: TOML text to a checked [`scenario::Scenario`];
//!   [`scenario::literal`] reads numbers exactly from their text and
//!   [`scenario::overrides`] applies `--set` before the checks, and
//!   [`scenario::warnings`] flags values that are probably unit slips;
//! - [`diagnostic`]: errors (and warnings) that point at a line and column;
//! - [`calendar`]: the monthly time grid;
//! - [`network`]: BTC price, network hashrate, block heights, halvings,
//!   reward and hashprice;
//! - [`strategy::mine`] and [`strategy::ai`]: each future, month by month;
//! - [`finance`]: NPV, IRR, payback, and the linear solves behind
//!   breakevens;
//! - [`summary`]: one scenario's answer, unrounded;
//! - [`exact`]: checked decimal arithmetic and fractional powers;
//! - [`sweep`]: grids of overrides over one scenario, evaluated in
//!   parallel ([`sweep::evaluate_grid`]);
//! - [`parallel`]: independent computations on every core, results in
//!   order.
//!
//! `docs/model.md` at the workspace root is the normative description of
//! every rule and formula; comments here cite its sections.

pub mod calendar;
pub mod diagnostic;
pub mod exact;
pub mod explain;
pub mod finance;
pub mod network;
pub mod parallel;
pub mod piecewise;
pub mod pivot;
pub mod scenario;
pub mod simulate;
pub mod strategy;
pub mod summary;
pub mod sweep;

pub use diagnostic::Diagnostic;
pub use scenario::{Override, Scenario, Warning};
pub use summary::{ComputeError, Summary, summarize};

/// A scenario that could not be loaded or computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The text breaks a rule of the scenario format.
    Input(Diagnostic),
    /// The arithmetic left the decimal range.
    Overflow(ComputeError),
}

impl Error {
    /// The full message: `error: …`, ` --> origin:line:col`, and the source
    /// line with a caret where there is one.
    pub fn render(&self, origin: &str, source: &str) -> String {
        self.render_with_overrides(origin, source, &[])
    }

    /// As [`render`](Self::render), for a scenario evaluated with overrides
    /// (an error in one points at the override).
    pub fn render_with_overrides(
        &self,
        origin: &str,
        source: &str,
        overrides: &[Override],
    ) -> String {
        let diagnostic = match self {
            Error::Input(d) => d.clone(),
            Error::Overflow(e) => Diagnostic::new(e.to_string(), None),
        };
        let text = scenario::overrides::combined_text(source, overrides);
        diagnostic.render_combined(origin, &text, source.len())
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Input(d) => d.fmt(f),
            Error::Overflow(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// Parses, checks and computes one scenario's text.
///
/// ```
/// use rust_decimal::Decimal;
/// use std::str::FromStr;
///
/// let text = r#"
/// format = 1
/// name = "example"
/// start = "2026-01"
/// months = 12
///
/// [bitcoin]
/// price_usd = 100000
/// network_hashrate_ehs = 1000
/// fees_btc_per_block = 0.05
/// block_height = 900000
///
/// [[site]]
/// name = "North"
/// grid_mw = 30
/// power_price_usd_per_mwh = 40
///
/// [site.ai]
/// kind = "colocation"
/// it_mw = 20
/// lease_usd_per_kw_month = 150
/// "#;
/// let summary = hashpivot_core::evaluate(text)?;
/// // January: 4,464 blocks × (3.125 + 0.05) BTC = 14,173.2 BTC, or 457.2 a
/// // day; × $100,000 over 1,000,000 PH/s = $45.72 per PH/s per day.
/// let hashprice = summary.hashprice_usd_per_ph_day();
/// assert_eq!(hashprice, Decimal::from_str("45.72").unwrap());
/// // 20,000 kW × $150 a month for 12 months.
/// let ai = summary.sites[0].ai.as_ref().unwrap();
/// assert_eq!(ai.outcome.revenue_usd, Decimal::from(36_000_000));
/// # Ok::<(), hashpivot_core::Error>(())
/// ```
pub fn evaluate(source: &str) -> Result<Summary, Error> {
    evaluate_with(source, &[])
}

/// As [`evaluate`], with `--set` overrides applied before the checks; the
/// summary lists them.
pub fn evaluate_with(source: &str, overrides: &[Override]) -> Result<Summary, Error> {
    evaluate_cached(source, overrides, None)
}

/// As [`evaluate_with`], reusing network projections from `cache` across
/// calls that share them (a sweep's grid points).
pub fn evaluate_cached(
    source: &str,
    overrides: &[Override],
    cache: Option<&summary::Cache>,
) -> Result<Summary, Error> {
    let scenario = scenario::parse_with_overrides(source, overrides).map_err(Error::Input)?;
    summarize_loaded(&scenario, overrides, cache)
}

/// A computed scenario and its [`Warning`]s: values the rules admit that
/// are probably unit slips (docs/model.md, "Values that get a warning").
/// The summary is exactly what [`evaluate_with`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub summary: Summary,
    /// In the order of the keys in the format; spans point into
    /// `scenario::overrides::combined_text(source, overrides)` (see
    /// [`Warning::render_with_overrides`]).
    pub warnings: Vec<Warning>,
}

/// As [`evaluate_with`], with the scenario's warnings. A scenario that fails
/// gets its error only: warnings are about values that compute.
///
/// ```
/// let text = r#"
/// format = 1
/// name = "a slip"
/// start = "2026-01"
/// months = 12
///
/// [bitcoin]
/// price_usd = 100000
/// network_hashrate_ehs = 1000
/// block_height = 900000
///
/// [[site]]
/// name = "North"
/// grid_mw = 30
/// power_price_usd_per_mwh = 0.045
///
/// [site.ai]
/// kind = "colocation"
/// it_mw = 20
/// lease_usd_per_kw_month = 150
/// "#;
/// let evaluation = hashpivot_core::evaluate_with_warnings(text, &[], None)?;
/// assert_eq!(
///     evaluation.warnings[0].to_string(),
///     "site[0].power_price_usd_per_mwh = 0.045 is under 1 USD/MWh: \
///      was USD/kWh meant? (0.045 USD/kWh = 45 USD/MWh)"
/// );
/// // Computed as written all the same.
/// assert_eq!(evaluation.summary, hashpivot_core::evaluate(text)?);
/// # Ok::<(), hashpivot_core::Error>(())
/// ```
pub fn evaluate_with_warnings(
    source: &str,
    overrides: &[Override],
    cache: Option<&summary::Cache>,
) -> Result<Evaluation, Error> {
    let (scenario, warnings) =
        scenario::parse_with_warnings(source, overrides).map_err(Error::Input)?;
    let summary = summarize_loaded(&scenario, overrides, cache)?;
    Ok(Evaluation { summary, warnings })
}

/// A checked scenario's summary, listing the overrides it was read with.
pub(crate) fn summarize_loaded(
    scenario: &Scenario,
    overrides: &[Override],
    cache: Option<&summary::Cache>,
) -> Result<Summary, Error> {
    let mut summary = summary::summarize_with(scenario, cache).map_err(Error::Overflow)?;
    summary.overrides = overrides.to_vec();
    Ok(summary)
}
