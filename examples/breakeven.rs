//! Load a scenario with the library and print one figure: each site's
//! breakeven BTC price for keeping the site mining.
//!
//! `cargo run --example breakeven -- scenarios/lake-mariner.toml`

use hashpivot::render::{fixed, places};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: breakeven SCENARIO.toml");
        eprintln!("  e.g. cargo run --example breakeven -- scenarios/lake-mariner.toml");
        return ExitCode::from(2);
    };
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let summary = match hashpivot::evaluate(&source) {
        Ok(summary) => summary,
        Err(e) => {
            eprint!("{}", e.render(&path, &source));
            return ExitCode::from(2);
        }
    };
    for site in &summary.sites {
        let breakeven = site
            .mine
            .as_ref()
            .and_then(|m| m.breakeven_btc_price_usd)
            .map_or("n/a".to_string(), |p| fixed(p, places::USD));
        println!("{}: mining breaks even at ${breakeven} per BTC", site.name);
    }
    ExitCode::SUCCESS
}
