//! `init`: a commented format-2 scenario to start from.
//!
//! A new user's first question is "which keys, in which units?", and the
//! answer has to be a file that already runs: a template that needs fixing
//! before its first `run` teaches nothing. So the template is a complete,
//! realistic plan (a 60 MW West Texas site with a mixed fleet on the ERCOT
//! West price curve, weighed against a colocation lease or a GPU cloud),
//! every value a public figure with its source or marked as our
//! assumption, and every key docs/keys.md lists either set or written as a
//! comment beside its unit, default and rule (`tests/init.rs` holds the
//! template to that list, so a key added to the docs fails the test until
//! the template has it).
//!
//! The text lives in `templates/` as TOML with a few `{placeholders}`, so it
//! reads as the file it becomes. Every site gets the same plan; only the
//! first carries the comments (later sites would repeat them word for
//! word). The output depends on the arguments alone: no date, no
//! environment.
//!
//! `init --market` reads today's figures as `hashpivot market` does (see
//! `market.rs`) and puts them in place of the template's start,
//! block_height, network_hashrate_ehs, fees_btc_per_block and price_usd
//! (the AI plans start with the scenario), with the comments that say
//! where each was read and when; the prose that dated the template's own
//! figures is replaced too, so no comment describes a figure that is not
//! there. Everything is read before anything is written.
//!
//! `init FILE` never replaces a file: the file may be a scenario someone
//! has edited for hours. The new file is written atomically, so an
//! interrupted `init` leaves nothing half-written.

use super::args::{InitArgs, InitKind};
use super::failure::{Failure, Failures};
use super::market::{Figures, MarketError, fetch_with_args};
use super::output::{write_atomically, write_stdout};
use std::io::Write;

const HEAD: &str = include_str!("templates/head.toml");
const SITE: &str = include_str!("templates/site.toml");
const COLOCATION: &str = include_str!("templates/ai-colocation.toml");
const GPU_CLOUD: &str = include_str!("templates/ai-gpu-cloud.toml");
const RISK: &str = include_str!("templates/risk.toml");

/// The `[risk]` lines of a colocation plan: tenant default drawn, the
/// GPU-hour rate's volatility listed.
const RISK_COLOCATION: &str = "\
# σ of the GPU-hour rate, fraction a year · default 0 · ≥ 0; used by
# gpu_cloud plans only:
# gpu_hour_vol_annual = 0.30
# Yearly chance a colocation tenant defaults · default 0 · 0 ≤ q < 1. Our
# assumption: a tenant of speculative grade, between the long-run one-year
# default rates of the 'BB' and 'B' rating categories (S&P Global Ratings,
# annual global corporate default and rating transition studies,
# https://www.spglobal.com/ratings/en/research-insights/topics/default-transition-and-recovery).
lease_default_annual = 0.025";

/// The `[risk]` lines of a GPU-cloud plan: the GPU-hour rate's volatility
/// drawn, tenant default listed.
const RISK_GPU_CLOUD: &str = "\
# σ of the GPU-hour rate, fraction a year · default 0 · ≥ 0. The H100 rate
# fell ~43 % from Oct 2024 to Oct 2025 (SemiAnalysis, as above); we take
# 30 % a year around the stated decline (our assumption).
gpu_hour_vol_annual = 0.30
# Yearly chance a colocation tenant defaults · default 0 · 0 ≤ q < 1; used
# by colocation plans only:
# lease_default_annual = 0.025";

/// Distinct site names: towns of West Texas, where the price curve of the
/// template is drawn from (the ERCOT West hub). Past the list, "Site N".
const SITE_NAMES: [&str; 12] = [
    "Pecos",
    "Odessa",
    "Midland",
    "Big Spring",
    "Fort Stockton",
    "Monahans",
    "Andrews",
    "Sweetwater",
    "Snyder",
    "San Angelo",
    "Abilene",
    "Colorado City",
];

/// Writes the template to `args.file` (refusing an existing file) or stdout.
pub(crate) fn init(args: &InitArgs, _failures: &mut Failures) -> Result<(), Failure> {
    let mut text = template(args.kind, args.sites);
    if args.market {
        let figures = fetch_with_args(&args.source)?;
        text = with_market(&text, args.sites, &figures).map_err(Failure::Market)?;
    }
    match &args.file {
        None => write_stdout(text.as_bytes()),
        Some(path) => {
            // `symlink_metadata`: a dangling link is a file name in use too.
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(Failure::InitExists { path: path.clone() });
            }
            write_atomically(path, |w| w.write_all(text.as_bytes()))
        }
    }
}

