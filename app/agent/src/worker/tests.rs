//! The worker against a flaky cluster: retries, bounded attempts, no retry of a program
//! refusal, packing, stopping during backoff.

use std::net::Ipv4Addr;
use std::sync::atomic::AtomicU32;
use std::sync::Mutex;

use solana_transaction_error::TransactionError;

use super::*;
use crate::chain::SendOnly;
use crate::decision::Reason;
use serviceability_client::compute_budget::compute_budget_instructions;
use serviceability_client::transport::{Execution, TransportError};
use serviceability_client::types::BgpStatus;

/// A cluster whose sends fail in transport `failures` times, then succeed (or fail in the
/// program when `program_error`), recording every landed transaction.
#[derive(Clone, Default)]
struct FlakyCluster {
    failures: Arc<AtomicU32>,
    program_error: bool,
    landed: Arc<Mutex<Vec<Vec<Instruction>>>>,
    attempts: Arc<AtomicU32>,
}

impl FlakyCluster {
    fn send(&self, instructions: &[Instruction]) -> Result<Execution, TransportError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        if self.failures.load(Ordering::SeqCst) > 0 {
            self.failures.fetch_sub(1, Ordering::SeqCst);
            return Err(TransportError::Unreachable {
                url: "http://flaky".into(),
                reason: "connection refused".into(),
            });
        }
        let result = if self.program_error {
            Err(TransactionError::InstructionError(
                0,
                anchor_lang::solana_program::instruction::error::InstructionError::Custom(
                    u32::from(
                        serviceability_client::serviceability::error::ServiceabilityError::NotMetricsPublisher,
                    ),
                ),
            ))
        } else {
            self.landed.lock().unwrap().push(instructions.to_vec());
            Ok(())
        };
        Ok(Execution {
            signature: Signature::default(),
            result,
            logs: Vec::new(),
            compute_units: None,
        })
    }
}

const FAST: Backoff = Backoff {
    initial: Duration::from_millis(10),
    max_delay: Duration::from_millis(40),
    max_attempts: 5,
};

fn worker(cluster: &FlakyCluster, backoff: Backoff) -> Worker {
    let cluster = cluster.clone();
    let chain =
        SendOnly(move |instructions: &[Instruction], _: &Keypair| cluster.send(instructions));
    let options = WorkerOptions {
        backoff,
        lookup_tables: TableMode::Never,
    };
    Worker::spawn(
        Box::new(chain),
        Keypair::new(),
        Pubkey::new_unique(),
        options,
    )
}

fn updates(count: u32) -> Vec<Update> {
    (0..count)
        .map(|n| Update {
            client_ip: Ipv4Addr::from(0x6440_0000 + n),
            status: BgpStatus::Up,
            rtt_ns: 1_000_000 + u64::from(n),
            reason: Reason::Changed,
        })
        .collect()
}

#[test]
fn backoff_doubles_up_to_its_bound() {
    let backoff = Backoff {
        initial: Duration::from_millis(100),
        max_delay: Duration::from_millis(500),
        max_attempts: 9,
    };
    let delays: Vec<u128> = (1..=5).map(|n| backoff.delay(n).as_millis()).collect();
    assert_eq!(delays, [100, 200, 400, 500, 500]);
    assert_eq!(
        backoff.delay(200),
        Duration::from_millis(500),
        "no overflow"
    );
}

#[test]
fn an_update_lands_once_after_failures_while_ticks_go_on() {
    let cluster = FlakyCluster::default();
    cluster.failures.store(3, Ordering::SeqCst);
    let worker = worker(&cluster, FAST);
    worker.submit(updates(1));
    let mut ticks = 0;
    let mut events = Vec::new();
    let started = Instant::now();
    // The "ticks": never blocked by the worker, they only look at its events.
    while !events
        .iter()
        .any(|e| matches!(e, WorkerEvent::Landed { .. }))
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never landed: {events:?}"
        );
        ticks += 1;
        events.extend(worker.events());
        std::thread::sleep(Duration::from_millis(2));
    }
    events.extend(worker.drain());
    assert!(ticks > 3, "ticks went on during the retries ({ticks})");
    let retries = events
        .iter()
        .filter(|e| matches!(e, WorkerEvent::Retrying { .. }))
        .count();
    assert_eq!(retries, 3);
    let landed: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            WorkerEvent::Landed {
                attempts, updates, ..
            } => {
                assert_eq!(updates.len(), 1);
                Some(*attempts)
            }
            _ => None,
        })
        .collect();
    assert_eq!(landed, [4], "landed once, on the fourth attempt");
    assert_eq!(
        cluster.landed.lock().unwrap().len(),
        1,
        "sent successfully once"
    );
}

