use anchor_lang::prelude::*;

#[cfg(feature = "idl-build")]
use crate::constants::TUNNEL_CLAIM_SEED;
use crate::constants::{GLOBAL_STATE_ADDRESS, USER_SEED};
use crate::errors::ServiceabilityError;
use crate::state::{GlobalState, User};
use crate::tunnel_claims::TunnelClaims;

/// Accounts of `claim_tunnel_net`.
#[derive(Accounts)]
pub struct ClaimTunnelNet<'info> {
    /// The activator authority or a foundation key; pays the claims' rent, which goes back
    /// to the user's payer with the user's own when the user is deleted.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
        constraint = global_state.can_manage_users(authority.key) @ ServiceabilityError::NotActivatorAuthority,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// A User created before tunnel claims existed (current or legacy layout), or a /30
    /// user created before its second /31 was claimed.
    #[account(seeds = [USER_SEED, user.device.as_ref(), user.client_ip.as_ref()], bump = user.bump)]
    pub user: Account<'info, User>,
    /// The TunnelClaim PDA of the user's tunnel network: created here when vacant, else the
    /// user is recorded as a sharer unless it already holds or shares it.
    /// CHECK: the handler checks the canonical address and loads it as a TunnelClaim when it
    /// exists. (The seeds are for the IDL; see `pda`.)
    #[cfg_attr(
        feature = "idl-build",
        account(mut, seeds = [TUNNEL_CLAIM_SEED, user.device.as_ref(), user.tunnel_net.network.as_ref()], bump)
    )]
    #[cfg_attr(not(feature = "idl-build"), account(mut))]
    pub tunnel_claim: UncheckedAccount<'info>,
    /// For a /30 user, the TunnelClaim PDA of its second /31 (`["tunnel", device,
    /// network + 2]`), treated the same way; omitted for a /31 (`TunnelClaimMismatch`
    /// otherwise).
    /// CHECK: as `tunnel_claim`.
    #[account(mut)]
    pub second_tunnel_claim: Option<UncheckedAccount<'info>>,
    /// The system program, which creates or grows the claims.
    pub system_program: Program<'info, System>,
}

impl<'info> ClaimTunnelNet<'info> {
    /// Claims every vacant /31 of the user's tunnel and records the user as a sharer of
    /// each /31 another user already holds (see `TunnelClaim`), as `create_user` does for
    /// new users. `TunnelNetAlreadyClaimed` when there is nothing to do.
    pub fn handler(ctx: Context<'info, Self>) -> Result<()> {
        let accounts = ctx.accounts;
        let user = &accounts.user;
        TunnelClaims::at(
            &user.device,
            &user.tunnel_net,
            &accounts.tunnel_claim,
            accounts.second_tunnel_claim.as_deref(),
        )?
        .claim(
            &user.device,
            &user.key(),
            &accounts.authority,
            &accounts.system_program,
        )
    }
}
