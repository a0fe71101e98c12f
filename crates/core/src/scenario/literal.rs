//! Number literals to exact decimals, from their text.
//!
//! A TOML float such as `0.1` must become exactly one tenth (docs/model.md,
//! "Precision and output"), so it is never parsed through `f64`: the text
//! the TOML parser kept is read digit by digit here. A literal that the
//! decimal type cannot hold exactly (after dropping trailing zeros: more
//! than 28 decimal places, or a mantissa over 96 bits) is refused, never
//! rounded.

use rust_decimal::Decimal;

/// Why a literal is not an exact decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralError {
    /// Not of the form `[+-]digits[.digits][e[+-]digits]`.
    NotANumber,
    /// `nan`, `inf` and their signed forms.
    NotFinite,
    /// More than 28 decimal places after dropping trailing zeros.
    TooManyDecimals,
    /// Magnitude above the decimal range (about 7.9 × 10^28).
    TooLarge,
    /// Within the range and 28 places, but more significant digits than a
    /// 96-bit mantissa holds.
    TooManyDigits,
}

/// 2^96 − 1, the largest mantissa.
const MAX_MANTISSA: u128 = (1u128 << 96) - 1;

/// Parses a decimal literal: an optional sign, digits with an optional
/// fraction, and an optional exponent; `_` may stand between digits (TOML).
pub fn parse_decimal(text: &str) -> Result<Decimal, LiteralError> {
    let trimmed = text.trim_start_matches(['+', '-']);
    if matches!(trimmed, "nan" | "inf") {
        return Err(LiteralError::NotFinite);
    }
    let mut chars = text.chars().peekable();
    let negative = match chars.peek() {
        Some('-') => {
            chars.next();
            true
        }
        Some('+') => {
            chars.next();
            false
        }
        _ => false,
    };
    let mut digits = String::new();
    let mut fraction_len: i64 = 0;
    let mut seen_point = false;
    let mut seen_digit = false;
    let mut exponent: Option<String> = None;
    for c in chars {
        match (c, &mut exponent) {
            ('0'..='9', None) => {
                digits.push(c);
                seen_digit = true;
                if seen_point {
                    fraction_len += 1;
                }
            }
            ('_', None) if seen_digit => {}
            ('.', None) if !seen_point && seen_digit => {
                seen_point = true;
                seen_digit = false;
            }
            ('e' | 'E', None) if seen_digit => exponent = Some(String::new()),
            ('+' | '-', Some(e)) if e.is_empty() => e.push(c),
            ('0'..='9' | '_', Some(e)) => e.push(c),
            _ => return Err(LiteralError::NotANumber),
        }
    }
    if !seen_digit {
        return Err(LiteralError::NotANumber);
    }
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => parse_exponent(&e)?,
    };

    let significant = digits.trim_start_matches('0');
    let kept = significant.trim_end_matches('0');
    if kept.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let dropped = (significant.len() - kept.len()) as i64;
    // value = kept × 10^power
    let power = exponent - fraction_len + dropped;
    if power >= 0 {
        if kept.len() as i64 + power > 29 {
            return Err(LiteralError::TooLarge);
        }
        let mut mantissa: u128 = kept.parse().map_err(|_| LiteralError::TooLarge)?;
        for _ in 0..power {
            mantissa *= 10;
        }
        if mantissa > MAX_MANTISSA {
            return Err(LiteralError::TooLarge);
        }
        Ok(make(mantissa, 0, negative))
    } else {
        let scale = -power;
        if scale > 28 {
            return Err(LiteralError::TooManyDecimals);
        }
        if kept.len() > 29 {
            return Err(LiteralError::TooManyDigits);
        }
        let mantissa: u128 = kept.parse().map_err(|_| LiteralError::TooManyDigits)?;
        if mantissa > MAX_MANTISSA {
            return Err(LiteralError::TooManyDigits);
        }
        Ok(make(mantissa, scale as u32, negative))
    }
}

fn parse_exponent(text: &str) -> Result<i64, LiteralError> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let body: String = body.chars().filter(|&c| c != '_').collect();
    if body.is_empty() {
        return Err(LiteralError::NotANumber);
    }
    let body = body.trim_start_matches('0');
    // Beyond 6 digits the exponent alone puts the value out of any range;
    // clamp it so the arithmetic below stays small.
    let magnitude: i64 = if body.len() > 6 {
        1_000_000
    } else {
        body.parse::<i64>().unwrap_or(0)
    };
    Ok(if negative { -magnitude } else { magnitude })
}

fn make(mantissa: u128, scale: u32, negative: bool) -> Decimal {
    // mantissa ≤ 2^96 − 1 and scale ≤ 28 were checked by the caller, so the
    // parts are in range.
    let mut d = Decimal::from_parts(
        mantissa as u32,
        (mantissa >> 32) as u32,
        (mantissa >> 64) as u32,
        false,
        scale,
    );
    if negative {
        d.set_sign_negative(true);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[track_caller]
    fn check(text: &str, want: &str) {
        assert_eq!(
            parse_decimal(text),
            Ok(Decimal::from_str(want).unwrap()),
            "{text}"
        );
    }

    #[track_caller]
    fn fails(text: &str, why: LiteralError) {
        assert_eq!(parse_decimal(text), Err(why), "{text}");
    }

    #[test]
    fn exact_values() {
        check("0.1", "0.1"); // exactly one tenth, not 0.1000000000000000055…
        check("+0.1", "0.1");
        check("-2.50", "-2.5");
        check("1e6", "1000000");
        check("1.5E-3", "0.0015");
        check("1_000_000.000_1", "1000000.0001");
        check("9.7e-7", "0.00000097");
        check("7e25", "70000000000000000000000000");
        check("0e99999999", "0");
        check("000123", "123");
        check("1000e-3", "1");
        // 28 decimal places is the most a decimal holds
        check(
            "0.0000000000000000000000000001",
            "0.0000000000000000000000000001",
        );
        // 2^96 − 1 itself
        check(
            "79228162514264337593543950335",
            "79228162514264337593543950335",
        );
        // trailing zeros are dropped before the limits apply
        check("1.50000000000000000000000000000000", "1.5");
    }

    #[test]
    fn refused_literals() {
        fails("nan", LiteralError::NotFinite);
        fails("-inf", LiteralError::NotFinite);
        fails("1e40", LiteralError::TooLarge);
        fails("79228162514264337593543950336", LiteralError::TooLarge);
        fails(
            "0.00000000000000000000000000001",
            LiteralError::TooManyDecimals,
        );
        fails("1e-29", LiteralError::TooManyDecimals);
        // 28 places, but the mantissa is 2^96: within range, not exact
        fails(
            "7.9228162514264337593543950336",
            LiteralError::TooManyDigits,
        );
        fails("abc", LiteralError::NotANumber);
        fails("", LiteralError::NotANumber);
        fails("1.2.3", LiteralError::NotANumber);
        fails(".5", LiteralError::NotANumber);
        fails("1e", LiteralError::NotANumber);
        fails("1e99999999999", LiteralError::TooLarge);
    }
}
