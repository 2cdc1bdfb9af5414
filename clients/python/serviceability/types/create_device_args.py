from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class CreateDeviceArgsJSON(typing.TypedDict):
    code: str
    public_ip: list[int]
    max_users: int
    metrics_publisher: str


@dataclass
class CreateDeviceArgs:
    layout: typing.ClassVar = borsh.CStruct(
        "code" / borsh.String,
        "public_ip" / borsh.U8[4],
        "max_users" / borsh.U16,
        "metrics_publisher" / BorshPubkey,
    )
    code: str
    public_ip: list[int]
    max_users: int
    metrics_publisher: Pubkey

    @classmethod
    def from_decoded(cls, obj: Container) -> "CreateDeviceArgs":
        return cls(
            code=obj.code,
            public_ip=obj.public_ip,
            max_users=obj.max_users,
            metrics_publisher=obj.metrics_publisher,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "code": self.code,
            "public_ip": self.public_ip,
            "max_users": self.max_users,
            "metrics_publisher": self.metrics_publisher,
        }

    def to_json(self) -> CreateDeviceArgsJSON:
        return {
            "code": self.code,
            "public_ip": self.public_ip,
            "max_users": self.max_users,
            "metrics_publisher": str(self.metrics_publisher),
        }

    @classmethod
    def from_json(cls, obj: CreateDeviceArgsJSON) -> "CreateDeviceArgs":
        return cls(
            code=obj["code"],
            public_ip=obj["public_ip"],
            max_users=obj["max_users"],
            metrics_publisher=Pubkey.from_string(obj["metrics_publisher"]),
        )
