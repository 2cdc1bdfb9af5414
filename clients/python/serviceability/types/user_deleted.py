from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class UserDeletedJSON(typing.TypedDict):
    device: str
    user: str
    client_ip: list[int]
    users_count: int


@dataclass
class UserDeleted:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "user" / BorshPubkey,
        "client_ip" / borsh.U8[4],
        "users_count" / borsh.U16,
    )
    device: Pubkey
    user: Pubkey
    client_ip: list[int]
    users_count: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "UserDeleted":
        return cls(
            device=obj.device,
            user=obj.user,
            client_ip=obj.client_ip,
            users_count=obj.users_count,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "user": self.user,
            "client_ip": self.client_ip,
            "users_count": self.users_count,
        }

    def to_json(self) -> UserDeletedJSON:
        return {
            "device": str(self.device),
            "user": str(self.user),
            "client_ip": self.client_ip,
            "users_count": self.users_count,
        }

    @classmethod
    def from_json(cls, obj: UserDeletedJSON) -> "UserDeleted":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            user=Pubkey.from_string(obj["user"]),
            client_ip=obj["client_ip"],
            users_count=obj["users_count"],
        )
