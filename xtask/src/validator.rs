//! `cargo xtask validator`: agave's `solana-test-validator` and `solana` CLI at the pinned
//! version, in `target/validator/bin/`, for the end-to-end suite on a real cluster
//! (`app/cli/tests/validator/`) and for running a validator by hand.
//!
//! The documented path, and the fallback, builds both from crates.io exactly as a user would
//! (`cargo install … --locked`): about 31 minutes on two cores, with Debian's `libclang-dev`,
//! `libudev-dev` and `pkg-config`. When the binaries prebuilt that very way sit in
//! `../shared/validator/` (zstd-compressed) and their sha256 is the pinned one, they are
//! unpacked instead. Either way the result is recorded in a stamp: a later run with the same
//! pin reuses the binaries, a changed pin replaces them.

use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};

use crate::stage::{cargo, is_current, run, stamp_contents};

/// The agave release line the project pins: the one litesvm 0.16 and our agave client crates
/// (`solana-rpc-client` and friends, `Cargo.toml`) are built on.
pub const AGAVE_VERSION: &str = "4.2.2";

/// One installed binary.
struct Binary {
    /// The crate on crates.io that has it.
    krate: &'static str,
    /// The binary's name.
    name: &'static str,
    /// sha256 of its zstd-compressed prebuilt copy in `../shared/validator/`.
    shared_sha256: &'static str,
}

const BINARIES: &[Binary] = &[
    Binary {
        krate: "agave-validator",
        name: "solana-test-validator",
        shared_sha256: "7b0c7132e16024010ba20d5900ab3832296d05110743986b2b0b5bb8f8e9baae",
    },
    Binary {
        krate: "solana-cli",
        name: "solana",
        shared_sha256: "2b92bf1383f56902f714dce85dac8226e88a6718d7fc2186ec57c783d8726241",
    },
];

/// What the source build needs from Debian, for the message when something is missing.
const BUILD_PACKAGES: &str = "libclang-dev libudev-dev pkg-config";

/// Where things go under the workspace.
struct Layout {
    /// `target/validator/`.
    dir: PathBuf,
    /// The prebuilt copies, beside the repository.
    shared: PathBuf,
}

impl Layout {
    fn new(root: &Path) -> Self {
        Layout {
            dir: root.join("target/validator"),
            shared: root
                .parent()
                .map_or_else(|| PathBuf::from("shared"), |parent| parent.join("shared"))
                .join("validator"),
        }
    }

    fn bin(&self) -> PathBuf {
        self.dir.join("bin")
    }

    fn stamp(&self) -> PathBuf {
        self.dir.join("stamp")
    }

    fn shared_copy(&self, binary: &Binary) -> PathBuf {
        self.shared
            .join(format!("{}-{AGAVE_VERSION}-x86_64-linux.zst", binary.name))
    }
}

