//! Every command on a temporary embedded ledger; each JSON document is checked against the
//! chain state read back through the client library.

mod common;

use anchor_lang::solana_program::instruction::Instruction;
use common::{args, ip, pubkey, runtime, seat, Env};
use serviceability_client::compute_budget::{compute_unit_limit, describe};
use serviceability_client::pda;
use serviceability_client::types::{BgpStatus, DeviceStatus};

#[test]
fn init_authorities_allowlist_and_pause() {
    let env = Env::new();
    let init = env.ok(&env.admin, &["init"]);
    assert_eq!(pubkey(&init["global_state"]["admin"]), env.admin.pubkey);
    assert!(init["signature"].is_string());
    let state = env.global_state();
    assert_eq!(state.admin, env.admin.pubkey);
    assert_eq!(state.activator_authority, env.admin.pubkey);
    assert_eq!(state.reservation_authority, None);
    assert!(init["global_state"]["reservation_authority"].is_null());

    let set = env.ok(
        &env.admin,
        &[
            "authority",
            "set",
            "--reservation",
            &env.reservation_authority.pubkey.to_string(),
        ],
    );
    assert_eq!(
        pubkey(&set["global_state"]["reservation_authority"]),
        env.reservation_authority.pubkey
    );
    assert_eq!(
        env.global_state().reservation_authority,
        Some(env.reservation_authority.pubkey)
    );
    env.ok(&env.admin, &["authority", "set", "--reservation", "none"]);
    assert_eq!(env.global_state().reservation_authority, None);
    env.ok(
        &env.admin,
        &[
            "authority",
            "set",
            "--activator",
            &env.activator.pubkey.to_string(),
        ],
    );
    assert_eq!(env.global_state().activator_authority, env.activator.pubkey);
    let show = env.ok(&env.stranger, &["authority", "show"]);
    assert_eq!(
        pubkey(&show["global_state"]["activator_authority"]),
        env.activator.pubkey
    );
    assert_eq!(
        show["global_state"]["address"],
        pda::global_state().to_string()
    );

    let foundation = env.foundation.pubkey.to_string();
    let added = env.ok(&env.admin, &["allowlist", "add", &foundation]);
    assert_eq!(
        added["foundation_allowlist"],
        serde_json::json!([foundation])
    );
    assert_eq!(
        env.global_state().foundation_allowlist,
        vec![env.foundation.pubkey]
    );
    let listed = env.ok(&env.stranger, &["allowlist", "list"]);
    assert_eq!(
        listed["foundation_allowlist"],
        serde_json::json!([foundation])
    );
    env.ok(&env.admin, &["allowlist", "remove", &foundation]);
    assert!(env.global_state().foundation_allowlist.is_empty());

    let paused = env.ok(&env.admin, &["reservations", "pause"]);
    assert_eq!(paused["reservations_paused"], true);
    assert!(env.global_state().reservations_paused);
    let resumed = env.ok(&env.admin, &["reservations", "resume"]);
    assert_eq!(resumed["reservations_paused"], false);
    assert!(!env.global_state().reservations_paused);
}

