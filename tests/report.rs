//! `hashpivot report` end to end: the same bytes twice, `--timestamp`
//! touching only the footer, nothing outside the file referenced, the
//! pages each kind of scenario gets, `run`'s sentences and cells on the
//! page, bad input refused as `run` refuses it, user text escaped, and
//! `check --report` against the shipped examples.

mod common;

use common::{hashpivot, scratch, text};
use std::path::Path;

/// `report ARGS -o DIR/NAME.html`: the file's text (asserting success).
fn report(dir: &Path, name: &str, args: &[&str]) -> String {
    let out = dir.join(name);
    let mut all: Vec<&str> = vec!["report"];
    all.extend(args);
    all.extend(["-o", out.to_str().unwrap()]);
    let result = hashpivot(&all);
    assert!(
        result.status.success(),
        "report {args:?} failed: {}",
        text(&result.stderr)
    );
    text(&std::fs::read(&out).unwrap())
}

fn pages(html: &str) -> usize {
    html.matches("<section class=\"page\">").count()
}

/// HTML text back to what `run` prints.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Runs of whitespace as one space: `run`'s 80-column lines joined.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_same_inputs_give_the_same_bytes_and_the_timestamp_only_the_footer() {
    let dir = scratch("report-deterministic");
    let args = ["scenarios/texas-west-curtailment.toml", "--paths", "60"];
    let a = report(&dir, "a.html", &args);
    let b = report(&dir, "b.html", &args);
    assert_eq!(a, b);
    let mut stamped = args.to_vec();
    stamped.push("--timestamp");
    let t = report(&dir, "t.html", &stamped);
    assert_ne!(a, t);
    // Every line that differs is inside the footer.
    let footer = a.find("<footer>").unwrap();
    let start = a[..footer].lines().count();
    for (i, (x, y)) in a.lines().zip(t.lines()).enumerate() {
        if x != y {
            assert!(i >= start, "line {} differs outside the footer: {x}", i + 1);
        }
    }
    assert_eq!(a.lines().count(), t.lines().count());
    assert!(t.contains(" UTC. The same inputs give this file byte for byte (without"));
}

/// No script, no stylesheet or font from elsewhere, no link or source at
/// all: the file is everything.
#[test]
fn a_report_references_nothing_outside_itself() {
    let dir = scratch("report-self-contained");
    for file in ["lake-mariner", "portfolio", "texas-west-curtailment"] {
        let path = format!("scenarios/{file}.toml");
        let html = report(&dir, &format!("{file}.html"), &[&path, "--paths", "40"]);
        let lower = html.to_lowercase();
        for banned in ["<script", "@import", " src=", " href=", "<link", "<img"] {
            assert!(!lower.contains(banned), "{file}: {banned}");
        }
        // A url() points inside the file only (a chart's clip path or
        // pattern).
        assert_eq!(
            lower.matches("url(").count(),
            lower.matches("url(#").count(),
            "{file}"
        );
        // The only "://" is the SVG namespace.
        let others = lower.matches("://").count().saturating_sub(
            lower
                .matches("xmlns=\"http://www.w3.org/2000/svg\"")
                .count(),
        );
        assert_eq!(others, 0, "{file}");
        // Every chart is one inline SVG, scaled to the column.
        for svg in html.split("<svg ").skip(1) {
            let head = &svg[..svg.find('>').unwrap()];
            assert!(head.contains("class=\"chart\""), "{head}");
            assert!(head.contains("viewBox=\"0 0 720 "), "{head}");
            assert!(head.contains("width=\"100%\""), "{head}");
        }
    }
}

