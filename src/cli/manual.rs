//! `completions` and `man`: what shells and `man` read.
//!
//! Both are generated from the parser's own definition (`Cli::command()`),
//! by clap's companion crates, so a new option reaches the completion
//! scripts and the man page the moment it reaches the parser: neither is a
//! hand-kept copy that could drift.
//!
//! The man page is one page, `hashpivot(1)`: clap_mangen's page of the
//! top-level command (synopsis, description, global options, the list of
//! commands), then a COMMANDS IN DETAIL section with each command's
//! synopsis, description and options as a subsection. One page is what
//! `man hashpivot` finds; a page per command would need installing a dozen
//! files for little gain. Nothing in it depends on the date or the
//! machine: clap_mangen writes no date unless given one.

use super::args::Cli;
use super::failure::Failure;
use super::output::write_stdout;
use clap::CommandFactory;

/// Prints the completion script of `shell`.
pub(crate) fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "hashpivot", &mut script);
    write_stdout(&script)
}

/// Prints the man page.
pub(crate) fn man() -> Result<(), Failure> {
    write_stdout(&page().map_err(Failure::Stdout)?)
}

/// The roff text of `hashpivot(1)`.
fn page() -> std::io::Result<Vec<u8>> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut top = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut top)?;
    // clap_mangen names each command as its own page, `hashpivot-run(1)`,
    // which is not installed: the commands are sections of this page.
    let mut out = Vec::with_capacity(top.len());
    for line in String::from_utf8_lossy(&top).lines() {
        match line
            .strip_prefix("hashpivot\\-")
            .and_then(|l| l.strip_suffix("(1)"))
        {
            Some(name) => out.extend_from_slice(format!("\\fBhashpivot {name}\\fR\n").as_bytes()),
            None => {
                out.extend_from_slice(line.as_bytes());
                out.push(b'\n');
            }
        }
    }
    out.extend_from_slice(b".SH \"COMMANDS IN DETAIL\"\n");
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut part)?;
        }
        let title = format!(".SS \"hashpivot {}\"\n", sub.get_name());
        out.extend_from_slice(title.as_bytes());
        out.extend_from_slice(&demote(&String::from_utf8_lossy(&part)).into_bytes());
    }
    Ok(out)
}

/// A command's sections as the body of its subsection: each `.SH NAME`
/// heading becomes a bold line of its own (`.SH` would end the subsection),
/// and the synopsis's heading goes (the subsection title says it).
fn demote(roff: &str) -> String {
    let mut out = String::new();
    for line in roff.lines() {
        match line.strip_prefix(".SH ") {
            Some("SYNOPSIS") => {}
            Some(heading) => {
                let heading = heading.trim_matches('"').to_lowercase();
                let mut letters = heading.chars();
                out.push_str(".PP\n.B ");
                out.extend(letters.next().map(|c| c.to_ascii_uppercase()));
                out.push_str(letters.as_str());
                out.push_str("\n.br\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_bold_lines() {
        let roff = ".SH SYNOPSIS\n\\fBx\\fR\n.SH DESCRIPTION\nText\n.SH OPTIONS\n.TP\n";
        assert_eq!(
            demote(roff),
            "\\fBx\\fR\n.PP\n.B Description\n.br\nText\n.PP\n.B Options\n.br\n.TP\n"
        );
    }

    #[test]
    fn the_page_has_every_command_in_detail() {
        let page = String::from_utf8(page().unwrap()).unwrap();
        assert!(page.contains("\n.TH hashpivot 1 "));
        for name in ["run", "init", "man", "completions", "explain"] {
            assert!(page.contains(&format!(".SS \"hashpivot {name}\"\n")));
        }
    }
}
