//! Writing output: stdout, atomic files, colour, closed pipes.

use super::failure::{Failure, Failures};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

/// Colour for stdout: only on a terminal, never into a file (`-o`), and
/// never when `NO_COLOR` is set to anything but the empty string
/// (no-color.org).
pub(crate) fn use_color(to_file: bool) -> bool {
    color_wanted(
        to_file,
        io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

pub(crate) fn color_wanted(
    to_file: bool,
    terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
) -> bool {
    !to_file && terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Writes through `fill` to a temporary file beside `path`, then renames it
/// over `path`: readers see the old file or the new one, never half of one.
pub(crate) fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<std::fs::File>) -> io::Result<()>,
) -> Result<(), Failure> {
    write_atomically_if(path, |w| fill(w).map(|()| true)).map(|_| ())
}

/// As [`write_atomically`], streaming: `fill` writes to the temporary file
/// and says whether to keep it. When it says no (or fails), the temporary
/// file is removed and `path` is left as it was. Returns whether `path` was
/// written.
///
/// A file with no write permission bits is refused, even for root (who
/// could otherwise replace it): a read-only file is a statement. If SIGINT,
/// SIGTERM or SIGHUP ends the program meanwhile, the temporary file is
/// removed first ([`remove_temporaries_on_signal`]).
pub(crate) fn write_atomically_if(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<std::fs::File>) -> io::Result<bool>,
) -> Result<bool, Failure> {
    let failed = |source| Failure::Write {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::metadata(path).is_ok_and(|m| read_only(&m)) {
        return Err(failed(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only (no write permission bits)",
        )));
    }
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) cannot
    // be replaced by a rename (as root, renaming over /dev/null would put
    // a plain file in its place): the output is made in the temporary
    // folder and copied into it once complete.
    let special = std::fs::metadata(path).is_ok_and(|m| {
        let kind = m.file_type();
        !kind.is_file() && !kind.is_dir()
    });
    let dir = match path.parent() {
        _ if special => std::env::temp_dir(),
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| {
        failed(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    remove_temporaries_on_signal();
    let file = {
        // Registered and created under one lock, so a signal's cleanup
        // sees the file whenever it exists.
        let mut temporaries = temporaries();
        let file = std::fs::File::create(&temp).map_err(failed)?;
        temporaries.push(temp.clone());
        file
    };
    let result = (|| {
        let mut w = BufWriter::new(file);
        let keep = fill(&mut w)?;
        w.flush()?;
        if keep && special {
            let mut out = std::fs::OpenOptions::new().write(true).open(path)?;
            io::copy(&mut std::fs::File::open(&temp)?, &mut out)?;
            out.flush()?;
            std::fs::remove_file(&temp)?;
        } else if keep {
            std::fs::rename(&temp, path)?;
        }
        Ok(keep)
    })();
    let mut temporaries = temporaries();
    if !matches!(result, Ok(true)) {
        let _ = std::fs::remove_file(&temp);
    }
    temporaries.retain(|t| t != &temp);
    result.map_err(failed)
}

#[cfg(unix)]
fn read_only(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.is_file() && metadata.permissions().mode() & 0o222 == 0
}

#[cfg(not(unix))]
fn read_only(metadata: &std::fs::Metadata) -> bool {
    metadata.permissions().readonly()
}

/// Temporary files being written right now.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn temporaries() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves a list that is still right.
    TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts (once) a thread that, on SIGINT, SIGTERM or SIGHUP (a batch
/// scheduler's preemption sends SIGTERM), removes the temporary files being
/// written and exits with 128 + the signal's number, as a shell reports a
/// program killed by it. Without this the default action would end the
/// program at once and leave `.NAME.PID.tmp` behind.
fn remove_temporaries_on_signal() {
    static START: Once = Once::new();
    START.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        // If the handler cannot be installed, the default action stays:
        // nothing worse than before.
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until exit: no new temporary file starts meanwhile.
                let temporaries = temporaries();
                for temp in temporaries.iter() {
                    let _ = std::fs::remove_file(temp);
                }
                std::process::exit(128 + signal);
            }
        });
    });
}

/// Refuses an output path that is one of the inputs: `run a.toml -o
/// a.toml` would replace the scenario with its own table.
pub(crate) fn refuse_overwriting_input<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a str>,
) -> Result<(), Failure> {
    let Ok(out) = std::fs::canonicalize(output) else {
        // An output that does not exist yet is no input.
        return Ok(());
    };
    for input in inputs {
        if input != "-" && std::fs::canonicalize(input).is_ok_and(|i| i == out) {
            return Err(Failure::OutputIsInput {
                path: output.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Writes the rendered output of a batch where it goes: to `output`
/// (atomically) only when every one of `total` scenarios succeeded (`done`
/// of them did; otherwise a note says why the file was not written), or
/// to standard output when any succeeded.
pub(crate) fn deliver(
    output: Option<&Path>,
    bytes: &[u8],
    done: usize,
    total: usize,
    failures: &mut Failures,
) -> Result<(), Failure> {
    match output {
        // A file is written only when every scenario succeeded.
        Some(path) if failures.is_empty() => write_atomically(path, |w| w.write_all(bytes)),
        // Some computed, yet nothing is written: say so, or the good
        // ones' absence is a surprise. (With none computed the errors
        // say it all.)
        Some(path) if done > 0 => {
            failures.note(format!(
                "{} not written: {} of {} scenarios failed (a file holds all or none)",
                path.display(),
                total - done,
                total
            ));
            Ok(())
        }
        Some(_) => Ok(()),
        None if done > 0 => write_stdout(bytes),
        None => Ok(()),
    }
}

/// Writes `bytes` to standard output and flushes it.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(Failure::Stdout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(color_wanted(false, true, None));
        assert!(color_wanted(false, true, Some(OsStr::new(""))));
        assert!(!color_wanted(false, true, Some(OsStr::new("1"))));
        assert!(!color_wanted(false, false, None));
        assert!(!color_wanted(true, true, None));
    }
}
