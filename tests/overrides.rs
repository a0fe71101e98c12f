//! `--set KEY=VALUE`: by index, by name, in shorthand; listed in every
//! output; validated as if written in the file.

mod common;

use common::{hashpivot, text};

const SHIPPED: &str = "scenarios/lake-mariner.toml";

fn json(args: &[&str]) -> String {
    let mut all = vec!["run", SHIPPED, "--format", "json"];
    all.extend_from_slice(args);
    let out = hashpivot(&all);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The text of one figure in the JSON output, e.g. `"npv_usd": -1.00`.
fn figure(json: &str, strategy: &str, key: &str) -> String {
    let from = json.find(&format!("\"{strategy}\": {{")).unwrap();
    let at = from + json[from..].find(&format!("\"{key}\": ")).unwrap();
    json[at..].split([',', '\n']).next().unwrap().to_string()
}

#[test]
fn index_name_and_shorthand_address_the_same_key() {
    let plain = json(&[]);
    let by_index = json(&["--set", "site[0].ai.lease_usd_per_kw_month=140"]);
    let by_name = json(&["--set", "site[Lake Mariner].ai.lease_usd_per_kw_month=140"]);
    let by_digit = json(&["--set", "site.0.ai.lease_usd_per_kw_month=140"]);
    let by_word = json(&["--set", "site.Lake Mariner.ai.lease_usd_per_kw_month=140"]);
    let npv = |j: &str| figure(j, "ai", "npv_usd");
    assert_ne!(npv(&plain), npv(&by_index));
    assert_eq!(npv(&by_index), npv(&by_name));
    assert_eq!(npv(&by_index), npv(&by_digit));
    assert_eq!(npv(&by_index), npv(&by_word));
    // Same as editing the file: 154 → 140 lowers the breakeven nothing
    // (it is a property of costs) but lowers revenue.
    assert_eq!(
        figure(&plain, "ai", "breakeven_rate"),
        figure(&by_index, "ai", "breakeven_rate")
    );
}

#[test]
fn an_override_equals_the_edited_file() {
    let edited = std::fs::read_to_string(format!("{}/{SHIPPED}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .replace("price_usd = 95000", "price_usd = 120000");
    let out = common::hashpivot_stdin(&["run", "-", "--format", "json"], &edited);
    let overridden = json(&["--set", "bitcoin.price_usd=120000"]);
    // Identical but for the overrides list at the end.
    let listed = "  \"overrides\": [\n    {\n      \"key\": \"bitcoin.price_usd\",\n      \"value\": \"120000\"\n    }\n  ]\n";
    let without = overridden.replace(&format!(",\n{listed}"), "\n");
    assert_eq!(text(&out.stdout), without);
    assert!(overridden.contains(listed), "{overridden}");
}

#[test]
fn outputs_list_the_overrides() {
    let args = [
        "--set",
        "bitcoin.price_usd=120000",
        "--set",
        "discount_rate=0.08",
    ];
    let mut table = vec!["run", SHIPPED];
    table.extend_from_slice(&args);
    assert!(
        text(&hashpivot(&table).stdout)
            .contains("Overrides: bitcoin.price_usd=120000 · discount_rate=0.08\n")
    );
    let mut csv = vec!["run", SHIPPED, "--format", "csv"];
    csv.extend_from_slice(&args);
    let csv = text(&hashpivot(&csv).stdout);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",crossover_btc_price_usd,overrides,file")
    );
    for line in lines {
        assert!(
            line.ends_with(&format!(
                ",bitcoin.price_usd=120000;discount_rate=0.08,{SHIPPED}"
            )),
            "{line}"
        );
    }
}

#[track_caller]
fn bad(set: &str, expected: &str) {
    let out = hashpivot(&["run", SHIPPED, "--set", set]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr), expected);
}

#[test]
fn bad_overrides_name_the_override_key_and_rule() {
    bad(
        "bitcoin.prise_usd=3",
        "error: unknown key bitcoin.prise_usd: did you mean price_usd?
 --> override of scenarios/lake-mariner.toml
  |
  | --set bitcoin.prise_usd=3
  |       ^^^^^^^^^^^^^^^^^
",
    );
    bad(
        "months=twelve",
        "error: months = twelve must be a whole number (a TOML integer such as 36), not a string
 --> override of scenarios/lake-mariner.toml
  |
  | --set months=twelve
  |              ^^^^^^
",
    );
    bad(
        "discount_rate=12",
        "error: discount_rate = 12 needs 0 ≤ discount_rate < 10: rates are fractions (0.10 means 10 %): was 0.12 meant?
 --> override of scenarios/lake-mariner.toml
  |
  | --set discount_rate=12
  |                     ^^
",
    );
    bad(
        "site[0].mining.uptime=1.5",
        "error: site[0].mining.uptime = 1.5 needs 0 < uptime ≤ 1: uptime is a fraction (0.10 means 10 %): was 0.015 meant?
 --> override of scenarios/lake-mariner.toml
  |
  | --set site[0].mining.uptime=1.5
  |                             ^^^
",
    );
    bad(
        "site[Nowhere].ai.it_mw=10",
        "error: --set site[Nowhere].ai.it_mw: no [[site]] has name = \"Nowhere\": the names are \"Lake Mariner\"
 --> override of scenarios/lake-mariner.toml
  |
  | --set site[Nowhere].ai.it_mw=10
  |       ^^^^^^^^^^^^^^^^^^^^^^
",
    );
    bad(
        "site[3].ai.it_mw=10",
        "error: --set site[3].ai.it_mw: site[3] does not exist: the scenario has 1 [[site]] table(s), from site[0]
 --> override of scenarios/lake-mariner.toml
  |
  | --set site[3].ai.it_mw=10
  |       ^^^^^^^^^^^^^^^^
",
    );
}