#[test]
fn device_create_update_list_show_close() {
    let env = Env::initialized();
    let created = env.ok(
        &env.foundation,
        &[
            "device",
            "create",
            "--code",
            "ams-2",
            "--public-ip",
            "198.51.101.9",
            "--max-users",
            "4",
            "--metrics-publisher",
            &env.publisher.pubkey.to_string(),
        ],
    );
    let view = &created["device"];
    let device = env.device("ams-2").expect("created");
    assert_eq!(view["code"], "ams-2");
    assert_eq!(view["status"], "pending");
    assert!(matches!(device.status, DeviceStatus::Pending));
    assert_eq!(view["address"], pda::device("ams-2").to_string());
    assert_eq!(ip(&view["public_ip"]).octets(), device.public_ip);
    assert_eq!(view["max_users"], 4);
    assert_eq!(pubkey(&view["owner"]), env.foundation.pubkey);
    assert_eq!(pubkey(&view["metrics_publisher"]), env.publisher.pubkey);

    let updated = env.ok(
        &env.foundation,
        &[
            "device",
            "update",
            "ams-2",
            "--status",
            "activated",
            "--max-users",
            "6",
        ],
    );
    assert_eq!(updated["device"]["status"], "activated");
    assert_eq!(updated["device"]["free_seats"], 6);
    let device = env.device("ams-2").unwrap();
    assert!(matches!(device.status, DeviceStatus::Activated));
    assert_eq!(device.max_users, 6);

    // By address as well as by code.
    let address = pda::device("ams-2").to_string();
    let shown = env.ok(&env.stranger, &["device", "show", &address]);
    assert_eq!(shown["device"]["code"], "ams-2");
    env.create_device("fra-1", 2);
    let listed = env.ok(&env.stranger, &["device", "list"]);
    let mut codes: Vec<&str> = listed["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|device| device["code"].as_str().unwrap())
        .collect();
    codes.sort();
    assert_eq!(codes, ["ams-2", "fra-1"]);

    let closed = env.ok(&env.foundation, &["device", "close", "ams-2"]);
    assert_eq!(closed["closed"]["code"], "ams-2");
    assert!(env.device("ams-2").is_none());
    assert!(env.device("fra-1").is_some());
}

#[test]
fn reservation_reserve_show_list_close() {
    let env = Env::with_device("fra-1", 3);
    env.create_device("ams-1", 3);
    let reserved = env.ok(
        &env.reservation_authority,
        &args(&[
            &["reservation", "reserve"],
            &seat("fra-1", "100.64.0.1"),
            &["--ttl", "1h"],
        ]),
    );
    let view = &reserved["reservation"];
    let reservation = env.reservation("fra-1", "100.64.0.1").expect("reserved");
    assert_eq!(view["reserved_at"]["unix"], reservation.reserved_at);
    assert_eq!(view["expires_at"]["unix"], reservation.expires_at);
    assert_eq!(reservation.expires_at - reservation.reserved_at, 3600);
    assert!(view["reserved_at"]["rfc3339"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(pubkey(&view["payer"]), env.reservation_authority.pubkey);
    assert_eq!(view["device_code"], "fra-1");
    assert_eq!(reserved["device"]["reserved_seats"], 1);
    assert_eq!(env.device("fra-1").unwrap().reserved_seats, 1);

    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "100.64.0.2")]),
    );
    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat("ams-1", "100.64.0.1")]),
    );
    let fra = env.ok(&env.stranger, &["reservation", "list", "--device", "fra-1"]);
    let fra = fra["reservations"].as_array().unwrap();
    assert_eq!(fra.len(), 2);
    assert!(fra
        .iter()
        .all(|r| r["device"] == pda::device("fra-1").to_string()));
    let all = env.ok(&env.stranger, &["reservation", "list"]);
    assert_eq!(all["reservations"].as_array().unwrap().len(), 3);

    let shown = env.ok(
        &env.stranger,
        &args(&[&["reservation", "show"], &seat("fra-1", "100.64.0.2")]),
    );
    assert!(
        shown["reservation"]["expires_at"].is_null(),
        "no TTL, no expiry"
    );
    assert_eq!(shown["reservation"]["expired"], false);

    let closed = env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "close"], &seat("fra-1", "100.64.0.1")]),
    );
    assert_eq!(closed["device"]["reserved_seats"], 1);
    assert!(env.reservation("fra-1", "100.64.0.1").is_none());
    assert_eq!(env.device("fra-1").unwrap().reserved_seats, 1);
}

