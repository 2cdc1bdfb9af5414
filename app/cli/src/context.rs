//! What every command runs with: the cluster (a URL's, or the embedded ledger's in process,
//! both through `RpcClient`), the signer, and the write path (simulate, then send, or print
//! with `--dry-run`).

use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use serviceability_client::accounts::{Device, GlobalState};
use serviceability_client::chain::{self};
use serviceability_client::compute_budget::compute_unit_limit;
use serviceability_client::errors::explain;
use serviceability_client::pda;
use serviceability_client::transport::Cluster;
use serviceability_localnet::ledger::EmbeddedLedger;
use serviceability_localnet::sender::LedgerSender;
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;

use crate::args::Cli;
use crate::config::{read_signer, Settings, SignerSource, Target};
use crate::error::{CliError, CliResult, EXIT_CHAIN};
use crate::output::{CommandOutput, DryRunView, Output};
use serviceability_client::rules::is_valid_device_code;

/// What one transaction of a write did.
enum Submission {
    /// Sent and confirmed.
    Sent(Signature),
    /// `--dry-run`: the instructions and their simulation, nothing sent.
    DryRun(DryRunView),
}

/// The device named by `name` on `cluster`: a device address, or a code.
pub fn resolve_device(cluster: &Cluster, name: &str) -> CliResult<(Pubkey, Device)> {
    if let Ok(address) = Pubkey::from_str(name) {
        if let Some(device) = chain::device(cluster, &address)? {
            return Ok((address, device));
        }
    }
    if !is_valid_device_code(name) {
        return Err(CliError::input(format!(
            "`{name}` is neither a device address nor a device code (1 to 32 characters of \
             [a-z0-9-])"
        )));
    }
    let address = pda::device(name);
    match chain::device(cluster, &address)? {
        Some(device) => Ok((address, device)),
        None => Err(CliError::input(format!(
            "unknown device `{name}` on {}",
            cluster.describe()
        ))),
    }
}

/// The cluster, signer and output of one invocation.
pub struct Context {
    cluster: Cluster,
    /// The embedded ledger, when that is the cluster: held (and locked) for the whole
    /// invocation, answering the cluster's requests in process.
    ledger: Option<Arc<Mutex<EmbeddedLedger>>>,
    signer: SignerSource,
    /// `--dry-run`.
    pub dry_run: bool,
    /// Whether to say on stderr when the embedded ledger funds a fee payer.
    announce_top_ups: bool,
}

impl Context {
    /// Opens the cluster of `settings` (the embedded ledger: opened and locked until the
    /// context is dropped).
    pub fn open(settings: Settings, cli: &Cli) -> CliResult<Self> {
        let (cluster, ledger) = match &settings.target {
            Target::Embedded(path, runtime) => {
                let ledger = Arc::new(Mutex::new(EmbeddedLedger::open(path, runtime)?));
                let sender = LedgerSender::held(Arc::clone(&ledger)).funding_fee_payers();
                let cluster = Cluster::with_sender(sender);
                (cluster, Some(ledger))
            }
            Target::Rpc(url) => (Cluster::new(url, settings.commitment), None),
        };
        Ok(Context {
            cluster: cluster.with_compute_unit_price(settings.compute_unit_price),
            ledger,
            signer: settings.signer,
            dry_run: cli.dry_run,
            announce_top_ups: true,
        })
    }

    /// A context on `ledger` signing with `signer` (the demo's).
    pub fn embedded(ledger: EmbeddedLedger, signer: Keypair) -> Self {
        let ledger = Arc::new(Mutex::new(ledger));
        let sender = LedgerSender::held(Arc::clone(&ledger)).funding_fee_payers();
        Context {
            cluster: Cluster::with_sender(sender),
            ledger: Some(ledger),
            signer: SignerSource::Loaded(signer),
            dry_run: false,
            announce_top_ups: false,
        }
    }

    /// Switches the signer (the demo plays every role).
    pub fn set_signer(&mut self, signer: Keypair) {
        self.signer = SignerSource::Loaded(signer);
    }

