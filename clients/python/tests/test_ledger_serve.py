"""The generated client against ``serviceability ledger serve`` through solana-py: a reservation
built with the generated ``reserve_connection``, read back with the generated ``fetch``, listed
with a ``memcmp`` filter, its event decoded from the transaction's logs, a refusal named by the
generated errors; then the reservation becomes a user with the generated ``create_user``."""

from __future__ import annotations

import asyncio

import based58
import pytest
from solana.rpc.async_api import AsyncClient
from solana.rpc.core import RPCException
from solana.rpc.types import MemcmpOpts
from solders.keypair import Keypair
from solders.transaction import Transaction

from serviceability import errors
from serviceability.accounts import Device, Reservation, User
from serviceability.instructions import create_user, reserve_connection
from serviceability.program_id import PROGRAM_ID
from serviceability.types.tunnel_net import TunnelNet
from serviceability_extras import (
    events_from_logs,
    pda_device,
    pda_global_state,
    pda_reservation,
    pda_tunnel_claim,
    pda_user,
)

from conftest import CODE

CLIENT_IP = "100.64.0.9"
IP_BYTES = [100, 64, 0, 9]


def send(served, instruction, payer: Keypair):
    """Signs, sends and confirms ``instruction``; returns the signature."""
    client = served.client
    blockhash = client.get_latest_blockhash().value.blockhash
    transaction = Transaction.new_signed_with_payer([instruction], payer.pubkey(), [payer], blockhash)
    signature = client.send_transaction(transaction).value
    client.confirm_transaction(signature, sleep_seconds=0.05)
    return signature


def logs_of(served, signature) -> list[str]:
    transaction = served.client.get_transaction(signature, max_supported_transaction_version=0).value
    return transaction.transaction.meta.log_messages


def fetched(account_type, served, address):
    """The generated (async) ``fetch`` of ``address``."""

    async def fetch():
        async with AsyncClient(served.url, timeout=10) as connection:
            return await account_type.fetch(connection, address)

    return asyncio.run(fetch())


def reserve(authority: Keypair, ttl_secs):
    device = pda_device(CODE)
    return reserve_connection(
        {"client_ip": IP_BYTES, "ttl_secs": ttl_secs},
        {
            "authority": authority.pubkey(),
            "global_state": pda_global_state(),
            "device": device,
            "reservation": pda_reservation(device, CLIENT_IP),
            "user": pda_user(device, CLIENT_IP),
        },
    )


def test_reserve_list_events_refusal_then_a_user(served):
    authority = served.roles["authority"].keypair
    admin = served.roles["admin"].keypair
    # The reservation authority pays the rent: the local faucet funds it.
    served.client.request_airdrop(authority.pubkey(), 1_000_000_000)
    device = pda_device(CODE)
    address = pda_reservation(device, CLIENT_IP)

    signature = send(served, reserve(authority, 3600), authority)
    reservation = fetched(Reservation, served, address)
    assert reservation.device == device
    assert reservation.client_ip == IP_BYTES
    assert reservation.payer == authority.pubkey()
    assert reservation.expires_at - reservation.reserved_at == 3600

    events = events_from_logs(logs_of(served, signature))
    assert [event.name for event in events] == ["ReservationCreated"]
    assert events[0].data.device == device

    # The same seat again (another TTL, so another transaction): the generated errors name it.
    with pytest.raises(RPCException) as refused:
        send(served, reserve(authority, 60), authority)
    assert isinstance(errors.from_tx_error(refused.value), errors.custom.ReservationAlreadyExists)

    # The device's reservations: a memcmp on the discriminator and one on the device (offset 8).
    listed = served.client.get_program_accounts(
        PROGRAM_ID,
        encoding="base64",
        filters=[
            MemcmpOpts(offset=0, bytes=based58.b58encode(Reservation.discriminator).decode()),
            MemcmpOpts(offset=8, bytes=str(device)),
        ],
    ).value
    assert [account.pubkey for account in listed] == [address]
    assert Reservation.decode(listed[0].account.data) == reservation

    # The admin is the activator: the reservation becomes a user (a /31 tunnel, one claim).
    owner = served.roles["publisher"].keypair.pubkey()
    instruction = create_user(
        {
            "client_ip": IP_BYTES,
            "tunnel_net": TunnelNet(network=[169, 254, 0, 16], prefix_len=31),
            "owner": owner,
        },
        {
            "authority": admin.pubkey(),
            "global_state": pda_global_state(),
            "device": device,
            "user": pda_user(device, CLIENT_IP),
            "tunnel_claim": pda_tunnel_claim(device, "169.254.0.16"),
            "second_tunnel_claim": None,
            "reservation": address,
            "reservation_payer": authority.pubkey(),
        },
    )
    created = send(served, instruction, admin)
    user = fetched(User, served, pda_user(device, CLIENT_IP))
    assert (user.device, user.client_ip, user.owner) == (device, IP_BYTES, owner)
    assert user.status.to_json() == {"kind": "Activated"}
    assert user.bgp_status.to_json() == {"kind": "Unknown"}
    assert fetched(Reservation, served, address) is None, "the reservation was consumed"
    state = fetched(Device, served, device)
    assert (state.users_count, state.reserved_seats) == (1, 0)
    assert "UserCreated" in [event.name for event in events_from_logs(logs_of(served, created))]
