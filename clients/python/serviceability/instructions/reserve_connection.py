from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class ReserveConnectionArgs(typing.TypedDict):
    client_ip: list[int]
    ttl_secs: typing.Optional[int]


layout = borsh.CStruct("client_ip" / borsh.U8[4], "ttl_secs" / borsh.Option(borsh.U32))


class ReserveConnectionAccounts(typing.TypedDict):
    authority: Pubkey
    global_state: Pubkey
    device: Pubkey
    reservation: Pubkey
    user: Pubkey


def reserve_connection(
    args: ReserveConnectionArgs,
    accounts: ReserveConnectionAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["authority"], is_signer=True, is_writable=True),
        AccountMeta(
            pubkey=accounts["global_state"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["reservation"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["user"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\x15\xbd74\xb2\xa2Y\\"
    encoded_args = layout.build(
        {
            "client_ip": args["client_ip"],
            "ttl_secs": args["ttl_secs"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
