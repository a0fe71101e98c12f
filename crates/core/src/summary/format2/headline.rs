//! A sweep's figures of a format-2 point, without the rest of its summary.
//!
//! A sweep prints five figures of each site at each grid point
//! ([`SiteFigures`]: each strategy's NPV, IRR and payback, the winner and
//! the NPV advantage), but the summary computes every figure `run`
//! prints: three MIRRs (each a `months`-th root), the conversion block
//! (ΔCF's IRR and payback, the AI rate's root), the AI breakeven rate,
//! costs per BTC, the revenue, power and BTC totals, the monthly rows, the
//! hashprice and the BTC price path. That is about half of a format-2
//! point's CPU time (README, "Speed").
//!
//! Here a point computes only the five, through the summary's own steps
//! ([`StrategyTemplate::with_sets`], [`CashFlows`], [`Delta`]), so each
//! is the same decimal as in the summary. What is left out can change a
//! point's output only by failing: an overflow anywhere in a summary
//! makes the whole point an error. So a point is computed this way only
//! where nothing left out can fail, as bounds in `f64` show with a wide
//! margin (see [`Lean`] and [`site_figures`]: every sum and product left
//! out stays below 10^25, every quotient and root is of numbers far from
//! 0); at any other point, and wherever a step here fails, [`sweep_figures`]
//! returns `None` and the point is computed in full, so it prints exactly
//! what `run` prints.
//!
//! Which (row, block) parts of a mining month run at a price (economic
//! shutdown: `R_i · (1 − fee) · P_i ≥ cost`, docs/model.md, "Mining, row
//! by row") is read from `f64` where no cost is within rounding of the
//! month's earnings, and decided exactly (as the summary decides it)
//! where one is: the exact test needs the month's BTC price `P_i`, a
//! full-precision product the summary makes for every month.

use super::{Cache, Scenario, template_of};
use super::{CashFlows, Delta, MarketFree, MiningParts, SiteTemplate, StrategyTemplate, Template};
use crate::exact::{Overflow, approx};
use crate::finance::Discount;
use crate::network::Network;
use crate::sweep::SiteFigures;
use rust_decimal::Decimal;

/// The largest value a bound may reach: 10^25, against the decimal
/// range's 7.9 × 10^28, so that `f64` rounding and the bounds' own
/// sloppiness (each is a sum of absolute values, never tight) leave a
/// margin of thousands.
const FAR_INSIDE: f64 = 1e25;

/// A factor for everything a bound does not count exactly: the terminal
/// value's `12 / w`, a figure summed from two or three of a month's
/// (`CF − AI revenue`), a product with a discount factor.
const SLACK: f64 = 1e3;

fn within(x: f64) -> bool {
    x.is_finite() && x <= FAR_INSIDE
}

/// What a [`Template`] adds for figures-only points: the bounds of every
/// figure a point leaves out, as functions of the month-0 price, and the
/// costs each mining month screens its earnings against.
#[derive(Debug)]
pub(super) struct Lean {
    /// `max_i hp_i / P_0`: the hashprice per USD of month-0 price.
    hashprice: f64,
    /// `max_i P_i / P_0`; `None` when some `P_i / P_0` is beyond the
    /// decimal range (the price path overflows at any price but 0).
    price: Option<f64>,
    /// `max(1, max_i d_i)` over the discount factors `d_i`.
    discount: f64,
    sites: Vec<LeanSite>,
}

#[derive(Debug)]
struct LeanSite {
    mine: Option<LeanStrategy>,
    ai: Option<LeanStrategy>,
    /// The site's breakeven and crossover BTC prices (which a sweep does
    /// not print, and the template computes only when asked) cannot fail:
    /// see [`roots_safe`].
    roots_safe: bool,
}

