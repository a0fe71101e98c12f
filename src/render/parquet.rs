//! `--format parquet`: the rows `--format csv` writes, as a Parquet file
//! whose money and rates are DECIMAL columns.
//!
//! Why: DuckDB, pandas and Spark read a CSV's `1250000.06` as a binary
//! float, so the exactness the model keeps is lost at the last step. Here
//! each figure's unscaled integer is taken from the very digits the CSV
//! prints (never through a float), and stored as a DECIMAL at the scale its
//! key prints with (docs/model.md, "Precision and output"): what an analyst
//! sums is what hashpivot printed, to the cent.
//!
//! Layout: DECIMAL(38, s) as a 16-byte FIXED_LEN_BYTE_ARRAY (38 digits hold
//! any `rust_decimal` value, so no figure can overflow its column); counts
//! as INT64; text as UTF-8 strings; an empty figure as null. The scale is
//! fixed per key, not guessed from the rows, so that the shards of one
//! sweep have one schema and `read_parquet('part-*.parquet')` unions them.
//! No compression codec (the writer's dictionary encoding already shrinks
//! the repeated text), which keeps the dependency small.

use super::Field;
use super::csv::Table;
use super::places;
use parquet::basic::{ConvertedType, DecimalType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::Int64Type;
use parquet::data_type::{ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::{self, Write};
use std::sync::Arc;

/// Digits of a DECIMAL column: the most a 16-byte integer holds whole.
const PRECISION: i32 = 38;
/// Rows per row group: small enough to bound the writer's buffers, large
/// enough that a reader scans few groups.
const ROW_GROUP: usize = 65_536;

/// How one column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// DECIMAL(38, scale).
    Decimal(u32),
    /// INT64.
    Count,
    /// UTF-8 string.
    Text,
}

/// Keys that are text whatever their rows hold (a site named `2024` is
/// still a name).
const TEXT: [&str; 14] = [
    "scenario",
    "site",
    "strategy",
    "month",
    "file",
    "overrides",
    "winner",
    "go_live",
    "start",
    "portfolio_convert",
    "conversion_month",
    "error",
    "fingerprint",
    // A seed is any u64, past INT64: an identifier, kept as its digits.
    "seed",
];

/// Keys that are whole counts.
const COUNTS: [&str; 8] = [
    "payback_months",
    "conversion_payback_months",
    "mine_payback_months",
    "ai_payback_months",
    "point",
    "path",
    "paths",
    "sites",
];

/// Keys at a scale other than USD's 2 (the `*_usd` keys) — each the
/// decimals its renderer prints with.
const SCALES: [(&str, u32); 19] = [
    ("mine_irr", places::IRR),
    ("ai_irr", places::IRR),
    ("hashprice_usd_per_ph_day", places::RATE),
    ("btc_mined", places::BTC),
    ("irr", places::IRR),
    ("mirr", places::IRR),
    ("conversion_irr", places::IRR),
    ("conversion_mirr", places::IRR),
    ("breakeven_rate", places::RATE),
    ("conversion_breakeven_rate", places::RATE),
    ("run_share", places::RATE),
    ("kept_hashrate_ths", places::RATE),
    ("network_hashrate_ehs", places::RATE),
    ("power_price_usd_per_mwh", places::RATE),
    ("rate", places::RATE),
    ("in_service_share", places::RATE),
    ("discount_factor", 10),
    ("btc_price_usd", places::USD),
    ("discount_rate", places::RATE),
];

/// The column's kind by its key; `None` for a key this table does not know,
/// which [`infer`] then types from its rows.
pub fn kind_of(key: &str) -> Option<Kind> {
    if TEXT.contains(&key) {
        Some(Kind::Text)
    } else if COUNTS.contains(&key) {
        Some(Kind::Count)
    } else if let Some((_, scale)) = SCALES.iter().find(|(k, _)| *k == key) {
        Some(Kind::Decimal(*scale))
    } else if key.ends_with("_usd") {
        Some(Kind::Decimal(places::USD))
    } else {
        None
    }
}

/// An unknown key's kind from its rows: text if any row holds text (or
/// none holds anything), a count if every number is whole, otherwise a
/// DECIMAL at the most decimals any row prints.
fn infer(cells: impl Iterator<Item = Field>) -> Kind {
    let mut scale = None;
    for field in cells {
        match field {
            Field::Text(_) => return Kind::Text,
            Field::Null => {}
            Field::Number(digits) => {
                let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len());
                scale = Some(scale.unwrap_or(0).max(decimals as u32));
            }
        }
    }
    match scale {
        None => Kind::Text,
        Some(0) => Kind::Count,
        Some(s) => Kind::Decimal(s),
    }
}

