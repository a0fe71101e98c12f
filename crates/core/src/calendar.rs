//! The monthly time grid (docs/model.md, "Time grid").
//!
//! A projection runs whole calendar months from `start`. Each month needs
//! its length in days (leap Februaries included) and the whole number of
//! seconds from the start of month 0 to its own start, from which the block
//! heights are found by one division (see `network`).

use chrono::NaiveDate;
use std::fmt;

/// A calendar month, printed as `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1 … 12
    pub month: u32,
}

impl YearMonth {
    /// Parses `start` (docs/model.md, "Scenario file (TOML)"): exactly four digits, `-`, two digits,
    /// month 01 … 12. Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let bytes = text.as_bytes();
        if bytes.len() != 7 || bytes[4] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| {
            bytes[r.clone()]
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| text[r].parse::<u32>().ok())
                .flatten()
        };
        let year = digits(0..4)?;
        let month = digits(5..7)?;
        if !(1..=12).contains(&month) {
            return None;
        }
        Some(YearMonth {
            year: i32::try_from(year).ok()?,
            month,
        })
    }

    /// The month `i` months after this one.
    pub fn add_months(self, i: u32) -> YearMonth {
        let zero_based = self.month - 1 + i % 12;
        YearMonth {
            year: self.year + (i / 12) as i32 + (zero_based / 12) as i32,
            month: zero_based % 12 + 1,
        }
    }

    /// How many months `self` is after `earlier` (`None` when it is
    /// before it): the inverse of [`YearMonth::add_months`].
    pub fn months_since(self, earlier: YearMonth) -> Option<u32> {
        let months = |m: YearMonth| i64::from(m.year) * 12 + i64::from(m.month) - 1;
        u32::try_from(months(self) - months(earlier)).ok()
    }

    /// Days in this calendar month (28 … 31).
    pub fn days(self) -> u32 {
        let leap = NaiveDate::from_ymd_opt(self.year, 1, 1).is_some_and(|d| d.leap_year());
        match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// One month of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridMonth {
    pub label: YearMonth,
    pub days: u32,
    /// Whole seconds from the start of month 0 to the start of this month
    /// (docs/model.md, "Time grid": `S_i`).
    pub seconds_before: u64,
}

impl GridMonth {
    pub fn hours(&self) -> u32 {
        24 * self.days
    }
}

/// The `months` months from `start`, plus the month just after the horizon
/// (whose `seconds_before` ends the last month's height interval).
pub fn grid(start: YearMonth, months: u32) -> Vec<GridMonth> {
    let mut out = Vec::with_capacity(months as usize + 1);
    let mut seconds = 0u64;
    for i in 0..=months {
        let label = start.add_months(i);
        let days = label.days();
        out.push(GridMonth {
            label,
            days,
            seconds_before: seconds,
        });
        seconds += u64::from(days) * 86_400;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_yyyy_mm() {
        assert_eq!(
            YearMonth::parse("2026-01"),
            Some(YearMonth {
                year: 2026,
                month: 1
            })
        );
        for bad in [
            "2026-13",
            "2026-1",
            "2026-00",
            "26-01",
            "2026/01",
            "2026-01-01",
            "+026-01",
        ] {
            assert_eq!(YearMonth::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn leap_februaries() {
        // 2028 is divisible by 4: leap; 2100 by 100 but not 400: not;
        // 2000 by 400: leap.
        let feb = |year| YearMonth { year, month: 2 }.days();
        assert_eq!(
            (feb(2028), feb(2027), feb(2100), feb(2000)),
            (29, 28, 28, 29)
        );
    }

    #[test]
    fn grid_counts_seconds_across_a_leap_february() {
        // From 2028-01: January 31 days = 2,678,400 s; February 2028 has 29
        // days, so March starts at (31 + 29) · 86,400 = 5,184,000 s.
        let g = grid(YearMonth::parse("2028-01").unwrap(), 3);
        assert_eq!(g.len(), 4);
        assert_eq!(g[1].days, 29);
        assert_eq!(g[1].hours(), 696);
        assert_eq!(g[2].seconds_before, 5_184_000);
        assert_eq!(g[3].label.to_string(), "2028-04");
    }

    #[test]
    fn month_arithmetic_wraps_years() {
        let nov = YearMonth::parse("2026-11").unwrap();
        assert_eq!(nov.add_months(2).to_string(), "2027-01");
        assert_eq!(nov.add_months(14).to_string(), "2028-01");
        assert_eq!(nov.add_months(599).to_string(), "2076-10");
    }
}
