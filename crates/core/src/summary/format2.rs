//! Scenario format 2 (docs/model.md, "Scenario format 2: what an operator
//! actually does"): prices that move, mining row by row with economic shutdown
//! and demand response, terminal value on trailing EBITDA, MIRR, and the
//! breakeven and crossover prices as roots of piecewise-linear functions.
//!
//! A format-1 scenario never comes here (its path, `compute`, is
//! unchanged). Readings where the rules are silent are those of
//! tools/reference.py (A1–A16 at the top of its format-2 code):
//! - revenue includes demand response; the terminal value is not revenue,
//!   but it is in the last month's cash flow (net cash, NPV, IRR, MIRR,
//!   payback);
//! - a running row pays power for `uptime` of its hours; demand response
//!   and run share carry no uptime factor;
//! - the shutdown test ignores uptime and opex and uses the month's
//!   escalated block price; a block priced ≤ 0 always runs;
//! - opex (both strategies) escalates with market time `floor(i/12)`;
//! - breakeven and crossover vary only the month-0 BTC price, every run
//!   decision, demand-response credit and terminal value re-evaluated;
//!   the breakeven rate varies the AI rate with the strategy's own mining
//!   at the scenario's price;
//! - `winner` and `npv_advantage_usd` come from the month-by-month ΔCF.

use super::cache::{Cache, Shared};
use super::compute::ComputeError;
use super::output::{
    AiF2, AiSummary, Comparison, Conversion, MineSummary, MonthF2, MonthFigures, Offer, Outcome,
    OutcomeF2, SiteSummary, Summary, Winner,
};
use crate::exact::{Checked, Growth, Overflow, sum};
use crate::finance::{Discount, Line, irr, mirr_with, payback_from_cumulative, payback_months};
use crate::network::Network;
use crate::piecewise::{self, Kink, Piecewise, Term};
use crate::scenario::{Ai, AiKind, Fleet, Mining, Scenario, Shutdown, Site};
use crate::strategy::ai::{
    build_capex_per_month, go_live, late_starts_from, ramp_share, rate_path,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

pub(crate) mod explained;
mod headline;
mod paths;
pub(super) use headline::sweep_figures;
pub use paths::{PathBase, PathCash, PathNpv, Shocks};

/// The format-2 summary of a checked format-2 scenario, reusing the
/// network projection and the price-free figures ([`Template`]) from
/// `cache` when another evaluation computed them (a sweep's points that
/// differ only in the month-0 BTC price).
pub(super) fn summarize(
    scenario: &Scenario,
    cache: Option<&Cache>,
) -> Result<Summary, ComputeError> {
    let fail = |during: &str| {
        let during = during.to_string();
        move |_: Overflow| ComputeError {
            scenario: scenario.name.clone(),
            during,
        }
    };
    let months = scenario.months as usize;
    let shared = super::compute::shared(scenario, cache)?;
    let network = &shared.network;
    let discount = &shared.discount;
    let price_usd = scenario.bitcoin.price_usd;
    let hashprice_usd_per_ph_day = (0..months)
        .map(|i| network.hashprice(price_usd, i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail("the Bitcoin network projection"))?;
    let template = template_of(scenario, &shared);
    let free = template
        .market
        .as_ref()
        .map_err(|e| fail("the Bitcoin network projection")(*e))?;
    let market = Market::at(free, scenario.bitcoin.price_usd)
        .map_err(fail("the Bitcoin network projection"))?;

    let mut sites = Vec::with_capacity(scenario.sites.len());
    for (index, site) in scenario.sites.iter().enumerate() {
        let label = |what: &str| format!("site[{index}] (\"{}\") {what}", site.name);
        let figures = match template.sites.get(index) {
            Some(Ok(t)) => site_summary(scenario, site, t, &market, network, discount),
            Some(Err(e)) => Err(*e),
            None => Err(Overflow),
        };
        sites.push(figures.map_err(fail(&label("format-2 figures")))?);
    }
    Ok(Summary {
        scenario: scenario.name.clone(),
        start: scenario.start,
        months: scenario.months,
        hashprice_usd_per_ph_day,
        halvings: network.halvings.clone(),
        sites,
        overrides: Vec::new(),
        inputs: scenario.clone(),
    })
}

/// The [`Template`] of `scenario` over `shared`'s projection: kept from an
/// evaluation of the same scenario at another month-0 price, or computed.
fn template_of(scenario: &Scenario, shared: &Shared) -> Arc<Template> {
    shared.template2(
        || format!("{:?}{:?}", scenario.format2, scenario.sites),
        || Template::new(scenario, &shared.network, &shared.discount),
    )
}

/// What a format-2 scenario's figures are that does not depend on the
/// month-0 BTC price: the market without the price path, and for each
/// site its power, both strategies' months with their (row, block) parts
/// and the BTC-price roots (breakeven and crossover, which are functions
/// of that price, not values at it). An overflow in a site's is that
/// site's error, reported when its turn comes.
#[derive(Debug)]
pub(crate) struct Template {
    market: Result<MarketFree, Overflow>,
    sites: Vec<Result<SiteTemplate, Overflow>>,
    /// What a sweep's figures-only evaluation adds (see `headline`),
    /// made by the first point that asks; `None` when the market or a
    /// site failed (every point is then computed in full).
    lean: OnceLock<Option<headline::Lean>>,
}

impl Template {
    fn new(scenario: &Scenario, network: &Network, discount: &Discount) -> Template {
        let market = MarketFree::new(scenario, network);
        let sites = match &market {
            Ok(free) => scenario
                .sites
                .iter()
                .map(|site| SiteTemplate::new(site, free, network, discount))
                .collect(),
            Err(_) => Vec::new(),
        };
        Template {
            market,
            sites,
            lean: OnceLock::new(),
        }
    }
}

/// A site's price-free figures (see [`Template`]).
#[derive(Debug)]
struct SiteTemplate {
    power: Power,
    mine: Option<StrategyTemplate>,
    ai: Option<StrategyTemplate>,
    /// Strategy `ai`'s start, fleet sale and kept machines.
    plan: Option<AiPlan>,
    /// The breakeven and crossover BTC prices, computed when first asked
    /// for: a sweep's figures-only points print neither (see `headline`).
    roots: OnceLock<Result<Roots, Overflow>>,
}

/// A site's BTC-price roots.
#[derive(Debug, Clone, Copy)]
struct Roots {
    /// The mining breakeven BTC price (limited).
    breakeven: Option<Decimal>,
    /// The crossover BTC price (limited), when the site has both.
    crossover: Option<Decimal>,
}

impl SiteTemplate {
    fn new(
        site: &Site,
        market: &MarketFree,
        network: &Network,
        discount: &Discount,
    ) -> Result<SiteTemplate, Overflow> {
        let n = market.hours.len();
        let power = Power::new(site, n)?;
        let mut mine = site
            .mining
            .as_ref()
            .map(|m| mine_strategy(m, network, market, &power))
            .transpose()?;
        let (mut ai, plan) = match &site.ai {
            Some(a) => {
                let setup = AiSetup::new(site, a, network, market.hours.len())?;
                let (st, plan) = ai_strategy(&setup, a.f2.start_index as usize, market, &power)?;
                (Some(st), Some(plan))
            }
            None => (None, None),
        };
        for st in [&mut mine, &mut ai].into_iter().flatten() {
            st.settle(discount)?;
        }
        Ok(SiteTemplate {
            power,
            mine,
            ai,
            plan,
            roots: OnceLock::new(),
        })
    }

    /// The breakeven and crossover BTC prices (computed once; an overflow
    /// in either is the site's error at every price).
    fn roots(&self, discount: &Discount) -> Result<Roots, Overflow> {
        *self.roots.get_or_init(|| {
            let breakeven = match &self.mine {
                Some(st) => {
                    let line = price_function(&[(1, &st.base)], discount)?;
                    piecewise::limit_root(piecewise::breakeven(&line.pieces()?)?)
                }
                None => None,
            };
            let crossover = match (&self.mine, &self.ai) {
                (Some(ms), Some(as_)) => {
                    let line = price_function(&[(1, &as_.base), (-1, &ms.base)], discount)?;
                    piecewise::limit_root(piecewise::crossover(&line.pieces()?)?)
                }
                _ => None,
            };
            Ok(Roots {
                breakeven,
                crossover,
            })
        })
    }
}

/// A strategy's months without the month-0 price: `base` holds each
/// month's price-free figures and its terms, `mining` the (row, block)
/// parts of the months that mine, added at a price where they run.
#[derive(Debug)]
struct StrategyTemplate {
    base: Strategy,
    mining: Vec<Option<MiningParts>>,
}

impl StrategyTemplate {
    /// The strategy at the month-0 price of `market`.
    fn at(&self, market: &Market) -> Result<Strategy, Overflow> {
        self.with_sets(price_of(market), |i, parts| parts.set_at(market.price[i]))
    }

    /// The strategy at month-0 price `p0`, each mining month `i` running
    /// the set `set(i, its parts)` (see [`MiningParts::set_at`]).
    fn with_sets(
        &self,
        p0: Decimal,
        mut set: impl FnMut(usize, &MiningParts) -> Result<usize, Overflow>,
    ) -> Result<Strategy, Overflow> {
        // Built in place: a month is a few hundred bytes, and a sweep
        // builds every month of both strategies at every point.
        let mut months: Vec<Month> = Vec::with_capacity(self.base.months.len());
        for (i, (base, parts)) in self.base.months.iter().zip(&self.mining).enumerate() {
            months.push(base.without_terms());
            if let (Some(parts), Some(month)) = (parts, months.last_mut()) {
                parts.add_set(month, set(i, parts)?, p0)?;
            }
        }
        Ok(Strategy {
            months,
            exit_multiple: self.base.exit_multiple,
            fixed: self.base.fixed,
        })
    }

    /// Fills in what every price shares: the strategy's price-free totals
    /// and, for each month that does not mine, its revenue, cash flow and
    /// (but in the last month, which takes the terminal value) present
    /// value, computed as [`figures`] computes them.
    fn settle(&mut self, discount: &Discount) -> Result<(), Overflow> {
        let n = self.base.months.len();
        self.base.fixed = Some(FixedTotals::of(&self.base.months, discount)?);
        for (i, (m, parts)) in self.base.months.iter_mut().zip(&self.mining).enumerate() {
            if parts.is_none() {
                let revenue = m.revenue()?;
                let cash_flow = m.cash_flow()?;
                let present_value = if i + 1 == n {
                    None
                } else {
                    Some(discount.present_value(cash_flow, i)?)
                };
                let rate_present_value = cash_flow
                    .minus(m.ai_revenue)
                    .and_then(|x| discount.present_value(x, i))
                    .ok();
                m.settled = Some(FixedMonth {
                    revenue,
                    cash_flow,
                    present_value,
                    rate_present_value,
                });
            }
        }
        Ok(())
    }
}

/// The network month by month in the terms of "Mining, row by row",
/// without the BTC price path.
#[derive(Debug, Clone)]
struct MarketFree {
    /// `R_i`, BTC (for a `simulate` path: `R_i · S^p_i / S^h_i`, see
    /// `paths`).
    reward: Vec<Decimal>,
    /// `H_i`, EH/s.
    hashrate: Vec<Option<Decimal>>,
    /// `(1 + price_growth)^(i/12)`.
    price_growth: Growth,
    /// `(1 + hashrate_growth)^(i/12)`.
    hashrate_growth: Growth,
    hours: Vec<Decimal>,
    /// `(1 + inflation)^floor(i/12)`.
    inflation: Vec<Decimal>,
    /// A `simulate` path's GPU-hour rate factor `S^g_i` (empty: 1).
    gpu_factor: Vec<Decimal>,
}

impl MarketFree {
    fn new(s: &Scenario, net: &Network) -> Result<MarketFree, Overflow> {
        let n = net.months.len();
        let inflation_annual = s
            .format2
            .as_ref()
            .map_or(Decimal::ZERO, |f| f.inflation_annual);
        Ok(MarketFree {
            reward: net.months.iter().map(|m| m.reward_btc).collect(),
            // `None` beyond the decimal range: only economic shutdown and
            // the monthly rows need it (a format-1 twin in `pivot` never).
            hashrate: (0..n)
                .map(|i| net.hashrate_growth.scale(net.network_hashrate_ehs, i).ok())
                .collect(),
            price_growth: net.price_growth.clone(),
            hashrate_growth: net.hashrate_growth.clone(),
            hours: net
                .months
                .iter()
                .map(|m| Decimal::from(m.grid.hours()))
                .collect(),
            inflation: yearly(inflation_annual, n)?,
            gpu_factor: Vec::new(),
        })
    }
}

/// The market at one month-0 BTC price.
struct Market<'a> {
    free: &'a MarketFree,
    /// `P_i` at the scenario's month-0 price.
    price: Vec<Decimal>,
}

impl Market<'_> {
    fn at(free: &MarketFree, price_usd: Decimal) -> Result<Market<'_>, Overflow> {
        Ok(Market {
            price: (0..free.hours.len())
                .map(|i| free.price_growth.scale(price_usd, i))
                .collect::<Result<_, _>>()?,
            free,
        })
    }
}

