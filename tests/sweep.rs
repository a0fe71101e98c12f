//! `hashpivot sweep`: every point equals `run --set` at that point; shards
//! partition the grid; a bad point is reported in its row.

mod common;

use common::{hashpivot, text};

const SHIPPED: &str = "scenarios/lake-mariner.toml";

/// Figures of one run, in the sweep CSV's order, from `run --format csv`.
fn run_point(sets: &[(&str, &str)]) -> Vec<String> {
    let mut args = vec![
        "run".to_string(),
        SHIPPED.into(),
        "--format".into(),
        "csv".into(),
    ];
    for (k, v) in sets {
        args.push("--set".into());
        args.push(format!("{k}={v}"));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = text(&hashpivot(&refs).stdout);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let get = |strategy: &str, key: &str| {
        let col = header.iter().position(|h| *h == key).unwrap();
        let row = rows.iter().find(|r| r[2] == strategy).unwrap();
        row[col].to_string()
    };
    vec![
        get("mine", "site"),
        get("mine", "npv_usd"),
        get("ai", "npv_usd"),
        get("mine", "irr"),
        get("ai", "irr"),
        get("mine", "payback_months"),
        get("ai", "payback_months"),
        get("mine", "winner"),
        get("mine", "npv_advantage_usd"),
    ]
}

fn sweep_csv(args: &[&str]) -> (Vec<String>, Vec<Vec<String>>, i32) {
    let mut all = vec!["sweep", SHIPPED, "--format", "csv"];
    all.extend_from_slice(args);
    let out = hashpivot(&all);
    let body = text(&out.stdout);
    let mut lines = body
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>());
    let header = lines.next().unwrap_or_default();
    (header, lines.collect(), out.status.code().unwrap())
}

#[test]
fn one_axis_sweep_equals_separate_runs() {
    let (header, rows, code) = sweep_csv(&["--vary", "bitcoin.price_usd=60000..180000:4"]);
    assert_eq!(code, 0);
    assert_eq!(header[..2], ["point", "bitcoin.price_usd"]);
    assert_eq!(rows.len(), 4);
    for (j, price) in ["60000", "100000", "140000", "180000"].iter().enumerate() {
        assert_eq!(rows[j][0], j.to_string());
        assert_eq!(rows[j][1], *price);
        assert_eq!(
            rows[j][2..11],
            run_point(&[("bitcoin.price_usd", price)])[..],
            "{price}"
        );
        assert_eq!(rows[j][11], "");
    }
}

#[test]
fn two_axis_sweep_equals_separate_runs() {
    let (_, rows, code) = sweep_csv(&[
        "--vary",
        "bitcoin.hashrate_growth_annual=0,0.4",
        "--vary",
        "site[Lake Mariner].ai.lease_usd_per_kw_month=120..160:3",
    ]);
    assert_eq!(code, 0);
    assert_eq!(rows.len(), 6);
    for row in &rows {
        let want = run_point(&[
            ("bitcoin.hashrate_growth_annual", &row[1]),
            ("site[Lake Mariner].ai.lease_usd_per_kw_month", &row[2]),
        ]);
        assert_eq!(row[3..12], want[..], "point {}", row[0]);
    }
    // point = row · ncols + col: point 4 is growth 0.4, lease 140.
    assert_eq!(rows[4][..3], ["4", "0.4", "140"]);
}

#[test]
fn shards_together_are_the_whole_grid() {
    let axes = [
        "--vary",
        "bitcoin.hashrate_growth_annual=0..0.6:4",
        "--vary",
        "bitcoin.price_usd=50000..150000:5",
    ];
    let (_, whole, _) = sweep_csv(&axes);
    let mut parts = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let mut args = axes.to_vec();
        args.extend(["--shard", &shard]);
        let (_, rows, code) = sweep_csv(&args);
        assert_eq!(code, 0);
        parts.extend(rows);
    }
    parts.sort_by_key(|r| r[0].parse::<usize>().unwrap());
    assert_eq!(parts, whole);
    assert_eq!(whole.len(), 20);
}

#[test]
fn a_bad_point_gets_its_row_and_exit_2() {
    let (_, rows, code) = sweep_csv(&["--vary", "site[0].mining.uptime=1,0,0.5"]);
    assert_eq!(code, 2);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][11], "");
    assert_eq!(rows[1][..3], ["1", "0", ""]);
    assert_eq!(
        rows[1][11],
        "site[0].mining.uptime = 0 needs 0 < uptime ≤ 1"
    );
    assert_eq!(rows[2][11], "");
}

#[test]
fn the_table_shows_where_the_winner_flips() {
    let out = hashpivot(&[
        "sweep",
        SHIPPED,
        "--vary",
        "bitcoin.hashrate_growth_annual=0,0.8",
        "--vary",
        "bitcoin.price_usd=40000..200000:9",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    assert!(table.contains("Where the winner flips along price_usd:\n"));
    assert!(table.contains("0.8 │ none in range\n"), "{table}");
    for line in table.lines() {
        assert!(line.chars().count() <= 120, "{line}");
    }
}

#[test]
fn jsonl_has_one_object_per_point_and_site() {
    let out = hashpivot(&[
        "sweep",
        SHIPPED,
        "--format",
        "jsonl",
        "--vary",
        "bitcoin.price_usd=60000,90000",
    ]);
    let body = text(&out.stdout);
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1].starts_with("{\"point\":1,\"bitcoin.price_usd\":90000,\"site\":\"Lake Mariner\",")
    );
}

#[test]
fn output_file_only_when_every_point_succeeds() {
    let dir = common::scratch("sweep-out");
    let target = dir.join("grid.csv");
    let t = target.to_str().unwrap();
    let good = [
        "sweep",
        SHIPPED,
        "--format",
        "csv",
        "--vary",
        "bitcoin.price_usd=60000,90000",
    ];
    let mut args = good.to_vec();
    args.extend(["-o", t]);
    assert_eq!(hashpivot(&args).status.code(), Some(0));
    assert_eq!(std::fs::read(&target).unwrap(), hashpivot(&good).stdout);
    // A bad point: exit 2, the earlier file untouched, no temporary left.
    let before = std::fs::read(&target).unwrap();
    let bad = [
        "sweep",
        SHIPPED,
        "--format",
        "csv",
        "--vary",
        "site[0].mining.uptime=1,0",
        "-o",
        t,
    ];
    assert_eq!(hashpivot(&bad).status.code(), Some(2));
    assert_eq!(std::fs::read(&target).unwrap(), before);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}
