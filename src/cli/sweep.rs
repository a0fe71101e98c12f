//! `sweep`: one scenario over a grid, streamed in point order.

use super::args::{MetricArg, SweepArgs, SweepFormat};
use super::failure::{Failure, Failures};
use super::input::{evaluate, read_source};
use super::output::{refuse_overwriting_input, use_color, write_atomically_if};
use hashpivot::render::sweep::{self as sweep_out, Metric};
use hashpivot::sweep::{Grid, GridRun, PointResult, evaluate_grid};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Evaluates the grid and writes it: the table once every point is in,
/// CSV and JSON Lines record by record. An output file is kept only if
/// every point computed; any point that did not is a failure.
pub(crate) fn sweep(args: &SweepArgs, failures: &mut Failures) -> Result<(), Failure> {
    if args.file != "-" && Path::new(&args.file).is_dir() {
        return Err(Failure::FolderForSweep {
            path: args.file.clone(),
        });
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
                let metric = metric(args.metric);
                let table = sweep_out::table(&base.scenario, &grid, &results, metric, color);
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
        }
    };
    let run = match &args.output {
        // Streamed into a temporary file, kept only if every point succeeded.
        Some(path) => {
            let mut run = None;
            write_atomically_if(path, |w| {
                let done = write(w)?;
                run = Some(done);
                Ok(done.failures == 0)
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
        }),
        _ => Ok(()),
    }
}

/// The figure a sweep table shows in its cells.
fn metric(arg: MetricArg) -> Metric {
    match arg {
        MetricArg::Advantage => Metric::Advantage,
        MetricArg::MineNpv => Metric::MineNpv,
        MetricArg::AiNpv => Metric::AiNpv,
        MetricArg::MineIrr => Metric::MineIrr,
        MetricArg::AiIrr => Metric::AiIrr,
        MetricArg::MinePayback => Metric::MinePayback,
        MetricArg::AiPayback => Metric::AiPayback,
    }
}
