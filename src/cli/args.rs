//! The command line's arguments (clap derive).

use clap::{Parser, Subcommand, ValueEnum};
use hashpivot::Override;
use hashpivot::render::sweep::Metric;
use hashpivot::sweep::{Axis, Shard};
use std::path::PathBuf;

/// Keep mining, or convert to AI hosting? Projects both futures of every
/// site in a scenario, month by month, and reports NPV, IRR, payback,
/// breakevens and the winner.
#[derive(Debug, Parser)]
#[command(name = "hashpivot", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Treat warnings (values that are probably unit slips, such as a power
    /// price of 0.045 USD/MWh) as errors: exit 2, a scenario with one is not
    /// printed, and no -o file is written.
    #[arg(long, global = true)]
    pub(crate) deny_warnings: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
    /// When to convert: for each site with both strategies, the NPV of
    /// converting in each start month, the best start, and whether it beats
    /// never converting.
    Pivot(PivotArgs),
    /// Evaluate one scenario over a grid of one or two varied keys.
    Sweep(SweepArgs),
    /// Risk: draw many futures around a format-2 scenario's stated paths
    /// ([risk]) and report each strategy's NPV distribution and how often
    /// converting beats mining.
    Simulate(SimulateArgs),
    /// Compare each scenario's summary with its golden file (NAME.golden.json
    /// beside NAME.toml): exit 0 when all match, 1 when any figure moved or a
    /// golden is missing, 2 when a scenario fails to load.
    Check(CheckArgs),
    /// Compare two saved outputs of `run --format json` (objects or arrays;
    /// scenarios matched by name), with the same report and exit codes.
    Diff(DiffArgs),
    /// One self-contained HTML file (inline SVG charts, no script, no
    /// external reference) with the verdicts, the figures of `run`, the
    /// cumulative cash, hashprice and pivot charts per site, the risk fan
    /// and histogram when the file has [risk], and a winner map with --vary.
    Report(ReportArgs),
    /// Write a commented format-2 scenario template to start from: one
    /// site with both strategies, every key with its unit and default.
    Init(InitArgs),
    /// Print today's block height, network hashrate, fees per block and BTC
    /// price as the [bitcoin] table of a scenario starting next month, read
    /// from a mempool-compatible API, each with its endpoint and time.
    Market(MarketArgs),
    /// Print the JSON Schema of scenario files (formats 1 and 2), for
    /// editors that complete and check TOML keys.
    Schema,
    /// Every intermediate figure of one month of one site and strategy,
    /// each with the docs/model.md section it comes from.
    Explain(ExplainArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of hashpivot.
    Man,
}

#[derive(Debug, clap::Args)]
pub(crate) struct InitArgs {
    /// The file to write (refused if it exists); standard output without it.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
    /// What the AI plan sells.
    #[arg(long, value_enum, default_value_t = InitKind::Colocation)]
    pub(crate) kind: InitKind,
    /// How many sites (each with both strategies).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub(crate) sites: u32,
    /// Put today's market figures in the template (start, block_height,
    /// network_hashrate_ehs, fees_btc_per_block, price_usd), read as
    /// `hashpivot market` reads them.
    #[arg(long)]
    pub(crate) market: bool,
    #[command(flatten)]
    pub(crate) source: MarketSource,
}

#[derive(Debug, clap::Args)]
pub(crate) struct MarketArgs {
    #[command(flatten)]
    pub(crate) source: MarketSource,
}

