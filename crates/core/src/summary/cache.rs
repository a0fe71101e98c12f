//! Projection sharing: the network projection and discount factors,
//! computed once and reused by every evaluation that agrees on what they
//! depend on.
//!
//! A sweep evaluates one scenario at many grid points, and most points
//! differ only in a site's keys or the month-0 BTC price, neither of which
//! the projection depends on. Points that agree on everything it does
//! depend on ([`SharedKey`]) share one projection instead of each
//! computing its own; the figures are the same either way.

use super::compute::SiteTemplate;
use super::format2::Template;
use crate::calendar::YearMonth;
use crate::finance::Discount;
use crate::network::Network;
use crate::scenario::{Scenario, Site};
use rust_decimal::Decimal;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// What a scenario's network and discounting depend on: everything but
/// the month-0 BTC price and the sites. Grid points of a sweep that agree
/// on these share one projection.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SharedKey {
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
    pub fn of(s: &Scenario) -> SharedKey {
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

    /// The horizon in months, which a projection's size is proportional
    /// to.
    pub fn months(&self) -> u32 {
        self.months
    }
}

/// The network projection and discount factors of a scenario, and the
/// price-free figures of the sites evaluated with them.
#[derive(Debug)]
pub(super) struct Shared {
    pub(super) network: Network,
    pub(super) discount: Discount,
    /// Sites' [`SiteTemplate`]s, by the site's every input (written out
    /// with each decimal's scale, so `150` and `150.0` are two sites),
    /// the newest last; at most `keep`.
    templates: Mutex<VecDeque<(String, Arc<SiteTemplate>)>>,
    /// Format-2 scenarios' [`Template`]s, by everything they depend on
    /// beyond this projection (the format-2 top-level keys and every
    /// site's inputs), the newest last; at most `keep`.
    templates2: Mutex<VecDeque<(String, Arc<Template>)>>,
    keep: usize,
}

impl Shared {
    /// A projection that keeps the templates of up to `keep` sites.
    pub(super) fn new(network: Network, discount: Discount, keep: usize) -> Shared {
        Shared {
            network,
            discount,
            templates: Mutex::new(VecDeque::new()),
            templates2: Mutex::new(VecDeque::new()),
            keep,
        }
    }

    /// The price-free figures of `site` over this projection: kept from an
    /// evaluation of the same site (at another month-0 price), or computed.
    pub(super) fn template(&self, site: &Site) -> Arc<SiteTemplate> {
        let compute = || Arc::new(SiteTemplate::new(site, &self.network, &self.discount));
        if self.keep == 0 {
            return compute();
        }
        let key = format!("{site:?}");
        let found = self.templates.lock().ok().and_then(|t| {
            t.iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| Arc::clone(v))
        });
        if let Some(template) = found {
            return template;
        }
        let template = compute();
        if let Ok(mut kept) = self.templates.lock() {
            if kept.len() >= self.keep {
                kept.pop_front();
            }
            kept.push_back((key, Arc::clone(&template)));
        }
        template
    }
}

impl Shared {
    /// The price-free figures of a format-2 scenario over this projection:
    /// kept from an evaluation of the same scenario at another month-0
    /// price, or computed by `compute`. `key` writes out what they depend
    /// on beyond the projection.
    pub(super) fn template2(
        &self,
        key: impl FnOnce() -> String,
        compute: impl FnOnce() -> Template,
    ) -> Arc<Template> {
        if self.keep == 0 {
            return Arc::new(compute());
        }
        let key = key();
        let found = self.templates2.lock().ok().and_then(|t| {
            t.iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| Arc::clone(v))
        });
        if let Some(template) = found {
            return template;
        }
        let template = Arc::new(compute());
        if let Ok(mut kept) = self.templates2.lock() {
            if kept.len() >= self.keep {
                kept.pop_front();
            }
            kept.push_back((key, Arc::clone(&template)));
        }
        template
    }
}

/// Which part of a projection left the decimal range (the network comes
/// first, so a scenario where both would is reported for the network).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SharedFailure {
    Network,
    Discount,
}

type Slot = Arc<OnceLock<Result<Arc<Shared>, SharedFailure>>>;

/// The kept projections and the order they came in (the oldest goes first
/// when a new one would not fit).
#[derive(Debug, Default)]
struct Entries {
    slots: HashMap<SharedKey, Slot>,
    order: VecDeque<SharedKey>,
}

/// Network projections kept for reuse across many evaluations of one
/// scenario (a sweep's grid points), safe to share between threads.
///
/// It holds at most `capacity` projections (forgetting the oldest when a
/// new one would not fit), so memory stays flat however large the grid: a
/// sweep sizes it to the distinct projections its points reuse (see
/// `sweep::evaluate_grid`). Each projection is computed once even when
/// several threads ask for it at the same time: the others wait for it.
#[derive(Debug)]
pub struct Cache {
    entries: Mutex<Entries>,
    capacity: usize,
    /// Sites' templates each projection keeps.
    templates: usize,
    computed: AtomicUsize,
}

/// Projections a [`Cache::new`] keeps.
pub const CACHE_ENTRIES: usize = 64;

/// A projection's approximate size in bytes, per month of the horizon
/// (the month's network figures, two growth powers and a discount factor).
pub const PROJECTION_BYTES_PER_MONTH: usize = std::mem::size_of::<crate::network::NetworkMonth>()
    + 2 * std::mem::size_of::<Option<Decimal>>()
    + std::mem::size_of::<Decimal>();

impl Default for Cache {
    fn default() -> Cache {
        Cache::with_capacity(CACHE_ENTRIES)
    }
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// A cache of at most `capacity` projections; 0 keeps none (every
    /// evaluation computes its own, as without a cache). Each keeps the
    /// price-free figures of one site.
    pub fn with_capacity(capacity: usize) -> Cache {
        Cache::with_capacities(capacity, 1)
    }

    /// As [`with_capacity`](Self::with_capacity), each projection keeping
    /// the price-free figures of up to `templates` sites (a sweep whose
    /// other axis varies a site key over `templates` values at each
    /// month-0 price).
    pub fn with_capacities(capacity: usize, templates: usize) -> Cache {
        Cache {
            entries: Mutex::new(Entries::default()),
            capacity,
            templates,
            computed: AtomicUsize::new(0),
        }
    }

    /// Sites' templates each projection keeps.
    pub(super) fn templates_per_projection(&self) -> usize {
        self.templates
    }

    /// How many projections are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.slots.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many projections the evaluations using this cache computed.
    pub fn projections_computed(&self) -> usize {
        self.computed.load(Ordering::Relaxed)
    }

    /// The projection for `key`, from the cache or computed by `compute`
    /// (once, however many threads ask for it at a time).
    pub(super) fn get_or_compute(
        &self,
        key: SharedKey,
        compute: impl FnOnce() -> Result<Shared, SharedFailure>,
    ) -> Result<Arc<Shared>, SharedFailure> {
        let counted = || {
            self.computed.fetch_add(1, Ordering::Relaxed);
            compute().map(Arc::new)
        };
        if self.capacity == 0 {
            return counted();
        }
        let slot = match self.entries.lock() {
            Ok(mut entries) => match entries.slots.get(&key) {
                Some(slot) => Arc::clone(slot),
                None => {
                    if entries.order.len() >= self.capacity
                        && let Some(oldest) = entries.order.pop_front()
                    {
                        entries.slots.remove(&oldest);
                    }
                    entries.order.push_back(key.clone());
                    Arc::clone(entries.slots.entry(key).or_default())
                }
            },
            Err(_) => return counted(),
        };
        slot.get_or_init(counted).clone()
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
