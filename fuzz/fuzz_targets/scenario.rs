//! Scenario text through loading, computing and every renderer: whatever
//! the bytes, hashpivot returns a summary or an error, never a panic.
#![no_main]

use hashpivot::render::Renderer;
use hashpivot::render::csv::CsvRenderer;
use hashpivot::render::json::{JsonRenderer, JsonlRenderer};
use hashpivot::render::table::TableRenderer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match hashpivot::evaluate(text) {
        Ok(summary) => {
            let list = std::slice::from_ref(&summary);
            for monthly in [false, true] {
                let _ = TableRenderer {
                    monthly,
                    color: true,
                }
                .render(list, false);
                let _ = JsonRenderer { monthly }.render(list, true);
                let _ = JsonlRenderer { monthly, files: vec![] }.render(list, false);
                let _ = CsvRenderer { monthly, files: vec![] }.render(list, false);
            }
        }
        Err(e) => {
            let _ = e.render("fuzz.toml", text);
        }
    }
});
