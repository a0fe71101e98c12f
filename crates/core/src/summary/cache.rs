//! Projection sharing: the network projection and discount factors,
//! computed once and reused by every evaluation that agrees on what they
//! depend on.
//!
//! A sweep evaluates one scenario at many grid points, and most points
//! differ only in a site's keys or the month-0 BTC price, neither of which
//! the projection depends on. Points that agree on everything it does
//! depend on ([`SharedKey`]) share one projection instead of each
//! computing its own; the figures are the same either way.

use crate::calendar::YearMonth;
use crate::finance::Discount;
use crate::network::Network;
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What a scenario's network and discounting depend on: everything but
/// the month-0 BTC price and the sites. Grid points of a sweep that agree
/// on these share one projection.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct SharedKey {
    price_growth_annual: Decimal,
    network_hashrate_ehs: Decimal,
    hashrate_growth_annual: Decimal,
    fees_btc_per_block: Decimal,
    block_height: u64,
    block_time_s: Decimal,
    start: YearMonth,
    months: u32,
    discount_rate: Decimal,
}

impl SharedKey {
    pub(super) fn of(s: &Scenario) -> SharedKey {
        let b = &s.bitcoin;
        SharedKey {
            price_growth_annual: b.price_growth_annual,
            network_hashrate_ehs: b.network_hashrate_ehs,
            hashrate_growth_annual: b.hashrate_growth_annual,
            fees_btc_per_block: b.fees_btc_per_block,
            block_height: b.block_height,
            block_time_s: b.block_time_s,
            start: s.start,
            months: s.months,
            discount_rate: s.discount_rate,
        }
    }
}

/// The network projection and discount factors of a scenario.
#[derive(Debug)]
pub(super) struct Shared {
    pub(super) network: Network,
    pub(super) discount: Discount,
}

/// Network projections kept for reuse across many evaluations of one
/// scenario (a sweep's grid points), safe to share between threads. It
/// holds a few dozen projections at most, so memory stays flat however
/// large the grid.
#[derive(Debug, Default)]
pub struct Cache {
    entries: Mutex<HashMap<SharedKey, Arc<Shared>>>,
}

const CACHE_ENTRIES: usize = 64;

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// How many projections are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn get(&self, key: &SharedKey) -> Option<Arc<Shared>> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    pub(super) fn put(&self, key: SharedKey, value: Arc<Shared>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHE_ENTRIES {
                entries.clear();
            }
            entries.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::compute::tests::one_month;
    use super::super::{summarize, summarize_with};
    use super::*;

    #[test]
    fn points_that_differ_only_in_site_keys_or_price_share_one_projection() {
        use crate::scenario::{Override, parse_with_overrides};
        let text = one_month("kind = \"colocation\"\nit_mw = 10\nlease_usd_per_kw_month = 150");
        let cache = Cache::new();
        let mut npvs = Vec::new();
        for (key, value) in [
            ("site[0].ai.lease_usd_per_kw_month", "120"),
            ("site[0].mining.uptime", "0.9"),
            ("bitcoin.price_usd", "80000"),
        ] {
            let o = [Override::parse(&format!("{key}={value}")).unwrap()];
            let s = parse_with_overrides(&text, &o).unwrap();
            let cached = summarize_with(&s, Some(&cache)).unwrap();
            // The same figures as without the cache.
            assert_eq!(cached, summarize(&s).unwrap());
            npvs.push(cached.sites[0].mine.as_ref().unwrap().outcome.npv_usd);
        }
        assert_eq!(cache.len(), 1);
        // A network key needs its own projection.
        let o = [Override::parse("bitcoin.hashrate_growth_annual=0.5").unwrap()];
        summarize_with(&parse_with_overrides(&text, &o).unwrap(), Some(&cache)).unwrap();
        assert_eq!(cache.len(), 2);
        // And the points did differ: uptime and price moved mining's NPV.
        assert_ne!(npvs[0], npvs[1]);
        assert_ne!(npvs[1], npvs[2]);
    }
}
