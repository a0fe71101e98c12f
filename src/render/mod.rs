//! Renderers: a computed [`Summary`] to bytes.
//!
//! One renderer per output format, behind one trait, so the CLI picks a
//! format and writes the bytes it gets back in one go (never a partial
//! output). Rounding to the printed number of decimals happens here, once,
//! in [`number`] (docs/model.md, "Precision and output"); this module
//! pairs each figure with its key for the formats that name them.

pub mod chart;
pub mod csv;
pub mod explain;
pub mod html;
pub mod json;
pub mod number;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pivot;
pub mod report;
pub mod simulate;
pub mod svg;
pub mod sweep;
pub mod table;

pub use number::{fixed, places};

use crate::calendar::YearMonth;
use crate::summary::{AiSummary, Comparison, MineSummary, MonthFigures, Outcome, Summary};
use rust_decimal::Decimal;

/// A format's view of one or more scenario summaries.
pub trait Renderer {
    /// Renders `summaries`. `as_list` says whether the caller asked for
    /// several scenarios (JSON prints an array then, even of one).
    fn render(&self, summaries: &[Summary], as_list: bool) -> Vec<u8>;
}

/// One output figure, already rounded: what JSON writes as a number, a
/// string or `null`, and CSV as a field (empty for null).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Digits of a JSON number, e.g. `100.00` or `36`.
    Number(String),
    Text(String),
    Null,
}

impl Field {
    fn fixed(value: Decimal, places: u32) -> Field {
        Field::Number(fixed(value, places))
    }
    fn opt(value: Option<Decimal>, places: u32) -> Field {
        value.map_or(Field::Null, |v| Field::fixed(v, places))
    }
    fn count(value: Option<u32>) -> Field {
        value.map_or(Field::Null, |v| Field::Number(v.to_string()))
    }
    fn month(value: Option<YearMonth>) -> Field {
        value.map_or(Field::Null, |m| Field::Text(m.to_string()))
    }
}

/// The keys both strategies share, in the Summary JSON's order.
pub const OUTCOME_KEYS: [&str; 9] = [
    "revenue_usd",
    "power_cost_usd",
    "opex_usd",
    "capex_usd",
    "net_cash_usd",
    "npv_usd",
    "irr",
    "payback_months",
    "btc_mined",
];
/// The keys only strategy `mine` has.
pub const MINE_KEYS: [&str; 3] = [
    "breakeven_btc_price_usd",
    "cost_per_btc_usd",
    "all_in_cost_per_btc_usd",
];
/// The keys only strategy `ai` has.
pub const AI_KEYS: [&str; 2] = ["breakeven_rate", "go_live"];
/// A site's comparison, present when it has both strategies.
pub const COMPARISON_KEYS: [&str; 3] = ["winner", "npv_advantage_usd", "crossover_btc_price_usd"];
/// The `--monthly` row keys.
pub const MONTHLY_KEYS: [&str; 9] = [
    "month",
    "hashprice_usd_per_ph_day",
    "btc_mined",
    "revenue_usd",
    "power_cost_usd",
    "opex_usd",
    "capex_usd",
    "cash_flow_usd",
    "cumulative_cash_usd",
];

fn outcome_fields(o: &Outcome) -> [Field; 9] {
    [
        Field::fixed(o.revenue_usd, places::USD),
        Field::fixed(o.power_cost_usd, places::USD),
        Field::fixed(o.opex_usd, places::USD),
        Field::fixed(o.capex_usd, places::USD),
        Field::fixed(o.net_cash_usd, places::USD),
        Field::fixed(o.npv_usd, places::USD),
        Field::opt(o.irr, places::IRR),
        Field::count(o.payback_months),
        Field::fixed(o.btc_mined, places::BTC),
    ]
}

