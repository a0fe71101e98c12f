//! `simulate`'s per-path records: what a shard (`--shard K/N`) writes and a
//! merge (`--merge FILE…`) reads back, so that a simulation spread over
//! machines gives the bytes one machine would.
//!
//! A record is one path and one site: `path,site,mine_npv_usd,ai_npv_usd,
//! mine_payback_months,ai_payback_months,advantage_usd,scenario,seed,paths,
//! fingerprint` ([`COLUMNS`]). NPVs and the advantage of converting are
//! the unrounded decimals, in full (their text reads back as the same
//! decimal, so the merge's statistics are the run's). The advantage is
//! written rather than recomputed: it is the NPV of the path's
//! month-by-month ΔCF (docs/model.md, "Statistics"), which can differ
//! from `ai_npv_usd − mine_npv_usd` in the last digits. A strategy the
//! site lacks, an advantage of a site without both, or a payback that
//! never comes, is empty in CSV and `null` in JSON Lines. The last four columns say what
//! the record belongs to: the scenario's name, the seed and path count it
//! was drawn with, and a fingerprint of everything that determines it
//! ([`fingerprint`]), so a merge refuses records of another scenario,
//! other `--set` values or other settings.
//!
//! No file is read here: the command line reads the files and hands their
//! text to [`Merge::read`].

use crate::exact_json::Json;
use crate::parallel::parallel_map_on;
use crate::scenario::Scenario;
use crate::simulate::{GENERATOR, PathRecord, Settings, SimulateError, path};
use crate::summary::{PathBase, PathNpv};
use crate::sweep::Shard;
use rust_decimal::Decimal;
use std::fmt;

/// The record columns (CSV header, JSON Lines keys), in order.
pub const COLUMNS: [&str; 11] = [
    "path",
    "site",
    "mine_npv_usd",
    "ai_npv_usd",
    "mine_payback_months",
    "ai_payback_months",
    "advantage_usd",
    "scenario",
    "seed",
    "paths",
    "fingerprint",
];

/// What every record of a run carries besides its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub scenario: String,
    pub seed: u64,
    pub paths: u64,
    pub fingerprint: String,
}

impl Identity {
    pub fn of(scenario: &Scenario, settings: &Settings) -> Identity {
        Identity {
            scenario: scenario.name.clone(),
            seed: settings.seed,
            paths: settings.paths,
            fingerprint: fingerprint(scenario, settings),
        }
    }
}

/// 16 hexadecimal digits of FNV-1a (64 bits) over the generator's name
/// and the checked scenario (every input, `--set` applied, with the seed
/// and path count the run uses in its `[risk]`): the same exactly when a
/// record would be drawn the same. Comments, key order and spelling in
/// the file do not change it; any value that reaches the model does.
pub fn fingerprint(scenario: &Scenario, settings: &Settings) -> String {
    let mut used = scenario.clone();
    if let Some(f) = used.format2.as_mut() {
        f.risk.paths = settings.paths;
        f.risk.seed = settings.seed;
    }
    let text = format!("{GENERATOR}\n{used:?}");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The paths of shard `shard` among `paths`: `k` with `k mod N = K − 1`.
pub fn shard_paths(shard: Shard, paths: u64) -> impl Iterator<Item = u64> {
    let (k, n) = (shard.k as u64, shard.n as u64);
    (k - 1..paths).step_by(n as usize)
}

/// Paths of one scenario computed on demand, any set of them: what a
/// shard needs (its paths are not a range). The same records as
/// [`crate::simulate::paths_on`] gives for the same paths.
pub struct Paths<'a> {
    scenario: &'a Scenario,
    settings: &'a Settings,
    base: PathBase,
}

