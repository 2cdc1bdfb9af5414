from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from .. import types
from ..program_id import PROGRAM_ID


class CreateDeviceArgs(typing.TypedDict):
    args: types.create_device_args.CreateDeviceArgs


layout = borsh.CStruct("args" / types.create_device_args.CreateDeviceArgs.layout)


class CreateDeviceAccounts(typing.TypedDict):
    foundation: Pubkey
    global_state: Pubkey
    device: Pubkey


def create_device(
    args: CreateDeviceArgs,
    accounts: CreateDeviceAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["foundation"], is_signer=True, is_writable=True),
        AccountMeta(
            pubkey=accounts["global_state"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"8e\x05\xb1\x19qP\xae"
    encoded_args = layout.build(
        {
            "args": args["args"].to_encodable(),
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
