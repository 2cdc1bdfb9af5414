from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class DeviceCreatedJSON(typing.TypedDict):
    device: str
    code: str
    owner: str
    public_ip: list[int]
    max_users: int
    metrics_publisher: str


@dataclass
class DeviceCreated:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "code" / borsh.String,
        "owner" / BorshPubkey,
        "public_ip" / borsh.U8[4],
        "max_users" / borsh.U16,
        "metrics_publisher" / BorshPubkey,
    )
    device: Pubkey
    code: str
    owner: Pubkey
    public_ip: list[int]
    max_users: int
    metrics_publisher: Pubkey

    @classmethod
    def from_decoded(cls, obj: Container) -> "DeviceCreated":
        return cls(
            device=obj.device,
            code=obj.code,
            owner=obj.owner,
            public_ip=obj.public_ip,
            max_users=obj.max_users,
            metrics_publisher=obj.metrics_publisher,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "code": self.code,
            "owner": self.owner,
            "public_ip": self.public_ip,
            "max_users": self.max_users,
            "metrics_publisher": self.metrics_publisher,
        }

    def to_json(self) -> DeviceCreatedJSON:
        return {
            "device": str(self.device),
            "code": self.code,
            "owner": str(self.owner),
            "public_ip": self.public_ip,
            "max_users": self.max_users,
            "metrics_publisher": str(self.metrics_publisher),
        }

    @classmethod
    def from_json(cls, obj: DeviceCreatedJSON) -> "DeviceCreated":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            code=obj["code"],
            owner=Pubkey.from_string(obj["owner"]),
            public_ip=obj["public_ip"],
            max_users=obj["max_users"],
            metrics_publisher=Pubkey.from_string(obj["metrics_publisher"]),
        )
