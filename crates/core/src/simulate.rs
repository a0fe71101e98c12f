//! Uncertainty (docs/model.md, "Uncertainty: `simulate`"): many futures
//! drawn around a format-2 scenario's stated paths, and the distribution
//! of each strategy's NPV over them.
//!
//! Why the generator is written out here rather than taken from a crate:
//! every draw of path `k` must depend only on the seed and `k` (so that
//! one thread, two threads or a hundred shards give the same bytes), and
//! an independent implementation must be able to reproduce every draw
//! from the documentation alone. A counter-based generator of a few lines
//! (`hashpivot-sm64-v1`: SplitMix64's mixing function over (seed, path,
//! stream, index)) does both; binary floats appear only in the draws, as
//! docs/model.md allows, and each factor enters the money path as a
//! decimal of 15 significant digits.

use crate::exact::{Checked, Overflow, nth_root};
use crate::parallel::parallel_map_on;
use crate::scenario::{AiKind, Risk, Scenario};
use crate::strategy::ai::go_live;
use crate::summary::{ComputeError, PathBase, PathCash, PathNpv, Shocks};
use rust_decimal::Decimal;

/// The generator's name and version, printed with every result.
pub const GENERATOR: &str = "hashpivot-sm64-v1";

const G: u64 = 0x9E37_79B9_7F4A_7C15;
const M1: u64 = 0xBF58_476D_1CE4_E5B9;
const M2: u64 = 0x94D0_49BB_1331_11EB;

/// SplitMix64's output function of `x + G`.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(G);
    z = (z ^ (z >> 30)).wrapping_mul(M1);
    z = (z ^ (z >> 27)).wrapping_mul(M2);
    z ^ (z >> 31)
}

/// `mix(mix(mix(mix(seed) ^ k) ^ stream) ^ n)`.
pub fn word(seed: u64, path: u64, stream: u64, n: u64) -> u64 {
    mix(mix(mix(mix(seed) ^ path) ^ stream) ^ n)
}

/// `((w >> 11) + 0.5) / 2^53`: in (0, 1], never 0 (the largest word
/// rounds to 1.0), so its logarithm exists.
pub fn uniform(w: u64) -> f64 {
    ((w >> 11) as f64 + 0.5) / 9_007_199_254_740_992.0
}

/// The standard normal of `stream` in month `i` of path `k` (Box–Muller's
/// first, from the uniforms of indices `2i` and `2i + 1`).
pub fn normal(seed: u64, path: u64, stream: u64, i: u64) -> f64 {
    let u1 = uniform(word(seed, path, stream, 2 * i));
    let u2 = uniform(word(seed, path, stream, 2 * i + 1));
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A binary64 as a decimal of 15 significant digits, half-even.
pub fn decimal_15(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    Decimal::from_scientific(&format!("{x:.14e}")).ok()
}

/// What a run of `simulate` uses: `[risk]` with `--paths`/`--seed` applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub risk: Risk,
    pub paths: u64,
    pub seed: u64,
}

impl Settings {
    /// The file's `[risk]` (its defaults for a table it leaves out), with
    /// the command line's paths and seed where given.
    pub fn of(scenario: &Scenario, paths: Option<u64>, seed: Option<u64>) -> Settings {
        let risk = scenario
            .format2
            .as_ref()
            .map(|f| f.risk.clone())
            .unwrap_or_default();
        Settings {
            paths: paths.unwrap_or(risk.paths),
            seed: seed.unwrap_or(risk.seed),
            risk,
        }
    }
}

/// A strategy's NPV and payback on one path.
type Outcome = (Decimal, Option<u32>);

/// One path's figures: each site's NPVs and paybacks, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRecord {
    pub path: u64,
    pub sites: Vec<PathNpv>,
}

/// Why a scenario cannot be simulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimulateError {
    /// `simulate` needs scenario format 2.
    Format1 { scenario: String },
    /// The arithmetic left the decimal range on a path.
    Overflow(ComputeError),
}

