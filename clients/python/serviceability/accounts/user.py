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


class UserJSON(typing.TypedDict):
    owner: str
    device: str
    client_ip: list[int]
    tunnel_net: types.tunnel_net.TunnelNetJSON
    status: types.user_status.UserStatusJSON
    created_at: int
    payer: str
    bump: int
    bgp_status: types.bgp_status.BgpStatusJSON
    last_bgp_up_at: int
    last_bgp_reported_at: int
    bgp_rtt_ns: int
    bgp_flaps: int
    bgp_up_secs: int
    last_bgp_down_at: int


@dataclass
class User:
    discriminator: typing.ClassVar = b"\x9fu_\xe3\xef\x97:\xec"
    layout: typing.ClassVar = borsh.CStruct(
        "owner" / BorshPubkey,
        "device" / BorshPubkey,
        "client_ip" / borsh.U8[4],
        "tunnel_net" / types.tunnel_net.TunnelNet.layout,
        "status" / types.user_status.layout,
        "created_at" / borsh.I64,
        "payer" / BorshPubkey,
        "bump" / borsh.U8,
        "bgp_status" / types.bgp_status.layout,
        "last_bgp_up_at" / borsh.I64,
        "last_bgp_reported_at" / borsh.I64,
        "bgp_rtt_ns" / borsh.U64,
        "bgp_flaps" / borsh.U32,
        "bgp_up_secs" / borsh.U64,
        "last_bgp_down_at" / borsh.I64,
    )
    owner: Pubkey
    device: Pubkey
    client_ip: list[int]
    tunnel_net: types.tunnel_net.TunnelNet
    status: types.user_status.UserStatusKind
    created_at: int
    payer: Pubkey
    bump: int
    bgp_status: types.bgp_status.BgpStatusKind
    last_bgp_up_at: int
    last_bgp_reported_at: int
    bgp_rtt_ns: int
    bgp_flaps: int
    bgp_up_secs: int
    last_bgp_down_at: int

    @classmethod
    async def fetch(
        cls,
        conn: AsyncClient,
        address: Pubkey,
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.Optional["User"]:
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
    ) -> typing.List[typing.Optional["User"]]:
        infos = await get_multiple_accounts(conn, addresses, commitment=commitment)
        res: typing.List[typing.Optional["User"]] = []
        for info in infos:
            if info is None:
                res.append(None)
                continue
            if info.account.owner != program_id:
                raise ValueError("Account does not belong to this program")
            res.append(cls.decode(info.account.data))
        return res

    @classmethod
    def decode(cls, data: bytes) -> "User":
        if data[: len(cls.discriminator)] != cls.discriminator:
            raise AccountInvalidDiscriminator(
                "The discriminator for this account is invalid"
            )
        dec = User.layout.parse(data[len(cls.discriminator) :])
        return cls(
            owner=dec.owner,
            device=dec.device,
            client_ip=dec.client_ip,
            tunnel_net=types.tunnel_net.TunnelNet.from_decoded(dec.tunnel_net),
            status=types.user_status.from_decoded(dec.status),
            created_at=dec.created_at,
            payer=dec.payer,
            bump=dec.bump,
            bgp_status=types.bgp_status.from_decoded(dec.bgp_status),
            last_bgp_up_at=dec.last_bgp_up_at,
            last_bgp_reported_at=dec.last_bgp_reported_at,
            bgp_rtt_ns=dec.bgp_rtt_ns,
            bgp_flaps=dec.bgp_flaps,
            bgp_up_secs=dec.bgp_up_secs,
            last_bgp_down_at=dec.last_bgp_down_at,
        )

    def to_json(self) -> UserJSON:
        return {
            "owner": str(self.owner),
            "device": str(self.device),
            "client_ip": self.client_ip,
            "tunnel_net": self.tunnel_net.to_json(),
            "status": self.status.to_json(),
            "created_at": self.created_at,
            "payer": str(self.payer),
            "bump": self.bump,
            "bgp_status": self.bgp_status.to_json(),
            "last_bgp_up_at": self.last_bgp_up_at,
            "last_bgp_reported_at": self.last_bgp_reported_at,
            "bgp_rtt_ns": self.bgp_rtt_ns,
            "bgp_flaps": self.bgp_flaps,
            "bgp_up_secs": self.bgp_up_secs,
            "last_bgp_down_at": self.last_bgp_down_at,
        }

    @classmethod
    def from_json(cls, obj: UserJSON) -> "User":
        return cls(
            owner=Pubkey.from_string(obj["owner"]),
            device=Pubkey.from_string(obj["device"]),
            client_ip=obj["client_ip"],
            tunnel_net=types.tunnel_net.TunnelNet.from_json(obj["tunnel_net"]),
            status=types.user_status.from_json(obj["status"]),
            created_at=obj["created_at"],
            payer=Pubkey.from_string(obj["payer"]),
            bump=obj["bump"],
            bgp_status=types.bgp_status.from_json(obj["bgp_status"]),
            last_bgp_up_at=obj["last_bgp_up_at"],
            last_bgp_reported_at=obj["last_bgp_reported_at"],
            bgp_rtt_ns=obj["bgp_rtt_ns"],
            bgp_flaps=obj["bgp_flaps"],
            bgp_up_secs=obj["bgp_up_secs"],
            last_bgp_down_at=obj["last_bgp_down_at"],
        )
