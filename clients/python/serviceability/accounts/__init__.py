from .admin_proposal import AdminProposal, AdminProposalJSON
from .device import Device, DeviceJSON
from .global_state import GlobalState, GlobalStateJSON
from .reservation import Reservation, ReservationJSON
from .tunnel_claim import TunnelClaim, TunnelClaimJSON
from .user import User, UserJSON