#[test]
fn prune_closes_every_expired_reservation_and_only_those() {
    let env = Env::with_device("fra-1", 20);
    for n in 1..=10 {
        let ip = format!("100.64.0.{n}");
        env.ok(
            &env.reservation_authority,
            &args(&[
                &["reservation", "reserve"],
                &seat("fra-1", &ip),
                &["--ttl", "10m"],
            ]),
        );
    }
    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "100.64.1.1")]),
    );
    let early = env.ok(&env.stranger, &["reservation", "prune"]);
    assert_eq!(
        early["pruned"].as_array().unwrap().len(),
        0,
        "nothing expired yet"
    );
    assert_eq!(env.device("fra-1").unwrap().reserved_seats, 11);

    // The ledger's clock follows the wall clock, so only lower bounds hold.
    let before = env.now();
    let warped = env.ok(&env.stranger, &["ledger", "warp", "--by", "11m"]);
    assert!(warped["clock"]["unix"].as_i64().unwrap() >= before + 660);
    let pruned = env.ok(
        &env.stranger,
        &["reservation", "prune", "--device", "fra-1"],
    );
    let pruned_ips: Vec<_> = pruned["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| ip(&r["client_ip"]))
        .collect();
    assert_eq!(pruned_ips.len(), 10);
    assert_eq!(
        pruned["signatures"].as_array().unwrap().len(),
        2,
        "8 per transaction"
    );
    for n in 1..=10 {
        assert!(env.reservation("fra-1", &format!("100.64.0.{n}")).is_none());
    }
    assert!(
        env.reservation("fra-1", "100.64.1.1").is_some(),
        "no TTL: kept"
    );
    assert_eq!(env.device("fra-1").unwrap().reserved_seats, 1);
}

#[test]
fn users_create_consume_list_show_bgp_delete() {
    let env = Env::with_device("fra-1", 3);
    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "100.64.0.1")]),
    );
    let owner = env.stranger.pubkey.to_string();
    let created = env.ok(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "100.64.0.1"),
            &["--tunnel-net", "169.254.0.4/30", "--owner", &owner],
        ]),
    );
    assert_eq!(created["consumed_reservation"], true);
    assert_eq!(created["device"]["reserved_seats"], 0);
    assert_eq!(created["device"]["users_count"], 1);
    assert!(env.reservation("fra-1", "100.64.0.1").is_none());
    let record = env.user("fra-1", "100.64.0.1").expect("created");
    assert_eq!(record.user.owner, env.stranger.pubkey);
    let view = &created["user"];
    assert_eq!(view["tunnel_net"], "169.254.0.4/30");
    assert_eq!(view["bgp_peer_ip"], "169.254.0.6");
    assert_eq!(view["bgp_status"], "unknown");
    assert!(view["last_bgp_reported_at"].is_null());
    assert_eq!(view["created_at"]["unix"], record.user.created_at);
    assert_eq!(view["legacy_layout"], false);

    let direct = env.ok(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "100.64.0.2"),
            &["--tunnel-net", "169.254.0.8/31"],
        ]),
    );
    assert_eq!(direct["consumed_reservation"], false);
    assert_eq!(
        pubkey(&direct["user"]["owner"]),
        env.activator.pubkey,
        "owner defaults to the signer"
    );
    let device = env.device("fra-1").unwrap();
    assert_eq!((device.users_count, device.reserved_seats), (2, 0));

    let listed = env.ok(&env.stranger, &["user", "list", "--device", "fra-1"]);
    assert_eq!(listed["users"].as_array().unwrap().len(), 2);

    let up = env.ok(
        &env.publisher,
        &args(&[
            &["user", "set-bgp-status"],
            &seat("fra-1", "100.64.0.1"),
            &["--status", "up"],
        ]),
    );
    let record = env.user("fra-1", "100.64.0.1").unwrap();
    assert!(matches!(record.user.bgp_status, BgpStatus::Up));
    assert_eq!(up["user"]["bgp_status"], "up");
    assert_eq!(
        up["user"]["last_bgp_up_at"]["unix"],
        record.user.last_bgp_up_at
    );
    assert_eq!(
        up["user"]["last_bgp_reported_at"]["unix"],
        record.user.last_bgp_reported_at
    );
    assert!(record.user.last_bgp_reported_at > 0);
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
    assert_eq!(shown["user"]["bgp_status"], "down");
    assert_eq!(
        shown["user"]["last_bgp_up_at"]["unix"],
        record.user.last_bgp_up_at
    );
    // The program counted the Up → Down as a flap; `set-bgp-status` carries no RTT sample.
    let down = env.user("fra-1", "100.64.0.1").unwrap().user;
    assert_eq!(shown["user"]["bgp_flaps"], 1);
    assert!(shown["user"]["bgp_rtt_ns"].is_null());
    assert_eq!(shown["user"]["bgp_up_secs"], down.bgp_up_secs);
    assert_eq!(
        shown["user"]["last_bgp_down_at"]["unix"],
        down.last_bgp_down_at
    );
    assert_eq!(shown["user"]["account_len"], 168);

    let deleted = env.ok(
        &env.activator,
        &args(&[&["user", "delete"], &seat("fra-1", "100.64.0.1")]),
    );
    assert_eq!(deleted["device"]["users_count"], 1);
    assert!(env.user("fra-1", "100.64.0.1").is_none());
}

