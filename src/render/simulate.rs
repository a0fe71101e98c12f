//! `simulate`'s outputs: the distribution of each strategy's NPV over the
//! paths (docs/model.md, "Uncertainty: `simulate`"), as the simulate JSON,
//! CSV rows and a table with a histogram of the advantage of converting.
//!
//! The JSON is the normative form: per scenario `{"scenario", "paths",
//! "seed", "generator", "risk": {…}, "sites": [{"name", "mine", "ai",
//! "p_ai_beats_mine", "p_ai_beats_mine_se", "advantage_mean_usd",
//! "advantage_p5_usd", "advantage_p50_usd", "advantage_p95_usd"}]}`, each
//! strategy's object holding [`STRATEGY_KEYS`]; money to 2 decimals and
//! probabilities to 4, half-even, written as the summary JSON writes
//! numbers ([`Field`]). The risk inputs are written as format 2's
//! `discount_rate` is: as used, trailing zeros removed.

use super::csv::{cell, line, overrides_cell};
use super::json::document;
use super::number::{
    Colour, Percent, compact, fixed, group, percent, places, stated, stated_money, stated_percent,
};
use super::table::{WIDTH, chars, growth, paint_lines, push_lines, wrap};
use super::{Field, overrides_list, plain};
use crate::simulate::{
    Comparison, FAN_PATHS, GENERATOR, PathRecord, Settings, Simulation, SiteFan, StrategyStats,
};
use crate::summary::Summary;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use serde::ser::SerializeMap;

/// A strategy's keys, in the JSON's order.
pub const STRATEGY_KEYS: [&str; 10] = [
    "npv_mean_usd",
    "npv_se_usd",
    "npv_p5_usd",
    "npv_p25_usd",
    "npv_p50_usd",
    "npv_p75_usd",
    "npv_p95_usd",
    "npv_cvar5_usd",
    "p_npv_positive",
    "p_payback",
];

/// A site's comparison keys (a site with both strategies), after `ai`.
pub const COMPARISON_KEYS: [&str; 6] = [
    "p_ai_beats_mine",
    "p_ai_beats_mine_se",
    "advantage_mean_usd",
    "advantage_p5_usd",
    "advantage_p50_usd",
    "advantage_p95_usd",
];

/// The `risk` object's keys, in order.
pub const RISK_KEYS: [&str; 5] = [
    "price_vol_annual",
    "hashrate_vol_annual",
    "price_hashrate_corr",
    "gpu_hour_vol_annual",
    "lease_default_annual",
];

fn usd(value: Decimal) -> Field {
    Field::fixed(value, places::USD)
}

fn probability(value: Decimal) -> Field {
    Field::fixed(value, places::PROBABILITY)
}

/// A strategy's statistics, paired with [`STRATEGY_KEYS`].
pub fn strategy_fields(s: &StrategyStats) -> Vec<(&'static str, Field)> {
    STRATEGY_KEYS
        .into_iter()
        .zip([
            usd(s.npv_mean_usd),
            Field::opt(s.npv_se_usd, places::USD),
            usd(s.npv_p5_usd),
            usd(s.npv_p25_usd),
            usd(s.npv_p50_usd),
            usd(s.npv_p75_usd),
            usd(s.npv_p95_usd),
            usd(s.npv_cvar5_usd),
            probability(s.p_npv_positive),
            probability(s.p_payback),
        ])
        .collect()
}

/// A site's comparison, paired with [`COMPARISON_KEYS`].
pub fn comparison_fields(c: &Comparison) -> Vec<(&'static str, Field)> {
    COMPARISON_KEYS
        .into_iter()
        .zip([
            probability(c.p_ai_beats_mine),
            probability(c.p_ai_beats_mine_se),
            usd(c.advantage_mean_usd),
            usd(c.advantage_p5_usd),
            usd(c.advantage_p50_usd),
            usd(c.advantage_p95_usd),
        ])
        .collect()
}

/// The risk inputs as used, paired with [`RISK_KEYS`].
pub fn risk_fields(sim: &Simulation) -> Vec<(&'static str, Field)> {
    let r = &sim.settings.risk;
    RISK_KEYS
        .into_iter()
        .zip([
            r.price_vol_annual,
            r.hashrate_vol_annual,
            r.price_hashrate_corr,
            r.gpu_hour_vol_annual,
            r.lease_default_annual,
        ])
        .map(|(key, v)| (key, Field::Number(plain(v))))
        .collect()
}

/// Key-value pairs as a JSON object, in their order.
struct Object(Vec<(&'static str, Field)>);

impl Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// One scenario's simulation as the simulate JSON object.
pub struct SimulationObject<'a>(pub &'a Simulation);

impl Serialize for SimulationObject<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sim = self.0;
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("scenario", &sim.scenario)?;
        map.serialize_entry("paths", &sim.settings.paths)?;
        map.serialize_entry("seed", &sim.settings.seed)?;
        map.serialize_entry("generator", GENERATOR)?;
        map.serialize_entry("risk", &Object(risk_fields(sim)))?;
        let sites: Vec<SiteObject> = sim.sites.iter().map(SiteObject).collect();
        map.serialize_entry("sites", &sites)?;
        map.end()
    }
}

struct SiteObject<'a>(&'a crate::simulate::SiteStats);

impl Serialize for SiteObject<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let site = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &site.name)?;
        if let Some(mine) = &site.mine {
            map.serialize_entry("mine", &Object(strategy_fields(mine)))?;
        }
        if let Some(ai) = &site.ai {
            map.serialize_entry("ai", &Object(strategy_fields(ai)))?;
        }
        if let Some(c) = &site.comparison {
            for (key, value) in comparison_fields(c) {
                map.serialize_entry(key, &value)?;
            }
        }
        map.end()
    }
}

/// `simulate --format json`: one object for one scenario, an array (in
/// the order given) for a list.
pub fn json(simulations: &[&Simulation], as_list: bool) -> Vec<u8> {
    let objects: Vec<SimulationObject> = simulations.iter().map(|s| SimulationObject(s)).collect();
    document(&objects, as_list)
}

