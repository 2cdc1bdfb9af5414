//! How the program's cluster is reached: [`Cluster`] (a JSON-RPC endpoint, or the embedded
//! ledger in process), the transactions it is sent (legacy, or v0 through lookup tables) and
//! their limits, what running one produced, and the errors of getting there.

mod cluster;
mod transaction;

use solana_signature::Signature;
use solana_transaction_error::TransactionError;

pub use self::cluster::Cluster;
pub use self::transaction::{
    check_transaction_size, signed_transaction, transaction_footprint, transaction_message,
    wire_size, TooLarge, MAX_TX_ACCOUNT_LOCKS, PACKET_DATA_SIZE,
};

/// What running a transaction (for real or in simulation) produced.
#[derive(Clone, Debug)]
pub struct Execution {
    /// The transaction's signature (of the simulated transaction when simulating).
    pub signature: Signature,
    /// Success, or the error the runtime reported.
    pub result: Result<(), TransactionError>,
    /// The program logs.
    pub logs: Vec<String>,
    /// Compute units consumed, when the runtime reports them.
    pub compute_units: Option<u64>,
}

/// Why a transport could not answer.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The RPC endpoint could not be reached (connection refused, DNS, timeout).
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The endpoint answered with an error.
    #[error("{url} answered with an error: {reason}")]
    Rpc {
        /// The endpoint.
        url: String,
        /// The error.
        reason: String,
    },
    /// The transaction could not be signed with the keypairs given.
    #[error("cannot sign the transaction: {0}")]
    Signing(String),
    /// The signed transaction is larger than a cluster accepts.
    #[error("{0}")]
    TooLarge(#[from] TooLarge),
}
