//! `market`: today's network and price, as the `[bitcoin]` table of a
//! scenario that starts next month.
//!
//! Every scenario starts from a block height, a network hashrate, the fees
//! per block and a BTC price, which a user would otherwise look up by hand
//! on a block explorer and copy with a slip or two. `market` reads them
//! from a mempool-compatible HTTP API (the public <https://mempool.space>
//! by default; operators run their own and pass `--api`), works out the
//! figures of the first month of the scenario, and prints them with a
//! comment each naming the endpoint, the UTC time it was read and how the
//! figure follows from the reply, so a reader can check it by hand.
//!
//! The endpoints and the fields used (mempool's REST API, as documented on
//! mempool.space/docs/api/rest and in the typed clients of it, e.g. the
//! `Block` interface of mempool.js: `id`, `height`, `timestamp` in Unix
//! seconds; `getBlocksTipHeight: number`, `getBlocksTipHash: string`; the
//! reward-stats schema whose `totalFee`, `totalReward` and `totalTx` are
//! strings of digits):
//!
//! - `GET /api/blocks/tip/height`: the tip's height, as plain text;
//! - `GET /api/blocks/tip/hash` then `GET /api/block/{hash}`: the tip
//!   block, whose `timestamp` says how old the tip is (an API stuck on a
//!   stale tip would date the whole scenario wrongly);
//! - `GET /api/v1/mining/hashrate/1w`: `currentDifficulty` and
//!   `currentHashrate` (H/s);
//! - `GET /api/v1/mining/reward-stats/144`: `startBlock`, `endBlock` and
//!   `totalFee` (satoshis) of the last 144 blocks (about a day);
//! - `GET /api/v1/prices`: `USD`, the price of one BTC.
//!
//! Why these rules:
//!
//! - The hashrate is the one implied by the difficulty (difficulty × 2³²
//!   hashes a block ÷ 600 s), not the endpoint's own estimate: difficulty
//!   is a consensus value anyone can check, while `currentHashrate` is an
//!   estimate from recent block times that swings with luck. The estimate
//!   is printed beside it, and more than 20 % between the two means one
//!   of them is wrong (an API mid-adjustment, a testnet instance): an
//!   error, not a guess.
//! - Numbers are read from the JSON text into exact decimals (serde_json's
//!   raw values, never `f64`), as every figure of hashpivot is exact; a
//!   number may arrive as a JSON string (reward-stats sends its sums as
//!   strings of digits), never as text that is not a number.
//! - Any failure (timeout, status other than 200, malformed JSON, a
//!   missing or mistyped field, a value ≤ 0, the 20 % check, a tip older
//!   than two hours) is an error before anything is printed: a half
//!   `[bitcoin]` table pasted into a scenario is worse than none.
//! - The clock is a parameter: `HASHPIVOT_NOW` (RFC 3339 UTC, e.g.
//!   `2026-12-04T12:00:00Z`), read by `market` and `init --market` only,
//!   fixes it for tests and reproducible runs; without it, the system
//!   clock is read once per request.

use super::args::{MarketArgs, MarketSource};
use super::failure::Failure;
use super::output::write_stdout;
use chrono::{DateTime, Datelike, NaiveDate, Timelike};
use hashpivot::scenario::literal::parse_decimal;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// The public mempool instance.
pub(crate) const DEFAULT_API: &str = "https://mempool.space";

/// The environment variable that fixes the clock.
pub(crate) const NOW_VAR: &str = "HASHPIVOT_NOW";

/// Seconds per block, the target the difficulty adjusts to.
const BLOCK_SECONDS: i64 = 600;

/// The oldest tip accepted, in seconds (two hours).
const MAX_TIP_AGE: i64 = 7200;

/// What went wrong, with the URL it went wrong at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarketError {
    /// The URL read, or the variable (`HASHPIVOT_NOW`) or option at fault.
    pub(crate) at: String,
    pub(crate) why: String,
}

impl fmt::Display for MarketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.why)
    }
}

/// One reading: the endpoint's URL and the UTC time (Unix seconds) it was
/// read at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    pub(crate) url: String,
    pub(crate) at: i64,
}