/// The CSV columns before the statistics: what identifies a row and the
/// inputs it was drawn with.
pub const CSV_LEAD: [&str; 6] = ["scenario", "site", "strategy", "generator", "seed", "paths"];

/// The CSV header: [`CSV_LEAD`], [`RISK_KEYS`], [`STRATEGY_KEYS`],
/// [`COMPARISON_KEYS`], then `overrides` (when any `--set` was given) and
/// `file`.
pub fn csv_header(with_overrides: bool) -> Vec<&'static str> {
    CSV_LEAD
        .into_iter()
        .chain(RISK_KEYS)
        .chain(STRATEGY_KEYS)
        .chain(COMPARISON_KEYS)
        .chain(with_overrides.then_some("overrides"))
        .chain(["file"])
        .collect()
}

/// `simulate --format csv`: a header ([`csv_header`]), then one row per
/// site and strategy; a site with both repeats its comparison on both
/// rows (empty on a site with one strategy), so the file is one
/// rectangle.
pub fn csv(answers: &[(&Summary, &Simulation)], files: &[String]) -> Vec<u8> {
    let mut out = String::new();
    let with_overrides = answers.iter().any(|(s, _)| !s.overrides.is_empty());
    line(
        &mut out,
        csv_header(with_overrides).into_iter().map(str::to_string),
    );
    for (i, (summary, sim)) in answers.iter().enumerate() {
        let file = files.get(i).cloned().unwrap_or_default();
        let overrides = with_overrides.then(|| overrides_cell(summary));
        let risk: Vec<String> = risk_fields(sim).into_iter().map(|(_, f)| cell(f)).collect();
        for site in &sim.sites {
            let comparison: Vec<String> = match &site.comparison {
                Some(c) => comparison_fields(c)
                    .into_iter()
                    .map(|(_, f)| cell(f))
                    .collect(),
                None => vec![String::new(); COMPARISON_KEYS.len()],
            };
            for (strategy, stats) in [("mine", &site.mine), ("ai", &site.ai)] {
                let Some(stats) = stats else { continue };
                let lead = [
                    sim.scenario.clone(),
                    site.name.clone(),
                    strategy.to_string(),
                    GENERATOR.to_string(),
                    sim.settings.seed.to_string(),
                    sim.settings.paths.to_string(),
                ];
                line(
                    &mut out,
                    lead.into_iter()
                        .chain(risk.iter().cloned())
                        .chain(strategy_fields(stats).into_iter().map(|(_, f)| cell(f)))
                        .chain(comparison.iter().cloned())
                        .chain(overrides.clone())
                        .chain([file.clone()]),
                );
            }
        }
    }
    out.into_bytes()
}

/// One scenario's fans, with the run and settings they were drawn for.
pub struct Fanned {
    pub summary: Summary,
    pub settings: Settings,
    pub fans: Vec<SiteFan>,
}

/// The `simulate --fan` CSV header.
pub const FAN_KEYS: [&str; 11] = [
    "scenario",
    "site",
    "strategy",
    "month",
    "fan_paths",
    "p5_usd",
    "p25_usd",
    "p50_usd",
    "p75_usd",
    "p95_usd",
    "file",
];

/// `simulate --fan --format csv`: one row per site, strategy and month
/// (docs/model.md, "The fan"), money to 2 decimals.
pub fn fan_csv(answers: &[Fanned], files: &[String]) -> Vec<u8> {
    let mut out = String::new();
    line(&mut out, FAN_KEYS.into_iter().map(str::to_string));
    for (answer, file) in answers.iter().zip(files) {
        let summary = &answer.summary;
        let fan_paths = answer.settings.paths.min(FAN_PATHS).to_string();
        for (site, fans) in summary.sites.iter().zip(&answer.fans) {
            for (strategy, fan) in [("mine", &fans.mine), ("ai", &fans.ai)] {
                let Some(fan) = fan else { continue };
                for i in 0..fan.p50.len() {
                    let bands = [&fan.p5, &fan.p25, &fan.p50, &fan.p75, &fan.p95];
                    let lead = [
                        summary.scenario.clone(),
                        site.name.clone(),
                        strategy.to_string(),
                        summary.month(i).to_string(),
                        fan_paths.clone(),
                    ];
                    line(
                        &mut out,
                        lead.into_iter()
                            .chain(bands.iter().map(|b| cell(usd(b[i]))))
                            .chain([file.clone()]),
                    );
                }
            }
        }
    }
    out.into_bytes()
}

/// Paths on each side of zero: mining ahead or tied (advantage ≤ 0), AI
/// ahead (> 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sides {
    pub behind: usize,
    pub ahead: usize,
}

impl Sides {
    fn add(&mut self, v: Decimal) {
        if v > Decimal::ZERO {
            self.ahead += 1;
        } else {
            self.behind += 1;
        }
    }

    pub fn total(self) -> usize {
        self.behind + self.ahead
    }
}

/// The distribution of a site's advantage of converting (`NPV_ai −
/// NPV_mine` of each path, unrounded, as the statistics take it) in bins
/// for the table.
///
/// Bins are `(lo + i·w, lo + (i + 1)·w]`: a tie (advantage 0) counts with
/// mining, as `p_ai_beats_mine` counts it, and zero is always an edge, so
/// a bin holds paths of one side only. The bins span the values, or, when
/// a tail reaches further than half the P5–P95 span beyond P5 or P95, up
/// to that limit, the paths past it gathered in an open-ended bin
/// (`under`, `over`), so that a few extreme paths do not squeeze the rest
/// into two bars. The width `w` is the smallest of 1, 1.5, 2, 2.5, 3, 4,
/// 5, 6 and 8 times a power of ten that is at least a fourteenth of the
/// span shown: 10 to 16 bins whose edges read as round numbers. Counted
/// in exact decimals.
#[derive(Debug, Clone, PartialEq)]
pub enum Histogram {
    /// Every path has the same advantage (no volatility, or one path).
    Flat { value: Decimal, paths: usize },
    Bins {
        lo: Decimal,
        width: Decimal,
        counts: Vec<Sides>,
        /// Paths at or below `lo`, when the lower tail is gathered.
        under: Option<Sides>,
        /// Paths above the last bin, when the upper tail is gathered.
        over: Option<Sides>,
        paths: usize,
    },
}

