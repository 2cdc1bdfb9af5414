from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class FoundationAllowlistChangedJSON(typing.TypedDict):
    key: str
    added: bool
    allowlist_len: int


@dataclass
class FoundationAllowlistChanged:
    layout: typing.ClassVar = borsh.CStruct(
        "key" / BorshPubkey, "added" / borsh.Bool, "allowlist_len" / borsh.U8
    )
    key: Pubkey
    added: bool
    allowlist_len: int

    @classmethod
    def from_decoded(cls, obj: Container) -> "FoundationAllowlistChanged":
        return cls(key=obj.key, added=obj.added, allowlist_len=obj.allowlist_len)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "key": self.key,
            "added": self.added,
            "allowlist_len": self.allowlist_len,
        }

    def to_json(self) -> FoundationAllowlistChangedJSON:
        return {
            "key": str(self.key),
            "added": self.added,
            "allowlist_len": self.allowlist_len,
        }

    @classmethod
    def from_json(
        cls, obj: FoundationAllowlistChangedJSON
    ) -> "FoundationAllowlistChanged":
        return cls(
            key=Pubkey.from_string(obj["key"]),
            added=obj["added"],
            allowlist_len=obj["allowlist_len"],
        )
