//! Axes: which ticks to draw and how to label them.
//!
//! Value axes use "nice" steps, 1, 2, 2.5 or 5 × 10^k, and extend the
//! axis to whole steps around the data, so the axis ends on labelled
//! ticks. The step chosen is the *smallest* nice step that both keeps the
//! axis to at most a handful of intervals (a printed chart with 15
//! gridlines is noise) and leaves room for the labels: on a vertical axis
//! at least 1.6 × the font size between tick labels, on a horizontal axis
//! the estimated label widths plus a gap. Worked example: −23.4M … 118.7M
//! on a tall axis allowing 6 intervals: a 10M step needs −30M … 120M = 15
//! intervals, 20M needs −40M … 120M = 8, 25M needs −25M … 125M = 6, so
//! the ticks are −$25M, $0, $25M, …, $125M.
//!
//! Month axes tick at Januaries, labelled with the year, thinning to every
//! 2, 5, 10, … years until neighbouring labels (estimated widths, see
//! [`super::text::width`]) keep a gap; short horizons add quarter ticks.
//!
//! Money labels are compact (`$250k`, `$1.5M`, `−$20M`, `$1.2B`, with a
//! true minus sign): one scale (k, M, B, T) per axis, picked by the
//! largest tick, and one number of decimals per axis, the fewest that
//! write the step exactly; zero is always `$0`.

use super::text::{SMALL, width};
use super::{MonthAxis, Unit};
use crate::render::number::group;

/// The fewest pixels between two tick labels on a vertical axis.
pub(crate) const VERTICAL_GAP: f64 = 1.6 * SMALL;
/// The fewest pixels between the ends of two tick labels on a horizontal axis.
pub(crate) const HORIZONTAL_GAP: f64 = 8.0;
/// The most intervals on a value axis, however tall.
const MAX_INTERVALS: usize = 6;
/// Values beyond this magnitude are clamped (nothing in a scenario comes near).
const LIMIT: f64 = 1e15;

/// The ticks of a value axis; the axis spans `lo` … `hi`, the first and
/// last tick.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub values: Vec<f64>,
    pub labels: Vec<String>,
}

impl Ticks {
    /// Where `value` falls between `lo` (0) and `hi` (1).
    pub(crate) fn fraction(&self, value: f64) -> f64 {
        (value - self.lo) / (self.hi - self.lo)
    }

    /// The widest label's estimated width at the tick font size.
    pub(crate) fn label_width(&self) -> f64 {
        self.labels
            .iter()
            .map(|l| width(l, SMALL))
            .fold(0.0, f64::max)
    }
}

/// The data range `lo` … `hi` of finite `values`, widened when empty or
/// flat so an axis always has a span: `None` when there is no finite value.
pub(crate) fn data_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let mut range: Option<(f64, f64)> = None;
    for v in values.into_iter().filter(|v| v.is_finite()) {
        let v = v.clamp(-LIMIT, LIMIT);
        range = Some(match range {
            None => (v, v),
            Some((lo, hi)) => (lo.min(v), hi.max(v)),
        });
    }
    range
}

/// `lo` … `hi` with a span: a flat range is padded by 10 % of its value
/// (1 at zero); non-finite input gives 0 … 1.
pub(crate) fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let (lo, hi) = (lo.clamp(-LIMIT, LIMIT), hi.clamp(-LIMIT, LIMIT));
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if hi - lo > lo.abs().max(hi.abs()) * 1e-9 {
        (lo, hi)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    }
}

/// Ticks for a vertical axis `length` pixels tall.
pub(crate) fn vertical(lo: f64, hi: f64, unit: Unit, length: f64, integer: bool) -> Ticks {
    let most = ((length / VERTICAL_GAP).floor() as usize).clamp(1, MAX_INTERVALS);
    choose(lo, hi, unit, integer, |t| t.values.len() - 1 <= most)
}

/// Ticks for a horizontal axis `length` pixels wide: labels (centred on
/// their ticks) keep [`HORIZONTAL_GAP`] apart.
pub(crate) fn horizontal(lo: f64, hi: f64, unit: Unit, length: f64) -> Ticks {
    choose(lo, hi, unit, false, |t| {
        let intervals = t.values.len() - 1;
        intervals <= MAX_INTERVALS + 2
            && length / intervals as f64 >= t.label_width() + HORIZONTAL_GAP
    })
}

