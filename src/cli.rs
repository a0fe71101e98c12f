//! The command line: parse arguments, read scenario files, print what the
//! library computes, and map the outcome to an exit code.
//!
//! Exit codes: 0 success; 1 `check` or `diff` found a difference; 2 any
//! error: bad input, usage, I/O (it outranks 1).
//! Summaries are rendered whole and written once, so a failure never leaves
//! half an answer; sweeps stream their records in point order. A closed
//! pipe (`| head`) ends the program quietly.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use hashpivot::compare::{Report, ScenarioResult, Tolerance, Verdict, compare, summaries};
use hashpivot::exact_json::Json;
use hashpivot::golden;
use hashpivot::render::Renderer;
use hashpivot::render::csv::Csv;
use hashpivot::render::json::{Json as JsonRenderer, Jsonl};
use hashpivot::render::report as report_out;
use hashpivot::render::sweep::{self as sweep_out, Metric};
use hashpivot::render::table::Table;
use hashpivot::summary::Cache;
use hashpivot::sweep::{Axis, Grid, PointResult, Shard};
use hashpivot::{Override, Summary, evaluate_cached, evaluate_with};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
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
    /// Compute and print the summary of scenario files or folders of them.
    Run(RunArgs),
    /// Check scenarios without printing results: `ok FILE` for each good
    /// one, the full error for each bad one.
    Validate {
        /// Scenario files (TOML), folders of them, or `-` for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Evaluate one scenario over a grid of one or two varied keys.
    Sweep(SweepArgs),
    /// Compare each scenario's summary with its golden file (NAME.golden.json
    /// beside NAME.toml): exit 0 when all match, 1 when any figure moved or a
    /// golden is missing, 2 when a scenario fails to load.
    Check(CheckArgs),
    /// Compare two saved outputs of `run --format json` (objects or arrays;
    /// scenarios matched by name), with the same report and exit codes.
    Diff(DiffArgs),
}

