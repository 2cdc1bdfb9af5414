//! The loop against a recording worker and a fixed chain view.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anchor_lang::solana_program::instruction::Instruction;
use serviceability_client::instructions as ix;
use serviceability_client::transport::Execution;
use serviceability_client::types::{BgpReport, BgpStatus};
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;

use super::*;
use crate::chain::SendOnly;
use crate::decision::Policy;
use crate::sockets::{proc_ipv4_endpoint, proc_line};
use crate::tables::TableMode;
use crate::worker::WorkerOptions;

const BGP_PORT: u16 = 179;
const NOW: i64 = 1_700_000_000;

/// A user of the device on the /31 `169.254.0.{2*index}`, never reported.
fn user(index: u8) -> UserState {
    UserState {
        client_ip: Ipv4Addr::new(100, 64, 0, index),
        peer_ip: Ipv4Addr::new(169, 254, 0, 2 * index + 1),
        status: BgpStatus::Unknown,
        last_reported_at: 0,
        rtt_ns: 0,
    }
}

/// The socket table of a host with one established BGP session, from `peer`.
fn sockets_with_session_from(dir: &tempfile::TempDir, peer: Ipv4Addr) -> SocketSource {
    let path = dir.path().join("tcp");
    let line = proc_line(
        0,
        &proc_ipv4_endpoint(Ipv4Addr::new(169, 254, 0, 0), BGP_PORT),
        &proc_ipv4_endpoint(peer, 40_000),
        "01",
    );
    std::fs::write(
        &path,
        format!("  sl  local_address rem_address   st\n{line}\n"),
    )
    .unwrap();
    SocketSource::File(path)
}

/// A worker whose sends all land, recording their instructions.
fn recording_worker(publisher: &Keypair, device: Pubkey) -> (Worker, Arc<Mutex<Vec<Instruction>>>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&sent);
    let chain = SendOnly(move |instructions: &[Instruction], _: &Keypair| {
        record.lock().unwrap().extend_from_slice(instructions);
        Ok(Execution {
            signature: Signature::default(),
            result: Ok(()),
            logs: Vec::new(),
            compute_units: None,
        })
    });
    let options = WorkerOptions {
        lookup_tables: TableMode::Never,
        ..WorkerOptions::default()
    };
    let worker = Worker::spawn(Box::new(chain), publisher.insecure_clone(), device, options);
    (worker, sent)
}

/// The agent of a new device, reading users with `read` and the sessions of a host
/// where only user 1's session is established; and what its worker sent.
fn agent(
    dir: &tempfile::TempDir,
    read: ReadChain,
) -> (Agent, Keypair, Pubkey, Arc<Mutex<Vec<Instruction>>>) {
    let publisher = Keypair::new();
    let device = Pubkey::new_unique();
    let (worker, sent) = recording_worker(&publisher, device);
    let policy = Policy {
        refresh_interval_secs: 3_600,
        down_grace_secs: 0,
        rtt_change_percent: 20,
        rtt_change_min_ns: 1_000_000,
    };
    let agent = Agent::new(
        device,
        read,
        sockets_with_session_from(dir, user(1).peer_ip),
        BGP_PORT,
        Decider::new(policy),
        worker,
    );
    (agent, publisher, device, sent)
}

#[test]
fn a_tick_reports_each_user_from_the_sessions_and_the_last_tick_sends_what_is_queued() {
    let dir = tempfile::tempdir().unwrap();
    let read: ReadChain = Box::new(|_| {
        Ok(ChainView {
            users: vec![user(1), user(2)],
            now: NOW,
        })
    });
    let (agent, publisher, device, sent) = agent(&dir, read);
    let schedule = Schedule {
        interval: Duration::from_millis(1),
        ticks: Some(1),
        shutdown_timeout: Duration::from_secs(10),
    };
    let stopped = agent.run(&schedule, &AtomicBool::new(false));

    assert!(!stopped.signalled);
    assert_eq!(
        stopped.counters,
        Counters {
            ticks: 1,
            submissions: 1,
            updates: 2,
            ..Counters::default()
        }
    );
    let report = |status| BgpReport { status, rtt_ns: 0 };
    let expected = [ix::report_bgp_sessions(
        publisher.pubkey(),
        device,
        &[
            (user(1).client_ip, report(BgpStatus::Up)),
            (user(2).client_ip, report(BgpStatus::Down)),
        ],
    )];
    assert_eq!(*sent.lock().unwrap(), expected);
}

