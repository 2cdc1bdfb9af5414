//! Events emitted on every state change, logged as `Program data: <base64>`.

use anchor_lang::prelude::*;

use crate::state::{BgpStatus, DeviceStatus};

/// Logs `event` as `Program data: <base64(discriminator ++ borsh)>`, exactly as `emit!` does.
///
/// On SBF this is `emit!`. Natively, Anchor's `sol_log_data` is a no-op, so the event goes
/// to the `solana-sysvar` syscall stubs that the native host installs; the log line is the
/// same either way.
pub fn emit_event<E: anchor_lang::Event>(event: E) {
    #[cfg(target_os = "solana")]
    emit!(event);
    #[cfg(not(target_os = "solana"))]
    solana_sysvar::program_stubs::sol_log_data(&[&event.data()]);
}

/// Why a reservation account was closed.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReservationCloseReason {
    /// Released by the reservation authority or the foundation (`close_reservation`).
    Closed,
    /// Converted into a User by `create_user`.
    Consumed,
    /// Swept after expiry by `prune_expired_reservation`.
    Expired,
}

/// Which GlobalState authority changed.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorityKind {
    /// The key that creates and deletes users.
    Activator,
    /// The off-chain oracle that reserves and releases seats.
    Reservation,
    /// The key that changes authorities, the allowlist and the pause flag (`accept_admin`).
    Admin,
}

/// GlobalState was created.
#[event]
pub struct GlobalStateInitialized {
    /// The admin, who alone changes authorities, the allowlist and the pause flag.
    pub admin: Pubkey,
}

/// An authority in GlobalState was set or cleared.
#[event]
pub struct AuthorityChanged {
    /// Which authority.
    pub kind: AuthorityKind,
    /// Its value before.
    pub previous: Option<Pubkey>,
    /// Its value now (`None`: cleared).
    pub current: Option<Pubkey>,
}

/// The admin proposed a new admin, replaced the proposal, or withdrew it.
#[event]
pub struct AdminProposed {
    /// The admin who proposed.
    pub admin: Pubkey,
    /// The key that may now accept; `None`: the proposal was withdrawn.
    pub proposed_admin: Option<Pubkey>,
    /// Unix time after which the proposal can no longer be accepted; 0 when withdrawn.
    pub expires_at: i64,
}

/// A user created before tunnel claims existed claimed a /31 of its tunnel, one event per
/// /31 (`claim_tunnel_net`; `create_user` claims as part of `UserCreated`).
#[event]
pub struct TunnelNetClaimed {
    /// The Device PDA.
    pub device: Pubkey,
    /// The User PDA.
    pub user: Pubkey,
    /// The claimed /31's network address, network byte order.
    pub tunnel_network: [u8; 4],
}

/// A user created before tunnel claims existed was recorded as sharing a /31 another such
/// user had claimed (`claim_tunnel_net`): the /31 stays claimed until both are deleted.
#[event]
pub struct TunnelNetShared {
    /// The Device PDA.
    pub device: Pubkey,
    /// The User PDA recorded as a sharer.
    pub user: Pubkey,
    /// The User PDA holding the claim.
    pub holder: Pubkey,
    /// The shared /31's network address, network byte order.
    pub tunnel_network: [u8; 4],
}

/// A /31's holder was deleted while other users still shared it: its first sharer now
/// holds it (`delete_user`).
#[event]
pub struct TunnelClaimHandedOver {
    /// The Device PDA.
    pub device: Pubkey,
    /// The deleted User PDA.
    pub previous: Pubkey,
    /// The User PDA now holding the claim.
    pub holder: Pubkey,
    /// The /31's network address, network byte order.
    pub tunnel_network: [u8; 4],
}

/// A key joined or left the foundation allowlist.
#[event]
pub struct FoundationAllowlistChanged {
    /// The key.
    pub key: Pubkey,
    /// `true`: added; `false`: removed.
    pub added: bool,
    /// Allowlist length after the change.
    pub allowlist_len: u8,
}

/// The reservation pause flag changed.
#[event]
pub struct ReservationsPauseChanged {
    /// `true`: `reserve_connection` is refused until resumed.
    pub paused: bool,
}

/// A device was created.
#[event]
pub struct DeviceCreated {
    /// The Device PDA.
    pub device: Pubkey,
    /// Its unique code.
    pub code: String,
    /// Who paid its rent and receives it on close.
    pub owner: Pubkey,
    /// Public IPv4 address, network byte order.
    pub public_ip: [u8; 4],
    /// Seat capacity.
    pub max_users: u16,
    /// Key allowed to write BGP status for its users.
    pub metrics_publisher: Pubkey,
}

