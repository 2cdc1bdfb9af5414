//! Following the ledger file: whoever writes it (this server, the CLI or the agent in another
//! process), every write replaces the file (a temporary file renamed over it), so the watcher
//! waits for the kernel to say the file's directory changed (inotify, through `notify`), reads
//! the file without taking its lock (a rename is atomic: it reads the old or the new file,
//! never half of one) and compares it with what it read last: the transactions that landed
//! since, the accounts that changed since and the new slot become one [`LedgerChange`].
//! Between writes it follows the file's slot clock: every 400 ms a new slot begins, and is a
//! change of its own (no transaction, no account), as a validator notifies every slot.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime};

use anchor_lang::prelude::Pubkey;
use notify::{RecursiveMode, Watcher};
use sha2::{Digest, Sha256};
use solana_account::Account;
use solana_signature::Signature;
use solana_transaction_error::TransactionError;
use tokio::sync::broadcast;

use crate::ledger::clock::{self, SlotClock};
use crate::ledger::file::{self, LedgerImage, StoredAccount};
use crate::ledger::history::RecordedTransaction;

/// How often the file's size and modification time are checked when no file event came: a
/// safety net for file systems without inotify (network mounts), not the way changes are seen.
const FALLBACK_CHECK: Duration = Duration::from_secs(1);

/// Changes queued for the connections; one that falls this far behind is disconnected.
pub const CHANGE_QUEUE: usize = 256;

/// A transaction that landed, as the subscriptions need it.
#[derive(Debug)]
pub struct LandedTransaction {
    /// Its first signature.
    pub signature: Signature,
    /// The slot it landed in.
    pub slot: u64,
    /// Success, or the error it failed with.
    pub result: Result<(), TransactionError>,
    /// Its program logs.
    pub logs: Vec<String>,
    /// The accounts its message names.
    pub account_keys: Vec<Pubkey>,
}

impl LandedTransaction {
    fn from_recorded(recorded: &RecordedTransaction) -> Self {
        LandedTransaction {
            signature: recorded.signature(),
            slot: recorded.slot,
            result: recorded.result(),
            logs: recorded.logs.clone(),
            account_keys: recorded
                .transaction()
                .message
                .static_account_keys()
                .to_vec(),
        }
    }
}

/// What changed in the ledger between two reads of its file.
#[derive(Debug)]
pub struct LedgerChange {
    /// The slot before the change.
    pub parent_slot: u64,
    /// The slot after it (what `getSlot` now answers).
    pub slot: u64,
    /// The slot the account changes belong to: the last transaction's, or the current slot
    /// when no transaction made them (an airdrop).
    pub changed_in: u64,
    /// Transactions that landed, oldest first.
    pub transactions: Vec<LandedTransaction>,
    /// Accounts whose state changed, as they are now; a closed account is all zero, owned by
    /// the system program, as a validator reports it.
    pub accounts: Vec<(Pubkey, Account)>,
}

/// The transactions the ledger still remembers, for a signature subscription made after its
/// transaction landed.
#[derive(Default)]
pub struct RecentTransactions {
    /// Slot and outcome, by signature.
    outcomes: HashMap<Signature, (u64, Result<(), TransactionError>)>,
}

impl RecentTransactions {
    /// The slot and outcome of `signature`, if it landed and is still remembered.
    pub fn outcome(&self, signature: &Signature) -> Option<(u64, Result<(), TransactionError>)> {
        self.outcomes.get(signature).cloned()
    }
}

/// The file as last read: enough to tell what a new read changed.
#[derive(Default)]
struct LastRead {
    /// Size and modification time, to skip reads of an unchanged file.
    stamp: Option<(u64, SystemTime)>,
    /// The last slot notified.
    slot: u64,
    /// The file's slot clock (none before the file exists).
    slot_clock: Option<SlotClock>,
    /// SHA-256 of each account's state.
    accounts: HashMap<Pubkey, [u8; 32]>,
}

