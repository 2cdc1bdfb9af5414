//! The background worker that writes BGP statuses: a tick hands it updates and goes on; the
//! worker packs them into as few transactions as fit (one `report_bgp_sessions` each: 60 in
//! a v0 transaction for users in the device's lookup tables ([`crate::tables`]), ~22 in a
//! legacy one otherwise), sends them, retries transport failures with bounded exponential
//! backoff, and reports what happened as events.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::AddressLookupTableAccount;
use solana_signature::Signature;
use solana_signer::Signer;

use crate::chain::Chain;
use crate::decision::{Reason, Update};
use crate::tables::{TableChange, TableKeeper, TableMode};
use serviceability_client::compute_budget::compute_budget_instructions;
use serviceability_client::errors::explain;
use serviceability_client::instructions as ix;
use serviceability_client::lookup_table::reports_per_v0_transaction;
use serviceability_client::pda;
use serviceability_client::transport::{transaction_footprint, PACKET_DATA_SIZE};
use serviceability_client::types::{BgpReport, BgpStatus};

/// Bounded exponential backoff: `initial`, doubled after each failure up to `max_delay`, for
/// at most `max_attempts` attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Delay after the first failure.
    pub initial: Duration,
    /// Longest delay.
    pub max_delay: Duration,
    /// Attempts per transaction, the first included.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_attempts: 6,
        }
    }
}

impl Backoff {
    /// The delay after failed attempt `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial.saturating_mul(factor).min(self.max_delay)
    }
}

/// How the worker sends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkerOptions {
    /// Retries of transport failures.
    pub backoff: Backoff,
    /// When the device's lookup tables are used.
    pub lookup_tables: TableMode,
}

/// What the worker did.
#[derive(Clone, Debug)]
pub enum WorkerEvent {
    /// A transaction landed with these updates.
    Landed {
        /// The updates it carried.
        updates: Vec<Update>,
        /// Its signature.
        signature: Signature,
        /// Attempts it took.
        attempts: u32,
        /// Whether it was a v0 transaction reading its users from lookup tables.
        through_lookup_table: bool,
    },
    /// The device's lookup tables changed, or could not be kept.
    Table(TableChange),
    /// An attempt failed in transport and will be retried.
    Retrying {
        /// Updates in the transaction.
        updates: usize,
        /// The failed attempt (1-based).
        attempt: u32,
        /// The wait before the next.
        delay: Duration,
        /// What failed.
        error: String,
    },
    /// A transaction failed for good (the program refused it, or every attempt failed).
    Failed {
        /// The updates it carried.
        updates: Vec<Update>,
        /// Attempts made.
        attempts: u32,
        /// Why.
        error: String,
    },
    /// Updates never sent because the worker was stopped.
    Abandoned {
        /// The updates.
        updates: Vec<Update>,
    },
}

enum Command {
    Submit(Vec<Update>),
    Drain,
}

/// Work queued in the worker: a tick's updates, planned into transactions when their turn
/// comes (so that the tables are read and extended once per round).
enum Batch {
    Round(Vec<Update>),
    Transaction {
        updates: Vec<Update>,
        lookup_tables: Vec<AddressLookupTableAccount>,
    },
}

impl Batch {
    fn into_updates(self) -> Vec<Update> {
        match self {
            Batch::Round(updates) | Batch::Transaction { updates, .. } => updates,
        }
    }
}

/// The worker thread's handle.
pub struct Worker {
    commands: Sender<Command>,
    events: Receiver<WorkerEvent>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    updates_per_transaction: usize,
    updates_per_v0_transaction: usize,
}

/// How many users' reports fit in one `report_bgp_sessions` of one publisher and device, in
/// one legacy transaction beside the two compute-budget instructions of a priority fee
/// (`--with-compute-unit-price`; room is left for them with or without it, so that a packing
/// never depends on the fee). Every report has the same size and adds one account (a distinct
/// User each), so the count is the same for any users.
pub fn updates_per_transaction(publisher: &Pubkey, device: &Pubkey) -> usize {
    let updates = |count: u32| -> Vec<Update> {
        (0..count)
            .map(|n| Update {
                client_ip: std::net::Ipv4Addr::from(0x6440_0000 + n),
                status: BgpStatus::Up,
                rtt_ns: u64::MAX,
                reason: Reason::Changed,
            })
            .collect()
    };
    let budget = compute_budget_instructions();
    let fits = |count: u32| {
        let mut instructions = budget.to_vec();
        instructions.push(report_instruction(publisher, device, &updates(count)));
        transaction_footprint(&instructions, publisher, &[])
            .is_ok_and(|(size, _)| size <= PACKET_DATA_SIZE)
    };
    let mut count = 1;
    while fits(count + 1) {
        count += 1;
    }
    count as usize
}

