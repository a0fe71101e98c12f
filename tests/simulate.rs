//! `hashpivot simulate` end to end: the simulate JSON's exact shape and
//! key order, no volatility giving `run`'s figures, determinism over
//! threads, shards merged back byte for byte, the command line's paths and
//! seed over `[risk]`, `--set risk.…`, CSV, the table's width, and the
//! refusals with their exact messages.

mod common;

use common::{hashpivot, scratch, text};
use hashpivot::exact_json::Json;
use std::path::{Path, PathBuf};

/// Two sites over 24 months from 2026-01: North weighs an S21 fleet
/// against a 50 MW colocation lease, South only mines. `[risk]` draws
/// 400 paths with seed 11; the tests use fewer through `--paths`.
const SMALL: &str = r#"format = 2
name = "Small risk"
start = "2026-01"
months = 24
discount_rate = 0.1

[risk]
price_vol_annual = 0.60
hashrate_vol_annual = 0.3
price_hashrate_corr = 0.5
lease_default_annual = 0.05
paths = 400
seed = 11

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

[[site]]
name = "South, \"B\""
grid_mw = 20
power_price_usd_per_mwh = 45

[site.mining]
pue = 1.1
opex_usd_per_month = 100000
capex_usd = 2000000
[[site.mining.fleet]]
model = "S19j Pro"
count = 4000
ths = 104
j_per_th = 29.5
"#;

/// `SMALL` without its `[risk]` table: every σ and q at 0.
fn without_risk() -> String {
    let from = SMALL.find("[risk]").unwrap();
    let to = SMALL.find("[bitcoin]").unwrap();
    format!("{}{}", &SMALL[..from], &SMALL[to..])
}

