//! Sweeps: one scenario evaluated over a grid of one or two varied keys.
//!
//! An axis is `KEY=FROM..TO:N` (N ≥ 2 evenly spaced points, exact
//! decimals: FROM + j·(TO − FROM)/(N − 1)) or `KEY=V1,V2,…`. The first axis
//! gives the rows, the second the columns; point `row · ncols + col` is
//! numbered from 0. Each point is the scenario with the axis values applied
//! as `--set` overrides, after any fixed ones, so a point is exactly what
//! `hashpivot run --set …` would compute, checks included.
//!
//! Before a grid is evaluated, [`Grid::check_keys`] refuses one that sets a
//! key twice (both axes, or `--set` and `--vary`), and
//! [`Grid::check_axis_keys`] turns a key that names nothing into one error
//! instead of one per point.

use crate::exact::Checked;
use crate::parallel::parallel_map;
use crate::scenario::literal::parse_decimal;
use crate::scenario::overrides::{Segment, layout, segments, selector};
use crate::scenario::patch::Patch;
use crate::scenario::{Fleet, Override, Scenario, Site, parse_with_overrides};
use crate::strategy::MonthRow;
use crate::summary::{
    Cache, PROJECTION_BYTES_PER_MONTH, SharedKey, SiteSummary, Summary, Winner, sweep_figures,
};
use crate::{Error, evaluate_cached, summarize_loaded};
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;
use toml::de::DeValue;

/// Why a sweep's arguments (`--vary`, `--shard`) were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SweepError {
    /// `--vary` text with no `KEY=` in front.
    AxisSyntax { arg: String },
    /// `KEY=FROM..TO` without `:N`.
    RangeWithoutCount { key: String },
    /// A range end that is not a decimal number.
    NotANumber { key: String, text: String },
    /// A point count that is not a whole number ≥ 2.
    PointCount { key: String, text: String },
    /// The evenly spaced points leave the decimal range.
    RangeOverflow { key: String },
    /// `KEY=V1,,V2`: an empty value in a list.
    EmptyValue { key: String, spec: String },
    /// No `--vary` at all.
    NoAxis,
    /// More than two `--vary`.
    TooManyAxes { count: usize },
    /// `--shard` text that is not `K/N` with 1 ≤ K ≤ N.
    Shard { text: String },
    /// `--shard` with the table: a shard's table would show every point
    /// outside it as missing.
    ShardedTable,
    /// Both axes vary one key (as the override resolver reads them).
    SameKey { first: String, second: String },
    /// A key both fixed (`--set`) and varied: the axis would replace the
    /// fixed value at every point.
    SetAndVary { set: String, vary: String },
}

impl fmt::Display for SweepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SweepError::AxisSyntax { arg } => {
                write!(f, "--vary takes KEY=FROM..TO:N or KEY=V1,V2,…, got {arg:?}")
            }
            SweepError::RangeWithoutCount { key } => {
                write!(
                    f,
                    "--vary {key}: a range needs a point count, as in FROM..TO:N"
                )
            }
            SweepError::NotANumber { key, text } => {
                write!(f, "--vary {key}: {text:?} is not a decimal number")
            }
            SweepError::PointCount { key, text } => {
                write!(
                    f,
                    "--vary {key}: N must be a whole number ≥ 2, got {text:?}"
                )
            }
            SweepError::RangeOverflow { key } => write!(f, "--vary {key}: the range overflows"),
            SweepError::EmptyValue { key, spec } => {
                write!(f, "--vary {key}: empty value in {spec:?}")
            }
            SweepError::NoAxis => f.write_str("a sweep needs --vary KEY=… (one or two of them)"),
            SweepError::TooManyAxes { count } => {
                write!(f, "a sweep takes one or two --vary axes, got {count}")
            }
            SweepError::Shard { text } => {
                write!(f, "--shard takes K/N with 1 ≤ K ≤ N, got {text:?}")
            }
            SweepError::ShardedTable => f.write_str(
                "--shard needs --format csv or --format jsonl: shards are records to join \
                 into the whole grid, and a table of one shard would show only its points",
            ),
            SweepError::SameKey { first, second } if first == second => {
                write!(f, "both --vary axes vary {first}: vary a key once")
            }
            SweepError::SameKey { first, second } => write!(
                f,
                "--vary {first} and --vary {second} name the same key: vary a key once"
            ),
            SweepError::SetAndVary { set, vary } => write!(
                f,
                "--set {set} and --vary {vary} name the same key: the axis would replace \
                 the --set value at every point (drop one of them)"
            ),
        }
    }
}

impl std::error::Error for SweepError {}

/// One varied key and its values (as the text given to `--set`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<String>,
}

