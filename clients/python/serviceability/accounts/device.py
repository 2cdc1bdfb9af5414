import typing
from dataclasses import dataclass
from solders.pubkey import Pubkey
from solana.rpc.async_api import AsyncClient
from solana.rpc.commitment import Commitment
import borsh_construct as borsh
from anchorpy.error import AccountInvalidDiscriminator
from anchorpy.utils.rpc import get_multiple_accounts
from anchorpy.borsh_extension import BorshPubkey
from ..program_id import PROGRAM_ID
from .. import types


class DeviceJSON(typing.TypedDict):
    code: str
    owner: str
    public_ip: list[int]
    status: types.device_status.DeviceStatusJSON
    max_users: int
    users_count: int
    reserved_seats: int
    metrics_publisher: str
    bump: int


@dataclass
class Device:
    discriminator: typing.ClassVar = b"\x99\xf8\x17'S-D\x80"
    layout: typing.ClassVar = borsh.CStruct(
        "code" / borsh.String,
        "owner" / BorshPubkey,
        "public_ip" / borsh.U8[4],
        "status" / types.device_status.layout,
        "max_users" / borsh.U16,
        "users_count" / borsh.U16,
        "reserved_seats" / borsh.U16,
        "metrics_publisher" / BorshPubkey,
        "bump" / borsh.U8,
    )
    code: str
    owner: Pubkey
    public_ip: list[int]
    status: types.device_status.DeviceStatusKind
    max_users: int
    users_count: int
    reserved_seats: int
    metrics_publisher: Pubkey
    bump: int

    @classmethod
    async def fetch(
        cls,
        conn: AsyncClient,
        address: Pubkey,
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.Optional["Device"]:
        resp = await conn.get_account_info(address, commitment=commitment)
        info = resp.value
        if info is None:
            return None
        if info.owner != program_id:
            raise ValueError("Account does not belong to this program")
        bytes_data = info.data
        return cls.decode(bytes_data)

    @classmethod
    async def fetch_multiple(
        cls,
        conn: AsyncClient,
        addresses: list[Pubkey],
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.List[typing.Optional["Device"]]:
        infos = await get_multiple_accounts(conn, addresses, commitment=commitment)
        res: typing.List[typing.Optional["Device"]] = []
        for info in infos:
            if info is None:
                res.append(None)
                continue
            if info.account.owner != program_id:
                raise ValueError("Account does not belong to this program")
            res.append(cls.decode(info.account.data))
        return res

    @classmethod
    def decode(cls, data: bytes) -> "Device":
        if data[: len(cls.discriminator)] != cls.discriminator:
            raise AccountInvalidDiscriminator(
                "The discriminator for this account is invalid"
            )
        dec = Device.layout.parse(data[len(cls.discriminator) :])
        return cls(
            code=dec.code,
            owner=dec.owner,
            public_ip=dec.public_ip,
            status=types.device_status.from_decoded(dec.status),
            max_users=dec.max_users,
            users_count=dec.users_count,
            reserved_seats=dec.reserved_seats,
            metrics_publisher=dec.metrics_publisher,
            bump=dec.bump,
        )

    def to_json(self) -> DeviceJSON:
        return {
            "code": self.code,
            "owner": str(self.owner),
            "public_ip": self.public_ip,
            "status": self.status.to_json(),
            "max_users": self.max_users,
            "users_count": self.users_count,
            "reserved_seats": self.reserved_seats,
            "metrics_publisher": str(self.metrics_publisher),
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: DeviceJSON) -> "Device":
        return cls(
            code=obj["code"],
            owner=Pubkey.from_string(obj["owner"]),
            public_ip=obj["public_ip"],
            status=types.device_status.from_json(obj["status"]),
            max_users=obj["max_users"],
            users_count=obj["users_count"],
            reserved_seats=obj["reserved_seats"],
            metrics_publisher=Pubkey.from_string(obj["metrics_publisher"]),
            bump=obj["bump"],
        )
