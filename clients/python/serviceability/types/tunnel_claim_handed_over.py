from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class TunnelClaimHandedOverJSON(typing.TypedDict):
    device: str
    previous: str
    holder: str
    tunnel_network: list[int]


@dataclass
class TunnelClaimHandedOver:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "previous" / BorshPubkey,
        "holder" / BorshPubkey,
        "tunnel_network" / borsh.U8[4],
    )
    device: Pubkey
    previous: Pubkey
    holder: Pubkey
    tunnel_network: list[int]

    @classmethod
    def from_decoded(cls, obj: Container) -> "TunnelClaimHandedOver":
        return cls(
            device=obj.device,
            previous=obj.previous,
            holder=obj.holder,
            tunnel_network=obj.tunnel_network,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "previous": self.previous,
            "holder": self.holder,
            "tunnel_network": self.tunnel_network,
        }

    def to_json(self) -> TunnelClaimHandedOverJSON:
        return {
            "device": str(self.device),
            "previous": str(self.previous),
            "holder": str(self.holder),
            "tunnel_network": self.tunnel_network,
        }

    @classmethod
    def from_json(cls, obj: TunnelClaimHandedOverJSON) -> "TunnelClaimHandedOver":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            previous=Pubkey.from_string(obj["previous"]),
            holder=Pubkey.from_string(obj["holder"]),
            tunnel_network=obj["tunnel_network"],
        )
