//! `hashpivot schema`: the JSON Schema of scenario files, and the copy
//! checked in as docs/scenario.schema.json, which editors point at with
//! `#:schema` and which must never fall behind the loader.
//!
//! Validation against real files (every shipped scenario is valid, the
//! corpus of refused files is refused) is tools/test_schema.py's, with the
//! jsonschema package: see .ci/run.

mod common;

use common::{hashpivot, text};
use serde_json::Value;

const CHECKED_IN: &str = "docs/scenario.schema.json";

fn schema_output() -> Vec<u8> {
    let out = hashpivot(&["schema"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    out.stdout
}

/// The checked-in copy is the command's output, byte for byte.
#[test]
fn the_checked_in_schema_is_current() {
    let printed = schema_output();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CHECKED_IN);
    let checked_in = std::fs::read(&path).unwrap_or_default();
    if printed != checked_in {
        let printed = String::from_utf8_lossy(&printed);
        let checked_in = String::from_utf8_lossy(&checked_in);
        let first = printed
            .lines()
            .zip(checked_in.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| printed.lines().count().min(checked_in.lines().count()));
        panic!(
            "{CHECKED_IN} is stale (first difference on line {}): run `cargo run -- schema > {CHECKED_IN}` and commit it",
            first + 1
        );
    }
}

/// Same bytes every run, pretty-printed, newline at the end.
#[test]
fn the_output_is_stable_and_ends_with_a_newline() {
    let first = schema_output();
    assert_eq!(first, schema_output());
    let s = text(&first);
    assert!(s.starts_with("{\n  \"$schema\": "), "{}", &s[..40]);
    assert!(s.ends_with("}\n"));
    assert!(!s.ends_with("\n\n"));
}

fn parsed() -> Value {
    serde_json::from_slice(&schema_output()).unwrap()
}

/// Draft 2020-12, and the document's shape: format 1 is a layer over
/// format 2 (`if format = 1 then $defs/format_1`), with the format-2 keys
/// refused there.
#[test]
fn a_2020_12_schema_with_a_format_1_layer() {
    let s = parsed();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["properties"]["format"]["enum"], serde_json::json!([1, 2]));
    assert_eq!(s["if"]["properties"]["format"]["const"], 1);
    assert_eq!(s["then"]["$ref"], "#/$defs/format_1");
    let layer = &s["$defs"]["format_1"]["properties"];
    assert_eq!(layer["inflation_annual"], false);
    assert_eq!(layer["risk"], false);
    assert_eq!(
        layer["site"]["items"]["$ref"], "#/$defs/site_format_1",
        "the sites get their own layer"
    );
    // Format 1's flat power price is required and at least 0; format 2's
    // is any decimal.
    let site1 = &s["$defs"]["site_format_1"];
    assert_eq!(
        site1["required"],
        serde_json::json!(["power_price_usd_per_mwh"])
    );
    assert_eq!(site1["properties"]["power_price_usd_per_mwh"]["minimum"], 0);
    assert_eq!(site1["properties"]["power_block"], false);
    // A side without a bound is the decimal range's, written in full
    // (serde_json here would read it as a float, so look at the text).
    let price = &s["$defs"]["site"]["properties"]["power_price_usd_per_mwh"];
    assert!(price["minimum"].as_f64().is_some_and(|m| m < -7.9e28));
    let printed = text(&schema_output());
    assert!(printed.contains("\"minimum\": -79228162514264337593543950335,\n"));
}

/// Every table refuses keys it does not list, as the loader does.
#[test]
fn every_table_refuses_unknown_keys() {
    let s = parsed();
    assert_eq!(s["additionalProperties"], false);
    let defs = s["$defs"].as_object().unwrap();
    // (serde_json's map is sorted.)
    let tables: Vec<&String> = defs.keys().filter(|k| !k.ends_with("format_1")).collect();
    assert_eq!(
        tables,
        [
            "ai",
            "bitcoin",
            "fleet",
            "mining",
            "power_block",
            "risk",
            "site"
        ]
    );
    for name in tables {
        assert_eq!(defs[name]["additionalProperties"], false, "{name}");
        assert_eq!(defs[name]["type"], "object", "{name}");
    }
}

/// Every key has a description with its unit and either "Required" or its
/// default; decimals take a number or a quoted decimal, whole numbers an
/// integer.
#[test]
fn every_key_is_described_and_typed() {
    let s = parsed();
    let mut tables = vec![("(top)".to_string(), &s["properties"])];
    for (name, def) in s["$defs"].as_object().unwrap() {
        if !name.ends_with("format_1") {
            tables.push((name.clone(), &def["properties"]));
        }
    }
    let mut keys = 0;
    for (table, properties) in tables {
        for (key, schema) in properties.as_object().unwrap() {
            let description = schema["description"].as_str().unwrap_or("");
            assert!(
                description.ends_with('.') && description.len() > 20,
                "{table}.{key}: {description:?}"
            );
            let typed = schema.get("type").is_some() || schema.get("$ref").is_some();
            assert!(typed, "{table}.{key} has no type");
            if schema["type"] == serde_json::json!(["number", "string"]) {
                assert!(schema["pattern"].is_string(), "{table}.{key}");
                assert!(
                    description.contains("Required") || schema.get("default").is_some(),
                    "{table}.{key}: a decimal is required or has a default"
                );
            }
            keys += 1;
        }
    }
    // 9 top-level keys, 7 [bitcoin], 7 [risk], 7 [[site]], 2 power_block,
    // 11 [site.mining], 4 fleet, 21 [site.ai] (both kinds).
    assert_eq!(keys, 9 + 7 + 7 + 7 + 2 + 11 + 4 + 21);
}

/// A few keys in full, worked out from docs/keys.md: `uptime` is
/// 0 < u ≤ 1 with default 1; `months` an integer 1 … 600; `shutdown` one
/// of two strings, format 2 only.
#[test]
fn keys_as_docs_keys_md_states_them() {
    let s = parsed();
    let uptime = &s["$defs"]["mining"]["properties"]["uptime"];
    assert_eq!(uptime["exclusiveMinimum"], 0);
    assert_eq!(uptime["maximum"], 1);
    assert_eq!(uptime["default"], 1);
    let months = &s["properties"]["months"];
    assert_eq!(months["type"], "integer");
    assert_eq!(
        (months["minimum"].clone(), months["maximum"].clone()),
        (1.into(), 600.into())
    );
    let shutdown = &s["$defs"]["mining"]["properties"]["shutdown"];
    assert_eq!(shutdown["enum"], serde_json::json!(["economic", "never"]));
    assert_eq!(shutdown["default"], "economic");
    assert!(
        shutdown["description"]
            .as_str()
            .unwrap()
            .contains("Format 2 only.")
    );
    let kinds = &s["$defs"]["ai"]["properties"]["kind"]["enum"];
    assert_eq!(*kinds, serde_json::json!(["colocation", "gpu_cloud"]));
}
