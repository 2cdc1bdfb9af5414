//! The JSON-RPC methods, shared by the HTTP server (`ledger serve`) and the in-process
//! sender (an `RpcSender`): parameters as a validator parses them, answers as a validator
//! shapes them (agave's own response and config types are serialized), errors as agave's
//! `RpcCustomError` and `jsonrpc-core` build them. One module per family of methods.

mod accounts;
mod cluster;
pub(crate) mod encoding;
pub(crate) mod params;
mod transactions;

use std::path::PathBuf;
use std::sync::Arc;

use jsonrpc_core::{Error, IoHandler, Params, Result, Value};
use serviceability_host::ProgramRuntime;

use self::params::Positional;
use crate::ledger::EmbeddedLedger;

/// The ledger file the methods open per request, and how its program runs.
pub struct LedgerFile {
    /// The ledger file.
    pub path: PathBuf,
    /// How its program runs.
    pub runtime: ProgramRuntime,
}

impl LedgerFile {
    /// Opens the ledger (waiting for its lock) for one request.
    pub fn open(&self) -> Result<EmbeddedLedger> {
        EmbeddedLedger::open(&self.path, &self.runtime).map_err(|error| Error {
            code: jsonrpc_core::ErrorCode::InternalError,
            message: error.to_string(),
            data: None,
        })
    }
}

/// One method: its positional parameters in, its result out, on the open ledger.
type Method = fn(&mut EmbeddedLedger, Positional) -> Result<Value>;

/// Every method, by name.
const METHODS: [(&str, Method); 22] = [
    ("getVersion", cluster::get_version),
    ("getHealth", cluster::get_health),
    ("getSlot", cluster::get_slot),
    ("getBlockHeight", cluster::get_slot),
    ("getLatestBlockhash", cluster::get_latest_blockhash),
    ("isBlockhashValid", cluster::is_blockhash_valid),
    ("getBalance", accounts::get_balance),
    ("requestAirdrop", accounts::request_airdrop),
    (
        "getMinimumBalanceForRentExemption",
        cluster::get_minimum_balance_for_rent_exemption,
    ),
    ("getAccountInfo", accounts::get_account_info),
    ("getMultipleAccounts", accounts::get_multiple_accounts),
    ("getProgramAccounts", accounts::get_program_accounts),
    ("simulateTransaction", transactions::simulate_transaction),
    ("sendTransaction", transactions::send_transaction),
    ("getSignatureStatuses", transactions::get_signature_statuses),
    ("getTransaction", transactions::get_transaction),
    ("getGenesisHash", cluster::get_genesis_hash),
    ("getFeeForMessage", cluster::get_fee_for_message),
    ("getEpochInfo", cluster::get_epoch_info),
    ("getBlockTime", cluster::get_block_time),
    (
        "getRecentPrioritizationFees",
        cluster::get_recent_prioritization_fees,
    ),
    (
        "getSignaturesForAddress",
        transactions::get_signatures_for_address,
    ),
];

/// Registers every method on `io`, each opening the ledger at `ledger` per request.
pub fn register(io: &mut IoHandler, ledger: Arc<LedgerFile>) {
    for (name, method) in METHODS {
        let ledger = ledger.clone();
        io.add_sync_method(name, move |params: Params| {
            // Parameters first: a malformed request never waits for the ledger's lock.
            let params = Positional::new(params)?;
            method(&mut ledger.open()?, params)
        });
    }
}

/// Answers the request `method` with `params` (a JSON array, or null) on `ledger`, exactly
/// as the HTTP server would: the in-process path of the `RpcSender`.
pub fn call(ledger: &mut EmbeddedLedger, method: &str, params: Value) -> Result<Value> {
    let (_, method) = METHODS
        .iter()
        .find(|(name, _)| *name == method)
        .ok_or_else(Error::method_not_found)?;
    let params = match params {
        Value::Null => Params::None,
        Value::Array(values) => Params::Array(values),
        Value::Object(map) => Params::Map(map),
        other => Params::Array(vec![other]),
    };
    method(ledger, Positional::new(params)?)
}
