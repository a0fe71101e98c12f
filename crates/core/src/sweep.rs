//! Sweeps: one scenario evaluated over a grid of one or two varied keys.
//!
//! An axis is `KEY=FROM..TO:N` (N ≥ 2 evenly spaced points, exact
//! decimals: FROM + j·(TO − FROM)/(N − 1)) or `KEY=V1,V2,…`. The first axis
//! gives the rows, the second the columns; point `row · ncols + col` is
//! numbered from 0. Each point is the scenario with the axis values applied
//! as `--set` overrides, after any fixed ones, so a point is exactly what
//! `hashpivot run --set …` would compute, checks included.

use crate::exact::Checked;
use crate::scenario::Override;
use crate::summary::{SiteSummary, Summary, Winner};
use rust_decimal::Decimal;
use std::str::FromStr;

/// One varied key and its values (as the text given to `--set`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<String>,
}

impl Axis {
    /// Parses `KEY=FROM..TO:N` or `KEY=V1,V2,…`.
    pub fn parse(arg: &str) -> Result<Axis, String> {
        let (key, spec) = arg
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| format!("--vary takes KEY=FROM..TO:N or KEY=V1,V2,…, got {arg:?}"))?;
        let key = key.trim().to_string();
        let spec = spec.trim();
        let values = match spec.split_once("..") {
            Some((from, rest)) => {
                let (to, n) = rest.split_once(':').ok_or_else(|| {
                    format!("--vary {key}: a range needs a point count, as in FROM..TO:N")
                })?;
                let number = |t: &str| {
                    Decimal::from_str(t.trim())
                        .map_err(|_| format!("--vary {key}: {t:?} is not a decimal number"))
                };
                let (from, to) = (number(from)?, number(to)?);
                let n: u32 = n.trim().parse().ok().filter(|&n| n >= 2).ok_or_else(|| {
                    format!("--vary {key}: N must be a whole number ≥ 2, got {n:?}")
                })?;
                range(from, to, n).map_err(|_| format!("--vary {key}: the range overflows"))?
            }
            None => {
                let values: Vec<String> = spec.split(',').map(|v| v.trim().to_string()).collect();
                if values.iter().any(String::is_empty) {
                    return Err(format!("--vary {key}: empty value in {spec:?}"));
                }
                values
            }
        };
        Ok(Axis { key, values })
    }

    /// The values as decimals, where they all are numbers.
    pub fn numbers(&self) -> Option<Vec<Decimal>> {
        self.values
            .iter()
            .map(|v| Decimal::from_str(v).ok())
            .collect()
    }
}

/// `n` evenly spaced exact decimals from `from` to `to` inclusive.
fn range(from: Decimal, to: Decimal, n: u32) -> Result<Vec<String>, crate::exact::Overflow> {
    let step = to.minus(from)?.over(Decimal::from(n - 1))?;
    (0..n)
        .map(|j| {
            let v = if j == n - 1 {
                to
            } else {
                from.plus(step.times(Decimal::from(j))?)?
            };
            Ok(v.normalize().to_string())
        })
        .collect()
}

/// The grid of a sweep: one or two axes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    pub fn new(axes: Vec<Axis>) -> Result<Grid, String> {
        match axes.len() {
            1 | 2 => Ok(Grid { axes }),
            0 => Err("a sweep needs --vary KEY=… (one or two of them)".into()),
            n => Err(format!("a sweep takes one or two --vary axes, got {n}")),
        }
    }

    pub fn rows(&self) -> usize {
        self.axes[0].values.len()
    }

    pub fn columns(&self) -> usize {
        self.axes.get(1).map_or(1, |a| a.values.len())
    }

    pub fn len(&self) -> usize {
        self.rows() * self.columns()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Axis values of point `i` (row value, then column value).
    pub fn point(&self, i: usize) -> Vec<&str> {
        let (row, col) = (i / self.columns(), i % self.columns());
        let mut out = vec![self.axes[0].values[row].as_str()];
        if let Some(cols) = self.axes.get(1) {
            out.push(cols.values[col].as_str());
        }
        out
    }

    /// The overrides for point `i`: the fixed ones, then the axis values.
    pub fn overrides(&self, fixed: &[Override], i: usize) -> Vec<Override> {
        let mut out = fixed.to_vec();
        for (axis, value) in self.axes.iter().zip(self.point(i)) {
            out.push(Override {
                key: axis.key.clone(),
                value: value.to_string(),
            });
        }
        out
    }
}

/// `--shard K/N`: the points `i` with `i mod N = K − 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("--shard takes K/N with 1 ≤ K ≤ N, got {text:?}");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    pub fn includes(&self, i: usize) -> bool {
        i % self.n == self.k - 1
    }
}

impl Default for Shard {
    fn default() -> Shard {
        Shard { k: 1, n: 1 }
    }
}

/// One site at one grid point: the figures a sweep reports.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteFigures {
    pub site: String,
    pub mine_npv_usd: Option<Decimal>,
    pub ai_npv_usd: Option<Decimal>,
    pub mine_irr: Option<Decimal>,
    pub ai_irr: Option<Decimal>,
    pub mine_payback_months: Option<u32>,
    pub ai_payback_months: Option<u32>,
    pub winner: Option<Winner>,
    pub npv_advantage_usd: Option<Decimal>,
}

impl SiteFigures {
    pub fn of(site: &SiteSummary) -> SiteFigures {
        let mine = site.mine.as_ref().map(|m| &m.outcome);
        let ai = site.ai.as_ref().map(|a| &a.outcome);
        SiteFigures {
            site: site.name.clone(),
            mine_npv_usd: mine.map(|o| o.npv_usd),
            ai_npv_usd: ai.map(|o| o.npv_usd),
            mine_irr: mine.and_then(|o| o.irr),
            ai_irr: ai.and_then(|o| o.irr),
            mine_payback_months: mine.and_then(|o| o.payback_months),
            ai_payback_months: ai.and_then(|o| o.payback_months),
            winner: site.comparison.as_ref().map(|c| c.winner),
            npv_advantage_usd: site.comparison.as_ref().map(|c| c.npv_advantage_usd),
        }
    }