/// `(1 + rate)^floor(i/12)` for i = 0 … n−1, exact whole powers.
fn yearly(rate: Decimal, n: usize) -> Result<Vec<Decimal>, Overflow> {
    let base = Decimal::ONE.plus(rate)?;
    let mut out = Vec::with_capacity(n);
    let mut f = Decimal::ONE;
    for i in 0..n {
        if i > 0 && i % 12 == 0 {
            f = f.times(base)?;
        }
        out.push(f);
    }
    Ok(out)
}

/// One fleet row: `T_r` TH/s, `E_r` J/TH.
#[derive(Clone)]
struct Row {
    /// What its (month, row, block) terms are keyed by: its index in the
    /// fleet, or [`KEPT_ROWS`] + that index for the part of a row that
    /// `keep_mining` keeps. A row kept whole is the same machines as the
    /// fleet's row and keeps its key, so that months in which both
    /// strategies mine it cancel exactly in ΔCF.
    key: usize,
    /// `T_r`, TH/s.
    ths: Decimal,
    j_per_th: Decimal,
    /// `M_r = T_r · E_r / 10^6 · pue`, MW.
    meter_mw: Decimal,
    /// `T_r · E_r / 10^6 · pue · uptime`, MW (format 1's order).
    metered_mw: Decimal,
    /// `T_r · uptime · (1 − fee) / (H_0 · 10^6)`.
    share_at_month0: Decimal,
}

/// The key offset of a row `keep_mining` keeps in part (see [`Row::key`]).
const KEPT_ROWS: usize = usize::MAX / 2;

fn rows_of(m: &Mining, net: &Network) -> Result<Vec<Row>, Overflow> {
    rows_from(m, net, fleet_pairs(m)?)
}

/// `(key, T_r, E_r)` of each row of the whole fleet.
fn fleet_pairs(m: &Mining) -> Result<Vec<(usize, Decimal, Decimal)>, Overflow> {
    match &m.fleet {
        Fleet::Single {
            hashrate_ths,
            efficiency_j_per_th,
        } => Ok(vec![(0, *hashrate_ths, *efficiency_j_per_th)]),
        Fleet::Rows(rows) => rows
            .iter()
            .enumerate()
            .map(|(r, row)| Ok((r, row.hashrate_ths()?, row.j_per_th)))
            .collect(),
    }
}

/// The machines `keep_mining` keeps (docs/model.md, "Strategy `ai` in
/// format 2"): on the spare grid `C = grid_mw − it_mw · pue_ai`, best
/// first (lowest J/TH, file order on ties), whole machines.
struct Kept {
    /// The kept rows, in file order (a row keeping no machine left out).
    rows: Vec<Row>,
    /// `Σ n_r · ths_r`, or `T'` for the single form, TH/s.
    hashrate_ths: Decimal,
    /// Kept IT load ÷ the full fleet's (the share of mining opex kept).
    it_kept: Decimal,
    it_full: Decimal,
}

