//! `cargo xtask sbf`: builds the SBF programs without platform-tools (see `tools/sbf/README.md`).
//!
//! Three cached stages under `target/sbf-tools/`, each redone only when its inputs (pinned
//! versions and patches) change:
//! 1. Debian's `rustc-web` (LLVM 22) and its std sources, extracted there (not installed)
//!    and std patched for `target_os = "solana"`;
//! 2. `sbpf-linker` + `bpf-linker` from crates.io, patched for LLVM 22 and built with the
//!    workspace's Rust;
//! 3. the programs, built with that rustc for `tools/sbf/sbpf-solana-solana.json`
//!    (`-Zbuild-std`), linked by that linker, copied to `target/deploy/<name>.so`.
//!
//! The linker's log keeps LLVM's stack-size remarks; the largest frame of each program is
//! written beside it (`target/deploy/<name>.stack.json`).

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};

use crate::stage::{cargo, is_current, run, stamp_contents};

/// Debian bookworm-security's `rustc-web`: the std patch is written for exactly this version.
const RUSTC_WEB_VERSION: &str = "1.96.0+dfsg1-1~deb12u2";
/// The directory of its std sources inside `rust-web-src`.
const RUST_SRC_DIR: &str = "usr/src/rustc-1.96.0";
/// Debian's packages that make up the compiler (extracted, not installed).
const DEBIAN_PACKAGES: &[&str] = &[
    "rustc-web",
    "libstd-rust-web-1.96",
    "libstd-rust-web-dev",
    "rust-web-src",
];
/// The LLVM that `rustc-web` and the linker load (its version is whatever bookworm ships
/// for 22; the IR rewrite does not depend on the point release).
const LIBLLVM_PACKAGE: &str = "libllvm22";
const SBPF_LINKER: (&str, &str) = ("sbpf-linker", "0.2.6");
const BPF_LINKER: (&str, &str) = ("bpf-linker", "0.13.0");

/// The programs built for SBF: the serviceability program, the reference floor of the
/// benchmark (`tests/floor`) and the event forger of the spoofing test (`tests/forger`).
/// Cargo package name and library name.
pub const PROGRAMS: &[(&str, &str)] = &[
    ("serviceability", "serviceability"),
    ("anchor-init-floor", "anchor_init_floor"),
    ("event-forger", "event_forger"),
];

/// SBF's stack frame size, which the linker enforces per function.
const STACK_LIMIT: u64 = 4096;

struct Layout {
    root: PathBuf,
    recipe: PathBuf,
    tools: PathBuf,
}

impl Layout {
    fn new(root: &Path) -> Self {
        Layout {
            root: root.to_path_buf(),
            recipe: root.join("tools/sbf"),
            tools: root.join("target/sbf-tools"),
        }
    }

    fn patch(&self, name: &str) -> PathBuf {
        self.recipe.join("patches").join(name)
    }

    fn debian_root(&self) -> PathBuf {
        self.tools.join("debian/root")
    }

    fn libllvm_dir(&self) -> PathBuf {
        self.debian_root().join("usr/lib/x86_64-linux-gnu")
    }

    fn linker(&self) -> PathBuf {
        self.tools.join("linker/target/release/sbpf-linker")
    }
}

/// Builds every program in [`PROGRAMS`] into `target/deploy/`.
pub fn build(root: &Path) -> Result<()> {
    let layout = Layout::new(root);
    ensure!(
        cfg!(all(target_os = "linux", target_arch = "x86_64")),
        "cargo xtask sbf runs on x86_64 Linux (Debian's packages); elsewhere use `anchor build`"
    );
    fs::create_dir_all(&layout.tools)?;
    debian_compiler(&layout).context("stage 1: Debian's rustc-web and std sources")?;
    linker(&layout).context("stage 2: sbpf-linker on LLVM 22")?;
    programs(&layout).context("stage 3: the programs")?;
    Ok(())
}

