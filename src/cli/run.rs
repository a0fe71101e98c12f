//! `run` and `validate`.

use super::args::{Cli, Format, RunArgs};
use super::failure::{Failure, Failures};
use super::input::{display_name, evaluate_all, sources};
use super::output::{deliver, refuse_overwriting_input, use_color, write_stdout};
use hashpivot::Override;
use hashpivot::render::Renderer;
use hashpivot::render::csv::CsvRenderer;
use hashpivot::render::json::{JsonRenderer, JsonlRenderer};
use hashpivot::render::table::TableRenderer;

/// Renders every scenario that computes; each one that does not is a
/// failure, and then no output file is written at all.
pub(crate) fn run_scenarios(args: &RunArgs, failures: &mut Failures) -> Result<(), Failure> {
    refuse_chart_without_table(args)?;
    if args.format == Format::Parquet {
        parquet_usable(args.output.is_some(), "run")?;
    }
    let (inputs, any_folder) = sources(&args.paths, failures);
    if let Some(output) = &args.output {
        refuse_overwriting_input(output, inputs.iter().map(|i| i.path.as_str()))?;
    }
    let total = inputs.len();
    let mut summaries = Vec::with_capacity(total);
    let mut files = Vec::with_capacity(inputs.len());
    for (path, result) in evaluate_all(inputs, &args.overrides.set) {
        match result.and_then(|e| failures.admit(e)) {
            Ok(summary) => {
                summaries.push(summary);
                files.push(display_name(&path).to_string());
            }
            Err(failure) => failures.push(failure),
        }
    }
    let color = use_color(args.output.is_some());
    let renderer: Box<dyn Renderer> = match args.format {
        Format::Table => Box::new(TableRenderer {
            monthly: args.monthly,
            color,
            chart: args.chart,
            ascii: args.ascii,
        }),
        Format::Json => Box::new(JsonRenderer {
            monthly: args.monthly,
        }),
        Format::Jsonl => Box::new(JsonlRenderer {
            monthly: args.monthly,
            files,
        }),
        Format::Csv => Box::new(CsvRenderer {
            monthly: args.monthly,
            files,
        }),
        Format::Parquet => {
            // `parquet_usable` refused a missing -o and a build without it.
            #[cfg(feature = "parquet")]
            if let Some(path) = args.output.as_deref() {
                let renderer = CsvRenderer {
                    monthly: args.monthly,
                    files,
                };
                let done = summaries.len();
                return deliver_parquet(path, || renderer.table(&summaries), done, total, failures);
            }
            return Ok(());
        }
    };
    let as_list = args.paths.len() > 1 || any_folder;
    let bytes = renderer.render(&summaries, as_list);
    deliver(
        args.output.as_deref(),
        &bytes,
        summaries.len(),
        total,
        failures,
    )
}

/// `--chart` draws under the table: with another format it would be
/// silently dropped (a JSON or CSV reader has nowhere to put a picture),
/// so it is a usage error (exit 2) before any scenario is read.
fn refuse_chart_without_table(args: &RunArgs) -> Result<(), Failure> {
    let other = match args.format {
        _ if !args.chart => return Ok(()),
        Format::Table => return Ok(()),
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
        Format::Parquet => "parquet",
    };
    Err(usage(
        "run",
        clap::error::ErrorKind::ArgumentConflict,
        format!(
            "--chart draws under the table: it cannot be used with --format {other} (leave out --chart, or use --format table)"
        ),
    ))
}

/// A usage error (exit 2) of `subcommand`, with its usage line.
pub(crate) fn usage(subcommand: &str, kind: clap::error::ErrorKind, message: String) -> Failure {
    let mut command = <Cli as clap::CommandFactory>::command();
    command.build();
    let error = match command.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(kind, message),
        None => command.error(kind, message),
    };
    Failure::Usage(error)
}

/// `--format parquet` is a binary file: refused (exit 2, before any
/// scenario is read) without `-o FILE`, or when this build left the
/// `parquet` feature out.
pub(crate) fn parquet_usable(to_file: bool, subcommand: &str) -> Result<(), Failure> {
    use clap::error::ErrorKind;
    if !cfg!(feature = "parquet") {
        return Err(usage(
            subcommand,
            ErrorKind::InvalidValue,
            "--format parquet: this hashpivot was built without the cargo feature `parquet` (rebuild with `--features parquet`, or use --format csv)".to_string(),
        ));
    }
    if !to_file {
        return Err(usage(
            subcommand,
            ErrorKind::MissingRequiredArgument,
            "--format parquet writes a binary file: give -o FILE (Parquet is never written to standard output)".to_string(),
        ));
    }
    Ok(())
}

/// `--format parquet`: the CSV's table streamed as Parquet into `path`,
/// atomically, only when every one of `total` scenarios computed (as
/// [`deliver`] does for the text formats).
#[cfg(feature = "parquet")]
pub(crate) fn deliver_parquet(
    path: &std::path::Path,
    table: impl FnOnce() -> hashpivot::render::csv::Table,
    done: usize,
    total: usize,
    failures: &mut Failures,
) -> Result<(), Failure> {
    if !failures.is_empty() {
        // Writes nothing; says why when some did compute.
        return deliver(Some(path), &[], done, total, failures);
    }
    let table = table();
    super::output::write_atomically(path, |w| hashpivot::render::parquet::write(&table, w))
}

/// `ok PATH` for each scenario that loads and computes.
pub(crate) fn validate(
    paths: &[String],
    overrides: &[Override],
    failures: &mut Failures,
) -> Result<(), Failure> {
    let (inputs, _) = sources(paths, failures);
    for (path, result) in evaluate_all(inputs, overrides) {
        let name = display_name(&path);
        match result.and_then(|e| failures.admit(e)) {
            Ok(_) => write_stdout(format!("ok {name}\n").as_bytes())?,
            Err(failure) => failures.push(failure),
        }
    }
    Ok(())
}
