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


class ReservationJSON(typing.TypedDict):
    device: str
    client_ip: list[int]
    payer: str
    reserved_at: int
    expires_at: int
    bump: int


@dataclass
class Reservation:
    discriminator: typing.ClassVar = b"\xbc\xeb\x00o\xd0\xfd\xf7\xd4"
    layout: typing.ClassVar = borsh.CStruct(
        "device" / BorshPubkey,
        "client_ip" / borsh.U8[4],
        "payer" / BorshPubkey,
        "reserved_at" / borsh.I64,
        "expires_at" / borsh.I64,
        "bump" / borsh.U8,
    )
    device: Pubkey
    client_ip: list[int]
    payer: Pubkey
    reserved_at: int
    expires_at: int
    bump: int

    @classmethod
    async def fetch(
        cls,
        conn: AsyncClient,
        address: Pubkey,
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.Optional["Reservation"]:
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
    ) -> typing.List[typing.Optional["Reservation"]]:
        infos = await get_multiple_accounts(conn, addresses, commitment=commitment)
        res: typing.List[typing.Optional["Reservation"]] = []
        for info in infos:
            if info is None:
                res.append(None)
                continue
            if info.account.owner != program_id:
                raise ValueError("Account does not belong to this program")
            res.append(cls.decode(info.account.data))
        return res

    @classmethod
    def decode(cls, data: bytes) -> "Reservation":
        if data[: len(cls.discriminator)] != cls.discriminator:
            raise AccountInvalidDiscriminator(
                "The discriminator for this account is invalid"
            )
        dec = Reservation.layout.parse(data[len(cls.discriminator) :])
        return cls(
            device=dec.device,
            client_ip=dec.client_ip,
            payer=dec.payer,
            reserved_at=dec.reserved_at,
            expires_at=dec.expires_at,
            bump=dec.bump,
        )

    def to_json(self) -> ReservationJSON:
        return {
            "device": str(self.device),
            "client_ip": self.client_ip,
            "payer": str(self.payer),
            "reserved_at": self.reserved_at,
            "expires_at": self.expires_at,
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: ReservationJSON) -> "Reservation":
        return cls(
            device=Pubkey.from_string(obj["device"]),
            client_ip=obj["client_ip"],
            payer=Pubkey.from_string(obj["payer"]),
            reserved_at=obj["reserved_at"],
            expires_at=obj["expires_at"],
            bump=obj["bump"],
        )
