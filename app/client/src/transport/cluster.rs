//! Where the program runs, reached through `solana-rpc-client`'s `RpcClient` (the client
//! `anchor-client` wraps): a cluster's JSON-RPC endpoint, or the embedded ledger in process
//! through an `RpcSender` (`serviceability-localnet`'s `LedgerSender`). Every read,
//! simulation and send of the CLI and the agent goes through here, the same calls whichever
//! it is.

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::sysvar::SysvarId;
use solana_account::Account;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_message::AddressLookupTableAccount;
use solana_rpc_client::rpc_client::{RpcClient, RpcClientConfig};
use solana_rpc_client::rpc_sender::RpcSender;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSimulateTransactionConfig,
};
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_transaction::versioned::VersionedTransaction;

use super::{signed_transaction, Execution, TransportError};
use crate::compute_budget::{compute_unit_limit, with_compute_budget, MAX_COMPUTE_UNIT_LIMIT};
use crate::PROGRAM_ID;

/// The program's cluster, through an `RpcClient`.
pub struct Cluster {
    client: RpcClient,
    url: String,
    compute_unit_price: Option<u64>,
}

impl Cluster {
    /// The cluster at the JSON-RPC endpoint `url`, read and confirmed at `commitment`.
    pub fn new(url: &str, commitment: CommitmentConfig) -> Self {
        Cluster {
            client: RpcClient::new_with_commitment(url.to_string(), commitment),
            url: url.to_string(),
            compute_unit_price: None,
        }
    }

    /// The cluster that `sender` answers for (the embedded ledger's, in process).
    pub fn with_sender(sender: impl RpcSender + Send + Sync + 'static) -> Self {
        let url = sender.url();
        Cluster {
            client: RpcClient::new_sender(
                sender,
                RpcClientConfig::with_commitment(CommitmentConfig::confirmed()),
            ),
            url,
            compute_unit_price: None,
        }
    }

    /// Every transaction sent pays `price` micro-lamports per compute unit (none: no
    /// compute-budget instructions), with a compute-unit limit from its simulation plus a
    /// margin ([`crate::compute_budget`]).
    pub fn with_compute_unit_price(mut self, price: Option<u64>) -> Self {
        self.compute_unit_price = price;
        self
    }

    /// The priority fee every transaction pays, micro-lamports per compute unit.
    pub fn compute_unit_price(&self) -> Option<u64> {
        self.compute_unit_price
    }

    /// The RPC client itself.
    pub fn client(&self) -> &RpcClient {
        &self.client
    }

    fn error(&self, error: ClientError) -> TransportError {
        match error.kind() {
            ErrorKind::Io(_) | ErrorKind::Reqwest(_) | ErrorKind::Middleware(_) => {
                TransportError::Unreachable {
                    url: self.url.clone(),
                    reason: error.to_string(),
                }
            }
            _ => TransportError::Rpc {
                url: self.url.clone(),
                reason: error.to_string(),
            },
        }
    }

    fn transaction(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<VersionedTransaction, TransportError> {
        let blockhash = self
            .client
            .get_latest_blockhash()
            .map_err(|error| self.error(error))?;
        signed_transaction(instructions, signers, lookup_tables, blockhash)
    }
}

impl Cluster {
    /// Where this cluster is, for messages ("https://…", "embedded ledger …").
    pub fn describe(&self) -> String {
        self.url.clone()
    }

    /// The account at `address`, if it exists.
    pub fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.client
            .get_account_with_commitment(address, self.client.commitment())
            .map(|response| response.value)
            .map_err(|error| self.error(error))
    }

    /// The program's accounts that pass every filter, filtered where they are stored.
    pub fn program_accounts(
        &self,
        filters: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        self.accounts_owned_by(&PROGRAM_ID, filters)
    }

