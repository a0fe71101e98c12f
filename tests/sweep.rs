//! `hashpivot sweep`: every point equals `run --set` at that point; shards
//! partition the grid; a bad point is reported in its row; a grid that
//! could only mislead (a key set twice, a key that names nothing, a table
//! of one shard) is refused up front.

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
    assert!(table.contains("0.8 │ no flip in range\n"), "{table}");
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

/// `sweep ARGS` on the shipped scenario: stdout, stderr, exit code.
fn sweep(args: &[&str]) -> (String, String, i32) {
    let mut all = vec!["sweep", SHIPPED];
    all.extend_from_slice(args);
    let out = hashpivot(&all);
    (
        text(&out.stdout),
        text(&out.stderr),
        out.status.code().unwrap(),
    )
}

#[test]
fn output_file_is_written_with_its_failed_points() {
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
    // A value that breaks a rule at one point: its row is data, so the file
    // is written, whole, and the exit code is 2; no temporary is left.
    for (format, listed) in [
        ("csv", "(see the error column)"),
        ("jsonl", "(see the \"error\" key of their records)"),
        ("table", "(listed at the end of the table)"),
    ] {
        let bad = [
            "sweep",
            SHIPPED,
            "--format",
            format,
            "--vary",
            "site[0].mining.uptime=0,0.5,1",
        ];
        let mut args = bad.to_vec();
        args.extend(["-o", t]);
        let out = hashpivot(&args);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stdout = hashpivot(&bad);
        assert_eq!(stdout.status.code(), Some(2), "{format}");
        assert_eq!(std::fs::read(&target).unwrap(), stdout.stdout, "{format}");
        assert!(text(&stdout.stdout).contains("0 needs 0 < uptime ≤ 1"));
        let stderr = text(&out.stderr);
        assert!(
            stderr.ends_with(&format!(
                "error: 1 of 3 grid points could not be computed {listed}\n"
            )),
            "{format}: {stderr}"
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }
    let table = text(&std::fs::read(&target).unwrap());
    assert!(
        table.contains("\n  point 0 (0): site[0].mining.uptime = 0 needs"),
        "{table}"
    );
    assert!(!table.contains("error column"));
}

#[test]
fn labels_show_values_not_grouped_digits() {
    // Text and booleans: as given, never `2,026,-01` or `t,rue`.
    let (table, _, code) = sweep(&[
        "--vary",
        "start=2026-01,2027-01",
        "--vary",
        "site[0].ai.mine_during_build=true,false",
    ]);
    assert_eq!(code, 0);
    assert!(table.contains("\n2026-01 │ "), "{table}");
    assert!(table.contains("\n2027-01 │ "), "{table}");
    assert!(table.contains("true") && table.contains("false"), "{table}");
    assert!(!table.contains(",0") && !table.contains("t,r") && !table.contains("fa,l"));
    assert!(
        table.contains("\nflip: not a number axis (mine_during_build)\n"),
        "{table}"
    );
    // A 1-D sweep of text says so too.
    let (table, _, _) = sweep(&["--vary", "start=2026-01,2027-01"]);
    assert!(
        table.contains("\nflip: not a number axis (start)\n"),
        "{table}"
    );
    // Evenly spaced thirds: two significant digits of the step in the
    // table, the exact value in CSV and JSON lines.
    let (table, _, code) = sweep(&["--vary", "bitcoin.hashrate_growth_annual=0..1:4"]);
    assert_eq!(code, 0);
    for label in ["0.00", "0.33", "0.67", "1.00"] {
        assert!(table.contains(&format!("\n{label} │ ")), "{table}");
    }
    assert!(!table.contains("0.333"), "{table}");
    assert!(
        table.contains("\nhashrate_growth_annual: no flip in range\n"),
        "{table}"
    );
    let third = "0.3333333333333333333333333333";
    let (csv, _, _) = sweep(&[
        "--format",
        "csv",
        "--vary",
        "bitcoin.hashrate_growth_annual=0..1:4",
    ]);
    assert!(csv.contains(&format!("\n1,{third},")), "{csv}");
    let (jsonl, _, _) = sweep(&[
        "--format",
        "jsonl",
        "--vary",
        "bitcoin.hashrate_growth_annual=0..1:4",
    ]);
    assert!(
        jsonl.contains(&format!("\"bitcoin.hashrate_growth_annual\":{third},")),
        "{jsonl}"
    );
    // 100 points of a range: neighbours stay distinct.
    let (table, _, _) = sweep(&["--vary", "bitcoin.hashrate_growth_annual=0..0.8:100"]);
    let labels: Vec<&str> = table
        .lines()
        .filter_map(|l| l.split_once(" │ ").map(|(label, _)| label.trim()))
        .collect();
    assert_eq!(labels.len(), 100, "{table}");
    assert_eq!(labels[..3], ["0.0000", "0.0081", "0.0162"]);
    assert!(labels.windows(2).all(|w| w[0] != w[1]), "{labels:?}");
}

#[test]
fn a_table_of_one_shard_is_refused() {
    let (stdout, stderr, code) =
        sweep(&["--vary", "bitcoin.price_usd=60000,90000", "--shard", "1/2"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: --shard needs --format csv or --format jsonl"),
        "{stderr}"
    );
    // CSV and JSON lines shard as before.
    for format in ["csv", "jsonl"] {
        let args = [
            "--format",
            format,
            "--vary",
            "bitcoin.price_usd=60000,90000",
            "--shard",
            "1/2",
        ];
        assert_eq!(sweep(&args).2, 0, "{format}");
    }
}

#[test]
fn a_key_set_twice_is_refused() {
    // As the override resolver reads keys: site[0], site.0 and site[NAME]
    // are one site, fleet rows by index or model one row.
    let twice = [
        ("site[0].ai.it_mw=100,120", "site.0.ai.it_mw=100,120"),
        (
            "site[Lake Mariner].ai.it_mw=100,120",
            "site[0].ai.it_mw=100,120",
        ),
        ("bitcoin.price_usd=1,2", "bitcoin.price_usd=3,4"),
    ];
    for (a, b) in twice {
        let (stdout, stderr, code) = sweep(&["--vary", a, "--vary", b]);
        assert_eq!(code, 2, "{a} {b}");
        assert_eq!(stdout, "");
        assert!(
            stderr.contains("name the same key") || stderr.contains("vary a key once"),
            "{stderr}"
        );
    }
    let (stdout, stderr, code) = sweep(&[
        "--set",
        "site.0.ai.it_mw=100",
        "--vary",
        "site[Lake Mariner].ai.it_mw=1,2",
    ]);
    assert_eq!((stdout.as_str(), code), ("", 2));
    assert_eq!(
        stderr,
        "error: --set site.0.ai.it_mw and --vary site[Lake Mariner].ai.it_mw name the same \
         key: the axis would replace the --set value at every point (drop one of them)\n"
    );
    let out = hashpivot(&[
        "sweep",
        "scenarios/portfolio.toml",
        "--vary",
        "site[Rockdale].mining.fleet[Antminer S21].count=1,2",
        "--vary",
        "site.0.mining.fleet.1.count=3,4",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // Different rows are different keys.
    let out = hashpivot(&[
        "sweep",
        "scenarios/portfolio.toml",
        "--format",
        "csv",
        "--vary",
        "site[Rockdale].mining.fleet[Antminer S21].count=1,2",
        "--vary",
        "site.0.mining.fleet.0.count=3,4",
    ]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_vary_key_that_names_nothing_is_one_error() {
    // 300 × 100 points, one message: the one `run --set` gives.
    let run = hashpivot(&["run", SHIPPED, "--set", "bitcoin.price_us=40000"]);
    let wanted = text(&run.stderr);
    assert!(wanted.contains("did you mean price_usd?"), "{wanted}");
    for format in ["table", "csv", "jsonl"] {
        let (stdout, stderr, code) = sweep(&[
            "--format",
            format,
            "--vary",
            "bitcoin.price_us=40000..200000:300",
            "--vary",
            "bitcoin.hashrate_growth_annual=0..1:100",
        ]);
        assert_eq!(code, 2, "{format}");
        assert_eq!(stdout, "", "{format}");
        assert_eq!(stderr, wanted, "{format}");
    }
    // The second axis, after a fixed override: still one error.
    let (stdout, stderr, code) = sweep(&[
        "--set",
        "discount_rate=0.1",
        "--vary",
        "bitcoin.price_usd=1,2",
        "--vary",
        "site[2].ai.it_mw=1,2",
    ]);
    assert_eq!((stdout.as_str(), code), ("", 2));
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    assert!(stderr.contains("site[2] does not exist"), "{stderr}");
}

#[test]
fn jsonl_values_have_their_json_types() {
    use serde_json::Value;
    let (jsonl, _, code) = sweep(&[
        "--format",
        "jsonl",
        "--vary",
        "site[0].ai.mine_during_build=true,false",
        "--vary",
        "start=2026-01,2027-01",
    ]);
    assert_eq!(code, 0);
    let records: Vec<serde_json::Map<String, Value>> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 4);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["point"], Value::from(i));
        assert_eq!(r["site[0].ai.mine_during_build"], Value::Bool(i < 2));
        assert!(r["start"].is_string());
        assert!(r["site"].is_string() && r["winner"].is_string());
        for key in [
            "mine_npv_usd",
            "ai_npv_usd",
            "ai_irr",
            "ai_payback_months",
            "npv_advantage_usd",
        ] {
            assert!(r[key].is_number(), "{key}: {r:?}");
        }
        assert!(r["mine_irr"].is_null() && r["error"].is_null());
    }
    // Numbers as `--set` reads them, exactly; a failed point's error is a
    // string.
    let (jsonl, _, code) = sweep(&[
        "--format",
        "jsonl",
        "--vary",
        "site[0].mining.uptime=0,1e0,0.50",
    ]);
    assert_eq!(code, 2);
    let records: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(jsonl.contains("\"site[0].mining.uptime\":0.5,"), "{jsonl}");
    assert!(jsonl.contains("\"site[0].mining.uptime\":1,"), "{jsonl}");
    assert!(records[0]["error"].is_string());
}

/// A sweep table keeps to 80 characters a line however many columns: a
/// grid too wide comes in panels that repeat the row labels, and says so.
#[test]
fn a_wide_grid_comes_in_panels_of_80_columns() {
    for columns in ["9", "20"] {
        let out = hashpivot(&[
            "sweep",
            SHIPPED,
            "--vary",
            "bitcoin.hashrate_growth_annual=0..0.8:9",
            "--vary",
            &format!("bitcoin.price_usd=40000..200000:{columns}"),
        ]);
        assert_eq!(out.status.code(), Some(0));
        let table = text(&out.stdout);
        for line in table.lines() {
            assert!(line.chars().count() <= 80, "{columns}: {line}");
        }
        assert!(
            table.contains(&format!("\n{columns} columns in ")),
            "{columns}: {table}"
        );
        // Every row label appears once per panel, and every point's cell
        // once in all: 9 rows × columns cells in total.
        let cells = table
            .lines()
            .filter(|l| l.contains(" │ ") && (l.contains("AI +") || l.contains("mine +")))
            .map(|l| l.matches('M').count())
            .sum::<usize>();
        assert_eq!(cells, 9 * columns.parse::<usize>().unwrap(), "{table}");
    }
}
