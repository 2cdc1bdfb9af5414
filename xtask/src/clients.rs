//! `cargo xtask clients [--check]`: the clients in `clients/` generated from the committed IDL:
//! Rust by `clients/generate.mjs` (Codama, on Node with `npm ci --prefix clients`), formatted by
//! rustfmt as `cargo fmt` formats the workspace; Python by anchorpy's `client-gen` (in the
//! virtual environment `clients/python/.venv`, made as `clients/python/README.md` says). `--check` generates into a
//! scratch folder and fails when a committed file differs, is missing or is extra.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// What the generator writes, relative to `clients/`.
const GENERATED: [&str; 3] = [
    "rust/src/generated",
    "rust/src/idl.rs",
    "python/serviceability",
];

/// Generates every client in place.
pub fn write(root: &Path) -> Result<()> {
    generate(root, &root.join("clients"))?;
    eprintln!(
        "generated the clients under {}",
        root.join("clients").display()
    );
    Ok(())
}

/// Fails when a committed generated file is not what the generator writes now.
pub fn check(root: &Path) -> Result<()> {
    let scratch =
        std::env::temp_dir().join(format!("serviceability-clients-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("rust/src"))?;
    let result = generate(root, &scratch).and_then(|()| compare(&root.join("clients"), &scratch));
    let _ = std::fs::remove_dir_all(&scratch);
    result?;
    eprintln!("the generated clients in clients/ are current");
    Ok(())
}

/// Runs the generator into `out` (a `clients/` folder), then rustfmt over its Rust crate.
fn generate(root: &Path, out: &Path) -> Result<()> {
    let clients = root.join("clients");
    if !clients.join("node_modules").is_dir() {
        bail!("clients/ has no node_modules: run `npm ci --prefix clients` first");
    }
    let anchorpy = clients.join("python/.venv/bin/anchorpy");
    if !anchorpy.is_file() {
        bail!(
            "no {}: run `python3 -m venv clients/python/.venv && clients/python/.venv/bin/pip \
             install -r clients/python/requirements.txt` first",
            anchorpy.display()
        );
    }
    run(Command::new("node")
        .arg(clients.join("generate.mjs"))
        .arg(format!("{}/", out.display()))
        .current_dir(&clients))?;
    // As `cargo fmt` formats the crate (the workspace's edition; no rustfmt.toml): the
    // generated module root, whose submodules rustfmt follows, and idl.rs.
    run(Command::new("rustfmt")
        .args(["--edition", "2021"])
        .arg(out.join("rust/src/generated/mod.rs"))
        .arg(out.join("rust/src/idl.rs")))?;
    // client-gen writes over what is there: a fresh folder, so no file outlives its source.
    let python = out.join("python/serviceability");
    let _ = std::fs::remove_dir_all(&python);
    std::fs::create_dir_all(out.join("python"))?;
    let idl_path = root.join("idl/serviceability.json");
    let idl: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&idl_path)?)?;
    let program_id = idl["address"].as_str().context("the IDL's address")?;
    run(Command::new(&anchorpy)
        .arg("client-gen")
        .arg(&idl_path)
        .arg(&python)
        .args(["--program-id", program_id])
        .stdout(std::process::Stdio::null()))
}

fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("running {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}

/// Every generated file under `base`, by path relative to it.
fn generated_files(base: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut pending: Vec<PathBuf> = GENERATED.iter().map(|path| base.join(path)).collect();
    while let Some(path) = pending.pop() {
        if path.file_name().is_some_and(|name| name == "__pycache__") {
            continue;
        }
        if path.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                pending.push(entry?.path());
            }
        } else if path.is_file() {
            let relative = path.strip_prefix(base)?.to_path_buf();
            files.insert(relative, std::fs::read(&path)?);
        }
    }
    Ok(files)
}

fn compare(committed: &Path, fresh: &Path) -> Result<()> {
    let committed = generated_files(committed)?;
    let fresh = generated_files(fresh)?;
    let mut stale: Vec<String> = Vec::new();
    for (path, bytes) in &fresh {
        match committed.get(path) {
            None => stale.push(format!("missing: clients/{}", path.display())),
            Some(old) if old != bytes => stale.push(format!("differs: clients/{}", path.display())),
            Some(_) => {}
        }
    }
    for path in committed.keys().filter(|path| !fresh.contains_key(*path)) {
        stale.push(format!(
            "not generated any more: clients/{}",
            path.display()
        ));
    }
    if !stale.is_empty() {
        bail!(
            "the generated clients are stale: run `cargo xtask clients` and commit the result\n  {}",
            stale.join("\n  ")
        );
    }
    Ok(())
}