impl Axis {
    /// Parses `KEY=FROM..TO:N` or `KEY=V1,V2,…`.
    pub fn parse(arg: &str) -> Result<Axis, SweepError> {
        let (key, spec) = arg
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| SweepError::AxisSyntax {
                arg: arg.to_string(),
            })?;
        let key = key.trim().to_string();
        let spec = spec.trim();
        let values = match spec.split_once("..") {
            Some((from, rest)) => {
                let (to, n) = rest
                    .split_once(':')
                    .ok_or_else(|| SweepError::RangeWithoutCount { key: key.clone() })?;
                let number = |t: &str| {
                    Decimal::from_str(t.trim()).map_err(|_| SweepError::NotANumber {
                        key: key.clone(),
                        text: t.to_string(),
                    })
                };
                let (from, to) = (number(from)?, number(to)?);
                let n: u32 = n.trim().parse().ok().filter(|&n| n >= 2).ok_or_else(|| {
                    SweepError::PointCount {
                        key: key.clone(),
                        text: n.to_string(),
                    }
                })?;
                range(from, to, n).map_err(|_| SweepError::RangeOverflow { key: key.clone() })?
            }
            None => {
                let values: Vec<String> = spec.split(',').map(|v| v.trim().to_string()).collect();
                if values.iter().any(String::is_empty) {
                    return Err(SweepError::EmptyValue {
                        key,
                        spec: spec.to_string(),
                    });
                }
                values
            }
        };
        Ok(Axis { key, values })
    }

    /// The values as decimals, where they all are numbers (as `--set`
    /// reads them: see [`AxisValue`]).
    pub fn numbers(&self) -> Option<Vec<Decimal>> {
        self.values
            .iter()
            .map(|v| match AxisValue::of(v) {
                AxisValue::Number(n) => Some(n),
                _ => None,
            })
            .collect()
    }
}

/// An axis value as `--set` reads its text: a TOML boolean, a TOML integer
/// or float (read exactly, never through a binary float), or text (a TOML
/// string's contents, or text that is not a TOML value, which `--set` takes
/// as a string: `2026-01`, `colocation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AxisValue {
    Number(Decimal),
    Bool(bool),
    Text(String),
}

impl AxisValue {
    pub fn of(text: &str) -> AxisValue {
        let text_as_is = || AxisValue::Text(text.to_string());
        let Ok(value) = DeValue::parse(text) else {
            return text_as_is();
        };
        match value.into_inner() {
            DeValue::Boolean(b) => AxisValue::Bool(b),
            DeValue::Integer(i) => {
                let digits: String = i.as_str().chars().filter(|&c| c != '_').collect();
                i128::from_str_radix(&digits, i.radix())
                    .ok()
                    .and_then(|n| Decimal::try_from_i128_with_scale(n, 0).ok())
                    .map_or_else(text_as_is, AxisValue::Number)
            }
            DeValue::Float(f) => {
                parse_decimal(f.as_str()).map_or_else(|_| text_as_is(), AxisValue::Number)
            }
            DeValue::String(s) => AxisValue::Text(s.into_owned()),
            _ => text_as_is(),
        }
    }
}

/// `n` evenly spaced exact decimals from `from` to `to` inclusive.
fn range(from: Decimal, to: Decimal, n: u32) -> Result<Vec<String>, crate::exact::Overflow> {
    let step = to.minus(from)?.over(Decimal::from(n - 1))?;
    (0..n)
        .map(|j| {
            let v = if j == n - 1 {
                to
            } else {
                from.plus(step.times(Decimal::from(j))?)?
            };
            Ok(v.normalize().to_string())
        })
        .collect()
}

/// The grid of a sweep: one or two axes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    /// A grid of one axis (rows) or two (rows, then columns).
    pub fn new(axes: Vec<Axis>) -> Result<Grid, SweepError> {
        match axes.len() {
            1 | 2 => Ok(Grid { axes }),
            0 => Err(SweepError::NoAxis),
            count => Err(SweepError::TooManyAxes { count }),
        }
    }

    pub fn rows(&self) -> usize {
        self.axes[0].values.len()
    }

    pub fn columns(&self) -> usize {
        self.axes.get(1).map_or(1, |a| a.values.len())
    }

    pub fn len(&self) -> usize {
        self.rows() * self.columns()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Axis values of point `i` (row value, then column value).
    pub fn point(&self, i: usize) -> Vec<&str> {
        let (row, col) = (i / self.columns(), i % self.columns());
        let mut out = vec![self.axes[0].values[row].as_str()];
        if let Some(cols) = self.axes.get(1) {
            out.push(cols.values[col].as_str());
        }
        out
    }

    /// The overrides for point `i`: the fixed ones, then the axis values.
    pub fn overrides(&self, fixed: &[Override], i: usize) -> Vec<Override> {
        let mut out = fixed.to_vec();
        for (axis, value) in self.axes.iter().zip(self.point(i)) {
            out.push(Override {
                key: axis.key.clone(),
                value: value.to_string(),
            });
        }
        out
    }

    /// Refuses a grid that sets one key twice: both axes, or an axis and a
    /// `fixed` override. Keys compare as the override resolver reads them
    /// against the scenario `source` with the fixed overrides: `site.0.x`,
    /// `site[0].x` and `site[North].x`, North being site 0, are one key
    /// (names compare as written if the scenario does not read).
    pub fn check_keys(&self, source: &str, fixed: &[Override]) -> Result<(), SweepError> {
        let scenario = parse_with_overrides(source, fixed).ok();
        let scenario = scenario.as_ref();
        let resolved: Vec<String> = self
            .axes
            .iter()
            .map(|a| resolved_key(&a.key, scenario))
            .collect();
        if let [first, second] = &self.axes[..]
            && resolved[0] == resolved[1]
        {
            return Err(SweepError::SameKey {
                first: first.key.clone(),
                second: second.key.clone(),
            });
        }
        for set in fixed {
            let key = resolved_key(&set.key, scenario);
            if let Some(axis) = self.axes.iter().zip(&resolved).find(|(_, r)| **r == key) {
                return Err(SweepError::SetAndVary {
                    set: set.key.clone(),
                    vary: axis.0.key.clone(),
                });
            }
        }
        Ok(())
    }

    /// The error of an axis key that names nothing (`bitcoin.price_us`, a
    /// site that does not exist), which every point would repeat: point 0
    /// is read (not computed) with its overrides, and an error that points
    /// at an axis's key is returned, as `run --set` would report it with
    /// [`Grid::overrides`]`(fixed, 0)`. Anything else (an error in point
    /// 0's values) is left to the grid, where it is that point's own.
    pub fn check_axis_keys(&self, source: &str, fixed: &[Override]) -> Result<(), Error> {
        let overrides = self.overrides(fixed, 0);
        let Err(diagnostic) = parse_with_overrides(source, &overrides) else {
            return Ok(());
        };
        let spans = layout(source.len(), &overrides);
        let at_axis_key = diagnostic.span.as_ref().is_some_and(|span| {
            spans[fixed.len()..]
                .iter()
                .any(|(key, _)| key.start <= span.start && span.end <= key.end)
        });
        if at_axis_key {
            Err(Error::Input(diagnostic))
        } else {
            Ok(())
        }
    }
}

