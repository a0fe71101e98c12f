//! Parse once: a `--set` override applied to a scenario already checked,
//! for a sweep's grid points.
//!
//! A sweep reads its scenario (with the fixed overrides) once; each grid
//! point then differs from it only in its axis values. A [`Patch`] is one
//! such override read against the checked scenario: the typed field it
//! sets and the value, read from its text exactly as the loader reads it
//! (the same TOML value, the same literal reader, the same range rule).
//! Applied to a copy of the scenario, it re-checks only the rules that
//! join the changed key to others (a load that fits the grid, fleets no
//! larger than the network), with the loader's own predicates.
//!
//! A patch is only ever a shortcut for a value that passes: an override
//! whose key it does not know, whose value is not a plain number (or
//! boolean) of the key's kind, or that breaks any rule yields no patch or a
//! failed check, and the caller reads the scenario's text with the
//! overrides instead ([`parse_with_overrides`](super::parse_with_overrides)),
//! which words the error exactly as `run --set` does. So a point computed
//! from patches is the point read from text, and an error is always the
//! text's.

use super::load::{ai_fits_grid, fleets_fit_network, mine_during_build_allowed, mining_fits_grid};
use super::overrides::{Override, Segment, parse_value, segments, selector};
use super::schema::{
    Flag, Number, Whole, ai, bitcoin, colocation, fleet, gpu_cloud, mining, root, site,
};
use super::table::{decimal_of, integer_of, whole_in_rule};
use super::{AiKind, Fleet, Scenario};
use rust_decimal::Decimal;
use toml::de::DeValue;

/// One override, read against a checked scenario: see the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Patch {
    key: Key,
    value: Value,
}

/// A value read as its key's kind reads it, inside the key's range rule.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Number(Decimal),
    Whole(u64),
    Flag(bool),
}

