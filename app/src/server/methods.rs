//! The JSON-RPC methods: parameters as a validator parses them, answers as a validator shapes
//! them (agave's own response and config types are serialized), errors as agave's
//! `RpcCustomError` and `jsonrpc-core` build them.

use std::str::FromStr;
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use jsonrpc_core::{Error, ErrorCode, IoHandler, Params, Result, Value};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_hash::Hash;
use solana_message::inner_instruction::InnerInstructionsList;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcContextConfig, RpcEncodingConfigWrapper, RpcProgramAccountsConfig,
    RpcRequestAirdropConfig, RpcSendTransactionConfig, RpcSignatureStatusConfig,
    RpcSimulateTransactionConfig, RpcTransactionConfig,
};
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::response::{
    Response, RpcApiVersion, RpcBlockhash, RpcKeyedAccount, RpcResponseContext,
    RpcSimulateTransactionResult, RpcVersionInfo,
};
use solana_signature::Signature;
use solana_transaction::versioned::{TransactionVersion, VersionedTransaction};
use solana_transaction_status_client_types::option_serializer::OptionSerializer;
use solana_transaction_status_client_types::{
    EncodedConfirmedTransactionWithStatusMeta, EncodedTransactionWithStatusMeta,
    TransactionConfirmationStatus, TransactionStatus, UiCompiledInstruction, UiInnerInstructions,
    UiInstruction, UiLoadedAddresses, UiTransactionEncoding, UiTransactionReturnData,
    UiTransactionStatusMeta,
};

use super::encoding::{decode_transaction, encode_account, encode_transaction};
use super::LedgerFile;
use crate::embedded::{blockhash_of_slot, EmbeddedLedger};
use crate::transport::AccountFilter;

/// A validator's limits on list parameters.
const MAX_MULTIPLE_ACCOUNTS: usize = 100;
const MAX_SIGNATURE_STATUSES: usize = 256;
const MAX_PROGRAM_ACCOUNT_FILTERS: usize = 4;

/// One method: its positional parameters in, its result out, on the open ledger.
type Method = fn(&mut EmbeddedLedger, Positional) -> Result<Value>;

/// Every method, by name.
const METHODS: [(&str, Method); 18] = [
    ("getVersion", get_version),
    ("getHealth", get_health),
    ("getSlot", get_slot),
    ("getBlockHeight", get_slot),
    ("getLatestBlockhash", get_latest_blockhash),
    ("isBlockhashValid", is_blockhash_valid),
    ("getBalance", get_balance),
    ("requestAirdrop", request_airdrop),
    (
        "getMinimumBalanceForRentExemption",
        get_minimum_balance_for_rent_exemption,
    ),
    ("getAccountInfo", get_account_info),
    ("getMultipleAccounts", get_multiple_accounts),
    ("getProgramAccounts", get_program_accounts),
    ("simulateTransaction", simulate_transaction),
    ("sendTransaction", send_transaction),
    ("getSignatureStatuses", get_signature_statuses),
    ("getTransaction", get_transaction),
    ("getGenesisHash", get_genesis_hash),
    ("getFeeForMessage", get_fee_for_message),
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
/// as the HTTP server would: the in-process path of [`super::LedgerSender`].
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

/// Positional parameters, read as a validator reads them.
pub struct Positional(Vec<Value>);

impl Positional {
    fn new(params: Params) -> Result<Self> {
        match params {
            Params::None => Ok(Positional(Vec::new())),
            Params::Array(values) => Ok(Positional(values)),
            Params::Map(_) => Err(Error::invalid_params(
                "Invalid params: expected an array of positional parameters",
            )),
        }
    }

    /// The parameter at `index`, which must be there.
    fn required<T: DeserializeOwned>(&self, index: usize) -> Result<T> {
        match self.0.get(index) {
            None => Err(Error::invalid_params(format!(
                "`params` should have at least {} argument(s)",
                index + 1
            ))),
            Some(value) => parse(value),
        }
    }

    /// The parameter at `index`, when given and not null.
    fn optional<T: DeserializeOwned>(&self, index: usize) -> Result<Option<T>> {
        match self.0.get(index) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => parse(value).map(Some),
        }
    }
}