/// Format 2's keys of strategy `mine`, after [`MINE_KEYS`].
pub const MINE_F2_KEYS: [&str; 4] = [
    "mirr",
    "demand_response_usd",
    "terminal_value_usd",
    "run_share",
];
/// Format 2's keys of strategy `ai`, after [`AI_KEYS`].
pub const AI_F2_KEYS: [&str; 7] = [
    "mirr",
    "start",
    "fleet_sale_usd",
    "demand_response_usd",
    "terminal_value_usd",
    "run_share",
    "kept_hashrate_ths",
];
/// Format 2's `--monthly` keys, after [`MONTHLY_KEYS`].
pub const MONTHLY_F2_KEYS: [&str; 10] = [
    "btc_price_usd",
    "network_hashrate_ehs",
    "power_price_usd_per_mwh",
    "run_share",
    "rate",
    "in_service_share",
    "discount_factor",
    "present_value_usd",
    "fleet_sale_usd",
    "terminal_value_usd",
];

/// Strategy `mine`'s figures, paired with [`OUTCOME_KEYS`] then
/// [`MINE_KEYS`] (then [`MINE_F2_KEYS`] in format 2).
pub fn mine_fields(m: &MineSummary) -> Vec<(&'static str, Field)> {
    let own = [
        Field::opt(m.breakeven_btc_price_usd, places::USD),
        Field::opt(m.cost_per_btc_usd, places::USD),
        Field::opt(m.all_in_cost_per_btc_usd, places::USD),
    ];
    let mut fields: Vec<_> = OUTCOME_KEYS
        .into_iter()
        .chain(MINE_KEYS)
        .zip(outcome_fields(&m.outcome).into_iter().chain(own))
        .collect();
    if let Some(f) = &m.outcome.f2 {
        fields.extend(MINE_F2_KEYS.into_iter().zip([
            Field::opt(f.mirr, places::IRR),
            Field::fixed(f.demand_response_usd, places::USD),
            Field::fixed(f.terminal_value_usd, places::USD),
            Field::opt(f.run_share, places::RATE),
        ]));
    }
    fields
}

/// Strategy `ai`'s figures, paired with [`OUTCOME_KEYS`] then [`AI_KEYS`]
/// (then [`AI_F2_KEYS`] in format 2).
pub fn ai_fields(a: &AiSummary, start: YearMonth) -> Vec<(&'static str, Field)> {
    let own = [
        Field::opt(a.breakeven_rate, places::RATE),
        Field::month(a.go_live),
    ];
    let mut fields: Vec<_> = OUTCOME_KEYS
        .into_iter()
        .chain(AI_KEYS)
        .zip(outcome_fields(&a.outcome).into_iter().chain(own))
        .collect();
    if let Some(f) = &a.outcome.f2 {
        fields.extend(AI_F2_KEYS.into_iter().zip([
            Field::opt(f.mirr, places::IRR),
            Field::month(Some(a.f2.as_ref().map_or(start, |a2| a2.start))),
            Field::fixed(
                a.f2.as_ref().map_or(Decimal::ZERO, |a2| a2.fleet_sale_usd),
                places::USD,
            ),
            Field::fixed(f.demand_response_usd, places::USD),
            Field::fixed(f.terminal_value_usd, places::USD),
            Field::opt(f.run_share, places::RATE),
            Field::opt(
                a.f2.as_ref().and_then(|a2| a2.kept_hashrate_ths),
                places::RATE,
            ),
        ]));
    }
    fields
}

/// The top-level keys format 2 adds, after `sites` (docs/model.md, "Summary
/// JSON in format 2"): `format`, `start`, `discount_rate` (as used,
/// trailing zeros removed). `None` for format 1.
pub fn format2_top(summary: &Summary) -> Option<Vec<(&'static str, Field)>> {
    summary.inputs.format2.as_ref()?;
    Some(vec![
        ("format", Field::Number("2".into())),
        ("start", Field::Text(summary.start.to_string())),
        (
            "discount_rate",
            Field::Number(plain(summary.inputs.discount_rate)),
        ),
    ])
}

/// Each `--set` of `summary` as `key=value`, in the order given.
pub(crate) fn overrides_list(summary: &Summary) -> Vec<String> {
    summary
        .overrides
        .iter()
        .map(|o| format!("{}={}", o.key, o.value))
        .collect()
}

/// A decimal with trailing zeros removed and no exponent (`0.10` → `0.1`).
pub(crate) fn plain(v: Decimal) -> String {
    let n = v.normalize();
    if n.is_zero() {
        "0".into()
    } else {
        n.to_string()
    }
}