fn debian_compiler(layout: &Layout) -> Result<()> {
    let dir = layout.tools.join("debian");
    let std_patch = fs::read(layout.patch("rust-1.96-std-solana.patch"))?;
    let stamp = dir.join("stamp");
    let inputs = stamp_contents(&[
        RUSTC_WEB_VERSION.as_bytes(),
        DEBIAN_PACKAGES.join(" ").as_bytes(),
        &std_patch,
    ]);
    if is_current(&stamp, &inputs) {
        eprintln!("sbf: rustc-web {RUSTC_WEB_VERSION}: current");
        return Ok(());
    }
    eprintln!("sbf: rustc-web {RUSTC_WEB_VERSION}: downloading and extracting");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    let debs = dir.join("debs");
    let root = layout.debian_root();
    fs::create_dir_all(&debs)?;
    fs::create_dir_all(&root)?;
    let mut wanted: Vec<String> = DEBIAN_PACKAGES
        .iter()
        .map(|name| format!("{name}={RUSTC_WEB_VERSION}"))
        .collect();
    wanted.push(LIBLLVM_PACKAGE.to_string());
    let download = |dir: &Path| {
        Command::new("apt-get")
            .arg("download")
            .args(&wanted)
            .current_dir(dir)
            .status()
            .is_ok_and(|status| status.success())
    };
    if !download(&debs) {
        // A fresh machine has no package lists yet.
        eprintln!("sbf: apt-get download failed; running apt-get update and trying again");
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        if !download(&debs) {
            bail!(
                "Debian's archive does not serve rustc-web {RUSTC_WEB_VERSION} (any more): \
                 `apt-cache policy rustc-web rust-web-src` shows what it has. Port \
                 tools/sbf/patches/rust-1.96-std-solana.patch and the target JSON to that \
                 version and update RUSTC_WEB_VERSION in xtask/src/sbf.rs"
            );
        }
    }
    for entry in fs::read_dir(&debs)? {
        let path = entry?.path();
        if path.extension() == Some(OsStr::new("deb")) {
            run(Command::new("dpkg-deb").arg("-x").arg(&path).arg(&root))?;
        }
    }
    let src = root.join(RUST_SRC_DIR);
    ensure!(
        src.is_dir(),
        "{} is missing from rust-web-src",
        src.display()
    );
    run(Command::new("patch")
        .args(["-p1", "--forward", "--batch", "--quiet", "-i"])
        .arg(layout.patch("rust-1.96-std-solana.patch"))
        .current_dir(&src))?;
    fs::write(&stamp, inputs)?;
    Ok(())
}

/// The `.crate` archive of `name-version`, downloaded into cargo's cache if needed.
fn crate_archive(layout: &Layout, (name, version): (&str, &str)) -> Result<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let find = || -> Option<PathBuf> {
        let cache = home.join("registry/cache");
        fs::read_dir(cache).ok()?.find_map(|registry| {
            let path = registry
                .ok()?
                .path()
                .join(format!("{name}-{version}.crate"));
            path.is_file().then_some(path)
        })
    };
    if let Some(path) = find() {
        return Ok(path);
    }
    // `cargo fetch` on a throwaway manifest that depends on exactly this version.
    let fetch = layout.tools.join("linker/fetch");
    fs::create_dir_all(fetch.join("src"))?;
    fs::write(fetch.join("src/lib.rs"), "")?;
    fs::write(
        fetch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{name} = {{ version = \"={version}\", default-features = false }}\n\n\
             [workspace]\n"
        ),
    )?;
    run(cargo().arg("fetch").current_dir(&fetch))?;
    find().with_context(|| format!("{name}-{version}.crate is not in cargo's cache after fetching"))
}

