from __future__ import annotations
import typing
from dataclasses import dataclass
from anchorpy.borsh_extension import EnumForCodegen
import borsh_construct as borsh


class PendingJSON(typing.TypedDict):
    kind: typing.Literal["Pending"]


class ActivatedJSON(typing.TypedDict):
    kind: typing.Literal["Activated"]


class SuspendedJSON(typing.TypedDict):
    kind: typing.Literal["Suspended"]


class DrainedJSON(typing.TypedDict):
    kind: typing.Literal["Drained"]


@dataclass
class Pending:
    discriminator: typing.ClassVar = 0
    kind: typing.ClassVar = "Pending"

    @classmethod
    def to_json(cls) -> PendingJSON:
        return PendingJSON(
            kind="Pending",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Pending": {},
        }


@dataclass
class Activated:
    discriminator: typing.ClassVar = 1
    kind: typing.ClassVar = "Activated"

    @classmethod
    def to_json(cls) -> ActivatedJSON:
        return ActivatedJSON(
            kind="Activated",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Activated": {},
        }


@dataclass
class Suspended:
    discriminator: typing.ClassVar = 2
    kind: typing.ClassVar = "Suspended"

    @classmethod
    def to_json(cls) -> SuspendedJSON:
        return SuspendedJSON(
            kind="Suspended",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Suspended": {},
        }


@dataclass
class Drained:
    discriminator: typing.ClassVar = 3
    kind: typing.ClassVar = "Drained"

    @classmethod
    def to_json(cls) -> DrainedJSON:
        return DrainedJSON(
            kind="Drained",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Drained": {},
        }


DeviceStatusKind = typing.Union[Pending, Activated, Suspended, Drained]
DeviceStatusJSON = typing.Union[PendingJSON, ActivatedJSON, SuspendedJSON, DrainedJSON]


def from_decoded(obj: dict) -> DeviceStatusKind:
    if not isinstance(obj, dict):
        raise ValueError("Invalid enum object")
    if "Pending" in obj:
        return Pending()
    if "Activated" in obj:
        return Activated()
    if "Suspended" in obj:
        return Suspended()
    if "Drained" in obj:
        return Drained()
    raise ValueError("Invalid enum object")


def from_json(obj: DeviceStatusJSON) -> DeviceStatusKind:
    if obj["kind"] == "Pending":
        return Pending()
    if obj["kind"] == "Activated":
        return Activated()
    if obj["kind"] == "Suspended":
        return Suspended()
    if obj["kind"] == "Drained":
        return Drained()
    kind = obj["kind"]
    raise ValueError(f"Unrecognized enum kind: {kind}")


layout = EnumForCodegen(
    "Pending" / borsh.CStruct(),
    "Activated" / borsh.CStruct(),
    "Suspended" / borsh.CStruct(),
    "Drained" / borsh.CStruct(),
)