/// The pages each kind of scenario gets: the cover, the figures (two
/// sites a page), per site its cash page, its pivot page (with both
/// strategies; with risk the histogram and distribution join it) and,
/// with risk, its fans; a winner-map page per site with both strategies
/// under --vary; the page on how to read it.
#[test]
fn each_kind_of_scenario_gets_its_pages() {
    let dir = scratch("report-pages");
    // Format 1, one site with both: 1 + 1 + 2 + 1.
    let lake = report(&dir, "lake.html", &["scenarios/lake-mariner.toml"]);
    assert_eq!(pages(&lake), 5);
    assert!(!lake.contains("the range of outcomes"));
    // Format 1, three sites (Alberta only mines): 1 + 2 + (2 + 2 + 1) + 1.
    let portfolio = report(&dir, "p.html", &["scenarios/portfolio.toml"]);
    assert_eq!(pages(&portfolio), 9);
    // Format 2 with [risk]: 1 + 1 + 3 + 1.
    let args = ["scenarios/texas-west-curtailment.toml", "--paths", "40"];
    let texas = report(&dir, "t.html", &args);
    assert_eq!(pages(&texas), 6);
    assert!(texas.contains("West Texas: the range of outcomes</h2>"));
    assert!(texas.contains("P(AI beats mining) = "));
    // ... and with two varied keys, one winner map more.
    let mut vary = args.to_vec();
    vary.extend([
        "--vary",
        "bitcoin.price_usd=60000..140000:3",
        "--vary",
        "site[0].ai.lease_usd_per_kw_month=80,120",
    ]);
    let swept = report(&dir, "v.html", &vary);
    assert_eq!(pages(&swept), 7);
    assert!(swept.contains("Where the winner flips along Lease (USD per kW-month)"));
    // Format 2 without [risk]: no risk pages, and the footer says no paths.
    let mixed = report(&dir, "m.html", &["scenarios/mixed-fleet-s19-s21.toml"]);
    assert_eq!(pages(&mixed), 5);
    assert!(!mixed.contains("--paths"));
}

/// The verdict, its caveats and every cell of the figures table are
/// what `run`'s table prints for the same file.
#[test]
fn the_report_says_what_run_says() {
    let dir = scratch("report-run");
    for file in [
        "lake-mariner",
        "portfolio",
        "texas-west-curtailment",
        "halving-2028-lease-life",
    ] {
        let path = format!("scenarios/{file}.toml");
        let html = report(&dir, &format!("{file}.html"), &[&path, "--paths", "20"]);
        let run = hashpivot(&["run", &path]);
        assert!(run.status.success());
        let table = text(&run.stdout);
        let joined = flat(&table);
        // The winner lines, word for word.
        for line in table.lines().filter(|l| l.starts_with("Winner: ")) {
            assert!(
                unescape(&html).contains(line),
                "{file}: {line} missing from the report"
            );
        }
        // Each caveat under a verdict, rejoined from run's wrapped lines.
        for caveat in html
            .split("<ul class=\"caveats\">")
            .skip(1)
            .flat_map(|c| c[..c.find("</ul>").unwrap()].split("<li>").skip(1))
        {
            let caveat = unescape(&caveat.replace("</li>", ""));
            assert!(joined.contains(&flat(&caveat)), "{file}: {caveat}");
        }
        // Every figure cell of the table.
        let figures = &html[html.find("<table class=\"figures\">").unwrap()..];
        let figures = &figures[..figures.find("</table>").unwrap()];
        let mut cells = 0;
        for cell in figures.split("<td class=\"n\">").skip(1) {
            let cell = unescape(&cell[..cell.find("</td>").unwrap()]);
            if !cell.is_empty() {
                assert!(
                    table.contains(&cell),
                    "{file}: cell {cell:?} not in run's table"
                );
                cells += 1;
            }
        }
        assert!(cells >= 20, "{file}: {cells} cells");
    }
}

