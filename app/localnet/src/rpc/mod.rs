//! The JSON-RPC methods, shared by the HTTP server (`ledger serve`) and the in-process
//! sender (an `RpcSender`): parameters as a validator parses them, answers as a validator
//! shapes them (agave's own response and config types are serialized), errors as agave's
//! `RpcCustomError` and `jsonrpc-core` build them. One module per family of methods.

mod accounts;
mod cluster;
pub(crate) mod encoding;
pub(crate) mod params;
mod transactions;

use jsonrpc_core::{Error, Params, Result, Value};

use self::params::Positional;
use crate::ledger::EmbeddedLedger;

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

/// The methods that change the ledger (and so take its file's lock and save it).
const WRITES: [&str; 2] = ["sendTransaction", "requestAirdrop"];

/// The names of every method, for registering them on a server.
pub fn method_names() -> impl Iterator<Item = &'static str> {
    METHODS.iter().map(|(name, _)| *name)
}

/// A request whose method exists and whose parameters are a list: ready to run.
pub struct PreparedCall {
    name: &'static str,
    method: Method,
    params: Positional,
}

/// Checks a request before any ledger is touched: `-32601` for an unknown method, `-32602`
/// for parameters that are not a list.
pub fn prepare(method: &str, params: Params) -> Result<PreparedCall> {
    let (name, method) = METHODS
        .iter()
        .find(|(name, _)| *name == method)
        .ok_or_else(Error::method_not_found)?;
    Ok(PreparedCall {
        name,
        method: *method,
        params: Positional::new(params)?,
    })
}

impl PreparedCall {
    /// Whether it changes the ledger.
    pub fn writes(&self) -> bool {
        WRITES.contains(&self.name)
    }

    /// Answers it on `ledger`, its clock brought to now first.
    pub fn run(self, ledger: &mut EmbeddedLedger) -> Result<Value> {
        ledger.sync_clock();
        (self.method)(ledger, self.params)
    }
}

/// Answers the request `method` with `params` (a JSON array, or null) on `ledger`, exactly
/// as the HTTP server would: the in-process path of the `RpcSender`.
pub fn call(ledger: &mut EmbeddedLedger, method: &str, params: Value) -> Result<Value> {
    prepare(method, params_of(params))?.run(ledger)
}

/// A request's `params` as a server receives them (an `RpcSender` hands them over as JSON).
pub fn params_of(params: Value) -> Params {
    match params {
        Value::Null => Params::None,
        Value::Array(values) => Params::Array(values),
        Value::Object(map) => Params::Map(map),
        other => Params::Array(vec![other]),
    }
}
