//! Named PDA seeds and protocol bounds. Every PDA derivation in the program uses these.

use anchor_lang::prelude::*;

/// Seed of the single [`GlobalState`](crate::state::GlobalState) PDA: `["globalstate"]`.
#[constant]
pub const GLOBAL_STATE_SEED: &[u8] = b"globalstate";

/// Seed prefix of a [`Device`](crate::state::Device) PDA: `["device", code]`.
#[constant]
pub const DEVICE_SEED: &[u8] = b"device";

/// Seed prefix of a [`User`](crate::state::User) PDA: `["user", device, client_ip]`.
#[constant]
pub const USER_SEED: &[u8] = b"user";

/// Seed prefix of a [`Reservation`](crate::state::Reservation) PDA:
/// `["reservation", device, client_ip]`.
#[constant]
pub const RESERVATION_SEED: &[u8] = b"reservation";

/// Seed prefix of a [`TunnelClaim`](crate::state::TunnelClaim) PDA:
/// `["tunnel", device, tunnel_net.network]`.
#[constant]
pub const TUNNEL_CLAIM_SEED: &[u8] = b"tunnel";

/// Seed of the single [`AdminProposal`](crate::state::AdminProposal) PDA:
/// `["admin_proposal"]`.
#[constant]
pub const ADMIN_PROPOSAL_SEED: &[u8] = b"admin_proposal";

/// Most keys the foundation allowlist may hold (it is stored inline in GlobalState).
#[constant]
pub const MAX_FOUNDATION_KEYS: u8 = 16;

/// Longest device code in bytes; a PDA seed may not exceed 32 bytes.
#[constant]
pub const MAX_DEVICE_CODE_LEN: u8 = 32;

/// Bytes of a User account in the current layout, discriminator included.
#[constant]
pub const USER_ACCOUNT_LEN: u16 = 140;

/// Bytes of a User account in the legacy layout (written before the BGP block existed).
/// Clients decode it as the current layout with the BGP block zeroed (`Unknown`, 0, 0).
#[constant]
pub const USER_LEGACY_ACCOUNT_LEN: u16 = 123;

/// Size in bytes of the BGP block appended to User accounts (`bgp_status`,
/// `last_bgp_up_at`, `last_bgp_reported_at`); legacy User accounts are this much shorter.
#[constant]
pub const USER_BGP_BLOCK_LEN: u8 = 17;
