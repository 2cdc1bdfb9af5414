//! `ledger info|warp|serve`: the embedded ledger itself.

use std::fmt;

use serde::Serialize;

use super::table::{key_values, yes_no};
use super::timestamp::Timestamp;
use super::CommandOutput;

/// `ledger info`: the file, its clock and what it holds.
#[derive(Serialize)]
pub struct LedgerInfoView {
    /// The ledger file.
    pub ledger: String,
    /// Whether the file exists (a ledger is saved by its first write).
    pub saved: bool,
    /// How the program runs: natively, or as an SBF file.
    pub program_runtime: String,
    /// The current slot.
    pub slot: u64,
    /// The ledger's clock.
    pub clock: Timestamp,
    /// Whether the program is initialized.
    pub initialized: bool,
    /// Devices that exist.
    pub devices: usize,
    /// Reservations that exist.
    pub reservations: usize,
    /// Users that exist.
    pub users: usize,
}

impl fmt::Display for LedgerInfoView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&key_values(&[
            ("Ledger", self.ledger.clone()),
            (
                "Saved",
                if self.saved {
                    "yes"
                } else {
                    "not yet (no write so far)"
                }
                .into(),
            ),
            ("Program runtime", self.program_runtime.clone()),
            ("Slot", self.slot.to_string()),
            ("Clock", self.clock.rfc3339.clone()),
            ("Initialized", yes_no(self.initialized)),
            ("Devices", self.devices.to_string()),
            ("Reservations", self.reservations.to_string()),
            ("Users", self.users.to_string()),
        ]))
    }
}

impl CommandOutput for LedgerInfoView {}

/// `ledger warp`: the clock after.
#[derive(Serialize)]
pub struct WarpView {
    /// The ledger's clock now.
    pub clock: Timestamp,
    /// By how much it moved.
    pub warped_by_secs: i64,
}

impl fmt::Display for WarpView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "The embedded ledger's clock is now {}",
            self.clock.rfc3339
        )
    }
}

impl CommandOutput for WarpView {}

/// `ledger serve`: where it listens, printed first thing (whoever started it reads the URL
/// from the first line).
#[derive(Serialize)]
pub struct ServingView {
    /// The ledger file.
    pub ledger: String,
    /// The JSON-RPC URL.
    pub url: String,
    /// The PubSub URL.
    pub websocket_url: String,
}

impl fmt::Display for ServingView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "Serving embedded ledger {} on {} (websockets: {})",
            self.ledger, self.url, self.websocket_url
        )
    }
}

impl CommandOutput for ServingView {}
