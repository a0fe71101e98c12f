//! The HTML report (`hashpivot report`): one self-contained file.
