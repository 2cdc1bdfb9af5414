//! Accounts that may still be in an older layout.

use anchor_lang::AccountDeserialize;

use crate::accounts::{TunnelClaim, User};
use crate::serviceability::constants::{
    TUNNEL_CLAIM_LEGACY_ACCOUNT_LEN, USER_ACCOUNT_LEN, USER_BGP_V1_ACCOUNT_LEN,
    USER_LEGACY_ACCOUNT_LEN,
};

/// Decodes User account data in any of its layouts. An account written before the BGP block
/// (123 bytes) or before session quality (140 bytes) reads as the current layout with the
/// missing fields zero (`bgp_status = Unknown`, timestamps, RTT, flaps and up-time 0), as
/// the program itself reads it.
pub fn decode_user(data: &[u8]) -> anchor_lang::Result<User> {
    let older = [USER_LEGACY_ACCOUNT_LEN, USER_BGP_V1_ACCOUNT_LEN];
    if older.iter().any(|len| data.len() == usize::from(*len)) {
        let mut padded = data.to_vec();
        padded.resize(usize::from(USER_ACCOUNT_LEN), 0);
        return User::try_deserialize(&mut padded.as_slice());
    }
    User::try_deserialize(&mut &data[..])
}

/// Decodes TunnelClaim account data in the current or the legacy layout. A legacy claim
/// (written before `sharers` existed) reads as having no sharers, as the program reads it.
pub fn decode_tunnel_claim(data: &[u8]) -> anchor_lang::Result<TunnelClaim> {
    if data.len() == usize::from(TUNNEL_CLAIM_LEGACY_ACCOUNT_LEN) {
        let mut padded = data.to_vec();
        padded.extend_from_slice(&0u32.to_le_bytes());
        return TunnelClaim::try_deserialize(&mut padded.as_slice());
    }
    TunnelClaim::try_deserialize(&mut &data[..])
}
