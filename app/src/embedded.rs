//! The embedded ledger: litesvm with the program running natively or from a compiled SBF
//! `.so` (a [`ProgramRuntime`]), its state kept in a file so that it survives between
//! invocations.
//!
//! The file holds a magic header, a format version, a SHA-256 of the body and the body: the
//! clock, every wallet and program-owned account, and the most recent transactions (format 2;
//! a format-1 file is read with an empty history and written back as format 2). Builtins,
//! sysvars and the program itself are not stored; they are rebuilt when the file is opened. A
//! file that does not start with the magic, or whose checksum does not match, is refused and
//! never overwritten.
//!
//! Blockhashes and slots behave as on a cluster: every transaction that lands takes the
//! current slot and the ledger moves to the next one; the blockhash of a slot is derived from
//! it, and a transaction is accepted while its blockhash is one of the last
//! [`MAX_BLOCKHASH_AGE`] slots'. A signature already in the history is refused
//! (`AlreadyProcessed`), across invocations.
//!
//! One invocation at a time: opening takes an exclusive lock on `<file>.lock` and holds it
//! until the ledger is dropped, so concurrent commands on one file run one after the other.
//! Saving writes a temporary file beside the ledger and renames it over the old one, so a
//! crash leaves either the old or the new state.

use std::collections::VecDeque;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::{system_program, AnchorDeserialize, AnchorSerialize};
use litesvm::types::{FailedTransactionMetadata, TransactionMetadata};
use litesvm::LiteSVM;
/// How the program runs in a ledger: natively, or from a compiled `.so`.
pub use serviceability_host::ProgramRuntime;
use serviceability_host::{
    add_serviceability, program_data_address, program_data_state, set_upgrade_authority,
    upgrade_authority, HostError, PROGRAM_DATA_HEADER_LEN,
};
use sha2::{Digest, Sha256};
use solana_account::Account;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::inner_instruction::InnerInstructionsList;
use solana_message::VersionedMessage;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_context::transaction::TransactionReturnData;
use solana_transaction_error::TransactionError;

use crate::transport::{
    check_transaction_size, signed_transaction, AccountFilter, Execution, TooLarge,
};
use crate::PROGRAM_ID;

/// The first bytes of every ledger file.
pub const LEDGER_MAGIC: &[u8; 8] = b"SVCLEDGR";
/// The body format this build writes (it also reads format 1, which had no history).
pub const LEDGER_FORMAT_VERSION: u16 = 2;
/// How many recent transactions the ledger keeps (for `getTransaction` and
/// `getSignatureStatuses`); older ones are forgotten, as by a validator without history.
pub const TRANSACTION_HISTORY_CAPACITY: usize = 1_000;
/// How many slots a blockhash stays usable, as on a cluster.
pub const MAX_BLOCKHASH_AGE: u64 = 150;
/// A fee payer below this balance is topped up by [`EmbeddedLedger::top_up`].
pub const TOP_UP_THRESHOLD: u64 = 1_000_000_000;
/// What a top-up brings a fee payer to (100 SOL).
pub const TOP_UP_LAMPORTS: u64 = 100_000_000_000;

/// The fee per signature under litesvm's default fee structure (a cluster's too).
const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

const HEADER_LEN: usize = LEDGER_MAGIC.len() + 2 + 32;

