//! A local cluster in a file: the embedded ledger (litesvm running the serviceability
//! program natively or from its SBF `.so`, kept between invocations), the Solana JSON-RPC
//! methods over it, served over HTTP (`serviceability ledger serve`) or in process as an
//! `RpcSender` from a mirror of the file in memory, and the validator's websocket PubSub API
//! following the file. Like litesvm's `persistence` crate beside litesvm, it knows the program and
//! the host that runs it, not the client: clients reach it only through JSON-RPC.

pub mod ledger;
pub mod mirror;
pub mod pubsub;
pub mod rpc;
pub mod sender;
pub mod server;
