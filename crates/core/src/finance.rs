//! Finance on a stream of monthly cash flows (docs/model.md, "Finance").
//!
//! Every cash flow of month `i` happens at the end of that month, so it is
//! discounted by `(1 + r)^((i + 1)/12)`. NPV is linear in the month-0 BTC
//! price and in the AI rate; [`Line`] keeps the two parts of such an NPV
//! apart so breakeven and crossover prices are exact solutions, not
//! searches. IRR is a search: located quickly in `f64`, then confirmed (or,
//! failing that, found) in exact decimals by the sign of the NPV.

use crate::exact::{Checked, Growth, Overflow, nth_root_near};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use std::cmp::Ordering;

/// Discount factors `1 / (1 + r)^((i+1)/12)` for month indices 0 … months−1.
///
/// Each factor is computed once per scenario (one division by the power,
/// kept ≥ 1 by [`Growth`]), so an NPV is a sum of products. A factor
/// beyond the decimal range's precision becomes 0 (docs/model.md, "Precision and output").
#[derive(Debug, Clone, PartialEq)]
pub struct Discount {
    factors: Vec<Decimal>,
}

impl Discount {
    pub fn new(annual_rate: Decimal, months: usize) -> Result<Discount, Overflow> {
        let growth = Growth::monthly(Decimal::ONE.plus(annual_rate)?, months + 1)?;
        let factors = (1..=months)
            .map(|t| growth.unscale(Decimal::ONE, t))
            .collect::<Result<_, _>>()?;
        Ok(Discount { factors })
    }

    /// The factor of month `i`, `1 / (1 + r)^((i+1)/12)` (0 beyond the
    /// horizon or the decimal range's precision).
    pub fn factor(&self, i: usize) -> Decimal {
        self.factors.get(i).copied().unwrap_or_default()
    }

    /// Present value of `amount` paid at the end of month `i`.
    pub fn present_value(&self, amount: Decimal, i: usize) -> Result<Decimal, Overflow> {
        if amount.is_zero() {
            return Ok(Decimal::ZERO);
        }
        amount.times(self.factors.get(i).copied().unwrap_or_default())
    }

    /// `Σ amounts_i / (1 + r)^((i+1)/12)`.
    pub fn npv<I: IntoIterator<Item = Decimal>>(&self, amounts: I) -> Result<Decimal, Overflow> {
        amounts
            .into_iter()
            .enumerate()
            .try_fold(Decimal::ZERO, |acc, (i, a)| {
                acc.plus(self.present_value(a, i)?)
            })
    }
}

/// MIRR (docs/model.md, "Cash flow and finance in format 2"): with `PV−` and
/// `PV+` the present values of the negative and of the positive flows,
/// `(1 + r) · (PV+ / −PV−)^(12/n) − 1` (n = months). `None` when no flow
/// is negative or none is positive, when `PV−` underflows to 0 (every
/// negative flow beyond the decimal range's precision), and when it would
/// exceed 10^6 (a vanishing outlay, not a return). Positive flows whose
/// `PV+` underflows give −1.
pub fn mirr(
    cash_flows: &[Decimal],
    annual_rate: Decimal,
    discount: &Discount,
) -> Result<Option<Decimal>, Overflow> {
    if !mirr_defined(cash_flows) {
        return Ok(None);
    }
    let present_values = cash_flows
        .iter()
        .enumerate()
        .map(|(i, c)| discount.present_value(*c, i))
        .collect::<Result<Vec<_>, _>>()?;
    mirr_with(cash_flows, &present_values, annual_rate)
}

/// Some flow is negative and some positive.
fn mirr_defined(cash_flows: &[Decimal]) -> bool {
    !cash_flows.is_empty()
        && cash_flows
            .iter()
            .any(|c| c.is_sign_negative() && !c.is_zero())
        && cash_flows
            .iter()
            .any(|c| c.is_sign_positive() && !c.is_zero())
}