/// Why an embedded ledger file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// Reading, writing or locking the file failed.
    #[error("embedded ledger {path}: {source}")]
    Io {
        /// The ledger file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The file is not a ledger file (it is left untouched).
    #[error(
        "{path} is not a serviceability ledger file; refusing to use or overwrite it \
         (pass --ledger with another path)"
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// The file is a ledger file of another format version.
    #[error("{path} is a ledger file of format {found}; this build reads format {expected}")]
    Version {
        /// The file.
        path: PathBuf,
        /// Its format.
        found: u16,
        /// Ours.
        expected: u16,
    },
    /// The file's body does not match its checksum or does not decode.
    #[error("{path} is corrupted ({reason}); refusing to use or overwrite it")]
    Corrupted {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The file was written for another program id.
    #[error("{path} holds a ledger for program {found}, not {expected}")]
    OtherProgram {
        /// The file.
        path: PathBuf,
        /// The program id recorded in the file.
        found: Pubkey,
        /// Ours.
        expected: Pubkey,
    },
    /// The program could not be loaded into the ledger.
    #[error(transparent)]
    Host(#[from] HostError),
    /// The transaction is larger than a cluster accepts; it was not run.
    #[error(transparent)]
    TooLarge(#[from] TooLarge),
}

/// One stored account.
#[derive(AnchorSerialize, AnchorDeserialize)]
struct StoredAccount {
    address: Pubkey,
    lamports: u64,
    owner: Pubkey,
    executable: bool,
    rent_epoch: u64,
    data: Vec<u8>,
}

/// The body of a ledger file (format 2).
#[derive(AnchorSerialize, AnchorDeserialize)]
struct LedgerImage {
    program_id: Pubkey,
    slot: u64,
    unix_timestamp: i64,
    /// Seconds added to the wall clock by [`EmbeddedLedger::warp`].
    clock_offset: i64,
    accounts: Vec<StoredAccount>,
    /// Oldest first.
    history: Vec<RecordedTransaction>,
}

/// The body of a format-1 ledger file: format 2 without the history.
#[derive(AnchorSerialize, AnchorDeserialize)]
struct LedgerImageV1 {
    program_id: Pubkey,
    slot: u64,
    unix_timestamp: i64,
    clock_offset: i64,
    accounts: Vec<StoredAccount>,
}

/// A transaction the ledger executed, kept for `getTransaction` and `getSignatureStatuses`.
/// Failed transactions are kept when they were executed (an instruction failed), as a
/// cluster keeps them; transactions refused before execution are not.
#[derive(Clone, AnchorSerialize, AnchorDeserialize)]
pub struct RecordedTransaction {
    signature: [u8; 64],
    /// The slot it landed in.
    pub slot: u64,
    /// The ledger clock (unix seconds) when it landed.
    pub block_time: i64,
    /// The transaction in wire format (bincode).
    wire: Vec<u8>,
    /// The error, bincode-encoded, when it failed.
    error: Option<Vec<u8>>,
    /// The program logs.
    pub logs: Vec<String>,
    /// The fee charged, in lamports.
    pub fee: u64,
    /// Compute units consumed.
    pub compute_units: u64,
    /// Balances of the message's account keys before it ran.
    pub pre_balances: Vec<u64>,
    /// Balances of the message's account keys after it ran.
    pub post_balances: Vec<u64>,
    /// Inner instructions per top-level instruction (bincode `InnerInstructionsList`).
    inner_instructions: Vec<u8>,
    /// Return data: the program that set it and the bytes.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
}

impl RecordedTransaction {
    /// Its first signature.
    pub fn signature(&self) -> Signature {
        Signature::from(self.signature)
    }

    /// The transaction as it was sent.
    pub fn transaction(&self) -> VersionedTransaction {
        bincode::deserialize(&self.wire).expect("recorded transactions were encoded by us")
    }

    /// Its outcome.
    pub fn result(&self) -> Result<(), TransactionError> {
        match &self.error {
            None => Ok(()),
            Some(bytes) => Err(bincode::deserialize(bytes)
                .expect("recorded transaction errors were encoded by us")),
        }
    }

    /// The instructions invoked by each top-level instruction.
    pub fn inner_instructions(&self) -> InnerInstructionsList {
        bincode::deserialize(&self.inner_instructions)
            .expect("recorded inner instructions were encoded by us")
    }
}

/// What [`EmbeddedLedger::simulate_transaction`] produced.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The outcome, logs and compute units.
    pub execution: Execution,
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
    /// Oldest first, at most [`TRANSACTION_HISTORY_CAPACITY`].
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
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_error)?;
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(path))
            .map_err(io_error)?;
        lock.lock().map_err(io_error)?;

        // Signatures and blockhashes are checked by `submit` (blockhashes against the stored
        // slot, which litesvm's single latest blockhash cannot do across invocations).
        let mut svm = LiteSVM::new()
            .with_sigverify(false)
            .with_blockhash_check(false);
        add_serviceability(&mut svm, runtime)?;
        let (existed, image) = match fs::read(path) {
            Ok(bytes) => (true, Some(decode_image(path, &bytes)?)),
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
            .max(wall_clock_secs() + ledger.clock_offset);
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
        blockhash_of_slot(self.slot())
    }

    /// The last block height at which [`latest_blockhash`](Self::latest_blockhash) is usable
    /// (block height and slot are the same here: no slot is ever skipped).
    pub fn last_valid_block_height(&self) -> u64 {
        self.slot() + MAX_BLOCKHASH_AGE
    }

    /// Whether a transaction with this blockhash would still be accepted.
    pub fn is_blockhash_valid(&self, blockhash: &Hash) -> bool {
        let slot = self.slot();
        (slot.saturating_sub(MAX_BLOCKHASH_AGE)..=slot)
            .any(|recent| blockhash_of_slot(recent) == *blockhash)
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
    pub fn submit(&mut self, transaction: VersionedTransaction) -> Result<Execution, LedgerError> {
        check_transaction_size(&transaction)?;
        let signature = transaction.signatures.first().copied().unwrap_or_default();
        let refused = |error| Execution {
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
            if self.history.len() == TRANSACTION_HISTORY_CAPACITY {
                self.history.pop_front();
            }
            self.history.push_back(recorded);
            // The slot is used: the next transaction lands in the next one.
            let mut clock = clock;
            clock.slot += 1;
            self.svm.set_sysvar(&clock);
        }
        let execution = self.execution(signature, outcome);
        if executed {
            self.save()?;
        }
        Ok(execution)
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
                execution: Execution {
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
            execution: self.execution(signature, outcome),
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
        filters: &[AccountFilter],
    ) -> Vec<(Pubkey, Account)> {
        let mut accounts: Vec<(Pubkey, Account)> = self
            .svm
            .get_program_accounts(program)
            .into_iter()
            .filter(|(_, account)| filters.iter().all(|filter| filter.matches(&account.data)))
            .collect();
        accounts.sort_by_key(|(address, _)| *address);
        accounts
    }

    /// The fee a transaction with `message` pays.
    pub fn fee_for_message(&self, message: &VersionedMessage) -> u64 {
        u64::from(message.header().num_required_signatures) * LAMPORTS_PER_SIGNATURE
    }

    /// Sends `lamports` to `address` from the ledger's faucet, as a recorded transfer (what a
    /// test validator's `requestAirdrop` does); the faucet never runs dry.
    pub fn airdrop(&mut self, address: &Pubkey, lamports: u64) -> Result<Execution, LedgerError> {
        let faucet = faucet_keypair();
        let faucet_address = faucet.pubkey();
        let needed = lamports.saturating_add(TOP_UP_LAMPORTS);
        if self.svm.get_balance(&faucet_address).unwrap_or(0) < needed {
            let account = Account::new(needed.saturating_mul(2), 0, &system_program::ID);
            self.svm
                .set_account(faucet_address, account)
                .expect("a system account can be set");
        }
        let transfer = anchor_lang::solana_program::system_instruction::transfer(
            &faucet_address,
            address,
            lamports,
        );
        let transaction = signed_transaction(&[transfer], &[&faucet], self.latest_blockhash())
            .expect("the faucet signs its own transfer");
        self.submit(transaction.into())
    }

    /// Moves the ledger's clock forward by `seconds`, now and in every later invocation.
    pub fn warp(&mut self, seconds: i64) {
        self.clock_offset = self.clock_offset.saturating_add(seconds);
        let mut clock: Clock = self.svm.get_sysvar();
        clock.unix_timestamp = clock.unix_timestamp.saturating_add(seconds);
        clock.slot += 1;
        self.svm.set_sysvar(&clock);
    }

    /// Gives `address` enough lamports to pay fees and rent when it has less than
    /// [`TOP_UP_THRESHOLD`]; returns the lamports given. Not saved until [`save`](Self::save).
    pub fn top_up(&mut self, address: &Pubkey) -> Option<u64> {
        let balance = self.svm.get_balance(address).unwrap_or(0);
        if balance >= TOP_UP_THRESHOLD {
            return None;
        }
        let amount = TOP_UP_LAMPORTS - balance;
        self.svm.airdrop(address, amount).ok()?;
        Some(amount)
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
        let mut body = Vec::new();
        image.serialize(&mut body).map_err(io_error)?;
        let mut bytes = Vec::with_capacity(HEADER_LEN + body.len());
        bytes.extend_from_slice(LEDGER_MAGIC);
        bytes.extend_from_slice(&LEDGER_FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&Sha256::digest(&body));
        bytes.extend_from_slice(&body);

        let temporary = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        let mut file = File::create(&temporary).map_err(io_error)?;
        file.write_all(&bytes).map_err(io_error)?;
        file.sync_all().map_err(io_error)?;
        fs::rename(&temporary, &self.path).map_err(io_error)?;
        self.existed = true;
        Ok(())
    }

    /// The outcome of a transaction, as an [`Execution`].
    fn execution(
        &self,
        signature: Signature,
        outcome: Result<TransactionMetadata, FailedTransactionMetadata>,
    ) -> Execution {
        match outcome {
            Ok(meta) => Execution {
                signature,
                result: Ok(()),
                logs: meta.logs,
                compute_units: self
                    .runtime
                    .reports_compute_units()
                    .then_some(meta.compute_units_consumed),
            },
            Err(failed) => Execution {
                signature,
                result: Err(failed.err),
                logs: failed.meta.logs,
                compute_units: None,
            },
        }
    }
}

/// The lock file beside a ledger file.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn wall_clock_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0)
}

/// The ledger's faucet (for `requestAirdrop`): a fixed key, like a test validator's.
fn faucet_keypair() -> Keypair {
    let seed: [u8; 32] = Sha256::digest(b"serviceability embedded ledger faucet").into();
    Keypair::new_from_array(seed)
}

/// The blockhash of `slot`: derived from it, so every slot has its own and a transaction
/// signed for one slot cannot collide with the same instructions signed for another.
pub fn blockhash_of_slot(slot: u64) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update(b"serviceability embedded ledger blockhash");
    hasher.update(slot.to_le_bytes());
    Hash::new_from_array(hasher.finalize().into())
}