/// `key` as the override resolver reads it against `scenario`: a site (or
/// fleet row) selected by index, by name, or by the `.0` / `.North`
/// shorthand is written `[index]`. A selector that matches nothing (or any
/// name, without a scenario) stays as written (`[Nowhere]`); text that is
/// not a key path is returned as is.
fn resolved_key(key: &str, scenario: Option<&Scenario>) -> String {
    let Some(path) = segments(key) else {
        return key.to_string();
    };
    let mut out = String::new();
    let mut site: Option<&Site> = None;
    let mut steps = path.into_iter();
    while let Some(step) = steps.next() {
        let Segment::Key(word) = step else {
            // `[…]` after a key that is not an array: as written.
            out.push_str(&match step {
                Segment::Index(i) => format!("[{i}]"),
                Segment::Name(n) | Segment::Key(n) => format!("[{n}]"),
            });
            continue;
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&word);
        // `site` (at the top) and a site's `fleet` are arrays of tables:
        // the next step selects one, by index or by name.
        let names: Option<Vec<&str>> = match word.as_str() {
            "site" if out == "site" => Some(
                scenario
                    .map(|s| s.sites.iter().map(|s| s.name.as_str()).collect())
                    .unwrap_or_default(),
            ),
            "fleet" => match site.and_then(|s| s.mining.as_ref()).map(|m| &m.fleet) {
                Some(Fleet::Rows(rows)) => Some(rows.iter().map(|r| r.model.as_str()).collect()),
                _ => Some(Vec::new()),
            },
            _ => None,
        };
        let Some(names) = names else { continue };
        let Some(pick) = steps.next() else { break };
        let pick = match pick {
            Segment::Key(word) => selector(&word),
            other => other,
        };
        let index = match &pick {
            Segment::Index(i) => Some(*i),
            Segment::Name(n) | Segment::Key(n) => names.iter().position(|m| m == n),
        };
        if word == "site" {
            site = index.and_then(|i| scenario?.sites.get(i));
        }
        out.push_str(&match (index, pick) {
            (Some(i), _) => format!("[{i}]"),
            (None, Segment::Name(n) | Segment::Key(n)) => format!("[{n}]"),
            (None, Segment::Index(i)) => format!("[{i}]"),
        });
    }
    out
}

/// `--shard K/N`: the points `i` with `i mod N = K − 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    /// Parses `K/N`.
    pub fn parse(text: &str) -> Result<Shard, SweepError> {
        let bad = || SweepError::Shard {
            text: text.to_string(),
        };
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    pub fn includes(&self, i: usize) -> bool {
        i % self.n == self.k - 1
    }
}

impl Default for Shard {
    fn default() -> Shard {
        Shard { k: 1, n: 1 }
    }
}

/// One site at one grid point: the figures a sweep reports.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteFigures {
    pub site: String,
    pub mine_npv_usd: Option<Decimal>,
    pub ai_npv_usd: Option<Decimal>,
    pub mine_irr: Option<Decimal>,
    pub ai_irr: Option<Decimal>,
    pub mine_payback_months: Option<u32>,
    pub ai_payback_months: Option<u32>,
    pub winner: Option<Winner>,
    pub npv_advantage_usd: Option<Decimal>,
}

impl SiteFigures {
    pub fn of(site: &SiteSummary) -> SiteFigures {
        let mine = site.mine.as_ref().map(|m| &m.outcome);
        let ai = site.ai.as_ref().map(|a| &a.outcome);
        SiteFigures {
            site: site.name.clone(),
            mine_npv_usd: mine.map(|o| o.npv_usd),
            ai_npv_usd: ai.map(|o| o.npv_usd),
            mine_irr: mine.and_then(|o| o.irr),
            ai_irr: ai.and_then(|o| o.irr),
            mine_payback_months: mine.and_then(|o| o.payback_months),
            ai_payback_months: ai.and_then(|o| o.payback_months),
            winner: site.comparison.as_ref().map(|c| c.winner),
            npv_advantage_usd: site.comparison.as_ref().map(|c| c.npv_advantage_usd),
        }
    }