/// [`mirr`], given each flow's present value (`Discount::present_value`
/// of flow `i` at month `i`), where the caller already has them.
pub fn mirr_with(
    cash_flows: &[Decimal],
    present_values: &[Decimal],
    annual_rate: Decimal,
) -> Result<Option<Decimal>, Overflow> {
    let n = cash_flows.len();
    if !mirr_defined(cash_flows) {
        return Ok(None);
    }
    let (mut pv_neg, mut pv_pos) = (Decimal::ZERO, Decimal::ZERO);
    for (c, pv) in cash_flows.iter().zip(present_values) {
        let pv = *pv;
        if *c < Decimal::ZERO {
            pv_neg = pv_neg.plus(pv)?;
        } else {
            pv_pos = pv_pos.plus(pv)?;
        }
    }
    if pv_neg.is_zero() {
        return Ok(None);
    }
    let limit = Decimal::from(1_000_000);
    let ratio = pv_pos.over(Decimal::ZERO.minus(pv_neg)?)?;
    let grown = if ratio.is_zero() {
        Decimal::ZERO
    } else if 12 % n == 0 {
        // A whole power: exact.
        match crate::exact::powi(ratio, (12 / n) as u64)
            .and_then(|p| p.times(Decimal::ONE.plus(annual_rate)?))
        {
            Ok(v) => v,
            Err(Overflow) => return Ok(None),
        }
    } else {
        // ratio^(12/n) as (ratio^(1/n))^12, the root from an f64 guess.
        let guess = ratio
            .to_f64()
            .map(|x| x.powf(1.0 / n as f64))
            .and_then(Decimal::from_f64)
            .unwrap_or(Decimal::ONE);
        let root = nth_root_near(ratio, n as u32, guess)?;
        match crate::exact::powi(root, 12).and_then(|p| p.times(Decimal::ONE.plus(annual_rate)?)) {
            Ok(v) => v,
            // Far beyond 10^6.
            Err(Overflow) => return Ok(None),
        }
    };
    let m = grown.minus(Decimal::ONE)?;
    Ok(Some(m).filter(|m| *m <= limit))
}

/// An NPV as a line in one input `x`: `npv(x) = slope · x + intercept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub slope: Decimal,
    pub intercept: Decimal,
}

impl Line {
    /// The `x` at which the NPV is 0; `None` when it does not depend on `x`.
    pub fn zero(&self) -> Result<Option<Decimal>, Overflow> {
        if self.slope.is_zero() {
            return Ok(None);
        }
        Ok(Some(Decimal::ZERO.minus(self.intercept.over(self.slope)?)?))
    }

    /// The `x` at which two NPV lines meet; `None` when they are parallel.
    pub fn meets(&self, other: &Line) -> Result<Option<Decimal>, Overflow> {
        let slope = self.slope.minus(other.slope)?;
        if slope.is_zero() {
            return Ok(None);
        }
        Ok(Some(other.intercept.minus(self.intercept)?.over(slope)?))
    }

    /// As [`meets`](Self::meets), keeping only an `x` above 0 (the
    /// crossover BTC price, docs/model.md, "Finance"). A meeting point
    /// beyond the decimal range is an overflow only when it is positive: a
    /// negative one is null whatever its size.
    pub fn meets_above_zero(&self, other: &Line) -> Result<Option<Decimal>, Overflow> {
        let slope = self.slope.minus(other.slope)?;
        let rise = other.intercept.minus(self.intercept)?;
        if slope.is_zero() || rise.is_zero() || rise.is_sign_negative() != slope.is_sign_negative()
        {
            return Ok(None);
        }
        Ok(Some(rise.over(slope)?).filter(|x| *x > Decimal::ZERO))
    }
}

/// Payback in months: with `C_n = Σ_{i<n} CF_i`, the smallest `n` such that
/// every `C_k ≥ 0` for `k ≥ n`; 0 when no `C` is negative; `None` when the
/// horizon ends below zero.
pub fn payback_months(cash_flows: &[Decimal]) -> Result<Option<u32>, Overflow> {
    let mut cumulative = Vec::with_capacity(cash_flows.len());
    let mut c = Decimal::ZERO;
    for cf in cash_flows {
        c = c.plus(*cf)?;
        cumulative.push(c);
    }
    Ok(payback_from_cumulative(&cumulative))
}

