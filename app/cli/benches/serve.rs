//! `cargo bench -p serviceability-cli --bench serve`: `serviceability ledger serve` (the
//! program native, and the SBF `.so` when `cargo xtask sbf` built it) beside agave's
//! `solana-test-validator` (when `cargo xtask validator` installed it), in one run, each
//! measured the same way through agave's `RpcClient` over loopback:
//!
//! - start-up: from spawning the process until it takes a transaction (a `confirmed`
//!   blockhash answered), and resident memory once measured;
//! - `getHealth` and `getAccountInfo` latency (sequential requests, p50 and p99);
//! - `getAccountInfo` throughput with 4 clients at once;
//! - confirmed `sendTransaction`s per second: `reserve_connection` transactions, all signed
//!   with one blockhash, sent by 4 clients at once (preflight at `confirmed`), until every one
//!   is confirmed.
//!
//! Timings are printed, never asserted; the table gives the targets and the ratio of
//! each figure to the validator's. The process first moves into a network namespace of its
//! own (the validator binds every interface). Options: `--requests N` (sequential requests
//! per latency figure, 2000), `--seconds S` (throughput window, 5), `--transactions T` (1000).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use serviceability_client::{instructions, pda, PROGRAM_ID};
use serviceability_test_validator::{
    isolate_network, resident_bytes, workspace_root, Binaries, GenesisProgram, Network, Ports,
    TestValidator, ValidatorConfig,
};
use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
use solana_keypair::{write_keypair_file, Keypair};
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcSendTransactionConfig;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;

const DEVICE: &str = "bench-1";
/// Concurrent clients for the throughput figures.
const CLIENTS: usize = 4;
/// Every bounded wait of the benchmark (a transaction's confirmation, a start-up).
const WAIT: Duration = Duration::from_secs(120);

struct Options {
    requests: usize,
    seconds: u64,
    transactions: usize,
}

impl Options {
    fn parse() -> Options {
        let mut options = Options {
            requests: 2_000,
            seconds: 5,
            transactions: 1_000,
        };
        let arguments: Vec<String> = std::env::args().skip(1).collect();
        let mut words = arguments.iter();
        while let Some(word) = words.next() {
            let mut value = || -> usize {
                words
                    .next()
                    .and_then(|value| value.parse().ok())
                    .unwrap_or_else(|| panic!("{word} takes a number"))
            };
            match word.as_str() {
                "--requests" => options.requests = value(),
                "--seconds" => options.seconds = value() as u64,
                "--transactions" => options.transactions = value(),
                // What `cargo bench` passes along.
                "--bench" => {}
                other => panic!("unknown option {other} (--requests, --seconds, --transactions)"),
            }
        }
        options
    }
}

/// One target's figures.
#[derive(Default)]
struct Figures {
    startup: Duration,
    resident_mb: f64,
    health: (Duration, Duration),
    account: (Duration, Duration),
    accounts_per_second: f64,
    confirmed_per_second: f64,
}

/// A process being measured: where it answers, and its pid for its memory.
struct Target {
    url: String,
    pid: u32,
}

/// The p50 and p99 of `samples`.
fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |fraction: f64| samples[((samples.len() - 1) as f64 * fraction) as usize];
    (at(0.50), at(0.99))
}

fn client(url: &str) -> RpcClient {
    RpcClient::new_with_timeout_and_commitment(
        url.to_string(),
        Duration::from_secs(10),
        CommitmentConfig::confirmed(),
    )
}

fn resident_mb(pid: u32) -> f64 {
    resident_bytes(pid).map_or(0.0, |bytes| bytes as f64 / (1024.0 * 1024.0))
}

