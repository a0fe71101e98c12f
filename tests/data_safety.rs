//! hashpivot never destroys a user's file: not the scenario it reads, not a
//! read-only file, not one golden with another, and an interrupted run
//! leaves no temporary file behind.

mod common;

use common::{hashpivot, scratch, text};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LAKE: &str = "scenarios/lake-mariner.toml";

fn copy_lake(to: &Path) {
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(LAKE), to).unwrap();
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn output_onto_an_input_is_refused() {
    let dir = scratch("safety-output-is-input");
    let scenario = dir.join("clob.toml");
    copy_lake(&scenario);
    let before = std::fs::read(&scenario).unwrap();
    let out = hashpivot(&["run", s(&scenario), "-o", s(&scenario)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: -o {} is one of the inputs: refusing to replace it with the output\n",
            scenario.display()
        )
    );
    assert_eq!(std::fs::read(&scenario).unwrap(), before);
    // Also through a folder, and for sweep.
    let out = hashpivot(&["run", s(&dir), "-o", s(&scenario)]);
    assert_eq!(out.status.code(), Some(2));
    let out = hashpivot(&[
        "sweep",
        s(&scenario),
        "--vary",
        "bitcoin.price_usd=1,2",
        "-o",
        s(&scenario),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&scenario).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no stray files"
    );
}

#[test]
fn a_read_only_output_is_refused_even_for_root() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("safety-read-only");
    let target = dir.join("kept.txt");
    std::fs::write(&target, "keep me\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = hashpivot(&["run", LAKE, "-o", s(&target)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: cannot write {}: the file is read-only (no write permission bits)\n",
            target.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
}

#[test]
fn two_scenarios_never_share_a_golden() {
    let dir = scratch("safety-shared-golden");
    let (a, b) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    copy_lake(&a.join("site.toml"));
    copy_lake(&b.join("site.toml"));
    let goldens = dir.join("goldens");
    std::fs::create_dir_all(&goldens).unwrap();
    let (first, second) = (a.join("site.toml"), b.join("site.toml"));
    let out = hashpivot(&[
        "check",
        "--update",
        "--golden-dir",
        s(&goldens),
        s(&first),
        s(&second),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {} and {} would share the golden file {}: give them different file names\n",
            first.display(),
            second.display(),
            goldens.join("site.golden.json").display()
        )
    );
    assert_eq!(std::fs::read_dir(&goldens).unwrap().count(), 0);
}

#[test]
fn scenarios_of_one_name_are_not_paired() {
    let dir = scratch("safety-duplicate-names");
    let (a, b) = (dir.join("a.toml"), dir.join("b.toml"));
    copy_lake(&a);
    copy_lake(&b);
    let out = hashpivot(&["check", "--update", s(&a), s(&b)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {} and {} are both named \"Lake Mariner: mine or lease to AI\": names must be unique to pair them\n",
            a.display(),
            b.display()
        )
    );
    assert!(!dir.join("a.golden.json").exists());
    // diff: one saved output holding the name twice.
    let two = hashpivot(&["run", s(&a), s(&b), "--format", "json"]);
    let saved = dir.join("two.json");
    std::fs::write(&saved, &two.stdout).unwrap();
    let out = hashpivot(&["diff", s(&saved), s(&saved)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(&format!(
            "error: two scenarios in {} are named",
            saved.display()
        )),
        "{}",
        text(&out.stderr)
    );
}

/// SIGTERM (a batch scheduler's preemption) or SIGINT in the middle of a
/// long `sweep -o`: the temporary file goes, the target never appears, and
/// the exit code is 128 + the signal's number.
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    for (signal, number) in [("TERM", 15), ("INT", 2)] {
        let dir = scratch(&format!("safety-signal-{signal}"));
        let target = dir.join("big.csv");
        // A grid big enough to take seconds even in a release build.
        let mut child = Command::new(env!("CARGO_BIN_EXE_hashpivot"))
            .args([
                "sweep",
                LAKE,
                "--vary",
                "bitcoin.hashrate_growth_annual=0..0.8:1000",
                "--vary",
                "bitcoin.price_usd=40000..200000:1000",
                "--format",
                "csv",
                "-o",
                s(&target),
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let temporary = |dir: &Path| {
            std::fs::read_dir(dir)
                .unwrap()
                .filter_map(|e| e.ok())
                .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        };
        while !temporary(&dir) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no temporary file appeared"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(128 + number), "{signal}");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert!(left.is_empty(), "{signal}: {left:?}");
    }
}
