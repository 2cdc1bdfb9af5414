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


class UpdateDeviceArgsJSON(typing.TypedDict):
    public_ip: typing.Optional[list[int]]
    status: typing.Optional[device_status.DeviceStatusJSON]
    max_users: typing.Optional[int]
    metrics_publisher: typing.Optional[str]
    owner: typing.Optional[str]


@dataclass
class UpdateDeviceArgs:
    layout: typing.ClassVar = borsh.CStruct(
        "public_ip" / borsh.Option(borsh.U8[4]),
        "status" / borsh.Option(device_status.layout),
        "max_users" / borsh.Option(borsh.U16),
        "metrics_publisher" / borsh.Option(BorshPubkey),
        "owner" / borsh.Option(BorshPubkey),
    )
    public_ip: typing.Optional[list[int]]
    status: typing.Optional[device_status.DeviceStatusKind]
    max_users: typing.Optional[int]
    metrics_publisher: typing.Optional[Pubkey]
    owner: typing.Optional[Pubkey]

    @classmethod
    def from_decoded(cls, obj: Container) -> "UpdateDeviceArgs":
        return cls(
            public_ip=obj.public_ip,
            status=(
                None if obj.status is None else device_status.from_decoded(obj.status)
            ),
            max_users=obj.max_users,
            metrics_publisher=obj.metrics_publisher,
            owner=obj.owner,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "public_ip": self.public_ip,
            "status": (None if self.status is None else self.status.to_encodable()),
            "max_users": self.max_users,
            "metrics_publisher": self.metrics_publisher,
            "owner": self.owner,
        }

    def to_json(self) -> UpdateDeviceArgsJSON:
        return {
            "public_ip": self.public_ip,
            "status": (None if self.status is None else self.status.to_json()),
            "max_users": self.max_users,
            "metrics_publisher": (
                None if self.metrics_publisher is None else str(self.metrics_publisher)
            ),
            "owner": (None if self.owner is None else str(self.owner)),
        }

    @classmethod
    def from_json(cls, obj: UpdateDeviceArgsJSON) -> "UpdateDeviceArgs":
        return cls(
            public_ip=obj["public_ip"],
            status=(
                None
                if obj["status"] is None
                else device_status.from_json(obj["status"])
            ),
            max_users=obj["max_users"],
            metrics_publisher=(
                None
                if obj["metrics_publisher"] is None
                else Pubkey.from_string(obj["metrics_publisher"])
            ),
            owner=(None if obj["owner"] is None else Pubkey.from_string(obj["owner"])),
        )