    /// Mining's NPV minus AI's: positive where mining wins.
    pub fn signed_advantage(&self) -> Option<Decimal> {
        self.mine_npv_usd?.checked_sub(self.ai_npv_usd?)
    }
}

/// The outcome of one grid point: every site's figures, or why the point
/// could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    pub point: usize,
    pub values: Vec<String>,
    pub outcome: Result<Vec<SiteFigures>, String>,
}

impl PointResult {
    pub fn new(grid: &Grid, point: usize, summary: Result<Summary, String>) -> PointResult {
        PointResult {
            point,
            values: grid.point(point).into_iter().map(str::to_string).collect(),
            outcome: summary.map(|s| s.sites.iter().map(SiteFigures::of).collect()),
        }
    }
}

/// Where along an axis the winner flips, from the signed NPV advantage
/// (mine − ai) at each point: linear interpolation between the two points
/// around each sign change; a point where the advantage is exactly 0 is
/// itself a flip (unless it is an end point with no change beyond).
pub fn flips(xs: &[Decimal], advantage: &[Option<Decimal>]) -> Vec<Decimal> {
    let mut out = Vec::new();
    for j in 0..xs.len().saturating_sub(1) {
        let (Some(a), Some(b)) = (advantage[j], advantage[j + 1]) else {
            continue;
        };
        if a.is_zero() {
            if j > 0
                && advantage[j - 1].is_some_and(|p| {
                    p.is_sign_negative() != b.is_sign_negative() && !p.is_zero() && !b.is_zero()
                })
            {
                out.push(xs[j]);
            }
            continue;
        }
        if b.is_zero() || a.is_sign_negative() == b.is_sign_negative() {
            continue;
        }
        // x = x_j + (x_{j+1} − x_j) · a / (a − b)
        let x = xs[j + 1]
            .minus(xs[j])
            .and_then(|dx| dx.times(a))
            .and_then(|t| t.over(a.minus(b)?))
            .and_then(|t| t.plus(xs[j]));
        if let Ok(x) = x {
            out.push(x);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ranges_are_exact_decimals() {
        let a = Axis::parse("bitcoin.price_usd=40000..200000:9").unwrap();
        assert_eq!(a.key, "bitcoin.price_usd");
        assert_eq!(
            a.values,
            [
                "40000", "60000", "80000", "100000", "120000", "140000", "160000", "180000",
                "200000"
            ]
        );
        // 0 .. 1 in 4 points: thirds, to 28 places, and the end exactly.
        let a = Axis::parse("x=0..1:4").unwrap();
        assert_eq!(
            a.values,
            [
                "0",
                "0.3333333333333333333333333333",
                "0.6666666666666666666666666666",
                "1"
            ]
        );
        let a = Axis::parse("site[0].ai.kind=colocation,gpu_cloud").unwrap();
        assert_eq!(a.values, ["colocation", "gpu_cloud"]);
        assert!(Axis::parse("x=1..2").is_err());
        assert!(Axis::parse("x=1..2:1").is_err());
        assert!(Axis::parse("x=a..2:3").is_err());
        assert!(Axis::parse("=1,2").is_err());
        assert!(Axis::parse("x=1,,2").is_err());
    }

    #[test]
    fn points_are_numbered_row_major() {
        let grid = Grid::new(vec![
            Axis::parse("a=1,2,3").unwrap(),
            Axis::parse("b=10,20").unwrap(),
        ])
        .unwrap();
        assert_eq!(grid.len(), 6);
        // point = row · ncols + col: 3 = row 1, column 1
        assert_eq!(grid.point(3), ["2", "20"]);
        let o = grid.overrides(&[Override::parse("c=5").unwrap()], 4);
        assert_eq!(
            o.iter().map(|o| o.line()).collect::<Vec<_>>(),
            ["--set c=5", "--set a=3", "--set b=10"]
        );
    }

    #[test]
    fn shards_partition_the_points() {
        let s = Shard::parse("2/3").unwrap();
        let mine: Vec<usize> = (0..10).filter(|&i| s.includes(i)).collect();
        assert_eq!(mine, [1, 4, 7]);
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flip_interpolation_by_hand() {
        // Advantage (mine − ai) at prices 40k, 60k, 80k: −300, −100, +100.
        // Sign changes between 60k and 80k: 60,000 + 20,000 · (−100) /
        // (−100 − 100) = 60,000 + 10,000 = 70,000.
        let xs = [d("40000"), d("60000"), d("80000")];
        let adv = [Some(d("-300")), Some(d("-100")), Some(d("100"))];
        assert_eq!(flips(&xs, &adv), [d("70000")]);
        // −1 at 0 and +3 at 1: flips at 0.25.
        assert_eq!(
            flips(&[d("0"), d("1")], &[Some(d("-1")), Some(d("3"))]),
            [d("0.25")]
        );
        // No change of sign: none in range.
        assert!(flips(&xs, &[Some(d("1")), Some(d("2")), Some(d("3"))]).is_empty());
        // A missing point breaks the chain.
        assert!(flips(&xs, &[Some(d("-1")), None, Some(d("1"))]).is_empty());
        // Exactly 0 between opposite signs: the flip is that point.
        assert_eq!(
            flips(&xs, &[Some(d("-5")), Some(d("0")), Some(d("5"))]),
            [d("60000")]
        );
    }
}
