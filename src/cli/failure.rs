//! The command line's one failure type: every way a command can fail, the
//! exit code each one means, and the one place they are printed.
//!
//! Commands never print an error themselves. A failure that ends the
//! command is returned (`?`); one that spoils a single input of a batch
//! (the other scenarios still render) is pushed onto [`Failures`] and the
//! command goes on. [`crate::cli::run`] prints them all, in order, and
//! exits with the highest code among them, so an input error (2) outranks
//! a difference found (1).
//!
//! [`Failures`] also holds the warnings of the scenarios that computed
//! (values that are probably unit slips), each distinct one once, printed
//! before the failures. They leave the exit code at 0, unless
//! `--deny-warnings` is given: then a scenario with a warning is a failure
//! of its own ([`Failure::DeniedWarnings`]), as if it had not loaded.

use super::input::Evaluated;
use super::market::MarketError;
use hashpivot::Summary;
use hashpivot::explain::ExplainError;
use hashpivot::golden::GoldenError;
use hashpivot::pivot::PivotError;
use hashpivot::records::MergeError;
use hashpivot::simulate::SimulateError;
use hashpivot::sweep::SweepError;
use hashpivot::{Error as ScenarioError, Override};
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Exit code: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: `check` or `diff` found a difference.
pub(crate) const EXIT_CHANGED: u8 = 1;
/// Exit code: bad input, bad usage, or I/O.
pub(crate) const EXIT_INPUT: u8 = 2;

/// One reason a command did not fully succeed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Arguments clap refused; also `--help` and `--version`, which clap
    /// reports as an "error" that prints to stdout and succeeds.
    Usage(clap::Error),
    /// A path that could not be read.
    Read { path: String, source: io::Error },
    /// Standard input could not be read.
    Stdin(io::Error),
    /// A folder whose listing could not be read.
    Folder { path: String, source: io::Error },
    /// A folder with no `*.toml` in it.
    EmptyFolder { path: String },
    /// `sweep` takes exactly one scenario file.
    FolderForSweep { path: String },
    /// `report` takes exactly one scenario file.
    FolderForReport { path: String },
    /// `-` given twice: standard input can be read once.
    StdinTwice,
    /// `check` needs a file path to find the golden beside it.
    StdinForCheck,
    /// Bytes that are not UTF-8 text.
    NotUtf8 { origin: String, offset: usize },
    /// A scenario that breaks a rule or leaves the decimal range; printed
    /// with its source line and a caret.
    Scenario(Box<ScenarioFailure>),
    /// A `--vary` or `--shard` that makes no grid.
    Sweep(SweepError),
    /// Grid points that could not be computed; `listed` says where the
    /// output has them (the CSV's error column, the table's end).
    Points {
        failed: usize,
        total: usize,
        listed: &'static str,
    },
    /// A golden file that exists but cannot be used.
    Golden { path: PathBuf, why: GoldenError },
    /// A golden file that exists but cannot be read.
    GoldenUnreadable { path: PathBuf, source: io::Error },
    /// A saved output given to `diff` that is not JSON.
    NotJson { path: String, why: String },
    /// An output file (`-o`, a golden) that could not be written.
    Write { path: PathBuf, source: io::Error },
    /// `init` onto a file that exists: a template never replaces a
    /// scenario someone may have edited.
    InitExists { path: PathBuf },
    /// Two scenarios whose golden files would be one file.
    SharedGolden {
        golden: PathBuf,
        first: String,
        second: String,
    },
    /// Two scenarios of one name in one input (`check`, `diff` pair them by
    /// name).
    DuplicateName {
        name: String,
        first: String,
        second: String,
    },
    /// `-o` names one of the inputs.
    OutputIsInput { path: PathBuf },
    /// Standard output could not be written (a closed pipe is not an
    /// error: `| head` ends the program quietly).
    Stdout(io::Error),
    /// `check` or `diff` found a difference; the report said which.
    Changed,
    /// A scenario with warnings under `--deny-warnings` (the warnings
    /// themselves are printed before the failures).
    DeniedWarnings { origin: String, count: usize },
    /// `pivot` (or `check --pivot`) of a scenario with no site that has
    /// both strategies; printed as a scenario's error without a position.
    NothingToPivot { origin: String, error: PivotError },
    /// `explain` of a site, month or strategy the scenario does not have;
    /// printed as a scenario's error without a position.
    Explain { origin: String, error: ExplainError },
    /// `simulate` of a scenario it cannot simulate (a format-1 file);
    /// printed as a scenario's error without a position.
    Simulate {
        origin: String,
        error: SimulateError,
    },
    /// `simulate --shard` or `--merge` with several scenarios (or a
    /// folder): shards and their merge are of one scenario.
    ShardsOfOneScenario { option: &'static str },
    /// `simulate --shard` with a summary format.
    ShardFormat,
    /// `simulate --format jsonl` without `--shard`.
    RecordsWithoutShard,
    /// `simulate --fan` in a format other than CSV.
    FanFormat,
    /// `simulate --merge` given a Parquet shard.
    ParquetShard { path: String },
    /// Shard records that cannot be merged.
    Merge(MergeError),
    /// `market` (or `init --market`) could not read a figure: the
    /// endpoint and what was wrong with it.
    Market(MarketError),
}

