//! `--format parquet -o FILE`: a Parquet file (the `PAR1` magic at both
//! ends), written atomically and only when every scenario computes; refused
//! without `-o`. What a real reader sees (DECIMAL types, sums equal to the
//! CSV's to the cent) is checked by `tools/test_parquet.py` with DuckDB.
#![cfg(feature = "parquet")]

mod common;

use common::{hashpivot, scratch, text};
use std::path::Path;

const SHIPPED: &str = "scenarios/lake-mariner.toml";

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn assert_parquet(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.len() > 8, "{} bytes", bytes.len());
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
}

#[test]
fn run_monthly_writes_parquet() {
    let dir = scratch("parquet-monthly");
    let target = dir.join("months.parquet");
    let out = hashpivot(&[
        "run",
        "--monthly",
        SHIPPED,
        "scenarios/permian-partial-conversion.toml",
        "--format",
        "parquet",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_parquet(&target);
    // No temporary file is left beside it.
    assert_eq!(entries(&dir), ["months.parquet"]);
    // Same inputs, same bytes.
    let again = dir.join("again.parquet");
    let out = hashpivot(&[
        "run",
        "--monthly",
        SHIPPED,
        "scenarios/permian-partial-conversion.toml",
        "--format",
        "parquet",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn a_failed_run_leaves_no_parquet() {
    let dir = scratch("parquet-fails");
    let target = dir.join("out.parquet");
    let out = hashpivot(&[
        "run",
        "--monthly",
        SHIPPED,
        "missing.toml",
        "--format",
        "parquet",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
    assert!(text(&out.stderr).contains("not written: 1 of 2 scenarios failed"));
}

#[test]
fn parquet_needs_a_file() {
    let out = hashpivot(&["run", "--monthly", SHIPPED, "--format", "parquet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("--format parquet writes a binary file: give -o FILE"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn sweep_writes_parquet_per_shard() {
    let dir = scratch("parquet-sweep");
    for shard in ["1/2", "2/2"] {
        let target = dir.join(format!("part-{}.parquet", &shard[..1]));
        let out = hashpivot(&[
            "sweep",
            SHIPPED,
            "--vary",
            "bitcoin.price_usd=40000..120000:5",
            "--shard",
            shard,
            "--format",
            "parquet",
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_parquet(&target);
    }
    assert_eq!(entries(&dir), ["part-1.parquet", "part-2.parquet"]);
    let out = hashpivot(&[
        "sweep",
        SHIPPED,
        "--vary",
        "bitcoin.price_usd=40000..120000:5",
        "--format",
        "parquet",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("give -o FILE"));
}

#[test]
fn simulate_shard_writes_parquet() {
    let dir = scratch("parquet-simulate");
    let target = dir.join("paths.parquet");
    let out = hashpivot(&[
        "simulate",
        "scenarios/lake-mariner-lease-life.toml",
        "--shard",
        "1/1",
        "--paths",
        "50",
        "--format",
        "parquet",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_parquet(&target);
    // Records only: without --shard it is refused, and nothing is written.
    let summary = dir.join("summary.parquet");
    let out = hashpivot(&[
        "simulate",
        "scenarios/lake-mariner-lease-life.toml",
        "--format",
        "parquet",
        "-o",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--format parquet writes shard records: give --shard K/N"));
    assert_eq!(entries(&dir), ["paths.parquet"]);
}

/// A Parquet shard given to `--merge` (which joins the text records): the
/// error says what --merge takes and where Parquet shards go, exit 2.
#[test]
fn merge_refuses_a_parquet_shard_and_says_why() {
    let dir = scratch("parquet-merge");
    let shard = dir.join("part-1.parquet");
    let file = "scenarios/texas-west-curtailment.toml";
    let write = hashpivot(&[
        "simulate",
        file,
        "--shard",
        "1/1",
        "--paths",
        "5",
        "--format",
        "parquet",
        "-o",
        shard.to_str().unwrap(),
    ]);
    assert!(write.status.success(), "{}", text(&write.stderr));
    let merge = hashpivot(&[
        "simulate",
        file,
        "--paths",
        "5",
        "--merge",
        shard.to_str().unwrap(),
    ]);
    assert_eq!(merge.status.code(), Some(2));
    assert_eq!(
        text(&merge.stderr),
        format!(
            "error: {} is a Parquet file: --merge joins shards written with --format csv or jsonl (Parquet shards are read together by DuckDB: read_parquet('part-*.parquet'))\n",
            shard.display()
        )
    );
}