    /// Mining's NPV minus AI's: positive where mining wins.
    pub fn signed_advantage(&self) -> Option<Decimal> {
        self.mine_npv_usd?.checked_sub(self.ai_npv_usd?)
    }
}

/// The outcome of one grid point: every site's figures, or why the point
/// could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    pub point: usize,
    pub values: Vec<String>,
    pub outcome: Result<Vec<SiteFigures>, Error>,
}

impl PointResult {
    pub fn new(grid: &Grid, point: usize, summary: Result<Summary, Error>) -> PointResult {
        PointResult::of_figures(grid, point, summary.map(|s| figures_of(&s)))
    }

    /// The result of point `point`, given its sites' figures.
    pub fn of_figures(
        grid: &Grid,
        point: usize,
        figures: Result<Vec<SiteFigures>, Error>,
    ) -> PointResult {
        PointResult {
            point,
            values: grid.point(point).into_iter().map(str::to_string).collect(),
            outcome: figures,
        }
    }
}

/// Each site's figures of a summary.
fn figures_of(summary: &Summary) -> Vec<SiteFigures> {
    summary.sites.iter().map(SiteFigures::of).collect()
}

/// Points evaluated at once (in parallel) before they are handed on:
/// enough to keep every core busy, few enough that a 300 × 100 grid
/// streams in flat memory.
pub const CHUNK_POINTS: usize = 256;

/// What a grid evaluation did, besides handing on its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridRun {
    /// Points in the shard.
    pub points: usize,
    /// Points that could not be computed (their `outcome` is an error).
    pub failures: usize,
}

/// Evaluates every point of `grid` in `shard` over the scenario `source`,
/// with the `fixed` overrides before each point's axis values, and hands
/// each point's result to `each` in point order.
///
/// The scenario is read and checked once, and each point set from it
/// where its axis values allow (see [`PointReader`]; any other point is
/// read from the text, exactly as `run --set` reads it). Points are
/// evaluated [`CHUNK_POINTS`] at a time on every core; they share network
/// projections by the grid's structure (see
/// [`projection_cache`]): whichever axis order, each projection the grid
/// reuses is computed once. `each` can stop the run by returning an error
/// (a write that failed), which is returned as is.
pub fn evaluate_grid<E>(
    source: &str,
    fixed: &[Override],
    grid: &Grid,
    shard: Shard,
    each: impl FnMut(PointResult) -> Result<(), E>,
) -> Result<GridRun, E> {
    let cache = projection_cache(source, fixed, grid);
    evaluate_grid_with(source, fixed, grid, shard, &cache, each)
}

/// As [`evaluate_grid`], sharing projections through `cache`.
fn evaluate_grid_with<E>(
    source: &str,
    fixed: &[Override],
    grid: &Grid,
    shard: Shard,
    cache: &Cache,
    mut each: impl FnMut(PointResult) -> Result<(), E>,
) -> Result<GridRun, E> {
    let points: Vec<usize> = (0..grid.len()).filter(|&i| shard.includes(i)).collect();
    let reader = PointReader::new(source, fixed, grid);
    let evaluate = |&i: &usize| {
        let figures = reader.figures(source, fixed, grid, i, cache);
        PointResult::of_figures(grid, i, figures)
    };
    let mut failures = 0;
    for chunk in points.chunks(CHUNK_POINTS) {
        for result in parallel_map(chunk, evaluate) {
            if result.outcome.is_err() {
                failures += 1;
            }
            each(result)?;
        }
    }
    Ok(GridRun {
        points: points.len(),
        failures,
    })
}

/// Parse once: a grid's points read against its scenario, checked once.
///
/// The scenario with the fixed overrides is read and checked once, and
/// each axis value once against it (a [`Patch`]). A point whose axis
/// values all read as patches, and pass the rules their keys take part
/// in, is that scenario with the patches applied; any other point (a key
/// a patch does not read, a value that breaks a rule) is read from the
/// text with all its overrides, as `run --set` reads it, so its error is
/// worded exactly as there.
pub struct PointReader {
    /// The scenario with the fixed overrides, if it reads.
    base: Option<Scenario>,
    /// Per axis, per value: its patch, if it reads as one.
    patches: Vec<Vec<Option<Patch>>>,
    columns: usize,
}

impl PointReader {
    pub fn new(source: &str, fixed: &[Override], grid: &Grid) -> PointReader {
        let base = parse_with_overrides(source, fixed).ok();
        let patches = grid
            .axes
            .iter()
            .map(|axis| {
                axis.values
                    .iter()
                    .map(|value| {
                        let o = Override {
                            key: axis.key.clone(),
                            value: value.clone(),
                        };
                        Patch::of(base.as_ref()?, &o)
                    })
                    .collect()
            })
            .collect();
        PointReader {
            base,
            patches,
            columns: grid.columns(),
        }
    }

