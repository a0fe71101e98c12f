//! The table as a reader meets it (`hashpivot run`, the default format):
//! every line of every shipped scenario fits an 80-column terminal, the
//! header states the assumptions the verdict rests on, and a missing IRR
//! says why.

mod common;

use common::{hashpivot, hashpivot_stdin, text};
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::str::FromStr;

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

/// `hashpivot run ARGS` (the table), after checking it succeeded.
fn table(args: &[&str]) -> String {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    let out = hashpivot(&all);
    assert_eq!(out.status.code(), Some(0), "{all:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// Every line of every shipped scenario's table, alone and with
/// `--monthly`, and of the batch of the whole folder (which ends with the
/// comparison), is at most 80 display columns: characters, not bytes (the
/// table's "—", "·", "…" and box lines are one column each, three bytes).
#[test]
fn every_line_fits_80_columns() {
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let files = scenarios();
    for file in &files {
        runs.push(vec![file]);
        runs.push(vec![file, "--monthly"]);
    }
    runs.push(vec!["scenarios/"]);
    runs.push(vec!["scenarios/", "--monthly"]);
    for args in runs {
        let out = table(&args);
        assert!(out.lines().count() > 20, "{args:?}");
        for line in out.lines() {
            let width = line.chars().count();
            assert!(width <= 80, "{args:?}: {width} columns: {line}");
        }
        if args[0] == "scenarios/" {
            assert!(out.contains("\nComparison\n"), "{args:?}");
        }
    }
}

/// A wide month-by-month table says which columns it leaves out, and keeps
/// the cash columns: Lake Mariner's (a 250 MW site, a $298M fleet refresh)
/// leaves out the hashprice.
#[test]
fn a_wide_monthly_table_says_what_it_leaves_out() {
    let out = table(&["scenarios/lake-mariner.toml", "--monthly"]);
    let section = &out[out.find("Month by month: keep mining").unwrap()..];
    let lines: Vec<&str> = section.lines().take(4).collect();
    assert_eq!(
        lines[1],
        "Left out to fit 80 columns: $/PH/day (--format csv has all 9)"
    );
    assert_eq!(
        lines[3].split_whitespace().collect::<Vec<_>>(),
        [
            "Month",
            "BTC",
            "Revenue",
            "Power",
            "Opex",
            "Capex",
            "Cash",
            "flow",
            "Cumulative"
        ]
    );
    // The portfolio's tables fit whole and say nothing.
    let portfolio = table(&["scenarios/portfolio.toml", "--monthly"]);
    assert!(!portfolio.contains("Left out"));
    assert_eq!(portfolio.matches(" $/PH/day ").count(), 5);
}

/// The IRR cell of the mining column of `site`.
fn mining_irr(out: &str, site: &str) -> String {
    let section = &out[out.find(&format!("\nSite: {site}\n")).unwrap()..];
    let row = section
        .lines()
        .find(|l| l.starts_with("│ IRR (a year)"))
        .unwrap();
    row.split(['┆', '│']).nth(2).unwrap().trim().to_string()
}

/// Mining with no capex earns first (and, at Rockdale and Alberta, loses
/// later): nothing was invested, so there is no IRR, and the table says so
/// rather than leave a bare dash. The JSON has null for each.
#[test]
fn a_missing_irr_says_why() {
    let cases = [
        (
            "scenarios/portfolio.toml",
            ["Rockdale", "Niagara", "Alberta"].as_slice(),
        ),
        ("scenarios/gpu-cloud.toml", ["West Texas"].as_slice()),
    ];
    for (file, sites) in cases {
        let out = table(&[file]);
        let json: serde_json::Value =
            serde_json::from_str(&table(&[file, "--format", "json"])).unwrap();
        for site in sites {
            assert_eq!(
                mining_irr(&out, site),
                "— earns before it invests",
                "{file} {site}"
            );
            let entry = json["sites"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["name"] == *site)
                .unwrap();
            assert!(entry["mine"]["irr"].is_null(), "{file} {site}");
        }
    }
    // Lake Mariner's mining invests first ($298M), but its flows turn
    // negative again after the halvings: its NPV is below zero at every
    // rate in the range, so no rate breaks even (net cash −$511M).
    let out = table(&["scenarios/lake-mariner.toml"]);
    assert_eq!(mining_irr(&out, "Lake Mariner"), "— no rate breaks even");
    // At $200,000 the same mining pays back in 15 months, then loses
    // again after the halvings: its NPV is positive at 12 % (+$152.4M)
    // and negative at both ends, so two rates zero it. Neither is the
    // return; the table must not say that no rate breaks even.
    let out = table(&[
        "scenarios/lake-mariner.toml",
        "--set",
        "bitcoin.price_usd=200000",
    ]);
    assert_eq!(mining_irr(&out, "Lake Mariner"), "— several IRRs");
}

/// A TOML value as the table states it: exact, trailing zeros dropped,
/// thousands grouped; `percent` multiplies a fraction by 100.
fn stated(value: &toml::Value, percent: bool) -> String {
    let mut d = Decimal::from_str(&value.to_string()).unwrap();
    if percent {
        d *= Decimal::ONE_HUNDRED;
    }
    let text = d.normalize().to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, format!(".{f}")),
        None => (digits, String::new()),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{fraction}")
}

/// A growth rate as the table words it.
fn growth(value: Option<&toml::Value>) -> String {
    let Some(value) = value else {
        return "flat".into();
    };
    let percent = stated(value, true);
    match percent.strip_prefix('-') {
        _ if percent == "0" => "flat".into(),
        Some(down) => format!("falling {down} % a year"),
        None => format!("rising {percent} % a year"),
    }
}

/// The header and each site state the assumptions the verdict rests on,
/// exactly as the file gives them: discount rate, BTC price and network
/// hashrate in month 0 with their growth, and each site's grid and power
/// price.
#[test]
fn the_header_states_the_assumptions() {
    for file in scenarios() {
        let doc: toml::Table = std::fs::read_to_string(&file).unwrap().parse().unwrap();
        let start = doc["start"].as_str().unwrap();
        let btc = doc["bitcoin"].as_table().unwrap();
        let out = table(&[&file]);
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        // Format 2 states its opex escalation after the discount rate, on
        // that line when it fits 80 characters, else on the next.
        if doc["format"].as_integer() == Some(2) {
            let opex = format!("opex {}", growth(doc.get("inflation_annual")));
            if lines[2] == opex {
                lines.remove(2);
            } else {
                let suffix = format!(" · {opex}");
                assert!(lines[1].ends_with(&suffix), "{file}: {}", lines[1]);
                let cut = lines[1].len() - suffix.len();
                lines[1].truncate(cut);
            }
        }
        let discount = doc
            .get("discount_rate")
            .map_or("10".to_string(), |r| stated(r, true));
        assert!(
            lines[1].ends_with(&format!(" · discount rate {discount} % a year")),
            "{file}: {}",
            lines[1]
        );
        assert_eq!(
            lines[2],
            format!(
                "BTC price ${} in {start}, {}",
                stated(&btc["price_usd"], false),
                growth(btc.get("price_growth_annual"))
            ),
            "{file}"
        );
        assert_eq!(
            lines[3],
            format!(
                "Network hashrate {} EH/s in {start}, {}",
                stated(&btc["network_hashrate_ehs"], false),
                growth(btc.get("hashrate_growth_annual"))
            ),
            "{file}"
        );
        for site in doc["site"].as_array().unwrap() {
            let name = site["name"].as_str().unwrap();
            // Format 2: an escalating power price says so after it.
            let escalated = match growth(site.get("power_escalator_annual")).as_str() {
                "flat" => String::new(),
                words => format!(", {words}"),
            };
            if let Some(blocks) = site.get("power_block").and_then(|b| b.as_array()) {
                // Format 2's price duration curve: its blocks and the
                // blended month-0 price.
                let blended: Decimal = blocks
                    .iter()
                    .map(|b| {
                        Decimal::from_str(&b["share"].to_string()).unwrap()
                            * Decimal::from_str(&b["price_usd_per_mwh"].to_string()).unwrap()
                    })
                    .sum();
                let blended = blended.normalize();
                let shown = if blended.scale() == 1 {
                    format!("{blended:.2}")
                } else {
                    blended.to_string()
                };
                let heading = format!(
                    "\nSite: {name}\nGrid {} MW · power in {} price blocks, blended ${}/MWh{escalated}\n",
                    stated(&site["grid_mw"], false),
                    blocks.len(),
                    shown
                );
                assert!(out.contains(&heading), "{file}: {heading}");
                continue;
            }
            let power = Decimal::from_str(&site["power_price_usd_per_mwh"].to_string()).unwrap();
            // Whole dollars as they are, cents when there are any.
            let power = if power.normalize().scale() == 1 {
                format!("{:.2}", power.normalize())
            } else {
                stated(&site["power_price_usd_per_mwh"], false)
            };
            let heading = format!(
                "\nSite: {name}\nGrid {} MW · power ${power}/MWh{escalated}\n",
                stated(&site["grid_mw"], false)
            );
            assert!(out.contains(&heading), "{file}: {heading}");
        }
    }
}

/// A file without `discount_rate` is discounted at the default, 10 % a
/// year, and the table says so.
#[test]
fn a_defaulted_discount_rate_is_stated() {
    let source = std::fs::read_to_string("scenarios/halving-2028.toml").unwrap();
    let without: String = source
        .lines()
        .filter(|l| !l.starts_with("discount_rate"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, source);
    let out = hashpivot_stdin(&["run", "-"], &without);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let second = stdout.lines().nth(1).unwrap();
    assert_eq!(
        second,
        "36 months, 2026-12 to 2029-11 · discount rate 10 % a year"
    );
}

/// Format 2: the terminal value's part of the NPV is shown, and a verdict
/// that rests on it says so. The mixed fleet's AI wins only through its
/// 10× exit: rerunning with every exit multiple at 0 (a different route to
/// the same figure) names mining the winner by exactly the amount the line
/// states.
#[test]
fn a_verdict_that_rests_on_exit_values_says_so() {
    let file = "scenarios/mixed-fleet-s19-s21.toml";
    let out = table(&[file]);
    assert!(out.contains("│ Terminal value (PV)"), "{out}");
    assert!(
        out.contains(
            "\nThe verdict rests on the exit values: without them, keep mining wins by\n\
             $230,271,224.13\n"
        ),
        "{out}"
    );
    let without = table(&[
        file,
        "--set",
        "site[0].ai.exit_multiple=0",
        "--set",
        "site[0].mining.exit_multiple=0",
    ]);
    assert!(
        without.contains("\nWinner: keep mining, by $230,271,224.13 of NPV\n"),
        "{without}"
    );
    assert!(!without.contains("rests on the exit values"), "{without}");
}

/// Format 2's conversion line gives its IRR, or why there is none:
/// converting Lake Mariner skips the fleet's month-0 capex, so the
/// difference earns first and its MIRR is the return to read.
#[test]
fn the_conversion_line_gives_its_irr_or_why_not() {
    let out = table(&["scenarios/texas-west-curtailment.toml"]);
    assert!(
        out.contains("Converting instead of mining: NPV -$12,772,019.29 · IRR 11.7500 %\n"),
        "{out}"
    );
    let out = table(&["scenarios/lake-mariner-lease-life.toml"]);
    assert!(
        out.contains("\nIRR — earns before it invests · MIRR 21.4104 %"),
        "{out}"
    );
}

/// Format 2: each site states the policies a verdict rests on (shutdown,
/// demand response, exit multiples), and the header the opex escalation.
#[test]
fn format_2_states_its_policies() {
    let out = table(&["scenarios/texas-west-curtailment.toml"]);
    assert!(out.contains("\nopex rising 3 % a year\n"), "{out}");
    assert!(
        out.contains(
            "\nGrid 150 MW · power in 5 price blocks, blended $32.90/MWh, rising 2 % a year\n\
             mining switches off at a loss · demand response $3,000/MW-month\n\
             exit mining 3×, AI 10×\n"
        ),
        "{out}"
    );
    let never = table(&[
        "scenarios/texas-west-curtailment.toml",
        "--set",
        "site[0].mining.shutdown=\"never\"",
    ]);
    assert!(never.contains("\nmining never switches off · "), "{never}");
    // Format 1 states none of them.
    let one = table(&["scenarios/lake-mariner.toml"]);
    assert!(
        !one.contains("switches off") && !one.contains("exit "),
        "{one}"
    );
}

/// A format-2 scenario of several sites ends with its portfolio: each
/// strategy's NPV summed over the sites that have it, each site's better
/// one summed, and the sites to convert, the JSON's `portfolio` to the
/// cent. Two Permian sites: the shipped partial conversion, and a copy
/// that converts all of its hall now.
#[test]
fn a_format_2_portfolio_ends_the_table() {
    let shipped = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/permian-partial-conversion.toml"),
    )
    .unwrap();
    let site = &shipped[shipped.find("[[site]]").unwrap()..];
    let copy = site
        .replace("name = \"Permian partial\"", "name = \"Permian north\"")
        .replace("start = \"2027-04\"\n", "")
        .replace("keep_mining = true\n", "")
        .replace("fleet_sale_usd = 9611650\n", "");
    let text_in = format!("{shipped}\n{copy}");
    let out = hashpivot_stdin(&["run", "-"], &text_in);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let json = text(&hashpivot_stdin(&["run", "-", "--format", "json"], &text_in).stdout);
    let figure = |key: &str| -> String {
        let at = json.find(&format!("\"{key}\": ")).unwrap() + key.len() + 4;
        let value = &json[at..];
        let v = Decimal::from_str(&value[..value.find([',', '\n', '}']).unwrap()]).unwrap();
        format!("${}", group_thousands(&v.to_string()))
    };
    // The portfolio's parts, wrapped as they fall ("·" between two parts
    // on one line, none at a line's end; every site has both futures, so
    // no part counts its sites), then the sites to convert,
    // ";" between names (a name may hold a comma).
    let lines: Vec<&str> = table.lines().collect();
    let from = lines
        .iter()
        .rposition(|l| l.starts_with("Portfolio NPV: "))
        .unwrap();
    let (last, parts) = lines[from..].split_last().unwrap();
    let parts: Vec<&str> = parts.iter().map(|l| l.trim()).collect();
    assert_eq!(
        parts.join(" ").replace(" · ", " "),
        format!(
            "Portfolio NPV: keep mining everywhere: {} convert everywhere: {} each site's better future: {}",
            figure("mine_npv_usd"),
            figure("ai_npv_usd"),
            figure("best_npv_usd")
        )
    );
    assert_eq!(*last, "Sites to convert: Permian partial; Permian north");
}

/// `1234567.89` as `1,234,567.89`.
fn group_thousands(digits: &str) -> String {
    let (whole, cents) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{cents:0<2}")
}