/// A bad key, a missing file and an output onto the input are refused
/// with `run`'s words and exit 2, and no file is written.
#[test]
fn bad_input_is_refused_as_run_refuses_it() {
    let dir = scratch("report-refusals");
    let out = dir.join("r.html");
    let out = out.to_str().unwrap();
    let set = ["--set", "bitcoin.price_usdd=1"];
    let report = hashpivot(&[
        "report",
        "scenarios/lake-mariner.toml",
        set[0],
        set[1],
        "-o",
        out,
    ]);
    let run = hashpivot(&["run", "scenarios/lake-mariner.toml", set[0], set[1]]);
    assert_eq!(report.status.code(), Some(2));
    assert_eq!(text(&report.stderr), text(&run.stderr));
    assert!(text(&report.stderr).starts_with("error: "));
    assert!(!Path::new(out).exists());

    let missing = hashpivot(&["report", "scenarios/no-such.toml", "-o", out]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).starts_with("error: cannot read scenarios/no-such.toml: "));

    let copy = dir.join("copy.toml");
    std::fs::copy("scenarios/lake-mariner.toml", &copy).unwrap();
    let onto = hashpivot(&[
        "report",
        copy.to_str().unwrap(),
        "-o",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(onto.status.code(), Some(2));
    assert!(text(&onto.stderr).contains("is one of the inputs: refusing to replace it"));
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        std::fs::read_to_string("scenarios/lake-mariner.toml").unwrap()
    );

    let axis = hashpivot(&[
        "report",
        "scenarios/lake-mariner.toml",
        "--vary",
        "bitcoin.price_usd=1,2",
        "--vary",
        "discount_rate=0.1,0.2",
        "--vary",
        "months=12,24",
        "-o",
        out,
    ]);
    assert_eq!(axis.status.code(), Some(2));
    assert!(!Path::new(out).exists());
}

/// A site named `<b>&"x"` is text on the page and in every chart.
#[test]
fn user_text_is_escaped() {
    let dir = scratch("report-escape");
    let source = std::fs::read_to_string("scenarios/lake-mariner.toml")
        .unwrap()
        .replace("name = \"Lake Mariner\"", "name = \"<b>&\\\"x\\\"\"");
    let file = dir.join("escape.toml");
    std::fs::write(&file, source).unwrap();
    let html = report(&dir, "e.html", &[file.to_str().unwrap()]);
    assert!(!html.contains("<b>&\"x\""));
    assert!(!html.contains("&\"x\""));
    assert!(html.contains("&lt;b&gt;&amp;&quot;x&quot;"));
    // In the SVG titles too.
    assert!(html.contains("&lt;b&gt;&amp;&quot;x&quot;: cumulative cash by month</title>"));
}

/// The shipped examples match; a changed scenario is found with its
/// line and section; --update writes it back and the check passes.
#[test]
fn check_report_compares_the_shipped_examples() {
    let shipped = hashpivot(&["check", "--report", "scenarios/"]);
    assert_eq!(
        shipped.status.code(),
        Some(0),
        "{}{}",
        text(&shipped.stdout),
        text(&shipped.stderr)
    );
    let stdout = text(&shipped.stdout);
    assert!(stdout.contains("ok [West Texas: curtail, or lease to AI]"));
    assert!(stdout.ends_with("5 reports, 0 changed\n"));
    assert!(text(&shipped.stderr).contains(
        "note: skipping scenarios/lake-mariner.toml: a format-1 scenario has no shipped report"
    ));

    let dir = scratch("report-check");
    let name = "mixed-fleet-s19-s21";
    let toml = dir.join(format!("{name}.toml"));
    let golden = dir.join(format!("{name}.report.html"));
    let source = std::fs::read_to_string(format!("scenarios/{name}.toml")).unwrap();
    std::fs::write(&toml, &source).unwrap();
    std::fs::copy(format!("scenarios/{name}.report.html"), &golden).unwrap();
    let toml_arg = toml.to_str().unwrap();
    // A copy elsewhere matches: the golden names the file, not its folder.
    let same = hashpivot(&["check", "--report", toml_arg]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stdout));

    std::fs::write(
        &toml,
        source.replace("price_usd = 95000", "price_usd = 96000"),
    )
    .unwrap();
    let moved = hashpivot(&["check", "--report", toml_arg]);
    assert_eq!(moved.status.code(), Some(1));
    let line = text(&moved.stdout);
    assert!(
        line.starts_with("[Mixed fleet: S19j Pro and S21] "),
        "{line}"
    );
    assert!(line.contains(" differs from line "), "{line}");
    assert!(line.contains(" lines differ\n"), "{line}");
    assert!(line.ends_with("1 report, 1 changed\n"), "{line}");

    let update = hashpivot(&["check", "--report", "--update", toml_arg]);
    assert_eq!(update.status.code(), Some(0));
    assert!(text(&update.stdout).starts_with("updated [Mixed fleet: S19j Pro and S21]"));
    let again = hashpivot(&["check", "--report", toml_arg]);
    assert_eq!(again.status.code(), Some(0));

    std::fs::remove_file(&golden).unwrap();
    let missing = hashpivot(&["check", "--report", toml_arg]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stdout).contains("no report golden"));
    let create = hashpivot(&["check", "--report", "--update", toml_arg]);
    assert!(text(&create.stdout).starts_with("created [Mixed fleet: S19j Pro and S21]"));
    assert!(golden.exists());
}

