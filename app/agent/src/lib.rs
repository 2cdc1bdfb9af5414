//! The BGP telemetry agent of one device: reading the host's sessions ([`sockets`]),
//! deciding what to report ([`decision`]), writing it in the background ([`worker`]), and the
//! loop that ties them to a device ([`service`]). `serviceability agent` runs it.

pub mod decision;
pub mod metrics;
#[cfg(target_os = "linux")]
pub mod netlink;
pub mod service;
pub mod sockets;
pub mod worker;
