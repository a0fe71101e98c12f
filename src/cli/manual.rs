//! `completions` and `man`: what shells and `man` read.

use super::failure::Failure;

/// Prints the completion script of `shell`.
pub(crate) fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let _ = shell;
    todo!("init helper")
}

/// Prints the man page.
pub(crate) fn man() -> Result<(), Failure> {
    todo!("init helper")
}