/// A device was updated; carries the values after the update.
#[event]
pub struct DeviceUpdated {
    /// The Device PDA.
    pub device: Pubkey,
    /// Public IPv4 address, network byte order.
    pub public_ip: [u8; 4],
    /// Lifecycle status.
    pub status: DeviceStatus,
    /// Seat capacity (may be below current use while draining).
    pub max_users: u16,
    /// Seats held by Users.
    pub users_count: u16,
    /// Seats held by Reservations.
    pub reserved_seats: u16,
    /// Key allowed to write BGP status for its users.
    pub metrics_publisher: Pubkey,
    /// Owner after the update (receives the rent when the device is closed).
    pub owner: Pubkey,
}

/// An empty device was closed.
#[event]
pub struct DeviceClosed {
    /// The Device PDA (now closed).
    pub device: Pubkey,
    /// Its code, free for reuse.
    pub code: String,
}

/// A seat was reserved.
#[event]
pub struct ReservationCreated {
    /// The Device PDA.
    pub device: Pubkey,
    /// The Reservation PDA.
    pub reservation: Pubkey,
    /// Client IPv4 address, network byte order.
    pub client_ip: [u8; 4],
    /// Who paid the rent and gets it back.
    pub payer: Pubkey,
    /// Unix time after which anyone may prune it; 0 = never.
    pub expires_at: i64,
    /// Device's reserved seats after this reservation.
    pub reserved_seats: u16,
}

/// A reservation account was closed and its seat released or converted.
#[event]
pub struct ReservationClosed {
    /// The Device PDA.
    pub device: Pubkey,
    /// The Reservation PDA (now closed).
    pub reservation: Pubkey,
    /// Client IPv4 address, network byte order.
    pub client_ip: [u8; 4],
    /// Why it was closed.
    pub reason: ReservationCloseReason,
    /// Device's reserved seats after the close.
    pub reserved_seats: u16,
}

/// A user was created.
#[event]
pub struct UserCreated {
    /// The Device PDA.
    pub device: Pubkey,
    /// The User PDA.
    pub user: Pubkey,
    /// Client IPv4 address, network byte order.
    pub client_ip: [u8; 4],
    /// The user's owner.
    pub owner: Pubkey,
    /// `true` when the user took over a reserved seat.
    pub consumed_reservation: bool,
    /// Device's users after the creation.
    pub users_count: u16,
    /// Device's reserved seats after the creation.
    pub reserved_seats: u16,
}

/// A user was deleted.
#[event]
pub struct UserDeleted {
    /// The Device PDA.
    pub device: Pubkey,
    /// The User PDA (now closed).
    pub user: Pubkey,
    /// Client IPv4 address, network byte order.
    pub client_ip: [u8; 4],
    /// Device's users after the deletion.
    pub users_count: u16,
}

/// The metrics publisher reported a user's BGP session state.
#[event]
pub struct BgpStatusChanged {
    /// The Device PDA.
    pub device: Pubkey,
    /// The User PDA.
    pub user: Pubkey,
    /// Status before this report.
    pub previous: BgpStatus,
    /// Status reported.
    pub status: BgpStatus,
    /// Unix time of the report (`last_bgp_reported_at`).
    pub reported_at: i64,
    /// Last time the session was reported Up; 0 = never.
    pub last_bgp_up_at: i64,
    /// Smoothed RTT reported, in nanoseconds; 0 = no sample.
    pub bgp_rtt_ns: u64,
    /// Up → Down transitions recorded so far.
    pub bgp_flaps: u32,
    /// Seconds Up accrued so far.
    pub bgp_up_secs: u64,
}

impl BgpStatusChanged {
    /// The event of a report on `user` of `device` at `now`, `session` as recorded, whose
    /// status was `previous`.
    pub fn of(
        device: Pubkey,
        user: Pubkey,
        previous: BgpStatus,
        session: &crate::state::BgpSession,
        now: i64,
    ) -> Self {
        BgpStatusChanged {
            device,
            user,
            previous,
            status: session.status,
            reported_at: now,
            last_bgp_up_at: session.last_up_at,
            bgp_rtt_ns: session.rtt_ns,
            bgp_flaps: session.flaps,
            bgp_up_secs: session.up_secs,
        }
    }
}
