from __future__ import annotations
import typing
from dataclasses import dataclass
from anchorpy.borsh_extension import EnumForCodegen
import borsh_construct as borsh


class UnknownJSON(typing.TypedDict):
    kind: typing.Literal["Unknown"]


class UpJSON(typing.TypedDict):
    kind: typing.Literal["Up"]


class DownJSON(typing.TypedDict):
    kind: typing.Literal["Down"]


@dataclass
class Unknown:
    discriminator: typing.ClassVar = 0
    kind: typing.ClassVar = "Unknown"

    @classmethod
    def to_json(cls) -> UnknownJSON:
        return UnknownJSON(
            kind="Unknown",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Unknown": {},
        }


@dataclass
class Up:
    discriminator: typing.ClassVar = 1
    kind: typing.ClassVar = "Up"

    @classmethod
    def to_json(cls) -> UpJSON:
        return UpJSON(
            kind="Up",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Up": {},
        }


@dataclass
class Down:
    discriminator: typing.ClassVar = 2
    kind: typing.ClassVar = "Down"

    @classmethod
    def to_json(cls) -> DownJSON:
        return DownJSON(
            kind="Down",
        )

    @classmethod
    def to_encodable(cls) -> dict:
        return {
            "Down": {},
        }


BgpStatusKind = typing.Union[Unknown, Up, Down]
BgpStatusJSON = typing.Union[UnknownJSON, UpJSON, DownJSON]


def from_decoded(obj: dict) -> BgpStatusKind:
    if not isinstance(obj, dict):
        raise ValueError("Invalid enum object")
    if "Unknown" in obj:
        return Unknown()
    if "Up" in obj:
        return Up()
    if "Down" in obj:
        return Down()
    raise ValueError("Invalid enum object")


def from_json(obj: BgpStatusJSON) -> BgpStatusKind:
    if obj["kind"] == "Unknown":
        return Unknown()
    if obj["kind"] == "Up":
        return Up()
    if obj["kind"] == "Down":
        return Down()
    kind = obj["kind"]
    raise ValueError(f"Unrecognized enum kind: {kind}")


layout = EnumForCodegen(
    "Unknown" / borsh.CStruct(), "Up" / borsh.CStruct(), "Down" / borsh.CStruct()
)