/// One strategy's bounds.
#[derive(Debug)]
struct LeanStrategy {
    /// Each month's screen, for the months that mine.
    screens: Vec<Option<Screen>>,
    /// `W(P_0) = bound.0 + bound.1 · P_0` is at least `Σ_i` of the
    /// absolute values of every figure of month `i` (BTC, mining and AI
    /// revenue, AI rate units, demand response, power, opex, capex, fleet
    /// sale, run-share parts, cash flow), plus the terminal value's
    /// `exit · 12 · Σ` of the same over its window: so `W` bounds every
    /// sum over months a strategy's summary makes of them (partial sums
    /// included), and every month's cash flow.
    bound: (f64, f64),
    /// `max_i R_i · (1 − fee) · P_i / P_0` over the months that mine (the
    /// product that decides which parts run).
    earned: f64,
    /// The exit multiple.
    exit: f64,
    /// The smallest positive BTC a month's run set mines (the costs per
    /// BTC divide by the BTC mined, when it is not 0); infinite if none.
    btc_min: f64,
    /// `Σ run_den`, the run share's denominator, when it is not 0.
    run_den: Option<f64>,
    /// Where the AI breakeven rate and the conversion's rate divide the
    /// trailing EBITDA by its rate slope `e1` and multiply by the rate
    /// NPV `b` (`piecewise::increasing_root`): `max(1, |b|) / e1`; else
    /// 0.
    rate: f64,
    /// A month's present value without AI revenue left the decimal range
    /// in the template: the breakeven rate computes it again, and fails.
    rate_pv_missing: bool,
}

/// A mining month's run sets by price, in `f64`.
#[derive(Debug)]
struct Screen {
    /// `R_i · (1 − fee) · P_i / P_0`.
    per_price: f64,
    /// The month's distinct costs, ascending ([`MiningParts::costs`]).
    costs: Vec<f64>,
    /// An absolute margin below which earnings and a cost are too close
    /// to tell in `f64` whatever their size (the decimal products round
    /// at 28 decimal places).
    floor: f64,
}

impl Screen {
    /// [`MiningParts::set_at`] at month-0 price `p` (in `f64`), from the
    /// screen where every cost is clearly above or below the month's
    /// earnings, else from `exact`.
    fn set(
        &self,
        p: f64,
        exact: impl FnOnce() -> Result<usize, Overflow>,
    ) -> Result<usize, Overflow> {
        let earned = p * self.per_price;
        let k = self.costs.partition_point(|c| *c <= earned);
        // Relative rounding of the decimal products and of f64 is below
        // 1e-15; 1e-9 leaves a wide margin.
        let near = |c: f64| (c - earned).abs() <= 1e-9 * (c.abs() + earned.abs()) + self.floor;
        let unsure = !earned.is_finite()
            || (k > 0 && near(self.costs[k - 1]))
            || self.costs.get(k).is_some_and(|c| near(*c));
        if unsure { exact() } else { Ok(k) }
    }
}

