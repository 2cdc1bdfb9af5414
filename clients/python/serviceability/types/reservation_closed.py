from __future__ import annotations
from . import (
    reservation_close_reason,
)
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class ReservationClosedJSON(typing.TypedDict):
    device: str
    reservation: str
    client_ip: list[int]
    reason: reservation_close_reason.ReservationCloseReasonJSON
    reserved_seats: int


@dataclass
class ReservationClosed:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "reservation" / BorshPubkey,
        "client_ip" / borsh.U8[4],
        "reason" / reservation_close_reason.layout,
        "reserved_seats" / borsh.U16,
    )
    device: Pubkey
    reservation: Pubkey
    client_ip: list[int]
    reason: reservation_close_reason.ReservationCloseReasonKind
    reserved_seats: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "ReservationClosed":
        return cls(
            device=obj.device,
            reservation=obj.reservation,
            client_ip=obj.client_ip,
            reason=reservation_close_reason.from_decoded(obj.reason),
            reserved_seats=obj.reserved_seats,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "reservation": self.reservation,
            "client_ip": self.client_ip,
            "reason": self.reason.to_encodable(),
            "reserved_seats": self.reserved_seats,
        }

    def to_json(self) -> ReservationClosedJSON:
        return {
            "device": str(self.device),
            "reservation": str(self.reservation),
            "client_ip": self.client_ip,
            "reason": self.reason.to_json(),
            "reserved_seats": self.reserved_seats,
        }

    @classmethod
    def from_json(cls, obj: ReservationClosedJSON) -> "ReservationClosed":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            reservation=Pubkey.from_string(obj["reservation"]),
            client_ip=obj["client_ip"],
            reason=reservation_close_reason.from_json(obj["reason"]),
            reserved_seats=obj["reserved_seats"],
        )
