from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class DeleteUserAccounts(typing.TypedDict):
    authority: Pubkey
    global_state: Pubkey
    device: Pubkey
    user: Pubkey
    tunnel_claim: Pubkey
    second_tunnel_claim: typing.Optional[Pubkey]
    payer: Pubkey


def delete_user(
    accounts: DeleteUserAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["authority"], is_signer=True, is_writable=False),
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
        AccountMeta(pubkey=accounts["payer"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\xbaU\x11\xf9\xdb\xe7b\xfb"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