/// The steps bin widths are made of, times a power of ten (tenths; the
/// last, 10, is the next power's 1).
const STEPS: [i64; 10] = [10, 15, 20, 25, 30, 40, 50, 60, 80, 100];

/// Bins wanted: the span is cut in 14, then rounded up to a step.
const TARGET_BINS: i64 = 14;

impl Histogram {
    /// The histogram of `values` (none when there are none), whose P5
    /// and P95 are `p5` and `p95` (the statistics' nearest ranks).
    pub fn of(
        values: impl Iterator<Item = Decimal> + Clone,
        p5: Decimal,
        p95: Decimal,
    ) -> Option<Histogram> {
        let mut n = 0;
        let (mut min, mut max) = (Decimal::MAX, Decimal::MIN);
        for v in values.clone() {
            n += 1;
            min = min.min(v);
            max = max.max(v);
        }
        if n == 0 {
            return None;
        }
        let flat = Some(Histogram::Flat {
            value: min,
            paths: n,
        });
        if min == max {
            return flat;
        }
        // The span shown: the values, the tails cut at half the P5–P95
        // span beyond them.
        let reach = p95.checked_sub(p5).map(|s| s / Decimal::TWO);
        let (from, to) = match reach {
            Some(r) if r > Decimal::ZERO => (
                p5.checked_sub(r).map_or(min, |l| l.max(min)),
                p95.checked_add(r).map_or(max, |h| h.min(max)),
            ),
            _ => (min, max),
        };
        let Some(width) = to
            .checked_sub(from)
            .and_then(|span| nice_width(span / Decimal::from(TARGET_BINS)))
        else {
            return flat;
        };
        let multiple = |k: Decimal| k.checked_mul(width);
        // lo < min (nothing under it) or, with the lower tail gathered,
        // the multiple of w at or below the limit; likewise hi.
        let lo = if from > min {
            multiple((from / width).floor())
        } else {
            multiple((min / width).ceil() - Decimal::ONE)
        };
        let hi = if to < max {
            multiple((to / width).ceil())
        } else {
            multiple((max / width).ceil())
        };
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return flat;
        };
        let bins = ((hi - lo) / width).to_usize().unwrap_or(0).max(1);
        // Bins at or below zero (zero is an edge: lo is a multiple of w).
        let at_or_below_zero = if lo < Decimal::ZERO {
            (-lo / width).to_usize().unwrap_or(0).min(bins)
        } else {
            0
        };
        let mut counts = vec![Sides::default(); bins];
        let (mut under, mut over) = (Sides::default(), Sides::default());
        for v in values {
            if v <= lo {
                under.add(v);
            } else if v > hi {
                over.add(v);
            } else {
                // ceil((v − lo) / w) − 1; the side of zero from v's own
                // sign, so the bins above zero hold exactly the paths
                // where AI wins.
                let k = (((v - lo) / width).ceil() - Decimal::ONE)
                    .to_usize()
                    .unwrap_or(0);
                let k = if v > Decimal::ZERO {
                    k.max(at_or_below_zero)
                } else {
                    k.min(at_or_below_zero.saturating_sub(1))
                };
                counts[k.min(bins - 1)].add(v);
            }
        }
        let gathered = |s: Sides| (s.total() > 0).then_some(s);
        Some(Histogram::Bins {
            lo,
            width,
            counts,
            under: gathered(under),
            over: gathered(over),
            paths: n,
        })
    }
}

/// The smallest step ([`STEPS`]) times a power of ten that is ≥ `raw` (> 0).
fn nice_width(raw: Decimal) -> Option<Decimal> {
    if raw <= Decimal::ZERO {
        return None;
    }
    // p: the power of ten with p ≤ raw < 10·p.
    let mut p = Decimal::ONE;
    while p > raw {
        p /= Decimal::TEN;
        if p.is_zero() {
            return None;
        }
    }
    while p.checked_mul(Decimal::TEN)? <= raw {
        p *= Decimal::TEN;
    }
    STEPS
        .iter()
        .map(|&m| Decimal::new(m, 1).checked_mul(p))
        .find(|w| w.is_some_and(|w| w >= raw))
        .flatten()
        .map(|w| w.normalize())
}

/// The histograms of each site's advantage of converting (in file order;
/// `None` for a site without both strategies), from the paths' records.
pub fn histograms(records: &[PathRecord], simulation: &Simulation) -> Vec<Option<Histogram>> {
    simulation
        .sites
        .iter()
        .enumerate()
        .map(|(j, site)| {
            let c = site.comparison.as_ref()?;
            let advantage = |r: &PathRecord| r.sites.get(j).and_then(|s| s.advantage);
            if records.iter().any(|r| advantage(r).is_none()) {
                return None;
            }
            Histogram::of(
                records.iter().filter_map(advantage),
                c.advantage_p5_usd,
                c.advantage_p95_usd,
            )
        })
        .collect()
}

/// One scenario's answer as the table shows it: the run's summary (the
/// stated path, the overrides), the simulation, and each site's histogram.
pub struct Answer<'a> {
    pub summary: &'a Summary,
    pub simulation: &'a Simulation,
    pub histograms: &'a [Option<Histogram>],
}

/// `simulate --format table`: per scenario a header (the generator, seed
/// and paths, the horizon, the stated paths the draws are around and the
/// risk inputs); per site each strategy's NPV distribution beside its NPV
/// on the stated path, and for a site with both how often AI beats mining
/// and a histogram of the advantage. Every line keeps to [`WIDTH`]
/// columns; bold headings only when `color`.
pub fn table(answers: &[Answer], color: bool) -> Vec<u8> {
    let mut out = String::new();
    for (n, answer) in answers.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        scenario_table(&mut out, answer, color);
    }
    out.into_bytes()
}

