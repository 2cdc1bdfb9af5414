//! Repository chores.
//!
//! `cargo xtask idl` regenerates `idl/serviceability.json` from the program, the way
//! `anchor idl build` does (Anchor's `idl-build` feature, natively, on stable Rust).
//! `cargo xtask idl --check` fails when the committed file differs from a fresh build.
//!
//! `cargo xtask fixtures [--check]` writes (or checks) the layout fixtures in
//! `tests/fixtures/`, by running the `fixtures` binary of the test crate.
//!
//! `cargo xtask clients [--check]` regenerates (or checks) the clients in `clients/` from the
//! IDL with Codama (see [`clients`]).
//!
//! `cargo xtask sbf` builds the SBF programs into `target/deploy/` without platform-tools
//! (see [`sbf`] and `tools/sbf/README.md`).
//!
//! `cargo xtask msrv` fails if a crate of the program's SBF build needs a newer Rust than the
//! program declares (see [`msrv`]).
//!
//! `cargo xtask test-parity NATIVE.log SBF.log` compares a native and an SBF run of the test
//! suite test by test (see [`parity`]).
//!
//! `cargo xtask validator [--from-source]` installs agave's `solana-test-validator` and
//! `solana` at the pinned version into `target/validator/bin/` (see [`validator`]).

mod clients;
mod msrv;
mod parity;
mod sbf;
mod stage;
mod validator;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anchor_lang_idl::build::IdlBuilder;
use anyhow::{bail, Context, Result};

const USAGE: &str = "usage: cargo xtask idl [--check] | cargo xtask fixtures [--check] | \
                     cargo xtask clients [--check] | \
                     cargo xtask sbf | cargo xtask msrv | cargo xtask test-parity NATIVE.log SBF.log | \
                     cargo xtask validator [--from-source]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["idl"] => write_idl(),
        ["idl", "--check"] => check_idl(),
        ["fixtures"] => fixtures(&[]),
        ["fixtures", "--check"] => fixtures(&["--check"]),
        ["clients"] => clients::write(&workspace_root()),
        ["clients", "--check"] => clients::check(&workspace_root()),
        ["sbf"] => sbf::build(&workspace_root()),
        ["msrv"] => msrv::check(&workspace_root()),
        ["test-parity", native, sbf] => parity::compare(Path::new(native), Path::new(sbf)),
        ["validator"] => validator::install(&workspace_root(), false),
        ["validator", "--from-source"] => validator::install(&workspace_root(), true),
        _ => bail!(USAGE),
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn committed_idl_path() -> PathBuf {
    workspace_root().join("idl/serviceability.json")
}

/// Builds the IDL and renders it as the committed file is formatted.
fn fresh_idl() -> Result<String> {
    // anchor-lang-idl 0.1.4 turns a set RUSTUP_TOOLCHAIN into a literal "+{toolchain}"
    // argument; the toolchain is already pinned by rust-toolchain/rustup for this workspace.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let idl = IdlBuilder::new()
        .program_path(workspace_root().join("programs/serviceability"))
        .build()
        .context("building the IDL (run with ANCHOR_LOG=1 to see cargo's output)")?;
    Ok(serde_json::to_string_pretty(&idl)? + "\n")
}

/// Runs the test crate's `fixtures` binary (it needs the program and litesvm, which this
/// crate does not build).
fn fixtures(args: &[&str]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "run",
            "--locked",
            "--quiet",
            "-p",
            "serviceability-tests",
            "--bin",
            "fixtures",
            "--",
        ])
        .args(args)
        .status()
        .context("running the fixtures binary")?;
    if !status.success() {
        bail!("the fixtures binary failed ({status})");
    }
    Ok(())
}

fn write_idl() -> Result<()> {
    let path = committed_idl_path();
    std::fs::write(&path, fresh_idl()?).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn check_idl() -> Result<()> {
    let path = committed_idl_path();
    let committed =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    if committed != fresh_idl()? {
        bail!(
            "{} is stale: run `cargo xtask idl` and commit the result",
            path.display()
        );
    }
    eprintln!("{} is current", path.display());
    Ok(())
}
