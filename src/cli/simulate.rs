//! `simulate`: the distribution of each strategy's NPV over many futures
//! (docs/model.md, "Uncertainty: `simulate`"); with `--shard`, one
//! shard's per-path records; with `--merge`, the shards joined back into
//! the run's summary.

use super::args::{SimulateArgs, SimulateFormat};
use super::failure::{Failure, Failures};
use super::input::{
    Evaluated, Source, display_name, evaluate, evaluate_all_then, read_source, sources,
};
use super::output::{deliver, refuse_overwriting_input, use_color, write_atomically_if};
use hashpivot::records::{self, Identity, Merge, Paths};
use hashpivot::render::simulate::{self as simulate_out, Answer, Histogram};
use hashpivot::simulate::{
    PathRecord, Settings, SimulateError, Simulation, fan, paths_on, statistics,
};
use hashpivot::sweep::Shard;
use hashpivot::{Error as ScenarioError, Override, Summary};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// A simulate error as the command's failure (`simulate`'s and
/// `report`'s): a format-1 file names the file; an overflow is reported
/// as the scenario's.
pub(crate) fn failure(source: &Source, overrides: &[Override], error: SimulateError) -> Failure {
    match error {
        SimulateError::Overflow(e) => Failure::scenario(
            &source.origin,
            &source.text,
            overrides,
            ScenarioError::Overflow(e),
        ),
        error @ SimulateError::Format1 { .. } => Failure::Simulate {
            origin: source.origin.clone(),
            error,
        },
    }
}

/// A format-1 scenario is refused before any path is drawn (and before
/// its warnings are kept, as `pivot` refuses a file it cannot pivot).
fn refuse_format_1(source: &Source, evaluated: &Evaluated) -> Result<(), Failure> {
    if evaluated.summary.inputs.format2.is_none() {
        return Err(Failure::Simulate {
            origin: source.origin.clone(),
            error: SimulateError::Format1 {
                scenario: evaluated.summary.inputs.name.clone(),
            },
        });
    }
    Ok(())
}

/// One scenario's result: its run, its simulation and, for the table,
/// each site's histogram of the advantage.
struct Simulated {
    summary: Summary,
    simulation: Simulation,
    histograms: Vec<Option<Histogram>>,
}

/// The statistics (and the table's histograms) of every path's records.
fn summarise(
    source: &Source,
    args: &SimulateArgs,
    summary: Summary,
    settings: &Settings,
    records: &[PathRecord],
) -> Result<Simulated, Failure> {
    let simulation = statistics(&summary.inputs, settings, records)
        .map_err(|e| failure(source, &args.overrides.set, SimulateError::Overflow(e)))?;
    let histograms = match args.format {
        SimulateFormat::Table => simulate_out::histograms(records, &simulation),
        _ => Vec::new(),
    };
    Ok(Simulated {
        summary,
        simulation,
        histograms,
    })
}