fn return_data(data: &TransactionReturnData) -> Option<(Pubkey, Vec<u8>)> {
    (!data.data.is_empty()).then(|| (data.program_id, data.data.clone()))
}

fn decode_image(path: &Path, bytes: &[u8]) -> Result<LedgerImage, LedgerError> {
    if bytes.len() < HEADER_LEN || !bytes.starts_with(LEDGER_MAGIC) {
        return Err(LedgerError::Foreign {
            path: path.to_path_buf(),
        });
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if !(1..=LEDGER_FORMAT_VERSION).contains(&version) {
        return Err(LedgerError::Version {
            path: path.to_path_buf(),
            found: version,
            expected: LEDGER_FORMAT_VERSION,
        });
    }
    let (checksum, body) = bytes[10..].split_at(32);
    let corrupted = |reason: String| LedgerError::Corrupted {
        path: path.to_path_buf(),
        reason,
    };
    if Sha256::digest(body).as_slice() != checksum {
        return Err(corrupted("checksum mismatch".into()));
    }
    let decoded = if version == 1 {
        LedgerImageV1::try_from_slice(body).map(|old| LedgerImage {
            program_id: old.program_id,
            slot: old.slot,
            unix_timestamp: old.unix_timestamp,
            clock_offset: old.clock_offset,
            accounts: old.accounts,
            history: Vec::new(),
        })
    } else {
        LedgerImage::try_from_slice(body)
    };
    decoded.map_err(|error| corrupted(error.to_string()))
}

#[cfg(test)]
mod tests {
    use anchor_lang::solana_program::instruction::Instruction;
    use solana_transaction::Transaction;

    use super::*;

    fn file_bytes(version: u16, body: &[u8]) -> Vec<u8> {
        let mut bytes = LEDGER_MAGIC.to_vec();
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(&Sha256::digest(body));
        bytes.extend_from_slice(body);
        bytes
    }

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
        fs::write(&path, file_bytes(1, &body)).unwrap();

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
        let size = crate::transport::wire_size(&transaction);
        match ledger.submit(VersionedTransaction::from(transaction)) {
            Err(LedgerError::TooLarge(too_large)) => assert_eq!(too_large.bytes, size),
            other => panic!("expected TooLarge, got {:?}", other.map(|e| e.result)),
        }
        assert!(ledger.history.is_empty());
        drop(ledger);
        assert!(!path.exists(), "nothing was saved");
        let refused = signed_transaction(
            &[Instruction::new_with_bytes(
                PROGRAM_ID,
                &[0; 1200],
                Vec::new(),
            )],
            &[&payer],
            Hash::default(),
        );
        assert!(matches!(
            refused,
            Err(crate::transport::TransportError::TooLarge(_))
        ));
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