fn kept(site: &Site, m: &Mining, a: &Ai, net: &Network) -> Result<Kept, Overflow> {
    // C = grid_mw − it_mw · pue_ai: never negative, as the AI load fits.
    let spare_mw = site.grid_mw.minus(a.it_mw()?.times(a.pue)?)?;
    let mega = Decimal::from(1_000_000);
    let (pairs, hashrate_ths) = match &m.fleet {
        Fleet::Single {
            hashrate_ths,
            efficiency_j_per_th,
        } => {
            // T' = min(T, C · 10^6 / (E · pue_mining)).
            let fits = spare_mw
                .times(mega)?
                .over(efficiency_j_per_th.times(m.pue)?)?;
            let t = (*hashrate_ths).min(fits);
            let key = if t == *hashrate_ths { 0 } else { KEPT_ROWS };
            (vec![(key, t, *efficiency_j_per_th)], t)
        }
        Fleet::Rows(rows) => {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            // A stable sort: file order on ties.
            order.sort_by(|x, y| rows[*x].j_per_th.cmp(&rows[*y].j_per_th));
            let mut left = spare_mw;
            let mut counts = vec![0u64; rows.len()];
            for r in order {
                let row = &rows[r];
                // m_r = ths_r · j_per_th_r · pue_mining / 10^6, MW a machine.
                let machine_mw = row.ths.times(row.j_per_th)?.times(m.pue)?.over(mega)?;
                let fit = left.over(machine_mw)?.floor();
                let n = u64::try_from(fit).unwrap_or(u64::MAX).min(row.count);
                counts[r] = n;
                left = left.minus(Decimal::from(n).times(machine_mw)?)?;
            }
            let mut pairs = Vec::new();
            let mut ths = Decimal::ZERO;
            for (r, (row, n)) in rows.iter().zip(counts).enumerate() {
                if n > 0 {
                    let t = Decimal::from(n).times(row.ths)?;
                    ths = ths.plus(t)?;
                    let key = if n == row.count { r } else { KEPT_ROWS + r };
                    pairs.push((key, t, row.j_per_th));
                }
            }
            (pairs, ths)
        }
    };
    // Σ T_r · E_r, W: kept and whole fleet summed alike.
    let watts = |pairs: &[(usize, Decimal, Decimal)]| {
        pairs
            .iter()
            .try_fold(Decimal::ZERO, |acc, (_, t, e)| acc.plus(t.times(*e)?))
    };
    let it_kept = watts(&pairs)?;
    let it_full = watts(&fleet_pairs(m)?)?;
    Ok(Kept {
        rows: rows_from(m, net, pairs)?,
        hashrate_ths,
        it_kept,
        it_full,
    })
}

/// Fleet rows of `(key, T_r, E_r)`.
fn rows_from(
    m: &Mining,
    net: &Network,
    pairs: Vec<(usize, Decimal, Decimal)>,
) -> Result<Vec<Row>, Overflow> {
    pairs
        .into_iter()
        .map(|(key, ths, e)| {
            let it = ths.times(e)?.over(Decimal::from(1_000_000))?;
            Ok(Row {
                key,
                ths,
                j_per_th: e,
                meter_mw: it.times(m.pue)?,
                metered_mw: it.times(m.pue)?.times(m.uptime)?,
                share_at_month0: ths
                    .times(m.uptime)?
                    .times(Decimal::ONE.minus(m.pool_fee)?)?
                    .over(net.network_hashrate_ehs.times(Decimal::from(1_000_000))?)?,
            })
        })
        .collect()
}

/// One month of one strategy, unrounded, with what it is as a function of
/// the month-0 BTC price.
#[derive(Debug, Clone, Default)]
struct Month {
    btc: Decimal,
    /// Mining revenue per USD of month-0 price (BTC sold · price path).
    price_coef: Decimal,
    mining_revenue: Decimal,
    demand_response: Decimal,
    ai_revenue: Decimal,
    /// AI revenue per unit of the AI rate.
    rate_coef: Decimal,
    power: Decimal,
    /// The part of `power` the AI load pays (independent of the BTC price).
    ai_power: Decimal,
    opex: Decimal,
    capex: Decimal,
    /// Cash from selling the fleet (not revenue, not in EBITDA).
    fleet_sale: Decimal,
    mined: bool,
    run_num: Decimal,
    run_den: Decimal,
    /// `run_num / run_den` when already known (a mining month's run set).
    run_share: Option<Decimal>,
    /// Revenue, cash flow and present value, when a template computed
    /// them (a month that does not mine, the same at every price).
    settled: Option<FixedMonth>,
    /// `(month, row, block) → (threshold, slope, intercept)`: while the
    /// month-0 price is ≥ threshold (`None`: always) the row runs in the
    /// block and adds `slope · P + intercept` (revenue, minus power, plus
    /// demand response) to the month's cash flow.
    terms: Vec<((usize, usize, usize), Term)>,
    /// The AI rate in force and the share in service (live months only).
    rate: Option<Decimal>,
    in_service: Option<Decimal>,
}

/// A price-free month's figures (see [`Month::settled`]).
#[derive(Debug, Clone, Copy)]
struct FixedMonth {
    revenue: Decimal,
    cash_flow: Decimal,
    /// `None` in the last month (its cash flow takes the terminal value).
    present_value: Option<Decimal>,
    /// The present value of the cash flow without AI revenue (`None`
    /// where it leaves the decimal range: computed again, and failing, at
    /// the point that needs it).
    rate_present_value: Option<Decimal>,
}

impl Month {
    /// The month without its terms (which only the roots use).
    fn without_terms(&self) -> Month {
        Month {
            terms: Vec::new(),
            rate: self.rate,
            in_service: self.in_service,
            ..*self
        }
    }

    fn revenue(&self) -> Result<Decimal, Overflow> {
        if let Some(f) = &self.settled {
            return Ok(f.revenue);
        }
        self.mining_revenue
            .plus(self.demand_response)?
            .plus(self.ai_revenue)
    }

    fn ebitda(&self) -> Result<Decimal, Overflow> {
        self.revenue()?.minus(self.power)?.minus(self.opex)
    }

    fn cash_flow(&self) -> Result<Decimal, Overflow> {
        self.cash_flow_from(self.revenue()?)
    }

    /// The cash flow, from the month's [`revenue`](Self::revenue) already
    /// computed: EBITDA less capex, plus the fleet sale.
    fn cash_flow_from(&self, revenue: Decimal) -> Result<Decimal, Overflow> {
        if let Some(f) = &self.settled {
            return Ok(f.cash_flow);
        }
        revenue
            .minus(self.power)?
            .minus(self.opex)?
            .minus(self.capex)?
            .plus(self.fleet_sale)
    }

    /// The part of the cash flow that does not depend on the BTC price.
    fn fixed(&self) -> Result<Decimal, Overflow> {
        self.ai_revenue
            .minus(self.ai_power)?
            .minus(self.opex)?
            .minus(self.capex)?
            .plus(self.fleet_sale)
    }
}

/// What a site's power costs in each month: its blocks escalated.
#[derive(Debug)]
struct Power {
    /// `(share_b, price_b,i)` for each month.
    blocks: Vec<Vec<(Decimal, Decimal)>>,
    /// `p̄_i = Σ share_b · price_b,i`.
    blended: Vec<Decimal>,
}

impl Power {
    fn new(site: &Site, n: usize) -> Result<Power, Overflow> {
        let Some(p2) = &site.power2 else {
            // Not reached: a format-2 site always has its blocks.
            return Err(Overflow);
        };
        let esc = yearly(p2.escalator_annual, n)?;
        let mut blocks = Vec::with_capacity(n);
        let mut blended = Vec::with_capacity(n);
        for f in esc {
            let month: Vec<(Decimal, Decimal)> = p2
                .blocks
                .iter()
                .map(|b| Ok((b.share, b.price_usd_per_mwh.times(f)?)))
                .collect::<Result<_, Overflow>>()?;
            blended.push(
                month
                    .iter()
                    .try_fold(Decimal::ZERO, |acc, (s, p)| acc.plus(s.times(*p)?))?,
            );
            blocks.push(month);
        }
        Ok(Power { blocks, blended })
    }
}

