//! Methods that read accounts (one, several, a program's, a balance) and the faucet.

use jsonrpc_core::{Error, ErrorCode, Result, Value};
use serde_json::json;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcContextConfig, RpcProgramAccountsConfig, RpcRequestAirdropConfig,
};
use solana_rpc_client_api::response::RpcKeyedAccount;
use solana_transaction_error::TransactionError;

use crate::ledger::EmbeddedLedger;

use super::encoding::encode_account;
use super::params::*;

/// A validator's limit on list parameters.
const MAX_MULTIPLE_ACCOUNTS: usize = 100;

pub fn get_balance(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let address = pubkey(&params.required::<String>(0)?)?;
    params.optional::<RpcContextConfig>(1)?;
    let balance = ledger.svm().get_balance(&address).unwrap_or(0);
    with_context(ledger, balance)
}

pub fn request_airdrop(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let address = pubkey(&params.required::<String>(0)?)?;
    let lamports: u64 = params.required(1)?;
    params.optional::<RpcRequestAirdropConfig>(2)?;
    let execution = ledger.airdrop(&address, lamports).map_err(internal)?;
    match execution.result {
        // The same request again within the slot signs the same transfer: a validator's
        // faucet answers with its signature, and it lands once.
        Ok(()) | Err(TransactionError::AlreadyProcessed) => {
            Ok(json!(execution.signature.to_string()))
        }
        Err(error) => Err(Error {
            code: ErrorCode::InternalError,
            message: format!("airdrop request failed: {error}"),
            data: None,
        }),
    }
}

pub fn get_account_info(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let address = pubkey(&params.required::<String>(0)?)?;
    let config: RpcAccountInfoConfig = params.optional(1)?.unwrap_or_default();
    let account = ledger
        .svm()
        .get_account(&address)
        .map(|account| encode_account(&account, config.encoding, config.data_slice))
        .transpose()?;
    with_context(ledger, account)
}

pub fn get_multiple_accounts(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
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

pub fn get_program_accounts(ledger: &mut EmbeddedLedger, params: Positional) -> Result<Value> {
    let program = pubkey(&params.required::<String>(0)?)?;
    let config: RpcProgramAccountsConfig = params.optional(1)?.unwrap_or_default();
    let filters = program_account_filters(config.filters)?;
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