impl std::fmt::Display for SimulateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimulateError::Format1 { scenario } => write!(
                f,
                "scenario \"{scenario}\" is format 1: simulate needs format = 2 (its [risk] table and the format-2 model: shutdown, terminal values, a later start)"
            ),
            SimulateError::Overflow(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SimulateError {}

impl From<ComputeError> for SimulateError {
    fn from(e: ComputeError) -> SimulateError {
        SimulateError::Overflow(e)
    }
}

/// The cumulative factors `S_0 = 1, S_i = S_{i−1} · e_i` of a monthly
/// volatility `sigma` (annual) over the normals `z(i)`, `i ≥ 1`.
fn cumulative(months: usize, sigma: f64, z: impl Fn(u64) -> f64) -> Result<Vec<Decimal>, Overflow> {
    let mut out = Vec::with_capacity(months);
    let mut s = Decimal::ONE;
    out.push(s);
    for i in 1..months {
        if sigma != 0.0 {
            // e_i = exp(σ/√12 · Z − σ²/24).
            let e = (sigma / 12f64.sqrt() * z(i as u64) - sigma * sigma / 24.0).exp();
            s = s.times(decimal_15(e).ok_or(Overflow)?)?;
        }
        out.push(s);
    }
    Ok(out)
}

/// One path's factors, owned: what [`Shocks`] borrows.
struct PathFactors {
    price: Vec<Decimal>,
    hashrate: Vec<Decimal>,
    gpu: Vec<Decimal>,
    lease_end: Vec<Option<usize>>,
}

impl PathFactors {
    /// The factors of path `k` (docs/model.md, "One path").
    fn of(scenario: &Scenario, settings: &Settings, k: u64) -> Result<PathFactors, ComputeError> {
        let n = scenario.months as usize;
        let seed = settings.seed;
        let r = &settings.risk;
        // The nearest binary64 to each input (through its text: correctly
        // rounded, as an independent implementation would read it).
        let f = |d: Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
        let (sp, sh, sg, rho) = (
            f(r.price_vol_annual),
            f(r.hashrate_vol_annual),
            f(r.gpu_hour_vol_annual),
            f(r.price_hashrate_corr),
        );
        let fail = |_: Overflow| ComputeError {
            scenario: scenario.name.clone(),
            during: format!("the factors of simulated path {k}"),
        };
        let z1 = |i| normal(seed, k, 0, i);
        let price = cumulative(n, sp, z1).map_err(fail)?;
        let hashrate = cumulative(n, sh, |i| {
            rho * z1(i) + (1.0 - rho * rho).max(0.0).sqrt() * normal(seed, k, 1, i)
        })
        .map_err(fail)?;
        let gpu = cumulative(n, sg, |i| normal(seed, k, 2, i)).map_err(fail)?;
        // Tenant default: the monthly chance π = 1 − (1 − q)^(1/12).
        let q = f(r.lease_default_annual);
        let pi = 1.0 - (1.0 - q).powf(1.0 / 12.0);
        let lease_end: Vec<Option<usize>> = scenario
            .sites
            .iter()
            .enumerate()
            .map(|(j, site)| {
                let a = site.ai.as_ref()?;
                if q == 0.0 || !matches!(a.kind, AiKind::Colocation { .. }) {
                    return None;
                }
                (go_live(a, n)?..n).find(|&i| uniform(word(seed, k, 3 + j as u64, i as u64)) < pi)
            })
            .collect();
        Ok(PathFactors {
            price,
            hashrate,
            gpu,
            lease_end,
        })
    }

    fn shocks(&self) -> Shocks<'_> {
        Shocks {
            price: &self.price,
            hashrate: &self.hashrate,
            gpu: &self.gpu,
            lease_end: &self.lease_end,
        }
    }
}

/// Path `k` of `scenario` (docs/model.md, "One path").
pub fn path(
    scenario: &Scenario,
    base: &PathBase,
    settings: &Settings,
    k: u64,
) -> Result<PathRecord, ComputeError> {
    let factors = PathFactors::of(scenario, settings, k)?;
    let sites = base.npvs(scenario, &factors.shocks())?;
    Ok(PathRecord { path: k, sites })
}

