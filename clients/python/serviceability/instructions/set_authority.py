from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from .. import types
from ..program_id import PROGRAM_ID


class SetAuthorityArgs(typing.TypedDict):
    update: types.authority_update.AuthorityUpdateKind


layout = borsh.CStruct("update" / types.authority_update.layout)


class SetAuthorityAccounts(typing.TypedDict):
    admin: Pubkey
    global_state: Pubkey


def set_authority(
    args: SetAuthorityArgs,
    accounts: SetAuthorityAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["global_state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\x85\xfa%\x15n\xa3\x1ay"
    encoded_args = layout.build(
        {
            "update": args["update"].to_encodable(),
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