/// [`payback_months`] from the cumulative cash `C_1 … C_n` (`C_k` the sum
/// of the first `k` flows), where the caller already has it.
///
/// A cumulative within `10^-20` of the largest `|C_k|` below zero counts as
/// zero: it is what 28 significant digits leave of an exact zero (a
/// conversion capex of 20,000,000 spread over 12 months, 1,666,666.66…67
/// each, repaid by a 20,000,000 fleet sale sums to −4e-21, not 0), and no
/// real cash position is that small beside the flows that made it.
pub fn payback_from_cumulative(cumulative: &[Decimal]) -> Option<u32> {
    let largest = cumulative.iter().map(|c| c.abs()).max().unwrap_or_default();
    let floor = -(largest * Decimal::new(1, 20));
    // C_0 = 0 is never negative.
    let at = |k: usize| {
        if k == 0 {
            Decimal::ZERO
        } else {
            cumulative[k - 1]
        }
    };
    let total = at(cumulative.len());
    if total < floor {
        return None;
    }
    let mut n = cumulative.len();
    while n > 0 && at(n - 1) >= floor {
        n -= 1;
    }
    Some(n as u32)
}

/// The IRR search interval (docs/model.md, "Finance"): annual rates −0.99 … 100.
fn irr_bounds() -> (Decimal, Decimal) {
    (Decimal::new(-99, 2), Decimal::from(100))
}

/// Width at which a bracketed root is close enough: its midpoint is then
/// within 5e-10 of a root, inside the 1e-9 of docs/model.md, "Finance".
fn irr_tolerance() -> Decimal {
    Decimal::new(1, 9)
}

/// Why a stream of cash flows has no IRR (docs/model.md, "Finance").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoIrr {
    /// Every cash flow is 0.
    NoCashFlow,
    /// The first non-zero cash flow is positive: nothing was invested, so
    /// a rate at which the NPV is 0 would not be a return. (Mining with no
    /// upfront spend that earns first and loses later: its "IRR" is where
    /// the NPV *rises* with the rate, the opposite of what a reader takes
    /// an IRR for.)
    NoInvestment,
    /// An investment that never comes back: every non-zero flow is
    /// negative.
    NeverPaid,
    /// The NPV is negative at −99 % and at 10,000 % a year: no discount
    /// rate in the interval makes the project break even (an investment
    /// whose later flows turn negative and outweigh what it returned).
    NeverBreaksEven,
    /// The NPV is positive at both ends: the return is above 10,000 % a
    /// year.
    AboveRange,
    /// The NPV has one sign at both ends but the other somewhere between:
    /// two (or more) rates zero it, and none is *the* return (an
    /// investment that pays back, then loses again).
    SeveralRoots,
}

impl NoIrr {
    /// The cheap reasons, decided from the signs of the flows alone;
    /// `None` when a search is needed (and may still find no root:
    /// [`NoIrr::NeverBreaksEven`], [`NoIrr::AboveRange`]).
    pub fn before_search(cash_flows: &[Decimal]) -> Option<NoIrr> {
        let mut non_zero = cash_flows.iter().filter(|c| !c.is_zero());
        match non_zero.next() {
            None => Some(NoIrr::NoCashFlow),
            Some(first) if first.is_sign_positive() => Some(NoIrr::NoInvestment),
            Some(_) if non_zero.all(|c| c.is_sign_negative()) => Some(NoIrr::NeverPaid),
            Some(_) => None,
        }
    }

    /// Why `cash_flows`, whose [`irr`] is `None`, have no IRR.
    pub fn of(cash_flows: &[Decimal]) -> NoIrr {
        NoIrr::before_search(cash_flows).unwrap_or_else(|| {
            // The NPV has one sign at both ends of the interval (irr()
            // found no change between them): the sign at one end, and
            // whether it differs anywhere inside, tell which case this is.
            let above = matches!(npv_sign(cash_flows, irr_bounds().0), Ok(Ordering::Greater));
            let flows: Option<Vec<f64>> = cash_flows.iter().map(|c| c.to_f64()).collect();
            match flows {
                Some(f) if sign_inside_differs(&f, above) => NoIrr::SeveralRoots,
                _ if above => NoIrr::AboveRange,
                _ => NoIrr::NeverBreaksEven,
            }
        })
    }

    /// A few words for a reader, after a dash: "— no investment to earn
    /// on".
    pub fn reason(self) -> &'static str {
        match self {
            NoIrr::NoCashFlow => "no cash flows",
            NoIrr::NoInvestment => "earns before it invests",
            NoIrr::NeverPaid => "never paid back",
            NoIrr::NeverBreaksEven => "no rate breaks even",
            NoIrr::AboveRange => "above 10,000 %",
            NoIrr::SeveralRoots => "several IRRs",
        }
    }
}

