//! The CLI's cluster transport against `serviceability ledger serve`: a representative set
//! of commands run twice with the same keys, once on an embedded ledger directly and once
//! with `-u http://127.0.0.1:PORT`, gives the same results (exit status, JSON document, error
//! line) and leaves the same state.

mod common;

use std::fs;

use common::script::{self, comparable, role, Signer, Step, SIGNERS};
use common::{pubkey, Env, Server};
use serviceability_client::pda;
use serviceability_client::types::BgpStatus;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;

#[test]
fn the_cli_over_json_rpc_matches_the_embedded_ledger() {
    let direct = Env::new();
    let served_ledger = direct.twin(None);
    // On the embedded ledger the first `init` deploys the program as its signer; over
    // JSON-RPC, as on a cluster, the program was deployed beforehand by the admin.
    let admin = direct.admin.pubkey.to_string();
    let server = Server::start_with(&served_ledger.ledger, &["--upgrade-authority", &admin]);
    let over_rpc = direct.twin(Some(server.url.clone()));
    // As on a test validator, the fee payers are funded by airdrop (the embedded ledger
    // funds them itself).
    let client = RpcClient::new_with_commitment(server.url.clone(), CommitmentConfig::confirmed());
    for signer in SIGNERS {
        let address = role(&over_rpc, signer).pubkey;
        let signature = client
            .request_airdrop(&address, 10_000_000_000)
            .expect("airdrop");
        assert!(client.confirm_transaction(&signature).expect("confirmed"));
        assert_eq!(client.get_balance(&address).unwrap(), 10_000_000_000);
    }

    let ledger_target = format!("embedded ledger {}", direct.ledger.display());
    let mut steps = vec![Step {
        signer: Signer::Admin,
        args: vec!["init".to_string()],
        exit: 0,
    }];
    steps.extend(script::steps(&direct));

    for Step {
        signer,
        args: step,
        exit: expected,
    } in &steps
    {
        let step: Vec<&str> = step.iter().map(String::as_str).collect();
        let on_ledger = direct.run(role(&direct, *signer), &step);
        let served_before = fs::read(&served_ledger.ledger).unwrap_or_default();
        let on_server = over_rpc.run(role(&over_rpc, *signer), &step);
        assert_eq!(
            on_ledger.code, *expected,
            "{step:?} on the ledger: {on_ledger:?}"
        );
        assert_eq!(
            comparable(&on_ledger, &ledger_target),
            comparable(&on_server, &server.url),
            "{step:?}: embedded {on_ledger:?}\nover JSON-RPC {on_server:?}"
        );
        if *expected != 0 || step.contains(&"--dry-run") {
            assert_eq!(
                served_before,
                fs::read(&served_ledger.ledger).unwrap_or_default(),
                "{step:?} changed the served ledger"
            );
        }
    }

    // The same state on both ledgers, read through the library.
    let device = served_ledger.device("fra-1").expect("the device exists");
    assert_eq!(
        (device.users_count, device.reserved_seats),
        (1, 0),
        "served ledger"
    );
    let direct_device = direct.device("fra-1").expect("the device exists");
    assert_eq!(
        (direct_device.users_count, direct_device.reserved_seats),
        (1, 0)
    );
    let user = served_ledger
        .user("fra-1", "100.64.0.1")
        .expect("the user exists");
    assert!(matches!(user.user.bgp_status, BgpStatus::Up));
    assert!(served_ledger.reservation("fra-1", "100.64.0.2").is_none());
    assert_eq!(
        pubkey(&over_rpc.ok(&over_rpc.stranger, &["device", "show", "fra-1"])["device"]["address"]),
        pda::device("fra-1")
    );
    assert_eq!(server.stop(), 0, "the server stops cleanly on SIGTERM");
}
