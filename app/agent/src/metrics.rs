//! What the agent exposes to operators, in Prometheus' text format: ticks and their duration,
//! the sessions seen up and down in each network namespace read, the updates decided by
//! reason, the transactions landed, failed and retried, the updates in flight, and when a send
//! last succeeded. Served over HTTP (`GET /metrics`) on `--metrics-addr` by a small thread of
//! its own.

use std::collections::BTreeSet;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prometheus::{
    Encoder, GaugeVec, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, IntGaugeVec,
    Opts, Registry, TextEncoder,
};

use crate::decision::Reason;

/// The agent's metrics, registered in a registry of their own.
pub struct AgentMetrics {
    registry: Registry,
    ticks: IntCounter,
    tick_seconds: Histogram,
    read_errors: IntCounter,
    sessions: IntGaugeVec,
    /// The namespaces the last tick reported sessions for (their series, and only theirs,
    /// are shown).
    namespaces: Mutex<BTreeSet<String>>,
    updates: IntCounterVec,
    transactions: IntCounterVec,
    in_flight: IntGauge,
    last_landed: IntGauge,
    rtt: GaugeVec,
}

impl AgentMetrics {
    /// Every metric at zero.
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("serviceability_agent".into()), None)
            .expect("a valid prefix");
        let ticks = IntCounter::new("ticks_total", "Ticks run.").expect("valid");
        let tick_seconds = Histogram::with_opts(
            HistogramOpts::new(
                "tick_duration_seconds",
                "Time a tick takes: reading the chain and the sessions, deciding, queueing.",
            )
            .buckets(vec![
                0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
        )
        .expect("valid");
        let read_errors = IntCounter::new(
            "read_errors_total",
            "Ticks skipped because the chain or the socket tables could not be read.",
        )
        .expect("valid");
        let sessions = IntGaugeVec::new(
            Opts::new(
                "sessions",
                "Users of the device whose BGP session the last tick saw established (up) or not \
                 (down), in each network namespace read (own: the agent's own). With several \
                 namespaces a user counts down in every one its session is not in; the \
                 decisions look at all of them together.",
            ),
            &["namespace", "state"],
        )
        .expect("valid");
        let updates = IntCounterVec::new(
            Opts::new(
                "updates_decided_total",
                "Status updates decided, by reason: a change, a refresh of an unchanged status, or an RTT that moved past the thresholds.",
            ),
            &["reason"],
        )
        .expect("valid");
        let transactions = IntCounterVec::new(
            Opts::new(
                "transactions_total",
                "Transactions by outcome: landed, failed for good, or retried after a transport failure.",
            ),
            &["outcome"],
        )
        .expect("valid");
        let rtt = GaugeVec::new(
            Opts::new(
                "bgp_rtt_seconds",
                "Smoothed RTT of each user's BGP session at the last tick, from the kernel \
                 (tcpi_rtt), by client IP; only users whose session has a sample.",
            ),
            &["client_ip"],
        )
        .expect("valid");
        let in_flight = IntGauge::new(
            "updates_in_flight",
            "Updates handed to the worker and not yet landed, failed or abandoned.",
        )
        .expect("valid");
        let last_landed = IntGauge::new(
            "last_landed_timestamp_seconds",
            "Unix time of the last transaction that landed (0: none yet).",
        )
        .expect("valid");
        for collector in [
            Box::new(ticks.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(tick_seconds.clone()),
            Box::new(read_errors.clone()),
            Box::new(sessions.clone()),
            Box::new(updates.clone()),
            Box::new(transactions.clone()),
            Box::new(in_flight.clone()),
            Box::new(last_landed.clone()),
            Box::new(rtt.clone()),
        ] {
            registry.register(collector).expect("names are distinct");
        }
        // Labels known up front start at zero, so a scrape shows them before anything happens.
        for reason in [Reason::Changed, Reason::Refresh, Reason::RttMoved] {
            updates.with_label_values(&[reason_label(reason)]);
        }
        for outcome in ["landed", "failed", "retried"] {
            transactions.with_label_values(&[outcome]);
        }
        AgentMetrics {
            registry,
            ticks,
            tick_seconds,
            read_errors,
            sessions,
            namespaces: Mutex::new(BTreeSet::new()),
            updates,
            transactions,
            in_flight,
            last_landed,
            rtt,
        }
    }

    /// The last tick's RTT samples, `(client IP, ns)`: the series of users without one now
    /// (down, gone, or a source without samples) are removed.
    pub fn rtts(&self, samples: &[(Ipv4Addr, u64)]) {
        self.rtt.reset();
        for (client_ip, rtt_ns) in samples {
            self.rtt
                .with_label_values(&[client_ip.to_string().as_str()])
                .set(*rtt_ns as f64 / 1e9);
        }
    }

    /// A tick ran for `duration`.
    pub fn tick(&self, duration: Duration) {
        self.ticks.inc();
        self.tick_seconds.observe(duration.as_secs_f64());
    }

    /// A tick could not read the chain or the sessions.
    pub fn read_error(&self) {
        self.read_errors.inc();
    }

    /// The last tick's view, per network namespace read: `(namespace, up, down)`, `up` users
    /// with an established session there, `down` without. The series of a namespace no
    /// longer read (gone, or no longer listed) are removed.
    pub fn sessions<'a>(&self, by_namespace: impl IntoIterator<Item = (&'a str, usize, usize)>) {
        let mut namespaces = self
            .namespaces
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut read = BTreeSet::new();
        for (namespace, up, down) in by_namespace {
            for (state, count) in [("up", up), ("down", down)] {
                self.sessions
                    .with_label_values(&[namespace, state])
                    .set(count as i64);
            }
            read.insert(namespace.to_string());
        }
        for gone in namespaces.difference(&read) {
            for state in ["up", "down"] {
                let _ = self.sessions.remove_label_values(&[gone.as_str(), state]);
            }
        }
        *namespaces = read;
    }

    /// An update was decided for `reason`.
    pub fn decided(&self, reason: Reason) {
        self.updates
            .with_label_values(&[reason_label(reason)])
            .inc();
    }

    /// A transaction landed now.
    pub fn landed(&self) {
        self.transactions.with_label_values(&["landed"]).inc();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64);
        self.last_landed.set(now);
    }

    /// A transaction failed for good.
    pub fn failed(&self) {
        self.transactions.with_label_values(&["failed"]).inc();
    }

    /// A send is retried after a transport failure.
    pub fn retried(&self) {
        self.transactions.with_label_values(&["retried"]).inc();
    }

    /// How many updates are in flight.
    pub fn in_flight(&self, count: usize) {
        self.in_flight.set(count as i64);
    }

    /// Every metric in Prometheus' text format.
    pub fn encode(&self) -> String {
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut text)
            .expect("the text format encodes");
        String::from_utf8(text).expect("the text format is UTF-8")
    }
}