/// The annual rate at which the NPV of `cash_flows` is 0, or `None` (see
/// [`NoIrr`] for why): no non-zero cash flow, a positive first one
/// (nothing invested), no change of sign, or the same sign of the NPV at
/// both ends of the search interval. With several roots, any one.
pub fn irr(cash_flows: &[Decimal]) -> Result<Option<Decimal>, Overflow> {
    if NoIrr::before_search(cash_flows).is_some() {
        return Ok(None);
    }
    let (lo, hi) = irr_bounds();
    let flows: Option<Vec<f64>> = cash_flows.iter().map(|c| c.to_f64()).collect();
    // The signs at the ends: from f64 where its margin makes them certain,
    // else exactly.
    let end_sign = |r: Decimal| match flows.as_deref().and_then(|f| certain_sign(f, r)) {
        Some(sign) => Ok(sign),
        None => npv_sign(cash_flows, r),
    };
    let sign_lo = end_sign(lo)?;
    let sign_hi = end_sign(hi)?;
    if sign_lo == Ordering::Equal {
        return Ok(Some(lo));
    }
    if sign_hi == Ordering::Equal {
        return Ok(Some(hi));
    }
    if sign_lo == sign_hi {
        return Ok(None);
    }

    // Locate cheaply in f64, then prove in decimals that the NPV changes
    // sign within ±5e-10 of the candidate.
    if let Some(candidate) = flows
        .as_deref()
        .and_then(locate_in_f64)
        .and_then(Decimal::from_f64)
        .map(|r| r.round_dp(12))
    {
        let half = irr_tolerance() / Decimal::TWO;
        let a = (candidate - half).max(lo);
        let b = (candidate + half).min(hi);
        // The signs on either side, from f64 where its rounding cannot
        // have flipped them (almost always), else exactly.
        let confirm = |r: Decimal| match flows.as_deref().and_then(|f| sign_beyond_rounding(f, r)) {
            Some(sign) => Ok(sign),
            None => npv_sign(cash_flows, r),
        };
        let sa = confirm(a)?;
        let sb = confirm(b)?;
        if sa == Ordering::Equal {
            return Ok(Some(a));
        }
        if sb == Ordering::Equal {
            return Ok(Some(b));
        }
        if sa != sb {
            return Ok(Some(candidate));
        }
    }

    // Exact bisection: keep NPV(a) of sign_lo and NPV(b) of the other sign.
    let (mut a, mut b) = (lo, hi);
    while b - a > irr_tolerance() {
        let mid = (a + b) / Decimal::TWO;
        match npv_sign(cash_flows, mid)? {
            Ordering::Equal => return Ok(Some(mid)),
            s if s == sign_lo => a = mid,
            _ => b = mid,
        }
    }
    Ok(Some((a + b) / Decimal::TWO))
}

/// The sign of the NPV at annual rate `r`, computed so that no factor
/// exceeds 1 (docs/model.md, "Finance": `(1 + r)^(t/12)` overflows at r = 100 over 600
/// months, and `(1 + r)^(−t/12)` at r = −0.99):
/// - `r ≥ 0`: `Σ CF_i v^i` with `v = (1+r)^(−1/12)` (the NPV over `v`);
/// - `r < 0`: `Σ CF_i w^(T−1−i)` with `w = (1+r)^(1/12)` (the NPV times
///   `(1+r)^(T/12)`).
///
/// Both are positive multiples of the NPV, evaluated by Horner's rule.
pub fn npv_sign(cash_flows: &[Decimal], r: Decimal) -> Result<Ordering, Overflow> {
    let base = Decimal::ONE.plus(r)?;
    // The 12th root, from an f64 estimate refined in decimals.
    let guess = base
        .to_f64()
        .map(|b| b.powf(1.0 / 12.0))
        .and_then(Decimal::from_f64)
        .unwrap_or(Decimal::ONE);
    let root = nth_root_near(base, 12, guess)?;
    let mut s = Decimal::ZERO;
    if base >= Decimal::ONE {
        let v = Decimal::ONE.over(root)?;
        for cf in cash_flows.iter().rev() {
            s = s.times(v)?.plus(*cf)?;
        }
    } else {
        for cf in cash_flows {
            s = s.times(root)?.plus(*cf)?;
        }
    }
    Ok(s.cmp(&Decimal::ZERO))
}

