//! The embedded ledger as an in-process cluster: [`LedgerSender`] is an `RpcSender`, so an
//! `RpcClient` made with `RpcClient::new_sender` talks to the ledger exactly as it talks to a
//! cluster, through the same method table ([`crate::rpc`]) that `ledger serve` answers over
//! HTTP.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use serviceability_host::ProgramRuntime;
use solana_rpc_client::rpc_sender::{RpcSender, RpcTransportStats};
use solana_rpc_client_api::client_error::{Error as ClientError, Result as ClientResult};
use solana_rpc_client_api::custom_error::JSON_RPC_SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE;
use solana_rpc_client_api::request::{RpcError, RpcRequest, RpcResponseErrorData};

use crate::ledger::EmbeddedLedger;
use crate::mirror::LedgerMirror;
use crate::rpc;

/// How a [`LedgerSender`] reaches its ledger.
enum Access {
    /// One ledger, opened and locked by the caller for as long as it likes (a CLI
    /// invocation): every request sees the caller's unsaved changes too.
    Held(Arc<Mutex<EmbeddedLedger>>),
    /// The file mirrored in memory (the agent, like `ledger serve`): several processes share
    /// it, each request sees the file as it is.
    Mirrored(LedgerMirror),
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

    /// A sender over the ledger file at `path`, mirrored in memory and read again whenever
    /// another process has changed it, its program running as `runtime`.
    pub fn mirrored(path: &Path, runtime: &ProgramRuntime) -> Self {
        LedgerSender {
            access: Access::Mirrored(LedgerMirror::new(path, runtime)),
            description: describe(path),
        }
    }

    /// This sender, its ledger topping up every transaction's fee payer as a test
    /// validator's faucet would ([`EmbeddedLedger::fund_fee_payers`]): the CLI's and the
    /// agent's way to the embedded ledger.
    pub fn funding_fee_payers(self) -> Self {
        let access = match self.access {
            Access::Held(ledger) => {
                ledger
                    .lock()
                    .expect("the ledger is not poisoned")
                    .fund_fee_payers();
                Access::Held(ledger)
            }
            Access::Mirrored(mirror) => Access::Mirrored(mirror.funding_fee_payers()),
        };
        LedgerSender {
            access,
            description: self.description,
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
                rpc::call(&mut ledger, &method, params)
            }
            Access::Mirrored(mirror) => mirror.call(&method, rpc::params_of(params)),
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
