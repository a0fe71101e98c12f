//! The command line: parse arguments, read scenario files, print what the
//! library computes, and map the outcome to an exit code.
//!
//! Exit codes: 0 success; 1 `check` or `diff` found a difference; 2 any
//! error: bad input, usage, I/O (it outranks 1).
//! Summaries are rendered whole and written once, so a failure never leaves
//! half an answer; sweeps stream their records in point order. A closed
//! pipe (`| head`) ends the program quietly.

use args::{Cli, Command};
use clap::Parser;
use failure::{Failure, Failures};
use std::process::ExitCode;

mod args;
mod explain;
mod failure;
mod init;
mod input;
mod manual;
mod market;
mod output;
mod pivot;
mod regress;
mod report;
mod run;
mod schema;
mod simulate;
mod sweep;

/// Runs the command line and returns the process's exit code: the highest
/// code among the failures. Warnings, then failures, are printed here and
/// nowhere else.
pub fn run() -> ExitCode {
    let mut failures = Failures::default();
    let result = match Cli::try_parse() {
        Err(e) => Err(Failure::Usage(e)),
        Ok(cli) => {
            failures = Failures::new(cli.deny_warnings);
            match cli.command {
                Command::Run(args) => run::run_scenarios(&args, &mut failures),
                Command::Validate { paths, overrides } => {
                    run::validate(&paths, &overrides.set, &mut failures)
                }
                Command::Pivot(args) => pivot::pivot(&args, &mut failures),
                Command::Sweep(args) => sweep::sweep(&args, &mut failures),
                Command::Simulate(args) => simulate::simulate(&args, &mut failures),
                Command::Check(args) => regress::check(&args, &mut failures),
                Command::Diff(args) => regress::diff(&args, &mut failures),
                Command::Report(args) => report::report(&args, &mut failures),
                Command::Init(args) => init::init(&args, &mut failures),
                Command::Market(args) => market::market(&args),
                Command::Schema => schema::schema(),
                Command::Explain(args) => explain::explain(&args, &mut failures),
                Command::Completions { shell } => manual::completions(shell),
                Command::Man => manual::man(),
            }
        }
    };
    if let Err(failure) = result {
        failures.push(failure);
    }
    ExitCode::from(failures.finish())
}