impl<'a> Paths<'a> {
    pub fn new(scenario: &'a Scenario, settings: &'a Settings) -> Result<Paths<'a>, SimulateError> {
        if scenario.format2.is_none() {
            return Err(SimulateError::Format1 {
                scenario: scenario.name.clone(),
            });
        }
        Ok(Paths {
            scenario,
            settings,
            base: PathBase::new(scenario)?,
        })
    }

    /// The records of `paths`, in their order, on `threads` threads.
    pub fn records(
        &self,
        threads: Option<usize>,
        paths: &[u64],
    ) -> Result<Vec<PathRecord>, SimulateError> {
        // Chunks, so that a thread's work outweighs its hand-off.
        let chunks: Vec<&[u64]> = paths.chunks(64).collect();
        let done = parallel_map_on(threads, &chunks, |chunk| {
            chunk
                .iter()
                .map(|&k| path(self.scenario, &self.base, self.settings, k))
                .collect::<Result<Vec<_>, _>>()
        });
        let mut out = Vec::with_capacity(paths.len());
        for chunk in done {
            out.extend(chunk?);
        }
        Ok(out)
    }
}

/// The CSV header line.
pub fn csv_header() -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    out
}

/// A decimal's full text (what reads back as the same decimal).
fn full(value: Decimal) -> String {
    value.to_string()
}

/// One record's values in [`COLUMNS`] order, `None` for a blank.
fn values(identity: &Identity, site: &str, k: u64, npv: &PathNpv) -> Raw {
    let npv_of = |o: Option<(Decimal, Option<u32>)>| o.map(|(v, _)| full(v));
    let payback_of =
        |o: Option<(Decimal, Option<u32>)>| o.and_then(|(_, p)| p.map(|p| p.to_string()));
    [
        Some(k.to_string()),
        Some(site.to_string()),
        npv_of(npv.mine),
        npv_of(npv.ai),
        payback_of(npv.mine),
        payback_of(npv.ai),
        npv.advantage.map(full),
        Some(identity.scenario.clone()),
        Some(identity.seed.to_string()),
        Some(identity.paths.to_string()),
        Some(identity.fingerprint.clone()),
    ]
}

/// A path's records as CSV lines, one per site in file order.
pub fn csv_rows(identity: &Identity, scenario: &Scenario, record: &PathRecord) -> String {
    let mut out = String::new();
    for (site, npv) in scenario.sites.iter().zip(&record.sites) {
        let row = values(identity, &site.name, record.path, npv);
        crate::render::csv::line(&mut out, row.into_iter().map(Option::unwrap_or_default));
    }
    out
}

/// A path's records as [`Field`](crate::render::Field)s in [`COLUMNS`]
/// order, one row per site in file order (for `--format parquet`): text for
/// `site`, `scenario`, `seed` (any u64, past a signed 64-bit integer) and
/// `fingerprint`, numbers otherwise (NPVs in full), null for a blank.
pub fn field_rows(
    identity: &Identity,
    scenario: &Scenario,
    record: &PathRecord,
) -> Vec<Vec<crate::render::Field>> {
    use crate::render::Field;
    scenario
        .sites
        .iter()
        .zip(&record.sites)
        .map(|(site, npv)| {
            let row = values(identity, &site.name, record.path, npv);
            COLUMNS
                .iter()
                .zip(row)
                .map(|(key, value)| match value {
                    None => Field::Null,
                    Some(v) if matches!(*key, "site" | "scenario" | "seed" | "fingerprint") => {
                        Field::Text(v)
                    }
                    Some(v) => Field::Number(v),
                })
                .collect()
        })
        .collect()
}

/// A path's records as JSON lines, one per site in file order: numbers
/// as JSON numbers (NPVs in full), text as strings, blanks as `null`.
pub fn jsonl_rows(identity: &Identity, scenario: &Scenario, record: &PathRecord) -> String {
    let mut out = String::new();
    for (site, npv) in scenario.sites.iter().zip(&record.sites) {
        let row = values(identity, &site.name, record.path, npv);
        out.push('{');
        for (i, (key, value)) in COLUMNS.iter().zip(row).enumerate() {
            if i > 0 {
                out.push(',');
            }
            let text = matches!(*key, "site" | "scenario" | "fingerprint");
            let value = match value {
                None => "null".to_string(),
                Some(v) if text => Json::String(v).to_text(),
                Some(v) => v,
            };
            out.push_str(&format!("\"{key}\":{value}"));
        }
        out.push_str("}\n");
    }
    out
}