/// The `report_bgp_sessions` instruction of `updates`.
pub fn report_instruction(publisher: &Pubkey, device: &Pubkey, updates: &[Update]) -> Instruction {
    let reports: Vec<_> = updates
        .iter()
        .map(|update| {
            let report = BgpReport {
                status: update.status,
                rtt_ns: update.rtt_ns,
            };
            (update.client_ip, report)
        })
        .collect();
    ix::report_bgp_sessions(*publisher, *device, &reports)
}

impl Worker {
    /// Starts the worker for `device`, sending through `chain` and signing with the device's
    /// metrics publisher.
    pub fn spawn(
        chain: Box<dyn Chain>,
        publisher: Keypair,
        device: Pubkey,
        options: WorkerOptions,
    ) -> Worker {
        let (commands, command_receiver) = mpsc::channel();
        let (event_sender, events) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let updates_per_transaction = updates_per_transaction(&publisher.pubkey(), &device);
        let updates_per_v0_transaction = reports_per_v0_transaction(chain.priority_fee());
        let state = WorkerThread {
            chain,
            tables: TableKeeper::new(options.lookup_tables, device),
            publisher,
            device,
            backoff: options.backoff,
            updates_per_transaction,
            updates_per_v0_transaction,
            stop: Arc::clone(&stop),
            events: event_sender,
        };
        let handle = std::thread::Builder::new()
            .name("bgp-worker".into())
            .spawn(move || state.run(command_receiver))
            .expect("the worker thread starts");
        Worker {
            commands,
            events,
            stop,
            handle: Some(handle),
            updates_per_transaction,
            updates_per_v0_transaction,
        }
    }

    /// Updates packed per legacy transaction.
    pub fn updates_per_transaction(&self) -> usize {
        self.updates_per_transaction
    }

    /// Updates packed per v0 transaction, when their users are in the device's tables.
    pub fn updates_per_v0_transaction(&self) -> usize {
        self.updates_per_v0_transaction
    }

    /// Queues updates; returns at once.
    pub fn submit(&self, updates: Vec<Update>) {
        if !updates.is_empty() {
            // The thread only ends after Drain or stop, both of which consume the handle.
            let _ = self.commands.send(Command::Submit(updates));
        }
    }

    /// Events since the last call, without waiting.
    pub fn events(&self) -> Vec<WorkerEvent> {
        self.events.try_iter().collect()
    }

    /// Sends everything queued, then stops; returns the remaining events.
    pub fn drain(mut self) -> Vec<WorkerEvent> {
        let _ = self.commands.send(Command::Drain);
        self.join()
    }

    /// Sends everything queued for at most `timeout`, then stops as [`Worker::stop`] does:
    /// the attempt under way is finished and the rest abandoned. Returns the remaining events.
    /// What a service does on SIGTERM: flush, but never hang its service manager.
    pub fn drain_within(mut self, timeout: Duration) -> Vec<WorkerEvent> {
        let _ = self.commands.send(Command::Drain);
        let deadline = Instant::now() + timeout;
        while self
            .handle
            .as_ref()
            .is_some_and(|handle| !handle.is_finished())
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.stop.store(true, Ordering::SeqCst);
        self.join()
    }

    /// Finishes the attempt under way, abandons the rest (reported as
    /// [`WorkerEvent::Abandoned`]), and stops; returns the remaining events.
    pub fn stop(mut self) -> Vec<WorkerEvent> {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.commands.send(Command::Drain);
        self.join()
    }

