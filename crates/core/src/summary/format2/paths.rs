//! One `simulate` path of a format-2 scenario (docs/model.md,
//! "Uncertainty: `simulate`"): each site's NPV and payback under both
//! strategies when the BTC price, the network hashrate and the GPU-hour
//! rate follow the path's factors and a colocation tenant may default.
//!
//! Everything a path does not change is computed once, in [`PathBase`]:
//! the network projection, the discount factors, the market without the
//! path's factors, each site's power prices. A path then builds each
//! strategy's months as `run` builds them, from a market whose reward is
//! the path's.
//!
//! How the factors enter: a month's BTC mined is `β = T · uptime · R_i ·
//! (1 − fee) / (H_i · 10^6)` and its revenue `β · P_i`; economic shutdown
//! runs a row when `R_i · (1 − fee) · P_i ≥ price · H_i · E · pue ·
//! hours`. With `P_i` and `H_i` scaled by `S^p_i` and `S^h_i`, both are
//! the deterministic ones with `R_i` scaled by `S^p_i / S^h_i`: so a
//! path's market is the deterministic one with that reward, and revenue,
//! run decisions, demand response and terminal value follow (only the
//! month's BTC count, which a path does not report, is not the path's).

use super::{AiSetup, CashFlows, Delta, MarketFree, Power, ai_strategy, mine_strategy};
use super::{Market, Overflow};
use crate::exact::Checked;
use crate::finance::Discount;
use crate::network::Network;
use crate::scenario::Scenario;
use crate::summary::cache::Shared;
use crate::summary::compute::{ComputeError, shared};
use rust_decimal::Decimal;
use std::sync::Arc;

/// What every path of a scenario shares.
pub struct PathBase {
    shared: Arc<Shared>,
    free: MarketFree,
    powers: Vec<Option<Power>>,
}

/// One path's factors: `S^p_i`, `S^h_i`, `S^g_i` for every month (`S_0 =
/// 1`), and for each site (file order) the month at whose end its
/// colocation lease ends (`None`: it does not).
pub struct Shocks<'a> {
    pub price: &'a [Decimal],
    pub hashrate: &'a [Decimal],
    pub gpu: &'a [Decimal],
    pub lease_end: &'a [Option<usize>],
}

/// A site's cumulative cash under each strategy it has, on one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathCash {
    pub mine: Option<Vec<Decimal>>,
    pub ai: Option<Vec<Decimal>>,
}

/// A site's NPV and payback under each strategy it has, on one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathNpv {
    pub mine: Option<(Decimal, Option<u32>)>,
    pub ai: Option<(Decimal, Option<u32>)>,
    /// `NPV_ai − NPV_mine` of a site with both, built month by month from
    /// ΔCF like `run`'s comparison (months both strategies spend alike
    /// cancel exactly).
    pub advantage: Option<Decimal>,
}

impl PathBase {
    /// A format-2 scenario's shared part (`None` for format 1).
    pub fn new(scenario: &Scenario) -> Result<PathBase, ComputeError> {
        let fail = |_: Overflow| ComputeError {
            scenario: scenario.name.clone(),
            during: "the Bitcoin network projection".into(),
        };
        let shared = shared(scenario, None)?;
        let free = MarketFree::new(scenario, &shared.network).map_err(fail)?;
        let n = free.hours.len();
        let powers = scenario
            .sites
            .iter()
            .map(|site| Power::new(site, n).ok())
            .collect();
        Ok(PathBase {
            shared,
            free,
            powers,
        })
    }

    fn network(&self) -> &Network {
        &self.shared.network
    }

    fn discount(&self) -> &Discount {
        &self.shared.discount
    }

    /// Every site's NPVs on the path of `shocks`, in file order.
    pub fn npvs(
        &self,
        scenario: &Scenario,
        shocks: &Shocks<'_>,
    ) -> Result<Vec<PathNpv>, ComputeError> {
        self.each_site(scenario, shocks, |mine, ai| self.path_npv(mine, ai))
    }

    /// Every site's cumulative cash (undiscounted, `C_1 … C_n`, the last
    /// month's including the terminal value, as `run`'s monthly rows) under
    /// each strategy it has, on the path of `shocks`, in file order.
    pub fn cumulative_cash(
        &self,
        scenario: &Scenario,
        shocks: &Shocks<'_>,
    ) -> Result<Vec<PathCash>, ComputeError> {
        self.each_site(scenario, shocks, |mine, ai| Ok(path_cash(mine, ai)))
    }

