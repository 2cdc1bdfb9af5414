use anchor_lang::prelude::*;

use crate::constants::GLOBAL_STATE_ADDRESS;
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, ReservationsPauseChanged};
use crate::state::GlobalState;

/// Accounts of `set_reservations_paused`.
#[derive(Accounts)]
pub struct SetReservationsPaused<'info> {
    /// The GlobalState admin.
    pub admin: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        mut,
        address = GLOBAL_STATE_ADDRESS,
        has_one = admin @ ServiceabilityError::NotAdmin,
    )]
    pub global_state: Account<'info, GlobalState>,
}

impl SetReservationsPaused<'_> {
    /// Pauses (`true`) or resumes (`false`) `reserve_connection`.
    pub fn handler(ctx: Context<Self>, paused: bool) -> Result<()> {
        ctx.accounts.global_state.reservations_paused = paused;
        emit_event(ReservationsPauseChanged { paused });
        Ok(())
    }
}
