//! Writing output: stdout, atomic files, colour, closed pipes.

use anyhow::Context;
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
) -> anyhow::Result<()> {
    write_atomically_if(path, |w| fill(w).map(|()| true)).map(|_| ())
}

/// As [`write_atomically`], streaming: `fill` writes to the temporary file
/// and says whether to keep it. When it says no (or fails), the temporary
/// file is removed and `path` is left as it was. Returns whether `path` was
/// written.
pub(crate) fn write_atomically_if(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<std::fs::File>) -> io::Result<bool>,
) -> anyhow::Result<bool> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("cannot write {}: not a file name", path.display()))?;
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
    result.with_context(|| format!("cannot write {}", path.display()))
}

pub(crate) fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

pub(crate) fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
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
