//! Strategy `ai`: convert the site to AI hosting (docs/model.md, "Strategy
//! `ai`").
//!
//! Months before go-live (`g = build_months`) are construction, charged
//! `conversion_capex_usd / g` each, and may mine as strategy `mine` does
//! (without its fleet-refresh capex). From go-live the capacity ramps up
//! linearly over `ramp_months` and earns either a colocation lease
//! (escalating on each anniversary of go-live) or GPU-hour rentals (at a
//! market price that declines from month 0, whenever the site goes live).

use super::MonthRow;
use super::mine::MiningRig;
use crate::exact::{Checked, Growth, Overflow};
use crate::network::Network;
use crate::scenario::{Ai, AiKind, Site};
use rust_decimal::Decimal;

/// The month index at which the site goes live, `L = s + build_months`
/// (`s` = `site.ai.start`, 0 in format 1), if inside the horizon.
pub fn go_live(ai: &Ai, months: usize) -> Option<usize> {
    usize::try_from(ai.build_months)
        .ok()
        .and_then(|g| g.checked_add(ai.f2.start_index as usize))
        .filter(|&l| l < months)
}

/// The first start month whose go-live `L = s + build_months` leaves the
/// site live for less than the trailing window `w = min(12, months)`
/// (`L > months − w`): starts from it on have no AI terminal value
/// (docs/model.md, "Terminal value") and are never chosen by `pivot`
/// ("When to convert").
pub fn late_starts_from(build_months: u64, months: usize) -> usize {
    let w = months.min(12);
    let g = usize::try_from(build_months).unwrap_or(usize::MAX);
    (months - w + 1).saturating_sub(g).min(months)
}

/// Share of capacity in service in live month `k`:
/// `f_k = min(1, (k + 1) / ramp_months)`, or 1 without a ramp.
/// Conversion capex charged in each construction month: spread evenly
/// over `build_months`, or all in the first month when there are none.
pub fn build_capex_per_month(ai: &Ai) -> Result<Decimal, Overflow> {
    match ai.build_months {
        0 => Ok(ai.conversion_capex_usd),
        g => ai.conversion_capex_usd.over(Decimal::from(g)),
    }
}

/// How the AI rate moves over `months`: the lease escalator in yearly
/// steps (counted from go-live by the caller), or the GPU-hour decline
/// month by month (in market time).
pub fn rate_path(ai: &Ai, months: usize) -> Result<Growth, Overflow> {
    match &ai.kind {
        AiKind::Colocation {
            lease_escalator_annual,
            ..
        } => Growth::yearly(Decimal::ONE.plus(*lease_escalator_annual)?, months / 12 + 1),
        AiKind::GpuCloud {
            gpu_hour_decline_annual,
            ..
        } => Growth::monthly(Decimal::ONE.minus(*gpu_hour_decline_annual)?, months),
    }
}

pub fn ramp_share(k: u64, ramp_months: u64) -> Result<Decimal, Overflow> {
    if ramp_months == 0 || k + 1 >= ramp_months {
        return Ok(Decimal::ONE);
    }
    Decimal::from(k + 1).over(Decimal::from(ramp_months))
}

