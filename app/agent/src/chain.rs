//! The worker's one seam to the cluster: sending, the slot, and the device's lookup tables.
//! [`Cluster`] is the real one, shared with the agent's reads; the worker's tests put a
//! flaky one in its place.

use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use serviceability_client::lookup_table::{device_tables, DeviceTable};
use serviceability_client::transport::Cluster;
use serviceability_client::transport::{Execution, TransportError};
use solana_keypair::Keypair;
use solana_message::AddressLookupTableAccount;

/// What the worker needs of a cluster.
pub trait Chain: Send {
    /// Sends `instructions`, signed and paid by `payer`, as a v0 transaction through
    /// `lookup_tables` (legacy without), and waits for the outcome. A transport error is
    /// retried by the worker; a program error is an outcome.
    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Execution, TransportError>;

    /// The slot the cluster has reached.
    fn slot(&mut self) -> Result<u64, TransportError>;

    /// The lookup tables of `device` whose authority is `authority`.
    fn device_tables(
        &mut self,
        authority: &Pubkey,
        device: &Pubkey,
    ) -> Result<Vec<DeviceTable>, TransportError>;

    /// Whether every transaction pays a priority fee (its compute-budget program takes one
    /// of the accounts a transaction may reference).
    fn priority_fee(&self) -> bool;
}

impl Chain for Arc<Cluster> {
    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Execution, TransportError> {
        self.send_with_lookup_tables(instructions, &[payer], lookup_tables)
    }

    fn slot(&mut self) -> Result<u64, TransportError> {
        Cluster::slot(self)
    }

    fn device_tables(
        &mut self,
        authority: &Pubkey,
        device: &Pubkey,
    ) -> Result<Vec<DeviceTable>, TransportError> {
        device_tables(self, authority, device)
    }

    fn priority_fee(&self) -> bool {
        self.compute_unit_price().is_some()
    }
}

/// A chain that only sends, through `F`, and has no lookup tables (their reads fail): for a
/// worker with [`crate::tables::TableMode::Never`], in tests and benchmarks that count what
/// would be sent.
pub struct SendOnly<F>(pub F);

impl<F> Chain for SendOnly<F>
where
    F: FnMut(&[Instruction], &Keypair) -> Result<Execution, TransportError> + Send,
{
    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        _lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Execution, TransportError> {
        (self.0)(instructions, payer)
    }

    fn slot(&mut self) -> Result<u64, TransportError> {
        Err(no_tables())
    }

    fn device_tables(
        &mut self,
        _authority: &Pubkey,
        _device: &Pubkey,
    ) -> Result<Vec<DeviceTable>, TransportError> {
        Err(no_tables())
    }

    fn priority_fee(&self) -> bool {
        false
    }
}

fn no_tables() -> TransportError {
    TransportError::Rpc {
        url: "send-only chain".into(),
        reason: "it has no lookup tables".into(),
    }
}
