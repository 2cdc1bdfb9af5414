//! The agent binary on many users of one device, one tick at a time: the lookup-table
//! scenarios on the embedded ledger (`cli_agent.rs`) and on the validator.

use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;

use serviceability_agent::sockets::{proc_ipv4_endpoint, proc_line};

use super::{args, seat, Env};

/// Creates `count` users on `device` (client 100.64.1.n, tunnel 169.254.1.2n/31, peer
/// .2n+1) and returns their peers.
pub fn create_users(env: &Env, device: &str, count: u8) -> Vec<Ipv4Addr> {
    (0..count)
        .map(|n| {
            let client_ip = format!("100.64.1.{}", n + 1);
            let tunnel_net = format!("169.254.1.{}/31", 2 * n);
            env.ok(
                &env.activator,
                &args(&[
                    &["user", "create"],
                    &seat(device, &client_ip),
                    &["--tunnel-net", &tunnel_net],
                ]),
            );
            Ipv4Addr::new(169, 254, 1, 2 * n + 1)
        })
        .collect()
}

/// A socket table where every peer in `up` has its BGP session established.
pub fn write_established(path: &Path, up: &[Ipv4Addr]) {
    let mut lines = vec!["  sl  local_address rem_address   st".to_string()];
    for (index, peer) in up.iter().enumerate() {
        lines.push(proc_line(
            index,
            &proc_ipv4_endpoint(Ipv4Addr::new(169, 254, 1, 0), 179),
            &proc_ipv4_endpoint(*peer, 40000 + index as u16),
            "01",
        ));
    }
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// One tick of `device`'s agent (signed by the publisher) reading `sockets`, with `extra`
/// flags: its counters, and under `table_errors` any lookup-table warning it logged.
pub fn one_tick(env: &Env, device: &str, sockets: &Path, extra: &[&str]) -> serde_json::Value {
    let mut command = Command::new(env!("CARGO_BIN_EXE_serviceability"));
    command.args(env.cluster_args()).args([
        "-k",
        env.publisher.path.to_str().unwrap(),
        "--output",
        "json",
        "agent",
        "--device",
        device,
        "--ticks",
        "1",
        "--interval",
        "0s",
        "--down-grace",
        "0s",
        "--sockets",
        sockets.to_str().unwrap(),
    ]);
    let output = command.args(extra).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut counters = report["counters"].clone();
    counters["table_errors"] = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| line.contains("lookup tables unavailable"))
        .collect::<Vec<_>>()
        .join("\n")
        .into();
    counters
}
