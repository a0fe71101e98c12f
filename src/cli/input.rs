//! Reading scenarios: files, folders and standard input, evaluated on
//! every core with their order kept.

use hashpivot::{Override, Summary, evaluate_with};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// A scenario's text and the name messages use for it.
pub(crate) struct Source {
    pub(crate) origin: String,
    pub(crate) text: String,
}

/// One input: the path it came from, and its text or why it has none.
pub(crate) type Input = (String, Result<Source, String>);

/// The scenarios the paths name, in order: a folder gives its `*.toml`
/// files in name order. A path that cannot be read is an `Err` with its
/// rendered message, in its place.
pub(crate) fn sources(paths: &[String]) -> (Vec<Input>, bool) {
    let mut out = Vec::new();
    let mut any_folder = false;
    for path in paths {
        let p = Path::new(path);
        if path != "-" && p.is_dir() {
            any_folder = true;
            match folder_scenarios(p) {
                Ok(files) if files.is_empty() => out.push((
                    path.clone(),
                    Err(format!(
                        "error: {path} is a folder with no scenario (*.toml) in it\n"
                    )),
                )),
                Ok(files) => out.extend(files.iter().map(|f| {
                    let file = f.to_string_lossy().into_owned();
                    let source = read_source(&file);
                    (file, source)
                })),
                Err(e) => out.push((
                    path.clone(),
                    Err(format!("error: cannot read folder {path}: {e}\n")),
                )),
            }
        } else {
            out.push((path.clone(), read_source(path)));
        }
    }
    (out, any_folder)
}

pub(crate) fn folder_scenarios(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

pub(crate) fn read_source(path: &str) -> Result<Source, String> {
    let (origin, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("error: cannot read standard input: {e}\n"))?;
        ("<stdin>".to_string(), bytes)
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("error: cannot read {path}: {e}\n"))?;
        (path.to_string(), bytes)
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "error: {origin} is not UTF-8 text (invalid byte at offset {})\n",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(Source { origin, text })
}

/// Evaluates a source with overrides; `Err` holds the rendered message.
pub(crate) fn evaluate_source(source: &Source, overrides: &[Override]) -> Result<Summary, String> {
    evaluate_with(&source.text, overrides)
        .map_err(|e| e.render_with_overrides(&source.origin, &source.text, overrides))
}

/// `f` over `items` on every core, results in the items' order.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let done: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            // A worker can only fail by a bug in hashpivot: re-raise it
            // rather than print results with a scenario silently missing.
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    for (i, r) in done.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
}
