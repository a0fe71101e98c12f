//! The shipped scenarios: each has a golden file (its summary read by a
//! person and cross-checked against tools/reference.py, an independent
//! implementation of docs/model.md) and runs in every format, each output
//! agreeing with that golden and the scenario file.

mod common;

use common::{hashpivot, text};
use rust_decimal::Decimal;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn scenarios() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "at least four shipped scenarios");
    files
}

#[test]
fn every_scenario_has_a_golden_file_that_check_accepts() {
    for toml in scenarios() {
        assert!(
            toml.with_extension("golden.json").exists(),
            "{} has no golden file",
            toml.display()
        );
    }
    // .ci/run also runs this, through the built binary.
    let out = hashpivot(&["check", "scenarios"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// What a shipped scenario file says about its own output, read from the
/// TOML, and its golden summary, as written (numbers to the digit).
struct Shipped {
    path: String,
    name: String,
    start: String,
    months: usize,
    /// `discount_rate` as the table states it, a percentage: "12" for 0.12
    /// (the default 0.10 when the file has none).
    discount_percent: String,
    /// Site names in file order, each with its strategies ("mine", "ai").
    sites: Vec<(String, Vec<&'static str>)>,
    golden: String,
    /// A scenario format 2 file: its CSV has format 2's columns too.
    format2: bool,
}

fn shipped(toml: &Path) -> Shipped {
    let doc: toml::Table = std::fs::read_to_string(toml).unwrap().parse().unwrap();
    let str_of = |t: &toml::Table, key: &str| t[key].as_str().unwrap().to_string();
    let sites = doc["site"]
        .as_array()
        .unwrap()
        .iter()
        .map(|site| {
            let site = site.as_table().unwrap();
            let strategies = [("mining", "mine"), ("ai", "ai")]
                .into_iter()
                .filter(|(key, _)| site.contains_key(*key))
                .map(|(_, strategy)| strategy)
                .collect();
            (str_of(site, "name"), strategies)
        })
        .collect();
    let golden = std::fs::read_to_string(toml.with_extension("golden.json")).unwrap();
    let golden: BTreeMap<String, Box<RawValue>> = serde_json::from_str(&golden).unwrap();
    let name = str_of(&doc, "name");
    Shipped {
        path: toml.to_str().unwrap().to_string(),
        name,
        start: str_of(&doc, "start"),
        months: doc["months"].as_integer().unwrap() as usize,
        discount_percent: (Decimal::from_str(
            &doc.get("discount_rate")
                .map_or("0.10".to_string(), |r| r.to_string()),
        )
        .unwrap()
            * Decimal::ONE_HUNDRED)
            .normalize()
            .to_string(),
        sites,
        golden: golden["summary"].get().to_string(),
        format2: doc["format"].as_integer() == Some(2),
    }
}

/// `hashpivot run PATH --format FORMAT [--monthly]`: its stdout, after
/// checking it succeeded quietly.
fn run(path: &str, format: &str, monthly: bool) -> String {
    let mut args = vec!["run", path, "--format", format];
    if monthly {
        args.push("--monthly");
    }
    let out = hashpivot(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// JSON text without the whitespace between tokens: numbers keep their
/// digits exactly as written.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c.is_whitespace() {
            continue;
        } else {
            in_string = c == '"';
        }
        out.push(c);
    }
    out
}

/// A JSON object's members, each as written.
type Raw = BTreeMap<String, Box<RawValue>>;

fn object(json: &str) -> Raw {
    serde_json::from_str(json).unwrap()
}

fn array(json: &str) -> Vec<Raw> {
    serde_json::from_str(json).unwrap()
}

/// A JSON value as a CSV cell: null empty, strings unquoted, numbers as
/// written.
fn cell(raw: &RawValue) -> String {
    match raw.get() {
        "null" => String::new(),
        s if s.starts_with('"') => serde_json::from_str(s).unwrap(),
        s => s.to_string(),
    }
}

/// A JSON number as the table prints money: `-$1,234.50`.
fn money(number: &str) -> String {
    let (sign, digits) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let fraction = if fraction.is_empty() {
        String::new()
    } else {
        format!(".{fraction}")
    };
    format!("{sign}${grouped}{fraction}")
}

/// `YYYY-MM` plus `n` months.
fn add_months(month: &str, n: usize) -> String {
    let (y, m) = month.split_once('-').unwrap();
    let index = y.parse::<usize>().unwrap() * 12 + m.parse::<usize>().unwrap() - 1 + n;
    format!("{:04}-{:02}", index / 12, index % 12 + 1)
}

const CSV_HEADER: &str = "scenario,site,strategy,revenue_usd,power_cost_usd,opex_usd,\
    capex_usd,net_cash_usd,npv_usd,irr,payback_months,btc_mined,breakeven_btc_price_usd,\
    cost_per_btc_usd,all_in_cost_per_btc_usd,breakeven_rate,go_live,winner,\
    npv_advantage_usd,crossover_btc_price_usd,file";

const CSV_MONTHLY_HEADER: &str = "scenario,site,strategy,month,hashprice_usd_per_ph_day,\
    btc_mined,revenue_usd,power_cost_usd,opex_usd,capex_usd,cash_flow_usd,cumulative_cash_usd,file";

/// The columns format 2 adds, before `file`.
const CSV_F2: &str = ",mirr,demand_response_usd,terminal_value_usd,run_share,start,\
    fleet_sale_usd,kept_hashrate_ths,conversion_npv_usd,conversion_irr,conversion_mirr,\
    conversion_payback_months,conversion_breakeven_rate,portfolio_mine_npv_usd,\
    portfolio_ai_npv_usd,portfolio_best_npv_usd,portfolio_convert";
const CSV_MONTHLY_F2: &str = ",btc_price_usd,network_hashrate_ehs,power_price_usd_per_mwh,\
    run_share,rate,in_service_share,discount_factor,present_value_usd,fleet_sale_usd,\
    terminal_value_usd";

/// A header with format 2's columns inserted before `file` when `format2`.
fn header_of(header: &str, f2: &str, format2: bool) -> String {
    let header = header.replace(' ', "");
    if !format2 {
        return header;
    }
    let head = header.strip_suffix(",file").unwrap();
    format!("{head}{}{}", f2.replace(' ', ""), ",file")
}

/// A CSV field, quoted when it holds a comma or a quote.
fn quoted(field: &str) -> String {
    if field.contains([',', '"']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn strategy_title(strategy: &str) -> &'static str {
    match strategy {
        "mine" => "keep mining",
        "ai" => "convert to AI",
        other => panic!("{other}"),
    }
}

#[test]
fn every_scenario_runs_in_every_format() {
    for toml in scenarios() {
        let s = shipped(&toml);
        json_matches_the_golden(&s);
        jsonl_is_the_json_on_one_line(&s);
        csv_has_a_row_per_site_and_strategy(&s);
        table_names_every_site_and_verdict(&s);
    }
}

fn json_matches_the_golden(s: &Shipped) {
    let json = run(&s.path, "json", false);
    // Every figure as the golden has it, to the last digit.
    assert_eq!(compact(&json), compact(&s.golden), "{}", s.path);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["scenario"], s.name.as_str(), "{}", s.path);
    assert_eq!(v["months"], s.months, "{}", s.path);
    let sites = v["sites"].as_array().unwrap();
    assert_eq!(sites.len(), s.sites.len(), "{}", s.path);
    for (site, (name, strategies)) in sites.iter().zip(&s.sites) {
        assert_eq!(site["name"], name.as_str(), "{}", s.path);
        let mut expected: Vec<&str> = vec!["name"];
        expected.extend(strategies);
        if strategies.len() == 2 {
            expected.extend(["winner", "npv_advantage_usd", "crossover_btc_price_usd"]);
            if s.format2 {
                expected.push("conversion");
            }
        }
        expected.sort();
        let mut keys: Vec<&str> = site
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort();
        assert_eq!(keys, expected, "{} {name}", s.path);
    }

    // --monthly: the same summary, plus one entry per month for each site
    // and strategy.
    let mut monthly: Value = serde_json::from_str(&run(&s.path, "json", true)).unwrap();
    for (site, (name, strategies)) in monthly["sites"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(&s.sites)
    {
        for strategy in strategies {
            let outcome = site[*strategy].as_object_mut().unwrap();
            let months: Vec<String> = outcome
                .remove("monthly")
                .unwrap_or_else(|| panic!("{} {name} {strategy}: no monthly", s.path))
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["month"].as_str().unwrap().to_string())
                .collect();
            let expected: Vec<String> = (0..s.months).map(|i| add_months(&s.start, i)).collect();
            assert_eq!(months, expected, "{} {name} {strategy}", s.path);
        }
    }
    assert_eq!(monthly, v, "{}", s.path);
}

/// JSON Lines: the JSON on one line, ending with the file it came from.
fn jsonl_is_the_json_on_one_line(s: &Shipped) {
    for monthly in [false, true] {
        let json = run(&s.path, "json", monthly);
        let jsonl = run(&s.path, "jsonl", monthly);
        let one_line = compact(&json);
        let object = one_line.strip_suffix('}').unwrap();
        assert_eq!(
            jsonl,
            format!("{object},\"file\":{:?}}}\n", s.path),
            "{} {monthly}",
            s.path
        );
    }
}

fn csv_has_a_row_per_site_and_strategy(s: &Shipped) {
    let summary = object(&s.golden);
    let csv_header = header_of(CSV_HEADER, CSV_F2, s.format2);
    let mut expected = vec![csv_header.clone()];
    for (site, (name, strategies)) in array(summary["sites"].get()).iter().zip(&s.sites) {
        for strategy in strategies {
            let outcome = object(site[*strategy].get());
            let mut row = vec![quoted(&s.name), quoted(name), strategy.to_string()];
            for column in csv_header.split(',').skip(3) {
                if column == "file" {
                    // The last column: the scenario file, as given.
                    row.push(s.path.clone());
                    continue;
                }
                // The site's conversion block and the scenario's
                // portfolio, under their prefixes.
                let block = |name: &str, of: &RawValue| -> Option<String> {
                    let key = column.strip_prefix(name)?;
                    let block = object(of.get());
                    let v = block.get(key)?;
                    Some(if v.get().starts_with('[') {
                        let names: Vec<String> = serde_json::from_str(v.get()).unwrap();
                        names.join(";")
                    } else {
                        cell(v)
                    })
                };
                let conversion = site.get("conversion").and_then(|c| block("conversion_", c));
                let portfolio = summary
                    .get("portfolio")
                    .and_then(|p| block("portfolio_", p));
                row.push(match (conversion, portfolio) {
                    (Some(v), _) | (None, Some(v)) => quoted(&v),
                    (None, None) => outcome
                        .get(column)
                        .or_else(|| site.get(column))
                        .map_or(String::new(), |v| cell(v)),
                });
            }
            expected.push(row.join(","));
        }
    }
    let rows = s.sites.iter().map(|(_, st)| st.len()).sum::<usize>();
    assert_eq!(expected.len(), 1 + rows);
    let csv = run(&s.path, "csv", false);
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        expected,
        "{}: the golden's figures, a row per site and strategy",
        s.path
    );
    assert!(csv.ends_with('\n'));

    // --monthly: only the monthly rows, one per site, strategy and month,
    // the JSON's figures.
    let json = object(&run(&s.path, "json", true));
    let monthly_header = header_of(CSV_MONTHLY_HEADER, CSV_MONTHLY_F2, s.format2);
    let mut expected = vec![monthly_header.clone()];
    for (site, (name, strategies)) in array(json["sites"].get()).iter().zip(&s.sites) {
        for strategy in strategies {
            let outcome = object(site[*strategy].get());
            let months = array(outcome["monthly"].get());
            assert_eq!(months.len(), s.months);
            for month in months {
                let mut row = vec![quoted(&s.name), quoted(name), strategy.to_string()];
                for column in monthly_header.split(',').skip(3) {
                    if column == "file" {
                        row.push(s.path.clone());
                    } else {
                        row.push(cell(&month[column]));
                    }
                }
                expected.push(row.join(","));
            }
        }
    }
    assert_eq!(expected.len(), 1 + rows * s.months);
    let csv = run(&s.path, "csv", true);
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        expected,
        "{} monthly",
        s.path
    );
}

fn table_names_every_site_and_verdict(s: &Shipped) {
    let summary = object(&s.golden);
    let network = object(summary["network"].get());
    let golden_sites = array(summary["sites"].get());
    let table = run(&s.path, "table", false);
    let monthly = run(&s.path, "table", true);
    for (out, is_monthly) in [(&table, false), (&monthly, true)] {
        let at = |what: &str| format!("{} {is_monthly}: {what}", s.path);
        // 80 columns: characters, not bytes (tests/table.rs checks every
        // line of the batch, too).
        for line in out.lines() {
            assert!(line.chars().count() <= 80, "{}", at(line));
        }
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some(s.name.as_str()), "{}", at("title"));
        // The horizon, then the assumptions (tests/table.rs checks them
        // against the file), then month 0's hashprice.
        let horizon = format!(
            "{} months, {} to {} · discount rate {} % a year",
            s.months,
            s.start,
            add_months(&s.start, s.months - 1),
            s.discount_percent,
        );
        // Format 2 adds its opex escalation, on the same line when it fits
        // 80 characters, else on the next.
        let format2 = s.golden.contains("\"format\": 2");
        let first = lines.next().unwrap();
        let mut next = lines.next().unwrap();
        if format2 {
            let opex = match first.strip_prefix(&horizon) {
                Some("") => {
                    let opex = next;
                    next = lines.next().unwrap();
                    opex.to_string()
                }
                Some(rest) => rest.trim_start_matches(" · ").to_string(),
                None => panic!("{}", at("horizon")),
            };
            assert!(opex.starts_with("opex "), "{}", at(&opex));
        } else {
            assert_eq!(first, horizon, "{}", at("horizon"));
        }
        assert!(next.starts_with("BTC price $"), "{}", at(next));
        assert!(lines.next().unwrap().starts_with("Network hashrate "));
        assert_eq!(
            lines.next().unwrap(),
            format!(
                "Hashprice in {}: {}/PH/s/day",
                s.start,
                money(network["hashprice_usd_per_ph_day"].get())
            ),
            "{}",
            at("hashprice")
        );
        // One section per site, in file order.
        let starts: Vec<usize> = s
            .sites
            .iter()
            .map(|(name, _)| {
                out.find(&format!("\nSite: {name}\n"))
                    .unwrap_or_else(|| panic!("{}", at(name)))
            })
            .collect();
        assert!(starts.is_sorted(), "{}", at("site order"));
        assert_eq!(
            out.matches("\nSite: ").count(),
            s.sites.len(),
            "{}",
            at("sites")
        );
        for (i, ((name, strategies), site)) in s.sites.iter().zip(&golden_sites).enumerate() {
            let section = &out[starts[i]..*starts.get(i + 1).unwrap_or(&out.len())];
            let at = |what: &str| at(&format!("{name}: {what}"));
            let npv_row = section
                .lines()
                .find(|l| l.starts_with("│ NPV "))
                .unwrap_or_else(|| panic!("{}", at("NPV row")));
            for strategy in ["mine", "ai"] {
                let title = strategy_title(strategy);
                let shown = strategies.contains(&strategy);
                // After the site's name, its grid and power price (and in
                // format 2 its policies): the line after the table's top.
                let header = section
                    .lines()
                    .skip_while(|l| !l.starts_with('┌'))
                    .nth(1)
                    .unwrap_or_else(|| panic!("{}", at("table header")));
                assert_eq!(header.contains(title), shown, "{}", at(header));
                if shown {
                    let npv = money(object(site[strategy].get())["npv_usd"].get());
                    assert!(npv_row.contains(&format!(" {npv} ")), "{}", at(npv_row));
                }
                assert_eq!(
                    section
                        .matches(&format!(
                            "\nMonth by month: {title} (money in USD thousands)\n"
                        ))
                        .count(),
                    usize::from(shown && is_monthly),
                    "{}",
                    at("monthly section")
                );
            }
            if is_monthly {
                // Each monthly section has a row per month.
                for month in [s.start.clone(), add_months(&s.start, s.months - 1)] {
                    let rows = section
                        .lines()
                        .filter(|l| l.starts_with(&format!("{month} ")))
                        .count();
                    assert_eq!(rows, strategies.len(), "{}", at(&month));
                }
            } else {
                assert!(!section.contains("Month by month"), "{}", at("monthly"));
            }
            let verdicts: Vec<&str> = section
                .lines()
                .filter(|l| l.starts_with("Winner: ") || l.starts_with("Tie: "))
                .collect();
            if strategies.len() < 2 {
                assert!(verdicts.is_empty(), "{}", at("a verdict with one strategy"));
                continue;
            }
            let winner: String = serde_json::from_str(site["winner"].get()).unwrap();
            let verdict = match winner.as_str() {
                "tie" => "Tie: both futures have the same NPV".to_string(),
                w => format!(
                    "Winner: {}, by {} of NPV",
                    strategy_title(w),
                    money(site["npv_advantage_usd"].get())
                ),
            };
            assert_eq!(verdicts, [verdict.as_str()], "{}", at("verdict"));
            let flips = match site["crossover_btc_price_usd"].get() {
                "null" => "No month-0 BTC price flips the answer".to_string(),
                price => format!(
                    "The answer flips at a month-0 BTC price of {}",
                    money(price)
                ),
            };
            // Between the verdict and the flip: when both NPVs are
            // negative, that the winner only loses less (wrapped at 80).
            let npv = |strategy: &str| {
                object(site[strategy].get())["npv_usd"]
                    .get()
                    .starts_with('-')
            };
            let between = if npv("mine") && npv("ai") {
                format!(
                    "Both NPVs are negative: neither future earns the {} % cost of \
                     capital; the winner only loses less",
                    s.discount_percent
                )
            } else {
                String::new()
            };
            let after = section
                .split_once(&format!("\n{verdict}\n"))
                .map(|(_, after)| after)
                .unwrap_or_else(|| panic!("{}", at("verdict line")));
            // The flip says which way: the other future wins on the far
            // side of it (": above it, keep mining wins").
            let (middle, rest) = after
                .split_once(&flips)
                .unwrap_or_else(|| panic!("{}", at(&flips)));
            // (wrapped at 80 columns: read it joined)
            let joined = rest.lines().collect::<Vec<_>>().join(" ");
            if flips.starts_with("The answer flips") {
                let other = match winner.as_str() {
                    "ai" => "keep mining",
                    _ => "convert to AI",
                };
                assert!(
                    [
                        format!(": above it, {other} wins"),
                        format!(": below it, {other} wins")
                    ]
                    .iter()
                    .any(|t| joined.starts_with(t.as_str())),
                    "{}",
                    at(&joined)
                );
            } else {
                assert!(rest.starts_with('\n'), "{}", at(&joined));
            }
            // (a leading space, so that each note below is found as " …")
            let mut middle = format!(" {}", middle.lines().collect::<Vec<_>>().join(" "));
            // Format 2: a positive NPV that only its terminal value makes
            // positive says so.
            for (who, strategy) in [("Keep mining", "mine"), ("Convert to AI", "ai")] {
                let note = format!(" {who}'s NPV rests on its terminal value: without it, NPV -$");
                if let Some(at_note) = middle.find(&note) {
                    let outcome = object(site[strategy].get());
                    assert!(
                        outcome
                            .get("terminal_value_usd")
                            .is_some_and(|v| v.get() != "0.00")
                            && !outcome["npv_usd"].get().starts_with('-'),
                        "{}",
                        at(&note)
                    );
                    let rest = &middle[at_note + note.len()..];
                    let end = rest.find(' ').map_or(rest.len(), |e| e);
                    middle = format!("{}{}", &middle[..at_note], &rest[end..]);
                }
            }
            // Format 2: a strategy that pays back only through its terminal
            // value says so, after the verdict's other lines.
            for (who, strategy) in [("Keep mining", "mine"), ("Convert to AI", "ai")] {
                let note = format!(
                    " {who} pays back only through its terminal value: without it, net cash is -$"
                );
                if let Some(at_note) = middle.find(&note) {
                    let outcome = object(site[strategy].get());
                    assert!(
                        outcome
                            .get("terminal_value_usd")
                            .is_some_and(|v| v.get() != "0.00")
                            && outcome
                                .get("payback_months")
                                .is_some_and(|v| v.get() != "null"),
                        "{}",
                        at(&note)
                    );
                    let rest = &middle[at_note + note.len()..];
                    let end = rest.find(' ').map_or(rest.len(), |e| e);
                    middle = format!("{}{}", &middle[..at_note], &rest[end..]);
                }
            }
            // Format 2: when the exit values decide the verdict, a last
            // line names the future that would win without them (the
            // other one) and by how much.
            let rests = "The verdict rests on the exit values: without them, ";
            let middle = middle.trim().to_string();
            let (before, exit) = match middle.split_once(rests) {
                Some((before, exit)) => (before.trim_end().to_string(), Some(exit.to_string())),
                None => (middle.clone(), None),
            };
            assert_eq!(
                before,
                between,
                "{}",
                at("between the verdict and the flip")
            );
            if let Some(exit) = exit {
                let terminal = |strategy: &str| {
                    object(site[strategy].get())
                        .get("terminal_value_usd")
                        .is_some_and(|v| v.get() != "0.00")
                };
                assert!(terminal("mine") || terminal("ai"), "{}", at(rests));
                let other = match winner.as_str() {
                    "ai" => "keep mining",
                    _ => "convert to AI",
                };
                let amount = exit
                    .strip_prefix(&format!("{other} wins by $"))
                    .unwrap_or_else(|| panic!("{}", at(&exit)));
                assert!(
                    amount
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
                        && amount.len() > 3
                        && amount.as_bytes()[amount.len() - 3] == b'.',
                    "{}",
                    at(&exit)
                );
            }
        }
    }
    // The monthly table is the plain one with the monthly sections added
    // (each a block of its own, between blank lines).
    let without: Vec<&str> = monthly
        .strip_suffix('\n')
        .unwrap()
        .split("\n\n")
        .filter(|block| !block.starts_with("Month by month: "))
        .collect();
    assert_eq!(format!("{}\n", without.join("\n\n")), table, "{}", s.path);
}

