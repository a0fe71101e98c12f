//! Number formatting for every renderer, in one place, so the figures read
//! the same in every format and the two tables (summary and sweep) share
//! it instead of borrowing from each other.
//!
//! Every figure is rounded once, here, half to even, to the decimals its
//! kind prints (docs/model.md, "Precision and output"); the helpers below
//! only add separators, signs, suffixes and colour around those digits.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimals printed for each kind of figure (docs/model.md, "Precision and
/// rounding").
pub mod places {
    /// USD amounts and USD-per-BTC prices.
    pub const USD: u32 = 2;
    pub const BTC: u32 = 8;
    /// IRR, as a fraction.
    pub const IRR: u32 = 6;
    /// Hashprice (USD per PH/s per day) and `breakeven_rate` (USD per
    /// kW-month or per GPU-hour).
    pub const RATE: u32 = 4;
    /// Probabilities (`simulate`'s `p_*`), as a fraction.
    pub const PROBABILITY: u32 = 4;
}

/// `value` rounded half-even to `places` decimals and written with exactly
/// that many: `100.00`, never `1e2`, and never `-0.00`.
pub fn fixed(value: Decimal, places: u32) -> String {
    let mut rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    let text = rounded.to_string();
    let have = text.find('.').map_or(0, |dot| text.len() - dot - 1) as u32;
    let mut out = text;
    if places > 0 && have == 0 {
        out.push('.');
    }
    for _ in have..places {
        out.push('0');
    }
    out
}

/// A change: [`fixed`] with `+` in front when `value` is above zero
/// (`+5.00`, `-12.50`, `0.00`).
pub fn signed(value: Decimal, places: u32) -> String {
    plus_if_positive(fixed(value, places), value)
}

/// The direction of a change in front of `text`, the digits of `value`:
/// `+` when it rose, `-` when it fell, even where the fall rounds to zero
/// (a report's `-0.00 %` says which way a tiny move went; `+0.00 %` said
/// the opposite), nothing when it did not move.
fn plus_if_positive(text: String, value: Decimal) -> String {
    if text.starts_with('-') || value.is_zero() {
        text
    } else if value.is_sign_negative() {
        format!("-{text}")
    } else {
        format!("+{text}")
    }
}

/// Thousands separators in the whole part of a plain decimal string:
/// `-1234567.891` → `-1,234,567.891`, `1050000` → `1,050,000`.
pub fn group(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    match body.split_once('.') {
        Some((whole, frac)) => format!("{sign}{}.{frac}", group_digits(whole)),
        None => format!("{sign}{}", group_digits(body)),
    }
}

fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `$1,234.56`, `-$1,234.56`, rounded half-even to `places`.
pub fn money(value: Decimal, places: u32) -> String {
    with_symbol(group(&fixed(value, places)), "$")
}

/// An input as written in the scenario, for a table that states its
/// assumptions: exact, never rounded, trailing zeros dropped, thousands
/// grouped (`95000` → `95,000`, `0.0250` → `0.025`).
pub fn stated(value: Decimal) -> String {
    let mut value = value.normalize();
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    group(&value.to_string())
}

/// A USD input as written, [`stated`], with two decimals when it has one
/// (`95000` → `$95,000`, `38.5` → `$38.50`, `0.045` → `$0.045`).
pub fn stated_money(value: Decimal) -> String {
    let normal = value.normalize();
    let text = if normal.scale() == 1 {
        group(&fixed(normal, 2))
    } else {
        stated(normal)
    };
    with_symbol(text, "$")
}

/// A fraction input as an exact percentage: 0.12 → `12 %`, 0.225 →
/// `22.5 %`, -0.05 → `-5 %`. A fraction too large to be multiplied by 100
/// in range is written as it is, times 100.
pub fn stated_percent(fraction: Decimal) -> String {
    match fraction.checked_mul(Decimal::ONE_HUNDRED) {
        Some(percent) => format!("{} %", stated(percent)),
        None => format!("{} × 100 %", stated(fraction)),
    }
}

/// Whole USD thousands with separators: 14,100,515.81 → `14,101`.
pub fn thousands(value: Decimal) -> String {
    group(&fixed(value / Decimal::ONE_THOUSAND, 0))
}

