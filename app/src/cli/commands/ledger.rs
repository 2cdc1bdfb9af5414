//! `ledger info|warp`: the embedded ledger itself.

use std::time::Duration;

use serde_json::json;
use serviceability_client::chain;
use serviceability_client::transport::Transport;

use crate::cli::args::LedgerCommand;
use crate::cli::context::{CliError, CliResult, Context};
use crate::cli::output::{key_values, Outcome, Timestamp};

/// Runs a `ledger` command.
pub fn run(context: &mut Context, command: &LedgerCommand) -> CliResult<Outcome> {
    match command {
        LedgerCommand::Info => info(context),
        LedgerCommand::Warp { by } => warp(context, *by),
    }
}

fn info(context: &mut Context) -> CliResult<Outcome> {
    let initialized = chain::global_state(context.transport())?.is_some();
    let devices = chain::devices(context.transport())?.len();
    let reservations = chain::reservations(context.transport(), None)?.len();
    let users = chain::users(context.transport(), None)?.len();
    let ledger = context.embedded_ledger("ledger info")?;
    let clock = ledger.clock()?;
    let now = Timestamp::new(clock.unix_timestamp);
    let runtime = format!("{:?}", ledger.runtime());
    let path = ledger.path().display().to_string();
    let text = key_values(&[
        ("Ledger", path.clone()),
        (
            "Saved",
            if ledger.existed() {
                "yes"
            } else {
                "not yet (no write so far)"
            }
            .into(),
        ),
        ("Program runtime", runtime.clone()),
        ("Slot", clock.slot.to_string()),
        ("Clock", now.rfc3339.clone()),
        ("Initialized", if initialized { "yes" } else { "no" }.into()),
        ("Devices", devices.to_string()),
        ("Reservations", reservations.to_string()),
        ("Users", users.to_string()),
    ]);
    Ok(Outcome::new(
        &json!({
            "ledger": path,
            "saved": ledger.existed(),
            "program_runtime": runtime,
            "slot": clock.slot,
            "clock": now,
            "initialized": initialized,
            "devices": devices,
            "reservations": reservations,
            "users": users,
        }),
        text,
    ))
}

fn warp(context: &mut Context, by: Duration) -> CliResult<Outcome> {
    let seconds = i64::try_from(by.as_secs())
        .ok()
        .filter(|seconds| *seconds > 0)
        .ok_or_else(|| CliError::input("--by must be at least one second"))?;
    let dry_run = context.dry_run;
    let ledger = context.embedded_ledger("ledger warp")?;
    ledger.warp(seconds);
    let now = Timestamp::new(ledger.clock()?.unix_timestamp);
    if !dry_run {
        ledger.save()?;
    }
    Ok(Outcome::new(
        &json!({ "clock": now, "warped_by_secs": seconds }),
        format!("The embedded ledger's clock is now {}", now.rfc3339),
    ))
}
