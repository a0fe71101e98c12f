//! `init`: a commented scenario template to start from.

use super::args::InitArgs;
use super::failure::{Failure, Failures};

/// Writes the template to `args.file` (refusing an existing file) or stdout.
pub(crate) fn init(args: &InitArgs, failures: &mut Failures) -> Result<(), Failure> {
    let _ = (args, failures);
    todo!("init helper")
}
