use anchor_lang::prelude::*;

use crate::constants::{USER_BGP_BLOCK_LEN, USER_SESSION_BLOCK_LEN};
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
/// Three layouts exist. The BGP block (`bgp_status`, `last_bgp_up_at`,
/// `last_bgp_reported_at`, 17 bytes) was added after launch, and the session-quality block
/// (`bgp_rtt_ns`, `bgp_flaps`, `bgp_up_secs`, `last_bgp_down_at`, 28 bytes) after that: an
/// account written before either (123 or 140 bytes) still loads, reading the missing fields
/// as `Unknown`/0, and its first BGP report grows it in place, the rent from the metrics
/// publisher. (The IDL build cannot see the tolerant reader, hence the `cfg_attr`; the
/// layout it describes is the current one.)
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
        borsh(deserialize_with = "crate::state::appended::read_fixed_or_default")
    )]
    pub bgp_status: BgpStatus,
    /// Unix time of the last report with status Up; 0 = never.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_fixed_or_default")
    )]
    pub last_bgp_up_at: i64,
    /// Unix time of the last report of any status; 0 = never.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_fixed_or_default")
    )]
    pub last_bgp_reported_at: i64,
    /// Smoothed round-trip time of the BGP session's TCP connection in nanoseconds, as the
    /// device's kernel measures it (`tcpi_rtt`) at the last report; 0 = no sample.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_fixed_or_default")
    )]
    pub bgp_rtt_ns: u64,
    /// Up → Down transitions the program has recorded.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_fixed_or_default")
    )]
    pub bgp_flaps: u32,
    /// Seconds the session has been Up, accrued by the program at each report from its own
    /// timestamps (the time since the previous report, when that report said Up).
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_fixed_or_default")
    )]
    pub bgp_up_secs: u64,
    /// Unix time of the last report with status Down; 0 = never.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_fixed_or_default")
    )]
    pub last_bgp_down_at: i64,
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
    /// Account size with the BGP block but before session quality, discriminator included.
    pub const BGP_V1_SPACE: usize = User::LEGACY_SPACE + USER_BGP_BLOCK_LEN as usize;
    /// Account size in the current layout, discriminator included.
    pub const SPACE: usize = User::BGP_V1_SPACE + USER_SESSION_BLOCK_LEN as usize;

    /// Offset of `device` in the account data: after the discriminator and `owner`.
    pub const DEVICE_OFFSET: usize = 8 + 32;

    /// The BGP fields.
    pub fn session(&self) -> BgpSession {
        BgpSession {
            status: self.bgp_status,
            last_up_at: self.last_bgp_up_at,
            last_reported_at: self.last_bgp_reported_at,
            rtt_ns: self.bgp_rtt_ns,
            flaps: self.bgp_flaps,
            up_secs: self.bgp_up_secs,
            last_down_at: self.last_bgp_down_at,
        }
    }

    /// Records a report at `now` (see [`BgpSession::record`]). Returns the previous status.
    pub fn record_bgp_status(&mut self, status: BgpStatus, rtt_ns: u64, now: i64) -> BgpStatus {
        let mut session = self.session();
        let previous = session.record(status, rtt_ns, now);
        self.bgp_status = session.status;
        self.last_bgp_up_at = session.last_up_at;
        self.last_bgp_reported_at = session.last_reported_at;
        self.bgp_rtt_ns = session.rtt_ns;
        self.bgp_flaps = session.flaps;
        self.bgp_up_secs = session.up_secs;
        self.last_bgp_down_at = session.last_down_at;
        previous
    }
}

/// The BGP fields of a User — both appended blocks, from `bgp_status` to `last_bgp_down_at` —
/// as `report_bgp_sessions` reads and writes them in place, at [`BgpSession::OFFSET`] of a
/// current-layout account, without decoding the rest of the User. Borsh's encoding: the
/// status as its variant's byte, the integers little-endian (a unit test holds this to the
/// User's own serialization).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BgpSession {
    /// `bgp_status`.
    pub status: BgpStatus,
    /// `last_bgp_up_at`.
    pub last_up_at: i64,
    /// `last_bgp_reported_at`.
    pub last_reported_at: i64,
    /// `bgp_rtt_ns`.
    pub rtt_ns: u64,
    /// `bgp_flaps`.
    pub flaps: u32,
    /// `bgp_up_secs`.
    pub up_secs: u64,
    /// `last_bgp_down_at`.
    pub last_down_at: i64,
}

impl BgpSession {
    /// Where the fields start in a User account: right after the fields it had at launch.
    pub const OFFSET: usize = User::LEGACY_SPACE;

