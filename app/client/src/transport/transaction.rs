//! The transactions sent to a cluster: legacy, or v0 through lookup tables, and the limits a
//! cluster holds them to.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage};
/// Largest transaction a cluster accepts, in bytes on the wire.
pub use solana_packet::PACKET_DATA_SIZE;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

use super::TransportError;

/// Most accounts one transaction may reference, lookup-table entries and program ids
/// included: a validator refuses more (`TooManyAccountLocks`) before executing it.
pub const MAX_TX_ACCOUNT_LOCKS: usize = 64;

/// A transaction over [`PACKET_DATA_SIZE`] bytes on the wire, which a cluster refuses
/// before executing it (its RPC answers `-32602` with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "transaction too large: {bytes} bytes (max: {PACKET_DATA_SIZE} bytes); a cluster refuses \
     it before execution"
)]
pub struct TooLarge {
    /// Its size on the wire.
    pub bytes: usize,
}

/// The size of `transaction` on the wire (what [`PACKET_DATA_SIZE`] limits).
pub fn wire_size<T: serde::Serialize>(transaction: &T) -> usize {
    bincode::serialized_size(transaction).map_or(usize::MAX, |size| size as usize)
}

/// Refuses `transaction` if it is larger on the wire than a cluster accepts.
pub fn check_transaction_size<T: serde::Serialize>(transaction: &T) -> Result<(), TooLarge> {
    let bytes = wire_size(transaction);
    if bytes > PACKET_DATA_SIZE {
        Err(TooLarge { bytes })
    } else {
        Ok(())
    }
}

/// The message of `instructions` paid by `payer`: legacy without lookup tables, v0 reading
/// whichever accounts it can from `lookup_tables` otherwise.
pub fn transaction_message(
    instructions: &[Instruction],
    payer: &Pubkey,
    lookup_tables: &[AddressLookupTableAccount],
    blockhash: Hash,
) -> Result<VersionedMessage, TransportError> {
    if lookup_tables.is_empty() {
        return Ok(VersionedMessage::Legacy(Message::new_with_blockhash(
            instructions,
            Some(payer),
            &blockhash,
        )));
    }
    v0::Message::try_compile(payer, instructions, lookup_tables, blockhash)
        .map(VersionedMessage::V0)
        .map_err(|error| TransportError::Signing(format!("cannot compile a v0 message: {error}")))
}

/// A transaction of `instructions` (legacy, or v0 through `lookup_tables`), paid by
/// `signers[0]` and signed by all of them; refused if it is larger than a cluster accepts.
pub fn signed_transaction(
    instructions: &[Instruction],
    signers: &[&Keypair],
    lookup_tables: &[AddressLookupTableAccount],
    blockhash: Hash,
) -> Result<VersionedTransaction, TransportError> {
    let payer = signers
        .first()
        .ok_or_else(|| TransportError::Signing("no fee payer".into()))?;
    let message = transaction_message(instructions, &payer.pubkey(), lookup_tables, blockhash)?;
    let transaction = VersionedTransaction::try_new(message, signers)
        .map_err(|error| TransportError::Signing(error.to_string()))?;
    check_transaction_size(&transaction)?;
    Ok(transaction)
}

/// The wire size and the number of accounts of the transaction of `instructions` paid and
/// signed by `payer` alone (legacy, or v0 through `lookup_tables`): what
/// [`PACKET_DATA_SIZE`] and [`MAX_TX_ACCOUNT_LOCKS`] limit.
pub fn transaction_footprint(
    instructions: &[Instruction],
    payer: &Pubkey,
    lookup_tables: &[AddressLookupTableAccount],
) -> Result<(usize, usize), TransportError> {
    let message = transaction_message(instructions, payer, lookup_tables, Hash::default())?;
    let looked_up: usize = message
        .address_table_lookups()
        .unwrap_or_default()
        .iter()
        .map(|lookup| lookup.writable_indexes.len() + lookup.readonly_indexes.len())
        .sum();
    let accounts = message.static_account_keys().len() + looked_up;
    // Unsigned, the signatures are placeholders of their final size.
    let signatures = usize::from(message.header().num_required_signatures);
    let transaction = VersionedTransaction {
        signatures: vec![Signature::default(); signatures],
        message,
    };
    Ok((wire_size(&transaction), accounts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transaction_larger_than_a_cluster_accepts_is_refused_before_it_is_sent() {
        let payer = Keypair::new();
        let oversized = Instruction::new_with_bytes(crate::PROGRAM_ID, &[0; 1200], Vec::new());
        match signed_transaction(&[oversized], &[&payer], &[], Hash::default()) {
            Err(TransportError::TooLarge(too_large)) => assert!(too_large.bytes > PACKET_DATA_SIZE),
            other => panic!("expected TooLarge, got {other:?}"),
        }
        let fits = Instruction::new_with_bytes(crate::PROGRAM_ID, &[0; 900], Vec::new());
        let transaction = signed_transaction(&[fits], &[&payer], &[], Hash::default()).unwrap();
        assert!(wire_size(&transaction) <= PACKET_DATA_SIZE);
    }
}