/// Why shard records cannot be merged. Every one names the file and
/// line of the record at fault, except a path that is in no file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// A file or line that is not shard records: `why` says what is wrong.
    Malformed {
        file: String,
        line: usize,
        why: String,
    },
    /// A record drawn with another seed.
    Seed {
        file: String,
        line: usize,
        got: String,
        want: u64,
    },
    /// A record of a run with another path count.
    Paths {
        file: String,
        line: usize,
        got: String,
        want: u64,
    },
    /// A record of another scenario, or of other inputs to this one.
    OtherInputs {
        file: String,
        line: usize,
        scenario: String,
        fingerprint: String,
        want: Box<Identity>,
    },
    /// A path number outside `0 … paths − 1`.
    PathOutside {
        file: String,
        line: usize,
        path: u64,
        paths: u64,
    },
    /// A site the scenario does not have.
    UnknownSite {
        file: String,
        line: usize,
        site: String,
        scenario: String,
    },
    /// An NPV blank where the site has the strategy (`has`), or given
    /// where it has not; a payback without its NPV; an advantage blank on
    /// a site with both strategies, or given on one without.
    Strategy {
        file: String,
        line: usize,
        site: String,
        column: &'static str,
        has: bool,
    },
    /// A (path, site) given twice.
    Duplicate {
        file: String,
        line: usize,
        path: u64,
        site: String,
        first_file: String,
        first_line: usize,
    },
    /// Paths in no file: `count` of them, the first `first`.
    Missing { count: u64, first: u64, paths: u64 },
    /// A path with records of some sites but not of `site`.
    MissingSite { path: u64, site: String },
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SAME: &str =
            "shards and their merge need the same scenario file, --set, --paths and --seed";
        match self {
            MergeError::Malformed { file, line, why } => write!(f, "{file}:{line}: {why}"),
            MergeError::Seed {
                file,
                line,
                got,
                want,
            } => write!(
                f,
                "{file}:{line}: a record drawn with seed {got}, but this merge's seed is {want}: give the merge the shards' --seed ({SAME})"
            ),
            MergeError::Paths {
                file,
                line,
                got,
                want,
            } => write!(
                f,
                "{file}:{line}: a record of a run of {got} paths, but this merge has {want}: give the merge the shards' --paths ({SAME})"
            ),
            MergeError::OtherInputs {
                file,
                line,
                scenario,
                fingerprint,
                want,
            } => write!(
                f,
                "{file}:{line}: a record of other inputs (scenario {scenario:?}, fingerprint {fingerprint}; this merge: {:?}, {}): {SAME}",
                want.scenario, want.fingerprint
            ),
            MergeError::PathOutside {
                file,
                line,
                path,
                paths,
            } => write!(
                f,
                "{file}:{line}: path {path} is outside this run's paths 0 … {}",
                paths - 1
            ),
            MergeError::UnknownSite {
                file,
                line,
                site,
                scenario,
            } => write!(
                f,
                "{file}:{line}: site {site:?} is not a site of scenario {scenario:?}"
            ),
            MergeError::Strategy {
                file,
                line,
                site,
                column,
                has,
            } => {
                let what = match *column {
                    "mine_npv_usd" | "mine_payback_months" => "[site.mining]",
                    "ai_npv_usd" | "ai_payback_months" => "[site.ai]",
                    _ => "both [site.mining] and [site.ai]",
                };
                if *has {
                    write!(
                        f,
                        "{file}:{line}: {column} is blank, but site {site:?} has {what}"
                    )
                } else {
                    write!(
                        f,
                        "{file}:{line}: {column} has a value, but site {site:?} has not {what}"
                    )
                }
            }
            MergeError::Duplicate {
                file,
                line,
                path,
                site,
                first_file,
                first_line,
            } => write!(
                f,
                "{file}:{line}: path {path} of site {site:?} is also at {first_file}:{first_line}: each path must be in exactly one shard (was a shard given twice?)"
            ),
            MergeError::Missing {
                count: 1,
                first,
                paths: _,
            } => write!(
                f,
                "path {first} is in none of the shard files: each path must be in exactly one (was a shard left out?)"
            ),
            MergeError::Missing {
                count,
                first,
                paths,
            } => write!(
                f,
                "{count} of the {paths} paths are in none of the shard files (the first: path {first}): each path must be in exactly one (was a shard left out?)"
            ),
            MergeError::MissingSite { path, site } => write!(
                f,
                "path {path} has no record of site {site:?}: each path needs one record per site"
            ),
        }
    }
}

