//! Exact decimal arithmetic that cannot panic.
//!
//! docs/model.md ("Precision and output") asks for exact decimals end to end and
//! for overflow to be an error, never a panic. `rust_decimal`'s operators
//! panic on overflow, so every formula in this crate goes through the
//! [`Checked`] methods here, which return `Result<Decimal, Overflow>` and let
//! `?` carry an overflow up to the scenario that caused it.
//!
//! A result that is too *small* for the type is not an error: rust_decimal
//! rounds it to 28 decimal places, so it quietly becomes 0, which is what
//! docs/model.md wants for, say, a discount factor after 50 years at 999 %.
//!
//! Fractional powers (`(1 + g)^(i/12)`) are computed as one 12th root by
//! Newton's method, then whole powers of it. [`Growth`] keeps those powers as
//! numbers ≥ 1 and divides where the factor shrinks, so a factor of 1e-15
//! keeps all its significant digits instead of the dozen that 28 decimal
//! places would leave it.

use rust_decimal::Decimal;
use std::fmt;

/// A value left the range of the decimal type (about ±7.9 × 10^28), or a
/// division by zero that only an overflowing (or vanished) operand can cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value exceeds the decimal range (about ±7.9e28)")
    }
}

impl std::error::Error for Overflow {}

/// Checked arithmetic with readable names: `a.times(b)?` instead of
/// `a.checked_mul(b).ok_or(Overflow)?`.
pub trait Checked: Sized {
    fn plus(self, other: Decimal) -> Result<Decimal, Overflow>;
    fn minus(self, other: Decimal) -> Result<Decimal, Overflow>;
    fn times(self, other: Decimal) -> Result<Decimal, Overflow>;
    /// Division; dividing by zero is reported as [`Overflow`] (the operand
    /// was a value that shrank below the decimal range).
    fn over(self, other: Decimal) -> Result<Decimal, Overflow>;
}

impl Checked for Decimal {
    #[inline]
    fn plus(self, other: Decimal) -> Result<Decimal, Overflow> {
        self.checked_add(other).ok_or(Overflow)
    }
    #[inline]
    fn minus(self, other: Decimal) -> Result<Decimal, Overflow> {
        self.checked_sub(other).ok_or(Overflow)
    }
    #[inline]
    fn times(self, other: Decimal) -> Result<Decimal, Overflow> {
        self.checked_mul(other).ok_or(Overflow)
    }
    #[inline]
    fn over(self, other: Decimal) -> Result<Decimal, Overflow> {
        self.checked_div(other).ok_or(Overflow)
    }
}

/// Sum of decimals, failing on overflow.
pub fn sum<I: IntoIterator<Item = Decimal>>(items: I) -> Result<Decimal, Overflow> {
    items.into_iter().try_fold(Decimal::ZERO, Checked::plus)
}

/// `x^n` for a whole `n`, by repeated squaring; an overflow is an error.
pub fn powi(x: Decimal, mut n: u64) -> Result<Decimal, Overflow> {
    let mut base = x;
    let mut acc = Decimal::ONE;
    while n > 0 {
        if n & 1 == 1 {
            acc = acc.times(base)?;
        }
        n >>= 1;
        if n > 0 {
            base = base.times(base)?;
        }
    }
    Ok(acc)
}

/// The positive `n`-th root of `a > 0`, to the precision of the decimal type
/// (about 1e-27 relative).
///
/// Newton's method on `x^n − a`, started from Bernoulli's bound
/// `1 + (a − 1)/n`, which is never below the root; from above, Newton's
/// iterates decrease monotonically to it. Where `x^(n−1)` would overflow,
/// `x` is far above the root and the Newton step is `x·(n − 1)/n` to many
/// digits, so that step is taken directly.
pub fn nth_root(a: Decimal, n: u32) -> Result<Decimal, Overflow> {
    debug_assert!(n >= 1);
    if a <= Decimal::ZERO {
        // Callers only pass growth factors 1 + g with g > −1 (validated);
        // a non-positive base has no real root we could use.
        return Err(Overflow);
    }
    if n == 1 || a == Decimal::ONE {
        return Ok(a);
    }
    let nd = Decimal::from(n);
    let shrink = Decimal::from(n - 1).over(nd)?;
    let mut x = Decimal::ONE.plus(a.minus(Decimal::ONE)?.over(nd)?)?;
    for _ in 0..2000 {
        let next = match powi(x, u64::from(n - 1)) {
            Ok(p) => {
                // x − (x^n − a) / (n·x^(n−1)) = x − x/n + a/(n·x^(n−1))
                let step = x.minus(a.over(p)?)?.over(nd)?;
                x.minus(step)?
            }
            Err(Overflow) => x.times(shrink)?,
        };
        if next >= x {
            break;
        }
        x = next;
    }
    Ok(x)
}

