//! The ledger's memory of recent transactions, as a validator without long-term history
//! keeps it: enough for `getTransaction`, `getSignatureStatuses` and refusing a signature
//! that already landed.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, AnchorSerialize};
use solana_message::inner_instruction::InnerInstructionsList;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

/// How many recent transactions the ledger keeps (for `getTransaction` and
/// `getSignatureStatuses`); older ones are forgotten, as by a validator without history.
pub const TRANSACTION_HISTORY_CAPACITY: usize = 1_000;

/// A transaction the ledger executed, kept for `getTransaction` and `getSignatureStatuses`.
/// Failed transactions are kept when they were executed (an instruction failed), as a
/// cluster keeps them; transactions refused before execution are not.
#[derive(Clone, AnchorSerialize, AnchorDeserialize)]
pub struct RecordedTransaction {
    pub(super) signature: [u8; 64],
    /// The slot it landed in.
    pub slot: u64,
    /// The ledger clock (unix seconds) when it landed.
    pub block_time: i64,
    /// The transaction in wire format (bincode).
    pub(super) wire: Vec<u8>,
    /// The error, bincode-encoded, when it failed.
    pub(super) error: Option<Vec<u8>>,
    /// The program logs.
    pub logs: Vec<String>,
    /// The fee charged, in lamports.
    pub fee: u64,
    /// Compute units consumed.
    pub compute_units: u64,
    /// Balances of the message's account keys before it ran.
    pub pre_balances: Vec<u64>,
    /// Balances of the message's account keys after it ran.
    pub post_balances: Vec<u64>,
    /// Inner instructions per top-level instruction (bincode `InnerInstructionsList`).
    pub(super) inner_instructions: Vec<u8>,
    /// Return data: the program that set it and the bytes.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
}

impl RecordedTransaction {
    /// Its first signature.
    pub fn signature(&self) -> Signature {
        Signature::from(self.signature)
    }

    /// The transaction as it was sent.
    pub fn transaction(&self) -> VersionedTransaction {
        bincode::deserialize(&self.wire).expect("recorded transactions were encoded by us")
    }

    /// Its outcome.
    pub fn result(&self) -> Result<(), TransactionError> {
        match &self.error {
            None => Ok(()),
            Some(bytes) => Err(bincode::deserialize(bytes)
                .expect("recorded transaction errors were encoded by us")),
        }
    }

    /// The instructions invoked by each top-level instruction.
    pub fn inner_instructions(&self) -> InnerInstructionsList {
        bincode::deserialize(&self.inner_instructions)
            .expect("recorded inner instructions were encoded by us")
    }
}
