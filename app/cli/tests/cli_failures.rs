//! Bad input exits 2, program failures exit 1; either way one clear line on stderr, nothing
//! on stdout, and the ledger file unchanged.

mod common;

use common::{args, seat, Env};
use serviceability_client::serviceability::error::ServiceabilityError;

/// `Name (code)` as the CLI prints a program error.
fn named(error: ServiceabilityError) -> String {
    format!("{error:?} ({})", u32::from(error))
}

const EXIT_INPUT: i32 = 2;
const EXIT_CHAIN: i32 = 1;

#[test]
fn malformed_arguments_exit_2() {
    let env = Env::with_device("fra-1", 3);
    let ra = &env.reservation_authority;
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            args(&[&["reservation", "reserve"], &seat("fra-1", "10.0.0.256")]),
            "invalid IPv4 address",
        ),
        (
            args(&[&["reservation", "reserve"], &seat("fra-1", "224.0.0.1")]),
            "not a unicast client address",
        ),
        (
            args(&[
                &["user", "create"],
                &seat("fra-1", "10.0.0.1"),
                &["--tunnel-net", "169.254.0.1/31"],
            ]),
            "host bits",
        ),
        (
            args(&[
                &["user", "create"],
                &seat("fra-1", "10.0.0.1"),
                &["--tunnel-net", "169.254.0.0"],
            ]),
            "CIDR",
        ),
        (
            vec!["allowlist", "add", "not-a-pubkey"],
            "invalid value 'not-a-pubkey'",
        ),
        (
            vec!["authority", "set", "--reservation", "nobody"],
            "not a pubkey or `none`",
        ),
        (vec!["authority", "set"], "required"),
        (
            args(&[
                &["reservation", "reserve"],
                &seat("fra-1", "10.0.0.1"),
                &["--ttl", "soon"],
            ]),
            "--ttl",
        ),
        (
            args(&[
                &["reservation", "reserve"],
                &seat("fra-1", "10.0.0.1"),
                &["--ttl", "0s"],
            ]),
            "--ttl must be",
        ),
        (
            vec![
                "device",
                "create",
                "--code",
                "fra-1",
                "--public-ip",
                "127.0.0.1",
                "--max-users",
                "1",
                "--metrics-publisher",
                "11111111111111111111111111111111",
            ],
            "not a routable unicast address",
        ),
        (vec!["device", "update", "fra-1"], "nothing to update"),
        (vec!["device", "frobnicate"], "unrecognized subcommand"),
    ];
    for (arguments, needle) in cases {
        env.fails(ra, &arguments, EXIT_INPUT, &[needle]);
    }
}

#[test]
fn unknown_things_exit_2() {
    let env = Env::with_device("fra-1", 3);
    let ra = &env.reservation_authority;
    env.fails(
        ra,
        &args(&[&["reservation", "reserve"], &seat("nope", "10.0.0.1")]),
        EXIT_INPUT,
        &["unknown device `nope`"],
    );
    env.fails(
        ra,
        &args(&[&["reservation", "reserve"], &seat("Not_A_Code", "10.0.0.1")]),
        EXIT_INPUT,
        &["neither a device address nor a device code"],
    );
    let long_code = "a".repeat(33);
    env.fails(
        &env.foundation,
        &[
            "device",
            "create",
            "--code",
            &long_code,
            "--public-ip",
            "203.0.114.7",
            "--max-users",
            "1",
            "--metrics-publisher",
            "11111111111111111111111111111111",
        ],
        EXIT_INPUT,
        &["is not a device code"],
    );
    env.fails(
        ra,
        &args(&[&["reservation", "close"], &seat("fra-1", "10.0.0.9")]),
        EXIT_INPUT,
        &["no reservation for 10.0.0.9 on fra-1"],
    );
    env.fails(
        ra,
        &args(&[&["reservation", "show"], &seat("fra-1", "10.0.0.9")]),
        EXIT_INPUT,
        &["no reservation"],
    );
    env.fails(
        &env.activator,
        &args(&[&["user", "delete"], &seat("fra-1", "10.0.0.9")]),
        EXIT_INPUT,
        &["no user for 10.0.0.9 on fra-1"],
    );
    env.fails(
        &env.publisher,
        &args(&[
            &["user", "set-bgp-status"],
            &seat("fra-1", "10.0.0.9"),
            &["--status", "up"],
        ]),
        EXIT_INPUT,
        &["no user"],
    );
}

