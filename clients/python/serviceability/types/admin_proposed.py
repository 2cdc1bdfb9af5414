from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class AdminProposedJSON(typing.TypedDict):
    admin: str
    proposed_admin: typing.Optional[str]
    expires_at: int


@dataclass
class AdminProposed:
    layout: typing.ClassVar = borsh.CStruct(
        "admin" / BorshPubkey,
        "proposed_admin" / borsh.Option(BorshPubkey),
        "expires_at" / borsh.I64,
    )
    admin: Pubkey
    proposed_admin: typing.Optional[Pubkey]
    expires_at: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "AdminProposed":
        return cls(
            admin=obj.admin,
            proposed_admin=obj.proposed_admin,
            expires_at=obj.expires_at,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "admin": self.admin,
            "proposed_admin": self.proposed_admin,
            "expires_at": self.expires_at,
        }

    def to_json(self) -> AdminProposedJSON:
        return {
            "admin": str(self.admin),
            "proposed_admin": (
                None if self.proposed_admin is None else str(self.proposed_admin)
            ),
            "expires_at": self.expires_at,
        }

    @classmethod
    def from_json(cls, obj: AdminProposedJSON) -> "AdminProposed":
        return cls(
            admin=Pubkey.from_string(obj["admin"]),
            proposed_admin=(
                None
                if obj["proposed_admin"] is None
                else Pubkey.from_string(obj["proposed_admin"])
            ),
            expires_at=obj["expires_at"],
        )
