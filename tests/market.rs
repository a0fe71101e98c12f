//! `hashpivot market` and `init --market` end to end, against a local HTTP
//! server on 127.0.0.1 answering by path from the recorded replies in
//! `tests/market/` (written from the fields mempool's REST API documents),
//! with the clock fixed by `HASHPIVOT_NOW`. No test touches the internet.
//!
//! The fixed clock is 2026-12-04T12:34:56Z (Unix 1,796,387,696); the tip
//! block's timestamp is ten minutes earlier (1,796,387,096).

mod common;

use common::{scratch, text};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

const NOW: &str = "2026-12-04T12:34:56Z";
const HASH: &str = "00000000000000000001c0ffee00000000000000000000000000000000000000";

/// A reply: status, body, and a delay before it is sent.
#[derive(Clone)]
struct Reply {
    status: u16,
    body: String,
    delay: Duration,
}

/// The replies of a folder under tests/market/, by URL path.
fn recorded(set: &str) -> BTreeMap<String, Reply> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/market")
        .join(set);
    let mut replies = BTreeMap::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let url = path.strip_prefix(&root).unwrap().to_str().unwrap();
                let reply = Reply {
                    status: 200,
                    body: std::fs::read_to_string(&path).unwrap(),
                    delay: Duration::ZERO,
                };
                replies.insert(format!("/{url}"), reply);
            }
        }
    }
    replies
}

/// Serves `replies` on 127.0.0.1 (404 for any other path) from a thread
/// for the rest of the test process; returns the base URL.
fn serve(replies: BTreeMap<String, Reply>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            // Skip the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split(' ').nth(1).unwrap_or("").to_string();
            let reply = replies.get(&path).cloned().unwrap_or(Reply {
                status: 404,
                body: "Not found".into(),
                delay: Duration::ZERO,
            });
            let replies_delay = reply.delay;
            std::thread::spawn(move || {
                std::thread::sleep(replies_delay);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    reply.status,
                    reply.body.len(),
                    reply.body
                );
            });
        }
    });
    url
}

/// `hashpivot ARGS` with the clock fixed and no proxy in the way.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hashpivot"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HASHPIVOT_NOW", NOW)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .unwrap()
}

/// `market --api` against `replies`: its stdout, asserting success.
fn market_ok(replies: BTreeMap<String, Reply>) -> (String, String) {
    let api = serve(replies);
    let out = run(&["market", "--api", &api]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    (api, text(&out.stdout))
}

/// `market --api` against `replies` with `extra` arguments: its stderr,
/// asserting exit 2 and nothing on stdout.
fn market_fails(replies: BTreeMap<String, Reply>, extra: &[&str]) -> (String, String) {
    let api = serve(replies);
    let mut args = vec!["market", "--api", &api];
    args.extend(extra);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        out.stdout.is_empty(),
        "partial output: {}",
        text(&out.stdout)
    );
    (api, text(&out.stderr))
}

/// The good replies with the one at `path` changed.
fn with(path: &str, change: impl FnOnce(&mut Reply)) -> BTreeMap<String, Reply> {
    let mut replies = recorded("good");
    change(replies.get_mut(path).unwrap());
    replies
}

/// Every figure, as worked out by hand from the recorded replies:
///
/// - start: the month after 2026-12-04 is 2027-01;
/// - block_height: 2027-01-01T00:00:00Z is Unix 1,798,761,600, minus the
///   clock's 1,796,387,696 is 2,373,904 s (27 days 11 h 25 min 4 s);
///   ÷ 600 = 3,956.51, rounded down 3,956; the tip 927,999 + 3,956 =
///   931,955;
/// - network_hashrate_ehs: 149,301,205,959,699.9 × 2^32 (4,294,967,296) =
///   641,244,820,742,823,643,390,284.8; ÷ 600 = 1,068,739,661,417,118,
///   940,790.78 H/s; ÷ 10^18 = 1,068.7397 EH/s → 1068.74. currentHashrate
///   1.0512345678901234e21 H/s = 1,051.23 EH/s, 1.6 % below: accepted;
/// - fees_btc_per_block: blocks 927,856 to 927,999 are 144; 1,234,567,890
///   sat ÷ 144 = 8,573,388.125 sat; ÷ 10^8 = 0.08573388125 → 0.08573388;
/// - price_usd: 98,765.432 → 98765.43.
fn assert_figures(api: &str, out: &str) {
    let expected = format!(
        "# Market figures for a scenario starting 2027-01, read from {api} at
# 2026-12-04T12:34:56Z by `hashpivot market`. `start` belongs at the top level of
# the scenario, before any table; the [bitcoin] keys replace those of
# its [bitcoin] table (growth rates and block_time_s are yours).
start = \"2027-01\"

[bitcoin]
# Height of the first block of 2027-01: the tip 927999 (GET {api}/api/blocks/tip/height at 2026-12-04T12:34:56Z),
# + 2373904 s from then to 2027-01-01T00:00:00Z ÷ 600 s a block, rounded
# down (integer) · required · ≥ 0; it places the halvings.
block_height = 931955
# EH/s: currentDifficulty 149301205959699.9 × 2^32 ÷ 600 ÷ 10^18, 2 decimals
# (GET {api}/api/v1/mining/hashrate/1w at 2026-12-04T12:34:56Z); the endpoint's currentHashrate is
# 1051.23 EH/s (the check: within 20 %) · required · > 0.
network_hashrate_ehs = 1068.74
# BTC of fees per block: totalFee 1234567890 sat ÷ 144 blocks (927856 to 927999)
# ÷ 10^8, 8 decimals (GET {api}/api/v1/mining/reward-stats/144 at 2026-12-04T12:34:56Z)
# · default 0 · ≥ 0.
fees_btc_per_block = 0.08573388
# USD per BTC in the first month: USD, 2 decimals
# (GET {api}/api/v1/prices at 2026-12-04T12:34:56Z) · required · > 0.
price_usd = 98765.43
"
    );
    assert_eq!(out, expected);
}

