//! The CLI on the validator (`-u http://127.0.0.1:PORT`), every command family, its JSON
//! checked: first the script `cli_rpc.rs` runs against `ledger serve`, step by step beside an
//! embedded ledger running the same `.so` with the same keys (same exit status, same JSON
//! document, same error line); then what only a real cluster shows: the admin handed over
//! and back in two steps, the allowlist, the pause, a device closed, a TTL reservation pruned
//! once the validator's own clock has passed its expiry, and a priority fee in the landed
//! transaction.

use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::error::InstructionError;
use libtest_mimic::{Completion, Failed};
use serde_json::Value;
use serviceability_client::compute_budget::{compute_unit_limit, describe};
use serviceability_client::serviceability::error::ServiceabilityError;
use serviceability_client::{instructions as ix, PROGRAM_ID};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::{read_keypair_file, write_keypair_file, Keypair};
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcTransactionConfig;
use solana_signature::Signature;
use solana_signer::Signer as _;
use solana_transaction_error::TransactionError;
use solana_transaction_status_client_types::{
    option_serializer::OptionSerializer, UiTransactionEncoding,
};

use crate::common::script::{self, comparable, role};
use crate::common::{args, seat, Env, Role};
use crate::suite::{fund, Suite, ROLE_LAMPORTS};

/// The device the script creates (3 seats).
const SCRIPT_DEVICE: &str = "fra-1";

/// What a refused or dry-run command must leave alone: the program's accounts, and the
/// signer's balance (nothing was sent, so no fee was paid).
fn snapshot(client: &RpcClient, payer: &Pubkey) -> (Vec<(Pubkey, Vec<u8>, u64)>, u64) {
    let mut accounts: Vec<_> = client
        .get_program_accounts(&PROGRAM_ID)
        .expect("the program's accounts")
        .into_iter()
        .map(|(address, account)| (address, account.data, account.lamports))
        .collect();
    accounts.sort();
    (accounts, client.get_balance(payer).expect("a balance"))
}

/// The script on the validator and on an embedded ledger with the same keys and `.so`.
pub fn script_matches_the_embedded_ledger(suite: &Suite) -> Result<Completion, Failed> {
    let main = suite.main()?;
    let on_validator = &main.env;
    let client = main.validator.client();
    // The embedded ledger's `init` deploys the program locally with the admin as upgrade
    // authority, as `solana program deploy` + `anchor migrate` did on the validator.
    let direct = on_validator.twin(None);
    direct.ok(&direct.admin, &["init"]);
    let validator_target = on_validator.url.clone().expect("a URL");
    let ledger_target = format!("embedded ledger {}", direct.ledger.display());
    let steps = script::steps(&direct);
    for step in &steps {
        let arguments: Vec<&str> = step.args.iter().map(String::as_str).collect();
        let on_ledger = direct.run(role(&direct, step.signer), &arguments);
        let signer = role(on_validator, step.signer);
        let before = snapshot(&client, &signer.pubkey);
        let on_chain = on_validator.run(signer, &arguments);
        println!(
            "{:>3}  {:?} {}",
            on_chain.code,
            step.signer,
            step.args.join(" ")
        );
        assert_eq!(
            on_ledger.code, step.exit,
            "{arguments:?} on the ledger: {on_ledger:?}"
        );
        assert_eq!(
            comparable(&on_ledger, &ledger_target),
            comparable(&on_chain, &validator_target),
            "{arguments:?}: embedded {on_ledger:?}\non the validator {on_chain:?}"
        );
        if step.exit != 0 || arguments.contains(&"--dry-run") {
            assert_eq!(
                before,
                snapshot(&client, &signer.pubkey),
                "{arguments:?} changed the program's accounts or charged its signer"
            );
        }
    }
    println!(
        "{} steps: same outcomes on the validator and the embedded ledger",
        steps.len()
    );

    // The same state, read back through the library from both.
    let device = on_validator
        .device(SCRIPT_DEVICE)
        .expect("the device exists");
    let direct_device = direct.device(SCRIPT_DEVICE).expect("the device exists");
    assert_eq!(
        (device.users_count, device.reserved_seats),
        (direct_device.users_count, direct_device.reserved_seats)
    );
    assert_eq!((device.users_count, device.reserved_seats), (1, 0));
    Ok(Completion::Completed)
}

/// A new keypair file in `env`'s directory, funded on the validator.
fn new_role(env: &Env, name: &str, suite_main: &crate::suite::Main) -> Role {
    let keypair = Keypair::new();
    let path = env.dir.path().join(format!("{name}.json"));
    write_keypair_file(&keypair, &path).expect("keypair written");
    fund(&suite_main.validator, &[keypair.pubkey()], ROLE_LAMPORTS).expect("funded");
    Role {
        path,
        pubkey: keypair.pubkey(),
    }
}

