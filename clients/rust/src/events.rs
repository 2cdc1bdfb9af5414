//! The program's events in a transaction's logs: Anchor's `emit!` writes each as a
//! `Program data: <base64>` line (discriminator, then the event's Borsh data).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub use crate::idl::Event;

/// The program's events in `logs` (a transaction's log messages), in order. Lines that are
/// not events of this program are skipped; an event that does not decode is an error.
pub fn from_logs(logs: &[String]) -> std::io::Result<Vec<Event>> {
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|data| STANDARD.decode(data).ok())
        .filter_map(|bytes| Event::decode(&bytes))
        .collect()
}