    fn join(&mut self) -> Vec<WorkerEvent> {
        if let Some(handle) = self.handle.take() {
            if handle.join().is_err() {
                return vec![WorkerEvent::Failed {
                    updates: Vec::new(),
                    attempts: 0,
                    error: "the worker thread panicked".into(),
                }];
            }
        }
        self.events.try_iter().collect()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.commands.send(Command::Drain);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

struct WorkerThread {
    chain: Box<dyn Chain>,
    tables: TableKeeper,
    publisher: Keypair,
    device: Pubkey,
    backoff: Backoff,
    updates_per_transaction: usize,
    updates_per_v0_transaction: usize,
    stop: Arc<AtomicBool>,
    events: Sender<WorkerEvent>,
}

impl WorkerThread {
    fn run(mut self, commands: Receiver<Command>) {
        let mut queue: VecDeque<Batch> = VecDeque::new();
        let mut draining = false;
        loop {
            // Wait for work only when there is none.
            if queue.is_empty() && !draining {
                match commands.recv() {
                    Ok(command) => self.accept(command, &mut queue, &mut draining),
                    Err(_) => draining = true,
                }
            }
            for command in commands.try_iter() {
                self.accept(command, &mut queue, &mut draining);
            }
            if self.stop.load(Ordering::SeqCst) {
                for batch in queue.drain(..) {
                    self.emit(WorkerEvent::Abandoned {
                        updates: batch.into_updates(),
                    });
                }
                return;
            }
            match queue.pop_front() {
                Some(Batch::Round(updates)) => {
                    for transaction in self.plan(updates).into_iter().rev() {
                        queue.push_front(transaction);
                    }
                }
                Some(Batch::Transaction {
                    updates,
                    lookup_tables,
                }) => self.send(updates, &lookup_tables),
                None if draining => return,
                None => {}
            }
        }
    }

    fn accept(&self, command: Command, queue: &mut VecDeque<Batch>, draining: &mut bool) {
        match command {
            Command::Submit(updates) => queue.push_back(Batch::Round(updates)),
            Command::Drain => *draining = true,
        }
    }

    /// A round's transactions: its users that the device's tables hold, 60 to a v0
    /// transaction; the others in legacy ones.
    fn plan(&mut self, updates: Vec<Update>) -> Vec<Batch> {
        let users: Vec<Pubkey> = updates
            .iter()
            .map(|update| pda::user(&self.device, update.client_ip))
            .collect();
        let mut changes = Vec::new();
        let usable = self.tables.prepare(
            &mut *self.chain,
            &self.publisher,
            &users,
            self.updates_per_transaction,
            &mut changes,
        );
        for change in changes {
            self.emit(WorkerEvent::Table(change));
        }
        let (looked_up, legacy): (Vec<_>, Vec<_>) = updates
            .into_iter()
            .zip(&users)
            .partition(|(_, user)| usable.users.contains(user));
        let looked_up: Vec<Update> = looked_up.into_iter().map(|(update, _)| update).collect();
        let legacy: Vec<Update> = legacy.into_iter().map(|(update, _)| update).collect();
        let through_tables = looked_up
            .chunks(self.updates_per_v0_transaction)
            .map(|updates| Batch::Transaction {
                updates: updates.to_vec(),
                lookup_tables: usable.tables.clone(),
            });
        let legacy =
            legacy
                .chunks(self.updates_per_transaction)
                .map(|updates| Batch::Transaction {
                    updates: updates.to_vec(),
                    lookup_tables: Vec::new(),
                });
        through_tables.chain(legacy).collect()
    }

    fn emit(&self, event: WorkerEvent) {
        // Nobody listening means the agent is gone; nothing left to tell.
        let _ = self.events.send(event);
    }

    fn send(&mut self, updates: Vec<Update>, lookup_tables: &[AddressLookupTableAccount]) {
        let instructions = [report_instruction(
            &self.publisher.pubkey(),
            &self.device,
            &updates,
        )];
        let through_lookup_table = !lookup_tables.is_empty();
        for attempt in 1..=self.backoff.max_attempts {
            let outcome = self
                .chain
                .send(&instructions, &self.publisher, lookup_tables);
            let error = match outcome {
                Ok(execution) => match execution.result {
                    Ok(()) => {
                        return self.emit(WorkerEvent::Landed {
                            updates,
                            signature: execution.signature,
                            attempts: attempt,
                            through_lookup_table,
                        })
                    }
                    // The program refused: retrying cannot help; the next tick re-decides
                    // from the chain (and reads the tables again, in case one was closed).
                    Err(error) => {
                        if through_lookup_table {
                            self.tables.forget();
                        }
                        return self.emit(WorkerEvent::Failed {
                            updates,
                            attempts: attempt,
                            error: explain(&error, &execution.logs).to_string(),
                        });
                    }
                },
                Err(error) => error.to_string(),
            };
            if attempt == self.backoff.max_attempts {
                return self.emit(WorkerEvent::Failed {
                    updates,
                    attempts: attempt,
                    error,
                });
            }
            let delay = self.backoff.delay(attempt);
            self.emit(WorkerEvent::Retrying {
                updates: updates.len(),
                attempt,
                delay,
                error,
            });
            if !self.sleep(delay) {
                return self.emit(WorkerEvent::Abandoned { updates });
            }
        }
    }

    /// Sleeps `delay` unless stopped first; false when stopped.
    fn sleep(&self, delay: Duration) -> bool {
        let deadline = Instant::now() + delay;
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return false;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
    }
}

#[cfg(test)]
mod tests;
