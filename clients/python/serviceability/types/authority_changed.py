from __future__ import annotations
from . import (
    authority_kind,
)
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class AuthorityChangedJSON(typing.TypedDict):
    kind: authority_kind.AuthorityKindJSON
    previous: typing.Optional[str]
    current: typing.Optional[str]


@dataclass
class AuthorityChanged:
    layout: typing.ClassVar = borsh.CStruct(
        "kind" / authority_kind.layout,
        "previous" / borsh.Option(BorshPubkey),
        "current" / borsh.Option(BorshPubkey),
    )
    kind: authority_kind.AuthorityKindKind
    previous: typing.Optional[Pubkey]
    current: typing.Optional[Pubkey]

    @classmethod
    def from_decoded(cls, obj: Container) -> "AuthorityChanged":
        return cls(
            kind=authority_kind.from_decoded(obj.kind),
            previous=obj.previous,
            current=obj.current,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "kind": self.kind.to_encodable(),
            "previous": self.previous,
            "current": self.current,
        }

    def to_json(self) -> AuthorityChangedJSON:
        return {
            "kind": self.kind.to_json(),
            "previous": (None if self.previous is None else str(self.previous)),
            "current": (None if self.current is None else str(self.current)),
        }

    @classmethod
    def from_json(cls, obj: AuthorityChangedJSON) -> "AuthorityChanged":
        return cls(
            kind=authority_kind.from_json(obj["kind"]),
            previous=(
                None if obj["previous"] is None else Pubkey.from_string(obj["previous"])
            ),
            current=(
                None if obj["current"] is None else Pubkey.from_string(obj["current"])
            ),
        )
