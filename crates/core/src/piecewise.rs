//! Roots of piecewise-linear functions, found exactly from their
//! breakpoints (docs/model.md, "Cash flow and finance in
//! format 2").
//!
//! In format 2 a strategy's NPV as a function of the month-0 BTC price `P`
//! is a sum of pieces that switch on at a threshold (a fleet row starts to
//! run in a power block once `P` pays for that block's power: it then adds
//! its revenue, minus that block's power cost, plus any demand-response
//! credit), and of terminal values `x · max(0, EBITDA(P))`, which bend
//! where the trailing EBITDA crosses 0. Between two consecutive breakpoints
//! the function is one line, so a root is found by walking the sorted
//! breakpoints and solving the one line that changes sign: no search, no
//! re-running of the model.
//!
//! Everything here is exact decimal arithmetic; a root whose magnitude
//! exceeds 10^12 is reported as `None` (docs/model.md, "Cash flow and finance in format 2": an artefact of a nearly
//! flat line, which could not be printed).

use crate::exact::{Checked, Overflow};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// A part of the function that is `slope · P + intercept` while it is on:
/// from `P ≥ threshold` (a tie is on), or always when `threshold` is
/// `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub threshold: Option<Decimal>,
    pub slope: Decimal,
    pub intercept: Decimal,
}

impl Term {
    /// On at every `P ≥ 0`.
    fn always(&self) -> bool {
        self.threshold.is_none_or(|t| t <= Decimal::ZERO)
    }
}

/// `coef · max(0, intercept + slope · P + Σ terms on at P)`: a terminal
/// value on trailing EBITDA, whose kink (where EBITDA is 0) is a
/// breakpoint too.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Kink {
    pub coef: Decimal,
    pub intercept: Decimal,
    pub slope: Decimal,
    pub terms: Vec<Term>,
}

/// `intercept + slope · P + Σ terms on at P + Σ kinks`, for `P ≥ 0`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Piecewise {
    pub intercept: Decimal,
    pub slope: Decimal,
    pub terms: Vec<Term>,
    pub kinks: Vec<Kink>,
}

/// The function is `a + b · P` on `lo ≤ P < hi` (`hi` `None`: no end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub lo: Decimal,
    pub hi: Option<Decimal>,
    pub a: Decimal,
    pub b: Decimal,
}

impl Piece {
    fn at(&self, p: Decimal) -> Result<Decimal, Overflow> {
        self.a.plus(self.b.times(p)?)
    }

    /// The root of this piece's line, `−a / b` (`b ≠ 0`).
    fn root(&self) -> Result<Decimal, Overflow> {
        Decimal::ZERO.minus(self.a.over(self.b)?)
    }

    fn holds(&self, p: Decimal) -> bool {
        p >= self.lo && self.hi.is_none_or(|h| p < h)
    }
}

/// The largest root magnitude reported (docs/model.md, "Cash flow and finance in format 2": 10^12).
pub fn root_limit() -> Decimal {
    Decimal::from(1_000_000_000_000_i64)
}

/// `None` for a root whose magnitude exceeds 10^12.
pub fn limit_root(root: Option<Decimal>) -> Option<Decimal> {
    root.filter(|r| r.abs() <= root_limit())
}

/// `−a / b`, or `None` when the division leaves the decimal range (the
/// root is then far beyond 10^12 anyway).
fn solve(piece: &Piece) -> Option<Decimal> {
    piece.root().ok()
}

fn sign(v: Decimal) -> Ordering {
    v.cmp(&Decimal::ZERO)
}

