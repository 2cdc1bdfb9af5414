"""Every account type decoded by the generated client from the shared layout fixtures
(tests/fixtures/*.bin, which the Rust, TypeScript and program tests read too), every User layout
included, and compared field by field with its JSON twin."""

from __future__ import annotations

import json

import pytest
from anchorpy.error import AccountInvalidDiscriminator

from serviceability.accounts import AdminProposal, Device, GlobalState, Reservation, TunnelClaim, User
from serviceability_extras import decode_user

from conftest import REPOSITORY

FIXTURES = REPOSITORY / "tests" / "fixtures"
DECODERS = {
    "GlobalState": GlobalState.decode,
    "Device": Device.decode,
    "Reservation": Reservation.decode,
    "User": decode_user,
    "TunnelClaim": TunnelClaim.decode,
    "AdminProposal": AdminProposal.decode,
}
NAMES = ["global_state", "device", "reservation", "user", "user_legacy", "user_bgp_v1", "tunnel_claim", "admin_proposal"]


def normalized(value):
    """The twins' conventions: 64-bit integers as strings, enums by name. The generated
    ``to_json`` writes integers as numbers and an enum as ``{"kind": name}``."""
    if isinstance(value, dict):
        if set(value) == {"kind"}:
            return value["kind"]
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalized(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


@pytest.mark.parametrize("name", NAMES)
def test_the_fixture_decodes_to_its_json_twin(name):
    data = (FIXTURES / f"{name}.bin").read_bytes()
    twin = json.loads((FIXTURES / f"{name}.json").read_text())
    assert len(data) == twin["data_len"]
    decoded = DECODERS[twin["account"]](data)
    assert data[:8] == type(decoded).discriminator
    assert normalized(decoded.to_json()) == normalized(twin["fields"])


@pytest.mark.parametrize("name", ["user_legacy", "user_bgp_v1"])
def test_an_older_user_is_too_short_for_the_generated_decoder_and_reads_through_the_extras(name):
    data = (FIXTURES / f"{name}.bin").read_bytes()
    with pytest.raises(Exception) as refused:
        User.decode(data)
    assert not isinstance(refused.value, AccountInvalidDiscriminator)
    user = decode_user(data)
    assert (user.bgp_rtt_ns, user.bgp_flaps, user.bgp_up_secs, user.last_bgp_down_at) == (0, 0, 0, 0)
