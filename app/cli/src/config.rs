//! The settings of one invocation, resolved from the flags, the Solana CLI config file
//! (`~/.config/solana/cli/config.yml`) and the defaults, in that order, as the Solana CLI
//! resolves them; and the ways to reach the cluster they name.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serviceability_client::transport::Cluster;
use serviceability_localnet::ledger::ProgramRuntime;
use serviceability_localnet::sender::LedgerSender;
use solana_cli_config::{Config, ConfigInput, CONFIG_FILE};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::{read_keypair_file, Keypair};

use crate::args::{Cli, CommitmentArg};
use crate::error::{CliError, CliResult};

/// Where the signer comes from, loaded only when a command needs it.
pub enum SignerSource {
    /// Read already (or given by the caller).
    Loaded(Keypair),
    /// To be read from `path`, named in messages by `origin`.
    Path {
        /// The keypair file.
        path: PathBuf,
        /// Which setting named it.
        origin: &'static str,
    },
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
    pub signer: SignerSource,
    /// Commitment for RPC reads and confirmations.
    pub commitment: CommitmentConfig,
    /// `--with-compute-unit-price`: micro-lamports per compute unit on every write.
    pub compute_unit_price: Option<u64>,
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
            compute_unit_price: cli.with_compute_unit_price,
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

    /// The target as a cluster that the agent keeps, for its reads and its worker's sends: a
    /// URL's, or the embedded ledger file mirrored in memory (read again whenever another
    /// invocation changed it, locked only while a transaction is written), so that other
    /// invocations can use it in between, its fee payers funded as the CLI's are.
    pub fn shared_cluster(&self) -> Cluster {
        let cluster = match &self.target {
            Target::Embedded(path, runtime) => {
                Cluster::with_sender(LedgerSender::mirrored(path, runtime).funding_fee_payers())
            }
            Target::Rpc(url) => Cluster::new(url, self.commitment),
        };
        cluster.with_compute_unit_price(self.compute_unit_price)
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

/// Reads the keypair at `path`; the error says where the path came from and how to make
/// a key.
pub fn read_signer(path: &Path, origin: &str) -> CliResult<Keypair> {
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
