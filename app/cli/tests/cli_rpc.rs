//! The CLI's cluster transport against `serviceability ledger serve`: a representative set
//! of commands run twice with the same keys, once on an embedded ledger directly and once
//! with `-u http://127.0.0.1:PORT`, gives the same results (exit status, JSON document, error
//! line) and leaves the same state.

mod common;

use std::fs;

use common::{args, pubkey, seat, Env, Role, Run, Server};
use serde_json::Value;
use serviceability_client::pda;
use serviceability_client::types::BgpStatus;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;

/// Which role signs a step.
#[derive(Clone, Copy)]
enum Signer {
    Admin,
    Foundation,
    ReservationAuthority,
    Activator,
    Publisher,
    Stranger,
}

fn role(env: &Env, signer: Signer) -> &Role {
    match signer {
        Signer::Admin => &env.admin,
        Signer::Foundation => &env.foundation,
        Signer::ReservationAuthority => &env.reservation_authority,
        Signer::Activator => &env.activator,
        Signer::Publisher => &env.publisher,
        Signer::Stranger => &env.stranger,
    }
}

/// What differs between two runs of the same command on two ledgers by nature: signatures
/// and clock readings (each ledger follows the wall clock). Everything else must match.
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) if map.contains_key("unix") && map.contains_key("rfc3339") => {
            Value::String("<time>".into())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = match key.as_str() {
                        "signature" => Value::String("<signature>".into()),
                        "slot" | "remaining_secs" | "clock" => Value::String("<clock>".into()),
                        _ => normalized(value),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

/// The outcome of a step, comparable across ledgers.
#[derive(Debug, PartialEq)]
struct Comparable {
    code: i32,
    json: Option<Value>,
    error_line: Option<String>,
}

/// `run` made comparable; `target` (how messages name the ledger or URL) is blanked.
fn comparable(run: &Run, target: &str) -> Comparable {
    Comparable {
        code: run.code,
        json: (run.code == 0).then(|| normalized(&run.json())),
        error_line: run
            .stderr
            .lines()
            .find(|line| line.starts_with("error:"))
            .map(|line| line.replace(target, "<target>")),
    }
}

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
    for signer in [
        Signer::Admin,
        Signer::Foundation,
        Signer::ReservationAuthority,
        Signer::Activator,
        Signer::Publisher,
        Signer::Stranger,
    ] {
        let address = role(&over_rpc, signer).pubkey;
        let signature = client
            .request_airdrop(&address, 10_000_000_000)
            .expect("airdrop");
        assert!(client.confirm_transaction(&signature).expect("confirmed"));
        assert_eq!(client.get_balance(&address).unwrap(), 10_000_000_000);
    }

    let ledger_target = format!("embedded ledger {}", direct.ledger.display());
    let foundation = direct.foundation.pubkey.to_string();
    let reservation_authority = direct.reservation_authority.pubkey.to_string();
    let activator = direct.activator.pubkey.to_string();
    let publisher = direct.publisher.pubkey.to_string();
    let reserve = |ip| args(&[&["reservation", "reserve"], &seat("fra-1", ip)]);
    let steps: Vec<(Signer, Vec<&str>, i32)> = vec![
        (Signer::Admin, vec!["init"], 0),
        (Signer::Admin, vec!["allowlist", "add", &foundation], 0),
        (
            Signer::Admin,
            vec!["authority", "set", "--reservation", &reservation_authority],
            0,
        ),
        (
            Signer::Admin,
            vec!["authority", "set", "--activator", &activator],
            0,
        ),
        (Signer::Stranger, vec!["authority", "show"], 0),
        (Signer::Stranger, vec!["allowlist", "list"], 0),
        (
            Signer::Foundation,
            vec![
                "device",
                "create",
                "--code",
                "fra-1",
                "--public-ip",
                "203.0.114.7",
                "--max-users",
                "3",
                "--metrics-publisher",
                &publisher,
            ],
            0,
        ),
        (
            Signer::Foundation,
            vec!["device", "update", "fra-1", "--status", "activated"],
            0,
        ),
        (Signer::ReservationAuthority, reserve("100.64.0.1"), 0),
        (
            Signer::ReservationAuthority,
            args(&[&reserve("100.64.0.2"), &["--ttl", "1h"]]),
            0,
        ),
        // The same pair again: the account exists.
        (Signer::ReservationAuthority, reserve("100.64.0.2"), 1),
        // A stranger may not reserve.
        (Signer::Stranger, reserve("100.64.0.3"), 1),
        (
            Signer::Stranger,
            vec!["reservation", "list", "--device", "fra-1"],
            0,
        ),
        (
            Signer::Stranger,
            args(&[&["reservation", "show"], &seat("fra-1", "100.64.0.1")]),
            0,
        ),
        (
            Signer::Activator,
            args(&[
                &["user", "create"],
                &seat("fra-1", "100.64.0.1"),
                &["--tunnel-net", "169.254.0.0/31"],
            ]),
            0,
        ),
        (
            Signer::Activator,
            args(&[
                &["user", "create"],
                &seat("fra-1", "100.64.0.9"),
                &["--tunnel-net", "169.254.0.2/31"],
            ]),
            0,
        ),
        // users 2 + reserved 1 = 3 seats: full.
        (Signer::ReservationAuthority, reserve("100.64.0.4"), 1),
        (
            Signer::Publisher,
            args(&[
                &["user", "set-bgp-status"],
                &seat("fra-1", "100.64.0.1"),
                &["--status", "up"],
            ]),
            0,
        ),
        (
            Signer::Stranger,
            args(&[
                &["user", "set-bgp-status"],
                &seat("fra-1", "100.64.0.9"),
                &["--status", "up"],
            ]),
            1,
        ),
        (
            Signer::Stranger,
            vec!["user", "list", "--device", "fra-1"],
            0,
        ),
        (
            Signer::Stranger,
            args(&[&["user", "show"], &seat("fra-1", "100.64.0.1")]),
            0,
        ),
        (Signer::Stranger, vec!["device", "show", "fra-1"], 0),
        (Signer::Stranger, vec!["device", "list"], 0),
        (Signer::Stranger, vec!["audit"], 0),
        // --dry-run: the instructions and the simulation, nothing sent.
        (
            Signer::ReservationAuthority,
            args(&[
                &["--dry-run", "reservation", "close"],
                &seat("fra-1", "100.64.0.2"),
            ]),
            0,
        ),
        (
            Signer::ReservationAuthority,
            args(&[&["reservation", "close"], &seat("fra-1", "100.64.0.2")]),
            0,
        ),
        (
            Signer::Activator,
            args(&[&["user", "delete"], &seat("fra-1", "100.64.0.9")]),
            0,
        ),
        // Input errors: exit 2, nothing sent.
        (Signer::Stranger, vec!["device", "show", "nowhere"], 2),
        (
            Signer::ReservationAuthority,
            args(&[&["reservation", "reserve"], &seat("fra-1", "300.1.1.1")]),
            2,
        ),
        (Signer::Stranger, vec!["audit", "--device", "fra-1"], 0),
    ];

    for (signer, step, expected) in &steps {
        let on_ledger = direct.run(role(&direct, *signer), step);
        let served_before = fs::read(&served_ledger.ledger).unwrap_or_default();
        let on_server = over_rpc.run(role(&over_rpc, *signer), step);
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
