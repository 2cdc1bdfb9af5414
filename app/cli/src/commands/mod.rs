//! One module per command group; each command reads what it needs, checks its input, submits
//! through [`Context::submit`], and returns an [`Outcome`].

pub mod admin;
pub mod agent;
pub mod audit;
pub mod device;
pub mod keygen;
pub mod ledger;
pub mod lookup_table;
pub mod reservation;
pub mod user;

use crate::args::Command;
use crate::context::Context;
use crate::error::CliResult;
use crate::output::Outcome;

/// Runs one command.
pub fn dispatch(context: &mut Context, command: &Command) -> CliResult<Outcome> {
    match command {
        Command::Init => admin::init(context),
        Command::Authority(command) => admin::authority(context, command),
        Command::Allowlist(command) => admin::allowlist(context, command),
        Command::Reservations(command) => admin::pause(context, command),
        Command::Device(command) => device::run(context, command),
        Command::Reservation(command) => reservation::run(context, command),
        Command::User(command) => user::run(context, command),
        Command::Audit { device } => audit::run(context, device.as_deref()),
        Command::Ledger(command) => ledger::run(context, command),
        Command::LookupTable(command) => lookup_table::run(context, command),
        Command::Demo | Command::Agent(_) | Command::Keygen { .. } => {
            unreachable!("the demo, the agent and keygen need no transport")
        }
    }
}
