//! Why a ledger cannot be opened or saved, or refuses a transaction before running it.

use std::io;
use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use serviceability_host::HostError;
use solana_packet::PACKET_DATA_SIZE;

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
    /// The transaction is larger than a cluster accepts; it was not run (a cluster's RPC
    /// refuses it with this message before execution).
    #[error(
        "transaction too large: {bytes} bytes (max: {PACKET_DATA_SIZE} bytes); a cluster refuses \
         it before execution"
    )]
    TooLarge {
        /// Its size on the wire.
        bytes: usize,
    },
}
