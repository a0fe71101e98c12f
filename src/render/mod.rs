//! Renderers: a computed [`Summary`](crate::summary::Summary) to bytes.
//!
//! One renderer per output format, behind one trait, so the CLI picks a
//! format and writes the bytes it gets back in one go (never a partial
//! output). Rounding to the printed number of decimals happens here, once
//! (MODEL.md, "Precision and output").

pub mod json;

use crate::summary::Summary;
use rust_decimal::{Decimal, RoundingStrategy};

/// A format's view of one or more scenario summaries.
pub trait Renderer {
    /// Renders `summaries`. `as_list` says whether the caller asked for
    /// several scenarios (JSON prints an array then, even of one).
    fn render(&self, summaries: &[Summary], as_list: bool) -> Vec<u8>;
}

/// Decimals printed for each kind of figure (MODEL.md, "Precision and output").
pub mod places {
    /// USD amounts and USD-per-BTC prices.
    pub const USD: u32 = 2;
    pub const BTC: u32 = 8;
    /// IRR, as a fraction.
    pub const IRR: u32 = 6;
    /// Hashprice (USD per PH/s per day) and `breakeven_rate` (USD per
    /// kW-month or per GPU-hour).
    pub const RATE: u32 = 4;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[track_caller]
    fn check(value: &str, places: u32, want: &str) {
        assert_eq!(fixed(Decimal::from_str(value).unwrap(), places), want);
    }

    #[test]
    fn fixed_decimals() {
        check("100", 2, "100.00");
        check("0.125", 2, "0.12"); // half-even: 2 is even
        check("0.135", 2, "0.14"); // half-even: 4 is even
        check("-0.001", 2, "0.00"); // never -0.00
        check("-1.005", 2, "-1.00");
        check("1234567.891", 2, "1234567.89");
        check("0.1234565", 6, "0.123456");
        check("3", 0, "3");
        check("12.5", 8, "12.50000000");
        // 29 digits: rescaling would not fit the mantissa, padding does.
        check(
            "79228162514264337593543950335",
            2,
            "79228162514264337593543950335.00",
        );
    }
}
