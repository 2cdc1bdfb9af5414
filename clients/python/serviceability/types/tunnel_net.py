from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class TunnelNetJSON(typing.TypedDict):
    network: list[int]
    prefix_len: int


@dataclass
class TunnelNet:
    layout: typing.ClassVar = borsh.CStruct(
        "network" / borsh.U8[4], "prefix_len" / borsh.U8
    )
    network: list[int]
    prefix_len: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "TunnelNet":
        return cls(network=obj.network, prefix_len=obj.prefix_len)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"network": self.network, "prefix_len": self.prefix_len}

    def to_json(self) -> TunnelNetJSON:
        return {"network": self.network, "prefix_len": self.prefix_len}

    @classmethod
    def from_json(cls, obj: TunnelNetJSON) -> "TunnelNet":
        return cls(network=obj["network"], prefix_len=obj["prefix_len"])
