//! The hostile-input corpus: every file in tests/corpus/ is a scenario that
//! breaks one rule, with the exact error it must get beside it
//! (`NN-name.toml` and `NN-name.stderr`, each read by a person). Each runs
//! through the real binary with `-o`: exit 2, nothing on stdout, exactly the
//! expected message on stderr, no panic, and no output file.
//! Inputs that cannot be files in git (10 MB of random bytes, folders, a
//! missing file) are made here, as is the one that must pass: a file
//! starting with a byte-order mark.

mod common;

use common::{hashpivot, hashpivot_stdin, text};
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    common::scratch(&format!("corpus/{name}"))
}

/// Runs `hashpivot ARGS -o FILE` and checks everything bad input must get.
#[track_caller]
fn rejects(args: &[&str], expected_stderr: &str) {
    let out_dir = scratch(&format!(
        "out-{}",
        args.join("_").replace(['/', '.', ' '], "-")
    ));
    let target = out_dir.join("out.json");
    let mut all = args.to_vec();
    all.extend(["-o", target.to_str().unwrap()]);
    let out = hashpivot(&all);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: stdout not empty");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert_eq!(stderr, expected_stderr, "{args:?}");
    assert!(!target.exists(), "{args:?}: wrote an output file");
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        0,
        "{args:?}: left a file"
    );
}

#[test]
fn every_corpus_file_gets_its_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    for case in cases {
        let expected = std::fs::read_to_string(case.with_extension("stderr"))
            .unwrap_or_else(|_| panic!("{} has no .stderr", case.display()));
        let relative = format!(
            "tests/corpus/{}",
            case.file_name().unwrap().to_string_lossy()
        );
        // Every message names its file.
        assert!(expected.contains(&relative), "{relative}");
        rejects(&["run", &relative, "--format", "json"], &expected);
    }
}

#[test]
fn ten_megabytes_of_random_bytes() {
    let dir = scratch("random");
    let path = dir.join("noise.toml");
    // xorshift64*, fixed seed: the same bytes every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut bytes = Vec::with_capacity(10 << 20);
    while bytes.len() < 10 << 20 {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        bytes.extend_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    std::fs::write(&path, &bytes).unwrap();
    let valid = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
    rejects(
        &["run", path.to_str().unwrap()],
        &format!(
            "error: {} is not UTF-8 text (invalid byte at offset {valid})\n",
            path.display()
        ),
    );
}

#[test]
fn a_folder_given_to_sweep() {
    rejects(
        &["sweep", "scenarios", "--vary", "bitcoin.price_usd=1,2"],
        "error: scenarios is a folder: sweep takes one scenario file\n",
    );
}

#[test]
fn a_folder_with_no_scenarios_given_to_run() {
    let dir = scratch("no-scenarios");
    std::fs::write(dir.join("notes.txt"), "nothing to run").unwrap();
    rejects(
        &["run", dir.to_str().unwrap()],
        &format!(
            "error: {} is a folder with no scenario (*.toml) in it\n",
            dir.display()
        ),
    );
}

#[test]
fn a_missing_file() {
    rejects(
        &["run", "tests/corpus/no-such-scenario.toml"],
        "error: cannot read tests/corpus/no-such-scenario.toml: No such file or directory (os error 2)\n",
    );
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let dir = scratch("bom");
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/halving-2028.toml"),
    )
    .unwrap();
    let path = dir.join("bom.toml");
    std::fs::write(&path, format!("\u{feff}{shipped}")).unwrap();
    let with = hashpivot(&["run", path.to_str().unwrap(), "--format", "json"]);
    let without = hashpivot(&["run", "scenarios/halving-2028.toml", "--format", "json"]);
    assert_eq!(without.status.code(), Some(0));
    assert_eq!(with.status.code(), Some(0), "{}", text(&with.stderr));
    assert!(with.stderr.is_empty(), "{}", text(&with.stderr));
    assert!(!without.stdout.is_empty());
    assert_eq!(text(&with.stdout), text(&without.stdout));
    // The same on standard input, in the table.
    let plain = hashpivot_stdin(&["run", "-"], &shipped);
    let bom = hashpivot_stdin(&["run", "-"], &format!("\u{feff}{shipped}"));
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(bom.status.code(), Some(0), "{}", text(&bom.stderr));
    assert!(bom.stderr.is_empty(), "{}", text(&bom.stderr));
    assert!(!plain.stdout.is_empty());
    assert_eq!(text(&bom.stdout), text(&plain.stdout));
}
