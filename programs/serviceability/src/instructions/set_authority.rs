use anchor_lang::prelude::*;

use crate::constants::GLOBAL_STATE_ADDRESS;
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, AuthorityChanged, AuthorityKind};
use crate::state::GlobalState;

/// Which authority to change, and to what.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorityUpdate {
    /// Set the activator authority (it cannot be cleared).
    Activator {
        /// The new activator authority.
        new_authority: Pubkey,
    },
    /// Set (`Some`) or clear (`None`) the reservation authority.
    Reservation {
        /// The new reservation authority, or `None` to leave reservations to the foundation.
        new_authority: Option<Pubkey>,
    },
}

/// Accounts of `set_authority`.
#[derive(Accounts)]
pub struct SetAuthority<'info> {
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

impl SetAuthority<'_> {
    fn validate(&self, update: &AuthorityUpdate) -> Result<()> {
        let new_authority = match update {
            AuthorityUpdate::Activator { new_authority } => Some(new_authority),
            AuthorityUpdate::Reservation { new_authority } => new_authority.as_ref(),
        };
        require!(
            new_authority != Some(&Pubkey::default()),
            ServiceabilityError::InvalidAuthority
        );
        Ok(())
    }

    /// Sets or clears one authority.
    #[access_control(ctx.accounts.validate(&update))]
    pub fn handler(ctx: Context<Self>, update: AuthorityUpdate) -> Result<()> {
        let global_state = &mut ctx.accounts.global_state;
        let event = match update {
            AuthorityUpdate::Activator { new_authority } => {
                let previous = global_state.activator_authority;
                global_state.activator_authority = new_authority;
                AuthorityChanged {
                    kind: AuthorityKind::Activator,
                    previous: Some(previous),
                    current: Some(new_authority),
                }
            }
            AuthorityUpdate::Reservation { new_authority } => {
                let previous = global_state.reservation_authority;
                global_state.reservation_authority = new_authority;
                AuthorityChanged {
                    kind: AuthorityKind::Reservation,
                    previous,
                    current: new_authority,
                }
            }
        };
        emit_event(event);
        Ok(())
    }
}