/// [`npv_sign`]'s scaled NPV in `f64`.
fn scaled_npv_f64(flows: &[f64], r: f64) -> f64 {
    let base = 1.0 + r;
    let mut s = 0.0;
    if base >= 1.0 {
        let v = base.powf(-1.0 / 12.0);
        for cf in flows.iter().rev() {
            s = s * v + cf;
        }
    } else {
        let w = base.powf(1.0 / 12.0);
        for cf in flows {
            s = s * w + cf;
        }
    }
    s
}

/// The sign of the NPV at `r` when the `f64` evaluation leaves no doubt:
/// with every factor ≤ 1, Horner's rounding error is below
/// `2·n·2^−53·Σ|CF|` (about 1.3e-13·Σ|CF| for 600 months), so a value
/// beyond 1e-9·Σ|CF| has the sign of the exact one.
fn certain_sign(flows: &[f64], r: Decimal) -> Option<Ordering> {
    let s = scaled_npv_f64(flows, r.to_f64()?);
    let magnitude: f64 = flows.iter().map(|c| c.abs()).sum();
    if !s.is_finite() || !magnitude.is_finite() || s.abs() <= 1e-9 * magnitude {
        return None;
    }
    Some(if s > 0.0 {
        Ordering::Greater
    } else {
        Ordering::Less
    })
}

/// Whether the NPV is, beyond doubt, of the other sign than `above` at
/// some rate inside the IRR interval: 400 rates with 1 + r spaced evenly
/// on a log scale from 0.01 to 101. A label only (why an IRR is null),
/// never a figure, so `f64` locating is enough.
fn sign_inside_differs(flows: &[f64], above: bool) -> bool {
    let magnitude: f64 = flows.iter().map(|c| c.abs()).sum();
    (1..400).any(|k| {
        let base = 0.01 * 10_100_f64.powf(f64::from(k) / 400.0);
        let s = scaled_npv_f64(flows, base - 1.0);
        s.is_finite() && s.abs() > 1e-9 * magnitude && (s > 0.0) != above
    })
}

/// As [`certain_sign`], with the margin at the rounding bound itself
/// rather than far above it, for the points either side of an IRR (where
/// the NPV is small by construction). The `f64` scaled NPV differs from
/// the exact one by less than about `4·n·2^−53·Σ|CF|`: Horner's rule with
/// factors ≤ 1 (`2·n·2^−53·Σ|CF|`), the factor's own error compounded
/// over `n` months (`n·2^−53·Σ|CF|`), the flows and the rate read into
/// `f64` (`2^−53·Σ|CF|` and, through the NPV's slope in the rate, far less
/// again). A value beyond 256 times that bound has the sign of the exact
/// NPV, and so of [`npv_sign`]'s, whose own rounding is near 1e-27
/// relative.
fn sign_beyond_rounding(flows: &[f64], r: Decimal) -> Option<Ordering> {
    let s = scaled_npv_f64(flows, r.to_f64()?);
    let magnitude: f64 = flows.iter().map(|c| c.abs()).sum();
    let bound = 256.0 * (flows.len() as f64 + 1.0) * f64::EPSILON / 2.0 * magnitude;
    if !s.is_finite() || !bound.is_finite() || s.abs() <= bound {
        return None;
    }
    Some(if s > 0.0 {
        Ordering::Greater
    } else {
        Ordering::Less
    })
}

