//! Methods about the cluster itself: version, health, slots and blockhashes, fees, rent.

use std::str::FromStr;

use jsonrpc_core::{Error, Result, Value};
use serde_json::json;
use solana_hash::Hash;
use solana_rpc_client_api::config::RpcContextConfig;
use solana_rpc_client_api::response::{RpcApiVersion, RpcBlockhash, RpcVersionInfo};

use crate::ledger::clock::blockhash_of_slot;
use crate::ledger::EmbeddedLedger;

use super::params::*;

pub fn get_version(_: &mut EmbeddedLedger, _: Positional) -> Result<Value> {
    to_value(RpcVersionInfo {
        solana_core: RpcApiVersion::default().to_string(),
        feature_set: None,
    })
}

pub fn get_health(_: &mut EmbeddedLedger, _: Positional) -> Result<Value> {
    // The ledger opened: the node is as healthy as it can be.
    Ok(json!("ok"))
}

pub fn get_slot(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    params.optional::<RpcContextConfig>(0)?;
    Ok(json!(ledger.slot()))
}

pub fn get_genesis_hash(_: &mut EmbeddedLedger, _: Positional) -> Result<Value> {
    // Slot 0's blockhash: fixed for every embedded ledger, as a cluster's genesis hash is.
    Ok(json!(blockhash_of_slot(0).to_string()))
}

pub fn get_latest_blockhash(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    params.optional::<RpcContextConfig>(0)?;
    let value = RpcBlockhash {
        blockhash: ledger.latest_blockhash().to_string(),
        last_valid_block_height: ledger.last_valid_block_height(),
    };
    with_context(ledger, value)
}

pub fn is_blockhash_valid(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let blockhash: String = params.required(0)?;
    params.optional::<RpcContextConfig>(1)?;
    let blockhash = Hash::from_str(&blockhash)
        .map_err(|error| Error::invalid_params(format!("Invalid param: {error:?}")))?;
    let valid = ledger.is_blockhash_valid(&blockhash);
    with_context(ledger, valid)
}

pub fn get_minimum_balance_for_rent_exemption(
    ledger: &mut EmbeddedLedger,
    params: Positional,
) -> Result<Value> {
    let data_len: usize = params.required(0)?;
    params.optional::<RpcContextConfig>(1)?;
    Ok(json!(ledger
        .svm()
        .minimum_balance_for_rent_exemption(data_len)))
}

pub fn get_fee_for_message(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let data: String = params.required(0)?;
    params.optional::<RpcContextConfig>(1)?;
    let bytes = base64::Engine::decode(&base64::prelude::BASE64_STANDARD, &data)
        .map_err(|error| Error::invalid_params(format!("invalid base64 encoding: {error}")))?;
    let message: solana_message::VersionedMessage = bincode::deserialize(&bytes)
        .map_err(|error| Error::invalid_params(format!("invalid message: {error}")))?;
    let fee = ledger
        .is_blockhash_valid(message.recent_blockhash())
        .then(|| ledger.fee_for_message(&message));
    with_context(ledger, fee)
}
