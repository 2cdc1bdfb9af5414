//! Methods that run transactions (simulate, send) and read them back (statuses, the
//! recorded transaction).

use anchor_lang::prelude::Pubkey;
use jsonrpc_core::{Error, Result, Value};
use serde_json::json;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_message::inner_instruction::InnerInstructionsList;
use solana_rpc_client_api::config::RpcSignaturesForAddressConfig;
use solana_rpc_client_api::config::{
    RpcEncodingConfigWrapper, RpcSendTransactionConfig, RpcSignatureStatusConfig,
    RpcSimulateTransactionConfig, RpcTransactionConfig,
};
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::response::{
    RpcBlockhash, RpcConfirmedTransactionStatusWithSignature, RpcSimulateTransactionResult,
};
use solana_transaction::versioned::{TransactionVersion, VersionedTransaction};
use solana_transaction_status_client_types::option_serializer::OptionSerializer;
use solana_transaction_status_client_types::{
    EncodedConfirmedTransactionWithStatusMeta, EncodedTransactionWithStatusMeta,
    TransactionConfirmationStatus, TransactionStatus, UiCompiledInstruction, UiInnerInstructions,
    UiInstruction, UiLoadedAddresses, UiTransactionEncoding, UiTransactionReturnData,
    UiTransactionStatusMeta,
};

use crate::ledger::EmbeddedLedger;

use super::encoding::{decode_transaction, encode_account, encode_transaction};
use super::params::*;

/// A validator's limit on `getSignatureStatuses`.
const MAX_SIGNATURE_STATUSES: usize = 256;
/// A validator's limit (and default) on `getSignaturesForAddress`.
const MAX_SIGNATURES_FOR_ADDRESS: usize = 1_000;