/// As [`nth_root`], started from `guess` (say, an `f64` estimate): from a
/// guess good to 1e-16, Newton's method needs two steps to reach the
/// decimal type's precision. Falls back to [`nth_root`] if it has not
/// settled after a few.
pub fn nth_root_near(a: Decimal, n: u32, guess: Decimal) -> Result<Decimal, Overflow> {
    if n <= 1 || a <= Decimal::ZERO || guess <= Decimal::ZERO {
        return nth_root(a, n);
    }
    let nd = Decimal::from(n);
    let mut x = guess;
    for _ in 0..6 {
        let step = x.minus(a.over(powi(x, u64::from(n - 1))?)?)?.over(nd)?;
        let next = x.minus(step)?;
        // Settled when the step is lost in the last digit.
        if (next - x).abs() <= x * Decimal::new(1, 27) {
            return Ok(next);
        }
        x = next;
    }
    nth_root(a, n)
}

/// `x` as an `f64`, within a few units in the last place: for bounds and
/// screening only (a sweep's check that a point stays far inside the
/// decimal range, or which side of a threshold a price is on when it is
/// not close), never for a figure. Cheaper than `ToPrimitive::to_f64`:
/// one conversion and one division by a power of 10.
pub fn approx(x: Decimal) -> f64 {
    const POW10: [f64; 29] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
    ];
    x.mantissa() as f64 / POW10[x.scale().min(28) as usize]
}

/// Powers `f^i` of a growth factor, for i = 0 … n−1.
///
/// Stored as powers of `max(f, 1/f)`, which are ≥ 1 and so carry all 28
/// significant digits; [`Growth::scale`] multiplies by them where `f ≥ 1`
/// and divides where `f < 1`. A power beyond the decimal range is kept as
/// "infinite": dividing by it gives 0 (the quantity shrank below the range),
/// multiplying by it is an overflow.
#[derive(Debug, Clone)]
pub struct Growth {
    shrinking: bool,
    powers: Vec<Option<Decimal>>,
}

impl Growth {
    /// `(annual)^(i/12)` for i = 0 … n−1: monthly compounding of an annual
    /// factor (docs/model.md, "Bitcoin network": `(1 + g)^(i/12)`), as one 12th root then multiplied.
    pub fn monthly(annual: Decimal, n: usize) -> Result<Growth, Overflow> {
        Growth::with_root(annual, 12, n)
    }

    /// `(annual)^i` for i = 0 … n−1: whole years (a lease escalator).
    pub fn yearly(annual: Decimal, n: usize) -> Result<Growth, Overflow> {
        Growth::with_root(annual, 1, n)
    }

    /// Powers of `annual^(1/root)`, stepping by the ≥ 1 side of the factor.
    fn with_root(annual: Decimal, root: u32, n: usize) -> Result<Growth, Overflow> {
        let shrinking = annual < Decimal::ONE;
        let up = if shrinking {
            Decimal::ONE.over(annual)?
        } else {
            annual
        };
        Ok(Growth::from_step(nth_root(up, root)?, shrinking, n))
    }

    fn from_step(step: Decimal, shrinking: bool, n: usize) -> Growth {
        let mut powers = Vec::with_capacity(n);
        let mut current = Some(Decimal::ONE);
        for _ in 0..n {
            powers.push(current);
            current = current.and_then(|p| p.checked_mul(step));
        }
        Growth { shrinking, powers }
    }

    /// `x · f^i`.
    pub fn scale(&self, x: Decimal, i: usize) -> Result<Decimal, Overflow> {
        self.apply(x, i, !self.shrinking)
    }

    /// `x / f^i`.
    pub fn unscale(&self, x: Decimal, i: usize) -> Result<Decimal, Overflow> {
        self.apply(x, i, self.shrinking)
    }

    /// `f^i` as an `f64` (see [`approx`]: bounds and screening only);
    /// `None` where a growing factor's power is beyond the decimal range
    /// (multiplying by it is an overflow).
    pub fn approx(&self, i: usize) -> Option<f64> {
        match (self.powers.get(i).copied().flatten(), self.shrinking) {
            (Some(p), false) => Some(approx(p)),
            (Some(p), true) => Some(1.0 / approx(p)),
            (None, false) => None,
            (None, true) => Some(0.0),
        }
    }

