//! The embedded ledger: litesvm with the program running natively or from a compiled SBF
//! `.so` (a [`ProgramRuntime`]), its state kept in a file ([`file`]) so that it survives
//! between invocations, one invocation at a time ([`lock`]).
//!
//! It behaves as a cluster where clients can tell: slots follow the wall clock, a new one
//! every 400 ms, every transaction lands in the current one and blockhashes expire after 150
//! slots as on a cluster ([`clock`]); a signature already in
//! the history ([`history`]) is refused (`AlreadyProcessed`), across invocations; a
//! transaction over the cluster's size limit is refused before it runs; the faucet
//! ([`faucet`]) answers airdrops. Builtins, sysvars and the program itself are not stored;
//! they are rebuilt when the file is opened.

pub mod clock;
mod error;
mod execute;
pub mod faucet;
pub mod file;
pub mod history;
pub mod lock;

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::{Clock, EpochSchedule, Pubkey};
use anchor_lang::system_program;
use litesvm::LiteSVM;
use serviceability::ID as PROGRAM_ID;
/// How the program runs in a ledger: natively, or from a compiled `.so`.
pub use serviceability_host::ProgramRuntime;
use serviceability_host::{
    add_serviceability, program_data_address, program_data_state, set_upgrade_authority,
    upgrade_authority, PROGRAM_DATA_HEADER_LEN,
};
use solana_account::Account;
use solana_hash::Hash;
use solana_message::inner_instruction::InnerInstructionsList;
use solana_message::VersionedMessage;
use solana_rpc_client_api::filter::RpcFilterType;
use solana_signature::Signature;
use solana_slot_hashes::{SlotHashes, MAX_ENTRIES as MAX_SLOT_HASHES};
use solana_transaction_error::TransactionError;

pub use self::error::LedgerError;
use self::file::{LedgerImage, StoredAccount};
use self::history::RecordedTransaction;

/// The fee per signature under litesvm's default fee structure (a cluster's too).
const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

/// What running a transaction (for real or in simulation) produced.
#[derive(Clone, Debug)]
pub struct TransactionOutcome {
    /// The transaction's first signature.
    pub signature: Signature,
    /// Success, or the error the runtime reported.
    pub result: Result<(), TransactionError>,
    /// The program logs.
    pub logs: Vec<String>,
    /// Compute units consumed, when the runtime reports them (an SBF program; natively
    /// the figure is not a cluster's).
    pub compute_units: Option<u64>,
}

/// What [`EmbeddedLedger::simulate_transaction`] produced.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The outcome, logs and compute units.
    pub outcome: TransactionOutcome,
    /// The fee the transaction would pay.
    pub fee: u64,
    /// Inner instructions per top-level instruction.
    pub inner_instructions: InnerInstructionsList,
    /// Return data, when set.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
    /// The accounts as the transaction would leave them.
    pub post_accounts: Vec<(Pubkey, Account)>,
}

/// The embedded ledger, open and locked.
pub struct EmbeddedLedger {
    svm: LiteSVM,
    runtime: ProgramRuntime,
    path: PathBuf,
    existed: bool,
    clock_offset: i64,
    /// Which slot is current when ([`clock::SlotClock`]); the Clock sysvar follows it.
    slot_clock: clock::SlotClock,
    /// Oldest first, at most [`history::TRANSACTION_HISTORY_CAPACITY`].
    history: VecDeque<RecordedTransaction>,
    /// Held for the ledger's lifetime when it was [`open`](Self::open)ed: the exclusive lock
    /// on `<path>.lock`.
    lock: Option<File>,
    /// Whether a transaction's fee payer is topped up before it runs
    /// ([`fund_fee_payers`](Self::fund_fee_payers)); not kept in the file.
    funds_fee_payers: bool,
    /// The top-ups made since [`take_funded`](Self::take_funded) was last called.
    funded: Vec<(Pubkey, u64)>,
}