    /// [`npvs`](Self::npvs) and [`cumulative_cash`](Self::cumulative_cash)
    /// of the path of `shocks` from one computation of its cash flows.
    pub fn npvs_and_cash(
        &self,
        scenario: &Scenario,
        shocks: &Shocks<'_>,
    ) -> Result<Vec<(PathNpv, PathCash)>, ComputeError> {
        self.each_site(scenario, shocks, |mine, ai| {
            Ok((self.path_npv(mine, ai)?, path_cash(mine, ai)))
        })
    }

    /// A site's NPVs, paybacks and advantage from its strategies' flows.
    fn path_npv(
        &self,
        mine: Option<&CashFlows>,
        ai: Option<&CashFlows>,
    ) -> Result<PathNpv, Overflow> {
        let outcome = |f: &CashFlows| -> Result<(Decimal, Option<u32>), Overflow> {
            Ok((f.npv()?, f.payback_months()))
        };
        let advantage = match (mine, ai) {
            (Some(m), Some(a)) => {
                Some(Delta::of(&a.cash_flows, &m.cash_flows, self.discount())?.npv)
            }
            _ => None,
        };
        Ok(PathNpv {
            mine: mine.map(outcome).transpose()?,
            ai: ai.map(outcome).transpose()?,
            advantage,
        })
    }

    /// `figures(mine, ai)` of every site (file order) on the path of
    /// `shocks`: each strategy's cash flows built as `run` builds them,
    /// from a market whose reward is the path's.
    fn each_site<T>(
        &self,
        scenario: &Scenario,
        shocks: &Shocks<'_>,
        figures: impl Fn(Option<&CashFlows>, Option<&CashFlows>) -> Result<T, Overflow>,
    ) -> Result<Vec<T>, ComputeError> {
        let n = self.free.hours.len();
        let fail = |during: String| {
            move |_: Overflow| ComputeError {
                scenario: scenario.name.clone(),
                during,
            }
        };
        let mut free = self.free.clone();
        for i in 0..n {
            // R_i · S^p_i / S^h_i (see the module's doc).
            let (p, h) = (shocks.price[i], shocks.hashrate[i]);
            if p != Decimal::ONE || h != Decimal::ONE {
                free.reward[i] = free.reward[i]
                    .times(p)
                    .and_then(|r| r.over(h))
                    .map_err(fail("a simulated path's reward".into()))?;
            }
        }
        free.gpu_factor = shocks.gpu.to_vec();
        let market = Market::at(&free, scenario.bitcoin.price_usd)
            .map_err(fail("a simulated path's BTC price".into()))?;
        let mut out = Vec::with_capacity(scenario.sites.len());
        for (index, site) in scenario.sites.iter().enumerate() {
            let during = format!("site[{index}] (\"{}\") a simulated path", site.name);
            let site_figures = || -> Result<T, Overflow> {
                let power = self.powers[index].as_ref().ok_or(Overflow)?;
                let flows =
                    |st: super::StrategyTemplate| CashFlows::of(&st.at(&market)?, self.discount());
                let mine = match &site.mining {
                    Some(m) => Some(flows(mine_strategy(m, self.network(), &free, power)?)?),
                    None => None,
                };
                let ai = match &site.ai {
                    Some(a) => {
                        let mut setup = AiSetup::new(site, a, self.network(), n)?;
                        setup.lease_end = shocks.lease_end.get(index).copied().flatten();
                        let (st, _) = ai_strategy(&setup, a.f2.start_index as usize, &free, power)?;
                        Some(flows(st)?)
                    }
                    None => None,
                };
                figures(mine.as_ref(), ai.as_ref())
            };
            out.push(site_figures().map_err(fail(during))?);
        }
        Ok(out)
    }
}

/// A site's cumulative cash under each strategy, from its flows.
fn path_cash(mine: Option<&CashFlows>, ai: Option<&CashFlows>) -> PathCash {
    PathCash {
        mine: mine.map(|f| f.cumulatives.clone()),
        ai: ai.map(|f| f.cumulatives.clone()),
    }
}