impl Reading {
    /// "GET URL at TIME".
    fn source(&self) -> String {
        format!("GET {} at {}", self.url, utc_text(self.at))
    }
}

/// The figures of the scenario's first month, each with where it came
/// from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Figures {
    /// The API's base URL as given.
    pub(crate) api: String,
    /// The scenario's first month: the calendar month after the tip's
    /// reading.
    pub(crate) year: i32,
    pub(crate) month: u32,
    pub(crate) tip_height: u64,
    pub(crate) tip_reading: Reading,
    /// Whole seconds from the tip's reading to the first month's start.
    pub(crate) seconds_to_start: i64,
    pub(crate) block_height: u64,
    pub(crate) difficulty: Decimal,
    /// The endpoint's own estimate, EH/s (the check).
    pub(crate) reported_ehs: Decimal,
    pub(crate) hashrate_reading: Reading,
    /// Difficulty-implied, EH/s, 2 decimals.
    pub(crate) network_hashrate_ehs: Decimal,
    pub(crate) total_fee_sat: Decimal,
    pub(crate) start_block: u64,
    pub(crate) end_block: u64,
    pub(crate) fees_reading: Reading,
    /// BTC per block, 8 decimals.
    pub(crate) fees_btc_per_block: Decimal,
    pub(crate) price_reading: Reading,
    /// USD per BTC, 2 decimals.
    pub(crate) price_usd: Decimal,
}

