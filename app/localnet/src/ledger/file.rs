//! The ledger file: a magic header, a format version, a SHA-256 of the body and the body (a
//! [`LedgerImage`], Borsh). Format 3 holds the clock (the slot clock's anchor included: when
//! the stored slot began), every wallet and program-owned account and the most recent
//! transactions; a format-2 file (no anchor) resumes its slot from when it is opened, and a
//! format-1 file (no history either) is read with an empty history. A file that does not
//! start with the magic, or whose checksum does not match, is refused and never overwritten. Writing goes to a temporary file renamed over the old one,
//! so a crash leaves either the old or the new state.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, AnchorSerialize};
use sha2::{Digest, Sha256};

use super::error::LedgerError;
use super::history::RecordedTransaction;

/// The first bytes of every ledger file.
pub const LEDGER_MAGIC: &[u8; 8] = b"SVCLEDGR";
/// The body format this build writes (it also reads formats 1 and 2).
pub const LEDGER_FORMAT_VERSION: u16 = 3;

const HEADER_LEN: usize = LEDGER_MAGIC.len() + 2 + 32;

/// One stored account.
#[derive(AnchorSerialize, AnchorDeserialize)]
pub struct StoredAccount {
    pub address: Pubkey,
    pub lamports: u64,
    pub owner: Pubkey,
    pub executable: bool,
    pub rent_epoch: u64,
    pub data: Vec<u8>,
}

/// The body of a ledger file (format 3).
#[derive(AnchorSerialize, AnchorDeserialize)]
pub struct LedgerImage {
    pub program_id: Pubkey,
    /// The slot when the file was written…
    pub slot: u64,
    /// …and when (wall clock, milliseconds since the Unix epoch) that slot began: the slot
    /// clock's anchor (`clock::SlotClock`).
    pub slot_began_at_ms: i64,
    pub unix_timestamp: i64,
    /// Seconds added to the wall clock by `EmbeddedLedger::warp`.
    pub clock_offset: i64,
    pub accounts: Vec<StoredAccount>,
    /// Oldest first.
    pub history: Vec<RecordedTransaction>,
}

/// The body of a format-2 ledger file: format 3 without the slot clock's anchor.
#[derive(AnchorSerialize, AnchorDeserialize)]
pub struct LedgerImageV2 {
    pub program_id: Pubkey,
    pub slot: u64,
    pub unix_timestamp: i64,
    pub clock_offset: i64,
    pub accounts: Vec<StoredAccount>,
    pub history: Vec<RecordedTransaction>,
}

/// The body of a format-1 ledger file: format 2 without the history.
#[derive(AnchorSerialize, AnchorDeserialize)]
pub struct LedgerImageV1 {
    pub program_id: Pubkey,
    pub slot: u64,
    pub unix_timestamp: i64,
    pub clock_offset: i64,
    pub accounts: Vec<StoredAccount>,
}

/// `body` with the header of the current format: magic, version, checksum.
pub fn with_header(version: u16, body: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER_LEN + body.len());
    bytes.extend_from_slice(LEDGER_MAGIC);
    bytes.extend_from_slice(&version.to_le_bytes());
    bytes.extend_from_slice(&Sha256::digest(body));
    bytes.extend_from_slice(body);
    bytes
}

/// Writes `image` to `path` in the current format, atomically.
pub fn write(path: &Path, image: &LedgerImage) -> io::Result<()> {
    let mut body = Vec::new();
    image.serialize(&mut body)?;
    let bytes = with_header(LEDGER_FORMAT_VERSION, &body);
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = File::create(&temporary)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    fs::rename(&temporary, path)
}

/// Reads the image in the file `bytes` of `path` (any format this build reads).
pub fn decode(path: &Path, bytes: &[u8]) -> Result<LedgerImage, LedgerError> {
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
    // An older file's slot resumes from now: its next slot begins when it is opened.
    let now = super::clock::wall_clock_ms();
    let decoded = match version {
        1 => LedgerImageV1::try_from_slice(body).map(|old| LedgerImage {
            program_id: old.program_id,
            slot: old.slot,
            slot_began_at_ms: now,
            unix_timestamp: old.unix_timestamp,
            clock_offset: old.clock_offset,
            accounts: old.accounts,
            history: Vec::new(),
        }),
        2 => LedgerImageV2::try_from_slice(body).map(|old| LedgerImage {
            program_id: old.program_id,
            slot: old.slot,
            slot_began_at_ms: now,
            unix_timestamp: old.unix_timestamp,
            clock_offset: old.clock_offset,
            accounts: old.accounts,
            history: old.history,
        }),
        _ => LedgerImage::try_from_slice(body),
    };
    decoded.map_err(|error| corrupted(error.to_string()))
}
