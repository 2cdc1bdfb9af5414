//! Runs the `serviceability` binary on a temporary embedded ledger, with one keypair file per
//! role, and reads the ledger back through the client library to check what it printed.

#![allow(dead_code)] // each test binary uses its own part of this

pub mod agent;
pub mod bgp;
pub mod script;

use std::io::{BufRead, BufReader};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use serde_json::Value;
use serviceability_client::accounts::{Device, GlobalState, Reservation};
use serviceability_client::chain::{self, UserRecord};
use serviceability_client::pda;
use serviceability_client::transport::Cluster;
use serviceability_localnet::ledger::{EmbeddedLedger, ProgramRuntime};
use serviceability_localnet::sender::LedgerSender;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::{write_keypair_file, Keypair};
use solana_signer::Signer;
use tempfile::TempDir;

/// How the program runs in ledgers these tests open directly: as `SERVICEABILITY_SO` says,
/// like the binary they spawn (which inherits the variable for `--program-so`).
pub fn runtime() -> ProgramRuntime {
    ProgramRuntime::from_env().expect("SERVICEABILITY_SO names an existing .so")
}

/// A role's keypair file.
pub struct Role {
    /// The keypair file.
    pub path: PathBuf,
    /// Its public key.
    pub pubkey: Pubkey,
}

/// One invocation's result.
#[derive(Debug)]
pub struct Run {
    /// Exit status.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Runs `command` to its end.
    pub fn of(mut command: Command) -> Self {
        let output: Output = command.output().expect("the binary runs");
        Run {
            code: output.status.code().expect("exited"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {self:?}"))
    }
}

/// A temporary directory with a ledger path and the roles' keypairs.
pub struct Env {
    /// Holds everything; removed on drop.
    pub dir: TempDir,
    /// The embedded ledger file.
    pub ledger: PathBuf,
    /// GlobalState admin.
    pub admin: Role,
    /// A foundation key.
    pub foundation: Role,
    /// The reservation authority.
    pub reservation_authority: Role,
    /// The activator authority.
    pub activator: Role,
    /// The devices' metrics publisher.
    pub publisher: Role,
    /// A key with no role.
    pub stranger: Role,
    /// When set, commands go to this JSON-RPC URL (`-u URL`) instead of the ledger file.
    pub url: Option<String>,
}

impl Env {
    /// Fresh keys, no ledger file yet.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let role = |name: &str| {
            let keypair = Keypair::new();
            let path = dir.path().join(format!("{name}.json"));
            write_keypair_file(&keypair, &path).expect("keypair written");
            Role {
                path,
                pubkey: keypair.pubkey(),
            }
        };
        Env {
            ledger: dir.path().join("ledger.bin"),
            admin: role("admin"),
            foundation: role("foundation"),
            reservation_authority: role("reservation-authority"),
            activator: role("activator"),
            publisher: role("publisher"),
            stranger: role("stranger"),
            url: None,
            dir,
        }
    }

