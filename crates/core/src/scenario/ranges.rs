//! Range rules: the bounds a scenario's numbers must respect, such as
//! `0 < uptime ≤ 1` (docs/model.md, "Scenario file (TOML)").
//!
//! A rule both decides whether a value is admitted and words itself for
//! the error message (`needs 0 < uptime ≤ 1`), so what is checked and what
//! is said can never drift apart. The bounds are whole numbers, which lets
//! the schema declare every rule as a constant.

use rust_decimal::Decimal;

/// One bound of a range rule.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bound {
    value: i64,
    inclusive: bool,
}

impl Bound {
    pub(super) const fn incl(value: i64) -> Bound {
        Bound {
            value,
            inclusive: true,
        }
    }

    pub(super) const fn excl(value: i64) -> Bound {
        Bound {
            value,
            inclusive: false,
        }
    }
}

/// A range rule: a lower bound, an upper bound, or both.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    lo: Option<Bound>,
    hi: Option<Bound>,
}

impl Rule {
    pub(super) const fn new(lo: Bound, hi: Bound) -> Rule {
        Rule {
            lo: Some(lo),
            hi: Some(hi),
        }
    }

    /// `> v`
    pub(super) const fn gt(v: i64) -> Rule {
        Rule {
            lo: Some(Bound::excl(v)),
            hi: None,
        }
    }

    /// `≥ v`
    pub(super) const fn ge(v: i64) -> Rule {
        Rule {
            lo: Some(Bound::incl(v)),
            hi: None,
        }
    }

    /// Any value (a power block's price: negative prices happen).
    pub(super) const fn any() -> Rule {
        Rule { lo: None, hi: None }
    }

    /// Whether every value is admitted.
    pub(super) fn is_any(&self) -> bool {
        self.lo.is_none() && self.hi.is_none()
    }

    /// `lo ≤ · ≤ hi`
    pub(super) const fn between(lo: i64, hi: i64) -> Rule {
        Rule::new(Bound::incl(lo), Bound::incl(hi))
    }

    pub(super) fn admits(&self, v: Decimal) -> bool {
        let lo_ok = self.lo.is_none_or(|b| {
            let bound = Decimal::from(b.value);
            if b.inclusive { v >= bound } else { v > bound }
        });
        let hi_ok = self.hi.is_none_or(|b| {
            let bound = Decimal::from(b.value);
            if b.inclusive { v <= bound } else { v < bound }
        });
        lo_ok && hi_ok
    }

    /// For a value the rule refuses, the value as a percentage (`12` as
    /// `0.12`, exactly: the decimal point moved two places), when the rule
    /// admits that.
    pub(super) fn as_percentage(&self, v: Decimal) -> Option<Decimal> {
        if self.admits(v) {
            return None;
        }
        let mut hundredth = v;
        hundredth.set_scale(v.scale().checked_add(2)?).ok()?;
        self.admits(hundredth).then_some(hundredth)
    }

    /// The rule as the error message words it, e.g. `0 < uptime ≤ 1`.
    pub(super) fn describe(&self, name: &str) -> String {
        let op = |b: &Bound| if b.inclusive { "≤" } else { "<" };
        match (&self.lo, &self.hi) {
            (Some(lo), Some(hi)) => {
                format!("{} {} {name} {} {}", lo.value, op(lo), op(hi), hi.value)
            }
            (Some(lo), None) => {
                let op = if lo.inclusive { "≥" } else { ">" };
                format!("{name} {op} {}", lo.value)
            }
            (None, Some(hi)) => format!("{name} {} {}", op(hi), hi.value),
            (None, None) => format!("{name} to be any value"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_wording() {
        let uptime = Rule::new(Bound::excl(0), Bound::incl(1));
        assert!(!uptime.admits(Decimal::ZERO));
        assert!(uptime.admits(Decimal::ONE));
        assert!(!uptime.admits(Decimal::TWO));
        assert_eq!(uptime.describe("uptime"), "0 < uptime ≤ 1");
        assert_eq!(Rule::gt(-1).describe("g"), "g > -1");
        assert_eq!(Rule::ge(0).describe("fee"), "fee ≥ 0");
        assert_eq!(Rule::between(1, 600).describe("months"), "1 ≤ months ≤ 600");
    }

    #[test]
    fn a_refused_value_read_as_a_percentage() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let uptime = Rule::new(Bound::excl(0), Bound::incl(1));
        assert_eq!(uptime.as_percentage(d("95")), Some(d("0.95")));
        assert_eq!(uptime.as_percentage(d("100")), Some(d("1")));
        assert_eq!(uptime.as_percentage(d("100.5")), None);
        assert_eq!(uptime.as_percentage(d("0")), None);
        // Admitted already: nothing to hint.
        assert_eq!(uptime.as_percentage(d("0.5")), None);
        let growth = Rule::gt(-1);
        assert_eq!(growth.as_percentage(d("-5")), Some(d("-0.05")));
        assert_eq!(growth.as_percentage(d("-100")), None);
        // Exact, or not at all.
        assert_eq!(
            uptime.as_percentage(d("1.00000000000000000000000001")),
            Some(d("0.0100000000000000000000000001"))
        );
        assert_eq!(
            uptime.as_percentage(d("1.000000000000000000000000001")),
            None
        );
    }
}
