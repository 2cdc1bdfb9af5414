//! One script of CLI commands covering every write and read kind (failures with exit 1 and 2,
//! `--dry-run` included), run on two chains with the same keys and compared step by step:
//! an embedded ledger and `ledger serve` (`cli_rpc.rs`), an embedded ledger and agave's test
//! validator (the validator suite). What differs by nature (signatures, clock readings, how
//! messages name the target) is normalized; everything else must match.

use serde_json::Value;

use super::{args, seat, Env, Role, Run};

/// Which role signs a step.
#[derive(Clone, Copy, Debug)]
pub enum Signer {
    /// GlobalState's admin.
    Admin,
    /// A foundation key.
    Foundation,
    /// The reservation authority.
    ReservationAuthority,
    /// The activator authority.
    Activator,
    /// The devices' metrics publisher.
    Publisher,
    /// A key with no role.
    Stranger,
}

/// Every signer, for funding them on a cluster.
pub const SIGNERS: [Signer; 6] = [
    Signer::Admin,
    Signer::Foundation,
    Signer::ReservationAuthority,
    Signer::Activator,
    Signer::Publisher,
    Signer::Stranger,
];

/// The role's keypair in `env`.
pub fn role(env: &Env, signer: Signer) -> &Role {
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
pub fn normalized(value: &Value) -> Value {
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
pub struct Comparable {
    /// Exit status.
    pub code: i32,
    /// The JSON document, normalized, when it succeeded.
    pub json: Option<Value>,
    /// The `error:` line, the target blanked.
    pub error_line: Option<String>,
}

/// `run` made comparable; `target` (how messages name the ledger or URL) is blanked.
pub fn comparable(run: &Run, target: &str) -> Comparable {
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

/// One command of the script.
#[derive(Debug)]
pub struct Step {
    /// Who signs (and pays).
    pub signer: Signer,
    /// The arguments after the global flags.
    pub args: Vec<String>,
    /// The exit status it must have.
    pub exit: i32,
}

/// The script, for `env`'s keys, on a ledger where `init` has run (GlobalState exists with
/// `env.admin` as admin): the foundation key and both authorities set, device `fra-1` of 3
/// seats, reservations, users, a BGP report, every read, a dry run, refusals and input errors.
pub fn steps(env: &Env) -> Vec<Step> {
    let foundation = env.foundation.pubkey.to_string();
    let reservation_authority = env.reservation_authority.pubkey.to_string();
    let activator = env.activator.pubkey.to_string();
    let publisher = env.publisher.pubkey.to_string();
    let reserve = |ip| args(&[&["reservation", "reserve"], &seat("fra-1", ip)]);
    let steps: Vec<(Signer, Vec<&str>, i32)> = vec![
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
    to_steps(steps)
}

/// Steps from `(signer, args, exit status)` triples.
pub fn to_steps(steps: Vec<(Signer, Vec<&str>, i32)>) -> Vec<Step> {
    steps
        .into_iter()
        .map(|(signer, args, exit)| Step {
            signer,
            args: args.into_iter().map(String::from).collect(),
            exit,
        })
        .collect()
}
