//! The monthly rows add up (format 2): in every month of every shipped
//! format-2 scenario, `revenue − power − opex − capex + fleet sale +
//! terminal value = cash flow`, each figure as printed to the cent, so a
//! reader can reconcile a row without the model (the fleet sale and the
//! terminal value are cash, not revenue, and have their own columns).

use serde_json::Value;
use std::process::Command;

#[test]
fn every_format_2_month_adds_up() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    let mut with_sale_or_exit = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let out = Command::new(env!("CARGO_BIN_EXE_hashpivot"))
            .args([
                "run",
                path.to_str().unwrap(),
                "--monthly",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        if summary["format"] != 2 {
            continue;
        }
        for site in summary["sites"].as_array().unwrap() {
            for strategy in ["mine", "ai"] {
                let Some(months) = site[strategy]["monthly"].as_array() else {
                    continue;
                };
                // Cents as integers: each printed figure has 2 decimals.
                let cents =
                    |m: &Value, key: &str| (m[key].as_f64().unwrap() * 100.0).round() as i128;
                for m in months {
                    let sum = cents(m, "revenue_usd")
                        - cents(m, "power_cost_usd")
                        - cents(m, "opex_usd")
                        - cents(m, "capex_usd")
                        + cents(m, "fleet_sale_usd")
                        + cents(m, "terminal_value_usd");
                    // Six figures each rounded once: at most 3 cents apart.
                    assert!(
                        (sum - cents(m, "cash_flow_usd")).abs() <= 3,
                        "{} {} {strategy} {}",
                        path.display(),
                        site["name"],
                        m["month"]
                    );
                    if cents(m, "fleet_sale_usd") != 0 || cents(m, "terminal_value_usd") != 0 {
                        with_sale_or_exit += 1;
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked} months");
    // The shipped files have both a fleet sale and terminal values.
    assert!(with_sale_or_exit >= 3, "{with_sale_or_exit}");
}
