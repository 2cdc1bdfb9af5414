//! `ledger info|warp|serve`: the embedded ledger itself.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use serde_json::json;
use serviceability_client::chain;
use serviceability_localnet::ledger::EmbeddedLedger;
use serviceability_localnet::server::LedgerServer;

use crate::args::{LedgerCommand, OutputFormat};
use crate::config::{Settings, Target};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{key_values, Outcome, Timestamp};

/// Runs a `ledger` command.
pub fn run(context: &mut Context, command: &LedgerCommand) -> CliResult<Outcome> {
    match command {
        LedgerCommand::Info => info(context),
        LedgerCommand::Warp { by } => warp(context, *by),
        LedgerCommand::Serve { .. } => unreachable!("`ledger serve` runs without a context"),
    }
}

/// `ledger serve`: prints where it listens (one line, or one JSON document), then serves
/// until SIGINT or SIGTERM.
pub fn serve(
    settings: &Settings,
    address: SocketAddr,
    websocket: SocketAddr,
    upgrade_authority: Option<Pubkey>,
    format: OutputFormat,
) -> CliResult<Outcome> {
    let Target::Embedded(path, runtime) = &settings.target else {
        return Err(CliError::input(
            "`ledger serve` serves the embedded ledger; drop -u (or use -u embedded)",
        ));
    };
    // A foreign or corrupted file is refused now, not on the first request.
    let mut ledger = EmbeddedLedger::open(path, runtime)?;
    if let Some(authority) = upgrade_authority {
        if ledger.deploy_as(authority) {
            ledger.save()?;
        }
    }
    drop(ledger);
    let server = LedgerServer::start(path, runtime, address, websocket).map_err(|error| {
        CliError::input(format!(
            "cannot listen on {address} (HTTP) and {websocket} (websockets): {error}"
        ))
    })?;
    if !address.ip().is_loopback() {
        eprintln!(
            "warning: listening on {address}: anyone who can reach it can write to the ledger"
        );
    }
    let url = server.url();
    let websocket_url = server.websocket_url();
    let ledger = path.display().to_string();
    match format {
        OutputFormat::Json => println!(
            "{}",
            json!({ "ledger": ledger, "url": url, "websocket_url": websocket_url })
        ),
        OutputFormat::Table => {
            println!("Serving embedded ledger {ledger} on {url} (websockets: {websocket_url})")
        }
    }
    // Whoever started us reads the URL from the first line.
    std::io::stdout().flush().ok();

    let close = server.close_handle();
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
    ])
    .map_err(|error| CliError::input(format!("cannot handle signals: {error}")))?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            eprintln!("received signal {signal}; stopping the server");
            close.close();
        }
    });
    server.wait();
    Ok(Outcome {
        json: serde_json::Value::Null,
        text: String::new(),
        exit_code: 0,
    })
}

fn info(context: &mut Context) -> CliResult<Outcome> {
    let initialized = chain::global_state(context.cluster())?.is_some();
    let devices = chain::devices(context.cluster())?.len();
    let reservations = chain::reservations(context.cluster(), None)?.len();
    let users = chain::users(context.cluster(), None)?.len();
    let ledger = context.embedded_ledger("ledger info")?;
    let clock = ledger.clock();
    let now = Timestamp::new(clock.unix_timestamp);
    let runtime = ledger.runtime().to_string();
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
    let mut ledger = context.embedded_ledger("ledger warp")?;
    ledger.warp(seconds);
    let now = Timestamp::new(ledger.clock().unix_timestamp);
    if !dry_run {
        ledger.save()?;
    }
    Ok(Outcome::new(
        &json!({ "clock": now, "warped_by_secs": seconds }),
        format!("The embedded ledger's clock is now {}", now.rfc3339),
    ))
}
