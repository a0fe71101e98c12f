//! `sweep`: one scenario over a grid, streamed in point order.

use super::args::{SweepArgs, SweepFormat};
use super::failure::{Failure, Failures};
use super::input::{evaluate, read_source};
use super::output::{refuse_overwriting_input, use_color, write_atomically};
use hashpivot::render::sweep as sweep_out;
use hashpivot::sweep::{Grid, GridRun, PointResult, SweepError, evaluate_grid};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Evaluates the grid and writes it: the table once every point is in,
/// CSV and JSON Lines record by record. A point that could not be computed
/// is part of the output (its error is data), and a failure: the output,
/// `-o` file included, is written and the exit code is 2.
pub(crate) fn sweep(args: &SweepArgs, failures: &mut Failures) -> Result<(), Failure> {
    if args.file != "-" && Path::new(&args.file).is_dir() {
        return Err(Failure::FolderForSweep {
            path: args.file.clone(),
        });
    }
    if args.shard.is_some() && args.format == SweepFormat::Table {
        return Err(Failure::Sweep(SweepError::ShardedTable));
    }
    if args.format == SweepFormat::Parquet {
        super::run::parquet_usable(args.output.is_some(), "sweep")?;
    }
    if let Some(output) = &args.output {
        refuse_overwriting_input(output, [args.file.as_str()])?;
    }
    let source = read_source(&args.file)?;
    let grid = Grid::new(args.vary.clone()).map_err(Failure::Sweep)?;
    // The scenario itself, with the fixed overrides, must be valid: an
    // error there is the same at every point.
    let fixed = &args.overrides.set;
    // Its warnings are the sweep's: each point's own are not looked for.
    let base = failures.admit(evaluate(&source, fixed)?)?;
    // A key set twice, or one that names nothing, is one error up front,
    // not one per point.
    grid.check_keys(&source.text, fixed)
        .map_err(Failure::Sweep)?;
    grid.check_axis_keys(&source.text, fixed).map_err(|e| {
        Failure::scenario(&source.origin, &source.text, &grid.overrides(fixed, 0), e)
    })?;
    let shard = args.shard.unwrap_or_default();
    let write = |w: &mut dyn Write| -> io::Result<GridRun> {
        let text = &source.text;
        match args.format {
            SweepFormat::Table => {
                let mut results: Vec<PointResult> = Vec::new();
                let run = evaluate_grid(text, fixed, &grid, shard, |r| {
                    results.push(r);
                    Ok::<(), io::Error>(())
                })?;
                let color = use_color(args.output.is_some());
                let table = sweep_out::table(&base.scenario, &grid, &results, args.metric, color);
                w.write_all(table.as_bytes())?;
                Ok(run)
            }
            SweepFormat::Csv => {
                w.write_all(sweep_out::csv_header(&grid).as_bytes())?;
                evaluate_grid(text, fixed, &grid, shard, |r| {
                    w.write_all(sweep_out::csv_rows(&r).as_bytes())
                })
            }
            SweepFormat::Jsonl => evaluate_grid(text, fixed, &grid, shard, |r| {
                w.write_all(sweep_out::jsonl_rows(&grid, &r).as_bytes())
            }),
            // Written by `parquet` below (it needs a file): never here.
            SweepFormat::Parquet => Err(io::Error::other("--format parquet needs -o FILE")),
        }
    };
    let run = match &args.output {
        #[cfg(feature = "parquet")]
        Some(path) if args.format == SweepFormat::Parquet => {
            let mut run = None;
            write_atomically(path, |w| {
                run = Some(parquet(&source.text, fixed, &grid, shard, w)?);
                Ok(())
            })?;
            run
        }
        // Streamed into a temporary file, renamed over `path` once complete.
        Some(path) => {
            let mut run = None;
            write_atomically(path, |w| {
                run = Some(write(w)?);
                Ok(())
            })?;
            run
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let run = write(&mut out).and_then(|run| out.flush().map(|()| run));
            Some(run.map_err(Failure::Stdout)?)
        }
    };
    match run {
        Some(GridRun { failures, points }) if failures > 0 => Err(Failure::Points {
            failed: failures,
            total: points,
            listed: match args.format {
                SweepFormat::Table => "listed at the end of the table",
                SweepFormat::Csv | SweepFormat::Parquet => "see the error column",
                SweepFormat::Jsonl => "see the \"error\" key of their records",
            },
        }),
        _ => Ok(()),
    }
}

/// `--format parquet`: the CSV's records streamed into a Parquet file. An
/// axis column's type comes from all of its axis's values (not the shard's
/// rows), so every shard of a grid has one schema.
#[cfg(feature = "parquet")]
fn parquet<W: Write + Send>(
    text: &str,
    fixed: &[hashpivot::Override],
    grid: &Grid,
    shard: hashpivot::sweep::Shard,
    out: W,
) -> io::Result<GridRun> {
    use hashpivot::render::parquet::{Kind, Sink, kind_of, kind_of_values};
    let columns = sweep_out::columns(grid);
    let axis_kinds: Vec<Kind> = grid
        .axes
        .iter()
        .map(|a| kind_of_values(a.values.iter().map(String::as_str)))
        .collect();
    let numeric: Vec<bool> = axis_kinds.iter().map(|k| *k != Kind::Text).collect();
    let kinds = columns
        .iter()
        .enumerate()
        .map(
            |(i, key)| match i.checked_sub(1).and_then(|a| axis_kinds.get(a)) {
                Some(kind) => *kind,
                None => kind_of(key).unwrap_or(Kind::Text),
            },
        )
        .collect();
    let mut sink = Sink::new(columns, kinds, out)?;
    let run = evaluate_grid(text, fixed, grid, shard, |r| {
        for row in sweep_out::field_rows(&r, &numeric) {
            sink.push(row)?;
        }
        Ok::<(), io::Error>(())
    })?;
    sink.finish()?;
    Ok(run)
}
