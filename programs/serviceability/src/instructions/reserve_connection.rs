use anchor_lang::prelude::*;

use crate::constants::{DEVICE_SEED, GLOBAL_STATE_ADDRESS, RESERVATION_SEED, USER_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, ReservationCreated};
use crate::ipv4::is_valid_client_ip;
use crate::state::{Device, DeviceStatus, GlobalState, Reservation};
use crate::vacant;

/// Accounts of `reserve_connection`.
#[derive(Accounts)]
#[instruction(client_ip: [u8; 4])]
pub struct ReserveConnection<'info> {
    /// The reservation authority or a foundation key; pays the rent, recorded as payer.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
        constraint = global_state.can_manage_reservations(authority.key) @ ServiceabilityError::NotReservationAuthority,
        constraint = !global_state.reservations_paused @ ServiceabilityError::ReservationsPaused,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The Device PDA; must be `Activated` and have a free seat.
    #[account(
        mut,
        seeds = [DEVICE_SEED, device.code.as_bytes()],
        bump = device.bump,
        constraint = device.status == DeviceStatus::Activated @ ServiceabilityError::DeviceNotActivated,
    )]
    pub device: Account<'info, Device>,
    /// The Reservation PDA for `(device, client_ip)`, created here.
    /// CHECK: the handler checks the canonical address; it must be vacant, else
    /// `ReservationAlreadyExists`. (The seeds are for the IDL; see `pda`.)
    #[cfg_attr(
        feature = "idl-build",
        account(mut, seeds = [RESERVATION_SEED, device.key().as_ref(), client_ip.as_ref()], bump)
    )]
    #[cfg_attr(not(feature = "idl-build"), account(mut))]
    pub reservation: UncheckedAccount<'info>,
    /// The User PDA for `(device, client_ip)`, which must not exist yet.
    /// CHECK: the handler checks the canonical address; it must be vacant, else
    /// `UserAlreadyExists`. (The seeds are for the IDL; see `pda`.)
    #[cfg_attr(
        feature = "idl-build",
        account(seeds = [USER_SEED, device.key().as_ref(), client_ip.as_ref()], bump)
    )]
    pub user: UncheckedAccount<'info>,
    /// The system program, which creates the account.
    pub system_program: Program<'info, System>,
}

impl ReserveConnection<'_> {
    fn validate(&self, client_ip: [u8; 4], ttl_secs: Option<u32>) -> Result<()> {
        require!(
            is_valid_client_ip(client_ip),
            ServiceabilityError::InvalidClientIp
        );
        require!(
            ttl_secs != Some(0),
            ServiceabilityError::InvalidReservationTtl
        );
        Ok(())
    }

    /// Holds a seat on the device for `client_ip`, expiring after `ttl_secs` if given.
    #[access_control(ctx.accounts.validate(client_ip, ttl_secs))]
    pub fn handler(ctx: Context<Self>, client_ip: [u8; 4], ttl_secs: Option<u32>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let expires_at = match ttl_secs {
            None => 0,
            Some(ttl) => now
                .checked_add(i64::from(ttl))
                .ok_or(ServiceabilityError::TimestampOverflow)?,
        };
        let accounts = ctx.accounts;
        let device = &mut accounts.device;
        let device_key = device.key();
        let bump = vacant::canonical_vacant(
            &accounts.reservation,
            &[RESERVATION_SEED, device_key.as_ref(), client_ip.as_ref()],
            "reservation",
            ServiceabilityError::ReservationAlreadyExists,
        )?;
        vacant::canonical_vacant(
            &accounts.user,
            &[USER_SEED, device_key.as_ref(), client_ip.as_ref()],
            "user",
            ServiceabilityError::UserAlreadyExists,
        )?;
        device.reserve_seat()?;
        let payer = accounts.authority.key();
        vacant::create(
            &accounts.reservation,
            &accounts.authority,
            &accounts.system_program,
            &[
                RESERVATION_SEED,
                device_key.as_ref(),
                client_ip.as_ref(),
                &[bump],
            ],
            8 + Reservation::INIT_SPACE,
            &Reservation {
                device: device_key,
                client_ip,
                payer,
                reserved_at: now,
                expires_at,
                bump,
            },
        )?;
        emit_event(ReservationCreated {
            device: device_key,
            reservation: accounts.reservation.key(),
            client_ip,
            payer,
            expires_at,
            reserved_seats: device.reserved_seats,
        });
        Ok(())
    }
}
