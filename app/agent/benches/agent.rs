//! The agent's tick at scale: one device with 10,000 users.
//!
//! `cargo bench -p serviceability-client --bench agent [-- --users N --samples N]`
//!
//! Prints, from one run: the decision time of a tick (parsing the socket table and deciding
//! every user), as a ratio to the 100 ms target; the updates that fit in one transaction, as a
//! ratio to the target of 18; and the transactions the background worker actually sends when
//! every status changes (counted by a recording transport: the real worker, packing and
//! instruction builder, without a cluster).

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use clap::Parser;
use serviceability_agent::chain::SendOnly;
use serviceability_agent::decision::{Decider, Policy, UserState};
use serviceability_agent::sockets::{established_peers, proc_ipv4_endpoint, proc_line};
use serviceability_agent::tables::TableMode;
use serviceability_agent::worker::{report_instruction, Worker, WorkerEvent, WorkerOptions};
use serviceability_client::compute_budget::compute_budget_instructions;
use serviceability_client::transport::{
    transaction_footprint, Execution, TransportError, PACKET_DATA_SIZE,
};
use serviceability_client::types::BgpStatus;
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;

const DECISION_TARGET: Duration = Duration::from_millis(100);
/// Issue 15: with the two compute-budget instructions of a priority fee in the transaction.
const UPDATES_PER_TRANSACTION_TARGET: usize = 18;

#[derive(Parser)]
struct Args {
    /// Users on the device.
    #[arg(long, default_value_t = 10_000)]
    users: u32,
    /// Ticks timed.
    #[arg(long, default_value_t = 50)]
    samples: usize,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

/// Records how many reports every transaction carries; never fails.
#[derive(Clone, Default)]
struct Recorder {
    transactions: Arc<Mutex<Vec<usize>>>,
}

/// The accounts of `report_bgp_sessions` before its users.
const NAMED_ACCOUNTS: usize = 3;

impl Recorder {
    fn chain(
        &self,
    ) -> SendOnly<impl FnMut(&[Instruction], &Keypair) -> Result<Execution, TransportError> + Send>
    {
        let transactions = Arc::clone(&self.transactions);
        SendOnly(move |instructions: &[Instruction], _: &Keypair| {
            let reports = instructions
                .iter()
                .map(|ix| ix.accounts.len() - NAMED_ACCOUNTS)
                .sum();
            transactions.lock().unwrap().push(reports);
            Ok(Execution {
                signature: Signature::default(),
                result: Ok(()),
                logs: Vec::new(),
                compute_units: None,
            })
        })
    }
}

fn client_ip(n: u32) -> Ipv4Addr {
    Ipv4Addr::from(0x6440_0000 + n) // 100.64.0.0/10
}

/// User `n`'s BGP peer: the second host of its /31 in 169.254.0.0/16… and beyond.
fn peer_ip(n: u32) -> Ipv4Addr {
    Ipv4Addr::from(0xA9FE_0000 + 2 * n + 1)
}

fn main() {
    let args = Args::parse();
    let now = 1_800_000_000;
    let users: Vec<UserState> = (0..args.users)
        .map(|n| UserState {
            client_ip: client_ip(n),
            peer_ip: peer_ip(n),
            status: if n % 3 == 0 {
                BgpStatus::Up
            } else {
                BgpStatus::Down
            },
            last_reported_at: now - i64::from(n % 7200),
            rtt_ns: 0,
        })
        .collect();
    // Half the sessions established, plus as many unrelated sockets (listeners, other ports).
    let device_endpoint = proc_ipv4_endpoint(Ipv4Addr::new(169, 254, 255, 254), 179);
    let mut lines = vec!["  sl  local_address rem_address   st".to_string()];
    for n in 0..args.users {
        if n % 2 == 0 {
            let remote = proc_ipv4_endpoint(peer_ip(n), 40_000 + (n % 20_000) as u16);
            lines.push(proc_line(lines.len(), &device_endpoint, &remote, "01"));
        } else {
            let other = proc_ipv4_endpoint(Ipv4Addr::from(0x0A00_0000 + n), 22);
            lines.push(proc_line(
                lines.len(),
                &other,
                &proc_ipv4_endpoint(peer_ip(n), 50_000),
                "01",
            ));
        }
    }
    let table = lines.join("\n");
    let policy = Policy {
        refresh_interval_secs: 6 * 3600,
        down_grace_secs: 300,
        rtt_change_percent: 20,
        rtt_change_min_ns: 1_000_000,
    };

    let mut times = Vec::with_capacity(args.samples);
    let mut decider = Decider::new(policy);
    let mut updates = 0;
    for sample in 0..args.samples {
        let started = Instant::now();
        let established: HashSet<Ipv4Addr> = established_peers(&table, 179);
        let decisions = decider.decide(&users, &established, &HashMap::new(), now + sample as i64);
        times.push(started.elapsed());
        updates = decisions.updates.len();
        assert_eq!(decisions.up + decisions.down, users.len());
    }
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];

