//! Strategy `mine`: keep the site mining (docs/model.md, "Strategy `mine`").

use super::MonthRow;
use crate::exact::{Checked, Overflow};
use crate::network::Network;
use crate::scenario::{Mining, Site};
use rust_decimal::Decimal;

/// The per-site constants of mining, hoisted out of the month loop.
#[derive(Debug, Clone)]
pub struct MiningRig {
    /// BTC mined per BTC of block reward at the month-0 network hashrate:
    /// `T · uptime · (1 − pool_fee) / (H_0 · 10^6)`.
    share_at_month0: Decimal,
    /// Meter load times uptime, MW: `IT · pue · uptime`.
    metered_mw: Decimal,
    power_price: Decimal,
    opex: Decimal,
    /// The month-0 BTC price.
    price_usd: Decimal,
}

impl MiningRig {
    pub fn new(
        site: &Site,
        mining: &Mining,
        net: &Network,
        price_usd: Decimal,
    ) -> Result<MiningRig, Overflow> {
        // T TH/s over H EH/s = T / (H · 10^6) of the network.
        let share_at_month0 = mining
            .hashrate_ths()?
            .times(mining.uptime)?
            .times(Decimal::ONE.minus(mining.pool_fee)?)?
            .over(net.network_hashrate_ehs.times(Decimal::from(1_000_000))?)?;
        Ok(MiningRig {
            share_at_month0,
            metered_mw: mining.it_mw()?.times(mining.pue)?.times(mining.uptime)?,
            power_price: site.power_price_usd_per_mwh,
            opex: mining.opex_usd_per_month,
            price_usd,
        })
    }

    /// Month `i` of mining, without capex:
    /// `b_i = T·uptime / (H_i·10^6) · R_i · (1 − pool_fee)`, revenue
    /// `b_i · P_i`, power `M · hours_i · uptime · power_price`, opex.
    pub fn month(&self, net: &Network, i: usize) -> Result<MonthRow, Overflow> {
        let m = &net.months[i];
        let btc = net
            .hashrate_growth
            .unscale(self.share_at_month0.times(m.reward_btc)?, i)?;
        let price_coef = net.price_growth.scale(btc, i)?;
        let energy_mwh = self.metered_mw.times(Decimal::from(m.grid.hours()))?;
        Ok(MonthRow {
            btc_mined: btc,
            mining_revenue_usd: self.price_usd.times(price_coef)?,
            power_cost_usd: energy_mwh.times(self.power_price)?,
            opex_usd: self.opex,
            price_coef,
            ..MonthRow::default()
        })
    }
}

/// Every month of the horizon mines; `capex_usd` is spent in month 0.
/// `price_usd` is the month-0 BTC price.
pub fn project(
    site: &Site,
    mining: &Mining,
    net: &Network,
    price_usd: Decimal,
) -> Result<Vec<MonthRow>, Overflow> {
    let rig = MiningRig::new(site, mining, net, price_usd)?;
    (0..net.months.len())
        .map(|i| {
            let mut row = rig.month(net, i)?;
            if i == 0 {
                row.capex_usd = mining.capex_usd;
            }
            Ok(row)
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calendar::YearMonth;
    use crate::scenario::{Bitcoin, Fleet};
    use std::str::FromStr;

    pub(crate) fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    pub(crate) fn site(mining: Mining) -> Site {
        Site {
            name: "A".into(),
            grid_mw: d("100"),
            power_price_usd_per_mwh: d("40"),
            power2: None,
            mining: Some(mining),
            ai: None,
        }
    }

    pub(crate) fn mining() -> Mining {
        // 1 EH/s = 1,000,000 TH/s at 20 J/TH: 20 MW of IT.
        Mining {
            fleet: Fleet::Single {
                hashrate_ths: d("1000000"),
                efficiency_j_per_th: d("20"),
            },
            pue: d("1.1"),
            uptime: d("0.95"),
            pool_fee: d("0.02"),
            opex_usd_per_month: d("50000"),
            capex_usd: d("3000000"),
            f2: Default::default(),
        }
    }

    pub(crate) fn network(months: u32) -> Network {
        let b = Bitcoin {
            price_usd: d("100000"),
            price_growth_annual: Decimal::ZERO,
            network_hashrate_ehs: d("1000"),
            hashrate_growth_annual: Decimal::ZERO,
            fees_btc_per_block: Decimal::ZERO,
            block_height: 900_000,
            block_time_s: d("600"),
        };
        Network::project(&b, YearMonth::parse("2026-06").unwrap(), months).unwrap()
    }

    #[test]
    fn one_month_of_mining() {
        // June 2026: 30 days, 4,320 blocks · 3.125 = 13,500 BTC of reward.
        // Share: 1 EH/s of 1,000 EH/s · 0.95 uptime · 0.98 after the pool
        // = 0.000931; BTC = 13,500 · 0.000931 = 12.5685.
        // Revenue 12.5685 · 100,000 = 1,256,850 USD.
        // Power: 20 MW · 1.1 · 0.95 = 20.9 MW · 720 h = 15,048 MWh · $40
        // = 601,920 USD. Opex 50,000; capex 3,000,000 in month 0.
        let net = network(2);
        let m = mining();
        let rows = project(&site(m.clone()), &m, &net, d("100000")).unwrap();
        assert_eq!(rows[0].btc_mined, d("12.5685"));
        assert_eq!(rows[0].revenue_usd().unwrap(), d("1256850"));
        assert_eq!(rows[0].power_cost_usd, d("601920"));
        assert_eq!(rows[0].opex_usd, d("50000"));
        assert_eq!(rows[0].capex_usd, d("3000000"));
        // CF_0 = 1,256,850 − 601,920 − 50,000 − 3,000,000 = −2,395,070
        assert_eq!(rows[0].cash_flow_usd().unwrap(), d("-2395070"));
        // July: 31 days, 4,464 blocks = 13,950 BTC reward → 12.98745 BTC;
        // power 20.9 · 744 · 40 = 621,984; no capex.
        assert_eq!(rows[1].btc_mined, d("12.98745"));
        assert_eq!(rows[1].power_cost_usd, d("621984"));
        assert_eq!(rows[1].capex_usd, Decimal::ZERO);
        // Revenue is linear in the month-0 price: coefficient = BTC mined.
        assert_eq!(rows[1].price_coef, d("12.98745"));
    }
}
