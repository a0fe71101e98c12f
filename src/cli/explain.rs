//! `explain`: every intermediate of one month of one site, each with the
//! docs/model.md section it comes from (see `hashpivot::explain`).
//!
//! The scenario is evaluated exactly as `run` evaluates it (same loader,
//! overrides and warnings), and the explanation is built on that summary,
//! so a figure `explain` shares with `run --monthly` cannot differ from it.

use super::args::{ExplainArgs, ExplainFormat, ExplainStrategy};
use super::failure::{Failure, Failures};
use super::input::{evaluate, read_source};
use super::output::write_stdout;
use hashpivot::explain::{ExplainError, Which, explain as explain_month};
use hashpivot::render::explain as render;

/// Prints the month's intermediates; an unknown site, a month outside the
/// horizon or a strategy the site lacks is an error naming the file
/// (exit 2).
pub(crate) fn explain(args: &ExplainArgs, failures: &mut Failures) -> Result<(), Failure> {
    let source = read_source(&args.file)?;
    let evaluated = evaluate(&source, &args.overrides.set)?;
    let summary = failures.admit(evaluated)?;
    let which = args.strategy.map(|s| match s {
        ExplainStrategy::Mine => Which::Mine,
        ExplainStrategy::Ai => Which::Ai,
    });
    // A file with one site needs no --site.
    let sites = &summary.inputs.sites;
    let site = match (&args.site, sites.len()) {
        (Some(site), _) => Ok(site.clone()),
        (None, 1) => Ok("0".to_string()),
        (None, _) => Err(ExplainError::SiteNeeded {
            sites: sites.iter().map(|s| s.name.clone()).collect(),
        }),
    };
    let explanation = site
        .and_then(|site| explain_month(&summary, &site, &args.month, which))
        .map_err(|error| match error {
            ExplainError::Overflow(e) => Failure::scenario(
                &source.origin,
                &source.text,
                &args.overrides.set,
                hashpivot::Error::Overflow(e),
            ),
            error => Failure::Explain {
                origin: source.origin.clone(),
                error,
            },
        })?;
    let bytes = match args.format {
        ExplainFormat::Table => render::table(&explanation),
        ExplainFormat::Json => render::json(&explanation, &source.origin),
    };
    write_stdout(&bytes)
}
