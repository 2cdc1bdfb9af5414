from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class ProposeAdminArgs(typing.TypedDict):
    proposed_admin: typing.Optional[Pubkey]


layout = borsh.CStruct("proposed_admin" / borsh.Option(BorshPubkey))


class ProposeAdminAccounts(typing.TypedDict):
    admin: Pubkey
    global_state: Pubkey
    admin_proposal: Pubkey


def propose_admin(
    args: ProposeAdminArgs,
    accounts: ProposeAdminAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=True),
        AccountMeta(
            pubkey=accounts["global_state"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["admin_proposal"], is_signer=False, is_writable=True
        ),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"y\xd6\xc7\xd4W'u\xea"
    encoded_args = layout.build(
        {
            "proposed_admin": args["proposed_admin"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
