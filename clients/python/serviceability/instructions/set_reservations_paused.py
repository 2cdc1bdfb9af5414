from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class SetReservationsPausedArgs(typing.TypedDict):
    paused: bool


layout = borsh.CStruct("paused" / borsh.Bool)


class SetReservationsPausedAccounts(typing.TypedDict):
    admin: Pubkey
    global_state: Pubkey


def set_reservations_paused(
    args: SetReservationsPausedArgs,
    accounts: SetReservationsPausedAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["global_state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"w\xd4\xe5K\xe1\x14\xacU"
    encoded_args = layout.build(
        {
            "paused": args["paused"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
