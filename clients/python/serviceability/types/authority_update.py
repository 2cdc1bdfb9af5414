from __future__ import annotations
import typing
from dataclasses import dataclass
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import EnumForCodegen, BorshPubkey
import borsh_construct as borsh


class ActivatorJSONValue(typing.TypedDict):
    new_authority: str


class ReservationJSONValue(typing.TypedDict):
    new_authority: typing.Optional[str]


class ActivatorValue(typing.TypedDict):
    new_authority: Pubkey


class ReservationValue(typing.TypedDict):
    new_authority: typing.Optional[Pubkey]


class ActivatorJSON(typing.TypedDict):
    value: ActivatorJSONValue
    kind: typing.Literal["Activator"]


class ReservationJSON(typing.TypedDict):
    value: ReservationJSONValue
    kind: typing.Literal["Reservation"]


@dataclass
class Activator:
    discriminator: typing.ClassVar = 0
    kind: typing.ClassVar = "Activator"
    value: ActivatorValue

    def to_json(self) -> ActivatorJSON:
        return ActivatorJSON(
            kind="Activator",
            value={
                "new_authority": str(self.value["new_authority"]),
            },
        )

    def to_encodable(self) -> dict:
        return {
            "Activator": {
                "new_authority": self.value["new_authority"],
            },
        }


@dataclass
class Reservation:
    discriminator: typing.ClassVar = 1
    kind: typing.ClassVar = "Reservation"
    value: ReservationValue

    def to_json(self) -> ReservationJSON:
        return ReservationJSON(
            kind="Reservation",
            value={
                "new_authority": (
                    None
                    if self.value["new_authority"] is None
                    else str(self.value["new_authority"])
                ),
            },
        )

    def to_encodable(self) -> dict:
        return {
            "Reservation": {
                "new_authority": self.value["new_authority"],
            },
        }


AuthorityUpdateKind = typing.Union[Activator, Reservation]
AuthorityUpdateJSON = typing.Union[ActivatorJSON, ReservationJSON]


def from_decoded(obj: dict) -> AuthorityUpdateKind:
    if not isinstance(obj, dict):
        raise ValueError("Invalid enum object")
    if "Activator" in obj:
        val = obj["Activator"]
        return Activator(
            ActivatorValue(
                new_authority=val["new_authority"],
            )
        )
    if "Reservation" in obj:
        val = obj["Reservation"]
        return Reservation(
            ReservationValue(
                new_authority=val["new_authority"],
            )
        )
    raise ValueError("Invalid enum object")


def from_json(obj: AuthorityUpdateJSON) -> AuthorityUpdateKind:
    if obj["kind"] == "Activator":
        activator_json_value = typing.cast(ActivatorJSONValue, obj["value"])
        return Activator(
            ActivatorValue(
                new_authority=Pubkey.from_string(activator_json_value["new_authority"]),
            )
        )
    if obj["kind"] == "Reservation":
        reservation_json_value = typing.cast(ReservationJSONValue, obj["value"])
        return Reservation(
            ReservationValue(
                new_authority=(
                    None
                    if reservation_json_value["new_authority"] is None
                    else Pubkey.from_string(reservation_json_value["new_authority"])
                ),
            )
        )
    kind = obj["kind"]
    raise ValueError(f"Unrecognized enum kind: {kind}")


layout = EnumForCodegen(
    "Activator" / borsh.CStruct("new_authority" / BorshPubkey),
    "Reservation" / borsh.CStruct("new_authority" / borsh.Option(BorshPubkey)),
)
