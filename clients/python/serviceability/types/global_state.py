from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container, Construct
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class GlobalStateJSON(typing.TypedDict):
    admin: str
    foundation_allowlist: list[str]
    activator_authority: str
    reservation_authority: typing.Optional[str]
    reservations_paused: bool
    bump: int


@dataclass
class GlobalState:
    layout: typing.ClassVar = borsh.CStruct(
        "admin" / BorshPubkey,
        "foundation_allowlist" / borsh.Vec(typing.cast(Construct, BorshPubkey)),
        "activator_authority" / BorshPubkey,
        "reservation_authority" / borsh.Option(BorshPubkey),
        "reservations_paused" / borsh.Bool,
        "bump" / borsh.U8,
    )
    admin: Pubkey
    foundation_allowlist: list[Pubkey]
    activator_authority: Pubkey
    reservation_authority: typing.Optional[Pubkey]
    reservations_paused: bool
    bump: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "GlobalState":
        return cls(
            admin=obj.admin,
            foundation_allowlist=obj.foundation_allowlist,
            activator_authority=obj.activator_authority,
            reservation_authority=obj.reservation_authority,
            reservations_paused=obj.reservations_paused,
            bump=obj.bump,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "admin": self.admin,
            "foundation_allowlist": self.foundation_allowlist,
            "activator_authority": self.activator_authority,
            "reservation_authority": self.reservation_authority,
            "reservations_paused": self.reservations_paused,
            "bump": self.bump,
        }

    def to_json(self) -> GlobalStateJSON:
        return {
            "admin": str(self.admin),
            "foundation_allowlist": list(
                map(lambda item: str(item), self.foundation_allowlist)
            ),
            "activator_authority": str(self.activator_authority),
            "reservation_authority": (
                None
                if self.reservation_authority is None
                else str(self.reservation_authority)
            ),
            "reservations_paused": self.reservations_paused,
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: GlobalStateJSON) -> "GlobalState":
        return cls(
            admin=Pubkey.from_string(obj["admin"]),
            foundation_allowlist=list(
                map(lambda item: Pubkey.from_string(item), obj["foundation_allowlist"])
            ),
            activator_authority=Pubkey.from_string(obj["activator_authority"]),
            reservation_authority=(
                None
                if obj["reservation_authority"] is None
                else Pubkey.from_string(obj["reservation_authority"])
            ),
            reservations_paused=obj["reservations_paused"],
            bump=obj["bump"],
        )
