//! `hashpivot init` end to end: what it writes runs as is (`run` with no
//! warning, `validate`, `pivot`, `report`) for each kind and for one and
//! several sites; it never replaces a file; the stdout and file forms are
//! the same bytes; and it lists every key docs/keys.md documents, so a key
//! added to the docs fails here until the template has it.

mod common;

use common::{hashpivot, scratch, text};
use std::collections::BTreeSet;
use std::path::Path;

const KINDS: [&str; 2] = ["colocation", "gpu_cloud"];

/// `hashpivot ARGS`, asserting exit 0 and no warning; its stdout.
fn ok(args: &[&str]) -> String {
    let out = hashpivot(args);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{args:?} failed: {stderr}");
    assert!(!stderr.contains("warning:"), "{args:?} warned: {stderr}");
    text(&out.stdout)
}

/// `init FILE --kind KIND --sites N` into `dir`, returning the file's path.
fn init_file(dir: &Path, kind: &str, sites: &str) -> String {
    let file = dir.join(format!("{kind}-{sites}.toml"));
    let file = file.to_str().unwrap().to_string();
    ok(&["init", &file, "--kind", kind, "--sites", sites]);
    file
}

#[test]
fn what_init_writes_runs_validates_pivots_and_reports() {
    let dir = scratch("init-runs");
    for kind in KINDS {
        for sites in ["1", "3"] {
            let file = init_file(&dir, kind, sites);
            let summary = ok(&["run", &file]);
            assert_eq!(
                summary.matches("\nSite: ").count(),
                sites.parse::<usize>().unwrap(),
                "{kind} {sites}: {summary}"
            );
            assert!(summary.contains("Winner: "), "{summary}");
            assert_eq!(ok(&["validate", &file]), format!("ok {file}\n"));
            ok(&["pivot", &file]);
            let html = dir.join(format!("{kind}-{sites}.html"));
            // The file's own [risk] paths (2,000) for one site; 100 for
            // three, which take 20 s in a debug build otherwise.
            let mut args = vec!["report", &file, "-o", html.to_str().unwrap()];
            if sites != "1" {
                args.extend(["--paths", "100"]);
            }
            ok(&args);
            assert!(html.is_file());
        }
    }
}

#[test]
fn an_existing_file_is_refused_and_left_as_it_was() {
    let dir = scratch("init-exists");
    let file = dir.join("site.toml");
    let before = b"# mine, edited by hand\nformat = 2\n";
    std::fs::write(&file, before).unwrap();
    let out = hashpivot(&["init", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(file.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("not touched"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // Nothing else was left beside it (no temporary file).
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn stdout_and_file_are_the_same_bytes() {
    let dir = scratch("init-stdout");
    for kind in KINDS {
        for sites in ["1", "3"] {
            let file = init_file(&dir, kind, sites);
            let printed = hashpivot(&["init", "--kind", kind, "--sites", sites]);
            assert!(printed.status.success());
            assert_eq!(
                printed.stdout,
                std::fs::read(&file).unwrap(),
                "{kind} {sites}"
            );
        }
    }
    // The default kind is colocation, one site.
    let default = hashpivot(&["init"]).stdout;
    let explicit = hashpivot(&["init", "--kind", "colocation", "--sites", "1"]).stdout;
    assert_eq!(default, explicit);
}

/// The keys of docs/keys.md's key tables (those whose header starts `| key |
/// unit |`): each row's first code span, sites, blocks and rows unnumbered
/// (`site[n].mining.fleet[m].ths` is `site.mining.fleet.ths`).
fn documented_keys() -> BTreeSet<String> {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/keys.md"))
        .unwrap();
    let mut keys = BTreeSet::new();
    let mut in_key_table = false;
    for line in docs.lines() {
        if line.starts_with("| key | unit |") {
            in_key_table = true;
        } else if !line.starts_with('|') {
            in_key_table = false;
        } else if in_key_table && line.starts_with("| `") {
            let key = line.split('`').nth(1).unwrap();
            let mut plain = String::new();
            let mut skipping = false;
            for c in key.chars() {
                match c {
                    '[' => skipping = true,
                    ']' => skipping = false,
                    c if !skipping => plain.push(c),
                    _ => {}
                }
            }
            keys.insert(plain);
        }
    }
    keys
}

/// What the template holds: each table header (`site.mining.fleet`, from
/// `[[site.mining.fleet]]`) and each key as `table.key`, set or in a
/// comment (`# key = value`), the table being the last header above it.
fn template_keys(template: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut table = String::new();
    for line in template.lines() {
        let line = line.trim_start_matches('#').trim();
        if line.starts_with('[') && line.ends_with(']') {
            table = line.trim_matches(|c| c == '[' || c == ']').to_string();
            found.insert(table.clone());
        } else if let Some((key, _)) = line.split_once(" = ")
            && !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        {
            found.insert(if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            });
        }
    }
    found
}

#[test]
fn the_template_lists_every_documented_key() {
    let keys = documented_keys();
    // The docs' tables: a sanity check of the parse, so an empty list
    // cannot pass (format 1's keys, format 2's and [risk]'s).
    for expected in [
        "format",
        "bitcoin.block_time_s",
        "site.mining",
        "site.mining.fleet.j_per_th",
        "site.ai.gpu_hour_decline_annual",
        "site.power_block.share",
        "site.ai.keep_mining",
        "risk.seed",
    ] {
        assert!(
            keys.contains(expected),
            "docs/keys.md parse lost {expected}"
        );
    }
    assert!(keys.len() > 60, "{} keys", keys.len());
    for kind in KINDS {
        let template = text(&hashpivot(&["init", "--kind", kind]).stdout);
        let found = template_keys(&template);
        let missing: Vec<_> = keys.iter().filter(|k| !found.contains(*k)).collect();
        assert!(missing.is_empty(), "{kind}: the template lacks {missing:?}");
    }
}
