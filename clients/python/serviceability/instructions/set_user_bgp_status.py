from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from .. import types
from ..program_id import PROGRAM_ID


class SetUserBgpStatusArgs(typing.TypedDict):
    status: types.bgp_status.BgpStatusKind


layout = borsh.CStruct("status" / types.bgp_status.layout)


class SetUserBgpStatusAccounts(typing.TypedDict):
    metrics_publisher: Pubkey
    device: Pubkey
    user: Pubkey


def set_user_bgp_status(
    args: SetUserBgpStatusArgs,
    accounts: SetUserBgpStatusAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(
            pubkey=accounts["metrics_publisher"], is_signer=True, is_writable=True
        ),
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["user"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\x94d\x881\x87\xe9\x17a"
    encoded_args = layout.build(
        {
            "status": args["status"].to_encodable(),
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