/// Money in at most four characters and a suffix: `1.2B`, `-617M`, `64M`,
/// `9.5k`, `950`. Three digits or fewer are shown whole; below ten, one
/// decimal. `symbol` goes after any minus sign: `"$"` gives `-$35M` (the
/// summary table's comparison), `""` gives `-35M` (a sweep cell).
pub fn compact(value: Decimal, symbol: &str) -> String {
    let abs = value.abs();
    let (scaled, suffix) = if abs >= Decimal::from(1_000_000_000) {
        (value / Decimal::from(1_000_000_000), "B")
    } else if abs >= Decimal::from(1_000_000) {
        (value / Decimal::from(1_000_000), "M")
    } else if abs >= Decimal::ONE_THOUSAND {
        (value / Decimal::ONE_THOUSAND, "k")
    } else {
        return with_symbol(fixed(value, 0), symbol);
    };
    let places = if scaled.abs() >= Decimal::TEN { 0 } else { 1 };
    with_symbol(format!("{}{suffix}", fixed(scaled, places)), symbol)
}

/// `symbol` in front of `text`, after its minus sign if it has one.
fn with_symbol(text: String, symbol: &str) -> String {
    match text.strip_prefix('-') {
        Some(abs) => format!("-{symbol}{abs}"),
        None => format!("{symbol}{text}"),
    }
}

/// How [`percent`] writes a figure. The three uses differ on purpose: the
/// summary table shows the JSON's IRR digits, a sweep cell must be short,
/// and the check report shows a change with its sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent {
    /// The figure is a fraction (an IRR: 0.125 is 12.5 %); otherwise it is
    /// already a percentage (the check report's change).
    pub fraction: bool,
    /// Decimals of the percentage.
    pub places: u32,
    /// Thousands separators in the whole part.
    pub grouped: bool,
    /// `+` in front of a figure above zero.
    pub plus: bool,
    /// A space between the digits and `%`.
    pub spaced: bool,
}

impl Percent {
    /// The summary table's IRR, with the JSON's six decimals of the
    /// fraction: 0.158788 → `15.8788 %`.
    pub const IRR: Percent = Percent {
        fraction: true,
        places: places::IRR - 2,
        grouped: true,
        plus: false,
        spaced: true,
    };
    /// A sweep cell's IRR, short: 0.158788 → `15.9%`.
    pub const CELL: Percent = Percent {
        fraction: true,
        places: 1,
        grouped: false,
        plus: false,
        spaced: false,
    };
    /// The check report's change, already a percentage: -12.5 → `-12.50 %`,
    /// 3 → `+3.00 %`.
    pub const CHANGE: Percent = Percent {
        fraction: false,
        places: 2,
        grouped: false,
        plus: true,
        spaced: true,
    };
}

/// `value` as a percentage written the `style` way.
///
/// A fraction is rounded half-even to the percentage's decimals plus two
/// before it is shifted by 100, so the shift is exact and the digits are
/// those of the fraction (the summary table's IRR matches the JSON's).
pub fn percent(value: Decimal, style: Percent) -> String {
    let shown = if style.fraction {
        value.round_dp_with_strategy(style.places + 2, RoundingStrategy::MidpointNearestEven)
            * Decimal::ONE_HUNDRED
    } else {
        value
    };
    let mut digits = fixed(shown, style.places);
    if style.grouped {
        digits = group(&digits);
    }
    if style.plus {
        digits = plus_if_positive(digits, shown);
    }
    let gap = if style.spaced { " " } else { "" };
    format!("{digits}{gap}%")
}

/// A look [`paint`] gives text on a terminal, as an ANSI SGR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Headings (scenario, site, section titles).
    Bold,
    /// The summary table's verdict line.
    BoldGreen,
    /// Strategy `ai`: a sweep cell where AI wins, the AI curve of
    /// `run --chart`. Bold blue, readable on light and dark terminals.
    Ai,
    /// Strategy `mine`: a sweep cell where mining wins, the mining curve
    /// of `run --chart`. Magenta (not red or green: colour-blind safe).
    Mine,
}

impl Colour {
    fn code(self) -> &'static str {
        match self {
            Colour::Bold => "1",
            Colour::BoldGreen => "1;32",
            Colour::Ai => "1;34",
            Colour::Mine => "35",
        }
    }
}