impl Piecewise {
    /// The pieces covering `P ≥ 0`, in order.
    pub fn pieces(&self) -> Result<Vec<Piece>, Overflow> {
        // Events: at a threshold, a term of the function (kink None) or of
        // kink k switches on. Only prices up to the root limit are
        // described: a root beyond it is reported as null, so an event
        // there changes nothing that is printed (and evaluating the lines
        // at a threshold of 1e27 would leave the decimal range).
        let limit = root_limit();
        let mut events: Vec<(Decimal, Option<usize>, Term)> = Vec::new();
        let (mut a, mut b) = (self.intercept, self.slope);
        for t in &self.terms {
            if t.always() {
                a = a.plus(t.intercept)?;
                b = b.plus(t.slope)?;
            } else if let Some(th) = t.threshold
                && th <= limit
            {
                events.push((th, None, *t));
            }
        }
        let mut kinks: Vec<(Decimal, Decimal)> = Vec::with_capacity(self.kinks.len());
        for (k, kink) in self.kinks.iter().enumerate() {
            let (mut e0, mut e1) = (kink.intercept, kink.slope);
            for t in &kink.terms {
                if t.always() {
                    e0 = e0.plus(t.intercept)?;
                    e1 = e1.plus(t.slope)?;
                } else if let Some(th) = t.threshold
                    && th <= limit
                {
                    events.push((th, Some(k), *t));
                }
            }
            kinks.push((e0, e1));
        }
        events.sort_by_key(|e| e.0);
        let mut out = Vec::new();
        let mut lo = Decimal::ZERO;
        let mut next = 0;
        // Where each kink's EBITDA crosses 0 (`None` inside: it does not),
        // computed again only once an event has moved that kink's line.
        let mut zeros: Vec<Option<Option<Decimal>>> = vec![None; kinks.len()];
        loop {
            let hi = events.get(next).map(|e| e.0);
            // Split [lo, hi) where a kink's EBITDA crosses 0.
            let mut cuts: Vec<Decimal> = Vec::new();
            for ((e0, e1), zero) in kinks.iter().zip(zeros.iter_mut()) {
                let z = match zero {
                    Some(z) => *z,
                    None => {
                        let z = if e1.is_zero() {
                            None
                        } else {
                            // Beyond the decimal range: beyond the limit.
                            e0.checked_div(*e1).map(|q| -q)
                        };
                        *zero = Some(z);
                        z
                    }
                };
                if let Some(z) = z
                    && z > lo
                    && z <= limit
                    && hi.is_none_or(|h| z < h)
                {
                    cuts.push(z);
                }
            }
            cuts.sort();
            cuts.dedup();
            let mut bounds = vec![lo];
            bounds.extend(cuts);
            for (j, l) in bounds.iter().enumerate() {
                let h = bounds.get(j + 1).copied().or(hi);
                let mid = match h {
                    // Halves first: l + h may leave the decimal range.
                    Some(h) => (*l / Decimal::TWO).plus(h / Decimal::TWO)?,
                    None => l.plus(Decimal::ONE)?,
                };
                let (mut pa, mut pb) = (a, b);
                for (kink, (e0, e1)) in self.kinks.iter().zip(&kinks) {
                    if e0.plus(e1.times(mid)?)? > Decimal::ZERO {
                        pa = pa.plus(kink.coef.times(*e0)?)?;
                        pb = pb.plus(kink.coef.times(*e1)?)?;
                    }
                }
                out.push(Piece {
                    lo: *l,
                    hi: h,
                    a: pa,
                    b: pb,
                });
            }
            let Some(hi) = hi else { break };
            while let Some((th, k, t)) = events.get(next).copied() {
                if th != hi {
                    break;
                }
                match k {
                    None => {
                        a = a.plus(t.intercept)?;
                        b = b.plus(t.slope)?;
                    }
                    Some(k) => {
                        kinks[k].0 = kinks[k].0.plus(t.intercept)?;
                        kinks[k].1 = kinks[k].1.plus(t.slope)?;
                        zeros[k] = None;
                    }
                }
                next += 1;
            }
            lo = hi;
        }
        Ok(out)
    }

    /// The function at `P ≥ 0` (for checks).
    pub fn value(&self, p: Decimal) -> Result<Decimal, Overflow> {
        let pieces = self.pieces()?;
        let piece = pieces
            .iter()
            .find(|x| x.holds(p))
            .or(pieces.last())
            .ok_or(Overflow)?;
        piece.at(p)
    }
}

/// The smallest `P ≥ 0` with `f(P) ≥ 0`, for a non-decreasing `f` given by
/// its pieces (the breakeven BTC price); `None` when no `P` reaches 0.
pub fn breakeven(pieces: &[Piece]) -> Result<Option<Decimal>, Overflow> {
    for piece in pieces {
        if piece.at(piece.lo)? >= Decimal::ZERO {
            return Ok(Some(piece.lo));
        }
        if piece.b > Decimal::ZERO {
            match solve(piece) {
                Some(z) if piece.hi.is_none_or(|h| z < h) => return Ok(Some(z)),
                Some(_) => {}
                None => return Ok(None),
            }
        }
    }
    Ok(None)
}

/// `a + b · lo` as 0 when it is within the rounding of its two terms: at
/// a terminal value's kink the function is continuous, and a value there
/// that is 0 exactly can come out as a residue of 1e-20 relative, whose
/// sign means nothing (a jump, where the sign does mean something, is
/// never that small).
fn settled(piece: &Piece, v: Decimal) -> Result<Decimal, Overflow> {
    let scale = piece.a.abs().plus(piece.b.times(piece.lo)?.abs())?;
    let noise = scale.times(Decimal::new(1, 20))?;
    Ok(if v.abs() <= noise { Decimal::ZERO } else { v })
}

