//! The `hashpivot` command: arguments in, exit code out. All the work is in
//! the library; `cli` reads files, prints, and chooses the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