    /// Point `i`'s checked scenario from the patches, or `None` when it
    /// must be read from the text ([`parse_with_overrides`] with
    /// [`Grid::overrides`]).
    pub fn scenario(&self, i: usize) -> Option<Scenario> {
        let base = self.base.as_ref()?;
        let at = [i / self.columns, i % self.columns];
        let patches = self
            .patches
            .iter()
            .zip(at)
            .map(|(values, j)| values.get(j)?.as_ref())
            .collect::<Option<Vec<&Patch>>>()?;
        Patch::apply_all(base, &patches)
    }

    /// Point `i` of `grid` evaluated: exactly
    /// [`evaluate_cached`]`(source, &grid.overrides(fixed, i), cache)`.
    pub fn evaluate(
        &self,
        source: &str,
        fixed: &[Override],
        grid: &Grid,
        i: usize,
        cache: Option<&Cache>,
    ) -> Result<Summary, Error> {
        summarize_point(self.scenario(i), source, fixed, grid, i, cache)
    }

    /// Each site's figures at point `i`: those of
    /// [`evaluate`](Self::evaluate), the summary's. A point set from the
    /// patches is first tried without the rest of its summary
    /// ([`sweep_figures`]: the same figures, and failing only where the
    /// summary fails), which a format-2 point mostly is.
    pub fn figures(
        &self,
        source: &str,
        fixed: &[Override],
        grid: &Grid,
        i: usize,
        cache: &Cache,
    ) -> Result<Vec<SiteFigures>, Error> {
        let scenario = self.scenario(i);
        if let Some(figures) = scenario.as_ref().and_then(|s| sweep_figures(s, cache)) {
            return Ok(figures);
        }
        summarize_point(scenario, source, fixed, grid, i, Some(cache)).map(|s| figures_of(&s))
    }
}

/// Point `i`'s summary: of `scenario`, the point set from the patches,
/// or else read from the text with its overrides.
fn summarize_point(
    scenario: Option<Scenario>,
    source: &str,
    fixed: &[Override],
    grid: &Grid,
    i: usize,
    cache: Option<&Cache>,
) -> Result<Summary, Error> {
    let overrides = grid.overrides(fixed, i);
    match scenario {
        Some(scenario) => summarize_loaded(&scenario, &overrides, cache),
        None => evaluate_cached(source, &overrides, cache),
    }
}

/// Memory the projections a sweep keeps may take: 64 MiB, about 700
/// projections of 600 months (or 3,500 of 120).
pub const PROJECTION_BUDGET_BYTES: usize = 64 << 20;

/// How a grid's axes move the network projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Structure {
    /// The row (first) axis changes the projection.
    rows: bool,
    /// The column (second) axis changes the projection.
    columns: bool,
    /// The longest horizon seen, in months (a projection's size).
    months: u32,
    /// The most sites seen.
    sites: usize,
}

/// Reads how each axis moves the projection: a few of its values are
/// read (not computed), with the other axis at its first value. An axis
/// whose values give two different [`SharedKey`]s changes it; one whose
/// first eight readable values agree is taken not to (a guess that only
/// ever costs speed: the cache is keyed by the whole projection key).
fn structure(source: &str, fixed: &[Override], grid: &Grid) -> Structure {
    const AGREEING: usize = 8;
    let mut months = 0;
    let mut sites = 0;
    let mut moves = |axis: usize| {
        let count = grid.axes[axis].values.len();
        let mut first: Option<SharedKey> = None;
        let mut agreeing = 0;
        for j in 0..count {
            let point = if axis == 0 { j * grid.columns() } else { j };
            let Ok(scenario) = parse_with_overrides(source, &grid.overrides(fixed, point)) else {
                continue;
            };
            let key = SharedKey::of(&scenario);
            months = months.max(key.months());
            sites = sites.max(scenario.sites.len());
            match &first {
                None => first = Some(key),
                Some(k) if *k != key => return true,
                Some(_) => {}
            }
            agreeing += 1;
            if agreeing >= AGREEING {
                break;
            }
        }
        false
    };
    let rows = moves(0);
    let columns = grid.axes.len() > 1 && moves(1);
    Structure {
        rows,
        columns,
        months,
        sites,
    }
}