/// The kind of a column whose every value is known in advance (a sweep's
/// axis: its values are the grid's, whatever the shard): a count if all
/// are whole numbers that fit INT64, a DECIMAL at the most decimals any has
/// if all are plain decimals, otherwise text.
pub fn kind_of_values<'a>(values: impl IntoIterator<Item = &'a str>) -> Kind {
    let values: Vec<&str> = values.into_iter().collect();
    let mut scale = 0;
    let mut whole = true;
    for &value in &values {
        let decimals = value.split_once('.').map_or(0, |(_, f)| f.len());
        if unscaled(value, decimals as u32).is_none() {
            return Kind::Text;
        }
        whole &= decimals == 0 && value.parse::<i64>().is_ok();
        scale = scale.max(decimals as u32);
    }
    if whole {
        Kind::Count
    } else if values.iter().all(|v| unscaled(v, scale).is_some()) {
        Kind::Decimal(scale)
    } else {
        // Too many digits for DECIMAL(38) at the widest scale: exact as text.
        Kind::Text
    }
}

/// `digits` (`-1234.5`) as the unscaled integer of a DECIMAL at `scale`
/// (`-123450` at 2). Digits past `scale` are an error, never rounded away.
pub fn unscaled(digits: &str, scale: u32) -> Option<i128> {
    let (negative, magnitude) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let (whole, fraction) = magnitude.split_once('.').unwrap_or((magnitude, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    if fraction.len() > scale as usize {
        return None;
    }
    let mut text = String::with_capacity(whole.len() + scale as usize);
    text.push_str(whole);
    text.push_str(fraction);
    text.extend(std::iter::repeat_n('0', scale as usize - fraction.len()));
    let value: i128 = text.parse().ok()?;
    if value.unsigned_abs() >= 10u128.pow(PRECISION as u32) {
        return None;
    }
    Some(if negative { -value } else { value })
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

fn parquet_error(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Each column's kind: by its key, else from its rows.
pub fn kinds(table: &Table) -> Vec<Kind> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, key)| {
            kind_of(key).unwrap_or_else(|| {
                infer(
                    table
                        .rows
                        .iter()
                        .map(|r| r.get(i).cloned().unwrap_or(Field::Null)),
                )
            })
        })
        .collect()
}

fn schema(columns: &[String], kinds: &[Kind]) -> parquet::errors::Result<Type> {
    let mut fields = Vec::with_capacity(kinds.len());
    for (name, kind) in columns.iter().zip(kinds) {
        let field = match *kind {
            Kind::Decimal(scale) => {
                Type::primitive_type_builder(name, Physical::FIXED_LEN_BYTE_ARRAY)
                    .with_length(16)
                    .with_logical_type(Some(LogicalType::Decimal(DecimalType {
                        scale: scale as i32,
                        precision: PRECISION,
                    })))
                    .with_converted_type(ConvertedType::DECIMAL)
                    .with_precision(PRECISION)
                    .with_scale(scale as i32)
            }
            Kind::Count => Type::primitive_type_builder(name, Physical::INT64),
            Kind::Text => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                .with_logical_type(Some(LogicalType::String))
                .with_converted_type(ConvertedType::UTF8),
        }
        .with_repetition(Repetition::OPTIONAL)
        .build()?;
        fields.push(Arc::new(field));
    }
    Type::group_type_builder("hashpivot")
        .with_fields(fields)
        .build()
}

/// Writes `table` as Parquet to `out`, each column typed by [`kinds`]. A
/// figure that does not fit its column (text in a DECIMAL, more decimals
/// than its scale) is an error, so no file is kept that differs from the
/// CSV.
pub fn write<W: Write + Send>(table: &Table, out: W) -> io::Result<()> {
    let kinds = kinds(table);
    let mut sink = Sink::new(table.columns.clone(), kinds, out)?;
    for row in &table.rows {
        sink.push(row.clone())?;
    }
    sink.finish()
}

/// A Parquet file written row by row, one row group per [`ROW_GROUP`]
/// rows, so a streamed command (`sweep`, `simulate --shard`) never holds
/// more than one group in memory.
pub struct Sink<W: Write + Send> {
    columns: Vec<String>,
    kinds: Vec<Kind>,
    writer: SerializedFileWriter<W>,
    rows: Vec<Vec<Field>>,
}

impl<W: Write + Send> Sink<W> {
    /// A file of `columns`, each stored as its `kinds` entry.
    pub fn new(columns: Vec<String>, kinds: Vec<Kind>, out: W) -> io::Result<Sink<W>> {
        let schema = Arc::new(schema(&columns, &kinds).map_err(parquet_error)?);
        let properties = Arc::new(
            WriterProperties::builder()
                .set_created_by("hashpivot".to_string())
                .build(),
        );
        let writer = SerializedFileWriter::new(out, schema, properties).map_err(parquet_error)?;
        Ok(Sink {
            columns,
            kinds,
            writer,
            rows: Vec::new(),
        })
    }

    /// Adds one row (one [`Field`] per column; missing ones are null).
    pub fn push(&mut self, row: Vec<Field>) -> io::Result<()> {
        self.rows.push(row);
        if self.rows.len() >= ROW_GROUP {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Writes the last row group and the footer.
    pub fn finish(mut self) -> io::Result<()> {
        if !self.rows.is_empty() {
            self.flush_group()?;
        }
        self.writer.close().map_err(parquet_error)?;
        Ok(())
    }

    fn flush_group(&mut self) -> io::Result<()> {
        let rows = std::mem::take(&mut self.rows);
        let mut group = self.writer.next_row_group().map_err(parquet_error)?;
        for (i, (name, kind)) in self.columns.iter().zip(&self.kinds).enumerate() {
            let mut column = group
                .next_column()
                .map_err(parquet_error)?
                .ok_or_else(|| invalid(format!("Parquet column {name} missing")))?;
            let cells = rows.iter().map(|r| r.get(i).unwrap_or(&Field::Null));
            let mut levels = Vec::with_capacity(rows.len());
            let wrong = |field: &Field| {
                invalid(format!(
                    "column {name}: {field:?} does not fit its Parquet type {kind:?}"
                ))
            };
            match *kind {
                Kind::Decimal(scale) => {
                    let mut values = Vec::new();
                    for field in cells {
                        match field {
                            Field::Null => levels.push(0),
                            Field::Number(d) => {
                                let v = unscaled(d, scale).ok_or_else(|| wrong(field))?;
                                values.push(FixedLenByteArray::from(ByteArray::from(
                                    v.to_be_bytes().to_vec(),
                                )));
                                levels.push(1);
                            }
                            Field::Text(_) => return Err(wrong(field)),
                        }
                    }
                    column
                        .typed::<FixedLenByteArrayType>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(parquet_error)?;
                }
                Kind::Count => {
                    let mut values = Vec::new();
                    for field in cells {
                        match field {
                            Field::Null => levels.push(0),
                            Field::Number(d) => {
                                values.push(d.parse::<i64>().map_err(|_| wrong(field))?);
                                levels.push(1);
                            }
                            Field::Text(_) => return Err(wrong(field)),
                        }
                    }
                    column
                        .typed::<Int64Type>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(parquet_error)?;
                }
                Kind::Text => {
                    let mut values = Vec::new();
                    for field in cells {
                        match field {
                            Field::Null => levels.push(0),
                            Field::Number(s) | Field::Text(s) => {
                                values.push(ByteArray::from(s.as_bytes().to_vec()));
                                levels.push(1);
                            }
                        }
                    }
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(parquet_error)?;
                }
            }
            column.close().map_err(parquet_error)?;
        }
        group.close().map_err(parquet_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unscaled integers worked by hand: 1250000.06 at 2 is 125000006;
    /// -0.5 at 4 is -5000 (padded); 7 at 2 is 700; more decimals than the
    /// scale, or anything but digits, is refused.
    #[test]
    fn unscaled_from_digits() {
        assert_eq!(unscaled("1250000.06", 2), Some(125_000_006));
        assert_eq!(unscaled("-0.5", 4), Some(-5000));
        assert_eq!(unscaled("7", 2), Some(700));
        assert_eq!(unscaled("0.123", 2), None);
        assert_eq!(unscaled("1e3", 2), None);
        assert_eq!(unscaled("", 2), None);
        assert_eq!(unscaled("-", 2), None);
        assert_eq!(unscaled(".5", 2), None);
        // rust_decimal's largest, 79228162514264337593543950335, at 8
        // decimals is 37 digits: within DECIMAL(38).
        assert_eq!(
            unscaled("79228162514264337593543950335", 8),
            Some(7_922_816_251_426_433_759_354_395_033_500_000_000)
        );
        assert_eq!(unscaled("79228162514264337593543950335", 10), None);
    }

    #[test]
    fn kinds_by_key_then_rows() {
        assert_eq!(kind_of("revenue_usd"), Some(Kind::Decimal(2)));
        assert_eq!(kind_of("btc_mined"), Some(Kind::Decimal(8)));
        assert_eq!(kind_of("irr"), Some(Kind::Decimal(6)));
        assert_eq!(kind_of("payback_months"), Some(Kind::Count));
        assert_eq!(kind_of("site"), Some(Kind::Text));
        let numbers = |v: &[&str]| {
            v.iter()
                .map(|d| Field::Number(d.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            infer(numbers(&["1.5", "2.25"]).into_iter()),
            Kind::Decimal(2)
        );
        assert_eq!(infer(numbers(&["3", "4"]).into_iter()), Kind::Count);
        assert_eq!(infer([Field::Null].into_iter()), Kind::Text);
        // Axis values: 41616.161616161616161616161616 needs scale 24 (5 +
        // 24 = 29 digits, within 38); with 1e20 beside it, 21 + 24 = 45
        // digits do not fit, so the axis stays text.
        assert_eq!(
            kind_of_values(["40000", "41616.161616161616161616161616"]),
            Kind::Decimal(24)
        );
        assert_eq!(kind_of_values(["1", "2"]), Kind::Count);
        assert_eq!(kind_of_values(["true", "false"]), Kind::Text);
        assert_eq!(
            kind_of_values(["100000000000000000000", "0.161616161616161616161616"]),
            Kind::Text
        );
    }

    /// A table with a null, a negative and text: the file is Parquet
    /// (`PAR1` at both ends), and a figure with too many decimals for its
    /// column is refused rather than rounded.
    #[test]
    fn writes_parquet_and_refuses_lost_digits() {
        let table = Table {
            columns: vec!["site".into(), "npv_usd".into(), "payback_months".into()],
            rows: vec![
                vec![
                    Field::Text("North".into()),
                    Field::Number("-1500.00".into()),
                    Field::Null,
                ],
                vec![
                    Field::Text("South".into()),
                    Field::Null,
                    Field::Number("36".into()),
                ],
            ],
        };
        let mut bytes = Vec::new();
        write(&table, &mut bytes).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
        let mut bad = table.clone();
        bad.rows[0][1] = Field::Number("1.005".into());
        assert!(write(&bad, Vec::new()).is_err());
    }
}
