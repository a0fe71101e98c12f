//! The real binary end to end: exit codes, the JSON layout, stdin, several
//! files, `validate`, usage errors and a closed pipe.

mod common;

use common::{hashpivot, hashpivot_stdin, text};
use std::io::Read;
use std::process::{Command, Stdio};

const SHIPPED: &str = "scenarios/lake-mariner.toml";

fn shipped_text() -> String {
    std::fs::read_to_string(format!("{}/{SHIPPED}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn json_keys_come_in_model_order() {
    let out = text(&hashpivot(&["run", SHIPPED, "--format", "json"]).stdout);
    let order = [
        "\"scenario\"",
        "\"months\"",
        "\"network\"",
        "\"hashprice_usd_per_ph_day\"",
        "\"halvings\"",
        "\"sites\"",
        "\"name\"",
        "\"mine\"",
        "\"revenue_usd\"",
        "\"power_cost_usd\"",
        "\"opex_usd\"",
        "\"capex_usd\"",
        "\"net_cash_usd\"",
        "\"npv_usd\"",
        "\"irr\"",
        "\"payback_months\"",
        "\"btc_mined\"",
        "\"breakeven_btc_price_usd\"",
        "\"cost_per_btc_usd\"",
        "\"all_in_cost_per_btc_usd\"",
        "\"ai\"",
        "\"breakeven_rate\"",
        "\"go_live\"",
        "\"winner\"",
        "\"npv_advantage_usd\"",
        "\"crossover_btc_price_usd\"",
    ];
    let mut from = 0;
    for key in order {
        let at = out[from..]
            .find(key)
            .unwrap_or_else(|| panic!("{key} missing or out of order"));
        from += at + key.len();
    }
    // Fixed decimals, written as JSON numbers.
    assert!(out.contains("\"hashprice_usd_per_ph_day\": 41.0400,"));
    assert!(out.contains("\"opex_usd\": 144000000.00,"));
    assert!(out.contains("\"btc_mined\": 4843.05919298,"));
    assert!(out.contains("\"irr\": 0.158788,"));
    assert!(out.contains("\"breakeven_rate\": 133.1853,"));
}

#[test]
fn stdin_and_several_files_give_an_array() {
    let one = hashpivot_stdin(&["run", "-", "--format", "json"], &shipped_text());
    assert_eq!(one.status.code(), Some(0));
    assert!(text(&one.stdout).starts_with("{\n"));

    let two = hashpivot(&["run", SHIPPED, SHIPPED, "--format", "json"]);
    assert_eq!(two.status.code(), Some(0));
    let out = text(&two.stdout);
    assert!(out.starts_with("[\n  {\n"));
    assert_eq!(out.matches("\"scenario\": ").count(), 2);
}

#[test]
fn one_bad_file_among_good_ones() {
    let out = hashpivot(&["run", SHIPPED, "missing.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    // The good one still prints, as an array since two paths were given.
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("[\n"));
    assert_eq!(stdout.matches("\"scenario\": ").count(), 1);
    assert_eq!(
        text(&out.stderr),
        "error: cannot read missing.toml: No such file or directory (os error 2)\n"
    );
}

#[test]
fn validate_reports_each_file() {
    let out = hashpivot(&["validate", SHIPPED]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), format!("ok {SHIPPED}\n"));

    let out = hashpivot_stdin(&["validate", SHIPPED, "-"], "format = 3\n");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), format!("ok {SHIPPED}\n"));
    assert_eq!(
        text(&out.stderr),
        "error: format = 3 is not supported: this hashpivot reads scenario formats 1 and 2
 --> <stdin>:1:10
  |
1 | format = 3
  |          ^
"
    );
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    for args in [
        &[][..],
        &["run"][..],
        &["run", SHIPPED, "--format", "yaml"][..],
        &["frobnicate"][..],
    ] {
        let out = hashpivot(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    let help = hashpivot(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("Usage: hashpivot"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Enough output to overflow any pipe buffer, read by nobody.
    let many: Vec<&str> = std::iter::repeat_n(SHIPPED, 60).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hashpivot"))
        .arg("run")
        .args(&many)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(status.code(), Some(0));
}