/// A fresh folder `name` holding `SMALL` as `small.toml`; the file's path.
fn small(name: &str) -> (PathBuf, String) {
    let dir = scratch(name);
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let path = file.to_str().unwrap().to_string();
    (dir, path)
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

/// `hashpivot ARGS` that must fail with exit 2, its stderr.
#[track_caller]
fn fails(args: &[&str]) -> String {
    let out = hashpivot(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        text(&out.stdout)
    );
    text(&out.stderr)
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

fn digits(json: &Json) -> &str {
    match json {
        Json::Number(digits) => digits,
        other => panic!("not a number: {}", other.to_text()),
    }
}

/// A number written with exactly `places` decimals.
#[track_caller]
fn places(json: &Json, places: usize) {
    let text = digits(json);
    let (_, decimals) = text.split_once('.').expect(text);
    assert_eq!(decimals.len(), places, "{text}");
}

const STRATEGY_KEYS: [&str; 10] = [
    "npv_mean_usd",
    "npv_se_usd",
    "npv_p5_usd",
    "npv_p25_usd",
    "npv_p50_usd",
    "npv_p75_usd",
    "npv_p95_usd",
    "npv_cvar5_usd",
    "p_npv_positive",
    "p_payback",
];

#[test]
fn the_json_has_the_contract_shape_in_its_order() {
    let (_dir, file) = small("simulate-shape");
    let json = Json::parse(&ok(&[
        "simulate", &file, "--format", "json", "--paths", "60",
    ]))
    .unwrap();
    assert_eq!(
        keys(&json),
        ["scenario", "paths", "seed", "generator", "risk", "sites"]
    );
    assert_eq!(json.get("scenario").unwrap().as_str(), Some("Small risk"));
    assert_eq!(digits(json.get("paths").unwrap()), "60");
    assert_eq!(digits(json.get("seed").unwrap()), "11");
    assert_eq!(
        json.get("generator").unwrap().as_str(),
        Some("hashpivot-sm64-v1")
    );
    // As used, trailing zeros removed (0.60 → 0.6), like discount_rate.
    let risk = json.get("risk").unwrap();
    assert_eq!(
        risk.to_text(),
        r#"{"price_vol_annual":0.6,"hashrate_vol_annual":0.3,"price_hashrate_corr":0.5,"gpu_hour_vol_annual":0,"lease_default_annual":0.05}"#
    );
    let sites = items(json.get("sites").unwrap());
    assert_eq!(sites.len(), 2);
    // A site with both strategies: each strategy, then the comparison.
    let north = &sites[0];
    assert_eq!(
        keys(north),
        [
            "name",
            "mine",
            "ai",
            "p_ai_beats_mine",
            "p_ai_beats_mine_se",
            "advantage_mean_usd",
            "advantage_p5_usd",
            "advantage_p50_usd",
            "advantage_p95_usd",
        ]
    );
    for strategy in ["mine", "ai"] {
        let s = north.get(strategy).unwrap();
        assert_eq!(keys(s), STRATEGY_KEYS);
        for key in STRATEGY_KEYS {
            places(
                s.get(key).unwrap(),
                if key.starts_with("p_") { 4 } else { 2 },
            );
        }
    }
    for key in ["p_ai_beats_mine", "p_ai_beats_mine_se"] {
        places(north.get(key).unwrap(), 4);
    }
    for key in [
        "advantage_mean_usd",
        "advantage_p5_usd",
        "advantage_p50_usd",
        "advantage_p95_usd",
    ] {
        places(north.get(key).unwrap(), 2);
    }
    // A site that only mines: no `ai`, no comparison.
    assert_eq!(keys(&sites[1]), ["name", "mine"]);
    assert_eq!(sites[1].get("name").unwrap().as_str(), Some("South, \"B\""));
    // Two files (or a folder): an array in the order given.
    let two = Json::parse(&ok(&[
        "simulate", &file, &file, "--format", "json", "--paths", "3",
    ]))
    .unwrap();
    assert_eq!(items(&two).len(), 2);
}

/// With every σ and q at 0 every path is `run`'s: each statistic is
/// `run`'s NPV, the standard errors 0.00, the shares 0 or 1, and the
/// advantage `run`'s (signed: AI − mining).
#[test]
fn without_volatility_every_statistic_is_the_run() {
    let dir = scratch("simulate-no-risk");
    let file = dir.join("flat.toml");
    std::fs::write(&file, without_risk()).unwrap();
    let file = file.to_str().unwrap();
    let run = Json::parse(&ok(&["run", file, "--format", "json"])).unwrap();
    let sim = Json::parse(&ok(&["simulate", file, "--format", "json", "--paths", "7"])).unwrap();
    assert_eq!(
        sim.get("risk").unwrap().to_text(),
        r#"{"price_vol_annual":0,"hashrate_vol_annual":0,"price_hashrate_corr":0,"gpu_hour_vol_annual":0,"lease_default_annual":0}"#
    );
    // The file's [risk] is gone: seed 0 by default.
    assert_eq!(digits(sim.get("seed").unwrap()), "0");
    let run_sites = items(run.get("sites").unwrap());
    let sim_sites = items(sim.get("sites").unwrap());
    for (r, s) in run_sites.iter().zip(sim_sites) {
        for strategy in ["mine", "ai"] {
            let (Some(r), Some(s)) = (r.get(strategy), s.get(strategy)) else {
                continue;
            };
            let npv = digits(r.get("npv_usd").unwrap());
            for key in STRATEGY_KEYS
                .iter()
                .filter(|k| k.starts_with("npv_") && **k != "npv_se_usd")
            {
                assert_eq!(digits(s.get(key).unwrap()), npv, "{strategy} {key}");
            }
            assert_eq!(digits(s.get("npv_se_usd").unwrap()), "0.00");
            let positive = if npv.starts_with('-') || npv == "0.00" {
                "0.0000"
            } else {
                "1.0000"
            };
            assert_eq!(digits(s.get("p_npv_positive").unwrap()), positive);
            let paid = match r.get("payback_months").unwrap() {
                Json::Null => "0.0000",
                _ => "1.0000",
            };
            assert_eq!(digits(s.get("p_payback").unwrap()), paid);
        }
        if let Some(winner) = r.get("winner") {
            let margin = digits(r.get("npv_advantage_usd").unwrap());
            let (advantage, p) = match winner.as_str() {
                Some("ai") => (margin.to_string(), "1.0000"),
                _ if margin == "0.00" => (margin.to_string(), "0.0000"),
                _ => (format!("-{margin}"), "0.0000"),
            };
            for key in [
                "advantage_mean_usd",
                "advantage_p5_usd",
                "advantage_p50_usd",
                "advantage_p95_usd",
            ] {
                assert_eq!(digits(s.get(key).unwrap()), advantage, "{key}");
            }
            assert_eq!(digits(s.get("p_ai_beats_mine").unwrap()), p);
            assert_eq!(digits(s.get("p_ai_beats_mine_se").unwrap()), "0.0000");
        }
    }
    // The table says every path has the same advantage.
    let table = ok(&["simulate", file, "--paths", "7"]);
    assert!(
        table.contains("Every one of the 7 paths has the same advantage: "),
        "{table}"
    );
}

/// One path: no standard error (null), as docs/model.md says.
#[test]
fn one_path_has_no_standard_error() {
    let (_dir, file) = small("simulate-one-path");
    let json = Json::parse(&ok(&[
        "simulate", &file, "--format", "json", "--paths", "1",
    ]))
    .unwrap();
    let north = &items(json.get("sites").unwrap())[0];
    assert_eq!(
        north.get("mine").unwrap().get("npv_se_usd"),
        Some(&Json::Null)
    );
    // Every quantile is the one path's NPV.
    let mine = north.get("mine").unwrap();
    let mean = digits(mine.get("npv_mean_usd").unwrap());
    for key in ["npv_p5_usd", "npv_p50_usd", "npv_p95_usd", "npv_cvar5_usd"] {
        assert_eq!(digits(mine.get(key).unwrap()), mean);
    }
}

#[test]
fn threads_do_not_change_a_byte() {
    let (_dir, file) = small("simulate-threads");
    for format in ["json", "table", "csv"] {
        let one = ok(&[
            "simulate",
            &file,
            "--paths",
            "150",
            "--threads",
            "1",
            "--format",
            format,
        ]);
        let two = ok(&[
            "simulate",
            &file,
            "--paths",
            "150",
            "--threads",
            "2",
            "--format",
            format,
        ]);
        assert_eq!(one, two, "{format}");
    }
}

/// `--paths` and `--seed` win over `[risk]`; `--set risk.paths` is the
/// file's own value changed, which `--paths` still wins over.
#[test]
fn the_command_line_wins_over_risk() {
    let (_dir, file) = small("simulate-over-risk");
    let json = |args: &[&str]| {
        let mut all = vec!["simulate", file.as_str(), "--format", "json"];
        all.extend_from_slice(args);
        ok(&all)
    };
    let header = |out: &str| {
        let v = Json::parse(out).unwrap();
        (
            digits(v.get("paths").unwrap()).to_string(),
            digits(v.get("seed").unwrap()).to_string(),
        )
    };
    let given = json(&["--paths", "40", "--seed", "5"]);
    assert_eq!(header(&given), ("40".into(), "5".into()));
    // The same draws through --set: the same bytes.
    let set = json(&["--set", "risk.paths=40", "--set", "risk.seed=5"]);
    assert_eq!(given, set);
    // --paths over --set risk.paths.
    let both = json(&["--set", "risk.paths=90", "--paths", "40", "--seed", "5"]);
    assert_eq!(header(&both), ("40".into(), "5".into()));
    assert_eq!(
        both, given,
        "risk.paths is not a figure: only the count used matters"
    );
    // The file's own seed (11) draws other paths than seed 5.
    let file_seed = json(&["--paths", "40"]);
    assert_eq!(header(&file_seed), ("40".into(), "11".into()));
    assert_ne!(file_seed, given);
}

/// `--set risk.…` works as for any key: on a file without `[risk]` it
/// adds the volatility, and the draws spread.
#[test]
fn set_risk_works() {
    let dir = scratch("simulate-set-risk");
    let file = dir.join("flat.toml");
    std::fs::write(&file, without_risk()).unwrap();
    let file = file.to_str().unwrap();
    let out = ok(&[
        "simulate",
        file,
        "--format",
        "json",
        "--paths",
        "30",
        "--set",
        "risk.price_vol_annual=0.6",
    ]);
    let json = Json::parse(&out).unwrap();
    assert_eq!(
        digits(json.get("risk").unwrap().get("price_vol_annual").unwrap()),
        "0.6"
    );
    let mine = items(json.get("sites").unwrap())[0].get("mine").unwrap();
    assert_ne!(digits(mine.get("npv_se_usd").unwrap()), "0.00");
    assert_ne!(
        digits(mine.get("npv_p5_usd").unwrap()),
        digits(mine.get("npv_p95_usd").unwrap())
    );
    // The table lists the override.
    let table = ok(&[
        "simulate",
        file,
        "--paths",
        "30",
        "--set",
        "risk.price_vol_annual=0.6",
    ]);
    assert!(
        table.contains("\nOverrides: risk.price_vol_annual=0.6\n"),
        "{table}"
    );
    // An invalid one is reported against the override, as by run.
    let err = fails(&["simulate", file, "--set", "risk.price_hashrate_corr=2"]);
    assert_eq!(
        err,
        text(&hashpivot(&["run", file, "--set", "risk.price_hashrate_corr=2"]).stderr)
    );
    assert!(
        err.starts_with("error: risk.price_hashrate_corr = 2 needs"),
        "{err}"
    );
}

#[test]
fn the_csv_is_one_rectangle() {
    let (_dir, file) = small("simulate-csv");
    let out = ok(&["simulate", &file, "--format", "csv", "--paths", "20"]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "scenario,site,strategy,generator,seed,paths,price_vol_annual,hashrate_vol_annual,price_hashrate_corr,gpu_hour_vol_annual,lease_default_annual,npv_mean_usd,npv_se_usd,npv_p5_usd,npv_p25_usd,npv_p50_usd,npv_p75_usd,npv_p95_usd,npv_cvar5_usd,p_npv_positive,p_payback,p_ai_beats_mine,p_ai_beats_mine_se,advantage_mean_usd,advantage_p5_usd,advantage_p50_usd,advantage_p95_usd,file"
    );
    let rows: Vec<&str> = lines.collect();
    // North's two strategies, South's one.
    assert_eq!(rows.len(), 3);
    assert!(
        rows[0].starts_with("Small risk,North,mine,hashpivot-sm64-v1,11,20,0.6,0.3,0.5,0,0.05,")
    );
    assert!(rows[1].starts_with("Small risk,North,ai,"));
    assert!(rows[2].starts_with("Small risk,\"South, \"\"B\"\"\",mine,"));
    // North's rows repeat its comparison; South's leaves it empty.
    fn tail(row: &str) -> Vec<&str> {
        row.rsplitn(8, ',').skip(1).take(6).collect()
    }
    assert_eq!(tail(rows[0]), tail(rows[1]));
    assert!(rows[2].ends_with(&format!(",,,,,,,{file}")), "{}", rows[2]);
    // With --set, an overrides column before file.
    let set = ok(&[
        "simulate",
        &file,
        "--format",
        "csv",
        "--paths",
        "5",
        "--set",
        "risk.seed=2",
    ]);
    assert!(set.lines().next().unwrap().ends_with(",overrides,file"));
    assert!(
        set.lines()
            .nth(1)
            .unwrap()
            .ends_with(&format!(",risk.seed=2,{file}"))
    );
}

/// Every line of the table fits 80 columns, and it states the draws.
#[test]
fn the_table_fits_and_states_its_inputs() {
    let (_dir, file) = small("simulate-table");
    let table = ok(&["simulate", &file, "--paths", "200"]);
    for line in table.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert!(
        table.starts_with("Risk: Small risk\n200 paths · seed 11 · generator hashpivot-sm64-v1\n"),
        "{table}"
    );
    assert!(
        table.contains(
            "\nVolatility a year: BTC price 60 % · network hashrate 30 % · GPU-hour rate 0 %\n"
        ),
        "{table}"
    );
    assert!(
        table.contains(
            "\nPrice and hashrate shocks correlated 0.5 · colocation tenant default 5 % a year\n"
        ),
        "{table}"
    );
    assert!(
        table.contains("\nAdvantage of converting (AI NPV − mining NPV) over the 200 paths\n"),
        "{table}"
    );
    // The histogram's split is the JSON's share.
    let json = Json::parse(&ok(&[
        "simulate", &file, "--paths", "200", "--format", "json",
    ]))
    .unwrap();
    let p = digits(
        items(json.get("sites").unwrap())[0]
            .get("p_ai_beats_mine")
            .unwrap(),
    );
    // 0.4150 → 41.50 %: the fraction's four decimals, shifted.
    let percent = format!(
        "{:.2}",
        rust_decimal::Decimal::from_str_exact(p).unwrap() * rust_decimal::Decimal::ONE_HUNDRED
    );
    assert!(
        table.contains(&format!("AI beats mining on {percent} % ± ")),
        "{table}"
    );
    assert!(
        table.contains(&format!(" paths ({percent} %)\n")),
        "{table}"
    );
    // SMALL has no exit multiples; West Texas has (mining 3×, AI 10×).
    let note = "P(pays back) includes paths that pay back only through the exit value";
    assert!(!table.contains(note), "{table}");
    let texas = ok(&[
        "simulate",
        "scenarios/texas-west-curtailment.toml",
        "--paths",
        "3",
    ]);
    assert!(
        texas.contains(&format!("\n{note}, in the\nlast month\n")),
        "{texas}"
    );
    let ahead = table.lines().find(|l| l.contains("█ AI ahead: ")).unwrap();
    assert!(ahead.ends_with(&format!(" paths ({percent} %)")), "{ahead}");
}

/// A format-1 file: exit 2, the message naming the file; other files of
/// the batch still print.
#[test]
fn a_format_1_file_is_refused() {
    let err = fails(&["simulate", "scenarios/lake-mariner.toml"]);
    assert_eq!(
        err,
        "error: scenario \"Lake Mariner: mine or lease to AI\" is format 1: simulate needs format = 2 (its [risk] table and the format-2 model: shutdown, terminal values, a later start)\n --> scenarios/lake-mariner.toml\n"
    );
    let (_dir, file) = small("simulate-format-1");
    let out = hashpivot(&[
        "simulate",
        "scenarios/lake-mariner.toml",
        &file,
        "--paths",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), err);
    let json = Json::parse(&text(&out.stdout)).unwrap();
    assert_eq!(items(&json).len(), 1);
}

#[test]
fn bad_arguments_are_refused() {
    let (_dir, file) = small("simulate-bad-args");
    for paths in ["0", "10000001", "2.5", "ten"] {
        let err = fails(&["simulate", &file, "--paths", paths]);
        assert!(
            err.starts_with(&format!(
                "error: invalid value '{paths}' for '--paths <N>': needs 1 ≤ paths ≤ 10000000, a whole number"
            )),
            "{err}"
        );
    }
    let err = fails(&["simulate", &file, "--seed=-3"]);
    assert!(
        err.contains("needs seed ≥ 0, a whole number below 2^64"),
        "{err}"
    );
    let err = fails(&["simulate", &file, "--threads", "0"]);
    assert!(err.contains("needs a whole number of threads ≥ 1"), "{err}");
    assert_eq!(
        fails(&["simulate", &file, "--shard", "1/2"]),
        "error: --shard needs --format csv or --format jsonl: a shard writes its paths' records for --merge, and a summary of one shard's paths is not the run's\n"
    );
    assert_eq!(
        fails(&["simulate", &file, "--format", "jsonl"]),
        "error: --format jsonl writes shard records: give --shard K/N too (a summary is --format table, json or csv)\n"
    );
    assert_eq!(
        fails(&[
            "simulate", &file, &file, "--shard", "1/2", "--format", "csv"
        ]),
        "error: --shard takes one scenario file, not several or a folder: shards and their merge are of one scenario\n"
    );
    let folder = Path::new(&file)
        .parent()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        fails(&["simulate", &folder, "--merge", &file]),
        "error: --merge takes one scenario file, not several or a folder: shards and their merge are of one scenario\n"
    );
}

/// Shards `K/N` for N = 1, 3 and 7, merged, print the unsharded run byte
/// for byte, in JSON and as the table (CSV shards, JSON Lines shards, and
/// both at once).
#[test]
fn shards_merge_into_the_run() {
    let (dir, file) = small("simulate-shards");
    let paths = "120";
    let run = |format: &str| ok(&["simulate", &file, "--paths", paths, "--format", format]);
    let (json, table) = (run("json"), run("table"));
    for n in [1, 3, 7] {
        let mut parts = Vec::new();
        for k in 1..=n {
            // Shards alternate CSV and JSON Lines.
            let format = if k % 2 == 1 { "csv" } else { "jsonl" };
            let part = dir.join(format!("part-{k}-of-{n}.{format}"));
            let part = part.to_str().unwrap().to_string();
            let shard = format!("{k}/{n}");
            ok(&[
                "simulate", &file, "--paths", paths, "--shard", &shard, "--format", format, "-o",
                &part,
            ]);
            parts.push(part);
        }
        for (format, whole) in [("json", &json), ("table", &table)] {
            let mut args = vec![
                "simulate",
                file.as_str(),
                "--paths",
                paths,
                "--format",
                format,
                "--merge",
            ];
            args.extend(parts.iter().map(String::as_str));
            assert_eq!(&ok(&args), whole, "{n} shards, {format}");
        }
    }
    // A shard's records: its paths, one line per site, in path order;
    // NPVs in full, blanks where South has no AI.
    let part = std::fs::read_to_string(dir.join("part-2-of-3.jsonl")).unwrap();
    let first: Vec<&str> = part.lines().take(2).collect();
    assert!(
        first[0].starts_with("{\"path\":1,\"site\":\"North\",\"mine_npv_usd\":"),
        "{}",
        first[0]
    );
    assert!(
        first[1].starts_with("{\"path\":1,\"site\":\"South, \\\"B\\\"\",\"mine_npv_usd\":"),
        "{}",
        first[1]
    );
    assert!(first[1].contains("\"ai_npv_usd\":null,"), "{}", first[1]);
    assert!(
        first[1]
            .contains(",\"scenario\":\"Small risk\",\"seed\":11,\"paths\":120,\"fingerprint\":\""),
        "{}",
        first[1]
    );
    assert_eq!(part.lines().count(), 2 * 40);
    let csv = std::fs::read_to_string(dir.join("part-1-of-1.csv")).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "path,site,mine_npv_usd,ai_npv_usd,mine_payback_months,ai_payback_months,advantage_usd,scenario,seed,paths,fingerprint"
    );
    assert_eq!(csv.lines().count(), 1 + 2 * 120);
}

