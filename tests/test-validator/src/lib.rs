//! agave's `solana-test-validator` for the project's tests and benchmarks.
//!
//! - [`Binaries::locate`] finds the pinned `solana-test-validator` and `solana` that
//!   `cargo xtask validator` installs in `target/validator/bin/`, or says why not (a suite
//!   reports itself skipped with that reason).
//! - [`isolate_network`] moves the calling process into a network namespace of its own with
//!   only `lo` up, before it starts anything: agave 4.2 binds RPC, PubSub and the faucet to
//!   0.0.0.0 whatever `--bind-address` says, so the validator and every client the process
//!   starts run where no packet can leave the machine and nothing outside can connect.
//! - [`TestValidator::start`] starts one (fresh ledger in a temporary directory, bounded with
//!   `--limit-ledger-size`), waits until it answers and produces slots, and stops it by its
//!   pid on [`TestValidator::stop`] or drop; it also dies with the process that started it.
//!
//! A validator idles at about 1.2 cores and grows ~1.5 MB/s of memory: start one for a suite,
//! never beside a build, and stop it when the suite ends.

use std::fmt;
use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom};
use std::net::{TcpListener, UdpSocket};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use base64::Engine;
use nix::sched::{unshare, CloneFlags};
use nix::sys::signal::{kill, Signal};
use nix::unistd::{getegid, geteuid, Pid};
use solana_account::Account;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_signature::Signature;
use tempfile::TempDir;

/// The agave release the binaries must be (`cargo xtask validator` installs it).
pub const AGAVE_VERSION: &str = "4.2.2";

/// Shreds of rooted slots the validator keeps (`--limit-ledger-size`): its default, stated,
/// so that a long suite's ledger stays a few megabytes.
pub const LEDGER_SHREDS: u64 = 10_000;

/// How long a validator may take to answer and produce slots, on a busy machine.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// Each JSON-RPC request the readiness checks and helpers make gives up after this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The repository's root (this crate is `tests/test-validator`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/test-validator sits two levels below the root")
        .to_path_buf()
}

/// The pinned agave binaries.
#[derive(Clone, Debug)]
pub struct Binaries {
    /// `solana-test-validator`.
    pub test_validator: PathBuf,
    /// `solana`, the CLI (`solana program deploy`).
    pub solana: PathBuf,
}

impl Binaries {
    /// The binaries `cargo xtask validator` installed under `root/target/validator/bin/`, or
    /// why they cannot be used.
    pub fn locate(root: &Path) -> Result<Binaries, String> {
        let bin = root.join("target/validator/bin");
        let binaries = Binaries {
            test_validator: bin.join("solana-test-validator"),
            solana: bin.join("solana"),
        };
        for path in [&binaries.test_validator, &binaries.solana] {
            if !path.is_file() {
                return Err(format!(
                    "no validator built: {} does not exist (run `cargo xtask validator`)",
                    path.display()
                ));
            }
        }
        Ok(binaries)
    }
}

/// Where this process's sockets live after [`isolate_network`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Network {
    /// A network namespace of its own with only `lo` up; `as_root` when the process is root
    /// in the machine's namespaces (so it may also create named namespaces, as the BGP
    /// scenario does), otherwise root of a user namespace of its own.
    Isolated {
        /// Root in the machine's user namespace.
        as_root: bool,
    },
    /// The machine's own network: the validator's ports are reachable from outside.
    Host {
        /// Why isolation failed.
        why: String,
    },
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Network::Isolated { as_root: true } => {
                write!(f, "a network namespace of its own (lo only), as root")
            }
            Network::Isolated { as_root: false } => write!(
                f,
                "a network namespace of its own (lo only), in a user namespace"
            ),
            Network::Host { why } => write!(
                f,
                "the machine's network (could not isolate: {why}); the validator's RPC, \
                 PubSub and faucet ports listen on every interface"
            ),
        }
    }
}

impl Network {
    /// Whether sockets are confined to this process's own namespace.
    pub fn is_isolated(&self) -> bool {
        matches!(self, Network::Isolated { .. })
    }
}

