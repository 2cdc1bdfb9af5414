from __future__ import annotations
from . import (
    device_status,
)
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class DeviceUpdatedJSON(typing.TypedDict):
    device: str
    public_ip: list[int]
    status: device_status.DeviceStatusJSON
    max_users: int
    users_count: int
    reserved_seats: int
    metrics_publisher: str
    owner: str


@dataclass
class DeviceUpdated:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "public_ip" / borsh.U8[4],
        "status" / device_status.layout,
        "max_users" / borsh.U16,
        "users_count" / borsh.U16,
        "reserved_seats" / borsh.U16,
        "metrics_publisher" / BorshPubkey,
        "owner" / BorshPubkey,
    )
    device: Pubkey
    public_ip: list[int]
    status: device_status.DeviceStatusKind
    max_users: int
    users_count: int
    reserved_seats: int
    metrics_publisher: Pubkey
    owner: Pubkey

    @classmethod
    def from_decoded(cls, obj: Container) -> "DeviceUpdated":
        return cls(
            device=obj.device,
            public_ip=obj.public_ip,
            status=device_status.from_decoded(obj.status),
            max_users=obj.max_users,
            users_count=obj.users_count,
            reserved_seats=obj.reserved_seats,
            metrics_publisher=obj.metrics_publisher,
            owner=obj.owner,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "public_ip": self.public_ip,
            "status": self.status.to_encodable(),
            "max_users": self.max_users,
            "users_count": self.users_count,
            "reserved_seats": self.reserved_seats,
            "metrics_publisher": self.metrics_publisher,
            "owner": self.owner,
        }

    def to_json(self) -> DeviceUpdatedJSON:
        return {
            "device": str(self.device),
            "public_ip": self.public_ip,
            "status": self.status.to_json(),
            "max_users": self.max_users,
            "users_count": self.users_count,
            "reserved_seats": self.reserved_seats,
            "metrics_publisher": str(self.metrics_publisher),
            "owner": str(self.owner),
        }

    @classmethod
    def from_json(cls, obj: DeviceUpdatedJSON) -> "DeviceUpdated":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            public_ip=obj["public_ip"],
            status=device_status.from_json(obj["status"]),
            max_users=obj["max_users"],
            users_count=obj["users_count"],
            reserved_seats=obj["reserved_seats"],
            metrics_publisher=Pubkey.from_string(obj["metrics_publisher"]),
            owner=Pubkey.from_string(obj["owner"]),
        )
