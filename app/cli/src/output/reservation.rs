//! A reservation: `reservation show`/`list`, and the seat a write reserved.

use std::fmt;
use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use serviceability_client::accounts::Reservation;

use super::device::DeviceView;
use super::listing::{List, Row};
use super::table::{key_values, yes_no};
use super::timestamp::{optional_text, Timestamp};
use super::CommandOutput;

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
}

impl fmt::Display for ReservationView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&key_values(&[
            ("Reservation", self.address.clone()),
            ("Device", self.device_name()),
            ("Client IP", self.client_ip.clone()),
            ("Reserved at", self.reserved_at.rfc3339.clone()),
            ("Expires at", optional_text(&self.expires_at, "never")),
            ("Expired", yes_no(self.expired)),
            ("Payer", self.payer.clone()),
        ]))
    }
}

impl Row for ReservationView {
    const HEADER: &'static [&'static str] = &[
        "DEVICE",
        "CLIENT IP",
        "RESERVED AT",
        "EXPIRES AT",
        "EXPIRED",
        "ADDRESS",
    ];
    const EMPTY: &'static str = "no reservations";

    fn cells(&self) -> Vec<String> {
        vec![
            self.device_name(),
            self.client_ip.clone(),
            self.reserved_at.rfc3339.clone(),
            optional_text(&self.expires_at, "never"),
            yes_no(self.expired),
            self.address.clone(),
        ]
    }
}

/// `reservation reserve`: the seat reserved and its device's counters after.
#[derive(Serialize)]
pub struct SeatReservedView {
    /// The reservation made.
    pub reservation: ReservationView,
    /// Its device, as the reservation left it.
    pub device: DeviceView,
}

impl fmt::Display for SeatReservedView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.reservation.to_string())
    }
}

/// `reservation prune`: the expired reservations closed, and the transactions that did it.
#[derive(Serialize)]
pub struct PrunedView {
    /// The reservations pruned.
    pub pruned: List<ReservationView>,
    /// One transaction per batch.
    pub signatures: Vec<String>,
}

impl fmt::Display for PrunedView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "Pruned {} expired reservation(s) in {} transaction(s)",
            self.pruned.0.len(),
            self.signatures.len()
        )?;
        if !self.pruned.0.is_empty() {
            write!(formatter, "\n\n{}", self.pruned)?;
        }
        Ok(())
    }
}

impl CommandOutput for PrunedView {}
