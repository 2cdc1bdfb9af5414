//! Runs the serviceability program inside [litesvm] without the SBF toolchain.
//!
//! [`add_serviceability`] registers the program in a [`LiteSVM`], as a [`ProgramRuntime`]
//! says. An SBF `.so` (built by `cargo xtask sbf` or `anchor build`) is loaded as a real
//! program and reports real compute units; the native runtime registers the program,
//! compiled into this process, as a builtin whose entrypoint calls the program's real
//! [`serviceability::entry`] through [`bridge`]: the instruction's accounts are serialized
//! exactly as the BPF loader does, the program runs on that buffer, and the buffer is
//! written back with the loader's own checks. The program's syscalls (CPIs, sysvars, logs,
//! events, return data) arrive through `solana-sysvar`'s stubs, which [`stubs`] routes into
//! litesvm's invoke context.
//!
//! Tests, benchmarks and the CLI's embedded ledger all use this crate.

mod bridge;
mod stubs;

use std::path::PathBuf;

use anchor_lang::solana_program::bpf_loader_upgradeable;
use litesvm::LiteSVM;
use solana_account::Account;
use solana_loader_v3_interface::state::UpgradeableLoaderState;

pub use anchor_lang::prelude::Pubkey;

/// The program id, as both the program and litesvm spell it.
pub const PROGRAM_ID: Pubkey = serviceability::ID;

// The program's `Pubkey` (solana-pubkey 3 → solana-address 1.1) re-exports solana-address
// 2.x's `Address`, which litesvm uses: the two are one type, so nothing is converted
// anywhere. If a lockfile change ever splits them, this stops compiling here, in one place.
const _: fn(Pubkey) -> solana_address::Address = |key| key;

/// Environment variable naming a compiled `serviceability.so` to run instead of the native
/// build (tests, benchmarks and the CLI's `--program-so` read it).
pub const SO_ENV: &str = "SERVICEABILITY_SO";

/// How the program runs in a [`LiteSVM`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgramRuntime {
    /// Compiled into this process and run through the bridge; compute units are nominal.
    Native,
    /// A compiled SBF program loaded from this file; compute units are real.
    Sbf(PathBuf),
}

impl ProgramRuntime {
    /// The compiled program at `path`, which must exist.
    pub fn sbf(path: impl Into<PathBuf>) -> Result<Self, HostError> {
        let path = path.into();
        if path.is_file() {
            Ok(ProgramRuntime::Sbf(path))
        } else {
            Err(HostError::MissingSo(path))
        }
    }

    /// What [`SO_ENV`] asks for: that compiled program when it is set and not empty, else
    /// the native build. Nothing else (no `.so` lying in `target/deploy`) changes it, so a
    /// run says which program it tests.
    pub fn from_env() -> Result<Self, HostError> {
        match std::env::var_os(SO_ENV).filter(|value| !value.is_empty()) {
            Some(path) => Self::sbf(path),
            None => Ok(ProgramRuntime::Native),
        }
    }

    /// Whether compute-unit figures from this runtime are meaningful.
    pub fn reports_compute_units(&self) -> bool {
        matches!(self, ProgramRuntime::Sbf(_))
    }
}

impl std::fmt::Display for ProgramRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProgramRuntime::Native => f.write_str("native"),
            ProgramRuntime::Sbf(path) => write!(f, "sbf ({})", path.display()),
        }
    }
}

/// Why the program could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The compiled program named does not exist.
    #[error("compiled program {0} does not exist (build it with `cargo xtask sbf`)")]
    MissingSo(PathBuf),
    /// litesvm refused the compiled program.
    #[error("loading {path}: {source}")]
    LoadSo {
        /// The file.
        path: PathBuf,
        /// litesvm's error.
        source: litesvm::error::LiteSVMError,
    },
}

/// Registers the serviceability program in `svm` at [`PROGRAM_ID`], as `runtime` says.
pub fn add_serviceability(svm: &mut LiteSVM, runtime: &ProgramRuntime) -> Result<(), HostError> {
    match runtime {
        ProgramRuntime::Sbf(path) => {
            svm.add_program_from_file(PROGRAM_ID, path)
                .map_err(|source| HostError::LoadSo {
                    path: path.clone(),
                    source,
                })
        }
        ProgramRuntime::Native => {
            stubs::install();
            svm.add_builtin(PROGRAM_ID, |program, name| {
                program.register_definition::<bridge::Entrypoint>(name)
            });
            Ok(())
        }
    }
}

/// Bytes of a ProgramData account's header (its state; a compiled program's code follows).
pub const PROGRAM_DATA_HEADER_LEN: usize = UpgradeableLoaderState::size_of_programdata_metadata();

/// The program's ProgramData account under the upgradeable loader (`[program id]`).
pub fn program_data_address() -> Pubkey {
    anchor_lang::solana_program::bpf_loader_upgradeable::get_program_data_address(&PROGRAM_ID)
}

/// Makes `authority` the program's upgrade authority in `svm`, as if that key had deployed
/// it (`None`: an immutable program), so that `initialize` checks what it checks on a
/// cluster. A compiled program's ProgramData (litesvm writes it with no authority) keeps its
/// code; the native build gets the 45-byte header alone.
pub fn set_upgrade_authority(svm: &mut LiteSVM, authority: Option<Pubkey>) {
    let address = program_data_address();
    let existing = svm
        .get_account(&address)
        .filter(|account| account.owner == bpf_loader_upgradeable::ID)
        .and_then(|account| Some((program_data_state(&account.data)?, account)));
    let (slot, code, lamports) = match existing {
        Some(((slot, _), account)) => (
            slot,
            account.data[PROGRAM_DATA_HEADER_LEN..].to_vec(),
            account.lamports,
        ),
        None => (0, Vec::new(), 0),
    };
    let mut data = wincode::serialize(&UpgradeableLoaderState::ProgramData {
        slot,
        upgrade_authority_address: authority,
    })
    .expect("the ProgramData header serializes");
    data.extend_from_slice(&code);
    let lamports = lamports.max(svm.minimum_balance_for_rent_exemption(data.len()));
    svm.set_account(
        address,
        Account {
            lamports,
            data,
            owner: bpf_loader_upgradeable::ID,
            executable: false,
            rent_epoch: 0,
        },
    )
    .expect("the ProgramData account is written");
}

/// The program's upgrade authority in `svm`: `None` when there is no ProgramData account or
/// it records none (immutable).
pub fn upgrade_authority(svm: &LiteSVM) -> Option<Pubkey> {
    let account = svm.get_account(&program_data_address())?;
    if account.owner != bpf_loader_upgradeable::ID {
        return None;
    }
    program_data_state(&account.data)?.1
}

/// The slot and upgrade authority that a ProgramData account's data records, or `None` if
/// the data does not start with a ProgramData header.
pub fn program_data_state(data: &[u8]) -> Option<(u64, Option<Pubkey>)> {
    match wincode::deserialize(data.get(..PROGRAM_DATA_HEADER_LEN)?).ok()? {
        UpgradeableLoaderState::ProgramData {
            slot,
            upgrade_authority_address,
        } => Some((slot, upgrade_authority_address)),
        _ => None,
    }
}