impl EmbeddedLedger {
    /// Opens the ledger at `path` (a new, empty ledger when the file does not exist yet; it
    /// is written on the first [`save`](Self::save)), waiting for any other invocation that
    /// holds it. The program runs as `runtime` says (the file does not hold the program).
    pub fn open(path: &Path, runtime: &ProgramRuntime) -> Result<Self, LedgerError> {
        let lock = lock::acquire(path).map_err(|source| LedgerError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut ledger = Self::load(path, runtime)?;
        ledger.lock = Some(lock);
        Ok(ledger)
    }

    /// Reads the ledger at `path` as [`open`](Self::open) does, without taking its lock: a
    /// snapshot (a save renames a whole new file over the old one, so it is never half
    /// written), for a caller that takes the lock itself before it saves
    /// ([`crate::mirror::LedgerMirror`]).
    pub fn load(path: &Path, runtime: &ProgramRuntime) -> Result<Self, LedgerError> {
        let io_error = |source| LedgerError::Io {
            path: path.to_path_buf(),
            source,
        };
        // Signatures and blockhashes are checked by `submit` (blockhashes against the stored
        // slot, which litesvm's single latest blockhash cannot do across invocations).
        let mut svm = LiteSVM::new()
            .with_sigverify(false)
            .with_blockhash_check(false);
        add_serviceability(&mut svm, runtime)?;
        let (existed, image) = match fs::read(path) {
            Ok(bytes) => (true, Some(file::decode(path, &bytes)?)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => (false, None),
            Err(error) => return Err(io_error(error)),
        };
        let mut ledger = EmbeddedLedger {
            svm,
            runtime: runtime.clone(),
            path: path.to_path_buf(),
            existed,
            clock_offset: 0,
            slot_clock: clock::SlotClock::starting_now(0),
            history: VecDeque::new(),
            lock: None,
            funds_fee_payers: false,
            funded: Vec::new(),
        };
        let mut clock: Clock = ledger.svm.get_sysvar();
        if let Some(image) = image {
            if image.program_id != PROGRAM_ID {
                return Err(LedgerError::OtherProgram {
                    path: path.to_path_buf(),
                    found: image.program_id,
                    expected: PROGRAM_ID,
                });
            }
            for stored in image.accounts {
                if stored.address == program_data_address() {
                    let (_, authority) =
                        program_data_state(&stored.data).ok_or_else(|| LedgerError::Corrupted {
                            path: path.to_path_buf(),
                            reason: "the ProgramData account has no ProgramData header".into(),
                        })?;
                    set_upgrade_authority(&mut ledger.svm, authority);
                    continue;
                }
                let account = Account {
                    lamports: stored.lamports,
                    data: stored.data,
                    owner: stored.owner,
                    executable: stored.executable,
                    rent_epoch: stored.rent_epoch,
                };
                ledger
                    .svm
                    .set_account(stored.address, account)
                    .map_err(|error| LedgerError::Corrupted {
                        path: path.to_path_buf(),
                        reason: format!("account {}: {error:?}", stored.address),
                    })?;
            }
            ledger.clock_offset = image.clock_offset;
            ledger.history = image.history.into();
            ledger.slot_clock = clock::SlotClock {
                slot: image.slot,
                began_at_ms: image.slot_began_at_ms,
            };
            clock.slot = image.slot;
            clock.unix_timestamp = image.unix_timestamp;
        } else {
            ledger.slot_clock = clock::SlotClock::starting_now(clock.slot);
            clock.unix_timestamp = clock.unix_timestamp.max(clock::wall_clock_secs());
        }
        ledger.svm.set_sysvar(&clock);
        // The file does not hold the sysvar: rebuilt from the slot.
        ledger.record_slot_hashes(clock.slot);
        ledger.sync_clock();
        Ok(ledger)
    }

    /// Brings the Clock sysvar to now: the slot the slot clock says (a new one every 400 ms)
    /// and, when the slot moves, the wall clock's second (plus any warp); neither ever goes
    /// back. As in a validator's bank, a slot's time is fixed when the slot starts, so every
    /// transaction of a slot and `getBlockTime` agree on it. Every JSON-RPC method runs after
    /// it, and so does every transaction.
    pub fn sync_clock(&mut self) {
        let mut clock: Clock = self.svm.get_sysvar();
        let mut slot = self.slot_clock.current_slot();
        let mut set_by_hand = false;
        if clock.slot > slot {
            // Set ahead by hand (`svm_mut`): the slots go on from there.
            self.slot_clock = clock::SlotClock::starting_now(clock.slot);
            slot = clock.slot;
            set_by_hand = true;
        }
        if set_by_hand || slot > clock.slot {
            self.record_slot_hashes(slot);
            clock.slot = slot;
            clock.unix_timestamp = clock
                .unix_timestamp
                .max(clock::wall_clock_secs() + self.clock_offset);
            clock.epoch = self.epoch_schedule().get_epoch(slot);
            self.svm.set_sysvar(&clock);
        }
    }

    /// Sets the SlotHashes sysvar to the newest 512 slots up to `slot`, as a validator's
    /// holds every slot it completed (here no slot is ever skipped): a lookup table is created
    /// for a recent slot, which must be there, and a deactivated one closes once its slot has
    /// left. Each slot's hash is the slot number in its first eight bytes (a validator's is
    /// its bank hash, which nothing here has). Built from the slot alone, so a ledger read
    /// back from its file has the same sysvar.
    fn record_slot_hashes(&mut self, slot: u64) {
        let entries: Vec<(u64, Hash)> = (0..MAX_SLOT_HASHES as u64)
            .map_while(|age| slot.checked_sub(age))
            .map(|slot| {
                let mut hash = [0u8; 32];
                hash[..8].copy_from_slice(&slot.to_le_bytes());
                (slot, Hash::new_from_array(hash))
            })
            .collect();
        self.svm.set_sysvar(&SlotHashes::new(&entries));
    }

    /// The Clock sysvar.
    pub fn clock(&self) -> Clock {
        self.svm.get_sysvar()
    }

    /// The ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file existed when the ledger was opened.
    pub fn existed(&self) -> bool {
        self.existed
    }

    /// The program's upgrade authority in this ledger, the only key that may `initialize`
    /// it: whoever deployed it (see [`EmbeddedLedger::deploy_as`]); `None` until then.
    pub fn upgrade_authority(&self) -> Option<Pubkey> {
        upgrade_authority(&self.svm)
    }

    /// Records `authority` as the program's upgrade authority, as if it had deployed the
    /// program here, unless someone already has (kept in the file with the next save).
    /// Returns whether it was recorded.
    pub fn deploy_as(&mut self, authority: Pubkey) -> bool {
        let undeployed = self.upgrade_authority().is_none();
        if undeployed {
            set_upgrade_authority(&mut self.svm, Some(authority));
        }
        undeployed
    }

    /// How the program runs in this ledger.
    pub fn runtime(&self) -> &ProgramRuntime {
        &self.runtime
    }

    /// The underlying litesvm instance.
    pub fn svm(&self) -> &LiteSVM {
        &self.svm
    }

    /// The underlying litesvm instance, to change state directly (tests, fixtures). Call
    /// [`save`](Self::save) to keep the changes.
    pub fn svm_mut(&mut self) -> &mut LiteSVM {
        &mut self.svm
    }

    /// The current slot: the one the next transaction lands in.
    pub fn slot(&self) -> u64 {
        self.svm.get_sysvar::<Clock>().slot
    }

    /// The blockhash of the current slot, for new transactions.
    pub fn latest_blockhash(&self) -> Hash {
        clock::blockhash_of_slot(self.slot())
    }

    /// The last block height at which [`latest_blockhash`](Self::latest_blockhash) is usable
    /// (block height and slot are the same here: no slot is ever skipped).
    pub fn last_valid_block_height(&self) -> u64 {
        self.slot() + clock::MAX_BLOCKHASH_AGE
    }

    /// Whether a transaction with this blockhash would still be accepted.
    pub fn is_blockhash_valid(&self, blockhash: &Hash) -> bool {
        clock::is_recent(blockhash, self.slot())
    }

    /// A recorded transaction, if it is still in the history.
    pub fn recorded_transaction(&self, signature: &Signature) -> Option<&RecordedTransaction> {
        self.history
            .iter()
            .find(|recorded| recorded.signature == *signature.as_array())
    }

    /// The transactions still in the history, oldest first.
    pub fn recent_transactions(&self) -> impl DoubleEndedIterator<Item = &RecordedTransaction> {
        self.history.iter()
    }

    /// The transactions still in the history, oldest first, each with its position in its
    /// slot's block: transactions land in order, so a slot's are consecutive and counted in
    /// one pass.
    pub fn recent_transactions_in_blocks(&self) -> Vec<(u32, &RecordedTransaction)> {
        let mut previous_slot = None;
        let mut index = 0;
        self.history
            .iter()
            .map(|recorded| {
                index = if previous_slot == Some(recorded.slot) {
                    index + 1
                } else {
                    0
                };
                previous_slot = Some(recorded.slot);
                (index, recorded)
            })
            .collect()
    }

    /// The epoch schedule (a validator's default: 432,000 slots an epoch).
    pub fn epoch_schedule(&self) -> EpochSchedule {
        self.svm.get_sysvar()
    }

    /// The accounts owned by `program` that pass every filter, sorted by address.
    pub fn accounts_of(
        &self,
        program: &Pubkey,
        filters: &[RpcFilterType],
    ) -> Vec<(Pubkey, Account)> {
        let mut accounts: Vec<(Pubkey, Account)> = self
            .svm
            .get_program_accounts(program)
            .into_iter()
            .filter(|(_, account)| filters.iter().all(|filter| passes(filter, &account.data)))
            .collect();
        accounts.sort_by_key(|(address, _)| *address);
        accounts
    }

    /// The fee a transaction with `message` pays.
    pub fn fee_for_message(&self, message: &VersionedMessage) -> u64 {
        u64::from(message.header().num_required_signatures) * LAMPORTS_PER_SIGNATURE
    }

    /// Moves the ledger's clock forward by `seconds`, now and in every later invocation:
    /// the time, and the slots that pass in that time (2.5 a second).
    pub fn warp(&mut self, seconds: i64) {
        self.clock_offset = self.clock_offset.saturating_add(seconds);
        self.slot_clock = self.slot_clock.warped(seconds);
        let mut clock: Clock = self.svm.get_sysvar();
        clock.unix_timestamp = clock.unix_timestamp.saturating_add(seconds);
        self.svm.set_sysvar(&clock);
        self.sync_clock();
    }

    /// Writes the ledger to its file (atomically: a temporary file renamed over it).
    pub fn save(&mut self) -> Result<(), LedgerError> {
        self.sync_clock();
        let io_error = |source| LedgerError::Io {
            path: self.path.clone(),
            source,
        };
        let clock: Clock = self.svm.get_sysvar();
        let airdrop = self.svm.airdrop_pubkey();
        let mut accounts: Vec<StoredAccount> = self
            .svm
            .accounts_db()
            .inner
            .iter()
            .filter(|(address, account)| {
                let owner = *solana_account::ReadableAccount::owner(*account);
                // What transactions here create: system accounts, the program's, and address
                // lookup tables (sysvars, builtins and the program itself come back on open).
                !solana_account::ReadableAccount::executable(*account)
                    && (owner == system_program::ID
                        || owner == PROGRAM_ID
                        || owner == solana_address_lookup_table_interface::program::ID)
                    && **address != airdrop
            })
            .map(|(address, account)| {
                let account = Account::from(account.clone());
                StoredAccount {
                    address: *address,
                    lamports: account.lamports,
                    owner: account.owner,
                    executable: account.executable,
                    rent_epoch: account.rent_epoch,
                    data: account.data,
                }
            })
            .collect();
        // Who deployed the program (may `initialize`): the ProgramData header alone, never a
        // compiled program's code, which comes from the runtime each time the file is opened.
        if self.upgrade_authority().is_some() {
            let account = self
                .svm
                .get_account(&program_data_address())
                .expect("an upgrade authority is recorded in the ProgramData account");
            accounts.push(StoredAccount {
                address: program_data_address(),
                lamports: self
                    .svm
                    .minimum_balance_for_rent_exemption(PROGRAM_DATA_HEADER_LEN),
                owner: account.owner,
                executable: false,
                rent_epoch: 0,
                data: account.data[..PROGRAM_DATA_HEADER_LEN].to_vec(),
            });
        }
        accounts.sort_by_key(|stored| stored.address);
        let anchor = self.slot_clock.anchored_at(clock.slot);
        let image = LedgerImage {
            program_id: PROGRAM_ID,
            slot: anchor.slot,
            slot_began_at_ms: anchor.began_at_ms,
            unix_timestamp: clock.unix_timestamp,
            clock_offset: self.clock_offset,
            accounts,
            history: self.history.iter().cloned().collect(),
        };
        file::write(&self.path, &image).map_err(io_error)?;
        self.existed = true;
        Ok(())
    }
}

/// Whether account `data` passes a `getProgramAccounts` filter, as a validator applies it
/// (the server refuses the token-account filter before it gets here).
pub fn passes(filter: &RpcFilterType, data: &[u8]) -> bool {
    match filter {
        RpcFilterType::DataSize(size) => data.len() as u64 == *size,
        RpcFilterType::Memcmp(memcmp) => memcmp.bytes_match(data),
        RpcFilterType::TokenAccountState => false,
    }
}

#[cfg(test)]
mod tests;
