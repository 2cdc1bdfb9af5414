from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class DeviceClosedJSON(typing.TypedDict):
    device: str
    code: str


@dataclass
class DeviceClosed:
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey, "code" / borsh.String
    )
    device: Pubkey
    code: str

    @classmethod
    def from_decoded(cls, obj: Container) -> "DeviceClosed":
        return cls(device=obj.device, code=obj.code)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"device": self.device, "code": self.code}

    def to_json(self) -> DeviceClosedJSON:
        return {"device": str(self.device), "code": self.code}

    @classmethod
    def from_json(cls, obj: DeviceClosedJSON) -> "DeviceClosed":
        return cls(device=Pubkey.from_string(obj["device"]), code=obj["code"])
