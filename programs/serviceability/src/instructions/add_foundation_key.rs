use anchor_lang::prelude::*;

use crate::constants::{GLOBAL_STATE_ADDRESS, MAX_FOUNDATION_KEYS};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, FoundationAllowlistChanged};
use crate::state::GlobalState;

/// Accounts of `add_foundation_key`.
#[derive(Accounts)]
pub struct AddFoundationKey<'info> {
    /// The GlobalState admin.
    pub admin: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        mut,
        address = GLOBAL_STATE_ADDRESS,
        has_one = admin @ ServiceabilityError::NotAdmin,
    )]
    pub global_state: Account<'info, GlobalState>,
}

impl AddFoundationKey<'_> {
    fn validate(&self, key: &Pubkey) -> Result<()> {
        let allowlist = &self.global_state.foundation_allowlist;
        require!(
            *key != Pubkey::default(),
            ServiceabilityError::InvalidAuthority
        );
        require!(
            !allowlist.contains(key),
            ServiceabilityError::FoundationKeyAlreadyPresent
        );
        require!(
            allowlist.len() < usize::from(MAX_FOUNDATION_KEYS),
            ServiceabilityError::FoundationAllowlistFull
        );
        Ok(())
    }

    /// Adds `key` to the foundation allowlist.
    #[access_control(ctx.accounts.validate(&key))]
    pub fn handler(ctx: Context<Self>, key: Pubkey) -> Result<()> {
        let allowlist = &mut ctx.accounts.global_state.foundation_allowlist;
        allowlist.push(key);
        emit_event(FoundationAllowlistChanged {
            key,
            added: true,
            allowlist_len: allowlist.len() as u8,
        });
        Ok(())
    }
}
