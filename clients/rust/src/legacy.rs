//! Accounts that may still be in an older layout: the program grows them on their next
//! write, and reads them meanwhile as the current layout with the missing fields zero. The
//! generated decoders read the current layout only.

use std::io;

use crate::accounts::{TunnelClaim, User};
use crate::idl::{
    TUNNEL_CLAIM_LEGACY_ACCOUNT_LEN, USER_ACCOUNT_LEN, USER_BGP_V1_ACCOUNT_LEN,
    USER_LEGACY_ACCOUNT_LEN,
};

/// Decodes User account data in any of its layouts: before the BGP block (123 bytes), before
/// session quality (140 bytes) or current (168). The older ones read with the missing fields
/// zero (`bgp_status` Unknown; timestamps, RTT, flaps and up-time 0), as the program reads
/// them.
pub fn decode_user(data: &[u8]) -> io::Result<User> {
    let older = [USER_LEGACY_ACCOUNT_LEN, USER_BGP_V1_ACCOUNT_LEN];
    if older.iter().any(|len| data.len() == usize::from(*len)) {
        let mut padded = data.to_vec();
        padded.resize(usize::from(USER_ACCOUNT_LEN), 0);
        return User::from_bytes(&padded);
    }
    User::from_bytes(data)
}

/// Decodes TunnelClaim account data in the current or the legacy layout (written before
/// `sharers` existed: it reads as having no sharers, as the program reads it).
pub fn decode_tunnel_claim(data: &[u8]) -> io::Result<TunnelClaim> {
    if data.len() == usize::from(TUNNEL_CLAIM_LEGACY_ACCOUNT_LEN) {
        let mut padded = data.to_vec();
        padded.extend_from_slice(&0u32.to_le_bytes());
        return TunnelClaim::from_bytes(&padded);
    }
    TunnelClaim::from_bytes(data)
}