fn scenario_table(out: &mut String, answer: &Answer, color: bool) {
    let (summary, sim) = (answer.summary, answer.simulation);
    let inputs = &summary.inputs;
    let btc = &inputs.bitcoin;
    let risk = &sim.settings.risk;
    paint_lines(
        out,
        wrap("Risk: ", &[sim.scenario.as_str()]),
        Colour::Bold,
        color,
    );
    let last = summary.month(summary.months.saturating_sub(1) as usize);
    let paths = sim.settings.paths;
    let lines = [
        wrap(
            "",
            &[
                format!(
                    "{} path{}",
                    group(&paths.to_string()),
                    if paths == 1 { "" } else { "s" }
                ),
                format!("seed {}", sim.settings.seed),
                format!("generator {GENERATOR}"),
            ],
        ),
        wrap(
            "",
            &[
                format!("{} months, {} to {}", summary.months, summary.start, last),
                format!(
                    "discount rate {} a year",
                    stated_percent(inputs.discount_rate)
                ),
            ],
        ),
        wrap(
            "Mean paths: ",
            &[
                format!(
                    "BTC price {} in {}, {}",
                    stated_money(btc.price_usd),
                    summary.start,
                    growth(btc.price_growth_annual)
                ),
                format!(
                    "network hashrate {} EH/s, {}",
                    stated(btc.network_hashrate_ehs),
                    growth(btc.hashrate_growth_annual)
                ),
            ],
        ),
        wrap(
            "Volatility a year: ",
            &[
                format!("BTC price {}", stated_percent(risk.price_vol_annual)),
                format!(
                    "network hashrate {}",
                    stated_percent(risk.hashrate_vol_annual)
                ),
                {
                    // A GPU-hour volatility moves nothing without a GPU
                    // cloud: say so rather than print ± $0 silently.
                    let gpu = summary.inputs.sites.iter().any(|s| {
                        s.ai.as_ref().is_some_and(|a| {
                            matches!(a.kind, crate::scenario::AiKind::GpuCloud { .. })
                        })
                    });
                    let rate =
                        format!("GPU-hour rate {}", stated_percent(risk.gpu_hour_vol_annual));
                    if gpu || risk.gpu_hour_vol_annual.is_zero() {
                        rate
                    } else {
                        format!("{rate} (no GPU-cloud site: it moves nothing)")
                    }
                },
            ],
        ),
        wrap(
            "",
            &[
                format!(
                    "Price and hashrate shocks correlated {}",
                    stated(risk.price_hashrate_corr)
                ),
                format!(
                    "colocation tenant default {} a year",
                    stated_percent(risk.lease_default_annual)
                ),
            ],
        ),
    ];
    push_lines(out, lines.into_iter().flatten());
    push_lines(out, medians(summary, sim));
    // What a default does in the model, which a reader may assume away.
    if !risk.lease_default_annual.is_zero() {
        push_lines(
            out,
            wrap(
                "",
                &[
                    "A defaulted lease is not re-let: the hall earns nothing after it, its opex goes on, and the exit value counts only what the site still earns",
                ],
            ),
        );
    }
    if !summary.overrides.is_empty() {
        let list = overrides_list(summary);
        push_lines(out, wrap("Overrides: ", &list));
    }
    for (j, site) in sim.sites.iter().enumerate() {
        out.push('\n');
        paint_lines(
            out,
            wrap("Site: ", &[site.name.as_str()]),
            Colour::Bold,
            color,
        );
        let run = summary.sites.get(j);
        let mine_run = run.and_then(|s| s.mine.as_ref()).map(|m| m.outcome.npv_usd);
        let ai_run = run.and_then(|s| s.ai.as_ref()).map(|a| a.outcome.npv_usd);
        site_figures(
            out,
            [
                ("keep mining", site.mine.as_ref(), mine_run),
                ("convert to AI", site.ai.as_ref(), ai_run),
            ],
        );
        // A payback the exit value brings in the last month is one a
        // lender would not count: say that the share includes them.
        let input = summary.inputs.sites.get(j);
        let exits = [
            input
                .and_then(|s| s.mining.as_ref())
                .filter(|_| site.mine.is_some())
                .is_some_and(|m| !m.f2.exit_multiple.is_zero()),
            input
                .and_then(|s| s.ai.as_ref())
                .filter(|_| site.ai.is_some())
                .is_some_and(|a| !a.f2.exit_multiple.is_zero()),
        ];
        if exits.contains(&true) {
            push_lines(
                out,
                wrap(
                    "",
                    &[
                        "P(pays back) includes paths that pay back only through the exit value, in the last month",
                    ],
                ),
            );
        }
        // A fleet already bought (no mining capex) has nothing to pay
        // back: its "payback" only says its cumulative cash never ends
        // below zero, which a path can miss with a positive NPV.
        if site.mine.is_some()
            && input
                .and_then(|s| s.mining.as_ref())
                .is_some_and(|m| m.capex_usd.is_zero())
        {
            push_lines(
                out,
                wrap(
                    "",
                    &[
                        "Mining buys no fleet here: its P(pays back) is the share of paths whose cumulative cash never ends below zero, not a recovered investment",
                    ],
                ),
            );
        }
        if let Some(c) = &site.comparison {
            let p = percent(c.p_ai_beats_mine, SHARE);
            let se = percent(c.p_ai_beats_mine_se, SHARE);
            push_lines(
                out,
                wrap("", &[format!("AI beats mining on {p} ± {se} of the paths")]),
            );
            push_lines(
                out,
                wrap(
                    "Advantage of converting (AI − mining): ",
                    &[
                        format!("mean {}", compact(c.advantage_mean_usd, "$")),
                        format!("P5 {}", compact(c.advantage_p5_usd, "$")),
                        format!("P50 {}", compact(c.advantage_p50_usd, "$")),
                        format!("P95 {}", compact(c.advantage_p95_usd, "$")),
                    ],
                ),
            );
            if let Some(Some(h)) = answer.histograms.get(j) {
                out.push('\n');
                histogram(out, h);
            }
        }
    }
}

