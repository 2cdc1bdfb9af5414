//! The embedded ledger: litesvm with the program running natively or from a compiled SBF
//! `.so` (a [`ProgramRuntime`]), its state kept in a file ([`file`]) so that it survives
//! between invocations, one invocation at a time ([`lock`]).
//!
//! It behaves as a cluster where clients can tell: every transaction that lands takes the
//! current slot and blockhashes expire as on a cluster ([`clock`]); a signature already in
//! the history ([`history`]) is refused (`AlreadyProcessed`), across invocations; a
//! transaction over the cluster's size limit is refused before it runs; the faucet
//! ([`faucet`]) answers airdrops. Builtins, sysvars and the program itself are not stored;
//! they are rebuilt when the file is opened.

pub mod clock;
mod error;
pub mod faucet;
pub mod file;
pub mod history;
pub mod lock;

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::system_program;
use litesvm::types::{FailedTransactionMetadata, TransactionMetadata};
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
use solana_packet::PACKET_DATA_SIZE;
use solana_rpc_client_api::filter::RpcFilterType;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_context::transaction::TransactionReturnData;
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
    /// Oldest first, at most [`history::TRANSACTION_HISTORY_CAPACITY`].
    history: VecDeque<RecordedTransaction>,
    /// Held for the ledger's lifetime: the exclusive lock on `<path>.lock`.
    _lock: File,
}

impl EmbeddedLedger {
    /// Opens the ledger at `path` (a new, empty ledger when the file does not exist yet; it
    /// is written on the first [`save`](Self::save)), waiting for any other invocation that
    /// holds it. The program runs as `runtime` says (the file does not hold the program).
    pub fn open(path: &Path, runtime: &ProgramRuntime) -> Result<Self, LedgerError> {
        let io_error = |source| LedgerError::Io {
            path: path.to_path_buf(),
            source,
        };
        let lock = lock::acquire(path).map_err(io_error)?;

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
            history: VecDeque::new(),
            _lock: lock,
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
            clock.slot = image.slot;
            clock.unix_timestamp = image.unix_timestamp;
        }
        // The ledger's time follows the wall clock (plus any warp) and never goes back.
        clock.unix_timestamp = clock
            .unix_timestamp
            .max(clock::wall_clock_secs() + ledger.clock_offset);
        ledger.svm.set_sysvar(&clock);
        Ok(ledger)
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

    /// Runs `transaction` and records it; saves the ledger when it was executed. A
    /// transaction with a bad signature, an unknown or expired blockhash, or a signature
    /// already recorded is refused before execution (nothing recorded or saved); one larger
    /// than a cluster accepts is an error, as a cluster's RPC answers it.
    pub fn submit(
        &mut self,
        transaction: VersionedTransaction,
    ) -> Result<TransactionOutcome, LedgerError> {
        let bytes = bincode::serialized_size(&transaction).map_or(usize::MAX, |size| size as usize);
        if bytes > PACKET_DATA_SIZE {
            return Err(LedgerError::TooLarge { bytes });
        }
        let signature = transaction.signatures.first().copied().unwrap_or_default();
        let refused = |error| TransactionOutcome {
            signature,
            result: Err(error),
            logs: Vec::new(),
            compute_units: None,
        };
        if let Some(error) = self.precheck(&transaction, true) {
            return Ok(refused(error));
        }
        let keys = transaction.message.static_account_keys().to_vec();
        let balances = |svm: &LiteSVM| -> Vec<u64> {
            keys.iter()
                .map(|key| svm.get_balance(key).unwrap_or(0))
                .collect()
        };
        let pre_balances = balances(&self.svm);
        let clock: Clock = self.svm.get_sysvar();
        let wire = bincode::serialize(&transaction).expect("a transaction serializes");
        let outcome = self.svm.send_transaction(transaction);
        let meta = match &outcome {
            Ok(meta) => meta,
            Err(failed) => &failed.meta,
        };
        let executed = match &outcome {
            Ok(_) => true,
            Err(failed) => matches!(failed.err, TransactionError::InstructionError(..)),
        };
        if executed {
            let recorded = RecordedTransaction {
                signature: *signature.as_array(),
                slot: clock.slot,
                block_time: clock.unix_timestamp,
                wire,
                error: outcome
                    .as_ref()
                    .err()
                    .map(|failed| bincode::serialize(&failed.err).expect("errors serialize")),
                logs: meta.logs.clone(),
                fee: meta.fee,
                compute_units: meta.compute_units_consumed,
                pre_balances,
                post_balances: balances(&self.svm),
                inner_instructions: bincode::serialize(&meta.inner_instructions)
                    .expect("inner instructions serialize"),
                return_data: return_data(&meta.return_data),
            };
            if self.history.len() == history::TRANSACTION_HISTORY_CAPACITY {
                self.history.pop_front();
            }
            self.history.push_back(recorded);
            // The slot is used: the next transaction lands in the next one.
            let mut clock = clock;
            clock.slot += 1;
            self.svm.set_sysvar(&clock);
        }
        let landed = self.outcome(signature, outcome);
        if executed {
            self.save()?;
        }
        Ok(landed)
    }

