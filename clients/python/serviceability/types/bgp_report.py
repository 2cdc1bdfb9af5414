from __future__ import annotations
from . import (
    bgp_status,
)
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class BgpReportJSON(typing.TypedDict):
    status: bgp_status.BgpStatusJSON
    rtt_ns: int


@dataclass
class BgpReport:
    layout: typing.ClassVar = borsh.CStruct(
        "status" / bgp_status.layout, "rtt_ns" / borsh.U64
    )
    status: bgp_status.BgpStatusKind
    rtt_ns: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "BgpReport":
        return cls(status=bgp_status.from_decoded(obj.status), rtt_ns=obj.rtt_ns)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"status": self.status.to_encodable(), "rtt_ns": self.rtt_ns}

    def to_json(self) -> BgpReportJSON:
        return {"status": self.status.to_json(), "rtt_ns": self.rtt_ns}

    @classmethod
    def from_json(cls, obj: BgpReportJSON) -> "BgpReport":
        return cls(status=bgp_status.from_json(obj["status"]), rtt_ns=obj["rtt_ns"])
