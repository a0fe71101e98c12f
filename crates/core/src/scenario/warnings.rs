//! Unit slips: values that every rule of the format admits but that are
//! almost certainly written in the wrong unit (docs/model.md, "Values that
//! get a warning").
//!
//! A power price of 0.045 is a valid number of USD per MWh, and hashpivot
//! computes it faithfully; but the operator almost certainly meant 0.045
//! USD per kWh, which is 45 USD per MWh. Refusing the value would be wrong
//! (it is allowed), and computing it silently would bury the mistake in a
//! table of plausible-looking figures. So such a value gets a [`Warning`]:
//! plain data naming the key, the value as written, what was probably
//! meant, and where the value sits in the text, rendered like an error but
//! labelled `warning:`. The core never prints one; the command line does.
//!
//! Each slip's threshold is one function below, so what is checked and
//! what the documentation states can be tested at the boundary.

use super::overrides::{Override, combined_text};
use super::{AiKind, Fleet, Scenario};
use crate::diagnostic::render_labelled;
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// The kind of unit slip a [`Warning`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slip {
    /// `power_price_usd_per_mwh` above 0 and under 1: USD per kWh?
    PowerPriceInKwh,
    /// `lease_usd_per_kw_month` over 1,000: USD per MW-month?
    LeaseInMw,
    /// An annual rate (`discount_rate`, a growth rate, the lease escalator,
    /// the GPU-hour decline) over 1: a percentage written as a number?
    RateInPercent,
    /// A fleet under 1,000 TH/s on a grid over 1 MW: EH/s (or, for fleet
    /// rows, PH/s per machine)?
    HashrateInEhs,
    /// `gpu_hour_usd` over 100: US cents, or a monthly price?
    GpuHourPrice,
    /// `build_months ≥ months`: the AI site never goes live in the horizon.
    GoLiveAfterHorizon,
    /// A site's fleet over 10 % of the month-0 network hashrate: the
    /// network in the wrong unit, or the fleet?
    FleetShareOfNetwork,
}

/// A valid value that is probably a unit mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub slip: Slip,
    /// The key path, as errors print it (`site[0].power_price_usd_per_mwh`).
    pub key: String,
    /// What is wrong, starting with the key and the value as written:
    /// `site[0].power_price_usd_per_mwh = 0.045 is under 1 USD/MWh`.
    pub message: String,
    /// What was probably meant: `was USD/kWh meant? (0.045 USD/kWh = 45 USD/MWh)`.
    pub hint: String,
    /// The value's byte range in the text the scenario was read from (the
    /// file followed by `--set` lines, see
    /// [`combined_text`]), when the value is written there.
    pub span: Option<Range<usize>>,
}

impl Warning {
    /// `warning: MESSAGE: HINT`, then ` --> origin:line:col`, the source line
    /// and a caret under the value, like an error.
    pub fn render(&self, origin: &str, source: &str) -> String {
        self.render_with_overrides(origin, source, &[])
    }

    /// As [`render`](Self::render), for a scenario read with `--set`
    /// overrides: a warning about an overridden value points at the
    /// override.
    pub fn render_with_overrides(
        &self,
        origin: &str,
        source: &str,
        overrides: &[Override],
    ) -> String {
        let text = combined_text(source, overrides);
        render_labelled(
            "warning",
            &self.to_string(),
            self.span.clone(),
            origin,
            &text,
            source.len(),
        )
    }
}

/// `MESSAGE: HINT`.
impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.message, self.hint)
    }
}

/// A power price is a slip when `0 < p < 1` USD/MWh. Zero is not: free
/// power (paid through opex, say) is the same in every unit.
pub fn power_price_slip(usd_per_mwh: Decimal) -> bool {
    usd_per_mwh > Decimal::ZERO && usd_per_mwh < Decimal::ONE
}

/// A colocation lease is a slip when over 1,000 USD per kW-month.
pub fn lease_slip(usd_per_kw_month: Decimal) -> bool {
    usd_per_kw_month > Decimal::ONE_THOUSAND
}

