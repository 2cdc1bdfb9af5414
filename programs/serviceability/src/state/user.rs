use anchor_lang::prelude::*;

use crate::constants::USER_BGP_BLOCK_LEN;
use crate::errors::ServiceabilityError;

/// Lifecycle of a user connection.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserStatus {
    /// Requested, not provisioned.
    Pending,
    /// Provisioned on the device (what `create_user` produces).
    Activated,
    /// Out of service.
    Suspended,
}

/// BGP session state of a user as last reported by the device's metrics publisher.
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub enum BgpStatus {
    /// Never reported (also what a legacy-layout account reads as).
    #[default]
    Unknown,
    /// Session established.
    Up,
    /// Session not established.
    Down,
}

/// The point-to-point IPv4 network of a user's tunnel: /31 or /30, host bits zero.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct TunnelNet {
    /// Network address, network byte order.
    pub network: [u8; 4],
    /// Prefix length: 30 or 31.
    pub prefix_len: u8,
}

impl TunnelNet {
    /// Whether the prefix is /30 or /31 and the host bits of `network` are zero.
    pub fn is_valid(&self) -> bool {
        matches!(self.prefix_len, 30 | 31)
            && u32::from_be_bytes(self.network) & !(u32::MAX << (32 - self.prefix_len)) == 0
    }

    /// The device's side of the tunnel: the first address (/31) or first host (/30).
    pub fn device_ip(&self) -> [u8; 4] {
        self.host(0)
    }

    /// The user's BGP peer address: the second address (/31) or second host (/30).
    pub fn user_peer_ip(&self) -> [u8; 4] {
        self.host(1)
    }

    /// The network of the tunnel's second /31 when it is a /30 (network + 2), else `None`.
    /// A tunnel holds one TunnelClaim per /31 it covers: its network's, and this one's.
    pub fn second_claim_network(&self) -> Option<[u8; 4]> {
        (self.prefix_len == 30).then(|| (u32::from_be_bytes(self.network) + 2).to_be_bytes())
    }

    fn host(&self, index: u32) -> [u8; 4] {
        let first_host = if self.prefix_len == 30 { 1 } else { 0 };
        (u32::from_be_bytes(self.network) + first_host + index).to_be_bytes()
    }

    /// Fails with `InvalidTunnelNet` unless [`Self::is_valid`].
    pub fn validate(&self) -> Result<()> {
        require!(self.is_valid(), ServiceabilityError::InvalidTunnelNet);
        Ok(())
    }
}

/// A user connection on a device. PDA `["user", device, client_ip]`.
///
/// The last three fields (17 bytes) were added after launch. An account written before
/// them (the legacy layout) still loads, reading `Unknown`/0, and the first
/// `set_user_bgp_status` grows it in place. (The IDL build cannot see the tolerant
/// reader, hence the `cfg_attr`; the layout it describes is the current one.)
#[account]
#[derive(Debug)]
pub struct User {
    /// The user's owner.
    pub owner: Pubkey,
    /// The Device PDA the user is connected to.
    pub device: Pubkey,
    /// Client IPv4 address, network byte order.
    pub client_ip: [u8; 4],
    /// Tunnel network; the user's BGP peer address is derived from it.
    pub tunnel_net: TunnelNet,
    /// Lifecycle status.
    pub status: UserStatus,
    /// Unix time of creation.
    pub created_at: i64,
    /// Who paid the rent and receives it when the user is deleted.
    pub payer: Pubkey,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Last reported BGP session state.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_or_default")
    )]
    pub bgp_status: BgpStatus,
    /// Unix time of the last report with status Up; 0 = never.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_or_default")
    )]
    pub last_bgp_up_at: i64,
    /// Unix time of the last report of any status; 0 = never.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_or_default")
    )]
    pub last_bgp_reported_at: i64,
}

impl User {
    /// Account size in the legacy layout (before the BGP block), discriminator included.
    /// (`InitSpace` cannot be derived: it rejects the `deserialize_with` attributes.)
    pub const LEGACY_SPACE: usize = 8 // discriminator
        + 32 // owner
        + 32 // device
        + 4 // client_ip
        + TunnelNet::INIT_SPACE
        + UserStatus::INIT_SPACE
        + 8 // created_at
        + 32 // payer
        + 1; // bump
    /// Account size in the current layout, discriminator included.
    pub const SPACE: usize = User::LEGACY_SPACE + USER_BGP_BLOCK_LEN as usize;

    /// Records a report: `last_bgp_reported_at` always, `last_bgp_up_at` only for Up.
    /// Returns the previous status.
    pub fn record_bgp_status(&mut self, status: BgpStatus, now: i64) -> BgpStatus {
        let previous = self.bgp_status;
        self.bgp_status = status;
        self.last_bgp_reported_at = now;
        if status == BgpStatus::Up {
            self.last_bgp_up_at = now;
        }
        previous
    }
}