/// Moves this process into a new network namespace whose only interface is `lo`, up. Root
/// unshares the network namespace alone; anyone else also unshares a user namespace (mapping
/// their ids to root inside it), where the kernel allows unprivileged ones.
///
/// Call it first thing in `main`, before any thread exists: `unshare(2)` moves only the
/// calling thread, and refuses a user namespace to a multithreaded process. Every thread and
/// process started afterwards is inside.
pub fn isolate_network() -> Network {
    let as_root = geteuid().is_root();
    let entered = if as_root {
        unshare(CloneFlags::CLONE_NEWNET).map_err(|errno| format!("unshare(CLONE_NEWNET): {errno}"))
    } else {
        enter_user_and_network_namespace()
    };
    match entered.and_then(|()| loopback_up()) {
        Ok(()) => Network::Isolated { as_root },
        Err(why) => Network::Host { why },
    }
}

/// As an unprivileged user: a user namespace in which this user is root, and a network
/// namespace owned by it.
fn enter_user_and_network_namespace() -> Result<(), String> {
    let (uid, gid) = (geteuid(), getegid());
    unshare(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWNET)
        .map_err(|errno| format!("unshare(CLONE_NEWUSER | CLONE_NEWNET): {errno}"))?;
    let write = |path: &str, contents: String| {
        fs::write(path, contents).map_err(|error| format!("writing {path}: {error}"))
    };
    write("/proc/self/setgroups", "deny".into())?;
    write("/proc/self/uid_map", format!("0 {uid} 1"))?;
    write("/proc/self/gid_map", format!("0 {gid} 1"))
}