/// The template's start, at the top level and in each AI plan.
const START: &str = "start = \"2026-01\"";

/// The template `text` (of `sites` sites) with the market figures in place
/// of its own; an error (never a half-changed template) if the template no
/// longer has a text this replaces.
fn with_market(text: &str, sites: u32, figures: &Figures) -> Result<String, MarketError> {
    let start = figures.start();
    let at = format!("{} at {}", figures.api, figures.read_at());
    let mut replacements: Vec<(String, String)> = vec![
        (
            "the market figures below are as\n\
             # of 2026-01, so start, block_height and price_usd move together (the\n\
             # chain adds 144 blocks a day; from these the halving at block 1,050,000\n\
             # falls in 2028-04)."
                .to_string(),
            format!(
                "the market figures below were\n\
                 # read for a start in {start}, so start, block_height and price_usd\n\
                 # move together (the chain adds 144 blocks a day; a halving every\n\
                 # 210,000 blocks)."
            ),
        ),
        (
            "# Network and market (the [bitcoin] table): height ~929,700 on 27 Dec 2025\n\
             # (the blockchain itself, as any block explorer shows), so ~930,400 on\n\
             # 1 Jan 2026 (5 days × 144 blocks); hashrate passed 1,000 EH/s in late 2025\n\
             # (public network statistics); BTC traded roughly $85k-$110k through 2025:\n\
             # we start at $95,000. Inflation:"
                .to_string(),
            format!(
                "# Network and market (the [bitcoin] table): block height, hashrate, fees\n\
                 # and price read from {at}\n\
                 # by `hashpivot init --market`; each one's comment says how. Inflation:"
            ),
        ),
        (
            "# 0.025 BTC of fees per block, ".to_string(),
            "# fees per block as read, ".to_string(),
        ),
        (
            "# The first month, \"YYYY-MM\" · required · month 01 to 12.\n".to_string(),
            format!(
                "# The first month, \"YYYY-MM\" · required · month 01 to 12. The month\n\
                 # after {}, when the market figures were read.\n",
                figures.read_at()
            ),
        ),
        (
            "# USD per BTC in the first month · required · > 0.\nprice_usd = 95000\n".to_string(),
            String::new(),
        ),
        (
            "# EH/s in the first month · required · > 0, and at least all sites' fleets.\n\
             network_hashrate_ehs = 1050\n"
                .to_string(),
            String::new(),
        ),
        (
            "# BTC of fees per block · default 0 · ≥ 0.\nfees_btc_per_block = 0.025\n".to_string(),
            String::new(),
        ),
        (
            "# Height of the first block of the first month (integer) · required · ≥ 0;\n\
             # it places the halvings (every 210,000 blocks).\n\
             block_height = 930400\n"
                .to_string(),
            String::new(),
        ),
    ];
    // The four [bitcoin] keys, each with its reading's comment, go where
    // price_usd was (the table's first key).
    let mut table = String::new();
    for (key, comment, value) in figures.comments() {
        table.push_str(&format!("{comment}\n{key} = {value}\n"));
    }
    replacements[4].1 = table;
    let mut out = text.to_string();
    for (from, to) in &replacements {
        if out.matches(from.as_str()).count() != 1 {
            return Err(template_changed(from));
        }
        out = out.replacen(from.as_str(), to, 1);
    }
    // The scenario's start and each AI plan's (the conversion starts at
    // once; `pivot` finds a better month).
    if out.matches(START).count() != 1 + sites as usize {
        return Err(template_changed(START));
    }
    Ok(out.replace(START, &format!("start = \"{start}\"")))
}

/// The error of a template text `with_market` did not find (a template
/// edited without this file): caught by the tests, never by a user.
fn template_changed(text: &str) -> MarketError {
    MarketError {
        at: "the init template".to_string(),
        why: format!("it no longer has the text {text:?} that --market replaces"),
    }
}

/// The name of site `index` (from 0).
fn site_name(index: u32) -> String {
    usize::try_from(index)
        .ok()
        .and_then(|i| SITE_NAMES.get(i))
        .map_or_else(|| format!("Site {}", index + 1), |n| (*n).to_string())
}