/// Runs the CLI on `target` (a URL, or `embedded` with `--ledger`), signed by `keypair`.
fn cli(target: &[&str], keypair: &Path, arguments: &[&str], so: Option<&Path>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_serviceability"));
    command
        .args(target)
        .arg("-k")
        .arg(keypair)
        .args(["--output", "json"])
        .args(arguments);
    match so {
        Some(so) => command.env("SERVICEABILITY_SO", so),
        None => command.env_remove("SERVICEABILITY_SO"),
    };
    let output = command.output().expect("the CLI runs");
    assert!(
        output.status.success(),
        "{arguments:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The program initialized by `admin` (also the foundation key: it reserves), and a device
/// with every seat the program allows.
fn prepare(target: &[&str], admin: &Path, admin_key: &Pubkey, so: Option<&Path>) {
    let admin_key = admin_key.to_string();
    cli(target, admin, &["init"], so);
    cli(target, admin, &["allowlist", "add", &admin_key], so);
    cli(
        target,
        admin,
        &[
            "device",
            "create",
            "--code",
            DEVICE,
            "--public-ip",
            "203.0.114.7",
            "--max-users",
            "65535",
            "--metrics-publisher",
            &admin_key,
        ],
        so,
    );
    cli(
        target,
        admin,
        &["device", "update", DEVICE, "--status", "activated"],
        so,
    );
}

/// Waits until `url` takes a transaction: a `confirmed` blockhash answered.
fn wait_until_ready(url: &str, started: Instant) -> Duration {
    let client = client(url);
    while client.get_latest_blockhash().is_err() {
        assert!(
            started.elapsed() < WAIT,
            "{url} did not start within {WAIT:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    started.elapsed()
}

fn measure(target: &Target, admin: &Keypair, options: &Options, figures: &mut Figures) {
    let rpc = client(&target.url);
    let device = pda::device(DEVICE);
    let timed = |call: &dyn Fn()| {
        (0..options.requests)
            .map(|_| {
                let started = Instant::now();
                call();
                started.elapsed()
            })
            .collect::<Vec<_>>()
    };
    figures.health = percentiles(timed(&|| rpc.get_health().expect("getHealth")));
    figures.account = percentiles(timed(&|| {
        rpc.get_account(&device).expect("getAccountInfo");
    }));

    // Reads from 4 clients at once.
    let reads = Arc::new(AtomicU64::new(0));
    let window = Duration::from_secs(options.seconds);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..CLIENTS {
            let reads = Arc::clone(&reads);
            let url = target.url.clone();
            scope.spawn(move || {
                let rpc = client(&url);
                while started.elapsed() < window {
                    rpc.get_account(&device).expect("getAccountInfo");
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    figures.accounts_per_second =
        reads.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();

    // Transactions, one blockhash for all, from 4 clients at once, until all are confirmed.
    let blockhash = rpc.get_latest_blockhash().expect("a blockhash");
    let transactions: Vec<Transaction> = (0..options.transactions)
        .map(|n| {
            let [_, hi, mid, lo] = (n as u32).to_be_bytes();
            let reserve = instructions::reserve_connection(
                admin.pubkey(),
                device,
                std::net::Ipv4Addr::new(10, hi, mid, lo),
                None,
            );
            Transaction::new_signed_with_payer(
                &[reserve],
                Some(&admin.pubkey()),
                &[admin],
                blockhash,
            )
        })
        .collect();
    let config = RpcSendTransactionConfig {
        preflight_commitment: Some(CommitmentLevel::Confirmed),
        ..RpcSendTransactionConfig::default()
    };
    let started = Instant::now();
    let signatures: Vec<Signature> = std::thread::scope(|scope| {
        let handles: Vec<_> = transactions
            .chunks(transactions.len().div_ceil(CLIENTS))
            .map(|chunk| {
                let url = target.url.clone();
                scope.spawn(move || {
                    let rpc = client(&url);
                    chunk
                        .iter()
                        .map(|transaction| {
                            rpc.send_transaction_with_config(transaction, config)
                                .expect("sendTransaction")
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a sender"))
            .collect()
    });
    let mut pending = signatures;
    while !pending.is_empty() {
        assert!(
            started.elapsed() < WAIT,
            "{} not confirmed within {WAIT:?}",
            pending.len()
        );
        let mut still = Vec::new();
        for chunk in pending.chunks(256) {
            let statuses = rpc
                .get_signature_statuses(chunk)
                .expect("getSignatureStatuses")
                .value;
            for (signature, status) in chunk.iter().zip(statuses) {
                match status {
                    Some(status) if status.satisfies_commitment(CommitmentConfig::confirmed()) => {
                        assert!(status.err.is_none(), "{signature}: {:?}", status.err)
                    }
                    _ => still.push(*signature),
                }
            }
        }
        pending = still;
        if !pending.is_empty() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    figures.confirmed_per_second = options.transactions as f64 / started.elapsed().as_secs_f64();
    figures.resident_mb = resident_mb(target.pid);
}

/// `ledger serve` on a fresh ledger prepared with the CLI; `so`: the SBF program, else native.
fn ledger_serve(so: Option<&Path>, options: &Options) -> Figures {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let admin = Keypair::new();
    let admin_path = dir.path().join("admin.json");
    write_keypair_file(&admin, &admin_path).expect("keypair written");
    let ledger = dir.path().join("bench.ledger");
    let ledger_arg = ledger.to_str().unwrap();
    prepare(
        &["-u", "embedded", "--ledger", ledger_arg],
        &admin_path,
        &admin.pubkey(),
        so,
    );

    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_serviceability"));
    command
        .args([
            "--ledger",
            ledger_arg,
            "ledger",
            "serve",
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match so {
        Some(so) => command.env("SERVICEABILITY_SO", so),
        None => command.env_remove("SERVICEABILITY_SO"),
    };
    let started = Instant::now();
    let mut server: Child = command.spawn().expect("ledger serve starts");
    let url = format!("http://127.0.0.1:{port}");
    let mut figures = Figures {
        startup: wait_until_ready(&url, started),
        ..Figures::default()
    };
    // The admin pays for the transactions: the CLI funded it on the embedded ledger.
    measure(
        &Target {
            url,
            pid: server.id(),
        },
        &admin,
        options,
        &mut figures,
    );
    let _ = server.kill();
    let _ = server.wait();
    figures
}

/// agave's test validator with the program in its genesis block, prepared with the CLI.
fn validator(binaries: &Binaries, so: &Path, network: &Network, options: &Options) -> Figures {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let admin = Keypair::new();
    let admin_path = dir.path().join("admin.json");
    write_keypair_file(&admin, &admin_path).expect("keypair written");
    let config = ValidatorConfig {
        ports: match network {
            Network::Isolated { .. } => Ports::block(0),
            Network::Host { .. } => Ports::free_block(0),
        },
        program: Some(GenesisProgram {
            id: PROGRAM_ID,
            so: so.to_path_buf(),
            upgrade_authority: admin.pubkey(),
        }),
        accounts: Vec::new(),
    };
    let validator = TestValidator::start(binaries, &config).expect("the validator starts");
    let mut figures = Figures {
        startup: validator.ready_after,
        ..Figures::default()
    };
    validator
        .airdrop(&admin.pubkey(), 1_000_000_000_000, WAIT)
        .expect("the admin funded");
    let url = validator.rpc_url.clone();
    prepare(&["-u", &url], &admin_path, &admin.pubkey(), Some(so));
    measure(
        &Target {
            url,
            pid: validator.pid(),
        },
        &admin,
        options,
        &mut figures,
    );
    validator.stop();
    figures
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn main() {
    let network = isolate_network();
    let options = Options::parse();
    let root: PathBuf = workspace_root();
    let so = std::env::var_os("SERVICEABILITY_SO")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/deploy/serviceability.so"));
    let so = so.is_file().then_some(so);
    println!(
        "ledger serve beside solana-test-validator, in {network}; {} sequential requests per \
         latency, {} s of reads from {CLIENTS} clients, {} transactions from {CLIENTS} clients",
        options.requests, options.seconds, options.transactions
    );

    let mut columns: Vec<(String, Figures)> =
        vec![("ledger serve, native".into(), ledger_serve(None, &options))];
    match &so {
        Some(so) => columns.push(("ledger serve, SBF".into(), ledger_serve(Some(so), &options))),
        None => println!("no SBF program (cargo xtask sbf): ledger serve runs natively only"),
    }
    match (Binaries::locate(&root), &so) {
        (Ok(binaries), Some(so)) => columns.push((
            "solana-test-validator 4.2.2".into(),
            validator(&binaries, so, &network, &options),
        )),
        (Err(why), _) => println!("no validator: {why}"),
        (_, None) => println!("no validator figures without the SBF program"),
    }

    let validator = columns
        .iter()
        .find(|(name, _)| name.starts_with("solana-test-validator"))
        .map(|(_, figures)| figures);
    type Row = (
        &'static str,
        &'static str,
        fn(&Figures) -> f64,
        fn(&Figures) -> String,
    );
    let rows: [Row; 8] = [
        (
            "start-up (until it takes a transaction)",
            "",
            |f| f.startup.as_secs_f64(),
            |f| format!("{:.2} s", f.startup.as_secs_f64()),
        ),
        (
            "resident memory after the run",
            "",
            |f| f.resident_mb,
            |f| format!("{:.0} MB", f.resident_mb),
        ),
        (
            "getHealth p50",
            "< 2 ms",
            |f| f.health.0.as_secs_f64(),
            |f| ms(f.health.0),
        ),
        (
            "getHealth p99",
            "",
            |f| f.health.1.as_secs_f64(),
            |f| ms(f.health.1),
        ),
        (
            "getAccountInfo p50",
            "< 2 ms",
            |f| f.account.0.as_secs_f64(),
            |f| ms(f.account.0),
        ),
        (
            "getAccountInfo p99",
            "",
            |f| f.account.1.as_secs_f64(),
            |f| ms(f.account.1),
        ),
        (
            "getAccountInfo/s, 4 clients",
            "≥ 1,000",
            |f| f.accounts_per_second,
            |f| format!("{:.0}", f.accounts_per_second),
        ),
        (
            "confirmed sendTransaction/s, 4 clients",
            "≥ 200",
            |f| f.confirmed_per_second,
            |f| format!("{:.0}", f.confirmed_per_second),
        ),
    ];
    let header: Vec<String> = columns.iter().map(|(name, _)| name.clone()).collect();
    println!(
        "\n| figure | target | {} | ledger serve ÷ validator |",
        header.join(" | ")
    );
    println!("|---|---|{}---:|", "---:|".repeat(columns.len()));
    for (name, target, value, shown) in &rows {
        let cells: Vec<String> = columns.iter().map(|(_, figures)| shown(figures)).collect();
        let ratios: Vec<String> = match validator {
            Some(reference) if value(reference) > 0.0 => columns
                .iter()
                .filter(|(name, _)| name.starts_with("ledger serve"))
                .map(|(_, figures)| format!("{:.2}", value(figures) / value(reference)))
                .collect(),
            _ => vec!["—".into()],
        };
        println!(
            "| {name} | {target} | {} | {} |",
            cells.join(" | "),
            ratios.join(" / ")
        );
    }
}
