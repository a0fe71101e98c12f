//! `hashpivot explain`: its figures are `run --monthly`'s, its rows add up
//! to the month, a month worked by hand, and its errors.
//!
//! Every number is compared as the text the binary printed (read with
//! `hashpivot::exact_json`, which keeps each number's digits), so "equal"
//! means byte for byte, not "close as floats".

mod common;

use common::{hashpivot, text};
use hashpivot::exact_json::Json;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;

fn json(args: &[&str]) -> Json {
    let out = hashpivot(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    Json::parse(&text(&out.stdout)).unwrap()
}

fn items(j: &Json) -> &[Json] {
    match j {
        Json::Array(items) => items,
        _ => &[],
    }
}

fn number(j: &Json) -> Decimal {
    match j {
        Json::Number(n) => Decimal::from_str(n).unwrap(),
        other => panic!("not a number: {other:?}"),
    }
}

fn month_label(start: &str, i: usize) -> String {
    let year: usize = start[..4].parse().unwrap();
    let month: usize = start[5..].parse().unwrap();
    let z = year * 12 + month - 1 + i;
    format!("{:04}-{:02}", z / 12, z % 12 + 1)
}

fn month_index(start: &str, label: &str) -> usize {
    let m = |t: &str| t[..4].parse::<usize>().unwrap() * 12 + t[5..].parse::<usize>().unwrap();
    m(label) - m(start)
}

/// Every shipped scenario.
fn scenarios() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    out
}

/// The `monthly_key` figures of a section: key → value text.
fn keyed(section: &Json, into: &mut Vec<(String, String)>) {
    for f in items(section.get("figures").unwrap()) {
        if let Some(Json::String(key)) = f.get("monthly_key") {
            into.push((key.clone(), f.get("value").unwrap().to_text()));
        }
    }
}

