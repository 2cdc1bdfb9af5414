from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class TunnelNetClaimedJSON(typing.TypedDict):
    device: str
    user: str
    tunnel_network: list[int]


@dataclass
class TunnelNetClaimed:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey, "user" / BorshPubkey, "tunnel_network" / borsh.U8[4]
    )
    device: Pubkey
    user: Pubkey
    tunnel_network: list[int]

    @classmethod
    def from_decoded(cls, obj: Container) -> "TunnelNetClaimed":
        return cls(device=obj.device, user=obj.user, tunnel_network=obj.tunnel_network)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "user": self.user,
            "tunnel_network": self.tunnel_network,
        }

    def to_json(self) -> TunnelNetClaimedJSON:
        return {
            "device": str(self.device),
            "user": str(self.user),
            "tunnel_network": self.tunnel_network,
        }

    @classmethod
    def from_json(cls, obj: TunnelNetClaimedJSON) -> "TunnelNetClaimed":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            user=Pubkey.from_string(obj["user"]),
            tunnel_network=obj["tunnel_network"],
        )