#[test]
fn dry_run_prints_the_instruction_and_sends_nothing() {
    let env = Env::with_device("fra-1", 3);
    let before = env.ledger_bytes();
    let run = env.run(
        &env.reservation_authority,
        &args(&[
            &["--dry-run", "reservation", "reserve"],
            &seat("fra-1", "100.64.0.1"),
        ]),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    assert_eq!(json["dry_run"], true);
    let instruction = &json["instructions"][0];
    assert_eq!(instruction["name"], "reserve_connection");
    assert_eq!(instruction["accounts"][0]["name"], "authority");
    assert_eq!(
        pubkey(&instruction["accounts"][0]["pubkey"]),
        env.reservation_authority.pubkey
    );
    assert_eq!(instruction["accounts"][0]["signer"], true);
    assert_eq!(json["simulation"]["ok"], true);
    assert!(env.reservation("fra-1", "100.64.0.1").is_none());
    assert_eq!(before, env.ledger_bytes());

    // A dry run of a failing write shows the failure, still sending nothing.
    let run = env.run(
        &env.stranger,
        &args(&[
            &["--dry-run", "reservation", "reserve"],
            &seat("fra-1", "100.64.0.1"),
        ]),
    );
    let json = run.json();
    assert_eq!(json["simulation"]["ok"], false);
    assert!(json["simulation"]["error"]
        .as_str()
        .unwrap()
        .starts_with("NotReservationAuthority"));
    assert_eq!(before, env.ledger_bytes());
}

/// The compute-budget instructions of a landed transaction, in words (the client's
/// `compute_budget::describe`, which the dry run shows too).
fn compute_budget_of(env: &Env, signature: &str) -> Vec<String> {
    let ledger = env.open();
    let recorded = ledger
        .recorded_transaction(&signature.parse().unwrap())
        .expect("the transaction is in the history");
    let transaction = recorded.transaction();
    let keys = transaction.message.static_account_keys();
    transaction
        .message
        .instructions()
        .iter()
        .filter_map(|instruction| {
            let program = keys[usize::from(instruction.program_id_index)];
            describe(&Instruction::new_with_bytes(
                program,
                &instruction.data,
                vec![],
            ))
        })
        .collect()
}

#[test]
fn a_priority_fee_pays_its_price_for_the_units_the_simulation_measured() {
    let env = Env::with_device("fra-1", 3);
    let reserved = env.ok(
        &env.reservation_authority,
        &args(&[
            &[
                "reservation",
                "reserve",
                "--with-compute-unit-price",
                "5000",
            ],
            &seat("fra-1", "100.64.0.1"),
        ]),
    );
    let signature = reserved["signature"].as_str().unwrap();
    let budget = compute_budget_of(&env, signature);
    let consumed = env
        .open()
        .recorded_transaction(&signature.parse().unwrap())
        .unwrap()
        .compute_units;
    println!("reserve_connection: {consumed} compute units consumed; budget: {budget:?}");
    if runtime().reports_compute_units() {
        // The limit from the simulation plus the margin, then the price.
        assert_eq!(
            budget,
            [
                format!("set_compute_unit_limit {}", compute_unit_limit(consumed)),
                "set_compute_unit_price 5000".to_string(),
            ]
        );
        assert!(u64::from(compute_unit_limit(consumed)) > consumed);
    } else {
        // The native program reports no units in simulation: the price alone.
        assert_eq!(budget, ["set_compute_unit_price 5000"]);
    }

    // Without the flag, no compute-budget instruction.
    let plain = env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "100.64.0.2")]),
    );
    assert!(compute_budget_of(&env, plain["signature"].as_str().unwrap()).is_empty());

    // A dry run lists them as they would be sent, named.
    let run = env.run(
        &env.reservation_authority,
        &args(&[
            &[
                "--dry-run",
                "--with-compute-unit-price",
                "7",
                "reservation",
                "reserve",
            ],
            &seat("fra-1", "100.64.0.3"),
        ]),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    let names: Vec<&str> = json["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|instruction| instruction["name"].as_str().unwrap())
        .collect();
    let expected_price = "set_compute_unit_price 7";
    match names.as_slice() {
        [limit, price, "reserve_connection"] if runtime().reports_compute_units() => {
            assert!(limit.starts_with("set_compute_unit_limit "), "{names:?}");
            assert_eq!(*price, expected_price);
        }
        [price, "reserve_connection"] => assert_eq!(*price, expected_price),
        other => panic!("{other:?}"),
    }

    // Not a number: refused before anything is read or sent.
    let before = env.ledger_bytes();
    let run = env.run(
        &env.reservation_authority,
        &args(&[
            &[
                "reservation",
                "reserve",
                "--with-compute-unit-price",
                "cheap",
            ],
            &seat("fra-1", "100.64.0.3"),
        ]),
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--with-compute-unit-price"), "{run:?}");
    assert_eq!(before, env.ledger_bytes());
}

#[test]
fn tables_are_aligned_and_name_devices_by_code() {
    let env = Env::with_device("fra-1", 3);
    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "100.64.0.1")]),
    );
    let ledger = env.ledger.to_str().unwrap();
    let run = env.raw(&["-u", "embedded", "--ledger", ledger, "device", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("CODE"), "{run:?}");
    assert!(lines[1].starts_with("fra-1"));
    let column = lines[0].find("PUBLIC IP").unwrap();
    assert_eq!(
        &lines[1][column..column + 11],
        "203.0.114.7",
        "columns align"
    );
    let run = env.raw(&["-u", "embedded", "--ledger", ledger, "reservation", "list"]);
    assert!(
        run.stdout.lines().nth(1).unwrap().starts_with("fra-1"),
        "{run:?}"
    );
}