#[test]
fn validate_takes_overrides_too() {
    let out = hashpivot(&["validate", SHIPPED, "--set", "site[0].ai.it_mw=250"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with(
        "error: site[0].ai.it_mw = 250 needs it_mw × pue (312.5 MW) ≤ grid_mw (250 MW)\n"
    ));
}

#[test]
fn unknown_keys_and_names_get_the_nearest_known_ones() {
    // An index on a key that is no array of tables: the nearest that is.
    bad(
        "sites[0].grid_mw=20",
        "error: --set sites[0].grid_mw: sites[…] selects an item of [[sites]], and there is no [[sites]] here: did you mean site[…]?
 --> override of scenarios/lake-mariner.toml
  |
  | --set sites[0].grid_mw=20
  |       ^^^^^^^^^^^^^^^^
",
    );
    bad(
        "site[0].mining[1].uptime=1",
        "error: --set site[0].mining[1].uptime: mining[…] selects an item of [[mining]], and there is no [[mining]] here
 --> override of scenarios/lake-mariner.toml
  |
  | --set site[0].mining[1].uptime=1
  |       ^^^^^^^^^^^^^^^^^^^^^^^^
",
    );
    bad(
        "bitcoin.price=120000",
        "error: unknown key bitcoin.price: did you mean price_usd or price_growth_annual?
 --> override of scenarios/lake-mariner.toml
  |
  | --set bitcoin.price=120000
  |       ^^^^^^^^^^^^^
",
    );
    bad(
        "site[0].ai.lease_usd_per_kw_mo=140",
        "error: unknown key site[0].ai.lease_usd_per_kw_mo: did you mean lease_usd_per_kw_month?
 --> override of scenarios/lake-mariner.toml
  |
  | --set site[0].ai.lease_usd_per_kw_mo=140
  |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
",
    );
    // The site left out, natural with one site: the key says how to name it.
    bad(
        "site.ai.lease_usd_per_kw_month=140",
        "error: --set site.ai.lease_usd_per_kw_month: site.ai… leaves out which [[site]] it means: write site[Lake Mariner].ai… (by name) or site[0].ai… (by position)
 --> override of scenarios/lake-mariner.toml
  |
  | --set site.ai.lease_usd_per_kw_month=140
  |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
",
    );
    bad(
        "site[lake mariner].ai.pue=1.3",
        "error: --set site[lake mariner].ai.pue: no [[site]] has name = \"lake mariner\": did you mean site[Lake Mariner]?
 --> override of scenarios/lake-mariner.toml
  |
  | --set site[lake mariner].ai.pue=1.3
  |       ^^^^^^^^^^^^^^^^^^^^^^^^^
",
    );
    bad(
        "site.Lake.ai.pue=1.3",
        "error: --set site.Lake.ai.pue: no [[site]] has name = \"Lake\": did you mean site[Lake Mariner]?
 --> override of scenarios/lake-mariner.toml
  |
  | --set site.Lake.ai.pue=1.3
  |       ^^^^^^^^^^^^^^^^
",
    );
    // A name two edits away, among several sites.
    let two_sites = std::fs::read_to_string(format!("{}/{SHIPPED}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .replace("name = \"Lake Mariner\"", "name = \"Texas\"")
        .replace("[[site]]", "[[site]]\nname = \"Ohio\"\ngrid_mw = 10\npower_price_usd_per_mwh = 40\n[site.ai]\nkind = \"colocation\"\nit_mw = 5\nlease_usd_per_kw_month = 100\n\n[[site]]");
    let out = common::hashpivot_stdin(&["run", "-", "--set", "site[Texsa].ai.pue=1.3"], &two_sites);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: --set site[Texsa].ai.pue: no [[site]] has name = \"Texsa\": did you mean site[Texas]?
 --> override of <stdin>
  |
  | --set site[Texsa].ai.pue=1.3
  |       ^^^^^^^^^^^^^^^^^^
"
    );
    let out = common::hashpivot_stdin(&["run", "-", "--set", "site[Utah].ai.pue=1.3"], &two_sites);
    assert!(
        text(&out.stderr).starts_with(
            "error: --set site[Utah].ai.pue: no [[site]] has name = \"Utah\": the names are \"Ohio\", \"Texas\"\n"
        ),
        "{}",
        text(&out.stderr)
    );
}

/// A `--set` that breaks a rule joining several keys of a price curve is
/// reported against the override, not the file's first block.
#[test]
fn a_curve_rule_broken_by_an_override_points_at_it() {
    let texas = "scenarios/texas-west-curtailment.toml";
    let out = hashpivot(&["run", texas, "--set", "site[0].power_block[0].share=0.11"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: site[0].power_block shares sum to 1.01: they must sum to exactly 1 (every hour of the month at one price)
 --> override of scenarios/texas-west-curtailment.toml
  |
  | --set site[0].power_block[0].share=0.11
  |                                    ^^^^
"
    );
    let out = hashpivot(&["run", texas, "--set", "site[0].power_price_usd_per_mwh=30"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: site[0] has both power_price_usd_per_mwh and [[site.power_block]] rows: use exactly one form
 --> override of scenarios/texas-west-curtailment.toml
  |
  | --set site[0].power_price_usd_per_mwh=30
  |                                       ^^
"
    );
}
