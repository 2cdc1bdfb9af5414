//! `ledger info|warp|serve`: the embedded ledger itself.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use serviceability_client::chain;
use serviceability_localnet::ledger::EmbeddedLedger;
use serviceability_localnet::server::LedgerServer;

use crate::args::OutputFormat;
use crate::config::{Settings, Target};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{LedgerInfoView, Output, ServingView, Timestamp, WarpView};

/// `ledger serve`: prints where it listens (one line, or one JSON document), then serves
/// until SIGINT or SIGTERM.
pub fn serve(
    settings: &Settings,
    address: SocketAddr,
    websocket: SocketAddr,
    upgrade_authority: Option<Pubkey>,
    format: OutputFormat,
) -> CliResult<Output> {
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
    let serving = ServingView {
        ledger: path.display().to_string(),
        url: server.url(),
        websocket_url: server.websocket_url(),
    };
    // Whoever started us reads the URL from the first line: printed now, on one line in
    // either format.
    match format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string(&serving).expect("views serialize")
        ),
        OutputFormat::Table => println!("{serving}"),
    }
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
    Ok(Output::Streamed)
}

/// `ledger info`
pub fn info(context: &mut Context) -> CliResult<Output> {
    let initialized = chain::global_state(context.cluster())?.is_some();
    let devices = chain::devices(context.cluster())?.len();
    let reservations = chain::reservations(context.cluster(), None)?.len();
    let users = chain::users(context.cluster(), None)?.len();
    let ledger = context.embedded_ledger("ledger info")?;
    let clock = ledger.clock();
    Ok(LedgerInfoView {
        ledger: ledger.path().display().to_string(),
        saved: ledger.existed(),
        program_runtime: ledger.runtime().to_string(),
        slot: clock.slot,
        clock: Timestamp::new(clock.unix_timestamp),
        initialized,
        devices,
        reservations,
        users,
    }
    .into())
}

/// `ledger warp --by DURATION`
pub fn warp(context: &mut Context, by: Duration) -> CliResult<Output> {
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
    Ok(WarpView {
        clock: now,
        warped_by_secs: seconds,
    }
    .into())
}
