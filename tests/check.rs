//! `check` and `diff`: golden files, reports that name what moved, exit
//! codes.

mod common;

use common::{hashpivot, scratch, text};
use std::path::{Path, PathBuf};

const SCENARIO: &str = r#"format = 1
name = "Two sites"
start = "2026-01"
months = 24

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 930000

[[site]]
name = "North"
grid_mw = 50
power_price_usd_per_mwh = 40

[site.mining]
hashrate_ths = 1000000
efficiency_j_per_th = 20
capex_usd = 5000000

[site.ai]
kind = "colocation"
it_mw = 30
pue = 1.3
lease_usd_per_kw_month = 150
conversion_capex_usd = 60000000

[[site]]
name = "South"
grid_mw = 50
power_price_usd_per_mwh = 30

[site.ai]
kind = "colocation"
it_mw = 30
pue = 1.3
lease_usd_per_kw_month = 150
"#;

/// A fresh folder holding `two.toml` and, after `check --update`, its golden.
fn workspace(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("two.toml"), SCENARIO).unwrap();
    let out = hashpivot(&["check", "--update", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let body = std::fs::read_to_string(path).unwrap();
    assert!(body.contains(from), "{from}");
    std::fs::write(path, body.replacen(from, to, 1)).unwrap();
}

fn check(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = hashpivot(&all);
    (
        out.status.code().unwrap(),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// A figure of `run --format json` for the scenario, as printed.
fn figure(toml: &Path, site: &str, strategy: &str, key: &str) -> String {
    let json = text(&hashpivot(&["run", toml.to_str().unwrap(), "--format", "json"]).stdout);
    let site_at = json.find(&format!("\"name\": \"{site}\"")).unwrap();
    let from = site_at
        + json[site_at..]
            .find(&format!("\"{strategy}\": {{"))
            .unwrap();
    let at = from + json[from..].find(&format!("\"{key}\": ")).unwrap();
    json[at..]
        .split([',', '\n'])
        .next()
        .unwrap()
        .split(": ")
        .nth(1)
        .unwrap()
        .to_string()
}

#[test]
fn update_then_check_passes() {
    let dir = workspace("update");
    let golden = std::fs::read_to_string(dir.join("two.golden.json")).unwrap();
    assert!(golden.starts_with(&format!(
        "{{\n  \"hashpivot\": \"{}\",\n  \"format\": 1,\n  \"summary\": {{\n    \"scenario\": \"Two sites\",",
        env!("CARGO_PKG_VERSION")
    )));
    let (code, out, err) = check(&[dir.to_str().unwrap()]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "ok [Two sites]\n1 scenario, 0 changed, 0 figures moved\n"
    );
}

#[test]
fn a_moved_figure_is_named_with_its_delta() {
    let dir = workspace("moved");
    let toml = dir.join("two.toml");
    let old = figure(&toml, "South", "ai", "revenue_usd");
    let old_npv = figure(&toml, "South", "ai", "npv_usd");
    // South's AI side has no costs at all (no capex, opex or power cost):
    // its NPV is zero at a zero lease, whatever the lease is.
    assert_eq!(figure(&toml, "South", "ai", "breakeven_rate"), "0.0000");
    // The South site's lease is the last line: 150 → 160 raises its
    // revenue by 30,000 kW · $10 · 24 months = 7,200,000.00 (from
    // 108,000,000.00: +6.67 %).
    let body = std::fs::read_to_string(&toml).unwrap();
    let at = body.rfind("lease_usd_per_kw_month = 150").unwrap();
    std::fs::write(
        &toml,
        format!("{}lease_usd_per_kw_month = 160\n", &body[..at]),
    )
    .unwrap();
    assert_eq!(old, "108000000.00");
    assert_eq!(figure(&toml, "South", "ai", "revenue_usd"), "115200000.00");
    let new_npv = figure(&toml, "South", "ai", "npv_usd");
    assert_ne!(old_npv, new_npv);
    // The breakeven rate is the lease at which the NPV is zero: the lease
    // itself does not move it.
    assert_eq!(figure(&toml, "South", "ai", "breakeven_rate"), "0.0000");
    let (code, out, _) = check(&[dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.contains("[Two sites] sites[South].ai.revenue_usd: 108000000.00 → 115200000.00 (+7200000.00, +6.67 %)\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "[Two sites] sites[South].ai.npv_usd: {old_npv} → {new_npv} ("
        )),
        "{out}"
    );
    // Exactly the figures the lease drives are named, nothing else (not
    // the breakeven rate, not North), and the count agrees.
    let moved: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("[Two sites] "))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        moved,
        [
            "sites[South].ai.revenue_usd",
            "sites[South].ai.net_cash_usd",
            "sites[South].ai.npv_usd",
        ],
        "{out}"
    );
    assert!(
        out.ends_with("\n1 scenario, 1 changed, 3 figures moved\n"),
        "{out}"
    );
}

#[test]
fn a_change_within_abs_or_rel_passes() {
    let dir = workspace("tolerance");
    let toml = dir.join("two.toml");
    edit(&toml, "price_usd = 100000", "price_usd = 100000.01");
    let (code, out, _) = check(&[dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    // A cent on the BTC price moves mining revenue by well under $10 and
    // the BTC price-derived figures by under 0.001 %.
    let (code, out, _) = check(&[dir.to_str().unwrap(), "--abs", "10"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = check(&[dir.to_str().unwrap(), "--rel", "0.00001"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn missing_golden_exits_1() {
    let dir = workspace("missing");
    std::fs::remove_file(dir.join("two.golden.json")).unwrap();
    let (code, out, _) = check(&[dir.join("two.toml").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains(&format!(
        "[Two sites] no golden file: {} (create it with check --update)\n",
        dir.join("two.golden.json").display()
    )));
}

#[test]
fn vanished_and_new_sites_and_a_changed_winner() {
    let dir = workspace("sites");
    let toml = dir.join("two.toml");
    edit(&toml, "name = \"South\"", "name = \"East\"");
    edit(
        &toml,
        "lease_usd_per_kw_month = 150",
        "lease_usd_per_kw_month = 1",
    );
    let (code, out, _) = check(&[dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.contains("[Two sites] sites[South]: vanished (was {\"name\":\"South\""),
        "{out}"
    );
    assert!(
        out.contains("[Two sites] sites[East]: appeared ({\"name\":\"East\""),
        "{out}"
    );
    assert!(
        out.contains("[Two sites] sites[North].winner: \"ai\" → \"mine\"\n"),
        "{out}"
    );
}

#[test]
fn null_to_number() {
    let dir = workspace("null");
    let toml = dir.join("two.toml");
    // Without capex North's mining cash flows never turn negative: its IRR
    // is null; with it, IRR exists. Store the capex-free golden first.
    edit(&toml, "capex_usd = 5000000\n", "");
    let (code, out, err) = check(&["--update", dir.to_str().unwrap()]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.contains("[Two sites] sites[North].mine.irr: "), "{out}");
    assert!(out.contains("\nupdated [Two sites]\n"), "{out}");
    assert_eq!(figure(&toml, "North", "mine", "irr"), "null");
    let body = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        body.replacen(
            "efficiency_j_per_th = 20\n",
            "efficiency_j_per_th = 20\ncapex_usd = 5000000\n",
            1,
        ),
    )
    .unwrap();
    let irr = figure(&toml, "North", "mine", "irr");
    let (code, out, _) = check(&[dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "[Two sites] sites[North].mine.irr: null → {irr}\n"
        )),
        "{out}"
    );
}

#[test]
fn load_failures_outrank_changes_and_keep_their_goldens() {
    let dir = workspace("failing");
    std::fs::write(dir.join("bad.toml"), "format = 3\n").unwrap();
    std::fs::write(dir.join("bad.golden.json"), "untouched").unwrap();
    edit(
        &dir.join("two.toml"),
        "price_usd = 100000",
        "price_usd = 90000",
    );
    let (code, out, err) = check(&[dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        out.contains("[Two sites] sites[North].mine.revenue_usd"),
        "{out}"
    );
    assert!(out.contains("failed to load: "), "{out}");
    assert!(err.starts_with("error: format = 3 is not supported"));
    let (code, _, _) = check(&["--update", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.golden.json")).unwrap(),
        "untouched"
    );
    let (code, _, _) = check(&[dir.join("two.toml").to_str().unwrap()]);
    assert_eq!(code, 0);
}

#[test]
fn a_golden_of_another_format_is_an_error() {
    let dir = workspace("format");
    edit(
        &dir.join("two.golden.json"),
        "\"format\": 1",
        "\"format\": 2",
    );
    let (code, _, err) = check(&[dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: {}: a golden of format 2, but this hashpivot writes format 1: regenerate it with check --update\n",
            dir.join("two.golden.json").display()
        )
    );
}

#[test]
fn golden_dir_keeps_goldens_elsewhere() {
    let dir = workspace("elsewhere");
    let goldens = dir.join("goldens");
    std::fs::create_dir_all(&goldens).unwrap();
    let toml = dir.join("two.toml");
    let (code, _, _) = check(&[
        "--update",
        "--golden-dir",
        goldens.to_str().unwrap(),
        toml.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(goldens.join("two.golden.json").exists());
    let (code, _, _) = check(&[
        "--golden-dir",
        goldens.to_str().unwrap(),
        toml.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
}

#[test]
fn json_report_for_ci() {
    let dir = workspace("json");
    edit(
        &dir.join("two.toml"),
        "price_usd = 100000",
        "price_usd = 90000",
    );
    let (code, out, _) = check(&[dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["scenarios"], 1);
    assert_eq!(report["changed"], 1);
    assert_eq!(report["results"][0]["status"], "changed");
    let changes = report["results"][0]["changes"].as_array().unwrap();
    // 100,000 → 90,000 is −10 % on the month-0 hashprice.
    let hashprice = &changes[0];
    assert_eq!(hashprice["path"], "network.hashprice_usd_per_ph_day");
    assert_eq!(hashprice["kind"], "moved");
    assert_eq!(hashprice["change_percent"].as_f64(), Some(-10.0));
    assert!(out.contains("\"change_percent\": -10.00\n"), "{out}");
    assert!(
        changes
            .iter()
            .any(|c| c["path"] == "sites[North].mine.revenue_usd")
    );
}

#[test]
fn diff_compares_saved_outputs_by_scenario() {
    let dir = workspace("diff");
    let old = dir.join("old.json");
    let new = dir.join("new.json");
    let run = |args: &[&str], to: &Path| {
        let mut all = vec!["run"];
        all.extend_from_slice(args);
        all.extend(["--format", "json", "-o", to.to_str().unwrap()]);
        assert_eq!(hashpivot(&all).status.code(), Some(0));
    };
    let two = dir.join("two.toml");
    run(
        &[two.to_str().unwrap(), "scenarios/halving-2028.toml"],
        &old,
    );
    // Same scenarios, other order; North's uptime lowered.
    edit(
        &two,
        "efficiency_j_per_th = 20",
        "efficiency_j_per_th = 20\nuptime = 0.9",
    );
    run(
        &["scenarios/halving-2028.toml", two.to_str().unwrap()],
        &new,
    );
    let out = hashpivot(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(
        report.contains("ok [Through the 2028 halving]\n"),
        "{report}"
    );
    assert!(
        report.contains("[Two sites] sites[North].mine.btc_mined: "),
        "{report}"
    );
    let same = hashpivot(&["diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(
        text(&same.stdout).lines().last(),
        Some("2 scenarios, 0 changed, 0 figures moved")
    );
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{").unwrap();
    let bad = hashpivot(&["diff", old.to_str().unwrap(), broken.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
}

/// `check --update` says per golden whether it was created, updated or
/// left unchanged, and counts each in its summary line; an unchanged
/// golden is not rewritten.
#[test]
fn update_says_what_it_did_to_each_golden() {
    let dir = scratch("update-verdicts");
    std::fs::write(dir.join("two.toml"), SCENARIO).unwrap();
    std::fs::write(
        dir.join("three.toml"),
        SCENARIO.replace("Two sites", "Three sites"),
    )
    .unwrap();
    let folder = dir.to_str().unwrap();
    let (code, out, err) = check(&["--update", folder]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "created [Three sites]\ncreated [Two sites]\n\
         2 scenarios: 0 unchanged, 0 updated, 2 created, 0 figures moved\n"
    );
    // Mark the stored golden: an unchanged one keeps its bytes.
    let golden = dir.join("three.golden.json");
    let stored = std::fs::read(&golden).unwrap();
    edit(
        &dir.join("two.toml"),
        "lease_usd_per_kw_month = 150\n",
        "lease_usd_per_kw_month = 151\n",
    );
    let (code, out, _) = check(&["--update", folder]);
    assert_eq!(code, 0);
    assert!(out.starts_with("unchanged [Three sites]\n"), "{out}");
    assert!(out.contains("\nupdated [Two sites]\n"), "{out}");
    assert!(
        out.ends_with("\n2 scenarios: 1 unchanged, 1 updated, 0 created, 6 figures moved\n"),
        "{out}"
    );
    assert_eq!(std::fs::read(&golden).unwrap(), stored);
}

/// Each entry of the JSON report names its scenario file.
#[test]
fn the_json_report_names_each_file() {
    let dir = workspace("json-report-file");
    let scenario = dir.join("two.toml");
    let out = hashpivot(&["check", "--format", "json", scenario.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["results"][0]["scenario"], "Two sites");
    assert_eq!(
        report["results"][0]["file"],
        scenario.to_str().unwrap(),
        "{report}"
    );
}