/// Path `k`'s cumulative cash of every site (file order) under each
/// strategy: the same path as [`path`]'s, month by month.
pub fn path_cash(
    scenario: &Scenario,
    base: &PathBase,
    settings: &Settings,
    k: u64,
) -> Result<Vec<PathCash>, ComputeError> {
    let factors = PathFactors::of(scenario, settings, k)?;
    base.cumulative_cash(scenario, &factors.shocks())
}

/// Paths `paths` of `scenario`, on every core, in path order.
pub fn paths(
    scenario: &Scenario,
    settings: &Settings,
    paths: std::ops::Range<u64>,
) -> Result<Vec<PathRecord>, SimulateError> {
    paths_on(None, scenario, settings, paths)
}

/// [`paths`] on `threads` threads (`None`: one a core); the records are
/// the same whatever the count.
pub fn paths_on(
    threads: Option<usize>,
    scenario: &Scenario,
    settings: &Settings,
    paths: std::ops::Range<u64>,
) -> Result<Vec<PathRecord>, SimulateError> {
    on_paths(threads, scenario, paths, |base, k| {
        path(scenario, base, settings, k)
    })
}

/// `each(base, k)` for every path `k` of `paths`, on `threads` threads
/// (`None`: one a core), in path order.
fn on_paths<T: Send>(
    threads: Option<usize>,
    scenario: &Scenario,
    paths: std::ops::Range<u64>,
    each: impl Fn(&PathBase, u64) -> Result<T, ComputeError> + Sync,
) -> Result<Vec<T>, SimulateError> {
    if scenario.format2.is_none() {
        return Err(SimulateError::Format1 {
            scenario: scenario.name.clone(),
        });
    }
    let base = PathBase::new(scenario)?;
    // Chunks of paths, so that a thread's work outweighs its hand-off.
    const CHUNK: u64 = 64;
    let chunks: Vec<std::ops::Range<u64>> = (paths.start..paths.end)
        .step_by(CHUNK as usize)
        .map(|a| a..(a + CHUNK).min(paths.end))
        .collect();
    let done = parallel_map_on(threads, &chunks, |range| {
        range
            .clone()
            .map(|k| each(&base, k))
            .collect::<Result<Vec<_>, _>>()
    });
    let mut out = Vec::with_capacity((paths.end - paths.start) as usize);
    for chunk in done {
        out.extend(chunk?);
    }
    Ok(out)
}

/// The most paths a fan is drawn from (the first ones: paths `0 …
/// min(paths, FAN_PATHS) − 1`).
pub const FAN_PATHS: u64 = 2000;

/// One strategy's fan (docs/model.md, "The report"): per month, the
/// nearest-rank percentiles of the undiscounted cumulative cash over the
/// fan's paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fan {
    pub p5: Vec<Decimal>,
    pub p25: Vec<Decimal>,
    pub p50: Vec<Decimal>,
    pub p75: Vec<Decimal>,
    pub p95: Vec<Decimal>,
}

/// A site's fans, under each strategy it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFan {
    pub mine: Option<Fan>,
    pub ai: Option<Fan>,
}

/// The fan of every site (file order) over the first `min(paths,
/// FAN_PATHS)` paths, computed on `threads` threads (`None`: one a
/// core); the same whatever the count.
pub fn fan(
    scenario: &Scenario,
    settings: &Settings,
    threads: Option<usize>,
) -> Result<Vec<SiteFan>, SimulateError> {
    let count = settings.paths.min(FAN_PATHS);
    let cash = on_paths(threads, scenario, 0..count, |base, k| {
        path_cash(scenario, base, settings, k)
    })?;
    Ok(fans_of(scenario, &cash))
}

/// Every path's record and the fans, as [`paths_on`] and [`fan`] give
/// them, with the first `FAN_PATHS` paths' cash flows computed once for
/// both.
pub fn paths_and_fan(
    threads: Option<usize>,
    scenario: &Scenario,
    settings: &Settings,
) -> Result<(Vec<PathRecord>, Vec<SiteFan>), SimulateError> {
    let both = on_paths(threads, scenario, 0..settings.paths, |base, k| {
        if k < FAN_PATHS {
            let factors = PathFactors::of(scenario, settings, k)?;
            let (sites, cash): (Vec<PathNpv>, Vec<PathCash>) = base
                .npvs_and_cash(scenario, &factors.shocks())?
                .into_iter()
                .unzip();
            Ok((PathRecord { path: k, sites }, Some(cash)))
        } else {
            Ok((path(scenario, base, settings, k)?, None))
        }
    })?;
    let mut records = Vec::with_capacity(both.len());
    let mut cash = Vec::with_capacity(both.len().min(FAN_PATHS as usize));
    for (record, path_cash) in both {
        records.push(record);
        cash.extend(path_cash);
    }
    Ok((records, fans_of(scenario, &cash)))
}