pub(crate) fn simulate(args: &SimulateArgs, failures: &mut Failures) -> Result<(), Failure> {
    let one_file =
        args.files.len() == 1 && (args.files[0] == "-" || !Path::new(&args.files[0]).is_dir());
    match (args.shard, &args.merge, args.format) {
        (Some(_), _, _) if !one_file => {
            return Err(Failure::ShardsOfOneScenario { option: "--shard" });
        }
        (_, Some(_), _) if !one_file => {
            return Err(Failure::ShardsOfOneScenario { option: "--merge" });
        }
        (Some(_), _, SimulateFormat::Table | SimulateFormat::Json) => {
            return Err(Failure::ShardFormat);
        }
        (None, _, SimulateFormat::Jsonl) if !args.fan => {
            return Err(Failure::RecordsWithoutShard);
        }
        (None, _, SimulateFormat::Parquet) if !args.fan => {
            return Err(super::run::usage(
                "simulate",
                clap::error::ErrorKind::MissingRequiredArgument,
                "--format parquet writes shard records: give --shard K/N too (a summary is --format table, json or csv)".to_string(),
            ));
        }
        (_, _, format) if args.fan && format != SimulateFormat::Csv => {
            return Err(Failure::FanFormat);
        }
        _ => {}
    }
    if args.format == SimulateFormat::Parquet {
        super::run::parquet_usable(args.output.is_some(), "simulate")?;
    }
    if let Some(output) = &args.output {
        let merged = args.merge.iter().flatten();
        refuse_overwriting_input(output, args.files.iter().chain(merged).map(String::as_str))?;
    }
    if let Some(shard) = args.shard {
        return write_shard(args, shard, failures);
    }
    if let Some(files) = &args.merge {
        return merge(args, files, failures);
    }
    if args.fan {
        return write_fans(args, failures);
    }
    let (answers, files, any_folder, total) =
        each_file(args, failures, |source, summary, settings| {
            let records = paths_on(args.threads, &summary.inputs, &settings, 0..settings.paths)
                .map_err(|e| failure(source, &args.overrides.set, e))?;
            summarise(source, args, summary, &settings, &records)
        });
    let bytes = render(args, &answers, &files, args.files.len() > 1 || any_folder);
    deliver(
        args.output.as_deref(),
        &bytes,
        answers.len(),
        total,
        failures,
    )
}

/// `--fan`: each file's fans (docs/model.md, "The fan") as CSV.
fn write_fans(args: &SimulateArgs, failures: &mut Failures) -> Result<(), Failure> {
    let (answers, files, _, total) = each_file(args, failures, |source, summary, settings| {
        let fans = fan(&summary.inputs, &settings, args.threads)
            .map_err(|e| failure(source, &args.overrides.set, e))?;
        Ok(simulate_out::Fanned {
            summary,
            settings,
            fans,
        })
    });
    let bytes = simulate_out::fan_csv(&answers, &files);
    deliver(
        args.output.as_deref(),
        &bytes,
        answers.len(),
        total,
        failures,
    )
}

/// `answer(source, summary, settings)` of each file of `args` (read and
/// run on every core, format 1 refused), in turn; a file that fails is a
/// failure and the others go on. Returns the answers, their files' names,
/// whether a folder was given, and how many files there were.
fn each_file<T>(
    args: &SimulateArgs,
    failures: &mut Failures,
    answer: impl Fn(&Source, Summary, Settings) -> Result<T, Failure>,
) -> (Vec<T>, Vec<String>, bool, usize) {
    let (inputs, any_folder) = sources(&args.files, failures);
    let total = inputs.len();
    let results = evaluate_all_then(inputs, &args.overrides.set, |source, evaluated| {
        refuse_format_1(source, &evaluated)?;
        Ok((source.clone(), evaluated))
    });
    let mut answers = Vec::with_capacity(total);
    let mut files = Vec::with_capacity(total);
    for (path, result) in results {
        let answered = result.and_then(|(source, evaluated)| {
            let summary = failures.admit(evaluated)?;
            let settings = Settings::of(&summary.inputs, args.paths, args.seed);
            answer(&source, summary, settings)
        });
        match answered {
            Ok(a) => {
                answers.push(a);
                files.push(display_name(&path).to_string());
            }
            Err(failure) => failures.push(failure),
        }
    }
    (answers, files, any_folder, total)
}

/// The summary in the format asked for.
fn render(args: &SimulateArgs, answers: &[Simulated], files: &[String], as_list: bool) -> Vec<u8> {
    match args.format {
        SimulateFormat::Table => {
            let tables: Vec<Answer> = answers
                .iter()
                .map(|a| Answer {
                    summary: &a.summary,
                    simulation: &a.simulation,
                    histograms: &a.histograms,
                })
                .collect();
            simulate_out::table(&tables, use_color(args.output.is_some()))
        }
        SimulateFormat::Json => {
            let sims: Vec<&Simulation> = answers.iter().map(|a| &a.simulation).collect();
            simulate_out::json(&sims, as_list)
        }
        // (jsonl is refused without --shard, before anything is computed.)
        SimulateFormat::Csv | SimulateFormat::Jsonl | SimulateFormat::Parquet => {
            let pairs: Vec<(&Summary, &Simulation)> = answers
                .iter()
                .map(|a| (&a.summary, &a.simulation))
                .collect();
            simulate_out::csv(&pairs, files)
        }
    }
}