/// CSV fields by header name.
fn records(csv: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = csv.lines();
    let header: Vec<String> = split(lines.next().unwrap());
    lines
        .map(|l| header.iter().cloned().zip(split(l)).collect())
        .collect()
}

/// Splits one CSV record, quoted fields (RFC 4180) included.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn monthly_rows_add_up_to_the_totals() {
    for toml in scenarios() {
        let path = toml.to_str().unwrap();
        let totals = records(&text(&hashpivot(&["run", path, "--format", "csv"]).stdout));
        let months = records(&text(
            &hashpivot(&["run", path, "--format", "csv", "--monthly"]).stdout,
        ));
        assert!(!totals.is_empty(), "{path}: no rows");
        for total in &totals {
            let rows: Vec<_> = months
                .iter()
                .filter(|m| m["site"] == total["site"] && m["strategy"] == total["strategy"])
                .collect();
            assert!(!rows.is_empty());
            // Each monthly figure is rounded once: n rows can drift from
            // the rounded total by at most n half-cents plus the total's own.
            let cents = Decimal::new(5, 3) * Decimal::from(rows.len() + 1);
            for key in ["revenue_usd", "power_cost_usd", "opex_usd", "capex_usd"] {
                let sum: Decimal = rows.iter().map(|r| dec(&r[key])).sum();
                let diff = (sum - dec(&total[key])).abs();
                assert!(diff <= cents, "{path} {} {key}: {diff}", total["site"]);
            }
            let cash: Decimal = rows.iter().map(|r| dec(&r["cash_flow_usd"])).sum();
            assert!((cash - dec(&total["net_cash_usd"])).abs() <= cents);
            let last = rows.last().unwrap();
            assert!(
                (dec(&last["cumulative_cash_usd"]) - dec(&total["net_cash_usd"])).abs()
                    <= Decimal::new(1, 2)
            );
            let btc: Decimal = rows.iter().map(|r| dec(&r["btc_mined"])).sum();
            let sats = Decimal::new(5, 9) * Decimal::from(rows.len() + 1);
            assert!((btc - dec(&total["btc_mined"])).abs() <= sats);
        }
    }
}