#[test]
fn good_replies_give_every_figure_worked_out_by_hand() {
    let (api, out) = market_ok(recorded("good"));
    assert_figures(&api, &out);
}

#[test]
fn numbers_sent_as_strings_give_the_same_figures() {
    // The same values, every number a JSON string ("1051234567890123400000"
    // is 1.0512345678901234e21 written out).
    let (api, out) = market_ok(recorded("strings"));
    assert_figures(&api, &out);
}

#[test]
fn a_slow_server_times_out() {
    let replies = with("/api/v1/prices", |r| r.delay = Duration::from_secs(4));
    let (api, stderr) = market_fails(replies, &["--timeout", "1"]);
    assert_eq!(
        stderr,
        format!(
            "error: {api}/api/v1/prices: no complete reply within 1 s (--timeout)\n\
             nothing was written: every market figure is read before any is printed\n"
        )
    );
}

#[test]
fn a_server_error_is_an_error() {
    let replies = with("/api/v1/mining/hashrate/1w", |r| {
        r.status = 500;
        r.body = "Internal Server Error".into();
    });
    let (api, stderr) = market_fails(replies, &[]);
    assert!(
        stderr.starts_with(&format!(
            "error: {api}/api/v1/mining/hashrate/1w: HTTP status 500"
        )),
        "{stderr}"
    );
}

#[test]
fn truncated_json_is_an_error() {
    let replies = with("/api/v1/mining/reward-stats/144", |r| {
        r.body = r#"{"startBlock":927856,"endBlock":9279"#.into();
    });
    let (api, stderr) = market_fails(replies, &[]);
    assert!(
        stderr.starts_with(&format!(
            "error: {api}/api/v1/mining/reward-stats/144: the reply is not a JSON object: EOF while parsing"
        )),
        "{stderr}"
    );
}

#[test]
fn a_string_where_a_number_belongs_is_an_error() {
    let replies = with("/api/v1/mining/hashrate/1w", |r| {
        r.body = r#"{"currentHashrate":"abc","currentDifficulty":149301205959699.9}"#.into();
    });
    let (api, stderr) = market_fails(replies, &[]);
    assert!(
        stderr.starts_with(&format!(
            "error: {api}/api/v1/mining/hashrate/1w: field \"currentHashrate\" should be a number, not \"abc\"\n"
        )),
        "{stderr}"
    );
}

#[test]
fn a_hashrate_far_from_the_difficulty_is_an_error() {
    // 8e20 H/s = 800 EH/s; the difficulty implies 1,068.74: 25.1 % below
    // (268.74 ÷ 1,068.74), over the 20 % allowed.
    let replies = with("/api/v1/mining/hashrate/1w", |r| {
        r.body = r#"{"currentHashrate":8e20,"currentDifficulty":149301205959699.9}"#.into();
    });
    let (api, stderr) = market_fails(replies, &[]);
    assert!(
        stderr.starts_with(&format!(
            "error: {api}/api/v1/mining/hashrate/1w: currentHashrate 800.00 EH/s and the 1068.74 EH/s implied by currentDifficulty differ by more than 20 %"
        )),
        "{stderr}"
    );
}

#[test]
fn a_stale_tip_is_an_error() {
    // 1,796,380,000 is 2026-12-04T10:26:40Z: 2 h 8 min 16 s before the
    // clock.
    let replies = with(&format!("/api/block/{HASH}"), |r| {
        r.body = r#"{"id":"x","timestamp":1796380000}"#.into();
    });
    let (api, stderr) = market_fails(replies, &[]);
    assert!(
        stderr.starts_with(&format!(
            "error: {api}/api/block/{HASH}: the tip block's timestamp 2026-12-04T10:26:40Z is 2 h 08 min old at 2026-12-04T12:34:56Z"
        )),
        "{stderr}"
    );
}

#[test]
fn init_market_writes_a_scenario_that_runs_without_warnings() {
    let api = serve(recorded("good"));
    let dir = scratch("init-market");
    for kind in ["colocation", "gpu_cloud"] {
        let file = dir.join(format!("{kind}.toml"));
        let file = file.to_str().unwrap();
        let out = run(&["init", file, "--market", "--api", &api, "--kind", kind]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let scenario = std::fs::read_to_string(file).unwrap();
        // The scenario and its AI plan start in 2027-01, and every figure
        // is the one worked out in `assert_figures`, traced to its endpoint.
        assert_eq!(scenario.matches("start = \"2027-01\"\n").count(), 2);
        for (line, endpoint) in [
            ("block_height = 931955\n", "/api/blocks/tip/height"),
            (
                "network_hashrate_ehs = 1068.74\n",
                "/api/v1/mining/hashrate/1w",
            ),
            (
                "fees_btc_per_block = 0.08573388\n",
                "/api/v1/mining/reward-stats/144",
            ),
            ("price_usd = 98765.43\n", "/api/v1/prices"),
        ] {
            assert_eq!(scenario.matches(line).count(), 1, "{line}");
            let source = format!("GET {api}{endpoint} at 2026-12-04T12:34:56Z");
            assert!(scenario.contains(&source), "{source}");
        }
        let out = run(&["run", "--deny-warnings", file]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    }
    // A failed read writes no file.
    let bad = serve(with("/api/v1/prices", |r| r.status = 503));
    let file = dir.join("never.toml");
    let out = run(&["init", file.to_str().unwrap(), "--market", "--api", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!file.exists());
}
