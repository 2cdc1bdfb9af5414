//! The telemetry agent against the validator, seeing a real BGP session: BIRD in two network
//! namespaces (inside the suite's own), the lab of `cli_bgp_daemon.rs`; the agent binary
//! reports the user Up, the idle user Down, then the user Down a grace period (on the
//! validator's clock) after the peer's BIRD is killed. And its lookup table, on the
//! validator's own lookup table program.

use std::time::Instant;

use libtest_mimic::{Completion, Failed};
use serviceability_test_validator::Network;

use serviceability_client::pda;
use serviceability_client::types::BgpStatus;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::GetConfirmedSignaturesForAddress2Config;
use solana_rpc_client_api::config::RpcTransactionConfig;
use solana_transaction::versioned::TransactionVersion;
use solana_transaction_status_client_types::option_serializer::OptionSerializer;
use solana_transaction_status_client_types::UiTransactionEncoding;

use crate::common::agent::{create_users, one_tick, write_established};
use crate::common::bgp::{missing_prerequisites, Lab};
use crate::suite::Suite;

const DEVICE: &str = "bgp-1";
/// The user whose session BIRD establishes.
const USER: (&str, &str) = ("100.64.7.1", "169.254.7.0/31");
/// A user whose tunnel network has no session at all.
const IDLE_USER: (&str, &str) = ("100.64.7.2", "169.254.7.2/31");

pub fn bird_session_up_then_down(suite: &Suite) -> Result<Completion, Failed> {
    // Named network namespaces need root in the machine's namespaces (a user namespace of
    // our own cannot mount /run/netns).
    if let Some(Network::Isolated { as_root: false }) = suite.network {
        return Ok(Completion::ignored_with(
            "a BGP lab needs root (named network namespaces); CI runs the suite as root",
        ));
    }
    let missing = missing_prerequisites();
    if !missing.is_empty() {
        return Ok(Completion::ignored_with(format!(
            "a BGP lab needs {} (CI installs them)",
            missing.join(", ")
        )));
    }
    let main = suite.main()?;
    let t0 = Instant::now();
    let env = main.env.twin(main.env.url.clone());
    main.device(&env, DEVICE, 4);
    let mut lab = Lab::with_users(env, DEVICE, USER, IDLE_USER, t0);
    lab.start_agent_until_settled();

    let killed = Instant::now();
    lab.kill_user_bird();
    lab.assert_down_after_grace("the peer's BIRD stopped", killed);

    let report = lab.stop_agent();
    assert_eq!(
        report["counters"]["updates"], 3,
        "user Up, idle Down, user Down: {report}"
    );
    assert_eq!(report["counters"]["failures"], 0, "{report}");
    assert_eq!(report["counters"]["read_errors"], 0, "{report}");
    Ok(Completion::Completed)
}

/// The device of the lookup-table scenario, and its users (more than one legacy
/// transaction's 22 reports).
const TABLE_DEVICE: &str = "alt-1";
const TABLE_USERS: u8 = 30;

/// The agent on the validator's own address lookup table program: it creates the device's
/// table, then reports every user in one v0 transaction through it (as the validator
/// records it: version 0, the users loaded from the table), and `lookup-table close`
/// deactivates it.
pub fn lookup_table_v0_reports(suite: &Suite) -> Result<Completion, Failed> {
    let main = suite.main()?;
    let env = main.env.twin(main.env.url.clone());
    main.device(&env, TABLE_DEVICE, u16::from(TABLE_USERS));
    let peers = create_users(&env, TABLE_DEVICE, TABLE_USERS);
    let sockets = env.dir.path().join("tcp");
    let count = |counters: &serde_json::Value, key: &str| counters[key].as_u64().unwrap();

    write_established(&sockets, &peers);
    let first = one_tick(&env, TABLE_DEVICE, &sockets, &[]);
    assert_eq!(
        (
            count(&first, "updates"),
            count(&first, "tables_created"),
            count(&first, "table_users_added")
        ),
        (30, 1, 30),
        "{first}"
    );
    assert_eq!(count(&first, "through_lookup_table"), 0, "{first}");

    env.next_slot();
    write_established(&sockets, &[]);
    let second = one_tick(&env, TABLE_DEVICE, &sockets, &[]);
    assert_eq!(
        (
            count(&second, "updates"),
            count(&second, "submissions"),
            count(&second, "through_lookup_table")
        ),
        (30, 1, 1),
        "{second}"
    );
    // The validator's record of it: a v0 transaction whose 30 users came from the table.
    let client = main.validator.client();
    let user = pda::user(&pda::device(TABLE_DEVICE), "100.64.1.1".parse().unwrap());
    let newest = client
        .get_signatures_for_address_with_config(
            &user,
            GetConfirmedSignaturesForAddress2Config {
                commitment: Some(CommitmentConfig::confirmed()),
                ..GetConfirmedSignaturesForAddress2Config::default()
            },
        )
        .expect("the user's transactions")
        .into_iter()
        .next()
        .expect("one at least");
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::Base64),
        commitment: Some(CommitmentConfig::confirmed()),
        max_supported_transaction_version: Some(0),
    };
    let landed = client
        .get_transaction_with_config(&newest.signature.parse().unwrap(), config)
        .expect("the report");
    assert_eq!(
        landed.transaction.version,
        Some(TransactionVersion::Number(0))
    );
    let meta = landed.transaction.meta.expect("its meta");
    let OptionSerializer::Some(loaded) = meta.loaded_addresses else {
        panic!("no loaded addresses: {meta:?}");
    };
    assert_eq!(loaded.writable.len(), 30, "{loaded:?}");
    println!(
        "30 reports in one v0 transaction through the device's table: {} CU",
        Option::<u64>::from(meta.compute_units_consumed).unwrap_or(0)
    );
    for (index, _) in peers.iter().enumerate() {
        let user = env
            .user(TABLE_DEVICE, &format!("100.64.1.{}", index + 1))
            .expect("the user");
        assert!(matches!(user.user.bgp_status, BgpStatus::Down));
    }

    let closed = env.ok(&env.publisher, &["lookup-table", "close", TABLE_DEVICE]);
    assert_eq!(closed["tables"][0]["action"], "deactivated", "{closed}");
    let listed = env.ok(&env.publisher, &["lookup-table", "list", TABLE_DEVICE]);
    assert_eq!(listed["tables"][0]["status"], "deactivating", "{listed}");
    Ok(Completion::Completed)
}
