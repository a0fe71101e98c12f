//! The Bitcoin network projection (docs/model.md, "Bitcoin network").
//!
//! Computed once per scenario and shared by every site and strategy: the
//! BTC price and network hashrate on their growth paths, the block heights
//! each month covers, the block reward (subsidy split at halvings, plus
//! fees), the hashprice, and the halvings that fall inside the horizon.

use crate::calendar::{GridMonth, YearMonth, grid};
use crate::exact::{Checked, Growth, Overflow};
use crate::scenario::Bitcoin;
use rust_decimal::Decimal;

/// Blocks between halvings.
pub const HALVING_INTERVAL: u64 = 210_000;
/// The last halving counted: after the 33rd (height 6,930,000) the subsidy
/// is already 0 and nothing halves.
pub const LAST_HALVING: u64 = 33;
const SATOSHI_PER_BTC: i64 = 100_000_000;

/// The block subsidy at a halving epoch (`floor(height / 210,000)`), in
/// satoshi: `floor(5,000,000,000 / 2^epoch)`, 0 from a shift of 64.
pub fn subsidy_sats(epoch: u64) -> u64 {
    if epoch >= 64 {
        0
    } else {
        5_000_000_000u64 >> epoch
    }
}

/// One month of the network projection.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkMonth {
    pub grid: GridMonth,
    /// `h_i`: the (fractional) height at the start of the month.
    pub height_start: Decimal,
    /// `B_i = days_i · 86400 / block_time_s`.
    pub blocks: Decimal,
    /// `R_i`: subsidy (split at halvings) plus fees, BTC.
    pub reward_btc: Decimal,
    /// `hp_i / price_usd`: the hashprice per USD of month-0 BTC price.
    /// Everything here but this scale factor is independent of the price,
    /// so one projection serves every price a sweep tries.
    pub hashprice_per_price_usd: Decimal,
}

/// A halving inside the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Halving {
    pub height: u64,
    pub month: YearMonth,
}

/// The network over the whole horizon, for any month-0 BTC price (the
/// price only scales revenue and hashprice; see [`Network::hashprice`]).
#[derive(Debug, Clone)]
pub struct Network {
    pub months: Vec<NetworkMonth>,
    pub halvings: Vec<Halving>,
    /// `(1 + price_growth_annual)^(i/12)`: strategies scale the month-0
    /// price by it, so revenue stays exactly linear in that price.
    pub price_growth: Growth,
    /// `(1 + hashrate_growth_annual)^(i/12)`.
    pub hashrate_growth: Growth,
    pub network_hashrate_ehs: Decimal,
}

impl Network {
    /// `hp_i = (R_i / days_i) · P_i / (H_i · 1000)`, USD per PH/s per day, at
    /// month-0 price `price_usd`.
    pub fn hashprice(&self, price_usd: Decimal, i: usize) -> Result<Decimal, Overflow> {
        price_usd.times(self.months[i].hashprice_per_price_usd)
    }

    /// Projects everything but the month-0 price (`bitcoin.price_usd` is
    /// not read).
    pub fn project(bitcoin: &Bitcoin, start: YearMonth, months: u32) -> Result<Network, Overflow> {
        let n = months as usize;
        let grid = grid(start, months);
        let price_growth = Growth::monthly(Decimal::ONE.plus(bitcoin.price_growth_annual)?, n)?;
        let hashrate_growth =
            Growth::monthly(Decimal::ONE.plus(bitcoin.hashrate_growth_annual)?, n)?;

        let heights = heights(bitcoin, &grid)?;

        let mut out = Vec::with_capacity(n);
        let mut halvings = Vec::new();
        for (i, g) in grid.iter().take(n).enumerate() {
            let (h0, h1) = (heights[i], heights[i + 1]);
            let blocks = Decimal::from(g.days * 86_400).over(bitcoin.block_time_s)?;
            let reward_btc =
                subsidy_btc(h0, h1)?.plus(blocks.times(bitcoin.fees_btc_per_block)?)?;
            // hp_i / P_0 = (R_i / days_i) · (P_i / P_0) / (H_i · 1000), with
            // P_i = P_0·growth and H_i = H_0·growth.
            let per_day = reward_btc.over(Decimal::from(g.days))?;
            let at_month0 =
                per_day.over(bitcoin.network_hashrate_ehs.times(Decimal::ONE_THOUSAND)?)?;
            let hashprice = hashrate_growth.unscale(price_growth.scale(at_month0, i)?, i)?;
            for height in halving_heights_in(h0, h1) {
                halvings.push(Halving {
                    height,
                    month: g.label,
                });
            }
            out.push(NetworkMonth {
                grid: *g,
                height_start: h0,
                blocks,
                reward_btc,
                hashprice_per_price_usd: hashprice,
            });
        }
        Ok(Network {
            months: out,
            halvings,
            price_growth,
            hashrate_growth,
            network_hashrate_ehs: bitcoin.network_hashrate_ehs,
        })
    }
}

