//! Accounts and transactions to and from their RPC encodings, with a validator's limits and
//! messages.

use base64::prelude::{Engine, BASE64_STANDARD};
use jsonrpc_core::Error;
use solana_account::Account;
use solana_account_decoder_client_types::{
    UiAccount, UiAccountData, UiAccountEncoding, UiDataSliceConfig,
};
use solana_message::VersionedMessage;
use solana_packet::PACKET_DATA_SIZE;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status_client_types::{
    EncodedTransaction, TransactionBinaryEncoding, UiAddressTableLookup, UiCompiledInstruction,
    UiMessage, UiRawMessage, UiTransaction, UiTransactionEncoding,
};

/// Account data longer than this cannot be returned base58-encoded (a validator's limit).
const MAX_BASE58_BYTES: usize = 128;

/// A transaction sent as a string in `encoding` (base58 when not given, as a validator
/// assumes), checked against the packet size.
pub fn decode_transaction(
    data: &str,
    encoding: Option<UiTransactionEncoding>,
) -> Result<VersionedTransaction, Error> {
    let encoding = encoding.unwrap_or(UiTransactionEncoding::Base58);
    let bytes = match encoding.into_binary_encoding() {
        Some(TransactionBinaryEncoding::Base58) => bs58::decode(data)
            .into_vec()
            .map_err(|error| Error::invalid_params(format!("invalid base58 encoding: {error}")))?,
        Some(TransactionBinaryEncoding::Base64) => BASE64_STANDARD
            .decode(data)
            .map_err(|error| Error::invalid_params(format!("invalid base64 encoding: {error}")))?,
        None => {
            return Err(Error::invalid_params(format!(
                "unsupported encoding: {encoding}. Supported encodings: base58, base64"
            )))
        }
    };
    if bytes.len() > PACKET_DATA_SIZE {
        return Err(Error::invalid_params(format!(
            "decoded solana_transaction::versioned::VersionedTransaction too large: {} bytes \
             (max: {PACKET_DATA_SIZE} bytes)",
            bytes.len()
        )));
    }
    bincode::deserialize(&bytes).map_err(|error| {
        Error::invalid_params(format!(
            "failed to deserialize solana_transaction::versioned::VersionedTransaction: {error}"
        ))
    })
}

/// An account in `encoding` (legacy base58 when not given, as a validator defaults), its data
/// cut to `slice` when given. `jsonParsed` falls back to base64, as a validator does for
/// accounts it has no parser for.
pub fn encode_account(
    account: &Account,
    encoding: Option<UiAccountEncoding>,
    slice: Option<UiDataSliceConfig>,
) -> Result<UiAccount, Error> {
    let data = match slice {
        Some(UiDataSliceConfig { offset, length }) => {
            let start = offset.min(account.data.len());
            let end = offset.saturating_add(length).min(account.data.len());
            &account.data[start..end]
        }
        None => &account.data[..],
    };
    let encoding = encoding.unwrap_or(UiAccountEncoding::Binary);
    if matches!(
        encoding,
        UiAccountEncoding::Binary | UiAccountEncoding::Base58
    ) && data.len() > MAX_BASE58_BYTES
    {
        return Err(Error::invalid_params(format!(
            "Encoded binary (base 58) data should be less than {MAX_BASE58_BYTES} bytes, \
             please use Base64 encoding."
        )));
    }
    let data = match encoding {
        UiAccountEncoding::Binary => UiAccountData::LegacyBinary(bs58::encode(data).into_string()),
        UiAccountEncoding::Base58 => {
            UiAccountData::Binary(bs58::encode(data).into_string(), encoding)
        }
        UiAccountEncoding::Base64 | UiAccountEncoding::JsonParsed => {
            UiAccountData::Binary(BASE64_STANDARD.encode(data), UiAccountEncoding::Base64)
        }
        UiAccountEncoding::Base64Zstd => {
            let compressed = zstd::encode_all(data, 0)
                .map_err(|error| Error::invalid_params(format!("zstd compression: {error}")))?;
            UiAccountData::Binary(BASE64_STANDARD.encode(compressed), encoding)
        }
    };
    Ok(UiAccount {
        lamports: account.lamports,
        data,
        owner: account.owner.to_string(),
        executable: account.executable,
        rent_epoch: account.rent_epoch,
        space: Some(account.data.len() as u64),
    })
}

/// A transaction as `getTransaction` returns it: `json` (the raw message; the default),
/// `base64` or `base58`.
pub fn encode_transaction(
    transaction: &VersionedTransaction,
    encoding: UiTransactionEncoding,
) -> Result<EncodedTransaction, Error> {
    let binary = |encoding| {
        let bytes = bincode::serialize(transaction).expect("a transaction serializes");
        match encoding {
            TransactionBinaryEncoding::Base58 => bs58::encode(bytes).into_string(),
            TransactionBinaryEncoding::Base64 => BASE64_STANDARD.encode(bytes),
        }
    };
    Ok(match encoding {
        UiTransactionEncoding::Binary => {
            EncodedTransaction::LegacyBinary(binary(TransactionBinaryEncoding::Base58))
        }
        UiTransactionEncoding::Base58 => EncodedTransaction::Binary(
            binary(TransactionBinaryEncoding::Base58),
            TransactionBinaryEncoding::Base58,
        ),
        UiTransactionEncoding::Base64 => EncodedTransaction::Binary(
            binary(TransactionBinaryEncoding::Base64),
            TransactionBinaryEncoding::Base64,
        ),
        UiTransactionEncoding::Json => EncodedTransaction::Json(UiTransaction {
            signatures: transaction
                .signatures
                .iter()
                .map(ToString::to_string)
                .collect(),
            message: UiMessage::Raw(raw_message(&transaction.message)),
        }),
        UiTransactionEncoding::JsonParsed => {
            return Err(Error::invalid_params(
                "unsupported encoding: jsonParsed (this endpoint has no instruction parsers). \
                 Supported encodings: json, base58, base64",
            ))
        }
    })
}

fn raw_message(message: &VersionedMessage) -> UiRawMessage {
    UiRawMessage {
        header: *message.header(),
        account_keys: message
            .static_account_keys()
            .iter()
            .map(ToString::to_string)
            .collect(),
        recent_blockhash: message.recent_blockhash().to_string(),
        instructions: message
            .instructions()
            .iter()
            // Top-level instructions run at stack height 1, as a validator reports them.
            .map(|instruction| UiCompiledInstruction::from(instruction, Some(1)))
            .collect(),
        address_table_lookups: message
            .address_table_lookups()
            .map(|lookups| lookups.iter().map(UiAddressTableLookup::from).collect()),
        transaction_config: None,
    }
}
