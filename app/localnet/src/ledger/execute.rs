//! Running transactions as a cluster would: the checks made before execution (size,
//! signatures, an already-processed signature, a recent blockhash), execution by litesvm,
//! the record kept of those that ran, and simulation, which keeps nothing.

use anchor_lang::prelude::{Clock, Pubkey};
use litesvm::types::{FailedTransactionMetadata, TransactionMetadata};
use litesvm::LiteSVM;
use solana_account::Account;
use solana_packet::PACKET_DATA_SIZE;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_context::transaction::TransactionReturnData;
use solana_transaction_error::TransactionError;

use super::history::{RecordedTransaction, TRANSACTION_HISTORY_CAPACITY};
use super::{EmbeddedLedger, LedgerError, Simulation, TransactionOutcome};

impl EmbeddedLedger {
    /// Runs `transaction` and records it; saves the ledger when it was executed. A
    /// transaction with a bad signature, an unknown or expired blockhash, or a signature
    /// already recorded is refused before execution (nothing recorded or saved); one larger
    /// than a cluster accepts is an error, as a cluster's RPC answers it.
    pub fn submit(
        &mut self,
        transaction: VersionedTransaction,
    ) -> Result<TransactionOutcome, LedgerError> {
        let bytes = bincode::serialized_size(&transaction).map_or(usize::MAX, |size| size as usize);
        if bytes > PACKET_DATA_SIZE {
            return Err(LedgerError::TooLarge { bytes });
        }
        let signature = transaction.signatures.first().copied().unwrap_or_default();
        let refused = |error| TransactionOutcome {
            signature,
            result: Err(error),
            logs: Vec::new(),
            compute_units: None,
        };
        self.sync_clock();
        if let Some(error) = self.precheck(&transaction, true) {
            return Ok(refused(error));
        }
        let keys = transaction.message.static_account_keys().to_vec();
        let balances = |svm: &LiteSVM| -> Vec<u64> {
            keys.iter()
                .map(|key| svm.get_balance(key).unwrap_or(0))
                .collect()
        };
        let pre_balances = balances(&self.svm);
        let clock: Clock = self.svm.get_sysvar();
        let wire = bincode::serialize(&transaction).expect("a transaction serializes");
        let outcome = self.svm.send_transaction(transaction);
        let meta = match &outcome {
            Ok(meta) => meta,
            Err(failed) => &failed.meta,
        };
        let executed = match &outcome {
            Ok(_) => true,
            Err(failed) => matches!(failed.err, TransactionError::InstructionError(..)),
        };
        if executed {
            let recorded = RecordedTransaction {
                signature: *signature.as_array(),
                slot: clock.slot,
                block_time: clock.unix_timestamp,
                wire,
                error: outcome
                    .as_ref()
                    .err()
                    .map(|failed| bincode::serialize(&failed.err).expect("errors serialize")),
                logs: meta.logs.clone(),
                fee: meta.fee,
                compute_units: meta.compute_units_consumed,
                pre_balances,
                post_balances: balances(&self.svm),
                inner_instructions: bincode::serialize(&meta.inner_instructions)
                    .expect("inner instructions serialize"),
                return_data: return_data(&meta.return_data),
            };
            if self.history.len() == TRANSACTION_HISTORY_CAPACITY {
                self.history.pop_front();
            }
            self.history.push_back(recorded);
        }
        let landed = self.outcome(signature, outcome);
        if executed {
            self.save()?;
        }
        Ok(landed)
    }

    /// Runs `transaction` without committing anything. With `verify_signatures` false the
    /// signatures are not checked (they may be placeholders, as RPC simulation allows).
    pub fn simulate_transaction(
        &self,
        transaction: VersionedTransaction,
        verify_signatures: bool,
    ) -> Simulation {
        let signature = transaction.signatures.first().copied().unwrap_or_default();
        if let Some(error) = self.precheck(&transaction, verify_signatures) {
            return Simulation {
                outcome: TransactionOutcome {
                    signature,
                    result: Err(error),
                    logs: Vec::new(),
                    compute_units: None,
                },
                fee: 0,
                inner_instructions: Vec::new(),
                return_data: None,
                post_accounts: Vec::new(),
            };
        }
        let (outcome, post_accounts) = match self.svm.simulate_transaction(transaction) {
            Ok(info) => (
                Ok(info.meta),
                info.post_accounts
                    .into_iter()
                    .map(|(address, account)| (address, Account::from(account)))
                    .collect(),
            ),
            Err(failed) => (Err(failed), Vec::new()),
        };
        let meta = match &outcome {
            Ok(meta) => meta,
            Err(failed) => &failed.meta,
        };
        Simulation {
            fee: meta.fee,
            inner_instructions: meta.inner_instructions.clone(),
            return_data: return_data(&meta.return_data),
            post_accounts,
            outcome: self.outcome(signature, outcome),
        }
    }

    /// The checks a cluster makes before executing: well-formed, signatures (when asked),
    /// not processed already, a recent blockhash.
    fn precheck(
        &self,
        transaction: &VersionedTransaction,
        verify_signatures: bool,
    ) -> Option<TransactionError> {
        if transaction.sanitize().is_err() {
            return Some(TransactionError::SanitizeFailure);
        }
        if verify_signatures && !transaction.verify_with_results().iter().all(|ok| *ok) {
            return Some(TransactionError::SignatureFailure);
        }
        let signature = transaction.signatures.first().copied().unwrap_or_default();
        if self.recorded_transaction(&signature).is_some() {
            return Some(TransactionError::AlreadyProcessed);
        }
        if !self.is_blockhash_valid(transaction.message.recent_blockhash()) {
            return Some(TransactionError::BlockhashNotFound);
        }
        None
    }

    /// What litesvm reported, as a [`TransactionOutcome`].
    fn outcome(
        &self,
        signature: Signature,
        outcome: Result<TransactionMetadata, FailedTransactionMetadata>,
    ) -> TransactionOutcome {
        match outcome {
            Ok(meta) => TransactionOutcome {
                signature,
                result: Ok(()),
                logs: meta.logs,
                compute_units: self
                    .runtime
                    .reports_compute_units()
                    .then_some(meta.compute_units_consumed),
            },
            // A failed execution spent units too; a validator reports them.
            Err(failed) => TransactionOutcome {
                signature,
                result: Err(failed.err),
                logs: failed.meta.logs,
                compute_units: self
                    .runtime
                    .reports_compute_units()
                    .then_some(failed.meta.compute_units_consumed),
            },
        }
    }
}

fn return_data(data: &TransactionReturnData) -> Option<(Pubkey, Vec<u8>)> {
    (!data.data.is_empty()).then(|| (data.program_id, data.data.clone()))
}
