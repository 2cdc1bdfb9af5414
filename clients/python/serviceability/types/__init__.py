import typing
from . import admin_proposal
from .admin_proposal import AdminProposal, AdminProposalJSON
from . import admin_proposed
from .admin_proposed import AdminProposed, AdminProposedJSON
from . import authority_changed
from .authority_changed import AuthorityChanged, AuthorityChangedJSON
from . import authority_kind
from .authority_kind import AuthorityKindKind, AuthorityKindJSON
from . import authority_update
from .authority_update import AuthorityUpdateKind, AuthorityUpdateJSON
from . import bgp_report
from .bgp_report import BgpReport, BgpReportJSON
from . import bgp_status
from .bgp_status import BgpStatusKind, BgpStatusJSON
from . import bgp_status_changed
from .bgp_status_changed import BgpStatusChanged, BgpStatusChangedJSON
from . import create_device_args
from .create_device_args import CreateDeviceArgs, CreateDeviceArgsJSON
from . import device
from .device import Device, DeviceJSON
from . import device_closed
from .device_closed import DeviceClosed, DeviceClosedJSON
from . import device_created
from .device_created import DeviceCreated, DeviceCreatedJSON
from . import device_status
from .device_status import DeviceStatusKind, DeviceStatusJSON
from . import device_updated
from .device_updated import DeviceUpdated, DeviceUpdatedJSON
from . import foundation_allowlist_changed
from .foundation_allowlist_changed import (
    FoundationAllowlistChanged,
    FoundationAllowlistChangedJSON,
)
from . import global_state
from .global_state import GlobalState, GlobalStateJSON
from . import global_state_initialized
from .global_state_initialized import GlobalStateInitialized, GlobalStateInitializedJSON
from . import reservation
from .reservation import Reservation, ReservationJSON
from . import reservation_close_reason
from .reservation_close_reason import (
    ReservationCloseReasonKind,
    ReservationCloseReasonJSON,
)
from . import reservation_closed
from .reservation_closed import ReservationClosed, ReservationClosedJSON
from . import reservation_created
from .reservation_created import ReservationCreated, ReservationCreatedJSON
from . import reservations_pause_changed
from .reservations_pause_changed import (
    ReservationsPauseChanged,
    ReservationsPauseChangedJSON,
)
from . import tunnel_claim
from .tunnel_claim import TunnelClaim, TunnelClaimJSON
from . import tunnel_claim_handed_over
from .tunnel_claim_handed_over import TunnelClaimHandedOver, TunnelClaimHandedOverJSON
from . import tunnel_net
from .tunnel_net import TunnelNet, TunnelNetJSON
from . import tunnel_net_claimed
from .tunnel_net_claimed import TunnelNetClaimed, TunnelNetClaimedJSON
from . import tunnel_net_shared
from .tunnel_net_shared import TunnelNetShared, TunnelNetSharedJSON
from . import update_device_args
from .update_device_args import UpdateDeviceArgs, UpdateDeviceArgsJSON
from . import user
from .user import User, UserJSON
from . import user_created
from .user_created import UserCreated, UserCreatedJSON
from . import user_deleted
from .user_deleted import UserDeleted, UserDeletedJSON
from . import user_status
from .user_status import UserStatusKind, UserStatusJSON
