//! The BGP telemetry agent's parts: reading the host's sessions ([`sockets`]), deciding what
//! to report ([`decision`]), and writing it in the background ([`worker`]). The loop that
//! ties them to a device runs in the CLI (`serviceability agent`).

pub mod decision;
pub mod sockets;
pub mod worker;