/// `price_usd` is the month-0 BTC price (for mining during the build).
pub fn project(
    site: &Site,
    ai: &Ai,
    net: &Network,
    price_usd: Decimal,
) -> Result<Vec<MonthRow>, Overflow> {
    let months = net.months.len();
    let g = ai.build_months;
    let rig = match (&site.mining, ai.mine_during_build) {
        (Some(mining), true) => Some(MiningRig::new(site, mining, net, price_usd)?),
        _ => None,
    };
    let build_capex = build_capex_per_month(ai)?;
    let escalator = rate_path(ai, months)?;
    // Critical IT load and power drawn at full ramp, MW at the meter (when
    // the site pays for it).
    let it_mw = ai.it_mw()?;
    let metered_mw = it_mw.times(ai.pue)?;
    let power_price = site.power_price_usd_per_mwh;

    let mut rows = Vec::with_capacity(months);
    for i in 0..months {
        let hours = Decimal::from(net.months[i].grid.hours());
        let i_u64 = i as u64;
        let mut row = if i_u64 < g {
            // Construction month.
            let mut row = match &rig {
                Some(rig) => rig.month(net, i)?,
                None => MonthRow::default(),
            };
            row.capex_usd = build_capex;
            row
        } else {
            let k = i_u64 - g;
            let share = ramp_share(k, ai.ramp_months)?;
            let mut row = MonthRow {
                opex_usd: ai.opex_usd_per_month,
                ..MonthRow::default()
            };
            let (rate, pays_power) = match &ai.kind {
                AiKind::Colocation {
                    lease_usd_per_kw_month,
                    power_pass_through,
                    ..
                } => {
                    // it_mw · 1000 · f_k kW leased, escalated on anniversaries.
                    let kw = it_mw.times(Decimal::ONE_THOUSAND)?.times(share)?;
                    row.rate_coef = escalator.scale(kw, (k / 12) as usize)?;
                    (*lease_usd_per_kw_month, !power_pass_through)
                }
                AiKind::GpuCloud {
                    gpu_count,
                    utilization,
                    gpu_hour_usd,
                    gpu_capex_usd,
                    ..
                } => {
                    // GPU-hours sold: gpu_count · f_k · hours · utilization,
                    // at the market rate of month i (not of live month k).
                    let sold = Decimal::from(*gpu_count)
                        .times(share)?
                        .times(hours)?
                        .times(*utilization)?;
                    row.rate_coef = escalator.scale(sold, i)?;
                    if k == 0 {
                        row.capex_usd = Decimal::from(*gpu_count).times(*gpu_capex_usd)?;
                    }
                    (*gpu_hour_usd, true)
                }
            };
            row.ai_revenue_usd = rate.times(row.rate_coef)?;
            if pays_power {
                row.power_cost_usd = metered_mw.times(share)?.times(hours)?.times(power_price)?;
            }
            row
        };
        if i == 0 && g == 0 {
            // No construction months: the whole conversion is paid in month 0.
            row.capex_usd = row.capex_usd.plus(build_capex)?;
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::super::mine::tests::{d, mining, network};
    use super::*;

    fn colocation(build: u64, ramp: u64) -> Ai {
        Ai {
            pue: d("1.25"),
            build_months: build,
            conversion_capex_usd: d("90000000"),
            ramp_months: ramp,
            mine_during_build: false,
            opex_usd_per_month: d("100000"),
            kind: AiKind::Colocation {
                it_mw: d("10"),
                lease_usd_per_kw_month: d("150"),
                lease_escalator_annual: d("0.03"),
                power_pass_through: true,
            },
            f2: Default::default(),
        }
    }

    fn gpu_cloud() -> Ai {
        Ai {
            pue: d("1.2"),
            build_months: 1,
            conversion_capex_usd: d("1000000"),
            ramp_months: 0,
            mine_during_build: false,
            opex_usd_per_month: d("0"),
            kind: AiKind::GpuCloud {
                gpu_count: 1000,
                gpu_kw: d("1.3"),
                gpu_hour_usd: d("2"),
                utilization: d("0.5"),
                gpu_hour_decline_annual: d("0.19"),
                gpu_capex_usd: d("25000"),
            },
            f2: Default::default(),
        }
    }

    fn site_with(ai: Ai) -> Site {
        Site {
            name: "A".into(),
            grid_mw: d("100"),
            power_price_usd_per_mwh: d("40"),
            power2: None,
            mining: Some(mining()),
            ai: Some(ai),
        }
    }

    #[test]
    fn construction_then_ramp() {
        // build 3 months: 90M / 3 = 30M capex in months 0-2, no revenue.
        // Ramp 4 months: live month k=0 (i=3) has 1/4 of 10,000 kW at
        // $150 = 375,000; k=1 → 750,000; k=3 → 1,500,000 (full).
        let ai = colocation(3, 4);
        let rows = project(&site_with(ai.clone()), &ai, &network(8), d("100000")).unwrap();
        assert_eq!(rows[0].capex_usd, d("30000000"));
        assert_eq!(rows[2].capex_usd, d("30000000"));
        assert_eq!(rows[2].revenue_usd().unwrap(), Decimal::ZERO);
        assert_eq!(rows[2].opex_usd, Decimal::ZERO);
        assert_eq!(rows[3].capex_usd, Decimal::ZERO);
        assert_eq!(rows[3].ai_revenue_usd, d("375000"));
        assert_eq!(rows[4].ai_revenue_usd, d("750000"));
        assert_eq!(rows[6].ai_revenue_usd, d("1500000"));
        assert_eq!(rows[7].ai_revenue_usd, d("1500000"));
        assert_eq!(rows[3].opex_usd, d("100000"));
        // power passes through to the tenant
        assert_eq!(rows[6].power_cost_usd, Decimal::ZERO);
    }

    #[test]
    fn escalator_steps_at_live_month_12() {
        // Live from month 0, no ramp: 10,000 kW · $150 = 1,500,000 a month
        // for live months 0-11; from 12, · 1.03 = 1,545,000; from 24,
        // · 1.03² = 1,591,350. Conversion capex all in month 0.
        let ai = colocation(0, 0);
        let rows = project(&site_with(ai.clone()), &ai, &network(25), d("100000")).unwrap();
        assert_eq!(rows[0].capex_usd, d("90000000"));
        assert_eq!(rows[11].ai_revenue_usd, d("1500000"));
        assert_eq!(rows[12].ai_revenue_usd, d("1545000"));
        assert_eq!(rows[24].ai_revenue_usd, d("1591350"));
    }

    #[test]
    fn build_beyond_the_horizon_never_goes_live() {
        // build_months 6 ≥ months 4: four construction months at 90M / 6
        // = 15M each (60M charged of 90M), no revenue, and no go-live.
        let ai = colocation(6, 0);
        let rows = project(&site_with(ai.clone()), &ai, &network(4), d("100000")).unwrap();
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|r| r.capex_usd == d("15000000")));
        assert!(rows.iter().all(|r| r.revenue_usd().unwrap().is_zero()));
        assert_eq!(go_live(&ai, 4), None);
        assert_eq!(go_live(&ai, 7), Some(6));
    }

    #[test]
    fn mining_during_build_without_fleet_capex() {
        // With mine_during_build, construction months mine exactly as the
        // mine strategy (June 2026: 12.5685 BTC, power 601,920, opex
        // 50,000: see mine.rs) but pay the conversion, not the 3M refresh.
        let mut ai = colocation(2, 0);
        ai.mine_during_build = true;
        let rows = project(&site_with(ai.clone()), &ai, &network(3), d("100000")).unwrap();
        assert_eq!(rows[0].btc_mined, d("12.5685"));
        assert_eq!(rows[0].power_cost_usd, d("601920"));
        assert_eq!(rows[0].opex_usd, d("50000"));
        assert_eq!(rows[0].capex_usd, d("45000000"));
        assert_eq!(rows[2].btc_mined, Decimal::ZERO);
        assert_eq!(rows[2].opex_usd, d("100000"));
    }

    #[test]
    fn gpu_cloud_rate_declines_from_month_0() {
        // Go-live month 1 (July 2026, 744 h). Rate: $2 · 0.81^(1/12).
        // GPU-hours sold: 1000 · 744 · 0.5 = 372,000.
        // Power: 1.3 MW · 1.2 · 744 h · $40 = 46,425.6; GPU capex 25M.
        // At month 6 (Dec 2026) the rate is 2 · 0.81^(6/12) = 2 · 0.9 = 1.8
        // exactly: 372,000 · 1.8 = 669,600 USD.
        let ai = gpu_cloud();
        let rows = project(&site_with(ai.clone()), &ai, &network(7), d("100000")).unwrap();
        assert_eq!(rows[0].capex_usd, d("1000000"));
        assert_eq!(rows[1].capex_usd, d("25000000"));
        assert_eq!(rows[1].power_cost_usd, d("46425.6"));
        assert!((rows[6].ai_revenue_usd - d("669600")).abs() < d("1e-20"));
        // Month 1: 372,000 · 2 · 0.81^(1/12) = 744,000 · 0.982593…;
        // 0.81^(1/12) = 0.982593193852689861923790461…, from Python's
        // decimal module at 50 digits: 731,049.336226401257271300…
        assert!((rows[1].ai_revenue_usd - d("731049.336226401257")).abs() < d("1e-12"));
    }

    /// L = s + g ≤ months − w: 30 months, w = 12, a 4-month build:
    /// s ≤ 14, so starts from 15 are late; 6 months (w = 6) and no
    /// build: only s = 0; a build of the horizon or longer: every start.
    #[test]
    fn late_starts() {
        assert_eq!(late_starts_from(4, 30), 15);
        assert_eq!(late_starts_from(0, 6), 1);
        assert_eq!(late_starts_from(30, 30), 0);
        assert_eq!(late_starts_from(u64::MAX, 30), 0);
    }

    #[test]
    fn ramp_shares() {
        assert_eq!(ramp_share(0, 0).unwrap(), Decimal::ONE);
        assert_eq!(ramp_share(0, 4).unwrap(), d("0.25"));
        assert_eq!(ramp_share(2, 4).unwrap(), d("0.75"));
        assert_eq!(ramp_share(3, 4).unwrap(), Decimal::ONE);
        assert_eq!(ramp_share(40, 4).unwrap(), Decimal::ONE);
    }
}
