//! A user: `user show`/`list`, with its BGP status, and the user a write changed.

use std::fmt;
use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use serviceability_client::chain::UserRecord;

use super::device::DeviceView;
use super::listing::Row;
use super::table::key_values;
use super::timestamp::{optional_text, Timestamp};

/// A User.
#[derive(Clone, Debug, Serialize)]
pub struct UserView {
    /// Its address.
    pub address: String,
    /// The device's address.
    pub device: String,
    /// The device's code, when the device exists.
    pub device_code: Option<String>,
    /// The client IP.
    pub client_ip: String,
    /// Its owner.
    pub owner: String,
    /// Its tunnel network, CIDR.
    pub tunnel_net: String,
    /// The address its BGP session comes from (second host of the tunnel net).
    pub bgp_peer_ip: String,
    /// `pending`, `activated` or `suspended`.
    pub status: String,
    /// `unknown`, `up` or `down`.
    pub bgp_status: String,
    /// Last report of an Up session; `null` for never.
    pub last_bgp_up_at: Option<Timestamp>,
    /// Last BGP report of any status; `null` for never.
    pub last_bgp_reported_at: Option<Timestamp>,
    /// Last report of a Down session; `null` for never.
    pub last_bgp_down_at: Option<Timestamp>,
    /// Smoothed RTT of the BGP session at the last report, nanoseconds; `null` for no sample.
    pub bgp_rtt_ns: Option<u64>,
    /// Up → Down transitions the program has recorded.
    pub bgp_flaps: u32,
    /// Seconds the session has been Up, as the program accrued them.
    pub bgp_up_secs: u64,
    /// When it was created.
    pub created_at: Timestamp,
    /// Who paid the rent (and gets it back).
    pub payer: String,
    /// Whether the account is still in an older layout (its first BGP report grows it).
    pub legacy_layout: bool,
    /// Bytes the account holds (123, 140 or 168: see the README's layouts).
    pub account_len: usize,
}

impl UserView {
    /// The view of `record` at `address`.
    pub fn new(address: &Pubkey, record: &UserRecord, device_code: Option<&str>) -> Self {
        let user = &record.user;
        UserView {
            address: address.to_string(),
            device: user.device.to_string(),
            device_code: device_code.map(str::to_string),
            client_ip: Ipv4Addr::from(user.client_ip).to_string(),
            owner: user.owner.to_string(),
            tunnel_net: user.tunnel_net.to_string(),
            bgp_peer_ip: user.tunnel_net.bgp_peer_ip().to_string(),
            status: user.status.name().into(),
            bgp_status: user.bgp_status.name().into(),
            last_bgp_up_at: Timestamp::optional(user.last_bgp_up_at),
            last_bgp_reported_at: Timestamp::optional(user.last_bgp_reported_at),
            last_bgp_down_at: Timestamp::optional(user.last_bgp_down_at),
            bgp_rtt_ns: (user.bgp_rtt_ns != 0).then_some(user.bgp_rtt_ns),
            bgp_flaps: user.bgp_flaps,
            bgp_up_secs: user.bgp_up_secs,
            created_at: Timestamp::new(user.created_at),
            payer: user.payer.to_string(),
            legacy_layout: record.legacy_layout,
            account_len: record.stored_len,
        }
    }

    fn rtt_text(&self) -> String {
        match self.bgp_rtt_ns {
            Some(ns) => format!("{:.3} ms", ns as f64 / 1e6),
            None => "-".into(),
        }
    }

    fn up_time_text(&self) -> String {
        let secs = self.bgp_up_secs;
        format!(
            "{}d {:02}h {:02}m {:02}s",
            secs / 86_400,
            secs / 3_600 % 24,
            secs / 60 % 60,
            secs % 60
        )
    }

    fn device_name(&self) -> String {
        self.device_code
            .clone()
            .unwrap_or_else(|| self.device.clone())
    }
}

impl fmt::Display for UserView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&key_values(&[
            ("User", self.address.clone()),
            ("Device", self.device_name()),
            ("Client IP", self.client_ip.clone()),
            ("Tunnel net", self.tunnel_net.clone()),
            ("BGP peer IP", self.bgp_peer_ip.clone()),
            ("Status", self.status.clone()),
            ("BGP status", self.bgp_status.clone()),
            ("Last BGP up", optional_text(&self.last_bgp_up_at, "never")),
            (
                "Last BGP report",
                optional_text(&self.last_bgp_reported_at, "never"),
            ),
            (
                "Last BGP down",
                optional_text(&self.last_bgp_down_at, "never"),
            ),
            ("BGP RTT", self.rtt_text()),
            ("BGP flaps", self.bgp_flaps.to_string()),
            ("BGP up-time", self.up_time_text()),
            ("Created at", self.created_at.rfc3339.clone()),
            ("Owner", self.owner.clone()),
            ("Payer", self.payer.clone()),
            (
                "Layout",
                if self.legacy_layout {
                    format!(
                        "older ({} bytes; grows on its next BGP report)",
                        self.account_len
                    )
                } else {
                    "current".into()
                },
            ),
        ]))
    }
}

impl Row for UserView {
    const HEADER: &'static [&'static str] = &[
        "DEVICE",
        "CLIENT IP",
        "TUNNEL NET",
        "STATUS",
        "BGP",
        "RTT",
        "FLAPS",
        "LAST BGP REPORT",
        "ADDRESS",
    ];
    const EMPTY: &'static str = "no users";

    fn cells(&self) -> Vec<String> {
        vec![
            self.device_name(),
            self.client_ip.clone(),
            self.tunnel_net.clone(),
            self.status.clone(),
            self.bgp_status.clone(),
            self.rtt_text(),
            self.bgp_flaps.to_string(),
            optional_text(&self.last_bgp_reported_at, "never"),
            self.address.clone(),
        ]
    }
}

/// `user create`: the user, its device's counters after, and whether a reservation became
/// its seat.
#[derive(Serialize)]
pub struct UserCreatedView {
    /// The user created.
    pub user: UserView,
    /// Its device, as the user left it.
    pub device: DeviceView,
    /// Whether the seat was the client's reservation (or a free one).
    pub consumed_reservation: bool,
}

impl fmt::Display for UserCreatedView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.user.fmt(formatter)
    }
}
