//! `hashpivot completions` and `hashpivot man` end to end: each shell's
//! script has its shell's marks and every command, and the man page is
//! roff that `man` renders (when `man` is installed) with every command.

mod common;

use common::{hashpivot, text};
use std::io::Write;
use std::process::{Command, Stdio};

const COMMANDS: [&str; 13] = [
    "run",
    "validate",
    "pivot",
    "sweep",
    "simulate",
    "check",
    "diff",
    "report",
    "init",
    "schema",
    "explain",
    "completions",
    "man",
];

fn printed(args: &[&str]) -> String {
    let out = hashpivot(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn each_shell_gets_its_script_with_every_command() {
    let bash = printed(&["completions", "bash"]);
    assert!(bash.contains("complete -F"), "{bash}");
    let zsh = printed(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef hashpivot"), "{zsh}");
    let fish = printed(&["completions", "fish"]);
    assert!(fish.contains("complete -c hashpivot"), "{fish}");
    let powershell = printed(&["completions", "powershell"]);
    assert!(
        powershell.contains("Register-ArgumentCompleter"),
        "{powershell}"
    );
    for (shell, script) in [
        ("bash", &bash),
        ("zsh", &zsh),
        ("fish", &fish),
        ("powershell", &powershell),
    ] {
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    // Options too: the global --deny-warnings, init's --kind and its
    // values.
    assert!(bash.contains("--deny-warnings"), "{bash}");
    assert!(fish.contains("-l deny-warnings"), "{fish}");
    assert!(bash.contains("colocation gpu_cloud"), "{bash}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = hashpivot(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn the_man_page_is_roff_with_every_command() {
    let page = printed(&["man"]);
    // clap_mangen's two-line preamble (how to print a quote in groff or
    // another roff), then the title.
    let title = page
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"));
    assert!(title.unwrap().starts_with(".TH hashpivot 1 "), "{page}");
    for command in COMMANDS {
        assert!(page.contains(command), "the man page lacks {command}");
    }
    // Each command's own options are on the page: init's --sites, explain's
    // --month.
    assert!(page.contains("\\-\\-sites"), "no --sites");
    assert!(page.contains("\\-\\-month"), "no --month");
    // The same bytes every time (no date).
    assert_eq!(printed(&["man"]), page);
    // Commands are sections of this page, not pages of their own that no
    // one installed (`hashpivot-run(1)`).
    assert!(!page.contains("hashpivot\\-run(1)"), "{page}");
    assert!(page.contains("\\fBhashpivot run\\fR"), "{page}");
}

#[test]
fn man_renders_the_page() {
    // `man -l -` reads a page from stdin; skipped where man is missing.
    let Ok(mut child) = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("man is not installed: skipped");
        return;
    };
    let page = printed(&["man"]);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let rendered = text(&out.stdout);
    assert!(out.status.success(), "man failed: {}", text(&out.stderr));
    // Rendered text, not roff: no request line is left.
    assert!(
        !rendered
            .lines()
            .any(|l| l.starts_with(".TH") || l.starts_with(".SH"))
    );
    for heading in ["NAME", "SYNOPSIS", "COMMANDS IN DETAIL", "hashpivot init"] {
        assert!(
            rendered.contains(heading),
            "rendered page lacks {heading}:\n{rendered}"
        );
    }
}
