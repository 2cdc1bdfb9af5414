//! What commands print: serializable views of the accounts (stable JSON field names, pubkeys
//! in base58, IPs dotted, timestamps as RFC 3339 and unix) and their table forms.

use std::net::Ipv4Addr;
use std::time::{Duration, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use comfy_table::{presets, Table};
use serde::Serialize;
use serde_json::Value;
use serviceability_client::accounts::{AdminProposal, Device, GlobalState, Reservation};
use serviceability_client::chain::UserRecord;
use serviceability_client::pda;

/// What a command produced: one JSON document and its human form.
#[derive(Debug)]
pub struct Outcome {
    /// The JSON document printed with `--output json`.
    pub json: Value,
    /// The text printed otherwise.
    pub text: String,
    /// The exit status after printing (non-zero for audit drift).
    pub exit_code: u8,
}

impl Outcome {
    /// An outcome from a serializable view and its text.
    pub fn new(view: &impl Serialize, text: String) -> Self {
        Outcome {
            json: serde_json::to_value(view).expect("views serialize"),
            text,
            exit_code: 0,
        }
    }
}

/// A point in time, both ways.
#[derive(Clone, Debug, Serialize)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub unix: i64,
    /// RFC 3339, UTC.
    pub rfc3339: String,
}

impl Timestamp {
    /// The timestamp of `unix` seconds.
    pub fn new(unix: i64) -> Self {
        let rfc3339 = u64::try_from(unix)
            .ok()
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
            .map(|time| humantime::format_rfc3339_seconds(time).to_string())
            .unwrap_or_else(|| unix.to_string());
        Timestamp { unix, rfc3339 }
    }

    /// `None` for 0 (never).
    pub fn optional(unix: i64) -> Option<Self> {
        (unix != 0).then(|| Timestamp::new(unix))
    }
}

fn optional_text(timestamp: &Option<Timestamp>, none: &str) -> String {
    timestamp
        .as_ref()
        .map_or_else(|| none.to_string(), |t| t.rfc3339.clone())
}

/// GlobalState.
#[derive(Clone, Debug, Serialize)]
pub struct GlobalStateView {
    /// Its address.
    pub address: String,
    /// The admin.
    pub admin: String,
    /// The key the admin proposed as its successor, until it accepts (`authority accept-admin`).
    pub proposed_admin: Option<String>,
    /// Who creates and deletes users (besides foundation keys).
    pub activator_authority: String,
    /// Who reserves seats (besides foundation keys), if anyone.
    pub reservation_authority: Option<String>,
    /// The foundation keys.
    pub foundation_allowlist: Vec<String>,
    /// Whether new reservations are refused.
    pub reservations_paused: bool,
}

impl GlobalStateView {
    /// The view of `state` and its pending admin proposal.
    pub fn new(state: &GlobalState, proposal: Option<&AdminProposal>) -> Self {
        GlobalStateView {
            address: pda::global_state().to_string(),
            admin: state.admin.to_string(),
            proposed_admin: proposal.map(|proposal| proposal.proposed_admin.to_string()),
            activator_authority: state.activator_authority.to_string(),
            reservation_authority: state.reservation_authority.map(|key| key.to_string()),
            foundation_allowlist: state
                .foundation_allowlist
                .iter()
                .map(ToString::to_string)
                .collect(),
            reservations_paused: state.reservations_paused,
        }
    }

    /// Key/value table.
    pub fn table(&self) -> String {
        let allowlist = if self.foundation_allowlist.is_empty() {
            "(empty)".to_string()
        } else {
            self.foundation_allowlist.join("\n")
        };
        key_values(&[
            ("GlobalState", self.address.clone()),
            ("Admin", self.admin.clone()),
            (
                "Proposed admin",
                self.proposed_admin.clone().unwrap_or_else(|| "none".into()),
            ),
            ("Activator authority", self.activator_authority.clone()),
            (
                "Reservation authority",
                self.reservation_authority
                    .clone()
                    .unwrap_or_else(|| "none (foundation keys only)".into()),
            ),
            ("Foundation allowlist", allowlist),
            ("Reservations paused", yes_no(self.reservations_paused)),
        ])
    }
}

/// A Device.
#[derive(Clone, Debug, Serialize)]
pub struct DeviceView {
    /// Its address.
    pub address: String,
    /// Its code.
    pub code: String,
    /// The foundation key that created it (gets the rent back).
    pub owner: String,
    /// Its public IP.
    pub public_ip: String,
    /// `pending`, `activated`, `suspended` or `drained`.
    pub status: String,
    /// Capacity.
    pub max_users: u16,
    /// Users on it.
    pub users_count: u16,
    /// Seats held by reservations.
    pub reserved_seats: u16,
    /// `max_users - users_count - reserved_seats` (0 when over capacity).
    pub free_seats: u32,
    /// Who signs its BGP reports.
    pub metrics_publisher: String,
}

