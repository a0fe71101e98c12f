//! The Summary JSON of MODEL.md: keys in its order, numbers as JSON numbers
//! with exactly the stated decimals.
//!
//! Numbers are written from their decimal digits through serde_json's
//! `RawValue`, so no figure passes through `f64` on its way out.

use super::{Renderer, fixed, places};
use crate::summary::{AiSummary, MineSummary, Outcome, SiteSummary, Summary};
use rust_decimal::Decimal;
use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// `--format json`: one object for one scenario, an array for a list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Renderer for Json {
    fn render(&self, summaries: &[Summary], as_list: bool) -> Vec<u8> {
        let docs: Vec<Doc> = summaries.iter().map(Doc).collect();
        let mut out = if as_list || docs.len() != 1 {
            serde_json::to_vec_pretty(&docs)
        } else {
            serde_json::to_vec_pretty(&docs[0])
        }
        // Serializing our own types to memory cannot fail: every number is
        // valid JSON text by construction (see `fixed`).
        .unwrap_or_default();
        out.push(b'\n');
        out
    }
}

/// A decimal written as a JSON number with a fixed number of decimals.
struct Num(String);

impl Num {
    fn new(value: Decimal, places: u32) -> Num {
        Num(fixed(value, places))
    }
    fn opt(value: Option<Decimal>, places: u32) -> Option<Num> {
        value.map(|v| Num::new(v, places))
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RawValue::from_string(self.0.clone())
            .map_err(S::Error::custom)?
            .serialize(s)
    }
}

struct Doc<'a>(&'a Summary);

impl Serialize for Doc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let summary = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("scenario", &summary.scenario)?;
        map.serialize_entry("months", &summary.months)?;
        map.serialize_entry("network", &NetworkDoc(summary))?;
        let sites: Vec<SiteDoc> = summary.sites.iter().map(SiteDoc).collect();
        map.serialize_entry("sites", &sites)?;
        map.end()
    }
}

struct NetworkDoc<'a>(&'a Summary);

#[derive(Serialize)]
struct HalvingDoc {
    height: u64,
    month: String,
}

impl Serialize for NetworkDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry(
            "hashprice_usd_per_ph_day",
            &Num::new(self.0.hashprice_usd_per_ph_day(), places::RATE),
        )?;
        let halvings: Vec<HalvingDoc> = self
            .0
            .halvings()
            .iter()
            .map(|h| HalvingDoc {
                height: h.height,
                month: h.month.to_string(),
            })
            .collect();
        map.serialize_entry("halvings", &halvings)?;
        map.end()
    }
}

struct SiteDoc<'a>(&'a SiteSummary);

impl Serialize for SiteDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let site = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &site.name)?;
        if let Some(mine) = &site.mine {
            map.serialize_entry("mine", &MineDoc(mine))?;
        }
        if let Some(ai) = &site.ai {
            map.serialize_entry("ai", &AiDoc(ai))?;
        }
        if let Some(c) = &site.comparison {
            map.serialize_entry("winner", c.winner.as_str())?;
            map.serialize_entry(
                "npv_advantage_usd",
                &Num::new(c.npv_advantage_usd, places::USD),
            )?;
            map.serialize_entry(
                "crossover_btc_price_usd",
                &Num::opt(c.crossover_btc_price_usd, places::USD),
            )?;
        }
        map.end()
    }
}

/// The keys both strategies share, in MODEL.md's order.
fn outcome_entries<M: SerializeMap>(map: &mut M, o: &Outcome) -> Result<(), M::Error> {
    let usd = |v| Num::new(v, places::USD);
    map.serialize_entry("revenue_usd", &usd(o.revenue_usd))?;
    map.serialize_entry("power_cost_usd", &usd(o.power_cost_usd))?;
    map.serialize_entry("opex_usd", &usd(o.opex_usd))?;
    map.serialize_entry("capex_usd", &usd(o.capex_usd))?;
    map.serialize_entry("net_cash_usd", &usd(o.net_cash_usd))?;
    map.serialize_entry("npv_usd", &usd(o.npv_usd))?;
    map.serialize_entry("irr", &Num::opt(o.irr, places::IRR))?;
    map.serialize_entry("payback_months", &o.payback_months)?;
    map.serialize_entry("btc_mined", &Num::new(o.btc_mined, places::BTC))
}

struct MineDoc<'a>(&'a MineSummary);

impl Serialize for MineDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut map = s.serialize_map(None)?;
        outcome_entries(&mut map, &m.outcome)?;
        map.serialize_entry(
            "breakeven_btc_price_usd",
            &Num::opt(m.breakeven_btc_price_usd, places::USD),
        )?;
        map.serialize_entry(
            "cost_per_btc_usd",
            &Num::opt(m.cost_per_btc_usd, places::USD),
        )?;
        map.serialize_entry(
            "all_in_cost_per_btc_usd",
            &Num::opt(m.all_in_cost_per_btc_usd, places::USD),
        )?;
        map.end()
    }
}

struct AiDoc<'a>(&'a AiSummary);

impl Serialize for AiDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        let mut map = s.serialize_map(None)?;
        outcome_entries(&mut map, &a.outcome)?;
        map.serialize_entry("breakeven_rate", &Num::opt(a.breakeven_rate, places::RATE))?;
        map.serialize_entry("go_live", &a.go_live.map(|g| g.to_string()))?;
        map.end()
    }
}