/// `text` in `colour` when `on`, else `text` as it is. Whether colour is
/// wanted is the caller's decision (the CLI's `color_wanted`: a terminal
/// without `NO_COLOR`).
pub fn paint(text: &str, colour: Colour, on: bool) -> String {
    if on {
        format!("\x1b[{}m{text}\x1b[0m", colour.code())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[track_caller]
    fn check(value: &str, places: u32, want: &str) {
        assert_eq!(fixed(d(value), places), want);
    }

    /// Ties at every precision the outputs use, each worked by hand:
    /// half-even keeps an even last digit and rounds an odd one up.
    #[test]
    fn fixed_decimals() {
        check("100", 2, "100.00");
        // USD, 2 decimals: 0.125 → 0.12 (2 even), 0.135 → 0.14 (3 odd, up),
        // 2.675 → 2.68 (7 odd, up), -1.005 → -1.00 (0 even).
        check("0.125", 2, "0.12");
        check("0.135", 2, "0.14");
        check("2.675", 2, "2.68");
        check("-1.005", 2, "-1.00");
        // BTC, 8 decimals: 0.123456785 → 0.12345678 (8 even),
        // 0.123456775 → 0.12345678 (7 odd, up).
        check("0.123456785", 8, "0.12345678");
        check("0.123456775", 8, "0.12345678");
        // IRR, 6 decimals: 0.1234565 → 0.123456 (6 even),
        // 0.1234575 → 0.123458 (7 odd, up).
        check("0.1234565", 6, "0.123456");
        check("0.1234575", 6, "0.123458");
        // Hashprice and breakeven_rate, 4 decimals: 45.72005 → 45.7200
        // (0 even), -12.34565 → -12.3456 (6 even), 12.34575 → 12.3458.
        check("45.72005", 4, "45.7200");
        check("-12.34565", 4, "-12.3456");
        check("12.34575", 4, "12.3458");
        // Zero is never negative: -0.001 → 0.00, and the tie -0.005 → 0.00
        // (0 even) rather than -0.00; likewise at 8, 6 and 4 decimals.
        check("-0.001", 2, "0.00");
        check("-0.005", 2, "0.00");
        check("-0.000000005", 8, "0.00000000");
        check("-0.0000005", 6, "0.000000");
        check("-0.00005", 4, "0.0000");
        check("1234567.891", 2, "1234567.89");
        check("3", 0, "3");
        check("12.5", 8, "12.50000000");
        // 29 digits: rescaling would not fit the mantissa, padding does.
        check(
            "79228162514264337593543950335",
            2,
            "79228162514264337593543950335.00",
        );
    }

    #[test]
    fn signed_changes() {
        assert_eq!(signed(d("5"), 2), "+5.00");
        assert_eq!(signed(d("-12.5"), 2), "-12.50");
        assert_eq!(signed(d("0"), 2), "0.00");
        // A fall that rounds to nothing still shows its direction.
        assert_eq!(signed(d("-0.001"), 2), "-0.00");
        assert_eq!(percent(d("-0.00001"), Percent::CHANGE), "-0.00 %");
        assert_eq!(percent(d("0.00001"), Percent::CHANGE), "+0.00 %");
        // Tie at 6: 0.1234565 → +0.123456 (6 even).
        assert_eq!(signed(d("0.1234565"), 6), "+0.123456");
    }

    #[test]
    fn grouping() {
        assert_eq!(group("1234567"), "1,234,567");
        assert_eq!(group("123"), "123");
        assert_eq!(group("-1234567.891"), "-1,234,567.891");
        assert_eq!(group("0.00000000"), "0.00000000");
    }

    #[test]
    fn money_and_thousands() {
        assert_eq!(money(d("1234567.891"), 2), "$1,234,567.89");
        assert_eq!(money(d("-1000"), 2), "-$1,000.00");
        // Tie: 999.995 → 1000.00 (9 odd, up, carrying into the thousands).
        assert_eq!(money(d("999.995"), 2), "$1,000.00");
        // Tie at 4 (breakeven_rate): -12.34565 → -$12.3456 (6 even).
        assert_eq!(money(d("-12.34565"), 4), "-$12.3456");
        assert_eq!(money(d("-0.001"), 2), "$0.00");
        assert_eq!(thousands(d("-368283.8855")), "-368");
        // Ties in thousands: 2,500 → 2.5 → 2 (2 even); 1,500 → 1.5 → 2 (1 odd, up).
        assert_eq!(thousands(d("2500")), "2");
        assert_eq!(thousands(d("1500")), "2");
    }

    /// Inputs are shown exactly as given, never rounded.
    #[test]
    fn stated_inputs() {
        assert_eq!(stated(d("95000")), "95,000");
        assert_eq!(stated(d("1050.00")), "1,050");
        assert_eq!(stated(d("0.0250")), "0.025");
        assert_eq!(stated(d("-0.0")), "0");
        assert_eq!(stated(d("0.123456789012")), "0.123456789012");
        assert_eq!(stated_money(d("95000")), "$95,000");
        assert_eq!(stated_money(d("38.5")), "$38.50");
        assert_eq!(stated_money(d("38.50")), "$38.50");
        assert_eq!(stated_money(d("0.045")), "$0.045");
        assert_eq!(stated_money(d("1234.125")), "$1,234.125");
        assert_eq!(stated_percent(d("0.12")), "12 %");
        assert_eq!(stated_percent(d("0.10")), "10 %");
        assert_eq!(stated_percent(d("0.225")), "22.5 %");
        assert_eq!(stated_percent(d("-0.05")), "-5 %");
        assert_eq!(stated_percent(d("0")), "0 %");
        assert_eq!(stated_percent(d("9.999")), "999.9 %");
        assert_eq!(stated_percent(d("12.5")), "1,250 %");
        assert_eq!(
            stated_percent(Decimal::MAX),
            "79,228,162,514,264,337,593,543,950,335 × 100 %"
        );
    }

    #[test]
    fn compact_money() {
        assert_eq!(compact(d("1234567890"), ""), "1.2B");
        assert_eq!(compact(d("-35149999"), ""), "-35M");
        assert_eq!(compact(d("617149999"), ""), "617M");
        assert_eq!(compact(d("9549999"), ""), "9.5M");
        assert_eq!(compact(d("12345"), ""), "12k");
        // Ties: 950.5 → 950 (0 even); 951.5 → 952 (1 odd, up);
        // 12,500 → 12.5k → 12k (2 even, whole from ten up);
        // 1,250,000 → 1.25M → 1.2M (2 even, one decimal below ten).
        assert_eq!(compact(d("950.5"), ""), "950");
        assert_eq!(compact(d("951.5"), ""), "952");
        assert_eq!(compact(d("12500"), ""), "12k");
        assert_eq!(compact(d("1250000"), ""), "1.2M");
        // Never -0: -0.4 → 0, and the tie -0.5 → 0 (0 even).
        assert_eq!(compact(d("-0.4"), ""), "0");
        assert_eq!(compact(d("-0.5"), ""), "0");
        // The symbol goes after the minus sign.
        assert_eq!(compact(d("1234567890"), "$"), "$1.2B");
        assert_eq!(compact(d("-35149999"), "$"), "-$35M");
        assert_eq!(compact(d("-0.4"), "$"), "$0");
    }

    #[test]
    fn percentages() {
        // IRR in the summary table: the fraction's tie at 6 decimals,
        // 0.1234565 → 0.123456 (6 even), so 12.3456 %; 0.1234575 → 12.3458 %.
        assert_eq!(percent(d("0.1234565"), Percent::IRR), "12.3456 %");
        assert_eq!(percent(d("0.1234575"), Percent::IRR), "12.3458 %");
        assert_eq!(percent(d("-0.5"), Percent::IRR), "-50.0000 %");
        assert_eq!(percent(d("12.345678"), Percent::IRR), "1,234.5678 %");
        // A sweep cell: ties at 3 decimals of the fraction, 0.1225 →
        // 12.2% (2 even), 0.1235 → 12.4% (3 odd, up); -0.0005 → 0.0%.
        assert_eq!(percent(d("0.1225"), Percent::CELL), "12.2%");
        assert_eq!(percent(d("0.1235"), Percent::CELL), "12.4%");
        assert_eq!(percent(d("-0.0005"), Percent::CELL), "0.0%");
        // A change: ties at 2 decimals, -12.345 → -12.34 % (4 even),
        // 12.355 → +12.36 % (5 odd, up).
        assert_eq!(percent(d("-12.345"), Percent::CHANGE), "-12.34 %");
        assert_eq!(percent(d("12.355"), Percent::CHANGE), "+12.36 %");
        assert_eq!(percent(d("0"), Percent::CHANGE), "0.00 %");
    }

    #[test]
    fn colour_only_when_on() {
        assert_eq!(paint("North", Colour::Bold, false), "North");
        assert_eq!(paint("North", Colour::Bold, true), "\x1b[1mNorth\x1b[0m");
        assert_eq!(
            paint("Win", Colour::BoldGreen, true),
            "\x1b[1;32mWin\x1b[0m"
        );
        assert_eq!(paint(" AI +1", Colour::Ai, true), "\x1b[1;34m AI +1\x1b[0m");
        assert_eq!(
            paint(" mine +1", Colour::Mine, true),
            "\x1b[35m mine +1\x1b[0m"
        );
    }
}