impl std::error::Error for MergeError {}

/// Where a record was read: the file's index in the merge, and the line.
#[derive(Debug, Clone, Copy)]
struct Location {
    file: u32,
    line: u32,
}

/// Shard records gathered into the run's records: every path of
/// `0 … paths − 1` exactly once, with one record of each of the
/// scenario's sites.
pub struct Merge<'a> {
    scenario: &'a Scenario,
    identity: Identity,
    files: Vec<String>,
    /// Path-major, `paths × sites`.
    cells: Vec<Option<(PathNpv, Location)>>,
}

/// One record's text fields, in [`COLUMNS`] order (`None`: blank).
type Raw = [Option<String>; 11];

impl<'a> Merge<'a> {
    pub fn new(scenario: &'a Scenario, settings: &Settings) -> Merge<'a> {
        let cells = (settings.paths as usize).saturating_mul(scenario.sites.len());
        Merge {
            scenario,
            identity: Identity::of(scenario, settings),
            files: Vec::new(),
            cells: vec![None; cells],
        }
    }

    /// Reads one file's records (CSV with its header, or JSON Lines: told
    /// apart by the first character that is not white space, `{` for
    /// JSON Lines). `file` names it in errors.
    pub fn read(&mut self, file: &str, text: &str) -> Result<(), MergeError> {
        let index = self.files.len();
        self.files.push(file.to_string());
        let malformed = |line: usize, why: String| MergeError::Malformed {
            file: file.to_string(),
            line,
            why,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(malformed(
                1,
                "empty: no header and no records (is this a shard's output?)".into(),
            ));
        }
        if text.trim_start().starts_with('{') {
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let raw = json_record(line).map_err(|why| malformed(n + 1, why))?;
                self.take(index, n + 1, raw)?;
            }
        } else {
            let mut rows = csv_records(text);
            let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            match rows.next() {
                Some(Ok((_, first))) if first == header => {}
                Some(Err((line, why))) => return Err(malformed(line, why)),
                _ => {
                    return Err(malformed(
                        1,
                        format!(
                            "not simulate shard records: the first line must be the header {}",
                            COLUMNS.join(",")
                        ),
                    ));
                }
            }
            for row in rows {
                let (line, fields) = row.map_err(|(line, why)| malformed(line, why))?;
                // Shard files joined with `cat` repeat the header.
                if fields == header {
                    continue;
                }
                if fields.len() != COLUMNS.len() {
                    return Err(malformed(
                        line,
                        format!(
                            "{} fields, but the header has {}",
                            fields.len(),
                            COLUMNS.len()
                        ),
                    ));
                }
                let mut raw: Raw = Default::default();
                for (slot, field) in raw.iter_mut().zip(fields) {
                    *slot = (!field.is_empty()).then_some(field);
                }
                self.take(index, line, raw)?;
            }
        }
        Ok(())
    }

