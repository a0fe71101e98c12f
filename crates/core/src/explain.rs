//! `explain`: every intermediate of one month of one site, each with the
//! section of docs/model.md that defines it.
//!
//! A finance reviewer asks "why is this number what it is?" and needs to
//! follow a month from the inputs to its cash flow. The danger of such an
//! audit trail is that it re-derives the formulas and drifts from what
//! `run` computes. So nothing here is a second model:
//!
//! - the month's totals and finance (revenue, power, opex, capex, cash
//!   flow, cumulative cash and, in format 2, price, hashrate, blended
//!   power price, run share, rate, in-service share, discount factor,
//!   present value, fleet sale, terminal value) are read from the
//!   [`Summary`] that `run` prints;
//! - the network's blocks, heights and subsidy parts come from
//!   [`Network::project`], [`network::heights`] and
//!   [`network::subsidy_parts`], the functions the projection itself sums;
//! - a format-2 month is rebuilt by the run's own code
//!   (`summary::explained`), which hands back the (row, block) parts of
//!   its mining and whether each runs; a format-1 month comes from
//!   [`strategy::mine::project`] and [`strategy::ai::project`], and the
//!   rate and ramp from the functions those use.
//!
//! Only a few figures that `run` never prints are computed here, each
//! from its docs/model.md formula and marked by its rule: what a MWh
//! earns (`v`), the escalator and inflation factors, the fleet's share of
//! the network. Values are unrounded; the renderer rounds each once, to
//! the decimals the figure carries (those of `run --monthly` where the
//! figure is one of its columns).

use crate::calendar::YearMonth;
use crate::exact::{Checked, Overflow, powi};
use crate::finance::Discount;
use crate::network::{self, Network};
use crate::scenario::{Ai, AiKind, Fleet, Mining, Scenario, Site};
use crate::strategy::{self, MonthRow};
use crate::summary::explained::{self, Explained, ExplainedMining};
use crate::summary::{ComputeError, MonthFigures, Offer, Summary};
use rust_decimal::Decimal;
use std::fmt;

/// docs/model.md's section headings, the `rule` of each figure.
pub mod rule {
    pub const TIME: &str = "Time grid";
    pub const NETWORK: &str = "Bitcoin network";
    pub const MINE: &str = "Strategy `mine`";
    pub const AI: &str = "Strategy `ai`";
    pub const FINANCE: &str = "Finance";
    pub const PRICES: &str = "Prices that move";
    pub const ROWS: &str = "Mining, row by row";
    pub const LATER: &str = "Converting later, in part, and selling the fleet";
    pub const TERMINAL: &str = "Terminal value";
    pub const FINANCE2: &str = "Cash flow and finance in format 2";
}

/// Decimals of each kind of figure: `run --monthly`'s where it prints the
/// figure (docs/model.md, "Precision and output"), else stated here.
pub mod places {
    pub const USD: u32 = 2;
    pub const BTC: u32 = 8;
    /// Hashprice, rates, shares, hashrate, power prices, `v`.
    pub const RATE: u32 = 4;
    /// Discount factors (`run --monthly`'s 10) and the escalator and
    /// inflation factors.
    pub const FACTOR: u32 = 10;
    /// Loads (MW), energy (MWh), hashrate (TH/s), blocks.
    pub const QUANTITY: u32 = 4;
    pub const WHOLE: u32 = 0;
}

/// Which strategy to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Mine,
    Ai,
}

impl Which {
    pub fn as_str(self) -> &'static str {
        match self {
            Which::Mine => "mine",
            Which::Ai => "ai",
        }
    }
}

/// A figure's value, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Printed with exactly `places` decimals, rounded half-even.
    Number {
        value: Decimal,
        places: u32,
    },
    Text(String),
    /// The rule says there is none (a rate before go-live).
    Null,
}

/// One intermediate: its name, value, unit, the docs/model.md section
/// that defines it and, when `run --monthly --format json` prints it
/// too, that row's key (the two are equal).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: String,
    pub value: Value,
    pub unit: &'static str,
    pub rule: &'static str,
    pub monthly_key: Option<&'static str>,
}

/// Figures under one heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub figures: Vec<Figure>,
}

impl Section {
    fn new(title: impl Into<String>) -> Section {
        Section {
            title: title.into(),
            figures: Vec::new(),
        }
    }

    fn num(
        &mut self,
        name: impl Into<String>,
        value: Decimal,
        places: u32,
        unit: &'static str,
        rule: &'static str,
    ) -> &mut Figure {
        self.figures.push(Figure {
            name: name.into(),
            value: Value::Number { value, places },
            unit,
            rule,
            monthly_key: None,
        });
        let last = self.figures.len() - 1;
        &mut self.figures[last]
    }

    fn opt(
        &mut self,
        name: impl Into<String>,
        value: Option<Decimal>,
        places: u32,
        unit: &'static str,
        rule: &'static str,
    ) -> &mut Figure {
        match value {
            Some(v) => self.num(name, v, places, unit, rule),
            None => {
                self.figures.push(Figure {
                    name: name.into(),
                    value: Value::Null,
                    unit,
                    rule,
                    monthly_key: None,
                });
                let last = self.figures.len() - 1;
                &mut self.figures[last]
            }
        }
    }

    fn text(&mut self, name: impl Into<String>, text: impl Into<String>, rule: &'static str) {
        self.figures.push(Figure {
            name: name.into(),
            value: Value::Text(text.into()),
            unit: "",
            rule,
            monthly_key: None,
        });
    }
}

