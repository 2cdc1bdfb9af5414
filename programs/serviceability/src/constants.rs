//! Named PDA seeds and protocol bounds. Every PDA derivation in the program uses these.

use anchor_lang::prelude::*;

/// Seed of the single [`GlobalState`](crate::state::GlobalState) PDA: `["globalstate"]`.
#[constant]
pub const GLOBAL_STATE_SEED: &[u8] = b"globalstate";

/// Canonical bump of the GlobalState PDA under this program id. A test compares it with the
/// runtime's search, so a new program id (`anchor keys sync`) cannot leave it stale unseen.
pub const GLOBAL_STATE_BUMP: u8 = 255;

/// Address of the GlobalState PDA (`["globalstate"]`, bump [`GLOBAL_STATE_BUMP`]). It
/// depends only on the program id, so instructions check GlobalState against this constant
/// (a 32-byte comparison) instead of re-deriving it (1,500 CU), and the IDL gives clients
/// the address.
#[constant]
pub const GLOBAL_STATE_ADDRESS: Pubkey =
    Pubkey::derive_address_const(&[GLOBAL_STATE_SEED], Some(GLOBAL_STATE_BUMP), &crate::ID);

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

/// Seconds an AdminProposal can be accepted for after it was made (`proposed_at`): seven
/// days. After that `accept_admin` is refused (`AdminProposalExpired`) and the admin
/// proposes again, so a forgotten proposal cannot hand the program over months later.
#[constant]
pub const ADMIN_PROPOSAL_TTL_SECS: i64 = 7 * 24 * 60 * 60;

/// Most keys the foundation allowlist may hold (it is stored inline in GlobalState).
#[constant]
pub const MAX_FOUNDATION_KEYS: u8 = 16;

/// Longest device code in bytes; a PDA seed may not exceed 32 bytes.
#[constant]
pub const MAX_DEVICE_CODE_LEN: u8 = 32;

/// Bytes of a User account in the current layout, discriminator included.
#[constant]
pub const USER_ACCOUNT_LEN: u16 = 168;

/// Bytes of a User account in the layout with the BGP block but before session quality
/// (`bgp_rtt_ns`, `bgp_flaps`, `bgp_up_secs`, `last_bgp_down_at`). Clients decode it as the
/// current layout with those fields zero.
#[constant]
pub const USER_BGP_V1_ACCOUNT_LEN: u16 = 140;

/// Bytes of a User account in the legacy layout (written before the BGP block existed).
/// Clients decode it as the current layout with the BGP block zeroed (`Unknown`, 0, 0).
#[constant]
pub const USER_LEGACY_ACCOUNT_LEN: u16 = 123;

/// Bytes of a TunnelClaim written before `sharers` existed, discriminator included. Clients
/// decode it as the current layout with no sharers (append the empty vector's 4 zero bytes).
#[constant]
pub const TUNNEL_CLAIM_LEGACY_ACCOUNT_LEN: u8 = 41;

/// Size in bytes of the BGP block appended to User accounts (`bgp_status`,
/// `last_bgp_up_at`, `last_bgp_reported_at`); legacy User accounts are this much shorter.
#[constant]
pub const USER_BGP_BLOCK_LEN: u8 = 17;

/// Size in bytes of the session-quality block appended after the BGP block (`bgp_rtt_ns`,
/// `bgp_flaps`, `bgp_up_secs`, `last_bgp_down_at`).
#[constant]
pub const USER_SESSION_BLOCK_LEN: u8 = 28;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_state_address_is_the_canonical_pda_of_its_seed() {
        let (address, bump) = Pubkey::find_program_address(&[GLOBAL_STATE_SEED], &crate::ID);
        assert_eq!(
            (GLOBAL_STATE_ADDRESS, GLOBAL_STATE_BUMP),
            (address, bump),
            "GLOBAL_STATE_BUMP must be {bump} for program id {}",
            crate::ID
        );
    }
}