/// `h_0 … h_n` over `grid` (its `n + 1` month starts): `h_i =
/// block_height + S_i / block_time_s`, one division from the whole
/// seconds, so a month starting on a halving is found exactly.
pub fn heights(bitcoin: &Bitcoin, grid: &[GridMonth]) -> Result<Vec<Decimal>, Overflow> {
    let height0 = Decimal::from(bitcoin.block_height);
    grid.iter()
        .map(|g| height0.plus(Decimal::from(g.seconds_before).over(bitcoin.block_time_s)?))
        .collect()
}

/// One part of a month's height range inside one halving epoch: its
/// heights `[from, to)`, the epoch's subsidy and what the part earns.
#[derive(Debug, Clone, PartialEq)]
pub struct SubsidyPart {
    pub epoch: u64,
    pub from: Decimal,
    pub to: Decimal,
    /// The subsidy per block, BTC.
    pub subsidy_btc: Decimal,
    /// `(to − from) · subsidy_btc`, BTC.
    pub earned_btc: Decimal,
}

/// The parts of heights `[h0, h1)` that earn a subsidy, one per halving
/// epoch, in height order (`explain` lists them; [`subsidy_btc`] sums
/// them).
pub fn subsidy_parts(h0: Decimal, h1: Decimal) -> Result<Vec<SubsidyPart>, Overflow> {
    let interval = Decimal::from(HALVING_INTERVAL);
    let first = epoch_of(h0);
    let last = epoch_of(h1).min(LAST_HALVING);
    let mut parts = Vec::new();
    let mut epoch = first;
    while epoch <= last {
        let sats = subsidy_sats(epoch);
        if sats == 0 {
            break;
        }
        let lo = h0.max(Decimal::from(epoch).times(interval)?);
        let hi = h1.min(Decimal::from(epoch + 1).times(interval)?);
        if hi > lo {
            let subsidy = Decimal::new(sats as i64, 0).over(Decimal::from(SATOSHI_PER_BTC))?;
            parts.push(SubsidyPart {
                epoch,
                from: lo,
                to: hi,
                subsidy_btc: subsidy,
                earned_btc: hi.minus(lo)?.times(subsidy)?,
            });
        }
        epoch += 1;
    }
    Ok(parts)
}

/// Subsidy earned over heights `[h0, h1)`, BTC: each part of the interval
/// within one halving epoch earns that epoch's subsidy per unit of length.
pub fn subsidy_btc(h0: Decimal, h1: Decimal) -> Result<Decimal, Overflow> {
    subsidy_parts(h0, h1)?
        .iter()
        .try_fold(Decimal::ZERO, |total, part| total.plus(part.earned_btc))
}

/// `floor(h / 210,000)`, saturating far beyond the last halving.
fn epoch_of(height: Decimal) -> u64 {
    let epoch = (height / Decimal::from(HALVING_INTERVAL)).floor();
    u64::try_from(epoch).unwrap_or(u64::MAX)
}

