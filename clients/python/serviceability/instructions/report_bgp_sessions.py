from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
from construct import Construct
import borsh_construct as borsh
from .. import types
from ..program_id import PROGRAM_ID


class ReportBgpSessionsArgs(typing.TypedDict):
    reports: list[types.bgp_report.BgpReport]


layout = borsh.CStruct(
    "reports" / borsh.Vec(typing.cast(Construct, types.bgp_report.BgpReport.layout))
)


class ReportBgpSessionsAccounts(typing.TypedDict):
    metrics_publisher: Pubkey
    device: Pubkey


def report_bgp_sessions(
    args: ReportBgpSessionsArgs,
    accounts: ReportBgpSessionsAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(
            pubkey=accounts["metrics_publisher"], is_signer=True, is_writable=True
        ),
        AccountMeta(pubkey=accounts["device"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\xe6Y\xa3=\xc9\xbc\xee\xaf"
    encoded_args = layout.build(
        {
            "reports": list(map(lambda item: item.to_encodable(), args["reports"])),
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