/// What the mean paths hide: with volatility σ each input's path is its
/// mean, and its median in month `i` is `exp(−σ² · i / 24)` of it
/// (docs/model.md, "One path": `log S_i` has mean `−σ² · i / 24`), so a
/// typical path ends well below the stated one. Said for the last month,
/// for each input that has a volatility; in binary floating point, as the
/// factors are drawn, to one decimal of a percent.
fn medians(summary: &Summary, sim: &Simulation) -> Vec<String> {
    let risk = &sim.settings.risk;
    let months = summary.months.saturating_sub(1);
    let median = |sigma: Decimal| -> Option<String> {
        let sigma: f64 = sigma.to_string().parse().ok()?;
        (sigma > 0.0).then(|| {
            let m = (-sigma * sigma * f64::from(months) / 24.0).exp();
            format!("{:.1} %", m * 100.0)
        })
    };
    let medians: Vec<(&str, String)> = [
        ("BTC price", risk.price_vol_annual),
        ("network hashrate", risk.hashrate_vol_annual),
        ("GPU-hour rate", risk.gpu_hour_vol_annual),
    ]
    .into_iter()
    .filter_map(|(what, sigma)| Some((what, median(sigma)?)))
    .collect();
    let parts: Vec<String> = medians
        .iter()
        .enumerate()
        .map(|(i, (what, m))| match i {
            0 => format!("the median {what} is {m} of the mean path's"),
            _ => format!("the median {what} {m}"),
        })
        .collect();
    if parts.is_empty() {
        return Vec::new();
    }
    let last = summary.month(months as usize);
    wrap(
        "",
        &[format!(
            "Means, not typical paths: in {last} {}",
            parts.join(", ")
        )],
    )
}

/// A probability as a percentage with the JSON's four decimals of the
/// fraction: 0.9731 → `97.31 %`. The HTML report shows probabilities so.
pub(crate) const SHARE: Percent = Percent {
    fraction: true,
    places: places::PROBABILITY - 2,
    grouped: false,
    plus: false,
    spaced: true,
};

/// The unit money is shown in for a site's figures: millions from a
/// million, thousands from a thousand, else dollars.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unit {
    divisor: i64,
    suffix: &'static str,
    places: u32,
}

impl Unit {
    pub(crate) fn of(largest: Decimal) -> Unit {
        let largest = largest.abs();
        if largest >= Decimal::from(1_000_000) {
            Unit {
                divisor: 1_000_000,
                suffix: "M",
                places: 1,
            }
        } else if largest >= Decimal::ONE_THOUSAND {
            Unit {
                divisor: 1_000,
                suffix: "k",
                places: 1,
            }
        } else {
            Unit {
                divisor: 1,
                suffix: "",
                places: 0,
            }
        }
    }

    /// `value` in this unit with `places` decimals: `-$1,684.1M`, `$0.0M`.
    fn money(self, value: Decimal, places: u32) -> String {
        let digits = group(&fixed(value / Decimal::from(self.divisor), places));
        let text = match digits.strip_prefix('-') {
            Some(abs) => format!("-${abs}"),
            None => format!("${digits}"),
        };
        format!("{text}{}", self.suffix)
    }

    pub(crate) fn show(self, value: Decimal) -> String {
        self.money(value, self.places)
    }
}

/// The rows of a site's NPV distribution, in order. The HTML report
/// leaves out those marked `false` (its page has room for the rest).
pub(crate) const FIGURE_ROWS: [(&str, bool); 8] = [
    ("NPV on the stated path (run)", true),
    ("Mean NPV ± standard error", true),
    ("P5 (1 path in 20 below)", true),
    ("P50 (median)", true),
    ("P95 (1 path in 20 above)", true),
    ("CVaR 5 % (mean of worst 5 %)", false),
    ("P(NPV > 0)", true),
    ("P(pays back)", false),
];