/// The admin role handed over and back in two steps each; the allowlist; the pause; a device
/// created and closed.
pub fn administration(suite: &Suite) -> Result<Completion, Failed> {
    let main = suite.main()?;
    let env = &main.env;
    let successor = new_role(env, "successor", &main);
    let admin = env.admin.pubkey.to_string();
    let next = successor.pubkey.to_string();

    // Hand-over: nothing changes until the proposed key accepts.
    env.ok(&env.admin, &["authority", "propose-admin", &next]);
    let shown = &env.ok(&env.stranger, &["authority", "show"])["global_state"];
    assert_eq!(shown["admin"], admin.as_str(), "{shown}");
    assert_eq!(shown["proposed_admin"], next.as_str(), "{shown}");
    // Another key's acceptance: the CLI says who was proposed before sending anything; sent
    // anyway, the program refuses it by name.
    let hijack = env.run(&env.stranger, &["authority", "accept-admin"]);
    assert_eq!(hijack.code, 2, "{hijack:?}");
    assert!(
        hijack
            .stderr
            .contains(&format!("the proposed admin is {next}")),
        "{hijack:?}"
    );
    let stranger = read_keypair_file(&env.stranger.path).expect("a keypair");
    let simulated = env
        .cluster()
        .simulate(
            &[ix::accept_admin(stranger.pubkey(), env.admin.pubkey)],
            &[&stranger],
        )
        .expect("simulated");
    assert_eq!(
        simulated.result,
        Err(TransactionError::InstructionError(
            0,
            InstructionError::Custom(u32::from(ServiceabilityError::NotProposedAdmin))
        )),
        "{:?}",
        simulated.logs
    );
    env.ok(&successor, &["authority", "accept-admin"]);
    let shown = &env.ok(&env.stranger, &["authority", "show"])["global_state"];
    assert_eq!(shown["admin"], next.as_str(), "{shown}");
    assert_eq!(shown["proposed_admin"], Value::Null, "{shown}");
    // And back, so that the later scenarios find the deployer as admin.
    env.ok(&successor, &["authority", "propose-admin", &admin]);
    env.ok(&env.admin, &["authority", "accept-admin"]);
    assert_eq!(env.global_state().admin, env.admin.pubkey);
    println!("admin handed to {next} and back to {admin}, in two steps each");

    // The allowlist: a key added, listed, removed.
    let added = env.ok(&env.admin, &["allowlist", "add", &next]);
    println!("allowlist add: {added}");
    let listed = env.ok(&env.stranger, &["allowlist", "list"]);
    assert!(listed.to_string().contains(&next), "{listed}");
    env.ok(&env.admin, &["allowlist", "remove", &next]);
    let listed = env.ok(&env.stranger, &["allowlist", "list"]);
    assert!(!listed.to_string().contains(&next), "{listed}");
    let stranger_adds = env.run(&env.stranger, &["allowlist", "add", &next]);
    assert_eq!(stranger_adds.code, 1, "{stranger_adds:?}");
    assert!(
        stranger_adds.stderr.contains("NotAdmin"),
        "{stranger_adds:?}"
    );

    // The pause: reservations refused by name while it holds.
    main.device(env, "adm-1", 2);
    env.ok(&env.admin, &["reservations", "pause"]);
    assert!(env.global_state().reservations_paused);
    let paused = env.run(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat("adm-1", "100.64.0.30")]),
    );
    assert_eq!(paused.code, 1, "{paused:?}");
    assert!(paused.stderr.contains("ReservationsPaused"), "{paused:?}");
    env.ok(&env.admin, &["reservations", "resume"]);
    assert!(!env.global_state().reservations_paused);

    // A device created and closed; its owner gets the rent back.
    let publisher = env.publisher.pubkey.to_string();
    let created = env.ok(
        &env.foundation,
        &[
            "device",
            "create",
            "--code",
            "tmp-1",
            "--public-ip",
            "203.0.114.9",
            "--max-users",
            "2",
            "--metrics-publisher",
            &publisher,
        ],
    );
    assert_eq!(created["device"]["code"], "tmp-1", "{created}");
    assert!(env.device("tmp-1").is_some());
    env.ok(&env.foundation, &["device", "close", "tmp-1"]);
    assert!(env.device("tmp-1").is_none(), "the device is closed");
    Ok(Completion::Completed)
}

