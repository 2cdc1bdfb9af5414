//! What every command runs with: the cluster (a URL's, or the embedded ledger's in process,
//! both through `RpcClient`), the signer, the output format, and the write path (simulate,
//! then send, or print with `--dry-run`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::Serialize;
use serviceability_agent::worker::Submit;
use serviceability_client::accounts::{Device, GlobalState};
use serviceability_client::chain::{self, ChainError};
use serviceability_client::cluster::Cluster;
use serviceability_client::errors::{explain, Failure};
use serviceability_client::idl::instruction_layout;
use serviceability_client::pda;
use serviceability_client::transport::TransportError;
use serviceability_host::ProgramRuntime;
use serviceability_localnet::ledger::{EmbeddedLedger, LedgerError};
use serviceability_localnet::sender::LedgerSender;
use solana_cli_config::{Config, ConfigInput, CONFIG_FILE};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::{read_keypair_file, Keypair};
use solana_signature::Signature;
use solana_signer::Signer;

use crate::args::{Cli, CommitmentArg};
use crate::output::{key_values, DeviceView, Outcome};
use crate::validate::is_valid_device_code;

/// Exit status for usage and input errors: nothing was sent.
pub const EXIT_INPUT: u8 = 2;
/// Exit status for on-chain failures (and audit drift): nothing was changed.
pub const EXIT_CHAIN: u8 = 1;

/// A failure, with the exit status it maps to.
#[derive(Debug)]
pub struct CliError {
    /// [`EXIT_INPUT`] or [`EXIT_CHAIN`].
    pub exit_code: u8,
    /// One line a person understands.
    pub message: String,
    /// The program failure behind it, when there is one.
    pub failure: Option<Failure>,
}

impl CliError {
    /// A usage or input error (exit 2).
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            exit_code: EXIT_INPUT,
            message: message.into(),
            failure: None,
        }
    }

    /// An on-chain failure (exit 1).
    pub fn chain(message: impl Into<String>) -> Self {
        CliError {
            exit_code: EXIT_CHAIN,
            message: message.into(),
            failure: None,
        }
    }

    /// Adds the device's seat counts when the failure is about its capacity or state.
    pub fn with_device(mut self, device: &DeviceView) -> Self {
        let about_device = self.failure.as_ref().is_some_and(|failure| {
            matches!(
                failure.name.as_str(),
                "MaxUsersExceeded" | "DeviceNotActivated" | "DeviceNotEmpty"
            )
        });
        if about_device {
            self.message = format!(
                "{} [{}, {}]",
                self.message,
                device.seats_line(),
                device.status
            );
        }
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<TransportError> for CliError {
    fn from(error: TransportError) -> Self {
        match error {
            TransportError::Unreachable { .. } | TransportError::Signing(_) => {
                CliError::input(error.to_string())
            }
            TransportError::Rpc { .. } | TransportError::TooLarge(_) => {
                CliError::chain(error.to_string())
            }
        }
    }
}

impl From<ChainError> for CliError {
    fn from(error: ChainError) -> Self {
        match error {
            ChainError::Transport(error) => error.into(),
            decode @ ChainError::Decode { .. } => CliError::chain(decode.to_string()),
        }
    }
}

impl From<LedgerError> for CliError {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::TooLarge { .. } => CliError::chain(error.to_string()),
            _ => CliError::input(error.to_string()),
        }
    }
}

/// The command's result type.
pub type CliResult<T> = Result<T, CliError>;