impl Figures {
    /// The first month, "YYYY-MM".
    pub(crate) fn start(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The first reading's time, as the table's heading states it.
    pub(crate) fn read_at(&self) -> String {
        utc_text(self.tip_reading.at)
    }

    /// The comment lines (each starting "# ", no newline at the end) of
    /// each `[bitcoin]` key, in the order printed.
    pub(crate) fn comments(&self) -> [(&'static str, String, String); 4] {
        let start = self.start();
        [
            (
                "block_height",
                format!(
                    "# Height of the first block of {start}: the tip {} ({}),\n\
                     # + {} s from then to {start}-01T00:00:00Z ÷ 600 s a block, rounded\n\
                     # down (integer) · required · ≥ 0; it places the halvings.",
                    self.tip_height,
                    self.tip_reading.source(),
                    self.seconds_to_start,
                ),
                self.block_height.to_string(),
            ),
            (
                "network_hashrate_ehs",
                format!(
                    "# EH/s: currentDifficulty {} × 2^32 ÷ 600 ÷ 10^18, 2 decimals\n\
                     # ({}); the endpoint's currentHashrate is\n\
                     # {} EH/s (the check: within 20 %) · required · > 0.",
                    self.difficulty.normalize(),
                    self.hashrate_reading.source(),
                    rounded(self.reported_ehs, 2),
                ),
                self.network_hashrate_ehs.to_string(),
            ),
            (
                "fees_btc_per_block",
                format!(
                    "# BTC of fees per block: totalFee {} sat ÷ {} blocks ({} to {})\n\
                     # ÷ 10^8, 8 decimals ({})\n\
                     # · default 0 · ≥ 0.",
                    self.total_fee_sat.normalize(),
                    self.end_block - self.start_block + 1,
                    self.start_block,
                    self.end_block,
                    self.fees_reading.source(),
                ),
                self.fees_btc_per_block.to_string(),
            ),
            (
                "price_usd",
                format!(
                    "# USD per BTC in the first month: USD, 2 decimals\n\
                     # ({}) · required · > 0.",
                    self.price_reading.source(),
                ),
                self.price_usd.to_string(),
            ),
        ]
    }

    /// What `market` prints: the `start` line and the `[bitcoin]` table.
    pub(crate) fn table(&self) -> String {
        let start = self.start();
        let mut out = format!(
            "# Market figures for a scenario starting {start}, read from {} at\n\
             # {} by `hashpivot market`. `start` belongs at the top level of\n\
             # the scenario, before any table; the [bitcoin] keys replace those of\n\
             # its [bitcoin] table (growth rates and block_time_s are yours).\n\
             start = \"{start}\"\n\n[bitcoin]\n",
            self.api,
            self.read_at(),
        );
        for (key, comment, value) in self.comments() {
            out.push_str(&format!("{comment}\n{key} = {value}\n"));
        }
        out
    }
}

/// `hashpivot market`: fetch, then print the whole table at once.
pub(crate) fn market(args: &MarketArgs) -> Result<(), Failure> {
    let figures = fetch_with_args(&args.source)?;
    write_stdout(figures.table().as_bytes())
}

/// Fetches with the clock `HASHPIVOT_NOW` sets, or the system's.
pub(crate) fn fetch_with_args(source: &MarketSource) -> Result<Figures, Failure> {
    let fixed = match std::env::var(NOW_VAR) {
        Ok(text) => Some(parse_utc(&text).ok_or_else(|| {
            Failure::Market(MarketError {
                at: NOW_VAR.to_string(),
                why: format!("{text:?} is not a UTC time such as 2026-12-04T12:00:00Z"),
            })
        })?),
        Err(_) => None,
    };
    let clock = || fixed.map_or_else(system_now, Ok);
    let http = Http::new(Duration::from_secs(source.timeout));
    fetch(&source.api, &http, &clock).map_err(Failure::Market)
}

/// The system clock, Unix seconds.
fn system_now() -> Result<i64, MarketError> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .ok_or_else(|| MarketError {
            at: "the system clock".to_string(),
            why: "it reads before 1970".to_string(),
        })
}

/// Reads a URL's body; an error for anything but a 200 with a text body.
pub(crate) trait Get {
    fn get(&self, url: &str) -> Result<String, MarketError>;
}

/// The blocking HTTP client (ureq, TLS by rustls with the Mozilla roots
/// built in: no system library, the same on every platform).
struct Http {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Http {
    fn new(timeout: Duration) -> Http {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Http { agent, timeout }
    }
}

impl Get for Http {
    fn get(&self, url: &str) -> Result<String, MarketError> {
        let fail = |why: String| MarketError {
            at: url.to_string(),
            why,
        };
        let mut response = self.agent.get(url).call().map_err(|e| match e {
            ureq::Error::Timeout(_) => fail(format!(
                "no complete reply within {} s (--timeout)",
                self.timeout.as_secs()
            )),
            other => fail(format!(
                "request failed: {other} (no network here? --api takes the URL of a mempool instance you can reach)"
            )),
        })?;
        let status = response.status();
        if status != 200 {
            return Err(fail(format!("HTTP status {status} (expected 200 OK)")));
        }
        response.body_mut().read_to_string().map_err(|e| match e {
            ureq::Error::Timeout(_) => fail(format!(
                "no complete reply within {} s (--timeout)",
                self.timeout.as_secs()
            )),
            other => fail(format!("cannot read the reply: {other}")),
        })
    }
}

/// Reads every endpoint, checks every reply, and works out the figures.
/// `clock` gives the time of each request (Unix seconds, UTC).
pub(crate) fn fetch(
    api: &str,
    http: &dyn Get,
    clock: &dyn Fn() -> Result<i64, MarketError>,
) -> Result<Figures, MarketError> {
    let base = api.trim_end_matches('/');
    let read = |path: &str| -> Result<(String, Reading), MarketError> {
        let url = format!("{base}{path}");
        let at = clock()?;
        let body = http.get(&url)?;
        Ok((body, Reading { url, at }))
    };

    // The tip's height, and the first month after the time it was read.
    let (body, tip_reading) = read("/api/blocks/tip/height")?;
    let tip_height = plain_integer(&body).ok_or_else(|| MarketError {
        at: tip_reading.url.clone(),
        why: format!("expected a block height (a whole number > 0), got {body:?}"),
    })?;
    let (year, month, month_start) = next_month(tip_reading.at).ok_or_else(|| MarketError {
        at: NOW_VAR.to_string(),
        why: "the clock is outside the calendar's range".to_string(),
    })?;
    let seconds_to_start = month_start - tip_reading.at;
    let blocks_ahead = u64::try_from(seconds_to_start.div_euclid(BLOCK_SECONDS)).unwrap_or(0);
    let block_height = tip_height + blocks_ahead;

    // The tip's age.
    let (hash, hash_reading) = read("/api/blocks/tip/hash")?;
    let hash = hash.trim();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(MarketError {
            at: hash_reading.url,
            why: format!("expected a block hash (64 hex digits), got {hash:?}"),
        });
    }
    let (body, block_reading) = read(&format!("/api/block/{hash}"))?;
    let block = Object::parse(&body, &block_reading.url)?;
    let timestamp = block.integer("timestamp")?;
    let age = block_reading.at - i64::try_from(timestamp).unwrap_or(i64::MAX);
    if age > MAX_TIP_AGE {
        return Err(MarketError {
            at: block_reading.url,
            why: format!(
                "the tip block's timestamp {} is {} old at {}: a tip older than two hours means the API is not following the chain",
                utc_text(i64::try_from(timestamp).unwrap_or(0)),
                duration_text(age),
                utc_text(block_reading.at),
            ),
        });
    }
    // A tip ahead of the clock by more than the same margin: the clock (or
    // the API) is wrong, and the month and height built on it would be.
    if -age > MAX_TIP_AGE {
        return Err(MarketError {
            at: block_reading.url,
            why: format!(
                "the tip block's timestamp {} is {} ahead of the clock ({}): a tip more than two hours in the future means the clock or the API is wrong",
                utc_text(i64::try_from(timestamp).unwrap_or(0)),
                duration_text(-age),
                utc_text(block_reading.at),
            ),
        });
    }

