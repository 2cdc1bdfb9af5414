use anchor_lang::prelude::*;

use crate::constants::{DEVICE_SEED, GLOBAL_STATE_ADDRESS, TUNNEL_CLAIM_SEED, USER_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, UserDeleted};
use crate::state::{Device, GlobalState, TunnelClaim, User};
use crate::tunnel_claims;

/// Accounts of `delete_user`.
#[derive(Accounts)]
pub struct DeleteUser<'info> {
    /// The activator authority or a foundation key.
    pub authority: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
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
    /// The TunnelClaim of the user's tunnel network, which the user must hold or share
    /// (`TunnelNetNotClaimed`: a user created before claims existed claims first, with
    /// `claim_tunnel_net`, in the same transaction if need be). Closed here (rent to
    /// `payer`) unless another user shares it, who then holds it.
    #[account(
        mut,
        seeds = [TUNNEL_CLAIM_SEED, user.device.as_ref(), user.tunnel_net.network.as_ref()],
        bump = tunnel_claim.bump,
    )]
    pub tunnel_claim: Account<'info, TunnelClaim>,
    /// For a /30 user, the TunnelClaim of its second /31 (`["tunnel", device, network +
    /// 2]`), released the same way; omitted for a /31 (`TunnelClaimMismatch` otherwise).
    #[account(mut)]
    pub second_tunnel_claim: Option<Account<'info, TunnelClaim>>,
    /// Receives the rent: the payer recorded in the user.
    /// CHECK: `has_one = payer` on the user checks the address.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
}

impl DeleteUser<'_> {
    fn validate(&self) -> Result<()> {
        let second_network = self.user.tunnel_net.second_claim_network();
        match (second_network, &self.second_tunnel_claim) {
            (None, None) => Ok(()),
            (Some(network), Some(claim)) => {
                let seeds = [TUNNEL_CLAIM_SEED, self.user.device.as_ref(), &network];
                // An existing claim of this program was created at its canonical address,
                // so the stored bump's hash alone locates it (no curve test needed).
                let address = Pubkey::derive_address(&seeds, Some(claim.bump), &crate::ID);
                require_keys_eq!(
                    claim.key(),
                    address,
                    anchor_lang::error::ErrorCode::ConstraintSeeds
                );
                Ok(())
            }
            _ => err!(ServiceabilityError::TunnelClaimMismatch),
        }
    }

    /// Deletes the user and releases its seat and its tunnel claims; the rent goes back to
    /// the recorded payer.
    #[access_control(ctx.accounts.validate())]
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let accounts = ctx.accounts;
        let user = &accounts.user;
        let device_key = accounts.device.key();
        let payer = accounts.payer.to_account_info();
        tunnel_claims::release(
            &mut accounts.tunnel_claim,
            &device_key,
            &user.key(),
            user.tunnel_net.network,
            &payer,
        )?;
        if let (Some(claim), Some(network)) = (
            accounts.second_tunnel_claim.as_mut(),
            user.tunnel_net.second_claim_network(),
        ) {
            tunnel_claims::release(claim, &device_key, &user.key(), network, &payer)?;
        }
        let device = &mut accounts.device;
        device.remove_user()?;
        emit_event(UserDeleted {
            device: device_key,
            user: user.key(),
            client_ip: user.client_ip,
            users_count: device.users_count,
        });
        Ok(())
    }
}
