//! `agent`: the BGP telemetry agent of one device.
//!
//! Each tick lists the device's users from the chain (filtered on the server), reads the
//! host's established BGP sessions, decides each user's status ([`Decider`]) and hands the
//! updates to the background [`Worker`]; the tick never waits for a submission. Updates still
//! in flight are not decided again until the worker reports them. Logs are structured (one
//! line per event, JSON with `--output json`) and every tick logs the counters.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use serviceability_agent::decision::{Decider, Policy, UserState};
use serviceability_agent::sockets::{established_peers, SocketSource};
use serviceability_agent::worker::{Backoff, Worker, WorkerEvent};
use serviceability_client::chain;
use serviceability_client::cluster::Cluster;
use solana_signer::Signer;
use tracing::{error, info, warn};

use crate::args::{AgentArgs, OutputFormat};
use crate::context::{resolve_device, CliError, CliResult, Settings};
use crate::output::{bgp_status, key_values, Outcome};
use crate::validate::bgp_peer_ip;

/// What the agent has done, logged every tick and printed at shutdown.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counters {
    /// Ticks run.
    pub ticks: u64,
    /// Transactions landed.
    pub submissions: u64,
    /// Status updates landed.
    pub updates: u64,
    /// Attempts retried after a transport failure.
    pub retries: u64,
    /// Transactions that failed for good.
    pub failures: u64,
    /// Updates abandoned at shutdown.
    pub abandoned: u64,
    /// Ticks whose chain or socket read failed.
    pub read_errors: u64,
}

/// Runs the agent until `--ticks` are done or SIGINT/SIGTERM.
pub fn run(settings: &Settings, args: &AgentArgs, output: OutputFormat) -> CliResult<Outcome> {
    init_logging(output);
    let publisher = settings.keypair()?;
    let cluster = settings.shared_cluster();
    let policy = Policy {
        refresh_interval_secs: secs(args.refresh_interval, "--refresh-interval")?,
        down_grace_secs: i64::try_from(args.down_grace.as_secs())
            .map_err(|_| CliError::input("--down-grace is too long"))?,
    };
    let sockets = SocketSource::parse(&args.sockets);
    if let SocketSource::File(path) = &sockets {
        if !path.is_file() {
            return Err(CliError::input(format!(
                "--sockets {}: no such file (use `proc` for the host's tables)",
                path.display()
            )));
        }
    }

    // The device, and that we are its metrics publisher, before anything runs.
    let (device, code) = {
        let (address, device) = resolve_device(&cluster, &args.device)?;
        if device.metrics_publisher != publisher.pubkey() {
            return Err(CliError::input(format!(
                "the keypair {} is not {}'s metrics publisher ({}); pass its key with -k",
                publisher.pubkey(),
                device.code,
                device.metrics_publisher
            )));
        }
        (address, device.code)
    };

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|error| CliError::input(format!("cannot handle signals: {error}")))?;
    }
    let worker = Worker::spawn(
        settings.submitter(),
        publisher.insecure_clone(),
        device,
        Backoff::default(),
    );
    info!(
        device = %code,
        address = %device,
        publisher = %publisher.pubkey(),
        interval = %humantime::format_duration(args.interval),
        refresh_interval = %humantime::format_duration(args.refresh_interval),
        down_grace = %humantime::format_duration(args.down_grace),
        bgp_port = args.bgp_port,
        updates_per_transaction = worker.updates_per_transaction(),
        "agent started"
    );

    let mut decider = Decider::new(policy);
    let mut counters = Counters::default();
    let mut in_flight: HashSet<Ipv4Addr> = HashSet::new();
    loop {
        let started = Instant::now();
        counters.ticks += 1;
        match tick(
            &cluster,
            &sockets,
            args.bgp_port,
            &device,
            &mut decider,
            &in_flight,
        ) {
            Ok(report) => {
                in_flight.extend(report.submitted.iter().map(|update| update.client_ip));
                let submitted = report.submitted.len();
                worker.submit(report.submitted);
                handle(worker.events(), &mut counters, &mut in_flight);
                info!(
                    tick = counters.ticks,
                    users = report.users,
                    up = report.up,
                    down = report.down,
                    in_grace = report.in_grace,
                    submitted,
                    in_flight = in_flight.len(),
                    decision_ms = report.decision_time.as_secs_f64() * 1e3,
                    submissions = counters.submissions,
                    updates = counters.updates,
                    retries = counters.retries,
                    failures = counters.failures,
                    read_errors = counters.read_errors,
                    "tick"
                );
            }
            Err(reason) => {
                counters.read_errors += 1;
                handle(worker.events(), &mut counters, &mut in_flight);
                // Nothing is decided from a stale view: the next tick reads the chain again.
                warn!(tick = counters.ticks, error = %reason, read_errors = counters.read_errors, "tick skipped");
            }
        }
        if args.ticks.is_some_and(|ticks| counters.ticks >= ticks) || stop.load(Ordering::SeqCst) {
            break;
        }
        let wait_until = started + args.interval;
        while Instant::now() < wait_until && !stop.load(Ordering::SeqCst) {
            std::thread::sleep((wait_until - Instant::now()).min(Duration::from_millis(50)));
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }

    let signalled = stop.load(Ordering::SeqCst);
    let events = if signalled {
        info!(
            in_flight = in_flight.len(),
            "signal received: finishing the transaction under way, abandoning the rest"
        );
        worker.stop()
    } else {
        info!(
            in_flight = in_flight.len(),
            "ticks done: sending what is queued"
        );
        worker.drain()
    };
    handle(events, &mut counters, &mut in_flight);
    info!(
        ticks = counters.ticks,
        submissions = counters.submissions,
        updates = counters.updates,
        retries = counters.retries,
        failures = counters.failures,
        abandoned = counters.abandoned,
        read_errors = counters.read_errors,
        "agent stopped"
    );
    let text = key_values(&[
        ("Device", code.clone()),
        ("Ticks", counters.ticks.to_string()),
        ("Transactions landed", counters.submissions.to_string()),
        ("Updates landed", counters.updates.to_string()),
        ("Retries", counters.retries.to_string()),
        ("Failures", counters.failures.to_string()),
        ("Abandoned", counters.abandoned.to_string()),
        ("Read errors", counters.read_errors.to_string()),
    ]);
    Ok(Outcome::new(
        &serde_json::json!({ "device": code, "stopped_by_signal": signalled, "counters": counters }),
        text,
    ))
}

