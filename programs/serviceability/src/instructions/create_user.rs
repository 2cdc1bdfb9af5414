use anchor_lang::prelude::*;

use super::close_reservation::emit_reservation_closed;
#[cfg(feature = "idl-build")]
use crate::constants::TUNNEL_CLAIM_SEED;
use crate::constants::{DEVICE_SEED, GLOBAL_STATE_ADDRESS, RESERVATION_SEED, USER_SEED};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, ReservationCloseReason, UserCreated};
use crate::ipv4::is_valid_client_ip;
use crate::pda;
use crate::state::{
    BgpStatus, Device, DeviceStatus, GlobalState, Reservation, TunnelNet, User, UserStatus,
};
use crate::tunnel_claims::TunnelClaims;
use crate::vacant;

/// Accounts of `create_user`.
#[derive(Accounts)]
#[instruction(client_ip: [u8; 4], tunnel_net: TunnelNet)]
pub struct CreateUser<'info> {
    /// The activator authority or a foundation key; pays the rent, recorded as payer.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
        constraint = global_state.can_manage_users(authority.key) @ ServiceabilityError::NotActivatorAuthority,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The Device PDA.
    #[account(mut, seeds = [DEVICE_SEED, device.code.as_bytes()], bump = device.bump)]
    pub device: Account<'info, Device>,
    /// The User PDA for `(device, client_ip)`, created here.
    /// CHECK: the handler checks the canonical address; it must be vacant, else
    /// `UserAlreadyExists`. (The seeds are for the IDL; see `pda`.)
    #[cfg_attr(
        feature = "idl-build",
        account(mut, seeds = [USER_SEED, device.key().as_ref(), client_ip.as_ref()], bump)
    )]
    #[cfg_attr(not(feature = "idl-build"), account(mut))]
    pub user: UncheckedAccount<'info>,
    /// The TunnelClaim PDA of the tunnel's network `(device, tunnel_net.network)`, created
    /// here: no two users of a device have overlapping tunnels.
    /// CHECK: the handler checks the canonical address; it must be vacant, else
    /// `TunnelNetInUse`. (The seeds are for the IDL; see `pda`.)
    #[cfg_attr(
        feature = "idl-build",
        account(mut, seeds = [TUNNEL_CLAIM_SEED, device.key().as_ref(), tunnel_net.network.as_ref()], bump)
    )]
    #[cfg_attr(not(feature = "idl-build"), account(mut))]
    pub tunnel_claim: UncheckedAccount<'info>,
    /// For a /30 tunnel, the TunnelClaim PDA of its second /31, created here:
    /// `["tunnel", device, network + 2]` (the last octet plus 2). Omitted for a /31
    /// (`TunnelClaimMismatch` otherwise).
    /// CHECK: the handler checks the canonical address; it must be vacant, else
    /// `TunnelNetInUse`.
    #[account(mut)]
    pub second_tunnel_claim: Option<UncheckedAccount<'info>>,
    /// The Reservation PDA for `(device, client_ip)`. Always passed, so a reserved seat can
    /// never be left behind and counted twice: when a Reservation exists here it is consumed
    /// (closed) and its seat becomes the user's.
    /// CHECK: the handler checks the canonical address and loads it as a Reservation when
    /// it exists. (The seeds are for the IDL; see `pda`.)
    #[cfg_attr(
        feature = "idl-build",
        account(mut, seeds = [RESERVATION_SEED, device.key().as_ref(), client_ip.as_ref()], bump)
    )]
    #[cfg_attr(not(feature = "idl-build"), account(mut))]
    pub reservation: UncheckedAccount<'info>,
    /// Receives the consumed reservation's rent: required when a reservation exists, and
    /// must then be its recorded payer.
    /// CHECK: the handler compares it with the reservation's recorded payer.
    #[account(mut)]
    pub reservation_payer: Option<UncheckedAccount<'info>>,
    /// The system program, which creates the accounts.
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

    /// Creates an `Activated` user and its tunnel claim. A live reservation for the pair is
    /// consumed atomically (`reserved_seats -= 1`, `users_count += 1`); an expired one is
    /// refused (`ReservationExpired`: prune it first, so the seat is never both released
    /// and kept); without one, a new seat is taken, which needs an `Activated` device with a
    /// free seat.
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
            tunnel_claim,
            second_tunnel_claim,
            reservation,
            reservation_payer,
            system_program,
            ..
        } = ctx.accounts;
        let device_key = device.key();
        let user_bump = vacant::canonical_vacant(
            user,
            &[USER_SEED, device_key.as_ref(), client_ip.as_ref()],
            "user",
            ServiceabilityError::UserAlreadyExists,
        )?;
        let claims = TunnelClaims::vacant(
            &device_key,
            &tunnel_net,
            tunnel_claim,
            second_tunnel_claim.as_deref(),
        )?;
        pda::canonical_bump(
            reservation,
            &[RESERVATION_SEED, device_key.as_ref(), client_ip.as_ref()],
            "reservation",
        )?;
        let now = Clock::get()?.unix_timestamp;

        let consumed = if reservation.owner == &crate::ID {
            let reservation = Account::<Reservation>::try_from(reservation)?;
            require!(
                !reservation.is_expired_at(now),
                ServiceabilityError::ReservationExpired
            );
            let payer = reservation_payer
                .as_ref()
                .ok_or(ServiceabilityError::ReservationPayerMissing)?;
            require_keys_eq!(
                payer.key(),
                reservation.payer,
                ServiceabilityError::PayerMismatch
            );
            device.convert_reserved_seat_to_user()?;
            Some((reservation, payer))
        } else {
            require!(
                device.status == DeviceStatus::Activated,
                ServiceabilityError::DeviceNotActivated
            );
            device.add_user()?;
            None
        };

        vacant::create(
            user,
            authority,
            system_program,
            &[
                USER_SEED,
                device_key.as_ref(),
                client_ip.as_ref(),
                &[user_bump],
            ],
            User::SPACE,
            &User {
                owner,
                device: device_key,
                client_ip,
                tunnel_net,
                status: UserStatus::Activated,
                created_at: now,
                payer: authority.key(),
                bump: user_bump,
                bgp_status: BgpStatus::Unknown,
                last_bgp_up_at: 0,
                last_bgp_reported_at: 0,
                bgp_rtt_ns: 0,
                bgp_flaps: 0,
                bgp_up_secs: 0,
                last_bgp_down_at: 0,
            },
        )?;
        claims.create(&device_key, user.key, authority, system_program)?;
        // The reservation is closed after the creations: closing moves lamports by hand, and a
        // CPI after that, when the reservation's payer is also the authority, would see the
        // payer's lamports grow without the reservation's shrinking (UnbalancedInstruction).
        let consumed_reservation = consumed.is_some();
        if let Some((reservation, payer)) = consumed {
            emit_reservation_closed(device, &reservation, ReservationCloseReason::Consumed);
            reservation.close(payer.to_account_info())?;
        }
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