/// A projection cache sized to what `grid` reuses, so the axis order does
/// not matter:
/// - neither axis moves the projection (a site key, the month-0 price):
///   one projection serves every point;
/// - only the rows move it: a row's points share one, computed once (the
///   rows of one chunk of points stay resident);
/// - only the columns move it: every column's projection stays resident
///   (capacity = columns), each computed once for the whole grid, within
///   [`PROJECTION_BUDGET_BYTES`];
/// - both move it: no point shares one, and nothing is kept.
///
/// Each projection also keeps the price-free figures of its sites, so
/// points that differ only in the month-0 price share them (every
/// column's when the columns vary a site key), within the same budget.
pub fn projection_cache(source: &str, fixed: &[Override], grid: &Grid) -> Cache {
    let s = structure(source, fixed, grid);
    let per_projection = (s.months as usize).max(1) * PROJECTION_BYTES_PER_MONTH + 1024;
    let affordable = (PROJECTION_BUDGET_BYTES / per_projection).max(1);
    let capacity = match (s.rows, s.columns) {
        (true, true) => 0,
        (true, false) if grid.columns() == 1 => 0,
        // Every row a chunk spans, and the one it continues from the chunk
        // before: a chunk's points are all evaluated before the next
        // chunk's, so no row's projection is forgotten while a worker may
        // still need it (the oldest is the one forgotten).
        (true, false) => CHUNK_POINTS.div_ceil(grid.columns()) + 2,
        (false, false) => 1,
        (false, true) => grid.columns(),
    };
    // Each projection also keeps its sites' price-free figures: every
    // column's, when the columns vary a site key at each row's price.
    let per_template = (s.months as usize).max(1) * 2 * std::mem::size_of::<MonthRow>() + 1024;
    let templates = match (s.rows, s.columns) {
        (false, false) => s.sites.max(1) * grid.columns(),
        _ => s.sites.max(1),
    };
    let templates = templates.min((PROJECTION_BUDGET_BYTES / per_template).max(1));
    Cache::with_capacities(capacity.min(affordable), templates)
}

