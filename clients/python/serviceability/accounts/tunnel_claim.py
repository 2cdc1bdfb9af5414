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


class TunnelClaimJSON(typing.TypedDict):
    user: str
    bump: int
    sharers: list[str]


@dataclass
class TunnelClaim:
    discriminator: typing.ClassVar = b"\x83\x8eF\xf98[\x1a."
    layout: typing.ClassVar = borsh.CStruct(
        "user" / BorshPubkey,
        "bump" / borsh.U8,
        "sharers" / borsh.Vec(typing.cast(Construct, BorshPubkey)),
    )
    user: Pubkey
    bump: int
    sharers: list[Pubkey]

    @classmethod
    async def fetch(
        cls,
        conn: AsyncClient,
        address: Pubkey,
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.Optional["TunnelClaim"]:
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
    ) -> typing.List[typing.Optional["TunnelClaim"]]:
        infos = await get_multiple_accounts(conn, addresses, commitment=commitment)
        res: typing.List[typing.Optional["TunnelClaim"]] = []
        for info in infos:
            if info is None:
                res.append(None)
                continue
            if info.account.owner != program_id:
                raise ValueError("Account does not belong to this program")
            res.append(cls.decode(info.account.data))
        return res

    @classmethod
    def decode(cls, data: bytes) -> "TunnelClaim":
        if data[: len(cls.discriminator)] != cls.discriminator:
            raise AccountInvalidDiscriminator(
                "The discriminator for this account is invalid"
            )
        dec = TunnelClaim.layout.parse(data[len(cls.discriminator) :])
        return cls(
            user=dec.user,
            bump=dec.bump,
            sharers=dec.sharers,
        )

    def to_json(self) -> TunnelClaimJSON:
        return {
            "user": str(self.user),
            "bump": self.bump,
            "sharers": list(map(lambda item: str(item), self.sharers)),
        }

    @classmethod
    def from_json(cls, obj: TunnelClaimJSON) -> "TunnelClaim":
        return cls(
            user=Pubkey.from_string(obj["user"]),
            bump=obj["bump"],
            sharers=list(map(lambda item: Pubkey.from_string(item), obj["sharers"])),
        )
