//! Deploying as `anchor deploy` then `anchor migrate` do, on a fresh validator: `solana program
//! deploy` of the SBF program with the program keypair, signed by the wallet that becomes its
//! upgrade authority, then `migrations/deploy.ts` run by a host script as `anchor migrate`
//! writes one (`.anchor/deploy.ts`, run with `ts-node`, the provider from
//! `ANCHOR_PROVIDER_URL` and `ANCHOR_WALLET`).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anchor_lang::solana_program::instruction::error::InstructionError;
use libtest_mimic::{Completion, Failed};
use serviceability_client::serviceability::error::ServiceabilityError;
use serviceability_client::{chain, instructions as ix, PROGRAM_ID};
use serviceability_host::program_data_state;
use serviceability_test_validator::{TestValidator, ValidatorConfig};
use solana_keypair::read_keypair_file;
use solana_signer::Signer;
use solana_transaction_error::TransactionError;

use crate::common::{Env, Run};
use crate::suite::{fund, Main, Suite, DEPLOYER_LAMPORTS, ROLE_LAMPORTS};

/// The program keypair the repository commits for local and test clusters (its address is
/// `declare_id!`'s).
const PROGRAM_KEYPAIR: &str = "keys/serviceability-localnet-keypair.json";

/// What happened while deploying, for [`as_anchor_does`] to check.
pub struct Deployment {
    /// `solana program deploy`.
    pub program_deploy: Run,
    /// A stranger's `init` between the deployment and the migration.
    pub front_run: Run,
    /// The migration, and the same run again; or why Node.js could not run it (the program
    /// was then initialized with the CLI, so that the other scenarios can run).
    pub migrations: Result<(Run, Run), String>,
}

/// Starts the main validator, deploys the program, migrates. Fails only when the validator
/// or the deployment itself does; [`as_anchor_does`] checks every step.
pub fn deploy(suite: &Suite) -> Result<Main, String> {
    let config = ValidatorConfig {
        ports: suite.ports(0),
        program: None,
        accounts: Vec::new(),
    };
    let validator = TestValidator::start(suite.binaries(), &config)?;
    println!(
        "validator: {} ready after {:.1} s (pid {})",
        validator.rpc_url,
        validator.ready_after.as_secs_f64(),
        validator.pid()
    );
    let mut env = Env::new();
    env.url = Some(validator.rpc_url.clone());
    fund(&validator, &[env.admin.pubkey], DEPLOYER_LAMPORTS)?;
    let others = [
        &env.foundation,
        &env.reservation_authority,
        &env.activator,
        &env.publisher,
        &env.stranger,
    ]
    .map(|role| role.pubkey);
    fund(&validator, &others, ROLE_LAMPORTS)?;

    let program_deploy = run(Command::new(&suite.binaries().solana)
        .current_dir(&suite.root)
        .args(["program", "deploy", "--url", &validator.rpc_url])
        .arg("--keypair")
        .arg(&env.admin.path)
        .args(["--program-id", PROGRAM_KEYPAIR])
        .arg(&suite.program_so)
        .env("HOME", env.dir.path()));
    if program_deploy.code != 0 {
        return Err(format!("solana program deploy failed: {program_deploy:?}"));
    }
    wait_until_usable(&validator)?;
    let front_run = env.run(&env.stranger, &["init"]);
    let migrations = match migration_host(&suite.root) {
        Ok(host) => {
            let first = migrate(&host, &validator.rpc_url, &env);
            let again = migrate(&host, &validator.rpc_url, &env);
            Ok((first, again))
        }
        Err(why) => {
            env.ok(&env.admin, &["init"]);
            Err(why)
        }
    };
    wait_for_global_state(&env)?;
    Ok(Main {
        validator,
        env,
        deployment: Deployment {
            program_deploy,
            front_run,
            migrations,
        },
    })
}