/// What one tick saw and decided.
struct TickReport {
    users: usize,
    up: usize,
    down: usize,
    in_grace: usize,
    submitted: Vec<serviceability_agent::decision::Update>,
    decision_time: Duration,
}

fn tick(
    cluster: &Cluster,
    sockets: &SocketSource,
    bgp_port: u16,
    device: &Pubkey,
    decider: &mut Decider,
    in_flight: &HashSet<Ipv4Addr>,
) -> Result<TickReport, String> {
    // The chain is read afresh every tick: it is the truth, whatever was sent before.
    let users = chain::users(cluster, Some(device)).map_err(|error| error.to_string())?;
    let now = cluster
        .clock()
        .map_err(|error| error.to_string())?
        .unix_timestamp;
    let table = sockets
        .read()
        .map_err(|error| format!("cannot read the socket tables: {error}"))?;
    let started = Instant::now();
    let established = established_peers(&table, bgp_port);
    let states: Vec<UserState> = users
        .iter()
        .map(|(_, record)| UserState {
            client_ip: Ipv4Addr::from(record.user.client_ip),
            peer_ip: bgp_peer_ip(&record.user.tunnel_net),
            status: record.user.bgp_status,
            last_reported_at: record.user.last_bgp_reported_at,
        })
        .collect();
    let decisions = decider.decide(&states, &established, now);
    let decision_time = started.elapsed();
    let submitted = decisions
        .updates
        .into_iter()
        .filter(|update| !in_flight.contains(&update.client_ip))
        .collect();
    Ok(TickReport {
        users: states.len(),
        up: decisions.up,
        down: decisions.down,
        in_grace: decisions.in_grace,
        submitted,
        decision_time,
    })
}

fn handle(events: Vec<WorkerEvent>, counters: &mut Counters, in_flight: &mut HashSet<Ipv4Addr>) {
    for event in events {
        match event {
            WorkerEvent::Landed {
                updates,
                signature,
                attempts,
            } => {
                counters.submissions += 1;
                counters.updates += updates.len() as u64;
                for update in &updates {
                    in_flight.remove(&update.client_ip);
                    info!(
                        client_ip = %update.client_ip,
                        status = bgp_status(&update.status),
                        reason = ?update.reason,
                        %signature,
                        "status recorded"
                    );
                }
                info!(updates = updates.len(), %signature, attempts, "transaction landed");
            }
            WorkerEvent::Retrying {
                updates,
                attempt,
                delay,
                error,
            } => {
                counters.retries += 1;
                warn!(updates, attempt, delay_ms = delay.as_millis() as u64, %error, "send failed; retrying");
            }
            WorkerEvent::Failed {
                updates,
                attempts,
                error,
            } => {
                counters.failures += 1;
                for update in &updates {
                    in_flight.remove(&update.client_ip);
                }
                error!(updates = updates.len(), attempts, %error, "transaction failed; the next tick decides again from the chain");
            }
            WorkerEvent::Abandoned { updates } => {
                counters.abandoned += updates.len() as u64;
                for update in &updates {
                    in_flight.remove(&update.client_ip);
                }
                warn!(
                    updates = updates.len(),
                    client_ips = %updates.iter().map(|u| u.client_ip.to_string()).collect::<Vec<_>>().join(","),
                    "abandoned at shutdown"
                );
            }
        }
    }
}

fn secs(duration: Duration, flag: &str) -> CliResult<i64> {
    i64::try_from(duration.as_secs())
        .ok()
        .filter(|secs| *secs > 0)
        .ok_or_else(|| CliError::input(format!("{flag} must be at least one second")))
}

fn init_logging(output: OutputFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false);
    match output {
        OutputFormat::Json => builder.json().flatten_event(true).init(),
        OutputFormat::Table => builder.init(),
    }
}
