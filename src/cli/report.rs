//! `report`: one self-contained HTML file for one scenario (docs/model.md,
//! "The report").
//!
//! It computes what `run`, `pivot`, `simulate` and `sweep` compute, with
//! the same errors, and hands it all to [`hashpivot::render::html`]; the
//! file is written atomically, so a failure never leaves half a report.
//! `check --report` builds each shipped example through [`build`] with
//! the default options, so the golden and the command cannot drift apart.

use super::args::ReportArgs;
use super::failure::{Failure, Failures};
use super::input::{Source, evaluate, read_source};
use super::output::{refuse_overwriting_input, write_atomically};
use super::pivot::pivot_of;
use hashpivot::pivot::Pivot;
use hashpivot::render::html::{self, Footer, Report, Risk, Sweep};
use hashpivot::render::simulate::histograms;
use hashpivot::scenario::Risk as RiskInputs;
use hashpivot::simulate::{FAN_PATHS, Settings, SimulateError, paths_and_fan, statistics};
use hashpivot::sweep::{Axis, Grid, GridRun, PointResult, Shard, evaluate_grid};
use hashpivot::{Override, Summary};
use rust_decimal::Decimal;
use std::io::Write;
use std::path::Path;

/// The options a report is made with.
pub(crate) struct Options<'a> {
    /// The file name as given (the footer's command line).
    pub(crate) file: &'a str,
    pub(crate) overrides: &'a [Override],
    pub(crate) paths: Option<u64>,
    pub(crate) seed: Option<u64>,
    pub(crate) vary: &'a [Axis],
    pub(crate) timestamp: bool,
}

/// Writes the report of `args.file` to `args.output`.
pub(crate) fn report(args: &ReportArgs, failures: &mut Failures) -> Result<(), Failure> {
    if args.file != "-" && Path::new(&args.file).is_dir() {
        return Err(Failure::FolderForReport {
            path: args.file.clone(),
        });
    }
    refuse_overwriting_input(&args.output, [args.file.as_str()])?;
    let source = read_source(&args.file)?;
    let summary = failures.admit(evaluate(&source, &args.overrides.set)?)?;
    let drawn = summary
        .inputs
        .format2
        .as_ref()
        .is_some_and(|f| uncertain(&f.risk));
    if !drawn && (args.paths.is_some() || args.seed.is_some()) {
        failures.note(format!(
            "--paths and --seed are not used: {} has no [risk] volatility or default rate (format 2), so the report has no risk pages",
            super::input::display_name(&args.file)
        ));
    }
    let options = Options {
        file: &args.file,
        overrides: &args.overrides.set,
        paths: args.paths,
        seed: args.seed,
        vary: &args.vary,
        timestamp: args.timestamp,
    };
    let (html, points) = build(&source, &summary, &options)?;
    write_atomically(&args.output, |w| w.write_all(html.as_bytes()))?;
    match points {
        Some(GridRun { failures, points }) if failures > 0 => Err(Failure::Points {
            failed: failures,
            total: points,
            listed: "white cells with a cross in the report's winner maps",
        }),
        _ => Ok(()),
    }
}

/// Whether a scenario's `[risk]` draws anything: a volatility or a
/// default rate above 0 (without one every path is the stated one, and
/// the report leaves the risk pages out).
pub(crate) fn uncertain(risk: &RiskInputs) -> bool {
    [
        risk.price_vol_annual,
        risk.hashrate_vol_annual,
        risk.gpu_hour_vol_annual,
        risk.lease_default_annual,
    ]
    .iter()
    .any(|v| *v > Decimal::ZERO)
}