/// A key's declaration in the schema: its kind and rule.
#[derive(Clone, Copy)]
enum Decl {
    Number(&'static Number),
    Whole(&'static Whole),
    Flag(&'static Flag),
}

/// The keys a patch sets: site `s`, fleet row `r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    DiscountRate,
    Months,
    PriceUsd,
    PriceGrowthAnnual,
    NetworkHashrateEhs,
    HashrateGrowthAnnual,
    FeesBtcPerBlock,
    BlockHeight,
    BlockTimeS,
    GridMw(usize),
    PowerPrice(usize),
    HashrateThs(usize),
    EfficiencyJPerTh(usize),
    MiningPue(usize),
    Uptime(usize),
    PoolFee(usize),
    MiningOpex(usize),
    MiningCapex(usize),
    RowCount(usize, usize),
    RowThs(usize, usize),
    RowJPerTh(usize, usize),
    AiPue(usize),
    BuildMonths(usize),
    ConversionCapex(usize),
    RampMonths(usize),
    MineDuringBuild(usize),
    AiOpex(usize),
    ItMw(usize),
    Lease(usize),
    LeaseEscalator(usize),
    PowerPassThrough(usize),
    GpuCount(usize),
    GpuKw(usize),
    GpuHourUsd(usize),
    Utilization(usize),
    GpuHourDecline(usize),
    GpuCapex(usize),
}

impl Patch {
    /// `o` read against `base` (a checked scenario); `None` where the
    /// override is not one a patch reads exactly (an unknown key, a table
    /// the scenario does not have, a value of another kind or out of its
    /// range rule): the scenario's text must be read then.
    pub fn of(base: &Scenario, o: &Override) -> Option<Patch> {
        let (key, decl) = resolve(base, &o.key)?;
        // A format-2 scenario holds some values in more than one place (a
        // flat price is also its one power block): its points are read
        // from the text, but for the [bitcoin] keys that take part in no
        // rule but their own range.
        if base.format2.is_some()
            && !matches!(
                key,
                Key::PriceUsd
                    | Key::PriceGrowthAnnual
                    | Key::HashrateGrowthAnnual
                    | Key::FeesBtcPerBlock
                    | Key::BlockHeight
                    | Key::BlockTimeS
            )
        {
            return None;
        }
        let value = read_value(decl, &o.value)?;
        Some(Patch { key, value })
    }

    /// Applies the patches in order to a copy of `base`, and re-checks the
    /// rules their keys take part in; `None` if one fails (the text then
    /// says which, and how).
    pub fn apply_all(base: &Scenario, patches: &[&Patch]) -> Option<Scenario> {
        let mut s = base.clone();
        for p in patches {
            p.set(&mut s)?;
        }
        patches.iter().all(|p| p.holds(&s)).then_some(s)
    }

    /// Sets the field; `None` if the scenario lacks it (not the one the
    /// patch was read against).
    fn set(&self, s: &mut Scenario) -> Option<()> {
        use Key::*;
        let v = self.value;
        let number = |slot: &mut Decimal| match v {
            Value::Number(n) => {
                *slot = n;
                Some(())
            }
            _ => None,
        };
        let whole = |slot: &mut u64| match v {
            Value::Whole(n) => {
                *slot = n;
                Some(())
            }
            _ => None,
        };
        let flag = |slot: &mut bool| match v {
            Value::Flag(b) => {
                *slot = b;
                Some(())
            }
            _ => None,
        };
        let b = &mut s.bitcoin;
        match self.key {
            DiscountRate => number(&mut s.discount_rate),
            Months => match v {
                // The rule caps it at 600, as the loader's cast relies on.
                Value::Whole(n) => {
                    s.months = u32::try_from(n).ok()?;
                    Some(())
                }
                _ => None,
            },
            PriceUsd => number(&mut b.price_usd),
            PriceGrowthAnnual => number(&mut b.price_growth_annual),
            NetworkHashrateEhs => number(&mut b.network_hashrate_ehs),
            HashrateGrowthAnnual => number(&mut b.hashrate_growth_annual),
            FeesBtcPerBlock => number(&mut b.fees_btc_per_block),
            BlockHeight => whole(&mut b.block_height),
            BlockTimeS => number(&mut b.block_time_s),
            GridMw(i) => number(&mut s.sites.get_mut(i)?.grid_mw),
            PowerPrice(i) => number(&mut s.sites.get_mut(i)?.power_price_usd_per_mwh),
            HashrateThs(i) | EfficiencyJPerTh(i) => {
                let m = s.sites.get_mut(i)?.mining.as_mut()?;
                let Fleet::Single {
                    hashrate_ths,
                    efficiency_j_per_th,
                } = &mut m.fleet
                else {
                    return None;
                };
                number(if matches!(self.key, HashrateThs(_)) {
                    hashrate_ths
                } else {
                    efficiency_j_per_th
                })
            }
            MiningPue(i) => number(&mut s.sites.get_mut(i)?.mining.as_mut()?.pue),
            Uptime(i) => number(&mut s.sites.get_mut(i)?.mining.as_mut()?.uptime),
            PoolFee(i) => number(&mut s.sites.get_mut(i)?.mining.as_mut()?.pool_fee),
            MiningOpex(i) => number(&mut s.sites.get_mut(i)?.mining.as_mut()?.opex_usd_per_month),
            MiningCapex(i) => number(&mut s.sites.get_mut(i)?.mining.as_mut()?.capex_usd),
            RowCount(i, r) | RowThs(i, r) | RowJPerTh(i, r) => {
                let m = s.sites.get_mut(i)?.mining.as_mut()?;
                let Fleet::Rows(rows) = &mut m.fleet else {
                    return None;
                };
                let row = rows.get_mut(r)?;
                match self.key {
                    RowCount(..) => whole(&mut row.count),
                    RowThs(..) => number(&mut row.ths),
                    _ => number(&mut row.j_per_th),
                }
            }
            AiPue(i) => number(&mut s.sites.get_mut(i)?.ai.as_mut()?.pue),
            BuildMonths(i) => whole(&mut s.sites.get_mut(i)?.ai.as_mut()?.build_months),
            ConversionCapex(i) => {
                number(&mut s.sites.get_mut(i)?.ai.as_mut()?.conversion_capex_usd)
            }
            RampMonths(i) => whole(&mut s.sites.get_mut(i)?.ai.as_mut()?.ramp_months),
            MineDuringBuild(i) => flag(&mut s.sites.get_mut(i)?.ai.as_mut()?.mine_during_build),
            AiOpex(i) => number(&mut s.sites.get_mut(i)?.ai.as_mut()?.opex_usd_per_month),
            ItMw(i) | Lease(i) | LeaseEscalator(i) | PowerPassThrough(i) => {
                let AiKind::Colocation {
                    it_mw,
                    lease_usd_per_kw_month,
                    lease_escalator_annual,
                    power_pass_through,
                } = &mut s.sites.get_mut(i)?.ai.as_mut()?.kind
                else {
                    return None;
                };
                match self.key {
                    ItMw(_) => number(it_mw),
                    Lease(_) => number(lease_usd_per_kw_month),
                    LeaseEscalator(_) => number(lease_escalator_annual),
                    _ => flag(power_pass_through),
                }
            }
            GpuCount(i) | GpuKw(i) | GpuHourUsd(i) | Utilization(i) | GpuHourDecline(i)
            | GpuCapex(i) => {
                let AiKind::GpuCloud {
                    gpu_count,
                    gpu_kw,
                    gpu_hour_usd,
                    utilization,
                    gpu_hour_decline_annual,
                    gpu_capex_usd,
                } = &mut s.sites.get_mut(i)?.ai.as_mut()?.kind
                else {
                    return None;
                };
                match self.key {
                    GpuCount(_) => whole(gpu_count),
                    GpuKw(_) => number(gpu_kw),
                    GpuHourUsd(_) => number(gpu_hour_usd),
                    Utilization(_) => number(utilization),
                    GpuHourDecline(_) => number(gpu_hour_decline_annual),
                    _ => number(gpu_capex_usd),
                }
            }
        }
    }

    /// The rules that join this key to others, on the patched scenario
    /// (its own range rule was checked when the value was read).
    fn holds(&self, s: &Scenario) -> bool {
        use Key::*;
        let mining = |i: usize| {
            s.sites.get(i).is_some_and(|site| {
                site.mining
                    .as_ref()
                    .is_none_or(|m| mining_fits_grid(m, site.grid_mw))
            })
        };
        let ai = |i: usize| {
            s.sites.get(i).is_some_and(|site| {
                site.ai
                    .as_ref()
                    .is_none_or(|a| ai_fits_grid(a, site.grid_mw))
            })
        };
        let network = || fleets_fit_network(&s.sites, s.bitcoin.network_hashrate_ehs);
        match self.key {
            NetworkHashrateEhs => network(),
            GridMw(i) => mining(i) && ai(i),
            HashrateThs(i) | RowCount(i, _) | RowThs(i, _) => mining(i) && network(),
            EfficiencyJPerTh(i) | RowJPerTh(i, _) | MiningPue(i) => mining(i),
            AiPue(i) | ItMw(i) | GpuCount(i) | GpuKw(i) => ai(i),
            MineDuringBuild(i) => s.sites.get(i).is_some_and(|site| {
                site.ai.as_ref().is_none_or(|a| {
                    mine_during_build_allowed(a.mine_during_build, site.mining.is_some())
                })
            }),
            DiscountRate | Months | PriceUsd | PriceGrowthAnnual | HashrateGrowthAnnual
            | FeesBtcPerBlock | BlockHeight | BlockTimeS | PowerPrice(_) | Uptime(_)
            | PoolFee(_) | MiningOpex(_) | MiningCapex(_) | BuildMonths(_) | ConversionCapex(_)
            | RampMonths(_) | AiOpex(_) | Lease(_) | LeaseEscalator(_) | PowerPassThrough(_)
            | GpuHourUsd(_) | Utilization(_) | GpuHourDecline(_) | GpuCapex(_) => true,
        }
    }
}

/// The value text as `--set` reads it (a TOML scalar, or the text as a
/// string), then as the key's kind reads that, inside the key's rule.
fn read_value(decl: Decl, text: &str) -> Option<Value> {
    let value = parse_value(text, 0..text.len()).ok()?;
    let value = value.get_ref();
    match decl {
        Decl::Number(key) => {
            let n = decimal_of(value)?.ok()?;
            key.rule.admits(n).then_some(Value::Number(n))
        }
        Decl::Whole(key) => {
            let n = integer_of(value)?.ok()?;
            whole_in_rule(n, &key.rule).ok().map(Value::Whole)
        }
        Decl::Flag(_) => match value {
            DeValue::Boolean(b) => Some(Value::Flag(*b)),
            _ => None,
        },
    }
}

/// Which item of an array of tables `pick` selects, as `--set` resolves
/// it: by index, or the first whose name is `pick`.
fn select<'a>(pick: &Segment, names: impl Iterator<Item = &'a str>) -> Option<usize> {
    let pick = match pick {
        Segment::Key(word) => selector(word),
        other => other.clone(),
    };
    let mut names = names;
    match pick {
        Segment::Index(i) => names.nth(i).map(|_| i),
        Segment::Name(n) | Segment::Key(n) => names.position(|m| m == n),
    }
}

/// The key a `--set` path names in `base`, and its declaration; `None` for
/// any path a patch does not read.
fn resolve(base: &Scenario, path: &str) -> Option<(Key, Decl)> {
    use Decl::{Flag as F, Number as N, Whole as W};
    use Key::*;
    let path = segments(path)?;
    let word = |i: usize| match path.get(i) {
        Some(Segment::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    let is = |k: &str, decl: Decl| match decl {
        N(n) => n.name == k,
        W(w) => w.name == k,
        F(f) => f.name == k,
    };
    let pick = |keys: &[(Key, Decl)], k: &str| keys.iter().copied().find(|(_, d)| is(k, *d));
    match (path.len(), word(0)?) {
        (1, k) => pick(
            &[
                (DiscountRate, N(&root::DISCOUNT_RATE)),
                (Months, W(&root::MONTHS)),
            ],
            k,
        ),
        (2, "bitcoin") => pick(
            &[
                (PriceUsd, N(&bitcoin::PRICE_USD)),
                (PriceGrowthAnnual, N(&bitcoin::PRICE_GROWTH_ANNUAL)),
                (NetworkHashrateEhs, N(&bitcoin::NETWORK_HASHRATE_EHS)),
                (HashrateGrowthAnnual, N(&bitcoin::HASHRATE_GROWTH_ANNUAL)),
                (FeesBtcPerBlock, N(&bitcoin::FEES_BTC_PER_BLOCK)),
                (BlockHeight, W(&bitcoin::BLOCK_HEIGHT)),
                (BlockTimeS, N(&bitcoin::BLOCK_TIME_S)),
            ],
            word(1)?,
        ),
        (3.., "site") => {
            let i = select(&path[1], base.sites.iter().map(|s| s.name.as_str()))?;
            let s = &base.sites[i];
            match (path.len(), word(2)?) {
                (3, k) => pick(
                    &[
                        (GridMw(i), N(&site::GRID_MW)),
                        (PowerPrice(i), N(&site::POWER_PRICE_USD_PER_MWH)),
                    ],
                    k,
                ),
                (4, m) if m == site::MINING.name => {
                    let single = matches!(s.mining.as_ref()?.fleet, Fleet::Single { .. });
                    let fleet: &[(Key, Decl)] = if single {
                        &[
                            (HashrateThs(i), N(&mining::HASHRATE_THS)),
                            (EfficiencyJPerTh(i), N(&mining::EFFICIENCY_J_PER_TH)),
                        ]
                    } else {
                        &[]
                    };
                    let common = [
                        (MiningPue(i), N(&mining::PUE)),
                        (Uptime(i), N(&mining::UPTIME)),
                        (PoolFee(i), N(&mining::POOL_FEE)),
                        (MiningOpex(i), N(&mining::OPEX_USD_PER_MONTH)),
                        (MiningCapex(i), N(&mining::CAPEX_USD)),
                    ];
                    let k = word(3)?;
                    pick(fleet, k).or_else(|| pick(&common, k))
                }
                (6, m) if m == site::MINING.name && word(3)? == mining::FLEET.name => {
                    let Fleet::Rows(rows) = &s.mining.as_ref()?.fleet else {
                        return None;
                    };
                    let r = select(&path[4], rows.iter().map(|r| r.model.as_str()))?;
                    pick(
                        &[
                            (RowCount(i, r), W(&fleet::COUNT)),
                            (RowThs(i, r), N(&fleet::THS)),
                            (RowJPerTh(i, r), N(&fleet::J_PER_TH)),
                        ],
                        word(5)?,
                    )
                }
                (4, a) if a == site::AI.name => {
                    let kind: &[(Key, Decl)] = match s.ai.as_ref()?.kind {
                        AiKind::Colocation { .. } => &[
                            (ItMw(i), N(&colocation::IT_MW)),
                            (Lease(i), N(&colocation::LEASE_USD_PER_KW_MONTH)),
                            (LeaseEscalator(i), N(&colocation::LEASE_ESCALATOR_ANNUAL)),
                            (PowerPassThrough(i), F(&colocation::POWER_PASS_THROUGH)),
                        ],
                        AiKind::GpuCloud { .. } => &[
                            (GpuCount(i), W(&gpu_cloud::GPU_COUNT)),
                            (GpuKw(i), N(&gpu_cloud::GPU_KW)),
                            (GpuHourUsd(i), N(&gpu_cloud::GPU_HOUR_USD)),
                            (Utilization(i), N(&gpu_cloud::UTILIZATION)),
                            (GpuHourDecline(i), N(&gpu_cloud::GPU_HOUR_DECLINE_ANNUAL)),
                            (GpuCapex(i), N(&gpu_cloud::GPU_CAPEX_USD)),
                        ],
                    };
                    let common = [
                        (AiPue(i), N(&ai::PUE)),
                        (BuildMonths(i), W(&ai::BUILD_MONTHS)),
                        (ConversionCapex(i), N(&ai::CONVERSION_CAPEX_USD)),
                        (RampMonths(i), W(&ai::RAMP_MONTHS)),
                        (MineDuringBuild(i), F(&ai::MINE_DURING_BUILD)),
                        (AiOpex(i), N(&ai::OPEX_USD_PER_MONTH)),
                    ];
                    let k = word(3)?;
                    pick(kind, k).or_else(|| pick(&common, k))
                }
                _ => None,
            }
        }
        _ => None,
    }
}
