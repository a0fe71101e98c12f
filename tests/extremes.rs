//! Valid extremes: 600 months, a 999 % discount rate, growth of 100× a
//! year, heights past the last halving, one-month horizons, a halving in
//! month 0, 1-second and 1-microsecond blocks. Each computes figures that
//! match its golden file (cross-checked with tools/reference.py, the
//! independent implementation), or stops with a clear overflow error that
//! names the scenario. Never a panic.

mod common;

use common::{hashpivot, text};

#[test]
fn extremes_compute_their_checked_figures() {
    let out = hashpivot(&["check", "tests/extremes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).ends_with("10 scenarios, 0 changed, 0 figures moved\n"));
}

#[test]
fn past_the_last_halving_only_fees_are_earned() {
    // From height 6,930,000 the subsidy is 0. January 2026: 4,464 blocks ·
    // 0.02 BTC of fees = 89.28 BTC, of which 1 EH/s of 1,000 EH/s mines
    // 0.08928 BTC.
    let out = hashpivot(&[
        "run",
        "tests/extremes/after-the-last-halving.toml",
        "--format",
        "csv",
        "--monthly",
    ]);
    let body = text(&out.stdout);
    let first = body.lines().nth(1).unwrap();
    assert!(
        first.starts_with("extreme: after-the-last-halving,A,mine,2026-01,"),
        "{first}"
    );
    assert_eq!(first.split(',').nth(5), Some("0.08928000"));
}

#[test]
fn overflow_is_a_clear_error_naming_the_scenario() {
    for name in [
        "hashrate-falling-99-percent-a-year",
        "price-100x-a-year-600-months",
    ] {
        let path = format!("tests/extremes/overflow/{name}.toml");
        let expected = std::fs::read_to_string(format!(
            "{}/tests/extremes/overflow/{name}.stderr",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let out = hashpivot(&["run", &path, "--format", "json"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let stderr = text(&out.stderr);
        assert_eq!(stderr, expected);
        assert!(stderr.contains(&format!("scenario \"extreme: {name}\"")));
        assert!(stderr.contains("overflow"));
    }
}