/// An annual rate is a slip when over 1 (100 % a year).
pub fn rate_slip(annual: Decimal) -> bool {
    annual > Decimal::ONE
}

/// A mining fleet is a slip when under 1,000 TH/s on a grid over 1 MW.
pub fn hashrate_slip(fleet_ths: Decimal, grid_mw: Decimal) -> bool {
    fleet_ths < Decimal::ONE_THOUSAND && grid_mw > Decimal::ONE
}

/// A GPU-hour price is a slip when over 100 USD.
pub fn gpu_hour_slip(usd: Decimal) -> bool {
    usd > Decimal::ONE_HUNDRED
}

/// A site's fleet is a slip when over 10 % of the month-0 network
/// hashrate (`network_ehs` EH/s, 10^6 TH/s each). Decided exactly; a
/// network beyond the decimal range in TH/s is over every fleet.
pub fn fleet_share_slip(fleet_ths: Decimal, network_ehs: Decimal) -> bool {
    network_ehs
        .checked_mul(Decimal::from(100_000))
        .is_some_and(|tenth| fleet_ths > tenth)
}

/// The fleet's share of the network, in percent, for a message: to one
/// decimal, and never shown as 10 or less when it is over 10.
fn share_percent(fleet_ths: Decimal, network_ehs: Decimal) -> String {
    let share = network_ehs
        .checked_mul(Decimal::from(10_000))
        .and_then(|per_percent| fleet_ths.checked_div(per_percent));
    let Some(share) = share else {
        return "over 10".to_string();
    };
    let mut shown = share.round_dp(1);
    if shown <= Decimal::TEN {
        shown = share.round_dp_with_strategy(1, RoundingStrategy::ToPositiveInfinity);
    }
    grouped(shown)
}

/// An AI site goes live in month `build_months`, which is outside the
/// horizon when it is not less than `months`.
pub fn go_live_slip(build_months: u64, months: u32) -> bool {
    build_months >= u64::from(months)
}

