//! `hashpivot pivot` end to end: the pivot JSON's exact shape and key
//! order, its figures against `run` with the same start, format-1 files,
//! `--set`, several files and folders, CSV, the table's width, determinism,
//! `check --pivot`, and the refusals (`tests/pivot-errors/`, each file
//! beside the exact message it gets).

mod common;

use common::{hashpivot, hashpivot_stdin, scratch, text};
use hashpivot::exact_json::Json;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A 100 MW site over 30 months from 2026-01 whose S21 fleet earns well
/// until the halving (block 1,050,000, 50,000 blocks after the file's
/// height: 2026-12), and a 50 MW colocation lease with a 4-month build:
/// converting pays most when the lease goes live at the halving.
const SMALL: &str = r#"format = 2
name = "Small pivot"
start = "2026-01"
months = 30
discount_rate = 0.1

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
hashrate_growth_annual = 0.25
fees_btc_per_block = 0.02
block_height = 1000000

[[site]]
name = "North"
grid_mw = 100
power_price_usd_per_mwh = 30

[site.mining]
pue = 1.1
uptime = 0.95
opex_usd_per_month = 300000
capex_usd = 10000000
[[site.mining.fleet]]
model = "S21"
count = 20000
ths = 200
j_per_th = 17.5

[site.ai]
kind = "colocation"
pue = 1.3
build_months = 4
conversion_capex_usd = 50000000
ramp_months = 3
mine_during_build = true
opex_usd_per_month = 200000
it_mw = 50
lease_usd_per_kw_month = 60
"#;

/// `SMALL` with a site that has only strategy `mine`.
fn mining_only() -> String {
    let at = SMALL.find("\n[site.ai]").unwrap();
    SMALL[..at + 1].replace("Small pivot", "Mining only")
}

/// A fresh folder holding `files`.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    for (file, body) in files {
        std::fs::write(dir.join(file), body).unwrap();
    }
    dir
}

/// The shipped scenario files.
fn shipped() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// A JSON number's digits as a decimal.
fn number(json: &Json) -> Decimal {
    match json {
        Json::Number(digits) => d(digits),
        other => panic!("not a number: {}", other.to_text()),
    }
}

fn keys(json: &Json) -> Vec<&str> {
    match json {
        Json::Object(pairs) => pairs.iter().map(|(k, _)| k.as_str()).collect(),
        other => panic!("not an object: {}", other.to_text()),
    }
}

fn items(json: &Json) -> &[Json] {
    match json {
        Json::Array(items) => items,
        other => panic!("not an array: {}", other.to_text()),
    }
}

