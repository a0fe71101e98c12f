//! `explain`'s view of one format-2 month: the month exactly as the run
//! computes it, laid open.
//!
//! The run adds a month up from the (row, block) parts of its mining and
//! the AI load beside them, then forgets the parts. `explain` must show
//! those parts without a second derivation that could drift from the
//! run, so this builds the strategy the way [`super::summarize`] does
//! (the same template, settled with the same discount factors, at the
//! same market price) and hands back that month's own figures, with the
//! parts of its mining as `mining_month` made them and, for each, whether
//! it runs in the set the month picked.

use super::{
    AiSetup, Market, MarketFree, Miners, Power, ai_strategy, beta, mine_strategy,
    mining_month_parts, rows_of, trailing_ebitda,
};
use crate::exact::Overflow;
use crate::finance::Discount;
use crate::network::Network;
use crate::scenario::{Scenario, Shutdown};
use rust_decimal::Decimal;

/// One month of one strategy of a format-2 site, as the run computed it.
#[derive(Debug, Clone)]
pub(crate) struct Explained {
    pub btc: Decimal,
    pub mining_revenue: Decimal,
    pub demand_response: Decimal,
    pub ai_revenue: Decimal,
    /// The AI load's power (0 under `mine`, before go-live and with pass-through).
    pub ai_power: Decimal,
    /// All of the month's power: the AI load's and the mining's.
    pub power: Decimal,
    pub fleet_sale: Decimal,
    pub rate: Option<Decimal>,
    pub in_service: Option<Decimal>,
    /// `(share_b, price_b,i)`: the site's blocks, escalated to month `i`.
    pub blocks: Vec<(Decimal, Decimal)>,
    /// `p̄_i`.
    pub blended: Decimal,
    /// `(1 + inflation_annual)^floor(i/12)`.
    pub inflation: Decimal,
    /// The strategy's trailing EBITDA (annual) and the exit multiple that
    /// counts (0 for an AI site not live through the window).
    pub trailing_ebitda: Decimal,
    pub exit_multiple: Decimal,
    /// What mines this month; `None` when nothing does.
    pub mining: Option<ExplainedMining>,
}

/// The mining of a month: the rows that mine and their parts.
#[derive(Debug, Clone)]
pub(crate) struct ExplainedMining {
    /// The machines `keep_mining` keeps beside a live AI load (else the
    /// whole fleet).
    pub kept: bool,
    pub economic: bool,
    /// `R_i · (1 − pool_fee)`, BTC.
    pub net_reward: Decimal,
    /// Mining opex (escalated; scaled to the kept load when kept).
    pub opex: Decimal,
    pub rows: Vec<ExplainedRow>,
}

/// One fleet row of a mining month.
#[derive(Debug, Clone)]
pub(crate) struct ExplainedRow {
    /// Its index among `[[site.mining.fleet]]` (0 for the single form).
    pub fleet_row: usize,
    /// `T_r`, TH/s (what is kept of it, when kept).
    pub ths: Decimal,
    pub j_per_th: Decimal,
    /// `M_r`, MW.
    pub meter_mw: Decimal,
    /// `β_r,i`, BTC.
    pub beta: Decimal,
    /// One per power block, in the site's order.
    pub parts: Vec<ExplainedPart>,
}

/// One fleet row in one power block.
#[derive(Debug, Clone)]
pub(crate) struct ExplainedPart {
    pub runs: bool,
    /// BTC, power cost, demand response if it runs.
    pub btc: Decimal,
    /// BTC times the price path (revenue per USD of month-0 price).
    pub coef: Decimal,
    pub power_cost: Decimal,
    pub demand_response: Decimal,
    /// `M_r · hours_i · share_b`, MWh (the run-share numerator's part).
    pub run: Decimal,
}

/// Month `i` of strategy `ai` (else `mine`) of site `site_index` of a
/// checked format-2 scenario, as `summarize` computes it.
pub(crate) fn month(
    scenario: &Scenario,
    site_index: usize,
    ai: bool,
    i: usize,
) -> Result<Explained, Overflow> {
    let n = scenario.months as usize;
    let site = scenario.sites.get(site_index).ok_or(Overflow)?;
    let network = Network::project(&scenario.bitcoin, scenario.start, scenario.months)?;
    let discount = Discount::new(scenario.discount_rate, n)?;
    let free = MarketFree::new(scenario, &network)?;
    let power = Power::new(site, n)?;
    let market = Market::at(&free, scenario.bitcoin.price_usd)?;
    let price_i = *market.price.get(i).ok_or(Overflow)?;

    let own_rows;
    let (mut template, mining) = match (ai, &site.mining, &site.ai) {
        (true, _, Some(a)) => {
            let setup = AiSetup::new(site, a, &network, n)?;
            let s = a.f2.start_index as usize;
            let (st, _) = ai_strategy(&setup, s, &free, &power)?;
            let miners = setup.miners(i, s);
            let opex = setup
                .mining(&miners, &free, &power, i)?
                .map(|(month, _)| month.opex);
            let rows = match (&miners, &setup.fleet, &setup.kept) {
                (Miners::Fleet, Some((m, rows)), _) => Some((*m, rows.to_vec(), false)),
                (Miners::Kept, _, Some((m, kept))) => Some((*m, kept.rows.to_vec(), true)),
                _ => None,
            };
            (st, rows.zip(opex))
        }
        (false, Some(m), _) => {
            own_rows = rows_of(m, &network)?;
            let st = mine_strategy(m, &network, &free, &power)?;
            let opex = mining_month_parts(m, &own_rows, &free, &power, i)?.0.opex;
            (st, Some(((m, own_rows.to_vec(), false), opex)))
        }
        _ => return Err(Overflow),
    };
    template.settle(&discount)?;
    let strategy = template.at(&market)?;
    let m = strategy.months.get(i).ok_or(Overflow)?;

    let mining = match mining {
        Some(((mining, rows, kept), opex)) => {
            let (_, sets, parts) = mining_month_parts(mining, &rows, &free, &power, i)?;
            let blocks = power.blocks[i].len();
            let mut out = Vec::with_capacity(rows.len());
            for (r, row) in rows.iter().enumerate() {
                let mut row_parts = Vec::with_capacity(blocks);
                for part in parts.iter().skip(r * blocks).take(blocks) {
                    row_parts.push(ExplainedPart {
                        runs: sets.runs(part, price_i)?,
                        btc: part.btc,
                        coef: part.coef,
                        power_cost: part.power_cost,
                        demand_response: part.demand_response,
                        run: part.run,
                    });
                }
                out.push(ExplainedRow {
                    fleet_row: row.key % super::KEPT_ROWS,
                    ths: row.ths,
                    j_per_th: row.j_per_th,
                    meter_mw: row.meter_mw,
                    beta: beta(row, &free, i)?,
                    parts: row_parts,
                });
            }
            Some(ExplainedMining {
                kept,
                economic: mining.f2.shutdown == Shutdown::Economic,
                net_reward: sets.net_reward,
                opex,
                rows: out,
            })
        }
        None => None,
    };
    Ok(Explained {
        btc: m.btc,
        mining_revenue: m.mining_revenue,
        demand_response: m.demand_response,
        ai_revenue: m.ai_revenue,
        ai_power: m.ai_power,
        power: m.power,
        fleet_sale: m.fleet_sale,
        rate: m.rate,
        in_service: m.in_service,
        blocks: power.blocks[i].clone(),
        blended: power.blended[i],
        inflation: free.inflation[i],
        trailing_ebitda: trailing_ebitda(&strategy.months)?,
        exit_multiple: strategy.exit_multiple,
        mining,
    })
}
