use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;

use crate::constants::{GLOBAL_STATE_ADDRESS, GLOBAL_STATE_BUMP, GLOBAL_STATE_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, GlobalStateInitialized};
use crate::state::GlobalState;
use crate::vacant;

/// Accounts of `initialize`.
#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The program's upgrade authority: becomes admin and, until changed, activator
    /// authority; pays the rent.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// The program's ProgramData account under the upgradeable loader (the program account
    /// itself is not read). Only its upgrade authority may initialize, so nobody can take
    /// the admin role between `anchor deploy` and the deployer's `initialize`; an immutable
    /// program (no upgrade authority) cannot be initialized. On any other signer the
    /// instruction fails and nothing is created.
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = program_data.upgrade_authority_address == Some(admin.key())
            @ ServiceabilityError::NotUpgradeAuthority,
    )]
    pub program_data: Account<'info, ProgramData>,
    /// The GlobalState PDA, created here.
    /// CHECK: the address is the PDA's constant; it must be vacant, else `AlreadyInitialized`.
    #[account(
        mut,
        address = GLOBAL_STATE_ADDRESS,
        constraint = vacant::is_vacant(&global_state) @ ServiceabilityError::AlreadyInitialized,
    )]
    pub global_state: UncheckedAccount<'info>,
    /// The system program, which creates the account.
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Creates GlobalState with the signer as admin and activator authority.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let accounts = ctx.accounts;
        let admin = accounts.admin.key();
        let bump = GLOBAL_STATE_BUMP;
        vacant::create(
            &accounts.global_state,
            &accounts.admin,
            &accounts.system_program,
            &[GLOBAL_STATE_SEED, &[bump]],
            8 + GlobalState::INIT_SPACE,
            &GlobalState {
                admin,
                foundation_allowlist: Vec::new(),
                activator_authority: admin,
                reservation_authority: None,
                reservations_paused: false,
                bump,
            },
        )?;
        emit_event(GlobalStateInitialized { admin });
        Ok(())
    }
}
