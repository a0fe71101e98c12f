//! When to convert (docs/model.md, "When to convert (`pivot`)"): for each
//! site with both strategies, strategy `ai`'s NPV for every conversion
//! start month, the best start, and the verdict.
//!
//! Why a module of its own: `run` answers "mine or convert now"; a CFO's
//! next question is "convert now, later, or never", which is the same
//! model evaluated once per start month. The per-start NPVs come from
//! [`crate::summary::npv_by_start`], which shares everything that does not
//! depend on the start (the network, the power prices, the mining months
//! before it); this module only chooses among them.

use crate::calendar::YearMonth;
use crate::scenario::{Ai2, Format2, Mining2, Power2, PowerBlock, Scenario};
use crate::strategy::ai::late_starts_from;
use crate::summary::{ComputeError, npv_by_start, summarize};
use rust_decimal::Decimal;
use std::fmt;

/// One scenario's pivot: the sites that have both strategies, in file
/// order.
#[derive(Debug, Clone, PartialEq)]
pub struct Pivot {
    pub scenario: String,
    /// The scenario's first month and length (month `s` is
    /// `start.add_months(s)`).
    pub start: YearMonth,
    pub months: u32,
    pub sites: Vec<SitePivot>,
}

/// What to do with one site, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct SitePivot {
    pub name: String,
    /// `NPV_ai(s)` for every start s = 0 … months − 1, unrounded.
    pub npv_by_start: Vec<Decimal>,
    /// The first start whose go-live leaves the site live for less than
    /// `w = min(12, months)` months (`s + build_months > months − w`):
    /// starts from here on are listed, never chosen.
    pub last_start_limit: usize,
    /// The best start's month index among the eligible ones (highest NPV,
    /// earliest on ties); `None` when no start is eligible.
    pub best_start: Option<usize>,
    pub best_npv_usd: Option<Decimal>,
    /// `NPV_ai(0)`: converting now.
    pub now_npv_usd: Decimal,
    /// Strategy `mine`'s NPV: never converting.
    pub never_npv_usd: Decimal,
    /// `best_npv_usd − now_npv_usd`.
    pub value_of_waiting_usd: Option<Decimal>,
    pub verdict: Verdict,
    /// The start the file plans (`site.ai.start`; 0 in format 1), one of
    /// those compared.
    pub planned_start: usize,
    /// The answer with every exit multiple of the site at 0, when the site
    /// has one: whether the verdict rests on the values assumed at the
    /// horizon (a CFO's first question about a late start, whose lease
    /// is valued at the same multiple as one that ran for years).
    pub without_exit_values: Option<Answer>,
}

/// The choice among start months: the best eligible start and the
/// verdict against never converting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer {
    pub best_start: Option<usize>,
    pub best_npv_usd: Option<Decimal>,
    pub never_npv_usd: Decimal,
    pub verdict: Verdict,
}

impl Answer {
    /// The best of the first `limit` starts against never converting.
    fn of(npvs: &[Decimal], limit: usize, never: Decimal) -> Answer {
        let best = best_start(npvs, limit);
        let best_npv = best.map(|b| npvs[b]);
        Answer {
            best_start: best,
            best_npv_usd: best_npv,
            never_npv_usd: never,
            verdict: match best_npv {
                Some(b) if b > never => Verdict::Convert,
                _ => Verdict::Mine,
            },
        }
    }
}

impl SitePivot {
    /// Whether start `s` may be chosen (see [`SitePivot::last_start_limit`]).
    pub fn eligible(&self, s: usize) -> bool {
        s < self.last_start_limit
    }
}

/// The pivot's answer for a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Convert at `best_start`: its NPV beats never converting.
    Convert,
    /// Keep mining (also when no start is eligible).
    Mine,
}

impl Verdict {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Convert => "convert",
            Verdict::Mine => "mine",
        }
    }
}

/// Why a scenario has no pivot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PivotError {
    /// No site has both `[site.mining]` and `[site.ai]`.
    NoSiteWithBoth { scenario: String },
    /// The arithmetic left the decimal range.
    Overflow(ComputeError),
}

