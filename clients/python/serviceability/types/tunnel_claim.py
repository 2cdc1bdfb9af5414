from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container, Construct
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class TunnelClaimJSON(typing.TypedDict):
    user: str
    bump: int
    sharers: list[str]


@dataclass
class TunnelClaim:
    layout: typing.ClassVar = borsh.CStruct(
        "user" / BorshPubkey,
        "bump" / borsh.U8,
        "sharers" / borsh.Vec(typing.cast(Construct, BorshPubkey)),
    )
    user: Pubkey
    bump: int
    sharers: list[Pubkey]

    @classmethod
    def from_decoded(cls, obj: Container) -> "TunnelClaim":
        return cls(user=obj.user, bump=obj.bump, sharers=obj.sharers)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"user": self.user, "bump": self.bump, "sharers": self.sharers}

    def to_json(self) -> TunnelClaimJSON:
        return {
            "user": str(self.user),
            "bump": self.bump,
            "sharers": list(map(lambda item: str(item), self.sharers)),
        }

    @classmethod
    def from_json(cls, obj: TunnelClaimJSON) -> "TunnelClaim":
        return cls(
            user=Pubkey.from_string(obj["user"]),
            bump=obj["bump"],
            sharers=list(map(lambda item: Pubkey.from_string(item), obj["sharers"])),
        )