/// The one scenario of `--shard` or `--merge`, read, run and checked.
fn one_scenario(
    args: &SimulateArgs,
    failures: &mut Failures,
) -> Result<(Source, Summary), Failure> {
    let source = read_source(&args.files[0])?;
    let evaluated = evaluate(&source, &args.overrides.set)?;
    refuse_format_1(&source, &evaluated)?;
    let summary = failures.admit(evaluated)?;
    Ok((source, summary))
}

/// Paths a shard computes at a time: its records are written batch by
/// batch, so memory stays flat however many paths it has.
const BATCH: usize = 4096;

/// `write(record)` for the record of each path of `shard` (of `count`),
/// in path order, computed a batch at a time. `Ok(false)` when a path
/// could not be computed: its error is kept in `computed` and the output
/// is to be abandoned.
fn each_record(
    paths: &Paths,
    threads: Option<usize>,
    shard: Shard,
    count: u64,
    computed: &mut Result<(), SimulateError>,
    mut write: impl FnMut(&PathRecord) -> io::Result<()>,
) -> io::Result<bool> {
    let all: Vec<u64> = records::shard_paths(shard, count).collect();
    for batch in all.chunks(BATCH) {
        match paths.records(threads, batch) {
            Ok(done) => done.iter().try_for_each(&mut write)?,
            Err(e) => {
                *computed = Err(e);
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// `--shard K/N`: the records of the paths `k mod N = K − 1`, in path
/// order, streamed (to `-o` atomically: the file appears only complete).
fn write_shard(args: &SimulateArgs, shard: Shard, failures: &mut Failures) -> Result<(), Failure> {
    let (source, summary) = one_scenario(args, failures)?;
    let scenario = &summary.inputs;
    let settings = Settings::of(scenario, args.paths, args.seed);
    let overrides = &args.overrides.set;
    let paths = Paths::new(scenario, &settings).map_err(|e| failure(&source, overrides, e))?;
    let identity = Identity::of(scenario, &settings);
    // An error while computing is kept here and the output abandoned.
    let mut computed: Result<(), SimulateError> = Ok(());
    let mut write = |w: &mut dyn Write| -> io::Result<bool> {
        if args.format == SimulateFormat::Csv {
            w.write_all(records::csv_header().as_bytes())?;
        }
        each_record(
            &paths,
            args.threads,
            shard,
            settings.paths,
            &mut computed,
            |record| {
                let text = match args.format {
                    SimulateFormat::Jsonl => records::jsonl_rows(&identity, scenario, record),
                    _ => records::csv_rows(&identity, scenario, record),
                };
                w.write_all(text.as_bytes())
            },
        )
    };
    match &args.output {
        #[cfg(feature = "parquet")]
        Some(path) if args.format == SimulateFormat::Parquet => {
            write_atomically_if(path, |w| {
                use hashpivot::render::parquet::{Kind, Sink, kind_of};
                let columns: Vec<String> = records::COLUMNS.iter().map(|c| c.to_string()).collect();
                let kinds = records::COLUMNS
                    .iter()
                    .map(|key| match *key {
                        "mine_npv_usd" | "ai_npv_usd" | "advantage_usd" => {
                            Kind::Decimal(RECORD_SCALE)
                        }
                        _ => kind_of(key).unwrap_or(Kind::Text),
                    })
                    .collect();
                let mut sink = Sink::new(columns, kinds, w)?;
                let complete = each_record(
                    &paths,
                    args.threads,
                    shard,
                    settings.paths,
                    &mut computed,
                    |record| {
                        for row in records::field_rows(&identity, scenario, record) {
                            sink.push(row.into_iter().map(round_npv).collect())?;
                        }
                        Ok(())
                    },
                )?;
                if complete {
                    sink.finish()?;
                }
                Ok(complete)
            })?;
        }
        Some(path) => {
            write_atomically_if(path, |w| write(w))?;
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out)
                .and_then(|_| out.flush())
                .map_err(Failure::Stdout)?;
        }
    }
    computed.map_err(|e| failure(&source, overrides, e))
}

/// Decimals of the records' NPVs in Parquet. The CSV writes them in full,
/// up to rust_decimal's 28 places, and no one DECIMAL(38, s) holds every
/// such value (28 places leave 10 integer digits): 20 places keep NPVs up
/// to 10¹⁸ USD and each to 10⁻²⁰ USD (rounded half-even), far below the
/// cent at which the records' sums are compared.
#[cfg(feature = "parquet")]
const RECORD_SCALE: u32 = 20;

/// A record's figure with more than [`RECORD_SCALE`] decimals rounded to
/// it (others are left as they are: whole counts, text).
#[cfg(feature = "parquet")]
fn round_npv(field: hashpivot::render::Field) -> hashpivot::render::Field {
    use hashpivot::render::Field;
    match field {
        Field::Number(digits)
            if digits
                .split_once('.')
                .is_some_and(|(_, f)| f.len() > RECORD_SCALE as usize) =>
        {
            match digits.parse::<rust_decimal::Decimal>() {
                Ok(value) => Field::Number(hashpivot::render::fixed(value, RECORD_SCALE)),
                Err(_) => Field::Number(digits),
            }
        }
        other => other,
    }
}

/// `--merge FILE…`: the shard records of the scenario joined (every path
/// exactly once, each with every site) and summarised as the unsharded
/// run would be.
fn merge(args: &SimulateArgs, files: &[String], failures: &mut Failures) -> Result<(), Failure> {
    if args.files[0] == "-" && files.iter().any(|f| f == "-") {
        return Err(Failure::StdinTwice);
    }
    let (source, summary) = one_scenario(args, failures)?;
    let settings = Settings::of(&summary.inputs, args.paths, args.seed);
    let mut merge = Merge::new(&summary.inputs, &settings);
    for file in files {
        // A Parquet shard is for DuckDB, not for --merge (which reads the
        // text records): say so rather than "not UTF-8 text".
        if file != "-" && std::fs::read(file).is_ok_and(|b| b.starts_with(b"PAR1")) {
            return Err(Failure::ParquetShard { path: file.clone() });
        }
        let shard = read_source(file)?;
        merge
            .read(&shard.origin, &shard.text)
            .map_err(Failure::Merge)?;
    }
    let records = merge.finish().map_err(Failure::Merge)?;
    let answer = summarise(&source, args, summary, &settings, &records)?;
    drop(records);
    let file = display_name(&args.files[0]).to_string();
    let bytes = render(args, &[answer], &[file], false);
    deliver(args.output.as_deref(), &bytes, 1, 1, failures)
}

#[cfg(all(test, feature = "parquet"))]
mod parquet_tests {
    use super::round_npv;
    use hashpivot::render::Field;

    /// Half-even at the 20th decimal, worked by hand: …8905 (21 places)
    /// is a tie and 0 is even, so …890; …8915 is a tie with 1 odd, so
    /// …892; …89051 is past the tie, so …891. 20 places or fewer, text and
    /// nulls are left as they are.
    #[test]
    fn records_round_to_twenty_places() {
        let n = |s: &str| Field::Number(s.to_string());
        assert_eq!(
            round_npv(n("-1.123456789012345678905")),
            n("-1.12345678901234567890")
        );
        assert_eq!(
            round_npv(n("1.123456789012345678915")),
            n("1.12345678901234567892")
        );
        assert_eq!(
            round_npv(n("1.1234567890123456789051")),
            n("1.12345678901234567891")
        );
        assert_eq!(round_npv(n("12.5")), n("12.5"));
        assert_eq!(round_npv(n("36")), n("36"));
        assert_eq!(round_npv(Field::Text("x".into())), Field::Text("x".into()));
        assert_eq!(round_npv(Field::Null), Field::Null);
    }
}
