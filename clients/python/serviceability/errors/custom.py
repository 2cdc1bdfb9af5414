import typing
from anchorpy.error import ProgramError


class NotAdmin(ProgramError):
    def __init__(self) -> None:
        super().__init__(6000, "Signer is not the GlobalState admin")

    code = 6000
    name = "NotAdmin"
    msg = "Signer is not the GlobalState admin"


class NotFoundationMember(ProgramError):
    def __init__(self) -> None:
        super().__init__(6001, "Signer is not in the foundation allowlist")

    code = 6001
    name = "NotFoundationMember"
    msg = "Signer is not in the foundation allowlist"


class NotReservationAuthority(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6002,
            "Signer is neither the reservation authority nor in the foundation allowlist",
        )

    code = 6002
    name = "NotReservationAuthority"
    msg = "Signer is neither the reservation authority nor in the foundation allowlist"


class NotActivatorAuthority(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6003,
            "Signer is neither the activator authority nor in the foundation allowlist",
        )

    code = 6003
    name = "NotActivatorAuthority"
    msg = "Signer is neither the activator authority nor in the foundation allowlist"


class NotMetricsPublisher(ProgramError):
    def __init__(self) -> None:
        super().__init__(6004, "Signer is not the device's metrics publisher")

    code = 6004
    name = "NotMetricsPublisher"
    msg = "Signer is not the device's metrics publisher"


class FoundationAllowlistFull(ProgramError):
    def __init__(self) -> None:
        super().__init__(6005, "The foundation allowlist is full")

    code = 6005
    name = "FoundationAllowlistFull"
    msg = "The foundation allowlist is full"


class FoundationKeyAlreadyPresent(ProgramError):
    def __init__(self) -> None:
        super().__init__(6006, "The key is already in the foundation allowlist")

    code = 6006
    name = "FoundationKeyAlreadyPresent"
    msg = "The key is already in the foundation allowlist"


class FoundationKeyNotFound(ProgramError):
    def __init__(self) -> None:
        super().__init__(6007, "The key is not in the foundation allowlist")

    code = 6007
    name = "FoundationKeyNotFound"
    msg = "The key is not in the foundation allowlist"


class InvalidAuthority(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6008, "Authority must not be the default (all-zero) public key"
        )

    code = 6008
    name = "InvalidAuthority"
    msg = "Authority must not be the default (all-zero) public key"


class InvalidDeviceCode(ProgramError):
    def __init__(self) -> None:
        super().__init__(6009, "Device code must be 1 to 32 characters of [a-z0-9-]")

    code = 6009
    name = "InvalidDeviceCode"
    msg = "Device code must be 1 to 32 characters of [a-z0-9-]"


class InvalidPublicIp(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6010, "Device public IP must be a routable unicast IPv4 address"
        )

    code = 6010
    name = "InvalidPublicIp"
    msg = "Device public IP must be a routable unicast IPv4 address"


class InvalidClientIp(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6011, "Client IP must be a unicast IPv4 address other than 0.0.0.0"
        )

    code = 6011
    name = "InvalidClientIp"
    msg = "Client IP must be a unicast IPv4 address other than 0.0.0.0"


class InvalidTunnelNet(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6012, "Tunnel net must be a /30 or /31 IPv4 network with its host bits zero"
        )

    code = 6012
    name = "InvalidTunnelNet"
    msg = "Tunnel net must be a /30 or /31 IPv4 network with its host bits zero"


class NothingToUpdate(ProgramError):
    def __init__(self) -> None:
        super().__init__(6013, "The update changes nothing")

    code = 6013
    name = "NothingToUpdate"
    msg = "The update changes nothing"


class DeviceNotActivated(ProgramError):
    def __init__(self) -> None:
        super().__init__(6014, "Device is not Activated")

    code = 6014
    name = "DeviceNotActivated"
    msg = "Device is not Activated"


class ReservationsPaused(ProgramError):
    def __init__(self) -> None:
        super().__init__(6015, "Reservations are paused")

    code = 6015
    name = "ReservationsPaused"
    msg = "Reservations are paused"


class MaxUsersExceeded(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6016, "Device is full: users_count + reserved_seats has reached max_users"
        )

    code = 6016
    name = "MaxUsersExceeded"
    msg = "Device is full: users_count + reserved_seats has reached max_users"


class UserAlreadyExists(ProgramError):
    def __init__(self) -> None:
        super().__init__(6017, "A User already exists for this (device, client_ip)")

    code = 6017
    name = "UserAlreadyExists"
    msg = "A User already exists for this (device, client_ip)"


class DeviceNotEmpty(ProgramError):
    def __init__(self) -> None:
        super().__init__(6018, "Device still has users or reserved seats")

    code = 6018
    name = "DeviceNotEmpty"
    msg = "Device still has users or reserved seats"


class SeatCounterOverflow(ProgramError):
    def __init__(self) -> None:
        super().__init__(6019, "Seat counter would overflow")

    code = 6019
    name = "SeatCounterOverflow"
    msg = "Seat counter would overflow"


