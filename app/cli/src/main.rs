//! `serviceability`: the command-line tool of the serviceability program.

mod args;
mod commands;
mod config;
mod context;
mod demo;
mod error;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::args::Cli;
use crate::output::Output;

/// Parses the command line, runs the command, prints its view once (table or JSON), and maps
/// failures to exit statuses: 2 for usage and input errors, 1 for on-chain failures.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::dispatch(&cli, &mut None) {
        Ok(Output::View(view)) => {
            println!("{}", cli.output.formatted_string(view.as_ref()));
            ExitCode::from(view.exit_code())
        }
        Ok(Output::Streamed) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code)
        }
    }
}
