//! `sweep`: one scenario over a grid, streamed in point order.

use super::args::{MetricArg, SweepArgs, SweepFormat};
use super::input::{evaluate_source, parallel_map, read_source};
use super::output::{use_color, write_atomically_if};
use super::{EXIT_INPUT, EXIT_OK};
use hashpivot::evaluate_cached;
use hashpivot::render::sweep::{self as sweep_out, Metric};
use hashpivot::summary::Cache;
use hashpivot::sweep::{Grid, PointResult};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Points evaluated at once (in parallel) before their records are written.
pub(crate) const SWEEP_CHUNK: usize = 256;

pub(crate) fn sweep(args: &SweepArgs) -> anyhow::Result<u8> {
    if args.file != "-" && Path::new(&args.file).is_dir() {
        eprintln!(
            "error: {} is a folder: sweep takes one scenario file",
            args.file
        );
        return Ok(EXIT_INPUT);
    }
    let source = match read_source(&args.file) {
        Ok(s) => s,
        Err(message) => {
            eprint!("{message}");
            return Ok(EXIT_INPUT);
        }
    };
    let grid = match Grid::new(args.vary.clone()) {
        Ok(g) => g,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(EXIT_INPUT);
        }
    };
    // The scenario itself, with the fixed overrides, must be valid: an
    // error there is the same at every point.
    let fixed = &args.overrides.set;
    let base = match evaluate_source(&source, fixed) {
        Ok(s) => s,
        Err(message) => {
            eprint!("{message}");
            return Ok(EXIT_INPUT);
        }
    };
    let shard = args.shard.unwrap_or_default();
    let points: Vec<usize> = (0..grid.len()).filter(|&i| shard.includes(i)).collect();
    let cache = Cache::new();
    let evaluate = |&i: &usize| {
        let overrides = grid.overrides(fixed, i);
        let summary =
            evaluate_cached(&source.text, &overrides, Some(&cache)).map_err(|e| e.to_string());
        PointResult::new(&grid, i, summary)
    };
    let mut failures = 0usize;
    let write = |w: &mut dyn Write, failures: &mut usize| -> io::Result<()> {
        match args.format {
            SweepFormat::Table => {
                let results: Vec<PointResult> = parallel_map(&points, evaluate);
                *failures = results.iter().filter(|r| r.outcome.is_err()).count();
                let color = use_color(args.output.is_some());
                let metric = match args.metric {
                    MetricArg::Advantage => Metric::Advantage,
                    MetricArg::MineNpv => Metric::MineNpv,
                    MetricArg::AiNpv => Metric::AiNpv,
                    MetricArg::MineIrr => Metric::MineIrr,
                    MetricArg::AiIrr => Metric::AiIrr,
                    MetricArg::MinePayback => Metric::MinePayback,
                    MetricArg::AiPayback => Metric::AiPayback,
                };
                let text = sweep_out::table(&base.scenario, &grid, &results, metric, color);
                w.write_all(text.as_bytes())
            }
            SweepFormat::Csv | SweepFormat::Jsonl => {
                if args.format == SweepFormat::Csv {
                    w.write_all(sweep_out::csv_header(&grid).as_bytes())?;
                }
                for chunk in points.chunks(SWEEP_CHUNK) {
                    for result in parallel_map(chunk, evaluate) {
                        if result.outcome.is_err() {
                            *failures += 1;
                        }
                        let text = match args.format {
                            SweepFormat::Csv => sweep_out::csv_rows(&result),
                            _ => sweep_out::jsonl_rows(&grid, &result),
                        };
                        w.write_all(text.as_bytes())?;
                    }
                }
                Ok(())
            }
        }
    };
    match &args.output {
        // Streamed into a temporary file, kept only if every point succeeded.
        Some(path) => {
            write_atomically_if(path, |w| {
                write(w, &mut failures)?;
                Ok(failures == 0)
            })?;
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out, &mut failures)?;
            out.flush()?;
        }
    }
    if failures > 0 {
        eprintln!(
            "error: {failures} of {} grid points could not be computed (see the error column)",
            points.len()
        );
        return Ok(EXIT_INPUT);
    }
    Ok(EXIT_OK)
}