/// The deployment checked step by step, then `initialize` refused to everyone.
pub fn as_anchor_does(suite: &Suite) -> Result<Completion, Failed> {
    let main = suite.main()?;
    let Deployment {
        program_deploy,
        front_run,
        migrations,
    } = &main.deployment;
    let env = &main.env;

    println!("solana program deploy: {}", program_deploy.stdout.trim());
    assert!(
        program_deploy
            .stdout
            .contains(&format!("Program Id: {PROGRAM_ID}")),
        "{program_deploy:?}"
    );
    let client = main.validator.client();
    let program = client
        .get_account(&PROGRAM_ID)
        .expect("the program account");
    assert!(program.executable, "the program is executable");
    assert_eq!(
        program.owner,
        anchor_lang::solana_program::bpf_loader_upgradeable::ID,
        "owned by the upgradeable loader"
    );
    let program_data = client
        .get_account(&serviceability_client::pda::program_data())
        .expect("its ProgramData account");
    let (_, upgrade_authority) =
        program_data_state(&program_data.data).expect("a ProgramData header");
    assert_eq!(
        upgrade_authority,
        Some(env.admin.pubkey),
        "the deploying wallet is the upgrade authority"
    );

    // Between `anchor deploy` and `anchor migrate` nobody else can take the admin role.
    assert_eq!(front_run.code, 1, "{front_run:?}");
    assert!(
        front_run.stderr.contains("NotUpgradeAuthority"),
        "{front_run:?}"
    );

    let (first, again) = match migrations {
        Ok(runs) => runs,
        Err(why) => return Ok(Completion::ignored_with(why)),
    };
    println!("anchor migrate: {}", first.stdout.trim());
    assert_eq!(first.code, 0, "{first:?}");
    assert!(
        first
            .stdout
            .contains(&format!("created, admin {}", env.admin.pubkey)),
        "{first:?}"
    );
    let state = env.global_state();
    assert_eq!(state.admin, env.admin.pubkey);
    assert_eq!(state.activator_authority, env.admin.pubkey);
    println!("anchor migrate, again: {}", again.stdout.trim());
    assert_eq!(again.code, 0, "{again:?}");
    assert!(again.stdout.contains("nothing to do"), "{again:?}");

    // Initialized: the CLI says so before sending anything; sent anyway, the program refuses
    // the admin's second `initialize` as `AlreadyInitialized` and anyone else's as not the
    // upgrade authority.
    let second = env.run(&env.admin, &["init"]);
    assert_eq!(second.code, 1, "{second:?}");
    assert!(second.stderr.contains("already initialized"), "{second:?}");
    let cluster = env.cluster();
    for (signer, error) in [
        (&env.admin, ServiceabilityError::AlreadyInitialized),
        (&env.stranger, ServiceabilityError::NotUpgradeAuthority),
    ] {
        let keypair = read_keypair_file(&signer.path).expect("a keypair");
        let execution = cluster
            .simulate(&[ix::initialize(keypair.pubkey())], &[&keypair])
            .expect("simulated");
        assert_eq!(
            execution.result,
            Err(TransactionError::InstructionError(
                0,
                InstructionError::Custom(u32::from(error))
            )),
            "{error:?}: {:?}",
            execution.logs
        );
    }
    Ok(Completion::Completed)
}

/// `.anchor/deploy.ts`, written as `anchor migrate` writes its host: it builds the provider
/// from the environment and runs the workspace's `migrations/deploy.ts` with it. Fails when
/// the workspace's Node packages are not installed.
fn migration_host(root: &Path) -> Result<std::path::PathBuf, String> {
    if !root.join("node_modules/.bin/ts-node").is_file()
        || !root.join("node_modules/@anchor-lang/core").is_dir()
    {
        return Err(
            "the workspace's Node packages are not installed (run `npm ci` at the repository root)"
                .into(),
        );
    }
    let dir = root.join(".anchor");
    std::fs::create_dir_all(&dir).map_err(|error| error.to_string())?;
    let host = dir.join("deploy.ts");
    let script = root.join("migrations/deploy.ts");
    std::fs::write(
        &host,
        format!(
            "// Written by the validator suite as `anchor migrate` writes its host script.\n\
             import * as anchor from '@anchor-lang/core';\n\
             \n\
             const userScript = require({script:?});\n\
             \n\
             async function main() {{\n\
             \x20   // ANCHOR_PROVIDER_URL and ANCHOR_WALLET, as anchor migrate sets them.\n\
             \x20   const provider = anchor.AnchorProvider.env();\n\
             \x20   await userScript(provider);\n\
             }}\n\
             main().catch((error) => {{\n\
             \x20   console.error(error);\n\
             \x20   process.exit(1);\n\
             }});\n"
        ),
    )
    .map_err(|error| error.to_string())?;
    Ok(host)
}

/// Runs the host with ts-node from `.anchor/`, as `anchor migrate` does.
fn migrate(host: &Path, url: &str, env: &Env) -> Run {
    let dir = host.parent().expect("in .anchor/");
    run(Command::new(dir.join("../node_modules/.bin/ts-node"))
        .current_dir(dir)
        .arg("deploy.ts")
        .env("ANCHOR_PROVIDER_URL", url)
        .env("ANCHOR_WALLET", &env.admin.path))
}

/// A program deployed in slot N runs from slot N + 1 on; until a confirmed bank is past its
/// deployment slot, simulations there answer `UnsupportedProgramId`. Waits for that (as a
/// deployment script must; `solana program deploy` returns as soon as the last write lands).
fn wait_until_usable(validator: &TestValidator) -> Result<(), String> {
    let client = validator.client();
    let program_data = client
        .get_account(&serviceability_client::pda::program_data())
        .map_err(|error| format!("the ProgramData account: {error}"))?;
    let (deployed_in, _) = program_data_state(&program_data.data).ok_or("no ProgramData header")?;
    let started = Instant::now();
    loop {
        let slot = client.get_slot().map_err(|error| error.to_string())?;
        if slot > deployed_in {
            println!(
                "the program, deployed in slot {deployed_in}, runs from slot {slot} on ({:.1} s later)",
                started.elapsed().as_secs_f64()
            );
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(30) {
            return Err(format!(
                "no confirmed slot after the deployment's ({deployed_in}) within 30 s"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The provider confirms at `processed`; the scenarios read at `confirmed`.
fn wait_for_global_state(env: &Env) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if chain::global_state(&env.cluster()).is_ok_and(|state| state.is_some()) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("GlobalState was not confirmed within 30 s of the migration".into())
}

/// Runs `command`, collecting its exit status and output.
pub fn run(command: &mut Command) -> Run {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{command:?} does not start: {error}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
