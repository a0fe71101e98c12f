//! `run --chart` as a reader meets it: under each site's table, within 80
//! columns on every shipped scenario and on long and short horizons,
//! ASCII only with `--ascii`, no escape codes with `NO_COLOR` (or into a
//! pipe), nothing without `--chart`, and refused with a format that is
//! not the table.

mod common;

use common::{hashpivot, text};
use std::path::PathBuf;
use std::process::Command;

fn scenarios() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_str().unwrap()))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "at least four shipped scenarios");
    files
}

/// `hashpivot run ARGS` with `NO_COLOR=1`: its output when it succeeded.
fn try_run(args: &[&str]) -> Result<String, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_hashpivot"))
        .arg("run")
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    match out.status.code() {
        Some(0) => Ok(text(&out.stdout)),
        _ => Err(text(&out.stderr)),
    }
}

/// [`try_run`], after checking it succeeded.
fn run(args: &[&str]) -> String {
    try_run(args).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

const TITLE: &str = "Cumulative cash by month, undiscounted (USD)";

/// The charts of `out`: from each title to the first blank line.
fn charts(out: &str) -> Vec<Vec<&str>> {
    let lines: Vec<&str> = out.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| **l == TITLE)
        .map(|(i, _)| {
            lines[i..]
                .iter()
                .take_while(|l| !l.is_empty())
                .copied()
                .collect()
        })
        .collect()
}

/// Sites of `out` with at least one strategy: each has a table whose
/// header row (an empty first cell) names its futures.
fn sites_with_a_strategy(out: &str) -> usize {
    out.lines()
        .filter(|l| {
            l.strip_prefix('│')
                .and_then(|rest| rest.split(['┆', '│']).next())
                .is_some_and(|first| first.trim().is_empty())
                && (l.contains("keep mining") || l.contains("convert to AI"))
        })
        .count()
}

/// Every shipped scenario, in both styles, as shipped and at 12, 240 and
/// 600 months (those a horizon leaves valid: a conversion that starts in
/// 2027 needs more than 12 months): one chart per site with a strategy,
/// every line within 80 display columns (characters: braille and box
/// lines are one column each), no escape code, and ASCII only with
/// `--ascii`.
#[test]
fn every_chart_fits_80_columns() {
    let mut valid = [0; 4];
    for file in scenarios() {
        let horizons: [&[&str]; 4] = [
            &[],
            &["--set", "months=12"],
            &["--set", "months=240"],
            &["--set", "months=600"],
        ];
        for (h, horizon) in horizons.into_iter().enumerate() {
            for ascii in [false, true] {
                let mut args = vec![file.as_str(), "--chart"];
                args.extend_from_slice(horizon);
                if ascii {
                    args.push("--ascii");
                }
                let out = match try_run(&args) {
                    Ok(out) => out,
                    Err(e) if h > 0 && e.contains("needs a month within the horizon") => continue,
                    Err(e) => panic!("{args:?}: {e}"),
                };
                valid[h] += 1;
                let found = charts(&out);
                assert_eq!(found.len(), sites_with_a_strategy(&out), "{args:?}");
                assert!(!found.is_empty(), "{args:?}");
                for line in out.lines() {
                    let width = line.chars().count();
                    assert!(width <= 80, "{args:?}: {width} columns: {line}");
                }
                assert!(!out.contains('\x1b'), "{args:?}");
                for chart in &found {
                    assert!(chart.len() > 14, "{args:?}: {chart:#?}");
                    for line in chart {
                        if ascii {
                            assert!(line.is_ascii(), "{args:?}: {line}");
                        }
                    }
                }
            }
        }
    }
    // Each horizon was drawn for most of the shipped files.
    let files = 2 * scenarios().len();
    assert!(valid.iter().all(|v| 2 * v > files), "{valid:?} of {files}");
}

/// Each chart comes after its site's verdict and before the next site.
#[test]
fn each_chart_is_under_its_site() {
    let out = run(&["scenarios/portfolio.toml", "--chart"]);
    let sites: Vec<usize> = out.match_indices("\nSite: ").map(|(i, _)| i).collect();
    let titles: Vec<usize> = out.match_indices(TITLE).map(|(i, _)| i).collect();
    assert!(sites.len() >= 2);
    assert_eq!(titles.len(), sites.len());
    for (k, title) in titles.iter().enumerate() {
        assert!(*title > sites[k]);
        if let Some(next) = sites.get(k + 1) {
            assert!(title < next);
        }
    }
}

