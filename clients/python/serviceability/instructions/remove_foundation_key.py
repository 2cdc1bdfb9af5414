from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class RemoveFoundationKeyArgs(typing.TypedDict):
    key: Pubkey


layout = borsh.CStruct("key" / BorshPubkey)


class RemoveFoundationKeyAccounts(typing.TypedDict):
    admin: Pubkey
    global_state: Pubkey


def remove_foundation_key(
    args: RemoveFoundationKeyArgs,
    accounts: RemoveFoundationKeyAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["global_state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\xd1\xd4\x15i\x0e\x82\x1b\x11"
    encoded_args = layout.build(
        {
            "key": args["key"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