/// Installs the pinned binaries into `target/validator/bin/` unless they are already there;
/// `from_source` ignores both the stamp and the prebuilt copies and builds from crates.io.
pub fn install(root: &Path, from_source: bool) -> Result<()> {
    let layout = Layout::new(root);
    let inputs = stamp_contents(&[
        AGAVE_VERSION.as_bytes(),
        BINARIES
            .iter()
            .map(|binary| format!("{} {}", binary.krate, binary.name))
            .collect::<Vec<_>>()
            .join("\n")
            .as_bytes(),
    ]);
    let installed = || {
        BINARIES
            .iter()
            .all(|binary| layout.bin().join(binary.name).is_file())
    };
    if !from_source && is_current(&layout.stamp(), &inputs) && installed() {
        eprintln!(
            "validator: agave {AGAVE_VERSION} is current in {}",
            layout.bin().display()
        );
        return Ok(());
    }

    let _ = fs::remove_file(layout.stamp());
    fs::create_dir_all(layout.bin())?;
    let started = Instant::now();
    let source = match (from_source, shared_copies(&layout)) {
        (false, Ok(())) => {
            for binary in BINARIES {
                unpack(&layout.shared_copy(binary), &layout.bin().join(binary.name))?;
            }
            format!("unpacked from {}", layout.shared.display())
        }
        (false, Err(why)) => {
            eprintln!("validator: not using the prebuilt copies: {why:#}; building from crates.io");
            build(root, &layout)?;
            "built from crates.io".to_string()
        }
        (true, _) => {
            build(root, &layout)?;
            "built from crates.io (--from-source)".to_string()
        }
    };
    for binary in BINARIES {
        check_version(&layout.bin().join(binary.name))?;
    }
    fs::write(layout.stamp(), inputs)?;
    eprintln!(
        "validator: agave {AGAVE_VERSION} {source} into {} in {:.0} s",
        layout.bin().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Whether every prebuilt copy is there with its pinned sha256.
fn shared_copies(layout: &Layout) -> Result<()> {
    for binary in BINARIES {
        let path = layout.shared_copy(binary);
        ensure!(path.is_file(), "{} does not exist", path.display());
        let digest = sha256(&path)?;
        ensure!(
            digest == binary.shared_sha256,
            "{} has sha256 {digest}, not the pinned {}",
            path.display(),
            binary.shared_sha256
        );
    }
    Ok(())
}

fn sha256(path: &Path) -> Result<String> {
    let mut file = BufReader::new(File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 20];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// Decompresses `zst` into an executable at `to` (through a temporary file, so an
/// interrupted run leaves no half-written binary under the final name).
fn unpack(zst: &Path, to: &Path) -> Result<()> {
    let partial = to.with_extension("partial");
    let mut output = File::create(&partial)?;
    zstd::stream::copy_decode(File::open(zst)?, &mut output)
        .with_context(|| format!("decompressing {}", zst.display()))?;
    drop(output);
    fs::set_permissions(&partial, fs::Permissions::from_mode(0o755))?;
    fs::rename(&partial, to)?;
    Ok(())
}

/// `cargo install` of each binary from crates.io, with the workspace's toolchain (run from
/// the workspace, so `rust-toolchain.toml` applies), into a build directory kept under
/// `target/validator/` so that a second build is incremental.
fn build(root: &Path, layout: &Layout) -> Result<()> {
    build_prerequisites()?;
    let install_root = layout.dir.join("cargo-install");
    for binary in BINARIES {
        eprintln!(
            "validator: cargo install {} {AGAVE_VERSION} --bin {} (the validator takes ~28 min on two cores)",
            binary.krate, binary.name
        );
        run(cargo()
            .current_dir(root)
            .args(["install", binary.krate, "--locked", "--force"])
            .args(["--version", &format!("={AGAVE_VERSION}")])
            .args(["--bin", binary.name])
            .arg("--root")
            .arg(&install_root)
            .arg("--target-dir")
            .arg(layout.dir.join("build"))
            // As the prebuilt copies are: without symbols.
            .env("CARGO_PROFILE_RELEASE_STRIP", "symbols"))?;
        fs::copy(
            install_root.join("bin").join(binary.name),
            layout.bin().join(binary.name),
        )?;
    }
    Ok(())
}

/// The C libraries the agave crates build against, checked before a half-hour build rather
/// than at its end.
fn build_prerequisites() -> Result<()> {
    let mut missing = Vec::new();
    let libclang = std::env::var_os("LIBCLANG_PATH")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            fs::read_dir("/usr/lib")
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path().join("lib"))
                .filter(|path| path.to_string_lossy().contains("/llvm-")),
        )
        .chain([PathBuf::from("/usr/lib/x86_64-linux-gnu")])
        .any(|dir| {
            fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().starts_with("libclang"))
        });
    if !libclang {
        missing.push("libclang (libclang-dev, for the RocksDB bindings)");
    }
    let libudev = Command::new("pkg-config")
        .args(["--exists", "libudev"])
        .status()
        .is_ok_and(|status| status.success());
    if !libudev {
        missing.push(
            "libudev through pkg-config (libudev-dev, pkg-config: the CLI's hardware wallets)",
        );
    }
    if !missing.is_empty() {
        bail!(
            "building agave {AGAVE_VERSION} needs {}: apt-get install -y {BUILD_PACKAGES} \
             (.ci/run does)",
            missing.join(" and ")
        );
    }
    Ok(())
}

/// Runs `binary --version` and checks that it is the pinned release.
fn check_version(binary: &Path) -> Result<()> {
    let output = Command::new(binary)
        .arg("--version")
        .output()
        .with_context(|| format!("running {} --version", binary.display()))?;
    let version = String::from_utf8_lossy(&output.stdout);
    ensure!(
        output.status.success() && version.contains(AGAVE_VERSION),
        "{} --version says {:?}, not {AGAVE_VERSION}",
        binary.display(),
        version.trim()
    );
    eprintln!("validator: {}", version.trim());
    Ok(())
}
