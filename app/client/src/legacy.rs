//! Accounts that may still be in an older layout.

use anchor_lang::AccountDeserialize;

use crate::accounts::User;
use crate::serviceability::constants::{USER_ACCOUNT_LEN, USER_LEGACY_ACCOUNT_LEN};

/// Decodes User account data in the current or the legacy layout. A legacy account (written
/// before the BGP block existed) reads as the current layout with that block zeroed:
/// `bgp_status = Unknown`, `last_bgp_up_at = 0`, `last_bgp_reported_at = 0`, as the program
/// itself reads it.
pub fn decode_user(data: &[u8]) -> anchor_lang::Result<User> {
    if data.len() == usize::from(USER_LEGACY_ACCOUNT_LEN) {
        let mut padded = data.to_vec();
        padded.resize(usize::from(USER_ACCOUNT_LEN), 0);
        return User::try_deserialize(&mut padded.as_slice());
    }
    User::try_deserialize(&mut &data[..])
}
