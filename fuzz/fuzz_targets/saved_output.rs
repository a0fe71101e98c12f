//! Two saved outputs (the input split at its first NUL) through the exact
//! JSON reader and the comparer behind `diff`: never a panic.
#![no_main]

use hashpivot::compare::{Tolerance, differences, summaries};
use hashpivot::exact_json::Json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (old, new) = text.split_once('\0').unwrap_or((text, text));
    let (Ok(old), Ok(new)) = (Json::parse(old), Json::parse(new)) else {
        return;
    };
    for (_, a) in summaries(&old) {
        for (_, b) in summaries(&new) {
            let _ = differences(a, b, &Tolerance::default());
        }
    }
});
