//! A real BGP daemon end to end, as root: two network namespaces (the device's and its user's
//! router) joined by a veth pair addressed from the user's on-chain `tunnel_net`, Debian's
//! BIRD 2 running in each, and the `serviceability agent` binary reading the device's
//! namespace over netlink (`--netns`); the lab is `common/bgp.rs`, shared with the validator
//! suite. The user's on-chain status follows the session: Up once BIRD establishes it, Down a
//! grace period after the peer's daemon is killed, Up again after it restarts, Down again
//! after the tunnel (the veth) disappears. A second user, whose tunnel has no session, stays
//! Down throughout. The agent's metrics count the sessions under the namespace's name.
//!
//! Ignored by default (it needs root, iproute2 and `bird`); CI runs it as root with
//! `--ignored --nocapture`, and then a missing prerequisite is a failure, not a skip. Every
//! namespace and process it creates is removed on drop, so also when it fails.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::bgp::{netns_exists, say, Lab};
use common::Env;

const DEVICE: &str = "fra-1";
/// The user whose session BIRD establishes.
const USER: (&str, &str) = ("100.64.0.1", "169.254.7.0/31");
/// A user whose tunnel network has no session at all.
const IDLE_USER: (&str, &str) = ("100.64.0.2", "169.254.7.2/31");

#[test]
#[ignore = "needs root, ip netns and Debian's bird2: run as root with --ignored (CI does)"]
fn a_bird_session_across_namespaces_is_reported_up_and_down() {
    let t0 = Instant::now();
    // The ledger: a device and two users; the agent reading the device's namespace.
    let env = Env::with_device(DEVICE, 10);
    let mut lab = Lab::with_users(env, DEVICE, USER, IDLE_USER, t0);
    lab.start_agent_until_settled();
    // The metrics count the sessions in the namespace read, by its name (and nothing in the
    // agent's own, which --netns does not read).
    let text = lab.agent.as_ref().unwrap().metrics();
    let sessions: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("serviceability_agent_sessions{"))
        .collect();
    for line in &sessions {
        say(t0, &format!("metrics: {line}"));
    }
    let netns = &lab.device_netns.name;
    assert_eq!(
        sessions,
        [
            format!(r#"serviceability_agent_sessions{{namespace="{netns}",state="down"}} 1"#),
            format!(r#"serviceability_agent_sessions{{namespace="{netns}",state="up"}} 1"#),
        ],
        "{text}"
    );
    // The RTT the kernel measured for BIRD's TCP session went on chain with the Up, and is
    // exported per user (the idle user has no session, hence no series).
    let rtt_ns = lab.user_rtt_ns();
    say(t0, &format!("on-chain RTT: {rtt_ns} ns"));
    assert!(rtt_ns > 0 && rtt_ns < 1_000_000_000, "{rtt_ns} ns");
    let rtt_series: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("serviceability_agent_bgp_rtt_seconds{"))
        .collect();
    assert_eq!(rtt_series.len(), 1, "{text}");
    assert!(
        rtt_series[0].contains(&format!(r#"client_ip="{}""#, USER.0)),
        "{text}"
    );

    // The peer's daemon dies: Down, but only once the grace period has passed.
    let killed = Instant::now();
    lab.kill_user_bird();
    lab.assert_down_after_grace("the peer's BIRD stopped", killed);

    // The peer's daemon comes back: Up again.
    let restarted = Instant::now();
    lab.restart_user_bird();
    lab.wait_for(
        "BGP session re-established",
        restarted,
        Duration::from_secs(30),
        Lab::both_established,
    );
    lab.wait_for(
        "user Up on chain again",
        restarted,
        Duration::from_secs(30),
        |lab| lab.user_status() == "up",
    );

    // The tunnel vanishes: Down again after the grace period.
    let deleted = Instant::now();
    lab.delete_veth();
    lab.assert_down_after_grace("the veth was deleted", deleted);
    assert_eq!(lab.idle_status(), "down");

    // The agent stops cleanly, having written exactly the five changes.
    let report = lab.stop_agent();
    assert_eq!(
        report["counters"]["updates"], 5,
        "user Up, idle Down, user Down, Up, Down: {report}"
    );
    assert_eq!(report["counters"]["failures"], 0, "{report}");
    assert_eq!(report["counters"]["read_errors"], 0, "{report}");

    // Cleanup, checked: no BIRD left, no namespace left.
    let (pids, names) = lab.resources();
    drop(lab);
    for pid in pids {
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "BIRD {pid} outlived the test"
        );
    }
    for name in &names {
        assert!(!netns_exists(name), "namespace {name} left behind");
    }
    say(t0, "cleaned up: both BIRDs gone, both namespaces deleted");
}
