//! `serviceability ledger serve`: the embedded ledger over HTTP, speaking the Solana JSON-RPC
//! methods that clients of a program like ours use, with a validator's JSON shapes and error
//! objects.
//!
//! Built on the validator's own JSON-RPC stack (`jsonrpc-core` and `jsonrpc-http-server` 18,
//! as agave's RPC service uses them) and agave's RPC types (`solana-rpc-client-api` and the
//! client-types crates), so requests, responses and errors are those of a validator: the
//! same structs are serialized.
//!
//! State lives in the ledger file, mirrored in memory ([`crate::mirror`]): reads answer from
//! memory (read again when another process replaced the file), writes take the file's lock
//! for the request only, so CLI invocations on the same file interleave with the server's
//! requests. Every transaction that lands is final at once (commitment levels are accepted
//! and all answered the same way).
//!
//! The same methods answer in process through [`crate::sender::LedgerSender`]; the PubSub
//! (websocket) API listens beside them ([`crate::pubsub`]), by a validator's convention on the
//! next port.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use jsonrpc_core::IoHandler;
use jsonrpc_http_server::{CloseHandle, ServerBuilder};
use serviceability_host::ProgramRuntime;

use crate::mirror::LedgerMirror;
use crate::pubsub::PubsubServer;
use crate::rpc;

/// The port a validator's RPC listens on, and our default.
pub const DEFAULT_PORT: u16 = 8899;

/// The websocket port for an HTTP port, by a validator's convention: the next one (port 0,
/// any free port, stays 0).
pub fn websocket_port(http_port: u16) -> u16 {
    match http_port {
        0 => 0,
        port => port.saturating_add(1),
    }
}

/// Request-handling threads.
const SERVER_THREADS: usize = 4;

/// A running server: JSON-RPC over HTTP and the PubSub API over websockets.
pub struct LedgerServer {
    server: jsonrpc_http_server::Server,
    pubsub: PubsubServer,
}

impl LedgerServer {
    /// Serves the ledger file at `ledger`, its program running as `runtime`: HTTP on
    /// `address`, websockets on `websocket` (port 0: any free port). Returns once both listen.
    pub fn start(
        ledger: &Path,
        runtime: &ProgramRuntime,
        address: SocketAddr,
        websocket: SocketAddr,
    ) -> io::Result<Self> {
        // Websockets first: a client that reads the HTTP URL may subscribe at once.
        let pubsub = PubsubServer::start(ledger, websocket)?;
        let mirror = Arc::new(LedgerMirror::new(ledger, runtime));
        let mut io = IoHandler::new();
        for name in rpc::method_names() {
            let mirror = Arc::clone(&mirror);
            io.add_sync_method(name, move |params| mirror.call(name, params));
        }
        let server = ServerBuilder::new(io)
            .threads(SERVER_THREADS)
            // GET /health, as a validator answers it.
            .health_api(("/health", "getHealth"))
            .start_http(&address)?;
        Ok(LedgerServer { server, pubsub })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        *self.server.address()
    }

    /// Its URL, `http://address:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address())
    }

    /// The PubSub server.
    pub fn pubsub(&self) -> &PubsubServer {
        &self.pubsub
    }

    /// Its websocket URL, `ws://address:port`.
    pub fn websocket_url(&self) -> String {
        self.pubsub.url()
    }

    /// A handle that stops the server from another thread.
    pub fn close_handle(&self) -> CloseHandle {
        self.server.close_handle()
    }

    /// Blocks until the server is closed (the websockets close with it).
    pub fn wait(self) {
        self.server.wait();
        drop(self.pubsub);
    }
}
