//! `report`: one self-contained HTML file for one scenario.

use super::args::ReportArgs;
use super::failure::{Failure, Failures};

/// Writes the report of `args.file` to `args.output`.
pub(crate) fn report(args: &ReportArgs, failures: &mut Failures) -> Result<(), Failure> {
    let _ = (args, failures);
    todo!("report helper")
}
