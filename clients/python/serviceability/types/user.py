from __future__ import annotations
from . import (
    bgp_status,
    tunnel_net,
    user_status,
)
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class UserJSON(typing.TypedDict):
    owner: str
    device: str
    client_ip: list[int]
    tunnel_net: tunnel_net.TunnelNetJSON
    status: user_status.UserStatusJSON
    created_at: int
    payer: str
    bump: int
    bgp_status: bgp_status.BgpStatusJSON
    last_bgp_up_at: int
    last_bgp_reported_at: int
    bgp_rtt_ns: int
    bgp_flaps: int
    bgp_up_secs: int
    last_bgp_down_at: int


@dataclass
class User:
    layout: typing.ClassVar = borsh.CStruct(
        "owner" / BorshPubkey,
        "device" / BorshPubkey,
        "client_ip" / borsh.U8[4],
        "tunnel_net" / tunnel_net.TunnelNet.layout,
        "status" / user_status.layout,
        "created_at" / borsh.I64,
        "payer" / BorshPubkey,
        "bump" / borsh.U8,
        "bgp_status" / bgp_status.layout,
        "last_bgp_up_at" / borsh.I64,
        "last_bgp_reported_at" / borsh.I64,
        "bgp_rtt_ns" / borsh.U64,
        "bgp_flaps" / borsh.U32,
        "bgp_up_secs" / borsh.U64,
        "last_bgp_down_at" / borsh.I64,
    )
    owner: Pubkey
    device: Pubkey
    client_ip: list[int]
    tunnel_net: tunnel_net.TunnelNet
    status: user_status.UserStatusKind
    created_at: int
    payer: Pubkey
    bump: int
    bgp_status: bgp_status.BgpStatusKind
    last_bgp_up_at: int
    last_bgp_reported_at: int
    bgp_rtt_ns: int
    bgp_flaps: int
    bgp_up_secs: int
    last_bgp_down_at: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "User":
        return cls(
            owner=obj.owner,
            device=obj.device,
            client_ip=obj.client_ip,
            tunnel_net=tunnel_net.TunnelNet.from_decoded(obj.tunnel_net),
            status=user_status.from_decoded(obj.status),
            created_at=obj.created_at,
            payer=obj.payer,
            bump=obj.bump,
            bgp_status=bgp_status.from_decoded(obj.bgp_status),
            last_bgp_up_at=obj.last_bgp_up_at,
            last_bgp_reported_at=obj.last_bgp_reported_at,
            bgp_rtt_ns=obj.bgp_rtt_ns,
            bgp_flaps=obj.bgp_flaps,
            bgp_up_secs=obj.bgp_up_secs,
            last_bgp_down_at=obj.last_bgp_down_at,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "owner": self.owner,
            "device": self.device,
            "client_ip": self.client_ip,
            "tunnel_net": self.tunnel_net.to_encodable(),
            "status": self.status.to_encodable(),
            "created_at": self.created_at,
            "payer": self.payer,
            "bump": self.bump,
            "bgp_status": self.bgp_status.to_encodable(),
            "last_bgp_up_at": self.last_bgp_up_at,
            "last_bgp_reported_at": self.last_bgp_reported_at,
            "bgp_rtt_ns": self.bgp_rtt_ns,
            "bgp_flaps": self.bgp_flaps,
            "bgp_up_secs": self.bgp_up_secs,
            "last_bgp_down_at": self.last_bgp_down_at,
        }

    def to_json(self) -> UserJSON:
        return {
            "owner": str(self.owner),
            "device": str(self.device),
            "client_ip": self.client_ip,
            "tunnel_net": self.tunnel_net.to_json(),
            "status": self.status.to_json(),
            "created_at": self.created_at,
            "payer": str(self.payer),
            "bump": self.bump,
            "bgp_status": self.bgp_status.to_json(),
            "last_bgp_up_at": self.last_bgp_up_at,
            "last_bgp_reported_at": self.last_bgp_reported_at,
            "bgp_rtt_ns": self.bgp_rtt_ns,
            "bgp_flaps": self.bgp_flaps,
            "bgp_up_secs": self.bgp_up_secs,
            "last_bgp_down_at": self.last_bgp_down_at,
        }

    @classmethod
    def from_json(cls, obj: UserJSON) -> "User":
        return cls(
            owner=Pubkey.from_string(obj["owner"]),
            device=Pubkey.from_string(obj["device"]),
            client_ip=obj["client_ip"],
            tunnel_net=tunnel_net.TunnelNet.from_json(obj["tunnel_net"]),
            status=user_status.from_json(obj["status"]),
            created_at=obj["created_at"],
            payer=Pubkey.from_string(obj["payer"]),
            bump=obj["bump"],
            bgp_status=bgp_status.from_json(obj["bgp_status"]),
            last_bgp_up_at=obj["last_bgp_up_at"],
            last_bgp_reported_at=obj["last_bgp_reported_at"],
            bgp_rtt_ns=obj["bgp_rtt_ns"],
            bgp_flaps=obj["bgp_flaps"],
            bgp_up_secs=obj["bgp_up_secs"],
            last_bgp_down_at=obj["last_bgp_down_at"],
        )
