//! Capacity under contention on a real cluster: 40 CLI processes reserve at once on a device
//! of 10 seats; exactly 10 reservations exist afterwards, the other 30 are refused with
//! `MaxUsersExceeded`, and `audit` finds the counters equal to the accounts.

use std::process::{Command, Stdio};

use libtest_mimic::{Completion, Failed};

use crate::common::Env;
use crate::suite::Suite;

const DEVICE: &str = "race-1";
const SEATS: u16 = 10;
const RESERVERS: u16 = 40;

pub fn forty_reservers_ten_seats(suite: &Suite) -> Result<Completion, Failed> {
    let main = suite.main()?;
    let env: &Env = &main.env;
    main.device(env, DEVICE, SEATS);

    // All started before any is waited for; each signs with the reservation authority.
    let children: Vec<_> = (1..=RESERVERS)
        .map(|n| {
            let mut arguments = env.cluster_args();
            arguments.extend(
                [
                    "-k",
                    env.reservation_authority.path.to_str().unwrap(),
                    "--output",
                    "json",
                    "reservation",
                    "reserve",
                    "--device",
                    DEVICE,
                    "--client-ip",
                    &format!("100.65.0.{n}"),
                ]
                .map(String::from),
            );
            Command::new(env!("CARGO_BIN_EXE_serviceability"))
                .args(&arguments)
                .env("HOME", env.dir.path().join("home"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the CLI starts")
        })
        .collect();
    let outcomes: Vec<(i32, String)> = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("the CLI exits");
            (
                output.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        })
        .collect();
    let landed = outcomes.iter().filter(|(code, _)| *code == 0).count();
    let refused: Vec<&String> = outcomes
        .iter()
        .filter(|(code, _)| *code != 0)
        .map(|(_, stderr)| stderr)
        .collect();
    println!(
        "{RESERVERS} concurrent reservers on {SEATS} seats: {landed} landed, {} refused",
        refused.len()
    );
    assert_eq!(landed, usize::from(SEATS), "{outcomes:#?}");
    for stderr in &refused {
        assert!(stderr.contains("MaxUsersExceeded"), "{stderr}");
    }

    let device = env.device(DEVICE).expect("the device");
    assert_eq!((device.reserved_seats, device.users_count), (SEATS, 0));
    let listed = env.ok(&env.stranger, &["reservation", "list", "--device", DEVICE]);
    assert_eq!(
        listed["reservations"].as_array().map(Vec::len),
        Some(usize::from(SEATS)),
        "{listed}"
    );
    let audit = env.run(&env.stranger, &["audit", "--device", DEVICE]);
    assert_eq!(audit.code, 0, "{audit:?}");
    println!("audit: {}", audit.stdout.trim());
    Ok(Completion::Completed)
}
