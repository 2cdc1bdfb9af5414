//! The TypeScript tests (`tests/client-ts`: the Codama kit client, `@coral-xyz/anchor`'s
//! `Program` and event listener, `@solana/web3.js`' `onLogs` and `confirmTransaction`) run
//! against the validator's HTTP and websocket ports, as they run against `ledger serve`.
//! `tests/client-ts/test/support.ts` takes the cluster and its admin from the environment;
//! the tests leave the admin as they found it.

use std::process::Command;

use libtest_mimic::{Completion, Failed};

use crate::deploy::run;
use crate::suite::Suite;

pub fn clients(suite: &Suite) -> Result<Completion, Failed> {
    let dir = suite.root.join("tests/client-ts");
    if !dir.join("node_modules").is_dir() {
        return Ok(Completion::ignored_with(
            "tests/client-ts has no node_modules (run `npm ci --prefix tests/client-ts`)",
        ));
    }
    let main = suite.main()?;
    // The tests expect the program as `anchor migrate` leaves it: its admin also the
    // activator. The suite's activator is restored afterwards.
    let env = &main.env;
    let set_activator = |key: &str| env.ok(&env.admin, &["authority", "set", "--activator", key]);
    set_activator(&env.admin.pubkey.to_string());
    let tests = run(Command::new("npm")
        .arg("test")
        .current_dir(&dir)
        .env("SERVICEABILITY_BIN", env!("CARGO_BIN_EXE_serviceability"))
        .env("SERVICEABILITY_TEST_RPC_URL", &main.validator.rpc_url)
        .env("SERVICEABILITY_TEST_WS_URL", &main.validator.websocket_url)
        .env("SERVICEABILITY_TEST_ADMIN_KEYPAIR", &main.env.admin.path));
    // node:test's summary ("# pass 19", "# fail 0", …).
    let summary: Vec<&str> = tests
        .stdout
        .lines()
        .filter(|line| {
            ["# tests ", "# pass ", "# fail ", "# skipped "]
                .iter()
                .any(|prefix| line.starts_with(prefix))
        })
        .collect();
    println!("node --test against the validator: {}", summary.join(", "));
    set_activator(&env.activator.pubkey.to_string());
    assert_eq!(tests.code, 0, "{}\n{}", tests.stdout, tests.stderr);
    assert!(
        summary.contains(&"# fail 0") && !summary.contains(&"# pass 0"),
        "{}",
        tests.stdout
    );
    Ok(Completion::Completed)
}