class SeatCounterUnderflow(ProgramError):
    def __init__(self) -> None:
        super().__init__(6020, "Seat counter would underflow")

    code = 6020
    name = "SeatCounterUnderflow"
    msg = "Seat counter would underflow"


class InvalidReservationTtl(ProgramError):
    def __init__(self) -> None:
        super().__init__(6021, "Reservation TTL must be at least one second")

    code = 6021
    name = "InvalidReservationTtl"
    msg = "Reservation TTL must be at least one second"


class TimestampOverflow(ProgramError):
    def __init__(self) -> None:
        super().__init__(6022, "Timestamp arithmetic overflowed")

    code = 6022
    name = "TimestampOverflow"
    msg = "Timestamp arithmetic overflowed"


class ReservationNeverExpires(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6023, "Reservation has no expiry (expires_at = 0) and cannot be pruned"
        )

    code = 6023
    name = "ReservationNeverExpires"
    msg = "Reservation has no expiry (expires_at = 0) and cannot be pruned"


class ReservationNotExpired(ProgramError):
    def __init__(self) -> None:
        super().__init__(6024, "Reservation has not expired yet")

    code = 6024
    name = "ReservationNotExpired"
    msg = "Reservation has not expired yet"


class PayerMismatch(ProgramError):
    def __init__(self) -> None:
        super().__init__(6025, "Rent receiver is not the payer recorded in the account")

    code = 6025
    name = "PayerMismatch"
    msg = "Rent receiver is not the payer recorded in the account"


class ReservationDeviceMismatch(ProgramError):
    def __init__(self) -> None:
        super().__init__(6026, "Reservation belongs to another device")

    code = 6026
    name = "ReservationDeviceMismatch"
    msg = "Reservation belongs to another device"


class UserDeviceMismatch(ProgramError):
    def __init__(self) -> None:
        super().__init__(6027, "User belongs to another device")

    code = 6027
    name = "UserDeviceMismatch"
    msg = "User belongs to another device"


class DeviceOwnerMismatch(ProgramError):
    def __init__(self) -> None:
        super().__init__(6028, "Rent receiver is not the device owner")

    code = 6028
    name = "DeviceOwnerMismatch"
    msg = "Rent receiver is not the device owner"


class InvalidReservationAccount(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6029, "The reservation account is not a Reservation of this program"
        )

    code = 6029
    name = "InvalidReservationAccount"
    msg = "The reservation account is not a Reservation of this program"


class ReservationPayerMissing(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6030,
            "A reservation exists for this pair: its payer must be passed to receive the rent",
        )

    code = 6030
    name = "ReservationPayerMissing"
    msg = "A reservation exists for this pair: its payer must be passed to receive the rent"


class InvalidUserOwner(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6031, "User owner must not be the default (all-zero) public key"
        )

    code = 6031
    name = "InvalidUserOwner"
    msg = "User owner must not be the default (all-zero) public key"


class NotUpgradeAuthority(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6032,
            "Only the program's upgrade authority can initialize it (an immutable program cannot be initialized)",
        )

    code = 6032
    name = "NotUpgradeAuthority"
    msg = "Only the program's upgrade authority can initialize it (an immutable program cannot be initialized)"


class AlreadyInitialized(ProgramError):
    def __init__(self) -> None:
        super().__init__(6033, "GlobalState already exists: the program is initialized")

    code = 6033
    name = "AlreadyInitialized"
    msg = "GlobalState already exists: the program is initialized"


class ReservationAlreadyExists(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6034, "A Reservation already exists for this (device, client_ip)"
        )

    code = 6034
    name = "ReservationAlreadyExists"
    msg = "A Reservation already exists for this (device, client_ip)"


class DeviceAlreadyExists(ProgramError):
    def __init__(self) -> None:
        super().__init__(6035, "A Device with this code already exists")

    code = 6035
    name = "DeviceAlreadyExists"
    msg = "A Device with this code already exists"


class NotProposedAdmin(ProgramError):
    def __init__(self) -> None:
        super().__init__(6036, "Signer is not the proposed admin")

    code = 6036
    name = "NotProposedAdmin"
    msg = "Signer is not the proposed admin"


class ReservationExpired(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6037,
            "The reservation for this (device, client_ip) has expired: prune it, then create the user on a fresh seat",
        )

    code = 6037
    name = "ReservationExpired"
    msg = "The reservation for this (device, client_ip) has expired: prune it, then create the user on a fresh seat"


class TunnelNetInUse(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6038,
            "Another user of this device already has a tunnel overlapping this one (they would share an address)",
        )

    code = 6038
    name = "TunnelNetInUse"
    msg = "Another user of this device already has a tunnel overlapping this one (they would share an address)"


class TunnelNetNotClaimed(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6039,
            "The user neither holds nor shares the tunnel claim of every /31 of its tunnel: claim them first (claim_tunnel_net)",
        )

    code = 6039
    name = "TunnelNetNotClaimed"
    msg = "The user neither holds nor shares the tunnel claim of every /31 of its tunnel: claim them first (claim_tunnel_net)"


