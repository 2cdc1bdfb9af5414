//! The embedded ledger: litesvm with the program running natively (or from a compiled
//! `.so`, see [`serviceability_host::add_serviceability`]), its state kept in a file so that
//! it survives between invocations.
//!
//! The file holds a magic header, a format version, a SHA-256 of the body and the body: the
//! clock and every wallet and program-owned account. Builtins, sysvars and the program itself
//! are not stored; they are rebuilt when the file is opened. A file that does not start with
//! the magic, or whose checksum does not match, is refused and never overwritten.
//!
//! One invocation at a time: opening takes an exclusive lock on `<file>.lock` and holds it
//! until the ledger is dropped, so concurrent commands on one file run one after the other.
//! Saving writes a temporary file beside the ledger and renames it over the old one, so a
//! crash leaves either the old or the new state.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, AnchorDeserialize, AnchorSerialize};
use litesvm::types::{FailedTransactionMetadata, TransactionMetadata};
use litesvm::LiteSVM;
use serviceability_host::{add_serviceability, HostError, ProgramRuntime};
use sha2::{Digest, Sha256};
use solana_account::Account;
use solana_keypair::Keypair;
use solana_signature::Signature;

use crate::transport::{signed_transaction, AccountFilter, Execution, Transport, TransportError};
use crate::PROGRAM_ID;

/// The first bytes of every ledger file.
pub const LEDGER_MAGIC: &[u8; 8] = b"SVCLEDGR";
/// The body format this build reads and writes.
pub const LEDGER_FORMAT_VERSION: u16 = 1;
/// A fee payer below this balance is topped up by [`EmbeddedLedger::top_up`].
pub const TOP_UP_THRESHOLD: u64 = 1_000_000_000;
/// What a top-up brings a fee payer to (100 SOL).
pub const TOP_UP_LAMPORTS: u64 = 100_000_000_000;

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

/// The body of a ledger file.
#[derive(AnchorSerialize, AnchorDeserialize)]
struct LedgerImage {
    program_id: Pubkey,
    slot: u64,
    unix_timestamp: i64,
    /// Seconds added to the wall clock by [`EmbeddedLedger::warp`].
    clock_offset: i64,
    accounts: Vec<StoredAccount>,
}

/// The embedded ledger, open and locked.
pub struct EmbeddedLedger {
    svm: LiteSVM,
    runtime: ProgramRuntime,
    path: PathBuf,
    existed: bool,
    clock_offset: i64,
    /// Held for the ledger's lifetime: the exclusive lock on `<path>.lock`.
    _lock: File,
}

impl EmbeddedLedger {
    /// Opens the ledger at `path` (a new, empty ledger when the file does not exist yet; it
    /// is written on the first [`save`](Self::save)), waiting for any other invocation that
    /// holds it.
    pub fn open(path: &Path) -> Result<Self, LedgerError> {
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

        let mut svm = LiteSVM::new();
        let runtime = add_serviceability(&mut svm)?;
        let (existed, image) = match fs::read(path) {
            Ok(bytes) => (true, Some(decode_image(path, &bytes)?)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => (false, None),
            Err(error) => return Err(io_error(error)),
        };
        let mut ledger = EmbeddedLedger {
            svm,
            runtime,
            path: path.to_path_buf(),
            existed,
            clock_offset: 0,
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
            clock.slot = image.slot + 1;
            clock.unix_timestamp = image.unix_timestamp;
        }
        // The ledger's time follows the wall clock (plus any warp) and never goes back.
        clock.unix_timestamp = clock
            .unix_timestamp
            .max(wall_clock_secs() + ledger.clock_offset);
        ledger.svm.set_sysvar(&clock);
        Ok(ledger)
    }

    /// The ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file existed when the ledger was opened.
    pub fn existed(&self) -> bool {
        self.existed
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
        accounts.sort_by_key(|stored| stored.address);
        let image = LedgerImage {
            program_id: PROGRAM_ID,
            slot: clock.slot,
            unix_timestamp: clock.unix_timestamp,
            clock_offset: self.clock_offset,
            accounts,
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

impl Transport for EmbeddedLedger {
    fn describe(&self) -> String {
        format!("embedded ledger {}", self.path.display())
    }

    fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        Ok(self.svm.get_account(address))
    }

    fn program_accounts(
        &self,
        filters: &[AccountFilter],
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        let mut accounts: Vec<(Pubkey, Account)> = self
            .svm
            .get_program_accounts(&PROGRAM_ID)
            .into_iter()
            .filter(|(_, account)| filters.iter().all(|filter| filter.matches(&account.data)))
            .collect();
        accounts.sort_by_key(|(address, _)| *address);
        Ok(accounts)
    }

    fn clock(&self) -> Result<Clock, TransportError> {
        Ok(self.svm.get_sysvar())
    }

    fn simulate(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Execution, TransportError> {
        let transaction = signed_transaction(instructions, signers, self.svm.latest_blockhash())?;
        let signature = transaction.signatures[0];
        let outcome = self
            .svm
            .simulate_transaction(transaction)
            .map(|info| info.meta);
        Ok(self.execution(signature, outcome))
    }

    fn send(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Execution, TransportError> {
        let transaction = signed_transaction(instructions, signers, self.svm.latest_blockhash())?;
        let signature = transaction.signatures[0];
        let outcome = self.svm.send_transaction(transaction);
        // A fresh blockhash for the next transaction, so identical ones do not collide.
        self.svm.expire_blockhash();
        let execution = self.execution(signature, outcome);
        // Only a successful transaction is kept: a failure leaves the file as it was.
        if execution.result.is_ok() {
            self.save()?;
        }
        Ok(execution)
    }

    fn top_up_fee_payer(&mut self, payer: &Pubkey) -> Result<Option<u64>, TransportError> {
        Ok(self.top_up(payer))
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

fn decode_image(path: &Path, bytes: &[u8]) -> Result<LedgerImage, LedgerError> {
    if bytes.len() < HEADER_LEN || !bytes.starts_with(LEDGER_MAGIC) {
        return Err(LedgerError::Foreign {
            path: path.to_path_buf(),
        });
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != LEDGER_FORMAT_VERSION {
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
    LedgerImage::try_from_slice(body).map_err(|error| corrupted(error.to_string()))
}
