//! `run` over several files and folders: order kept, bad files reported
//! while good ones print, JSON arrays and JSON lines.

mod common;

use common::{hashpivot, scratch, text};
use std::path::PathBuf;

fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    for (file, body) in files {
        std::fs::write(dir.join(file), body).unwrap();
    }
    dir
}

fn shipped(name: &str) -> String {
    std::fs::read_to_string(format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn a_folder_runs_its_scenarios_in_name_order() {
    let out = hashpivot(&["run", "scenarios", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    let body = text(&out.stdout);
    let names: Vec<&str> = body.lines().map(|l| l.split('"').nth(3).unwrap()).collect();
    assert_eq!(
        names,
        [
            "GPU cloud conversion (H100 class)",
            "Through the 2028 halving, over the lease's life",
            "Through the 2028 halving",
            "Lake Mariner over the lease's life",
            "Lake Mariner: mine or lease to AI",
            "Mixed fleet: S19j Pro and S21",
            "Permian: convert 30 MW in 2027, keep the best machines",
            "Three-site portfolio",
            "West Texas: curtail, or lease to AI"
        ]
    );
}

#[test]
fn a_folder_always_gives_a_json_array() {
    let dir = folder("one", &[("a.toml", &shipped("lake-mariner.toml"))]);
    let out = hashpivot(&["run", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("[\n"), "{stdout}");
    let list: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["scenario"], "Lake Mariner: mine or lease to AI");
}

#[test]
fn one_bad_file_in_a_folder() {
    let dir = folder(
        "mixed",
        &[
            ("a.toml", &shipped("lake-mariner.toml")),
            ("b.toml", "format = 3\n"),
            ("c.toml", &shipped("halving-2028.toml")),
            ("notes.txt", "not a scenario"),
        ],
    );
    let out = hashpivot(&["run", dir.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout).lines().count(), 2);
    let b = dir.join("b.toml");
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: format = 3 is not supported: this hashpivot reads scenario formats 1 and 2\n --> {}:1:10\n  |\n1 | format = 3\n  |          ^\n",
            b.display()
        )
    );
}

#[test]
fn the_table_ends_with_a_comparison() {
    let out = hashpivot(&[
        "run",
        "scenarios/lake-mariner.toml",
        "scenarios/portfolio.toml",
    ]);
    let table = text(&out.stdout);
    let comparison = &table[table.find("\nComparison\n").unwrap()..];
    // One row per scenario and site: Lake Mariner, then the three sites.
    for site in ["Lake Mariner", "Rockdale", "Niagara", "Alberta"] {
        assert!(comparison.contains(site), "{site}");
    }
    for line in table.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

/// In a batch, every CSV row and JSON line says which file it came from.
#[test]
fn rows_name_their_file() {
    let out = hashpivot(&["run", "scenarios", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    let body = text(&out.stdout);
    let mut lines = body.lines();
    assert!(lines.next().unwrap().ends_with(",file"));
    let files: Vec<&str> = lines.map(|l| l.rsplit(',').next().unwrap()).collect();
    // gpu-cloud: 1 site × 2; halving-2028 and its lease-life twin: 1 × 2
    // each; lake-mariner and its twin: 1 × 2 each; the mixed fleet and its
    // partial conversion: 1 × 2 each; portfolio: 5 rows (one of its sites has one strategy); West Texas:
    // 1 × 2.
    let mut expected = vec!["scenarios/gpu-cloud.toml"; 2];
    expected.extend(["scenarios/halving-2028-lease-life.toml"; 2]);
    expected.extend(["scenarios/halving-2028.toml"; 2]);
    expected.extend(["scenarios/lake-mariner-lease-life.toml"; 2]);
    expected.extend(["scenarios/lake-mariner.toml"; 2]);
    expected.extend(["scenarios/mixed-fleet-s19-s21.toml"; 2]);
    expected.extend(["scenarios/permian-partial-conversion.toml"; 2]);
    expected.extend(["scenarios/portfolio.toml"; 5]);
    expected.extend(["scenarios/texas-west-curtailment.toml"; 2]);
    assert_eq!(files, expected);
    let out = common::hashpivot_stdin(
        &[
            "run",
            "scenarios/lake-mariner.toml",
            "-",
            "--format",
            "jsonl",
        ],
        &shipped("halving-2028.toml"),
    );
    let out = text(&out.stdout);
    let files: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["file"].clone())
        .collect();
    assert_eq!(files, ["scenarios/lake-mariner.toml", "<stdin>"]);
}

/// A folder reads `*.toml`; a `*.TOML` file in it is skipped with a note,
/// never silently.
#[test]
fn other_case_toml_files_are_skipped_with_a_note() {
    let dir = folder(
        "batch-other-case",
        &[
            ("a.toml", &shipped("lake-mariner.toml")),
            ("B.TOML", &shipped("gpu-cloud.toml")),
        ],
    );
    let out = hashpivot(&["run", dir.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        format!(
            "note: skipping {}: only files ending in .toml (lower case) are read from a folder\n",
            dir.join("B.TOML").display()
        )
    );
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

/// Standard input is read once: a second `-` is an error of its own, not
/// "the file is empty".
#[test]
fn stdin_given_twice_is_refused() {
    let out = common::hashpivot_stdin(
        &["run", "-", "-", "--format", "jsonl"],
        &shipped("lake-mariner.toml"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: - is given twice: standard input can be read only once\n"
    );
    assert_eq!(text(&out.stdout).lines().count(), 1);
}