/// Where the signer comes from, loaded only when a command needs it.
enum SignerSource {
    Loaded(Keypair),
    Path { path: PathBuf, origin: &'static str },
}

/// What a write did.
pub enum Submission {
    /// Sent and confirmed.
    Sent(Signature),
    /// `--dry-run`: the instructions and their simulation, nothing sent.
    DryRun(Outcome),
}

/// Where `-u`, the config file and the defaults point.
#[derive(Clone, Debug)]
pub enum Target {
    /// The embedded ledger file, and how its program runs (`--program-so`).
    Embedded(PathBuf, ProgramRuntime),
    /// A cluster URL.
    Rpc(String),
}

/// The settings of one invocation, resolved from the flags, the Solana CLI config file and
/// the defaults, in that order.
pub struct Settings {
    /// Where to run.
    pub target: Target,
    /// The signer.
    signer: SignerSource,
    /// Commitment for RPC reads and confirmations.
    pub commitment: CommitmentConfig,
}

impl Settings {
    /// Resolves the settings of `cli`.
    pub fn resolve(cli: &Cli) -> CliResult<Self> {
        let config = load_config(cli.config.as_deref())?;
        let url_setting = cli
            .url
            .clone()
            .or_else(|| config.as_ref().map(|config| config.json_rpc_url.clone()));
        let signer = match (&cli.keypair, &config) {
            (Some(path), _) => SignerSource::Path {
                path: path.clone(),
                origin: "--keypair",
            },
            (None, Some(config)) => SignerSource::Path {
                path: PathBuf::from(&config.keypair_path),
                origin: "the Solana CLI config's keypair_path",
            },
            (None, None) => SignerSource::Path {
                path: default_keypair_path(),
                origin: "the default keypair path",
            },
        };
        let commitment = match (cli.commitment, &config) {
            (Some(level), _) => commitment_config(level),
            (None, Some(config)) => {
                CommitmentConfig::from_str(&config.commitment).map_err(|_| {
                    CliError::input(format!(
                        "the config's commitment `{}` is not a commitment level",
                        config.commitment
                    ))
                })?
            }
            (None, None) => CommitmentConfig::confirmed(),
        };
        let target = match url_setting.as_deref() {
            None => {
                let path = ledger_path(cli.ledger.as_deref())?;
                eprintln!(
                    "note: no RPC URL configured (-u or the Solana CLI config); using the \
                     embedded ledger at {}",
                    path.display()
                );
                Target::Embedded(path, program_runtime(cli)?)
            }
            Some("embedded") => {
                Target::Embedded(ledger_path(cli.ledger.as_deref())?, program_runtime(cli)?)
            }
            Some(url) => Target::Rpc(cluster_url(url)?),
        };
        Ok(Settings {
            target,
            signer,
            commitment,
        })
    }
}

impl Settings {
    /// The signing keypair.
    pub fn keypair(&self) -> CliResult<Keypair> {
        match &self.signer {
            SignerSource::Loaded(keypair) => Ok(keypair.insecure_clone()),
            SignerSource::Path { path, origin } => read_signer(path, origin),
        }
    }

    /// The target as a cluster that the agent keeps: a URL's, or the embedded ledger file
    /// opened per request, so that other invocations can use it in between.
    pub fn shared_cluster(&self) -> Cluster {
        match &self.target {
            Target::Embedded(path, runtime) => {
                Cluster::with_sender(LedgerSender::per_request(path, runtime))
            }
            Target::Rpc(url) => Cluster::new(url, self.commitment),
        }
    }

