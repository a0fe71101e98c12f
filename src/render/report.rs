//! The report of `check` and `diff`: one line per moved figure for a
//! person, or the same as JSON for a CI annotation step. Its own module
//! because it renders a comparison of two outputs, not a summary.

use super::number::{Percent, fixed, percent, signed};
use crate::compare::{Change, Finding, Report, Verdict};
use serde::Serialize;
use serde_json::value::RawValue;
use std::fmt::Write;

/// The text report: a line per scenario that matches, a line per moved
/// figure (`[scenario] path: old → new (change, percent)`), a line per
/// missing golden or load failure, then `N scenarios, M changed, K figures
/// moved` (after `--update`: `N scenarios: U unchanged, P updated, C
/// created, K figures moved`).
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for r in &report.results {
        let name = &r.scenario;
        match &r.verdict {
            Verdict::Same => {
                let _ = writeln!(out, "ok [{name}]");
            }
            Verdict::Changed(findings) | Verdict::Updated(findings) => {
                for f in findings {
                    let _ = writeln!(out, "[{name}] {}", finding(f));
                }
                if let Verdict::Updated(_) = r.verdict {
                    let _ = writeln!(out, "updated [{name}]");
                }
            }
            Verdict::Unchanged => {
                let _ = writeln!(out, "unchanged [{name}]");
            }
            Verdict::Created => {
                let _ = writeln!(out, "created [{name}]");
            }
            Verdict::MissingGolden(path) => {
                let _ = writeln!(
                    out,
                    "[{name}] no golden file: {path} (create it with check --update)"
                );
            }
            Verdict::Appeared => {
                let _ = writeln!(out, "[{name}] appeared: only in the new output");
            }
            Verdict::Vanished => {
                let _ = writeln!(out, "[{name}] vanished: only in the old output");
            }
        }
    }
    for (file, _) in &report.errors {
        let _ = writeln!(out, "failed to load: {file}");
    }
    let scenarios = report.results.len();
    let moved = report.figures_moved();
    let _ = match report.updates() {
        Some((unchanged, updated, created)) => write!(
            out,
            "{scenarios} scenario{}: {unchanged} unchanged, {updated} updated, {created} created, {moved} figure{} moved",
            plural(scenarios),
            plural(moved),
        ),
        None => write!(
            out,
            "{scenarios} scenario{}, {} changed, {moved} figure{} moved",
            plural(scenarios),
            report.changed(),
            plural(moved),
        ),
    };
    if !report.errors.is_empty() {
        let _ = write!(out, ", {} failed to load", report.errors.len());
    }
    out.push('\n');
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn finding(f: &Finding) -> String {
    let path = if f.path.is_empty() {
        "(scenario)"
    } else {
        &f.path
    };
    match &f.change {
        Change::Moved {
            old,
            new,
            delta,
            percent: share,
        } => format!(
            "{path}: {old} → {new} ({}, {})",
            signed(*delta, places(old).max(places(new))),
            share.map_or("n/a".to_string(), |p| percent(p, Percent::CHANGE))
        ),
        Change::Text { old, new } => format!("{path}: {old} → {new}"),
        Change::Appeared { new } => format!("{path}: appeared ({})", short(new)),
        Change::Vanished { old } => format!("{path}: vanished (was {})", short(old)),
        Change::ToNull { old } => format!("{path}: {old} → null"),
        Change::FromNull { new } => format!("{path}: null → {new}"),
    }
}