/// What wakes the watcher's thread.
enum Signal {
    /// The kernel says the file changed.
    Changed,
    /// The watcher is dropped.
    Stop,
}

/// A running watcher; it stops when dropped.
pub struct LedgerWatcher {
    stop: mpsc::Sender<Signal>,
    thread: Option<JoinHandle<()>>,
    /// Kept alive with the watcher: dropping it ends the kernel's notifications.
    _events: Option<notify::RecommendedWatcher>,
}

impl LedgerWatcher {
    /// Starts following `path`, sending each change to `changes` and keeping `recent`
    /// current. The file as it is now is the starting point: only later changes are sent.
    pub fn start(
        path: &Path,
        changes: broadcast::Sender<Arc<LedgerChange>>,
        recent: Arc<RwLock<RecentTransactions>>,
    ) -> Self {
        let (wake, woken) = mpsc::channel::<Signal>();
        let stop = wake.clone();
        let events = watch_directory(path, wake);
        let path = path.to_path_buf();
        let thread = thread::Builder::new()
            .name("ledger-watcher".into())
            .spawn(move || {
                let mut last = LastRead::default();
                // The starting point: nothing is sent for what is already there.
                let _ = read_change(&path, &mut last, &recent, true);
                if let Some(clock) = last.slot_clock {
                    last.slot = last.slot.max(clock.current_slot());
                }
                loop {
                    let changed = match woken.recv_timeout(until_next_slot(&last)) {
                        Ok(Signal::Changed) => true,
                        Err(RecvTimeoutError::Timeout) => false,
                        Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                    };
                    // Several events for one write (create, rename) become one read.
                    for signal in woken.try_iter() {
                        if let Signal::Stop = signal {
                            return;
                        }
                    }
                    match read_change(&path, &mut last, &recent, changed) {
                        Ok(Some(change)) => {
                            // No connection listening is not an error.
                            let _ = changes.send(Arc::new(change));
                        }
                        Ok(None) => {}
                        Err(error) => eprintln!("ledger watcher: {error}"),
                    }
                    for change in new_slots(&mut last) {
                        let _ = changes.send(Arc::new(change));
                    }
                }
            })
            .expect("a thread can be spawned");
        LedgerWatcher {
            stop,
            thread: Some(thread),
            _events: events,
        }
    }
}

