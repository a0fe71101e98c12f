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
use hashpivot::render::csv::Csv;
use hashpivot::render::json::Json;
use hashpivot::render::table::Table;
use hashpivot::{Summary, evaluate};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
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
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Add the month-by-month cash flows of every site and strategy (in CSV,
    /// print only those rows).
    #[arg(long)]
    monthly: bool,
    /// Write the output to FILE instead of stdout: atomically, and only when
    /// every scenario succeeds (a failed run leaves FILE as it was).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A readable table per site: both futures side by side, and the winner.
    Table,
    /// The summary JSON: an object for one file, an array for several.
    Json,
    /// One row per site and strategy, one header for every file.
    Csv,
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
    let color = args.output.is_none() && io::stdout().is_terminal() && no_color_unset();
    let renderer: Box<dyn Renderer> = match args.format {
        Format::Table => Box::new(Table {
            monthly: args.monthly,
            color,
        }),
        Format::Json => Box::new(Json {
            monthly: args.monthly,
        }),
        Format::Csv => Box::new(Csv {
            monthly: args.monthly,
        }),
    };
    let bytes = renderer.render(&summaries, args.files.len() > 1);
    match &args.output {
        // A file is written only when every scenario succeeded.
        Some(path) if !failed => write_atomically(path, &bytes)?,
        Some(_) => {}
        None if !summaries.is_empty() => write_stdout(&bytes)?,
        None => {}
    }
    Ok(if failed { EXIT_INPUT } else { EXIT_OK })
}

/// `NO_COLOR` set to anything but the empty string turns colour off
/// (no-color.org).
fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("cannot write {}: not a file name", path.display()))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
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