#[test]
fn demo_runs_on_a_fresh_ledger_and_keeps_it_when_asked() {
    let env = Env::new();
    let run = env.raw(&["demo"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run
        .stdout
        .contains("$ serviceability reservation reserve --device fra-1"));
    assert!(run.stdout.contains("0 with drift"));

    let kept = env.dir.path().join("demo.bin");
    let run = env.raw(&[
        "demo",
        "--output",
        "json",
        "--ledger",
        kept.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    assert_eq!(json["steps"].as_array().unwrap().len(), 16);
    let ledger = serviceability_client::transport::Cluster::with_sender(
        serviceability_localnet::sender::LedgerSender::mirrored(&kept, &runtime()),
    );
    let device = serviceability_client::chain::device(&ledger, &pda::device("fra-1"))
        .unwrap()
        .unwrap();
    assert_eq!((device.users_count, device.reserved_seats), (1, 0));
    drop(ledger);
    // Not on a ledger that exists.
    let again = env.raw(&["demo", "--ledger", kept.to_str().unwrap()]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("needs a fresh ledger"));
}

#[test]
fn the_admin_role_is_handed_over_with_propose_and_accept() {
    let env = Env::initialized();
    let successor = env.stranger.pubkey.to_string();
    let proposed = env.ok(&env.admin, &["authority", "propose-admin", &successor]);
    assert_eq!(
        proposed["global_state"]["proposed_admin"],
        successor.as_str()
    );
    assert_eq!(
        env.global_state().admin,
        env.admin.pubkey,
        "nothing changed yet"
    );
    let show = env.ok(&env.foundation, &["authority", "show"]);
    assert_eq!(show["global_state"]["proposed_admin"], successor.as_str());

    let accepted = env.ok(&env.stranger, &["authority", "accept-admin"]);
    assert_eq!(
        pubkey(&accepted["global_state"]["admin"]),
        env.stranger.pubkey
    );
    assert!(accepted["global_state"]["proposed_admin"].is_null());
    assert_eq!(env.global_state().admin, env.stranger.pubkey);
    // The new admin rules; the old one is refused.
    env.ok(&env.stranger, &["reservations", "pause"]);
    let old = env.run(&env.admin, &["reservations", "resume"]);
    assert_eq!(old.code, 1, "{old:?}");

    env.ok(
        &env.stranger,
        &["authority", "propose-admin", &env.admin.pubkey.to_string()],
    );
    let withdrawn = env.ok(&env.stranger, &["authority", "propose-admin", "--withdraw"]);
    assert!(withdrawn["global_state"]["proposed_admin"].is_null());
}

#[test]
fn keygen_writes_a_solana_keypair_file_and_never_overwrites_by_accident() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let path = env.dir.path().join("keys").join("operator.json");
    let path_text = path.to_string_lossy().into_owned();
    let made = env.raw(&["--output", "json", "keygen", "-o", &path_text]);
    assert_eq!(made.code, 0, "{made:?}");
    let keypair = solana_keypair::read_keypair_file(&path).expect("the Solana CLI's format");
    assert_eq!(
        pubkey(&made.json()["pubkey"]),
        solana_signer::Signer::pubkey(&keypair)
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "readable by its owner only");

    let bytes = std::fs::read(&path).unwrap();
    let again = env.raw(&["keygen", "-o", &path_text]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("pass --force"), "{again:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "left alone");

    let forced = env.raw(&["--output", "json", "keygen", "-o", &path_text, "--force"]);
    assert_eq!(forced.code, 0, "{forced:?}");
    assert_ne!(std::fs::read(&path).unwrap(), bytes, "a new key");

    // The new key signs: on a fresh ledger its first `init` makes it admin.
    let ledger = env.ledger.to_string_lossy().into_owned();
    let init = env.raw(&[
        "-u", "embedded", "--ledger", &ledger, "-k", &path_text, "--output", "json", "init",
    ]);
    assert_eq!(init.code, 0, "{init:?}");
    assert_eq!(
        pubkey(&init.json()["global_state"]["admin"]),
        pubkey(&forced.json()["pubkey"])
    );

    // Without -k, the default keypair path is the Solana CLI's, under HOME.
    let default = env.raw(&["--output", "json", "keygen"]);
    assert_eq!(default.code, 0, "{default:?}");
    assert!(env.dir.path().join("home/.config/solana/id.json").exists());
}

/// L-2 of the 2026-12-06 review, through the CLI: two users from before tunnel claims share a
/// network; `user delete` of one records the other on the claim in the same transaction, so
/// the network is never free while either remains.
#[test]
fn user_delete_keeps_a_network_claimed_for_a_legacy_user_still_on_it() {
    let env = Env::with_device("fra-1", 8);
    let tunnel = "169.254.0.0/31";
    let device = pda::device("fra-1");
    let claim = pda::tunnel_claim_of(&device, [169, 254, 0, 0]);
    let forget_claim = || {
        let mut ledger = env.open();
        ledger
            .svm_mut()
            .set_account(claim, Default::default())
            .expect("claim removed");
        ledger.save().expect("saved");
    };
    for ip in ["100.64.0.1", "100.64.0.2"] {
        env.ok(
            &env.activator,
            &args(&[
                &["user", "create"],
                &seat("fra-1", ip),
                &["--tunnel-net", tunnel],
            ]),
        );
        // As if created before claims existed.
        forget_claim();
    }

    env.ok(
        &env.activator,
        &args(&[&["user", "delete"], &seat("fra-1", "100.64.0.1")]),
    );
    let remaining = pda::user(&device, "100.64.0.2".parse().unwrap());
    let held =
        serviceability_client::chain::tunnel_claim(&env.cluster(), &device, [169, 254, 0, 0])
            .unwrap()
            .expect("still claimed");
    assert_eq!(held.user, remaining);
    assert!(held.sharers.is_empty());
    env.fails(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "100.64.0.3"),
            &["--tunnel-net", tunnel],
        ]),
        1, // a refusal by the chain's rules
        &["overlaps the tunnel of the user"],
    );

    env.ok(
        &env.activator,
        &args(&[&["user", "delete"], &seat("fra-1", "100.64.0.2")]),
    );
    env.ok(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "100.64.0.3"),
            &["--tunnel-net", tunnel],
        ]),
    );
}