impl Lean {
    /// `None` when the template has a failed part (every point then fails
    /// in full).
    fn new(
        template: &Template,
        free: &MarketFree,
        network: &Network,
        discount: &Discount,
    ) -> Option<Lean> {
        let n = free.hours.len();
        let max = |xs: &mut dyn Iterator<Item = f64>| xs.fold(0.0_f64, f64::max);
        let price = (0..n)
            .map(|i| free.price_growth.approx(i))
            .collect::<Option<Vec<f64>>>()
            .map(|p| max(&mut p.into_iter()));
        let factor = max(&mut (0..n).map(|i| approx(discount.factor(i)))).max(1.0);
        let sites = template
            .sites
            .iter()
            .map(|site| {
                let t = site.as_ref().ok()?;
                LeanSite::new(t, free, discount, factor)
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Lean {
            hashprice: max(&mut network
                .months
                .iter()
                .map(|m| approx(m.hashprice_per_price_usd).abs())),
            price,
            discount: factor,
            sites,
        })
    }
}

impl LeanSite {
    fn new(
        t: &SiteTemplate,
        free: &MarketFree,
        discount: &Discount,
        factor: f64,
    ) -> Option<LeanSite> {
        Some(LeanSite {
            roots_safe: roots_safe(t, factor),
            mine: match &t.mine {
                Some(st) => Some(LeanStrategy::new(st, free, discount)?),
                None => None,
            },
            ai: match &t.ai {
                Some(st) => Some(LeanStrategy::new(st, free, discount)?),
                None => None,
            },
        })
    }
}

/// Whether the site's breakeven and crossover BTC prices cannot fail
/// (`price_function`, `Piecewise::pieces`, `piecewise::breakeven` and
/// `crossover`), `factor` being the largest discount factor (at least 1).
/// Those functions sum the strategies' terms (each month's
/// `(row, block)` slope and intercept in the month-0 price, discounted,
/// and over the terminal value's window times `exit · d_(n−1) · 12/w`),
/// and the months' price-free parts (AI revenue and power, opex, capex,
/// fleet sale) likewise, and evaluate lines at prices up to the root
/// limit 10^12 (nothing beyond it is described: `Piecewise::pieces`);
/// their quotients are roots, where an overflow is a null root. So every
/// value they make is at most `Σ |intercepts| + (10^12 + 2) · Σ |slopes|`.
fn roots_safe(t: &SiteTemplate, factor: f64) -> bool {
    let abs = |x: Decimal| approx(x).abs();
    let (mut slopes, mut intercepts) = (0.0_f64, 0.0_f64);
    for st in [&t.mine, &t.ai].into_iter().flatten() {
        let months = &st.base.months;
        let n = months.len();
        let w = n.min(12);
        // (Σ |slope|, Σ |intercept| + |price-free parts|) over all months,
        // then over the window.
        let (mut all, mut window) = ((0.0, 0.0), (0.0, 0.0));
        for (i, m) in months.iter().enumerate() {
            let slope = m.terms.iter().map(|(_, t)| abs(t.slope)).sum::<f64>();
            let intercept = m.terms.iter().map(|(_, t)| abs(t.intercept)).sum::<f64>()
                + [m.ai_revenue, m.ai_power, m.opex, m.capex, m.fleet_sale]
                    .into_iter()
                    .map(abs)
                    .sum::<f64>();
            all = (all.0 + slope, all.1 + intercept);
            if i + w >= n {
                window = (window.0 + slope, window.1 + intercept);
            }
        }
        let kink = abs(st.base.exit_multiple) * factor * 12.0;
        slopes += factor * all.0 + kink * window.0;
        intercepts += factor * all.1 + kink * window.1;
    }
    within(SLACK * (intercepts + (1e12 + 2.0) * slopes))
}

impl LeanStrategy {
    fn new(st: &StrategyTemplate, free: &MarketFree, discount: &Discount) -> Option<LeanStrategy> {
        let months = &st.base.months;
        let n = months.len();
        let w = n.min(12);
        let fixed = st.base.fixed?;
        // No months: the summary fails (its trailing EBITDA divides by 0).
        if n == 0 {
            return None;
        }
        let abs = |x: Decimal| approx(x).abs();
        let (mut total, mut window) = ((0.0, 0.0), (0.0, 0.0));
        let mut screens = Vec::with_capacity(n);
        let (mut earned, mut btc_min) = (0.0_f64, f64::INFINITY);
        let mut rate_pv_missing = false;
        for (i, (m, parts)) in months.iter().zip(&st.mining).enumerate() {
            let mut fixed_part = [
                m.btc,
                m.mining_revenue,
                m.demand_response,
                m.ai_revenue,
                m.rate_coef,
                m.power,
                m.ai_power,
                m.opex,
                m.capex,
                m.fleet_sale,
                m.run_num,
                m.run_den,
            ]
            .into_iter()
            .map(abs)
            .sum::<f64>();
            let mut slope = 0.0_f64;
            match parts {
                None => {
                    if let Some(f) = m.settled {
                        fixed_part += abs(f.revenue) + abs(f.cash_flow);
                        rate_pv_missing |= f.rate_present_value.is_none();
                    }
                    screens.push(None);
                }
                Some(parts) => {
                    let mut set_part = 0.0_f64;
                    for set in parts.sets.iter().flatten() {
                        set_part = set_part.max(
                            abs(set.btc)
                                + abs(set.power)
                                + abs(set.demand_response)
                                + abs(set.run_num),
                        );
                        slope = slope.max(abs(set.price_coef));
                        if set.btc > Decimal::ZERO {
                            btc_min = btc_min.min(approx(set.btc));
                        }
                    }
                    fixed_part += set_part;
                    let nr = abs(parts.net_reward);
                    let per_price = free
                        .price_growth
                        .approx(i)
                        .map_or(f64::INFINITY, |g| nr * g);
                    earned = earned.max(per_price);
                    screens.push(Some(Screen {
                        per_price,
                        costs: parts.costs.iter().map(|c| approx(*c)).collect(),
                        floor: 1e-20 * (1.0 + nr),
                    }));
                }
            }
            total = (total.0 + fixed_part, total.1 + slope);
            if i >= n - w {
                window = (window.0 + fixed_part, window.1 + slope);
            }
        }
        let exit = abs(st.base.exit_multiple);
        // piecewise::increasing_root divides by e1 = 12/w · Σ rate_coef
        // over the window, with c = exit · d_(n−1), when b, c and e1 are
        // all non-zero (rate_coef is never negative).
        let e1 = months[n - w..]
            .iter()
            .map(|m| abs(m.rate_coef))
            .sum::<f64>()
            * 12.0
            / w as f64;
        let divides = !fixed.rate_npv.is_zero()
            && !st.base.exit_multiple.is_zero()
            && !discount.factor(n - 1).is_zero()
            && e1 > 0.0;
        Some(LeanStrategy {
            screens,
            bound: (
                total.0 + 12.0 * exit * window.0,
                total.1 + 12.0 * exit * window.1,
            ),
            earned,
            exit,
            btc_min,
            run_den: (!fixed.run_den.is_zero()).then(|| approx(fixed.run_den)),
            rate: if divides {
                abs(fixed.rate_npv).max(1.0) / e1
            } else {
                0.0
            },
            rate_pv_missing,
        })
    }

