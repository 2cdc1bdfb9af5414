from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class ReservationCreatedJSON(typing.TypedDict):
    device: str
    reservation: str
    client_ip: list[int]
    payer: str
    expires_at: int
    reserved_seats: int


@dataclass
class ReservationCreated:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "reservation" / BorshPubkey,
        "client_ip" / borsh.U8[4],
        "payer" / BorshPubkey,
        "expires_at" / borsh.I64,
        "reserved_seats" / borsh.U16,
    )
    device: Pubkey
    reservation: Pubkey
    client_ip: list[int]
    payer: Pubkey
    expires_at: int
    reserved_seats: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "ReservationCreated":
        return cls(
            device=obj.device,
            reservation=obj.reservation,
            client_ip=obj.client_ip,
            payer=obj.payer,
            expires_at=obj.expires_at,
            reserved_seats=obj.reserved_seats,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "reservation": self.reservation,
            "client_ip": self.client_ip,
            "payer": self.payer,
            "expires_at": self.expires_at,
            "reserved_seats": self.reserved_seats,
        }

    def to_json(self) -> ReservationCreatedJSON:
        return {
            "device": str(self.device),
            "reservation": str(self.reservation),
            "client_ip": self.client_ip,
            "payer": str(self.payer),
            "expires_at": self.expires_at,
            "reserved_seats": self.reserved_seats,
        }

    @classmethod
    def from_json(cls, obj: ReservationCreatedJSON) -> "ReservationCreated":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            reservation=Pubkey.from_string(obj["reservation"]),
            client_ip=obj["client_ip"],
            payer=Pubkey.from_string(obj["payer"]),
            expires_at=obj["expires_at"],
            reserved_seats=obj["reserved_seats"],
        )
