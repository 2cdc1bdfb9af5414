//! The embedded ledger file: persistence between invocations, the lock, refusal of foreign
//! and corrupted files, defaults, the Solana CLI config, legacy accounts, and audit drift.

mod common;

use anchor_lang::{AccountDeserialize, AccountSerialize};
use common::{args, runtime, seat, Env};
use serviceability_client::accounts::Device;
use serviceability_client::pda;
use serviceability_client::serviceability::constants::USER_LEGACY_ACCOUNT_LEN;
use serviceability_localnet::ledger::file::LEDGER_MAGIC;
use serviceability_localnet::ledger::lock::lock_path;
use serviceability_localnet::ledger::EmbeddedLedger;

#[test]
fn concurrent_invocations_on_one_ledger_all_land() {
    let env = Env::with_device("fra-1", 50);
    let ledger = env.ledger.to_str().unwrap().to_string();
    let keypair = env.reservation_authority.path.to_str().unwrap().to_string();
    // All spawned before any is waited for, so they contend for the ledger.
    let children: Vec<_> = (1..=8)
        .map(|n| {
            std::process::Command::new(env!("CARGO_BIN_EXE_serviceability"))
                .args(["-u", "embedded", "--ledger", &ledger, "-k", &keypair])
                .args(["reservation", "reserve", "--device", "fra-1", "--client-ip"])
                .arg(format!("100.64.0.{n}"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawned")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("exited");
        assert!(output.status.success(), "{output:?}");
    }
    let device = env.device("fra-1").unwrap();
    assert_eq!(device.reserved_seats, 8, "no write lost to another");
    let listed = env.ok(&env.stranger, &["reservation", "list"]);
    assert_eq!(listed["reservations"].as_array().unwrap().len(), 8);
}

/// A deterministic sequence of delays (xorshift), so that a failure repeats.
fn delays_ms(seed: u64, count: usize, below: u64) -> Vec<u64> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        })
        .collect()
}