fn linker(layout: &Layout) -> Result<()> {
    let dir = layout.tools.join("linker");
    let sbpf_patch = fs::read(layout.patch("sbpf-linker-0.2.6-llvm22.patch"))?;
    let bpf_patch = fs::read(layout.patch("bpf-linker-0.13.0-llvm22.patch"))?;
    let lock = fs::read(layout.recipe.join("sbpf-linker.Cargo.lock"))?;
    let stamp = dir.join("stamp");
    let inputs = stamp_contents(&[
        format!("{SBPF_LINKER:?} {BPF_LINKER:?}").as_bytes(),
        &sbpf_patch,
        &bpf_patch,
        &lock,
    ]);
    if is_current(&stamp, &inputs) && layout.linker().is_file() {
        eprintln!("sbf: sbpf-linker {}: current", SBPF_LINKER.1);
        return Ok(());
    }
    eprintln!(
        "sbf: building sbpf-linker {} with bpf-linker {} on LLVM 22",
        SBPF_LINKER.1, BPF_LINKER.1
    );
    let src = dir.join("src");
    if src.exists() {
        fs::remove_dir_all(&src)?;
    }
    fs::create_dir_all(&src)?;
    for (krate, patch) in [
        (SBPF_LINKER, "sbpf-linker-0.2.6-llvm22.patch"),
        (BPF_LINKER, "bpf-linker-0.13.0-llvm22.patch"),
    ] {
        let archive = crate_archive(layout, krate)?;
        run(Command::new("tar")
            .arg("xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&src))?;
        run(Command::new("patch")
            .args(["-p1", "--forward", "--batch", "--quiet", "-i"])
            .arg(layout.patch(patch))
            .current_dir(src.join(format!("{}-{}", krate.0, krate.1))))?;
    }
    let sbpf_dir = src.join(format!("{}-{}", SBPF_LINKER.0, SBPF_LINKER.1));
    fs::write(sbpf_dir.join("Cargo.lock"), &lock)?;
    run(cargo()
        .args(["build", "--release", "--locked", "--bin", "sbpf-linker"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .current_dir(&sbpf_dir))?;
    fs::write(&stamp, inputs)?;
    Ok(())
}

fn programs(layout: &Layout) -> Result<()> {
    let rustc = layout.debian_root().join("usr/bin/rustc");
    let target_dir = layout.root.join("target/sbf");
    // Appended to by every link; cargo links a program only when it changed, so the last
    // section for each program describes the `.so` that is there now.
    let log = target_dir.join("linker.log");
    fs::create_dir_all(&target_dir)?;
    let linker = layout.linker();
    let rustflags = [
        format!("-C linker={}", linker.display()),
        "-C target-cpu=v3".into(),
        "-C target-feature=+allows-misaligned-mem-access".into(),
        "-C link-arg=--arch=v3".into(),
        format!("-C link-arg=--llvm-args=--bpf-stack-size={STACK_LIMIT}"),
        // LLVM's prologue/epilogue pass reports each function's frame as a remark.
        "-C link-arg=--llvm-args=-pass-remarks-analysis=prologepilog".into(),
        "-C link-arg=--log-level=debug".into(),
        format!("-C link-arg=--log-file={}", log.display()),
        "-C link-arg=--disable-math-builtins".into(),
        "-C link-arg=--deploy=false".into(),
    ]
    .join(" ");
    let mut command = cargo();
    command
        .current_dir(&layout.root)
        .args(["build", "--release", "--locked"])
        .args(PROGRAMS.iter().flat_map(|(package, _)| ["-p", package]))
        .arg("--target")
        .arg(layout.recipe.join("sbpf-solana-solana.json"))
        .args(["-Zjson-target-spec", "-Zbuild-std=std,panic_abort"])
        .env("RUSTC", &rustc)
        // -Z flags on a stable compiler and cargo.
        .env("RUSTC_BOOTSTRAP", "1")
        // std's build script: no `restricted_std` for a JSON target.
        .env("RUSTC_BOOTSTRAP_SYNTHETIC_TARGET", "1")
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("LD_LIBRARY_PATH", layout.libllvm_dir())
        // std's atomics become plain loads and stores (SBF runs one thread).
        .env("BPF_LINKER_EXTRA_PASSES", "function(lower-atomic)")
        .env("RUSTFLAGS", rustflags);
    eprintln!(
        "sbf: building {}",
        PROGRAMS.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
    );
    run(&mut command)?;
    let deploy = layout.root.join("target/deploy");
    fs::create_dir_all(&deploy)?;
    let log_text = fs::read_to_string(&log).unwrap_or_default();
    for (_, lib) in PROGRAMS {
        let built = target_dir.join(format!("sbpf-solana-solana/release/lib{lib}.so"));
        // Anchor's name for it: `target/deploy/<library name>.so`.
        let shipped = deploy.join(format!("{lib}.so"));
        fs::copy(&built, &shipped)
            .with_context(|| format!("copying {} to {}", built.display(), shipped.display()))?;
        let frames = stack_frames(&log_text, lib);
        let report = frame_report(&frames);
        fs::write(
            deploy.join(format!("{lib}.stack.json")),
            report.to_string() + "\n",
        )?;
        eprintln!(
            "sbf: {} ({} bytes; largest stack frame {})",
            shipped.display(),
            fs::metadata(&shipped)?.len(),
            report["largest"]["bytes"]
        );
    }
    Ok(())
}

/// The frames (bytes, function) that LLVM reported in the last link of `lib{lib}.so`: the
/// log holds one section per link, each opened by the linker's `INFO command line:` line.
fn stack_frames(log: &str, lib: &str) -> Vec<(u64, String)> {
    let output = format!("/lib{lib}.so");
    let mut frames = Vec::new();
    let mut in_section = false;
    for line in log.lines() {
        if line.contains("INFO command line:") {
            in_section = line
                .split_whitespace()
                .any(|word| word.trim_matches('"').ends_with(&output));
            if in_section {
                frames.clear();
            }
            continue;
        }
        if !in_section {
            continue;
        }
        // "remark: <file>:0:0: 1234 stack bytes in function '_ZN...'"
        if let Some((before, after)) = line.split_once(" stack bytes in function '") {
            let bytes = before.rsplit(' ').next().and_then(|n| n.parse().ok());
            let function = after.trim_end_matches('\'');
            let function = format!("{:#}", rustc_demangle::demangle(function));
            if let Some(bytes) = bytes {
                frames.push((bytes, function));
            }
        }
    }
    frames
}

fn frame_report(frames: &[(u64, String)]) -> serde_json::Value {
    let largest = frames.iter().max_by_key(|(bytes, _)| *bytes);
    serde_json::json!({
        "limit": STACK_LIMIT,
        "functions": frames.len(),
        "largest": largest.map(|(bytes, function)| serde_json::json!({
            "bytes": bytes,
            "function": function,
        })),
    })
}
