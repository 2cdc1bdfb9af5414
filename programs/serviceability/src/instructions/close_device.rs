use anchor_lang::prelude::*;

use crate::constants::{DEVICE_SEED, GLOBAL_STATE_ADDRESS};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, DeviceClosed};
use crate::state::{Device, GlobalState};

/// Accounts of `close_device`.
#[derive(Accounts)]
pub struct CloseDevice<'info> {
    /// A foundation key.
    pub foundation: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
        constraint = global_state.is_foundation(foundation.key) @ ServiceabilityError::NotFoundationMember,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The Device PDA; closed only when no user or reservation holds a seat.
    #[account(
        mut,
        seeds = [DEVICE_SEED, device.code.as_bytes()],
        bump = device.bump,
        has_one = owner @ ServiceabilityError::DeviceOwnerMismatch,
        constraint = device.users_count == 0 && device.reserved_seats == 0 @ ServiceabilityError::DeviceNotEmpty,
        close = owner,
    )]
    pub device: Account<'info, Device>,
    /// Receives the rent: the device owner.
    /// CHECK: `has_one = owner` on the device checks the address.
    #[account(mut)]
    pub owner: UncheckedAccount<'info>,
}

impl CloseDevice<'_> {
    /// Closes an empty device; the rent goes back to its owner.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        emit_event(DeviceClosed {
            device: ctx.accounts.device.key(),
            code: ctx.accounts.device.code.clone(),
        });
        Ok(())
    }
}