#[test]
fn writers_killed_at_random_moments_leave_a_ledger_that_opens_with_counters_equal_to_accounts() {
    let env = Env::with_device("fra-1", 200);
    let ledger = env.ledger.to_str().unwrap().to_string();
    let keypair = env.reservation_authority.path.to_str().unwrap().to_string();
    let mut killed = 0;
    // CLI writers, each SIGKILLed (`Child::kill`) somewhere between its start and its end:
    // while it waits for the lock, executes, writes the temporary file or renames it.
    for (n, delay) in delays_ms(0x5eed, 40, 60).into_iter().enumerate() {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_serviceability"))
            .args(["-u", "embedded", "--ledger", &ledger, "-k", &keypair])
            .args(["reservation", "reserve", "--device", "fra-1", "--client-ip"])
            .arg(format!("100.64.1.{}", n + 1))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawned");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        child.wait().unwrap();
    }
    // The server too, while clients send it transactions.
    let server = common::Server::start(&env.ledger);
    let senders: Vec<_> = (1..=6)
        .map(|n| {
            std::process::Command::new(env!("CARGO_BIN_EXE_serviceability"))
                .args(["-u", &server.url, "-k", &keypair])
                .args(["reservation", "reserve", "--device", "fra-1", "--client-ip"])
                .arg(format!("100.64.2.{n}"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("spawned")
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(60));
    server.kill();
    for mut sender in senders {
        sender.wait().unwrap();
    }

    // Whatever was cut short, the file is one whole state: it opens, and every counter
    // equals the accounts (audit exits 0 only then).
    let opened = EmbeddedLedger::open(&env.ledger, &runtime()).expect("the ledger opens");
    drop(opened);
    let audit = env.run(&env.stranger, &["audit"]);
    assert_eq!(audit.code, 0, "{audit:?}");
    let device = env.device("fra-1").unwrap();
    let listed = env.ok(&env.stranger, &["reservation", "list"]);
    assert_eq!(
        usize::from(device.reserved_seats),
        listed["reservations"].as_array().unwrap().len()
    );
    println!(
        "{killed} of 40 writers killed mid-run, and a server: {} reservations landed",
        device.reserved_seats
    );
    assert!(killed > 0, "the delays must cut some writers short");
}

#[test]
fn a_held_lock_makes_the_next_invocation_wait() {
    let env = Env::with_device("fra-1", 5);
    let held = EmbeddedLedger::open(&env.ledger, &runtime()).unwrap();
    assert!(lock_path(&env.ledger).exists());
    let ledger = env.ledger.to_str().unwrap().to_string();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_serviceability"))
        .args(["-u", "embedded", "--ledger", &ledger, "device", "list"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut child = child;
    assert!(child.try_wait().unwrap().is_none(), "it waits for the lock");
    drop(held);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("fra-1"));
}

#[test]
fn foreign_and_corrupted_files_are_refused_and_left_alone() {
    let env = Env::with_device("fra-1", 5);
    let good = env.ledger_bytes();
    assert!(good.starts_with(LEDGER_MAGIC));

    let foreign = "this is somebody's notes file\n";
    std::fs::write(&env.ledger, foreign).unwrap();
    let run = env.run(&env.admin, &["device", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("is not a serviceability ledger file"),
        "{run:?}"
    );
    let run = env.run(
        &env.foundation,
        &["device", "update", "fra-1", "--max-users", "9"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        std::fs::read_to_string(&env.ledger).unwrap(),
        foreign,
        "never overwritten"
    );

    std::fs::write(&env.ledger, "").unwrap();
    let run = env.run(&env.admin, &["init"]);
    assert_eq!(run.code, 2, "an empty file is not ours either: {run:?}");
    assert!(env.ledger_bytes().is_empty());

    let mut corrupted = good.clone();
    let last = corrupted.len() - 1;
    corrupted[last] ^= 0xff;
    std::fs::write(&env.ledger, &corrupted).unwrap();
    let run = env.run(
        &env.foundation,
        &["device", "update", "fra-1", "--max-users", "9"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("is corrupted (checksum mismatch)"),
        "{run:?}"
    );
    assert_eq!(env.ledger_bytes(), corrupted, "never overwritten");

    let mut future = good.clone();
    future[8] = 99;
    std::fs::write(&env.ledger, &future).unwrap();
    let run = env.run(&env.admin, &["device", "list"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("format 99"), "{run:?}");

    std::fs::write(&env.ledger, &good).unwrap();
    env.ok(&env.stranger, &["device", "show", "fra-1"]);
}

#[test]
fn without_any_url_the_embedded_ledger_is_used_and_said_so() {
    let env = Env::new();
    let keypair = env.admin.path.to_str().unwrap();
    let run = env.raw(&["-k", keypair, "init"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("no RPC URL configured"), "{run:?}");
    let default_ledger = env.dir.path().join("home/data/serviceability/ledger.bin");
    assert!(default_ledger.exists(), "{run:?}");
    let run = env.raw(&["authority", "show", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.json()["global_state"]["admin"],
        env.admin.pubkey.to_string()
    );
}

#[test]
fn the_solana_cli_config_supplies_url_and_keypair() {
    let env = Env::new();
    let config = env.dir.path().join("config.yml");
    std::fs::write(
        &config,
        format!(
            "json_rpc_url: embedded\nwebsocket_url: ''\nkeypair_path: {}\ncommitment: confirmed\n",
            env.admin.path.display()
        ),
    )
    .unwrap();
    let ledger = env.ledger.to_str().unwrap();
    let config = config.to_str().unwrap();
    let run = env.raw(&[
        "--config", config, "--ledger", ledger, "--output", "json", "init",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        !run.stderr.contains("no RPC URL configured"),
        "the config names one: {run:?}"
    );
    assert_eq!(
        env.global_state().admin,
        env.admin.pubkey,
        "the config's keypair signed"
    );
    // Flags win over the config.
    let run = env.raw(&[
        "--config",
        config,
        "--ledger",
        ledger,
        "-u",
        "http://127.0.0.1:1",
        "device",
        "list",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn legacy_user_accounts_list_with_unknown_bgp_fields() {
    let env = Env::with_device("fra-1", 5);
    env.ok(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "100.64.0.1"),
            &["--tunnel-net", "169.254.0.0/31"],
        ]),
    );
    env.ok(
        &env.publisher,
        &args(&[
            &["user", "set-bgp-status"],
            &seat("fra-1", "100.64.0.1"),
            &["--status", "up"],
        ]),
    );
    {
        // Rewrite the account in the layout from before the BGP block existed.
        let mut ledger = env.open();
        let address = pda::user(&pda::device("fra-1"), "100.64.0.1".parse().unwrap());
        let mut account = ledger.svm().get_account(&address).unwrap();
        let legacy_len = usize::from(USER_LEGACY_ACCOUNT_LEN);
        account.data.truncate(legacy_len);
        ledger.svm_mut().set_account(address, account).unwrap();
        ledger.save().unwrap();
    }
    let listed = env.ok(&env.stranger, &["user", "list", "--device", "fra-1"]);
    let user = &listed["users"][0];
    assert_eq!(user["legacy_layout"], true);
    assert_eq!(user["bgp_status"], "unknown");
    assert!(user["last_bgp_up_at"].is_null());
    assert!(user["last_bgp_reported_at"].is_null());
    // The next report rewrites it in the current layout.
    env.ok(
        &env.publisher,
        &args(&[
            &["user", "set-bgp-status"],
            &seat("fra-1", "100.64.0.1"),
            &["--status", "down"],
        ]),
    );
    let shown = env.ok(
        &env.stranger,
        &args(&[&["user", "show"], &seat("fra-1", "100.64.0.1")]),
    );
    assert_eq!(shown["user"]["legacy_layout"], false);
    assert_eq!(shown["user"]["bgp_status"], "down");
}

#[test]
fn audit_reports_drift_and_exits_1() {
    let env = Env::with_device("fra-1", 5);
    env.create_device("ams-1", 5);
    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "100.64.0.1")]),
    );
    env.ok(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("ams-1", "100.64.0.2"),
            &["--tunnel-net", "169.254.0.0/31"],
        ]),
    );
    let clean = env.ok(&env.stranger, &["audit"]);
    assert_eq!(clean["drift"], false);
    assert_eq!(clean["devices"].as_array().unwrap().len(), 2);

    {
        // A counter that disagrees with the accounts (as a buggy program version could leave).
        let mut ledger = env.open();
        let address = pda::device("fra-1");
        let mut account = ledger.svm().get_account(&address).unwrap();
        let mut device = Device::try_deserialize(&mut account.data.as_slice()).unwrap();
        device.reserved_seats = 3;
        let mut data = Vec::new();
        device.try_serialize(&mut data).unwrap();
        account.data[..data.len()].copy_from_slice(&data);
        ledger.svm_mut().set_account(address, account).unwrap();
        ledger.save().unwrap();
    }
    let run = env.run(&env.stranger, &["audit"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("drift"), "{run:?}");
    let report = run.json();
    assert_eq!(report["drift"], true);
    let fra = report["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "fra-1")
        .unwrap();
    assert_eq!(
        (
            fra["reserved_seats"].as_u64(),
            fra["reservations_found"].as_u64()
        ),
        (Some(3), Some(1))
    );
    assert_eq!(fra["drift"], true);
    let run = env.run(&env.stranger, &["audit", "--device", "ams-1"]);
    assert_eq!(run.code, 0, "the other device is fine: {run:?}");
}

#[test]
fn ledger_info_and_warp_are_embedded_only() {
    let env = Env::with_device("fra-1", 5);
    let info = env.ok(&env.stranger, &["ledger", "info"]);
    assert_eq!(info["initialized"], true);
    assert_eq!(info["devices"], 1);
    // The binary runs what SERVICEABILITY_SO says (CI runs this suite both ways).
    assert_eq!(info["program_runtime"], runtime().to_string());
    let before = env.now();
    env.ok(&env.stranger, &["ledger", "warp", "--by", "2h"]);
    assert!(env.now() >= before + 7200);
    let run = env.raw(&["-u", "http://127.0.0.1:1", "ledger", "warp", "--by", "1h"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("embedded ledger only"), "{run:?}");
}

#[test]
fn a_missing_program_so_is_an_input_error_and_nothing_changes() {
    let env = Env::with_device("fra-1", 5);
    let before = std::fs::read(&env.ledger).unwrap();
    let ledger = env.ledger.to_str().unwrap();
    let missing = "/nonexistent/serviceability.so";
    let run = env.raw(&[
        "--ledger",
        ledger,
        "--program-so",
        missing,
        "ledger",
        "info",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("/nonexistent/serviceability.so"),
        "{run:?}"
    );
    assert!(run.stderr.contains("cargo xtask sbf"), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_eq!(std::fs::read(&env.ledger).unwrap(), before);
}

#[test]
fn a_fee_payer_that_cannot_pay_is_funded_once_and_told_so() {
    let env = Env::new();
    let init = env.run(&env.admin, &["init"]);
    assert_eq!(init.code, 0, "{init:?}");
    let note = format!(
        "note: the embedded ledger funded {} with 100 SOL",
        env.admin.pubkey
    );
    assert!(init.stderr.contains(&note), "{init:?}");
    let again = env.run(&env.admin, &["reservations", "pause"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        !again.stderr.contains("funded"),
        "funded already: {again:?}"
    );
    // A refused write leaves the file as it was, the top-up included.
    let before = env.ledger_bytes();
    let refused = env.run(&env.stranger, &["reservations", "resume"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert_eq!(before, env.ledger_bytes());
}
