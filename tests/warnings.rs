//! Unit slips: a valid value that is almost certainly in the wrong unit
//! gets a warning on stderr (the file, key, line, column, caret, and what
//! was probably meant) and the run goes on; `--deny-warnings` makes it an
//! error.
//!
//! `tests/warnings/NN-name.toml` are valid scenarios with one kind of slip
//! each, beside the exact warnings they must get (`NN-name.stderr`, each
//! read by a person).

mod common;

use common::{hashpivot, scratch, text};
use std::path::{Path, PathBuf};

/// Every `tests/warnings/*.toml`, as the relative path messages name, with
/// its expected stderr.
fn cases() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/warnings");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "only {} cases", files.len());
    files
        .iter()
        .map(|f| {
            let expected = std::fs::read_to_string(f.with_extension("stderr"))
                .unwrap_or_else(|_| panic!("{} has no .stderr", f.display()));
            let name = f.file_name().unwrap().to_string_lossy();
            (format!("tests/warnings/{name}"), expected)
        })
        .collect()
}

/// The line `--deny-warnings` adds after a file's warnings.
fn denied(path: &str, expected: &str) -> String {
    let count = expected.matches("warning: ").count();
    let plural = if count == 1 { "" } else { "s" };
    format!(
        "{expected}error: {path}: {count} warning{plural}, which --deny-warnings makes errors\n"
    )
}

#[test]
fn every_slip_warns_and_the_run_goes_on() {
    for (path, expected) in cases() {
        // Each message names the file, the key, the line and column.
        assert!(expected.starts_with("warning: "), "{path}");
        assert!(expected.contains(&format!("--> {path}:")), "{path}");

        let on_stdout = hashpivot(&["run", &path, "--format", "json"]);
        assert_eq!(on_stdout.status.code(), Some(0), "{path}");
        assert_eq!(text(&on_stdout.stderr), expected, "{path}");
        let json: serde_json::Value = serde_json::from_slice(&on_stdout.stdout).unwrap();
        assert_eq!(json["scenario"], "Warnings", "{path}");

        // With -o the file is written, and holds exactly what stdout did.
        let dir = scratch(&format!("warnings/run-{}", path.replace(['/', '.'], "-")));
        let target = dir.join("out.json");
        let out = hashpivot(&[
            "run",
            &path,
            "--format",
            "json",
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{path}");
        assert_eq!(text(&out.stderr), expected, "{path}");
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read(&target).unwrap(), on_stdout.stdout, "{path}");
    }
}

#[test]
fn deny_warnings_makes_them_errors_and_writes_nothing() {
    for (path, expected) in cases() {
        let dir = scratch(&format!("warnings/deny-{}", path.replace(['/', '.'], "-")));
        let target = dir.join("out.json");
        let out = hashpivot(&[
            "run",
            &path,
            "--deny-warnings",
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        assert!(out.stdout.is_empty(), "{path}");
        assert_eq!(text(&out.stderr), denied(&path, &expected), "{path}");
        assert!(!target.exists(), "{path}: wrote an output file");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "{path}");
    }
    // The flag is global: before the command too, and on stdout nothing.
    let (path, expected) = &cases()[0];
    let out = hashpivot(&["--deny-warnings", "run", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr), denied(path, expected));
    // A scenario without warnings is untouched by it.
    let out = hashpivot(&["run", "scenarios/lake-mariner.toml", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty());
}

#[test]
fn a_warning_leaves_the_figures_as_they_were() {
    // tests/extremes/one-month.toml builds for 6 months of a 1-month
    // horizon: a warning now, and the same figures as its golden file,
    // written before there were warnings.
    let dir = scratch("warnings/figures");
    let target = dir.join("one-month.json");
    let path = "tests/extremes/one-month.toml";
    let out = hashpivot(&[
        "run",
        path,
        "--format",
        "json",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "warning: site[0].ai.build_months = 6 puts go-live in 2026-07, after the horizon's last month (2026-01): the conversion never earns within months = 1: was a longer horizon or a shorter build meant?
  --> tests/extremes/one-month.toml:29:16
   |
29 | build_months = 6
   |                ^
"
    );
    let diff = hashpivot(&[
        "diff",
        "tests/extremes/one-month.golden.json",
        target.to_str().unwrap(),
    ]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stdout));
    // `check` warns the same way and still passes.
    let check = hashpivot(&["check", path]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    assert_eq!(text(&check.stderr), text(&out.stderr));
}

#[test]
fn a_slip_in_an_override_points_at_the_override() {
    let out = hashpivot(&[
        "run",
        "scenarios/lake-mariner.toml",
        "--set",
        "site[0].power_price_usd_per_mwh=0.035",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "warning: site[0].power_price_usd_per_mwh = 0.035 is under 1 USD/MWh: was USD/kWh meant? (0.035 USD/kWh = 35 USD/MWh)
 --> override of scenarios/lake-mariner.toml
  |
  | --set site[0].power_price_usd_per_mwh=0.035
  |                                       ^^^^^
"
    );
}

#[test]
fn a_batch_warns_once_per_file_and_slip() {
    let (path, expected) = &cases()[0];
    let body = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let dir = scratch("warnings/batch");
    for name in ["a.toml", "b.toml", "c.toml"] {
        std::fs::write(dir.join(name), &body).unwrap();
    }
    // Three files with the same slip: three warnings, each naming its file.
    let folder = dir.to_str().unwrap();
    let out = hashpivot(&["run", folder, "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout).lines().count(), 3);
    let each = |name: &str| expected.replace(path, &dir.join(name).display().to_string());
    assert_eq!(
        text(&out.stderr),
        format!("{}{}{}", each("a.toml"), each("b.toml"), each("c.toml"))
    );
    // One file given twice: its warning once, its summary twice.
    let out = hashpivot(&["run", path, path, "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout).lines().count(), 2);
    assert_eq!(text(&out.stderr), *expected);
    // With --deny-warnings the good ones still print; each warned file is
    // an error of its own.
    let out = hashpivot(&[
        "run",
        path,
        "scenarios/halving-2028.toml",
        "--format",
        "jsonl",
        "--deny-warnings",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("\"Through the 2028 halving\""), "{stdout}");
    assert_eq!(text(&out.stderr), denied(path, expected));
}

#[test]
fn a_sweep_warns_once_for_all_its_points() {
    let (path, expected) = &cases()[0];
    for format in ["table", "csv", "jsonl"] {
        let out = hashpivot(&[
            "sweep",
            path,
            "--vary",
            "bitcoin.price_usd=60000..140000:5",
            "--vary",
            "site[0].ai.lease_usd_per_kw_month=100,150,200",
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(!out.stdout.is_empty(), "{format}");
        assert_eq!(text(&out.stderr), *expected, "{format}");
    }
    let dir = scratch("warnings/sweep-deny");
    let target = dir.join("grid.csv");
    let out = hashpivot(&[
        "sweep",
        path,
        "--vary",
        "bitcoin.price_usd=60000..140000:5",
        "--format",
        "csv",
        "--deny-warnings",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr), denied(path, expected));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn validate_warns_and_deny_withholds_the_ok() {
    let (path, expected) = &cases()[0];
    let out = hashpivot(&["validate", path]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), format!("ok {path}\n"));
    assert_eq!(text(&out.stderr), *expected);
    let out = hashpivot(&["validate", path, "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr), denied(path, expected));
}

#[test]
fn the_shipped_scenarios_have_no_warnings() {
    for args in [
        &["validate", "scenarios", "--deny-warnings"][..],
        &["check", "scenarios", "--deny-warnings"],
    ] {
        let out = hashpivot(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    }
}