/// The warnings of a loaded scenario. `doc` is the document it was read
/// from, overrides applied, and `text` the combined text its spans point
/// into.
pub(super) fn check(scenario: &Scenario, doc: &DeTable, text: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    let root = Place {
        path: String::new(),
        table: Some(doc),
        text,
    };
    rate(&mut out, &root, "discount_rate", scenario.discount_rate);
    // Format 2's escalation of opex.
    if let Some(f2) = &scenario.format2 {
        rate(&mut out, &root, "inflation_annual", f2.inflation_annual);
        // `[risk]`'s volatilities: BTC's has run near 60-80 % a year;
        // over 200 % is a percentage written as a number.
        let risk = root.table("risk");
        let r = &f2.risk;
        for (key, vol) in [
            ("price_vol_annual", r.price_vol_annual),
            ("hashrate_vol_annual", r.hashrate_vol_annual),
            ("gpu_hour_vol_annual", r.gpu_hour_vol_annual),
        ] {
            if vol > Decimal::TWO {
                let percent = vol
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .map_or_else(|| "far over 200".to_string(), grouped);
                out.push(risk.warn(
                    Slip::RateInPercent,
                    key,
                    format!("means a volatility of {percent} % a year"),
                    format!(
                        "volatilities are fractions (0.6 means 60 %): was {} meant?",
                        grouped(vol / Decimal::ONE_HUNDRED)
                    ),
                ));
            }
        }
    }
    let bitcoin = root.table("bitcoin");
    let b = &scenario.bitcoin;
    rate(
        &mut out,
        &bitcoin,
        "price_growth_annual",
        b.price_growth_annual,
    );
    rate(
        &mut out,
        &bitcoin,
        "hashrate_growth_annual",
        b.hashrate_growth_annual,
    );
    for (i, site) in scenario.sites.iter().enumerate() {
        let place = root.item("site", i);
        let p = site.power_price_usd_per_mwh;
        // A price duration curve has no flat price to have slipped (its
        // first block's price stands in the field).
        let curve = site.power2.as_ref().is_some_and(|p| p.curve);
        if !curve && power_price_slip(p) {
            out.push(place.warn(
                Slip::PowerPriceInKwh,
                "power_price_usd_per_mwh",
                "is under 1 USD/MWh".to_string(),
                format!(
                    "was USD/kWh meant? ({} USD/kWh = {} USD/MWh)",
                    grouped(p),
                    grouped(p * Decimal::ONE_THOUSAND)
                ),
            ));
        }
        if let Some(power) = &site.power2 {
            rate(
                &mut out,
                &place,
                "power_escalator_annual",
                power.escalator_annual,
            );
        }
        if let Some(mining) = &site.mining {
            let mining_place = place.table("mining");
            if let Ok(ths) = mining.hashrate_ths()
                && hashrate_slip(ths, site.grid_mw)
            {
                let on_grid = format!("on a {} MW site", grouped(site.grid_mw));
                out.push(match &mining.fleet {
                    Fleet::Single { .. } => mining_place.warn(
                        Slip::HashrateInEhs,
                        "hashrate_ths",
                        format!("is under 1,000 TH/s {on_grid}"),
                        format!(
                            "was EH/s meant? ({} EH/s = {} TH/s)",
                            grouped(ths),
                            grouped(ths * Decimal::from(1_000_000))
                        ),
                    ),
                    Fleet::Rows(_) => {
                        let fleet = mining_place.key("fleet");
                        Warning {
                            slip: Slip::HashrateInEhs,
                            message: format!(
                                "{fleet} totals {} TH/s (Σ count × ths), under 1,000 TH/s {on_grid}",
                                grouped(ths)
                            ),
                            hint: "ths is each machine's TH/s: was PH/s meant? (an Antminer S21 is 200 TH/s, or 0.2 PH/s)".to_string(),
                            key: fleet,
                            span: mining_place.span("fleet"),
                        }
                    }
                });
            }
        }
        if let Some(mining) = &site.mining
            && let Ok(ths) = mining.hashrate_ths()
        {
            let ehs = b.network_hashrate_ehs;
            if fleet_share_slip(ths, ehs) {
                let mining_place = place.table("mining");
                let share = format!(
                    "{} % of the network's hashrate in month 0 (bitcoin.network_hashrate_ehs = {} EH/s), over 10 %",
                    share_percent(ths, ehs),
                    grouped(ehs)
                );
                let hint = |fleet: &str| {
                    format!(
                        "was the network meant in EH/s, or {fleet} in TH/s? (1 EH/s = 1,000,000 TH/s)"
                    )
                };
                out.push(match &mining.fleet {
                    Fleet::Single { .. } => mining_place.warn(
                        Slip::FleetShareOfNetwork,
                        "hashrate_ths",
                        format!("is {share}"),
                        hint("the fleet"),
                    ),
                    Fleet::Rows(_) => {
                        let fleet = mining_place.key("fleet");
                        Warning {
                            slip: Slip::FleetShareOfNetwork,
                            message: format!(
                                "{fleet} totals {} TH/s (Σ count × ths), {share}",
                                grouped(ths)
                            ),
                            hint: hint("each machine's ths"),
                            key: fleet,
                            span: mining_place.span("fleet"),
                        }
                    }
                });
            }
        }
        if let Some(ai) = &site.ai {
            let ai_place = place.table("ai");
            if go_live_slip(ai.build_months, scenario.months) {
                let last = scenario.start.add_months(scenario.months - 1);
                // Named when it is a plausible month (the rule has no cap).
                let when = match u32::try_from(ai.build_months) {
                    Ok(g) if g <= 12 * 1000 => format!(" in {},", scenario.start.add_months(g)),
                    _ => String::new(),
                };
                out.push(ai_place.warn(
                    Slip::GoLiveAfterHorizon,
                    "build_months",
                    format!("puts go-live{when} after the horizon's last month ({last})"),
                    format!(
                        "the conversion never earns within months = {}: was a longer horizon or a shorter build meant?",
                        scenario.months
                    ),
                ));
            } else if go_live_slip(
                ai.build_months.saturating_add(u64::from(ai.f2.start_index)),
                scenario.months,
            ) {
                // A later start (format 2) that leaves no month live: the
                // AI future is then mining without the fleet refresh.
                let last = scenario.start.add_months(scenario.months - 1);
                let go_live = u32::try_from(ai.build_months)
                    .ok()
                    .and_then(|g| g.checked_add(ai.f2.start_index))
                    .map(|l| scenario.start.add_months(l));
                let when = go_live.map_or(String::new(), |l| format!(" in {l}"));
                out.push(ai_place.warn(
                    Slip::GoLiveAfterHorizon,
                    "start",
                    format!(
                        "with build_months = {} puts go-live{when}, after the horizon's last month ({last})",
                        ai.build_months
                    ),
                    "the AI future never hosts AI within the horizon: it is the fleet mining on without its capex, and can win for that alone: was an earlier start meant?".to_string(),
                ));
            }
            match &ai.kind {
                AiKind::Colocation {
                    lease_usd_per_kw_month: lease,
                    lease_escalator_annual,
                    ..
                } => {
                    if lease_slip(*lease) {
                        out.push(ai_place.warn(
                            Slip::LeaseInMw,
                            "lease_usd_per_kw_month",
                            "is over 1,000 USD per kW-month".to_string(),
                            format!(
                                "was USD per MW-month meant? ({} USD/MW-month = {} USD/kW-month)",
                                grouped(*lease),
                                grouped(*lease / Decimal::ONE_THOUSAND)
                            ),
                        ));
                    }
                    rate(
                        &mut out,
                        &ai_place,
                        "lease_escalator_annual",
                        *lease_escalator_annual,
                    );
                }
                AiKind::GpuCloud {
                    gpu_hour_usd: price,
                    gpu_hour_decline_annual,
                    ..
                } => {
                    if gpu_hour_slip(*price) {
                        // 8,760 hours a year over 12 months.
                        let hourly = (*price / Decimal::from(730)).round_dp(2);
                        out.push(ai_place.warn(
                            Slip::GpuHourPrice,
                            "gpu_hour_usd",
                            "is over 100 USD per GPU-hour".to_string(),
                            format!(
                                "was US cents or a monthly price meant? ({} cents = {} USD; {} USD a month ≈ {} USD an hour)",
                                grouped(*price),
                                grouped(*price / Decimal::ONE_HUNDRED),
                                grouped(*price),
                                grouped(hourly)
                            ),
                        ));
                    }
                    // The rule (d < 1) leaves no slip today; checked so the
                    // list of annual rates stays whole if the rule widens.
                    rate(
                        &mut out,
                        &ai_place,
                        "gpu_hour_decline_annual",
                        *gpu_hour_decline_annual,
                    );
                }
            }
        }
    }
    out
}