    // The hashrate implied by the difficulty, checked against the estimate.
    let (body, hashrate_reading) = read("/api/v1/mining/hashrate/1w")?;
    let hashrate = Object::parse(&body, &hashrate_reading.url)?;
    let difficulty = hashrate.positive("currentDifficulty")?;
    let reported = hashrate.positive("currentHashrate")?;
    let exa = Decimal::from(1_000_000_000_000_000_000u64);
    let implied = difficulty
        .checked_mul(Decimal::from(1u64 << 32))
        .and_then(|h| h.checked_div(Decimal::from(BLOCK_SECONDS)))
        .and_then(|h| h.checked_div(exa))
        .ok_or_else(|| hashrate.wrong("currentDifficulty", "is out of range"))?;
    let reported_ehs = reported
        .checked_div(exa)
        .ok_or_else(|| hashrate.wrong("currentHashrate", "is out of range"))?;
    // |reported − implied| > 20 % of implied.
    if (reported_ehs - implied).abs() * Decimal::from(5) > implied {
        return Err(MarketError {
            at: hashrate_reading.url,
            why: format!(
                "currentHashrate {} EH/s and the {} EH/s implied by currentDifficulty differ by more than 20 %: one of them is wrong",
                rounded(reported_ehs, 2),
                rounded(implied, 2),
            ),
        });
    }

    // Fees per block over the last 144 blocks.
    let (body, fees_reading) = read("/api/v1/mining/reward-stats/144")?;
    let rewards = Object::parse(&body, &fees_reading.url)?;
    let total_fee_sat = rewards.positive("totalFee")?;
    let start_block = rewards.integer("startBlock")?;
    let end_block = rewards.integer("endBlock")?;
    if end_block < start_block {
        return Err(rewards.wrong(
            "endBlock",
            &format!("{end_block} is before startBlock {start_block}"),
        ));
    }
    let blocks = Decimal::from(end_block - start_block + 1);
    let fees = total_fee_sat / blocks / Decimal::from(100_000_000u64);

    // The price.
    let (body, price_reading) = read("/api/v1/prices")?;
    let prices = Object::parse(&body, &price_reading.url)?;
    let price = prices.positive("USD")?;