/// The smallest nice step whose ticks pass `fits`; the largest candidate
/// (one or two intervals) when none does.
fn choose(lo: f64, hi: f64, unit: Unit, integer: bool, fits: impl Fn(&Ticks) -> bool) -> Ticks {
    let (lo, hi) = padded(lo, hi);
    let span = hi - lo;
    let first = span.log10().floor() as i32 - 2;
    let mut last = None;
    for exponent in first..=first + 4 {
        for mantissa in [1.0, 2.0, 2.5, 5.0] {
            let step = mantissa * 10f64.powi(exponent);
            if integer && (step < 1.0 || step.fract() != 0.0) {
                continue;
            }
            let low = (lo / step + 1e-9).floor() as i64;
            let high = ((hi / step - 1e-9).ceil() as i64).max(low + 1);
            if high - low > 40 {
                continue;
            }
            let values: Vec<f64> = (low..=high).map(|i| i as f64 * step).collect();
            let labels = labels(&values, step, unit);
            let ticks = Ticks {
                lo: low as f64 * step,
                hi: high as f64 * step,
                values,
                labels,
            };
            if fits(&ticks) {
                return ticks;
            }
            last = Some(ticks);
        }
    }
    last.unwrap_or(Ticks {
        lo,
        hi,
        values: vec![lo, hi],
        labels: labels(&[lo, hi], span, unit),
    })
}

