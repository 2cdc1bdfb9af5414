//! `agent`: the BGP telemetry agent of one device ([`serviceability_agent`]), with its
//! flags checked, its device and key verified before anything runs, its logs on stderr (one
//! JSON object per line with `--output json`) and SIGINT/SIGTERM stopping it cleanly.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use serviceability_agent::decision::{Decider, Policy};
use serviceability_agent::metrics::MetricsServer;
use serviceability_agent::service::{read_chain, Agent, Schedule, Stopped};
use serviceability_agent::sockets::{Namespaces, SocketSource};
use serviceability_agent::tables::TableMode;
use serviceability_agent::worker::{Backoff, Worker, WorkerOptions};
use solana_signer::Signer;
use tracing::info;

use crate::args::{AgentArgs, LookupTableArg, OutputFormat};
use crate::config::Settings;
use crate::context::resolve_device;
use crate::error::{CliError, CliResult};
use crate::output::{AgentStoppedView, Output};

/// Runs the agent until `--ticks` are done or SIGINT/SIGTERM.
pub fn run(settings: &Settings, args: &AgentArgs, output: OutputFormat) -> CliResult<Output> {
    init_logging(output);
    let publisher = settings.keypair()?;
    // One cluster for the agent's reads and its worker's sends (on the embedded ledger, one
    // mirror of the file).
    let cluster = Arc::new(settings.shared_cluster());
    let policy = Policy {
        refresh_interval_secs: secs(args.refresh_interval, "--refresh-interval")?,
        down_grace_secs: i64::try_from(args.down_grace.as_secs())
            .map_err(|_| CliError::input("--down-grace is too long"))?,
        rtt_change_percent: args.rtt_change_percent,
        rtt_change_min_ns: u64::try_from(args.rtt_change_min.as_nanos())
            .map_err(|_| CliError::input("--rtt-change-min is too long"))?,
    };
    let sockets = match (
        SocketSource::parse(&args.sockets),
        args.all_netns,
        &args.netns[..],
    ) {
        (SocketSource::Netlink(_), true, _) => SocketSource::Netlink(Namespaces::All),
        (SocketSource::Netlink(_), false, []) => SocketSource::Netlink(Namespaces::Own),
        (SocketSource::Netlink(_), false, names) => {
            SocketSource::Netlink(Namespaces::Named(names.to_vec()))
        }
        (_, true, _) | (_, _, [_, ..]) => {
            return Err(CliError::input(
                "--netns and --all-netns read through netlink: use them with --sockets netlink",
            ))
        }
        (SocketSource::File(path), ..) if !path.is_file() => {
            return Err(CliError::input(format!(
                "--sockets {}: no such file (use `netlink` or `proc` for the host's sessions)",
                path.display()
            )))
        }
        (source, ..) => source,
    };

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
    let options = WorkerOptions {
        backoff: Backoff::default(),
        lookup_tables: match args.lookup_table {
            LookupTableArg::Auto => TableMode::Auto,
            LookupTableArg::Always => TableMode::Always,
            LookupTableArg::Never => TableMode::Never,
        },
    };
    let worker = Worker::spawn(
        Box::new(Arc::clone(&cluster)),
        publisher.insecure_clone(),
        device,
        options,
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
        updates_per_v0_transaction = worker.updates_per_v0_transaction(),
        lookup_table = ?args.lookup_table,
        "agent started"
    );
    let agent = Agent::new(
        device,
        read_chain(cluster),
        sockets,
        args.bgp_port,
        Decider::new(policy),
        worker,
    );
    // Kept until the agent stops: the server answers for as long as it is held.
    let _metrics_server = match args.metrics_addr {
        Some(address) => {
            let server = MetricsServer::start(address, agent.metrics())
                .map_err(|error| CliError::input(format!("--metrics-addr {address}: {error}")))?;
            info!(address = %server.address(), url = %format!("http://{}/metrics", server.address()), "metrics served");
            Some(server)
        }
        None => None,
    };
    let schedule = Schedule {
        interval: args.interval,
        ticks: args.ticks,
        shutdown_timeout: args.shutdown_timeout,
    };
    let Stopped {
        signalled,
        counters,
    } = agent.run(&schedule, &stop);
    Ok(AgentStoppedView {
        device: code,
        stopped_by_signal: signalled,
        counters,
    }
    .into())
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