pub fn simulate_transaction(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let data: String = params.required(0)?;
    let config: RpcSimulateTransactionConfig = params.optional(1)?.unwrap_or_default();
    let mut transaction = decode_transaction(&data, config.encoding)?;
    ledger.fund_fee_payer(&transaction);
    let mut replacement_blockhash = None;
    if config.replace_recent_blockhash {
        if config.sig_verify {
            return Err(Error::invalid_params(
                "sigVerify may not be used with replaceRecentBlockhash",
            ));
        }
        transaction
            .message
            .set_recent_blockhash(ledger.latest_blockhash());
        replacement_blockhash = Some(RpcBlockhash {
            blockhash: ledger.latest_blockhash().to_string(),
            last_valid_block_height: ledger.last_valid_block_height(),
        });
    }
    let requested_accounts = config
        .accounts
        .as_ref()
        .map(|accounts| {
            accounts
                .addresses
                .iter()
                .map(|address| pubkey(address))
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?;
    let mut result = simulation_result(ledger, transaction, config.sig_verify);
    if let (Some(addresses), Some(accounts_config)) = (requested_accounts, &config.accounts) {
        let encoding = accounts_config.encoding.or(Some(UiAccountEncoding::Base64));
        let post_accounts = &result.1;
        let accounts = addresses
            .iter()
            .map(|address| {
                post_accounts
                    .iter()
                    .find(|(key, _)| key == address)
                    .map(|(_, account)| account.clone())
                    .or_else(|| ledger.svm().get_account(address))
                    .map(|account| encode_account(&account, encoding, None))
                    .transpose()
            })
            .collect::<Result<Vec<_>>>()?;
        result.0.accounts = Some(accounts);
    }
    if !config.inner_instructions {
        result.0.inner_instructions = None;
    }
    result.0.replacement_blockhash = replacement_blockhash;
    with_context(ledger, result.0)
}

/// A simulation as `simulateTransaction` reports it, and the accounts it would leave.
fn simulation_result(
    ledger: &EmbeddedLedger,
    transaction: VersionedTransaction,
    verify_signatures: bool,
) -> (
    RpcSimulateTransactionResult,
    Vec<(Pubkey, solana_account::Account)>,
) {
    let keys = transaction.message.static_account_keys().to_vec();
    let pre_balances: Vec<u64> = keys
        .iter()
        .map(|key| ledger.svm().get_balance(key).unwrap_or(0))
        .collect();
    let simulation = ledger.simulate_transaction(transaction, verify_signatures);
    let post_balances = keys
        .iter()
        .zip(&pre_balances)
        .map(|(key, before)| {
            simulation
                .post_accounts
                .iter()
                .find(|(address, _)| address == key)
                .map_or(*before, |(_, account)| account.lamports)
        })
        .collect();
    let result = RpcSimulateTransactionResult {
        err: simulation.outcome.result.clone().err().map(Into::into),
        logs: Some(simulation.outcome.logs.clone()),
        accounts: None,
        units_consumed: simulation.outcome.compute_units,
        loaded_accounts_data_size: None,
        return_data: simulation.return_data.clone().map(ui_return_data),
        inner_instructions: Some(ui_inner_instructions(&simulation.inner_instructions)),
        replacement_blockhash: None,
        fee: Some(simulation.fee),
        pre_balances: Some(pre_balances),
        post_balances: Some(post_balances),
        // No token program runs here: no token balances, as a validator reports them for a
        // transaction without token accounts.
        pre_token_balances: Some(Vec::new()),
        post_token_balances: Some(Vec::new()),
        // Lookup tables are not resolved (legacy transactions load none).
        loaded_addresses: Some(UiLoadedAddresses::default()),
    };
    (result, simulation.post_accounts)
}

pub fn send_transaction(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let data: String = params.required(0)?;
    let config: RpcSendTransactionConfig = params.optional(1)?.unwrap_or_default();
    let transaction = decode_transaction(&data, config.encoding)?;
    transaction
        .sanitize()
        .map_err(|error| Error::invalid_params(format!("invalid transaction: {error}")))?;
    if !transaction.verify_with_results().iter().all(|ok| *ok) {
        return Err(RpcCustomError::TransactionSignatureVerificationFailure.into());
    }
    ledger.fund_fee_payer(&transaction);
    if !config.skip_preflight {
        let (result, _) = simulation_result(ledger, transaction.clone(), true);
        if let Some(error) = &result.err {
            return Err(RpcCustomError::SendTransactionPreflightFailure {
                message: format!("Transaction simulation failed: {error}"),
                result,
            }
            .into());
        }
    }
    let execution = ledger.submit(transaction).map_err(internal)?;
    Ok(json!(execution.signature.to_string()))
}

pub fn get_signature_statuses(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let signatures: Vec<String> = params.required(0)?;
    if signatures.len() > MAX_SIGNATURE_STATUSES {
        return Err(Error::invalid_params(format!(
            "Too many inputs provided; max {MAX_SIGNATURE_STATUSES}"
        )));
    }
    params.optional::<RpcSignatureStatusConfig>(1)?;
    let statuses = signatures
        .iter()
        .map(|text| {
            let signature = signature(text)?;
            Ok(ledger.recorded_transaction(&signature).map(|recorded| {
                let result = recorded.result();
                TransactionStatus {
                    slot: recorded.slot,
                    // Final at once: rooted.
                    confirmations: None,
                    err: result.clone().err(),
                    status: result,
                    confirmation_status: Some(TransactionConfirmationStatus::Finalized),
                }
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    with_context(ledger, statuses)
}

/// The transactions in the history that name `address`, newest first, as a validator lists
/// them (`before` and `until` signatures, a `limit` up to 1,000). Older transactions than the
/// history keeps are not listed.
pub fn get_signatures_for_address(
    ledger: &mut EmbeddedLedger,
    params: Positional,
) -> Result<Value> {
    let address = pubkey(&params.required::<String>(0)?)?;
    let config: RpcSignaturesForAddressConfig = params.optional(1)?.unwrap_or_default();
    let limit = config.limit.unwrap_or(MAX_SIGNATURES_FOR_ADDRESS);
    if !(1..=MAX_SIGNATURES_FOR_ADDRESS).contains(&limit) {
        return Err(Error::invalid_params(format!(
            "Invalid limit; max {MAX_SIGNATURES_FOR_ADDRESS}"
        )));
    }
    let before = config.before.as_deref().map(signature).transpose()?;
    let until = config.until.as_deref().map(signature).transpose()?;
    let in_blocks = ledger.recent_transactions_in_blocks();
    let mut newest_first = in_blocks.iter().rev().peekable();
    if let Some(before) = before {
        // Start after `before` (a signature not in the history lists nothing, as on a node
        // that has never seen it).
        while newest_first
            .next()
            .is_some_and(|(_, recorded)| recorded.signature() != before)
        {}
    }
    let listed: Vec<RpcConfirmedTransactionStatusWithSignature> = newest_first
        .take_while(|(_, recorded)| Some(recorded.signature()) != until)
        .filter(|(_, recorded)| {
            recorded
                .transaction()
                .message
                .static_account_keys()
                .contains(&address)
        })
        .take(limit)
        .map(
            |(index, recorded)| RpcConfirmedTransactionStatusWithSignature {
                signature: recorded.signature().to_string(),
                slot: recorded.slot,
                err: recorded.result().err().map(Into::into),
                memo: None,
                block_time: Some(recorded.block_time),
                confirmation_status: Some(TransactionConfirmationStatus::Finalized),
                transaction_index: Some(*index),
            },
        )
        .collect();
    to_value(listed)
}

pub fn get_transaction(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let signature = signature(&params.required::<String>(0)?)?;
    let config = params
        .optional::<RpcEncodingConfigWrapper<RpcTransactionConfig>>(1)?
        .map(|wrapper| wrapper.convert_to_current())
        .unwrap_or_default();
    let Some(recorded) = ledger.recorded_transaction(&signature) else {
        return Ok(Value::Null);
    };
    let transaction = recorded.transaction();
    let version = transaction.version();
    if let TransactionVersion::Number(number) = version {
        if config
            .max_supported_transaction_version
            .is_none_or(|max| number > max)
        {
            return Err(RpcCustomError::UnsupportedTransactionVersion(number).into());
        }
    }
    let result = recorded.result();
    let meta = UiTransactionStatusMeta {
        err: result.clone().err().map(Into::into),
        status: result.map_err(Into::into),
        fee: recorded.fee,
        pre_balances: recorded.pre_balances.clone(),
        post_balances: recorded.post_balances.clone(),
        inner_instructions: OptionSerializer::Some(ui_inner_instructions(
            &recorded.inner_instructions(),
        )),
        log_messages: OptionSerializer::Some(recorded.logs.clone()),
        pre_token_balances: OptionSerializer::Some(Vec::new()),
        post_token_balances: OptionSerializer::Some(Vec::new()),
        rewards: OptionSerializer::Some(Vec::new()),
        loaded_addresses: OptionSerializer::Some(UiLoadedAddresses::default()),
        return_data: recorded
            .return_data
            .clone()
            .map(ui_return_data)
            .map_or(OptionSerializer::Skip, OptionSerializer::Some),
        compute_units_consumed: OptionSerializer::Some(recorded.compute_units),
        cost_units: OptionSerializer::Skip,
    };
    let encoded = EncodedConfirmedTransactionWithStatusMeta {
        slot: recorded.slot,
        transaction: EncodedTransactionWithStatusMeta {
            transaction: encode_transaction(
                &transaction,
                config.encoding.unwrap_or(UiTransactionEncoding::Json),
            )?,
            meta: Some(meta),
            version: config.max_supported_transaction_version.map(|_| version),
        },
        block_time: Some(recorded.block_time),
        transaction_index: ledger
            .recent_transactions_in_blocks()
            .into_iter()
            .find(|(_, other)| other.signature() == signature)
            .map(|(index, _)| index),
    };
    to_value(encoded)
}

fn ui_return_data((program_id, data): (Pubkey, Vec<u8>)) -> UiTransactionReturnData {
    UiTransactionReturnData {
        program_id: program_id.to_string(),
        data: (
            base64::Engine::encode(&base64::prelude::BASE64_STANDARD, data),
            solana_transaction_status_client_types::UiReturnDataEncoding::Base64,
        ),
    }
}

fn ui_inner_instructions(list: &InnerInstructionsList) -> Vec<UiInnerInstructions> {
    list.iter()
        .enumerate()
        .filter(|(_, instructions)| !instructions.is_empty())
        .map(|(index, instructions)| UiInnerInstructions {
            index: index as u8,
            instructions: instructions
                .iter()
                .map(|inner| {
                    UiInstruction::Compiled(UiCompiledInstruction::from(
                        &inner.instruction,
                        Some(u32::from(inner.stack_height)),
                    ))
                })
                .collect(),
        })
        .collect()
}