/// An annual rate over 1, probably a percentage written as a number.
fn rate(out: &mut Vec<Warning>, place: &Place, key: &str, annual: Decimal) {
    if !rate_slip(annual) {
        return;
    }
    let percent = annual
        .checked_mul(Decimal::ONE_HUNDRED)
        .map_or_else(|| "far over 100".to_string(), grouped);
    out.push(place.warn(
        Slip::RateInPercent,
        key,
        format!("means {percent} % a year"),
        format!(
            "rates are fractions (0.10 means 10 %): was {} meant?",
            grouped(annual / Decimal::ONE_HUNDRED)
        ),
    ));
}

/// A table of the document being warned about, with its key path.
struct Place<'a, 'i> {
    /// `""` for the document, else e.g. `site[1].ai`.
    path: String,
    /// Absent only if the scenario and the document disagree, which a
    /// loaded scenario never does; warnings then lack a position.
    table: Option<&'a DeTable<'i>>,
    text: &'a str,
}

impl<'a, 'i> Place<'a, 'i> {
    fn key(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn value(&self, key: &str) -> Option<&'a DeValue<'i>> {
        self.table?.get(key).map(|v| v.get_ref())
    }

    fn span(&self, key: &str) -> Option<Range<usize>> {
        self.table?.get(key).map(|v| v.span())
    }

    /// A sub-table (`bitcoin`, `mining`, `ai`).
    fn table(&self, key: &str) -> Place<'a, 'i> {
        let table = match self.value(key) {
            Some(DeValue::Table(t)) => Some(t),
            _ => None,
        };
        Place {
            path: self.key(key),
            table,
            text: self.text,
        }
    }

    /// Item `i` of an array of tables (`site`).
    fn item(&self, key: &str, i: usize) -> Place<'a, 'i> {
        let table = match self.value(key) {
            Some(DeValue::Array(items)) => match items.get(i).map(|v| v.get_ref()) {
                Some(DeValue::Table(t)) => Some(t),
                _ => None,
            },
            _ => None,
        };
        Place {
            path: format!("{}[{i}]", self.key(key)),
            table,
            text: self.text,
        }
    }

    /// A warning about `key`'s value: `PATH = WRITTEN PROBLEM: HINT`.
    fn warn(&self, slip: Slip, key: &str, problem: String, hint: String) -> Warning {
        let path = self.key(key);
        let span = self.span(key);
        let written = span
            .clone()
            .and_then(|s| self.text.get(s))
            .unwrap_or_default();
        Warning {
            slip,
            message: format!("{path} = {written} {problem}"),
            hint,
            key: path,
            span,
        }
    }
}

/// A decimal in plain digits with thousands separators: `11,600,000`,
/// `0.045`.
fn grouped(value: Decimal) -> String {
    let plain = value.normalize().to_string();
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::parse_with_warnings;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn thresholds_at_their_boundaries() {
        // Power: 0 < p < 1.
        assert!(!power_price_slip(d("1")));
        assert!(power_price_slip(d("0.999")));
        assert!(power_price_slip(d("0.0001")));
        assert!(!power_price_slip(d("0")));
        // Lease: > 1,000.
        assert!(!lease_slip(d("1000")));
        assert!(lease_slip(d("1000.01")));
        // Rates: > 1.
        assert!(!rate_slip(d("1")));
        assert!(rate_slip(d("1.0001")));
        assert!(!rate_slip(d("-0.5")));
        // Hashrate: < 1,000 TH/s on > 1 MW.
        assert!(!hashrate_slip(d("1000"), d("50")));
        assert!(hashrate_slip(d("999.99"), d("50")));
        assert!(!hashrate_slip(d("999.99"), d("1")));
        assert!(hashrate_slip(d("999.99"), d("1.001")));
        // GPU-hour: > 100.
        assert!(!gpu_hour_slip(d("100")));
        assert!(gpu_hour_slip(d("100.01")));
        // Fleet: over 10 % of the network, 10^6 TH/s per EH/s.
        assert!(!fleet_share_slip(d("100000"), d("1")));
        assert!(fleet_share_slip(d("100000.01"), d("1")));
        assert!(!fleet_share_slip(
            d("1"),
            d("79228162514264337593543950335")
        ));
        // Go-live: build_months ≥ months.
        assert!(!go_live_slip(23, 24));
        assert!(go_live_slip(24, 24));
    }

    #[test]
    fn numbers_are_grouped_in_thousands() {
        assert_eq!(grouped(d("11600000")), "11,600,000");
        assert_eq!(grouped(d("0.0450")), "0.045");
        assert_eq!(grouped(d("999")), "999");
        assert_eq!(grouped(d("1000.5")), "1,000.5");
        assert_eq!(grouped(d("-123456")), "-123,456");
    }

    const BASE: &str = r#"format = 1
name = "slips"
start = "2026-01"
months = 24

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 900000

[[site]]
name = "A"
grid_mw = 50
power_price_usd_per_mwh = 40

[site.mining]
hashrate_ths = 1000000
efficiency_j_per_th = 20

[site.ai]
kind = "colocation"
it_mw = 30
lease_usd_per_kw_month = 150
"#;

    fn warnings(text: &str) -> Vec<Warning> {
        parse_with_warnings(text, &[]).unwrap().1
    }

    #[test]
    fn a_plausible_scenario_has_none() {
        assert_eq!(warnings(BASE), []);
    }

    #[test]
    fn each_slip_names_its_key_and_points_at_its_value() {
        let cases = [
            (
                "power_price_usd_per_mwh = 40",
                "power_price_usd_per_mwh = 0.999",
                Slip::PowerPriceInKwh,
                "site[0].power_price_usd_per_mwh",
                "0.999",
            ),
            (
                "lease_usd_per_kw_month = 150",
                "lease_usd_per_kw_month = 1000.5",
                Slip::LeaseInMw,
                "site[0].ai.lease_usd_per_kw_month",
                "1000.5",
            ),
            (
                "months = 24",
                "months = 24\ndiscount_rate = 1.01",
                Slip::RateInPercent,
                "discount_rate",
                "1.01",
            ),
            (
                "hashrate_ths = 1000000",
                "hashrate_ths = 999",
                Slip::HashrateInEhs,
                "site[0].mining.hashrate_ths",
                "999",
            ),
            (
                "it_mw = 30",
                "it_mw = 30\nbuild_months = 24",
                Slip::GoLiveAfterHorizon,
                "site[0].ai.build_months",
                "24",
            ),
        ];
        for (from, to, slip, key, written) in cases {
            let text = BASE.replace(from, to);
            let found = warnings(&text);
            assert_eq!(found.len(), 1, "{to}: {found:?}");
            let w = &found[0];
            assert_eq!((w.slip, w.key.as_str()), (slip, key));
            assert_eq!(&text[w.span.clone().unwrap()], written);
            assert!(w.message.starts_with(&format!("{key} = {written} ")), "{w}");
        }
        // And just inside each boundary, nothing.
        for (from, to) in [
            (
                "power_price_usd_per_mwh = 40",
                "power_price_usd_per_mwh = 1",
            ),
            (
                "lease_usd_per_kw_month = 150",
                "lease_usd_per_kw_month = 1000",
            ),
            ("months = 24", "months = 24\ndiscount_rate = 1"),
            ("hashrate_ths = 1000000", "hashrate_ths = 1000"),
            ("it_mw = 30", "it_mw = 30\nbuild_months = 23"),
        ] {
            assert_eq!(warnings(&BASE.replace(from, to)), [], "{to}");
        }
    }

    #[test]
    fn every_annual_rate_is_checked() {
        let text = BASE
            .replace("months = 24", "months = 24\ndiscount_rate = 8")
            .replace(
                "block_height = 900000",
                "block_height = 900000\nprice_growth_annual = 10\nhashrate_growth_annual = 25",
            )
            .replace(
                "lease_usd_per_kw_month = 150",
                "lease_usd_per_kw_month = 150\nlease_escalator_annual = 3",
            );
        let found: Vec<String> = warnings(&text).iter().map(|w| w.to_string()).collect();
        assert_eq!(
            found,
            [
                "discount_rate = 8 means 800 % a year: rates are fractions (0.10 means 10 %): was 0.08 meant?",
                "bitcoin.price_growth_annual = 10 means 1,000 % a year: rates are fractions (0.10 means 10 %): was 0.1 meant?",
                "bitcoin.hashrate_growth_annual = 25 means 2,500 % a year: rates are fractions (0.10 means 10 %): was 0.25 meant?",
                "site[0].ai.lease_escalator_annual = 3 means 300 % a year: rates are fractions (0.10 means 10 %): was 0.03 meant?",
            ]
        );
    }

    #[test]
    fn fleet_rows_are_totalled() {
        let rows =
            "[[site.mining.fleet]]\nmodel = \"S21\"\ncount = 4000\nths = 0.2\nj_per_th = 17.5";
        let text = BASE.replace(
            "[site.mining]\nhashrate_ths = 1000000\nefficiency_j_per_th = 20",
            rows,
        );
        let found = warnings(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "site[0].mining.fleet");
        assert_eq!(
            found[0].to_string(),
            "site[0].mining.fleet totals 800 TH/s (Σ count × ths), under 1,000 TH/s on a 50 MW site: ths is each machine's TH/s: was PH/s meant? (an Antminer S21 is 200 TH/s, or 0.2 PH/s)"
        );
        // 5,000 machines of 0.2 TH/s make 1,000 TH/s: no warning.
        assert_eq!(warnings(&text.replace("count = 4000", "count = 5000")), []);
    }

    #[test]
    fn a_fleet_over_a_tenth_of_the_network() {
        let text = BASE.replace("network_hashrate_ehs = 1000", "network_hashrate_ehs = 3");
        let found = warnings(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].slip, found[0].key.as_str()),
            (Slip::FleetShareOfNetwork, "site[0].mining.hashrate_ths")
        );
        assert_eq!(&text[found[0].span.clone().unwrap()], "1000000");
        assert_eq!(
            found[0].to_string(),
            "site[0].mining.hashrate_ths = 1000000 is 33.3 % of the network's hashrate in month 0 (bitcoin.network_hashrate_ehs = 3 EH/s), over 10 %: was the network meant in EH/s, or the fleet in TH/s? (1 EH/s = 1,000,000 TH/s)"
        );
        // Exactly a tenth: none; just over: shown as over 10 %.
        let tenth = BASE.replace("network_hashrate_ehs = 1000", "network_hashrate_ehs = 10");
        assert_eq!(warnings(&tenth), []);
        let over = BASE.replace(
            "network_hashrate_ehs = 1000",
            "network_hashrate_ehs = 9.999",
        );
        assert!(
            warnings(&over)[0]
                .message
                .contains(" is 10.1 % of the network's"),
            "{:?}",
            warnings(&over)
        );
        // Fleet rows: their total.
        let rows = text.replace(
            "[site.mining]\nhashrate_ths = 1000000\nefficiency_j_per_th = 20",
            "[[site.mining.fleet]]\nmodel = \"S21\"\ncount = 2500\nths = 200\nj_per_th = 17.5",
        );
        assert_eq!(
            warnings(&rows)[0].to_string(),
            "site[0].mining.fleet totals 500,000 TH/s (Σ count × ths), 16.7 % of the network's hashrate in month 0 (bitcoin.network_hashrate_ehs = 3 EH/s), over 10 %: was the network meant in EH/s, or each machine's ths in TH/s? (1 EH/s = 1,000,000 TH/s)"
        );
    }

    #[test]
    fn a_gpu_cloud_price_over_100_an_hour() {
        let text = BASE.replace(
            "kind = \"colocation\"\nit_mw = 30\nlease_usd_per_kw_month = 150",
            "kind = \"gpu_cloud\"\ngpu_count = 1000\ngpu_kw = 1.3\ngpu_hour_usd = 1460",
        );
        let found = warnings(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].to_string(),
            "site[0].ai.gpu_hour_usd = 1460 is over 100 USD per GPU-hour: was US cents or a monthly price meant? (1,460 cents = 14.6 USD; 1,460 USD a month ≈ 2 USD an hour)"
        );
        assert_eq!(
            warnings(&text.replace("gpu_hour_usd = 1460", "gpu_hour_usd = 100")),
            []
        );
    }

    #[test]
    fn go_live_is_named_when_it_is_a_plausible_month() {
        let text = BASE.replace("it_mw = 30", "it_mw = 30\nbuild_months = 30");
        assert_eq!(
            warnings(&text)[0].message,
            "site[0].ai.build_months = 30 puts go-live in 2028-07, after the horizon's last month (2027-12)"
        );
        let text = BASE.replace(
            "it_mw = 30",
            "it_mw = 30\nbuild_months = 18446744073709551615",
        );
        assert_eq!(
            warnings(&text)[0].message,
            "site[0].ai.build_months = 18446744073709551615 puts go-live after the horizon's last month (2027-12)"
        );
    }

    #[test]
    fn an_override_is_pointed_at() {
        let set = [Override::parse("site[0].power_price_usd_per_mwh=0.05").unwrap()];
        let (_, found) = parse_with_warnings(BASE, &set).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].render_with_overrides("a.toml", BASE, &set),
            "warning: site[0].power_price_usd_per_mwh = 0.05 is under 1 USD/MWh: was USD/kWh meant? (0.05 USD/kWh = 50 USD/MWh)\n --> override of a.toml\n  |\n  | --set site[0].power_price_usd_per_mwh=0.05\n  |                                       ^^^^\n"
        );
    }
}