impl Figure {
    /// Marks the figure as `run --monthly`'s `key`.
    fn key(&mut self, key: &'static str) {
        self.monthly_key = Some(key);
    }
}

/// One strategy's sections.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategyExplanation {
    pub strategy: Which,
    pub sections: Vec<Section>,
}

/// Everything `explain` prints for one site and month.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub scenario: String,
    pub format: u8,
    pub site: String,
    pub site_index: usize,
    pub month: YearMonth,
    pub month_index: usize,
    pub months: u32,
    /// The network, shared by every strategy.
    pub network: Section,
    pub strategies: Vec<StrategyExplanation>,
}

/// Why a request cannot be explained.
#[derive(Debug, Clone, PartialEq)]
pub enum ExplainError {
    /// No site of that name (or index).
    UnknownSite { asked: String, sites: Vec<String> },
    /// No site given, and the scenario has several.
    SiteNeeded { sites: Vec<String> },
    /// `--month` is not `YYYY-MM`.
    NotAMonth { text: String },
    /// A month outside the horizon.
    OutsideHorizon {
        month: YearMonth,
        first: YearMonth,
        last: YearMonth,
        months: u32,
    },
    /// The site has no such strategy.
    NoStrategy {
        site: String,
        strategy: Which,
        has: Option<Which>,
    },
    /// The arithmetic left the decimal range.
    Overflow(ComputeError),
}

/// `0 "North", 1 "South"`: the sites with the index `--site` also takes.
fn numbered(sites: &[String]) -> String {
    let list: Vec<String> = sites
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{i} {s:?}"))
        .collect();
    list.join(", ")
}