/// The whole template: the top level and `[bitcoin]`, `sites` sites with
/// both strategies, then `[risk]`.
pub(crate) fn template(kind: InitKind, sites: u32) -> String {
    let (title, months, horizon_why, discount, percent, lever_name, lever_key, lever_value) =
        match kind {
            InitKind::Colocation => (
                "Keep mining, or lease the site to an AI tenant?",
                "120",
                "a 10-year horizon (a colocation lease's usual term)",
                "0.12",
                "12",
                "lease rate",
                "lease_usd_per_kw_month",
                "140",
            ),
            InitKind::GpuCloud => (
                "Keep mining, or run a GPU cloud?",
                "60",
                "a 5-year horizon (a GPU's useful life)",
                "0.15",
                "15",
                "GPU-hour rate",
                "gpu_hour_usd",
                "3.00",
            ),
        };
    let (ai, risk_ai) = match kind {
        InitKind::Colocation => (COLOCATION, RISK_COLOCATION),
        InitKind::GpuCloud => (GPU_CLOUD, RISK_GPU_CLOUD),
    };
    let mut out = HEAD
        .replace("{title}", title)
        .replace("{months}", months)
        .replace("{horizon_why}", horizon_why)
        .replace("{discount_rate}", discount)
        .replace("{discount_percent}", percent)
        .replace("{lever_name}", lever_name)
        .replace("{lever_key}", lever_key)
        .replace("{lever_value}", lever_value);
    let site = format!("{SITE}{ai}");
    for index in 0..sites {
        let name = site_name(index);
        if index == 0 {
            out.push_str(&site.replace("{name}", &name));
        } else {
            out.push_str(&format!(
                "\n# ---------------------------------------------------------------- {name}\n\
                 # The same plan as the first site: its comments explain every key.\n"
            ));
            out.push_str(&without_comments(&site).replace("{name}", &name));
        }
    }
    out.push_str(&RISK.replace("{risk_ai}", risk_ai));
    out
}

/// `text` without its comment lines, and with no two blank lines in a row
/// (or one at the start), so a repeated site is only its keys.
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut blank = true;
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let is_blank = line.trim().is_empty();
        if is_blank && blank {
            continue;
        }
        blank = is_blank;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_sites_are_keys_only_and_named_apart() {
        let text = template(InitKind::Colocation, 3);
        // Three [[site]] headers, named after the first three towns.
        assert_eq!(text.matches("\n[[site]]\n").count(), 3);
        for name in ["Pecos", "Odessa", "Midland"] {
            assert_eq!(text.matches(&format!("name = \"{name}\"")).count(), 1);
        }
        // The first site's comments appear once, not per site.
        assert_eq!(text.matches("# Wind-rich nights").count(), 1);
        // No placeholder is left (the template has no other brace).
        for kind in [InitKind::Colocation, InitKind::GpuCloud] {
            assert!(!template(kind, 2).contains('{'));
        }
    }

    #[test]
    fn market_figures_replace_the_templates_own_everywhere() {
        let figures = super::super::market::sample_figures();
        for kind in [InitKind::Colocation, InitKind::GpuCloud] {
            for sites in [1, 3] {
                let text = with_market(&template(kind, sites), sites, &figures).unwrap();
                // No dated figure of the template is left.
                for old in [
                    "2026-01",
                    "95000",
                    "= 1050\n",
                    "block = 0.025",
                    "930400",
                    "1,050,000",
                ] {
                    assert!(!text.contains(old), "{old} left in {text}");
                }
                // The scenario and each AI plan start in 2027-01.
                assert_eq!(
                    text.matches("start = \"2027-01\"").count(),
                    1 + sites as usize
                );
                // The figures worked out by hand in market.rs's tests.
                for line in [
                    "block_height = 931955\n",
                    "network_hashrate_ehs = 1068.74\n",
                    "fees_btc_per_block = 0.08573388\n",
                    "price_usd = 98765.43\n",
                ] {
                    assert_eq!(text.matches(line).count(), 1, "{line}");
                }
                assert!(text.contains(
                    "read from http://api.test/ at 2026-12-04T12:34:56Z\n# by `hashpivot init --market`"
                ));
            }
        }
        // A template without the texts replaced is an error, not a half
        // change.
        let err = with_market("format = 2\n", 1, &figures).unwrap_err();
        assert_eq!(err.at, "the init template");
    }

    #[test]
    fn names_past_the_list_are_numbered() {
        assert_eq!(site_name(0), "Pecos");
        assert_eq!(site_name(11), "Colorado City");
        // Index 12 is the 13th site.
        assert_eq!(site_name(12), "Site 13");
    }

    #[test]
    fn comment_lines_and_blank_runs_go() {
        assert_eq!(
            without_comments("# a\n\nx = 1\n# b\n\n\ny = 2\n"),
            "x = 1\n\ny = 2\n"
        );
    }
}
