from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class ReservationsPauseChangedJSON(typing.TypedDict):
    paused: bool


@dataclass
class ReservationsPauseChanged:
    layout: typing.ClassVar = borsh.CStruct("paused" / borsh.Bool)
    paused: bool

    @classmethod
    def from_decoded(cls, obj: Container) -> "ReservationsPauseChanged":
        return cls(paused=obj.paused)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"paused": self.paused}

    def to_json(self) -> ReservationsPauseChangedJSON:
        return {"paused": self.paused}

    @classmethod
    def from_json(cls, obj: ReservationsPauseChangedJSON) -> "ReservationsPauseChanged":
        return cls(paused=obj["paused"])