/// `inf{P > 0 : sign f(P) = −σ0}`, where `σ0` is the sign `f` takes on its
/// first stretch of `P > 0` where it is not 0 (the crossover BTC price,
/// with `f = NPV_ai − NPV_mine`); `None` when `f` never takes the other
/// sign. A stretch where `f` is 0 before the change ends at its right end.
pub fn crossover(pieces: &[Piece]) -> Result<Option<Decimal>, Overflow> {
    let mut s0: Option<Ordering> = None;
    for piece in pieces {
        let v = piece.at(piece.lo)?;
        let Some(s) = s0 else {
            // D has been identically 0 so far.
            let v = settled(piece, v)?;
            // The sign just right of lo: of v, else of the slope.
            let first = if v.is_zero() { sign(piece.b) } else { sign(v) };
            if first == Ordering::Equal {
                continue;
            }
            s0 = Some(first);
            if !v.is_zero() && sign(piece.b) == first.reverse() {
                match solve(piece) {
                    Some(z) if piece.hi.is_none_or(|h| z < h) => return Ok(Some(z)),
                    Some(_) => {}
                    None => return Ok(None),
                }
            }
            continue;
        };
        if sign(v) == s.reverse() {
            return Ok(Some(piece.lo));
        }
        if !piece.b.is_zero() && sign(piece.b) == s.reverse() {
            match solve(piece) {
                // v is of sign σ0 (or 0), so the root is ≥ lo: one below
                // it is rounding.
                Some(z) if piece.hi.is_none_or(|h| z < h) => {
                    return Ok(Some(z.max(piece.lo)));
                }
                Some(_) => {}
                None => return Ok(None),
            }
        }
    }
    Ok(None)
}