/// The portfolio of a format-2 summary: each strategy's NPV summed over
/// the sites that have it (null when none has it), the sum of each
/// site's better NPV, and the sites whose better strategy is `ai` (a site
/// with AI alone included, a tie not), in file order.
pub struct Portfolio {
    pub mine_npv_usd: Option<Decimal>,
    pub ai_npv_usd: Option<Decimal>,
    pub best_npv_usd: Option<Decimal>,
    pub convert: Vec<String>,
}

impl Portfolio {
    pub fn of(summary: &Summary) -> Portfolio {
        let total = |npvs: Vec<Decimal>| -> Option<Decimal> {
            (!npvs.is_empty()).then(|| {
                npvs.iter()
                    .copied()
                    .fold(Decimal::ZERO, |a, b| a.saturating_add(b))
            })
        };
        let mine = total(
            summary
                .sites
                .iter()
                .filter_map(|s| Some(s.mine.as_ref()?.outcome.npv_usd))
                .collect(),
        );
        let ai = total(
            summary
                .sites
                .iter()
                .filter_map(|s| Some(s.ai.as_ref()?.outcome.npv_usd))
                .collect(),
        );
        let mut best = Vec::new();
        let mut convert = Vec::new();
        for s in &summary.sites {
            match (&s.mine, &s.ai, &s.comparison) {
                (Some(m), Some(a), Some(c)) => {
                    if c.winner == crate::summary::Winner::Ai {
                        best.push(a.outcome.npv_usd);
                        convert.push(s.name.clone());
                    } else {
                        best.push(m.outcome.npv_usd);
                    }
                }
                (Some(m), None, _) => best.push(m.outcome.npv_usd),
                (None, Some(a), _) => {
                    best.push(a.outcome.npv_usd);
                    convert.push(s.name.clone());
                }
                _ => {}
            }
        }
        Portfolio {
            mine_npv_usd: mine,
            ai_npv_usd: ai,
            best_npv_usd: total(best),
            convert,
        }
    }
}

