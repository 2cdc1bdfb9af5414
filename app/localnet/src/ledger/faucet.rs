//! Lamports for whoever needs them, as a test validator's faucet gives them: `requestAirdrop`
//! as a recorded transfer from a fixed faucet key, and the top-up of a fee payer that runs
//! low, for the CLI's and the agent's ledgers.

use anchor_lang::prelude::Pubkey;
use anchor_lang::system_program;
use sha2::{Digest, Sha256};
use solana_account::Account;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::Transaction;

use super::{EmbeddedLedger, LedgerError, TransactionOutcome};

/// A fee payer below this balance is topped up by [`EmbeddedLedger::top_up`].
pub const TOP_UP_THRESHOLD: u64 = 1_000_000_000;
/// What a top-up brings a fee payer to (100 SOL).
pub const TOP_UP_LAMPORTS: u64 = 100_000_000_000;

/// The ledger's faucet (for `requestAirdrop`): a fixed key, like a test validator's.
fn faucet_keypair() -> Keypair {
    let seed: [u8; 32] = Sha256::digest(b"serviceability embedded ledger faucet").into();
    Keypair::new_from_array(seed)
}

impl EmbeddedLedger {
    /// Sends `lamports` to `address` from the ledger's faucet, as a recorded transfer (what a
    /// test validator's `requestAirdrop` does); the faucet never runs dry.
    pub fn airdrop(
        &mut self,
        address: &Pubkey,
        lamports: u64,
    ) -> Result<TransactionOutcome, LedgerError> {
        let faucet = faucet_keypair();
        let faucet_address = faucet.pubkey();
        let needed = lamports.saturating_add(TOP_UP_LAMPORTS);
        if self.svm.get_balance(&faucet_address).unwrap_or(0) < needed {
            let account = Account::new(needed.saturating_mul(2), 0, &system_program::ID);
            self.svm
                .set_account(faucet_address, account)
                .expect("a system account can be set");
        }
        let transfer = anchor_lang::solana_program::system_instruction::transfer(
            &faucet_address,
            address,
            lamports,
        );
        let transaction = Transaction::new_signed_with_payer(
            &[transfer],
            Some(&faucet_address),
            &[&faucet],
            self.latest_blockhash(),
        );
        self.submit(transaction.into())
    }

    /// Gives `address` enough lamports to pay fees and rent when it has less than
    /// [`TOP_UP_THRESHOLD`]; returns the lamports given. Not saved until [`save`](Self::save).
    pub fn top_up(&mut self, address: &Pubkey) -> Option<u64> {
        let balance = self.svm.get_balance(address).unwrap_or(0);
        if balance >= TOP_UP_THRESHOLD {
            return None;
        }
        let amount = TOP_UP_LAMPORTS - balance;
        self.svm.airdrop(address, amount).ok()?;
        Some(amount)
    }

    /// From now on, tops up every transaction's fee payer (sent or simulated through the
    /// JSON-RPC methods) as [`top_up`](Self::top_up) does: the CLI's and the agent's ledgers,
    /// whose keys pay nothing to anyone before they use them. Not kept in the file.
    pub fn fund_fee_payers(&mut self) {
        self.funds_fee_payers = true;
    }

    /// Tops up `transaction`'s fee payer if this ledger [funds fee
    /// payers](Self::fund_fee_payers); saved with the transaction, so a refused one leaves the
    /// file unchanged.
    pub fn fund_fee_payer(&mut self, transaction: &VersionedTransaction) {
        if !self.funds_fee_payers {
            return;
        }
        if let Some(payer) = transaction.message.static_account_keys().first().copied() {
            if let Some(lamports) = self.top_up(&payer) {
                self.funded.push((payer, lamports));
            }
        }
    }

    /// The fee payers funded, and how much, since the last call.
    pub fn take_funded(&mut self) -> Vec<(Pubkey, u64)> {
        std::mem::take(&mut self.funded)
    }
}
