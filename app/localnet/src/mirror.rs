//! The ledger file mirrored in memory, for a process that answers many requests (`ledger
//! serve`, the agent): litesvm is built and the program loaded once, not per request, and
//! the ledger is read again only when another process has replaced the file.
//!
//! The file stays the state every process shares. A read answers from memory after a
//! `stat(2)` of the file: a different file (every save renames a new one over it, so its
//! inode changes) is read again first, without the lock, since a rename is atomic. A write
//! (`sendTransaction`, `requestAirdrop`) takes the file's lock as any other writer does,
//! brings the mirror up to date under it, runs, saves, and releases it: the CLI's `-u
//! embedded` and the agent interleave with the server exactly as with each other.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jsonrpc_core::{Error, ErrorCode, Params, Result, Value};

use crate::ledger::{lock, EmbeddedLedger, LedgerError, ProgramRuntime};
use crate::rpc;

/// Which file a mirror was read from (or last wrote): a save renames a new file over the old
/// one, so a new inode (or size, or modification time) means another state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    device: u64,
    inode: u64,
    length: u64,
    modified_ns: i64,
}

impl FileStamp {
    /// The file at `path` now (none while it does not exist).
    fn of(path: &Path) -> io::Result<Option<FileStamp>> {
        match fs::metadata(path) {
            Ok(metadata) => Ok(Some(FileStamp {
                device: metadata.dev(),
                inode: metadata.ino(),
                length: metadata.len(),
                modified_ns: metadata
                    .mtime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(metadata.mtime_nsec()),
            })),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// The ledger in memory, and the file it mirrors.
struct Mirrored {
    ledger: EmbeddedLedger,
    stamp: Option<FileStamp>,
}

/// A ledger file mirrored in memory, answering the JSON-RPC methods ([`crate::rpc`]).
pub struct LedgerMirror {
    path: PathBuf,
    runtime: ProgramRuntime,
    /// Whether the ledger tops up fee payers ([`EmbeddedLedger::fund_fee_payers`]).
    funds_fee_payers: bool,
    /// Loaded on the first request (boxed: litesvm is large, and this is held by value).
    mirrored: Mutex<Option<Box<Mirrored>>>,
}

impl LedgerMirror {
    /// The ledger file at `path`, its program running as `runtime`; nothing is read yet.
    pub fn new(path: &Path, runtime: &ProgramRuntime) -> Self {
        LedgerMirror {
            path: path.to_path_buf(),
            runtime: runtime.clone(),
            funds_fee_payers: false,
            mirrored: Mutex::new(None),
        }
    }

    /// The mirror, its ledger topping up every transaction's fee payer
    /// ([`EmbeddedLedger::fund_fee_payers`]).
    pub fn funding_fee_payers(mut self) -> Self {
        self.funds_fee_payers = true;
        self
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Answers `method` with `params` as [`rpc::call`] does, on the ledger as the file holds
    /// it now. Parameters are checked before the ledger is touched or its lock waited for.
    pub fn call(&self, method: &str, params: Params) -> Result<Value> {
        let call = rpc::prepare(method, params)?;
        let mut mirrored = self
            .mirrored
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !call.writes() {
            self.refresh(&mut mirrored).map_err(internal)?;
            let current = mirrored.as_mut().expect("refreshed");
            return call.run(&mut current.ledger);
        }
        let _lock = lock::acquire(&self.path).map_err(|source| {
            internal(LedgerError::Io {
                path: self.path.clone(),
                source,
            })
        })?;
        // Under the lock nobody else writes: what the file holds now is what this write
        // builds on, and what it saves is the next state.
        self.refresh(&mut mirrored).map_err(internal)?;
        let current = mirrored.as_mut().expect("refreshed");
        let answer = call.run(&mut current.ledger);
        current.stamp = FileStamp::of(&self.path).map_err(|source| {
            internal(LedgerError::Io {
                path: self.path.clone(),
                source,
            })
        })?;
        answer
    }

    /// Reads the file again if it is not the one mirrored.
    fn refresh(
        &self,
        mirrored: &mut Option<Box<Mirrored>>,
    ) -> std::result::Result<(), LedgerError> {
        let stamp = FileStamp::of(&self.path).map_err(|source| LedgerError::Io {
            path: self.path.clone(),
            source,
        })?;
        if mirrored
            .as_ref()
            .is_some_and(|current| current.stamp == stamp)
        {
            return Ok(());
        }
        let mut ledger = EmbeddedLedger::load(&self.path, &self.runtime)?;
        if self.funds_fee_payers {
            ledger.fund_fee_payers();
        }
        *mirrored = Some(Box::new(Mirrored { ledger, stamp }));
        Ok(())
    }
}

fn internal(error: LedgerError) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: error.to_string(),
        data: None,
    }
}
