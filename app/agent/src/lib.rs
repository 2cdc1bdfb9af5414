//! The BGP telemetry agent of one device: reading the host's sessions ([`sockets`]),
//! deciding what to report ([`decision`]), writing it in the background ([`worker`]) through
//! the device's lookup tables ([`tables`]) to a cluster ([`chain`]), and the
//! loop that ties them to a device ([`service`]). `serviceability agent` runs it.

pub mod chain;
pub mod decision;
pub mod metrics;
#[cfg(target_os = "linux")]
pub mod netlink;
pub mod service;
pub mod sockets;
pub mod tables;
pub mod worker;
