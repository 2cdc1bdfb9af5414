use anchor_lang::prelude::*;

use super::close_reservation::emit_reservation_closed;
use crate::constants::{DEVICE_SEED, GLOBAL_STATE_SEED, RESERVATION_SEED, USER_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, ReservationCloseReason, UserCreated};
use crate::ipv4::is_valid_client_ip;
use crate::state::{
    BgpStatus, Device, DeviceStatus, GlobalState, Reservation, TunnelNet, User, UserStatus,
};

/// Accounts of `create_user`.
#[derive(Accounts)]
#[instruction(client_ip: [u8; 4])]
pub struct CreateUser<'info> {
    /// The activator authority or a foundation key; pays the rent, recorded as payer.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        seeds = [GLOBAL_STATE_SEED],
        bump = global_state.bump,
        constraint = global_state.can_manage_users(authority.key) @ ServiceabilityError::NotActivatorAuthority,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The Device PDA.
    #[account(mut, seeds = [DEVICE_SEED, device.code.as_bytes()], bump = device.bump)]
    pub device: Account<'info, Device>,
    /// The User PDA for `(device, client_ip)`, created here.
    #[account(
        init,
        payer = authority,
        space = User::SPACE,
        seeds = [USER_SEED, device.key().as_ref(), client_ip.as_ref()],
        bump,
    )]
    pub user: Account<'info, User>,
    /// The Reservation PDA for `(device, client_ip)`. Always passed, so a reserved seat can
    /// never be left behind and counted twice: when a Reservation exists here it is consumed
    /// (closed) and its seat becomes the user's.
    /// CHECK: the seeds pin the address; the handler loads it as a Reservation when it exists.
    #[account(mut, seeds = [RESERVATION_SEED, device.key().as_ref(), client_ip.as_ref()], bump)]
    pub reservation: UncheckedAccount<'info>,
    /// Receives the consumed reservation's rent: required when a reservation exists, and
    /// must then be its recorded payer.
    /// CHECK: the handler compares it with the reservation's recorded payer.
    #[account(mut)]
    pub reservation_payer: Option<UncheckedAccount<'info>>,
    /// The system program, which creates the account.
    pub system_program: Program<'info, System>,
}

impl<'info> CreateUser<'info> {
    fn validate(&self, client_ip: [u8; 4], tunnel_net: &TunnelNet, owner: &Pubkey) -> Result<()> {
        require!(
            is_valid_client_ip(client_ip),
            ServiceabilityError::InvalidClientIp
        );
        require!(
            *owner != Pubkey::default(),
            ServiceabilityError::InvalidUserOwner
        );
        tunnel_net.validate()
    }

    /// Creates an `Activated` user. A reservation for the pair is consumed atomically
    /// (`reserved_seats -= 1`, `users_count += 1`); without one, a new seat is taken, which
    /// needs an `Activated` device with a free seat.
    #[access_control(ctx.accounts.validate(client_ip, &tunnel_net, &owner))]
    pub fn handler(
        ctx: Context<'info, Self>,
        client_ip: [u8; 4],
        tunnel_net: TunnelNet,
        owner: Pubkey,
    ) -> Result<()> {
        let CreateUser {
            authority,
            device,
            user,
            reservation,
            reservation_payer,
            ..
        } = ctx.accounts;

        let consumed_reservation = reservation.owner == &crate::ID;
        if consumed_reservation {
            let reservation = Account::<Reservation>::try_from(reservation)?;
            let payer = reservation_payer
                .as_ref()
                .ok_or(ServiceabilityError::ReservationPayerMissing)?;
            require_keys_eq!(
                payer.key(),
                reservation.payer,
                ServiceabilityError::PayerMismatch
            );
            device.convert_reserved_seat_to_user()?;
            emit_reservation_closed(device, &reservation, ReservationCloseReason::Consumed);
            reservation.close(payer.to_account_info())?;
        } else {
            require!(
                device.status == DeviceStatus::Activated,
                ServiceabilityError::DeviceNotActivated
            );
            device.add_user()?;
        }

        user.set_inner(User {
            owner,
            device: device.key(),
            client_ip,
            tunnel_net,
            status: UserStatus::Activated,
            created_at: Clock::get()?.unix_timestamp,
            payer: authority.key(),
            bump: ctx.bumps.user,
            bgp_status: BgpStatus::Unknown,
            last_bgp_up_at: 0,
            last_bgp_reported_at: 0,
        });
        emit_event(UserCreated {
            device: device.key(),
            user: user.key(),
            client_ip,
            owner,
            consumed_reservation,
            users_count: device.users_count,
            reserved_seats: device.reserved_seats,
        });
        Ok(())
    }
}
