from __future__ import annotations
import typing
from dataclasses import dataclass
from anchorpy.borsh_extension import EnumForCodegen
import borsh_construct as borsh


class ClosedJSON(typing.TypedDict):
    kind: typing.Literal["Closed"]


class ConsumedJSON(typing.TypedDict):
    kind: typing.Literal["Consumed"]


class ExpiredJSON(typing.TypedDict):
    kind: typing.Literal["Expired"]


@dataclass
class Closed:
    discriminator: typing.ClassVar = 0
    kind: typing.ClassVar = "Closed"

    @classmethod
    def to_json(cls) -> ClosedJSON:
        return ClosedJSON(
            kind="Closed",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Closed": {},
        }


@dataclass
class Consumed:
    discriminator: typing.ClassVar = 1
    kind: typing.ClassVar = "Consumed"

    @classmethod
    def to_json(cls) -> ConsumedJSON:
        return ConsumedJSON(
            kind="Consumed",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Consumed": {},
        }


@dataclass
class Expired:
    discriminator: typing.ClassVar = 2
    kind: typing.ClassVar = "Expired"

    @classmethod
    def to_json(cls) -> ExpiredJSON:
        return ExpiredJSON(
            kind="Expired",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Expired": {},
        }


ReservationCloseReasonKind = typing.Union[Closed, Consumed, Expired]
ReservationCloseReasonJSON = typing.Union[ClosedJSON, ConsumedJSON, ExpiredJSON]


def from_decoded(obj: dict) -> ReservationCloseReasonKind:
    if not isinstance(obj, dict):
        raise ValueError("Invalid enum object")
    if "Closed" in obj:
        return Closed()
    if "Consumed" in obj:
        return Consumed()
    if "Expired" in obj:
        return Expired()
    raise ValueError("Invalid enum object")


def from_json(obj: ReservationCloseReasonJSON) -> ReservationCloseReasonKind:
    if obj["kind"] == "Closed":
        return Closed()
    if obj["kind"] == "Consumed":
        return Consumed()
    if obj["kind"] == "Expired":
        return Expired()
    kind = obj["kind"]
    raise ValueError(f"Unrecognized enum kind: {kind}")


layout = EnumForCodegen(
    "Closed" / borsh.CStruct(),
    "Consumed" / borsh.CStruct(),
    "Expired" / borsh.CStruct(),
)