    /// Checks one record and keeps its figures.
    fn take(&mut self, file: usize, line: usize, raw: Raw) -> Result<(), MergeError> {
        let name = self.files[file].clone();
        let malformed = |why: String| MergeError::Malformed {
            file: name.clone(),
            line,
            why,
        };
        let [
            path,
            site,
            mine_npv,
            ai_npv,
            mine_payback,
            ai_payback,
            advantage,
            scenario,
            seed,
            paths,
            fingerprint,
        ] = raw;
        let need = |value: Option<String>, column: &str| {
            value.ok_or_else(|| malformed(format!("{column} is blank")))
        };
        let (seed, paths) = (need(seed, "seed")?, need(paths, "paths")?);
        if seed != self.identity.seed.to_string() {
            return Err(MergeError::Seed {
                file: name,
                line,
                got: seed,
                want: self.identity.seed,
            });
        }
        if paths != self.identity.paths.to_string() {
            return Err(MergeError::Paths {
                file: name,
                line,
                got: paths,
                want: self.identity.paths,
            });
        }
        let (scenario, fingerprint) = (
            need(scenario, "scenario")?,
            need(fingerprint, "fingerprint")?,
        );
        if scenario != self.identity.scenario || fingerprint != self.identity.fingerprint {
            return Err(MergeError::OtherInputs {
                file: name,
                line,
                scenario,
                fingerprint,
                want: Box::new(self.identity.clone()),
            });
        }
        let path_text = need(path, "path")?;
        let k: u64 = path_text
            .parse()
            .map_err(|_| malformed(format!("path {path_text:?} is not a whole number ≥ 0")))?;
        if k >= self.identity.paths {
            return Err(MergeError::PathOutside {
                file: name,
                line,
                path: k,
                paths: self.identity.paths,
            });
        }
        let site = need(site, "site")?;
        let Some(j) = self.scenario.sites.iter().position(|s| s.name == site) else {
            return Err(MergeError::UnknownSite {
                file: name,
                line,
                site,
                scenario: self.identity.scenario.clone(),
            });
        };
        let input = &self.scenario.sites[j];
        let strategy = |has: bool,
                        npv: Option<String>,
                        payback: Option<String>,
                        columns: [&'static str; 2]|
         -> Result<Option<(Decimal, Option<u32>)>, MergeError> {
            let wrong = |column| MergeError::Strategy {
                file: name.clone(),
                line,
                site: site.clone(),
                column,
                has,
            };
            match (has, npv, payback) {
                (false, None, None) => Ok(None),
                (false, Some(_), _) => Err(wrong(columns[0])),
                (false, None, Some(_)) => Err(wrong(columns[1])),
                (true, None, _) => Err(wrong(columns[0])),
                (true, Some(npv), payback) => {
                    let value = Decimal::from_str_exact(&npv).map_err(|_| {
                        malformed(format!("{} {npv:?} is not a decimal number", columns[0]))
                    })?;
                    let months = match payback {
                        None => None,
                        Some(p) => Some(p.parse::<u32>().map_err(|_| {
                            malformed(format!(
                                "{} {p:?} is not a whole number of months",
                                columns[1]
                            ))
                        })?),
                    };
                    Ok(Some((value, months)))
                }
            }
        };
        let both = input.mining.is_some() && input.ai.is_some();
        let advantage =
            match (both, advantage) {
                (false, None) => None,
                (has, None) | (has @ false, Some(_)) => {
                    return Err(MergeError::Strategy {
                        file: name,
                        line,
                        site,
                        column: "advantage_usd",
                        has,
                    });
                }
                (true, Some(v)) => Some(Decimal::from_str_exact(&v).map_err(|_| {
                    malformed(format!("advantage_usd {v:?} is not a decimal number"))
                })?),
            };
        let figures = PathNpv {
            mine: strategy(
                input.mining.is_some(),
                mine_npv,
                mine_payback,
                ["mine_npv_usd", "mine_payback_months"],
            )?,
            ai: strategy(
                input.ai.is_some(),
                ai_npv,
                ai_payback,
                ["ai_npv_usd", "ai_payback_months"],
            )?,
            advantage,
        };
        let sites = self.scenario.sites.len();
        let cell = &mut self.cells[k as usize * sites + j];
        if let Some((_, first)) = cell {
            return Err(MergeError::Duplicate {
                file: name,
                line,
                path: k,
                site,
                first_file: self.files[first.file as usize].clone(),
                first_line: first.line as usize,
            });
        }
        *cell = Some((
            figures,
            Location {
                file: file as u32,
                line: line as u32,
            },
        ));
        Ok(())
    }

    /// The run's records, in path order, once every path has a record of
    /// every site.
    pub fn finish(self) -> Result<Vec<PathRecord>, MergeError> {
        let sites = self.scenario.sites.len();
        let paths = self.identity.paths;
        if sites == 0 {
            return Ok((0..paths)
                .map(|path| PathRecord {
                    path,
                    sites: Vec::new(),
                })
                .collect());
        }
        let rows = self.cells.chunks(sites);
        let empty: Vec<u64> = rows
            .clone()
            .enumerate()
            .filter(|(_, row)| row.iter().all(Option::is_none))
            .map(|(k, _)| k as u64)
            .collect();
        if let Some(&first) = empty.first() {
            return Err(MergeError::Missing {
                count: empty.len() as u64,
                first,
                paths,
            });
        }
        let mut out = Vec::with_capacity(paths as usize);
        for (k, row) in rows.enumerate() {
            let mut figures = Vec::with_capacity(sites);
            for (j, cell) in row.iter().enumerate() {
                match cell {
                    Some((npv, _)) => figures.push(*npv),
                    None => {
                        return Err(MergeError::MissingSite {
                            path: k as u64,
                            site: self.scenario.sites[j].name.clone(),
                        });
                    }
                }
            }
            out.push(PathRecord {
                path: k as u64,
                sites: figures,
            });
        }
        Ok(out)
    }
}

/// A JSON Lines record's fields, or why it is not one.
fn json_record(line: &str) -> Result<Raw, String> {
    let value = Json::parse(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let Json::Object(entries) = value else {
        return Err("not a JSON object".into());
    };
    let mut raw: Raw = Default::default();
    for (key, value) in entries {
        let Some(i) = COLUMNS.iter().position(|c| *c == key) else {
            return Err(format!(
                "unknown key {key:?}: a record has {}",
                COLUMNS.join(", ")
            ));
        };
        raw[i] = match value {
            Json::Null => None,
            Json::Number(n) => Some(n),
            Json::String(s) => Some(s),
            other => {
                return Err(format!(
                    "{key} is {}, not a number, a string or null",
                    other.to_text()
                ));
            }
        };
    }
    Ok(raw)
}

/// A CSV record: the line it starts on, and its fields.
type CsvRecord = (usize, Vec<String>);

/// CSV text as records with the line each starts on (RFC 4180: a quoted
/// field may hold commas, doubled quotes and line breaks), one at a time
/// (a shard file can be large); blank lines are skipped. An unclosed
/// quote is an error at its record's line.
struct CsvRecords<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

fn csv_records(text: &str) -> CsvRecords<'_> {
    CsvRecords {
        chars: text.chars().peekable(),
        line: 1,
    }
}

impl Iterator for CsvRecords<'_> {
    type Item = Result<CsvRecord, (usize, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        let chars = &mut self.chars;
        while chars.peek().is_some() {
            let start = self.line;
            let mut fields = Vec::new();
            let mut field = String::new();
            let mut quoted = false;
            let mut was_quoted = false;
            loop {
                let Some(c) = chars.next() else {
                    if quoted {
                        return Some(Err((start, "a quoted field is not closed".into())));
                    }
                    break;
                };
                if quoted {
                    match c {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        '"' => quoted = false,
                        '\n' => {
                            self.line += 1;
                            field.push(c);
                        }
                        _ => field.push(c),
                    }
                    continue;
                }
                match c {
                    '"' if field.is_empty() && !was_quoted => {
                        quoted = true;
                        was_quoted = true;
                    }
                    ',' => {
                        fields.push(std::mem::take(&mut field));
                        was_quoted = false;
                    }
                    '\r' if chars.peek() == Some(&'\n') => {}
                    '\n' => {
                        self.line += 1;
                        break;
                    }
                    _ => field.push(c),
                }
            }
            if fields.is_empty() && field.is_empty() && !was_quoted {
                continue;
            }
            fields.push(field);
            return Some(Ok((start, fields)));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields() {
        let text = "a,b\n\"x, \"\"y\"\"\",\"two\nlines\"\n\n3,\n";
        let rows: Vec<CsvRecord> = csv_records(text).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            rows,
            vec![
                (1, vec!["a".to_string(), "b".into()]),
                (2, vec!["x, \"y\"".into(), "two\nlines".into()]),
                (5, vec!["3".into(), String::new()]),
            ]
        );
        assert_eq!(
            csv_records("a,\"b\n").collect::<Result<Vec<_>, _>>(),
            Err((1, "a quoted field is not closed".to_string()))
        );
    }

    /// Shard 2/3 of 8 paths: 1, 4, 7.
    #[test]
    fn shards() {
        let of = |k, n, paths| shard_paths(Shard { k, n }, paths).collect::<Vec<_>>();
        assert_eq!(of(2, 3, 8), [1, 4, 7]);
        assert_eq!(of(1, 1, 3), [0, 1, 2]);
        assert_eq!(of(7, 7, 5), Vec::<u64>::new());
    }
}
