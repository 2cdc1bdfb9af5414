//! `cargo xtask msrv`: the program must build with the Rust of the platform-tools that
//! `anchor build` uses (Anchor 1.2.x pins platform-tools v1.52, Rust 1.89), so no crate that
//! its SBF build compiles may declare a newer `rust-version` than the program itself.
//!
//! Which crates those are is cargo's own answer: `cargo tree -p serviceability -e
//! normal,build` for an SBF target (`tools/sbf/sbpf-solana-solana.json`, so `cfg(target_os =
//! "solana")` dependencies count and host-only ones do not), with the program's features
//! resolved alone, proc macros and build scripts' dependencies included. Their declared
//! `rust-version`s come from `cargo metadata`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};

/// The package whose SBF build is checked.
const PROGRAM: &str = "serviceability";

/// The Anchor release the workspace uses, and the Rust of the platform-tools its `anchor
/// build` pins (Anchor 1.2.x: platform-tools v1.52, Rust 1.89). When `anchor-lang` moves to
/// another minor release, this check fails until the pair is updated.
const ANCHOR_PLATFORM_TOOLS_RUST: (&str, &str) = ("1.2.", "1.89");

/// A `rust-version` as (major, minor, patch).
type Version = (u64, u64, u64);

fn parse_version(text: &str) -> Option<Version> {
    let mut parts = text.split('.').map(|part| part.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    Some((major, minor, patch))
}

fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}

fn output(command: &mut Command) -> Result<String> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .with_context(|| format!("starting {shown}"))?;
    ensure!(
        output.status.success(),
        "{shown} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?)
}

/// `name version` of every crate the program's SBF build compiles.
fn sbf_build_crates(root: &Path) -> Result<BTreeSet<(String, String)>> {
    let tree = output(
        cargo(root)
            .args(["tree", "--locked", "-p", PROGRAM, "-e", "normal,build"])
            .args(["--prefix", "none", "--format", "{p}"])
            .arg("--target")
            .arg(root.join("tools/sbf/sbpf-solana-solana.json"))
            .arg("-Zjson-target-spec")
            // `-Z` flags on a stable cargo.
            .env("RUSTC_BOOTSTRAP", "1"),
    )?;
    let mut crates = BTreeSet::new();
    for line in tree.lines() {
        // "anchor-syn v1.2.2 (proc-macro) (*)", "serviceability v0.1.0 (/path)"
        let mut words = line.split_whitespace();
        if let (Some(name), Some(version)) = (words.next(), words.next()) {
            crates.insert((
                name.to_string(),
                version.trim_start_matches('v').to_string(),
            ));
        }
    }
    ensure!(
        crates.iter().any(|(name, _)| name == PROGRAM),
        "cargo tree did not list {PROGRAM}"
    );
    Ok(crates)
}

/// Declared `rust-version` of every package, by (name, version).
fn rust_versions(root: &Path) -> Result<BTreeMap<(String, String), Option<String>>> {
    let metadata = output(cargo(root).args(["metadata", "--locked", "--format-version", "1"]))?;
    let metadata: serde_json::Value = serde_json::from_str(&metadata)?;
    let packages = metadata["packages"]
        .as_array()
        .context("cargo metadata without packages")?;
    Ok(packages
        .iter()
        .filter_map(|package| {
            let name = package["name"].as_str()?.to_string();
            let version = package["version"].as_str()?.to_string();
            let rust_version = package["rust_version"].as_str().map(str::to_string);
            Some(((name, version), rust_version))
        })
        .collect())
}

/// Fails, naming each crate, if any crate of the program's SBF build declares a newer
/// `rust-version` than the program.
pub fn check(root: &Path) -> Result<()> {
    let crates = sbf_build_crates(root)?;
    let versions = rust_versions(root)?;
    let program_version = versions
        .iter()
        .find(|((name, _), _)| name == PROGRAM)
        .and_then(|(_, rust_version)| rust_version.clone())
        .with_context(|| format!("{PROGRAM} declares no rust-version"))?;
    let limit = parse_version(&program_version).with_context(|| {
        format!("{PROGRAM}'s rust-version `{program_version}` is not a version")
    })?;
    let (anchor_release, tools_rust) = ANCHOR_PLATFORM_TOOLS_RUST;
    let anchor = versions
        .keys()
        .find(|(name, _)| name == "anchor-lang")
        .map(|(_, version)| version.clone())
        .context("anchor-lang is not in cargo metadata")?;
    ensure!(
        anchor.starts_with(anchor_release),
        "anchor-lang is {anchor}: find the Rust of the platform-tools its `anchor build` pins and \
         update ANCHOR_PLATFORM_TOOLS_RUST in xtask/src/msrv.rs"
    );
    ensure!(
        Some(limit) <= parse_version(tools_rust),
        "{PROGRAM} declares rust-version {program_version}, but `anchor build` (anchor-lang \
         {anchor}) compiles it with platform-tools' Rust {tools_rust}: declare {tools_rust} or \
         older in programs/{PROGRAM}/Cargo.toml"
    );
    let mut newer = Vec::new();
    let mut undeclared = 0;
    for key in &crates {
        match versions.get(key) {
            None => bail!("{} {} is not in cargo metadata", key.0, key.1),
            Some(None) => undeclared += 1,
            Some(Some(declared)) => {
                let parsed = parse_version(declared)
                    .with_context(|| format!("{} declares rust-version `{declared}`", key.0))?;
                if parsed > limit {
                    newer.push(format!("{} {} (rust-version {declared})", key.0, key.1));
                }
            }
        }
    }
    println!(
        "msrv: {} crates in {PROGRAM}'s SBF build ({undeclared} declare no rust-version); \
         {PROGRAM} declares {program_version}",
        crates.len()
    );
    if !newer.is_empty() {
        bail!(
            "these crates of {PROGRAM}'s SBF build need a newer Rust than its rust-version \
             {program_version} (the platform-tools of `anchor build`):\n  {}",
            newer.join("\n  ")
        );
    }
    println!("msrv: none declares a newer rust-version");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(parse_version("1.89"), Some((1, 89, 0)));
        assert_eq!(parse_version("1.89.1"), Some((1, 89, 1)));
        assert!(parse_version("1.100") > parse_version("1.89.9"));
        assert_eq!(parse_version("one"), None);
    }
}
