from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class GlobalStateInitializedJSON(typing.TypedDict):
    admin: str


@dataclass
class GlobalStateInitialized:
    layout: typing.ClassVar = borsh.CStruct("admin" / BorshPubkey)
    admin: Pubkey

    @classmethod
    def from_decoded(cls, obj: Container) -> "GlobalStateInitialized":
        return cls(admin=obj.admin)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"admin": self.admin}

    def to_json(self) -> GlobalStateInitializedJSON:
        return {"admin": str(self.admin)}

    @classmethod
    def from_json(cls, obj: GlobalStateInitializedJSON) -> "GlobalStateInitialized":
        return cls(admin=Pubkey.from_string(obj["admin"]))