    /// Runs `transaction` without committing anything. With `verify_signatures` false the
    /// signatures are not checked (they may be placeholders, as RPC simulation allows).
    pub fn simulate_transaction(
        &self,
        transaction: VersionedTransaction,
        verify_signatures: bool,
    ) -> Simulation {
        let signature = transaction.signatures.first().copied().unwrap_or_default();
        if let Some(error) = self.precheck(&transaction, verify_signatures) {
            return Simulation {
                outcome: TransactionOutcome {
                    signature,
                    result: Err(error),
                    logs: Vec::new(),
                    compute_units: None,
                },
                fee: 0,
                inner_instructions: Vec::new(),
                return_data: None,
                post_accounts: Vec::new(),
            };
        }
        let (outcome, post_accounts) = match self.svm.simulate_transaction(transaction) {
            Ok(info) => (
                Ok(info.meta),
                info.post_accounts
                    .into_iter()
                    .map(|(address, account)| (address, Account::from(account)))
                    .collect(),
            ),
            Err(failed) => (Err(failed), Vec::new()),
        };
        let meta = match &outcome {
            Ok(meta) => meta,
            Err(failed) => &failed.meta,
        };
        Simulation {
            fee: meta.fee,
            inner_instructions: meta.inner_instructions.clone(),
            return_data: return_data(&meta.return_data),
            post_accounts,
            outcome: self.outcome(signature, outcome),
        }
    }

    /// The checks a cluster makes before executing: well-formed, signatures (when asked),
    /// not processed already, a recent blockhash.
    fn precheck(
        &self,
        transaction: &VersionedTransaction,
        verify_signatures: bool,
    ) -> Option<TransactionError> {
        if transaction.sanitize().is_err() {
            return Some(TransactionError::SanitizeFailure);
        }
        if verify_signatures && !transaction.verify_with_results().iter().all(|ok| *ok) {
            return Some(TransactionError::SignatureFailure);
        }
        let signature = transaction.signatures.first().copied().unwrap_or_default();
        if self.recorded_transaction(&signature).is_some() {
            return Some(TransactionError::AlreadyProcessed);
        }
        if !self.is_blockhash_valid(transaction.message.recent_blockhash()) {
            return Some(TransactionError::BlockhashNotFound);
        }
        None
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

    /// Moves the ledger's clock forward by `seconds`, now and in every later invocation.
    pub fn warp(&mut self, seconds: i64) {
        self.clock_offset = self.clock_offset.saturating_add(seconds);
        let mut clock: Clock = self.svm.get_sysvar();
        clock.unix_timestamp = clock.unix_timestamp.saturating_add(seconds);
        clock.slot += 1;
        self.svm.set_sysvar(&clock);
    }

    /// Writes the ledger to its file (atomically: a temporary file renamed over it).
    pub fn save(&mut self) -> Result<(), LedgerError> {
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
                !solana_account::ReadableAccount::executable(*account)
                    && (owner == system_program::ID || owner == PROGRAM_ID)
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
        let image = LedgerImage {
            program_id: PROGRAM_ID,
            slot: clock.slot,
            unix_timestamp: clock.unix_timestamp,
            clock_offset: self.clock_offset,
            accounts,
            history: self.history.iter().cloned().collect(),
        };
        file::write(&self.path, &image).map_err(io_error)?;
        self.existed = true;
        Ok(())
    }

    /// What litesvm reported, as a [`TransactionOutcome`].
    fn outcome(
        &self,
        signature: Signature,
        outcome: Result<TransactionMetadata, FailedTransactionMetadata>,
    ) -> TransactionOutcome {
        match outcome {
            Ok(meta) => TransactionOutcome {
                signature,
                result: Ok(()),
                logs: meta.logs,
                compute_units: self
                    .runtime
                    .reports_compute_units()
                    .then_some(meta.compute_units_consumed),
            },
            Err(failed) => TransactionOutcome {
                signature,
                result: Err(failed.err),
                logs: failed.meta.logs,
                compute_units: None,
            },
        }
    }
}

/// Whether account `data` passes a `getProgramAccounts` filter, as a validator applies it
/// (the server refuses the token-account filter before it gets here).
fn passes(filter: &RpcFilterType, data: &[u8]) -> bool {
    match filter {
        RpcFilterType::DataSize(size) => data.len() as u64 == *size,
        RpcFilterType::Memcmp(memcmp) => memcmp.bytes_match(data),
        RpcFilterType::TokenAccountState => false,
    }
}

fn return_data(data: &TransactionReturnData) -> Option<(Pubkey, Vec<u8>)> {
    (!data.data.is_empty()).then(|| (data.program_id, data.data.clone()))
}

#[cfg(test)]
mod tests {
    use anchor_lang::solana_program::instruction::Instruction;
    use anchor_lang::AnchorSerialize;
    use solana_keypair::Keypair;
    use solana_signer::Signer;
    use solana_transaction::Transaction;

