use anchor_lang::prelude::*;

use crate::constants::GLOBAL_STATE_SEED;
use crate::events::{emit_event, GlobalStateInitialized};
use crate::state::GlobalState;

/// Accounts of `initialize`.
#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The deployer: becomes admin and, until changed, activator authority; pays the rent.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// The GlobalState PDA, created here.
    #[account(
        init,
        payer = admin,
        space = 8 + GlobalState::INIT_SPACE,
        seeds = [GLOBAL_STATE_SEED],
        bump,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The system program, which creates the account.
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Creates GlobalState with the signer as admin and activator authority.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let admin = ctx.accounts.admin.key();
        ctx.accounts.global_state.set_inner(GlobalState {
            admin,
            foundation_allowlist: Vec::new(),
            activator_authority: admin,
            reservation_authority: None,
            reservations_paused: false,
            bump: ctx.bumps.global_state,
        });
        emit_event(GlobalStateInitialized { admin });
        Ok(())
    }
}
