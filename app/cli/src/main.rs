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
use serviceability_localnet::server::websocket_port;

use std::net::SocketAddr;

use crate::args::{Cli, Command, LedgerCommand, OutputFormat};
use crate::config::Settings;
use crate::context::Context;
use crate::error::CliResult;
use crate::output::Outcome;

/// Parses the command line, runs the command, prints its outcome, and maps failures to exit
/// statuses: 2 for usage and input errors, 1 for on-chain failures.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(outcome) => {
            print(&outcome, cli.output);
            ExitCode::from(outcome.exit_code)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code)
        }
    }
}

fn run(cli: &Cli) -> CliResult<Outcome> {
    if let Command::Demo = cli.command {
        return demo::run(cli);
    }
    if let Command::Keygen { outfile, force } = &cli.command {
        return commands::keygen::run(outfile.as_deref(), *force);
    }
    let settings = Settings::resolve(cli)?;
    if let Command::Agent(args) = &cli.command {
        // The agent opens its transport per tick and per transaction.
        return commands::agent::run(&settings, args, cli.output);
    }
    if let Command::Ledger(LedgerCommand::Serve {
        port,
        ws_port,
        bind,
        upgrade_authority,
    }) = &cli.command
    {
        // The server opens the ledger per request.
        let address = SocketAddr::new(*bind, *port);
        let websocket = SocketAddr::new(*bind, ws_port.unwrap_or(websocket_port(*port)));
        return commands::ledger::serve(
            &settings,
            address,
            websocket,
            *upgrade_authority,
            cli.output,
        );
    }
    let mut context = Context::open(settings, cli)?;
    commands::dispatch(&mut context, &cli.command)
}

/// Prints an outcome in the chosen format (nothing for a command that printed as it went).
fn print(outcome: &Outcome, format: OutputFormat) {
    if outcome.json.is_null() && outcome.text.is_empty() {
        return;
    }
    match format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&outcome.json).expect("JSON values print")
        ),
        OutputFormat::Table => println!("{}", outcome.text),
    }
}
