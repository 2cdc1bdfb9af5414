//! The subscriptions a validator's PubSub API offers, parsed from their requests as agave's
//! `rpc_pubsub` parses them (agave's config types, its error messages), and the notifications
//! each one sends for a [`LedgerChange`], shaped with agave's response types.

use anchor_lang::prelude::Pubkey;
use jsonrpc_core::{Error, ErrorCode, Result, Value};
use serde::Serialize;
use solana_account::Account;
use solana_account_decoder_client_types::{
    UiAccount, UiAccountData, UiAccountEncoding, UiDataSliceConfig,
};
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSignatureSubscribeConfig,
    RpcTransactionLogsConfig, RpcTransactionLogsFilter,
};
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::response::{
    ProcessedSignatureResult, ReceivedSignatureResult, Response, RpcKeyedAccount, RpcLogsResponse,
    RpcResponseContext, RpcSignatureResult, SlotInfo,
};
use solana_signature::Signature;
use solana_transaction_error::TransactionError;

use super::watcher::LedgerChange;
use crate::ledger;
use crate::rpc::encoding::encode_account;
use crate::rpc::params::{program_account_filters, Positional};

/// One subscription of a connection.
#[derive(Debug)]
pub enum Subscription {
    /// `accountSubscribe`: an account's state after each change.
    Account {
        address: Pubkey,
        encoding: UiAccountEncoding,
        data_slice: Option<UiDataSliceConfig>,
    },
    /// `programSubscribe`: each changed account owned by a program that passes the filters.
    Program {
        program: Pubkey,
        filters: Vec<RpcFilterType>,
        encoding: UiAccountEncoding,
        data_slice: Option<UiDataSliceConfig>,
    },
    /// `logsSubscribe`: the logs of every transaction (`all`, `allWithVotes`) or of those
    /// that name one address (`mentions`).
    Logs { mentions: Option<Pubkey> },
    /// `signatureSubscribe`: one transaction's outcome, once; optionally its receipt first.
    Signature {
        signature: Signature,
        received_notification: bool,
    },
    /// `slotSubscribe`: each new slot.
    Slot,
    /// `rootSubscribe`: each new root (every slot is final at once here).
    Root,
}

/// The unsubscribe methods. As in agave, any of them removes a subscription of any kind.
pub const UNSUBSCRIBE_METHODS: [&str; 6] = [
    "accountUnsubscribe",
    "programUnsubscribe",
    "logsUnsubscribe",
    "signatureUnsubscribe",
    "slotUnsubscribe",
    "rootUnsubscribe",
];

impl Subscription {
    /// The subscription a `…Subscribe` request asks for; `None` when `method` is not one.
    pub fn parse(method: &str, params: &Positional) -> Option<Result<Self>> {
        Some(match method {
            "accountSubscribe" => account(params),
            "programSubscribe" => program(params),
            "logsSubscribe" => logs(params),
            "signatureSubscribe" => signature(params),
            "slotSubscribe" => Ok(Subscription::Slot),
            "rootSubscribe" => Ok(Subscription::Root),
            _ => return None,
        })
    }

    /// The method name of its notifications.
    pub fn notification_method(&self) -> &'static str {
        match self {
            Subscription::Account { .. } => "accountNotification",
            Subscription::Program { .. } => "programNotification",
            Subscription::Logs { .. } => "logsNotification",
            Subscription::Signature { .. } => "signatureNotification",
            Subscription::Slot => "slotNotification",
            Subscription::Root => "rootNotification",
        }
    }

    /// Whether it ends after its first notification (a signature's outcome).
    pub fn is_one_shot(&self) -> bool {
        matches!(self, Subscription::Signature { .. })
    }

    /// The `result` of each notification `change` brings, in order.
    pub fn notifications(&self, change: &LedgerChange) -> Vec<Value> {
        let at = |slot| RpcResponseContext {
            slot,
            api_version: None,
        };
        match self {
            Subscription::Account {
                address,
                encoding,
                data_slice,
            } => change
                .accounts
                .iter()
                .filter(|(changed, _)| changed == address)
                .map(|(_, account)| {
                    json(Response {
                        context: at(change.changed_in),
                        value: encode(account, *encoding, *data_slice),
                    })
                })
                .collect(),
            Subscription::Program {
                program,
                filters,
                encoding,
                data_slice,
            } => change
                .accounts
                .iter()
                .filter(|(_, account)| {
                    account.owner == *program
                        && filters
                            .iter()
                            .all(|filter| ledger::passes(filter, &account.data))
                })
                .map(|(address, account)| {
                    json(Response {
                        context: at(change.changed_in),
                        value: RpcKeyedAccount {
                            pubkey: address.to_string(),
                            account: encode(account, *encoding, *data_slice),
                        },
                    })
                })
                .collect(),
            Subscription::Logs { mentions } => change
                .transactions
                .iter()
                .filter(|landed| mentions.is_none_or(|key| landed.account_keys.contains(&key)))
                .map(|landed| {
                    json(Response {
                        context: at(landed.slot),
                        value: RpcLogsResponse {
                            signature: landed.signature.to_string(),
                            err: landed.result.clone().err().map(Into::into),
                            logs: landed.logs.clone(),
                        },
                    })
                })
                .collect(),
            Subscription::Signature {
                signature,
                received_notification,
            } => change
                .transactions
                .iter()
                .find(|landed| landed.signature == *signature)
                .map(|landed| {
                    outcome_results(landed.slot, landed.result.clone(), *received_notification)
                })
                .unwrap_or_default(),
            Subscription::Slot if change.slot != change.parent_slot => vec![json(SlotInfo {
                slot: change.slot,
                parent: change.parent_slot,
                root: change.slot,
            })],
            Subscription::Root if change.slot != change.parent_slot => vec![json(change.slot)],
            Subscription::Slot | Subscription::Root => Vec::new(),
        }
    }
}

