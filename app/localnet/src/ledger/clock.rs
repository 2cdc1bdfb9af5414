//! Time and slots as a cluster has them: the ledger's clock follows the wall clock, every
//! landed transaction takes a slot, and each slot has its own blockhash, usable for
//! [`MAX_BLOCKHASH_AGE`] slots.

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use solana_hash::Hash;

/// How many slots a blockhash stays usable, as on a cluster.
pub const MAX_BLOCKHASH_AGE: u64 = 150;

/// The blockhash of `slot`: derived from it, so every slot has its own and a transaction
/// signed for one slot cannot collide with the same instructions signed for another.
pub fn blockhash_of_slot(slot: u64) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update(b"serviceability embedded ledger blockhash");
    hasher.update(slot.to_le_bytes());
    Hash::new_from_array(hasher.finalize().into())
}

/// Whether `blockhash` is one of the last [`MAX_BLOCKHASH_AGE`] slots' up to `slot`.
pub fn is_recent(blockhash: &Hash, slot: u64) -> bool {
    (slot.saturating_sub(MAX_BLOCKHASH_AGE)..=slot)
        .any(|recent| blockhash_of_slot(recent) == *blockhash)
}

/// Seconds since the Unix epoch, by the machine's clock.
pub fn wall_clock_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0)
}
