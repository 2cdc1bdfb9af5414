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


class AdminProposalJSON(typing.TypedDict):
    proposed_admin: str
    proposed_at: int
    bump: int


@dataclass
class AdminProposal:
    discriminator: typing.ClassVar = b"k\xf9B\x0b\x93\x1c\x0c\xef"
    layout: typing.ClassVar = borsh.CStruct(
        "proposed_admin" / BorshPubkey, "proposed_at" / borsh.I64, "bump" / borsh.U8
    )
    proposed_admin: Pubkey
    proposed_at: int
    bump: int

    @classmethod
    async def fetch(
        cls,
        conn: AsyncClient,
        address: Pubkey,
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.Optional["AdminProposal"]:
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
    ) -> typing.List[typing.Optional["AdminProposal"]]:
        infos = await get_multiple_accounts(conn, addresses, commitment=commitment)
        res: typing.List[typing.Optional["AdminProposal"]] = []
        for info in infos:
            if info is None:
                res.append(None)
                continue
            if info.account.owner != program_id:
                raise ValueError("Account does not belong to this program")
            res.append(cls.decode(info.account.data))
        return res

    @classmethod
    def decode(cls, data: bytes) -> "AdminProposal":
        if data[: len(cls.discriminator)] != cls.discriminator:
            raise AccountInvalidDiscriminator(
                "The discriminator for this account is invalid"
            )
        dec = AdminProposal.layout.parse(data[len(cls.discriminator) :])
        return cls(
            proposed_admin=dec.proposed_admin,
            proposed_at=dec.proposed_at,
            bump=dec.bump,
        )

    def to_json(self) -> AdminProposalJSON:
        return {
            "proposed_admin": str(self.proposed_admin),
            "proposed_at": self.proposed_at,
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: AdminProposalJSON) -> "AdminProposal":
        return cls(
            proposed_admin=Pubkey.from_string(obj["proposed_admin"]),
            proposed_at=obj["proposed_at"],
            bump=obj["bump"],
        )