/// The notifications for a signature whose transaction landed in `slot` with `result`.
pub fn outcome_results(
    slot: u64,
    result: std::result::Result<(), TransactionError>,
    received_notification: bool,
) -> Vec<Value> {
    let context = RpcResponseContext {
        slot,
        api_version: None,
    };
    let mut results = Vec::with_capacity(2);
    if received_notification {
        results.push(json(Response {
            context: context.clone(),
            value: RpcSignatureResult::ReceivedSignature(
                ReceivedSignatureResult::ReceivedSignature,
            ),
        }));
    }
    results.push(json(Response {
        context,
        value: RpcSignatureResult::ProcessedSignature(ProcessedSignatureResult {
            err: result.err().map(Into::into),
        }),
    }));
    results
}

fn account(params: &Positional) -> Result<Subscription> {
    let address = parse_param(&params.required::<String>(0)?, "pubkey")?;
    let config: RpcAccountInfoConfig = params.optional(1)?.unwrap_or_default();
    Ok(Subscription::Account {
        address,
        encoding: config.encoding.unwrap_or(UiAccountEncoding::Binary),
        data_slice: config.data_slice,
    })
}

fn program(params: &Positional) -> Result<Subscription> {
    let program = parse_param(&params.required::<String>(0)?, "pubkey")?;
    let config: RpcProgramAccountsConfig = params.optional(1)?.unwrap_or_default();
    Ok(Subscription::Program {
        program,
        filters: program_account_filters(config.filters)?,
        encoding: config
            .account_config
            .encoding
            .unwrap_or(UiAccountEncoding::Binary),
        data_slice: config.account_config.data_slice,
    })
}

fn logs(params: &Positional) -> Result<Subscription> {
    let filter: RpcTransactionLogsFilter = params.required(0)?;
    params.optional::<RpcTransactionLogsConfig>(1)?;
    let mentions = match filter {
        RpcTransactionLogsFilter::All | RpcTransactionLogsFilter::AllWithVotes => None,
        RpcTransactionLogsFilter::Mentions(keys) => {
            let [key] = keys.as_slice() else {
                return Err(invalid("Invalid Request: Only 1 address supported"));
            };
            Some(parse_param(key, "mentions")?)
        }
    };
    Ok(Subscription::Logs { mentions })
}

fn signature(params: &Positional) -> Result<Subscription> {
    let signature = parse_param(&params.required::<String>(0)?, "signature")?;
    let config: RpcSignatureSubscribeConfig = params.optional(1)?.unwrap_or_default();
    Ok(Subscription::Signature {
        signature,
        received_notification: config.enable_received_notification.unwrap_or_default(),
    })
}

/// A parameter parsed as agave's PubSub parses it, with its message.
fn parse_param<T: std::str::FromStr>(text: &str, thing: &str) -> Result<T> {
    text.parse()
        .map_err(|_| invalid(&format!("Invalid Request: Invalid {thing} provided")))
}

fn invalid(message: &str) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: message.into(),
        data: None,
    }
}

/// An account in a notification. Data too long for base58 is replaced by agave's message
/// rather than failing the notification, as a validator does.
fn encode(
    account: &Account,
    encoding: UiAccountEncoding,
    data_slice: Option<UiDataSliceConfig>,
) -> UiAccount {
    encode_account(account, Some(encoding), data_slice).unwrap_or_else(|_| {
        let message = "error: data too large for bs58 encoding".to_string();
        UiAccount {
            lamports: account.lamports,
            data: match encoding {
                UiAccountEncoding::Binary => UiAccountData::LegacyBinary(message),
                _ => UiAccountData::Binary(message, encoding),
            },
            owner: account.owner.to_string(),
            executable: account.executable,
            rent_epoch: account.rent_epoch,
            space: Some(account.data.len() as u64),
        }
    })
}

fn json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("agave's response types serialize")
}
