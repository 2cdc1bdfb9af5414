//! The telemetry agent against the validator, seeing a real BGP session: BIRD in two network
//! namespaces (inside the suite's own), the lab of `cli_bgp_daemon.rs`; the agent binary
//! reports the user Up, the idle user Down, then the user Down a grace period (on the
//! validator's clock) after the peer's BIRD is killed.

use std::time::Instant;

use libtest_mimic::{Completion, Failed};
use serviceability_test_validator::Network;

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
