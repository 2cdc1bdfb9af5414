use anchor_lang::prelude::*;

use crate::constants::{DEVICE_SEED, GLOBAL_STATE_ADDRESS, RESERVATION_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, ReservationCloseReason, ReservationClosed};
use crate::state::{Device, GlobalState, Reservation};

/// Accounts of `close_reservation`.
#[derive(Accounts)]
pub struct CloseReservation<'info> {
    /// The reservation authority or a foundation key.
    pub authority: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
        constraint = global_state.can_manage_reservations(authority.key) @ ServiceabilityError::NotReservationAuthority,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The Device PDA the seat is held on.
    #[account(mut, seeds = [DEVICE_SEED, device.code.as_bytes()], bump = device.bump)]
    pub device: Account<'info, Device>,
    /// The Reservation PDA, closed here.
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

impl CloseReservation<'_> {
    /// Releases the seat; the rent goes back to the recorded payer.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let device = &mut ctx.accounts.device;
        device.release_reserved_seat()?;
        emit_reservation_closed(
            device,
            &ctx.accounts.reservation,
            ReservationCloseReason::Closed,
        );
        Ok(())
    }
}

/// Emits `ReservationClosed` for `reservation` with the device's counters after the close.
pub(crate) fn emit_reservation_closed(
    device: &Account<Device>,
    reservation: &Account<Reservation>,
    reason: ReservationCloseReason,
) {
    emit_event(ReservationClosed {
        device: device.key(),
        reservation: reservation.key(),
        client_ip: reservation.client_ip,
        reason,
        reserved_seats: device.reserved_seats,
    });
}
