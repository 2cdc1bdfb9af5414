//! One module per command group; each command reads what it needs, checks its input, submits
//! through [`Context::submit`], and returns an [`Outcome`].

pub mod admin;
pub mod agent;
pub mod audit;
pub mod device;
pub mod keygen;
pub mod ledger;
pub mod reservation;
pub mod user;

use serde_json::{json, Map, Value};
use solana_signature::Signature;

use crate::args::Command;
use crate::context::Context;
use crate::error::CliResult;
use crate::output::Outcome;

/// The signature of a sent write; with `--dry-run`, returns the dry run's outcome from the
/// calling command.
macro_rules! sent {
    ($submission:expr) => {
        match $submission {
            $crate::context::Submission::Sent(signature) => signature,
            $crate::context::Submission::DryRun(outcome) => return Ok(outcome),
        }
    };
}
pub(crate) use sent;

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
        Command::Demo | Command::Agent(_) | Command::Keygen { .. } => {
            unreachable!("the demo, the agent and keygen need no transport")
        }
    }
}

/// The outcome of a write: `{"signature": …, <fields>}` and `summary`, the signature line
/// and `details`.
pub fn written(signature: &Signature, summary: &str, fields: Value, details: &str) -> Outcome {
    let mut json_fields = Map::new();
    json_fields.insert("signature".into(), json!(signature.to_string()));
    if let Value::Object(fields) = fields {
        json_fields.extend(fields);
    }
    let mut text = format!("{summary}\nSignature: {signature}");
    if !details.is_empty() {
        text.push_str("\n\n");
        text.push_str(details);
    }
    Outcome {
        json: Value::Object(json_fields),
        text,
        exit_code: 0,
    }
}