/// `hashpivot ARGS` that must succeed, its stdout.
#[track_caller]
fn ok(args: &[&str]) -> String {
    let out = hashpivot(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// A figure of `run --format json`: `site`'s `strategy` object's `key`.
fn run_figure(args: &[&str], site: usize, strategy: &str, key: &str) -> Decimal {
    let mut all = vec!["run", "--format", "json"];
    all.extend_from_slice(args);
    let json = Json::parse(&ok(&all)).unwrap();
    let site = &items(json.get("sites").unwrap())[site];
    number(site.get(strategy).unwrap().get(key).unwrap())
}

/// Money is written with exactly two decimals.
#[track_caller]
fn cents(json: &Json) {
    let Json::Number(digits) = json else {
        panic!("not a number: {}", json.to_text());
    };
    let (_, decimals) = digits.split_once('.').expect(digits);
    assert_eq!(decimals.len(), 2, "{digits}");
}

#[test]
fn the_json_has_the_contract_shape_in_its_order() {
    let dir = folder("pivot-shape", &[("small.toml", SMALL)]);
    let file = dir.join("small.toml");
    let file = file.to_str().unwrap();
    let out = ok(&["pivot", file, "--format", "json"]);
    let json = Json::parse(&out).unwrap();
    // One file: one object, with exactly these keys (no format-2 keys).
    assert_eq!(keys(&json), ["scenario", "sites"]);
    assert_eq!(json.get("scenario").unwrap().as_str(), Some("Small pivot"));
    let sites = items(json.get("sites").unwrap());
    assert_eq!(sites.len(), 1);
    let site = &sites[0];
    assert_eq!(
        keys(site),
        [
            "name",
            "best_start",
            "best_npv_usd",
            "now_npv_usd",
            "never_npv_usd",
            "value_of_waiting_usd",
            "verdict",
            "npv_by_start",
        ]
    );
    assert_eq!(site.get("name").unwrap().as_str(), Some("North"));
    for key in [
        "best_npv_usd",
        "now_npv_usd",
        "never_npv_usd",
        "value_of_waiting_usd",
    ] {
        cents(site.get(key).unwrap());
    }
    // One NPV per start month, each to the cent.
    let npvs = items(site.get("npv_by_start").unwrap());
    assert_eq!(npvs.len(), 30);
    npvs.iter().for_each(cents);
    let npv: Vec<Decimal> = npvs.iter().map(number).collect();

    // The figures, from the list: converting now is start 0.
    let now = number(site.get("now_npv_usd").unwrap());
    assert_eq!(now, npv[0]);
    // A start may be chosen while go-live s + 4 ≤ 30 − min(12, 30) = 18:
    // starts 0 … 14. The best is the highest of those, the earliest on a
    // tie.
    let best = npv[..15].iter().copied().max().unwrap();
    let at = npv.iter().position(|v| *v == best).unwrap();
    let month = format!("{}-{:02}", 2026 + at / 12, at % 12 + 1);
    assert_eq!(
        site.get("best_start").unwrap().as_str(),
        Some(month.as_str())
    );
    assert_eq!(number(site.get("best_npv_usd").unwrap()), best);
    // Waiting is worth best − now: each is rounded on its own, so the
    // difference of the printed figures is within a cent of it.
    let waiting = number(site.get("value_of_waiting_usd").unwrap());
    assert!((waiting - (best - now)).abs() <= d("0.01"), "{waiting}");
    // Never converting is strategy mine's NPV as `run` prints it.
    let never = number(site.get("never_npv_usd").unwrap());
    assert_eq!(never, run_figure(&[file], 0, "mine", "npv_usd"));
    let verdict = if best > never { "convert" } else { "mine" };
    assert_eq!(site.get("verdict").unwrap().as_str(), Some(verdict));
    // This site waits for the halving (2026-12): go-live 4 months after a
    // start in 2026-08, and that beats both now and never.
    assert_eq!(month, "2026-08");
    assert!(best > now && best > never);
}

/// Each start's NPV is `run`'s AI NPV of the same file with
/// `site.ai.start` set to that month (docs/model.md, "When to convert").
#[test]
fn each_start_is_run_with_that_start() {
    let dir = folder("pivot-run", &[("small.toml", SMALL)]);
    let file = dir.join("small.toml");
    let file = file.to_str().unwrap();
    let json = Json::parse(&ok(&["pivot", file, "--format", "json"])).unwrap();
    let npvs = items(
        items(json.get("sites").unwrap())[0]
            .get("npv_by_start")
            .unwrap(),
    );
    // Now, the best, the last start that may be chosen (14), the first
    // that may not (15), and the last month (29).
    for (s, month) in [
        (0, "2026-01"),
        (7, "2026-08"),
        (14, "2027-03"),
        (15, "2027-04"),
        (29, "2028-06"),
    ] {
        let set = format!("site[0].ai.start=\"{month}\"");
        let run = run_figure(&[file, "--set", &set], 0, "ai", "npv_usd");
        assert_eq!(number(&npvs[s]), run, "start {month}");
    }
}

#[test]
fn a_format_1_file_pivots_against_run() {
    let file = "scenarios/lake-mariner.toml";
    let json = Json::parse(&ok(&["pivot", file, "--format", "json"])).unwrap();
    let site = &items(json.get("sites").unwrap())[0];
    // Converting now is run's AI NPV; never converting its mining NPV.
    assert_eq!(
        number(site.get("now_npv_usd").unwrap()),
        run_figure(&[file], 0, "ai", "npv_usd")
    );
    assert_eq!(
        number(site.get("never_npv_usd").unwrap()),
        run_figure(&[file], 0, "mine", "npv_usd")
    );
    // 120 starts; go-live s + 12 ≤ 120 − 12 leaves starts 0 … 96 to choose.
    assert_eq!(items(site.get("npv_by_start").unwrap()).len(), 120);
    let csv = ok(&["pivot", file, "--format", "csv"]);
    let eligible = csv.lines().filter(|l| l.contains(",true,")).count();
    assert_eq!(eligible, 97);
}

/// `--set` pivots exactly the file with the value written in it, and the
/// outputs say which overrides they rest on.
#[test]
fn set_is_the_value_written_in_the_file() {
    let edited = SMALL.replace("lease_usd_per_kw_month = 60", "lease_usd_per_kw_month = 75");
    let dir = folder(
        "pivot-set",
        &[("small.toml", SMALL), ("edited.toml", &edited)],
    );
    let (small, edited) = (dir.join("small.toml"), dir.join("edited.toml"));
    let (small, edited) = (small.to_str().unwrap(), edited.to_str().unwrap());
    let set = "site[North].ai.lease_usd_per_kw_month=75";
    let with_set = ok(&["pivot", small, "--set", set, "--format", "json"]);
    assert_eq!(with_set, ok(&["pivot", edited, "--format", "json"]));
    assert_ne!(with_set, ok(&["pivot", small, "--format", "json"]));
    let table = ok(&["pivot", small, "--set", set]);
    assert!(table.contains(&format!("\nOverrides: {set}\n")), "{table}");
    let csv = ok(&["pivot", small, "--set", set, "--format", "csv"]);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",overrides,file"));
    assert!(lines.all(|l| l.ends_with(&format!(",{set},{small}"))));
    // An override that breaks a rule gets `run`'s message, which points
    // at the override.
    let bad = ["--set", "site[0].mining.uptime=1.5"];
    let out = hashpivot(&["pivot", small, bad[0], bad[1]]);
    let run = hashpivot(&["run", small, bad[0], bad[1]]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(&format!("\n --> override of {small}\n")));
    assert_eq!(text(&out.stderr), text(&run.stderr));
}