    /// The fields of a current-layout User account's `data`.
    pub fn read(data: &[u8]) -> Result<Self> {
        let block = data
            .get(Self::OFFSET..User::SPACE)
            .ok_or(ErrorCode::AccountDidNotDeserialize)?;
        let int = |at: usize| -> [u8; 8] { block[at..at + 8].try_into().expect("8 bytes") };
        Ok(BgpSession {
            status: match block[0] {
                0 => BgpStatus::Unknown,
                1 => BgpStatus::Up,
                2 => BgpStatus::Down,
                _ => return err!(ErrorCode::AccountDidNotDeserialize),
            },
            last_up_at: i64::from_le_bytes(int(1)),
            last_reported_at: i64::from_le_bytes(int(9)),
            rtt_ns: u64::from_le_bytes(int(17)),
            flaps: u32::from_le_bytes(block[25..29].try_into().expect("4 bytes")),
            up_secs: u64::from_le_bytes(int(29)),
            last_down_at: i64::from_le_bytes(int(37)),
        })
    }

    /// Writes the fields into a current-layout User account's `data`.
    pub fn write(&self, data: &mut [u8]) {
        let block = &mut data[Self::OFFSET..User::SPACE];
        block[0] = self.status as u8;
        block[1..9].copy_from_slice(&self.last_up_at.to_le_bytes());
        block[9..17].copy_from_slice(&self.last_reported_at.to_le_bytes());
        block[17..25].copy_from_slice(&self.rtt_ns.to_le_bytes());
        block[25..29].copy_from_slice(&self.flaps.to_le_bytes());
        block[29..37].copy_from_slice(&self.up_secs.to_le_bytes());
        block[37..45].copy_from_slice(&self.last_down_at.to_le_bytes());
    }

    /// Records a report at `now`: the status and RTT; `last_reported_at` always,
    /// `last_up_at` for Up and `last_down_at` for Down; a flap when an Up session is reported
    /// Down; and, when the previous report said Up, the time since it as up-time (none if
    /// the clock went backwards). Returns the previous status.
    pub fn record(&mut self, status: BgpStatus, rtt_ns: u64, now: i64) -> BgpStatus {
        let previous = self.status;
        if previous == BgpStatus::Up && self.last_reported_at > 0 {
            let elapsed = now.saturating_sub(self.last_reported_at).max(0) as u64;
            self.up_secs = self.up_secs.saturating_add(elapsed);
        }
        match status {
            BgpStatus::Up => self.last_up_at = now,
            BgpStatus::Down => {
                if previous == BgpStatus::Up {
                    self.flaps = self.flaps.saturating_add(1);
                }
                self.last_down_at = now;
            }
            BgpStatus::Unknown => {}
        }
        self.status = status;
        self.rtt_ns = rtt_ns;
        self.last_reported_at = now;
        previous
    }
}

