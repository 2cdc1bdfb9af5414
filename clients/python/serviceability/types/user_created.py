from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class UserCreatedJSON(typing.TypedDict):
    device: str
    user: str
    client_ip: list[int]
    owner: str
    consumed_reservation: bool
    users_count: int
    reserved_seats: int


@dataclass
class UserCreated:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "user" / BorshPubkey,
        "client_ip" / borsh.U8[4],
        "owner" / BorshPubkey,
        "consumed_reservation" / borsh.Bool,
        "users_count" / borsh.U16,
        "reserved_seats" / borsh.U16,
    )
    device: Pubkey
    user: Pubkey
    client_ip: list[int]
    owner: Pubkey
    consumed_reservation: bool
    users_count: int
    reserved_seats: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "UserCreated":
        return cls(
            device=obj.device,
            user=obj.user,
            client_ip=obj.client_ip,
            owner=obj.owner,
            consumed_reservation=obj.consumed_reservation,
            users_count=obj.users_count,
            reserved_seats=obj.reserved_seats,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "user": self.user,
            "client_ip": self.client_ip,
            "owner": self.owner,
            "consumed_reservation": self.consumed_reservation,
            "users_count": self.users_count,
            "reserved_seats": self.reserved_seats,
        }

    def to_json(self) -> UserCreatedJSON:
        return {
            "device": str(self.device),
            "user": str(self.user),
            "client_ip": self.client_ip,
            "owner": str(self.owner),
            "consumed_reservation": self.consumed_reservation,
            "users_count": self.users_count,
            "reserved_seats": self.reserved_seats,
        }

    @classmethod
    def from_json(cls, obj: UserCreatedJSON) -> "UserCreated":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            user=Pubkey.from_string(obj["user"]),
            client_ip=obj["client_ip"],
            owner=Pubkey.from_string(obj["owner"]),
            consumed_reservation=obj["consumed_reservation"],
            users_count=obj["users_count"],
            reserved_seats=obj["reserved_seats"],
        )
