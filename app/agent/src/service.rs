//! The agent's loop over one device: each tick reads the device's users from the chain (the
//! truth, whatever was sent before), reads the host's established BGP sessions, decides each
//! user's status ([`Decider`]) and hands the updates to the background [`Worker`]; the tick
//! never waits for a submission. Updates still in flight are not decided again until the
//! worker reports them. Logs are structured (`tracing`): every tick logs what it saw and the
//! [`Counters`].

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use serviceability_client::chain;
use serviceability_client::transport::Cluster;
use tracing::{error, info, warn};

use crate::decision::{Decider, Update, UserState};
use crate::metrics::AgentMetrics;
use crate::sockets::{Sessions, SocketSource};
use crate::tables::TableChange;
use crate::worker::{Worker, WorkerEvent};

/// What the agent has done, logged every tick and returned when it stops.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Ticks run.
    pub ticks: u64,
    /// Transactions landed.
    pub submissions: u64,
    /// Of those, v0 transactions that read their users from the device's lookup tables.
    pub through_lookup_table: u64,
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
    /// Lookup tables created.
    pub tables_created: u64,
    /// Users added to lookup tables.
    pub table_users_added: u64,
    /// Rounds whose tables could not be read, created or extended (sent in legacy
    /// transactions instead).
    pub table_failures: u64,
}

/// The chain side of a tick: the device's users as the decision needs them, and the
/// cluster's clock (unix seconds).
pub struct ChainView {
    /// Every user of the device.
    pub users: Vec<UserState>,
    /// The cluster's `Clock::unix_timestamp`.
    pub now: i64,
}

/// The agent's one seam for reads: the device's users and the clock. [`read_chain`] is the
/// real one.
pub type ReadChain = Box<dyn FnMut(&Pubkey) -> Result<ChainView, String> + Send>;

/// Reads through `cluster`: the device's users (filtered on the server) and the Clock sysvar.
pub fn read_chain(cluster: Arc<Cluster>) -> ReadChain {
    Box::new(move |device| {
        let users = chain::users(&cluster, Some(device)).map_err(|error| error.to_string())?;
        let now = cluster
            .clock()
            .map_err(|error| error.to_string())?
            .unix_timestamp;
        let users = users
            .iter()
            .map(|(_, record)| UserState {
                client_ip: Ipv4Addr::from(record.user.client_ip),
                peer_ip: record.user.tunnel_net.bgp_peer_ip(),
                status: record.user.bgp_status,
                last_reported_at: record.user.last_bgp_reported_at,
                rtt_ns: record.user.bgp_rtt_ns,
            })
            .collect();
        Ok(ChainView { users, now })
    })
}

/// How the loop runs.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// Time between the starts of two ticks.
    pub interval: Duration,
    /// Stop after this many ticks (once everything queued has been sent); `None`: until
    /// stopped.
    pub ticks: Option<u64>,
    /// When stopped, how long to go on sending what is queued before abandoning the rest.
    pub shutdown_timeout: Duration,
}

/// How the loop ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// Whether `stop` was raised (a signal) rather than the ticks running out.
    pub signalled: bool,
    /// The final counters.
    pub counters: Counters,
}

/// What one tick saw and decided.
struct TickReport {
    users: usize,
    up: usize,
    down: usize,
    in_grace: usize,
    /// Per network namespace read: its name, the users up there, the others.
    by_namespace: Vec<(String, usize, usize)>,
    /// The RTT sample of each user whose session has one: its client IP, nanoseconds.
    rtt_ns: Vec<(Ipv4Addr, u64)>,
    submitted: Vec<Update>,
    decision_time: Duration,
}

/// One device's agent: its reads, its decisions, its worker and its counters.
pub struct Agent {
    device: Pubkey,
    read_chain: ReadChain,
    sockets: SocketSource,
    bgp_port: u16,
    decider: Decider,
    worker: Worker,
    counters: Counters,
    in_flight: HashSet<Ipv4Addr>,
    metrics: Arc<AgentMetrics>,
}

impl Agent {
    /// The agent of `device`, reading users with `read_chain`, sessions on `bgp_port` from
    /// `sockets`, deciding with `decider` and sending through `worker`.
    pub fn new(
        device: Pubkey,
        read_chain: ReadChain,
        sockets: SocketSource,
        bgp_port: u16,
        decider: Decider,
        worker: Worker,
    ) -> Self {
        Agent {
            device,
            read_chain,
            sockets,
            bgp_port,
            decider,
            worker,
            counters: Counters::default(),
            in_flight: HashSet::new(),
            metrics: Arc::new(AgentMetrics::new()),
        }
    }

    /// The agent's metrics, to serve (`MetricsServer`) or read.
    pub fn metrics(&self) -> Arc<AgentMetrics> {
        Arc::clone(&self.metrics)
    }