/// A scenario's error with what it takes to point into the scenario.
#[derive(Debug)]
pub(crate) struct ScenarioFailure {
    pub(crate) origin: String,
    pub(crate) text: String,
    pub(crate) overrides: Vec<Override>,
    pub(crate) error: ScenarioError,
}

impl Failure {
    /// The exit code this failure means.
    pub(crate) fn code(&self) -> u8 {
        match self {
            Failure::Usage(e) if !e.use_stderr() => EXIT_OK,
            Failure::Stdout(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
            Failure::Changed => EXIT_CHANGED,
            _ => EXIT_INPUT,
        }
    }

    /// Prints the failure to stderr (help and version to stdout). The one
    /// print site of every error message.
    pub(crate) fn print(&self) {
        match self {
            Failure::Usage(e) => {
                let _ = e.print();
            }
            Failure::Changed => {}
            Failure::Stdout(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
            other => eprint!("{other}"),
        }
    }

    pub(crate) fn scenario(
        origin: &str,
        text: &str,
        overrides: &[Override],
        error: ScenarioError,
    ) -> Failure {
        Failure::Scenario(Box::new(ScenarioFailure {
            origin: origin.to_string(),
            text: text.to_string(),
            overrides: overrides.to_vec(),
            error,
        }))
    }
}

/// The full message, ending in a newline.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(e) => write!(f, "{e}"),
            Failure::Read { path, source } => writeln!(f, "error: cannot read {path}: {source}"),
            Failure::Stdin(e) => writeln!(f, "error: cannot read standard input: {e}"),
            Failure::Folder { path, source } => {
                writeln!(f, "error: cannot read folder {path}: {source}")
            }
            Failure::EmptyFolder { path } => {
                writeln!(
                    f,
                    "error: {path} is a folder with no scenario (*.toml) in it"
                )
            }
            Failure::FolderForSweep { path } => {
                writeln!(
                    f,
                    "error: {path} is a folder: sweep takes one scenario file"
                )
            }
            Failure::FolderForReport { path } => {
                writeln!(
                    f,
                    "error: {path} is a folder: report takes one scenario file"
                )
            }
            Failure::StdinTwice => writeln!(
                f,
                "error: - is given twice: standard input can be read only once"
            ),
            Failure::StdinForCheck => writeln!(
                f,
                "error: check compares files with their golden files: give a path, not -"
            ),
            Failure::NotUtf8 { origin, offset } => writeln!(
                f,
                "error: {origin} is not UTF-8 text (invalid byte at offset {offset})"
            ),
            Failure::Scenario(s) => f.write_str(&s.error.render_with_overrides(
                &s.origin,
                &s.text,
                &s.overrides,
            )),
            Failure::Sweep(e) => writeln!(f, "error: {e}"),
            Failure::Points {
                failed,
                total,
                listed,
            } => writeln!(
                f,
                "error: {failed} of {total} grid points could not be computed ({listed})"
            ),
            Failure::Golden { path, why } => writeln!(f, "error: {}: {why}", path.display()),
            Failure::GoldenUnreadable { path, source } => {
                writeln!(f, "error: cannot read {}: {source}", path.display())
            }
            Failure::NotJson { path, why } => {
                writeln!(f, "error: {path} is not valid JSON: {why}")
            }
            Failure::Write { path, source } => {
                writeln!(f, "error: cannot write {}: {source}", path.display())
            }
            Failure::InitExists { path } => writeln!(
                f,
                "error: {} exists: init writes only a new file, so it was not touched (give another name, or omit FILE to print the template)",
                path.display()
            ),
            Failure::SharedGolden {
                golden,
                first,
                second,
            } => writeln!(
                f,
                "error: {first} and {second} would share the golden file {}: give them different file names",
                golden.display()
            ),
            Failure::DuplicateName {
                name,
                first,
                second,
            } if first == second => writeln!(
                f,
                "error: two scenarios in {first} are named {name:?}: names must be unique to pair them"
            ),
            Failure::DuplicateName {
                name,
                first,
                second,
            } => writeln!(
                f,
                "error: {first} and {second} are both named {name:?}: names must be unique to pair them"
            ),
            Failure::OutputIsInput { path } => writeln!(
                f,
                "error: -o {} is one of the inputs: refusing to replace it with the output",
                path.display()
            ),
            Failure::Stdout(e) => writeln!(f, "error: cannot write standard output: {e}"),
            Failure::Changed => Ok(()),
            Failure::DeniedWarnings { origin, count } => writeln!(
                f,
                "error: {origin}: {count} warning{}, which --deny-warnings makes errors",
                if *count == 1 { "" } else { "s" }
            ),
            Failure::NothingToPivot { origin, error } => {
                writeln!(f, "error: {error}\n --> {origin}")
            }
            Failure::Explain { origin, error } => {
                writeln!(f, "error: {error}\n --> {origin}")
            }
            Failure::Simulate { origin, error } => {
                writeln!(f, "error: {error}\n --> {origin}")
            }
            Failure::ShardsOfOneScenario { option } => writeln!(
                f,
                "error: {option} takes one scenario file, not several or a folder: shards and their merge are of one scenario"
            ),
            Failure::ShardFormat => writeln!(
                f,
                "error: --shard needs --format csv or --format jsonl: a shard writes its paths' records for --merge, and a summary of one shard's paths is not the run's"
            ),
            Failure::ParquetShard { path } => writeln!(
                f,
                "error: {path} is a Parquet file: --merge joins shards written with --format csv or jsonl (Parquet shards are read together by DuckDB: read_parquet('part-*.parquet'))"
            ),
            Failure::FanFormat => writeln!(
                f,
                "error: --fan writes the fan as CSV (a row per site, strategy and month): give --format csv"
            ),
            Failure::RecordsWithoutShard => writeln!(
                f,
                "error: --format jsonl writes shard records: give --shard K/N too (a summary is --format table, json or csv)"
            ),
            Failure::Merge(e) => writeln!(f, "error: {e}"),
            Failure::Market(e) => writeln!(
                f,
                "error: {e}\nnothing was written: every market figure is read before any is printed"
            ),
        }
    }
}

