//! `-o FILE`: written atomically, and only when the run succeeds.

mod common;

use common::{hashpivot, scratch, text};
use std::path::PathBuf;

const SHIPPED: &str = "scenarios/lake-mariner.toml";

fn entries(dir: &PathBuf) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn writes_what_stdout_would_show() {
    let dir = scratch("writes");
    let target = dir.join("out.csv");
    let out = hashpivot(&[
        "run",
        SHIPPED,
        "--format",
        "csv",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let stdout = hashpivot(&["run", SHIPPED, "--format", "csv"]).stdout;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), text(&stdout));
    // No temporary file is left beside it.
    assert_eq!(entries(&dir), ["out.csv"]);
}

#[test]
fn a_failed_run_creates_no_file() {
    let dir = scratch("fails");
    let target = dir.join("out.json");
    let out = hashpivot(&[
        "run",
        SHIPPED,
        "missing.toml",
        "--format",
        "json",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(entries(&dir).is_empty());
    // stderr says so, before the error that caused it.
    assert_eq!(
        text(&out.stderr),
        format!(
            "note: {} not written: 1 of 2 scenarios failed (a file holds all or none)\n\
             error: cannot read missing.toml: No such file or directory (os error 2)\n",
            target.display()
        )
    );
}

#[test]
fn a_failed_run_leaves_an_existing_file_untouched() {
    let dir = scratch("untouched");
    let target = dir.join("out.json");
    std::fs::write(&target, "previous results\n").unwrap();
    let out = hashpivot(&["run", "missing.toml", "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "previous results\n"
    );
    assert_eq!(entries(&dir), ["out.json"]);
}

#[test]
fn an_unwritable_target_is_an_error() {
    let dir = scratch("unwritable");
    let target = dir.join("no-such-folder").join("out.json");
    let out = hashpivot(&["run", SHIPPED, "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with(&format!("error: cannot write {}", target.display())));
}

/// `-o` onto a pipe (or a device such as /dev/null) writes into it and
/// leaves it what it was: a rename over it would put a plain file in its
/// place (as root, even over /dev/null). Checked with a FIFO read by
/// another thread (skipped where `mkfifo` is missing).
#[test]
fn output_into_a_pipe_leaves_the_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("output-fifo");
    let fifo = dir.join("out.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(&fifo).unwrap())
    };
    let out = hashpivot(&[
        "run",
        "scenarios/lake-mariner.toml",
        "--format",
        "csv",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    let read = reader.join().unwrap();
    let expected = common::hashpivot(&["run", "scenarios/lake-mariner.toml", "--format", "csv"]);
    assert_eq!(read, common::text(&expected.stdout));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}
