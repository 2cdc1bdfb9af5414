from __future__ import annotations
from . import (
    bgp_status,
)
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class BgpStatusChangedJSON(typing.TypedDict):
    device: str
    user: str
    previous: bgp_status.BgpStatusJSON
    status: bgp_status.BgpStatusJSON
    reported_at: int
    last_bgp_up_at: int
    bgp_rtt_ns: int
    bgp_flaps: int
    bgp_up_secs: int


@dataclass
class BgpStatusChanged:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "user" / BorshPubkey,
        "previous" / bgp_status.layout,
        "status" / bgp_status.layout,
        "reported_at" / borsh.I64,
        "last_bgp_up_at" / borsh.I64,
        "bgp_rtt_ns" / borsh.U64,
        "bgp_flaps" / borsh.U32,
        "bgp_up_secs" / borsh.U64,
    )
    device: Pubkey
    user: Pubkey
    previous: bgp_status.BgpStatusKind
    status: bgp_status.BgpStatusKind
    reported_at: int
    last_bgp_up_at: int
    bgp_rtt_ns: int
    bgp_flaps: int
    bgp_up_secs: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "BgpStatusChanged":
        return cls(
            device=obj.device,
            user=obj.user,
            previous=bgp_status.from_decoded(obj.previous),
            status=bgp_status.from_decoded(obj.status),
            reported_at=obj.reported_at,
            last_bgp_up_at=obj.last_bgp_up_at,
            bgp_rtt_ns=obj.bgp_rtt_ns,
            bgp_flaps=obj.bgp_flaps,
            bgp_up_secs=obj.bgp_up_secs,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "user": self.user,
            "previous": self.previous.to_encodable(),
            "status": self.status.to_encodable(),
            "reported_at": self.reported_at,
            "last_bgp_up_at": self.last_bgp_up_at,
            "bgp_rtt_ns": self.bgp_rtt_ns,
            "bgp_flaps": self.bgp_flaps,
            "bgp_up_secs": self.bgp_up_secs,
        }

    def to_json(self) -> BgpStatusChangedJSON:
        return {
            "device": str(self.device),
            "user": str(self.user),
            "previous": self.previous.to_json(),
            "status": self.status.to_json(),
            "reported_at": self.reported_at,
            "last_bgp_up_at": self.last_bgp_up_at,
            "bgp_rtt_ns": self.bgp_rtt_ns,
            "bgp_flaps": self.bgp_flaps,
            "bgp_up_secs": self.bgp_up_secs,
        }

    @classmethod
    def from_json(cls, obj: BgpStatusChangedJSON) -> "BgpStatusChanged":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            user=Pubkey.from_string(obj["user"]),
            previous=bgp_status.from_json(obj["previous"]),
            status=bgp_status.from_json(obj["status"]),
            reported_at=obj["reported_at"],
            last_bgp_up_at=obj["last_bgp_up_at"],
            bgp_rtt_ns=obj["bgp_rtt_ns"],
            bgp_flaps=obj["bgp_flaps"],
            bgp_up_secs=obj["bgp_up_secs"],
        )
