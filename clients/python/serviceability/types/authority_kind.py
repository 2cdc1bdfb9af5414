from __future__ import annotations
import typing
from dataclasses import dataclass
from anchorpy.borsh_extension import EnumForCodegen
import borsh_construct as borsh


class ActivatorJSON(typing.TypedDict):
    kind: typing.Literal["Activator"]


class ReservationJSON(typing.TypedDict):
    kind: typing.Literal["Reservation"]


class AdminJSON(typing.TypedDict):
    kind: typing.Literal["Admin"]


@dataclass
class Activator:
    discriminator: typing.ClassVar = 0
    kind: typing.ClassVar = "Activator"

    @classmethod
    def to_json(cls) -> ActivatorJSON:
        return ActivatorJSON(
            kind="Activator",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Activator": {},
        }


@dataclass
class Reservation:
    discriminator: typing.ClassVar = 1
    kind: typing.ClassVar = "Reservation"

    @classmethod
    def to_json(cls) -> ReservationJSON:
        return ReservationJSON(
            kind="Reservation",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Reservation": {},
        }


@dataclass
class Admin:
    discriminator: typing.ClassVar = 2
    kind: typing.ClassVar = "Admin"

    @classmethod
    def to_json(cls) -> AdminJSON:
        return AdminJSON(
            kind="Admin",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Admin": {},
        }


AuthorityKindKind = typing.Union[Activator, Reservation, Admin]
AuthorityKindJSON = typing.Union[ActivatorJSON, ReservationJSON, AdminJSON]


def from_decoded(obj: dict) -> AuthorityKindKind:
    if not isinstance(obj, dict):
        raise ValueError("Invalid enum object")
    if "Activator" in obj:
        return Activator()
    if "Reservation" in obj:
        return Reservation()
    if "Admin" in obj:
        return Admin()
    raise ValueError("Invalid enum object")


def from_json(obj: AuthorityKindJSON) -> AuthorityKindKind:
    if obj["kind"] == "Activator":
        return Activator()
    if obj["kind"] == "Reservation":
        return Reservation()
    if obj["kind"] == "Admin":
        return Admin()
    kind = obj["kind"]
    raise ValueError(f"Unrecognized enum kind: {kind}")


layout = EnumForCodegen(
    "Activator" / borsh.CStruct(),
    "Reservation" / borsh.CStruct(),
    "Admin" / borsh.CStruct(),
)
