//! One module per command group; each command reads what it needs, checks its input, writes
//! through [`Context::write`], and returns its view for `main` to print.

pub mod admin;
pub mod agent;
pub mod audit;
pub mod device;
pub mod keygen;
pub mod ledger;
pub mod lookup_table;
pub mod reservation;
pub mod user;

use std::net::SocketAddr;

use serviceability_localnet::server::websocket_port;

use crate::args::{Cli, Command, LedgerCommand};
use crate::config::Settings;
use crate::context::Context;
use crate::demo;
use crate::error::CliResult;
use crate::output::Output;

/// Runs `cli`'s command. Commands on the cluster run in `context`, opened here on first use
/// unless given (the demo runs every step in its own); the rest need none: the demo and
/// keygen, the agent (which keeps its own mirror of the cluster) and `ledger serve` (which
/// opens the ledger per request).
pub fn dispatch(cli: &Cli, context: &mut Option<Context>) -> CliResult<Output> {
    match &cli.command {
        Command::Demo => demo::run(cli),
        Command::Keygen { outfile, force } => keygen::run(outfile.as_deref(), *force),
        Command::Agent(args) => agent::run(&Settings::resolve(cli)?, args, cli.output),
        Command::Ledger(LedgerCommand::Serve {
            port,
            ws_port,
            bind,
            upgrade_authority,
        }) => ledger::serve(
            &Settings::resolve(cli)?,
            SocketAddr::new(*bind, *port),
            SocketAddr::new(*bind, ws_port.unwrap_or(websocket_port(*port))),
            *upgrade_authority,
            cli.output,
        ),
        Command::Ledger(LedgerCommand::Info) => ledger::info(opened(cli, context)?),
        Command::Ledger(LedgerCommand::Warp { by }) => ledger::warp(opened(cli, context)?, *by),
        Command::Init => admin::init(opened(cli, context)?),
        Command::Authority(command) => admin::authority(opened(cli, context)?, command),
        Command::Allowlist(command) => admin::allowlist(opened(cli, context)?, command),
        Command::Reservations(command) => admin::pause(opened(cli, context)?, command),
        Command::Device(command) => device::run(opened(cli, context)?, command),
        Command::Reservation(command) => reservation::run(opened(cli, context)?, command),
        Command::User(command) => user::run(opened(cli, context)?, command),
        Command::Audit { device } => audit::run(opened(cli, context)?, device.as_deref()),
        Command::LookupTable(command) => lookup_table::run(opened(cli, context)?, command),
    }
}

/// `context`, opened for `cli` if it is not yet.
fn opened<'c>(cli: &Cli, context: &'c mut Option<Context>) -> CliResult<&'c mut Context> {
    if context.is_none() {
        *context = Some(Context::open(Settings::resolve(cli)?, cli)?);
    }
    Ok(context.as_mut().expect("opened above"))
}
