//! Reading parameters and shaping answers, as a validator does.

use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use jsonrpc_core::{Error, ErrorCode, Params, Result, Value};
use serde::de::DeserializeOwned;
use serde::Serialize;
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::response::{Response, RpcApiVersion, RpcResponseContext};
use solana_signature::Signature;

use crate::ledger::EmbeddedLedger;

/// Positional parameters, read as a validator reads them.
pub struct Positional(Vec<Value>);

impl Positional {
    /// The parameters of a request; named parameters are refused, as a validator does.
    pub fn new(params: Params) -> Result<Self> {
        match params {
            Params::None => Ok(Positional(Vec::new())),
            Params::Array(values) => Ok(Positional(values)),
            Params::Map(_) => Err(Error::invalid_params(
                "Invalid params: expected an array of positional parameters",
            )),
        }
    }

    /// The parameter at `index`, which must be there.
    pub fn required<T: DeserializeOwned>(&self, index: usize) -> Result<T> {
        match self.0.get(index) {
            None => Err(Error::invalid_params(format!(
                "`params` should have at least {} argument(s)",
                index + 1
            ))),
            Some(value) => parse(value),
        }
    }

    /// The parameter at `index`, when given and not null.
    pub fn optional<T: DeserializeOwned>(&self, index: usize) -> Result<Option<T>> {
        match self.0.get(index) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => parse(value).map(Some),
        }
    }
}

pub fn parse<T: DeserializeOwned>(value: &Value) -> Result<T> {
    T::deserialize(value).map_err(|error| Error::invalid_params(format!("Invalid params: {error}")))
}

pub fn pubkey(text: &str) -> Result<Pubkey> {
    Pubkey::from_str(text)
        .map_err(|error| Error::invalid_params(format!("Invalid param: {error:?}")))
}

pub fn signature(text: &str) -> Result<Signature> {
    Signature::from_str(text)
        .map_err(|error| Error::invalid_params(format!("Invalid param: {error:?}")))
}

pub fn to_value<T: Serialize>(value: T) -> Result<Value> {
    serde_json::to_value(value).map_err(|_| Error::internal_error())
}

/// `value` wrapped with the context a validator adds: the slot and the API version.
pub fn with_context<T: Serialize>(ledger: &EmbeddedLedger, value: T) -> Result<Value> {
    to_value(Response {
        context: RpcResponseContext {
            slot: ledger.slot(),
            api_version: Some(RpcApiVersion::default()),
        },
        value,
    })
}

pub fn internal(error: impl std::fmt::Display) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: error.to_string(),
        data: None,
    }
}

/// How many filters a program-accounts request may have (a validator's limit).
const MAX_PROGRAM_ACCOUNT_FILTERS: usize = 4;

/// The filters of `getProgramAccounts` or `programSubscribe`, checked as a validator checks
/// them.
pub fn program_account_filters(filters: Option<Vec<RpcFilterType>>) -> Result<Vec<RpcFilterType>> {
    let filters = filters.unwrap_or_default();
    if filters.len() > MAX_PROGRAM_ACCOUNT_FILTERS {
        return Err(Error::invalid_params(format!(
            "Too many filters provided; max {MAX_PROGRAM_ACCOUNT_FILTERS}"
        )));
    }
    for filter in &filters {
        filter
            .verify()
            .map_err(|error| Error::invalid_params(format!("Invalid param: {error:?}")))?;
        if let RpcFilterType::TokenAccountState = filter {
            return Err(Error::invalid_params(
                "Invalid param: tokenAccountState applies to token accounts only",
            ));
        }
    }
    Ok(filters)
}