/// The report of a computed scenario, and the sweep's run (with
/// `--vary`): the HTML text, whole.
pub(crate) fn build(
    source: &Source,
    summary: &Summary,
    o: &Options,
) -> Result<(String, Option<GridRun>), Failure> {
    let scenario = &summary.inputs;
    // The sweep's grid, with --vary, checked as `sweep` checks it before
    // anything is computed.
    let grid = if o.vary.is_empty() {
        None
    } else {
        let grid = Grid::new(o.vary.to_vec()).map_err(Failure::Sweep)?;
        grid.check_keys(&source.text, o.overrides)
            .map_err(Failure::Sweep)?;
        grid.check_axis_keys(&source.text, o.overrides)
            .map_err(|e| {
                Failure::scenario(
                    &source.origin,
                    &source.text,
                    &grid.overrides(o.overrides, 0),
                    e,
                )
            })?;
        Some(grid)
    };
    // The pivot, when a site has both strategies.
    let both = summary
        .sites
        .iter()
        .any(|s| s.mine.is_some() && s.ai.is_some());
    let pivot: Option<Pivot> = if both {
        Some(pivot_of(source, summary, o.overrides)?)
    } else {
        None
    };
    // The risk part: format 2 with something to draw.
    let settings = scenario
        .format2
        .as_ref()
        .filter(|f| uncertain(&f.risk))
        .map(|_| Settings::of(scenario, o.paths, o.seed));
    let risk = match &settings {
        Some(settings) => {
            let failed = |e| super::simulate::failure(source, o.overrides, e);
            // The first paths' cash flows serve both their NPVs and the fans.
            let (records, fans) = paths_and_fan(None, scenario, settings).map_err(failed)?;
            let simulation = statistics(scenario, settings, &records)
                .map_err(|e| failed(SimulateError::Overflow(e)))?;
            let histograms = histograms(&records, &simulation);
            drop(records);
            Some((simulation, histograms, fans, settings.paths.min(FAN_PATHS)))
        }
        None => None,
    };
    // Every point of the grid, in point order.
    let mut run = None;
    let mut results: Vec<PointResult> = Vec::new();
    if let Some(grid) = &grid {
        let done = evaluate_grid(&source.text, o.overrides, grid, Shard::default(), |r| {
            results.push(r);
            Ok::<(), std::convert::Infallible>(())
        });
        run = match done {
            Ok(run) => Some(run),
            Err(never) => match never {},
        };
    }
    let report = Report {
        summary,
        pivot: pivot.as_ref(),
        risk: risk.as_ref().map(|(simulation, histograms, fans, n)| Risk {
            simulation,
            histograms,
            fans,
            fan_paths: *n,
        }),
        sweep: grid.as_ref().map(|grid| Sweep {
            grid,
            results: &results,
        }),
        footer: Footer {
            command: command_line(o, settings.as_ref()),
            timestamp: o.timestamp.then(now),
        },
    };
    Ok((html::report(&report), run))
}

/// The command that makes the same report: the file as given, each
/// `--set`, the paths and seed the risk part used, each `--vary`.
fn command_line(o: &Options, settings: Option<&Settings>) -> String {
    let mut words = vec!["hashpivot".to_string(), "report".to_string(), quote(o.file)];
    for set in o.overrides {
        words.push("--set".into());
        words.push(quote(&format!("{}={}", set.key, set.value)));
    }
    if let Some(s) = settings {
        words.push(format!("--paths {} --seed {}", s.paths, s.seed));
    }
    for axis in o.vary {
        words.push("--vary".into());
        words.push(quote(&format!("{}={}", axis.key, axis.values.join(","))));
    }
    words.push("-o".into());
    words.push("REPORT.html".into());
    words.join(" ")
}

/// `word` as a POSIX shell reads it back: as it is when it holds only
/// characters no shell treats specially, else in single quotes.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./=:,+-@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The time now in UTC, to the second: `2026-12-04 21:57:01 UTC`.
fn now() -> String {
    use chrono::{Datelike, Timelike};
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0) {
        Some(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        None => "an unknown time".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word with a shell's special characters is single-quoted, a single
    /// quote in it closed, escaped and reopened.
    #[test]
    fn words_are_quoted_for_a_shell() {
        assert_eq!(quote("scenarios/lake.toml"), "scenarios/lake.toml");
        assert_eq!(
            quote("site[0].mining.shutdown=\"never\""),
            "'site[0].mining.shutdown=\"never\"'"
        );
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
