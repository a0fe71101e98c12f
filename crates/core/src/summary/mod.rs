//! One scenario's answer: for each site, both futures, which one wins, and
//! the BTC price at which the answer flips (docs/model.md, "Finance" and
//! "Summary JSON").
//!
//! This is the calculation core's front door: [`summarize`] takes a checked
//! [`Scenario`](crate::scenario::Scenario) and returns unrounded figures.
//! Rounding happens only in the renderers, once, at output.
//!
//! - `output`: the answer's shape ([`Summary`], and per site and per
//!   strategy [`SiteSummary`], [`MineSummary`], [`AiSummary`],
//!   [`Comparison`]);
//! - `compute`: [`summarize`], which fills it in;
//! - `cache`: [`Cache`], network projections shared between evaluations
//!   (a sweep's grid points).

mod cache;
mod compute;
mod format2;
pub(crate) use format2::explained;
pub use format2::{PathBase, PathCash, PathNpv, Shocks, StartNpv, npv_by_start};
mod output;

pub use cache::{CACHE_ENTRIES, Cache, PROJECTION_BYTES_PER_MONTH, SharedKey};
pub use compute::{ComputeError, summarize, summarize_with, sweep_figures};
pub use output::{
    AiF2, AiSummary, Comparison, Conversion, MineSummary, MonthF2, MonthFigures, Offer, Outcome,
    OutcomeF2, SiteSummary, Summary, Winner,
};
