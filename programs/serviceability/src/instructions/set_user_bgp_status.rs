use anchor_lang::prelude::*;

use crate::constants::{DEVICE_SEED, USER_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, BgpStatusChanged};
use crate::state::{BgpStatus, Device, User};

/// Accounts of `set_user_bgp_status`.
#[derive(Accounts)]
pub struct SetUserBgpStatus<'info> {
    /// The device's metrics publisher; pays the rent top-up when a legacy account grows.
    #[account(mut)]
    pub metrics_publisher: Signer<'info>,
    /// The Device PDA the user is connected to.
    #[account(
        seeds = [DEVICE_SEED, device.code.as_bytes()],
        bump = device.bump,
        has_one = metrics_publisher @ ServiceabilityError::NotMetricsPublisher,
    )]
    pub device: Account<'info, Device>,
    /// The User PDA; an account in an older layout is grown to the current one here.
    #[account(
        mut,
        seeds = [USER_SEED, user.device.as_ref(), user.client_ip.as_ref()],
        bump = user.bump,
        has_one = device @ ServiceabilityError::UserDeviceMismatch,
        realloc = User::SPACE,
        realloc::payer = metrics_publisher,
        realloc::zero = false,
    )]
    pub user: Account<'info, User>,
    /// The system program, which moves the rent top-up.
    pub system_program: Program<'info, System>,
}

impl SetUserBgpStatus<'_> {
    /// Records the user's BGP session state as `User::record_bgp_status` does (flaps and
    /// up-time included), with no RTT sample: the agents that send this instruction do not
    /// measure one (`report_bgp_sessions` carries it).
    pub fn handler(ctx: Context<Self>, status: BgpStatus) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let user = &mut ctx.accounts.user;
        let previous = user.record_bgp_status(status, 0, now);
        let event = BgpStatusChanged::of(
            ctx.accounts.device.key(),
            user.key(),
            previous,
            &user.session(),
            now,
        );
        emit_event(event);
        Ok(())
    }
}