    Ok(Figures {
        api: api.to_string(),
        year,
        month,
        tip_height,
        tip_reading,
        seconds_to_start,
        block_height,
        difficulty,
        reported_ehs,
        hashrate_reading,
        network_hashrate_ehs: rounded(implied, 2),
        total_fee_sat,
        start_block,
        end_block,
        fees_reading,
        fees_btc_per_block: rounded(fees, 8),
        price_reading,
        price_usd: rounded(price, 2),
    })
}

/// `value` at `places` decimals (half to even, as every printed figure of
/// hashpivot), with the trailing zeros kept.
fn rounded(value: Decimal, places: u32) -> Decimal {
    let mut out = value.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
    out.rescale(places);
    out
}

/// A whole number > 0 sent as plain text (surrounding white space allowed).
fn plain_integer(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>().ok().filter(|n| *n > 0)
}

/// A JSON object's fields, each kept as its JSON text.
struct Object<'a> {
    url: &'a str,
    fields: BTreeMap<String, Box<RawValue>>,
}

impl<'a> Object<'a> {
    fn parse(body: &str, url: &'a str) -> Result<Object<'a>, MarketError> {
        let fields =
            serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(body).map_err(|e| {
                MarketError {
                    at: url.to_string(),
                    why: format!("the reply is not a JSON object: {e}"),
                }
            })?;
        Ok(Object { url, fields })
    }

    fn wrong(&self, field: &str, why: &str) -> MarketError {
        MarketError {
            at: self.url.to_string(),
            why: format!("field {field:?} {why}"),
        }
    }

    /// A field's exact value: a JSON number, or a JSON string holding one.
    fn number(&self, field: &str) -> Result<Decimal, MarketError> {
        let raw = self
            .fields
            .get(field)
            .ok_or_else(|| self.wrong(field, "is missing"))?
            .get();
        let text = if raw.starts_with('"') {
            serde_json::from_str::<String>(raw).map_err(|_| self.wrong(field, "is not a number"))?
        } else if raw.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
            raw.to_string()
        } else {
            return Err(self.wrong(field, &format!("should be a number, not {raw}")));
        };
        // JSON number syntax only (no `_`, `inf` or `nan` of TOML's).
        let json_like = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        json_like
            .then(|| parse_decimal(&text).ok())
            .flatten()
            .ok_or_else(|| self.wrong(field, &format!("should be a number, not {raw}")))
    }

    /// A field's value, which must be > 0.
    fn positive(&self, field: &str) -> Result<Decimal, MarketError> {
        let value = self.number(field)?;
        if value <= Decimal::ZERO {
            return Err(self.wrong(field, &format!("is {value}: it must be > 0")));
        }
        Ok(value)
    }

    /// A field's value, which must be a whole number ≥ 0.
    fn integer(&self, field: &str) -> Result<u64, MarketError> {
        let value = self.number(field)?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(self.wrong(field, &format!("is {value}: it must be ≥ 0")));
        }
        value
            .fract()
            .is_zero()
            .then(|| u64::try_from(value.trunc()).ok())
            .flatten()
            .ok_or_else(|| self.wrong(field, &format!("is {value}: it must be a whole number")))
    }
}