fn parse<T: DeserializeOwned>(value: &Value) -> Result<T> {
    T::deserialize(value).map_err(|error| Error::invalid_params(format!("Invalid params: {error}")))
}

fn pubkey(text: &str) -> Result<Pubkey> {
    Pubkey::from_str(text)
        .map_err(|error| Error::invalid_params(format!("Invalid param: {error:?}")))
}

fn signature(text: &str) -> Result<Signature> {
    Signature::from_str(text)
        .map_err(|error| Error::invalid_params(format!("Invalid param: {error:?}")))
}

fn to_value<T: Serialize>(value: T) -> Result<Value> {
    serde_json::to_value(value).map_err(|_| Error::internal_error())
}

/// `value` wrapped with the context a validator adds: the slot and the API version.
fn with_context<T: Serialize>(ledger: &EmbeddedLedger, value: T) -> Result<Value> {
    to_value(Response {
        context: RpcResponseContext {
            slot: ledger.slot(),
            api_version: Some(RpcApiVersion::default()),
        },
        value,
    })
}

fn get_version(_: &mut EmbeddedLedger, _: Positional) -> Result<Value> {
    to_value(RpcVersionInfo {
        solana_core: RpcApiVersion::default().to_string(),
        feature_set: None,
    })
}

fn get_health(_: &mut EmbeddedLedger, _: Positional) -> Result<Value> {
    // The ledger opened: the node is as healthy as it can be.
    Ok(json!("ok"))
}

fn get_slot(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    params.optional::<RpcContextConfig>(0)?;
    Ok(json!(ledger.slot()))
}

fn get_genesis_hash(_: &mut EmbeddedLedger, _: Positional) -> Result<Value> {
    // Slot 0's blockhash: fixed for every embedded ledger, as a cluster's genesis hash is.
    Ok(json!(blockhash_of_slot(0).to_string()))
}

fn get_latest_blockhash(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    params.optional::<RpcContextConfig>(0)?;
    let value = RpcBlockhash {
        blockhash: ledger.latest_blockhash().to_string(),
        last_valid_block_height: ledger.last_valid_block_height(),
    };
    with_context(ledger, value)
}

fn is_blockhash_valid(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let blockhash: String = params.required(0)?;
    params.optional::<RpcContextConfig>(1)?;
    let blockhash = Hash::from_str(&blockhash)
        .map_err(|error| Error::invalid_params(format!("Invalid param: {error:?}")))?;
    let valid = ledger.is_blockhash_valid(&blockhash);
    with_context(ledger, valid)
}

fn get_balance(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let address = pubkey(&params.required::<String>(0)?)?;
    params.optional::<RpcContextConfig>(1)?;
    let balance = ledger.svm().get_balance(&address).unwrap_or(0);
    with_context(ledger, balance)
}

fn request_airdrop(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let address = pubkey(&params.required::<String>(0)?)?;
    let lamports: u64 = params.required(1)?;
    params.optional::<RpcRequestAirdropConfig>(2)?;
    let execution = ledger.airdrop(&address, lamports).map_err(internal)?;
    match execution.result {
        Ok(()) => Ok(json!(execution.signature.to_string())),
        Err(error) => Err(Error {
            code: ErrorCode::InternalError,
            message: format!("airdrop request failed: {error}"),
            data: None,
        }),
    }
}

fn get_minimum_balance_for_rent_exemption(
    ledger: &mut EmbeddedLedger,
    params: Positional,
) -> Result<Value> {
    let data_len: usize = params.required(0)?;
    params.optional::<RpcContextConfig>(1)?;
    Ok(json!(ledger
        .svm()
        .minimum_balance_for_rent_exemption(data_len)))
}

fn get_account_info(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let address = pubkey(&params.required::<String>(0)?)?;
    let config: RpcAccountInfoConfig = params.optional(1)?.unwrap_or_default();
    let account = ledger
        .svm()
        .get_account(&address)
        .map(|account| encode_account(&account, config.encoding, config.data_slice))
        .transpose()?;
    with_context(ledger, account)
}