/// Decimals in a number's text.
fn places(text: &str) -> u32 {
    text.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

/// A whole appeared or vanished object, shortened for one line.
fn short(json: &str) -> String {
    if json.chars().count() > 60 {
        format!("{}…", json.chars().take(60).collect::<String>())
    } else {
        json.to_string()
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    scenarios: usize,
    changed: usize,
    figures_moved: usize,
    failed: usize,
    results: Vec<JsonResult<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonResult<'a> {
    scenario: &'a str,
    file: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    golden: Option<&'a str>,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    path: &'a str,
    kind: &'static str,
    old: Box<RawValue>,
    new: Box<RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    change_percent: Option<Box<RawValue>>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: &'a str,
    message: &'a str,
}

fn raw(text: &str) -> Box<RawValue> {
    RawValue::from_string(text.to_string())
        .unwrap_or_else(|_| RawValue::from_string("null".into()).unwrap_or_default())
}

/// The report as JSON (`--format json`): totals, then each scenario with
/// its status and changes (old and new as JSON values, numbers exact), then
/// the load failures.
pub fn json(report: &Report) -> Vec<u8> {
    let results = report
        .results
        .iter()
        .map(|r| {
            let (status, golden, findings): (&str, Option<&str>, &[Finding]) = match &r.verdict {
                Verdict::Same => ("ok", None, &[]),
                Verdict::Changed(f) => ("changed", None, f),
                Verdict::Unchanged => ("unchanged", None, &[]),
                Verdict::Updated(f) => ("updated", None, f),
                Verdict::Created => ("created", None, &[]),
                Verdict::MissingGolden(p) => ("missing_golden", Some(p.as_str()), &[]),
                Verdict::Appeared => ("appeared", None, &[]),
                Verdict::Vanished => ("vanished", None, &[]),
            };
            JsonResult {
                scenario: &r.scenario,
                file: &r.file,
                status,
                golden,
                changes: findings.iter().map(json_change).collect(),
            }
        })
        .collect();
    let doc = JsonReport {
        scenarios: report.results.len(),
        changed: report.changed(),
        figures_moved: report.figures_moved(),
        failed: report.errors.len(),
        results,
        errors: report
            .errors
            .iter()
            .map(|(file, message)| JsonError { file, message })
            .collect(),
    };
    // Our own types with valid raw JSON always serialize.
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

fn json_change(f: &Finding) -> JsonChange<'_> {
    let (kind, old, new) = match &f.change {
        Change::Moved { old, new, .. } => ("moved", old.as_str(), new.as_str()),
        Change::Text { old, new } => ("text", old.as_str(), new.as_str()),
        Change::Appeared { new } => ("appeared", "null", new.as_str()),
        Change::Vanished { old } => ("vanished", old.as_str(), "null"),
        Change::ToNull { old } => ("to_null", old.as_str(), "null"),
        Change::FromNull { new } => ("from_null", "null", new.as_str()),
    };
    let (change, change_percent) = match &f.change {
        Change::Moved {
            old,
            new,
            delta,
            percent,
        } => (
            Some(raw(&fixed(*delta, places(old).max(places(new))))),
            percent.map(|p| raw(&fixed(p, 2))),
        ),
        _ => (None, None),
    };
    JsonChange {
        path: &f.path,
        kind,
        old: raw(old),
        new: raw(new),
        change,
        change_percent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::ScenarioResult;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn sample() -> Report {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        Report {
            results: vec![
                ScenarioResult {
                    scenario: "Lake".into(),
                    file: "scenarios/lake.toml".into(),
                    verdict: Verdict::Changed(vec![
                        Finding {
                            path: "sites[North].ai.npv_usd".into(),
                            change: Change::Moved {
                                old: "100.00".into(),
                                new: "87.50".into(),
                                delta: d("-12.5"),
                                percent: Some(d("-12.5")),
                            },
                        },
                        Finding {
                            path: "sites[North].mine.capex_usd".into(),
                            change: Change::Moved {
                                old: "0.00".into(),
                                new: "5.00".into(),
                                delta: d("5"),
                                percent: None,
                            },
                        },
                        Finding {
                            path: "sites[North].winner".into(),
                            change: Change::Text {
                                old: "\"ai\"".into(),
                                new: "\"mine\"".into(),
                            },
                        },
                        Finding {
                            path: "sites[North].mine.irr".into(),
                            change: Change::ToNull {
                                old: "0.125000".into(),
                            },
                        },
                        Finding {
                            path: "sites[South]".into(),
                            change: Change::Appeared {
                                new: r#"{"name":"South"}"#.into(),
                            },
                        },
                    ]),
                },
                ScenarioResult {
                    scenario: "Portfolio".into(),
                    file: "scenarios/portfolio.toml".into(),
                    verdict: Verdict::Same,
                },
                ScenarioResult {
                    scenario: "New".into(),
                    file: "scenarios/new.toml".into(),
                    verdict: Verdict::MissingGolden("scenarios/new.golden.json".into()),
                },
            ],
            errors: vec![(
                "bad.toml".into(),
                "error: format = 2 is not supported".into(),
            )],
        }
    }

    /// The fixture holds no rounding tie (-12.5 → -12.50, 5 → +5.00 are
    /// exact): `tie_changes` has them.
    #[test]
    fn text_report() {
        insta::assert_snapshot!(text(&sample()));
    }

    /// No rounding tie, as in `text_report`: `tie_changes` has them.
    #[test]
    fn json_report() {
        let out = json(&sample());
        serde_json::from_slice::<serde_json::Value>(&out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    /// Ties in a change's percentage, at 2 decimals half-even, worked by
    /// hand: 800.00 → 898.76 is +98.76, 98.76 / 800 = 12.345 % → +12.34 %
    /// (4 even); 800.00 → 701.24 is -12.345 % → -12.34 %; 400.00 → 449.42 is
    /// +49.42, 12.355 % → +12.36 % (5 odd, up). The deltas are exact (both
    /// figures have 2 decimals), so they never tie.
    #[test]
    fn tie_changes() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let moved = |path: &str, old: &str, new: &str| {
            let (x, y) = (d(old), d(new));
            Finding {
                path: path.into(),
                change: Change::Moved {
                    old: old.into(),
                    new: new.into(),
                    delta: y - x,
                    percent: Some((y - x) / x.abs() * Decimal::ONE_HUNDRED),
                },
            }
        };
        let report = Report {
            results: vec![ScenarioResult {
                scenario: "Lake".into(),
                file: "scenarios/lake.toml".into(),
                verdict: Verdict::Changed(vec![
                    moved("a", "800.00", "898.76"),
                    moved("b", "800.00", "701.24"),
                    moved("c", "400.00", "449.42"),
                ]),
            }],
            errors: Vec::new(),
        };
        let text = text(&report);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "[Lake] a: 800.00 → 898.76 (+98.76, +12.34 %)");
        assert_eq!(lines[1], "[Lake] b: 800.00 → 701.24 (-98.76, -12.34 %)");
        assert_eq!(lines[2], "[Lake] c: 400.00 → 449.42 (+49.42, +12.36 %)");
        let json = String::from_utf8(json(&report)).unwrap();
        for digits in ["12.34", "-12.34", "12.36"] {
            assert!(
                json.contains(&format!("\"change_percent\": {digits}\n")),
                "{json}"
            );
        }
        assert!(json.contains("\"change\": -98.76,\n"), "{json}");
    }

    #[test]
    fn counts() {
        let mut r = sample();
        assert_eq!(r.changed(), 2);
        assert_eq!(r.figures_moved(), 5);
        r.results.retain(|x| x.verdict == Verdict::Same);
        assert_eq!((r.changed(), r.figures_moved()), (0, 0));
    }
}
