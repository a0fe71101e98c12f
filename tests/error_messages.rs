//! Exact stderr text for bad input, through the real binary: exit 2, empty
//! stdout, and a message naming the file, the key, the line and column,
//! and the rule broken.

mod common;

use common::{hashpivot, hashpivot_stdin, text};

/// A valid scenario; each case below breaks one line of it.
const GOOD: &str = r#"format = 1
name = "Errors"
start = "2026-01"
months = 24

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 930000

[[site]]
name = "North"
grid_mw = 50
power_price_usd_per_mwh = 40

[site.mining]
hashrate_ths = 1000000
efficiency_j_per_th = 20

[[site]]
name = "South"
grid_mw = 50
power_price_usd_per_mwh = 30

[site.ai]
kind = "colocation"
it_mw = 30
pue = 1.3
lease_usd_per_kw_month = 150
"#;

/// Runs `hashpivot run -` on `input` and checks the whole of stderr.
#[track_caller]
fn check(input: &str, expected: &str) {
    let out = hashpivot_stdin(&["run", "-"], input);
    assert_eq!(text(&out.stderr), expected, "stderr differs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "stdout not empty");
}

/// GOOD with the first occurrence of `from` replaced by `to`.
fn with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    GOOD.replacen(from, to, 1)
}

#[test]
fn the_good_scenario_is_good() {
    let out = hashpivot_stdin(&["validate", "-"], GOOD);
    // Standard input is named as error messages name it.
    assert_eq!(text(&out.stdout), "ok <stdin>\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn load_that_does_not_fit_the_grid() {
    check(
        &with("it_mw = 30", "it_mw = 45"),
        "error: site[1].ai.it_mw = 45 needs it_mw × pue (58.5 MW) ≤ grid_mw (50 MW)
  --> <stdin>:27:9
   |
27 | it_mw = 45
   |         ^^
",
    );
}

#[test]
fn mining_load_that_does_not_fit_the_grid() {
    // 1,000,000 TH/s · 60 J/TH = 60 MW of IT at pue 1
    check(
        &with("efficiency_j_per_th = 20", "efficiency_j_per_th = 60"),
        "error: site[0].mining.hashrate_ths = 1000000 needs hashrate_ths × efficiency_j_per_th / 10^6 × pue (60 MW) ≤ grid_mw (50 MW)
  --> <stdin>:17:16
   |
17 | hashrate_ths = 1000000
   |                ^^^^^^^
",
    );
}

#[test]
fn gpu_cloud_that_does_not_fit_the_grid() {
    check(
        &with(
            "kind = \"colocation\"\nit_mw = 30\npue = 1.3\nlease_usd_per_kw_month = 150",
            "kind = \"gpu_cloud\"\ngpu_count = 40000\ngpu_kw = 1.3\ngpu_hour_usd = 2",
        ),
        "error: site[1].ai.gpu_count = 40000 needs gpu_count × gpu_kw / 1000 × pue (52 MW) ≤ grid_mw (50 MW)
  --> <stdin>:27:13
   |
27 | gpu_count = 40000
   |             ^^^^^
",
    );
}

#[test]
fn unknown_key_with_a_suggestion() {
    check(
        &with("pue = 1.3", "pue_ratio = 1.3"),
        "error: unknown key site[1].ai.pue_ratio: site[1].ai with kind = \"colocation\" takes kind, pue, build_months, conversion_capex_usd, ramp_months, mine_during_build, opex_usd_per_month, it_mw, lease_usd_per_kw_month, lease_escalator_annual, power_pass_through
  --> <stdin>:28:1
   |
28 | pue_ratio = 1.3
   | ^^^^^^^^^
",
    );
    check(
        &with("block_height", "block_hieght"),
        "error: unknown key bitcoin.block_hieght: did you mean block_height?
 --> <stdin>:9:1
  |
9 | block_hieght = 930000
  | ^^^^^^^^^^^^
",
    );
}

#[test]
fn unknown_keys_get_the_nearest_known_ones() {
    // The start of a key: the one key it starts.
    check(
        &with("lease_usd_per_kw_month", "lease_usd_per_kw_mo"),
        "error: unknown key site[1].ai.lease_usd_per_kw_mo: did you mean lease_usd_per_kw_month?
  --> <stdin>:29:1
   |
29 | lease_usd_per_kw_mo = 150
   | ^^^^^^^^^^^^^^^^^^^
",
    );
    // The start of several: each of them.
    check(
        &with("price_usd", "price"),
        "error: unknown key bitcoin.price: did you mean price_usd or price_growth_annual?
 --> <stdin>:7:1
  |
7 | price = 100000
  | ^^^^^
",
    );
    // Another case: a table as well as a key.
    check(
        &with("[site.ai]", "[site.AI]"),
        "error: unknown key site[1].AI: did you mean ai?
  --> <stdin>:25:7
   |
25 | [site.AI]
   |       ^^
",
    );
    check(
        &with(
            "efficiency_j_per_th = 20\n",
            "efficiency_j_per_th = 20\nPUE = 1.1\n",
        ),
        "error: unknown key site[0].mining.PUE: did you mean pue?
  --> <stdin>:19:1
   |
19 | PUE = 1.1
   | ^^^
",
    );
    check(
        &with(
            "hashrate_ths = 1000000\nefficiency_j_per_th = 20\n",
            "[[site.mining.fleet]]\nmodel = \"S21\"\ncount = 5000\nths = 200\nj_per_TH = 17.5\n",
        ),
        "error: unknown key site[0].mining.fleet[0].j_per_TH: did you mean j_per_th?
  --> <stdin>:21:1
   |
21 | j_per_TH = 17.5
   | ^^^^^^^^
",
    );
}

#[test]
fn key_of_the_other_ai_kind() {
    check(
        &with("pue = 1.3", "gpu_count = 3"),
        "error: unknown key site[1].ai.gpu_count: site[1].ai with kind = \"colocation\" takes kind, pue, build_months, conversion_capex_usd, ramp_months, mine_during_build, opex_usd_per_month, it_mw, lease_usd_per_kw_month, lease_escalator_annual, power_pass_through
  --> <stdin>:28:1
   |
28 | gpu_count = 3
   | ^^^^^^^^^
",
    );
}

#[test]
fn integer_key_takes_an_integer_only() {
    check(
        &with("months = 24", "months = 24.0"),
        "error: months = 24.0 must be a whole number (a TOML integer such as 36), not a float
 --> <stdin>:4:10
  |
4 | months = 24.0
  |          ^^^^
",
    );
}

#[test]
fn string_where_a_number_belongs() {
    check(
        &with("price_usd = 100000", "price_usd = \"lots\""),
        "error: bitcoin.price_usd = \"lots\" must be a number (an integer, a decimal, or a quoted decimal such as \"0.1\")
 --> <stdin>:7:13
  |
7 | price_usd = \"lots\"
  |             ^^^^^^
",
    );
}

#[test]
fn out_of_range_values() {
    check(
        &with("months = 24", "months = 601"),
        "error: months = 601 needs 1 ≤ months ≤ 600
 --> <stdin>:4:10
  |
4 | months = 601
  |          ^^^
",
    );
    check(
        &with("price_usd = 100000", "price_usd = 0"),
        "error: bitcoin.price_usd = 0 needs price_usd > 0
 --> <stdin>:7:13
  |
7 | price_usd = 0
  |             ^
",
    );
    check(
        &with("[site.mining]\n", "[site.mining]\nuptime = 0\n"),
        "error: site[0].mining.uptime = 0 needs 0 < uptime ≤ 1
  --> <stdin>:17:10
   |
17 | uptime = 0
   |          ^
",
    );
    check(
        &with("months = 24\n", "months = 24\ndiscount_rate = 10\n"),
        "error: discount_rate = 10 needs 0 ≤ discount_rate < 10: rates are fractions (0.10 means 10 %): was 0.1 meant?
 --> <stdin>:5:17
  |
5 | discount_rate = 10
  |                 ^^
",
    );
}

#[test]
fn a_fraction_written_as_a_percentage() {
    check(
        &with("months = 24\n", "months = 24\ndiscount_rate = 12\n"),
        "error: discount_rate = 12 needs 0 ≤ discount_rate < 10: rates are fractions (0.10 means 10 %): was 0.12 meant?
 --> <stdin>:5:17
  |
5 | discount_rate = 12
  |                 ^^
",
    );
    check(
        &with("[site.mining]\n", "[site.mining]\nuptime = 95\n"),
        "error: site[0].mining.uptime = 95 needs 0 < uptime ≤ 1: uptime is a fraction (0.10 means 10 %): was 0.95 meant?
  --> <stdin>:17:10
   |
17 | uptime = 95
   |          ^^
",
    );
    check(
        &with("[site.mining]\n", "[site.mining]\npool_fee = 2.5\n"),
        "error: site[0].mining.pool_fee = 2.5 needs 0 ≤ pool_fee < 1: pool_fee is a fraction (0.10 means 10 %): was 0.025 meant?
  --> <stdin>:17:12
   |
17 | pool_fee = 2.5
   |            ^^^
",
    );
    check(
        &with("block_height = 930000\n", "block_height = 930000\nhashrate_growth_annual = -20\n"),
        "error: bitcoin.hashrate_growth_annual = -20 needs hashrate_growth_annual > -1: rates are fractions (0.10 means 10 %): was -0.2 meant?
  --> <stdin>:10:26
   |
10 | hashrate_growth_annual = -20
   |                          ^^^
",
    );
    // Not a percentage either: the rule alone.
    check(
        &with("[site.mining]\n", "[site.mining]\nuptime = 101\n"),
        "error: site[0].mining.uptime = 101 needs 0 < uptime ≤ 1
  --> <stdin>:17:10
   |
17 | uptime = 101
   |          ^^^
",
    );
    // A ratio, not a fraction: pue = 110 is not 1.1.
    check(
        &with("pue = 1.3", "pue = 0.9"),
        "error: site[1].ai.pue = 0.9 needs pue ≥ 1
  --> <stdin>:28:7
   |
28 | pue = 0.9
   |       ^^^
",
    );
}

#[test]
fn bad_start_months() {
    for bad in ["2026-13", "2026-1"] {
        check(
            &with("\"2026-01\"", &format!("\"{bad}\"")),
            &format!(
                "error: start = \"{bad}\" needs the form \"YYYY-MM\": a four-digit year and a month from 01 to 12
 --> <stdin>:3:9
  |
3 | start = \"{bad}\"
  |         {}
",
                "^".repeat(bad.len() + 2)
            ),
        );
    }
}

#[test]
fn a_fleet_larger_than_the_network() {
    // The report: a 5 EH/s fleet on a 1 EH/s network.
    check(
        &with("network_hashrate_ehs = 1000", "network_hashrate_ehs = 1")
            .replace("hashrate_ths = 1000000", "hashrate_ths = 5000000")
            .replace("efficiency_j_per_th = 20", "efficiency_j_per_th = 9"),
        "error: site[0].mining.hashrate_ths = 5000000 needs hashrate_ths / 10^6 (5 EH/s) ≤ bitcoin.network_hashrate_ehs (1 EH/s): a fleet cannot be larger than the network it is part of: was the network meant in EH/s, or the fleet in TH/s?
  --> <stdin>:17:16
   |
17 | hashrate_ths = 5000000
   |                ^^^^^^^
",
    );
    check(
        &with("network_hashrate_ehs = 1000", "network_hashrate_ehs = 0.5").replace(
            "hashrate_ths = 1000000\nefficiency_j_per_th = 20\n",
            "[[site.mining.fleet]]\nmodel = \"S21\"\ncount = 5000\nths = 200\nj_per_th = 17.5\n",
        ),
        "error: site[0].mining.fleet needs Σ count × ths / 10^6 (1 EH/s) ≤ bitcoin.network_hashrate_ehs (0.5 EH/s): a fleet cannot be larger than the network it is part of: was the network meant in EH/s, or each machine's ths in TH/s?
  --> <stdin>:17:1
   |
17 | [[site.mining.fleet]]
   | ^^^^^^^^^^^^^^^^^^^^^
",
    );
    // Exactly the network: allowed (and warned about).
    let out = hashpivot_stdin(
        &["validate", "-"],
        &with("network_hashrate_ehs = 1000", "network_hashrate_ehs = 1"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).starts_with(
        "warning: site[0].mining.hashrate_ths = 1000000 is 100 % of the network's hashrate in month 0"
    ));
}

#[test]
fn mining_with_both_forms() {
    check(
        &with(
            "efficiency_j_per_th = 20\n",
            "efficiency_j_per_th = 20\n[[site.mining.fleet]]\nmodel = \"S21\"\ncount = 10\nths = 200\nj_per_th = 17.5\n",
        ),
        "error: site[0].mining has both hashrate_ths/efficiency_j_per_th and [[site.mining.fleet]] rows: use exactly one form
  --> <stdin>:19:1
   |
19 | [[site.mining.fleet]]
   | ^^^^^^^^^^^^^^^^^^^^^
",
    );
}

#[test]
fn mining_with_neither_form() {
    check(
        &with("hashrate_ths = 1000000\nefficiency_j_per_th = 20\n", "pue = 1.05\n"),
        "error: site[0].mining needs either hashrate_ths and efficiency_j_per_th, or one or more [[site.mining.fleet]] rows
  --> <stdin>:16:1
   |
16 | [site.mining]
   | ^^^^^^^^^^^^^
",
    );
}

#[test]
fn site_with_neither_strategy() {
    check(
        &with("[site.mining]\nhashrate_ths = 1000000\nefficiency_j_per_th = 20\n", ""),
        "error: site[0] needs [site.mining], [site.ai] or both: a site with no strategy has nothing to compare
  --> <stdin>:11:1
   |
11 | [[site]]
   | ^^^^^^^^
",
    );
}

#[test]
fn duplicate_and_empty_site_names() {
    check(
        &with("name = \"South\"", "name = \"North\""),
        "error: site[1].name = \"North\" is already the name of site[0]: site names must be unique
  --> <stdin>:21:8
   |
21 | name = \"North\"
   |        ^^^^^^^
",
    );
    check(
        &with("name = \"South\"", "name = \"\""),
        "error: site[1].name = \"\" needs a non-empty name
  --> <stdin>:21:8
   |
21 | name = \"\"
   |        ^^
",
    );
}

#[test]
fn mine_during_build_needs_mining() {
    check(
        &with("pue = 1.3", "pue = 1.3\nmine_during_build = true"),
        "error: site[1].ai.mine_during_build = true needs a [site.mining] table in the same site
  --> <stdin>:29:21
   |
29 | mine_during_build = true
   |                     ^^^^
",
    );
}

#[test]
fn unsupported_format() {
    check(
        &with("format = 1", "format = 3"),
        "error: format = 3 is not supported: this hashpivot reads scenario formats 1 and 2
 --> <stdin>:1:10
  |
1 | format = 3
  |          ^
",
    );
}

#[test]
fn literals_a_decimal_cannot_hold() {
    check(
        &with("price_usd = 100000", "price_usd = 1e40"),
        "error: bitcoin.price_usd = 1e40 is beyond the decimal range (magnitude at most 79228162514264337593543950335)
 --> <stdin>:7:13
  |
7 | price_usd = 1e40
  |             ^^^^
",
    );
    check(
        &with("price_usd = 100000", "price_usd = 0.12345678901234567890123456789"),
        "error: bitcoin.price_usd = 0.12345678901234567890123456789 has more than 28 decimal places, which an exact decimal cannot hold (hashpivot never rounds an input)
 --> <stdin>:7:13
  |
7 | price_usd = 0.12345678901234567890123456789
  |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
",
    );
    check(
        &with("price_usd = 100000", "price_usd = nan"),
        "error: bitcoin.price_usd = nan must be a finite number
 --> <stdin>:7:13
  |
7 | price_usd = nan
  |             ^^^
",
    );
}

#[test]
fn arithmetic_overflow_names_the_scenario() {
    // A fleet may be no larger than the network: 10,000 TH/s is a tenth of
    // 0.1 EH/s.
    let text = with("price_usd = 100000", "price_usd = 7e28")
        .replace("network_hashrate_ehs = 1000", "network_hashrate_ehs = 0.1")
        .replace("hashrate_ths = 1000000", "hashrate_ths = 10000");
    check(
        &text,
        "error: arithmetic overflow in scenario \"Errors\" while computing the Bitcoin network projection: a value exceeds the decimal range (about ±7.9e28)
 --> <stdin>
",
    );
}

#[test]
fn not_toml_and_duplicate_keys() {
    check(
        "this is not toml\n",
        "error: invalid TOML: key with no value, expected `=`
 --> <stdin>:1:6
  |
1 | this is not toml
  |      ^
",
    );
    check(
        &with("months = 24", "months = 24\nmonths = 25"),
        "error: invalid TOML: duplicate key months: each key may appear once in a table
 --> <stdin>:5:1
  |
5 | months = 25
  | ^^^^^^
",
    );
}

#[test]
fn missing_keys() {
    check(
        "",
        "error: the file is empty: a scenario needs format = 1, name, start, months, [bitcoin] and one or more [[site]]
 --> <stdin>
",
    );
    check(
        &with("network_hashrate_ehs = 1000\n", ""),
        "error: missing key bitcoin.network_hashrate_ehs: the network hashrate in month 0, EH/s (needs network_hashrate_ehs > 0)
 --> <stdin>:6:1
  |
6 | [bitcoin]
  | ^^^^^^^^^
",
    );
}

#[test]
fn missing_file() {
    let out = hashpivot(&["run", "no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "error: cannot read no/such/file.toml: No such file or directory (os error 2)\n"
    );
}