    /// Another environment with the same keypairs (the same files' contents), its own ledger
    /// file, and commands sent to `url` when given.
    pub fn twin(&self, url: Option<String>) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let copy = |role: &Role| {
            let path = dir.path().join(role.path.file_name().expect("a file name"));
            std::fs::copy(&role.path, &path).expect("keypair copied");
            Role {
                path,
                pubkey: role.pubkey,
            }
        };
        Env {
            ledger: dir.path().join("ledger.bin"),
            admin: copy(&self.admin),
            foundation: copy(&self.foundation),
            reservation_authority: copy(&self.reservation_authority),
            activator: copy(&self.activator),
            publisher: copy(&self.publisher),
            stranger: copy(&self.stranger),
            url,
            dir,
        }
    }

    /// Initialized, with the foundation key allowed and both authorities named.
    pub fn initialized() -> Self {
        let env = Env::new();
        env.ok(&env.admin, &["init"]);
        env.ok(
            &env.admin,
            &["allowlist", "add", &env.foundation.pubkey.to_string()],
        );
        env.ok(
            &env.admin,
            &[
                "authority",
                "set",
                "--reservation",
                &env.reservation_authority.pubkey.to_string(),
            ],
        );
        env.ok(
            &env.admin,
            &[
                "authority",
                "set",
                "--activator",
                &env.activator.pubkey.to_string(),
            ],
        );
        env
    }

    /// Initialized, with an activated device `code` of `max_users` seats.
    pub fn with_device(code: &str, max_users: u16) -> Self {
        let env = Env::initialized();
        env.create_device(code, max_users);
        env
    }

    /// Creates and activates a device.
    pub fn create_device(&self, code: &str, max_users: u16) {
        self.ok(
            &self.foundation,
            &[
                "device",
                "create",
                "--code",
                code,
                "--public-ip",
                "203.0.114.7",
                "--max-users",
                &max_users.to_string(),
                "--metrics-publisher",
                &self.publisher.pubkey.to_string(),
            ],
        );
        self.ok(
            &self.foundation,
            &["device", "update", code, "--status", "activated"],
        );
    }

    /// Runs the binary with `args` exactly (no flags added), HOME pointing into the temporary
    /// directory so no Solana CLI config of the machine is read.
    pub fn raw(&self, args: &[&str]) -> Run {
        Run::of(self.command(args))
    }

    /// The binary with `args` exactly, HOME pointing into the temporary directory, not yet
    /// run.
    pub fn command(&self, args: &[&str]) -> Command {
        let home = self.dir.path().join("home");
        let mut command = Command::new(env!("CARGO_BIN_EXE_serviceability"));
        command
            .args(args)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env_remove("SERVICEABILITY_LEDGER");
        command
    }

    /// The flags that point the binary at this ledger, or at its URL.
    pub fn cluster_args(&self) -> Vec<String> {
        match &self.url {
            Some(url) => vec!["-u".into(), url.clone()],
            None => vec![
                "-u".into(),
                "embedded".into(),
                "--ledger".into(),
                self.ledger.to_string_lossy().into_owned(),
            ],
        }
    }

    /// Runs `args` on this ledger (or its URL) signed by `signer`, with JSON output.
    pub fn run(&self, signer: &Role, args: &[&str]) -> Run {
        let mut full = self.cluster_args();
        full.extend(
            ["-k", path_str(&signer.path), "--output", "json"]
                .into_iter()
                .chain(args.iter().copied())
                .map(String::from),
        );
        let full: Vec<&str> = full.iter().map(String::as_str).collect();
        self.raw(&full)
    }

    /// Runs `args`, asserts success, returns the JSON document.
    #[track_caller]
    pub fn ok(&self, signer: &Role, args: &[&str]) -> Value {
        let run = self.run(signer, args);
        assert_eq!(run.code, 0, "{args:?} failed: {run:?}");
        run.json()
    }

    /// Runs `args`, asserts the exit status and that stderr contains every `needles`, and
    /// that the ledger file did not change.
    #[track_caller]
    pub fn fails(&self, signer: &Role, args: &[&str], code: i32, needles: &[&str]) -> Run {
        let before = self.ledger_bytes();
        let run = self.run(signer, args);
        assert_eq!(run.code, code, "{args:?}: {run:?}");
        for needle in needles {
            assert!(
                run.stderr.contains(needle),
                "{args:?}: no `{needle}` in {run:?}"
            );
        }
        assert!(run.stdout.is_empty(), "{args:?} printed a result: {run:?}");
        assert_eq!(before, self.ledger_bytes(), "{args:?} changed the ledger");
        run
    }

    /// The ledger file's bytes (empty when it does not exist).
    pub fn ledger_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.ledger).unwrap_or_default()
    }

    /// Opens the ledger through the library (after the commands have exited).
    pub fn open(&self) -> EmbeddedLedger {
        EmbeddedLedger::open(&self.ledger, &runtime()).expect("the ledger opens")
    }

    /// The ledger as an in-process cluster, read through `RpcClient` as the CLI reads it;
    /// with a URL, the cluster there.
    pub fn cluster(&self) -> Cluster {
        match &self.url {
            Some(url) => Cluster::new(url, CommitmentConfig::confirmed()),
            None => Cluster::with_sender(LedgerSender::held(Arc::new(Mutex::new(self.open())))),
        }
    }

    /// GlobalState on the ledger.
    pub fn global_state(&self) -> GlobalState {
        chain::global_state(&self.cluster())
            .unwrap()
            .expect("initialized")
    }

    /// The device `code` on the ledger.
    pub fn device(&self, code: &str) -> Option<Device> {
        chain::device(&self.cluster(), &pda::device(code)).unwrap()
    }

    /// The reservation of `(code, ip)` on the ledger.
    pub fn reservation(&self, code: &str, ip: &str) -> Option<Reservation> {
        chain::reservation(&self.cluster(), &pda::device(code), ip.parse().unwrap()).unwrap()
    }

    /// The user of `(code, ip)` on the ledger.
    pub fn user(&self, code: &str, ip: &str) -> Option<UserRecord> {
        chain::user(&self.cluster(), &pda::device(code), ip.parse().unwrap()).unwrap()
    }

    /// Waits until a new slot begins (at most a slot's 400 ms on a ledger, a little more on a
    /// cluster): a transaction signed now differs from the same one signed before.
    pub fn next_slot(&self) {
        let client = self.cluster();
        let slot = || client.client().get_slot().expect("the slot");
        let first = slot();
        let started = std::time::Instant::now();
        while slot() == first {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "no new slot after slot {first} in 10 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// The ledger's (or the cluster's) clock.
    pub fn now(&self) -> i64 {
        self.cluster().clock().expect("the clock").unix_timestamp
    }
}

/// `serviceability ledger serve --port 0` on a ledger file, stopped (SIGTERM) on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// `ws://127.0.0.1:PORT`: the PubSub API.
    pub websocket_url: String,
}