impl DeviceView {
    /// The view of `device` at `address`.
    pub fn new(address: &Pubkey, device: &Device) -> Self {
        let in_use = u32::from(device.users_count) + u32::from(device.reserved_seats);
        DeviceView {
            address: address.to_string(),
            code: device.code.clone(),
            owner: device.owner.to_string(),
            public_ip: Ipv4Addr::from(device.public_ip).to_string(),
            status: device.status.name().into(),
            max_users: device.max_users,
            users_count: device.users_count,
            reserved_seats: device.reserved_seats,
            free_seats: u32::from(device.max_users).saturating_sub(in_use),
            metrics_publisher: device.metrics_publisher.to_string(),
        }
    }

    /// `fra-1: 2 users + 1 reserved of 3 seats (0 free)`.
    pub fn seats_line(&self) -> String {
        format!(
            "{}: {} users + {} reserved of {} seats ({} free)",
            self.code, self.users_count, self.reserved_seats, self.max_users, self.free_seats
        )
    }

    /// Key/value table.
    pub fn table(&self) -> String {
        key_values(&[
            ("Device", self.address.clone()),
            ("Code", self.code.clone()),
            ("Status", self.status.clone()),
            ("Public IP", self.public_ip.clone()),
            ("Max users", self.max_users.to_string()),
            ("Users", self.users_count.to_string()),
            ("Reserved seats", self.reserved_seats.to_string()),
            ("Free seats", self.free_seats.to_string()),
            ("Owner", self.owner.clone()),
            ("Metrics publisher", self.metrics_publisher.clone()),
        ])
    }

    /// Table of several devices.
    pub fn list_table(devices: &[DeviceView]) -> String {
        list(
            &[
                "CODE",
                "STATUS",
                "PUBLIC IP",
                "USERS",
                "RESERVED",
                "MAX",
                "FREE",
                "ADDRESS",
            ],
            devices.iter().map(|d| {
                vec![
                    d.code.clone(),
                    d.status.clone(),
                    d.public_ip.clone(),
                    d.users_count.to_string(),
                    d.reserved_seats.to_string(),
                    d.max_users.to_string(),
                    d.free_seats.to_string(),
                    d.address.clone(),
                ]
            }),
            "no devices",
        )
    }
}

/// A Reservation.
#[derive(Clone, Debug, Serialize)]
pub struct ReservationView {
    /// Its address.
    pub address: String,
    /// The device's address.
    pub device: String,
    /// The device's code, when the device exists.
    pub device_code: Option<String>,
    /// The client IP.
    pub client_ip: String,
    /// Who paid the rent (and gets it back).
    pub payer: String,
    /// When it was made.
    pub reserved_at: Timestamp,
    /// When it expires; `null` for never.
    pub expires_at: Option<Timestamp>,
    /// Whether it has expired by the cluster's clock (and can be pruned).
    pub expired: bool,
}

impl ReservationView {
    /// The view of `reservation` at `address`, judged against the cluster time `now`.
    pub fn new(
        address: &Pubkey,
        reservation: &Reservation,
        device_code: Option<&str>,
        now: i64,
    ) -> Self {
        ReservationView {
            address: address.to_string(),
            device: reservation.device.to_string(),
            device_code: device_code.map(str::to_string),
            client_ip: Ipv4Addr::from(reservation.client_ip).to_string(),
            payer: reservation.payer.to_string(),
            reserved_at: Timestamp::new(reservation.reserved_at),
            expires_at: Timestamp::optional(reservation.expires_at),
            expired: reservation.expires_at != 0 && now >= reservation.expires_at,
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
            ("Reservation", self.address.clone()),
            ("Device", self.device_name()),
            ("Client IP", self.client_ip.clone()),
            ("Reserved at", self.reserved_at.rfc3339.clone()),
            ("Expires at", optional_text(&self.expires_at, "never")),
            ("Expired", yes_no(self.expired)),
            ("Payer", self.payer.clone()),
        ])
    }

    /// Table of several reservations.
    pub fn list_table(reservations: &[ReservationView]) -> String {
        list(
            &[
                "DEVICE",
                "CLIENT IP",
                "RESERVED AT",
                "EXPIRES AT",
                "EXPIRED",
                "ADDRESS",
            ],
            reservations.iter().map(|r| {
                vec![
                    r.device_name(),
                    r.client_ip.clone(),
                    r.reserved_at.rfc3339.clone(),
                    optional_text(&r.expires_at, "never"),
                    yes_no(r.expired),
                    r.address.clone(),
                ]
            }),
            "no reservations",
        )
    }
}

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

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.into()
}

/// A two-column table of labels and values.
pub fn key_values(rows: &[(&str, String)]) -> String {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING);
    for (label, value) in rows {
        table.add_row(vec![format!("{label}:"), value.clone()]);
    }
    trim_lines(&table.to_string())
}

/// A table with a header row, or `empty` when there are no rows.
pub fn list(header: &[&str], rows: impl Iterator<Item = Vec<String>>, empty: &str) -> String {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING);
    table.set_header(header.iter().copied());
    let mut any = false;
    for row in rows {
        any = true;
        table.add_row(row);
    }
    if any {
        trim_lines(&table.to_string())
    } else {
        format!("({empty})")
    }
}

/// comfy-table pads every cell; trailing spaces only get in the way of copy and paste.
fn trim_lines(text: &str) -> String {
    text.lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}
