use anchor_lang::prelude::*;

use crate::constants::{ADMIN_PROPOSAL_SEED, ADMIN_PROPOSAL_TTL_SECS, GLOBAL_STATE_ADDRESS};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, AdminProposed};
use crate::pda;
use crate::state::{AdminProposal, GlobalState};
use crate::vacant;

/// Accounts of `propose_admin`.
#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    /// The GlobalState admin; pays the proposal's rent and gets it back when the proposal
    /// is withdrawn or accepted.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
        has_one = admin @ ServiceabilityError::NotAdmin,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The AdminProposal PDA: created, overwritten, or (withdrawal) closed here.
    /// CHECK: the handler checks the canonical address and loads it only when this program
    /// owns it. (The seeds are for the IDL; see `pda`.)
    #[cfg_attr(feature = "idl-build", account(mut, seeds = [ADMIN_PROPOSAL_SEED], bump))]
    #[cfg_attr(not(feature = "idl-build"), account(mut))]
    pub admin_proposal: UncheckedAccount<'info>,
    /// The system program, which creates the proposal.
    pub system_program: Program<'info, System>,
}

impl<'info> ProposeAdmin<'info> {
    fn validate(&self, proposed_admin: &Option<Pubkey>) -> Result<()> {
        match proposed_admin {
            Some(key) => {
                require!(
                    *key != Pubkey::default(),
                    ServiceabilityError::InvalidAuthority
                );
                require!(
                    *key != self.admin.key(),
                    ServiceabilityError::NothingToUpdate
                );
            }
            None => require!(
                !vacant::is_vacant(&self.admin_proposal),
                ServiceabilityError::NothingToUpdate
            ),
        }
        Ok(())
    }

    /// `Some(key)`: proposes `key` as admin, replacing any pending proposal. `None`: withdraws
    /// the pending proposal.
    #[access_control(ctx.accounts.validate(&proposed_admin))]
    pub fn handler(ctx: Context<'info, Self>, proposed_admin: Option<Pubkey>) -> Result<()> {
        let accounts = ctx.accounts;
        let bump = pda::canonical_bump(
            &accounts.admin_proposal,
            &[ADMIN_PROPOSAL_SEED],
            "admin_proposal",
        )?;
        let now = Clock::get()?.unix_timestamp;
        let mut expires_at = 0;
        match proposed_admin {
            Some(key) if vacant::is_vacant(&accounts.admin_proposal) => {
                vacant::create(
                    &accounts.admin_proposal,
                    &accounts.admin,
                    &accounts.system_program,
                    &[ADMIN_PROPOSAL_SEED, &[bump]],
                    8 + AdminProposal::INIT_SPACE,
                    &AdminProposal {
                        proposed_admin: key,
                        proposed_at: now,
                        bump,
                    },
                )?;
                expires_at = now.saturating_add(ADMIN_PROPOSAL_TTL_SECS);
            }
            Some(key) => {
                let mut proposal = Account::<AdminProposal>::try_from(&accounts.admin_proposal)?;
                proposal.proposed_admin = key;
                proposal.proposed_at = now;
                proposal.exit(&crate::ID)?;
                expires_at = proposal.expires_at();
            }
            None => {
                Account::<AdminProposal>::try_from(&accounts.admin_proposal)?
                    .close(accounts.admin.to_account_info())?;
            }
        }
        emit_event(AdminProposed {
            admin: accounts.admin.key(),
            proposed_admin,
            expires_at,
        });
        Ok(())
    }
}
