use anchor_lang::prelude::*;

use crate::constants::{DEVICE_SEED, GLOBAL_STATE_SEED, TUNNEL_CLAIM_SEED, USER_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, UserDeleted};
use crate::state::{Device, GlobalState, TunnelClaim, User};

/// Accounts of `delete_user`.
#[derive(Accounts)]
pub struct DeleteUser<'info> {
    /// The activator authority or a foundation key.
    pub authority: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        seeds = [GLOBAL_STATE_SEED],
        bump = global_state.bump,
        constraint = global_state.can_manage_users(authority.key) @ ServiceabilityError::NotActivatorAuthority,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The Device PDA the user is connected to.
    #[account(mut, seeds = [DEVICE_SEED, device.code.as_bytes()], bump = device.bump)]
    pub device: Account<'info, Device>,
    /// The User PDA (current or legacy layout), closed here.
    #[account(
        mut,
        seeds = [USER_SEED, user.device.as_ref(), user.client_ip.as_ref()],
        bump = user.bump,
        has_one = device @ ServiceabilityError::UserDeviceMismatch,
        has_one = payer @ ServiceabilityError::PayerMismatch,
        close = payer,
    )]
    pub user: Account<'info, User>,
    /// The TunnelClaim of the user's tunnel network, closed here (rent to `payer`) when it
    /// names this user. A user created before claims existed gets one with
    /// `claim_tunnel_net` first (in the same transaction, if need be); one that shares its
    /// network with a user that claimed it first leaves that user's claim alone.
    #[account(
        mut,
        seeds = [TUNNEL_CLAIM_SEED, user.device.as_ref(), user.tunnel_net.network.as_ref()],
        bump = tunnel_claim.bump,
    )]
    pub tunnel_claim: Account<'info, TunnelClaim>,
    /// Receives the rent: the payer recorded in the user.
    /// CHECK: `has_one = payer` on the user checks the address.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
}

impl DeleteUser<'_> {
    /// Deletes the user, releases its seat and its tunnel claim; the rent goes back to the
    /// recorded payer.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let accounts = ctx.accounts;
        if accounts.tunnel_claim.user == accounts.user.key() {
            accounts
                .tunnel_claim
                .close(accounts.payer.to_account_info())?;
        }
        let device = &mut accounts.device;
        device.remove_user()?;
        emit_event(UserDeleted {
            device: device.key(),
            user: accounts.user.key(),
            client_ip: accounts.user.client_ip,
            users_count: device.users_count,
        });
        Ok(())
    }
}