#[test]
fn keypair_and_cluster_problems_exit_2() {
    let env = Env::with_device("fra-1", 3);
    let ledger = env.ledger.to_str().unwrap().to_string();
    let before = env.ledger_bytes();
    let reserve = |keypair: &str| {
        env.raw(&[
            "-u",
            "embedded",
            "--ledger",
            &ledger,
            "-k",
            keypair,
            "reservation",
            "reserve",
            "--device",
            "fra-1",
            "--client-ip",
            "10.0.0.1",
        ])
    };
    let missing = env.dir.path().join("missing.json");
    let run = reserve(missing.to_str().unwrap());
    assert_eq!(run.code, EXIT_INPUT, "{run:?}");
    assert!(
        run.stderr.contains("cannot read the keypair") && run.stderr.contains("solana-keygen new")
    );
    let garbage = env.dir.path().join("garbage.json");
    std::fs::write(&garbage, "[1, 2, 3]").unwrap();
    let run = reserve(garbage.to_str().unwrap());
    assert_eq!(run.code, EXIT_INPUT, "{run:?}");
    assert!(run.stderr.contains("cannot read the keypair"));
    assert_eq!(before, env.ledger_bytes());

    // Reads need no keypair at all.
    let run = env.raw(&[
        "-u",
        "embedded",
        "--ledger",
        &ledger,
        "-k",
        missing.to_str().unwrap(),
        "device",
        "list",
    ]);
    assert_eq!(run.code, 0, "{run:?}");

    // Nothing listens on port 1.
    let run = env.raw(&["-u", "http://127.0.0.1:1", "device", "list"]);
    assert_eq!(run.code, EXIT_INPUT, "{run:?}");
    assert!(
        run.stderr.contains("cannot reach http://127.0.0.1:1"),
        "{run:?}"
    );
    let run = env.raw(&["--output", "xml", "device", "list"]);
    assert_eq!(run.code, EXIT_INPUT, "{run:?}");
    assert!(run.stderr.contains("invalid value 'xml'"), "{run:?}");
    let run = env.raw(&["-u", "nowhere", "device", "list"]);
    assert_eq!(run.code, EXIT_INPUT, "{run:?}");
    assert!(run.stderr.contains("is not a cluster"), "{run:?}");
    let run = env.raw(&[
        "--config",
        env.dir.path().join("no-config.yml").to_str().unwrap(),
        "device",
        "list",
    ]);
    assert_eq!(run.code, EXIT_INPUT, "{run:?}");
    assert!(
        run.stderr.contains("cannot read the Solana CLI config"),
        "{run:?}"
    );
}

#[test]
fn program_failures_exit_1_with_the_error_name_and_code() {
    let env = Env::with_device("fra-1", 2);
    let ra = &env.reservation_authority;
    env.ok(
        ra,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "10.0.0.1")]),
    );
    env.ok(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "10.0.0.2"),
            &["--tunnel-net", "169.254.0.0/31"],
        ]),
    );

    // Full: the message counts seats, users and reservations.
    env.fails(
        ra,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "10.0.0.3")]),
        EXIT_CHAIN,
        &[
            "reservation reserve failed in simulation; nothing was sent",
            &named(ServiceabilityError::MaxUsersExceeded),
            "fra-1: 1 users + 1 reserved of 2 seats (0 free)",
        ],
    );
    // The wrong signer for each role.
    env.fails(
        &env.stranger,
        &args(&[&["reservation", "close"], &seat("fra-1", "10.0.0.1")]),
        EXIT_CHAIN,
        &[&named(ServiceabilityError::NotReservationAuthority)],
    );
    env.fails(
        &env.stranger,
        &["allowlist", "add", &env.stranger.pubkey.to_string()],
        EXIT_CHAIN,
        &[&named(ServiceabilityError::NotAdmin)],
    );
    env.fails(
        &env.stranger,
        &["device", "update", "fra-1", "--max-users", "9"],
        EXIT_CHAIN,
        &[&named(ServiceabilityError::NotFoundationMember)],
    );
    let run = env.fails(
        &env.stranger,
        &args(&[
            &["user", "set-bgp-status"],
            &seat("fra-1", "10.0.0.2"),
            &["--status", "up"],
        ]),
        EXIT_CHAIN,
        &[&named(ServiceabilityError::NotMetricsPublisher)],
    );
    assert!(
        run.stderr.contains("is not fra-1's metrics publisher"),
        "warned first: {run:?}"
    );
    // State conflicts.
    env.fails(
        &env.foundation,
        &["device", "close", "fra-1"],
        EXIT_CHAIN,
        &[
            &named(ServiceabilityError::DeviceNotEmpty),
            "1 users + 1 reserved",
        ],
    );
    env.fails(
        ra,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "10.0.0.1")]),
        EXIT_CHAIN,
        &["10.0.0.1 already holds a reservation on fra-1"],
    );
    env.fails(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "10.0.0.2"),
            &["--tunnel-net", "169.254.0.0/31"],
        ]),
        EXIT_CHAIN,
        &["a user already exists for 10.0.0.2 on fra-1"],
    );
    env.fails(&env.admin, &["init"], EXIT_CHAIN, &["already initialized"]);
    // Signed within the slot `Env::initialized` added the key in, the same transaction would
    // be refused as already processed (as on a cluster) before the program saw it.
    env.next_slot();
    env.fails(
        &env.admin,
        &["allowlist", "add", &env.foundation.pubkey.to_string()],
        EXIT_CHAIN,
        &[&named(ServiceabilityError::FoundationKeyAlreadyPresent)],
    );

    env.ok(&env.admin, &["reservations", "pause"]);
    env.fails(
        ra,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "10.0.0.4")]),
        EXIT_CHAIN,
        &[&named(ServiceabilityError::ReservationsPaused)],
    );
    env.ok(
        &env.foundation,
        &[
            "device",
            "update",
            "fra-1",
            "--status",
            "suspended",
            "--max-users",
            "5",
        ],
    );
    env.ok(&env.admin, &["reservations", "resume"]);
    env.fails(
        ra,
        &args(&[&["reservation", "reserve"], &seat("fra-1", "10.0.0.4")]),
        EXIT_CHAIN,
        &[&named(ServiceabilityError::DeviceNotActivated), "suspended"],
    );
}

