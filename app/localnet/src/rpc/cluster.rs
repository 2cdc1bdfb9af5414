//! Methods about the cluster itself: version, health, slots, epochs and blockhashes, block
//! times, fees (prioritization fees included), rent.

use std::collections::{BTreeMap, HashSet};
use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use jsonrpc_core::{Error, Result, Value};
use serde_json::json;
use solana_epoch_info::EpochInfo;
use solana_hash::Hash;
use solana_rpc_client_api::config::RpcContextConfig;
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::response::{
    RpcApiVersion, RpcBlockhash, RpcPrioritizationFee, RpcVersionInfo,
};
use solana_transaction::versioned::VersionedTransaction;

use crate::ledger::clock::{blockhash_of_slot, MAX_BLOCKHASH_AGE};
use crate::ledger::EmbeddedLedger;

use super::params::*;

pub fn get_version(_: &mut EmbeddedLedger, _: Positional) -> Result<Value> {
    // The first four bytes of the identifier of the features this agave line knows, as a
    // validator of the same line reports it.
    let feature_set = agave_feature_set::ID.as_ref()[..4]
        .try_into()
        .map(u32::from_le_bytes)
        .ok();
    to_value(RpcVersionInfo {
        solana_core: RpcApiVersion::default().to_string(),
        feature_set,
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

/// A validator's limit on `getRecentPrioritizationFees` addresses.
const MAX_PRIORITIZATION_FEE_ADDRESSES: usize = 128;

pub fn get_epoch_info(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    params.optional::<RpcContextConfig>(0)?;
    let schedule = ledger.epoch_schedule();
    let slot = ledger.slot();
    let (epoch, slot_index) = schedule.get_epoch_and_slot_index(slot);
    to_value(EpochInfo {
        epoch,
        slot_index,
        slots_in_epoch: schedule.get_slots_in_epoch(epoch),
        absolute_slot: slot,
        // No slot is ever skipped: block height and slot are the same.
        block_height: slot,
        // The history is bounded; a count since genesis is not kept.
        transaction_count: None,
    })
}

/// The time of a block: the slot's transactions' block time, or the clock for the current
/// slot; a slot whose transactions are no longer in the history is `-32004`, as a
/// validator answers for a block it does not have.
pub fn get_block_time(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let slot: u64 = params.required(0)?;
    if slot == ledger.slot() {
        return Ok(json!(ledger.clock().unix_timestamp));
    }
    ledger
        .recent_transactions()
        .find(|recorded| recorded.slot == slot)
        .map(|recorded| json!(recorded.block_time))
        .ok_or_else(|| RpcCustomError::BlockNotAvailable { slot }.into())
}

/// Per recent slot with transactions (the last [`MAX_BLOCKHASH_AGE`] slots), the lowest
/// compute-unit price paid by a transaction that write-locks one of the given addresses (any
/// transaction when none are given), as a validator's prioritization-fee cache answers.
pub fn get_recent_prioritization_fees(
    ledger: &mut EmbeddedLedger,
    params: Positional,
) -> Result<Value> {
    let addresses: Vec<String> = params.optional(0)?.unwrap_or_default();
    if addresses.len() > MAX_PRIORITIZATION_FEE_ADDRESSES {
        return Err(Error::invalid_params(format!(
            "Too many inputs provided; max {MAX_PRIORITIZATION_FEE_ADDRESSES}"
        )));
    }
    let addresses = addresses
        .iter()
        .map(|address| pubkey(address))
        .collect::<Result<Vec<_>>>()?;
    let oldest = ledger.slot().saturating_sub(MAX_BLOCKHASH_AGE);
    let mut lowest: BTreeMap<u64, u64> = BTreeMap::new();
    for recorded in ledger
        .recent_transactions()
        .filter(|recorded| recorded.slot >= oldest)
    {
        let transaction = recorded.transaction();
        let message = &transaction.message;
        let locks = message
            .static_account_keys()
            .iter()
            .enumerate()
            .any(|(index, key)| {
                addresses.contains(key)
                    && message
                        .is_maybe_writable_with_reserved_addresses(index, None::<&HashSet<Pubkey>>)
            });
        if !addresses.is_empty() && !locks {
            continue;
        }
        let price = compute_unit_price(&transaction);
        lowest
            .entry(recorded.slot)
            .and_modify(|fee| *fee = (*fee).min(price))
            .or_insert(price);
    }
    let fees: Vec<RpcPrioritizationFee> = lowest
        .into_iter()
        .map(|(slot, prioritization_fee)| RpcPrioritizationFee {
            slot,
            prioritization_fee,
        })
        .collect();
    to_value(fees)
}

/// The micro-lamports per compute unit a transaction's `SetComputeUnitPrice` asks (0 when it
/// has none): the compute-budget program's instruction 3, a little-endian `u64`.
fn compute_unit_price(transaction: &VersionedTransaction) -> u64 {
    const SET_COMPUTE_UNIT_PRICE: u8 = 3;
    let keys = transaction.message.static_account_keys();
    transaction
        .message
        .instructions()
        .iter()
        .filter(|instruction| {
            keys.get(usize::from(instruction.program_id_index))
                == Some(&solana_sdk_ids::compute_budget::ID)
        })
        .find_map(|instruction| match instruction.data.split_first() {
            Some((&SET_COMPUTE_UNIT_PRICE, price)) => {
                Some(u64::from_le_bytes(price.get(..8)?.try_into().ok()?))
            }
            _ => None,
        })
        .unwrap_or(0)
}
