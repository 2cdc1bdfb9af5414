//! `serviceability`: the command-line tool of the serviceability program.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