/// The calendar month after the one holding `now`: (year, month, its
/// first second, Unix seconds).
fn next_month(now: i64) -> Option<(i32, u32, i64)> {
    let date = DateTime::from_timestamp(now, 0)?.date_naive();
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    let start = NaiveDate::from_ymd_opt(year, month, 1)?
        .and_hms_opt(0, 0, 0)?
        .and_utc()
        .timestamp();
    Some((year, month, start))
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
fn utc_text(seconds: i64) -> String {
    match DateTime::from_timestamp(seconds, 0) {
        Some(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        None => format!("{seconds} s after 1970"),
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (UTC only, as `utc_text` writes it).
fn parse_utc(text: &str) -> Option<i64> {
    let body = text.strip_suffix('Z')?;
    let (date, time) = body.split_once('T')?;
    let mut date = date.splitn(3, '-').map(str::parse::<u32>);
    let (y, mo, d) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
    let mut time = time.splitn(3, ':').map(str::parse::<u32>);
    let (h, mi, s) = (time.next()?.ok()?, time.next()?.ok()?, time.next()?.ok()?);
    Some(
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d)?
            .and_hms_opt(h, mi, s)?
            .and_utc()
            .timestamp(),
    )
}

/// A duration in hours and minutes.
fn duration_text(seconds: i64) -> String {
    format!("{} h {:02} min", seconds / 3600, (seconds % 3600) / 60)
}

/// The figures of `tests::good()`'s replies (for `init`'s tests).
#[cfg(test)]
pub(crate) fn sample_figures() -> Figures {
    tests::fetch_with(tests::good()).unwrap_or_else(|e| unreachable!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// Replies by URL path, as a fake server.
    struct Replies(Vec<(&'static str, String)>);

    impl Get for Replies {
        fn get(&self, url: &str) -> Result<String, MarketError> {
            self.0
                .iter()
                .find(|(path, _)| url.ends_with(path))
                .map(|(_, body)| body.clone())
                .ok_or_else(|| MarketError {
                    at: url.to_string(),
                    why: "HTTP status 404".to_string(),
                })
        }
    }

    const HASH: &str = "00000000000000000001c0ffee00000000000000000000000000000000000000";

    /// 2026-12-04T12:34:56Z: `date -u -d 2026-12-04T12:34:56Z +%s`.
    const NOW: i64 = 1_796_387_696;

    pub(super) fn good() -> Vec<(&'static str, String)> {
        vec![
            ("/api/blocks/tip/height", "927999\n".to_string()),
            ("/api/blocks/tip/hash", HASH.to_string()),
            // 12:24:56, ten minutes before NOW.
            (HASH, format!("{{\"id\":\"{HASH}\",\"timestamp\":{}}}", NOW - 600)),
            (
                "/api/v1/mining/hashrate/1w",
                r#"{"hashrates":[],"difficulty":[],"currentHashrate":1.0512345678901234e+21,"currentDifficulty":149301205959699.9}"#.to_string(),
            ),
            (
                "/api/v1/mining/reward-stats/144",
                r#"{"startBlock":927856,"endBlock":927999,"totalReward":"46234567890","totalFee":"1234567890","totalTx":"600000"}"#.to_string(),
            ),
            ("/api/v1/prices", r#"{"time":1796387000,"USD":98765.432,"EUR":91000}"#.to_string()),
        ]
    }

    pub(super) fn fetch_with(replies: Vec<(&'static str, String)>) -> Result<Figures, MarketError> {
        fetch("http://api.test/", &Replies(replies), &|| Ok(NOW))
    }

    fn replace(path: &'static str, body: &str) -> Vec<(&'static str, String)> {
        let mut replies = good();
        for reply in &mut replies {
            if reply.0 == path {
                reply.1 = body.to_string();
            }
        }
        replies
    }

    #[test]
    fn every_figure_as_worked_out_by_hand() {
        let f = fetch_with(good()).unwrap();
        // The month after December 2026.
        assert_eq!(f.start(), "2027-01");
        // 2027-01-01T00:00:00Z is 1,798,761,600; minus NOW is 2,373,904 s
        // (27 days 11:25:04); ÷ 600 = 3,956.5 → 3,956 blocks; 927,999 +
        // 3,956 = 931,955.
        assert_eq!(f.seconds_to_start, 2_373_904);
        assert_eq!(f.block_height, 931_955);
        // 149,301,205,959,699.9 × 4,294,967,296 = 641,244,820,742,823,
        // 643,390,284.8 (hash attempts a block); ÷ 600 = 1,068,739,661,
        // 417,118,940,790.78 H/s; ÷ 10^18 = 1,068.7396… EH/s → 1,068.74.
        assert_eq!(
            f.network_hashrate_ehs,
            Decimal::from_str("1068.74").unwrap()
        );
        // 1.0512345678901234e21 H/s = 1,051.2345… EH/s, 1.6 % below.
        assert_eq!(rounded(f.reported_ehs, 2).to_string(), "1051.23");
        // 1,234,567,890 sat ÷ 144 blocks = 8,573,388.125 sat ÷ 10^8 =
        // 0.08573388125 → 0.08573388.
        assert_eq!(f.fees_btc_per_block.to_string(), "0.08573388");
        // 98,765.432 → 98,765.43.
        assert_eq!(f.price_usd.to_string(), "98765.43");
        let table = f.table();
        assert!(
            table.contains("start = \"2027-01\"\n\n[bitcoin]\n"),
            "{table}"
        );
        assert!(
            table.contains("GET http://api.test/api/v1/prices at 2026-12-04T12:34:56Z"),
            "{table}"
        );
        // The table is valid TOML.
        assert!(toml::from_str::<toml::Table>(&table).is_ok());
    }

    #[test]
    fn bad_replies_name_the_endpoint_and_the_fault() {
        let cases = [
            (
                replace("/api/v1/prices", r#"{"USD":"abc"}"#),
                "http://api.test/api/v1/prices: field \"USD\" should be a number, not \"abc\"",
            ),
            (
                replace("/api/v1/prices", r#"{"USD":-1}"#),
                "http://api.test/api/v1/prices: field \"USD\" is -1: it must be > 0",
            ),
            (
                replace("/api/v1/prices", r#"{"EUR":1}"#),
                "http://api.test/api/v1/prices: field \"USD\" is missing",
            ),
            (
                replace("/api/v1/prices", r#"{"USD":true}"#),
                "http://api.test/api/v1/prices: field \"USD\" should be a number, not true",
            ),
            (
                replace("/api/blocks/tip/height", "tip"),
                "http://api.test/api/blocks/tip/height: expected a block height (a whole number > 0), got \"tip\"",
            ),
            (
                replace(
                    "/api/v1/mining/reward-stats/144",
                    r#"{"startBlock":10,"endBlock":9,"totalFee":"5"}"#,
                ),
                "http://api.test/api/v1/mining/reward-stats/144: field \"endBlock\" 9 is before startBlock 10",
            ),
        ];
        for (replies, expected) in cases {
            assert_eq!(fetch_with(replies).unwrap_err().to_string(), expected);
        }
        // 8e20 H/s = 800 EH/s against 1,068.74: 25 % below.
        let err = fetch_with(replace(
            "/api/v1/mining/hashrate/1w",
            r#"{"currentHashrate":8e20,"currentDifficulty":149301205959699.9}"#,
        ))
        .unwrap_err();
        assert!(err.why.contains("more than 20 %"), "{err}");
        // A tip two hours and one second old.
        let err =
            fetch_with(replace(HASH, &format!("{{\"timestamp\":{}}}", NOW - 7201))).unwrap_err();
        assert!(err.why.contains("is 2 h 00 min old"), "{err}");
        // Exactly two hours is still fresh.
        assert!(fetch_with(replace(HASH, &format!("{{\"timestamp\":{}}}", NOW - 7200))).is_ok());
        // Two hours ahead is accepted; one second more is a wrong clock.
        assert!(fetch_with(replace(HASH, &format!("{{\"timestamp\":{}}}", NOW + 7200))).is_ok());
        let ahead = fetch_with(replace(HASH, &format!("{{\"timestamp\":{}}}", NOW + 7201)));
        assert!(
            ahead
                .unwrap_err()
                .why
                .contains("2 h 00 min ahead of the clock"),
        );
    }

    #[test]
    fn months_and_times() {
        // 2026-12-31T23:59:59Z is 1,798,761,599: one second to 2027-01.
        assert_eq!(next_month(1_798_761_599), Some((2027, 1, 1_798_761_600)));
        // 2027-01-01T00:00:00Z itself: the scenario starts in February.
        // 31 days later: 1,798,761,600 + 2,678,400 = 1,801,440,000.
        assert_eq!(next_month(1_798_761_600), Some((2027, 2, 1_801_440_000)));
        assert_eq!(parse_utc("2026-12-04T12:34:56Z"), Some(NOW));
        assert_eq!(utc_text(NOW), "2026-12-04T12:34:56Z");
        assert_eq!(parse_utc("2026-12-04T12:34:56+01:00"), None);
        assert_eq!(parse_utc("2026-13-04T12:34:56Z"), None);
        assert_eq!(plain_integer(" 12\n"), Some(12));
        assert_eq!(plain_integer("0"), None);
        assert_eq!(plain_integer("-3"), None);
    }
}