    fn apply(&self, x: Decimal, i: usize, multiply: bool) -> Result<Decimal, Overflow> {
        match (self.powers.get(i).copied().flatten(), multiply) {
            (Some(p), true) => x.times(p),
            (Some(p), false) => x.over(p),
            (None, _) if x.is_zero() => Ok(Decimal::ZERO),
            (None, true) => Err(Overflow),
            (None, false) => Ok(Decimal::ZERO),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// |got − want| ≤ 1e-20 · |want|.
    #[track_caller]
    fn close(got: Decimal, want: &str) {
        let want = d(want);
        let err = (got - want).abs();
        let tol = want.abs() * d("1e-20");
        assert!(err <= tol, "got {got}, want {want} (error {err})");
    }

    // Reference values computed with Python's decimal module at 50 digits:
    //   getcontext().prec = 50; Decimal(x) ** (Decimal(i) / 12)
    // and quoted here to 30 significant digits.
    #[test]
    fn twelfth_roots_match_30_digit_references() {
        // 1.1^(1/12)
        close(
            nth_root(d("1.1"), 12).unwrap(),
            "1.00797414042890374106603184422",
        );
        // 0.5^(1/12) = 2^(-1/12), the equal-tempered semitone ratio inverted
        close(
            nth_root(d("0.5"), 12).unwrap(),
            "0.943874312681693496641913156668",
        );
        // 101^(1/12): growth of 100× a year
        close(
            nth_root(d("101"), 12).unwrap(),
            "1.46901686305877153898708404662",
        );
        // 10.99^(1/12): discount rate 9.99
        close(
            nth_root(d("10.99"), 12).unwrap(),
            "1.22109599745785721791281887176",
        );
        // 0.01^(1/12): IRR search at r = −0.99
        close(
            nth_root(d("0.01"), 12).unwrap(),
            "0.681292069057961285497988179630",
        );
        // 1e20^(1/12): far from the Bernoulli start, exercises the overflow step
        close(
            nth_root(d("1e20"), 12).unwrap(),
            "46.4158883361277889241007635092",
        );
    }

    #[test]
    fn seeded_roots_agree_with_unseeded() {
        // From an f64-quality guess, the same root to 1e-20 relative.
        close(
            nth_root_near(d("1.1"), 12, d("1.0079741404289")).unwrap(),
            "1.00797414042890374106603184422",
        );
        close(
            nth_root_near(d("0.01"), 12, d("0.68129206905796")).unwrap(),
            "0.681292069057961285497988179630",
        );
        // A poor guess still gets there.
        close(
            nth_root_near(d("101"), 12, d("3")).unwrap(),
            "1.46901686305877153898708404662",
        );
    }

    #[test]
    fn growth_powers_match_30_digit_references() {
        // 1.1^(599/12), the last month of a 600-month horizon
        let g = Growth::monthly(d("1.1"), 600).unwrap();
        close(
            g.scale(Decimal::ONE, 599).unwrap(),
            "116.462167203758081829675644012",
        );
        // 0.7^(599/12): a GPU-hour price falling 30 % a year for 50 years
        let g = Growth::monthly(d("0.7"), 600).unwrap();
        close(
            g.scale(Decimal::ONE, 599).unwrap(),
            "0.0000000185272301889707773467954706592",
        );
        // 1.1^(-37/12): a discount factor
        let g = Growth::monthly(d("1.1"), 600).unwrap();
        close(
            g.unscale(Decimal::ONE, 37).unwrap(),
            "0.745371107022532646321064805461",
        );
    }

    #[test]
    fn growth_beyond_range_vanishes_or_overflows() {
        // 10.99^(600/12) = 10.99^50 ≈ 1.1e52: a discount factor past the
        // range is 0 (docs/model.md, "Precision and output"), multiplying by it is an overflow.
        let g = Growth::monthly(d("10.99"), 601).unwrap();
        assert_eq!(g.unscale(d("1000000"), 600), Ok(Decimal::ZERO));
        assert_eq!(g.scale(d("1"), 600), Err(Overflow));
        assert_eq!(g.scale(Decimal::ZERO, 600), Ok(Decimal::ZERO));
    }

    #[test]
    fn yearly_growth_is_whole_powers() {
        // 1.03^2 = 1.0609 exactly; 0.5^3 = 0.125 exactly
        let g = Growth::yearly(d("1.03"), 5).unwrap();
        assert_eq!(g.scale(d("100"), 2).unwrap(), d("106.09"));
        let g = Growth::yearly(d("0.5"), 5).unwrap();
        assert_eq!(g.scale(d("1"), 3).unwrap(), d("0.125"));
    }

    #[test]
    fn approximations_are_close() {
        for x in [
            "0",
            "1",
            "-2.5",
            "95000",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-1234567.8901234567890123456789",
        ] {
            let want: f64 = x.parse().unwrap();
            let got = approx(d(x));
            assert!((got - want).abs() <= want.abs() * 1e-15, "{x}: {got}");
        }
        // 1.1^(37/12) and its inverse; a power beyond the range.
        let g = Growth::monthly(d("1.1"), 601).unwrap();
        let want = 1.1f64.powf(37.0 / 12.0);
        assert!((g.approx(37).unwrap() / want - 1.0).abs() < 1e-14);
        let g = Growth::monthly(d("0.5"), 40).unwrap();
        assert!((g.approx(37).unwrap() / 0.5f64.powf(37.0 / 12.0) - 1.0).abs() < 1e-14);
        let g = Growth::monthly(d("10.99"), 601).unwrap();
        assert_eq!(g.approx(600), None);
    }

    #[test]
    fn powi_and_checked_ops() {
        assert_eq!(powi(d("1.5"), 3).unwrap(), d("3.375"));
        assert_eq!(powi(d("7"), 0).unwrap(), Decimal::ONE);
        assert_eq!(powi(d("1e10"), 3), Err(Overflow));
        assert_eq!(Decimal::MAX.plus(Decimal::ONE), Err(Overflow));
        assert_eq!(Decimal::ONE.over(Decimal::ZERO), Err(Overflow));
        // 1e-20 · 1e-20 is below the range: it becomes 0, not an error
        assert_eq!(d("1e-20").times(d("1e-20")), Ok(Decimal::ZERO));
    }
}