/// What a merge refuses, each with its exact message (exit 2, nothing
/// on stdout).
#[test]
fn a_merge_refuses_what_is_not_the_run() {
    let (dir, file) = small("simulate-merge-errors");
    let part = |k: u32, n: u32, extra: &[&str]| -> String {
        let path = dir.join(format!(
            "p{k}of{n}{}.csv",
            extra.join("").replace(['=', '.', '-'], "")
        ));
        let path = path.to_str().unwrap().to_string();
        let shard = format!("{k}/{n}");
        let mut args = vec![
            "simulate",
            file.as_str(),
            "--paths",
            "9",
            "--shard",
            &shard,
            "--format",
            "csv",
            "-o",
            &path,
        ];
        args.extend_from_slice(extra);
        ok(&args);
        path
    };
    let merge = |parts: &[&str], extra: &[&str]| -> String {
        let mut args = vec![
            "simulate",
            file.as_str(),
            "--paths",
            "9",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        args.push("--merge");
        args.extend_from_slice(parts);
        let out = hashpivot(&args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
        assert_eq!(text(&out.stdout), "");
        text(&out.stderr)
    };
    let (a, b, c) = (part(1, 3, &[]), part(2, 3, &[]), part(3, 3, &[]));
    // A shard left out: paths 2, 5 and 8.
    assert_eq!(
        merge(&[&a, &b], &[]),
        "error: 3 of the 9 paths are in none of the shard files (the first: path 2): each path must be in exactly one (was a shard left out?)\n"
    );
    // A shard given twice: its first record (path 1, North) is line 2.
    assert_eq!(
        merge(&[&a, &b, &c, &b], &[]),
        format!(
            "error: {b}:2: path 1 of site \"North\" is also at {b}:2: each path must be in exactly one shard (was a shard given twice?)\n"
        )
    );
    // Another seed, another path count: the merge says which.
    assert_eq!(
        merge(&[&a, &b, &c], &["--seed", "12"]),
        format!(
            "error: {a}:2: a record drawn with seed 11, but this merge's seed is 12: give the merge the shards' --seed (shards and their merge need the same scenario file, --set, --paths and --seed)\n"
        )
    );
    let other = {
        let path = dir.join("paths10.csv");
        let path = path.to_str().unwrap().to_string();
        ok(&[
            "simulate", &file, "--paths", "10", "--shard", "1/1", "--format", "csv", "-o", &path,
        ]);
        path
    };
    assert_eq!(
        merge(&[&other], &[]),
        format!(
            "error: {other}:2: a record of a run of 10 paths, but this merge has 9: give the merge the shards' --paths (shards and their merge need the same scenario file, --set, --paths and --seed)\n"
        )
    );
    // Other inputs: a shard run with a --set the merge lacks.
    let set = part(1, 3, &["--set", "risk.lease_default_annual=0.1"]);
    let err = merge(&[&set, &b, &c], &[]);
    assert!(
        err.starts_with(&format!(
            "error: {set}:2: a record of other inputs (scenario \"Small risk\", fingerprint "
        )),
        "{err}"
    );
    assert!(
        err.ends_with(
            "): shards and their merge need the same scenario file, --set, --paths and --seed\n"
        ),
        "{err}"
    );
    // With the same --set it merges.
    let (b2, c2) = (
        part(2, 3, &["--set", "risk.lease_default_annual=0.1"]),
        part(3, 3, &["--set", "risk.lease_default_annual=0.1"]),
    );
    ok(&[
        "simulate",
        &file,
        "--paths",
        "9",
        "--set",
        "risk.lease_default_annual=0.1",
        "--merge",
        &set,
        &b2,
        &c2,
    ]);
    // Lines that are not records: a damaged number, a short line, a site
    // the scenario lacks, a blank NPV, a file that is not records.
    let damaged = dir.join("damaged.csv");
    let damaged_path = damaged.to_str().unwrap().to_string();
    let body = std::fs::read_to_string(&c).unwrap();
    let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
    let edit = |lines: &mut Vec<String>, at: usize, from: &str, to: &str| {
        lines[at] = lines[at].replacen(from, to, 1);
    };
    let write = |lines: &[String]| std::fs::write(&damaged, lines.join("\n") + "\n").unwrap();
    let original = lines.clone();
    // Line 2 is path 2's first site, North.
    let npv = lines[1].split(',').nth(2).unwrap().to_string();
    edit(&mut lines, 1, &npv, "12x");
    write(&lines);
    assert_eq!(
        merge(&[&a, &b, &damaged_path], &[]),
        format!("error: {damaged_path}:2: mine_npv_usd \"12x\" is not a decimal number\n")
    );
    lines = original.clone();
    lines[3] = "5,North".into();
    write(&lines);
    assert_eq!(
        merge(&[&a, &b, &damaged_path], &[]),
        format!("error: {damaged_path}:4: 2 fields, but the header has 11\n")
    );
    lines = original.clone();
    edit(&mut lines, 1, "North", "Nowhere");
    write(&lines);
    assert_eq!(
        merge(&[&a, &b, &damaged_path], &[]),
        format!(
            "error: {damaged_path}:2: site \"Nowhere\" is not a site of scenario \"Small risk\"\n"
        )
    );
    lines = original.clone();
    edit(
        &mut lines,
        1,
        &format!(",{}", original[1].split(',').nth(3).unwrap()),
        ",",
    );
    write(&lines);
    assert_eq!(
        merge(&[&a, &b, &damaged_path], &[]),
        format!("error: {damaged_path}:2: ai_npv_usd is blank, but site \"North\" has [site.ai]\n")
    );
    std::fs::write(&damaged, "path,site\n1,North\n").unwrap();
    assert_eq!(
        merge(&[&a, &b, &damaged_path], &[]),
        format!(
            "error: {damaged_path}:1: not simulate shard records: the first line must be the header path,site,mine_npv_usd,ai_npv_usd,mine_payback_months,ai_payback_months,advantage_usd,scenario,seed,paths,fingerprint\n"
        )
    );
    std::fs::write(&damaged, "{\"path\": 1, \"site\": [2]}\n").unwrap();
    assert_eq!(
        merge(&[&a, &b, &damaged_path], &[]),
        format!("error: {damaged_path}:1: site is [2], not a number, a string or null\n")
    );
    let missing = dir.join("no-such-part.csv");
    let missing = missing.to_str().unwrap();
    assert_eq!(
        merge(&[&a, missing], &[]),
        format!("error: cannot read {missing}: No such file or directory (os error 2)\n")
    );
}

/// `-o` for a summary and for a shard: written whole, and a shard that
/// is refused leaves an existing file as it was.
#[test]
fn output_files_are_written_whole() {
    let (dir, file) = small("simulate-output");
    let out = dir.join("sim.json");
    let out = out.to_str().unwrap();
    assert_eq!(
        ok(&[
            "simulate", &file, "--paths", "5", "--format", "json", "-o", out
        ]),
        ""
    );
    assert_eq!(
        std::fs::read_to_string(out).unwrap(),
        ok(&["simulate", &file, "--paths", "5", "--format", "json"])
    );
    std::fs::write(out, "kept").unwrap();
    fails(&[
        "simulate",
        "scenarios/lake-mariner.toml",
        "--shard",
        "1/2",
        "--format",
        "csv",
        "-o",
        out,
    ]);
    assert_eq!(std::fs::read_to_string(out).unwrap(), "kept");
    // -o naming the scenario is refused.
    let err = fails(&["simulate", &file, "-o", &file]);
    assert!(err.contains("is one of the inputs"), "{err}");
}

/// `--fan` without risk: every band of every month is `run --monthly`'s
/// cumulative cash of that month (the same rounding), for every site and
/// strategy of a shipped file; any format but CSV is refused (exit 2).
#[test]
fn without_risk_the_fan_rows_are_the_runs_cumulative_cash() {
    let file = "scenarios/texas-west-curtailment.toml";
    let zero = [
        "--set",
        "risk.price_vol_annual=0",
        "--set",
        "risk.hashrate_vol_annual=0",
        "--set",
        "risk.lease_default_annual=0",
        "--set",
        "risk.gpu_hour_vol_annual=0",
    ];
    let mut fan_args = vec!["simulate", file, "--fan", "--format", "csv", "--paths", "3"];
    fan_args.extend(zero);
    let fan = ok(&fan_args);
    let mut run_args = vec!["run", file, "--monthly", "--format", "csv"];
    run_args.extend(zero);
    let run = ok(&run_args);
    let column = |header: &str, name: &str| header.split(',').position(|h| h == name).unwrap();
    let mut run_lines = run.lines();
    let run_header = run_lines.next().unwrap();
    let cumulative = column(run_header, "cumulative_cash_usd");
    // (site, strategy, month) → cumulative cash; names here have no commas.
    let expected: Vec<(String, String)> = run_lines
        .map(|l| {
            let f: Vec<&str> = l.rsplitn(run_header.split(',').count() - 1, ',').collect();
            let f: Vec<&str> = f.into_iter().rev().collect();
            // f[0] = site (after the quoted scenario), f[1] strategy, f[2] month.
            (
                format!("{},{},{}", f[0], f[1], f[2]),
                f[cumulative - 1].to_string(),
            )
        })
        .collect();
    let mut fan_lines = fan.lines();
    assert_eq!(
        fan_lines.next().unwrap(),
        "scenario,site,strategy,month,fan_paths,p5_usd,p25_usd,p50_usd,p75_usd,p95_usd,file"
    );
    let rows: Vec<&str> = fan_lines.collect();
    assert_eq!(rows.len(), expected.len());
    for (row, (key, cash)) in rows.iter().zip(&expected) {
        let f: Vec<&str> = row.rsplitn(10, ',').collect();
        let f: Vec<&str> = f.into_iter().rev().collect();
        assert_eq!(format!("{},{},{}", f[0], f[1], f[2]), *key, "{row}");
        assert_eq!(f[3], "3", "{row}");
        for band in &f[4..9] {
            assert_eq!(band, cash, "{row}");
        }
        assert_eq!(f[9], file);
    }
    let err = fails(&["simulate", file, "--fan", "--paths", "3"]);
    assert_eq!(
        err,
        "error: --fan writes the fan as CSV (a row per site, strategy and month): give --format csv\n"
    );
}