/// One fleet row in one power block of a mining month, price-free: what
/// it adds to the month where it runs.
#[derive(Debug)]
struct Part {
    /// `price_b,i · H_i · E_r · pue · hours_i`: the row runs in the block
    /// when `R_i · (1 − fee) · P_i` is at least this (economic shutdown).
    cost: Decimal,
    btc: Decimal,
    /// BTC times the price path: revenue per USD of month-0 price.
    coef: Decimal,
    power_cost: Decimal,
    demand_response: Decimal,
    /// `M_r · hours_i · share_b`, the run-share numerator's part.
    run: Decimal,
}

/// What the parts that run at a price add to a mining month, summed in
/// (row, block) order as the month adds them, and the month's run share.
#[derive(Debug, Clone, Copy)]
struct RunSet {
    btc: Decimal,
    price_coef: Decimal,
    power: Decimal,
    demand_response: Decimal,
    run_num: Decimal,
    run_share: Option<Decimal>,
}

/// The (row, block) parts of a mining month and what decides which run:
/// a part runs when `R_i · (1 − fee) · P_i ≥ cost` (always without
/// economic shutdown), so the parts that run at a price are those whose
/// cost is among the `k` smallest distinct costs at most that much, and
/// each of those sets is summed once for every price.
#[derive(Debug)]
struct MiningParts {
    /// `R_i · (1 − fee)`.
    net_reward: Decimal,
    /// The distinct costs, ascending (empty without economic shutdown:
    /// every part runs).
    costs: Vec<Decimal>,
    /// `sets[k]`: the parts whose cost is at most `costs[k − 1]` (none
    /// for k = 0); an overflow in one is an error only at a price where
    /// it runs.
    sets: Vec<Result<RunSet, Overflow>>,
}

impl MiningParts {
    fn new(economic: bool, net_reward: Decimal, run_den: Decimal, parts: &[Part]) -> MiningParts {
        let mut costs: Vec<Decimal> = if economic {
            parts.iter().map(|p| p.cost).collect()
        } else {
            Vec::new()
        };
        costs.sort();
        costs.dedup();
        let set = |runs: &dyn Fn(&Part) -> bool| -> Result<RunSet, Overflow> {
            let mut s = RunSet {
                btc: Decimal::ZERO,
                price_coef: Decimal::ZERO,
                power: Decimal::ZERO,
                demand_response: Decimal::ZERO,
                run_num: Decimal::ZERO,
                run_share: None,
            };
            for part in parts {
                if runs(part) {
                    s.btc = s.btc.plus(part.btc)?;
                    s.price_coef = s.price_coef.plus(part.coef)?;
                    s.power = s.power.plus(part.power_cost)?;
                    s.demand_response = s.demand_response.plus(part.demand_response)?;
                    s.run_num = s.run_num.plus(part.run)?;
                }
            }
            if !run_den.is_zero() {
                s.run_share = Some(s.run_num.over(run_den)?);
            }
            Ok(s)
        };
        let sets = if economic {
            let mut sets = Vec::with_capacity(costs.len() + 1);
            // k = 0: nothing runs.
            sets.push(set(&|_| false));
            for c in &costs {
                sets.push(set(&|part| part.cost <= *c));
            }
            sets
        } else {
            vec![set(&|_| true)]
        };
        MiningParts {
            net_reward,
            costs,
            sets,
        }
    }

    /// Adds the parts that run at the month's BTC price `price_i` (month-0
    /// price `p0`) to `month`, and its mining revenue.
    fn add_to(&self, month: &mut Month, price_i: Decimal, p0: Decimal) -> Result<(), Overflow> {
        self.add_set(month, self.set_at(price_i)?, p0)
    }

    /// Which of [`sets`](Self::sets) runs at the month's BTC price
    /// `price_i`: `k` when `R_i · (1 − fee) · P_i` reaches exactly `k` of
    /// the distinct costs.
    fn set_at(&self, price_i: Decimal) -> Result<usize, Overflow> {
        // R_i · (1 − fee) · P_i.
        let earned = self.net_reward.times(price_i)?;
        Ok(self.costs.partition_point(|c| *c <= earned))
    }

    /// Whether `part` (one of this month's) is in the set that runs at
    /// the month's BTC price `price_i`: every part without economic
    /// shutdown, else a part whose cost is at most that set's largest.
    fn runs(&self, part: &Part, price_i: Decimal) -> Result<bool, Overflow> {
        if self.costs.is_empty() {
            return Ok(true);
        }
        let k = self.set_at(price_i)?;
        Ok(k > 0 && self.costs.get(k - 1).is_some_and(|c| part.cost <= *c))
    }

    /// Adds set `k` to `month` at month-0 price `p0`, and its mining
    /// revenue.
    fn add_set(&self, month: &mut Month, k: usize, p0: Decimal) -> Result<(), Overflow> {
        let set = self.sets.get(k).copied().ok_or(Overflow)??;
        month.btc = set.btc;
        month.price_coef = set.price_coef;
        month.power = month.ai_power.plus(set.power)?;
        month.demand_response = set.demand_response;
        month.run_num = set.run_num;
        month.run_share = set.run_share;
        month.mining_revenue = month.price_coef.times(p0)?;
        Ok(())
    }
}

/// "Mining, row by row", month `i`, without the BTC price: the month's
/// price-free figures with its terms in the month-0 price, and its
/// (row, block) parts.
fn mining_month(
    m: &Mining,
    rows: &[Row],
    market: &MarketFree,
    power: &Power,
    i: usize,
) -> Result<(Month, MiningParts), Overflow> {
    mining_month_parts(m, rows, market, power, i).map(|(month, parts, _)| (month, parts))
}

/// `β_r,i = T_r · uptime / (H_i · 10^6) · R_i · (1 − fee)`, BTC if row
/// `row` ran every hour of month `i`, as format 1 computes `b_i`.
fn beta(row: &Row, market: &MarketFree, i: usize) -> Result<Decimal, Overflow> {
    market
        .hashrate_growth
        .unscale(row.share_at_month0.times(market.reward[i])?, i)
}

/// As [`mining_month`], with its (row, block) parts in that order (each
/// row's blocks together), which `explain` lists.
fn mining_month_parts(
    m: &Mining,
    rows: &[Row],
    market: &MarketFree,
    power: &Power,
    i: usize,
) -> Result<(Month, MiningParts, Vec<Part>), Overflow> {
    let economic = m.f2.shutdown == Shutdown::Economic;
    let dr_rate = m.f2.demand_response_usd_per_mw_month;
    let hours = market.hours[i];
    let net_reward = market.reward[i].times(Decimal::ONE.minus(m.pool_fee)?)?;
    // R_i · (1 − fee) per USD of month-0 price.
    let earned_per_price = market.price_growth.scale(net_reward, i)?;
    let mut month = Month {
        mined: true,
        opex: m.opex_usd_per_month.times(market.inflation[i])?,
        ..Month::default()
    };
    let mut parts = Vec::with_capacity(rows.len() * power.blocks[i].len());
    let h_i = market.hashrate[i];
    for row in rows {
        // β_r,i, as format 1 computes b_i.
        let beta = beta(row, market, i)?;
        month.run_den = month.run_den.plus(row.meter_mw.times(hours)?)?;
        let energy = row.metered_mw.times(hours)?;
        // price_b,i · H_i · E_r · pue · hours_i, without the block price
        // (only economic shutdown compares with it).
        let cost_per_price = if economic {
            h_i.ok_or(Overflow)?
                .times(row.j_per_th)?
                .times(m.pue)?
                .times(hours)?
        } else {
            Decimal::ZERO
        };
        for (b, (share, price)) in power.blocks[i].iter().enumerate() {
            let cost = price.times(cost_per_price)?;
            let btc = beta.times(*share)?;
            let coef = market.price_growth.scale(btc, i)?;
            let power_cost = energy.times(share.times(*price)?)?;
            let dr = if economic {
                dr_rate.times(row.meter_mw)?.times(*share)?
            } else {
                Decimal::ZERO
            };
            parts.push(Part {
                cost,
                btc,
                coef,
                power_cost,
                demand_response: dr,
                run: row.meter_mw.times(hours)?.times(*share)?,
            });
            let threshold = if !economic || cost <= Decimal::ZERO {
                // A block priced ≤ 0 always runs (v ≥ 0 ≥ price).
                None
            } else if earned_per_price > Decimal::ZERO {
                match cost.checked_div(earned_per_price) {
                    Some(threshold) => Some(threshold),
                    // A month-0 price beyond the decimal range: no price
                    // a root could be (roots beyond 10^12 are null) makes
                    // it run.
                    None => continue,
                }
            } else {
                // Nothing earned and power costs: never runs.
                continue;
            };
            month.terms.push((
                (i, row.key, b),
                Term {
                    threshold,
                    slope: coef,
                    intercept: dr.minus(power_cost)?,
                },
            ));
        }
    }
    let sets = MiningParts::new(economic, net_reward, month.run_den, &parts);
    Ok((month, sets, parts))
}