    /// The agent's way to send: on a cluster, through [`Settings::shared_cluster`]; on the
    /// embedded ledger, opening the file for each send and funding a fee payer that cannot
    /// pay, as `Context::submit` does.
    pub fn submitter(&self) -> Submit {
        match &self.target {
            Target::Embedded(path, runtime) => {
                let (path, runtime) = (path.clone(), runtime.clone());
                Box::new(move |instructions, payer| {
                    let mut ledger = EmbeddedLedger::open(&path, &runtime).map_err(|error| {
                        TransportError::Unreachable {
                            url: path.display().to_string(),
                            reason: error.to_string(),
                        }
                    })?;
                    ledger.top_up(&payer.pubkey());
                    let ledger = Arc::new(Mutex::new(ledger));
                    Cluster::with_sender(LedgerSender::held(ledger)).send(instructions, &[payer])
                })
            }
            Target::Rpc(_) => {
                let cluster = self.shared_cluster();
                Box::new(move |instructions, payer| cluster.send(instructions, &[payer]))
            }
        }
    }
}

/// How the embedded ledger runs the program: the `.so` of `--program-so` (or
/// `SERVICEABILITY_SO`), else the native build.
pub fn program_runtime(cli: &Cli) -> CliResult<ProgramRuntime> {
    match &cli.program_so {
        Some(path) => ProgramRuntime::sbf(path).map_err(|error| CliError::input(error.to_string())),
        None => Ok(ProgramRuntime::Native),
    }
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

fn read_signer(path: &Path, origin: &str) -> CliResult<Keypair> {
    read_keypair_file(path).map_err(|error| {
        CliError::input(format!(
            "cannot read the keypair at {} (from {origin}): {error}; pass -k PATH, or create \
             one with `serviceability keygen -o {}` (or `solana-keygen new -o {}`)",
            path.display(),
            path.display(),
            path.display()
        ))
    })
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
                let cluster = Cluster::with_sender(LedgerSender::held(Arc::clone(&ledger)));
                (cluster, Some(ledger))
            }
            Target::Rpc(url) => (Cluster::new(url, settings.commitment), None),
        };
        Ok(Context {
            cluster,
            ledger,
            signer: settings.signer,
            dry_run: cli.dry_run,
            announce_top_ups: true,
        })
    }

    /// A context on `ledger` signing with `signer` (the demo's).
    pub fn embedded(ledger: EmbeddedLedger, signer: Keypair) -> Self {
        let ledger = Arc::new(Mutex::new(ledger));
        Context {
            cluster: Cluster::with_sender(LedgerSender::held(Arc::clone(&ledger))),
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

    /// Simulates `instructions` signed by the signer; on success sends them (or, with
    /// `--dry-run`, returns them with the simulation). A failed simulation sends nothing.
    pub fn submit(
        &mut self,
        action: &str,
        instructions: Vec<Instruction>,
    ) -> CliResult<Submission> {
        let signer = self.signer()?.insecure_clone();
        // The embedded ledger funds a fee payer that cannot pay, like a test validator's
        // faucet (saved with the transaction, so a refused one leaves the file unchanged).
        let top_up = self.ledger.as_ref().and_then(|ledger| {
            ledger
                .lock()
                .expect("not poisoned")
                .top_up(&signer.pubkey())
        });
        if let Some(lamports) = top_up.filter(|_| self.announce_top_ups) {
            eprintln!(
                "note: the embedded ledger funded {} with {} SOL",
                signer.pubkey(),
                lamports as f64 / 1e9
            );
        }
        let simulation = self.cluster.simulate(&instructions, &[&signer])?;
        if self.dry_run {
            return Ok(Submission::DryRun(dry_run_outcome(
                action,
                &instructions,
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
        let execution = self.cluster.send(&instructions, &[&signer])?;
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

#[derive(Serialize)]
struct AccountMetaView {
    name: Option<String>,
    pubkey: String,
    signer: bool,
    writable: bool,
}

#[derive(Serialize)]
struct InstructionView {
    program: String,
    name: Option<String>,
    accounts: Vec<AccountMetaView>,
    data_base64: String,
}

#[derive(Serialize)]
struct SimulationView {
    ok: bool,
    error: Option<String>,
    logs: Vec<String>,
    compute_units: Option<u64>,
}

#[derive(Serialize)]
struct DryRunView {
    dry_run: bool,
    action: String,
    instructions: Vec<InstructionView>,
    simulation: SimulationView,
}

fn dry_run_outcome(
    action: &str,
    instructions: &[Instruction],
    simulation: &serviceability_client::transport::Execution,
) -> Outcome {
    let views: Vec<InstructionView> = instructions
        .iter()
        .map(|instruction| {
            let layout = instruction_layout(instruction);
            InstructionView {
                program: instruction.program_id.to_string(),
                name: layout.as_ref().map(|layout| layout.name.clone()),
                accounts: instruction
                    .accounts
                    .iter()
                    .enumerate()
                    .map(|(index, meta)| AccountMetaView {
                        name: layout
                            .as_ref()
                            .and_then(|layout| layout.accounts.get(index).cloned()),
                        pubkey: meta.pubkey.to_string(),
                        signer: meta.is_signer,
                        writable: meta.is_writable,
                    })
                    .collect(),
                data_base64: STANDARD.encode(&instruction.data),
            }
        })
        .collect();
    let error = simulation
        .result
        .as_ref()
        .err()
        .map(|error| explain(error, &simulation.logs).to_string());
    let view = DryRunView {
        dry_run: true,
        action: action.to_string(),
        instructions: views,
        simulation: SimulationView {
            ok: simulation.result.is_ok(),
            error,
            logs: simulation.logs.clone(),
            compute_units: simulation.compute_units,
        },
    };
    let mut text = format!("Dry run of `{action}`: nothing was sent.\n");
    for (index, instruction) in view.instructions.iter().enumerate() {
        text.push_str(&format!(
            "\nInstruction {index}: {} (program {})\n",
            instruction.name.as_deref().unwrap_or("?"),
            instruction.program
        ));
        let rows: Vec<(&str, String)> = instruction
            .accounts
            .iter()
            .map(|account| {
                let flags = match (account.signer, account.writable) {
                    (true, true) => "signer, writable",
                    (true, false) => "signer",
                    (false, true) => "writable",
                    (false, false) => "",
                };
                (
                    account.name.as_deref().unwrap_or("?"),
                    format!("{} {flags}", account.pubkey).trim_end().to_string(),
                )
            })
            .collect();
        text.push_str(&key_values(&rows));
        text.push_str(&format!("\n  data (base64): {}\n", instruction.data_base64));
    }
    text.push_str(&match &view.simulation.error {
        None => "\nSimulation: succeeded".to_string(),
        Some(error) => format!("\nSimulation: failed: {error}"),
    });
    Outcome::new(&view, text)
}

fn load_config(explicit: Option<&Path>) -> CliResult<Option<Config>> {
    let (path, explicit) = match explicit {
        Some(path) => (path.to_path_buf(), true),
        None => match CONFIG_FILE.as_ref() {
            Some(path) => (PathBuf::from(path), false),
            None => return Ok(None),
        },
    };
    if !explicit && !path.exists() {
        return Ok(None);
    }
    Config::load(&path.to_string_lossy())
        .map(Some)
        .map_err(|error| {
            CliError::input(format!(
                "cannot read the Solana CLI config {}: {error}",
                path.display()
            ))
        })
}

/// Where the Solana CLI keeps its default keypair: `~/.config/solana/id.json`.
pub fn default_keypair_path() -> PathBuf {
    let mut path = CONFIG_FILE
        .as_ref()
        .map(PathBuf::from)
        .and_then(|config| config.parent()?.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    path.push("id.json");
    path
}

fn ledger_path(explicit: Option<&Path>) -> CliResult<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    let home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .ok_or_else(|| CliError::input("no --ledger given and no home directory to default to"))?;
    Ok(home.join("serviceability").join("ledger.bin"))
}

/// A moniker or URL → the URL, as the Solana CLI normalizes them.
fn cluster_url(setting: &str) -> CliResult<String> {
    let (_, url) = ConfigInput::compute_json_rpc_url_setting(setting, "");
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url)
    } else {
        Err(CliError::input(format!(
            "`{setting}` is not a cluster: use mainnet-beta, devnet, testnet, localhost, an \
             http(s) URL, or embedded"
        )))
    }
}

fn commitment_config(level: CommitmentArg) -> CommitmentConfig {
    match level {
        CommitmentArg::Processed => CommitmentConfig::processed(),
        CommitmentArg::Confirmed => CommitmentConfig::confirmed(),
        CommitmentArg::Finalized => CommitmentConfig::finalized(),
    }
}