/// The heights `k · 210,000` (1 ≤ k ≤ 33) in `[h0, h1)`.
fn halving_heights_in(h0: Decimal, h1: Decimal) -> impl Iterator<Item = u64> {
    (1..=LAST_HALVING)
        .map(|k| k * HALVING_INTERVAL)
        .filter(move |&h| {
            let h = Decimal::from(h);
            h0 <= h && h < h1
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn bitcoin(height: u64) -> Bitcoin {
        Bitcoin {
            price_usd: d("100000"),
            price_growth_annual: Decimal::ZERO,
            network_hashrate_ehs: d("1000"),
            hashrate_growth_annual: Decimal::ZERO,
            fees_btc_per_block: Decimal::ZERO,
            block_height: height,
            block_time_s: d("600"),
        }
    }

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    #[test]
    fn subsidy_schedule() {
        assert_eq!(subsidy_sats(0), 5_000_000_000);
        assert_eq!(subsidy_sats(4), 312_500_000); // 3.125 BTC from 840,000
        assert_eq!(subsidy_sats(5), 156_250_000); // 1.5625 BTC from 1,050,000
        assert_eq!(subsidy_sats(32), 1); // 5e9 / 2^32 = 1.16 → 1 sat
        assert_eq!(subsidy_sats(33), 0); // 5e9 / 2^33 = 0.58 → 0, at 6,930,000
        assert_eq!(subsidy_sats(64), 0);
        assert_eq!(subsidy_sats(u64::MAX), 0);
    }

    #[test]
    fn month_split_by_a_halving() {
        // A 30-day month at 600 s has 30·86400/600 = 4320 blocks. Starting
        // at 1,048,000 it covers [1,048,000, 1,052,320): 2,000 blocks at
        // 3.125 BTC = 6,250 and 2,320 at 1.5625 = 3,625; total 9,875 BTC.
        let net = Network::project(&bitcoin(1_048_000), ym("2028-04"), 1).unwrap();
        assert_eq!(net.months[0].blocks, d("4320"));
        assert_eq!(net.months[0].reward_btc, d("9875"));
        assert_eq!(
            net.halvings,
            vec![Halving {
                height: 1_050_000,
                month: ym("2028-04")
            }]
        );
    }

    #[test]
    fn subsidy_parts_of_a_split_month() {
        // [1,048,000, 1,052,320): 2,000 heights in epoch 4 at 3.125 BTC
        // (6,250) and 2,320 in epoch 5 at 1.5625 (3,625), the parts
        // subsidy_btc sums to 9,875.
        let parts = subsidy_parts(d("1048000"), d("1052320")).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].epoch, parts[0].from, parts[0].to),
            (4, d("1048000"), d("1050000"))
        );
        assert_eq!(parts[0].earned_btc, d("6250"));
        assert_eq!((parts[1].epoch, parts[1].subsidy_btc), (5, d("1.5625")));
        assert_eq!(parts[1].earned_btc, d("3625"));
        assert_eq!(subsidy_btc(d("1048000"), d("1052320")).unwrap(), d("9875"));
    }

    #[test]
    fn month_starting_exactly_on_a_halving() {
        // Starting 2028-01 at 1,045,536: January is 31 days = 4,464 blocks,
        // so February starts at exactly 1,050,000. Its 29 leap days give
        // 29·144 = 4,176 blocks, all at 1.5625 BTC = 6,525 BTC, and the
        // halving belongs to February, not January. January: 4,464 · 3.125
        // = 13,950 BTC.
        let net = Network::project(&bitcoin(1_045_536), ym("2028-01"), 2).unwrap();
        assert_eq!(net.months[1].height_start, d("1050000"));
        assert_eq!(net.months[0].reward_btc, d("13950"));
        assert_eq!(net.months[1].reward_btc, d("6525"));
        assert_eq!(net.halvings[0].month, ym("2028-02"));
        assert_eq!(net.halvings.len(), 1);
    }

    #[test]
    fn fees_and_hashprice() {
        // 31-day month, 4,464 blocks at 3.125 BTC + 0.05 BTC fees each:
        // R = 4,464 · 3.175 = 14,173.2 BTC. Hashprice at $100,000 and
        // 1,000 EH/s: (14,173.2 / 31) · 100,000 / (1,000 · 1,000)
        // = 457.2 · 0.1 = 45.72 USD per PH/s per day.
        let mut b = bitcoin(900_000);
        b.fees_btc_per_block = d("0.05");
        let net = Network::project(&b, ym("2026-01"), 1).unwrap();
        assert_eq!(net.months[0].reward_btc, d("14173.2"));
        assert_eq!(net.hashprice(b.price_usd, 0).unwrap(), d("45.72"));
        assert!(net.halvings.is_empty());
    }

    #[test]
    fn growth_paths() {
        // Price +21 % a year: month 6 is 100,000 · 1.21^(6/12) = 110,000;
        // hashrate +44 % a year: month 6 is 1000 · 1.44^0.5 = 1,200 EH/s.
        // Hashprice month 6 (July, 31 days, 4,464 · 3.125 = 13,950 BTC):
        // 450 · 110,000 / 1,200,000 = 41.25.
        let mut b = bitcoin(900_000);
        b.price_growth_annual = d("0.21");
        b.hashrate_growth_annual = d("0.44");
        let net = Network::project(&b, ym("2026-01"), 7).unwrap();
        let p6 = net.price_growth.scale(b.price_usd, 6).unwrap();
        assert!((p6 - d("110000")).abs() < d("1e-20"));
        let hp6 = net.hashprice(b.price_usd, 6).unwrap();
        assert!((hp6 - d("41.25")).abs() < d("1e-22"), "{hp6}");
    }

    #[test]
    fn subsidy_ends_at_the_33rd_halving() {
        // From 6,930,000 the subsidy is 0: a month there earns fees only.
        let mut b = bitcoin(6_930_000);
        b.fees_btc_per_block = d("0.1");
        let net = Network::project(&b, ym("2026-04"), 1).unwrap();
        // 30 days = 4,320 blocks · 0.1 = 432 BTC of fees, no subsidy; the
        // month starts exactly on the 33rd halving, so it is listed.
        assert_eq!(net.months[0].reward_btc, d("432"));
        assert_eq!(net.halvings.len(), 1);
        assert_eq!(net.halvings[0].height, 6_930_000);
        // The last 1-satoshi epoch: [6,720,000, 6,930,000).
        assert_eq!(
            subsidy_btc(d("6929000"), d("6931000")).unwrap(),
            d("0.00001")
        );
    }

    #[test]
    fn one_second_blocks_cross_many_halvings() {
        // 1 s blocks: a 31-day month holds 2,678,400 blocks, crossing 12
        // halvings from height 0, the 13th (2,730,000) just after.
        let mut b = bitcoin(0);
        b.block_time_s = Decimal::ONE;
        let net = Network::project(&b, ym("2026-01"), 1).unwrap();
        assert_eq!(net.halvings.len(), 12);
        // Σ_{e<12} 210,000 · floor(5e9 / 2^e) sat (the floor bites from
        // e = 10: 4,882,812 and 2,441,406 sat) = 2,099,487,304,530,000 sat,
        // plus 158,400 blocks of epoch 12 at floor(5e9 / 4096) = 1,220,703
        // sat = 193,359,355,200 sat: 2,099,680,663,885,200 sat in all.
        assert_eq!(net.months[0].reward_btc, d("20996806.638852"));
    }
}
