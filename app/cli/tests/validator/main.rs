//! The end-to-end suite on a real cluster: agave's `solana-test-validator` (the pinned build
//! that `cargo xtask validator` installs), running the SBF program at its real id.
//!
//! Its own harness (libtest-mimic), because one validator serves the whole suite: the
//! scenarios run one at a time, in the order below, on the main thread, and the validator is
//! started when the first scenario needs it and stopped by its pid when the last has run.
//! Before anything starts, the process moves into a network namespace of its own with only
//! `lo` up (as root; otherwise in a user namespace where the kernel allows one), so the
//! validator, which binds RPC, PubSub and the faucet to 0.0.0.0, and every client the suite
//! runs (the CLI, the agent, BIRD, Node.js) are reachable only from inside.
//!
//! Without a validator built, or without the SBF program (`cargo xtask sbf`), every scenario
//! is reported ignored with the reason; CI always builds both.

#[path = "../common/mod.rs"]
mod common;

mod agent;
mod cli;
mod compute_units;
mod concurrency;
mod deploy;
mod rpc_shapes;
mod suite;
mod typescript;

use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Trial};
use serviceability_test_validator::isolate_network;
use suite::{Scenario, Suite};

/// The scenarios, in the order they run. The compute-unit comparison starts a validator of its
/// own from a genesis block that holds the program; it comes first, so that it never runs
/// beside the main one. Every later scenario runs on the main validator, where the first of
/// them deployed the program as `anchor deploy` does, and where the CLI's script finds the
/// program's state exactly as the embedded ledger it is compared with.
const SCENARIOS: &[(&str, Scenario)] = &[
    (
        "compute_units_on_the_validator_equal_litesvms",
        compute_units::equal_on_both,
    ),
    (
        "deploy_as_anchor_deploy_then_anchor_migrate",
        deploy::as_anchor_does,
    ),
    (
        "cli_script_matches_the_embedded_ledger",
        cli::script_matches_the_embedded_ledger,
    ),
    (
        "cli_admin_hand_over_allowlist_pause_and_device_close",
        cli::administration,
    ),
    (
        "cli_ttl_reservation_pruned_on_the_validators_clock",
        cli::ttl_reservation_pruned,
    ),
    (
        "cli_priority_fee_lands_in_the_transaction",
        cli::priority_fee,
    ),
    (
        "concurrent_reservers_take_exactly_the_free_seats",
        concurrency::forty_reservers_ten_seats,
    ),
    (
        "agent_reports_a_bird_session_up_then_down",
        agent::bird_session_up_then_down,
    ),
    (
        "agent_reports_through_its_lookup_table_in_v0_transactions",
        agent::lookup_table_v0_reports,
    ),
    (
        "typescript_clients_against_the_validator",
        typescript::clients,
    ),
    (
        "ledger_serve_answers_as_the_validator_does",
        rpc_shapes::ledger_serve_answers_as_the_validator_does,
    ),
];

fn main() -> ExitCode {
    let mut arguments = Arguments::from_args();
    // One scenario at a time, in order, on this thread: they share one validator.
    arguments.test_threads = Some(1);
    // Before any thread exists (unshare(2) moves the calling thread only).
    let network = (!arguments.list).then(isolate_network);
    let suite = Arc::new(Suite::new(network));
    let trials = SCENARIOS
        .iter()
        .map(|&(name, scenario)| {
            let suite = Arc::clone(&suite);
            Trial::ignorable_test(name, move || suite.run(name, scenario))
        })
        .collect();
    let conclusion = libtest_mimic::run(&arguments, trials);
    suite.shut_down();
    conclusion.exit_code()
}