impl Default for AgentMetrics {
    fn default() -> Self {
        Self::new()
    }
}

fn reason_label(reason: Reason) -> &'static str {
    match reason {
        Reason::Changed => "change",
        Reason::Refresh => "refresh",
        Reason::RttMoved => "rtt",
    }
}

/// `metrics` served on `GET /metrics` (anything else is 404) until the process exits.
pub struct MetricsServer {
    address: SocketAddr,
    _thread: JoinHandle<()>,
}

impl MetricsServer {
    /// Listens on `address` (port 0: any free port) and serves from a thread of its own.
    pub fn start(address: SocketAddr, metrics: Arc<AgentMetrics>) -> io::Result<Self> {
        let server = tiny_http::Server::http(address).map_err(io::Error::other)?;
        let address = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| io::Error::other("the metrics server listens on no IP address"))?;
        let thread = std::thread::Builder::new()
            .name("metrics".into())
            .spawn(move || {
                for request in server.incoming_requests() {
                    let response = if request.url() == "/metrics" {
                        let content_type =
                            tiny_http::Header::from_bytes("Content-Type", prometheus::TEXT_FORMAT)
                                .expect("a valid header");
                        tiny_http::Response::from_string(metrics.encode()).with_header(content_type)
                    } else {
                        tiny_http::Response::from_string("not found: try /metrics\n")
                            .with_status_code(404)
                    };
                    // A client that went away is its own problem.
                    let _ = request.respond(response);
                }
            })?;
        Ok(MetricsServer {
            address,
            _thread: thread,
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `sessions` samples, as printed.
    fn sessions(metrics: &AgentMetrics) -> Vec<String> {
        metrics
            .encode()
            .lines()
            .filter(|line| line.starts_with("serviceability_agent_sessions{"))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn sessions_are_labelled_by_namespace_and_a_namespace_no_longer_read_disappears() {
        let metrics = AgentMetrics::new();
        metrics.sessions([("vrf-a", 2, 1), ("vrf-b", 1, 2)]);
        assert_eq!(
            sessions(&metrics),
            [
                r#"serviceability_agent_sessions{namespace="vrf-a",state="down"} 1"#,
                r#"serviceability_agent_sessions{namespace="vrf-a",state="up"} 2"#,
                r#"serviceability_agent_sessions{namespace="vrf-b",state="down"} 2"#,
                r#"serviceability_agent_sessions{namespace="vrf-b",state="up"} 1"#,
            ]
        );
        metrics.sessions([("vrf-a", 3, 0)]);
        assert_eq!(
            sessions(&metrics),
            [
                r#"serviceability_agent_sessions{namespace="vrf-a",state="down"} 0"#,
                r#"serviceability_agent_sessions{namespace="vrf-a",state="up"} 3"#,
            ]
        );
    }
}