    use super::clock::MAX_BLOCKHASH_AGE;
    use super::file::{with_header, LedgerImageV1, LEDGER_FORMAT_VERSION};
    use super::*;

    #[test]
    fn a_format_1_file_opens_with_an_empty_history_and_is_saved_as_format_2() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.ledger");
        let wallet = Pubkey::new_unique();
        let old = LedgerImageV1 {
            program_id: PROGRAM_ID,
            slot: 42,
            unix_timestamp: 1_700_000_000,
            clock_offset: 0,
            accounts: vec![StoredAccount {
                address: wallet,
                lamports: 7_000_000_000,
                owner: system_program::ID,
                executable: false,
                rent_epoch: 0,
                data: Vec::new(),
            }],
        };
        let mut body = Vec::new();
        old.serialize(&mut body).unwrap();
        fs::write(&path, with_header(1, &body)).unwrap();

        let mut ledger = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
        assert_eq!(ledger.svm().get_balance(&wallet), Some(7_000_000_000));
        assert_eq!(ledger.slot(), 42);
        assert!(ledger.history.is_empty());
        ledger.save().unwrap();
        drop(ledger);
        let saved = fs::read(&path).unwrap();
        assert_eq!(
            u16::from_le_bytes([saved[8], saved[9]]),
            LEDGER_FORMAT_VERSION
        );
        let reopened = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
        assert_eq!(reopened.svm().get_balance(&wallet), Some(7_000_000_000));
    }

    #[test]
    fn a_transaction_larger_than_a_cluster_accepts_is_refused_and_nothing_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l");
        let mut ledger = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
        let payer = Keypair::new();
        let oversized = Instruction::new_with_bytes(PROGRAM_ID, &[0; 1200], Vec::new());
        let transaction = Transaction::new_signed_with_payer(
            &[oversized],
            Some(&payer.pubkey()),
            &[&payer],
            ledger.latest_blockhash(),
        );
        let size = bincode::serialized_size(&transaction).unwrap() as usize;
        assert!(size > PACKET_DATA_SIZE);
        match ledger.submit(VersionedTransaction::from(transaction)) {
            Err(LedgerError::TooLarge { bytes }) => assert_eq!(bytes, size),
            other => panic!("expected TooLarge, got {:?}", other.map(|e| e.result)),
        }
        assert!(ledger.history.is_empty());
        drop(ledger);
        assert!(!path.exists(), "nothing was saved");
    }

    #[test]
    fn blockhashes_stay_valid_for_150_slots() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger =
            EmbeddedLedger::open(&dir.path().join("l"), &ProgramRuntime::Native).unwrap();
        let first = ledger.latest_blockhash();
        let mut clock: Clock = ledger.svm().get_sysvar();
        clock.slot += MAX_BLOCKHASH_AGE;
        ledger.svm_mut().set_sysvar(&clock);
        assert!(ledger.is_blockhash_valid(&first));
        assert_ne!(ledger.latest_blockhash(), first);
        clock.slot += 1;
        ledger.svm_mut().set_sysvar(&clock);
        assert!(!ledger.is_blockhash_valid(&first));
    }
}