#[derive(Debug, clap::Args)]
struct Tolerances {
    /// A figure also passes when it moved by at most X (in its own unit).
    #[arg(long = "abs", value_name = "X", value_parser = decimal_arg)]
    abs: Option<rust_decimal::Decimal>,
    /// A figure also passes when it moved by at most Y × |old| (0.001 is
    /// 0.1 %).
    #[arg(long = "rel", value_name = "Y", value_parser = decimal_arg)]
    rel: Option<rust_decimal::Decimal>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

fn decimal_arg(text: &str) -> Result<rust_decimal::Decimal, String> {
    hashpivot::scenario::literal::parse_decimal(text)
        .ok()
        .filter(|d| !d.is_sign_negative())
        .ok_or_else(|| format!("{text:?} is not a decimal number ≥ 0"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// One line per moved figure, then a summary line.
    Text,
    /// The same report as JSON, for CI annotations.
    Json,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Scenario files (TOML) or folders of them.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Keep golden files in DIR (as DIR/NAME.golden.json) instead of beside
    /// each scenario.
    #[arg(long, value_name = "DIR")]
    golden_dir: Option<PathBuf>,
    /// Rewrite the golden files (atomically) and print what changed; a
    /// scenario that fails to load keeps its golden untouched.
    #[arg(long)]
    update: bool,
    #[command(flatten)]
    tolerances: Tolerances,
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The earlier output (`run --format json`, or a golden file).
    #[arg(value_name = "OLD.json")]
    old: String,
    /// The later output.
    #[arg(value_name = "NEW.json")]
    new: String,
    #[command(flatten)]
    tolerances: Tolerances,
}

#[derive(Debug, clap::Args)]
struct Overrides {
    /// Change one value before the checks, e.g. `--set bitcoin.price_usd=120000`
    /// or `--set site[North].ai.lease_usd_per_kw_month=140` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = Override::parse)]
    set: Vec<Override>,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Scenario files (TOML), folders (their `*.toml`, in name order), or
    /// `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    #[command(flatten)]
    overrides: Overrides,
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
    /// One summary JSON object per line, whatever the count.
    Jsonl,
    /// One row per site and strategy, one header for every file.
    Csv,
}

#[derive(Debug, clap::Args)]
struct SweepArgs {
    /// The scenario file (TOML) to sweep, or `-` for standard input.
    #[arg(value_name = "FILE")]
    file: String,
    /// A varied key: `KEY=FROM..TO:N` (N evenly spaced points) or
    /// `KEY=V1,V2,…`. The first gives the rows, a second the columns.
    #[arg(long, required = true, value_name = "KEY=VALUES", value_parser = Axis::parse)]
    vary: Vec<Axis>,
    #[command(flatten)]
    overrides: Overrides,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    format: SweepFormat,
    /// What each table cell shows.
    #[arg(long, value_enum, default_value_t = MetricArg::Advantage)]
    metric: MetricArg,
    /// Compute only the points i with i mod N = K − 1 (for spreading a grid
    /// over machines; the shards' CSV bodies together are the whole grid).
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    shard: Option<Shard>,
    /// Write the output to FILE instead of stdout: atomically, and only when
    /// every point succeeds.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SweepFormat {
    /// The winner map per site, with where the winner flips.
    Table,
    /// One row per grid point and site.
    Csv,
    /// One JSON object per grid point and site.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MetricArg {
    Advantage,
    MineNpv,
    AiNpv,
    MineIrr,
    AiIrr,
    MinePayback,
    AiPayback,
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
        Command::Validate { paths, overrides } => validate(&paths, &overrides.set),
        Command::Sweep(args) => sweep(&args),
        Command::Check(args) => check(&args),
        Command::Diff(args) => diff(&args),
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

/// A scenario's text and the name messages use for it.
struct Source {
    origin: String,
    text: String,
}

/// One input: the path it came from, and its text or why it has none.
type Input = (String, Result<Source, String>);

/// The scenarios the paths name, in order: a folder gives its `*.toml`
/// files in name order. A path that cannot be read is an `Err` with its
/// rendered message, in its place.
fn sources(paths: &[String]) -> (Vec<Input>, bool) {
    let mut out = Vec::new();
    let mut any_folder = false;
    for path in paths {
        let p = Path::new(path);
        if path != "-" && p.is_dir() {
            any_folder = true;
            match folder_scenarios(p) {
                Ok(files) if files.is_empty() => out.push((
                    path.clone(),
                    Err(format!(
                        "error: {path} is a folder with no scenario (*.toml) in it\n"
                    )),
                )),
                Ok(files) => out.extend(files.iter().map(|f| {
                    let file = f.to_string_lossy().into_owned();
                    let source = read_source(&file);
                    (file, source)
                })),
                Err(e) => out.push((
                    path.clone(),
                    Err(format!("error: cannot read folder {path}: {e}\n")),
                )),
            }
        } else {
            out.push((path.clone(), read_source(path)));
        }
    }
    (out, any_folder)
}

fn folder_scenarios(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

fn read_source(path: &str) -> Result<Source, String> {
    let (origin, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("error: cannot read standard input: {e}\n"))?;
        ("<stdin>".to_string(), bytes)
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("error: cannot read {path}: {e}\n"))?;
        (path.to_string(), bytes)
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "error: {origin} is not UTF-8 text (invalid byte at offset {})\n",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(Source { origin, text })
}

/// Evaluates a source with overrides; `Err` holds the rendered message.
fn evaluate_source(source: &Source, overrides: &[Override]) -> Result<Summary, String> {
    evaluate_with(&source.text, overrides)
        .map_err(|e| e.render_with_overrides(&source.origin, &source.text, overrides))
}

/// `f` over `items` on every core, results in the items' order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let done: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, r) in done.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
}

fn run_scenarios(args: &RunArgs) -> anyhow::Result<u8> {
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

fn validate(paths: &[String], overrides: &[Override]) -> anyhow::Result<u8> {
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

/// Points evaluated at once (in parallel) before their records are written.
const SWEEP_CHUNK: usize = 256;

fn sweep(args: &SweepArgs) -> anyhow::Result<u8> {
    if args.file != "-" && Path::new(&args.file).is_dir() {
        eprintln!(
            "error: {} is a folder: sweep takes one scenario file",
            args.file
        );
        return Ok(EXIT_INPUT);
    }
    let source = match read_source(&args.file) {
        Ok(s) => s,
        Err(message) => {
            eprint!("{message}");
            return Ok(EXIT_INPUT);
        }
    };
    let grid = match Grid::new(args.vary.clone()) {
        Ok(g) => g,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(EXIT_INPUT);
        }
    };
    // The scenario itself, with the fixed overrides, must be valid: an
    // error there is the same at every point.
    let fixed = &args.overrides.set;
    let base = match evaluate_source(&source, fixed) {
        Ok(s) => s,
        Err(message) => {
            eprint!("{message}");
            return Ok(EXIT_INPUT);
        }
    };
    let shard = args.shard.unwrap_or_default();
    let points: Vec<usize> = (0..grid.len()).filter(|&i| shard.includes(i)).collect();
    let cache = Cache::new();
    let evaluate = |&i: &usize| {
        let overrides = grid.overrides(fixed, i);
        let summary =
            evaluate_cached(&source.text, &overrides, Some(&cache)).map_err(|e| e.to_string());
        PointResult::new(&grid, i, summary)
    };
    let mut failures = 0usize;
    let write = |w: &mut dyn Write, failures: &mut usize| -> io::Result<()> {
        match args.format {
            SweepFormat::Table => {
                let results: Vec<PointResult> = parallel_map(&points, evaluate);
                *failures = results.iter().filter(|r| r.outcome.is_err()).count();
                let color = use_color(args.output.is_some());
                let metric = match args.metric {
                    MetricArg::Advantage => Metric::Advantage,
                    MetricArg::MineNpv => Metric::MineNpv,
                    MetricArg::AiNpv => Metric::AiNpv,
                    MetricArg::MineIrr => Metric::MineIrr,
                    MetricArg::AiIrr => Metric::AiIrr,
                    MetricArg::MinePayback => Metric::MinePayback,
                    MetricArg::AiPayback => Metric::AiPayback,
                };
                let text = sweep_out::table(&base.scenario, &grid, &results, metric, color);
                w.write_all(text.as_bytes())
            }
            SweepFormat::Csv | SweepFormat::Jsonl => {
                if args.format == SweepFormat::Csv {
                    w.write_all(sweep_out::csv_header(&grid).as_bytes())?;
                }
                for chunk in points.chunks(SWEEP_CHUNK) {
                    for result in parallel_map(chunk, evaluate) {
                        if result.outcome.is_err() {
                            *failures += 1;
                        }
                        let text = match args.format {
                            SweepFormat::Csv => sweep_out::csv_rows(&result),
                            _ => sweep_out::jsonl_rows(&grid, &result),
                        };
                        w.write_all(text.as_bytes())?;
                    }
                }
                Ok(())
            }
        }
    };
    match &args.output {
        Some(path) => {
            let mut buffer = Vec::new();
            write(&mut buffer, &mut failures)?;
            if failures == 0 {
                write_atomically(path, |w| w.write_all(&buffer))?;
            }
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out, &mut failures)?;
            out.flush()?;
        }
    }
    if failures > 0 {
        eprintln!(
            "error: {failures} of {} grid points could not be computed (see the error column)",
            points.len()
        );
        return Ok(EXIT_INPUT);
    }
    Ok(EXIT_OK)
}

/// The golden file of a scenario file: `NAME.golden.json` beside it, or in
/// `dir`.
fn golden_path(scenario: &str, dir: Option<&Path>) -> PathBuf {
    let path = Path::new(scenario);
    let stem = path
        .file_stem()
        .map_or_else(|| scenario.into(), |s| s.to_string_lossy());
    let name = format!("{stem}.golden.json");
    match dir {
        Some(d) => d.join(name),
        None => path.with_file_name(name),
    }
}

fn tolerance(t: &Tolerances) -> Tolerance {
    Tolerance {
        abs: t.abs,
        rel: t.rel,
    }
}

fn print_report(report: &Report, format: ReportFormat) -> anyhow::Result<u8> {
    let bytes = match format {
        ReportFormat::Text => report_out::text(report).into_bytes(),
        ReportFormat::Json => report_out::json(report),
    };
    write_stdout(&bytes)?;
    Ok(report.exit_code())
}

fn check(args: &CheckArgs) -> anyhow::Result<u8> {
    let (inputs, _) = sources(&args.paths);
    let summaries = parallel_map(&inputs, |(path, input)| match input {
        Ok(_) if path == "-" => Err(
            "error: check compares files with their golden files: give a path, not -\n".to_string(),
        ),
        Ok(source) => evaluate_source(source, &[]),
        Err(message) => Err(message.clone()),
    });
    let tolerance = tolerance(&args.tolerances);
    let mut report = Report::default();
    for ((path, _), summary) in inputs.iter().zip(summaries) {
        let summary = match summary {
            Ok(s) => s,
            Err(message) => {
                eprint!("{message}");
                report.errors.push((path.clone(), message));
                continue;
            }
        };
        let golden = golden_path(path, args.golden_dir.as_deref());
        let current = Json::parse(&String::from_utf8_lossy(
            &JsonRenderer::default().render(std::slice::from_ref(&summary), false),
        ))?;
        let stored = match std::fs::read_to_string(&golden) {
            Ok(text) => match golden::read(&text) {
                Ok(json) => Some(json),
                Err(why) if args.update => {
                    eprintln!("note: replacing {}: {why}", golden.display());
                    None
                }
                Err(why) => {
                    let message = format!("error: {}: {why}\n", golden.display());
                    eprint!("{message}");
                    report.errors.push((golden.display().to_string(), message));
                    continue;
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => {
                let message = format!("error: cannot read {}: {e}\n", golden.display());
                eprint!("{message}");
                report.errors.push((golden.display().to_string(), message));
                continue;
            }
        };
        let findings = stored
            .as_ref()
            .map(|old| compare(old, &current, &tolerance));
        let verdict = if args.update {
            write_atomically(&golden, |w| w.write_all(&golden::write(&summary)))?;
            Verdict::Updated(findings.unwrap_or_default())
        } else {
            match findings {
                None => Verdict::MissingGolden(golden.display().to_string()),
                Some(f) if f.is_empty() => Verdict::Same,
                Some(f) => Verdict::Changed(f),
            }
        };
        report.results.push(ScenarioResult {
            scenario: summary.scenario.clone(),
            verdict,
        });
    }
    print_report(&report, args.tolerances.format)
}

fn diff(args: &DiffArgs) -> anyhow::Result<u8> {
    let mut report = Report::default();
    let read = |path: &str, report: &mut Report| -> Option<Json> {
        let text = match read_source(path) {
            Ok(s) => s.text,
            Err(message) => {
                eprint!("{message}");
                report.errors.push((path.to_string(), message));
                return None;
            }
        };
        match Json::parse(&text) {
            Ok(j) => Some(j),
            Err(e) => {
                let message = format!("error: {path} is not valid JSON: {e}\n");
                eprint!("{message}");
                report.errors.push((path.to_string(), message));
                None
            }
        }
    };
    let (old, new) = (read(&args.old, &mut report), read(&args.new, &mut report));
    let (Some(old), Some(new)) = (old, new) else {
        return print_report(&report, args.tolerances.format);
    };
    let tolerance = tolerance(&args.tolerances);
    let (old, new) = (summaries(&old), summaries(&new));
    for (name, before) in &old {
        let verdict = match new.iter().find(|(n, _)| n == name) {
            Some((_, after)) => match compare(before, after, &tolerance) {
                f if f.is_empty() => Verdict::Same,
                f => Verdict::Changed(f),
            },
            None => Verdict::Vanished,
        };
        report.results.push(ScenarioResult {
            scenario: name.clone(),
            verdict,
        });
    }
    for (name, _) in &new {
        if !old.iter().any(|(n, _)| n == name) {
            report.results.push(ScenarioResult {
                scenario: name.clone(),
                verdict: Verdict::Appeared,
            });
        }
    }
    print_report(&report, args.tolerances.format)
}

/// Colour for stdout: only on a terminal, never into a file (`-o`), and
/// never when `NO_COLOR` is set to anything but the empty string
/// (no-color.org).
fn use_color(to_file: bool) -> bool {
    color_wanted(
        to_file,
        io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

fn color_wanted(to_file: bool, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    !to_file && terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Writes through `fill` to a temporary file beside `path`, then renames it
/// over `path`: readers see the old file or the new one, never half of one.
fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<std::fs::File>) -> io::Result<()>,
) -> anyhow::Result<()> {
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
    let result = std::fs::File::create(&temp)
        .and_then(|file| {
            let mut w = BufWriter::new(file);
            fill(&mut w)?;
            w.flush()
        })
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(color_wanted(false, true, None));
        assert!(color_wanted(false, true, Some(OsStr::new(""))));
        assert!(!color_wanted(false, true, Some(OsStr::new("1"))));
        assert!(!color_wanted(false, false, None));
        assert!(!color_wanted(true, true, None));
    }

    #[test]
    fn goldens_sit_beside_their_scenario_or_in_a_folder() {
        assert_eq!(
            golden_path("scenarios/lake.toml", None),
            PathBuf::from("scenarios/lake.golden.json")
        );
        assert_eq!(
            golden_path("scenarios/lake.toml", Some(Path::new("goldens"))),
            PathBuf::from("goldens/lake.golden.json")
        );
    }
}