#[test]
fn a_failed_read_is_counted_and_nothing_is_decided_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let read: ReadChain = Box::new(|_| Err("cannot reach http://127.0.0.1:1".into()));
    let (mut agent, _, _, sent) = agent(&dir, read);
    agent.tick();
    agent.tick();
    assert_eq!(agent.counters().read_errors, 2);
    let stopped = agent.run(
        &Schedule {
            interval: Duration::from_millis(1),
            ticks: Some(3),
            shutdown_timeout: Duration::from_secs(10),
        },
        &AtomicBool::new(false),
    );
    assert_eq!(stopped.counters.ticks, 3);
    assert_eq!(stopped.counters.read_errors, 3);
    assert_eq!(stopped.counters.submissions, 0);
    assert!(sent.lock().unwrap().is_empty());
}

#[test]
fn a_raised_stop_ends_the_loop_after_the_tick_under_way() {
    let dir = tempfile::tempdir().unwrap();
    let read: ReadChain = Box::new(|_| {
        Ok(ChainView {
            users: vec![user(1)],
            now: NOW,
        })
    });
    let (agent, _, _, _) = agent(&dir, read);
    let schedule = Schedule {
        interval: Duration::from_secs(3_600),
        ticks: None,
        shutdown_timeout: Duration::from_secs(10),
    };
    let stopped = agent.run(&schedule, &AtomicBool::new(true));
    assert!(stopped.signalled);
    assert_eq!(
        stopped.counters.ticks, 1,
        "no second tick, no hour-long wait"
    );
}

/// The value of the sample `name` (with its labels, as printed) in Prometheus' text format.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[test]
fn the_metrics_count_what_the_loop_did() {
    let dir = tempfile::tempdir().unwrap();
    let read: ReadChain = Box::new(|_| {
        Ok(ChainView {
            users: vec![user(1), user(2)],
            now: NOW,
        })
    });
    let (agent, _, _, _) = agent(&dir, read);
    let metrics = agent.metrics();
    agent.run(
        &Schedule {
            interval: Duration::from_millis(1),
            ticks: Some(1),
            shutdown_timeout: Duration::from_secs(10),
        },
        &AtomicBool::new(false),
    );
    let text = metrics.encode();
    let value = |name: &str| sample(&text, &format!("serviceability_agent_{name}"));
    assert_eq!(value("ticks_total"), Some(1.0), "{text}");
    assert_eq!(value("tick_duration_seconds_count"), Some(1.0));
    assert_eq!(value(r#"sessions{namespace="own",state="up"}"#), Some(1.0));
    assert_eq!(
        value(r#"sessions{namespace="own",state="down"}"#),
        Some(1.0)
    );
    // Both users changed (from unknown); the last tick sent what was queued.
    assert_eq!(
        value(r#"updates_decided_total{reason="change"}"#),
        Some(2.0)
    );
    assert_eq!(
        value(r#"updates_decided_total{reason="refresh"}"#),
        Some(0.0)
    );
    assert_eq!(value(r#"transactions_total{outcome="landed"}"#), Some(1.0));
    assert_eq!(value(r#"transactions_total{outcome="failed"}"#), Some(0.0));
    assert_eq!(value("updates_in_flight"), Some(0.0));
    assert!(value("last_landed_timestamp_seconds").unwrap() > 1.7e9);
    assert_eq!(value("read_errors_total"), Some(0.0));
}

#[test]
fn sessions_are_counted_in_each_namespace_and_decided_on_all_of_them() {
    // User 1's session in vrf-a, user 2's in vrf-b, user 3's nowhere; vrf-c is empty.
    let users = [user(1), user(2), user(3)];
    let sessions = Sessions {
        by_namespace: vec![
            ("vrf-a".into(), HashSet::from([user(1).peer_ip])),
            ("vrf-b".into(), HashSet::from([user(2).peer_ip])),
            ("vrf-c".into(), HashSet::new()),
        ],
        rtt_ns: HashMap::new(),
    };
    assert_eq!(
        count_by_namespace(&users, &sessions),
        [
            ("vrf-a".to_string(), 1, 2),
            ("vrf-b".to_string(), 1, 2),
            ("vrf-c".to_string(), 0, 3),
        ]
    );
    let mut decider = Decider::new(Policy {
        refresh_interval_secs: 3_600,
        down_grace_secs: 0,
        rtt_change_percent: 20,
        rtt_change_min_ns: 1_000_000,
    });
    let decisions = decider.decide(&users, &sessions.union(), &sessions.rtt_ns, NOW);
    assert_eq!((decisions.up, decisions.down), (2, 1));
}
