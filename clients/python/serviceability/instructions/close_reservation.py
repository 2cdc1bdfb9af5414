from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class CloseReservationAccounts(typing.TypedDict):
    authority: Pubkey
    global_state: Pubkey
    device: Pubkey
    reservation: Pubkey
    payer: Pubkey


def close_reservation(
    accounts: CloseReservationAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["authority"], is_signer=True, is_writable=False),
        AccountMeta(
            pubkey=accounts["global_state"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["reservation"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["payer"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\xab`\x08Ud\xfc\xad\xcc"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