/// The unique root of `A + B·x + c·max(0, e0 + e1·x)`, increasing in `x`
/// (`B > 0`, `c ≥ 0`, `e1 ≥ 0`): the AI breakeven rate, whose terminal
/// value bends where the trailing EBITDA is 0. `None` when `B = 0` (the
/// revenue does not depend on the rate) or the root is out of range.
pub fn increasing_root(
    a: Decimal,
    b: Decimal,
    c: Decimal,
    e0: Decimal,
    e1: Decimal,
) -> Result<Option<Decimal>, Overflow> {
    if b.is_zero() {
        return Ok(None);
    }
    let line = |a: Decimal, b: Decimal| Decimal::ZERO.minus(a.over(b)?);
    if c.is_zero() || e1.is_zero() {
        let a = if !c.is_zero() && e0 > Decimal::ZERO {
            a.plus(c.times(e0)?)?
        } else {
            a
        };
        return Ok(line(a, b).ok());
    }
    // The terminal value is on for x > k.
    let k = Decimal::ZERO.minus(e0.over(e1)?)?;
    if a.plus(b.times(k)?)? >= Decimal::ZERO {
        return Ok(line(a, b).ok());
    }
    Ok(line(a.plus(c.times(e0)?)?, b.plus(c.times(e1)?)?).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn term(th: Option<&str>, slope: &str, intercept: &str) -> Term {
        Term {
            threshold: th.map(d),
            slope: d(slope),
            intercept: d(intercept),
        }
    }

    #[test]
    fn a_line_without_breakpoints() {
        // f = 2P − 10: breakeven 5.
        let f = Piecewise {
            intercept: d("-10"),
            slope: d("2"),
            ..Piecewise::default()
        };
        assert_eq!(breakeven(&f.pieces().unwrap()).unwrap(), Some(d("5")));
        // f = −10 (flat): no P reaches 0.
        let flat = Piecewise {
            intercept: d("-10"),
            ..Piecewise::default()
        };
        assert_eq!(breakeven(&flat.pieces().unwrap()).unwrap(), None);
        // f(0) ≥ 0: breakeven 0.
        let paid = Piecewise {
            intercept: d("3"),
            ..Piecewise::default()
        };
        assert_eq!(breakeven(&paid.pieces().unwrap()).unwrap(), Some(d("0")));
    }

    #[test]
    fn a_row_that_starts_running() {
        // Opex 100 always; a row runs from P = 40 and adds 3P − 120 (its
        // revenue minus power: 0 at the threshold, continuous). Then f =
        // −100 below 40, 3P − 220 above: root 220/3.
        let f = Piecewise {
            intercept: d("-100"),
            terms: vec![term(Some("40"), "3", "-120")],
            ..Piecewise::default()
        };
        let pieces = f.pieces().unwrap();
        assert_eq!(pieces.len(), 2);
        assert_eq!(
            pieces[0],
            Piece {
                lo: d("0"),
                hi: Some(d("40")),
                a: d("-100"),
                b: d("0")
            }
        );
        let r = breakeven(&pieces).unwrap().unwrap();
        assert_eq!(r.round_dp(20), (d("220") / d("3")).round_dp(20));
        assert_eq!(f.value(d("50")).unwrap(), d("-70"));
    }

    #[test]
    fn a_jump_is_the_root() {
        // Demand response: at P = 40 the row adds 3P − 120 + 150 (a jump of
        // 150 over −100): f(40) = 50 ≥ 0, f(39.99) < 0. Root 40 exactly.
        let f = Piecewise {
            intercept: d("-100"),
            terms: vec![term(Some("40"), "3", "30")],
            ..Piecewise::default()
        };
        assert_eq!(breakeven(&f.pieces().unwrap()).unwrap(), Some(d("40")));
    }

    #[test]
    fn a_terminal_value_kink() {
        // f = P − 100 + 2·max(0, P − 40): at 40 the slope goes 1 → 3.
        // f(40) = −60; on P ≥ 40, 3P − 180 = 0 at 60.
        let f = Piecewise {
            intercept: d("-100"),
            slope: d("1"),
            kinks: vec![Kink {
                coef: d("2"),
                intercept: d("-40"),
                slope: d("1"),
                terms: vec![],
            }],
            ..Piecewise::default()
        };
        let pieces = f.pieces().unwrap();
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[1].lo, d("40"));
        assert_eq!(breakeven(&pieces).unwrap(), Some(d("60")));
        // The kink's EBITDA moved by a term: from P = 10 it gains P − 10,
        // so EBITDA = 2P − 50, zero at 25: f = P − 100 + 2·(2P − 50) = 5P
        // − 200 for P ≥ 25: root 40.
        let g = Piecewise {
            kinks: vec![Kink {
                coef: d("2"),
                intercept: d("-40"),
                slope: d("1"),
                terms: vec![term(Some("10"), "1", "-10")],
            }],
            ..f
        };
        let pieces = g.pieces().unwrap();
        assert_eq!(
            pieces.iter().map(|p| p.lo).collect::<Vec<_>>(),
            vec![d("0"), d("10"), d("25")]
        );
        assert_eq!(breakeven(&pieces).unwrap(), Some(d("40")));
    }

    #[test]
    fn crossovers() {
        // D = 100 − 2P: σ0 = +, crossover 50.
        let f = Piecewise {
            intercept: d("100"),
            slope: d("-2"),
            ..Piecewise::default()
        };
        assert_eq!(crossover(&f.pieces().unwrap()).unwrap(), Some(d("50")));
        // D = 0 up to 30, then −(P − 30): σ0 = −, never +: None.
        let g = Piecewise {
            terms: vec![term(Some("30"), "-1", "30")],
            ..Piecewise::default()
        };
        assert_eq!(crossover(&g.pieces().unwrap()).unwrap(), None);
        // D = 0 up to 30, −(P − 30) to 60, then jumps to +10: the sign
        // changes at the jump, 60.
        let h = Piecewise {
            terms: vec![term(Some("30"), "-1", "30"), term(Some("60"), "1", "-20")],
            ..Piecewise::default()
        };
        assert_eq!(crossover(&h.pieces().unwrap()).unwrap(), Some(d("60")));
        // σ0 rule with D(0) = 0: D = P, positive just right of 0, never
        // negative: None. D = −P + 5 from P = 0: σ0 = +, root 5.
        let up = Piecewise {
            slope: d("1"),
            ..Piecewise::default()
        };
        assert_eq!(crossover(&up.pieces().unwrap()).unwrap(), None);
        // A root beyond 10^12 is null once limited.
        let flat = Piecewise {
            intercept: d("1"),
            slope: d("-1e-13"),
            ..Piecewise::default()
        };
        let far = crossover(&flat.pieces().unwrap()).unwrap();
        assert_eq!(far, Some(d("1e13")));
        assert_eq!(limit_root(far), None);
    }

    #[test]
    fn breakeven_rate() {
        // NPV = −1000 + 10 x: root 100.
        let z = Decimal::ZERO;
        assert_eq!(
            increasing_root(d("-1000"), d("10"), z, z, z).unwrap(),
            Some(d("100"))
        );
        // With a terminal value 5·max(0, −200 + 4x) (on for x > 50):
        // at x = 50, −500 < 0, so root of −1000 − 1000 + (10 + 20)x: 66.66…
        let r = increasing_root(d("-1000"), d("10"), d("5"), d("-200"), d("4"))
            .unwrap()
            .unwrap();
        assert_eq!(r.round_dp(20), (d("2000") / d("30")).round_dp(20));
        // The root below the kink: −100 + 10x = 0 at 10 < 50.
        assert_eq!(
            increasing_root(d("-100"), d("10"), d("5"), d("-200"), d("4")).unwrap(),
            Some(d("10"))
        );
        // Revenue independent of the rate: None.
        assert_eq!(increasing_root(d("-1"), z, z, z, z).unwrap(), None);
    }
}