/// The month-0 price (P_0).
fn price_of(market: &Market<'_>) -> Decimal {
    market.price.first().copied().unwrap_or_default()
}

/// A strategy's months, its terminal-value multiple (0 when none counts)
/// and the months that form the EBITDA window.
#[derive(Debug)]
struct Strategy {
    months: Vec<Month>,
    exit_multiple: Decimal,
    /// Its price-free totals, when a template computed them.
    fixed: Option<FixedTotals>,
}

/// A strategy's totals that do not depend on the BTC price, summed as
/// [`figures`] and [`breakeven_rate`] sum them.
#[derive(Debug, Clone, Copy)]
struct FixedTotals {
    opex: Decimal,
    capex: Decimal,
    /// `Σ run_den` over the months that mine.
    run_den: Decimal,
    /// `Σ rate_coef_i / (1 + r)^((i+1)/12)`.
    rate_npv: Decimal,
}

impl FixedTotals {
    fn of(months: &[Month], discount: &Discount) -> Result<FixedTotals, Overflow> {
        Ok(FixedTotals {
            opex: sum(months.iter().map(|m| m.opex))?,
            capex: sum(months.iter().map(|m| m.capex))?,
            run_den: sum(months.iter().filter(|m| m.mined).map(|m| m.run_den))?,
            rate_npv: discount.npv(months.iter().map(|m| m.rate_coef))?,
        })
    }
}

fn mine_strategy(
    m: &Mining,
    net: &Network,
    market: &MarketFree,
    power: &Power,
) -> Result<StrategyTemplate, Overflow> {
    let n = market.hours.len();
    let rows = rows_of(m, net)?;
    let (mut months, mining): (Vec<Month>, Vec<Option<MiningParts>>) = (0..n)
        .map(|i| mining_month(m, &rows, market, power, i).map(|(month, p)| (month, Some(p))))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    months[0].capex = months[0].capex.plus(m.capex_usd)?;
    Ok(StrategyTemplate {
        base: Strategy {
            months,
            exit_multiple: m.f2.exit_multiple,
            fixed: None,
        },
        mining,
    })
}

/// What strategy `ai` is made of whatever month it starts in
/// (docs/model.md, "Strategy `ai` in format 2"): the fleet that mines
/// before the start (and through the build with `mine_during_build`), the
/// machines `keep_mining` keeps, the build capex, the rate path and the
/// AI load. [`ai_strategy`] builds one start from it, [`starts`] every
/// start.
struct AiSetup<'a> {
    a: &'a Ai,
    /// `[site.mining]` and its rows (none on a site without mining: the
    /// loader lets nothing mine there).
    fleet: Option<(&'a Mining, Vec<Row>)>,
    kept: Option<(&'a Mining, Kept)>,
    /// `g`, saturating.
    build_months: usize,
    build_capex: Decimal,
    escalator: Growth,
    it_mw: Decimal,
    metered_mw: Decimal,
    /// A `simulate` path's colocation tenant default: the lease ends at
    /// the end of this month (`None`: it runs to the horizon).
    lease_end: Option<usize>,
}

/// What mines in a month of strategy `ai`.
enum Miners {
    /// The whole fleet, as strategy `mine` mines it (without its capex).
    Fleet,
    /// The machines `keep_mining` keeps, beside the live AI load.
    Kept,
    None,
}

impl<'a> AiSetup<'a> {
    fn new(site: &'a Site, a: &'a Ai, net: &Network, n: usize) -> Result<AiSetup<'a>, Overflow> {
        let fleet = match &site.mining {
            Some(m) => Some((m, rows_of(m, net)?)),
            None => None,
        };
        let kept = match &site.mining {
            Some(m) if a.f2.keep_mining => Some((m, kept(site, m, a, net)?)),
            _ => None,
        };
        let it_mw = a.it_mw()?;
        Ok(AiSetup {
            a,
            fleet,
            kept,
            build_months: usize::try_from(a.build_months).unwrap_or(usize::MAX),
            build_capex: build_capex_per_month(a)?,
            escalator: rate_path(a, n)?,
            it_mw,
            metered_mw: it_mw.times(a.pue)?,
            lease_end: None,
        })
    }

    /// Go-live `L = s + g`, saturating: a go-live past the horizon never
    /// comes.
    fn live_from(&self, s: usize) -> usize {
        s.saturating_add(self.build_months)
    }

    /// What mines in month `i` when the conversion starts in month `s`.
    fn miners(&self, i: usize, s: usize) -> Miners {
        let building = (s..self.live_from(s)).contains(&i);
        if i < s || (building && self.a.mine_during_build) {
            Miners::Fleet
        } else if building {
            Miners::None
        } else if self.kept.as_ref().is_some_and(|(_, k)| !k.rows.is_empty()) {
            Miners::Kept
        } else {
            Miners::None
        }
    }

    /// The mining month of `miners` in month `i`, with its parts, or
    /// `None` when nothing mines.
    fn mining(
        &self,
        miners: &Miners,
        market: &MarketFree,
        power: &Power,
        i: usize,
    ) -> Result<Option<(Month, MiningParts)>, Overflow> {
        match (miners, &self.fleet, &self.kept) {
            (Miners::Fleet, Some((m, rows)), _) => {
                mining_month(m, rows, market, power, i).map(Some)
            }
            (Miners::Kept, _, Some((m, kept))) => {
                let (mut month, p) = mining_month(m, &kept.rows, market, power, i)?;
                // Mining opex scaled by kept meter load ÷ full meter load
                // (not at all when every machine is kept: × k ÷ k would
                // round, and the month must equal strategy mine's).
                if kept.it_kept != kept.it_full {
                    month.opex = month.opex.times(kept.it_kept)?.over(kept.it_full)?;
                }
                Ok(Some((month, p)))
            }
            _ => Ok(None),
        }
    }

    /// Month `i` of strategy `ai` starting in month `s`, from the month's
    /// mining (`Month::default()` when nothing mines): build capex, or the
    /// live AI load beside any kept machines. The fleet sale is not in it
    /// (see [`AiSetup::sold_in`]).
    fn month(
        &self,
        mut month: Month,
        i: usize,
        s: usize,
        market: &MarketFree,
        power: &Power,
    ) -> Result<Month, Overflow> {
        let a = self.a;
        let live_from = self.live_from(s);
        if (s..live_from).contains(&i) {
            month.capex = self.build_capex;
        } else if i >= live_from {
            let hours = market.hours[i];
            let k = (i - live_from) as u64;
            let share = ramp_share(k, a.ramp_months)?;
            // After a tenant's default the site earns no lease and the
            // tenant draws no power; AI opex goes on.
            let defaulted = self.lease_end.is_some_and(|d| i > d);
            month.opex = month
                .opex
                .plus(a.opex_usd_per_month.times(market.inflation[i])?)?;
            month.in_service = Some(share);
            let (rate, pays_power) = match &a.kind {
                AiKind::Colocation {
                    lease_usd_per_kw_month,
                    power_pass_through,
                    ..
                } => {
                    let kw = self.it_mw.times(Decimal::ONE_THOUSAND)?.times(share)?;
                    month.rate_coef = self.escalator.scale(kw, (k / 12) as usize)?;
                    month.rate = Some(
                        self.escalator
                            .scale(*lease_usd_per_kw_month, (k / 12) as usize)?,
                    );
                    (*lease_usd_per_kw_month, !power_pass_through)
                }
                AiKind::GpuCloud {
                    gpu_count,
                    utilization,
                    gpu_hour_usd,
                    gpu_capex_usd,
                    ..
                } => {
                    let sold = Decimal::from(*gpu_count)
                        .times(share)?
                        .times(hours)?
                        .times(*utilization)?;
                    // The GPU-hour rate keeps market time i (times a
                    // `simulate` path's factor).
                    month.rate_coef = self.escalator.scale(sold, i)?;
                    if let Some(f) = market.gpu_factor.get(i) {
                        month.rate_coef = month.rate_coef.times(*f)?;
                    }
                    month.rate = Some(self.escalator.scale(*gpu_hour_usd, i)?);
                    if k == 0 {
                        month.capex = Decimal::from(*gpu_count).times(*gpu_capex_usd)?;
                    }
                    (*gpu_hour_usd, true)
                }
            };
            if defaulted {
                month.rate_coef = Decimal::ZERO;
            }
            month.ai_revenue = rate.times(month.rate_coef)?;
            if pays_power && !defaulted {
                month.ai_power = self
                    .metered_mw
                    .times(share)?
                    .times(hours)?
                    .times(power.blended[i])?;
                month.power = month.ai_power.plus(month.power)?;
            }
        }
        // Without a build, all of the conversion capex in month s.
        if i == s && self.build_months == 0 {
            month.capex = month.capex.plus(self.build_capex)?;
        }
        Ok(month)
    }

    /// The month the fleet is sold in: when mining stops, at go-live when
    /// it mines through the build, else when the build starts (past the
    /// horizon: never).
    fn sold_in(&self, s: usize) -> usize {
        if self.a.mine_during_build {
            self.live_from(s)
        } else {
            s
        }
    }

    /// The AI exit multiple for start `s`: a buyer pays a multiple of a
    /// tenant's earnings, so 0 unless live for the whole window
    /// (`L ≤ months − w`).
    fn exit_multiple(&self, s: usize, n: usize) -> Decimal {
        if s < late_starts_from(self.a.build_months, n) {
            self.a.f2.exit_multiple
        } else {
            Decimal::ZERO
        }
    }
}

