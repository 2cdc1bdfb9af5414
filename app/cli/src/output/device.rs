//! A device: `device show`/`list`, and the device a write changed.

use std::fmt;
use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use serviceability_client::accounts::Device;

use super::listing::Row;
use super::table::key_values;

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
}

impl fmt::Display for DeviceView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&key_values(&[
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
        ]))
    }
}

impl Row for DeviceView {
    const HEADER: &'static [&'static str] = &[
        "CODE",
        "STATUS",
        "PUBLIC IP",
        "USERS",
        "RESERVED",
        "MAX",
        "FREE",
        "ADDRESS",
    ];
    const EMPTY: &'static str = "no devices";

    fn cells(&self) -> Vec<String> {
        vec![
            self.code.clone(),
            self.status.clone(),
            self.public_ip.clone(),
            self.users_count.to_string(),
            self.reserved_seats.to_string(),
            self.max_users.to_string(),
            self.free_seats.to_string(),
            self.address.clone(),
        ]
    }
}

/// `device close`: which device went.
#[derive(Serialize)]
pub struct ClosedDeviceView {
    /// Its address.
    pub device: String,
    /// Its code.
    pub code: String,
}

impl fmt::Display for ClosedDeviceView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} ({})", self.code, self.device)
    }
}
