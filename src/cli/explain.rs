//! `explain`: every intermediate of one month.

use super::args::ExplainArgs;
use super::failure::{Failure, Failures};

/// Prints the month's intermediates.
pub(crate) fn explain(args: &ExplainArgs, failures: &mut Failures) -> Result<(), Failure> {
    let _ = (args, failures);
    todo!("explain helper")
}