/// A reservation with a 2-second TTL: not prunable at first; pruned once the validator's
/// clock (its Clock sysvar, not the test's) has passed its expiry; its seat released.
pub fn ttl_reservation_pruned(suite: &Suite) -> Result<Completion, Failed> {
    let main = suite.main()?;
    let env = &main.env;
    const DEVICE: &str = "ttl-1"; // a device of its own: the scenario runs alone too
    main.device(env, DEVICE, 2);
    let ip = "100.64.0.40";
    let seats_before = env.device(DEVICE).expect("the device").reserved_seats;
    let reserved = env.ok(
        &env.reservation_authority,
        &args(&[
            &["reservation", "reserve"],
            &seat(DEVICE, ip),
            &["--ttl", "2s"],
        ]),
    );
    let reservation = &reserved["reservation"];
    let expires_at = reservation["expires_at"]["unix"]
        .as_i64()
        .expect("an expiry");
    assert_eq!(
        expires_at - reservation["reserved_at"]["unix"].as_i64().unwrap(),
        2,
        "{reserved}"
    );
    assert_eq!(env.device(DEVICE).unwrap().reserved_seats, seats_before + 1);
    let early = env.ok(&env.stranger, &["reservation", "prune", "--device", DEVICE]);
    assert_eq!(early["pruned"], Value::Array(Vec::new()), "{early}");
    assert!(env.reservation(DEVICE, ip).is_some(), "not expired yet");

    let started = Instant::now();
    while env.now() < expires_at {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the validator's clock did not reach {expires_at} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "the validator's clock passed the expiry {:.1} s after the reservation",
        started.elapsed().as_secs_f64()
    );
    let pruned = env.ok(&env.stranger, &["reservation", "prune", "--device", DEVICE]);
    let pruned_ips: Vec<&str> = pruned["pruned"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|view| view["client_ip"].as_str().unwrap())
        .collect();
    assert_eq!(pruned_ips, [ip], "{pruned}");
    assert!(env.reservation(DEVICE, ip).is_none(), "pruned");
    assert_eq!(env.device(DEVICE).unwrap().reserved_seats, seats_before);
    Ok(Completion::Completed)
}

/// The transaction as it landed: its compute-budget instructions in words, its fee and the
/// compute units it consumed.
fn landed(client: &RpcClient, signature: &str) -> (Vec<String>, u64, u64) {
    let signature: Signature = signature.parse().expect("a signature");
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::Base64),
        commitment: Some(CommitmentConfig::confirmed()),
        max_supported_transaction_version: Some(0),
    };
    let transaction = client
        .get_transaction_with_config(&signature, config)
        .expect("the transaction landed");
    let meta = transaction.transaction.meta.expect("its status meta");
    let decoded = transaction
        .transaction
        .transaction
        .decode()
        .expect("a decodable transaction");
    let keys = decoded.message.static_account_keys();
    let budget = decoded
        .message
        .instructions()
        .iter()
        .filter_map(|instruction| {
            describe(&anchor_lang::solana_program::instruction::Instruction {
                program_id: keys[usize::from(instruction.program_id_index)],
                accounts: Vec::new(),
                data: instruction.data.clone(),
            })
        })
        .collect();
    let units = match meta.compute_units_consumed {
        OptionSerializer::Some(units) => units,
        _ => panic!("no computeUnitsConsumed"),
    };
    (budget, meta.fee, units)
}

/// `--with-compute-unit-price`: the landed transaction carries the limit from the simulation
/// plus the margin and the price, and its fee is the signature's plus price × limit.
pub fn priority_fee(suite: &Suite) -> Result<Completion, Failed> {
    let main = suite.main()?;
    let env = &main.env;
    let client = main.validator.client();
    const DEVICE: &str = "fee-1";
    main.device(env, DEVICE, 2);
    let price: u64 = 5_000;
    let priced = env.ok(
        &env.reservation_authority,
        &args(&[
            &[
                "reservation",
                "reserve",
                "--with-compute-unit-price",
                "5000",
            ],
            &seat(DEVICE, "100.64.0.50"),
        ]),
    );
    let (budget, fee, consumed) = landed(&client, priced["signature"].as_str().unwrap());
    println!("priced reserve_connection: {budget:?}, fee {fee} lamports, {consumed} CU consumed");
    let [limit, price_line] = budget.as_slice() else {
        panic!("two compute-budget instructions: {budget:?}");
    };
    assert_eq!(price_line, &format!("set_compute_unit_price {price}"));
    let limit: u64 = limit
        .strip_prefix("set_compute_unit_limit ")
        .expect("the limit first")
        .parse()
        .unwrap();
    // The limit is the simulation's units plus the margin; the simulation ran the same
    // instructions, so the landed transaction consumed what it had measured.
    assert_eq!(limit, u64::from(compute_unit_limit(consumed)));
    const SIGNATURE_FEE: u64 = 5_000;
    assert_eq!(fee, SIGNATURE_FEE + (price * limit).div_ceil(1_000_000));

    let plain = env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat(DEVICE, "100.64.0.51")]),
    );
    let (budget, fee, _) = landed(&client, plain["signature"].as_str().unwrap());
    assert!(budget.is_empty(), "{budget:?}");
    assert_eq!(fee, SIGNATURE_FEE);
    for ip in ["100.64.0.50", "100.64.0.51"] {
        env.ok(
            &env.reservation_authority,
            &args(&[&["reservation", "close"], &seat(DEVICE, ip)]),
        );
    }
    Ok(Completion::Completed)
}
