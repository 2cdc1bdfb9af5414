//! Every way an instruction can fail, each with its own code (6000 + position).

use anchor_lang::prelude::*;

/// Errors of the serviceability program. Codes are stable: append, never reorder.
#[error_code]
pub enum ServiceabilityError {
    /// 6000
    #[msg("Signer is not the GlobalState admin")]
    NotAdmin,
    /// 6001
    #[msg("Signer is not in the foundation allowlist")]
    NotFoundationMember,
    /// 6002
    #[msg("Signer is neither the reservation authority nor in the foundation allowlist")]
    NotReservationAuthority,
    /// 6003
    #[msg("Signer is neither the activator authority nor in the foundation allowlist")]
    NotActivatorAuthority,
    /// 6004
    #[msg("Signer is not the device's metrics publisher")]
    NotMetricsPublisher,
    /// 6005
    #[msg("The foundation allowlist is full")]
    FoundationAllowlistFull,
    /// 6006
    #[msg("The key is already in the foundation allowlist")]
    FoundationKeyAlreadyPresent,
    /// 6007
    #[msg("The key is not in the foundation allowlist")]
    FoundationKeyNotFound,
    /// 6008
    #[msg("Authority must not be the default (all-zero) public key")]
    InvalidAuthority,
    /// 6009
    #[msg("Device code must be 1 to 32 characters of [a-z0-9-]")]
    InvalidDeviceCode,
    /// 6010
    #[msg("Device public IP must be a routable unicast IPv4 address")]
    InvalidPublicIp,
    /// 6011
    #[msg("Client IP must be a unicast IPv4 address other than 0.0.0.0")]
    InvalidClientIp,
    /// 6012
    #[msg("Tunnel net must be a /30 or /31 IPv4 network with its host bits zero")]
    InvalidTunnelNet,
    /// 6013
    #[msg("The update changes nothing")]
    NothingToUpdate,
    /// 6014
    #[msg("Device is not Activated")]
    DeviceNotActivated,
    /// 6015
    #[msg("Reservations are paused")]
    ReservationsPaused,
    /// 6016
    #[msg("Device is full: users_count + reserved_seats has reached max_users")]
    MaxUsersExceeded,
    /// 6017
    #[msg("A User already exists for this (device, client_ip)")]
    UserAlreadyExists,
    /// 6018
    #[msg("Device still has users or reserved seats")]
    DeviceNotEmpty,
    /// 6019
    #[msg("Seat counter would overflow")]
    SeatCounterOverflow,
    /// 6020
    #[msg("Seat counter would underflow")]
    SeatCounterUnderflow,
    /// 6021
    #[msg("Reservation TTL must be at least one second")]
    InvalidReservationTtl,
    /// 6022
    #[msg("Timestamp arithmetic overflowed")]
    TimestampOverflow,
    /// 6023
    #[msg("Reservation has no expiry (expires_at = 0) and cannot be pruned")]
    ReservationNeverExpires,
    /// 6024
    #[msg("Reservation has not expired yet")]
    ReservationNotExpired,
    /// 6025
    #[msg("Rent receiver is not the payer recorded in the account")]
    PayerMismatch,
    /// 6026
    #[msg("Reservation belongs to another device")]
    ReservationDeviceMismatch,
    /// 6027
    #[msg("User belongs to another device")]
    UserDeviceMismatch,
    /// 6028
    #[msg("Rent receiver is not the device owner")]
    DeviceOwnerMismatch,
    /// 6029
    #[msg("The reservation account is not a Reservation of this program")]
    InvalidReservationAccount,
    /// 6030
    #[msg("A reservation exists for this pair: its payer must be passed to receive the rent")]
    ReservationPayerMissing,
    /// 6031
    #[msg("User owner must not be the default (all-zero) public key")]
    InvalidUserOwner,
    /// 6032
    #[msg("Only the program's upgrade authority can initialize it (an immutable program cannot be initialized)")]
    NotUpgradeAuthority,
    /// 6033
    #[msg("GlobalState already exists: the program is initialized")]
    AlreadyInitialized,
    /// 6034
    #[msg("A Reservation already exists for this (device, client_ip)")]
    ReservationAlreadyExists,
    /// 6035
    #[msg("A Device with this code already exists")]
    DeviceAlreadyExists,
    /// 6036
    #[msg("Signer is not the proposed admin")]
    NotProposedAdmin,
    /// 6037
    #[msg("The reservation for this (device, client_ip) has expired: prune it, then create the user on a fresh seat")]
    ReservationExpired,
    /// 6038
    #[msg("Another user of this device already has a tunnel overlapping this one (they would share an address)")]
    TunnelNetInUse,
    /// 6039
    #[msg("The user neither holds nor shares the tunnel claim of every /31 of its tunnel: claim them first (claim_tunnel_net)")]
    TunnelNetNotClaimed,
    /// 6040
    #[msg("Pass a second tunnel claim for a /30 tunnel (its second /31) and none for a /31")]
    TunnelClaimMismatch,
    /// 6041
    #[msg("The user already holds or shares the claim of every /31 of its tunnel")]
    TunnelNetAlreadyClaimed,
    /// 6042
    #[msg("The admin proposal has expired: the admin must propose again")]
    AdminProposalExpired,
    /// 6043
    #[msg("A BGP report's account is not a writable User of this program")]
    InvalidUserAccount,
    /// 6044
    #[msg("Pass one user account per BGP report, in the same order, and at least one")]
    BgpReportCountMismatch,
}
