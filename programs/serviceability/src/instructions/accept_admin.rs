use anchor_lang::prelude::*;

use crate::constants::{ADMIN_PROPOSAL_SEED, GLOBAL_STATE_ADDRESS};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, AuthorityChanged, AuthorityKind};
use crate::state::{AdminProposal, GlobalState};

/// Accounts of `accept_admin`.
#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    /// The proposed admin, proving it holds the key before it becomes admin.
    pub new_admin: Signer<'info>,
    /// The GlobalState PDA.
    #[account(mut, address = GLOBAL_STATE_ADDRESS)]
    pub global_state: Account<'info, GlobalState>,
    /// The pending AdminProposal, closed here.
    #[account(
        mut,
        seeds = [ADMIN_PROPOSAL_SEED],
        bump = admin_proposal.bump,
        constraint = admin_proposal.proposed_admin == new_admin.key() @ ServiceabilityError::NotProposedAdmin,
        close = previous_admin,
    )]
    pub admin_proposal: Account<'info, AdminProposal>,
    /// The outgoing admin, who paid for the proposal and gets its rent back.
    /// CHECK: must be GlobalState's current admin.
    #[account(mut, address = global_state.admin @ ServiceabilityError::PayerMismatch)]
    pub previous_admin: UncheckedAccount<'info>,
}

impl AcceptAdmin<'_> {
    fn validate(&self) -> Result<()> {
        require!(
            Clock::get()?.unix_timestamp <= self.admin_proposal.expires_at(),
            ServiceabilityError::AdminProposalExpired
        );
        Ok(())
    }

    /// Makes the signer admin and closes the proposal.
    #[access_control(ctx.accounts.validate())]
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let global_state = &mut ctx.accounts.global_state;
        let previous = global_state.admin;
        global_state.admin = ctx.accounts.new_admin.key();
        emit_event(AuthorityChanged {
            kind: AuthorityKind::Admin,
            previous: Some(previous),
            current: Some(global_state.admin),
        });
        Ok(())
    }
}