/// Several files give an array in the order given; a folder an array in
/// name order; standard input works as for `run`.
#[test]
fn several_files_folders_and_stdin() {
    let (lake, texas) = (
        "scenarios/lake-mariner.toml",
        "scenarios/texas-west-curtailment.toml",
    );
    let json = Json::parse(&ok(&["pivot", texas, lake, "--format", "json"])).unwrap();
    let names: Vec<&str> = items(&json)
        .iter()
        .map(|p| p.get("scenario").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "West Texas: curtail, or lease to AI",
            "Lake Mariner: mine or lease to AI"
        ]
    );
    // Each element is what the file alone prints.
    let alone = Json::parse(&ok(&["pivot", lake, "--format", "json"])).unwrap();
    assert_eq!(items(&json)[1], alone);
    // The shipped folder: every scenario has a site with both strategies.
    let all = Json::parse(&ok(&["pivot", "scenarios", "--format", "json"])).unwrap();
    assert_eq!(items(&all).len(), shipped().len());
    let stdin = hashpivot_stdin(&["pivot", "-", "--format", "json"], SMALL);
    assert_eq!(stdin.status.code(), Some(0));
    let csv = hashpivot_stdin(&["pivot", "-", "--format", "csv"], SMALL);
    assert!(
        text(&csv.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",<stdin>")
    );
}

