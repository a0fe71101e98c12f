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
    assert!(swept.contains("Where the winner flips along lease_usd_per_kw_month"));
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
