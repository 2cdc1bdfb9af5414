//! Serviceability: device capacity, pre-reserved connection seats and per-user BGP status.
//!
//! Every device has `max_users` seats; a seat is held by a User or by a Reservation, and
//! every instruction keeps `users_count + reserved_seats <= max_users` (lowering
//! `max_users` only refuses new seats). An off-chain reservation authority holds seats for
//! `(device, client_ip)` pairs before the User exists, and each device's metrics publisher
//! records its users' BGP session state.

use anchor_lang::prelude::*;
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod ipv4;
pub mod pda;
pub mod state;
pub mod tunnel_claims;
pub mod vacant;

pub use instructions::*;
pub use state::{BgpStatus, DeviceStatus, TunnelNet};

declare_id!("HVWZE8fNLpX9JT4YM1z4phDAKg92V1jkyEKgmJc45T4X");

/// The serviceability program's instructions.
#[program]
pub mod serviceability {
    use super::*;

    /// Creates GlobalState; the signer, who must be the program's upgrade authority, becomes
    /// admin and activator authority.
    pub fn initialize(ctx: Context<Initialize>) -> Result<()> {
        Initialize::handler(ctx)
    }

    /// Admin: sets the activator authority, or sets or clears the reservation authority.
    pub fn set_authority(ctx: Context<SetAuthority>, update: AuthorityUpdate) -> Result<()> {
        SetAuthority::handler(ctx, update)
    }

    /// Admin: proposes a new admin (`Some`), replacing any pending proposal, or withdraws
    /// the proposal (`None`). Nothing changes until the proposed key signs `accept_admin`.
    pub fn propose_admin<'info>(
        ctx: Context<'info, ProposeAdmin<'info>>,
        proposed_admin: Option<Pubkey>,
    ) -> Result<()> {
        ProposeAdmin::handler(ctx, proposed_admin)
    }

    /// The proposed admin, before the proposal expires: becomes admin; the proposal is closed.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        AcceptAdmin::handler(ctx)
    }

    /// Admin: adds a key to the foundation allowlist (bounded, no duplicates).
    pub fn add_foundation_key(ctx: Context<AddFoundationKey>, key: Pubkey) -> Result<()> {
        AddFoundationKey::handler(ctx, key)
    }

    /// Admin: removes a key from the foundation allowlist.
    pub fn remove_foundation_key(ctx: Context<RemoveFoundationKey>, key: Pubkey) -> Result<()> {
        RemoveFoundationKey::handler(ctx, key)
    }

    /// Admin: pauses or resumes `reserve_connection`.
    pub fn set_reservations_paused(
        ctx: Context<SetReservationsPaused>,
        paused: bool,
    ) -> Result<()> {
        SetReservationsPaused::handler(ctx, paused)
    }

    /// Foundation: creates a `Pending` device.
    pub fn create_device(ctx: Context<CreateDevice>, args: CreateDeviceArgs) -> Result<()> {
        CreateDevice::handler(ctx, args)
    }

    /// Foundation: changes a device's address, status, capacity, metrics publisher or owner.
    pub fn update_device(ctx: Context<UpdateDevice>, args: UpdateDeviceArgs) -> Result<()> {
        UpdateDevice::handler(ctx, args)
    }

    /// Foundation: closes a device with no users and no reserved seats.
    pub fn close_device(ctx: Context<CloseDevice>) -> Result<()> {
        CloseDevice::handler(ctx)
    }

    /// Reservation authority (else foundation): holds a seat for `(device, client_ip)`,
    /// optionally expiring after `ttl_secs`.
    pub fn reserve_connection(
        ctx: Context<ReserveConnection>,
        client_ip: [u8; 4],
        ttl_secs: Option<u32>,
    ) -> Result<()> {
        ReserveConnection::handler(ctx, client_ip, ttl_secs)
    }

    /// Reservation authority (else foundation): releases a reservation; rent to its payer.
    pub fn close_reservation(ctx: Context<CloseReservation>) -> Result<()> {
        CloseReservation::handler(ctx)
    }

    /// Anyone: releases a reservation whose `expires_at` has passed; rent to its payer.
    pub fn prune_expired_reservation(ctx: Context<PruneExpiredReservation>) -> Result<()> {
        PruneExpiredReservation::handler(ctx)
    }

    /// Activator authority (else foundation): creates a user, atomically consuming the
    /// pair's reservation when one exists.
    pub fn create_user<'info>(
        ctx: Context<'info, CreateUser<'info>>,
        client_ip: [u8; 4],
        tunnel_net: TunnelNet,
        owner: Pubkey,
    ) -> Result<()> {
        CreateUser::handler(ctx, client_ip, tunnel_net, owner)
    }

    /// Activator authority (else foundation): deletes a user and releases its tunnel claims;
    /// rent to its payer.
    pub fn delete_user(ctx: Context<DeleteUser>) -> Result<()> {
        DeleteUser::handler(ctx)
    }

    /// Activator authority (else foundation): claims the tunnel of a user created before
    /// tunnel claims existed (each /31 it covers; a /31 another such user claimed first is
    /// recorded as shared), so that no later user can overlap it.
    pub fn claim_tunnel_net<'info>(ctx: Context<'info, ClaimTunnelNet<'info>>) -> Result<()> {
        ClaimTunnelNet::handler(ctx)
    }

    /// The device's metrics publisher: records a user's BGP session state, growing a
    /// legacy-layout account on its first write.
    pub fn set_user_bgp_status(ctx: Context<SetUserBgpStatus>, status: BgpStatus) -> Result<()> {
        SetUserBgpStatus::handler(ctx, status)
    }

    /// The device's metrics publisher: records many users' BGP sessions (status and RTT) in
    /// one instruction, the users as remaining accounts in the order of `reports`.
    pub fn report_bgp_sessions<'info>(
        ctx: Context<'info, ReportBgpSessions<'info>>,
        reports: Vec<BgpReport>,
    ) -> Result<()> {
        ReportBgpSessions::handler(ctx, reports)
    }
}