#[test]
fn attempts_are_bounded() {
    let cluster = FlakyCluster::default();
    cluster.failures.store(u32::MAX, Ordering::SeqCst);
    let worker = worker(&cluster, FAST);
    worker.submit(updates(2));
    let events = worker.drain();
    assert!(
        matches!(
            events.last(),
            Some(WorkerEvent::Failed { attempts: 5, updates, .. }) if updates.len() == 2
        ),
        "{events:?}"
    );
    assert_eq!(cluster.attempts.load(Ordering::SeqCst), 5);
}

#[test]
fn a_program_refusal_is_not_retried() {
    let cluster = FlakyCluster {
        program_error: true,
        ..FlakyCluster::default()
    };
    let worker = worker(&cluster, FAST);
    worker.submit(updates(1));
    let events = worker.drain();
    match events.as_slice() {
        [WorkerEvent::Failed {
            attempts: 1, error, ..
        }] => {
            assert!(error.starts_with("NotMetricsPublisher"), "{error}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(cluster.attempts.load(Ordering::SeqCst), 1);
}

#[test]
fn updates_share_transactions_up_to_the_size_limit() {
    let cluster = FlakyCluster::default();
    let worker = worker(&cluster, FAST);
    let per_transaction = worker.updates_per_transaction();
    // One report is a User key and 9 bytes of arguments, where `set_user_bgp_status` needed
    // a whole instruction (20 fitted): the keys still fill the packet, which lookup tables
    // lift (60 per v0 transaction).
    assert!(per_transaction >= 22, "{per_transaction}");
    worker.submit(updates(2 * per_transaction as u32 + 5));
    worker.drain();
    // One instruction per transaction, its users after the three named accounts.
    let sizes: Vec<usize> = cluster
        .landed
        .lock()
        .unwrap()
        .iter()
        .map(|instructions| match instructions.as_slice() {
            [report] => report.accounts.len() - 3,
            other => panic!("one report_bgp_sessions per transaction: {other:?}"),
        })
        .collect();
    assert_eq!(sizes, [per_transaction, per_transaction, 5]);
    let publisher = Pubkey::new_unique();
    let device = Pubkey::new_unique();
    // With the priority fee's compute-budget instructions in front, as they are sent: one
    // report more would not fit.
    let transaction = |count: u32| {
        let mut instructions = compute_budget_instructions().to_vec();
        instructions.push(report_instruction(&publisher, &device, &updates(count)));
        transaction_footprint(&instructions, &publisher, &[])
            .unwrap()
            .0
    };
    assert!(transaction(per_transaction as u32) <= PACKET_DATA_SIZE);
    assert!(transaction(per_transaction as u32 + 1) > PACKET_DATA_SIZE);
}

#[test]
fn stopping_abandons_what_is_left_and_says_so() {
    let cluster = FlakyCluster::default();
    cluster.failures.store(u32::MAX, Ordering::SeqCst);
    let slow = Backoff {
        initial: Duration::from_secs(60),
        ..FAST
    };
    let worker = worker(&cluster, slow);
    worker.submit(updates(3));
    // Wait until the first attempt failed and the worker is backing off.
    let started = Instant::now();
    while cluster.attempts.load(Ordering::SeqCst) == 0 {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(2));
    }
    let stopping = Instant::now();
    let events = worker.stop();
    assert!(
        stopping.elapsed() < Duration::from_secs(5),
        "did not wait out the backoff"
    );
    assert!(
        matches!(events.last(), Some(WorkerEvent::Abandoned { updates }) if updates.len() == 3),
        "{events:?}"
    );
}

#[test]
fn draining_within_a_bound_sends_everything_queued() {
    let cluster = FlakyCluster::default();
    let worker = worker(&cluster, FAST);
    let per_transaction = worker.updates_per_transaction();
    worker.submit(updates(per_transaction as u32 + 3));
    let events = worker.drain_within(Duration::from_secs(30));
    let landed: usize = events
        .iter()
        .map(|event| match event {
            WorkerEvent::Landed { updates, .. } => updates.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(landed, per_transaction + 3, "{events:?}");
    assert!(!events
        .iter()
        .any(|event| matches!(event, WorkerEvent::Abandoned { .. })));
    assert_eq!(cluster.landed.lock().unwrap().len(), 2);
}

#[test]
fn draining_gives_up_at_its_bound_and_abandons_the_rest() {
    let cluster = FlakyCluster::default();
    cluster.failures.store(u32::MAX, Ordering::SeqCst);
    // Backing off for a minute after the first failure: only the bound ends the drain.
    let slow = Backoff {
        initial: Duration::from_secs(60),
        max_delay: Duration::from_secs(60),
        max_attempts: 5,
    };
    let worker = worker(&cluster, slow);
    worker.submit(updates(3));
    let events = worker.drain_within(Duration::from_millis(200));
    assert!(
        matches!(events.last(), Some(WorkerEvent::Abandoned { updates }) if updates.len() == 3),
        "{events:?}"
    );
    assert!(cluster.landed.lock().unwrap().is_empty());
}
