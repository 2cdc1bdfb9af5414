from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh
from .. import types
from ..program_id import PROGRAM_ID


class CreateUserArgs(typing.TypedDict):
    client_ip: list[int]
    tunnel_net: types.tunnel_net.TunnelNet
    owner: Pubkey


layout = borsh.CStruct(
    "client_ip" / borsh.U8[4],
    "tunnel_net" / types.tunnel_net.TunnelNet.layout,
    "owner" / BorshPubkey,
)


class CreateUserAccounts(typing.TypedDict):
    authority: Pubkey
    global_state: Pubkey
    device: Pubkey
    user: Pubkey
    tunnel_claim: Pubkey
    second_tunnel_claim: typing.Optional[Pubkey]
    reservation: Pubkey
    reservation_payer: typing.Optional[Pubkey]


def create_user(
    args: CreateUserArgs,
    accounts: CreateUserAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["authority"], is_signer=True, is_writable=True),
        AccountMeta(
            pubkey=accounts["global_state"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["user"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["tunnel_claim"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["second_tunnel_claim"], is_signer=False, is_writable=True
        )
        if accounts["second_tunnel_claim"]
        else AccountMeta(pubkey=program_id, is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["reservation"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["reservation_payer"], is_signer=False, is_writable=True
        )
        if accounts["reservation_payer"]
        else AccountMeta(pubkey=program_id, is_signer=False, is_writable=False),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"l\xe3\x82\x82\xfcmK\xda"
    encoded_args = layout.build(
        {
            "client_ip": args["client_ip"],
            "tunnel_net": args["tunnel_net"].to_encodable(),
            "owner": args["owner"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
