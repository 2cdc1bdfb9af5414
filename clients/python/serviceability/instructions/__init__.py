from .accept_admin import accept_admin, AcceptAdminAccounts
from .add_foundation_key import (
    add_foundation_key,
    AddFoundationKeyArgs,
    AddFoundationKeyAccounts,
)
from .claim_tunnel_net import claim_tunnel_net, ClaimTunnelNetAccounts
from .close_device import close_device, CloseDeviceAccounts
from .close_reservation import close_reservation, CloseReservationAccounts
from .create_device import create_device, CreateDeviceArgs, CreateDeviceAccounts
from .create_user import create_user, CreateUserArgs, CreateUserAccounts
from .delete_user import delete_user, DeleteUserAccounts
from .initialize import initialize, InitializeAccounts
from .propose_admin import propose_admin, ProposeAdminArgs, ProposeAdminAccounts
from .prune_expired_reservation import (
    prune_expired_reservation,
    PruneExpiredReservationAccounts,
)
from .remove_foundation_key import (
    remove_foundation_key,
    RemoveFoundationKeyArgs,
    RemoveFoundationKeyAccounts,
)
from .report_bgp_sessions import (
    report_bgp_sessions,
    ReportBgpSessionsArgs,
    ReportBgpSessionsAccounts,
)
from .reserve_connection import (
    reserve_connection,
    ReserveConnectionArgs,
    ReserveConnectionAccounts,
)
from .set_authority import set_authority, SetAuthorityArgs, SetAuthorityAccounts
from .set_reservations_paused import (
    set_reservations_paused,
    SetReservationsPausedArgs,
    SetReservationsPausedAccounts,
)
from .set_user_bgp_status import (
    set_user_bgp_status,
    SetUserBgpStatusArgs,
    SetUserBgpStatusAccounts,
)
from .update_device import update_device, UpdateDeviceArgs, UpdateDeviceAccounts
