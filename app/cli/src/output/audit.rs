//! `audit`: each device's seat counters against the accounts that exist.

use std::fmt;

use serde::Serialize;

use super::listing::{List, Row};
use super::CommandOutput;
use crate::error::EXIT_CHAIN;

/// One device's counters and what was found.
#[derive(Debug, Serialize)]
pub struct DeviceAudit {
    /// The device's address.
    pub device: String,
    /// Its code.
    pub code: String,
    /// Its counter of reserved seats.
    pub reserved_seats: u16,
    /// The reservations that exist.
    pub reservations_found: usize,
    /// Its counter of users.
    pub users_count: u16,
    /// The users that exist.
    pub users_found: usize,
    /// Whether a counter differs from what exists.
    pub drift: bool,
}

impl Row for DeviceAudit {
    const HEADER: &'static [&'static str] = &[
        "DEVICE",
        "RESERVED SEATS",
        "RESERVATIONS",
        "USERS COUNT",
        "USERS",
        "DRIFT",
    ];
    const EMPTY: &'static str = "no devices";

    fn cells(&self) -> Vec<String> {
        vec![
            self.code.clone(),
            self.reserved_seats.to_string(),
            self.reservations_found.to_string(),
            self.users_count.to_string(),
            self.users_found.to_string(),
            if self.drift { "DRIFT" } else { "ok" }.to_string(),
        ]
    }
}

/// `audit`: every device audited, and whether any drifts (which makes the exit status 1).
#[derive(Serialize)]
pub struct AuditView {
    /// The devices audited.
    pub devices: List<DeviceAudit>,
    /// Whether any device drifts.
    pub drift: bool,
}

impl AuditView {
    /// The audit of `devices`.
    pub fn new(devices: Vec<DeviceAudit>) -> Self {
        let drift = devices.iter().any(|audit| audit.drift);
        AuditView {
            devices: List(devices),
            drift,
        }
    }

    /// The devices that drift.
    pub fn drifting(&self) -> usize {
        self.devices.0.iter().filter(|audit| audit.drift).count()
    }
}

impl fmt::Display for AuditView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}\n\n{} device(s) audited, {} with drift",
            self.devices,
            self.devices.0.len(),
            self.drifting()
        )
    }
}

impl CommandOutput for AuditView {
    fn exit_code(&self) -> u8 {
        if self.drift {
            EXIT_CHAIN
        } else {
            0
        }
    }
}