class TunnelClaimMismatch(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6040,
            "Pass a second tunnel claim for a /30 tunnel (its second /31) and none for a /31",
        )

    code = 6040
    name = "TunnelClaimMismatch"
    msg = "Pass a second tunnel claim for a /30 tunnel (its second /31) and none for a /31"


class TunnelNetAlreadyClaimed(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6041,
            "The user already holds or shares the claim of every /31 of its tunnel",
        )

    code = 6041
    name = "TunnelNetAlreadyClaimed"
    msg = "The user already holds or shares the claim of every /31 of its tunnel"


class AdminProposalExpired(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6042, "The admin proposal has expired: the admin must propose again"
        )

    code = 6042
    name = "AdminProposalExpired"
    msg = "The admin proposal has expired: the admin must propose again"


class InvalidUserAccount(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6043, "A BGP report's account is not a writable User of this program"
        )

    code = 6043
    name = "InvalidUserAccount"
    msg = "A BGP report's account is not a writable User of this program"


class BgpReportCountMismatch(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6044,
            "Pass one user account per BGP report, in the same order, and at least one",
        )

    code = 6044
    name = "BgpReportCountMismatch"
    msg = "Pass one user account per BGP report, in the same order, and at least one"


CustomError = typing.Union[
    NotAdmin,
    NotFoundationMember,
    NotReservationAuthority,
    NotActivatorAuthority,
    NotMetricsPublisher,
    FoundationAllowlistFull,
    FoundationKeyAlreadyPresent,
    FoundationKeyNotFound,
    InvalidAuthority,
    InvalidDeviceCode,
    InvalidPublicIp,
    InvalidClientIp,
    InvalidTunnelNet,
    NothingToUpdate,
    DeviceNotActivated,
    ReservationsPaused,
    MaxUsersExceeded,
    UserAlreadyExists,
    DeviceNotEmpty,
    SeatCounterOverflow,
    SeatCounterUnderflow,
    InvalidReservationTtl,
    TimestampOverflow,
    ReservationNeverExpires,
    ReservationNotExpired,
    PayerMismatch,
    ReservationDeviceMismatch,
    UserDeviceMismatch,
    DeviceOwnerMismatch,
    InvalidReservationAccount,
    ReservationPayerMissing,
    InvalidUserOwner,
    NotUpgradeAuthority,
    AlreadyInitialized,
    ReservationAlreadyExists,
    DeviceAlreadyExists,
    NotProposedAdmin,
    ReservationExpired,
    TunnelNetInUse,
    TunnelNetNotClaimed,
    TunnelClaimMismatch,
    TunnelNetAlreadyClaimed,
    AdminProposalExpired,
    InvalidUserAccount,
    BgpReportCountMismatch,
]
CUSTOM_ERROR_MAP: dict[int, CustomError] = {
    6000: NotAdmin(),
    6001: NotFoundationMember(),
    6002: NotReservationAuthority(),
    6003: NotActivatorAuthority(),
    6004: NotMetricsPublisher(),
    6005: FoundationAllowlistFull(),
    6006: FoundationKeyAlreadyPresent(),
    6007: FoundationKeyNotFound(),
    6008: InvalidAuthority(),
    6009: InvalidDeviceCode(),
    6010: InvalidPublicIp(),
    6011: InvalidClientIp(),
    6012: InvalidTunnelNet(),
    6013: NothingToUpdate(),
    6014: DeviceNotActivated(),
    6015: ReservationsPaused(),
    6016: MaxUsersExceeded(),
    6017: UserAlreadyExists(),
    6018: DeviceNotEmpty(),
    6019: SeatCounterOverflow(),
    6020: SeatCounterUnderflow(),
    6021: InvalidReservationTtl(),
    6022: TimestampOverflow(),
    6023: ReservationNeverExpires(),
    6024: ReservationNotExpired(),
    6025: PayerMismatch(),
    6026: ReservationDeviceMismatch(),
    6027: UserDeviceMismatch(),
    6028: DeviceOwnerMismatch(),
    6029: InvalidReservationAccount(),
    6030: ReservationPayerMissing(),
    6031: InvalidUserOwner(),
    6032: NotUpgradeAuthority(),
    6033: AlreadyInitialized(),
    6034: ReservationAlreadyExists(),
    6035: DeviceAlreadyExists(),
    6036: NotProposedAdmin(),
    6037: ReservationExpired(),
    6038: TunnelNetInUse(),
    6039: TunnelNetNotClaimed(),
    6040: TunnelClaimMismatch(),
    6041: TunnelNetAlreadyClaimed(),
    6042: AdminProposalExpired(),
    6043: InvalidUserAccount(),
    6044: BgpReportCountMismatch(),
}


def from_code(code: int) -> typing.Optional[CustomError]:
    maybe_err = CUSTOM_ERROR_MAP.get(code)
    if maybe_err is None:
        return None
    return maybe_err
