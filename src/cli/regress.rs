//! `check` and `diff`: golden files and saved outputs.
//!
//! Exit-code policy: a scenario that moved, appeared, vanished or has no
//! golden is a difference (exit 1); an input that cannot be loaded is an
//! error (exit 2, which outranks 1).

use super::args::{CheckArgs, DiffArgs, ReportFormat, Tolerances};
use super::failure::{Failure, Failures};
use super::input::evaluate;
use super::input::{Input, evaluate_all_then, read_source, sources};
use super::output::{write_atomically, write_stdout};
use super::pivot::pivot_of;
use super::report::{Options, build};
use hashpivot::compare::{Report, ScenarioResult, Tolerance, Verdict, differences, summaries};
use hashpivot::exact_json::Json;
use hashpivot::golden;
use hashpivot::render::report as report_out;
use std::io::{self, Write};
use std::path::PathBuf;

fn tolerance(t: &Tolerances) -> Tolerance {
    Tolerance {
        abs: t.abs,
        rel: t.rel,
    }
}

/// Prints the report; anything changed is a failure (exit 1).
fn finish_report(
    report: &Report,
    format: ReportFormat,
    failures: &mut Failures,
) -> Result<(), Failure> {
    let bytes = match format {
        ReportFormat::Text => report_out::text(report).into_bytes(),
        ReportFormat::Json => report_out::json(report),
    };
    write_stdout(&bytes)?;
    if report.changed() > 0 {
        failures.push(Failure::Changed);
    }
    Ok(())
}

/// An input the report lists as failed to load, and the failure itself.
fn load_failed(report: &mut Report, failures: &mut Failures, file: String, failure: Failure) {
    report.errors.push((file, failure.to_string()));
    failures.push(failure);
}

/// Scenarios are paired by name: two of one name in one input would be
/// paired wrongly. Takes `(name, file)` pairs.
fn refuse_duplicate_names<'a>(
    names: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), Failure> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (name, file) in names {
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            return Err(Failure::DuplicateName {
                name: name.to_string(),
                first: first.to_string(),
                second: file.to_string(),
            });
        }
        seen.push((name, file));
    }
    Ok(())
}