#[test]
fn csv_has_a_row_per_site_and_start_month() {
    let csv = ok(&["pivot", "scenarios/portfolio.toml", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,site,start,npv_usd,eligible,best,verdict,file")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // Rockdale and Niagara have both strategies, Alberta one: 2 × 84 rows.
    assert_eq!(rows.len(), 2 * 84);
    assert!(rows.iter().all(|r| r.len() == 8));
    assert_eq!(
        rows[0],
        [
            "Three-site portfolio",
            "Rockdale",
            "2026-01",
            rows[0][3],
            "true",
            rows[0][5],
            rows[0][6],
            "scenarios/portfolio.toml"
        ]
    );
    assert_eq!(rows[84][1], "Niagara");
    assert_eq!(rows[84 + 83][2], "2032-12");
    // One best start per site, and it is a start that may be chosen.
    for site in ["Rockdale", "Niagara"] {
        let best: Vec<_> = rows
            .iter()
            .filter(|r| r[1] == site && r[5] == "true")
            .collect();
        assert_eq!(best.len(), 1, "{site}");
        assert_eq!(best[0][4], "true");
    }
    // The CSV's NPVs are the JSON's.
    let json = Json::parse(&ok(&[
        "pivot",
        "scenarios/portfolio.toml",
        "--format",
        "json",
    ]))
    .unwrap();
    let rockdale = items(
        items(json.get("sites").unwrap())[0]
            .get("npv_by_start")
            .unwrap(),
    );
    for (s, npv) in rockdale.iter().enumerate() {
        assert_eq!(npv.to_text(), rows[s][3]);
    }
}

/// Every table line keeps to 80 characters: the shipped scenarios (one
/// row a month up to 40 months, then quarters and half-years) and the
/// extremes (600 months, one month).
#[test]
fn the_table_fits_80_columns() {
    let mut paths = vec!["scenarios".to_string()];
    for extreme in ["600-months", "one-month", "halving-in-month-0"] {
        paths.push(format!("tests/extremes/{extreme}.toml"));
    }
    let mut args = vec!["pivot"];
    args.extend(paths.iter().map(String::as_str));
    let table = ok(&args);
    for line in table.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert!(!table.contains('\x1b'));
    // The 36-month halving scenario: a bar per start month.
    let halving = ok(&["pivot", "scenarios/halving-2028.toml"]);
    let bars = halving
        .lines()
        .filter(|l| l.starts_with("20") && l.contains('│'))
        .count();
    assert_eq!(bars, 36);
    assert!(halving.contains("\nNPV of converting, by start month\n"));
    // 120 months: 40 rows, each the best of 3 starts.
    let lake = ok(&["pivot", "scenarios/lake-mariner.toml"]);
    let rows = lake.lines().filter(|l| l.starts_with("20")).count();
    assert_eq!(rows, 40);
    assert!(lake.contains("each row is the best of 3 starts"));
}

/// The same input gives the same bytes, in every format, whatever the
/// order threads finish in.
#[test]
fn output_is_deterministic() {
    for format in ["table", "json", "csv"] {
        let args = ["pivot", "scenarios", "--format", format];
        let first = ok(&args);
        for _ in 0..3 {
            assert_eq!(ok(&args), first, "{format}");
        }
    }
}

/// `-o` writes what stdout would, atomically; with a failed scenario it
/// writes nothing.
#[test]
fn output_file() {
    let dir = scratch("pivot-output");
    let target = dir.join("pivot.json");
    let target = target.to_str().unwrap();
    let file = "scenarios/mixed-fleet-s19-s21.toml";
    assert_eq!(ok(&["pivot", file, "--format", "json", "-o", target]), "");
    assert_eq!(
        std::fs::read_to_string(target).unwrap(),
        ok(&["pivot", file, "--format", "json"])
    );
    let bad = dir.join("mining-only.toml");
    std::fs::write(&bad, mining_only()).unwrap();
    std::fs::remove_file(target).unwrap();
    let out = hashpivot(&["pivot", file, bad.to_str().unwrap(), "-o", target]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!Path::new(target).exists());
    assert!(
        text(&out.stderr).starts_with(&format!(
            "note: {target} not written: 1 of 2 scenarios failed (a file holds all or none)\n"
        )),
        "{}",
        text(&out.stderr)
    );
}

/// A file with no site that has both strategies is an error naming it
/// (exit 2); the other files still print.
#[test]
fn no_site_with_both_strategies() {
    let dir = folder("pivot-none", &[("mining.toml", &mining_only())]);
    let bad = dir.join("mining.toml");
    let bad = bad.to_str().unwrap();
    let message = format!(
        "error: scenario \"Mining only\" has no site with both [site.mining] and [site.ai]: pivot compares converting at each month with never converting, so a site needs both strategies\n --> {bad}\n"
    );
    let out = hashpivot(&["pivot", bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr), message);
    let good = "scenarios/lake-mariner.toml";
    let out = hashpivot(&["pivot", good, bad, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), message);
    let printed = Json::parse(&text(&out.stdout)).unwrap();
    assert_eq!(items(&printed).len(), 1);
    // `run` computes it.
    assert_eq!(hashpivot(&["run", bad]).status.code(), Some(0));
}

/// The refusals in `tests/pivot-errors/`: `NN-name.toml` beside its exact
/// message `NN-name.stderr`. Each runs with `-o`: exit 2, nothing on
/// stdout, exactly that message, and no file left behind.
#[test]
fn every_pivot_error_gets_its_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pivot-errors");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 4, "only {} cases", cases.len());
    for case in cases {
        let expected = std::fs::read_to_string(case.with_extension("stderr"))
            .unwrap_or_else(|_| panic!("{} has no .stderr", case.display()));
        let name = case.file_name().unwrap().to_string_lossy();
        let relative = format!("tests/pivot-errors/{name}");
        // Every message names its file.
        assert!(expected.contains(&format!("--> {relative}")), "{relative}");
        let out_dir = scratch(&format!("pivot-errors/{name}"));
        let target = out_dir.join("out.json");
        let out = hashpivot(&[
            "pivot",
            &relative,
            "--format",
            "json",
            "-o",
            target.to_str().unwrap(),
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{relative}: {stderr}");
        assert!(out.stdout.is_empty(), "{relative}");
        assert!(!stderr.contains("panicked"), "{relative}: {stderr}");
        assert_eq!(stderr, expected, "{relative}");
        assert_eq!(
            std::fs::read_dir(&out_dir).unwrap().count(),
            0,
            "{relative}"
        );
        // `run` computes a file with nothing to pivot; any other refusal
        // is `run`'s, to the byte.
        let run = hashpivot(&["run", &relative]);
        if expected.contains("has no site with both") {
            assert_eq!(run.status.code(), Some(0), "{relative}");
        } else {
            assert_eq!(text(&run.stderr), expected, "{relative}");
        }
    }
}

/// `check --pivot`: goldens of the pivot JSON, created, matched, and what
/// moved named by its path; a scenario with nothing to pivot is skipped
/// with a note unless it has a pivot golden.
#[test]
fn check_pivot() {
    let dir = folder(
        "pivot-check",
        &[("small.toml", SMALL), ("mining.toml", &mining_only())],
    );
    let path = dir.to_str().unwrap();
    let golden = dir.join("small.pivot.golden.json");
    let skipped = format!(
        "note: skipping {}: no site has both strategies, so it has no pivot to check\n",
        dir.join("mining.toml").display()
    );
    let out = hashpivot(&["check", "--pivot", path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        format!(
            "[Small pivot] no golden file: {} (create it with check --update)\n1 scenario, 1 changed, 0 figures moved\n",
            golden.display()
        )
    );
    assert_eq!(text(&out.stderr), skipped);
    let out = hashpivot(&["check", "--pivot", "--update", path]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("created [Small pivot]\n"));
    // The golden is the pivot JSON in the golden layout.
    let stored = Json::parse(&std::fs::read_to_string(&golden).unwrap()).unwrap();
    assert_eq!(keys(&stored), ["hashpivot", "format", "pivot"]);
    let printed = ok(&[
        "pivot",
        dir.join("small.toml").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(stored.get("pivot"), Some(&Json::parse(&printed).unwrap()));
    // Only the pivot golden: the summary's is another file.
    assert!(!dir.join("small.golden.json").exists());
    let out = hashpivot(&["check", "--pivot", path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stdout),
        "ok [Small pivot]\n1 scenario, 0 changed, 0 figures moved\n"
    );

    // A lower lease moves every start's NPV but never converting's.
    let file = dir.join("small.toml");
    let body = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, body.replace("= 60\n", "= 59\n")).unwrap();
    let out = hashpivot(&["check", "--pivot", path]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(
        report.contains("[Small pivot] sites[North].now_npv_usd: "),
        "{report}"
    );
    assert!(
        report.contains("[Small pivot] sites[North].npv_by_start[0]: "),
        "{report}"
    );
    assert!(!report.contains("never_npv_usd"), "{report}");

    // Nothing to pivot with a pivot golden: an error, not a skip.
    std::fs::write(&file, mining_only().replace("Mining only", "Small pivot")).unwrap();
    let out = hashpivot(&["check", "--pivot", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!(
            "error: scenario \"Small pivot\" has no site with both [site.mining] and [site.ai]: pivot compares converting at each month with never converting, so a site needs both strategies\n --> {}\n",
            file.display()
        )),
        "{}",
        text(&out.stderr)
    );
}

/// The shipped scenarios' pivot goldens are what they compute (CI runs
/// this too, in `.ci/run`).
#[test]
fn shipped_pivot_goldens_match() {
    let out = hashpivot(&["check", "--pivot", "scenarios/"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let all = format!(
        "{} scenarios, 0 changed, 0 figures moved\n",
        shipped().len()
    );
    assert!(text(&out.stdout).ends_with(&all), "{}", text(&out.stdout));
    // Each has its pivot golden.
    for toml in shipped() {
        let golden = toml.with_extension("pivot.golden.json");
        assert!(golden.exists(), "{} has no pivot golden", toml.display());
    }
}
