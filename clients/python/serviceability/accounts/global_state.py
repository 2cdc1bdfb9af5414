import typing
from dataclasses import dataclass
from construct import Construct
from solders.pubkey import Pubkey
from solana.rpc.async_api import AsyncClient
from solana.rpc.commitment import Commitment
import borsh_construct as borsh
from anchorpy.error import AccountInvalidDiscriminator
from anchorpy.utils.rpc import get_multiple_accounts
from anchorpy.borsh_extension import BorshPubkey
from ..program_id import PROGRAM_ID


class GlobalStateJSON(typing.TypedDict):
    admin: str
    foundation_allowlist: list[str]
    activator_authority: str
    reservation_authority: typing.Optional[str]
    reservations_paused: bool
    bump: int


@dataclass
class GlobalState:
    discriminator: typing.ClassVar = b"\xa3.J\xa8\xd8{\x85b"
    layout: typing.ClassVar = borsh.CStruct(
        "admin" / BorshPubkey,
        "foundation_allowlist" / borsh.Vec(typing.cast(Construct, BorshPubkey)),
        "activator_authority" / BorshPubkey,
        "reservation_authority" / borsh.Option(BorshPubkey),
        "reservations_paused" / borsh.Bool,
        "bump" / borsh.U8,
    )
    admin: Pubkey
    foundation_allowlist: list[Pubkey]
    activator_authority: Pubkey
    reservation_authority: typing.Optional[Pubkey]
    reservations_paused: bool
    bump: int

    @classmethod
    async def fetch(
        cls,
        conn: AsyncClient,
        address: Pubkey,
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.Optional["GlobalState"]:
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
    ) -> typing.List[typing.Optional["GlobalState"]]:
        infos = await get_multiple_accounts(conn, addresses, commitment=commitment)
        res: typing.List[typing.Optional["GlobalState"]] = []
        for info in infos:
            if info is None:
                res.append(None)
                continue
            if info.account.owner != program_id:
                raise ValueError("Account does not belong to this program")
            res.append(cls.decode(info.account.data))
        return res

    @classmethod
    def decode(cls, data: bytes) -> "GlobalState":
        if data[: len(cls.discriminator)] != cls.discriminator:
            raise AccountInvalidDiscriminator(
                "The discriminator for this account is invalid"
            )
        dec = GlobalState.layout.parse(data[len(cls.discriminator) :])
        return cls(
            admin=dec.admin,
            foundation_allowlist=dec.foundation_allowlist,
            activator_authority=dec.activator_authority,
            reservation_authority=dec.reservation_authority,
            reservations_paused=dec.reservations_paused,
            bump=dec.bump,
        )

    def to_json(self) -> GlobalStateJSON:
        return {
            "admin": str(self.admin),
            "foundation_allowlist": list(
                map(lambda item: str(item), self.foundation_allowlist)
            ),
            "activator_authority": str(self.activator_authority),
            "reservation_authority": (
                None
                if self.reservation_authority is None
                else str(self.reservation_authority)
            ),
            "reservations_paused": self.reservations_paused,
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: GlobalStateJSON) -> "GlobalState":
        return cls(
            admin=Pubkey.from_string(obj["admin"]),
            foundation_allowlist=list(
                map(lambda item: Pubkey.from_string(item), obj["foundation_allowlist"])
            ),
            activator_authority=Pubkey.from_string(obj["activator_authority"]),
            reservation_authority=(
                None
                if obj["reservation_authority"] is None
                else Pubkey.from_string(obj["reservation_authority"])
            ),
            reservations_paused=obj["reservations_paused"],
            bump=obj["bump"],
        )