    /// The accounts `owner` owns that pass every filter, sorted by address.
    pub fn accounts_owned_by(
        &self,
        owner: &Pubkey,
        filters: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        let config = RpcProgramAccountsConfig {
            filters: Some(filters),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.client.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let accounts = self
            .client
            .get_program_ui_accounts_with_config(owner, config)
            .map_err(|error| self.error(error))?;
        let mut decoded = accounts
            .into_iter()
            .map(|(address, ui_account)| {
                let account = ui_account
                    .to_account_shared_data()
                    .map(Account::from)
                    .ok_or_else(|| TransportError::Rpc {
                        url: self.url.clone(),
                        reason: format!("account {address} came back in an unreadable encoding"),
                    })?;
                Ok((address, account))
            })
            .collect::<Result<Vec<_>, TransportError>>()?;
        decoded.sort_by_key(|(address, _)| *address);
        Ok(decoded)
    }

    /// The slot the cluster has reached at its commitment.
    pub fn slot(&self) -> Result<u64, TransportError> {
        self.client.get_slot().map_err(|error| self.error(error))
    }

    /// The cluster's Clock sysvar.
    pub fn clock(&self) -> Result<Clock, TransportError> {
        let account =
            self.account(&<Clock as SysvarId>::id())?
                .ok_or_else(|| TransportError::Rpc {
                    url: self.url.clone(),
                    reason: "the Clock sysvar does not exist".into(),
                })?;
        bincode::deserialize(&account.data).map_err(|error| TransportError::Rpc {
            url: self.url.clone(),
            reason: format!("unreadable Clock sysvar: {error}"),
        })
    }

    /// `instructions` as they are sent: behind the compute-budget instructions when a price
    /// is set, with `limit` when known.
    pub fn priced(&self, instructions: &[Instruction], limit: Option<u32>) -> Vec<Instruction> {
        match self.compute_unit_price {
            Some(price) => with_compute_budget(instructions, price, limit),
            None => instructions.to_vec(),
        }
    }

    /// Runs `instructions` without committing anything; `signers[0]` pays the fee. With a
    /// price, they run behind the compute-budget instructions (at the maximum limit), so the
    /// units consumed are those of the transaction that will be sent.
    pub fn simulate(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Execution, TransportError> {
        self.simulate_with_lookup_tables(instructions, signers, &[])
    }

    /// [`Cluster::simulate`] as a v0 transaction that addresses accounts through
    /// `lookup_tables` (none: a legacy transaction).
    pub fn simulate_with_lookup_tables(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Execution, TransportError> {
        let instructions = self.priced(instructions, Some(MAX_COMPUTE_UNIT_LIMIT));
        let transaction = self.transaction(&instructions, signers, lookup_tables)?;
        let config = RpcSimulateTransactionConfig {
            sig_verify: true,
            commitment: Some(self.client.commitment()),
            ..RpcSimulateTransactionConfig::default()
        };
        let simulation = self
            .client
            .simulate_transaction_with_config(&transaction, config)
            .map_err(|error| self.error(error))?
            .value;
        Ok(Execution {
            signature: transaction.signatures[0],
            result: simulation.err.map_or(Ok(()), |error| Err(error.into())),
            logs: simulation.logs.unwrap_or_default(),
            compute_units: simulation.units_consumed,
        })
    }

    /// Simulates `instructions`, then sends them and waits until they are confirmed or
    /// refused; `signers[0]` pays the fee. A failed simulation is the outcome: nothing is
    /// sent. With a price, the simulation's units set the compute-unit limit. This is the one
    /// write policy of the CLI and the agent.
    pub fn send(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Execution, TransportError> {
        self.send_with_lookup_tables(instructions, signers, &[])
    }

    /// [`Cluster::send`] as a v0 transaction that addresses accounts through
    /// `lookup_tables` (none: a legacy transaction).
    pub fn send_with_lookup_tables(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Execution, TransportError> {
        let simulation = self.simulate_with_lookup_tables(instructions, signers, lookup_tables)?;
        self.send_simulated(instructions, signers, lookup_tables, simulation)
    }

    /// The second half of [`Cluster::send`], for a caller that looks at the simulation
    /// first (the CLI, for `--dry-run`): `simulation` is [`Cluster::simulate`]'s of the same
    /// instructions; a failed one is returned and nothing is sent.
    pub fn send_simulated(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
        simulation: Execution,
    ) -> Result<Execution, TransportError> {
        if simulation.result.is_err() {
            return Ok(simulation);
        }
        // Its units set the limit (none, as for a natively run program: no limit).
        self.send_transaction(
            instructions,
            signers,
            lookup_tables,
            simulation.compute_units,
        )
    }

    fn send_transaction(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
        simulated_units: Option<u64>,
    ) -> Result<Execution, TransportError> {
        let instructions = self.priced(instructions, simulated_units.map(compute_unit_limit));
        let transaction = self.transaction(&instructions, signers, lookup_tables)?;
        let signature = transaction.signatures[0];
        match self.client.send_and_confirm_transaction(&transaction) {
            Ok(_) => Ok(Execution {
                signature,
                result: Ok(()),
                logs: Vec::new(),
                compute_units: None,
            }),
            Err(error) => match error.get_transaction_error() {
                Some(transaction_error) => Ok(Execution {
                    signature,
                    result: Err(transaction_error),
                    logs: preflight_logs(&error),
                    compute_units: None,
                }),
                None => Err(self.error(error)),
            },
        }
    }
}

fn preflight_logs(error: &ClientError) -> Vec<String> {
    match error.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(simulation),
            ..
        }) => simulation.logs.clone().unwrap_or_default(),
        _ => Vec::new(),
    }
}