    /// `W` at month-0 price `p`.
    fn bound(&self, p: f64) -> f64 {
        self.bound.0 + self.bound.1 * p
    }

    /// The strategy's cash flows at month-0 price `p0` (`p` in `f64`), as
    /// the summary computes them.
    fn flows(
        &self,
        st: &StrategyTemplate,
        free: &MarketFree,
        p0: Decimal,
        p: f64,
        discount: &Discount,
    ) -> Option<CashFlows> {
        // MiningParts::set_at at the month's BTC price, as Market::at
        // computes it.
        let exact = |i: usize, parts: &MiningParts| parts.set_at(free.price_growth.scale(p0, i)?);
        let strategy = st
            .with_sets(p0, |i, parts| match &self.screens[i] {
                Some(screen) => screen.set(p, || exact(i, parts)),
                None => exact(i, parts),
            })
            .ok()?;
        CashFlows::of(&strategy, discount).ok()
    }
}

/// Whether `finance::mirr_with` of these flows cannot fail. Its sums are
/// within a strategy's bound; what is left is the ratio `PV+ / −PV−`
/// (when some flow is negative and some positive, and neither sum is 0)
/// and its root: for a ratio in [10^-14, 10^19] the quotient is in range,
/// and `exact::nth_root_near` works on numbers from about 10^-3 to 10^4
/// (the `n`-th root of the ratio, `n` ≥ 5 months where 12/n is not
/// whole), far from where a power or quotient of them would leave the
/// range or round to 0; a power that overflows after the root is a null
/// MIRR, not an error.
fn mirr_safe(cash_flows: &[Decimal], present_values: &[Decimal]) -> bool {
    let (mut neg, mut pos) = (0.0_f64, 0.0_f64);
    let (mut any_neg, mut any_pos) = (false, false);
    for (c, pv) in cash_flows.iter().zip(present_values) {
        if c.is_zero() {
            continue;
        }
        // A non-zero decimal is a non-zero f64, and a sum of terms of one
        // sign is 0 only when each is: so each sum here is 0 exactly when
        // mirr_with's is.
        if c.is_sign_negative() {
            any_neg = true;
            neg -= approx(*pv);
        } else {
            any_pos = true;
            pos += approx(*pv);
        }
    }
    if !any_neg || !any_pos || neg == 0.0 || pos == 0.0 {
        return true;
    }
    (1e-14..=1e19).contains(&(pos / neg))
}

/// The figures a sweep prints of each site of a format-2 `scenario` at
/// its grid point, reusing the projection and the [`Template`] from
/// `cache`; `None` when the point must be computed in full (see the
/// module's docs).
pub(in crate::summary) fn sweep_figures(
    scenario: &Scenario,
    cache: &Cache,
) -> Option<Vec<SiteFigures>> {
    let shared = super::super::compute::shared(scenario, Some(cache)).ok()?;
    let template = template_of(scenario, &shared);
    let free = template.market.as_ref().ok()?;
    let lean = template
        .lean
        .get_or_init(|| Lean::new(&template, free, &shared.network, &shared.discount))
        .as_ref()?;
    let price_usd = scenario.bitcoin.price_usd;
    let p = approx(price_usd).abs();
    // The summary's first steps: the hashprice and the price path.
    if !within(p * lean.hashprice) || !within(p * lean.price?) {
        return None;
    }
    // P_0 as Market::at computes it.
    let p0 = free.price_growth.scale(price_usd, 0).ok()?;
    scenario
        .sites
        .iter()
        .zip(&template.sites)
        .zip(&lean.sites)
        .map(|((site, t), l)| {
            let t = t.as_ref().ok()?;
            site_figures(&site.name, t, l, lean, free, p0, p, &shared.discount)
        })
        .collect()
}

/// One site's figures at month-0 price `p0` (`p` in `f64`), or `None`
/// where a figure the summary computes and a sweep does not print might
/// fail.
#[allow(clippy::too_many_arguments)]
fn site_figures(
    name: &str,
    t: &SiteTemplate,
    l: &LeanSite,
    lean: &Lean,
    free: &MarketFree,
    p0: Decimal,
    p: f64,
    discount: &Discount,
) -> Option<SiteFigures> {
    let bound = |s: &Option<LeanStrategy>| s.as_ref().map_or(0.0, |s| s.bound(p));
    let (w_mine, w_ai) = (bound(&l.mine), bound(&l.ai));
    // Every sum, difference and discounted sum of both strategies' months
    // (ΔCF, its NPV without AI revenue, the rate kink's c · e0: c is at
    // most exit · max d_i).
    let exit = l.ai.as_ref().map_or(0.0, |s| s.exit);
    let total = SLACK * lean.discount * (1.0 + exit) * (w_mine + w_ai);
    if !within(total) {
        return None;
    }
    for (s, w) in [(&l.mine, w_mine), (&l.ai, w_ai)] {
        if let Some(s) = s
            && (!within(p * s.earned) || s.run_den.is_some_and(|d| !within(SLACK * w / d)))
        {
            return None;
        }
    }
    if let Some(m) = &l.mine
        && m.btc_min.is_finite()
        && !within(SLACK * w_mine / m.btc_min)
    {
        return None;
    }
    if let Some(a) = &l.ai
        && (a.rate_pv_missing || !within(total * a.rate))
    {
        return None;
    }
    if !l.roots_safe && t.roots(discount).is_err() {
        return None;
    }
    let flows = |t: &Option<StrategyTemplate>, l: &Option<LeanStrategy>| match (t, l) {
        (Some(st), Some(ls)) => {
            let f = ls.flows(st, free, p0, p, discount)?;
            mirr_safe(&f.cash_flows, &f.present_values).then_some(Some(f))
        }
        _ => Some(None),
    };
    let mine = flows(&t.mine, &l.mine)?;
    let ai = flows(&t.ai, &l.ai)?;
    let delta = match (&mine, &ai) {
        (Some(m), Some(a)) => {
            let d = Delta::of(&a.cash_flows, &m.cash_flows, discount).ok()?;
            mirr_safe(&d.flows, &d.present_values).then_some(())?;
            Some(d)
        }
        _ => None,
    };
    type Headline = (Decimal, Option<Decimal>, Option<u32>);
    let headline = |f: &Option<CashFlows>| -> Option<Option<Headline>> {
        match f {
            Some(f) => Some(Some((f.npv().ok()?, f.irr().ok()?, f.payback_months()))),
            None => Some(None),
        }
    };
    let (mine, ai) = (headline(&mine)?, headline(&ai)?);
    Some(SiteFigures {
        site: name.to_string(),
        mine_npv_usd: mine.map(|h| h.0),
        ai_npv_usd: ai.map(|h| h.0),
        mine_irr: mine.and_then(|h| h.1),
        ai_irr: ai.and_then(|h| h.1),
        mine_payback_months: mine.and_then(|h| h.2),
        ai_payback_months: ai.and_then(|h| h.2),
        winner: delta.as_ref().map(Delta::winner),
        npv_advantage_usd: delta.map(|d| d.npv.abs()),
    })
}