/// Failures of single inputs that did not stop the command, and the
/// warnings of the inputs that computed.
#[derive(Debug, Default)]
pub(crate) struct Failures {
    failures: Vec<Failure>,
    /// Each rendered in full (`warning: …`, the file, line and caret), so
    /// two are the same warning exactly when their text is: the same
    /// slip in two files is two warnings, in one file met twice (a file
    /// given twice, a sweep's points) one.
    warnings: Vec<String>,
    /// `--deny-warnings`: a scenario with a warning fails.
    deny_warnings: bool,
    /// Things done that the user may not expect (a file skipped), each a
    /// full `note: …` line, printed first.
    notes: Vec<String>,
}

impl Failures {
    pub(crate) fn new(deny_warnings: bool) -> Failures {
        Failures {
            deny_warnings,
            ..Failures::default()
        }
    }

    pub(crate) fn push(&mut self, failure: Failure) {
        self.failures.push(failure);
    }

    /// Whether any failure (not a warning) was pushed.
    pub(crate) fn is_empty(&self) -> bool {
        self.failures.is_empty()
    }

    /// Keeps a note for the end (once, however often it comes).
    pub(crate) fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Keeps a computed scenario's warnings (each distinct one once) and
    /// hands back its summary; with `--deny-warnings`, a scenario with any
    /// warning is a failure instead, for the caller to push.
    pub(crate) fn admit(&mut self, evaluated: Evaluated) -> Result<Summary, Failure> {
        let count = evaluated.warnings.len();
        for warning in evaluated.warnings {
            if !self.warnings.contains(&warning) {
                self.warnings.push(warning);
            }
        }
        if self.deny_warnings && count > 0 {
            return Err(Failure::DeniedWarnings {
                origin: evaluated.origin,
                count,
            });
        }
        Ok(evaluated.summary)
    }

