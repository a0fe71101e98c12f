//! `schema`: the JSON Schema of scenario files, for editors.

use super::failure::Failure;

/// Prints the JSON Schema of scenario files.
pub(crate) fn schema() -> Result<(), Failure> {
    todo!("schema helper")
}