/// Strategy `ai` (docs/model.md, "Strategy `ai` in format 2") starting in
/// month `s`: the fleet mines until then, construction runs `s ≤ i < L =
/// s + g`, the AI load is live from `L`, and with `keep_mining` the best
/// machines mine beside it from `L`.
fn ai_strategy(
    setup: &AiSetup<'_>,
    s: usize,
    market: &MarketFree,
    power: &Power,
) -> Result<(StrategyTemplate, AiPlan), Overflow> {
    let n = market.hours.len();
    let mut months = Vec::with_capacity(n);
    let mut mined = Vec::with_capacity(n);
    for i in 0..n {
        let (month, parts) = match setup.mining(&setup.miners(i, s), market, power, i)? {
            Some((month, parts)) => (month, Some(parts)),
            None => (Month::default(), None),
        };
        months.push(setup.month(month, i, s, market, power)?);
        mined.push(parts);
    }
    let mut fleet_sale_usd = Decimal::ZERO;
    if let Some(month) = months.get_mut(setup.sold_in(s)) {
        month.fleet_sale = setup.a.f2.fleet_sale_usd;
        fleet_sale_usd = setup.a.f2.fleet_sale_usd;
    }
    let plan = AiPlan {
        start: s,
        fleet_sale_usd,
        kept_hashrate_ths: setup.kept.as_ref().map(|(_, k)| k.hashrate_ths),
    };
    Ok((
        StrategyTemplate {
            base: Strategy {
                months,
                exit_multiple: setup.exit_multiple(s, n),
                fixed: None,
            },
            mining: mined,
        },
        plan,
    ))
}

/// What strategy `ai` reports of its plan (see [`AiF2`]): `start` as a
/// month index.
#[derive(Debug, Clone, Copy)]
struct AiPlan {
    start: usize,
    fleet_sale_usd: Decimal,
    kept_hashrate_ths: Option<Decimal>,
}

/// `EBITDA · 12 / w` over the window of the last `w = min(12, months)`
/// months.
fn trailing_ebitda(months: &[Month]) -> Result<Decimal, Overflow> {
    let n = months.len();
    let w = n.min(12);
    let total = sum(months[n - w..]
        .iter()
        .map(Month::ebitda)
        .collect::<Result<Vec<_>, _>>()?)?;
    total
        .times(Decimal::from(12))?
        .over(Decimal::from(w as u64))
}

/// The terminal value (docs/model.md, "Terminal value"): `multiple ·
/// max(0, trailing EBITDA)` of `months`, the strategy's to its horizon.
fn terminal_value(months: &[Month], multiple: Decimal) -> Result<Decimal, Overflow> {
    multiple.times(trailing_ebitda(months)?.max(Decimal::ZERO))
}

/// A strategy's figures: totals, cash flows (terminal value in the last),
/// finance.
struct Figures {
    outcome: Outcome,
    cash_flows: Vec<Decimal>,
}

/// A strategy's cash flows at one price (docs/model.md, "Cash flow and
/// finance in format 2"): each month's revenue and cash flow (the
/// terminal value in the last month's), their present values and the
/// cumulative cash. What [`figures`] builds on, and all a sweep's
/// figures of a strategy need (see `headline`).
struct CashFlows {
    revenues: Vec<Decimal>,
    cash_flows: Vec<Decimal>,
    present_values: Vec<Decimal>,
    /// `C_1 … C_n`, `C_k` the sum of the first `k` cash flows.
    cumulatives: Vec<Decimal>,
    /// The terminal value: `exit multiple · max(0, trailing EBITDA)`.
    tv: Decimal,
}

impl CashFlows {
    fn of(st: &Strategy, discount: &Discount) -> Result<CashFlows, Overflow> {
        let n = st.months.len();
        let tv = terminal_value(&st.months, st.exit_multiple)?;
        let mut flows = CashFlows {
            revenues: Vec::with_capacity(n),
            cash_flows: Vec::with_capacity(n),
            present_values: Vec::with_capacity(n),
            cumulatives: Vec::with_capacity(n),
            tv,
        };
        let mut cumulative = Decimal::ZERO;
        for (i, m) in st.months.iter().enumerate() {
            let revenue = m.revenue()?;
            let mut cf = m.cash_flow_from(revenue)?;
            let last = i + 1 == n;
            if last {
                cf = cf.plus(tv)?;
            }
            let pv = match m.settled.and_then(|f| f.present_value) {
                Some(pv) if !last => pv,
                _ => discount.present_value(cf, i)?,
            };
            flows.revenues.push(revenue);
            flows.present_values.push(pv);
            cumulative = cumulative.plus(cf)?;
            flows.cumulatives.push(cumulative);
            flows.cash_flows.push(cf);
        }
        Ok(flows)
    }

    /// The NPV: [`Discount::npv`]'s sum of the present values, in its
    /// order.
    fn npv(&self) -> Result<Decimal, Overflow> {
        sum(self.present_values.iter().copied())
    }

    fn irr(&self) -> Result<Option<Decimal>, Overflow> {
        irr(&self.cash_flows)
    }

    fn payback_months(&self) -> Option<u32> {
        payback_from_cumulative(&self.cumulatives)
    }
}