// The published lengths (IDL constants) are the layout's.
const _: () = assert!(User::SPACE == crate::constants::USER_ACCOUNT_LEN as usize);
const _: () = assert!(User::LEGACY_SPACE == crate::constants::USER_LEGACY_ACCOUNT_LEN as usize);
const _: () = assert!(User::BGP_V1_SPACE == crate::constants::USER_BGP_V1_ACCOUNT_LEN as usize);

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
            bgp_rtt_ns: 1_250_000,
            bgp_flaps: 3,
            bgp_up_secs: 86_400,
            last_bgp_down_at: 1_699_999_000,
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
        assert_eq!(
            (decoded.bgp_rtt_ns, decoded.bgp_flaps, decoded.bgp_up_secs),
            (1_250_000, 3, 86_400)
        );
        assert_eq!(decoded.last_bgp_down_at, 1_699_999_000);
    }

    #[test]
    fn block_lengths_match_their_fields() {
        assert_eq!(BgpStatus::INIT_SPACE + 8 + 8, USER_BGP_BLOCK_LEN as usize);
        assert_eq!(8 + 4 + 8 + 8, USER_SESSION_BLOCK_LEN as usize);
    }

    #[test]
    fn the_bgp_v1_layout_reads_no_session_quality() {
        let mut data = Vec::new();
        user().try_serialize(&mut data).unwrap();
        data.truncate(User::BGP_V1_SPACE);
        let decoded = User::try_deserialize(&mut data.as_slice()).unwrap();
        assert_eq!(decoded.bgp_status, BgpStatus::Up);
        assert_eq!(decoded.last_bgp_reported_at, 1_700_000_200);
        assert_eq!(
            (decoded.bgp_rtt_ns, decoded.bgp_flaps, decoded.bgp_up_secs),
            (0, 0, 0)
        );
        assert_eq!(decoded.last_bgp_down_at, 0);
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
        let field_ends = [1, 9, 17, 25, 29, 37, 45].map(|end| User::LEGACY_SPACE + end);
        for len in User::LEGACY_SPACE + 1..User::SPACE {
            let decoded = User::try_deserialize(&mut &data[..len]);
            assert_eq!(decoded.is_ok(), field_ends.contains(&len), "len {len}");
        }
        assert!(User::try_deserialize(&mut &data[..User::LEGACY_SPACE - 1]).is_err());
    }

    #[test]
    fn bgp_up_at_advances_only_on_up() {
        let mut u = user();
        let reported = u.last_bgp_reported_at;
        assert_eq!(
            u.record_bgp_status(BgpStatus::Down, 0, reported + 50),
            BgpStatus::Up
        );
        assert_eq!(
            (u.last_bgp_up_at, u.last_bgp_reported_at),
            (1_700_000_100, reported + 50)
        );
        u.record_bgp_status(BgpStatus::Up, 900, reported + 60);
        assert_eq!(
            (u.last_bgp_up_at, u.last_bgp_reported_at),
            (reported + 60, reported + 60)
        );
    }

    #[test]
    fn flaps_and_up_time_follow_the_reports() {
        let mut u = user();
        let t0 = u.last_bgp_reported_at; // Up, reported at t0
        let (flaps, up_secs) = (u.bgp_flaps, u.bgp_up_secs);
        // Still Up 30 s later: 30 s accrue, no flap; the RTT is the latest sample.
        u.record_bgp_status(BgpStatus::Up, 2_000_000, t0 + 30);
        assert_eq!(
            (u.bgp_flaps, u.bgp_up_secs, u.bgp_rtt_ns),
            (flaps, up_secs + 30, 2_000_000)
        );
        // Down 10 s later: those 10 s were Up, and it is a flap.
        u.record_bgp_status(BgpStatus::Down, 0, t0 + 40);
        assert_eq!((u.bgp_flaps, u.bgp_up_secs), (flaps + 1, up_secs + 40));
        assert_eq!(u.last_bgp_down_at, t0 + 40);
        // Down again, then Unknown, then Up: nothing accrues while not Up, no flap.
        u.record_bgp_status(BgpStatus::Down, 0, t0 + 100);
        u.record_bgp_status(BgpStatus::Unknown, 0, t0 + 200);
        u.record_bgp_status(BgpStatus::Up, 1_000, t0 + 300);
        assert_eq!((u.bgp_flaps, u.bgp_up_secs), (flaps + 1, up_secs + 40));
        assert_eq!(u.last_bgp_down_at, t0 + 100);
        // A clock that went backwards accrues nothing.
        u.record_bgp_status(BgpStatus::Up, 1_000, t0 + 250);
        assert_eq!(u.bgp_up_secs, up_secs + 40);
    }

    #[test]
    fn the_session_block_is_where_borsh_puts_the_fields() {
        let original = user();
        let mut data = Vec::new();
        original.try_serialize(&mut data).unwrap();
        let session = BgpSession::read(&data).unwrap();
        assert_eq!(session.status, BgpStatus::Up);
        assert_eq!(
            (
                session.last_up_at,
                session.last_reported_at,
                session.last_down_at
            ),
            (1_700_000_100, 1_700_000_200, 1_699_999_000)
        );
        assert_eq!(
            (session.rtt_ns, session.flaps, session.up_secs),
            (1_250_000, 3, 86_400)
        );

        let mut recorded = original;
        let previous = recorded.record_bgp_status(BgpStatus::Down, 7, 1_700_000_260);
        let mut in_place = session;
        assert_eq!(in_place.record(BgpStatus::Down, 7, 1_700_000_260), previous);
        in_place.write(&mut data);
        let decoded = User::try_deserialize(&mut data.as_slice()).unwrap();
        let mut expected = Vec::new();
        recorded.try_serialize(&mut expected).unwrap();
        assert_eq!(
            data, expected,
            "the same bytes as the User's own serialization"
        );
        assert_eq!(decoded.bgp_flaps, 4);
        assert!(BgpSession::read(&data[..User::BGP_V1_SPACE]).is_err());
        let device = &data[User::DEVICE_OFFSET..User::DEVICE_OFFSET + 32];
        assert_eq!(device, decoded.device.as_ref());
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