fn get_multiple_accounts(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let addresses: Vec<String> = params.required(0)?;
    if addresses.len() > MAX_MULTIPLE_ACCOUNTS {
        return Err(Error::invalid_params(format!(
            "Too many inputs provided; max {MAX_MULTIPLE_ACCOUNTS}"
        )));
    }
    let addresses = addresses
        .iter()
        .map(|address| pubkey(address))
        .collect::<Result<Vec<_>>>()?;
    let config: RpcAccountInfoConfig = params.optional(1)?.unwrap_or_default();
    let accounts = addresses
        .iter()
        .map(|address| {
            ledger
                .svm()
                .get_account(address)
                .map(|account| encode_account(&account, config.encoding, config.data_slice))
                .transpose()
        })
        .collect::<Result<Vec<_>>>()?;
    with_context(ledger, accounts)
}

fn get_program_accounts(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let program = pubkey(&params.required::<String>(0)?)?;
    let config: RpcProgramAccountsConfig = params.optional(1)?.unwrap_or_default();
    let filters = config.filters.unwrap_or_default();
    if filters.len() > MAX_PROGRAM_ACCOUNT_FILTERS {
        return Err(Error::invalid_params(format!(
            "Too many filters provided; max {MAX_PROGRAM_ACCOUNT_FILTERS}"
        )));
    }
    let filters = filters
        .iter()
        .map(account_filter)
        .collect::<Result<Vec<_>>>()?;
    let account_config = config.account_config;
    let accounts = ledger
        .accounts_of(&program, &filters)
        .iter()
        .map(|(address, account)| {
            Ok(RpcKeyedAccount {
                pubkey: address.to_string(),
                account: encode_account(
                    account,
                    account_config.encoding,
                    account_config.data_slice,
                )?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if config.with_context.unwrap_or(false) {
        with_context(ledger, accounts)
    } else {
        to_value(accounts)
    }
}

/// A `getProgramAccounts` filter as the ledger applies it.
fn account_filter(filter: &RpcFilterType) -> Result<AccountFilter> {
    filter
        .verify()
        .map_err(|error| Error::invalid_params(format!("Invalid param: {error:?}")))?;
    match filter {
        RpcFilterType::DataSize(size) => Ok(AccountFilter::DataSize(*size)),
        RpcFilterType::Memcmp(memcmp) => Ok(AccountFilter::Memcmp {
            offset: memcmp.offset(),
            bytes: memcmp
                .bytes()
                .ok_or_else(|| Error::invalid_params("Invalid param: memcmp bytes"))?
                .into_owned(),
        }),
        RpcFilterType::TokenAccountState => Err(Error::invalid_params(
            "Invalid param: tokenAccountState applies to token accounts only",
        )),
    }
}

fn simulate_transaction(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let data: String = params.required(0)?;
    let config: RpcSimulateTransactionConfig = params.optional(1)?.unwrap_or_default();
    let mut transaction = decode_transaction(&data, config.encoding)?;
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
    let simulation = ledger.simulate_transaction(transaction, verify_signatures);
    let result = RpcSimulateTransactionResult {
        err: simulation.execution.result.clone().err().map(Into::into),
        logs: Some(simulation.execution.logs.clone()),
        accounts: None,
        units_consumed: simulation.execution.compute_units,
        loaded_accounts_data_size: None,
        return_data: simulation.return_data.clone().map(ui_return_data),
        inner_instructions: Some(ui_inner_instructions(&simulation.inner_instructions)),
        replacement_blockhash: None,
        fee: Some(simulation.fee),
        pre_balances: None,
        post_balances: None,
        pre_token_balances: None,
        post_token_balances: None,
        loaded_addresses: None,
    };
    (result, simulation.post_accounts)
}

fn send_transaction(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let data: String = params.required(0)?;
    let config: RpcSendTransactionConfig = params.optional(1)?.unwrap_or_default();
    let transaction = decode_transaction(&data, config.encoding)?;
    transaction
        .sanitize()
        .map_err(|error| Error::invalid_params(format!("invalid transaction: {error}")))?;
    if !transaction.verify_with_results().iter().all(|ok| *ok) {
        return Err(RpcCustomError::TransactionSignatureVerificationFailure.into());
    }
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

fn get_signature_statuses(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
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

fn get_transaction(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
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
        transaction_index: None,
    };
    to_value(encoded)
}

fn get_fee_for_message(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
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

fn internal(error: impl std::fmt::Display) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: error.to_string(),
        data: None,
    }
}