impl fmt::Display for ExplainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplainError::SiteNeeded { sites } => write!(
                f,
                "the scenario has {} sites: give --site with a name or an index: {}",
                sites.len(),
                numbered(sites)
            ),
            ExplainError::UnknownSite { asked, sites } => {
                write!(
                    f,
                    "no site {asked:?} in the scenario: its sites are {} (give a name or an index)",
                    numbered(sites)
                )?;
                // Names are matched exactly; one that differs only in case
                // is the likely one.
                if let Some(near) = sites
                    .iter()
                    .find(|s| s.to_lowercase() == asked.to_lowercase())
                {
                    write!(f, ": did you mean {near:?}?")?;
                }
                Ok(())
            }
            ExplainError::NotAMonth { text } => {
                write!(f, "--month {text:?} is not a month: write it YYYY-MM")?;
                // `2028-4`: the month without its leading zero.
                if let Some((y, m)) = text.split_once('-')
                    && y.len() == 4
                    && y.bytes().all(|b| b.is_ascii_digit())
                    && let Ok(m) = m.parse::<u32>()
                    && (1..=12).contains(&m)
                {
                    write!(f, " ({y}-{m:02}?)")?;
                }
                Ok(())
            }
            ExplainError::OutsideHorizon {
                month,
                first,
                last,
                months,
            } => write!(
                f,
                "month {month} is outside the horizon: {first} to {last} ({months} months)"
            ),
            ExplainError::NoStrategy {
                site,
                strategy,
                has,
            } => {
                let has = has.map_or("none".to_string(), |w| w.as_str().to_string());
                write!(
                    f,
                    "site {site:?} has no strategy {} (its strategy: {has})",
                    strategy.as_str()
                )
            }
            ExplainError::Overflow(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ExplainError {}

/// Explains month `month` (`YYYY-MM`) of site `site` (a name, or an
/// index from 0) of a computed scenario, for `which` strategy or every
/// strategy the site has.
pub fn explain(
    summary: &Summary,
    site: &str,
    month: &str,
    which: Option<Which>,
) -> Result<Explanation, ExplainError> {
    let scenario = &summary.inputs;
    let names: Vec<String> = scenario.sites.iter().map(|s| s.name.clone()).collect();
    let site_index = names
        .iter()
        .position(|n| n == site)
        .or_else(|| site.parse::<usize>().ok().filter(|&i| i < names.len()))
        .ok_or_else(|| ExplainError::UnknownSite {
            asked: site.to_string(),
            sites: names.clone(),
        })?;
    let label = YearMonth::parse(month).ok_or_else(|| ExplainError::NotAMonth {
        text: month.to_string(),
    })?;
    let i = label
        .months_since(scenario.start)
        .filter(|&i| i < scenario.months)
        .ok_or(ExplainError::OutsideHorizon {
            month: label,
            first: scenario.start,
            last: scenario.start.add_months(scenario.months.saturating_sub(1)),
            months: scenario.months,
        })? as usize;
    let s = &scenario.sites[site_index];
    let has = match (&s.mining, &s.ai) {
        (Some(_), Some(_)) => vec![Which::Mine, Which::Ai],
        (Some(_), None) => vec![Which::Mine],
        (None, Some(_)) => vec![Which::Ai],
        (None, None) => Vec::new(),
    };
    let wanted = match which {
        Some(w) if has.contains(&w) => vec![w],
        Some(w) => {
            return Err(ExplainError::NoStrategy {
                site: s.name.clone(),
                strategy: w,
                has: has.first().copied(),
            });
        }
        None => has,
    };
    let overflow = |during: String| {
        let scenario = scenario.name.clone();
        move |_: Overflow| ExplainError::Overflow(ComputeError { scenario, during })
    };
    let network = Network::project(&scenario.bitcoin, scenario.start, scenario.months)
        .map_err(overflow("the Bitcoin network projection".into()))?;
    let network_section = network_section(summary, &network, i)
        .map_err(overflow("the Bitcoin network projection".into()))?;
    let mut strategies = Vec::with_capacity(wanted.len());
    for w in wanted {
        let during = format!(
            "site[{site_index}] (\"{}\") strategy {} (explain)",
            s.name,
            w.as_str()
        );
        let sections =
            strategy_sections(summary, &network, site_index, w, i).map_err(overflow(during))?;
        strategies.push(StrategyExplanation {
            strategy: w,
            sections,
        });
    }
    Ok(Explanation {
        scenario: scenario.name.clone(),
        format: scenario.format(),
        site: s.name.clone(),
        site_index,
        month: label,
        month_index: i,
        months: scenario.months,
        network: network_section,
        strategies,
    })
}

/// `P_i`, as every strategy computes it: the month-0 price on its path.
fn btc_price(scenario: &Scenario, network: &Network, i: usize) -> Result<Decimal, Overflow> {
    network.price_growth.scale(scenario.bitcoin.price_usd, i)
}

/// `H_i`, EH/s.
fn hashrate(network: &Network, i: usize) -> Result<Decimal, Overflow> {
    network
        .hashrate_growth
        .scale(network.network_hashrate_ehs, i)
}

fn network_section(summary: &Summary, network: &Network, i: usize) -> Result<Section, Overflow> {
    let scenario = &summary.inputs;
    let f2 = scenario.format2.is_some();
    let m = &network.months[i];
    let grid = crate::calendar::grid(scenario.start, scenario.months);
    let heights = network::heights(&scenario.bitcoin, &grid)?;
    let (h0, h1) = (heights[i], heights[i + 1]);
    let mut s = Section::new("Bitcoin network");
    use places::*;
    use rule::*;
    s.num("Days", Decimal::from(m.grid.days), WHOLE, "days", TIME);
    s.num("Hours", Decimal::from(m.grid.hours()), WHOLE, "h", TIME);
    s.num(
        "Blocks, B = days × 86,400 / block time",
        m.blocks,
        QUANTITY,
        "blocks",
        NETWORK,
    );
    s.num("Height at the start, h", h0, WHOLE, "", NETWORK);
    s.num(
        "Height at the end (next month's start)",
        h1,
        WHOLE,
        "",
        NETWORK,
    );
    let parts = network::subsidy_parts(h0, h1)?;
    let split = parts.len() > 1;
    for (k, part) in parts.iter().enumerate() {
        let label = if split {
            format!("Part {} (epoch {}): ", k + 1, part.epoch)
        } else {
            format!("Epoch {}: ", part.epoch)
        };
        s.num(
            format!("{label}blocks"),
            part.to.minus(part.from)?,
            QUANTITY,
            "blocks",
            NETWORK,
        );
        s.num(
            format!("{label}subsidy per block"),
            part.subsidy_btc,
            BTC,
            "BTC",
            NETWORK,
        );
        s.num(
            format!("{label}subsidy"),
            part.earned_btc,
            BTC,
            "BTC",
            NETWORK,
        );
    }
    for h in network.halvings.iter().filter(|h| h.month == m.grid.label) {
        s.num(
            "Halving in the month, at height",
            Decimal::from(h.height),
            WHOLE,
            "",
            NETWORK,
        );
    }
    let fees = scenario.bitcoin.fees_btc_per_block;
    s.num("Fees per block", fees, BTC, "BTC", NETWORK);
    s.num(
        "Fees, B × fees per block",
        m.blocks.times(fees)?,
        BTC,
        "BTC",
        NETWORK,
    );
    s.num(
        "Reward, R = subsidy + fees",
        m.reward_btc,
        BTC,
        "BTC",
        NETWORK,
    );
    let p = s.num(
        "BTC price, P",
        btc_price(scenario, network, i)?,
        USD,
        "USD",
        NETWORK,
    );
    if f2 {
        p.key("btc_price_usd");
    }
    let h = s.num(
        "Network hashrate, H",
        hashrate(network, i)?,
        RATE,
        "EH/s",
        NETWORK,
    );
    if f2 {
        h.key("network_hashrate_ehs");
    }
    s.num(
        "Hashprice = R / days × P / (H × 1,000)",
        summary.hashprice_usd_per_ph_day[i],
        RATE,
        "USD per PH/s per day",
        NETWORK,
    )
    .key("hashprice_usd_per_ph_day");
    Ok(s)
}

/// The run's month `i` of strategy `w`.
fn run_month(summary: &Summary, site: usize, w: Which, i: usize) -> Option<&MonthFigures> {
    let s = summary.sites.get(site)?;
    let outcome = match w {
        Which::Mine => &s.mine.as_ref()?.outcome,
        Which::Ai => &s.ai.as_ref()?.outcome,
    };
    outcome.monthly.get(i)
}

fn strategy_sections(
    summary: &Summary,
    network: &Network,
    site_index: usize,
    w: Which,
    i: usize,
) -> Result<Vec<Section>, Overflow> {
    let scenario = &summary.inputs;
    let site = &scenario.sites[site_index];
    let run = run_month(summary, site_index, w, i).ok_or(Overflow)?;
    let mut sections = Vec::new();
    let parts = if scenario.format2.is_some() {
        let e = explained::month(scenario, site_index, w == Which::Ai, i)?;
        format2_sections(scenario, network, site, w, i, &e, &mut sections)?;
        Parts {
            fleet_sale: Some(e.fleet_sale),
            ebitda: Some((e.trailing_ebitda, e.exit_multiple)),
        }
    } else {
        format1_sections(scenario, network, site, w, i, &mut sections)?;
        Parts {
            fleet_sale: None,
            ebitda: None,
        }
    };
    sections.push(finance_section(scenario, run, i, &parts)?);
    Ok(sections)
}

/// What the finance section shows beside the run's month in format 2.
struct Parts {
    fleet_sale: Option<Decimal>,
    /// Trailing EBITDA and the exit multiple that counts.
    ebitda: Option<(Decimal, Decimal)>,
}

/// `(1 + rate)^floor(i/12)`: the yearly steps of docs/model.md, "Prices
/// that move".
fn yearly_factor(rate: Decimal, i: usize) -> Result<Decimal, Overflow> {
    powi(Decimal::ONE.plus(rate)?, (i / 12) as u64)
}

/// The strategy's plan: start, build, go-live and what month `i` is.
fn plan_section(scenario: &Scenario, a: &Ai, i: usize, rule: &'static str) -> Section {
    let n = scenario.months as usize;
    let s = a.f2.start_index as usize;
    let g = usize::try_from(a.build_months).unwrap_or(usize::MAX);
    let live = s.saturating_add(g);
    let mut sec = Section::new("Conversion plan");
    sec.text(
        "Conversion starts",
        scenario.start.add_months(s as u32).to_string(),
        rule,
    );
    sec.num(
        "Build months, g",
        Decimal::from(a.build_months),
        places::WHOLE,
        "months",
        rule,
    );
    sec.text(
        "Go-live",
        match strategy::ai::go_live(a, n) {
            Some(l) => scenario.start.add_months(l as u32).to_string(),
            None => "not within the horizon".to_string(),
        },
        rule,
    );
    let phase = if i < s {
        "before the start: mines as strategy `mine`, without its capex".to_string()
    } else if i < live {
        let during = if a.mine_during_build {
            "mining through it"
        } else {
            "nothing mines"
        };
        format!("construction month {} of {g} ({during})", i - s + 1)
    } else {
        format!("live month {} (counted from 0 at go-live)", i - live)
    };
    sec.text("This month", phase, rule);
    sec
}

/// Format 2: power blocks, mining rows and totals, the AI load.
fn format2_sections(
    scenario: &Scenario,
    network: &Network,
    site: &Site,
    w: Which,
    i: usize,
    e: &Explained,
    out: &mut Vec<Section>,
) -> Result<(), Overflow> {
    use places::*;
    use rule::*;
    if let (Which::Ai, Some(a)) = (w, &site.ai) {
        out.push(plan_section(scenario, a, i, LATER));
    }
    let mut power = Section::new("Power price");
    let escalator = site
        .power2
        .as_ref()
        .map_or(Decimal::ZERO, |p| p.escalator_annual);
    power.num(
        "Power escalator factor, (1 + escalator)^floor(i/12)",
        yearly_factor(escalator, i)?,
        FACTOR,
        "×",
        PRICES,
    );
    for (b, (share, price)) in e.blocks.iter().enumerate() {
        power.num(
            format!("Block {b}: share of the hours"),
            *share,
            RATE,
            "fraction",
            PRICES,
        );
        power.num(format!("Block {b}: price"), *price, RATE, "USD/MWh", PRICES);
    }
    power
        .num(
            "Blended price, p̄ = Σ share × price",
            e.blended,
            RATE,
            "USD/MWh",
            PRICES,
        )
        .key("power_price_usd_per_mwh");
    out.push(power);

    let mining = site.mining.as_ref();
    if let (Some(mx), Some(m)) = (&e.mining, mining) {
        row_sections(scenario, network, m, i, e, mx, out)?;
    }
    let mut totals = Section::new(match w {
        Which::Mine => "Mining, month total",
        Which::Ai => "Mining in the month (before the start, the build or kept machines)",
    });
    totals
        .num("BTC mined, Σ rows", e.btc, BTC, "BTC", ROWS)
        .key("btc_mined");
    totals.num("BTC revenue, Σ rows", e.mining_revenue, USD, "USD", ROWS);
    totals.num(
        "Demand response, Σ rows",
        e.demand_response,
        USD,
        "USD",
        ROWS,
    );
    totals.num(
        "Mining power cost, Σ rows",
        e.power.minus(e.ai_power)?,
        USD,
        "USD",
        ROWS,
    );
    let run_share = match &e.mining {
        Some(mx) => run_share(mx)?,
        None => None,
    };
    totals
        .opt(
            "Run share, x (meter-energy weighted)",
            run_share,
            RATE,
            "fraction",
            ROWS,
        )
        .key("run_share");
    totals.num(
        "Inflation factor, (1 + inflation)^floor(i/12)",
        e.inflation,
        FACTOR,
        "×",
        PRICES,
    );
    match (&e.mining, mining) {
        (Some(mx), Some(m)) => {
            totals.num(
                "Opex as written, a month",
                m.opex_usd_per_month,
                USD,
                "USD",
                MINE,
            );
            let name = if mx.kept {
                "Mining opex × inflation × kept load ÷ full load"
            } else {
                "Mining opex × inflation"
            };
            totals.num(
                name,
                mx.opex,
                USD,
                "USD",
                if mx.kept { LATER } else { PRICES },
            );
        }
        _ => {
            totals.text("Mining", "nothing mines this month", ROWS);
        }
    }
    if w == Which::Mine {
        let capex = if i == 0 {
            mining.map_or(Decimal::ZERO, |m| m.capex_usd)
        } else {
            Decimal::ZERO
        };
        totals.num("Mining capex (month 0 only)", capex, USD, "USD", MINE);
    }
    out.push(totals);

    if let (Which::Ai, Some(a)) = (w, &site.ai) {
        out.push(ai_section(
            scenario,
            a,
            i,
            e.in_service,
            e.rate,
            e.ai_revenue,
            e.ai_power,
            e.inflation,
            true,
        )?);
    }
    Ok(())
}

/// The run share of a mining month: `Σ M_r · hours · share_b` over the
/// parts that run, over `Σ M_r · hours`.
fn run_share(mx: &ExplainedMining) -> Result<Option<Decimal>, Overflow> {
    let mut num = Decimal::ZERO;
    let mut den = Decimal::ZERO;
    for row in &mx.rows {
        for p in &row.parts {
            den = den.plus(p.run)?;
            if p.runs {
                num = num.plus(p.run)?;
            }
        }
    }
    if den.is_zero() {
        Ok(None)
    } else {
        Ok(Some(num.over(den)?))
    }
}

/// One section per fleet row of a format-2 mining month.
fn row_sections(
    scenario: &Scenario,
    network: &Network,
    m: &Mining,
    i: usize,
    e: &Explained,
    mx: &ExplainedMining,
    out: &mut Vec<Section>,
) -> Result<(), Overflow> {
    use places::*;
    use rule::*;
    let price_usd = scenario.bitcoin.price_usd;
    let p_i = btc_price(scenario, network, i)?;
    let h_i = hashrate(network, i)?;
    let hours = Decimal::from(network.months[i].grid.hours());
    for row in &mx.rows {
        let (label, machines) = match &m.fleet {
            Fleet::Rows(rows) => match rows.get(row.fleet_row) {
                Some(r) => (
                    format!("{} ({} J/TH)", r.model, r.j_per_th),
                    Some(row.ths.over(r.ths)?),
                ),
                None => (String::new(), None),
            },
            Fleet::Single { .. } => ("the fleet (one row)".to_string(), None),
        };
        let kept = if mx.kept { "Kept row" } else { "Fleet row" };
        let mut s = Section::new(format!("{kept} {}: {label}", row.fleet_row));
        if let Some(n) = machines {
            s.num(
                "Machines",
                n,
                WHOLE,
                "machines",
                if mx.kept { LATER } else { ROWS },
            );
        }
        s.num("Hashrate, T", row.ths, QUANTITY, "TH/s", ROWS);
        s.num("Efficiency, E", row.j_per_th, QUANTITY, "J/TH", ROWS);
        s.num(
            "Meter load, M = T × E / 10^6 × pue",
            row.meter_mw,
            QUANTITY,
            "MW",
            ROWS,
        );
        s.num("BTC if it ran every hour, β", row.beta, BTC, "BTC", ROWS);
        // v = R · (1 − fee) · P / (H · E · pue · hours): the run compares
        // the cross-multiplied form; this is the same test as a price.
        let v = mx
            .net_reward
            .times(p_i)?
            .over(h_i.times(row.j_per_th)?.times(m.pue)?.times(hours)?)?;
        s.num(
            "What a MWh earns, v = R(1 − fee)P / (H × E × pue × hours)",
            v,
            RATE,
            "USD/MWh",
            ROWS,
        );
        let mut x = Decimal::ZERO;
        let (mut btc, mut coef, mut power, mut dr) =
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for (b, part) in row.parts.iter().enumerate() {
            let (share, price) = e.blocks.get(b).copied().unwrap_or_default();
            let verdict = match (part.runs, mx.economic) {
                (true, true) => "runs (v ≥ price)",
                (true, false) => "runs (shutdown = \"never\")",
                (false, _) => "off (v < price)",
            };
            let price = price.round_dp(4).normalize();
            let dollars = if price.is_sign_negative() {
                format!("-${}", price.abs())
            } else {
                format!("${price}")
            };
            s.text(
                format!("Block {b} ({dollars}/MWh, share {})", share.normalize()),
                verdict,
                ROWS,
            );
            if part.runs {
                x = x.plus(share)?;
                btc = btc.plus(part.btc)?;
                coef = coef.plus(part.coef)?;
                power = power.plus(part.power_cost)?;
                dr = dr.plus(part.demand_response)?;
            }
        }
        s.num(
            "Run share, x = Σ shares of the blocks it runs in",
            x,
            RATE,
            "fraction",
            ROWS,
        );
        s.num("BTC mined, β × x", btc, BTC, "BTC", ROWS);
        s.num("BTC revenue", coef.times(price_usd)?, USD, "USD", ROWS);
        s.num(
            "Power cost, M × hours × uptime × Σ share × price",
            power,
            USD,
            "USD",
            ROWS,
        );
        s.num("Demand response", dr, USD, "USD", ROWS);
        out.push(s);
    }
    Ok(())
}

/// The AI load's month: ramp, rate, revenue, power, opex, capex.
#[allow(clippy::too_many_arguments)]
fn ai_section(
    scenario: &Scenario,
    a: &Ai,
    i: usize,
    in_service: Option<Decimal>,
    rate: Option<Decimal>,
    ai_revenue: Decimal,
    ai_power: Decimal,
    inflation: Decimal,
    f2: bool,
) -> Result<Section, Overflow> {
    use places::*;
    use rule::*;
    let n = scenario.months as usize;
    let s = a.f2.start_index as usize;
    let g = usize::try_from(a.build_months).unwrap_or(usize::MAX);
    let live = s.saturating_add(g);
    let hours = Decimal::from(scenario.start.add_months(i as u32).days() * 24);
    let mut sec = Section::new("AI hosting");
    let offer = match a.kind {
        AiKind::Colocation { .. } => Offer::Colocation,
        AiKind::GpuCloud { .. } => Offer::GpuCloud,
    };
    let unit = match offer {
        Offer::Colocation => "USD per kW-month",
        Offer::GpuCloud => "USD per GPU-hour",
    };
    let f = sec.opt(
        "In-service share, f = min(1, (k + 1) / ramp_months)",
        in_service,
        RATE,
        "fraction",
        AI,
    );
    if f2 {
        f.key("in_service_share");
    }
    let path = strategy::ai::rate_path(a, n)?;
    let (base, step, step_rule) = match &a.kind {
        AiKind::Colocation {
            lease_usd_per_kw_month,
            ..
        } => (
            *lease_usd_per_kw_month,
            "Lease escalator factor, (1 + escalator)^floor(k/12)",
            AI,
        ),
        AiKind::GpuCloud { gpu_hour_usd, .. } => (
            *gpu_hour_usd,
            "GPU-hour decline factor, (1 − decline)^(i/12)",
            AI,
        ),
    };
    sec.num("Rate as written", base, RATE, unit, AI);
    if i >= live {
        let k = i - live;
        let idx = match a.kind {
            AiKind::Colocation { .. } => k / 12,
            AiKind::GpuCloud { .. } => i,
        };
        sec.num(step, path.scale(Decimal::ONE, idx)?, FACTOR, "×", step_rule);
    }
    let r = sec.opt("Rate in force", rate, RATE, unit, AI);
    if f2 {
        r.key("rate");
    }
    if let (Some(share), true) = (in_service, i >= live) {
        match &a.kind {
            AiKind::Colocation { it_mw, .. } => {
                sec.num(
                    "kW in service, it_mw × 1,000 × f",
                    it_mw.times(Decimal::ONE_THOUSAND)?.times(share)?,
                    QUANTITY,
                    "kW",
                    AI,
                );
            }
            AiKind::GpuCloud {
                gpu_count,
                utilization,
                ..
            } => {
                sec.num(
                    "GPU-hours sold, gpu_count × f × hours × utilization",
                    Decimal::from(*gpu_count)
                        .times(share)?
                        .times(hours)?
                        .times(*utilization)?,
                    QUANTITY,
                    "GPU-hours",
                    AI,
                );
            }
        }
    }
    sec.num("AI revenue", ai_revenue, USD, "USD", AI);
    let pays = match &a.kind {
        AiKind::Colocation {
            power_pass_through, ..
        } => !power_pass_through,
        AiKind::GpuCloud { .. } => true,
    };
    sec.num(
        if pays {
            "AI power cost, it_mw × f × pue × hours × price"
        } else {
            "AI power cost (passed through to the tenant)"
        },
        ai_power,
        USD,
        "USD",
        AI,
    );
    let ai_opex = if i >= live {
        a.opex_usd_per_month.times(inflation)?
    } else {
        Decimal::ZERO
    };
    sec.num(
        if f2 {
            "AI opex, as written × inflation (live months)"
        } else {
            "AI opex (live months)"
        },
        ai_opex,
        USD,
        "USD",
        if f2 { PRICES } else { AI },
    );
    let build = if (s..live).contains(&i) || (i == s && g == 0) {
        strategy::ai::build_capex_per_month(a)?
    } else {
        Decimal::ZERO
    };
    sec.num(
        "Conversion capex, conversion_capex_usd / g (build months)",
        build,
        USD,
        "USD",
        AI,
    );
    if let AiKind::GpuCloud {
        gpu_count,
        gpu_capex_usd,
        ..
    } = &a.kind
    {
        let buy = if i == live {
            Decimal::from(*gpu_count).times(*gpu_capex_usd)?
        } else {
            Decimal::ZERO
        };
        sec.num("GPU purchase (go-live month)", buy, USD, "USD", AI);
    }
    Ok(sec)
}

/// Format 1: the fleet as one row, and the AI load.
fn format1_sections(
    scenario: &Scenario,
    network: &Network,
    site: &Site,
    w: Which,
    i: usize,
    out: &mut Vec<Section>,
) -> Result<(), Overflow> {
    use places::*;
    use rule::*;
    let price_usd = scenario.bitcoin.price_usd;
    let n = scenario.months as usize;
    let row: MonthRow = match (w, &site.mining, &site.ai) {
        (Which::Mine, Some(m), _) => strategy::mine::project(site, m, network, price_usd)?
            .get(i)
            .cloned()
            .ok_or(Overflow)?,
        (Which::Ai, _, Some(a)) => strategy::ai::project(site, a, network, price_usd)?
            .get(i)
            .cloned()
            .ok_or(Overflow)?,
        _ => return Err(Overflow),
    };
    if let (Which::Ai, Some(a)) = (w, &site.ai) {
        out.push(plan_section(scenario, a, i, AI));
    }
    // Strategy `ai` of format 1 mines only in its build months, and only
    // with `mine_during_build`.
    let building = site
        .ai
        .as_ref()
        .is_some_and(|a| (i as u64) < a.build_months && a.mine_during_build);
    let mines = w == Which::Mine || building;
    if let (true, Some(m)) = (mines, &site.mining) {
        let hours = Decimal::from(network.months[i].grid.hours());
        let t = m.hashrate_ths()?;
        let it = m.it_mw()?;
        let mut s = Section::new("Mining: the fleet as one row");
        s.num("Hashrate, T", t, QUANTITY, "TH/s", MINE);
        s.num(
            "Efficiency, E (hashrate-weighted)",
            it.times(Decimal::from(1_000_000))?.over(t)?,
            QUANTITY,
            "J/TH",
            MINE,
        );
        s.num("IT load, T × E / 10^6", it, QUANTITY, "MW", MINE);
        s.num(
            "Meter load, M = IT × pue",
            it.times(m.pue)?,
            QUANTITY,
            "MW",
            MINE,
        );
        let share = t
            .times(m.uptime)?
            .times(Decimal::ONE.minus(m.pool_fee)?)?
            .over(hashrate(network, i)?.times(Decimal::from(1_000_000))?)?;
        s.num(
            "Share of the reward, T × uptime × (1 − pool fee) / (H × 10^6)",
            share,
            FACTOR,
            "fraction",
            MINE,
        );
        s.num("BTC mined, share × R", row.btc_mined, BTC, "BTC", MINE)
            .key("btc_mined");
        s.num(
            "BTC revenue, BTC × P",
            row.mining_revenue_usd,
            USD,
            "USD",
            MINE,
        );
        let energy = it.times(m.pue)?.times(m.uptime)?.times(hours)?;
        s.num("Energy, M × hours × uptime", energy, QUANTITY, "MWh", MINE);
        s.num(
            "Power price",
            site.power_price_usd_per_mwh,
            RATE,
            "USD/MWh",
            MINE,
        );
        // In a mining month the row's power and opex are the mining's
        // (the AI load is not live yet).
        s.num(
            "Power cost, energy × price",
            row.power_cost_usd,
            USD,
            "USD",
            MINE,
        );
        s.num("Mining opex", row.opex_usd, USD, "USD", MINE);
        if w == Which::Mine {
            s.num(
                "Mining capex (month 0 only)",
                row.capex_usd,
                USD,
                "USD",
                MINE,
            );
        }
        out.push(s);
    } else {
        let mut s = Section::new("Mining in the month");
        s.num("BTC mined", row.btc_mined, BTC, "BTC", MINE)
            .key("btc_mined");
        s.text("Mining", "nothing mines this month", AI);
        out.push(s);
    }
    if let (Which::Ai, Some(a)) = (w, &site.ai) {
        let g = usize::try_from(a.build_months).unwrap_or(usize::MAX);
        let live = i >= g;
        let (share, rate) = if live {
            let k = (i - g) as u64;
            let path = strategy::ai::rate_path(a, n)?;
            let rate = match &a.kind {
                AiKind::Colocation {
                    lease_usd_per_kw_month,
                    ..
                } => path.scale(*lease_usd_per_kw_month, (k / 12) as usize)?,
                AiKind::GpuCloud { gpu_hour_usd, .. } => path.scale(*gpu_hour_usd, i)?,
            };
            (
                Some(strategy::ai::ramp_share(k, a.ramp_months)?),
                Some(rate),
            )
        } else {
            (None, None)
        };
        let ai_power = if live {
            row.power_cost_usd
        } else {
            Decimal::ZERO
        };
        out.push(ai_section(
            scenario,
            a,
            i,
            share,
            rate,
            row.ai_revenue_usd,
            ai_power,
            Decimal::ONE,
            false,
        )?);
    }
    Ok(())
}

/// Revenue to present value: the run's month, figure for figure.
fn finance_section(
    scenario: &Scenario,
    run: &MonthFigures,
    i: usize,
    parts: &Parts,
) -> Result<Section, Overflow> {
    use places::*;
    use rule::*;
    let f2 = run.f2.as_ref();
    let rule = if f2.is_some() { FINANCE2 } else { FINANCE };
    let mut s = Section::new("Cash flow and finance");
    s.num("Revenue", run.revenue_usd, USD, "USD", rule)
        .key("revenue_usd");
    s.num("Power cost", run.power_cost_usd, USD, "USD", rule)
        .key("power_cost_usd");
    s.num("Opex", run.opex_usd, USD, "USD", rule)
        .key("opex_usd");
    s.num("Capex", run.capex_usd, USD, "USD", rule)
        .key("capex_usd");
    if let Some(f) = f2 {
        let sale = parts.fleet_sale.unwrap_or(f.fleet_sale_usd);
        s.num("Fleet sale", sale, USD, "USD", LATER)
            .key("fleet_sale_usd");
        let last = i + 1 == scenario.months as usize;
        if let (true, Some((ebitda, multiple))) = (last, parts.ebitda) {
            s.num(
                "Trailing EBITDA (last min(12, months) months, a year)",
                ebitda,
                USD,
                "USD a year",
                TERMINAL,
            );
            s.num("Exit multiple that counts", multiple, RATE, "×", TERMINAL);
        }
        s.num(
            "Terminal value = multiple × max(0, EBITDA) (last month)",
            f.terminal_value_usd,
            USD,
            "USD",
            TERMINAL,
        )
        .key("terminal_value_usd");
    }
    s.num(
        if f2.is_some() {
            "Cash flow = revenue − power − opex − capex + sale + terminal"
        } else {
            "Cash flow = revenue − power − opex − capex"
        },
        run.cash_flow_usd,
        USD,
        "USD",
        rule,
    )
    .key("cash_flow_usd");
    s.num(
        "Cumulative cash, through this month",
        run.cumulative_cash_usd,
        USD,
        "USD",
        rule,
    )
    .key("cumulative_cash_usd");
    let discount = Discount::new(scenario.discount_rate, scenario.months as usize)?;
    match f2 {
        Some(f) => {
            s.num(
                "Discount factor, 1 / (1 + rate)^((i + 1)/12)",
                f.discount_factor,
                FACTOR,
                "×",
                FINANCE,
            )
            .key("discount_factor");
            s.num("Present value", f.present_value_usd, USD, "USD", FINANCE)
                .key("present_value_usd");
        }
        None => {
            s.num(
                "Discount factor, 1 / (1 + rate)^((i + 1)/12)",
                discount.factor(i),
                FACTOR,
                "×",
                FINANCE,
            );
            s.num(
                "Present value, cash flow × factor",
                discount.present_value(run.cash_flow_usd, i)?,
                USD,
                "USD",
                FINANCE,
            );
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn summary(text: &str) -> Summary {
        crate::evaluate(text).unwrap()
    }

    fn value(section: &Section, prefix: &str) -> Decimal {
        let f = section
            .figures
            .iter()
            .find(|f| f.name.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in {}", section.title));
        match f.value {
            Value::Number { value, .. } => value,
            _ => panic!("{prefix:?} is not a number"),
        }
    }

    const LAKE: &str = include_str!("../../../scenarios/lake-mariner.toml");
    const MIXED: &str = include_str!("../../../scenarios/mixed-fleet-s19-s21.toml");
    const PERMIAN: &str = include_str!("../../../scenarios/permian-partial-conversion.toml");

    /// docs/model.md's worked example, unrounded: 4,464 blocks at 3.125 +
    /// 0.025 = 14,061.6 BTC; hashprice 14,061.6 / 31 × 95,000 / 1,050,000
    /// = 41.04 exactly; 148.42648224 BTC is 14,061.6 × 11,600,000 × 0.97 ×
    /// 0.985 / 1.05e9 = 148.426482238… .
    #[test]
    fn worked_example_month_0() {
        let s = summary(LAKE);
        let e = explain(&s, "Lake Mariner", "2026-01", Some(Which::Mine)).unwrap();
        assert_eq!(value(&e.network, "Reward"), d("14061.6"));
        assert_eq!(value(&e.network, "Hashprice"), d("41.04"));
        assert_eq!(value(&e.network, "Epoch 4: subsidy per block"), d("3.125"));
        let fleet = &e.strategies[0].sections[0];
        let btc = value(fleet, "BTC mined");
        assert!((btc - d("148.42648224")).abs() < d("0.000000005"), "{btc}");
        // The run's own figure, not a second computation of it.
        assert_eq!(
            btc,
            s.sites[0].mine.as_ref().unwrap().outcome.monthly[0].btc_mined
        );
    }

    /// The rows of a format-2 month add up to the run's month, unrounded:
    /// the two sums differ only in the order of additions (by row, then
    /// the month's (row, block) order), so by far less than 1e-18.
    #[test]
    fn rows_sum_to_the_month() {
        let tiny = d("0.000000000000000001");
        for (text, month, which) in [
            (MIXED, "2029-11", Which::Mine),
            (MIXED, "2026-06", Which::Ai),
            (PERMIAN, "2028-04", Which::Ai),
            (PERMIAN, "2026-03", Which::Ai),
        ] {
            let s = summary(text);
            let e = explain(&s, "0", month, Some(which)).unwrap();
            let sections = &e.strategies[0].sections;
            let rows: Vec<&Section> = sections
                .iter()
                .filter(|s| s.title.contains(" row "))
                .collect();
            assert!(!rows.is_empty());
            let total = sections
                .iter()
                .find(|s| s.title.starts_with("Mining"))
                .unwrap();
            for (row, sum) in [
                ("BTC mined", "BTC mined, Σ rows"),
                ("BTC revenue", "BTC revenue, Σ rows"),
                ("Power cost", "Mining power cost"),
                ("Demand response", "Demand response, Σ rows"),
            ] {
                let rows_sum: Decimal = rows.iter().map(|r| value(r, row)).sum();
                let diff = (rows_sum - value(total, sum)).abs();
                assert!(diff < tiny, "{month} {row}: {diff}");
            }
            let i = e.month_index;
            let run = match which {
                Which::Mine => &s.sites[0].mine.as_ref().unwrap().outcome,
                Which::Ai => &s.sites[0].ai.as_ref().unwrap().outcome,
            };
            assert_eq!(value(total, "BTC mined"), run.monthly[i].btc_mined);
        }
    }

    /// The mixed fleet in November 2029: the S19j Pro (29.5 J/TH) earns
    /// 17.5 / 29.5 of what an S21 earns per MWh and runs only in the
    /// negative-price block (README: "in all but the negative-price hours
    /// from November 2029" for the S19j Pro; the S21 runs in more).
    #[test]
    fn v_orders_the_rows() {
        let s = summary(MIXED);
        let e = explain(&s, "0", "2029-11", Some(Which::Mine)).unwrap();
        let rows: Vec<&Section> = e.strategies[0]
            .sections
            .iter()
            .filter(|s| s.title.starts_with("Fleet row"))
            .collect();
        let v: Vec<Decimal> = rows.iter().map(|r| value(r, "What a MWh earns")).collect();
        let ratio = v[0] / v[1];
        let want = if rows[0].title.contains("S19") {
            d("17.5") / d("29.5")
        } else {
            d("29.5") / d("17.5")
        };
        assert!((ratio - want).abs() < d("0.0000000001"), "{ratio}");
        let s19 = rows.iter().find(|r| r.title.contains("S19")).unwrap();
        assert_eq!(value(s19, "Run share"), d("0.1"));
    }

    #[test]
    fn errors_say_what_there_is() {
        let s = summary(LAKE);
        let e = explain(&s, "Nowhere", "2026-01", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no site \"Nowhere\" in the scenario: its sites are 0 \"Lake Mariner\" (give a name or an index)"
        );
        let e = explain(&s, "1", "2026-01", None).unwrap_err();
        assert!(matches!(e, ExplainError::UnknownSite { .. }));
        let e = explain(&s, "0", "2036-01", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "month 2036-01 is outside the horizon: 2026-01 to 2035-12 (120 months)"
        );
    }
}