/// A site's NPV distribution as columns (strategy, cells in
/// [`FIGURE_ROWS`]' order), one per strategy the site has: each given as
/// its name, its statistics and its NPV on the stated path (`run`'s).
/// Money in one [`Unit`] for the whole site, by its largest figure.
pub(crate) fn figure_columns<'a>(
    strategies: [(&'a str, Option<&StrategyStats>, Option<Decimal>); 2],
) -> Vec<(&'a str, Vec<String>)> {
    let present: Vec<(&str, &StrategyStats, Option<Decimal>)> = strategies
        .into_iter()
        .filter_map(|(name, s, run)| Some((name, s?, run)))
        .collect();
    let largest = present
        .iter()
        .flat_map(|(_, s, run)| {
            [
                s.npv_mean_usd,
                s.npv_p5_usd,
                s.npv_p50_usd,
                s.npv_p95_usd,
                s.npv_cvar5_usd,
            ]
            .into_iter()
            .chain(*run)
        })
        .map(|v| v.abs())
        .max()
        .unwrap_or_default();
    let unit = Unit::of(largest);
    present
        .iter()
        .map(|(name, s, run)| {
            let mean = match s.npv_se_usd {
                Some(se) => format!("{} ± {}", unit.show(s.npv_mean_usd), compact(se, "$")),
                None => unit.show(s.npv_mean_usd),
            };
            (
                *name,
                vec![
                    run.map_or("—".to_string(), |v| unit.show(v)),
                    mean,
                    unit.show(s.npv_p5_usd),
                    unit.show(s.npv_p50_usd),
                    unit.show(s.npv_p95_usd),
                    unit.show(s.npv_cvar5_usd),
                    percent(s.p_npv_positive, SHARE),
                    percent(s.p_payback, SHARE),
                ],
            )
        })
        .collect()
}

/// The figure rows of a site: one column per strategy it has.
fn site_figures(
    out: &mut String,
    strategies: [(&str, Option<&StrategyStats>, Option<Decimal>); 2],
) {
    let columns = figure_columns(strategies);
    if columns.is_empty() {
        return;
    }
    let label_width = FIGURE_ROWS.iter().map(|(l, _)| chars(l)).max().unwrap_or(0);
    let widths: Vec<usize> = columns
        .iter()
        .map(|(name, cells)| {
            cells
                .iter()
                .map(|c| chars(c))
                .chain([chars(name)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let row = |label: &str, cells: Vec<&str>| -> String {
        let mut text = format!("{label:<label_width$}");
        for (cell, width) in cells.iter().zip(&widths) {
            text.push_str(&format!("  {}{cell}", " ".repeat(width - chars(cell))));
        }
        text.trim_end().to_string()
    };
    let mut lines = vec![row("", columns.iter().map(|(n, _)| *n).collect())];
    for (i, (label, _)) in FIGURE_ROWS.iter().enumerate() {
        lines.push(row(
            label,
            columns.iter().map(|(_, cells)| cells[i].as_str()).collect(),
        ));
    }
    push_lines(out, lines);
}

/// A bin where mining is ahead or tied, and one where AI is ahead.
const MINE_AHEAD: char = '░';
const AI_AHEAD: char = '█';
/// A bin with paths too few for a whole cell.
const SLIVER: char = '▏';
/// The longest bar.
const BAR_CELLS: usize = 40;
/// The open end of a bin that gathers a tail.
const OPEN: &str = "…";

/// A bar of `sides` on a scale where `fullest` paths fill `cells`: the
/// paths where mining is ahead in [`MINE_AHEAD`], then those where AI is
/// in [`AI_AHEAD`] (a bin holds one side, but a gathered tail may hold
/// both). Lengths rounded half up, a part too small for a cell a sliver.
fn bar(sides: Sides, fullest: usize, cells: usize) -> String {
    // Drawing only: cell counts from path counts.
    let length = |count: usize| (count * cells * 2 + fullest) / (fullest * 2);
    let part = |count: usize, fill: char| match (count, length(count)) {
        (0, _) => String::new(),
        (_, 0) => SLIVER.to_string(),
        (_, n) => fill.to_string().repeat(n),
    };
    format!(
        "{}{}",
        part(sides.behind, MINE_AHEAD),
        part(sides.ahead, AI_AHEAD)
    )
}

/// The histogram of a site's advantage, one row per bin from the lowest:
/// the bin's ends, a bar scaled to the fullest bin, its paths and their
/// share; a rule at zero, and a legend with how many paths each side
/// holds.
fn histogram(out: &mut String, h: &Histogram) {
    let (lo, width, counts, under, over, paths) = match h {
        Histogram::Flat { value, paths } => {
            let who = match value.cmp(&Decimal::ZERO) {
                std::cmp::Ordering::Greater => format!("AI ahead by {}", compact(*value, "$")),
                std::cmp::Ordering::Less => format!("mining ahead by {}", compact(-*value, "$")),
                std::cmp::Ordering::Equal => "AI and mining tied".to_string(),
            };
            let line = format!(
                "Every one of the {} paths has the same advantage: {who}",
                group(&paths.to_string())
            );
            push_lines(out, wrap("", &[line]));
            return;
        }
        Histogram::Bins {
            lo,
            width,
            counts,
            under,
            over,
            paths,
        } => (*lo, *width, counts, *under, *over, *paths),
    };
    let edge = |i: usize| lo + width * Decimal::from(i);
    let hi = edge(counts.len());
    let unit = Unit::of(lo.abs().max(hi.abs()));
    // Enough decimals for every edge (each a multiple of the width).
    let decimals = (width / Decimal::from(unit.divisor)).normalize().scale();
    let label = |v: Decimal| {
        if v.is_zero() {
            "$0".to_string()
        } else {
            unit.money(v, decimals)
        }
    };
    // Rows: (from, to, sides, whether a rule at zero follows).
    let mut rows: Vec<(String, String, Sides, bool)> = Vec::new();
    if let Some(s) = under {
        rows.push((OPEN.to_string(), label(lo), s, lo.is_zero()));
    }
    for (i, &s) in counts.iter().enumerate() {
        let upper = edge(i + 1);
        let more = i + 1 < counts.len() || over.is_some();
        rows.push((label(edge(i)), label(upper), s, upper.is_zero() && more));
    }
    if let Some(s) = over {
        rows.push((label(hi), OPEN.to_string(), s, false));
    }
    let total = Decimal::from(paths as u64);
    let share = |count: usize| percent(Decimal::from(count as u64) / total, SHARE);
    let numbers: Vec<String> = rows
        .iter()
        .map(|r| group(&r.2.total().to_string()))
        .collect();
    let shares: Vec<String> = rows.iter().map(|r| share(r.2.total())).collect();
    let width_of =
        |texts: &mut dyn Iterator<Item = &String>| texts.map(|s| chars(s)).max().unwrap_or(0);
    let fw = width_of(&mut rows.iter().map(|r| &r.0));
    let tw = width_of(&mut rows.iter().map(|r| &r.1));
    let nw = width_of(&mut numbers.iter());
    let sw = width_of(&mut shares.iter());
    // "  FROM to TO  " bars " N  S".
    let lead = 2 + fw + 4 + tw + 2;
    let cells = WIDTH
        .saturating_sub(lead + 1 + nw + 2 + sw)
        .clamp(10, BAR_CELLS);
    let fullest = rows.iter().map(|r| r.2.total()).max().unwrap_or(0).max(1);
    let title = format!(
        "Advantage of converting (AI NPV − mining NPV) over the {} paths",
        group(&paths.to_string())
    );
    push_lines(out, wrap("", &[title]));
    let (mut ahead, mut behind) = (0, 0);
    for (i, (from, to, sides, rule)) in rows.iter().enumerate() {
        ahead += sides.ahead;
        behind += sides.behind;
        let bar = bar(*sides, fullest, cells);
        out.push_str(&format!(
            "  {from:>fw$} to {to:>tw$}  {bar:<cells$} {:>nw$}  {:>sw$}\n",
            numbers[i], shares[i]
        ));
        // The rule at zero, between the last bin at or below it and the
        // first above it.
        if *rule {
            out.push_str(&format!(
                "  {} $0 · ▲ mining ahead or tied · ▼ AI ahead\n",
                "┄".repeat(lead - 3)
            ));
        }
    }
    let mut legend = vec![
        format!(
            "{MINE_AHEAD} mining ahead or tied: {} paths ({})",
            group(&behind.to_string()),
            share(behind)
        ),
        format!(
            "{AI_AHEAD} AI ahead: {} paths ({})",
            group(&ahead.to_string()),
            share(ahead)
        ),
    ];
    if under.is_some() || over.is_some() {
        legend.push(format!(
            "{OPEN} the tails past half the P5–P95 span, gathered"
        ));
    }
    push_lines(out, wrap("", &legend));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;
    use crate::scenario::Risk;
    use crate::simulate::{Settings, SiteStats};
    use std::str::FromStr;

    /// A strategy's statistics from its figures in [`STRATEGY_KEYS`]
    /// order (the standard error `None` when written `"-"`).
    fn stats(v: [&str; 10]) -> StrategyStats {
        let se = (v[1] != "-").then(|| d(v[1]));
        StrategyStats {
            npv_mean_usd: d(v[0]),
            npv_se_usd: se,
            npv_p5_usd: d(v[2]),
            npv_p25_usd: d(v[3]),
            npv_p50_usd: d(v[4]),
            npv_p75_usd: d(v[5]),
            npv_p95_usd: d(v[6]),
            npv_cvar5_usd: d(v[7]),
            p_npv_positive: d(v[8]),
            p_payback: d(v[9]),
        }
    }

    /// A simulation built by hand for `render::sample::summary`'s two
    /// sites, with the ties the outputs round, half-even, worked by hand:
    /// - money at 2 decimals: North's mine mean 1,250,000.125 →
    ///   1250000.12 (2 even), its P5 -1,500.005 → -1500.00 (0 even), the
    ///   advantage's mean 251,500.505 → 251500.50; South's NPV -0.001 →
    ///   0.00, never -0.00;
    /// - probabilities at 4: 0.97315 → 0.9732 (1 odd, up), 0.12345 →
    ///   0.1234 (4 even); the se 0.0123456 → 0.0123;
    /// - the risk inputs as used, trailing zeros removed: 0.60 → 0.6,
    ///   0.050 → 0.05, -0.25 → -0.25, 0 → 0;
    /// - the table, money in $M at one decimal: North's mine P50
    ///   1,350,000 → 1.35 → $1.4M (3 odd, up), its mean
    ///   1,250,000.125 is just above the tie 1.25, $1.3M; the P5
    ///   -1,500.005 → $0.0M, never -$0.0M; percentages are the JSON's
    ///   four decimals (97.32 %, 12.34 %).
    fn simulation() -> Simulation {
        let risk = Risk {
            price_vol_annual: d("0.60"),
            hashrate_vol_annual: d("0.3"),
            price_hashrate_corr: d("-0.25"),
            gpu_hour_vol_annual: d("0"),
            lease_default_annual: d("0.050"),
            paths: 10_000,
            seed: 0,
        };
        Simulation {
            scenario: "Hand-built".into(),
            settings: Settings {
                risk,
                paths: 2_000,
                seed: 42,
            },
            sites: vec![
                SiteStats {
                    name: "North".into(),
                    mine: Some(stats([
                        "1250000.125",
                        "41234.5",
                        "-1500.005",
                        "250000",
                        "1350000",
                        "2000000",
                        "3100000",
                        "-2500000",
                        "0.97315",
                        "0.12345",
                    ])),
                    ai: Some(stats([
                        "1501500.63",
                        "2000",
                        "1400000",
                        "1450000",
                        "1500000",
                        "1550000",
                        "1600000",
                        "1390000",
                        "1",
                        "1",
                    ])),
                    comparison: Some(Comparison {
                        p_ai_beats_mine: d("0.6"),
                        p_ai_beats_mine_se: d("0.0123456"),
                        advantage_mean_usd: d("251500.505"),
                        advantage_p5_usd: d("-1600000"),
                        advantage_p50_usd: d("150000"),
                        advantage_p95_usd: d("2900000"),
                    }),
                },
                SiteStats {
                    name: "South, \"Unit 2\"".into(),
                    mine: None,
                    ai: Some(stats([
                        "-0.001", "-", "-0.001", "-0.001", "-0.001", "-0.001", "-0.001", "-0.001",
                        "0", "0",
                    ])),
                    comparison: None,
                },
            ],
        }
    }

    #[test]
    fn simulate_json() {
        let sim = simulation();
        let text = String::from_utf8(json(&[&sim], false)).unwrap();
        insta::assert_snapshot!(text);
        assert!(
            String::from_utf8(json(&[&sim], true))
                .unwrap()
                .starts_with("[\n  {\n")
        );
    }

    #[test]
    fn simulate_csv() {
        let (summary, sim) = (sample::summary(), simulation());
        let text = String::from_utf8(csv(&[(&summary, &sim)], &["hand.toml".into()])).unwrap();
        insta::assert_snapshot!(text);
        // A header, then North's two strategies and South's one.
        assert_eq!(text.lines().count(), 4);
    }

    /// The table, with a histogram of 20 hand-made advantages: −4 … 15
    /// (millions), P5 −4 and P95 14 (the span 18 reaches 9 past both: no
    /// tail gathered). 19 / 14 = 1.36 → w = 1.5 (million); lo =
    /// 1.5·(ceil(−4 / 1.5) − 1) = −4.5; hi = 1.5·ceil(10) = 15: 13 bins.
    /// (−4.5, −3] holds −4 and −3; (−1.5, 0] holds −1 and 0 (the tie
    /// with mining); 14 and 15 share the last bin (13.5, 15]. The
    /// medians after one month (the sample's last): exp(−0.6² / 24) =
    /// exp(−0.015) = 0.98511 → 98.5 %; exp(−0.3² / 24) = 0.99626 → 99.6 %.
    #[test]
    fn simulate_table() {
        let (summary, sim) = (sample::summary(), simulation());
        let advantages: Vec<Decimal> = (-4..=15)
            .map(|m| Decimal::from(m) * Decimal::from(1_000_000))
            .collect();
        let h = Histogram::of(advantages.iter().copied(), d("-4000000"), d("14000000"));
        let Some(Histogram::Bins {
            lo,
            width,
            ref counts,
            ..
        }) = h
        else {
            panic!("{h:?}")
        };
        assert_eq!((lo, width, counts.len()), (d("-4500000"), d("1500000"), 13));
        assert_eq!(
            counts[0],
            Sides {
                behind: 2,
                ahead: 0
            }
        );
        assert_eq!(
            counts[2],
            Sides {
                behind: 2,
                ahead: 0
            }
        );
        assert_eq!(
            counts[3],
            Sides {
                behind: 0,
                ahead: 1
            }
        );
        assert_eq!(
            counts[12],
            Sides {
                behind: 0,
                ahead: 2
            }
        );
        let histograms = [h, None];
        let answer = Answer {
            summary: &summary,
            simulation: &sim,
            histograms: &histograms,
        };
        let text = String::from_utf8(table(&[answer], false)).unwrap();
        insta::assert_snapshot!(text);
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        let answer = Answer {
            summary: &summary,
            simulation: &sim,
            histograms: &histograms,
        };
        let coloured = String::from_utf8(table(&[answer], true)).unwrap();
        assert!(coloured.contains("\x1b[1mSite: North\x1b[0m"));
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Widths: the range over 14, up to the next step. 1,000 / 14 =
    /// 71.4… → 80; 140 / 14 = 10 → 10 (a step itself); 15 / 14 = 1.07… →
    /// 1.5; 0.29 / 14 = 0.0207… → 0.025.
    #[test]
    fn nice_widths() {
        assert_eq!(nice_width(d("1000") / d("14")), Some(d("80")));
        assert_eq!(nice_width(d("10")), Some(d("10")));
        assert_eq!(nice_width(d("15") / d("14")), Some(d("1.5")));
        assert_eq!(nice_width(d("0.29") / d("14")), Some(d("0.025")));
        assert_eq!(nice_width(d("0")), None);
        // 98.2 is above 80: the next power of ten's 1.
        assert_eq!(nice_width(d("98.2")), Some(d("100")));
    }

    fn bins(h: Option<Histogram>) -> (Decimal, Decimal, Vec<Sides>, Option<Sides>, Option<Sides>) {
        match h {
            Some(Histogram::Bins {
                lo,
                width,
                counts,
                under,
                over,
                ..
            }) => (lo, width, counts, under, over),
            other => panic!("{other:?}"),
        }
    }

    fn side(behind: usize, ahead: usize) -> Sides {
        Sides { behind, ahead }
    }

    /// Values −25, −10, 0, 0, 5, 45 with P5 −25 and P95 45 (the span 70
    /// reaches past both ends, so nothing is gathered): w = 70 / 14 = 5,
    /// lo = 5·(ceil(−5) − 1) = −30, hi = 5·ceil(9) = 45: bins (−30, −25]
    /// … (40, 45], 15 of them. −25 → bin 0; −10 → bin 3 ((−15, −10]);
    /// 0 → bin 5 ((−5, 0], a tie counts with mining); 5 → bin 6; 45 →
    /// bin 14.
    #[test]
    fn bins_span_the_values() {
        let v: Vec<Decimal> = ["-25", "-10", "0", "0", "5", "45"].map(d).to_vec();
        let (lo, width, counts, under, over) =
            bins(Histogram::of(v.iter().copied(), d("-25"), d("45")));
        assert_eq!((lo, width), (d("-30"), d("5")));
        assert_eq!((under, over), (None, None));
        assert_eq!(counts.len(), 15);
        assert_eq!(counts[0], side(1, 0));
        assert_eq!(counts[3], side(1, 0));
        assert_eq!(counts[5], side(2, 0));
        assert_eq!(counts[6], side(0, 1));
        assert_eq!(counts[14], side(0, 1));
        assert_eq!(counts.iter().map(|s| s.total()).sum::<usize>(), 6);
        assert_eq!(
            Histogram::of([d("3"), d("3")].into_iter(), d("3"), d("3")),
            Some(Histogram::Flat {
                value: d("3"),
                paths: 2
            })
        );
        assert_eq!(Histogram::of(std::iter::empty(), d("0"), d("0")), None);
    }

    /// Values 0 … 99 and one of −1,000 and one of 5,000, P5 4 and P95 95:
    /// the span 91 reaches 45.5 past each, so the tails past −41.5 and
    /// 140.5 are gathered. The span shown, 182, over 14 is 13 → w = 15;
    /// lo = 15·floor(−41.5 / 15) = −45, hi = 15·ceil(140.5 / 15) = 150:
    /// 13 bins of 15. Under: −1,000 (mining ahead); over: 5,000. 0 is in
    /// (−15, 0] with mining; 1 … 15 in (0, 15].
    #[test]
    fn far_tails_are_gathered() {
        let v: Vec<Decimal> = (0..100)
            .map(Decimal::from)
            .chain([d("-1000"), d("5000")])
            .collect();
        let (lo, width, counts, under, over) =
            bins(Histogram::of(v.iter().copied(), d("4"), d("95")));
        assert_eq!((lo, width, counts.len()), (d("-45"), d("15"), 13));
        assert_eq!(under, Some(side(1, 0)));
        assert_eq!(over, Some(side(0, 1)));
        assert_eq!(counts[2], side(1, 0));
        assert_eq!(counts[3], side(0, 15));
        assert_eq!(counts.iter().map(|s| s.total()).sum::<usize>(), 100);
    }
}