impl fmt::Display for PivotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PivotError::NoSiteWithBoth { scenario } => write!(
                f,
                "scenario \"{scenario}\" has no site with both [site.mining] and [site.ai]: pivot compares converting at each month with never converting, so a site needs both strategies"
            ),
            PivotError::Overflow(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PivotError {}

impl From<ComputeError> for PivotError {
    fn from(e: ComputeError) -> PivotError {
        PivotError::Overflow(e)
    }
}

/// The pivot of a checked scenario (docs/model.md, "When to convert").
/// A format-1 scenario is read with format-1 rules: it is evaluated as
/// its format-2 twin (one power block, mining never off, no escalation,
/// no terminal value), which computes the same figures, with the start
/// varied the same way.
pub fn pivot(scenario: &Scenario) -> Result<Pivot, PivotError> {
    if !scenario
        .sites
        .iter()
        .any(|s| s.mining.is_some() && s.ai.is_some())
    {
        return Err(PivotError::NoSiteWithBoth {
            scenario: scenario.name.clone(),
        });
    }
    let twin;
    let f2 = if scenario.format2.is_some() {
        scenario
    } else {
        twin = format2_twin(scenario);
        &twin
    };
    // Never converting: strategy mine's NPV as `run` computes it.
    let summary = summarize(scenario)?;
    let months = scenario.months as usize;
    let mut sites = Vec::new();
    for (index, site) in scenario.sites.iter().enumerate() {
        let (Some(_), Some(ai)) = (&site.mining, &site.ai) else {
            continue;
        };
        let starts = npv_by_start(f2, index)?;
        let npvs: Vec<Decimal> = starts.iter().map(|s| s.npv_usd).collect();
        let mine = summary.sites[index].mine.as_ref().map(|m| &m.outcome);
        let never = mine.map(|m| m.npv_usd).unwrap_or_default();
        // A start s is a conversion worth the name when L = s + g ≤ months − w.
        let limit = late_starts_from(ai.build_months, months);
        let answer = Answer::of(&npvs, limit, never);
        let (best, best_npv) = (answer.best_start, answer.best_npv_usd);
        let now = npvs.first().copied().unwrap_or_default();
        // Without exit values: each NPV less its terminal value's present
        // value (to the last digit or so: this decides a caveat, not a
        // printed figure).
        let has_exit = |x: Option<Decimal>| x.is_some_and(|x| !x.is_zero());
        let without_exit_values = if has_exit(site.mining.as_ref().map(|m| m.f2.exit_multiple))
            || has_exit(Some(ai.f2.exit_multiple))
        {
            let bare: Vec<Decimal> = starts
                .iter()
                .map(|s| s.npv_usd.saturating_sub(s.terminal_value_pv_usd))
                .collect();
            let mine_tv = mine
                .and_then(|m| {
                    let tv = m.f2.as_ref()?.terminal_value_usd;
                    let factor = m.monthly.last()?.f2.as_ref()?.discount_factor;
                    Some(tv.saturating_mul(factor))
                })
                .unwrap_or_default();
            Some(Answer::of(&bare, limit, never.saturating_sub(mine_tv)))
        } else {
            None
        };
        let value_of_waiting = match best_npv {
            Some(b) => Some(b.checked_sub(now).ok_or_else(|| ComputeError {
                scenario: scenario.name.clone(),
                during: format!("site[{index}] (\"{}\") the value of waiting", site.name),
            })?),
            None => None,
        };
        let verdict = answer.verdict;
        sites.push(SitePivot {
            name: site.name.clone(),
            npv_by_start: npvs,
            last_start_limit: limit,
            best_start: best,
            best_npv_usd: best_npv,
            now_npv_usd: now,
            never_npv_usd: never,
            value_of_waiting_usd: value_of_waiting,
            verdict,
            planned_start: ai.f2.start_index as usize,
            without_exit_values,
        });
    }
    Ok(Pivot {
        scenario: scenario.name.clone(),
        start: scenario.start,
        months: scenario.months,
        sites,
    })
}

/// The start with the highest NPV among the first `limit` (the eligible
/// ones), the earliest on a tie; `None` when none is eligible.
fn best_start(npvs: &[Decimal], limit: usize) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (s, npv) in npvs.iter().enumerate().take(limit) {
        if best.is_none_or(|b| *npv > npvs[b]) {
            best = Some(s);
        }
    }
    best
}

