//! Runs the serviceability program inside [litesvm] without the SBF toolchain.
//!
//! [`add_serviceability`] registers the program in a [`LiteSVM`]. If a compiled program is
//! available (`SERVICEABILITY_SO`, else `target/deploy/serviceability.so`) it is loaded as
//! SBF and reports real compute units; otherwise the program, compiled natively into this
//! process, is registered as a builtin whose entrypoint calls the program's real
//! [`serviceability::entry`] through [`bridge`]: the instruction's accounts are serialized
//! exactly as the BPF loader does, the program runs on that buffer, and the buffer is
//! written back with the loader's own checks. The program's syscalls (CPIs, sysvars, logs,
//! events, return data) arrive through `solana-sysvar`'s stubs, which [`stubs`] routes into
//! litesvm's invoke context.
//!
//! Tests, benchmarks and the CLI's embedded ledger all use this crate.

mod bridge;
mod stubs;

use std::path::{Path, PathBuf};

use litesvm::LiteSVM;

pub use anchor_lang::prelude::Pubkey;

/// The program id, as both the program and litesvm spell it.
pub const PROGRAM_ID: Pubkey = serviceability::ID;

// The program's `Pubkey` (solana-pubkey 3 → solana-address 1.1) re-exports solana-address
// 2.x's `Address`, which litesvm uses: the two are one type, so nothing is converted
// anywhere. If a lockfile change ever splits them, this stops compiling here, in one place.
const _: fn(Pubkey) -> solana_address::Address = |key| key;

/// Environment variable naming a compiled `serviceability.so` to load instead of the
/// native build.
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
    /// Whether compute-unit figures from this runtime are meaningful.
    pub fn reports_compute_units(&self) -> bool {
        matches!(self, ProgramRuntime::Sbf(_))
    }
}

/// Why the program could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// `SERVICEABILITY_SO` names a file that does not exist.
    #[error("{SO_ENV}={0} does not exist")]
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

/// The compiled program to load, if any: `SERVICEABILITY_SO`, else
/// `<workspace>/target/deploy/serviceability.so` when it exists.
pub fn compiled_program_path() -> Result<Option<PathBuf>, HostError> {
    if let Some(path) = std::env::var_os(SO_ENV).filter(|value| !value.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(Some(path))
        } else {
            Err(HostError::MissingSo(path))
        };
    }
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/serviceability.so");
    Ok(default.is_file().then_some(default))
}

/// Registers the serviceability program in `svm` at [`PROGRAM_ID`]: the compiled SBF
/// program when one is available (see [`compiled_program_path`]), else the native build.
pub fn add_serviceability(svm: &mut LiteSVM) -> Result<ProgramRuntime, HostError> {
    match compiled_program_path()? {
        Some(path) => {
            svm.add_program_from_file(PROGRAM_ID, &path)
                .map_err(|source| HostError::LoadSo {
                    path: path.clone(),
                    source,
                })?;
            Ok(ProgramRuntime::Sbf(path))
        }
        None => {
            add_native_serviceability(svm);
            Ok(ProgramRuntime::Native)
        }
    }
}

/// Registers the natively compiled program in `svm` at [`PROGRAM_ID`], ignoring any
/// compiled `.so`.
pub fn add_native_serviceability(svm: &mut LiteSVM) {
    stubs::install();
    svm.add_builtin(PROGRAM_ID, |program, name| {
        program.register_definition::<bridge::Entrypoint>(name)
    });
}
