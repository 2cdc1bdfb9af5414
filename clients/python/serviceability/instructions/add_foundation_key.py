from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class AddFoundationKeyArgs(typing.TypedDict):
    key: Pubkey


layout = borsh.CStruct("key" / BorshPubkey)


class AddFoundationKeyAccounts(typing.TypedDict):
    admin: Pubkey
    global_state: Pubkey


def add_foundation_key(
    args: AddFoundationKeyArgs,
    accounts: AddFoundationKeyAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["global_state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"Y\x06_\x88\x9a\xcc\x08\x98"
    encoded_args = layout.build(
        {
            "key": args["key"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
