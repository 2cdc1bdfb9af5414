from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class CloseDeviceAccounts(typing.TypedDict):
    foundation: Pubkey
    global_state: Pubkey
    device: Pubkey
    owner: Pubkey


def close_device(
    accounts: CloseDeviceAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["foundation"], is_signer=True, is_writable=False),
        AccountMeta(
            pubkey=accounts["global_state"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["owner"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\x9cEG\xf2\xce\xcf&\x86"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
