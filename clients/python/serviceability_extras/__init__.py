"""What anchorpy's client-gen does not generate for the serviceability program, by hand.

- PDAs (``pda_*``): client-gen writes no PDA helpers; the seeds are the IDL's constants.
- Older User layouts (``decode_user``): the generated decoder reads the current layout only.
- Events (``events_from_logs``): client-gen generates no event types; anchorpy's own coder,
  built from the IDL, decodes them from a transaction's ``Program data:`` log lines.
"""

from __future__ import annotations

import functools
import ipaddress
import json
from pathlib import Path

from anchorpy.coder.coder import Coder
from anchorpy.idl_adapter import Idl
from anchorpy.program.common import Event
from anchorpy.program.event import EventParser
from solders.pubkey import Pubkey

from serviceability.accounts.user import User
from serviceability.program_id import PROGRAM_ID

IDL_PATH = Path(__file__).resolve().parents[3] / "idl" / "serviceability.json"
"""The committed IDL the client was generated from."""

IDL_TEXT = IDL_PATH.read_text()
IDL = json.loads(IDL_TEXT)
CONSTANTS = {constant["name"]: constant for constant in IDL["constants"]}


def _bytes_constant(name: str) -> bytes:
    return bytes(json.loads(CONSTANTS[name]["value"]))


def _u16_constant(name: str) -> int:
    return int(CONSTANTS[name]["value"])


def _find(*seeds: bytes) -> Pubkey:
    return Pubkey.find_program_address(list(seeds), PROGRAM_ID)[0]


def _ip(ip: str) -> bytes:
    return ipaddress.IPv4Address(ip).packed


def pda_global_state() -> Pubkey:
    """GlobalState: ``["globalstate"]``."""
    return _find(_bytes_constant("GLOBAL_STATE_SEED"))


def pda_device(code: str) -> Pubkey:
    """The device with ``code``: ``["device", code]``."""
    return _find(_bytes_constant("DEVICE_SEED"), code.encode())


def pda_reservation(device: Pubkey, client_ip: str) -> Pubkey:
    """The reservation of ``client_ip`` on ``device``."""
    return _find(_bytes_constant("RESERVATION_SEED"), bytes(device), _ip(client_ip))


def pda_user(device: Pubkey, client_ip: str) -> Pubkey:
    """The user ``client_ip`` on ``device``."""
    return _find(_bytes_constant("USER_SEED"), bytes(device), _ip(client_ip))


def pda_tunnel_claim(device: Pubkey, network: str) -> Pubkey:
    """The claim on the /31 at ``network`` on ``device``."""
    return _find(_bytes_constant("TUNNEL_CLAIM_SEED"), bytes(device), _ip(network))


def decode_user(data: bytes) -> User:
    """A User in any of its layouts (123, 140 or 168 bytes): the older ones read with the
    missing trailing fields zero (BGP status Unknown; timestamps, RTT, flaps, up-time 0), as the
    program reads them."""
    older = (_u16_constant("USER_LEGACY_ACCOUNT_LEN"), _u16_constant("USER_BGP_V1_ACCOUNT_LEN"))
    if len(data) in older:
        data = bytes(data) + bytes(_u16_constant("USER_ACCOUNT_LEN") - len(data))
    return User.decode(data)


@functools.cache
def _event_parser() -> EventParser:
    return EventParser(PROGRAM_ID, Coder(Idl.from_json(IDL_TEXT)))


def events_from_logs(logs: list[str]) -> list[Event]:
    """The program's events in a transaction's logs, in order (``Event(name, data)``)."""
    events: list[Event] = []
    _event_parser().parse_logs(logs, events.append)
    return events
