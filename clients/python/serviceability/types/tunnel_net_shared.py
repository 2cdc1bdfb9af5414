from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class TunnelNetSharedJSON(typing.TypedDict):
    device: str
    user: str
    holder: str
    tunnel_network: list[int]


@dataclass
class TunnelNetShared:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "user" / BorshPubkey,
        "holder" / BorshPubkey,
        "tunnel_network" / borsh.U8[4],
    )
    device: Pubkey
    user: Pubkey
    holder: Pubkey
    tunnel_network: list[int]

    @classmethod
    def from_decoded(cls, obj: Container) -> "TunnelNetShared":
        return cls(
            device=obj.device,
            user=obj.user,
            holder=obj.holder,
            tunnel_network=obj.tunnel_network,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "user": self.user,
            "holder": self.holder,
            "tunnel_network": self.tunnel_network,
        }

    def to_json(self) -> TunnelNetSharedJSON:
        return {
            "device": str(self.device),
            "user": str(self.user),
            "holder": str(self.holder),
            "tunnel_network": self.tunnel_network,
        }

    @classmethod
    def from_json(cls, obj: TunnelNetSharedJSON) -> "TunnelNetShared":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            user=Pubkey.from_string(obj["user"]),
            holder=Pubkey.from_string(obj["holder"]),
            tunnel_network=obj["tunnel_network"],
        )