/// A candidate IRR by bisection in `f64`, on the same scaled NPV as
/// [`npv_sign`]. Only a starting point: the caller confirms it in
/// decimals, so no float ever reaches a printed figure unchecked.
fn locate_in_f64(flows: &[f64]) -> Option<f64> {
    let (mut a, mut b) = (-0.99_f64, 100.0_f64);
    let sign_a = scaled_npv_f64(flows, a);
    if sign_a == 0.0 || sign_a.signum() == scaled_npv_f64(flows, b).signum() {
        return None;
    }
    for _ in 0..200 {
        let mid = 0.5 * (a + b);
        if mid <= a || mid >= b {
            break;
        }
        let s = scaled_npv_f64(flows, mid);
        if s == 0.0 {
            return Some(mid);
        }
        if s.signum() == sign_a.signum() {
            a = mid;
        } else {
            b = mid;
        }
    }
    Some(0.5 * (a + b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn flows(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| d(s)).collect()
    }

    #[track_caller]
    fn payback(cfs: &[&str], want: Option<u32>) {
        assert_eq!(payback_months(&flows(cfs)).unwrap(), want);
    }

    #[test]
    fn payback_cases() {
        // Never negative: C = 0, 5, 10 → 0.
        payback(&["5", "5"], Some(0));
        // Never recovers: C = 0, −10, −5 → null.
        payback(&["-10", "5"], None);
        // Recovers at n = 2: C = 0, −10, 0, 5; C_2 = 0 counts as recovered.
        payback(&["-10", "10", "5"], Some(2));
        // Dips and recovers: C = 0, −10, 5, −1, 4 → C_3 < 0, so n = 4.
        payback(&["-10", "15", "-6", "5"], Some(4));
        // Positive first, negative later, ends positive: C = 0, 5, −1, 2 → 3.
        payback(&["5", "-6", "3"], Some(3));
        // Ends exactly at zero: C = 0, −3, 0 → 2.
        payback(&["-3", "3"], Some(2));
    }

    /// 20,000,000 of capex over 12 months is 1,666,666.666…667 a month at
    /// 28 digits; twelve of them overshoot 20,000,000 by 4e-21, so a
    /// 20,000,000 fleet sale in month 12 leaves C_13 = −4e-21: what is
    /// left of an exact 0, which pays back (n = 13), while a real
    /// shortfall of a cent does not.
    #[test]
    fn what_rounding_leaves_of_a_zero_pays_back() {
        let month = Decimal::from(20_000_000) / Decimal::from(12);
        let mut cfs = vec![-month; 12];
        cfs.push(Decimal::from(20_000_000));
        let cumulative: Decimal = cfs.iter().sum();
        assert!(cumulative < Decimal::ZERO && cumulative > d("-0.00000000000000000001"));
        assert_eq!(payback_months(&cfs).unwrap(), Some(13));
        cfs.push(d("-0.01"));
        assert_eq!(payback_months(&cfs).unwrap(), None);
    }

    #[test]
    fn npv_discounts_end_of_month() {
        // 12 monthly flows at 10 %: the last is discounted by exactly 1.1.
        // −110 at month 11 → −100; +121 at month 23 → 121 / 1.21 = 100.
        let disc = Discount::new(d("0.10"), 24).unwrap();
        let mut cfs = vec![Decimal::ZERO; 24];
        cfs[11] = d("-110");
        cfs[23] = d("121");
        let npv = disc.npv(cfs.iter().copied()).unwrap();
        assert!(npv.abs() < d("1e-25"), "{npv}");
        // At rate 0 nothing is discounted.
        let zero = Discount::new(Decimal::ZERO, 3).unwrap();
        assert_eq!(zero.npv(flows(&["1", "2", "3"])).unwrap(), d("6"));
    }

    #[test]
    fn irr_of_a_one_year_doubling() {
        // −100 at month 0, +121 at month 24: NPV = 0 when
        // (1+r)^(25/12) / (1+r)^(1/12) = (1+r)^2 = 1.21, so r = 0.1.
        let mut cfs = vec![Decimal::ZERO; 25];
        cfs[0] = d("-100");
        cfs[24] = d("121");
        let r = irr(&cfs).unwrap().unwrap();
        assert!((r - d("0.1")).abs() < d("1e-9"), "{r}");
    }

    #[test]
    fn irr_negative_rate() {
        // −100 at month 0, +50 at month 12: 50 / (1+r)^(13/12) =
        // 100 / (1+r)^(1/12) gives 1 + r = 0.5, r = −0.5.
        let mut cfs = vec![Decimal::ZERO; 13];
        cfs[0] = d("-100");
        cfs[12] = d("50");
        let r = irr(&cfs).unwrap().unwrap();
        assert!((r - d("-0.5")).abs() < d("1e-9"), "{r}");
    }

    #[test]
    fn irr_null_cases() {
        // The reason each stream has no IRR, and that irr() agrees.
        let cases = [
            // Never paid back: no positive flow after the investment.
            (&["-1", "0", "-2"][..], NoIrr::NeverPaid),
            (&["0", "0"][..], NoIrr::NoCashFlow),
            (&[][..], NoIrr::NoCashFlow),
            // Positive first: nothing invested, whatever follows.
            (&["3", "0", "2"][..], NoIrr::NoInvestment),
            // Mining with no capex, earning then losing: +10 then −15 a
            // month later. NPV(r) = 10/(1+r)^(1/12) − 15/(1+r)^(2/12) is 0
            // at (1+r)^(1/12) = 1.5, r = 1.5^12 − 1 ≈ 128.7 — outside the
            // interval anyway; with −10.5 instead, r = 1.05^12 − 1 ≈ 0.796
            // is a root where NPV *rises* with r: not a return, so null.
            (&["10", "-15"][..], NoIrr::NoInvestment),
            (&["0", "10", "-10.5"][..], NoIrr::NoInvestment),
        ];
        for (cfs, why) in cases {
            let cfs = flows(cfs);
            assert_eq!(irr(&cfs).unwrap(), None, "{cfs:?}");
            assert_eq!(NoIrr::of(&cfs), why, "{cfs:?}");
        }
        assert_eq!(NoIrr::NoInvestment.reason(), "earns before it invests");
        // An investment first, then returns: a search decides.
        assert_eq!(NoIrr::before_search(&flows(&["0", "-10", "10.5"])), None);
        // A sign change whose root lies beyond 100 (10,000 % a year):
        // −1 then +1e30-scale returns a month later → NPV > 0 at r = 100:
        // 1e12 / 101^(1/12) ≫ 1. Same sign at both ends → null.
        let cfs = flows(&["-1", "1000000000000"]);
        assert_eq!(irr(&cfs).unwrap(), None);
        assert_eq!(NoIrr::of(&cfs), NoIrr::AboveRange);
        // −100, then +10 and −200: at −99 % a year the late −200 weighs
        // most, at 10,000 % the first −100; negative both ends, no root:
        // the investment never breaks even at any rate.
        let cfs = flows(&["-100", "10", "-200"]);
        assert_eq!(irr(&cfs).unwrap(), None);
        assert_eq!(NoIrr::of(&cfs), NoIrr::NeverBreaksEven);
        assert_eq!(NoIrr::NeverBreaksEven.reason(), "no rate breaks even");
        // −100 now, +230 after a year, −132 after two: with x = 1/(1+r),
        // NPV ∝ −100 + 230x − 132x², zero at x = (230 ± 10)/264, i.e.
        // r = 10 % and r = 20 %; negative at both ends (x = 100, x ≈
        // 0.0099). Two IRRs, neither reported.
        let mut cfs = vec![Decimal::ZERO; 25];
        cfs[0] = d("-100");
        cfs[12] = d("230");
        cfs[24] = d("-132");
        assert_eq!(irr(&cfs).unwrap(), None);
        assert_eq!(NoIrr::of(&cfs), NoIrr::SeveralRoots);
        assert!(npv_sign(&cfs, d("0.15")).unwrap() == Ordering::Greater);
    }

    #[test]
    fn irr_over_600_months_at_both_ends() {
        // −1,000 then +10 a month for 599 months. NPV at −0.99 is hugely
        // positive and at 100 negative: the root is where the annuity
        // pays back; it must be found without overflow.
        let mut cfs = vec![d("10"); 600];
        cfs[0] = d("-1000");
        let r = irr(&cfs).unwrap().unwrap();
        // Check it is a root: the sign changes across r ± 1e-9.
        assert_ne!(
            npv_sign(&cfs, r - d("1e-9")).unwrap(),
            npv_sign(&cfs, r + d("1e-9")).unwrap()
        );
        // A perpetuity of 10 a month on 1,000 is 1 % a month, so the
        // annual rate is a little under 1.01^12 − 1 = 0.126825.
        assert!(r > d("0.12") && r < d("0.126825"), "{r}");
    }

    #[test]
    fn mirr_by_hand() {
        let zeros = |n: usize| vec![Decimal::ZERO; n];
        // r = 0, one year: −1000 now, 1210 in month 11: MIRR = 1210/1000 − 1.
        let mut cfs = zeros(12);
        cfs[0] = d("-1000");
        cfs[11] = d("1210");
        let flat = Discount::new(Decimal::ZERO, 12).unwrap();
        let m = mirr(&cfs, Decimal::ZERO, &flat).unwrap().unwrap();
        assert!((m - d("0.21")).abs() < d("1e-20"), "{m}");
        // Two years: (121/100)^(12/24) − 1 = 0.1.
        let mut two = zeros(24);
        two[0] = d("-100");
        two[23] = d("121");
        let flat24 = Discount::new(Decimal::ZERO, 24).unwrap();
        let m = mirr(&two, Decimal::ZERO, &flat24).unwrap().unwrap();
        assert!((m - d("0.1")).abs() < d("1e-20"), "{m}");
        // r = 10 %, one year: FV+ = 1210, −PV− = 1000 / 1.1^(1/12), so
        // MIRR = 1.21 · 1.1^(1/12) − 1 = 0.2197…: 1.1^(1/12) =
        // 1.00797414042890376…
        let ten = Discount::new(d("0.1"), 12).unwrap();
        let m = mirr(&cfs, d("0.1"), &ten).unwrap().unwrap();
        let want = d("1.21") * d("1.0079741404289037") - Decimal::ONE;
        assert!((m - want).abs() < d("1e-15"), "{m} vs {want}");
        // Null rules: no negative flow, no positive flow, above 10^6.
        let mut pos = zeros(12);
        pos[3] = d("5");
        assert_eq!(mirr(&pos, Decimal::ZERO, &flat).unwrap(), None);
        let mut neg = zeros(12);
        neg[3] = d("-5");
        assert_eq!(mirr(&neg, Decimal::ZERO, &flat).unwrap(), None);
        assert_eq!(mirr(&zeros(12), Decimal::ZERO, &flat).unwrap(), None);
        let mut vanishing = zeros(12);
        vanishing[0] = d("-0.000001");
        vanishing[11] = d("1000000");
        assert_eq!(mirr(&vanishing, Decimal::ZERO, &flat).unwrap(), None);
        // Exactly 10^6 is kept: −1, then 1,000,001 → 1,000,001/1 − 1.
        let mut edge = zeros(12);
        edge[0] = d("-1");
        edge[11] = d("1000001");
        let m = mirr(&edge, Decimal::ZERO, &flat).unwrap().unwrap();
        assert!((m - d("1000000")).abs() < d("1e-12"), "{m}");
        // Signs in any order: +1210 first, −1000 last, r = 0: 0.21 still
        // (MIRR does not care where the outlay sits, unlike IRR).
        let mut late = zeros(12);
        late[0] = d("1210");
        late[11] = d("-1000");
        let m = mirr(&late, Decimal::ZERO, &flat).unwrap().unwrap();
        assert!((m - d("0.21")).abs() < d("1e-20"), "{m}");
        // PV− underflows: a tiny factor at r = 9.99 over 600 months.
        let far = Discount::new(d("9.99"), 600).unwrap();
        let mut under = zeros(600);
        under[0] = d("5");
        under[599] = d("-5");
        assert_eq!(mirr(&under, d("9.99"), &far).unwrap(), None);
    }

    #[test]
    fn lines() {
        // npv = 2x − 10 → zero at 5; meets 1x − 4 at x = 6.
        let a = Line {
            slope: d("2"),
            intercept: d("-10"),
        };
        let b = Line {
            slope: d("1"),
            intercept: d("-4"),
        };
        assert_eq!(a.zero().unwrap(), Some(d("5")));
        assert_eq!(a.meets(&b).unwrap(), Some(d("6")));
        // Meeting at x = 6 > 0 is kept; at x = −6 it is not.
        assert_eq!(a.meets_above_zero(&b).unwrap(), Some(d("6")));
        let c = Line {
            slope: d("3"),
            intercept: d("-4"),
        };
        // 2x − 10 = 3x − 4 at x = −6.
        assert_eq!(a.meets(&c).unwrap(), Some(d("-6")));
        assert_eq!(a.meets_above_zero(&c).unwrap(), None);
        // 0.01x − 7e28 = 0.02x at x = −7e30, beyond the decimal range
        // but negative: null. With +7e28, x = +7e30: an overflow.
        let below = Line {
            slope: d("0.01"),
            intercept: d("-70000000000000000000000000000"),
        };
        let level = Line {
            slope: d("0.02"),
            intercept: Decimal::ZERO,
        };
        assert!(below.meets(&level).is_err());
        assert_eq!(below.meets_above_zero(&level).unwrap(), None);
        assert_eq!(level.meets_above_zero(&below).unwrap(), None);
        let above = Line {
            intercept: d("70000000000000000000000000000"),
            ..below
        };
        assert!(above.meets_above_zero(&level).is_err());
        // Parallel lines never meet; a flat line has no zero.
        assert_eq!(a.meets(&a).unwrap(), None);
        let flat = Line {
            slope: Decimal::ZERO,
            intercept: d("3"),
        };
        assert_eq!(flat.zero().unwrap(), None);
    }
}
