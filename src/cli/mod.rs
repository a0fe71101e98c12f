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
use std::process::ExitCode;

mod args;
mod input;
mod output;
mod regress;
mod run;
mod sweep;

pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_INPUT: u8 = 2;

/// Runs the command line and returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage
            // errors print to stderr and exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INPUT } else { EXIT_OK });
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run_scenarios(&args),
        Command::Validate { paths, overrides } => run::validate(&paths, &overrides.set),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Check(args) => regress::check(&args),
        Command::Diff(args) => regress::diff(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if output::is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}
