//! hashpivot: should a Bitcoin-mining site keep mining or convert to AI
//! hosting, and at what BTC price does that answer flip?
//!
//! The model itself is the `hashpivot-core` crate (re-exported here, so
//! `hashpivot::summary` and `hashpivot::evaluate` keep working). This crate
//! adds what sits behind it: turning an answer into bytes and comparing
//! stored answers. The `hashpivot` binary reads files, prints and exits.
//!
//! - [`render`]: an answer as bytes (table, CSV, JSON), rounded once;
//! - [`golden`], [`exact_json`] and [`compare`]: stored summaries, read
//!   exactly, and what moved between two of them;
//! - [`records`]: `simulate`'s per-path records, written by a shard and
//!   merged back into the run's.
//!
//! `docs/model.md` is the normative description of every rule and formula.

pub use hashpivot_core::{
    ComputeError, Diagnostic, Error, Evaluation, Override, Scenario, Summary, Warning, calendar,
    diagnostic, evaluate, evaluate_cached, evaluate_with, evaluate_with_warnings, exact, explain,
    finance, network, parallel, pivot, scenario, simulate, strategy, summarize, summary, sweep,
};

pub mod compare;
pub mod exact_json;
pub mod golden;
pub mod records;
pub mod render;