    /// Prints every note, every warning, then every failure, in order, and returns the
    /// highest exit code.
    pub(crate) fn finish(self) -> u8 {
        self.notes.iter().for_each(|n| eprintln!("note: {n}"));
        self.warnings.iter().for_each(|w| eprint!("{w}"));
        self.failures.iter().for_each(Failure::print);
        self.failures
            .iter()
            .map(Failure::code)
            .max()
            .unwrap_or(EXIT_OK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_error_outranks_a_difference() {
        let mut failures = Failures::default();
        assert_eq!(Failures::default().finish(), EXIT_OK);
        failures.push(Failure::Changed);
        failures.push(Failure::EmptyFolder {
            path: "empty".into(),
        });
        assert_eq!(failures.finish(), EXIT_INPUT);
        let mut failures = Failures::default();
        failures.push(Failure::Changed);
        assert_eq!(failures.finish(), EXIT_CHANGED);
    }

    #[test]
    fn warnings_are_kept_once_and_denied_on_request() {
        let text = "format = 1\nname = \"n\"\nstart = \"2026-01\"\nmonths = 1\n[bitcoin]\nprice_usd = 1\nnetwork_hashrate_ehs = 1\nblock_height = 0\n[[site]]\nname = \"s\"\ngrid_mw = 1\npower_price_usd_per_mwh = 1\n[site.ai]\nkind = \"colocation\"\nit_mw = 1\nlease_usd_per_kw_month = 1\n";
        let summary = hashpivot::evaluate(text).unwrap();
        let evaluated = |origin: &str, warnings: &[&str]| Evaluated {
            origin: origin.into(),
            summary: summary.clone(),
            warnings: warnings.iter().map(|w| w.to_string()).collect(),
        };
        let mut failures = Failures::new(false);
        assert!(failures.admit(evaluated("a", &["w1\n", "w2\n"])).is_ok());
        assert!(failures.admit(evaluated("a", &["w1\n"])).is_ok());
        assert_eq!(failures.warnings, ["w1\n", "w2\n"]);
        assert!(failures.is_empty());
        assert_eq!(failures.finish(), EXIT_OK);

        let mut failures = Failures::new(true);
        assert!(failures.admit(evaluated("a", &[])).is_ok());
        let denied = failures.admit(evaluated("b", &["w\n", "v\n"])).unwrap_err();
        assert_eq!(
            denied.to_string(),
            "error: b: 2 warnings, which --deny-warnings makes errors\n"
        );
        assert_eq!(denied.code(), EXIT_INPUT);
        assert_eq!(failures.warnings, ["w\n", "v\n"]);
    }

    #[test]
    fn a_closed_pipe_is_success() {
        let pipe = Failure::Stdout(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(pipe.code(), EXIT_OK);
        let full = Failure::Stdout(io::Error::from(io::ErrorKind::StorageFull));
        assert_eq!(full.code(), EXIT_INPUT);
    }
}
