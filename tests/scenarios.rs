//! The shipped scenarios: each has a golden file (its summary read by a
//! person and cross-checked against tools/reference.py, an independent
//! implementation of MODEL.md) and runs in every format.

mod common;

use common::{hashpivot, text};
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::str::FromStr;

fn scenarios() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "at least four shipped scenarios");
    files
}

#[test]
fn every_scenario_has_a_golden_file_that_check_accepts() {
    for toml in scenarios() {
        assert!(
            toml.with_extension("golden.json").exists(),
            "{} has no golden file",
            toml.display()
        );
    }
    // .ci/run also runs this, through the built binary.
    let out = hashpivot(&["check", "scenarios"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn every_scenario_runs_in_every_format() {
    for toml in scenarios() {
        let path = toml.to_str().unwrap();
        for format in ["table", "json", "csv"] {
            for monthly in [false, true] {
                let mut args = vec!["run", path, "--format", format];
                if monthly {
                    args.push("--monthly");
                }
                let out = hashpivot(&args);
                assert_eq!(out.status.code(), Some(0), "{args:?}");
                assert!(out.stderr.is_empty(), "{args:?}");
                let stdout = text(&out.stdout);
                assert!(!stdout.is_empty(), "{args:?}");
                if format == "table" {
                    for line in stdout.lines() {
                        assert!(line.chars().count() <= 100, "{args:?}: {line}");
                    }
                }
            }
        }
    }
}

/// CSV fields by header name.
fn records(csv: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = csv.lines();
    let header: Vec<String> = split(lines.next().unwrap());
    lines
        .map(|l| header.iter().cloned().zip(split(l)).collect())
        .collect()
}

/// Splits one CSV record (the shipped scenarios' names hold no quotes).
fn split(line: &str) -> Vec<String> {
    line.split(',').map(str::to_string).collect()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn monthly_rows_add_up_to_the_totals() {
    for toml in scenarios() {
        let path = toml.to_str().unwrap();
        let totals = records(&text(&hashpivot(&["run", path, "--format", "csv"]).stdout));
        let months = records(&text(
            &hashpivot(&["run", path, "--format", "csv", "--monthly"]).stdout,
        ));
        for total in &totals {
            let rows: Vec<_> = months
                .iter()
                .filter(|m| m["site"] == total["site"] && m["strategy"] == total["strategy"])
                .collect();
            assert!(!rows.is_empty());
            // Each monthly figure is rounded once: n rows can drift from
            // the rounded total by at most n half-cents plus the total's own.
            let cents = Decimal::new(5, 3) * Decimal::from(rows.len() + 1);
            for key in ["revenue_usd", "power_cost_usd", "opex_usd", "capex_usd"] {
                let sum: Decimal = rows.iter().map(|r| dec(&r[key])).sum();
                let diff = (sum - dec(&total[key])).abs();
                assert!(diff <= cents, "{path} {} {key}: {diff}", total["site"]);
            }
            let cash: Decimal = rows.iter().map(|r| dec(&r["cash_flow_usd"])).sum();
            assert!((cash - dec(&total["net_cash_usd"])).abs() <= cents);
            let last = rows.last().unwrap();
            assert!(
                (dec(&last["cumulative_cash_usd"]) - dec(&total["net_cash_usd"])).abs()
                    <= Decimal::new(1, 2)
            );
            let btc: Decimal = rows.iter().map(|r| dec(&r["btc_mined"])).sum();
            let sats = Decimal::new(5, 9) * Decimal::from(rows.len() + 1);
            assert!((btc - dec(&total["btc_mined"])).abs() <= sats);
        }
    }
}