/// `--paths` on a file with nothing to draw is said to be unused, and
/// the report is the one without it.
#[test]
fn paths_without_risk_are_noted() {
    let dir = scratch("report-paths-note");
    let out = dir.join("r.html");
    let result = hashpivot(&[
        "report",
        "scenarios/mixed-fleet-s19-s21.toml",
        "--paths",
        "10",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success());
    assert_eq!(
        text(&result.stderr),
        "note: --paths and --seed are not used: scenarios/mixed-fleet-s19-s21.toml has no [risk] volatility or default rate (format 2), so the report has no risk pages\n"
    );
    let plain = report(&dir, "p.html", &["scenarios/mixed-fleet-s19-s21.toml"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), plain);
}

/// Four sites (a GPU cloud whose answer is never convert, a mining-only
/// site, an AI-only site, and a name with `<>&"`) with risk: the
/// tester's board case.
const MULTI: &str = r#"format = 2
name = "Four-site board case"
start = "2026-01"
months = 96
discount_rate = 0.12
inflation_annual = 0.03

[bitcoin]
price_usd = 95000
price_growth_annual = 0.10
network_hashrate_ehs = 1050
hashrate_growth_annual = 0.25
fees_btc_per_block = 0.025
block_height = 930400

[[site]]
name = "Odessa GPU cloud"
grid_mw = 50
power_price_usd_per_mwh = 45
[site.mining]
hashrate_ths = 2500000
efficiency_j_per_th = 13.5
pue = 1.1
uptime = 0.96
pool_fee = 0.015
opex_usd_per_month = 250000
shutdown = "economic"
[site.ai]
kind = "gpu_cloud"
gpu_count = 25000
gpu_kw = 1.3
gpu_hour_usd = 2.00
utilization = 0.75
gpu_hour_decline_annual = 0.20
gpu_capex_usd = 30000
pue = 1.3
build_months = 9
ramp_months = 3
conversion_capex_usd = 292500000
mine_during_build = true
opex_usd_per_month = 2000000

[[site]]
name = "Wyoming mining only"
grid_mw = 40
power_price_usd_per_mwh = 38
[site.mining]
hashrate_ths = 2000000
efficiency_j_per_th = 17.5
pue = 1.05
uptime = 0.97
pool_fee = 0.015
opex_usd_per_month = 300000
shutdown = "economic"

[[site]]
name = "Quebec colocation, no mining"
grid_mw = 60
power_price_usd_per_mwh = 30
[site.ai]
kind = "colocation"
it_mw = 40
pue = 1.3
lease_usd_per_kw_month = 140
build_months = 12
ramp_months = 6
conversion_capex_usd = 400000000
opex_usd_per_month = 400000
exit_multiple = 8

[[site]]
name = "Sweetwater <North> & \"South\""
grid_mw = 100
power_price_usd_per_mwh = 33
[site.mining]
hashrate_ths = 5000000
efficiency_j_per_th = 17.5
pue = 1.06
uptime = 0.97
pool_fee = 0.015
opex_usd_per_month = 600000
shutdown = "economic"
exit_multiple = 3
[site.ai]
kind = "colocation"
it_mw = 70
pue = 1.3
lease_usd_per_kw_month = 120
build_months = 12
ramp_months = 6
conversion_capex_usd = 630000000
mine_during_build = true
opex_usd_per_month = 700000
exit_multiple = 10

[risk]
price_vol_annual = 0.6
hashrate_vol_annual = 0.3
price_hashrate_corr = 0.5
gpu_hour_vol_annual = 0.3
lease_default_annual = 0.03
paths = 2000
seed = 7
"#;

/// An AI-only site gets no hashprice chart (hashprice enters none of its
/// figures) and says so; a site with a fleet keeps its chart. A pivot
/// whose answer is never convert rings its best start as the "least bad"
/// one, not as a recommendation.
#[test]
fn an_ai_only_site_has_no_hashprice_chart() {
    let dir = scratch("report-multi");
    let file = dir.join("multi.toml");
    std::fs::write(&file, MULTI).unwrap();
    let html = report(
        &dir,
        "multi.html",
        &[file.to_str().unwrap(), "--paths", "40"],
    );
    assert!(html.contains("<h2>Quebec colocation, no mining: cash</h2>"));
    assert!(!html.contains("Quebec colocation, no mining: hashprice by month"));
    assert!(html.contains("No hashprice chart: this site has no mining fleet"));
    assert!(html.contains("Wyoming mining only: hashprice by month"));
    assert!(html.contains("least bad start 20"));
}

/// The winner map's flip line sits at the flip value its sentence
/// states, not on a cell edge: grid 50,000, 100,000, …, 250,000 over a
/// strip whose plot runs from 92 to 702 (five cells 122 wide, cell k
/// centred at 92 + (k + 0.5) × 122), so a flip at v is at 92 + ((v −
/// 50,000) / 50,000 + 0.5) × 122; the sentence's whole-dollar value puts it within 0.01 of the
/// line, drawn to 0.1. The sentence also gives run's exact crossover,
/// the cover's figure, and the cash chart says first that undiscounted
/// cash and the NPVs rank the futures apart.
#[test]
fn the_flip_line_is_where_the_sentence_says() {
    let dir = scratch("report-flip");
    let html = report(
        &dir,
        "flip.html",
        &[
            "scenarios/texas-west-curtailment.toml",
            "--paths",
            "20",
            "--vary",
            "bitcoin.price_usd=50000..250000:5",
        ],
    );
    let sentence = html
        .split("The winner flips where BTC price in month 0 is $")
        .nth(1)
        .unwrap();
    let value: f64 = sentence
        .split(' ')
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(sentence.contains("(interpolated between grid points); exactly $86,203.45 with every other input as in the file"));
    let expected = 92.0 + ((value - 50_000.0) / 50_000.0 + 0.5) * 122.0;
    let flip = html.split("class=\"flip\"").next().unwrap();
    let d = flip.rsplit("<path d=\"M").next().unwrap();
    let x: f64 = d.split(' ').next().unwrap().parse().unwrap();
    assert!(
        (x - expected).abs() < 0.06,
        "line at {x}, sentence at {expected}"
    );
    assert!(html.contains(">this file</text>"));
    assert!(html.contains("BTC price in month 0 (USD)"));
    assert!(html.contains("Undiscounted, AI ends $1.1B ahead"));
    assert!(html.contains("run&#39;s verdict follows the NPV."));
    assert!(html.contains("Convert to AI, discounted at 12 %"));
}

/// A grid point that cannot be computed: the file is still written (exit
/// 2, as `sweep`), and the page says which point failed and why, as
/// `sweep`'s table lists it.
#[test]
fn a_failed_grid_point_is_listed_with_its_reason() {
    let dir = scratch("report-failed-point");
    let out = dir.join("failed.html");
    let result = hashpivot(&[
        "report",
        "scenarios/texas-west-curtailment.toml",
        "--paths",
        "20",
        "--vary",
        "bitcoin.price_usd=-10000..200000:5",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        text(&result.stderr),
        "error: 1 of 5 grid points could not be computed (white cells with a cross in the report's winner maps)\n"
    );
    let html = text(&std::fs::read(&out).unwrap());
    assert!(
        html.contains("<li>-10000: bitcoin.price_usd = -10000 needs price_usd &gt; 0</li>"),
        "{html}"
    );
}
