use anchor_lang::prelude::*;

use crate::constants::MAX_FOUNDATION_KEYS;

/// Program-wide configuration: who may do what. PDA `["globalstate"]`, one per program.
#[account]
#[derive(InitSpace, Debug)]
pub struct GlobalState {
    /// The only key that changes authorities, the allowlist and the pause flag.
    pub admin: Pubkey,
    /// Foundation keys: create/update/close devices, and act as any authority as a fallback.
    #[max_len(MAX_FOUNDATION_KEYS)]
    pub foundation_allowlist: Vec<Pubkey>,
    /// Creates and deletes users (the foundation may too).
    pub activator_authority: Pubkey,
    /// Off-chain oracle that reserves and releases seats (the foundation may too); `None` = unset.
    pub reservation_authority: Option<Pubkey>,
    /// While `true`, `reserve_connection` is refused.
    pub reservations_paused: bool,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl GlobalState {
    /// Whether `key` is in the foundation allowlist.
    pub fn is_foundation(&self, key: &Pubkey) -> bool {
        self.foundation_allowlist.contains(key)
    }

    /// Whether `key` may reserve and release seats: the reservation authority, else the foundation.
    pub fn can_manage_reservations(&self, key: &Pubkey) -> bool {
        self.reservation_authority.as_ref() == Some(key) || self.is_foundation(key)
    }

    /// Whether `key` may create and delete users: the activator authority, else the foundation.
    pub fn can_manage_users(&self, key: &Pubkey) -> bool {
        self.activator_authority == *key || self.is_foundation(key)
    }
}