pub(crate) fn check(args: &CheckArgs, failures: &mut Failures) -> Result<(), Failure> {
    if args.report {
        return check_report(args, failures);
    }
    let (inputs, _) = sources(&args.paths, failures);
    // A golden sits beside its scenario file: standard input has none.
    let inputs = inputs.into_iter().map(|input| match input.path.as_str() {
        "-" if input.source.is_ok() => Input {
            path: input.path,
            source: Err(Failure::StdinForCheck),
        },
        _ => input,
    });
    let inputs: Vec<Input> = inputs.collect();
    let kind = if args.pivot {
        golden::Kind::Pivot
    } else {
        golden::Kind::Summary
    };
    let golden_of = |path: &str| golden::path_of(kind, path, args.golden_dir.as_deref());
    // Two scenarios sharing one golden would overwrite (or be checked
    // against) each other's.
    let mut goldens: Vec<(PathBuf, &str)> = Vec::new();
    for input in &inputs {
        let golden = golden_of(&input.path);
        if let Some((_, first)) = goldens.iter().find(|(g, _)| g == &golden) {
            return Err(Failure::SharedGolden {
                golden,
                first: first.to_string(),
                second: input.path.clone(),
            });
        }
        goldens.push((golden, &input.path));
    }
    // With `--pivot`, each scenario's pivot too (or why it has none).
    let evaluated = evaluate_all_then(inputs, &[], |source, e| {
        let pivot = args.pivot.then(|| pivot_of(source, &e.summary, &[]));
        Ok((e, pivot))
    });
    refuse_duplicate_names(evaluated.iter().filter_map(|(path, e)| {
        Some((e.as_ref().ok()?.0.summary.scenario.as_str(), path.as_str()))
    }))?;
    let tolerance = tolerance(&args.tolerances);
    let mut report = Report::default();
    for (path, evaluation) in evaluated {
        let (summary, pivot) =
            match evaluation.and_then(|(e, pivot)| Ok((failures.admit(e)?, pivot))) {
                Ok(s) => s,
                Err(failure) => {
                    load_failed(&mut report, failures, path, failure);
                    continue;
                }
            };
        let golden = golden_of(&path);
        let bytes = match pivot {
            None => golden::write(&summary),
            Some(Ok(pivot)) => golden::write_pivot(&pivot),
            // Nothing to pivot and no golden saying there was: not a
            // scenario for this check.
            Some(Err(Failure::NothingToPivot { .. })) if !golden.exists() => {
                failures.note(format!(
                    "skipping {path}: no site has both strategies, so it has no pivot to check"
                ));
                continue;
            }
            Some(Err(failure)) => {
                load_failed(&mut report, failures, path, failure);
                continue;
            }
        };
        let current = golden::read_kind(kind, &String::from_utf8_lossy(&bytes)).map_err(|why| {
            Failure::Golden {
                path: golden.clone(),
                why,
            }
        })?;
        let mut stored_text = None;
        let stored = match std::fs::read(&golden) {
            Ok(bytes) => {
                match golden::read_kind(
                    kind,
                    &String::from_utf8_lossy(&stored_text.insert(bytes)[..]),
                ) {
                    Ok(json) => Some(json),
                    Err(why) if args.update => {
                        eprintln!("note: replacing {}: {why}", golden.display());
                        None
                    }
                    Err(why) => {
                        let file = golden.display().to_string();
                        let failure = Failure::Golden { path: golden, why };
                        load_failed(&mut report, failures, file, failure);
                        continue;
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                let file = golden.display().to_string();
                let failure = Failure::GoldenUnreadable {
                    path: golden,
                    source,
                };
                load_failed(&mut report, failures, file, failure);
                continue;
            }
        };
        let findings = stored
            .as_ref()
            .map(|old| differences(old, &current, &tolerance));
        let verdict = if args.update {
            let verdict = match findings {
                None if stored_text.is_some() => Verdict::Updated(Vec::new()),
                None => Verdict::Created,
                Some(f) if f.is_empty() => Verdict::Unchanged,
                Some(f) => Verdict::Updated(f),
            };
            // Rewritten only when its bytes differ (a new version, say).
            if stored_text.as_deref() != Some(bytes.as_slice()) {
                write_atomically(&golden, |w| w.write_all(&bytes))?;
            }
            verdict
        } else {
            match findings {
                None => Verdict::MissingGolden(golden.display().to_string()),
                Some(f) if f.is_empty() => Verdict::Same,
                Some(f) => Verdict::Changed(f),
            }
        };
        report.results.push(ScenarioResult {
            scenario: summary.scenario.clone(),
            file: path,
            verdict,
        });
    }
    finish_report(&report, args.tolerances.format, failures)
}

/// `check --report`: each format-2 scenario's report with the default
/// options (the file's own [risk] paths and seed, no --vary, no time)
/// against `NAME.report.html`, byte for byte. The report's command line
/// names the scenario file without its folder (the golden sits beside it),
/// so the golden is the same from wherever the check runs.
fn check_report(args: &CheckArgs, failures: &mut Failures) -> Result<(), Failure> {
    let (inputs, _) = sources(&args.paths, failures);
    let mut out = String::new();
    let (mut total, mut changed, mut created, mut updated, mut unchanged) = (0, 0, 0, 0, 0);
    for input in inputs {
        let path = input.path;
        let source = match (path.as_str(), input.source) {
            ("-", Ok(_)) => Err(Failure::StdinForCheck),
            (_, source) => source,
        };
        let built = source.and_then(|source| {
            let summary = failures.admit(evaluate(&source, &[])?)?;
            if summary.inputs.format2.is_none() {
                return Ok(None);
            }
            let name = std::path::Path::new(&path)
                .file_name()
                .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
            let options = Options {
                file: &name,
                overrides: &[],
                paths: None,
                seed: None,
                vary: &[],
                timestamp: false,
            };
            let (html, _) = build(&source, &summary, &options)?;
            Ok(Some((summary.scenario, html)))
        });
        let (scenario, html) = match built {
            Ok(Some(done)) => done,
            Ok(None) => {
                failures.note(format!(
                    "skipping {path}: a format-1 scenario has no shipped report (check --report compares format-2 scenarios)"
                ));
                continue;
            }
            Err(failure) => {
                failures.push(failure);
                continue;
            }
        };
        total += 1;
        let golden = golden::path_of(golden::Kind::Report, &path, args.golden_dir.as_deref());
        let stored = match std::fs::read(&golden) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                failures.push(Failure::GoldenUnreadable {
                    path: golden,
                    source,
                });
                continue;
            }
        };
        let shown = golden.display();
        let difference = stored
            .as_ref()
            .map(|old| golden::first_difference(&String::from_utf8_lossy(old), &html));
        let line = match (args.update, difference) {
            (true, Some(None)) => {
                unchanged += 1;
                format!("unchanged [{scenario}]")
            }
            (true, found) => {
                write_atomically(&golden, |w| w.write_all(html.as_bytes()))?;
                if found.is_some() {
                    updated += 1;
                    format!("updated [{scenario}] {shown}")
                } else {
                    created += 1;
                    format!("created [{scenario}] {shown}")
                }
            }
            (false, None) => {
                changed += 1;
                format!(
                    "[{scenario}] no report golden: {shown} (create it with check --report --update)"
                )
            }
            (false, Some(None)) => format!("ok [{scenario}]"),
            (false, Some(Some((line, heading, count)))) => {
                changed += 1;
                let section = heading.map_or(String::new(), |h| format!(" (in \"{h}\")"));
                format!(
                    "[{scenario}] {shown} differs from line {line}{section}: {count} line{} differ{}",
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "s" } else { "" }
                )
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if args.update {
        out.push_str(&format!(
            "{total} report{}: {unchanged} unchanged, {updated} updated, {created} created\n",
            plural(total)
        ));
    } else {
        out.push_str(&format!(
            "{total} report{}, {changed} changed\n",
            plural(total)
        ));
    }
    write_stdout(out.as_bytes())?;
    if changed > 0 {
        failures.push(Failure::Changed);
    }
    Ok(())
}

pub(crate) fn diff(args: &DiffArgs, failures: &mut Failures) -> Result<(), Failure> {
    let mut report = Report::default();
    let mut read = |path: &str| -> Option<Json> {
        let parsed = read_source(path).and_then(|source| {
            Json::parse(&source.text).map_err(|e| Failure::NotJson {
                path: path.to_string(),
                why: e.to_string(),
            })
        });
        match parsed {
            Ok(json) => Some(json),
            Err(failure) => {
                load_failed(&mut report, failures, path.to_string(), failure);
                None
            }
        }
    };
    let (old, new) = (read(&args.old), read(&args.new));
    let (Some(old), Some(new)) = (old, new) else {
        return finish_report(&report, args.tolerances.format, failures);
    };
    let tolerance = tolerance(&args.tolerances);
    let (old, new) = (summaries(&old), summaries(&new));
    refuse_duplicate_names(
        old.iter()
            .map(|(name, _)| (name.as_str(), args.old.as_str())),
    )?;
    refuse_duplicate_names(
        new.iter()
            .map(|(name, _)| (name.as_str(), args.new.as_str())),
    )?;
    for (name, before) in &old {
        let verdict = match new.iter().find(|(n, _)| n == name) {
            Some((_, after)) => match differences(before, after, &tolerance) {
                f if f.is_empty() => Verdict::Same,
                f => Verdict::Changed(f),
            },
            None => Verdict::Vanished,
        };
        let file = match verdict {
            Verdict::Vanished => &args.old,
            _ => &args.new,
        };
        report.results.push(ScenarioResult {
            scenario: name.clone(),
            file: file.clone(),
            verdict,
        });
    }
    for (name, _) in &new {
        if !old.iter().any(|(n, _)| n == name) {
            report.results.push(ScenarioResult {
                scenario: name.clone(),
                file: args.new.clone(),
                verdict: Verdict::Appeared,
            });
        }
    }
    finish_report(&report, args.tolerances.format, failures)
}
