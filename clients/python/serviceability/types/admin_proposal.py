from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class AdminProposalJSON(typing.TypedDict):
    proposed_admin: str
    proposed_at: int
    bump: int


@dataclass
class AdminProposal:
    layout: typing.ClassVar = borsh.CStruct(
        "proposed_admin" / BorshPubkey, "proposed_at" / borsh.I64, "bump" / borsh.U8
    )
    proposed_admin: Pubkey
    proposed_at: int
    bump: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "AdminProposal":
        return cls(
            proposed_admin=obj.proposed_admin,
            proposed_at=obj.proposed_at,
            bump=obj.bump,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "proposed_admin": self.proposed_admin,
            "proposed_at": self.proposed_at,
            "bump": self.bump,
        }

    def to_json(self) -> AdminProposalJSON:
        return {
            "proposed_admin": str(self.proposed_admin),
            "proposed_at": self.proposed_at,
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: AdminProposalJSON) -> "AdminProposal":
        return cls(
            proposed_admin=Pubkey.from_string(obj["proposed_admin"]),
            proposed_at=obj["proposed_at"],
            bump=obj["bump"],
        )