/// Each site's fans from the paths' cumulative cash (`cash[path][site]`).
fn fans_of(scenario: &Scenario, cash: &[Vec<PathCash>]) -> Vec<SiteFan> {
    let months = scenario.months as usize;
    // Per month, the percentiles of the paths' cumulative cash; `None`
    // when a path lacks the strategy (then every path does).
    let fan_of = |pick: &dyn Fn(&PathCash) -> Option<&Vec<Decimal>>, site: usize| -> Option<Fan> {
        let series: Vec<&Vec<Decimal>> = cash
            .iter()
            .map(|sites| sites.get(site).and_then(pick))
            .collect::<Option<Vec<_>>>()?;
        if series.is_empty() || series.iter().any(|c| c.len() != months) {
            return None;
        }
        let mut fan = Fan {
            p5: Vec::with_capacity(months),
            p25: Vec::with_capacity(months),
            p50: Vec::with_capacity(months),
            p75: Vec::with_capacity(months),
            p95: Vec::with_capacity(months),
        };
        let mut column = Vec::with_capacity(series.len());
        for i in 0..months {
            column.clear();
            column.extend(series.iter().map(|c| c[i]));
            column.sort();
            fan.p5.push(nearest_rank(&column, 5));
            fan.p25.push(nearest_rank(&column, 25));
            fan.p50.push(nearest_rank(&column, 50));
            fan.p75.push(nearest_rank(&column, 75));
            fan.p95.push(nearest_rank(&column, 95));
        }
        Some(fan)
    };
    (0..scenario.sites.len())
        .map(|j| SiteFan {
            mine: fan_of(&|c: &PathCash| c.mine.as_ref(), j),
            ai: fan_of(&|c: &PathCash| c.ai.as_ref(), j),
        })
        .collect()
}

/// One strategy's distribution over the paths (docs/model.md,
/// "Statistics"), unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategyStats {
    pub npv_mean_usd: Decimal,
    /// `None` for one path.
    pub npv_se_usd: Option<Decimal>,
    pub npv_p5_usd: Decimal,
    pub npv_p25_usd: Decimal,
    pub npv_p50_usd: Decimal,
    pub npv_p75_usd: Decimal,
    pub npv_p95_usd: Decimal,
    pub npv_cvar5_usd: Decimal,
    pub p_npv_positive: Decimal,
    pub p_payback: Decimal,
}

/// Both strategies compared on each path.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub p_ai_beats_mine: Decimal,
    pub p_ai_beats_mine_se: Decimal,
    pub advantage_mean_usd: Decimal,
    pub advantage_p5_usd: Decimal,
    pub advantage_p50_usd: Decimal,
    pub advantage_p95_usd: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SiteStats {
    pub name: String,
    pub mine: Option<StrategyStats>,
    pub ai: Option<StrategyStats>,
    pub comparison: Option<Comparison>,
}

/// A simulation's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub scenario: String,
    pub settings: Settings,
    pub sites: Vec<SiteStats>,
}

/// The `max(1, ceil(q · n))`-th smallest of `sorted` (nearest rank), `q`
/// in hundredths.
fn nearest_rank(sorted: &[Decimal], percent: u64) -> Decimal {
    let n = sorted.len() as u64;
    let rank = (percent * n).div_ceil(100).max(1);
    sorted[(rank - 1) as usize]
}

/// `√x` (`x ≥ 0`; 0 is 0, which the root's Newton steps cannot start
/// from).
fn sqrt(x: Decimal) -> Result<Decimal, Overflow> {
    if x.is_zero() {
        Ok(Decimal::ZERO)
    } else {
        nth_root(x, 2)
    }
}

