from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class ClaimTunnelNetAccounts(typing.TypedDict):
    authority: Pubkey
    global_state: Pubkey
    user: Pubkey
    tunnel_claim: Pubkey
    second_tunnel_claim: typing.Optional[Pubkey]


def claim_tunnel_net(
    accounts: ClaimTunnelNetAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["authority"], is_signer=True, is_writable=True),
        AccountMeta(
            pubkey=accounts["global_state"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["user"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["tunnel_claim"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["second_tunnel_claim"], is_signer=False, is_writable=True
        )
        if accounts["second_tunnel_claim"]
        else AccountMeta(pubkey=program_id, is_signer=False, is_writable=False),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\n\xfa\xf2\x13Qk\x90\xdb"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
