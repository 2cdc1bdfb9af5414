from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class ReservationJSON(typing.TypedDict):
    device: str
    client_ip: list[int]
    payer: str
    reserved_at: int
    expires_at: int
    bump: int


@dataclass
class Reservation:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "client_ip" / borsh.U8[4],
        "payer" / BorshPubkey,
        "reserved_at" / borsh.I64,
        "expires_at" / borsh.I64,
        "bump" / borsh.U8,
    )
    device: Pubkey
    client_ip: list[int]
    payer: Pubkey
    reserved_at: int
    expires_at: int
    bump: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "Reservation":
        return cls(
            device=obj.device,
            client_ip=obj.client_ip,
            payer=obj.payer,
            reserved_at=obj.reserved_at,
            expires_at=obj.expires_at,
            bump=obj.bump,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "device": self.device,
            "client_ip": self.client_ip,
            "payer": self.payer,
            "reserved_at": self.reserved_at,
            "expires_at": self.expires_at,
            "bump": self.bump,
        }

    def to_json(self) -> ReservationJSON:
        return {
            "device": str(self.device),
            "client_ip": self.client_ip,
            "payer": str(self.payer),
            "reserved_at": self.reserved_at,
            "expires_at": self.expires_at,
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: ReservationJSON) -> "Reservation":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            client_ip=obj["client_ip"],
            payer=Pubkey.from_string(obj["payer"]),
            reserved_at=obj["reserved_at"],
            expires_at=obj["expires_at"],
            bump=obj["bump"],
        )