/// `count / n` as a decimal.
fn share(count: usize, n: usize) -> Result<Decimal, Overflow> {
    Decimal::from(count as u64).over(Decimal::from(n as u64))
}

/// Mean and standard error of `values` (n ≥ 1): two passes, the squares
/// taken of deviations scaled by the largest, so that NPVs of 10^12 over
/// 10^7 paths stay far inside the decimal range.
fn mean_and_se(values: &[Decimal]) -> Result<(Decimal, Option<Decimal>), Overflow> {
    let n = Decimal::from(values.len() as u64);
    let mean = crate::exact::sum(values.iter().copied())?.over(n)?;
    if values.len() < 2 {
        return Ok((mean, None));
    }
    let scale = values
        .iter()
        .map(|v| (*v - mean).abs())
        .max()
        .unwrap_or_default();
    if scale.is_zero() {
        return Ok((mean, Some(Decimal::ZERO)));
    }
    let mut squares = Decimal::ZERO;
    for v in values {
        let d = v.minus(mean)?.over(scale)?;
        squares = squares.plus(d.times(d)?)?;
    }
    // se = scale · √(Σ d² / ((n − 1) · n)).
    let ratio = squares.over(n.minus(Decimal::ONE)?.times(n)?)?;
    Ok((mean, Some(scale.times(sqrt(ratio)?)?)))
}

fn strategy_stats(npvs: &[Decimal], paid_back: usize) -> Result<StrategyStats, Overflow> {
    let n = npvs.len();
    let (mean, se) = mean_and_se(npvs)?;
    let mut sorted = npvs.to_vec();
    sorted.sort();
    let tail = (5 * n).div_ceil(100).max(1);
    let cvar =
        crate::exact::sum(sorted[..tail].iter().copied())?.over(Decimal::from(tail as u64))?;
    Ok(StrategyStats {
        npv_mean_usd: mean,
        npv_se_usd: se,
        npv_p5_usd: nearest_rank(&sorted, 5),
        npv_p25_usd: nearest_rank(&sorted, 25),
        npv_p50_usd: nearest_rank(&sorted, 50),
        npv_p75_usd: nearest_rank(&sorted, 75),
        npv_p95_usd: nearest_rank(&sorted, 95),
        npv_cvar5_usd: cvar,
        p_npv_positive: share(npvs.iter().filter(|v| **v > Decimal::ZERO).count(), n)?,
        p_payback: share(paid_back, n)?,
    })
}

/// Site `index`'s `pick` on every path of `records`; `None` when some
/// path lacks it, or there is no path.
fn column<T>(
    records: &[PathRecord],
    index: usize,
    pick: impl Fn(&PathNpv) -> Option<T>,
) -> Option<Vec<T>> {
    records
        .iter()
        .map(|r| r.sites.get(index).and_then(&pick))
        .collect::<Option<Vec<_>>>()
        .filter(|v| !v.is_empty())
}

