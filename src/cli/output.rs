//! Writing output: stdout, atomic files, colour, closed pipes.

use super::failure::Failure;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

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
pub(crate) fn write_atomically_if(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<std::fs::File>) -> io::Result<bool>,
) -> Result<bool, Failure> {
    let failed = |source| Failure::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
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
    let result = std::fs::File::create(&temp)
        .and_then(|file| {
            let mut w = BufWriter::new(file);
            let keep = fill(&mut w)?;
            w.flush()?;
            Ok(keep)
        })
        .and_then(|keep| {
            if keep {
                std::fs::rename(&temp, path)?;
            }
            Ok(keep)
        });
    if !matches!(result, Ok(true)) {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(failed)
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
