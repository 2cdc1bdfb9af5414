//! A user: `user show`/`list`, with its BGP status, and the user a write changed.

use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use serviceability_client::chain::UserRecord;

use super::table::{key_values, list};
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
    /// When it was created.
    pub created_at: Timestamp,
    /// Who paid the rent (and gets it back).
    pub payer: String,
    /// Whether the account is still in the layout from before the BGP fields.
    pub legacy_layout: bool,
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
            created_at: Timestamp::new(user.created_at),
            payer: user.payer.to_string(),
            legacy_layout: record.legacy_layout,
        }
    }

    fn device_name(&self) -> String {
        self.device_code
            .clone()
            .unwrap_or_else(|| self.device.clone())
    }

    /// Key/value table.
    pub fn table(&self) -> String {
        key_values(&[
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
            ("Created at", self.created_at.rfc3339.clone()),
            ("Owner", self.owner.clone()),
            ("Payer", self.payer.clone()),
            (
                "Layout",
                if self.legacy_layout {
                    "legacy"
                } else {
                    "current"
                }
                .into(),
            ),
        ])
    }

    /// Table of several users.
    pub fn list_table(users: &[UserView]) -> String {
        list(
            &[
                "DEVICE",
                "CLIENT IP",
                "TUNNEL NET",
                "STATUS",
                "BGP",
                "LAST BGP REPORT",
                "ADDRESS",
            ],
            users.iter().map(|u| {
                vec![
                    u.device_name(),
                    u.client_ip.clone(),
                    u.tunnel_net.clone(),
                    u.status.clone(),
                    u.bgp_status.clone(),
                    optional_text(&u.last_bgp_reported_at, "never"),
                    u.address.clone(),
                ]
            }),
            "no users",
        )
    }
}