/// The statistics of `records` (every path, in path order).
pub fn statistics(
    scenario: &Scenario,
    settings: &Settings,
    records: &[PathRecord],
) -> Result<Simulation, ComputeError> {
    let mut sites = Vec::with_capacity(scenario.sites.len());
    for (index, site) in scenario.sites.iter().enumerate() {
        let fail = |_: Overflow| ComputeError {
            scenario: scenario.name.clone(),
            during: format!(
                "site[{index}] (\"{}\") the simulation's statistics",
                site.name
            ),
        };
        let stats = |col: &Option<Vec<Outcome>>| -> Result<Option<StrategyStats>, Overflow> {
            match col {
                Some(v) => {
                    let npvs: Vec<Decimal> = v.iter().map(|(npv, _)| *npv).collect();
                    let paid = v.iter().filter(|(_, p)| p.is_some()).count();
                    strategy_stats(&npvs, paid).map(Some)
                }
                None => Ok(None),
            }
        };
        let mine_col = column(records, index, |p| p.mine);
        let ai_col = column(records, index, |p| p.ai);
        let advantages = column(records, index, |p| p.advantage);
        let comparison = match (&mine_col, &ai_col, advantages) {
            (Some(_), Some(_), Some(advantage)) => {
                let n = advantage.len();
                let beats = advantage.iter().filter(|d| **d > Decimal::ZERO).count();
                let p = share(beats, n).map_err(fail)?;
                let se = p
                    .times(Decimal::ONE - p)
                    .and_then(|v| v.over(Decimal::from(n as u64)))
                    .and_then(sqrt)
                    .map_err(fail)?;
                let (mean, _) = mean_and_se(&advantage).map_err(fail)?;
                let mut sorted = advantage.clone();
                sorted.sort();
                Some(Comparison {
                    p_ai_beats_mine: p,
                    p_ai_beats_mine_se: se,
                    advantage_mean_usd: mean,
                    advantage_p5_usd: nearest_rank(&sorted, 5),
                    advantage_p50_usd: nearest_rank(&sorted, 50),
                    advantage_p95_usd: nearest_rank(&sorted, 95),
                })
            }
            _ => None,
        };
        sites.push(SiteStats {
            name: site.name.clone(),
            mine: stats(&mine_col).map_err(fail)?,
            ai: stats(&ai_col).map_err(fail)?,
            comparison,
        });
    }
    Ok(Simulation {
        scenario: scenario.name.clone(),
        settings: settings.clone(),
        sites,
    })
}

/// `simulate`: every path, then the statistics.
pub fn simulate(scenario: &Scenario, settings: &Settings) -> Result<Simulation, SimulateError> {
    let records = paths(scenario, settings, 0..settings.paths)?;
    Ok(statistics(scenario, settings, &records)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64 from state 0: its first output is mix(0) with the state
    /// advanced by G, 0xE220A8397B1DCDAF (the published first value of
    /// SplitMix64 seeded with 0).
    #[test]
    fn mix_is_splitmix64() {
        assert_eq!(mix(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn uniforms_are_inside_the_unit_interval() {
        assert_eq!(uniform(0), 0.5 / 9_007_199_254_740_992.0);
        // (2^53 − 0.5) / 2^53 rounds to 1.0 in binary64.
        assert_eq!(uniform(u64::MAX), 1.0);
    }

    /// 15 significant digits, half-even on the binary value.
    #[test]
    fn factors_enter_at_15_digits() {
        assert_eq!(decimal_15(1.0).unwrap().to_string(), "1.00000000000000");
        assert_eq!(
            decimal_15(std::f64::consts::E).unwrap().to_string(),
            "2.71828182845905"
        );
        assert_eq!(decimal_15(f64::NAN), None);
    }

    /// Nearest rank: of 10 values the P5 is the 1st smallest
    /// (ceil(0.5) = 1), the P50 the 5th, the P95 the 10th (ceil(9.5)).
    #[test]
    fn nearest_ranks() {
        let v: Vec<Decimal> = (1..=10).map(Decimal::from).collect();
        assert_eq!(nearest_rank(&v, 5), Decimal::from(1));
        assert_eq!(nearest_rank(&v, 50), Decimal::from(5));
        assert_eq!(nearest_rank(&v, 95), Decimal::from(10));
        assert_eq!(nearest_rank(&v[..1], 5), Decimal::from(1));
    }

    /// 1, 2, 3, 4: mean 2.5, sample variance (2.25 + 0.25 + 0.25 + 2.25)
    /// / 3 = 5/3, se = √(5/3) / 2 = 0.6454972243679028…
    #[test]
    fn mean_and_standard_error() {
        let v: Vec<Decimal> = (1..=4).map(Decimal::from).collect();
        let (mean, se) = mean_and_se(&v).unwrap();
        assert_eq!(mean, Decimal::new(25, 1));
        let se = se.unwrap();
        assert!(
            (se - Decimal::from_str_exact("0.6454972243679028141965442332").unwrap()).abs()
                < Decimal::new(1, 20)
        );
        // NPVs of 10^12 do not overflow the squares.
        let big: Vec<Decimal> = (0..1000)
            .map(|i| Decimal::from(i) * Decimal::from(1_000_000_000_000_i64))
            .collect();
        assert!(mean_and_se(&big).unwrap().1.is_some());
    }
}