    /// The counters so far.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Runs one tick: reads, decides, hands the updates to the worker, takes in what the
    /// worker reported, logs. A failed read is counted and logged; nothing is decided from a
    /// stale view.
    pub fn tick(&mut self) {
        let started = Instant::now();
        self.counters.ticks += 1;
        match self.observe() {
            Ok(report) => {
                self.metrics.sessions(
                    report
                        .by_namespace
                        .iter()
                        .map(|(namespace, up, down)| (namespace.as_str(), *up, *down)),
                );
                self.metrics.rtts(&report.rtt_ns);
                for update in &report.submitted {
                    self.metrics.decided(update.reason);
                }
                self.in_flight
                    .extend(report.submitted.iter().map(|update| update.client_ip));
                let submitted = report.submitted.len();
                self.worker.submit(report.submitted);
                self.handle(self.worker.events());
                let counters = &self.counters;
                info!(
                    tick = counters.ticks,
                    users = report.users,
                    up = report.up,
                    down = report.down,
                    in_grace = report.in_grace,
                    submitted,
                    in_flight = self.in_flight.len(),
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
                self.counters.read_errors += 1;
                self.metrics.read_error();
                self.handle(self.worker.events());
                warn!(tick = self.counters.ticks, error = %reason, read_errors = self.counters.read_errors, "tick skipped");
            }
        }
        self.metrics.tick(started.elapsed());
    }

    /// Ticks every `schedule.interval` until the ticks run out or `stop` is raised, then
    /// stops the worker: after the last tick it sends what is queued; on `stop` it sends what
    /// is queued for at most `schedule.shutdown_timeout`, then finishes the transaction under
    /// way and abandons the rest (each logged).
    pub fn run(mut self, schedule: &Schedule, stop: &AtomicBool) -> Stopped {
        loop {
            let started = Instant::now();
            self.tick();
            let done = schedule
                .ticks
                .is_some_and(|ticks| self.counters.ticks >= ticks);
            if done || stop.load(Ordering::SeqCst) {
                break;
            }
            let wait_until = started + schedule.interval;
            while Instant::now() < wait_until && !stop.load(Ordering::SeqCst) {
                std::thread::sleep((wait_until - Instant::now()).min(Duration::from_millis(50)));
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
        }
        let signalled = stop.load(Ordering::SeqCst);
        let Agent {
            worker,
            mut counters,
            mut in_flight,
            metrics,
            ..
        } = self;
        let events = if signalled {
            info!(
                in_flight = in_flight.len(),
                timeout_ms = schedule.shutdown_timeout.as_millis() as u64,
                "signal received: sending what is queued within the shutdown timeout"
            );
            worker.drain_within(schedule.shutdown_timeout)
        } else {
            info!(
                in_flight = in_flight.len(),
                "ticks done: sending what is queued"
            );
            worker.drain()
        };
        record(events, &mut counters, &mut in_flight, &metrics);
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
        Stopped {
            signalled,
            counters,
        }
    }

    fn observe(&mut self) -> Result<TickReport, String> {
        let view = (self.read_chain)(&self.device)?;
        let sessions = self
            .sockets
            .established_sessions(self.bgp_port)
            .map_err(|error| format!("cannot read the BGP sessions: {error}"))?;
        let started = Instant::now();
        let decisions =
            self.decider
                .decide(&view.users, &sessions.union(), &sessions.rtt_ns, view.now);
        let decision_time = started.elapsed();
        let submitted = decisions
            .updates
            .into_iter()
            .filter(|update| !self.in_flight.contains(&update.client_ip))
            .collect();
        Ok(TickReport {
            users: view.users.len(),
            up: decisions.up,
            down: decisions.down,
            in_grace: decisions.in_grace,
            by_namespace: count_by_namespace(&view.users, &sessions),
            rtt_ns: view
                .users
                .iter()
                .filter_map(|user| {
                    let rtt_ns = sessions.rtt_ns.get(&user.peer_ip)?;
                    Some((user.client_ip, *rtt_ns))
                })
                .collect(),
            submitted,
            decision_time,
        })
    }

    fn handle(&mut self, events: Vec<WorkerEvent>) {
        record(
            events,
            &mut self.counters,
            &mut self.in_flight,
            &self.metrics,
        );
    }
}

/// For each namespace in `sessions`: its name, how many `users` have their BGP peer's session
/// established there, and how many do not.
fn count_by_namespace(users: &[UserState], sessions: &Sessions) -> Vec<(String, usize, usize)> {
    sessions
        .by_namespace
        .iter()
        .map(|(namespace, peers)| {
            let up = users
                .iter()
                .filter(|user| peers.contains(&user.peer_ip))
                .count();
            (namespace.clone(), up, users.len() - up)
        })
        .collect()
}

/// Counts, measures and logs what the worker reported; landed, failed and abandoned updates
/// are no longer in flight.
fn record(
    events: Vec<WorkerEvent>,
    counters: &mut Counters,
    in_flight: &mut HashSet<Ipv4Addr>,
    metrics: &AgentMetrics,
) {
    for event in events {
        match event {
            WorkerEvent::Landed {
                updates,
                signature,
                attempts,
                through_lookup_table,
            } => {
                counters.submissions += 1;
                counters.through_lookup_table += u64::from(through_lookup_table);
                counters.updates += updates.len() as u64;
                metrics.landed();
                for update in &updates {
                    in_flight.remove(&update.client_ip);
                    info!(
                        client_ip = %update.client_ip,
                        status = %update.status,
                        reason = ?update.reason,
                        %signature,
                        "status recorded"
                    );
                }
                info!(updates = updates.len(), %signature, attempts, through_lookup_table, "transaction landed");
            }
            WorkerEvent::Table(TableChange::Created { address, users }) => {
                counters.tables_created += 1;
                counters.table_users_added += users as u64;
                info!(table = %address, users, "lookup table created");
            }
            WorkerEvent::Table(TableChange::Extended { address, added }) => {
                counters.table_users_added += added as u64;
                info!(table = %address, users = added, "lookup table extended");
            }
            WorkerEvent::Table(TableChange::Failed { error }) => {
                counters.table_failures += 1;
                warn!(%error, "lookup tables unavailable; this round goes out in legacy transactions");
            }
            WorkerEvent::Retrying {
                updates,
                attempt,
                delay,
                error,
            } => {
                counters.retries += 1;
                metrics.retried();
                warn!(updates, attempt, delay_ms = delay.as_millis() as u64, %error, "send failed; retrying");
            }
            WorkerEvent::Failed {
                updates,
                attempts,
                error,
            } => {
                counters.failures += 1;
                metrics.failed();
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
    metrics.in_flight(in_flight.len());
}

#[cfg(test)]
mod tests;
