use anchor_lang::prelude::*;

use crate::constants::GLOBAL_STATE_ADDRESS;
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, FoundationAllowlistChanged};
use crate::state::GlobalState;

/// Accounts of `remove_foundation_key`.
#[derive(Accounts)]
pub struct RemoveFoundationKey<'info> {
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

impl RemoveFoundationKey<'_> {
    fn validate(&self, key: &Pubkey) -> Result<()> {
        require!(
            self.global_state.is_foundation(key),
            ServiceabilityError::FoundationKeyNotFound
        );
        Ok(())
    }

    /// Removes `key` from the foundation allowlist.
    #[access_control(ctx.accounts.validate(&key))]
    pub fn handler(ctx: Context<Self>, key: Pubkey) -> Result<()> {
        let allowlist = &mut ctx.accounts.global_state.foundation_allowlist;
        allowlist.retain(|member| *member != key);
        emit_event(FoundationAllowlistChanged {
            key,
            added: false,
            allowlist_len: allowlist.len() as u8,
        });
        Ok(())
    }
}