fn figures(
    st: &Strategy,
    market: &Market<'_>,
    power: &Power,
    discount: &Discount,
    rate: Decimal,
) -> Result<Figures, Overflow> {
    let n = st.months.len();
    let flows = CashFlows::of(st, discount)?;
    let mut monthly = Vec::with_capacity(n);
    for (i, m) in st.months.iter().enumerate() {
        let (revenue, cf, pv) = (
            flows.revenues[i],
            flows.cash_flows[i],
            flows.present_values[i],
        );
        let cumulative = flows.cumulatives[i];
        monthly.push(MonthFigures {
            btc_mined: m.btc,
            revenue_usd: revenue,
            power_cost_usd: m.power,
            opex_usd: m.opex,
            capex_usd: m.capex,
            cash_flow_usd: cf,
            cumulative_cash_usd: cumulative,
            f2: Some(MonthF2 {
                btc_price_usd: market.price[i],
                network_hashrate_ehs: market.free.hashrate[i].ok_or(Overflow)?,
                power_price_usd_per_mwh: power.blended[i],
                run_share: if m.mined && !m.run_den.is_zero() {
                    Some(match m.run_share {
                        Some(share) => share,
                        None => m.run_num.over(m.run_den)?,
                    })
                } else {
                    None
                },
                rate: m.rate,
                in_service_share: m.in_service,
                discount_factor: discount.factor(i),
                present_value_usd: pv,
                fleet_sale_usd: m.fleet_sale,
                terminal_value_usd: if i + 1 == n { flows.tv } else { Decimal::ZERO },
            }),
        });
    }
    let fixed = match st.fixed {
        Some(f) => f,
        None => FixedTotals::of(&st.months, discount)?,
    };
    let run_den = fixed.run_den;
    let run_num = sum(st.months.iter().filter(|m| m.mined).map(|m| m.run_num))?;
    let outcome = Outcome {
        revenue_usd: sum(monthly.iter().map(|m| m.revenue_usd))?,
        power_cost_usd: sum(st.months.iter().map(|m| m.power))?,
        opex_usd: fixed.opex,
        capex_usd: fixed.capex,
        net_cash_usd: flows.cumulatives.last().copied().unwrap_or_default(),
        npv_usd: flows.npv()?,
        irr: flows.irr()?,
        payback_months: flows.payback_months(),
        btc_mined: sum(st.months.iter().map(|m| m.btc))?,
        price_line: Line {
            slope: Decimal::ZERO,
            intercept: Decimal::ZERO,
        },
        rate_line: Line {
            slope: Decimal::ZERO,
            intercept: Decimal::ZERO,
        },
        monthly,
        f2: Some(OutcomeF2 {
            mirr: mirr_with(&flows.cash_flows, &flows.present_values, rate)?,
            demand_response_usd: sum(st.months.iter().map(|m| m.demand_response))?,
            terminal_value_usd: flows.tv,
            run_share: if run_den.is_zero() {
                None
            } else {
                Some(run_num.over(run_den)?)
            },
        }),
    };
    Ok(Figures {
        outcome,
        cash_flows: flows.cash_flows,
    })
}

/// `ΔCF_i = CF_ai,i − CF_mine,i` month by month (docs/model.md, "Cash
/// flow and finance in format 2": the winner and the NPV advantage come
/// from it), its present values and its NPV.
struct Delta {
    flows: Vec<Decimal>,
    present_values: Vec<Decimal>,
    /// [`Discount::npv`]'s sum of the present values, in its order.
    npv: Decimal,
}

impl Delta {
    fn of(ai: &[Decimal], mine: &[Decimal], discount: &Discount) -> Result<Delta, Overflow> {
        let flows = ai
            .iter()
            .zip(mine)
            .map(|(a, m)| a.minus(*m))
            .collect::<Result<Vec<_>, _>>()?;
        let present_values = flows
            .iter()
            .enumerate()
            .map(|(i, d)| discount.present_value(*d, i))
            .collect::<Result<Vec<_>, _>>()?;
        let npv = sum(present_values.iter().copied())?;
        Ok(Delta {
            flows,
            present_values,
            npv,
        })
    }

    /// The winner by the sign of the NPV of ΔCF.
    fn winner(&self) -> Winner {
        match self.npv.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => Winner::Ai,
            std::cmp::Ordering::Less => Winner::Mine,
            std::cmp::Ordering::Equal => Winner::Tie,
        }
    }
}

/// `Σ_k weight_k · NPV_k(P)` as a piecewise-linear function of the month-0
/// price; identical row/block terms of two strategies cancel before any
/// sum (ΔCF month by month).
fn price_function(parts: &[(i32, &Strategy)], discount: &Discount) -> Result<Piecewise, Overflow> {
    let n = parts.first().map_or(0, |p| p.1.months.len());
    let mut fixed = vec![Decimal::ZERO; n];
    let mut merged: BTreeMap<(usize, usize, usize), (Term, i32)> = BTreeMap::new();
    for (weight, st) in parts {
        let w = Decimal::from(*weight);
        for (i, m) in st.months.iter().enumerate() {
            fixed[i] = fixed[i].plus(w.times(m.fixed()?)?)?;
            for (key, term) in &m.terms {
                let entry = merged.entry(*key).or_insert((*term, 0));
                entry.1 += weight;
            }
        }
    }
    let intercept = discount.npv(fixed)?;
    let mut terms = Vec::with_capacity(merged.len());
    for ((i, _, _), (t, w)) in &merged {
        if *w == 0 {
            continue;
        }
        let f = Decimal::from(*w).times(discount.factor(*i))?;
        terms.push(Term {
            threshold: t.threshold,
            slope: t.slope.times(f)?,
            intercept: t.intercept.times(f)?,
        });
    }
    let mut kinks = Vec::new();
    for (weight, st) in parts {
        if st.exit_multiple.is_zero() || n == 0 {
            continue;
        }
        let w = n.min(12);
        let scale = Decimal::from(12).over(Decimal::from(w as u64))?;
        let window = &st.months[n - w..];
        let e0 = sum(window
            .iter()
            .map(|m| m.ai_revenue.minus(m.opex)?.minus(m.ai_power))
            .collect::<Result<Vec<_>, _>>()?)?
        .times(scale)?;
        let mut kterms = Vec::new();
        for m in window {
            for (_, t) in &m.terms {
                kterms.push(Term {
                    threshold: t.threshold,
                    slope: t.slope.times(scale)?,
                    intercept: t.intercept.times(scale)?,
                });
            }
        }
        kinks.push(Kink {
            coef: Decimal::from(*weight)
                .times(st.exit_multiple)?
                .times(discount.factor(n - 1))?,
            intercept: e0,
            slope: Decimal::ZERO,
            terms: kterms,
        });
    }
    Ok(Piecewise {
        intercept,
        slope: Decimal::ZERO,
        terms,
        kinks,
    })
}

/// The AI rate at which the strategy's NPV is 0 (unique; `None` when
/// revenue does not depend on the rate).
fn breakeven_rate(st: &Strategy, discount: &Discount) -> Result<Option<Decimal>, Overflow> {
    let b = rate_npv(st, discount)?;
    if b.is_zero() {
        return Ok(None);
    }
    // Discount::npv of the cash flows without AI revenue, a settled
    // month's present value as its template computed it.
    let mut a = Decimal::ZERO;
    for (i, m) in st.months.iter().enumerate() {
        let pv = match m.settled.and_then(|f| f.rate_present_value) {
            Some(pv) => pv,
            None => discount.present_value(m.cash_flow()?.minus(m.ai_revenue)?, i)?,
        };
        a = a.plus(pv)?;
    }
    let (c, e0, e1) = rate_kink(st, discount)?;
    piecewise::increasing_root(a, b, c, e0, e1)
}

/// The AI rate at which `NPV_ai = NPV_mine`, from ΔCF month by month:
/// the AI strategy's rate terms against the mining cash flows (terminal
/// value included), unique as the AI NPV increases in the rate.
fn conversion_rate(
    ai: &Strategy,
    mine_cfs: &[Decimal],
    discount: &Discount,
) -> Result<Option<Decimal>, Overflow> {
    let b = rate_npv(ai, discount)?;
    if b.is_zero() {
        return Ok(None);
    }
    let a = discount.npv(
        ai.months
            .iter()
            .zip(mine_cfs)
            .map(|(m, c)| m.cash_flow()?.minus(m.ai_revenue)?.minus(*c))
            .collect::<Result<Vec<_>, _>>()?,
    )?;
    let (c, e0, e1) = rate_kink(ai, discount)?;
    piecewise::increasing_root(a, b, c, e0, e1)
}

/// `Σ rate_coef_i / (1 + r)^((i+1)/12)`: the AI NPV per unit of rate.
fn rate_npv(st: &Strategy, discount: &Discount) -> Result<Decimal, Overflow> {
    match st.fixed {
        Some(f) => Ok(f.rate_npv),
        None => discount.npv(st.months.iter().map(|m| m.rate_coef)),
    }
}

/// The AI terminal value as a function of the rate: `c · max(0, e0 + e1 ·
/// rate)`.
fn rate_kink(st: &Strategy, discount: &Discount) -> Result<(Decimal, Decimal, Decimal), Overflow> {
    let n = st.months.len();
    let w = n.min(12);
    let scale = Decimal::from(12).over(Decimal::from(w as u64))?;
    let window = &st.months[n - w..];
    let c = st.exit_multiple.times(discount.factor(n - 1))?;
    let e0 = sum(window
        .iter()
        .map(|m| m.ebitda()?.minus(m.ai_revenue))
        .collect::<Result<Vec<_>, _>>()?)?
    .times(scale)?;
    let e1 = sum(window.iter().map(|m| m.rate_coef))?.times(scale)?;
    Ok((c, e0, e1))
}

