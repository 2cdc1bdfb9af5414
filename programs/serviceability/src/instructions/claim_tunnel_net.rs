use anchor_lang::prelude::*;

use crate::constants::{GLOBAL_STATE_SEED, TUNNEL_CLAIM_SEED, USER_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, TunnelNetClaimed};
use crate::state::{GlobalState, TunnelClaim, User};
use crate::vacant;

/// Accounts of `claim_tunnel_net`.
#[derive(Accounts)]
pub struct ClaimTunnelNet<'info> {
    /// The activator authority or a foundation key; pays the claim's rent, which goes back
    /// to the user's payer with the user's own when the user is deleted.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        seeds = [GLOBAL_STATE_SEED],
        bump = global_state.bump,
        constraint = global_state.can_manage_users(authority.key) @ ServiceabilityError::NotActivatorAuthority,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// A User created before tunnel claims existed (current or legacy layout).
    #[account(seeds = [USER_SEED, user.device.as_ref(), user.client_ip.as_ref()], bump = user.bump)]
    pub user: Account<'info, User>,
    /// The TunnelClaim PDA of the user's tunnel network, created here.
    /// CHECK: the seeds pin the address; it must be vacant, else `TunnelNetInUse`.
    #[account(
        mut,
        seeds = [TUNNEL_CLAIM_SEED, user.device.as_ref(), user.tunnel_net.network.as_ref()],
        bump,
        constraint = vacant::is_vacant(&tunnel_claim) @ ServiceabilityError::TunnelNetInUse,
    )]
    pub tunnel_claim: UncheckedAccount<'info>,
    /// The system program, which creates the claim.
    pub system_program: Program<'info, System>,
}

impl ClaimTunnelNet<'_> {
    /// Claims the user's tunnel network on its device, as `create_user` does for new users.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let accounts = ctx.accounts;
        let user = &accounts.user;
        let bump = ctx.bumps.tunnel_claim;
        vacant::create(
            &accounts.tunnel_claim,
            &accounts.authority,
            &accounts.system_program,
            &[
                TUNNEL_CLAIM_SEED,
                user.device.as_ref(),
                user.tunnel_net.network.as_ref(),
                &[bump],
            ],
            8 + TunnelClaim::INIT_SPACE,
            &TunnelClaim {
                user: user.key(),
                bump,
            },
        )?;
        emit_event(TunnelNetClaimed {
            device: user.device,
            user: user.key(),
            tunnel_network: user.tunnel_net.network,
        });
        Ok(())
    }
}