impl Drop for LedgerWatcher {
    fn drop(&mut self) {
        let _ = self.stop.send(Signal::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How long until the next slot begins by the file's clock (at most the fallback check's
/// period; that period when there is no clock yet).
fn until_next_slot(last: &LastRead) -> Duration {
    let Some(clock) = last.slot_clock else {
        return FALLBACK_CHECK;
    };
    let next = clock.anchored_at(last.slot + 1).began_at_ms;
    let wait = next.saturating_sub(clock::wall_clock_ms()).max(1);
    Duration::from_millis(wait as u64).min(FALLBACK_CHECK)
}

/// The slots that began since the last one notified, each a change of its own (at most a
/// blockhash's lifetime of them, should the watcher have been kept from running).
fn new_slots(last: &mut LastRead) -> Vec<LedgerChange> {
    let Some(clock) = last.slot_clock else {
        return Vec::new();
    };
    let current = clock.current_slot();
    let first = (last.slot + 1).max(current.saturating_sub(clock::MAX_BLOCKHASH_AGE));
    let changes = (first..=current)
        .map(|slot| LedgerChange {
            parent_slot: slot - 1,
            slot,
            changed_in: slot,
            transactions: Vec::new(),
            accounts: Vec::new(),
        })
        .collect();
    last.slot = last.slot.max(current);
    changes
}

/// Asks the kernel to wake `wake` when anything in the file's directory changes (a rename
/// over the file is an event on the directory; a watch on the file itself would follow the
/// replaced inode). Without inotify, the fallback check alone sees changes.
fn watch_directory(path: &Path, wake: mpsc::Sender<Signal>) -> Option<notify::RecommendedWatcher> {
    let file_name = path.file_name()?.to_owned();
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let handler = move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if event
                .paths
                .iter()
                .any(|changed| changed.file_name() == Some(&file_name))
            {
                let _ = wake.send(Signal::Changed);
            }
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(watcher) => watcher,
        Err(error) => {
            eprintln!("ledger watcher: no file events ({error}); checking the file every second");
            return None;
        }
    };
    if let Err(error) = watcher.watch(&directory, RecursiveMode::NonRecursive) {
        eprintln!(
            "ledger watcher: cannot watch {} ({error}); checking the file every second",
            directory.display()
        );
        return None;
    }
    Some(watcher)
}

/// Reads the file (when `changed`, or else only if its size or modification time moved) and
/// says what changed since `last`, updating `last` and `recent`. `None`: nothing a subscriber
/// could see changed.
fn read_change(
    path: &Path,
    last: &mut LastRead,
    recent: &RwLock<RecentTransactions>,
    changed: bool,
) -> Result<Option<LedgerChange>, String> {
    let stamp = match fs::metadata(path) {
        Ok(metadata) => Some((
            metadata.len(),
            metadata.modified().map_err(|e| e.to_string())?,
        )),
        // Not written yet: a new ledger.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("{}: {error}", path.display())),
    };
    if !changed && stamp == last.stamp {
        return Ok(None);
    }
    let bytes = fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let image = file::decode(path, &bytes).map_err(|error| error.to_string())?;
    last.stamp = stamp;
    Ok(compare(image, last, recent))
}

/// What `image` changed since `last`.
fn compare(
    image: LedgerImage,
    last: &mut LastRead,
    recent: &RwLock<RecentTransactions>,
) -> Option<LedgerChange> {
    // The transactions remembered as of the last read are the ones already notified.
    let mut recent = recent.write().expect("the watcher never panics holding it");
    let transactions: Vec<LandedTransaction> = image
        .history
        .iter()
        .filter(|recorded| !recent.outcomes.contains_key(&recorded.signature()))
        .map(LandedTransaction::from_recorded)
        .collect();
    recent.outcomes = image
        .history
        .iter()
        .map(|recorded| (recorded.signature(), (recorded.slot, recorded.result())))
        .collect();
    drop(recent);

    let mut accounts = Vec::new();
    let mut hashes = HashMap::with_capacity(image.accounts.len());
    for stored in image.accounts {
        let hash = account_hash(&stored);
        if last.accounts.get(&stored.address) != Some(&hash) {
            accounts.push((
                stored.address,
                Account {
                    lamports: stored.lamports,
                    data: stored.data,
                    owner: stored.owner,
                    executable: stored.executable,
                    rent_epoch: stored.rent_epoch,
                },
            ));
        }
        hashes.insert(stored.address, hash);
    }
    // Closed since: gone from the file.
    accounts.extend(
        last.accounts
            .keys()
            .filter(|address| !hashes.contains_key(address))
            .map(|address| (*address, Account::default())),
    );
    last.accounts = hashes;

    last.slot_clock = Some(SlotClock {
        slot: image.slot,
        began_at_ms: image.slot_began_at_ms,
    });
    // Slots only move forward; the clock's ticks may be ahead of the writer's save.
    let parent_slot = last.slot;
    let slot = image.slot.max(parent_slot);
    last.slot = slot;
    if transactions.is_empty() && accounts.is_empty() && slot == parent_slot {
        return None;
    }
    Some(LedgerChange {
        parent_slot,
        slot,
        changed_in: transactions.last().map_or(slot, |landed| landed.slot),
        transactions,
        accounts,
    })
}

fn account_hash(stored: &StoredAccount) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(stored.lamports.to_le_bytes());
    hasher.update(stored.owner.as_ref());
    hasher.update([u8::from(stored.executable)]);
    hasher.update(stored.rent_epoch.to_le_bytes());
    hasher.update(&stored.data);
    hasher.finalize().into()
}