/// The fewest decimals (at most 9) that write `x` exactly, to 1e-6.
fn decimals(x: f64) -> usize {
    (0..=9)
        .find(|&d| {
            let scaled = x * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(9)
}

/// Labels of `values`, multiples of `step`, in `unit`.
pub(crate) fn labels(values: &[f64], step: f64, unit: Unit) -> Vec<String> {
    let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (scale, suffix) = match unit {
        Unit::Plain if largest < 1e6 => (1.0, ""),
        _ => scale_of(largest),
    };
    let places = decimals(step / scale);
    let prefix = match unit {
        Unit::Usd | Unit::UsdPerPhDay => "$",
        Unit::Plain => "",
    };
    values
        .iter()
        .map(|&v| {
            let digits = format!("{:.places$}", v.abs() / scale);
            if digits.bytes().all(|b| b == b'0' || b == b'.') {
                return format!("{prefix}0");
            }
            let digits = if scale == 1.0 && unit == Unit::Plain {
                group(&digits)
            } else {
                digits
            };
            let sign = if v < 0.0 { "\u{2212}" } else { "" };
            format!("{sign}{prefix}{digits}{suffix}")
        })
        .collect()
}

/// The compact scale of an axis whose largest tick is `largest`.
fn scale_of(largest: f64) -> (f64, &'static str) {
    if largest >= 1e12 {
        (1e12, "T")
    } else if largest >= 1e9 {
        (1e9, "B")
    } else if largest >= 1e6 {
        (1e6, "M")
    } else if largest >= 1e4 {
        (1e3, "k")
    } else {
        (1.0, "")
    }
}

/// A tick on a month axis: the month index and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MonthTick {
    pub index: usize,
    pub label: String,
}

const QUARTERS: [&str; 4] = ["", "Apr", "Jul", "Oct"];

/// Where month `i` sits along an axis `length` pixels wide (0 … length):
/// the first month at 0, the last at `length` (a one-month axis centres it).
pub(crate) fn month_x(axis: MonthAxis, i: f64, length: f64) -> f64 {
    if axis.months <= 1 {
        length / 2.0
    } else {
        i * length / (axis.months - 1) as f64
    }
}

/// The ticks of a month axis `length` pixels wide: quarters (Januaries
/// labelled with the year, other quarters with the month) when they fit,
/// else Januaries of every 1, 2, 5, 10, 20, 25, 50 or 100 years (years
/// divisible by the step), the densest whose labels keep
/// [`HORIZONTAL_GAP`] apart.
pub(crate) fn month_ticks(axis: MonthAxis, length: f64) -> Vec<MonthTick> {
    let schemes: [Option<i32>; 9] = [
        None,
        Some(1),
        Some(2),
        Some(5),
        Some(10),
        Some(20),
        Some(25),
        Some(50),
        Some(100),
    ];
    for scheme in schemes {
        let ticks: Vec<MonthTick> = (0..axis.months)
            .filter_map(|i| {
                let month = axis.start.add_months(u32::try_from(i).ok()?);
                let label = match scheme {
                    None if month.month == 1 => month.year.to_string(),
                    None if month.month % 3 == 1 => {
                        QUARTERS[(month.month / 3) as usize].to_string()
                    }
                    Some(years) if month.month == 1 && month.year.rem_euclid(years) == 0 => {
                        month.year.to_string()
                    }
                    _ => return None,
                };
                Some(MonthTick { index: i, label })
            })
            .collect();
        if ticks.is_empty() && scheme.is_some() {
            continue;
        }
        if ticks.windows(2).all(|pair| {
            let apart = month_x(axis, pair[1].index as f64, length)
                - month_x(axis, pair[0].index as f64, length);
            apart
                >= (width(&pair[0].label, SMALL) + width(&pair[1].label, SMALL)) / 2.0
                    + HORIZONTAL_GAP
        }) {
            return ticks;
        }
    }
    Vec::new()
}

/// The month axis title: "Month (Mar 2026 – Feb 2046)".
pub(crate) fn month_title(axis: MonthAxis) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let name = |m: u32| NAMES[(m.clamp(1, 12) - 1) as usize];
    let first = axis.start;
    let last = axis
        .start
        .add_months(u32::try_from(axis.months.saturating_sub(1)).unwrap_or(0));
    if axis.months <= 1 {
        format!("Month ({} {})", name(first.month), first.year)
    } else {
        format!(
            "Month ({} {} \u{2013} {} {})",
            name(first.month),
            first.year,
            name(last.month),
            last.year
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::YearMonth;

    fn money(values: &[f64], step: f64) -> Vec<String> {
        labels(values, step, Unit::Usd)
    }

    #[test]
    fn the_worked_example_ticks_by_25m() {
        // See the module docs: 10M → 15 intervals, 20M → 8, 25M → 6 ≤ 6.
        let t = vertical(-23.4e6, 118.7e6, Unit::Usd, 250.0, false);
        assert_eq!(
            t.labels,
            [
                "\u{2212}$25M",
                "$0",
                "$25M",
                "$50M",
                "$75M",
                "$100M",
                "$125M"
            ]
        );
        assert_eq!((t.lo, t.hi), (-25e6, 125e6));
    }

    #[test]
    fn a_short_axis_takes_fewer_ticks() {
        // 60 px allows floor(60 / 17.6) = 3 intervals: 25M → 6 and
        // 50M → −50M … 150M = 4 are too many; 100M gives −100M … 200M = 3.
        let t = vertical(-23.4e6, 118.7e6, Unit::Usd, 60.0, false);
        assert_eq!(t.labels, ["\u{2212}$100M", "$0", "$100M", "$200M"]);
    }

    #[test]
    fn money_labels_are_compact_with_one_decimals_per_axis() {
        assert_eq!(
            money(&[0.0, 250e3, 500e3, 750e3], 250e3),
            ["$0", "$250k", "$500k", "$750k"]
        );
        // Largest 1M → the M scale; step 0.25M needs two decimals everywhere.
        assert_eq!(
            money(&[0.0, 0.25e6, 0.5e6, 0.75e6, 1e6], 0.25e6),
            ["$0", "$0.25M", "$0.50M", "$0.75M", "$1.00M"]
        );
        assert_eq!(
            money(&[-20e6, 0.0, 20e6], 20e6),
            ["\u{2212}$20M", "$0", "$20M"]
        );
        assert_eq!(
            money(&[0.0, 0.5e9, 1.0e9, 1.5e9], 0.5e9),
            ["$0", "$0.5B", "$1.0B", "$1.5B"]
        );
        assert_eq!(money(&[0.0, 2e12], 2e12), ["$0", "$2T"]);
        assert_eq!(
            labels(&[45.0, 47.5, 50.0, 52.5], 2.5, Unit::UsdPerPhDay),
            ["$45.0", "$47.5", "$50.0", "$52.5"]
        );
        assert_eq!(
            labels(&[0.0, 5000.0, 10000.0], 5000.0, Unit::Plain),
            ["0", "5,000", "10,000"]
        );
        assert_eq!(
            labels(&[-0.004, -0.002, 0.0, 0.002], 0.002, Unit::Plain),
            ["\u{2212}0.004", "\u{2212}0.002", "0", "0.002"]
        );
    }

    #[test]
    fn flat_and_empty_ranges_get_a_span() {
        assert_eq!(padded(5.0, 5.0), (4.5, 5.5));
        assert_eq!(padded(0.0, 0.0), (-1.0, 1.0));
        assert_eq!(padded(f64::NAN, 1.0), (0.0, 1.0));
        assert_eq!(
            data_range([f64::NAN, 3.0, -2.0, f64::INFINITY]),
            Some((-2.0, 3.0))
        );
        assert_eq!(data_range([f64::NAN]), None);
    }

    #[test]
    fn value_tick_labels_never_overlap() {
        let ranges = [
            (0.0, 0.01),
            (-0.01, 0.0),
            (0.003, 0.0071),
            (-1.0, 1.0),
            (45.0, 52.5),
            (-23.4e6, 118.7e6),
            (-5e8, -1e8),
            (0.0, 1e12),
            (-1e12, 3e11),
            (7.0, 7.0),
            (123456.0, 123999.0),
        ];
        for (lo, hi) in ranges {
            for unit in [Unit::Usd, Unit::UsdPerPhDay, Unit::Plain] {
                for length in [60.0, 150.0, 250.0] {
                    let t = vertical(lo, hi, unit, length, false);
                    let apart = length / (t.values.len() - 1) as f64;
                    assert!(apart >= VERTICAL_GAP, "{lo}…{hi} {unit:?} {length}: {t:?}");
                    assert!(t.lo <= lo.min(hi) && t.hi >= hi.max(lo), "{t:?}");
                    let mut unique = t.labels.clone();
                    unique.dedup();
                    assert_eq!(unique.len(), t.labels.len(), "{t:?}");
                }
                for length in [200.0, 400.0, 640.0] {
                    let t = horizontal(lo, hi, unit, length);
                    let intervals = (t.values.len() - 1) as f64;
                    for pair in t.values.windows(2).zip(t.labels.windows(2)) {
                        let apart = (pair.0[1] - pair.0[0]) / (t.hi - t.lo) * length;
                        let need = (width(&pair.1[0], SMALL) + width(&pair.1[1], SMALL)) / 2.0;
                        assert!(
                            apart >= need + HORIZONTAL_GAP,
                            "{lo}…{hi} {unit:?} {length} {intervals}: {t:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn integer_axes_have_whole_steps() {
        // 0 … 7 paths on a tall axis: 1 → 7 intervals is more than 6, so 2 → 0 … 8.
        let t = vertical(0.0, 7.0, Unit::Plain, 250.0, true);
        assert_eq!(t.labels, ["0", "2", "4", "6", "8"]);
    }

    #[test]
    fn month_tick_labels_never_overlap() {
        let start = YearMonth {
            year: 2026,
            month: 3,
        };
        for months in [1, 2, 12, 60, 120, 240, 600] {
            for length in [300.0, 450.0, 630.0] {
                let axis = MonthAxis { start, months };
                let ticks = month_ticks(axis, length);
                if months >= 12 {
                    assert!(!ticks.is_empty(), "{months} {length}");
                }
                for pair in ticks.windows(2) {
                    let apart = month_x(axis, pair[1].index as f64, length)
                        - month_x(axis, pair[0].index as f64, length);
                    let need = (width(&pair[0].label, SMALL) + width(&pair[1].label, SMALL)) / 2.0;
                    assert!(
                        apart >= need + HORIZONTAL_GAP,
                        "{months} {length}: {ticks:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn month_ticks_thin_by_the_horizon() {
        let start = YearMonth {
            year: 2026,
            month: 3,
        };
        let labels = |months| {
            month_ticks(MonthAxis { start, months }, 630.0)
                .into_iter()
                .map(|t| t.label)
                .collect::<Vec<_>>()
        };
        // 12 months from Mar 2026: quarters Apr, Jul, Oct, 2027 (Jan).
        assert_eq!(labels(12), ["Apr", "Jul", "Oct", "2027"]);
        // 600 months, 630 px: 1.05 px a month; a year is 12.6 px < 27.3 + 8,
        // two years 25.3, five years 63.2 ≥ 35.3: every year divisible by 5.
        let long = labels(600);
        assert_eq!(long.first().map(String::as_str), Some("2030"));
        assert_eq!(long.get(1).map(String::as_str), Some("2035"));
        assert_eq!(
            month_title(MonthAxis { start, months: 240 }),
            "Month (Mar 2026 \u{2013} Feb 2046)"
        );
    }
}
