use anchor_lang::prelude::*;

use super::close_reservation::emit_reservation_closed;
use crate::constants::{DEVICE_SEED, RESERVATION_SEED};
use crate::errors::ServiceabilityError;
use crate::events::ReservationCloseReason;
use crate::state::{Device, Reservation};

/// Accounts of `prune_expired_reservation`. Anyone may send it; no signer is needed
/// beyond the fee payer.
#[derive(Accounts)]
pub struct PruneExpiredReservation<'info> {
    /// The Device PDA the seat is held on.
    #[account(mut, seeds = [DEVICE_SEED, device.code.as_bytes()], bump = device.bump)]
    pub device: Account<'info, Device>,
    /// The expired Reservation PDA, closed here.
    #[account(
        mut,
        seeds = [RESERVATION_SEED, reservation.device.as_ref(), reservation.client_ip.as_ref()],
        bump = reservation.bump,
        has_one = device @ ServiceabilityError::ReservationDeviceMismatch,
        has_one = payer @ ServiceabilityError::PayerMismatch,
        close = payer,
    )]
    pub reservation: Account<'info, Reservation>,
    /// Receives the rent: the payer recorded in the reservation.
    /// CHECK: `has_one = payer` on the reservation checks the address.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
}

impl PruneExpiredReservation<'_> {
    fn validate(&self) -> Result<()> {
        let expires_at = self.reservation.expires_at;
        require!(
            expires_at != 0,
            ServiceabilityError::ReservationNeverExpires
        );
        require!(
            self.reservation.is_expired_at(Clock::get()?.unix_timestamp),
            ServiceabilityError::ReservationNotExpired
        );
        Ok(())
    }

    /// Releases an expired reservation's seat; the rent goes back to the recorded payer.
    #[access_control(ctx.accounts.validate())]
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let device = &mut ctx.accounts.device;
        device.release_reserved_seat()?;
        emit_reservation_closed(
            device,
            &ctx.accounts.reservation,
            ReservationCloseReason::Expired,
        );
        Ok(())
    }
}
