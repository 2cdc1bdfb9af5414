//! What the cached build stages (`sbf`, `validator`) share: stamp files that record a stage's
//! inputs, and running the commands a stage is made of.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{ensure, Context, Result};

/// A stage's inputs, recorded in its stamp file: the stage is current when the stamp holds
/// exactly these bytes.
pub fn stamp_contents(parts: &[&[u8]]) -> Vec<u8> {
    parts.join(&b"\n--\n"[..])
}

/// Whether the stamp at `stamp` records exactly `contents`.
pub fn is_current(stamp: &Path, contents: &[u8]) -> bool {
    fs::read(stamp).is_ok_and(|existing| existing == contents)
}

/// Runs `command`, failing with the command line when it does not succeed.
pub fn run(command: &mut Command) -> Result<()> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("starting {shown}"))?;
    ensure!(status.success(), "{shown} failed ({status})");
    Ok(())
}

/// `cargo`, with nothing of the caller's build configuration leaking into the nested build.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for var in [
        "RUSTC",
        "RUSTC_WRAPPER",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        command.env_remove(var);
    }
    command
}