/// The value of the figure named `name` in `section`.
fn figure(section: &Json, name: &str) -> Decimal {
    let f = items(section.get("figures").unwrap())
        .iter()
        .find(|f| f.get("name").and_then(Json::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no figure {name:?}"));
    number(f.get("value").unwrap())
}

fn title(section: &Json) -> &str {
    section.get("title").and_then(Json::as_str).unwrap()
}

/// The months each shipped scenario is explained in: 0, the halving
/// months, a month of the AI build (and its start, when later), go-live
/// and the last month.
fn months_of(summary: &Json, start: &str) -> BTreeSet<usize> {
    let n: usize = summary.get("months").unwrap().to_text().parse().unwrap();
    let mut months = BTreeSet::from([0, n - 1]);
    for h in items(summary.get("network").unwrap().get("halvings").unwrap()) {
        months.insert(month_index(
            start,
            h.get("month").unwrap().as_str().unwrap(),
        ));
    }
    for site in items(summary.get("sites").unwrap()) {
        let Some(ai) = site.get("ai") else { continue };
        let s = ai
            .get("start")
            .and_then(Json::as_str)
            .map_or(0, |m| month_index(start, m));
        months.insert(s);
        if let Some(live) = ai.get("go_live").and_then(Json::as_str) {
            let l = month_index(start, live);
            months.insert(l);
            if l > s + 1 {
                months.insert(s + 1);
            }
        }
    }
    months.retain(|&i| i < n);
    months
}

/// On every shipped scenario, for each site, strategy and the months of
/// [`months_of`], every figure `explain` marks with a `monthly_key` is
/// the text `run --monthly --format json` prints under that key for that
/// month, and every key of the monthly row (but `month`) is among them.
#[test]
fn figures_equal_run_monthly_on_every_shipped_scenario() {
    let mut compared = 0;
    for file in scenarios() {
        let summary = json(&["run", &file, "--monthly", "--format", "json"]);
        let format2 = summary.get("format").is_some();
        let start = match summary.get("start").and_then(Json::as_str) {
            Some(s) => s.to_string(),
            None => {
                let toml = std::fs::read_to_string(&file).unwrap();
                let line = toml.lines().find(|l| l.starts_with("start")).unwrap();
                line.split('"').nth(1).unwrap().to_string()
            }
        };
        let months = months_of(&summary, &start);
        for (s, site) in items(summary.get("sites").unwrap()).iter().enumerate() {
            for &i in &months {
                let label = month_label(&start, i);
                let e = json(&[
                    "explain",
                    &file,
                    "--site",
                    &s.to_string(),
                    "--month",
                    &label,
                    "--format",
                    "json",
                ]);
                assert_eq!(e.get("month").unwrap().as_str(), Some(label.as_str()));
                let strategies = items(e.get("strategies").unwrap());
                let expected: Vec<&str> = ["mine", "ai"]
                    .into_iter()
                    .filter(|k| site.get(k).is_some())
                    .collect();
                assert_eq!(strategies.len(), expected.len(), "{file} {label}");
                for (st, name) in strategies.iter().zip(expected) {
                    assert_eq!(st.get("strategy").unwrap().as_str(), Some(name));
                    let row = &items(site.get(name).unwrap().get("monthly").unwrap())[i];
                    assert_eq!(row.get("month").unwrap().as_str(), Some(label.as_str()));
                    let mut figures = Vec::new();
                    keyed(e.get("network").unwrap(), &mut figures);
                    for section in items(st.get("sections").unwrap()) {
                        keyed(section, &mut figures);
                    }
                    let mut seen = BTreeSet::new();
                    for (key, value) in &figures {
                        let run = row.get(key).unwrap_or_else(|| panic!("no {key}")).to_text();
                        assert_eq!(value, &run, "{file} site {s} {name} {label} {key}");
                        seen.insert(key.clone());
                        compared += 1;
                    }
                    let want: BTreeSet<String> = match row {
                        Json::Object(entries) => entries
                            .iter()
                            .map(|(k, _)| k.clone())
                            .filter(|k| k != "month")
                            .collect(),
                        _ => BTreeSet::new(),
                    };
                    // Under `mine` the AI's rate and ramp are null in
                    // run's row, and explain leaves them out.
                    for key in want.difference(&seen) {
                        assert!(
                            name == "mine" && ["rate", "in_service_share"].contains(&key.as_str())
                        );
                        assert_eq!(row.get(key), Some(&Json::Null), "{file} {key}");
                    }
                    assert!(seen.is_subset(&want));
                    assert_eq!(want.len(), if format2 { 18 } else { 8 });
                }
            }
        }
    }
    // 9 scenarios, 11 sites, 4 to 7 months each, 8 or 18 keys a month.
    assert!(compared > 1_000, "{compared}");
}

/// Within `places` decimals, what the rows' printed values may miss
/// their printed total by: half a unit for each rounding.
fn slack(places: u32, roundings: usize) -> Decimal {
    Decimal::new(5, places + 1) * Decimal::from(roundings)
}

/// The rows add up: in the format-2 shipped scenarios, in every explained
/// month that mines, the rows' BTC, BTC revenue, power and demand response
/// sum to the month's (each printed figure rounded once, so to half a
/// unit per figure), and revenue, power and cash flow reconcile.
#[test]
fn rows_add_up_to_the_month() {
    let mut rows_checked = 0;
    for file in [
        "scenarios/mixed-fleet-s19-s21.toml",
        "scenarios/permian-partial-conversion.toml",
        "scenarios/texas-west-curtailment.toml",
        "scenarios/lake-mariner-lease-life.toml",
    ] {
        for month in ["2026-01", "2027-06", "2028-04", "2028-05", "2030-12"] {
            let e = json(&[
                "explain", file, "--site", "0", "--month", month, "--format", "json",
            ]);
            for st in items(e.get("strategies").unwrap()) {
                let sections = items(st.get("sections").unwrap());
                let rows: Vec<&Json> = sections
                    .iter()
                    .filter(|s| {
                        title(s).starts_with("Fleet row") || title(s).starts_with("Kept row")
                    })
                    .collect();
                let total = sections
                    .iter()
                    .find(|s| title(s).starts_with("Mining"))
                    .unwrap();
                let finance = sections.last().unwrap();
                let sum = |name: &str| rows.iter().map(|r| figure(r, name)).sum::<Decimal>();
                let n = rows.len() + 1;
                let pairs = [
                    ("BTC mined, β × x", "BTC mined, Σ rows", 8),
                    ("BTC revenue", "BTC revenue, Σ rows", 2),
                    (
                        "Power cost, M × hours × uptime × Σ share × price",
                        "Mining power cost, Σ rows",
                        2,
                    ),
                    ("Demand response", "Demand response, Σ rows", 2),
                ];
                for (row_name, total_name, places) in pairs {
                    let diff = (sum(row_name) - figure(total, total_name)).abs();
                    assert!(
                        diff <= slack(places, n),
                        "{file} {month} {row_name}: {diff}"
                    );
                }
                rows_checked += rows.len();
                // Revenue = BTC revenue + demand response + AI revenue.
                let ai = sections.iter().find(|s| title(s) == "AI hosting");
                let ai_revenue = ai.map_or(Decimal::ZERO, |s| figure(s, "AI revenue"));
                let revenue = figure(total, "BTC revenue, Σ rows")
                    + figure(total, "Demand response, Σ rows")
                    + ai_revenue;
                let diff = (revenue - figure(finance, "Revenue")).abs();
                assert!(diff <= slack(2, 4), "{file} {month} revenue: {diff}");
                let cash = figure(finance, "Revenue")
                    - figure(finance, "Power cost")
                    - figure(finance, "Opex")
                    - figure(finance, "Capex")
                    + figure(finance, "Fleet sale")
                    + figure(
                        finance,
                        "Terminal value = multiple × max(0, EBITDA) (last month)",
                    );
                let name = "Cash flow = revenue − power − opex − capex + sale + terminal";
                let diff = (cash - figure(finance, name)).abs();
                assert!(diff <= slack(2, 7), "{file} {month} cash flow: {diff}");
            }
        }
    }
    assert!(rows_checked >= 40, "{rows_checked}");
}

/// January 2026 of scenarios/lake-mariner.toml, worked by hand (as in
/// docs/model.md, "Worked example"): 31 days at 600 s = 31 × 144 = 4,464
/// blocks; block 930,400 is in epoch 4 (840,000 to 1,050,000: 3.125 BTC)
/// and the month ends at 934,864, still in it, so the subsidy is 4,464 ×
/// 3.125 = 13,950 BTC; fees 4,464 × 0.025 = 111.6; R = 14,061.6 BTC.
/// Hashprice: 14,061.6 / 31 = 453.6 BTC a day × $95,000 = $43,092,000 over
/// 1,050,000 PH/s = $41.04. The fleet's share: 11,600,000 × 0.97 × 0.985 /
/// 1,050,000,000 = 0.01055544761…, × R = 148.42648224 BTC, × $95,000 =
/// $14,100,515.81 (148.426482238… × 95,000 = 14,100,515.8126…). Power:
/// 203 MW × 1.08 × 0.97 × 744 h = 158,221.1232 MWh × $35 = $5,537,739.312
/// → $5,537,739.31. Cash flow: 14,100,515.81 − 5,537,739.31 − 1,200,000 −
/// 298,120,000 = −290,757,223.50 (the unrounded figures give the same
/// cents). Discount factor 1.12^(−1/12) = 0.9906003979 (ln 1.12 / 12 =
/// 0.0094440…; e^−0.0094440 = 0.99060040).
#[test]
fn lake_mariner_month_0_by_hand() {
    let e = json(&[
        "explain",
        "scenarios/lake-mariner.toml",
        "--site",
        "Lake Mariner",
        "--month",
        "2026-01",
        "--strategy",
        "mine",
        "--format",
        "json",
    ]);
    let net = e.get("network").unwrap();
    let d = |s: &str| Decimal::from_str(s).unwrap();
    assert_eq!(
        figure(net, "Blocks, B = days × 86,400 / block time"),
        d("4464")
    );
    assert_eq!(figure(net, "Height at the start, h"), d("930400"));
    assert_eq!(
        figure(net, "Height at the end (next month's start)"),
        d("934864")
    );
    assert_eq!(figure(net, "Epoch 4: subsidy"), d("13950"));
    assert_eq!(figure(net, "Fees, B × fees per block"), d("111.6"));
    assert_eq!(figure(net, "Reward, R = subsidy + fees"), d("14061.6"));
    assert_eq!(figure(net, "BTC price, P"), d("95000"));
    assert_eq!(figure(net, "Network hashrate, H"), d("1050"));
    assert_eq!(
        figure(net, "Hashprice = R / days × P / (H × 1,000)"),
        d("41.04")
    );
    let st = &items(e.get("strategies").unwrap())[0];
    let sections = items(st.get("sections").unwrap());
    let fleet = &sections[0];
    assert_eq!(
        figure(
            fleet,
            "Share of the reward, T × uptime × (1 − pool fee) / (H × 10^6)"
        ),
        d("0.0105554476")
    );
    assert_eq!(figure(fleet, "BTC mined, share × R"), d("148.42648224"));
    assert_eq!(figure(fleet, "BTC revenue, BTC × P"), d("14100515.81"));
    assert_eq!(
        figure(fleet, "Energy, M × hours × uptime"),
        d("158221.1232")
    );
    assert_eq!(figure(fleet, "Power cost, energy × price"), d("5537739.31"));
    let finance = sections.last().unwrap();
    assert_eq!(
        figure(finance, "Cash flow = revenue − power − opex − capex"),
        d("-290757223.50")
    );
    assert_eq!(
        figure(finance, "Discount factor, 1 / (1 + rate)^((i + 1)/12)"),
        d("0.9906003979")
    );
    // The value is a JSON number with exactly the printed decimals.
    let raw = text(
        &hashpivot(&[
            "explain",
            "scenarios/lake-mariner.toml",
            "--site",
            "0",
            "--month",
            "2026-01",
            "--format",
            "json",
        ])
        .stdout,
    );
    assert!(raw.contains("\"value\": 41.0400,"), "{raw}");
    assert!(raw.contains("\"value\": 14061.60000000,"));
}

/// The table: sections with headings, every line within 80 columns, the
/// rule named, and the same figures as the JSON.
#[test]
fn table_fits_80_columns() {
    for (file, month) in [
        ("scenarios/permian-partial-conversion.toml", "2028-04"),
        ("scenarios/gpu-cloud.toml", "2027-01"),
        ("scenarios/portfolio.toml", "2032-12"),
    ] {
        let out = hashpivot(&["explain", file, "--site", "0", "--month", month]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let table = text(&out.stdout);
        for line in table.lines() {
            let w = line
                .chars()
                .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
                .count();
            assert!(w <= 80, "{file}: {w} columns: {line}");
        }
        assert!(table.contains("\nBitcoin network\n"));
        assert!(table.contains("· docs/model.md, \"Bitcoin network\""));
        assert!(table.contains("══ Strategy mine "));
        assert!(table.contains("Cash flow and finance"));
    }
}

/// Errors name the file and what there is instead; exit 2.
#[test]
fn errors() {
    let cases: [(&[&str], &str); 8] = [
        (
            &[
                "explain",
                "scenarios/portfolio.toml",
                "--site",
                "Nowhere",
                "--month",
                "2026-01",
            ],
            "error: no site \"Nowhere\" in the scenario: its sites are 0 \"Rockdale\", 1 \"Niagara\", 2 \"Alberta\" (give a name or an index)\n --> scenarios/portfolio.toml\n",
        ),
        (
            &[
                "explain",
                "scenarios/lake-mariner.toml",
                "--site",
                "0",
                "--month",
                "2036-01",
            ],
            "error: month 2036-01 is outside the horizon: 2026-01 to 2035-12 (120 months)\n --> scenarios/lake-mariner.toml\n",
        ),
        (
            &[
                "explain",
                "scenarios/lake-mariner.toml",
                "--site",
                "0",
                "--month",
                "2025-12",
            ],
            "error: month 2025-12 is outside the horizon: 2026-01 to 2035-12 (120 months)\n --> scenarios/lake-mariner.toml\n",
        ),
        (
            &[
                "explain",
                "scenarios/lake-mariner.toml",
                "--site",
                "0",
                "--month",
                "2026-13",
            ],
            "error: --month \"2026-13\" is not a month: write it YYYY-MM\n --> scenarios/lake-mariner.toml\n",
        ),
        // No --site on a file with several (with one, none is needed).
        (
            &["explain", "scenarios/portfolio.toml", "--month", "2026-01"],
            "error: the scenario has 3 sites: give --site with a name or an index: 0 \"Rockdale\", 1 \"Niagara\", 2 \"Alberta\"\n --> scenarios/portfolio.toml\n",
        ),
        // A month without its leading zero, a name in the wrong case: the
        // likely one is named.
        (
            &[
                "explain",
                "scenarios/lake-mariner.toml",
                "--site",
                "0",
                "--month",
                "2028-4",
            ],
            "error: --month \"2028-4\" is not a month: write it YYYY-MM (2028-04?)\n --> scenarios/lake-mariner.toml\n",
        ),
        (
            &[
                "explain",
                "scenarios/portfolio.toml",
                "--site",
                "niagara",
                "--month",
                "2026-01",
            ],
            "error: no site \"niagara\" in the scenario: its sites are 0 \"Rockdale\", 1 \"Niagara\", 2 \"Alberta\" (give a name or an index): did you mean \"Niagara\"?\n --> scenarios/portfolio.toml\n",
        ),
        (
            &[
                "explain",
                "scenarios/portfolio.toml",
                "--site",
                "2",
                "--month",
                "2026-01",
                "--strategy",
                "ai",
            ],
            "error: site \"Alberta\" has no strategy ai (its strategy: mine)\n --> scenarios/portfolio.toml\n",
        ),
    ];
    for (args, message) in cases {
        let out = hashpivot(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stderr), message, "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

/// `--set` reaches explain as it reaches run: the figures follow.
#[test]
fn overrides_apply() {
    let e = json(&[
        "explain",
        "scenarios/lake-mariner.toml",
        "--site",
        "0",
        "--month",
        "2026-01",
        "--set",
        "bitcoin.price_usd=100000",
        "--format",
        "json",
    ]);
    let net = e.get("network").unwrap();
    // 453.6 BTC a day × $100,000 / 1,050,000 PH/s = 43.2.
    assert_eq!(
        figure(net, "Hashprice = R / days × P / (H × 1,000)"),
        Decimal::from_str("43.2").unwrap()
    );
}

/// A file with one site needs no `--site`: the same explanation as
/// `--site 0`.
#[test]
fn one_site_needs_no_site() {
    let args = [
        "explain",
        "scenarios/lake-mariner.toml",
        "--month",
        "2028-04",
    ];
    let out = hashpivot(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let with = hashpivot(&[
        "explain",
        "scenarios/lake-mariner.toml",
        "--site",
        "0",
        "--month",
        "2028-04",
    ]);
    assert_eq!(text(&out.stdout), text(&with.stdout));
}