fn site_summary(
    scenario: &Scenario,
    site: &Site,
    template: &SiteTemplate,
    market: &Market<'_>,
    network: &Network,
    discount: &Discount,
) -> Result<SiteSummary, Overflow> {
    let n = market.price.len();
    let power = &template.power;
    let rate = scenario.discount_rate;
    let roots = template.roots(discount)?;
    let mine_st = template.mine.as_ref().map(|t| t.at(market)).transpose()?;
    let ai_st = template.ai.as_ref().map(|t| t.at(market)).transpose()?;
    let mut mine_cfs = None;
    let mine = match &mine_st {
        Some(st) => {
            let f = figures(st, market, power, discount, rate)?;
            let btc = f.outcome.btc_mined;
            let per_btc = |usd: Decimal| -> Result<Option<Decimal>, Overflow> {
                if btc.is_zero() {
                    Ok(None)
                } else {
                    usd.over(btc).map(Some)
                }
            };
            let all_in = f
                .outcome
                .power_cost_usd
                .plus(f.outcome.opex_usd)?
                .plus(f.outcome.capex_usd)?;
            mine_cfs = Some(f.cash_flows);
            Some(MineSummary {
                breakeven_btc_price_usd: roots.breakeven,
                cost_per_btc_usd: per_btc(f.outcome.power_cost_usd)?,
                all_in_cost_per_btc_usd: per_btc(all_in)?,
                outcome: f.outcome,
            })
        }
        None => None,
    };
    let mut ai_cfs = None;
    let ai = match (&ai_st, &site.ai) {
        (Some(st), Some(a)) => {
            let f = figures(st, market, power, discount, rate)?;
            ai_cfs = Some(f.cash_flows);
            Some(AiSummary {
                offer: match a.kind {
                    AiKind::Colocation { .. } => Offer::Colocation,
                    AiKind::GpuCloud { .. } => Offer::GpuCloud,
                },
                breakeven_rate: piecewise::limit_root(breakeven_rate(st, discount)?),
                go_live: go_live(a, n).map(|g| network.months[g].grid.label),
                f2: template.plan.map(|p| AiF2 {
                    start: network.months[p.start].grid.label,
                    fleet_sale_usd: p.fleet_sale_usd,
                    kept_hashrate_ths: p.kept_hashrate_ths,
                }),
                outcome: f.outcome,
            })
        }
        _ => None,
    };
    let comparison = match (&mine_st, &ai_st, &mine_cfs, &ai_cfs) {
        (Some(_), Some(as_), Some(mc), Some(ac)) => {
            let delta = Delta::of(ac, mc, discount)?;
            let advantage = delta.npv;
            let conversion = Conversion {
                npv_usd: advantage,
                irr: irr(&delta.flows)?,
                mirr: mirr_with(&delta.flows, &delta.present_values, rate)?,
                payback_months: payback_months(&delta.flows)?,
                breakeven_rate: piecewise::limit_root(conversion_rate(as_, mc, discount)?),
            };
            Some(Comparison {
                winner: delta.winner(),
                npv_advantage_usd: advantage.abs(),
                crossover_btc_price_usd: roots.crossover,
                conversion: Some(conversion),
            })
        }
        _ => None,
    };
    Ok(SiteSummary {
        name: site.name.clone(),
        mine,
        ai,
        comparison,
    })
}

/// Strategy `ai`'s NPV with `site.ai.start` at each month s = 0 …
/// months − 1, everything else as the scenario gives it (docs/model.md,
/// "When to convert (`pivot`)"), for the site at `site_index`, which has
/// both strategies. Each equals `run`'s AI NPV with that start: the same
/// months, cash flows and present values, summed in month order. What
/// does not depend on the start is computed once: the network, the power
/// prices, and the mining months before it (strategy `mine`'s months
/// without its capex), whose present values are summed once as a prefix.
pub fn npv_by_start(scenario: &Scenario, site_index: usize) -> Result<Vec<StartNpv>, ComputeError> {
    let site = scenario.sites.get(site_index);
    let fail = |_: Overflow| ComputeError {
        scenario: scenario.name.clone(),
        during: format!(
            "site[{site_index}] (\"{}\") the AI NPV by start month",
            site.map_or("", |s| s.name.as_str())
        ),
    };
    let shared = super::compute::shared(scenario, None)?;
    let (network, discount) = (&shared.network, &shared.discount);
    let (Some(site), Some(free)) = (site, MarketFree::new(scenario, network).ok()) else {
        return Err(fail(Overflow));
    };
    let (Some(_), Some(a)) = (&site.mining, &site.ai) else {
        return Err(fail(Overflow));
    };
    starts(
        site,
        a,
        &free,
        scenario.bitcoin.price_usd,
        network,
        discount,
    )
    .map_err(fail)
}

/// Strategy `ai`'s NPV for one start month, and the part of it that is
/// the terminal value's present value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartNpv {
    pub npv_usd: Decimal,
    pub terminal_value_pv_usd: Decimal,
}

fn starts(
    site: &Site,
    a: &Ai,
    free: &MarketFree,
    price_usd: Decimal,
    network: &Network,
    discount: &Discount,
) -> Result<Vec<StartNpv>, Overflow> {
    let n = free.hours.len();
    let market = Market::at(free, price_usd)?;
    let p0 = price_of(&market);
    let power = Power::new(site, n)?;
    let setup = AiSetup::new(site, a, network, n)?;
    // Each month's mining, priced, computed once: the full fleet's (before
    // the start and through a build that mines), and the kept machines'.
    let priced = |miners: Miners| -> Result<Vec<Option<Month>>, Overflow> {
        (0..n)
            .map(|i| {
                setup
                    .mining(&miners, free, &power, i)?
                    .map(|(month, parts)| {
                        let mut month = month.without_terms();
                        parts.add_to(&mut month, market.price[i], p0)?;
                        Ok(month)
                    })
                    .transpose()
            })
            .collect()
    };
    let fleet = priced(Miners::Fleet)?;
    let kept = match &setup.kept {
        Some(_) => priced(Miners::Kept)?,
        None => vec![None; n],
    };
    // prefix[s]: Σ_{i<s} PV of the mining month i without capex, summed
    // from the left as Discount::npv sums.
    let mut prefix = Vec::with_capacity(n + 1);
    let mut acc = Decimal::ZERO;
    prefix.push(acc);
    for (i, month) in fleet.iter().enumerate() {
        let cf = match month {
            Some(month) => month.cash_flow()?,
            None => Decimal::ZERO,
        };
        acc = acc.plus(discount.present_value(cf, i)?)?;
        prefix.push(acc);
    }
    (0..n)
        .map(|s| {
            let mut months = Vec::with_capacity(n - s);
            for i in s..n {
                let mining = match setup.miners(i, s) {
                    Miners::Fleet => fleet[i].clone(),
                    Miners::Kept => kept[i].clone(),
                    Miners::None => None,
                };
                let mut month = setup.month(mining.unwrap_or_default(), i, s, free, &power)?;
                if i == setup.sold_in(s) {
                    month.fleet_sale = a.f2.fleet_sale_usd;
                }
                months.push(month);
            }
            // The terminal value counts only when live for the whole
            // window, which then lies within months ≥ s.
            let exit_multiple = setup.exit_multiple(s, n);
            let tv = if exit_multiple.is_zero() {
                Decimal::ZERO
            } else {
                terminal_value(&months, exit_multiple)?
            };
            let mut npv = prefix[s];
            let last = months.len().saturating_sub(1);
            for (k, month) in months.iter().enumerate() {
                let mut cf = month.cash_flow()?;
                if k == last {
                    cf = cf.plus(tv)?;
                }
                npv = npv.plus(discount.present_value(cf, s + k)?)?;
            }
            Ok(StartNpv {
                npv_usd: npv,
                terminal_value_pv_usd: tv.times(discount.factor(n - 1))?,
            })
        })
        .collect()
}
