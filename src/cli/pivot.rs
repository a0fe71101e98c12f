//! `pivot`: when to convert each site (docs/model.md, "When to convert").

use super::args::{PivotArgs, PivotFormat};
use super::failure::{Failure, Failures};
use super::input::{Source, display_name, evaluate_all_then, sources};
use super::output::{deliver, refuse_overwriting_input, use_color};
use hashpivot::pivot::{Pivot, PivotError, pivot as pivot_of_scenario};
use hashpivot::render::pivot as pivot_out;
use hashpivot::{Error as ScenarioError, Override, Summary};

/// The pivot of a computed scenario (its checked inputs, overrides
/// applied). No site with both strategies is an error naming the file; an
/// overflow is reported as a scenario's.
pub(crate) fn pivot_of(
    source: &Source,
    summary: &Summary,
    overrides: &[Override],
) -> Result<Pivot, Failure> {
    pivot_of_scenario(&summary.inputs).map_err(|error| match error {
        PivotError::Overflow(e) => Failure::scenario(
            &source.origin,
            &source.text,
            overrides,
            ScenarioError::Overflow(e),
        ),
        error @ PivotError::NoSiteWithBoth { .. } => Failure::NothingToPivot {
            origin: source.origin.clone(),
            error,
        },
    })
}

/// Renders the pivot of every scenario that computes; each one that does
/// not is a failure, and then no output file is written at all.
pub(crate) fn pivot(args: &PivotArgs, failures: &mut Failures) -> Result<(), Failure> {
    let (inputs, any_folder) = sources(&args.paths, failures);
    if let Some(output) = &args.output {
        refuse_overwriting_input(output, inputs.iter().map(|i| i.path.as_str()))?;
    }
    let total = inputs.len();
    let overrides = &args.overrides.set;
    let results = evaluate_all_then(inputs, overrides, |source, evaluated| {
        let pivot = pivot_of(source, &evaluated.summary, overrides)?;
        Ok((evaluated, pivot))
    });
    let mut answers: Vec<(Summary, Pivot)> = Vec::with_capacity(total);
    let mut files = Vec::with_capacity(total);
    for (path, result) in results {
        match result.and_then(|(e, pivot)| Ok((failures.admit(e)?, pivot))) {
            Ok(answer) => {
                answers.push(answer);
                files.push(display_name(&path).to_string());
            }
            Err(failure) => failures.push(failure),
        }
    }
    let pairs: Vec<(&Summary, &Pivot)> = answers.iter().map(|(s, p)| (s, p)).collect();
    let bytes = match args.format {
        PivotFormat::Table => pivot_out::table(&pairs, use_color(args.output.is_some())),
        PivotFormat::Json => {
            let pivots: Vec<&Pivot> = pairs.iter().map(|(_, p)| *p).collect();
            pivot_out::json(&pivots, args.paths.len() > 1 || any_folder)
        }
        PivotFormat::Csv => pivot_out::csv(&pairs, &files),
    };
    deliver(
        args.output.as_deref(),
        &bytes,
        answers.len(),
        total,
        failures,
    )
}