/// Without `--chart`, the table is as it was: no chart at all.
#[test]
fn no_chart_without_the_flag() {
    for file in scenarios() {
        let out = run(&[&file]);
        assert!(!out.contains(TITLE), "{file}");
        assert!(!out.chars().any(|c| ('⠀'..='⣿').contains(&c)), "{file}");
    }
}

/// The crossing of a shipped scenario is named under its chart and
/// marked on the axis: lake-mariner's AI passes mining in 2031-03 (its
/// `--monthly` table: AI's cumulative cash is below mining's in 2031-02
/// and above it in 2031-03).
#[test]
fn the_crossover_is_marked() {
    let out = run(&["scenarios/lake-mariner.toml", "--chart"]);
    assert!(out.contains("\n▲ 2031-03: AI's cumulative cash passes mining's\n"));
    let monthly = run(&[
        "scenarios/lake-mariner.toml",
        "--format",
        "csv",
        "--monthly",
    ]);
    let cumulative = |strategy: &str, month: &str| -> f64 {
        let header: Vec<&str> = monthly.lines().next().unwrap().split(',').collect();
        let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let row = monthly
            .lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|r| r[at("strategy")] == strategy && r[at("month")] == month)
            .unwrap();
        row[at("cumulative_cash_usd")].parse().unwrap()
    };
    assert!(cumulative("ai", "2031-02") < cumulative("mine", "2031-02"));
    assert!(cumulative("ai", "2031-03") >= cumulative("mine", "2031-03"));
    let ascii = run(&["scenarios/lake-mariner.toml", "--chart", "--ascii"]);
    assert!(ascii.contains("\n^ 2031-03: AI's cumulative cash passes mining's\n"));
}

/// `--chart` with another format is a usage error (exit 2) that says
/// why; `--ascii` needs `--chart`.
#[test]
fn chart_needs_the_table() {
    for format in ["json", "jsonl", "csv"] {
        let out = hashpivot(&[
            "run",
            "scenarios/lake-mariner.toml",
            "--chart",
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(out.stdout.is_empty());
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!(
                "--chart draws under the table: it cannot be used with --format {format}"
            )),
            "{err}"
        );
    }
    let out = hashpivot(&["run", "scenarios/lake-mariner.toml", "--ascii"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A chart whose undiscounted order at the horizon is not the verdict
/// says so under it. West Texas: AI's cumulative cash passes mining's in
/// 2035-10, yet mining wins by $12,772,019.29 of NPV (the table's winner
/// line; compact, $13M); the lead at the end is mostly AI's exit value
/// ($1.1B in the last month, against a lead far smaller). Lake Mariner:
/// AI wins and ends ahead, so no such line.
#[test]
fn a_chart_that_disagrees_with_the_verdict_says_why() {
    for ascii in [false, true] {
        let mut args = vec!["scenarios/texas-west-curtailment.toml", "--chart"];
        if ascii {
            args.push("--ascii");
        }
        let out = run(&args);
        assert!(out.contains("Winner: keep mining, by $12,772,019.29 of NPV"));
        let chart = &charts(&out)[0];
        let from = chart
            .iter()
            .position(|l| l.starts_with("Undiscounted;"))
            .unwrap_or_else(|| panic!("{chart:#?}"));
        let words: Vec<&str> = chart[from..].iter().map(|l| l.trim()).collect();
        assert!(
            words.join(" ").starts_with(
                "Undiscounted; the verdict compares NPVs at 12 %: keep mining, by $13M (AI's later cash, mostly its exit value, is worth less today)"
            ),
            "{chart:#?}"
        );
        for line in chart {
            assert!(line.chars().count() <= 80);
            if ascii {
                assert!(line.is_ascii(), "{line}");
            }
        }
    }
    let lake = run(&["scenarios/lake-mariner.toml", "--chart"]);
    assert!(lake.contains("Winner: convert to AI"));
    assert!(!lake.contains("Undiscounted;"), "{lake}");
}
