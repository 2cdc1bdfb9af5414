//! What the scenarios share: the prerequisites (or why the suite is skipped), the SBF program,
//! and the main validator with the program deployed on it, started by the first scenario that
//! needs it and stopped when the suite ends.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use libtest_mimic::{Completion, Failed};
use serviceability_test_validator::{workspace_root, Binaries, Network, Ports, TestValidator};

use crate::common::Env;
use crate::deploy::{self, Deployment};

/// A scenario: it passes, fails (a panic or an `Err`), or says why it cannot run here.
pub type Scenario = fn(&Suite) -> Result<Completion, Failed>;

/// Lamports every role gets from the faucet; the deployer gets [`DEPLOYER_LAMPORTS`].
pub const ROLE_LAMPORTS: u64 = 10_000_000_000;
/// The program's deployment pays its ProgramData's rent (a few SOL for our `.so`).
pub const DEPLOYER_LAMPORTS: u64 = 50_000_000_000;
/// How long an airdrop may take to be confirmed.
pub const AIRDROP_TIMEOUT: Duration = Duration::from_secs(30);

/// The main validator, the program deployed on it, and the suite's roles there.
pub struct Main {
    /// The validator.
    pub validator: TestValidator,
    /// The roles (the admin deployed the program and ran the migration), commands sent to
    /// the validator's URL.
    pub env: Env,
    /// How the deployment went, for the deploy scenario to check.
    pub deployment: Deployment,
}

impl Main {
    /// The roles set as the CLI's script sets them (the foundation key allowed, both
    /// authorities named), whatever ran before, and an activated device `code` of `seats`
    /// created unless it exists: what a scenario needs to run alone (`cargo test … -- NAME`).
    pub fn device(&self, env: &Env, code: &str, seats: u16) {
        let state = env.global_state();
        if !state.foundation_allowlist.contains(&env.foundation.pubkey) {
            env.ok(
                &env.admin,
                &["allowlist", "add", &env.foundation.pubkey.to_string()],
            );
        }
        if state.reservation_authority != Some(env.reservation_authority.pubkey) {
            let key = env.reservation_authority.pubkey.to_string();
            env.ok(&env.admin, &["authority", "set", "--reservation", &key]);
        }
        if state.activator_authority != env.activator.pubkey {
            let key = env.activator.pubkey.to_string();
            env.ok(&env.admin, &["authority", "set", "--activator", &key]);
        }
        if env.device(code).is_none() {
            env.create_device(code, seats);
        }
    }
}

/// The suite's shared state.
pub struct Suite {
    /// The repository.
    pub root: PathBuf,
    /// Where the suite's sockets live (none when only listing).
    pub network: Option<Network>,
    /// Why nothing can run (every scenario reports it as its reason).
    skip: Option<String>,
    /// The validator's binaries.
    binaries: Option<Binaries>,
    /// The SBF program the validator runs (and the embedded ledgers and litesvm beside it).
    pub program_so: PathBuf,
    main: Mutex<Option<Result<Arc<Main>, String>>>,
}

impl Suite {
    /// Checks the prerequisites. Points `SERVICEABILITY_SO` at the program for everything the
    /// suite compares with the validator (embedded ledgers, litesvm), so that both sides run
    /// the same `.so`; call it while the process has one thread.
    pub fn new(network: Option<Network>) -> Suite {
        let root = workspace_root();
        let program_so = std::env::var_os("SERVICEABILITY_SO")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/deploy/serviceability.so"));
        let binaries = Binaries::locate(&root);
        let mut skip = None;
        if network.is_none() {
            skip = Some("listing only".to_string());
        } else if let Err(why) = &binaries {
            skip = Some(why.clone());
        } else if !program_so.is_file() {
            skip = Some(format!(
                "no SBF program at {} (run `cargo xtask sbf`)",
                program_so.display()
            ));
        } else {
            std::env::set_var("SERVICEABILITY_SO", &program_so);
        }
        if let (Some(network), None) = (&network, &skip) {
            println!("validator suite: the validator and every client run in {network}");
        }
        Suite {
            root,
            network,
            skip,
            binaries: binaries.ok(),
            program_so,
            main: Mutex::new(None),
        }
    }

    /// Runs `scenario`, or reports why the suite cannot run.
    pub fn run(&self, name: &str, scenario: Scenario) -> Result<Completion, Failed> {
        if let Some(why) = &self.skip {
            return Ok(Completion::ignored_with(why));
        }
        println!("\n── {name}");
        scenario(self)
    }

    /// The validator binaries (present whenever a scenario runs).
    pub fn binaries(&self) -> &Binaries {
        self.binaries
            .as_ref()
            .expect("scenarios run only when the binaries exist")
    }

    /// The ports of the `index`-th validator the suite starts (0: the main one).
    pub fn ports(&self, index: u16) -> Ports {
        match self.network {
            Some(Network::Isolated { .. }) => Ports::block(index),
            _ => Ports::free_block(index),
        }
    }

    /// The main validator with the program deployed and initialized; the first call starts
    /// it and deploys (see [`deploy::deploy`]).
    pub fn main(&self) -> Result<Arc<Main>, Failed> {
        let mut main = self
            .main
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if main.is_none() {
            *main = Some(deploy::deploy(self).map(Arc::new));
        }
        match main.as_ref().expect("set above") {
            Ok(main) => Ok(Arc::clone(main)),
            Err(why) => Err(format!("the main validator could not be set up: {why}").into()),
        }
    }

    /// Whether the main validator is running (a validator of a scenario's own must not start
    /// beside it).
    pub fn main_is_running(&self) -> bool {
        let main = self
            .main
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        matches!(*main, Some(Ok(_)))
    }

    /// Stops the main validator, by its pid, and says what it cost.
    pub fn shut_down(&self) {
        let main = self
            .main
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(Ok(main)) = main {
            let validator = &main.validator;
            println!(
                "validator suite: stopping the validator (pid {}; ready {:.1} s after it \
                 started; resident memory now {} MB)",
                validator.pid(),
                validator.ready_after.as_secs_f64(),
                validator.resident_bytes().unwrap_or(0) / 1_000_000
            );
            match Arc::try_unwrap(main) {
                Ok(main) => main.validator.stop(),
                Err(_) => eprintln!("validator suite: the validator is still shared; it stops when the process exits"),
            }
        }
    }
}

/// Funds `keys` from `validator`'s faucet, `lamports` each.
pub fn fund(validator: &TestValidator, keys: &[Pubkey], lamports: u64) -> Result<(), String> {
    keys.iter()
        .try_for_each(|key| validator.airdrop(key, lamports, AIRDROP_TIMEOUT))
}