#[test]
fn commands_before_init_say_so() {
    let env = Env::new();
    env.fails(
        &env.admin,
        &["authority", "show"],
        EXIT_CHAIN,
        &["not initialized", "serviceability init"],
    );
    env.fails(
        &env.admin,
        &["reservations", "pause"],
        EXIT_CHAIN,
        &["not initialized"],
    );
}

#[test]
fn only_the_key_that_deployed_the_program_can_init() {
    let env = Env::new();
    // The program was deployed by the admin (as `anchor deploy` would) but not initialized.
    let mut ledger = env.open();
    ledger.deploy_as(env.admin.pubkey);
    ledger.save().unwrap();
    drop(ledger);
    env.fails(
        &env.stranger,
        &["init"],
        EXIT_CHAIN,
        &[&named(ServiceabilityError::NotUpgradeAuthority)],
    );
    env.ok(&env.admin, &["init"]);
    let ledger = env.open();
    assert_eq!(ledger.upgrade_authority(), Some(env.admin.pubkey));
}

#[test]
fn the_first_init_on_a_new_ledger_deploys_the_program_as_its_signer() {
    let env = Env::new();
    env.ok(&env.admin, &["init"]);
    // Kept in the file: a later invocation sees the same upgrade authority.
    assert_eq!(env.open().upgrade_authority(), Some(env.admin.pubkey));
}

#[test]
fn the_two_new_rules_are_explained_in_plain_words() {
    let env = Env::with_device("fra-1", 4);
    let ra = &env.reservation_authority;
    env.ok(
        ra,
        &args(&[
            &["reservation", "reserve"],
            &seat("fra-1", "10.0.0.1"),
            &["--ttl", "60s"],
        ]),
    );
    env.ok(&env.admin, &["ledger", "warp", "--by", "2m"]);
    let before = env.ledger_bytes();
    let run = env.fails(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "10.0.0.1"),
            &["--tunnel-net", "169.254.0.0/31"],
        ]),
        EXIT_CHAIN,
        &[
            "the reservation for 10.0.0.1 on fra-1 expired at",
            "Prune it (`reservation prune --device fra-1`)",
        ],
    );
    assert!(run.stdout.is_empty());
    assert_eq!(env.ledger_bytes(), before, "nothing was sent");

    env.ok(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat("fra-1", "10.0.0.2"),
            &["--tunnel-net", "169.254.0.0/31"],
        ]),
    );
    let before = env.ledger_bytes();
    // The same /31, or a /30 around it: either overlaps the existing tunnel.
    for tunnel in ["169.254.0.0/31", "169.254.0.0/30"] {
        let overlaps = format!("the tunnel {tunnel} overlaps the tunnel of the user");
        env.fails(
            &env.activator,
            &args(&[
                &["user", "create"],
                &seat("fra-1", "10.0.0.3"),
                &["--tunnel-net", tunnel],
            ]),
            EXIT_CHAIN,
            &[
                &overlaps,
                "on fra-1 (both cover 169.254.0.0/31)",
                "would share an address",
            ],
        );
    }
    assert_eq!(env.ledger_bytes(), before, "nothing was sent");
}