/// A format-1 scenario as format 2 computes it identically: each site's
/// flat price as one block, no escalation or inflation, mining never off
/// with no credit, no terminal values, no `[risk]`.
pub fn format2_twin(scenario: &Scenario) -> Scenario {
    let mut twin = scenario.clone();
    twin.format2 = Some(Format2::default());
    for site in &mut twin.sites {
        site.power2 = Some(Power2 {
            blocks: vec![PowerBlock {
                share: Decimal::ONE,
                price_usd_per_mwh: site.power_price_usd_per_mwh,
            }],
            curve: false,
            escalator_annual: Decimal::ZERO,
        });
        if let Some(m) = &mut site.mining {
            m.f2 = Mining2::default();
        }
        if let Some(a) = &mut site.ai {
            a.f2 = Ai2::default();
        }
    }
    twin
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    const FORMAT2: &str = r#"
format = 2
name = "pivot"
start = "2026-01"
months = 30
discount_rate = 0.1
inflation_annual = 0.03

[bitcoin]
price_usd = 100000
price_growth_annual = 0.05
network_hashrate_ehs = 1000
hashrate_growth_annual = 0.25
fees_btc_per_block = 0.02
block_height = 935000
block_time_s = 600

[[site]]
name = "A"
grid_mw = 100
power_escalator_annual = 0.02
[[site.power_block]]
share = 0.7
price_usd_per_mwh = 40
[[site.power_block]]
share = 0.3
price_usd_per_mwh = 90

[site.mining]
pue = 1.1
uptime = 0.95
pool_fee = 0.02
opex_usd_per_month = 300000
capex_usd = 10000000
demand_response_usd_per_mw_month = 2000
exit_multiple = 2
[[site.mining.fleet]]
model = "S21"
count = 2000
ths = 200
j_per_th = 17.5
[[site.mining.fleet]]
model = "S19"
count = 10000
ths = 100
j_per_th = 30

[site.ai]
kind = "colocation"
pue = 1.3
build_months = 4
conversion_capex_usd = 50000000
ramp_months = 3
mine_during_build = MDB
opex_usd_per_month = 200000
it_mw = 50
lease_usd_per_kw_month = 140
fleet_sale_usd = 5000000
keep_mining = KEEP
exit_multiple = 8
"#;

    /// Each start's NPV from `npv_by_start` is, to the last unit, `run`'s
    /// AI NPV of the same file with `site.ai.start` set to that month.
    #[track_caller]
    fn agrees_with_run(text: &str) {
        let scenario = parse(text).unwrap();
        let twin = if scenario.format2.is_some() {
            scenario.clone()
        } else {
            format2_twin(&scenario)
        };
        let p = pivot(&scenario).unwrap();
        let site = &p.sites[0];
        assert_eq!(site.npv_by_start.len(), scenario.months as usize);
        for (s, npv) in site.npv_by_start.iter().enumerate() {
            let mut at = twin.clone();
            at.sites[0].ai.as_mut().unwrap().f2.start_index = s as u32;
            let run = summarize(&at).unwrap();
            assert_eq!(
                *npv,
                run.sites[0].ai.as_ref().unwrap().outcome.npv_usd,
                "start {s}"
            );
        }
    }

    #[track_caller]
    fn check_best(npvs: &[i64], limit: usize, expected: Option<usize>) {
        let npvs: Vec<Decimal> = npvs.iter().map(|&v| Decimal::from(v)).collect();
        assert_eq!(best_start(&npvs, limit), expected);
    }

    #[test]
    fn the_best_start_is_the_highest_eligible_and_the_earliest_on_a_tie() {
        check_best(&[5, 9, 7], 3, Some(1));
        // A tie: the earliest.
        check_best(&[5, 9, 9], 3, Some(1));
        // Month 2's 12 is not eligible (go-live too late): month 1 wins.
        check_best(&[5, 9, 12], 2, Some(1));
        // All negative: still the highest.
        check_best(&[-5, -9, -2], 3, Some(2));
        // Nothing eligible.
        check_best(&[5, 9], 0, None);
    }

    /// months = 30, w = 12, build 4: start s is eligible iff s + 4 ≤ 18,
    /// so starts 0 … 14 (limit 15); the verdict compares the best with
    /// never converting, and waiting is worth best − now.
    #[test]
    fn the_limit_and_the_verdict() {
        let scenario = parse(&FORMAT2.replace("MDB", "true").replace("KEEP", "false")).unwrap();
        let p = pivot(&scenario).unwrap();
        let site = &p.sites[0];
        assert_eq!(site.last_start_limit, 15);
        assert!(site.eligible(14) && !site.eligible(15));
        let best = site.best_start.unwrap();
        assert!(best < 15);
        assert_eq!(site.best_npv_usd, Some(site.npv_by_start[best]));
        assert!(
            site.npv_by_start[..15]
                .iter()
                .all(|v| *v <= site.npv_by_start[best])
        );
        assert_eq!(site.now_npv_usd, site.npv_by_start[0]);
        assert_eq!(
            site.value_of_waiting_usd,
            Some(site.npv_by_start[best] - site.npv_by_start[0])
        );
        let expected = if site.npv_by_start[best] > site.never_npv_usd {
            Verdict::Convert
        } else {
            Verdict::Mine
        };
        assert_eq!(site.verdict, expected);
    }

    /// The answer without exit values is the pivot of the same file with
    /// both multiples at 0; a file without them has none.
    #[test]
    fn the_answer_without_exit_values() {
        let text = FORMAT2.replace("MDB", "true").replace("KEEP", "false");
        let p = pivot(&parse(&text).unwrap()).unwrap();
        let bare_text = text
            .replace("exit_multiple = 2\n", "exit_multiple = 0\n")
            .replace("exit_multiple = 8\n", "exit_multiple = 0\n");
        let bare = pivot(&parse(&bare_text).unwrap()).unwrap();
        let site = &bare.sites[0];
        let answer = p.sites[0].without_exit_values.unwrap();
        assert_eq!(answer.best_start, site.best_start);
        assert_eq!(answer.verdict, site.verdict);
        // NPV less the terminal value's present value: the same to 1e-10.
        let near = |a: Decimal, b: Decimal| (a - b).abs() < Decimal::new(1, 10);
        assert!(near(
            answer.best_npv_usd.unwrap(),
            site.best_npv_usd.unwrap()
        ));
        assert!(near(answer.never_npv_usd, site.never_npv_usd));
        assert_eq!(site.without_exit_values, None);
        // The planned start: the file's (none given: now).
        assert_eq!(p.sites[0].planned_start, 0);
        let later = pivot(
            &parse(&text.replace("[site.ai]\n", "[site.ai]\nstart = \"2026-07\"\n")).unwrap(),
        )
        .unwrap();
        assert_eq!(later.sites[0].planned_start, 6);
        assert_eq!(later.sites[0].npv_by_start, p.sites[0].npv_by_start);
    }

    #[test]
    fn a_scenario_without_a_site_with_both_is_refused() {
        let text = FORMAT2.replace("MDB", "true").replace("KEEP", "false");
        let cut = &text[..text.find("[site.ai]").unwrap()];
        let scenario = parse(cut).unwrap();
        assert!(matches!(
            pivot(&scenario),
            Err(PivotError::NoSiteWithBoth { .. })
        ));
    }

    #[test]
    fn every_start_equals_a_run_with_that_start() {
        for mdb in ["true", "false"] {
            for keep in ["true", "false"] {
                agrees_with_run(&FORMAT2.replace("MDB", mdb).replace("KEEP", keep));
            }
        }
    }

    #[test]
    fn a_format_1_file_pivots_with_format_1_rules() {
        let text = FORMAT2
            .replace("format = 2", "format = 1")
            .replace("inflation_annual = 0.03\n", "")
            .replace("power_escalator_annual = 0.02\n", "power_price_usd_per_mwh = 55\n")
            .replace(
                "[[site.power_block]]\nshare = 0.7\nprice_usd_per_mwh = 40\n[[site.power_block]]\nshare = 0.3\nprice_usd_per_mwh = 90\n",
                "",
            )
            .replace("demand_response_usd_per_mw_month = 2000\nexit_multiple = 2\n", "")
            .replace("fleet_sale_usd = 5000000\nkeep_mining = KEEP\nexit_multiple = 8\n", "")
            .replace("MDB", "true");
        let scenario = parse(&text).unwrap();
        agrees_with_run(&text);
        // Converting now is `run`'s AI NPV; never converting its mining NPV.
        let run = summarize(&scenario).unwrap();
        let p = pivot(&scenario).unwrap();
        let ai = run.sites[0].ai.as_ref().unwrap().outcome.npv_usd;
        assert!((p.sites[0].now_npv_usd - ai).abs() < Decimal::new(1, 12));
        assert_eq!(
            p.sites[0].never_npv_usd,
            run.sites[0].mine.as_ref().unwrap().outcome.npv_usd
        );
    }
}