/// Where along an axis the winner flips, from the signed NPV advantage
/// (mine − ai) at each point: linear interpolation between the two points
/// around each sign change; a point where the advantage is exactly 0 is
/// itself a flip (unless it is an end point with no change beyond).
pub fn flips(xs: &[Decimal], advantage: &[Option<Decimal>]) -> Vec<Decimal> {
    let mut out = Vec::new();
    for j in 0..xs.len().saturating_sub(1) {
        let (Some(a), Some(b)) = (advantage[j], advantage[j + 1]) else {
            continue;
        };
        if a.is_zero() {
            if j > 0
                && advantage[j - 1].is_some_and(|p| {
                    p.is_sign_negative() != b.is_sign_negative() && !p.is_zero() && !b.is_zero()
                })
            {
                out.push(xs[j]);
            }
            continue;
        }
        if b.is_zero() || a.is_sign_negative() == b.is_sign_negative() {
            continue;
        }
        // x = x_j + (x_{j+1} − x_j) · a / (a − b)
        let x = xs[j + 1]
            .minus(xs[j])
            .and_then(|dx| dx.times(a))
            .and_then(|t| t.over(a.minus(b)?))
            .and_then(|t| t.plus(xs[j]));
        if let Ok(x) = x {
            out.push(x);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ranges_are_exact_decimals() {
        let a = Axis::parse("bitcoin.price_usd=40000..200000:9").unwrap();
        assert_eq!(a.key, "bitcoin.price_usd");
        assert_eq!(
            a.values,
            [
                "40000", "60000", "80000", "100000", "120000", "140000", "160000", "180000",
                "200000"
            ]
        );
        // 0 .. 1 in 4 points: thirds, to 28 places, and the end exactly.
        let a = Axis::parse("x=0..1:4").unwrap();
        assert_eq!(
            a.values,
            [
                "0",
                "0.3333333333333333333333333333",
                "0.6666666666666666666666666666",
                "1"
            ]
        );
        let a = Axis::parse("site[0].ai.kind=colocation,gpu_cloud").unwrap();
        assert_eq!(a.values, ["colocation", "gpu_cloud"]);
        assert!(Axis::parse("x=1..2").is_err());
        assert!(Axis::parse("x=1..2:1").is_err());
        assert!(Axis::parse("x=a..2:3").is_err());
        assert!(Axis::parse("=1,2").is_err());
        assert!(Axis::parse("x=1,,2").is_err());
    }

    #[test]
    fn refusals_name_the_rule() {
        let cases = [
            ("x", "--vary takes KEY=FROM..TO:N or KEY=V1,V2,…, got \"x\""),
            (
                "x=1..2",
                "--vary x: a range needs a point count, as in FROM..TO:N",
            ),
            ("x=a..2:3", "--vary x: \"a\" is not a decimal number"),
            (
                "x=1..2:1",
                "--vary x: N must be a whole number ≥ 2, got \"1\"",
            ),
            ("x=1,,2", "--vary x: empty value in \"1,,2\""),
        ];
        for (arg, message) in cases {
            assert_eq!(Axis::parse(arg).unwrap_err().to_string(), message, "{arg}");
        }
        assert_eq!(
            Grid::new(vec![]).unwrap_err().to_string(),
            "a sweep needs --vary KEY=… (one or two of them)"
        );
        let a = Axis::parse("a=1,2").unwrap();
        assert_eq!(
            Grid::new(vec![a.clone(), a.clone(), a]).unwrap_err(),
            SweepError::TooManyAxes { count: 3 }
        );
        assert_eq!(
            Shard::parse("4/3").unwrap_err().to_string(),
            "--shard takes K/N with 1 ≤ K ≤ N, got \"4/3\""
        );
    }

    /// Two sites' worth of scenario, small enough to follow by hand.
    const SCENARIO: &str = r#"
format = 1
name = "grid"
start = "2026-01"
months = 12

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
fees_btc_per_block = 0.05
block_height = 900000

[[site]]
name = "North"
grid_mw = 30
power_price_usd_per_mwh = 40

[site.ai]
kind = "colocation"
it_mw = 20
lease_usd_per_kw_month = 150
"#;

    #[test]
    fn a_grid_evaluates_every_point_of_its_shard_in_order() {
        // Lease 100, 150, 200 $/kW-month × IT load 10, 20 MW; a rate of
        // -1 breaks a rule at points 6 and 7 (row 3).
        let grid = Grid::new(vec![
            Axis::parse("site[0].ai.lease_usd_per_kw_month=100,150,200,-1").unwrap(),
            Axis::parse("site[0].ai.it_mw=10,20").unwrap(),
        ])
        .unwrap();
        let mut seen = Vec::new();
        let run = evaluate_grid(SCENARIO, &[], &grid, Shard::default(), |r| {
            seen.push(r);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(
            run,
            GridRun {
                points: 8,
                failures: 2
            }
        );
        let order: Vec<usize> = seen.iter().map(|r| r.point).collect();
        assert_eq!(order, [0, 1, 2, 3, 4, 5, 6, 7]);
        // Point 3 = row 1, column 1, exactly what `run --set` computes.
        assert_eq!(seen[3].values, ["150", "20"]);
        let alone = crate::evaluate_with(SCENARIO, &grid.overrides(&[], 3)).unwrap();
        let figures = seen[3].outcome.as_ref().unwrap();
        assert_eq!(figures, &[SiteFigures::of(&alone.sites[0])]);
        assert!(seen[6].outcome.is_err() && seen[7].outcome.is_err());

        // Shard 2/3 takes points 1, 4, 7; a failed sink stops the run.
        let mut taken = Vec::new();
        let shard = Shard::parse("2/3").unwrap();
        evaluate_grid(SCENARIO, &[], &grid, shard, |r| {
            taken.push(r.point);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(taken, [1, 4, 7]);
        let stopped = evaluate_grid(SCENARIO, &[], &grid, Shard::default(), |r| {
            if r.point == 2 { Err(r.point) } else { Ok(()) }
        });
        assert_eq!(stopped, Err(2));
    }

    /// Projections computed by a sweep of `axes` over [`SCENARIO`].
    fn projections(axes: &[&str]) -> usize {
        let grid = Grid::new(axes.iter().map(|a| Axis::parse(a).unwrap()).collect()).unwrap();
        let cache = projection_cache(SCENARIO, &[], &grid);
        let mut results = Vec::new();
        evaluate_grid_with(SCENARIO, &[], &grid, Shard::default(), &cache, |r| {
            results.push(r);
            Ok::<(), ()>(())
        })
        .unwrap();
        // The same figures as each point alone.
        for r in &results {
            let alone = crate::evaluate_with(SCENARIO, &grid.overrides(&[], r.point));
            assert_eq!(r, &PointResult::new(&grid, r.point, alone));
        }
        cache.projections_computed()
    }

    #[test]
    fn each_projection_is_computed_once_in_either_axis_order() {
        // 300 points (more than a chunk), 20 hashrate growths: 20
        // projections whichever axis comes first.
        let growth = "bitcoin.hashrate_growth_annual=0..0.95:20";
        let price = "bitcoin.price_usd=40000..200000:15";
        assert_eq!(projections(&[growth, price]), 20);
        assert_eq!(projections(&[price, growth]), 20);
        // A site key and the price: one projection for the whole grid.
        let lease = "site[0].ai.lease_usd_per_kw_month=100..200:20";
        assert_eq!(projections(&[lease, price]), 1);
        assert_eq!(projections(&[price, lease]), 1);
        assert_eq!(projections(&[lease]), 1);
        // Both axes move the projection: one per point, nothing to share.
        let rate = "discount_rate=0..0.2:3";
        assert_eq!(projections(&[growth, rate]), 60);
        // An invalid value (a negative rate below -1 is refused) computes
        // nothing; the other points still share.
        let bad = "bitcoin.hashrate_growth_annual=-2,0.1,0.2";
        assert_eq!(projections(&[price, bad]), 2);
    }

    #[test]
    fn axis_values_are_typed_as_set_reads_them() {
        use AxisValue::*;
        let cases = [
            (
                "0.3333333333333333333333333333",
                Number(d("0.3333333333333333333333333333")),
            ),
            ("40000", Number(d("40000"))),
            ("1_000", Number(d("1000"))),
            ("0x10", Number(d("16"))),
            ("1e3", Number(d("1000"))),
            ("-2.50", Number(d("-2.50"))),
            ("true", Bool(true)),
            ("false", Bool(false)),
            ("2026-01", Text("2026-01".into())),
            ("colocation", Text("colocation".into())),
            ("\"2027-01\"", Text("2027-01".into())),
            ("inf", Text("inf".into())),
        ];
        for (text, want) in cases {
            assert_eq!(AxisValue::of(text), want, "{text}");
        }
        assert_eq!(
            Axis::parse("x=1_000,2e3").unwrap().numbers(),
            Some(vec![d("1000"), d("2000")])
        );
        assert_eq!(Axis::parse("x=1,true").unwrap().numbers(), None);
    }

    #[test]
    fn a_key_set_twice_is_refused_as_the_resolver_reads_it() {
        let grid = |a: &str, b: &str| {
            Grid::new(vec![Axis::parse(a).unwrap(), Axis::parse(b).unwrap()]).unwrap()
        };
        // site[0], site.0 and site[North] are one site.
        for (a, b) in [
            ("site[0].ai.it_mw=1,2", "site.0.ai.it_mw=3,4"),
            ("site[North].ai.it_mw=1,2", "site[0].ai.it_mw=3,4"),
            ("site.North.ai.it_mw=1,2", "site[0].ai.it_mw=3,4"),
            ("bitcoin.price_usd=1,2", "bitcoin.price_usd=3,4"),
        ] {
            assert_eq!(
                grid(a, b).check_keys(SCENARIO, &[]),
                Err(SweepError::SameKey {
                    first: a.split_once('=').unwrap().0.into(),
                    second: b.split_once('=').unwrap().0.into(),
                }),
                "{a} {b}"
            );
        }
        let g = grid("bitcoin.price_usd=1,2", "site[0].ai.it_mw=3,4");
        assert_eq!(g.check_keys(SCENARIO, &[]), Ok(()));
        let set = Override::parse("site.North.ai.it_mw=5").unwrap();
        assert_eq!(
            g.check_keys(SCENARIO, &[set]),
            Err(SweepError::SetAndVary {
                set: "site.North.ai.it_mw".into(),
                vary: "site[0].ai.it_mw".into()
            })
        );
        let other = Override::parse("site[0].ai.pue=1.2").unwrap();
        assert_eq!(g.check_keys(SCENARIO, &[other]), Ok(()));
        assert_eq!(
            SweepError::SameKey {
                first: "a".into(),
                second: "a".into()
            }
            .to_string(),
            "both --vary axes vary a: vary a key once"
        );
    }

    #[test]
    fn a_key_that_names_nothing_is_one_error() {
        let grid = |axes: &[&str]| {
            Grid::new(axes.iter().map(|a| Axis::parse(a).unwrap()).collect()).unwrap()
        };
        // The same did-you-mean as `run --set bitcoin.price_us=1`.
        let bad = grid(&["bitcoin.price_usd=1,2", "bitcoin.price_us=1,2"]);
        let set = crate::evaluate_with(SCENARIO, &bad.overrides(&[], 0)).unwrap_err();
        let err = bad.check_axis_keys(SCENARIO, &[]).unwrap_err();
        assert_eq!(err, set);
        assert!(err.to_string().contains("did you mean price_usd?"), "{err}");
        // A site that does not exist, after a fixed override.
        let fixed = [Override::parse("discount_rate=0.1").unwrap()];
        let err = grid(&["site[3].ai.it_mw=1,2"])
            .check_axis_keys(SCENARIO, &fixed)
            .unwrap_err();
        assert!(err.to_string().contains("site[3] does not exist"), "{err}");
        // A bad value at point 0 is that point's own error, not the grid's.
        assert_eq!(
            grid(&["bitcoin.price_usd=-1,2"]).check_axis_keys(SCENARIO, &[]),
            Ok(())
        );
        assert_eq!(
            grid(&["site[0].ai.it_mw=10,20"]).check_axis_keys(SCENARIO, &[]),
            Ok(())
        );
    }

    #[test]
    fn points_are_numbered_row_major() {
        let grid = Grid::new(vec![
            Axis::parse("a=1,2,3").unwrap(),
            Axis::parse("b=10,20").unwrap(),
        ])
        .unwrap();
        assert_eq!(grid.len(), 6);
        // point = row · ncols + col: 3 = row 1, column 1
        assert_eq!(grid.point(3), ["2", "20"]);
        let o = grid.overrides(&[Override::parse("c=5").unwrap()], 4);
        assert_eq!(
            o.iter().map(|o| o.line()).collect::<Vec<_>>(),
            ["--set c=5", "--set a=3", "--set b=10"]
        );
    }

    #[test]
    fn shards_partition_the_points() {
        let s = Shard::parse("2/3").unwrap();
        let mine: Vec<usize> = (0..10).filter(|&i| s.includes(i)).collect();
        assert_eq!(mine, [1, 4, 7]);
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flip_interpolation_by_hand() {
        // Advantage (mine − ai) at prices 40k, 60k, 80k: −300, −100, +100.
        // Sign changes between 60k and 80k: 60,000 + 20,000 · (−100) /
        // (−100 − 100) = 60,000 + 10,000 = 70,000.
        let xs = [d("40000"), d("60000"), d("80000")];
        let adv = [Some(d("-300")), Some(d("-100")), Some(d("100"))];
        assert_eq!(flips(&xs, &adv), [d("70000")]);
        // −1 at 0 and +3 at 1: flips at 0.25.
        assert_eq!(
            flips(&[d("0"), d("1")], &[Some(d("-1")), Some(d("3"))]),
            [d("0.25")]
        );
        // No change of sign: none in range.
        assert!(flips(&xs, &[Some(d("1")), Some(d("2")), Some(d("3"))]).is_empty());
        // A missing point breaks the chain.
        assert!(flips(&xs, &[Some(d("-1")), None, Some(d("1"))]).is_empty());
        // Exactly 0 between opposite signs: the flip is that point.
        assert_eq!(
            flips(&xs, &[Some(d("-5")), Some(d("0")), Some(d("5"))]),
            [d("60000")]
        );
    }
}
