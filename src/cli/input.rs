//! Reading scenarios: files, folders and standard input, evaluated on
//! every core with their order kept.

use super::failure::{Failure, Failures};
use hashpivot::parallel::parallel_map;
use hashpivot::{Override, Summary, evaluate_with_warnings};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// A scenario's text and the name messages use for it.
#[derive(Clone)]
pub(crate) struct Source {
    pub(crate) origin: String,
    pub(crate) text: String,
}

/// One input: the path it came from, and its text or why it has none.
pub(crate) struct Input {
    pub(crate) path: String,
    pub(crate) source: Result<Source, Failure>,
}

/// The inputs the paths name, in order (a folder gives its `*.toml` files
/// in name order), and whether any path was a folder. A path that cannot
/// be read is an input with its failure, in its place.
///
/// Only `*.toml` in lower case is read from a folder (the name a scenario
/// has everywhere in this project); a `*.TOML` or `*.Toml` file there is
/// skipped with a note, never silently.
pub(crate) fn sources(paths: &[String], failures: &mut Failures) -> (Vec<Input>, bool) {
    let mut out = Vec::new();
    let mut any_folder = false;
    for path in paths {
        let p = Path::new(path);
        if path != "-" && p.is_dir() {
            any_folder = true;
            let failed = |failure| Input {
                path: path.clone(),
                source: Err(failure),
            };
            match folder_scenarios(p, failures) {
                Ok(files) if files.is_empty() => {
                    out.push(failed(Failure::EmptyFolder { path: path.clone() }))
                }
                Ok(files) => out.extend(files.iter().map(|f| {
                    let path = f.to_string_lossy().into_owned();
                    let source = read_source(&path);
                    Input { path, source }
                })),
                Err(source) => out.push(failed(Failure::Folder {
                    path: path.clone(),
                    source,
                })),
            }
        } else if path == "-" && out.iter().any(|i: &Input| i.path == "-") {
            // Standard input is read to its end once; a second `-` would
            // read nothing and report an empty file.
            out.push(Input {
                path: path.clone(),
                source: Err(Failure::StdinTwice),
            });
        } else {
            out.push(Input {
                path: path.clone(),
                source: read_source(path),
            });
        }
    }
    (out, any_folder)
}

fn folder_scenarios(dir: &Path, failures: &mut Failures) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())) {
        let Some(extension) = path.extension().filter(|_| path.is_file()) else {
            continue;
        };
        if extension == "toml" {
            files.push(path);
        } else if extension.eq_ignore_ascii_case("toml") {
            failures.note(format!(
                "skipping {}: only files ending in .toml (lower case) are read from a folder",
                path.display()
            ));
        }
    }
    files.sort();
    Ok(files)
}

/// The name output gives the input `path`: `<stdin>` for `-`.
pub(crate) fn display_name(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}

/// The text of the file `path`, or of standard input for `-`.
pub(crate) fn read_source(path: &str) -> Result<Source, Failure> {
    let (origin, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(Failure::Stdin)?;
        ("<stdin>".to_string(), bytes)
    } else {
        let bytes = std::fs::read(path).map_err(|source| Failure::Read {
            path: path.to_string(),
            source,
        })?;
        (path.to_string(), bytes)
    };
    let text = String::from_utf8(bytes).map_err(|e| Failure::NotUtf8 {
        origin: origin.clone(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok(Source { origin, text })
}

/// A scenario that computed, with its warnings rendered to point into its
/// source (see [`Failures::admit`](super::failure::Failures::admit)).
#[derive(Debug)]
pub(crate) struct Evaluated {
    pub(crate) origin: String,
    pub(crate) summary: Summary,
    /// Each in full: `warning: …`, then the file, line and caret.
    pub(crate) warnings: Vec<String>,
}

/// Evaluates a source with overrides; an error or warning points into the
/// source, or at the override that caused it.
pub(crate) fn evaluate(source: &Source, overrides: &[Override]) -> Result<Evaluated, Failure> {
    let evaluation = evaluate_with_warnings(&source.text, overrides, None)
        .map_err(|e| Failure::scenario(&source.origin, &source.text, overrides, e))?;
    let warnings = evaluation
        .warnings
        .iter()
        .map(|w| w.render_with_overrides(&source.origin, &source.text, overrides))
        .collect();
    Ok(Evaluated {
        origin: source.origin.clone(),
        summary: evaluation.summary,
        warnings,
    })
}

/// Every input evaluated with `overrides`, on every core, in input order:
/// each path with its evaluation or why it has none.
pub(crate) fn evaluate_all(
    inputs: Vec<Input>,
    overrides: &[Override],
) -> Vec<(String, Result<Evaluated, Failure>)> {
    evaluate_all_then(inputs, overrides, |_, evaluated| Ok(evaluated))
}

/// As [`evaluate_all`], each evaluation then taken on by `then` (on the
/// same core, with the source it came from, so its failure can point into
/// it).
pub(crate) fn evaluate_all_then<T: Send>(
    inputs: Vec<Input>,
    overrides: &[Override],
    then: impl Fn(&Source, Evaluated) -> Result<T, Failure> + Sync,
) -> Vec<(String, Result<T, Failure>)> {
    let run = |s: &Source| evaluate(s, overrides).and_then(|e| then(s, e));
    let results = parallel_map(&inputs, |input| input.source.as_ref().ok().map(run));
    inputs
        .into_iter()
        .zip(results)
        .map(|(input, result)| {
            let result = match (input.source, result) {
                (Ok(_), Some(result)) => result,
                (Err(failure), _) => Err(failure),
                // Not reached: every readable input was evaluated above.
                (Ok(source), None) => run(&source),
            };
            (input.path, result)
        })
        .collect()
}