/// [`Portfolio`] as the JSON's `portfolio` fields, and its `convert` list.
pub fn portfolio_fields(summary: &Summary) -> (Vec<(&'static str, Field)>, Vec<String>) {
    let p = Portfolio::of(summary);
    (
        vec![
            ("mine_npv_usd", Field::opt(p.mine_npv_usd, places::USD)),
            ("ai_npv_usd", Field::opt(p.ai_npv_usd, places::USD)),
            ("best_npv_usd", Field::opt(p.best_npv_usd, places::USD)),
        ],
        p.convert,
    )
}

/// A site's comparison, paired with [`COMPARISON_KEYS`].
pub fn comparison_fields(c: &Comparison) -> Vec<(&'static str, Field)> {
    COMPARISON_KEYS
        .into_iter()
        .zip([
            Field::Text(c.winner.as_str().to_string()),
            Field::fixed(c.npv_advantage_usd, places::USD),
            Field::opt(c.crossover_btc_price_usd, places::USD),
        ])
        .collect()
}

/// Format 2's `conversion` block of a site with both strategies.
pub fn conversion_fields(c: &crate::summary::Conversion) -> Vec<(&'static str, Field)> {
    vec![
        ("npv_usd", Field::fixed(c.npv_usd, places::USD)),
        ("irr", Field::opt(c.irr, places::IRR)),
        ("mirr", Field::opt(c.mirr, places::IRR)),
        ("payback_months", Field::count(c.payback_months)),
        ("breakeven_rate", Field::opt(c.breakeven_rate, places::RATE)),
    ]
}

/// Month `i` of a strategy, paired with [`MONTHLY_KEYS`].
pub fn month_fields(summary: &Summary, i: usize, m: &MonthFigures) -> Vec<(&'static str, Field)> {
    let hashprice = summary
        .hashprice_usd_per_ph_day
        .get(i)
        .copied()
        .unwrap_or_default();
    MONTHLY_KEYS
        .into_iter()
        .zip([
            Field::Text(summary.month(i).to_string()),
            Field::fixed(hashprice, places::RATE),
            Field::fixed(m.btc_mined, places::BTC),
            Field::fixed(m.revenue_usd, places::USD),
            Field::fixed(m.power_cost_usd, places::USD),
            Field::fixed(m.opex_usd, places::USD),
            Field::fixed(m.capex_usd, places::USD),
            Field::fixed(m.cash_flow_usd, places::USD),
            Field::fixed(m.cumulative_cash_usd, places::USD),
        ])
        .chain(m.f2.iter().flat_map(|f| {
            MONTHLY_F2_KEYS.into_iter().zip([
                Field::fixed(f.btc_price_usd, places::USD),
                Field::fixed(f.network_hashrate_ehs, places::RATE),
                Field::fixed(f.power_price_usd_per_mwh, places::RATE),
                Field::opt(f.run_share, places::RATE),
                Field::opt(f.rate, places::RATE),
                Field::opt(f.in_service_share, places::RATE),
                Field::fixed(f.discount_factor, 10),
                Field::fixed(f.present_value_usd, places::USD),
                Field::fixed(f.fleet_sale_usd, places::USD),
                Field::fixed(f.terminal_value_usd, places::USD),
            ])
        }))
        .collect()
}

/// Summaries built by hand, for renderer tests: the figures need not be a
/// model's output, only exercise every way a field can be shown.
///
/// The rounding ties in `sample::summary`, worked by hand (half-even:
/// an even last digit stays, an odd one rounds up):
/// - USD at 2 decimals: revenue 2,500,000.125 → 2,500,000.12; North's mine
///   NPV -1,500.005 → -1,500.00; the NPV advantage 251,500.505 →
///   251,500.50; monthly revenue 1,250,000.065 → 1,250,000.06;
/// - zero: South's NPV -0.001 → 0.00, never -0.00;
/// - IRR at 6: 0.1234565 → 0.123456 (so 12.3456 % in the table);
/// - hashprice and `breakeven_rate` at 4: 45.72005 → 45.7200, -12.34565 →
///   -12.3456.
///
/// It has no BTC tie (12.345678901 → 12.34567890 is not one), nor one at
/// the monthly table's own precisions; `sample::ties` adds those.
#[cfg(test)]
pub(crate) mod sample {
    use crate::calendar::YearMonth;
    use crate::finance::Line;
    use crate::network::Halving;
    use crate::scenario::{Bitcoin, Scenario, Site};
    use crate::summary::{
        AiSummary, Comparison, MineSummary, MonthFigures, Offer, Outcome, SiteSummary, Summary,
        Winner,
    };
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn month(
        btc: &str,
        revenue: &str,
        power: &str,
        capex: &str,
        cf: &str,
        cum: &str,
    ) -> MonthFigures {
        MonthFigures {
            btc_mined: d(btc),
            revenue_usd: d(revenue),
            power_cost_usd: d(power),
            opex_usd: d("1000"),
            capex_usd: d(capex),
            cash_flow_usd: d(cf),
            cumulative_cash_usd: d(cum),
            f2: None,
        }
    }

    fn outcome(npv: &str, irr: Option<&str>, payback: Option<u32>, btc: &str) -> Outcome {
        Outcome {
            revenue_usd: d("2500000.125"),
            power_cost_usd: d("1234567.891"),
            opex_usd: d("2000"),
            capex_usd: d("1000000"),
            net_cash_usd: d("263430.234"),
            npv_usd: d(npv),
            irr: irr.map(d),
            payback_months: payback,
            btc_mined: d(btc),
            price_line: Line {
                slope: Decimal::ZERO,
                intercept: Decimal::ZERO,
            },
            rate_line: Line {
                slope: Decimal::ZERO,
                intercept: Decimal::ZERO,
            },
            monthly: vec![
                month(
                    "12.345678901",
                    "1250000.06",
                    "617283.9455",
                    "1000000",
                    "-368283.8855",
                    "-368283.8855",
                ),
                month(
                    "0",
                    "1250000.065",
                    "617283.9455",
                    "0",
                    "631716.1195",
                    "263432.234",
                ),
            ],
            f2: None,
        }
    }

    pub(crate) fn summary() -> Summary {
        let ym = |s| YearMonth::parse(s).unwrap();
        Summary {
            scenario: "Hand-built".into(),
            start: ym("2028-03"),
            months: 2,
            hashprice_usd_per_ph_day: vec![d("45.72005"), d("22.86")],
            halvings: vec![Halving {
                height: 1_050_000,
                month: ym("2028-04"),
            }],
            sites: vec![
                SiteSummary {
                    name: "North".into(),
                    mine: Some(MineSummary {
                        outcome: outcome("-1500.005", Some("0.1234565"), None, "12.345678901"),
                        breakeven_btc_price_usd: Some(d("98765.4321")),
                        cost_per_btc_usd: Some(d("50000")),
                        all_in_cost_per_btc_usd: None,
                    }),
                    ai: Some(AiSummary {
                        offer: Offer::Colocation,
                        outcome: outcome("250000.5", None, Some(0), "0"),
                        breakeven_rate: Some(d("-12.34565")),
                        go_live: Some(ym("2028-04")),
                        f2: None,
                    }),
                    comparison: Some(Comparison {
                        winner: Winner::Ai,
                        npv_advantage_usd: d("251500.505"),
                        crossover_btc_price_usd: None,
                        conversion: None,
                    }),
                },
                SiteSummary {
                    name: "South, \"Unit 2\"".into(),
                    mine: None,
                    ai: Some(AiSummary {
                        offer: Offer::GpuCloud,
                        outcome: outcome("-0.001", Some("-0.5"), Some(2), "0"),
                        breakeven_rate: None,
                        go_live: None,
                        f2: None,
                    }),
                    comparison: None,
                },
            ],
            overrides: Vec::new(),
            inputs: inputs(),
        }
    }

    /// The assumptions the table states: the default discount rate, a
    /// flat BTC price, a hashrate growth with a decimal (22.5 %), and each
    /// site's grid and power price, one of them with cents.
    fn inputs() -> Scenario {
        let site = |name: &str, grid: &str, power: &str| Site {
            name: name.into(),
            grid_mw: d(grid),
            power_price_usd_per_mwh: d(power),
            power2: None,
            mining: None,
            ai: None,
        };
        Scenario {
            name: "Hand-built".into(),
            start: YearMonth::parse("2028-03").unwrap(),
            months: 2,
            discount_rate: d("0.10"),
            bitcoin: Bitcoin {
                price_usd: d("100000"),
                price_growth_annual: d("0"),
                network_hashrate_ehs: d("1000"),
                hashrate_growth_annual: d("0.225"),
                fees_btc_per_block: d("0.05"),
                block_height: 1_049_000,
                block_time_s: d("600"),
            },
            sites: vec![
                site("North", "30", "38.5"),
                site("South, \"Unit 2\"", "12.5", "45"),
            ],
            format2: None,
        }
    }

    /// [`summary`] with the ties it lacks, worked by hand. At 8 decimals
    /// (BTC): every strategy's total 0.123456785 → 0.12345678 (8 even);
    /// month 0 12.345678905 → 12.34567890 (0 even). At the monthly table's
    /// precisions: month 1 hashprice 22.865 → 22.86 at 2 (6 even), BTC
    /// 0.00025 → 0.0002 at 4 (2 even), opex 1,500 → 2 thousand (1.5: 1 odd,
    /// up) and capex 2,500 → 2 thousand (2.5: 2 even).
    pub(crate) fn ties() -> Summary {
        let mut s = summary();
        s.hashprice_usd_per_ph_day[1] = d("22.865");
        for site in &mut s.sites {
            let outcomes = [
                site.mine.as_mut().map(|m| &mut m.outcome),
                site.ai.as_mut().map(|a| &mut a.outcome),
            ];
            for o in outcomes.into_iter().flatten() {
                o.btc_mined = d("0.123456785");
                o.monthly[0].btc_mined = d("12.345678905");
                o.monthly[1].btc_mined = d("0.00025");
                o.monthly[1].opex_usd = d("1500");
                o.monthly[1].capex_usd = d("2500");
            }
        }
        s
    }
}
