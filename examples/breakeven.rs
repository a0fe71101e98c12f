//! Load a scenario with the library and print one figure: each site's
//! breakeven BTC price for keeping the site mining.
//!
//! `cargo run --example breakeven -- scenarios/lake-mariner.toml`

use hashpivot::render::{fixed, places};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "scenarios/lake-mariner.toml".to_string());
    let source = std::fs::read_to_string(&path)?;
    let summary = hashpivot::evaluate(&source).map_err(|e| e.render(&path, &source))?;
    for site in &summary.sites {
        let breakeven = site
            .mine
            .as_ref()
            .and_then(|m| m.breakeven_btc_price_usd)
            .map_or("n/a".to_string(), |p| fixed(p, places::USD));
        println!("{}: mining breaks even at ${breakeven} per BTC", site.name);
    }
    Ok(())
}