/// Where and how long `market` (and `init --market`) reads.
#[derive(Debug, clap::Args)]
pub(crate) struct MarketSource {
    /// The base URL of a mempool-compatible API (its /api/... endpoints);
    /// for init, used with --market.
    #[arg(long, value_name = "URL", default_value = super::market::DEFAULT_API)]
    pub(crate) api: String,
    /// Seconds to wait for each reply before giving up (1 to 600).
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub(crate) timeout: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InitKind {
    /// Lease power and space to an AI tenant, USD per kW-month.
    Colocation,
    /// Run a GPU cloud, USD per GPU-hour.
    #[value(name = "gpu_cloud")]
    GpuCloud,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExplainArgs {
    /// The scenario file (TOML), or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub(crate) file: String,
    /// The site (its name, or its index from 0); may be left out when the
    /// file has one site.
    #[arg(long, value_name = "NAME")]
    pub(crate) site: Option<String>,
    /// The month (YYYY-MM), inside the horizon.
    #[arg(long, value_name = "YYYY-MM")]
    pub(crate) month: String,
    /// The strategy (default: every strategy the site has).
    #[arg(long, value_enum)]
    pub(crate) strategy: Option<ExplainStrategy>,
    #[command(flatten)]
    pub(crate) overrides: Overrides,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Table)]
    pub(crate) format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExplainStrategy {
    Mine,
    Ai,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExplainFormat {
    /// Sections of figures with their rule, for a reader.
    Table,
    /// The same as one JSON object.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Tolerances {
    /// A figure also passes when it moved by at most X (in its own unit).
    #[arg(long = "abs", value_name = "X", value_parser = decimal_arg)]
    pub(crate) abs: Option<rust_decimal::Decimal>,
    /// A figure also passes when it moved by at most Y × |old| (0.001 is
    /// 0.1 %).
    #[arg(long = "rel", value_name = "Y", value_parser = decimal_arg)]
    pub(crate) rel: Option<rust_decimal::Decimal>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,
}

pub(crate) fn decimal_arg(text: &str) -> Result<rust_decimal::Decimal, String> {
    hashpivot::scenario::literal::parse_decimal(text)
        .ok()
        .filter(|d| !d.is_sign_negative())
        .ok_or_else(|| format!("{text:?} is not a decimal number ≥ 0"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// One line per moved figure, then a summary line.
    Text,
    /// The same report as JSON, for CI annotations.
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Scenario files (TOML) or folders of them.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<String>,
    /// Keep golden files in DIR (as DIR/NAME.golden.json) instead of beside
    /// each scenario.
    #[arg(long, value_name = "DIR")]
    pub(crate) golden_dir: Option<PathBuf>,
    /// Rewrite the golden files (atomically) and print what changed; a
    /// scenario that fails to load keeps its golden untouched.
    #[arg(long)]
    pub(crate) update: bool,
    /// Compare each scenario's pivot (`pivot --format json`) with its pivot
    /// golden (NAME.pivot.golden.json) instead; a scenario with no site that
    /// has both strategies, and no pivot golden, is skipped with a note.
    #[arg(long)]
    pub(crate) pivot: bool,
    /// Compare each format-2 scenario's HTML report (`report`, default
    /// options) with its shipped example (NAME.report.html) byte for byte
    /// instead; format-1 scenarios are skipped with a note.
    #[arg(long, conflicts_with = "pivot")]
    pub(crate) report: bool,
    #[command(flatten)]
    pub(crate) tolerances: Tolerances,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The earlier output (`run --format json`, or a golden file).
    #[arg(value_name = "OLD.json")]
    pub(crate) old: String,
    /// The later output.
    #[arg(value_name = "NEW.json")]
    pub(crate) new: String,
    #[command(flatten)]
    pub(crate) tolerances: Tolerances,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Overrides {
    /// Change one value before the checks, e.g. `--set bitcoin.price_usd=120000`
    /// or `--set site[North].ai.lease_usd_per_kw_month=140` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = Override::parse)]
    pub(crate) set: Vec<Override>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Scenario files (TOML), folders (their `*.toml`, in name order), or
    /// `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<String>,
    #[command(flatten)]
    pub(crate) overrides: Overrides,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// Add the month-by-month cash flows of every site and strategy (in CSV,
    /// print only those rows).
    #[arg(long)]
    pub(crate) monthly: bool,
    /// Write the output to FILE instead of stdout: atomically, and only when
    /// every scenario succeeds (a failed run leaves FILE as it was).
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Draw each site's cumulative cash of both strategies under its table
    /// (a line chart in 80 columns, the crossover month marked).
    #[arg(long)]
    pub(crate) chart: bool,
    /// With --chart: draw with ASCII characters only (no braille or
    /// block characters).
    #[arg(long, requires = "chart")]
    pub(crate) ascii: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// The scenario file (TOML), or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub(crate) file: String,
    #[command(flatten)]
    pub(crate) overrides: Overrides,
    /// The HTML file to write (atomically).
    #[arg(short, long, value_name = "FILE", required = true)]
    pub(crate) output: PathBuf,
    /// Paths for the risk section (1 to 10,000,000); wins over [risk] paths.
    #[arg(long = "paths", value_name = "N", value_parser = paths_arg)]
    pub(crate) paths: Option<u64>,
    /// Seed for the risk section; wins over [risk] seed.
    #[arg(long, value_name = "S", value_parser = seed_arg)]
    pub(crate) seed: Option<u64>,
    /// A varied key, as `sweep` takes it (`KEY=FROM..TO:N` or
    /// `KEY=V1,V2,…`; one or two): adds the winner map per site.
    #[arg(long, value_name = "KEY=VALUES", value_parser = Axis::parse)]
    pub(crate) vary: Vec<Axis>,
    /// Print the time the report was made in its footer (without it the
    /// same inputs give a byte-identical file).
    #[arg(long)]
    pub(crate) timestamp: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct PivotArgs {
    /// Scenario files (TOML), folders (their `*.toml`, in name order), or
    /// `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<String>,
    #[command(flatten)]
    pub(crate) overrides: Overrides,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PivotFormat::Table)]
    pub(crate) format: PivotFormat,
    /// Write the output to FILE instead of stdout: atomically, and only when
    /// every scenario succeeds (a failed run leaves FILE as it was).
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PivotFormat {
    /// Per site the verdict, the figures behind it and a chart of the NPV
    /// by start month.
    Table,
    /// The pivot JSON: an object for one file, an array for several.
    Json,
    /// One row per site and start month, one header for every file.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A readable table per site: both futures side by side, and the winner.
    Table,
    /// The summary JSON: an object for one file, an array for several.
    Json,
    /// One summary JSON object per line, whatever the count.
    Jsonl,
    /// One row per site and strategy, one header for every file.
    Csv,
    /// The CSV's rows as Parquet, money and rates as exact DECIMAL columns
    /// (needs -o FILE).
    Parquet,
}

#[derive(Debug, clap::Args)]
pub(crate) struct SweepArgs {
    /// The scenario file (TOML) to sweep, or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub(crate) file: String,
    /// A varied key: `KEY=FROM..TO:N` (N evenly spaced points) or
    /// `KEY=V1,V2,…`. The first gives the rows, a second the columns.
    #[arg(long, required = true, value_name = "KEY=VALUES", value_parser = Axis::parse)]
    pub(crate) vary: Vec<Axis>,
    #[command(flatten)]
    pub(crate) overrides: Overrides,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    pub(crate) format: SweepFormat,
    /// What each table cell shows.
    #[arg(long, value_enum, default_value_t = Metric::Advantage)]
    pub(crate) metric: Metric,
    /// Compute only the points i with i mod N = K − 1 (for spreading a grid
    /// over machines; the shards' CSV bodies together are the whole grid).
    /// CSV, JSON Lines and Parquet only.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub(crate) shard: Option<Shard>,
    /// Write the output to FILE instead of stdout, atomically. Points that
    /// could not be computed are in it too (with their messages); the exit
    /// code is then 2.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SweepFormat {
    /// The winner map per site, with where the winner flips.
    Table,
    /// One row per grid point and site.
    Csv,
    /// One JSON object per grid point and site.
    Jsonl,
    /// The CSV's records as Parquet, money as exact DECIMAL columns (needs
    /// -o FILE).
    Parquet,
}

#[derive(Debug, clap::Args)]
pub(crate) struct SimulateArgs {
    /// Scenario files (TOML, format 2), folders (their `*.toml`, in name
    /// order), or `-` for standard input. With --shard or --merge, one file.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) files: Vec<String>,
    /// Number of paths (1 to 10,000,000); wins over [risk] paths.
    #[arg(long = "paths", value_name = "N", value_parser = paths_arg)]
    pub(crate) paths: Option<u64>,
    /// Seed (a whole number ≥ 0); wins over [risk] seed.
    #[arg(long, value_name = "S", value_parser = seed_arg)]
    pub(crate) seed: Option<u64>,
    #[command(flatten)]
    pub(crate) overrides: Overrides,
    /// Threads to compute paths on (default: one a core); the output is
    /// the same whatever the count.
    #[arg(long, value_name = "N", value_parser = threads_arg)]
    pub(crate) threads: Option<usize>,
    /// Output format (jsonl: shard records only).
    #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
    pub(crate) format: SimulateFormat,
    /// Print the fan instead of the statistics: per site, strategy and
    /// month the P5/P25/P50/P75/P95 of the cumulative cash over the first
    /// min(paths, 2000) paths (with --format csv).
    #[arg(long, conflicts_with_all = ["shard", "merge"])]
    pub(crate) fan: bool,
    /// Compute only the paths k with k mod N = K − 1 and write their
    /// records (--format csv or jsonl, for --merge to join; or parquet).
    #[arg(long, value_name = "K/N", value_parser = Shard::parse, conflicts_with = "merge")]
    pub(crate) shard: Option<Shard>,
    /// Join shard record files (CSV or JSON Lines, from --shard) of the
    /// scenario given and print the run's summary: every path exactly once.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with = "shard")]
    pub(crate) merge: Option<Vec<String>>,
    /// Write the output to FILE instead of stdout: atomically, and only when
    /// every scenario succeeds (a failed run leaves FILE as it was).
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SimulateFormat {
    /// Per site each strategy's NPV distribution, and a histogram of the
    /// advantage of converting.
    Table,
    /// The simulate JSON: an object for one file, an array for several.
    Json,
    /// One row per site and strategy (or, with --shard, one record per
    /// path and site).
    Csv,
    /// With --shard: one JSON record per path and site.
    Jsonl,
    /// With --shard: the records as Parquet, NPVs as DECIMAL(38, 20)
    /// (needs -o FILE).
    Parquet,
}

/// `--paths`: the rule of `[risk] paths`.
fn paths_arg(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .ok()
        .filter(|n| (1..=10_000_000).contains(n))
        .ok_or_else(|| "needs 1 ≤ paths ≤ 10000000, a whole number".to_string())
}

/// `--seed`: the rule of `[risk] seed`.
fn seed_arg(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .map_err(|_| "needs seed ≥ 0, a whole number below 2^64".to_string())
}

fn threads_arg(text: &str) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| "needs a whole number of threads ≥ 1".to_string())
}
