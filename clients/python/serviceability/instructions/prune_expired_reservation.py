from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class PruneExpiredReservationAccounts(typing.TypedDict):
    device: Pubkey
    reservation: Pubkey
    payer: Pubkey


def prune_expired_reservation(
    accounts: PruneExpiredReservationAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["reservation"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["payer"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\xdc\xf4*\xa3\x82w\xea\x19"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
