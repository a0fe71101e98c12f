//! `run` and `validate`.

use super::args::{Format, RunArgs};
use super::input::{evaluate_source, parallel_map, sources};
use super::output::{use_color, write_atomically, write_stdout};
use super::{EXIT_INPUT, EXIT_OK};
use hashpivot::Override;
use hashpivot::render::Renderer;
use hashpivot::render::csv::Csv;
use hashpivot::render::json::{Json as JsonRenderer, Jsonl};
use hashpivot::render::table::Table;
use std::io::Write;

pub(crate) fn run_scenarios(args: &RunArgs) -> anyhow::Result<u8> {
    let (inputs, any_folder) = sources(&args.paths);
    let overrides = &args.overrides.set;
    let results = parallel_map(&inputs, |(_, input)| match input {
        Ok(source) => evaluate_source(source, overrides),
        Err(message) => Err(message.clone()),
    });
    let mut summaries = Vec::with_capacity(results.len());
    let mut failed = false;
    for result in results {
        match result {
            Ok(summary) => summaries.push(summary),
            Err(message) => {
                eprint!("{message}");
                failed = true;
            }
        }
    }
    let color = use_color(args.output.is_some());
    let renderer: Box<dyn Renderer> = match args.format {
        Format::Table => Box::new(Table {
            monthly: args.monthly,
            color,
        }),
        Format::Json => Box::new(JsonRenderer {
            monthly: args.monthly,
        }),
        Format::Jsonl => Box::new(Jsonl {
            monthly: args.monthly,
        }),
        Format::Csv => Box::new(Csv {
            monthly: args.monthly,
        }),
    };
    let as_list = args.paths.len() > 1 || any_folder;
    let bytes = renderer.render(&summaries, as_list);
    match &args.output {
        // A file is written only when every scenario succeeded.
        Some(path) if !failed => write_atomically(path, |w| w.write_all(&bytes))?,
        Some(_) => {}
        None if !summaries.is_empty() => write_stdout(&bytes)?,
        None => {}
    }
    Ok(if failed { EXIT_INPUT } else { EXIT_OK })
}

pub(crate) fn validate(paths: &[String], overrides: &[Override]) -> anyhow::Result<u8> {
    let (inputs, _) = sources(paths);
    let results = parallel_map(&inputs, |(_, input)| match input {
        Ok(source) => evaluate_source(source, overrides),
        Err(message) => Err(message.clone()),
    });
    let mut failed = false;
    for ((path, _), result) in inputs.iter().zip(results) {
        match result {
            Ok(_) => write_stdout(format!("ok {path}\n").as_bytes())?,
            Err(message) => {
                eprint!("{message}");
                failed = true;
            }
        }
    }
    Ok(if failed { EXIT_INPUT } else { EXIT_OK })
}
