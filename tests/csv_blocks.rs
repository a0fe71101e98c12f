//! Format 2's `conversion` and `portfolio` blocks in CSV: the
//! `conversion_*` and `portfolio_*` columns carry the same text as the
//! JSON summary's blocks, on every row of the site (conversion) or the
//! scenario (portfolio); a format-1 scenario's rows leave them empty.

use std::process::Command;

fn hashpivot(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_hashpivot"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Splits a CSV line that has no quoted field with a comma in it.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The JSON text of `"key": value` inside the object that follows
/// `"block": {` (the number exactly as printed).
fn json_value(json: &str, block: &str, key: &str) -> String {
    let start = json.find(&format!("\"{block}\": {{")).unwrap();
    let inner = &json[start..start + json[start..].find('}').unwrap()];
    let at = inner.find(&format!("\"{key}\": ")).unwrap() + key.len() + 4;
    let rest = &inner[at..];
    let end = rest.find([',', '\n']).unwrap_or(rest.len());
    rest[..end].trim().trim_matches('"').replace("null", "")
}

#[test]
fn conversion_and_portfolio_columns_equal_the_json_blocks() {
    let file = "scenarios/permian-partial-conversion.toml";
    let csv = hashpivot(&["run", file, "--format", "csv"]);
    let json = hashpivot(&["run", file, "--format", "json"]);
    let mut lines = csv.lines();
    let header = fields(lines.next().unwrap());
    let rows: Vec<Vec<String>> = lines.map(fields).collect();
    assert_eq!(rows.len(), 2, "one row per strategy");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for key in ["npv_usd", "irr", "mirr", "payback_months", "breakeven_rate"] {
        let expected = json_value(&json, "conversion", key);
        for row in &rows {
            assert_eq!(row[column(&format!("conversion_{key}"))], expected, "{key}");
        }
    }
    for key in ["mine_npv_usd", "ai_npv_usd", "best_npv_usd"] {
        let expected = json_value(&json, "portfolio", key);
        for row in &rows {
            assert_eq!(row[column(&format!("portfolio_{key}"))], expected, "{key}");
        }
    }
    for row in &rows {
        assert_eq!(row[column("portfolio_convert")], "Permian partial");
    }
    // `file` stays the last column.
    assert_eq!(header.last().unwrap(), "file");
}

#[test]
fn a_format_1_row_leaves_them_empty_beside_a_format_2_one() {
    let csv = hashpivot(&[
        "run",
        "scenarios/lake-mariner.toml",
        "scenarios/permian-partial-conversion.toml",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    let header = fields(lines.next().unwrap());
    let first = header
        .iter()
        .position(|h| h == "conversion_npv_usd")
        .unwrap();
    let last = header
        .iter()
        .position(|h| h == "portfolio_convert")
        .unwrap();
    for line in lines {
        let row = fields(line);
        assert_eq!(row.len(), header.len(), "rectangular");
        let empty = row[first..=last].iter().all(String::is_empty);
        assert_eq!(
            empty,
            row[0] == "Lake Mariner: mine or lease to AI",
            "{line}"
        );
    }
}