    // Every status changes: all Up on chain, no session, no grace.
    let changed: Vec<UserState> = users
        .iter()
        .map(|user| UserState {
            status: BgpStatus::Up,
            last_reported_at: now,
            rtt_ns: 0,
            ..*user
        })
        .collect();
    let mut zero_grace = Decider::new(Policy {
        down_grace_secs: 0,
        rtt_change_percent: 20,
        rtt_change_min_ns: 1_000_000,
        ..policy
    });
    let all = zero_grace
        .decide(&changed, &HashSet::new(), &HashMap::new(), now)
        .updates;
    assert_eq!(all.len(), users.len());
    let recorder = Recorder::default();
    let publisher = Keypair::new();
    let device = Pubkey::new_unique();
    let options = WorkerOptions {
        lookup_tables: TableMode::Never,
        ..WorkerOptions::default()
    };
    let worker = Worker::spawn(
        Box::new(recorder.chain()),
        publisher.insecure_clone(),
        device,
        options,
    );
    let per_transaction = worker.updates_per_transaction();
    let per_v0_transaction = worker.updates_per_v0_transaction();
    let sending = Instant::now();
    worker.submit(all.clone());
    let events = worker.drain();
    let worker_time = sending.elapsed();
    let landed: usize = events
        .iter()
        .map(|event| match event {
            WorkerEvent::Landed { updates, .. } => updates.len(),
            other => panic!("{other:?}"),
        })
        .sum();
    let transactions = recorder.transactions.lock().unwrap().clone();
    assert_eq!(landed, users.len());
    // As sent with --with-compute-unit-price: the compute-budget instructions in front.
    let mut full = compute_budget_instructions().to_vec();
    full.push(report_instruction(
        &publisher.pubkey(),
        &device,
        &all[..per_transaction],
    ));
    let (full_size, _) = transaction_footprint(&full, &publisher.pubkey(), &[]).unwrap();

    println!(
        "Agent tick, one device with {} users ({} ticks timed)",
        args.users, args.samples
    );
    println!(
        "  decision time (parse {} socket lines + decide): median {:.2} ms, p95 {:.2} ms, \
         target < {} ms: median/target = {:.3}",
        lines.len() - 1,
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        DECISION_TARGET.as_millis(),
        median.as_secs_f64() / DECISION_TARGET.as_secs_f64()
    );
    println!("  updates decided on a steady tick: {updates}");
    println!(
        "  updates per transaction: {per_transaction} with the 2 compute-budget instructions \
         ({full_size} of {PACKET_DATA_SIZE} bytes), \
         target >= {UPDATES_PER_TRANSACTION_TARGET}: ratio {:.2}",
        per_transaction as f64 / UPDATES_PER_TRANSACTION_TARGET as f64
    );
    println!(
        "  every status changes: {} updates in {} transactions sent by the worker \
         (largest {}, smallest {}), packed and built in {:.1} ms",
        landed,
        transactions.len(),
        transactions.iter().max().unwrap(),
        transactions.iter().min().unwrap(),
        worker_time.as_secs_f64() * 1e3
    );
    println!(
        "  with the device's lookup tables: {per_v0_transaction} per v0 transaction, {} \
         transactions (legacy/v0 = {:.2})",
        landed.div_ceil(per_v0_transaction),
        transactions.len() as f64 / landed.div_ceil(per_v0_transaction) as f64
    );
}
