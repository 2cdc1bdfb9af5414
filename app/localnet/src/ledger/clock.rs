//! Time and slots as a cluster has them: the ledger's clock follows the wall clock, a new
//! slot begins every [`SLOT_DURATION_MS`] of wall time whether anything lands or not (many
//! transactions may land in one), and each slot has its own blockhash, usable for
//! [`MAX_BLOCKHASH_AGE`] slots (~60 s), however many transactions land meanwhile.

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use solana_hash::Hash;

/// How many slots a blockhash stays usable, as on a cluster.
pub const MAX_BLOCKHASH_AGE: u64 = 150;

/// How long a slot lasts, as on a cluster (agave's default tick rate: 400 ms).
pub const SLOT_DURATION_MS: i64 = 400;

/// Which slot is current at which wall time: `slot` began at `began_at_ms` (milliseconds
/// since the Unix epoch), and another begins every [`SLOT_DURATION_MS`] after. Every process
/// that opens the ledger file reads the same one, so the CLI, the agent and the server agree
/// on the slot without talking to each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotClock {
    /// A slot…
    pub slot: u64,
    /// …and when it began.
    pub began_at_ms: i64,
}

impl SlotClock {
    /// A clock whose slot `slot` begins now.
    pub fn starting_now(slot: u64) -> Self {
        SlotClock {
            slot,
            began_at_ms: wall_clock_ms(),
        }
    }

    /// The slot at wall time `now_ms` (never before [`SlotClock::slot`], should the machine's
    /// clock go back).
    pub fn slot_at(&self, now_ms: i64) -> u64 {
        let elapsed = now_ms.saturating_sub(self.began_at_ms).max(0);
        self.slot + (elapsed / SLOT_DURATION_MS) as u64
    }

    /// The slot now.
    pub fn current_slot(&self) -> u64 {
        self.slot_at(wall_clock_ms())
    }

    /// The same clock anchored at `slot` (a later slot than its own): what the file keeps,
    /// so that its numbers stay small and its phase is kept.
    pub fn anchored_at(&self, slot: u64) -> SlotClock {
        let slots = slot.saturating_sub(self.slot);
        SlotClock {
            slot: self.slot + slots,
            began_at_ms: self
                .began_at_ms
                .saturating_add((slots as i64).saturating_mul(SLOT_DURATION_MS)),
        }
    }

    /// The clock moved `seconds` ahead (`ledger warp`): as many slots later as pass in that
    /// time.
    pub fn warped(&self, seconds: i64) -> SlotClock {
        let slots = (seconds.max(0).saturating_mul(1000) / SLOT_DURATION_MS) as u64;
        SlotClock {
            slot: self.slot + slots,
            began_at_ms: self.began_at_ms,
        }
    }
}

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
    wall_clock_ms() / 1000
}

/// Milliseconds since the Unix epoch, by the machine's clock.
pub fn wall_clock_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or(0)
}