/// Info item of the 2026-12-06 review: removing a foundation key leaves the device roles it
/// holds; `allowlist remove` names them and the command that rotates each.
#[test]
fn allowlist_remove_names_the_device_roles_the_key_keeps_and_how_to_rotate_them() {
    let env = Env::with_device("fra-1", 4);
    let foundation = env.foundation.pubkey.to_string();
    let admin = env.admin.pubkey.to_string();
    env.ok(
        &env.foundation,
        &[
            "device",
            "update",
            "fra-1",
            "--metrics-publisher",
            &foundation,
        ],
    );
    env.ok(&env.admin, &["allowlist", "add", &admin]);

    let removed = env.ok(&env.admin, &["allowlist", "remove", &foundation]);
    let roles = removed["devices_with_roles"].as_array().expect("a list");
    assert_eq!(roles.len(), 1, "{removed}");
    assert_eq!(roles[0]["code"], "fra-1");
    assert_eq!(
        roles[0]["roles"],
        serde_json::json!(["metrics_publisher", "owner"])
    );

    // The same in words, with the command to run (a slot later: the same transaction again
    // in one slot would be a duplicate).
    env.next_slot();
    env.ok(&env.admin, &["allowlist", "add", &foundation]);
    env.next_slot();
    let mut text = env.cluster_args();
    text.extend(
        [
            "-k",
            common::path_str(&env.admin.path),
            "allowlist",
            "remove",
            &foundation,
        ]
        .map(String::from),
    );
    let run = env.raw(&text.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(
            "fra-1 (metrics publisher, owner): serviceability device update fra-1 \
             --metrics-publisher <NEW_KEY> --owner <NEW_KEY>"
        ),
        "{}",
        run.stdout
    );

    let publisher = env.publisher.pubkey.to_string();
    env.ok(
        &env.admin,
        &[
            "device",
            "update",
            "fra-1",
            "--metrics-publisher",
            &publisher,
            "--owner",
            &admin,
        ],
    );
    let device = env.device("fra-1").expect("the device");
    assert_eq!(device.owner.to_string(), admin);
    assert_eq!(device.metrics_publisher.to_string(), publisher);
    let removed = env.ok(&env.admin, &["allowlist", "add", &foundation]);
    assert!(
        removed["devices_with_roles"].is_null(),
        "only remove reports roles"
    );
}