    /// The cluster.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The embedded ledger, or an error for commands that only exist there.
    pub fn embedded_ledger(&self, command: &str) -> CliResult<MutexGuard<'_, EmbeddedLedger>> {
        match &self.ledger {
            Some(ledger) => Ok(ledger.lock().expect("the ledger is not poisoned")),
            None => Err(CliError::input(format!(
                "`{command}` works on the embedded ledger only, not on {}",
                self.cluster.describe()
            ))),
        }
    }

    /// The signing keypair, loaded on first use.
    pub fn signer(&mut self) -> CliResult<&Keypair> {
        if let SignerSource::Path { path, origin } = &self.signer {
            self.signer = SignerSource::Loaded(read_signer(path, origin)?);
        }
        match &self.signer {
            SignerSource::Loaded(keypair) => Ok(keypair),
            SignerSource::Path { .. } => unreachable!("loaded above"),
        }
    }

    /// The signer's public key.
    pub fn signer_pubkey(&mut self) -> CliResult<Pubkey> {
        Ok(self.signer()?.pubkey())
    }

    /// The cluster's unix time.
    pub fn now(&self) -> CliResult<i64> {
        Ok(self.cluster.clock()?.unix_timestamp)
    }

    /// GlobalState, or an error saying the program is not initialized.
    pub fn global_state(&self) -> CliResult<GlobalState> {
        chain::global_state(&self.cluster)?.ok_or_else(|| {
            CliError::chain(format!(
                "the program is not initialized on {} (run `serviceability init`)",
                self.cluster.describe()
            ))
        })
    }

    /// The device named by `name`: a device address, or a code.
    pub fn device(&self, name: &str) -> CliResult<(Pubkey, Device)> {
        resolve_device(&self.cluster, name)
    }

    /// The code of each device, to label listings.
    pub fn device_codes(&self) -> CliResult<std::collections::BTreeMap<Pubkey, String>> {
        Ok(chain::devices(&self.cluster)?
            .into_iter()
            .map(|(address, device)| (address, device.code))
            .collect())
    }

    /// Says on stderr which fee payers the embedded ledger funded (its faucet's top-up, saved
    /// with the transaction, so a refused one leaves the file unchanged).
    fn announce_funded(&self) {
        let Some(ledger) = &self.ledger else { return };
        let funded = ledger.lock().expect("not poisoned").take_funded();
        for (payer, lamports) in funded.into_iter().filter(|_| self.announce_top_ups) {
            eprintln!(
                "note: the embedded ledger funded {payer} with {} SOL",
                lamports as f64 / 1e9
            );
        }
    }

    /// The write path of every command: simulates `instructions` signed by the signer and,
    /// on success, sends them and returns what `written` makes of the signature (with
    /// `--dry-run`, the instructions and their simulation instead). A failed simulation sends
    /// nothing.
    pub fn write<V: CommandOutput + 'static>(
        &mut self,
        action: &str,
        instructions: Vec<Instruction>,
        written: impl FnOnce(&mut Self, Signature) -> CliResult<V>,
    ) -> CliResult<Output> {
        self.write_batches(action, vec![instructions], |context, signatures| {
            written(context, signatures[0])
        })
    }

    /// [`Context::write`] for a write of several transactions, sent in turn (none: `written`
    /// gets no signature); the first that fails stops the rest, and `--dry-run` shows the
    /// first.
    pub fn write_batches<V: CommandOutput + 'static>(
        &mut self,
        action: &str,
        transactions: Vec<Vec<Instruction>>,
        written: impl FnOnce(&mut Self, Vec<Signature>) -> CliResult<V>,
    ) -> CliResult<Output> {
        let mut signatures = Vec::with_capacity(transactions.len());
        for instructions in transactions {
            match self.submit(action, instructions)? {
                Submission::Sent(signature) => signatures.push(signature),
                Submission::DryRun(view) => return Ok(view.into()),
            }
        }
        Ok(written(self, signatures)?.into())
    }

    fn submit(&mut self, action: &str, instructions: Vec<Instruction>) -> CliResult<Submission> {
        let signer = self.signer()?.insecure_clone();
        let simulation = self.cluster.simulate(&instructions, &[&signer])?;
        self.announce_funded();
        if self.dry_run {
            // The instructions as they would be sent, compute-budget ones included.
            let limit = simulation.compute_units.map(compute_unit_limit);
            return Ok(Submission::DryRun(DryRunView::new(
                action,
                &self.cluster.priced(&instructions, limit),
                &simulation,
            )));
        }
        if let Err(error) = &simulation.result {
            return Err(failed(
                action,
                "in simulation; nothing was sent",
                error,
                &simulation.logs,
            ));
        }
        let execution = self
            .cluster
            .send_simulated(&instructions, &[&signer], &[], simulation)?;
        match &execution.result {
            Ok(()) => Ok(Submission::Sent(execution.signature)),
            Err(error) => Err(failed(action, "when sent", error, &execution.logs)),
        }
    }
}

fn failed(
    action: &str,
    when: &str,
    error: &solana_transaction_error::TransactionError,
    logs: &[String],
) -> CliError {
    let failure = explain(error, logs);
    CliError {
        exit_code: EXIT_CHAIN,
        message: format!("{action} failed {when}: {failure}"),
        failure: Some(failure),
    }
}
