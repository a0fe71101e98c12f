//! `check` and `diff`: golden files and saved outputs.

use super::args::{CheckArgs, DiffArgs, ReportFormat, Tolerances};
use super::input::{evaluate_source, parallel_map, read_source, sources};
use super::output::{write_atomically, write_stdout};
use hashpivot::compare::{Report, ScenarioResult, Tolerance, Verdict, compare, summaries};
use hashpivot::exact_json::Json;
use hashpivot::golden;
use hashpivot::render::Renderer;
use hashpivot::render::json::Json as JsonRenderer;
use hashpivot::render::report as report_out;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The golden file of a scenario file: `NAME.golden.json` beside it, or in
/// `dir`.
pub(crate) fn golden_path(scenario: &str, dir: Option<&Path>) -> PathBuf {
    let path = Path::new(scenario);
    let stem = path
        .file_stem()
        .map_or_else(|| scenario.into(), |s| s.to_string_lossy());
    let name = format!("{stem}.golden.json");
    match dir {
        Some(d) => d.join(name),
        None => path.with_file_name(name),
    }
}

pub(crate) fn tolerance(t: &Tolerances) -> Tolerance {
    Tolerance {
        abs: t.abs,
        rel: t.rel,
    }
}

pub(crate) fn print_report(report: &Report, format: ReportFormat) -> anyhow::Result<u8> {
    let bytes = match format {
        ReportFormat::Text => report_out::text(report).into_bytes(),
        ReportFormat::Json => report_out::json(report),
    };
    write_stdout(&bytes)?;
    Ok(report.exit_code())
}

pub(crate) fn check(args: &CheckArgs) -> anyhow::Result<u8> {
    let (inputs, _) = sources(&args.paths);
    let summaries = parallel_map(&inputs, |(path, input)| match input {
        Ok(_) if path == "-" => Err(
            "error: check compares files with their golden files: give a path, not -\n".to_string(),
        ),
        Ok(source) => evaluate_source(source, &[]),
        Err(message) => Err(message.clone()),
    });
    let tolerance = tolerance(&args.tolerances);
    let mut report = Report::default();
    for ((path, _), summary) in inputs.iter().zip(summaries) {
        let summary = match summary {
            Ok(s) => s,
            Err(message) => {
                eprint!("{message}");
                report.errors.push((path.clone(), message));
                continue;
            }
        };
        let golden = golden_path(path, args.golden_dir.as_deref());
        let current = Json::parse(&String::from_utf8_lossy(
            &JsonRenderer::default().render(std::slice::from_ref(&summary), false),
        ))?;
        let stored = match std::fs::read_to_string(&golden) {
            Ok(text) => match golden::read(&text) {
                Ok(json) => Some(json),
                Err(why) if args.update => {
                    eprintln!("note: replacing {}: {why}", golden.display());
                    None
                }
                Err(why) => {
                    let message = format!("error: {}: {why}\n", golden.display());
                    eprint!("{message}");
                    report.errors.push((golden.display().to_string(), message));
                    continue;
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => {
                let message = format!("error: cannot read {}: {e}\n", golden.display());
                eprint!("{message}");
                report.errors.push((golden.display().to_string(), message));
                continue;
            }
        };
        let findings = stored
            .as_ref()
            .map(|old| compare(old, &current, &tolerance));
        let verdict = if args.update {
            write_atomically(&golden, |w| w.write_all(&golden::write(&summary)))?;
            Verdict::Updated(findings.unwrap_or_default())
        } else {
            match findings {
                None => Verdict::MissingGolden(golden.display().to_string()),
                Some(f) if f.is_empty() => Verdict::Same,
                Some(f) => Verdict::Changed(f),
            }
        };
        report.results.push(ScenarioResult {
            scenario: summary.scenario.clone(),
            verdict,
        });
    }
    print_report(&report, args.tolerances.format)
}

pub(crate) fn diff(args: &DiffArgs) -> anyhow::Result<u8> {
    let mut report = Report::default();
    let read = |path: &str, report: &mut Report| -> Option<Json> {
        let text = match read_source(path) {
            Ok(s) => s.text,
            Err(message) => {
                eprint!("{message}");
                report.errors.push((path.to_string(), message));
                return None;
            }
        };
        match Json::parse(&text) {
            Ok(j) => Some(j),
            Err(e) => {
                let message = format!("error: {path} is not valid JSON: {e}\n");
                eprint!("{message}");
                report.errors.push((path.to_string(), message));
                None
            }
        }
    };
    let (old, new) = (read(&args.old, &mut report), read(&args.new, &mut report));
    let (Some(old), Some(new)) = (old, new) else {
        return print_report(&report, args.tolerances.format);
    };
    let tolerance = tolerance(&args.tolerances);
    let (old, new) = (summaries(&old), summaries(&new));
    for (name, before) in &old {
        let verdict = match new.iter().find(|(n, _)| n == name) {
            Some((_, after)) => match compare(before, after, &tolerance) {
                f if f.is_empty() => Verdict::Same,
                f => Verdict::Changed(f),
            },
            None => Verdict::Vanished,
        };
        report.results.push(ScenarioResult {
            scenario: name.clone(),
            verdict,
        });
    }
    for (name, _) in &new {
        if !old.iter().any(|(n, _)| n == name) {
            report.results.push(ScenarioResult {
                scenario: name.clone(),
                verdict: Verdict::Appeared,
            });
        }
    }
    print_report(&report, args.tolerances.format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goldens_sit_beside_their_scenario_or_in_a_folder() {
        assert_eq!(
            golden_path("scenarios/lake.toml", None),
            PathBuf::from("scenarios/lake.golden.json")
        );
        assert_eq!(
            golden_path("scenarios/lake.toml", Some(Path::new("goldens"))),
            PathBuf::from("goldens/lake.golden.json")
        );
    }
}
