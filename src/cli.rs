//! The command line: parse arguments, read scenario files, print what the
//! library computes, and map the outcome to an exit code.
//!
//! Exit codes: 0 success; 1 a check found a difference (reserved for the
//! regression mode); 2 any error: bad input, usage, I/O.
//! Output is rendered whole and written once, so a failure never leaves
//! half an answer on stdout; a closed pipe (`| head`) ends the program
//! quietly.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use hashpivot::render::Renderer;
use hashpivot::render::json::Json;
use hashpivot::{Summary, evaluate};
use std::io::{self, Read, Write};
use std::process::ExitCode;

/// Keep mining, or convert to AI hosting? Projects both futures of every
/// site in a scenario, month by month, and reports NPV, IRR, payback,
/// breakevens and the winner.
#[derive(Debug, Parser)]
#[command(name = "hashpivot", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compute and print the summary of one or more scenario files.
    Run(RunArgs),
    /// Check scenario files without printing results: `ok FILE` for each
    /// good one, the full error for each bad one.
    Validate {
        /// Scenario files (TOML); `-` reads standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
    },
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Scenario files (TOML); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// MODEL.md's summary JSON: an object for one file, an array for several.
    Json,
}

const EXIT_OK: u8 = 0;
const EXIT_INPUT: u8 = 2;

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
        Command::Run(args) => run_scenarios(&args),
        Command::Validate { files } => validate(&files),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}

/// One input, read and evaluated; `Err` holds the rendered message.
fn load(path: &str) -> Result<Summary, String> {
    let (origin, source) = read_source(path).map_err(|e| format!("error: {e:#}\n"))?;
    evaluate(&source).map_err(|e| e.render(&origin, &source))
}

/// The text of a scenario, and the name messages use for it.
fn read_source(path: &str) -> anyhow::Result<(String, String)> {
    let (origin, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        ("<stdin>".to_string(), bytes)
    } else {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {path}"))?;
        (path.to_string(), bytes)
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{origin} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok((origin, text))
}

fn run_scenarios(args: &RunArgs) -> anyhow::Result<u8> {
    let mut summaries = Vec::with_capacity(args.files.len());
    let mut failed = false;
    for path in &args.files {
        match load(path) {
            Ok(summary) => summaries.push(summary),
            Err(message) => {
                eprint!("{message}");
                failed = true;
            }
        }
    }
    if !summaries.is_empty() {
        let renderer = match args.format {
            Format::Json => Json,
        };
        let bytes = renderer.render(&summaries, args.files.len() > 1);
        write_stdout(&bytes)?;
    }
    Ok(if failed { EXIT_INPUT } else { EXIT_OK })
}

fn validate(files: &[String]) -> anyhow::Result<u8> {
    let mut failed = false;
    for path in files {
        match load(path) {
            Ok(_) => write_stdout(format!("ok {path}\n").as_bytes())?,
            Err(message) => {
                eprint!("{message}");
                failed = true;
            }
        }
    }
    Ok(if failed { EXIT_INPUT } else { EXIT_OK })
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
}