// The published lengths (IDL constants) are the layout's.
const _: () = assert!(User::SPACE == crate::constants::USER_ACCOUNT_LEN as usize);
const _: () = assert!(User::LEGACY_SPACE == crate::constants::USER_LEGACY_ACCOUNT_LEN as usize);

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::{AccountDeserialize, AccountSerialize};

    fn user() -> User {
        User {
            owner: Pubkey::new_unique(),
            device: Pubkey::new_unique(),
            client_ip: [100, 64, 0, 9],
            tunnel_net: TunnelNet {
                network: [169, 254, 0, 2],
                prefix_len: 31,
            },
            status: UserStatus::Activated,
            created_at: 1_700_000_000,
            payer: Pubkey::new_unique(),
            bump: 254,
            bgp_status: BgpStatus::Up,
            last_bgp_up_at: 1_700_000_100,
            last_bgp_reported_at: 1_700_000_200,
        }
    }

    #[test]
    fn current_layout_round_trips() {
        let original = user();
        let mut data = Vec::new();
        original.try_serialize(&mut data).unwrap();
        assert_eq!(data.len(), User::SPACE);
        let decoded = User::try_deserialize(&mut data.as_slice()).unwrap();
        assert_eq!(decoded.bgp_status, BgpStatus::Up);
        assert_eq!(decoded.last_bgp_up_at, 1_700_000_100);
        assert_eq!(decoded.last_bgp_reported_at, 1_700_000_200);
    }

    #[test]
    fn bgp_block_length_matches_its_fields() {
        assert_eq!(BgpStatus::INIT_SPACE + 8 + 8, USER_BGP_BLOCK_LEN as usize);
    }

    #[test]
    fn legacy_layout_reads_unknown_and_zero() {
        let mut data = Vec::new();
        user().try_serialize(&mut data).unwrap();
        data.truncate(User::LEGACY_SPACE);
        let decoded = User::try_deserialize(&mut data.as_slice()).unwrap();
        assert_eq!(decoded.bgp_status, BgpStatus::Unknown);
        assert_eq!(
            (decoded.last_bgp_up_at, decoded.last_bgp_reported_at),
            (0, 0)
        );
        assert_eq!(decoded.client_ip, [100, 64, 0, 9]);
    }

    #[test]
    fn data_ending_inside_a_bgp_field_is_rejected() {
        let mut data = Vec::new();
        user().try_serialize(&mut data).unwrap();
        let field_ends = [User::LEGACY_SPACE + 1, User::LEGACY_SPACE + 9, User::SPACE];
        for len in User::LEGACY_SPACE + 1..User::SPACE {
            let decoded = User::try_deserialize(&mut &data[..len]);
            assert_eq!(decoded.is_ok(), field_ends.contains(&len), "len {len}");
        }
        assert!(User::try_deserialize(&mut &data[..User::LEGACY_SPACE - 1]).is_err());
    }

    #[test]
    fn bgp_up_at_advances_only_on_up() {
        let mut u = user();
        assert_eq!(u.record_bgp_status(BgpStatus::Down, 50), BgpStatus::Up);
        assert_eq!(
            (u.last_bgp_up_at, u.last_bgp_reported_at),
            (1_700_000_100, 50)
        );
        u.record_bgp_status(BgpStatus::Up, 60);
        assert_eq!((u.last_bgp_up_at, u.last_bgp_reported_at), (60, 60));
    }

    #[test]
    fn tunnel_net_peer_addresses() {
        let slash31 = TunnelNet {
            network: [169, 254, 0, 2],
            prefix_len: 31,
        };
        assert!(slash31.is_valid());
        assert_eq!(
            (slash31.device_ip(), slash31.user_peer_ip()),
            ([169, 254, 0, 2], [169, 254, 0, 3])
        );
        let slash30 = TunnelNet {
            network: [10, 0, 0, 4],
            prefix_len: 30,
        };
        assert!(slash30.is_valid());
        assert_eq!(
            (slash30.device_ip(), slash30.user_peer_ip()),
            ([10, 0, 0, 5], [10, 0, 0, 6])
        );
        assert!(!TunnelNet {
            network: [10, 0, 0, 5],
            prefix_len: 30
        }
        .is_valid());
        assert!(!TunnelNet {
            network: [10, 0, 0, 3],
            prefix_len: 31
        }
        .is_valid());
        assert!(!TunnelNet {
            network: [10, 0, 0, 0],
            prefix_len: 29
        }
        .is_valid());
    }
}
