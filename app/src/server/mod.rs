//! `serviceability ledger serve`: the embedded ledger over HTTP, speaking the Solana JSON-RPC
//! methods that clients of a program like ours use, with a validator's JSON shapes and error
//! objects.
//!
//! Built on the validator's own JSON-RPC stack (`jsonrpc-core` and `jsonrpc-http-server` 18,
//! as agave's RPC service uses them) and agave's RPC types (`solana-rpc-client-api` and the
//! client-types crates), so requests, responses and errors are those of a validator: the
//! same structs are serialized.
//!
//! State lives in the ledger file: every request opens the [`EmbeddedLedger`] (taking its
//! lock for the duration of the request only), so CLI invocations on the same file interleave
//! with the server's requests. Every transaction that lands is final at once (commitment
//! levels are accepted and all answered the same way).
//!
//! The same methods answer in process: [`LedgerSender`] is an `RpcSender`, so an `RpcClient`
//! talks to the embedded ledger exactly as it talks to a cluster.

mod encoding;
mod methods;

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jsonrpc_core::IoHandler;
use jsonrpc_http_server::{CloseHandle, ServerBuilder};
use serde_json::Value;
use serviceability_host::ProgramRuntime;
use solana_rpc_client::rpc_sender::{RpcSender, RpcTransportStats};
use solana_rpc_client_api::client_error::{Error as ClientError, Result as ClientResult};
use solana_rpc_client_api::custom_error::JSON_RPC_SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE;
use solana_rpc_client_api::request::{RpcError, RpcRequest, RpcResponseErrorData};

use crate::embedded::EmbeddedLedger;

/// The port a validator's RPC listens on, and our default.
pub const DEFAULT_PORT: u16 = 8899;

/// Request-handling threads.
const SERVER_THREADS: usize = 4;

/// A running server.
pub struct LedgerServer {
    server: jsonrpc_http_server::Server,
}

impl LedgerServer {
    /// Serves the ledger file at `ledger`, its program running as `runtime`, on `address`
    /// (port 0: any free port). Returns once listening.
    pub fn start(ledger: &Path, runtime: &ProgramRuntime, address: SocketAddr) -> io::Result<Self> {
        let mut io = IoHandler::new();
        methods::register(
            &mut io,
            Arc::new(LedgerFile {
                path: ledger.to_path_buf(),
                runtime: runtime.clone(),
            }),
        );
        let server = ServerBuilder::new(io)
            .threads(SERVER_THREADS)
            // GET /health, as a validator answers it.
            .health_api(("/health", "getHealth"))
            .start_http(&address)?;
        Ok(LedgerServer { server })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        *self.server.address()
    }

    /// Its URL, `http://address:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address())
    }

    /// A handle that stops the server from another thread.
    pub fn close_handle(&self) -> CloseHandle {
        self.server.close_handle()
    }

    /// Blocks until the server is closed.
    pub fn wait(self) {
        self.server.wait()
    }
}

/// The ledger file a server's methods open, and how its program runs.
struct LedgerFile {
    path: PathBuf,
    runtime: ProgramRuntime,
}

impl LedgerFile {
    /// Opens the ledger (waiting for its lock) for one request.
    fn open(&self) -> jsonrpc_core::Result<EmbeddedLedger> {
        EmbeddedLedger::open(&self.path, &self.runtime).map_err(|error| jsonrpc_core::Error {
            code: jsonrpc_core::ErrorCode::InternalError,
            message: error.to_string(),
            data: None,
        })
    }
}

/// How a [`LedgerSender`] reaches its ledger.
enum Access {
    /// One ledger, opened and locked by the caller for as long as it likes (a CLI
    /// invocation): every request sees the caller's unsaved changes too.
    Held(Arc<Mutex<EmbeddedLedger>>),
    /// The file, opened per request (the agent, like `ledger serve`), so that several
    /// processes can share it.
    PerRequest(LedgerFile),
}

/// The embedded ledger as an in-process cluster: give it to `RpcClient::new_sender` and
/// every request is answered by the methods `ledger serve` answers over HTTP, with the same
/// results and the same errors (a failed preflight is `-32002` with its simulation).
pub struct LedgerSender {
    access: Access,
    description: String,
}

impl LedgerSender {
    /// A sender over `ledger`, which the caller keeps open (and locked) as long as it holds it.
    pub fn held(ledger: Arc<Mutex<EmbeddedLedger>>) -> Self {
        let description = describe(ledger.lock().expect("the ledger is not poisoned").path());
        LedgerSender {
            access: Access::Held(ledger),
            description,
        }
    }

    /// A sender that opens the ledger file at `path` for each request, its program running
    /// as `runtime`.
    pub fn per_request(path: &Path, runtime: &ProgramRuntime) -> Self {
        LedgerSender {
            access: Access::PerRequest(LedgerFile {
                path: path.to_path_buf(),
                runtime: runtime.clone(),
            }),
            description: describe(path),
        }
    }
}

/// How an embedded ledger is named in messages.
pub fn describe(path: &Path) -> String {
    format!("embedded ledger {}", path.display())
}

#[async_trait::async_trait]
impl RpcSender for LedgerSender {
    async fn send(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        let method = request.to_string();
        let answer = match &self.access {
            Access::Held(ledger) => {
                let mut ledger = ledger.lock().expect("the ledger is not poisoned");
                methods::call(&mut ledger, &method, params)
            }
            Access::PerRequest(file) => file
                .open()
                .and_then(|mut ledger| methods::call(&mut ledger, &method, params)),
        };
        answer.map_err(|error| client_error(request, error))
    }

    fn get_transport_stats(&self) -> RpcTransportStats {
        RpcTransportStats::default()
    }

    fn url(&self) -> String {
        self.description.clone()
    }
}

/// A JSON-RPC error object as `RpcClient`'s HTTP sender reports it.
fn client_error(request: RpcRequest, error: jsonrpc_core::Error) -> ClientError {
    let code = error.code.code();
    let data = match (code, error.data) {
        (JSON_RPC_SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE, Some(data)) => {
            serde_json::from_value(data).map_or(
                RpcResponseErrorData::Empty,
                RpcResponseErrorData::SendTransactionPreflightFailure,
            )
        }
        _ => RpcResponseErrorData::Empty,
    };
    let error = RpcError::RpcResponseError {
        code,
        message: error.message,
        data,
    };
    ClientError::new_with_request(error.into(), request)
}