fn loopback_up() -> Result<(), String> {
    let output =
        Command::new(find_program("ip").ok_or("`ip` not found (apt-get install iproute2)")?)
            .args(["link", "set", "lo", "up"])
            .output()
            .map_err(|error| format!("running ip: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip link set lo up: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// `name` on the `PATH`, or in the sbin directories a non-login root shell may lack.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The ports one validator uses: RPC (PubSub is `rpc + 1`), faucet, gossip, and the range
/// its other services take theirs from.
#[derive(Clone, Copy, Debug)]
pub struct Ports {
    /// JSON-RPC over HTTP.
    pub rpc: u16,
    /// The faucet (`requestAirdrop` goes through it).
    pub faucet: u16,
    /// Gossip.
    pub gossip: u16,
    /// `--dynamic-port-range`, half-open.
    pub dynamic: (u16, u16),
}

impl Ports {
    /// The ports of block `index` (0, 1, …): disjoint blocks, so that a second validator
    /// never waits for the first one's sockets to be released.
    pub fn block(index: u16) -> Ports {
        let base = 20_000 + index * 1_000;
        Ports {
            rpc: base + 899,
            // rpc + 1 is PubSub's.
            faucet: base + 902,
            gossip: base + 1,
            dynamic: (base + 10, base + 200),
        }
    }

    /// The first block from `first` on whose RPC, PubSub, faucet and gossip ports are free
    /// (on the machine's network other programs may hold some).
    pub fn free_block(first: u16) -> Ports {
        (first..first + 40)
            .map(Ports::block)
            .find(|ports| {
                [ports.rpc, ports.rpc + 1, ports.faucet, ports.gossip]
                    .iter()
                    .all(|port| {
                        TcpListener::bind(("127.0.0.1", *port)).is_ok()
                            && UdpSocket::bind(("127.0.0.1", *port)).is_ok()
                    })
            })
            .unwrap_or_else(|| Ports::block(first))
    }
}

/// A program placed in the genesis block as `--upgradeable-program` places it.
#[derive(Clone, Debug)]
pub struct GenesisProgram {
    /// The program id.
    pub id: Pubkey,
    /// Its `.so`.
    pub so: PathBuf,
    /// Its upgrade authority.
    pub upgrade_authority: Pubkey,
}

/// How to start a validator.
#[derive(Clone, Debug)]
pub struct ValidatorConfig {
    /// Its ports.
    pub ports: Ports,
    /// A program in the genesis block (none: deploy one later, as `anchor deploy` does).
    pub program: Option<GenesisProgram>,
    /// Accounts in the genesis block (`--account`), e.g. in layouts the program can no
    /// longer create.
    pub accounts: Vec<(Pubkey, Account)>,
}

/// A running `solana-test-validator`.
pub struct TestValidator {
    child: Child,
    /// Holds the ledger, the log and the account files; removed on drop.
    dir: TempDir,
    /// `http://127.0.0.1:PORT`.
    pub rpc_url: String,
    /// `ws://127.0.0.1:PORT + 1`.
    pub websocket_url: String,
    /// From spawning the process to its first confirmed slot with a usable blockhash.
    pub ready_after: Duration,
}

impl TestValidator {
    /// Starts a validator as `config` says and waits until it is ready: `getHealth` answers
    /// `ok`, and a slot after the first has been confirmed. Fails with the log's last lines.
    pub fn start(binaries: &Binaries, config: &ValidatorConfig) -> Result<TestValidator, String> {
        let dir = tempfile::Builder::new()
            .prefix("serviceability-validator-")
            .tempdir()
            .map_err(|error| format!("temporary directory: {error}"))?;
        let ledger = dir.path().join("ledger");
        let ports = config.ports;
        let mut command = Command::new(&binaries.test_validator);
        command
            .arg("--ledger")
            .arg(&ledger)
            .args(["--bind-address", "127.0.0.1"])
            .args(["--rpc-port", &ports.rpc.to_string()])
            .args(["--faucet-port", &ports.faucet.to_string()])
            .args(["--gossip-port", &ports.gossip.to_string()])
            .args([
                "--dynamic-port-range",
                &format!("{}-{}", ports.dynamic.0, ports.dynamic.1),
            ])
            .args(["--limit-ledger-size", &LEDGER_SHREDS.to_string()])
            // The genesis mint is a key nobody holds: every key a test uses is funded by the
            // faucet, and no keypair file of the machine is read.
            .args(["--mint", &Pubkey::new_from_array([0x4d; 32]).to_string()])
            .arg("--quiet");
        if let Some(program) = &config.program {
            command
                .arg("--upgradeable-program")
                .arg(program.id.to_string())
                .arg(&program.so)
                .arg(program.upgrade_authority.to_string());
        }
        for (address, account) in &config.accounts {
            let path = dir.path().join(format!("account-{address}.json"));
            fs::write(&path, account_dump(address, account).to_string())
                .map_err(|error| format!("writing {}: {error}", path.display()))?;
            command.arg("--account").arg(address.to_string()).arg(&path);
        }
        let output = File::create(dir.path().join("output.log"))
            .map_err(|error| format!("output log: {error}"))?;
        command
            .current_dir(dir.path())
            // No Solana CLI configuration of the machine is read.
            .env("HOME", dir.path())
            .stdin(Stdio::null())
            .stdout(output.try_clone().map_err(|error| error.to_string())?)
            .stderr(output);
        // SAFETY: prctl(2) is async-signal-safe; the closure allocates nothing.
        unsafe {
            command.pre_exec(|| {
                // Dies with the thread that started it, should the tests be killed.
                nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
                Ok(())
            });
        }
        let started = Instant::now();
        let child = command
            .spawn()
            .map_err(|error| format!("starting {}: {error}", binaries.test_validator.display()))?;
        let mut validator = TestValidator {
            child,
            dir,
            rpc_url: format!("http://127.0.0.1:{}", ports.rpc),
            websocket_url: format!("ws://127.0.0.1:{}", ports.rpc + 1),
            ready_after: Duration::ZERO,
        };
        validator.wait_until_ready(started)?;
        validator.ready_after = started.elapsed();
        Ok(validator)
    }

    fn wait_until_ready(&mut self, started: Instant) -> Result<(), String> {
        let client = self.client();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the validator exited ({status}) before it was ready\n{}",
                    self.log_tail(30)
                ));
            }
            let healthy = client.get_health().is_ok();
            let slot = healthy
                .then(|| {
                    client
                        .get_slot_with_commitment(CommitmentConfig::confirmed())
                        .ok()
                })
                .flatten();
            if slot.is_some_and(|slot| slot >= 2) && client.get_latest_blockhash().is_ok() {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "the validator was not ready after {START_TIMEOUT:?} (healthy: {healthy}, \
                     confirmed slot: {slot:?})\n{}",
                    self.log_tail(30)
                ));
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// A JSON-RPC client of this validator at `confirmed`, each request bounded.
    pub fn client(&self) -> RpcClient {
        RpcClient::new_with_timeout_and_commitment(
            self.rpc_url.clone(),
            REQUEST_TIMEOUT,
            CommitmentConfig::confirmed(),
        )
    }

    /// The validator's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its ledger directory.
    pub fn ledger(&self) -> PathBuf {
        self.dir.path().join("ledger")
    }

    /// Its resident memory, in bytes.
    pub fn resident_bytes(&self) -> Option<u64> {
        resident_bytes(self.pid())
    }

    /// Sends `lamports` from the faucet to `to` and waits, up to `timeout`, until the
    /// transfer is confirmed.
    pub fn airdrop(&self, to: &Pubkey, lamports: u64, timeout: Duration) -> Result<(), String> {
        let signature = self
            .client()
            .request_airdrop(to, lamports)
            .map_err(|error| format!("airdrop to {to}: {error}"))?;
        self.wait_for_confirmation(&signature, timeout)
    }

    /// Waits, up to `timeout`, until the transaction `signature` is confirmed; fails with its
    /// error if it failed.
    pub fn wait_for_confirmation(
        &self,
        signature: &Signature,
        timeout: Duration,
    ) -> Result<(), String> {
        let client = self.client();
        let started = Instant::now();
        loop {
            let status = client
                .get_signature_status_with_commitment(signature, CommitmentConfig::confirmed())
                .map_err(|error| format!("{signature}: {error}"))?;
            match status {
                Some(Ok(())) => return Ok(()),
                Some(Err(error)) => return Err(format!("{signature} failed: {error}")),
                None if started.elapsed() > timeout => {
                    return Err(format!("{signature} not confirmed after {timeout:?}"))
                }
                None => sleep(Duration::from_millis(50)),
            }
        }
    }

    /// The last `lines` lines the validator logged (its `validator.log`, or what it printed
    /// before it had one).
    pub fn log_tail(&self, lines: usize) -> String {
        [
            self.ledger().join("validator.log"),
            self.dir.path().join("output.log"),
        ]
        .iter()
        .map(|path| tail(path, lines))
        .find(|text| !text.is_empty())
        .unwrap_or_else(|| "(the validator logged nothing)".into())
    }

    /// Stops the validator: SIGTERM to its pid, SIGKILL if it has not exited 10 s later.
    pub fn stop(mut self) {
        self.terminate();
    }

    fn terminate(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        let pid = Pid::from_raw(self.child.id() as i32);
        let _ = kill(pid, Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for TestValidator {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// The resident memory of process `pid`, from `/proc/PID/status`, in bytes.
pub fn resident_bytes(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// An account as `solana account --output json` writes it, which `--account` reads.
fn account_dump(address: &Pubkey, account: &Account) -> serde_json::Value {
    serde_json::json!({
        "pubkey": address.to_string(),
        "account": {
            "lamports": account.lamports,
            "data": [base64::engine::general_purpose::STANDARD.encode(&account.data), "base64"],
            "owner": account.owner.to_string(),
            "executable": account.executable,
            "rentEpoch": 0,
            "space": account.data.len(),
        },
    })
}

/// The last `lines` lines of the file at `path` (empty if it cannot be read), reading at
/// most its last 64 KiB.
fn tail(path: &Path, lines: usize) -> String {
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let length = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(length.saturating_sub(64 * 1024)));
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