impl Server {
    /// Starts the server on `ledger` and waits until it prints its URL.
    pub fn start(ledger: &Path) -> Self {
        Self::start_with(ledger, &[])
    }

    /// [`Server::start`] with more `ledger serve` arguments.
    pub fn start_with(ledger: &Path, serve_args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_serviceability"))
            .args([
                "--ledger",
                path_str(ledger),
                "ledger",
                "serve",
                "--port",
                "0",
            ])
            .args(serve_args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped"))
            .read_line(&mut line)
            .expect("the server prints its URL");
        let url_with = |scheme: &str| {
            line.split(|c: char| c.is_whitespace() || c == ')')
                .find(|word| word.starts_with(scheme))
                .unwrap_or_else(|| panic!("no {scheme} URL in {line:?}"))
                .to_string()
        };
        Server {
            url: url_with("http://"),
            websocket_url: url_with("ws://"),
            child,
        }
    }

    /// Stops the server and returns its exit status.
    pub fn stop(mut self) -> i32 {
        self.terminate()
    }

    /// Kills the server (SIGKILL: no chance to finish anything), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn terminate(&mut self) -> i32 {
        // SIGTERM, as an operator's service manager would send it.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        self.child
            .wait()
            .expect("the server exits")
            .code()
            .unwrap_or(-1)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.terminate();
        }
    }
}

/// `--device CODE --client-ip IP` arguments.
pub fn seat<'a>(code: &'a str, ip: &'a str) -> [&'a str; 4] {
    ["--device", code, "--client-ip", ip]
}

/// `[a, b] + [c, d]`.
pub fn args<'a>(parts: &[&[&'a str]]) -> Vec<&'a str> {
    parts.concat()
}

/// An IPv4 from a JSON string field.
pub fn ip(value: &Value) -> Ipv4Addr {
    value.as_str().expect("a string").parse().expect("an IPv4")
}

/// A pubkey from a JSON string field.
pub fn pubkey(value: &Value) -> Pubkey {
    value.as_str().expect("a string").parse().expect("a pubkey")
}

/// Path as `&str`.
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}
