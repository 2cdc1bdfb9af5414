from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from .. import types
from ..program_id import PROGRAM_ID


class UpdateDeviceArgs(typing.TypedDict):
    args: types.update_device_args.UpdateDeviceArgs


layout = borsh.CStruct("args" / types.update_device_args.UpdateDeviceArgs.layout)


class UpdateDeviceAccounts(typing.TypedDict):
    foundation: Pubkey
    global_state: Pubkey
    device: Pubkey


def update_device(
    args: UpdateDeviceArgs,
    accounts: UpdateDeviceAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["foundation"], is_signer=True, is_writable=False),
        AccountMeta(
            pubkey=accounts["global_state"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\x1e\x9a\xa6\xb8\xc8\xd8\xc2J"
    encoded_args = layout.build(
        {
            "args": args["args"].to_encodable(),
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
