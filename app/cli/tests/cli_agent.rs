//! The BGP agent end to end: the `serviceability agent` binary on an embedded ledger, reading
//! a socket table file that changes between ticks, checked against the on-chain fields.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::agent::{create_users, one_tick, write_established};
use common::{args, seat, Env, Server};
use serviceability_agent::sockets::{proc_ipv4_endpoint, proc_ipv6_mapped_endpoint, proc_line};
use serviceability_client::types::BgpStatus;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;

/// Users: client IP and tunnel net (BGP peer: .1, .3 and .6).
const USERS: [(&str, &str, [u8; 4]); 3] = [
    ("100.64.0.1", "169.254.0.0/31", [169, 254, 0, 1]),
    ("100.64.0.2", "169.254.0.2/31", [169, 254, 0, 3]),
    ("100.64.0.3", "169.254.0.4/30", [169, 254, 0, 6]),
];

fn env_with_users() -> Env {
    let env = Env::with_device("fra-1", 10);
    for (client_ip, tunnel_net, _) in USERS {
        env.ok(
            &env.activator,
            &args(&[
                &["user", "create"],
                &seat("fra-1", client_ip),
                &["--tunnel-net", tunnel_net],
            ]),
        );
    }
    env
}

/// Writes a socket table where the peers of `up` (indices into USERS) are established on
/// port 179; the others appear only in states or on ports that do not count.
fn write_sockets(path: &Path, up: &[usize]) {
    let device = Ipv4Addr::new(169, 254, 0, 0);
    let mut lines = vec!["  sl  local_address rem_address   st".to_string()];
    for (index, (_, _, peer)) in USERS.iter().enumerate() {
        let peer = Ipv4Addr::from(*peer);
        let line = if up.contains(&index) {
            // The last one over a dual-stack socket, as tcp6 shows it.
            if index == 2 {
                proc_line(
                    index,
                    &proc_ipv6_mapped_endpoint(device, 179),
                    &proc_ipv6_mapped_endpoint(peer, 41000),
                    "01",
                )
            } else {
                proc_line(
                    index,
                    &proc_ipv4_endpoint(device, 179),
                    &proc_ipv4_endpoint(peer, 41000 + index as u16),
                    "01",
                )
            }
        } else {
            // Closing (TIME_WAIT) on the BGP port, and an established SSH session.
            format!(
                "{}\n{}",
                proc_line(
                    10 + index,
                    &proc_ipv4_endpoint(device, 179),
                    &proc_ipv4_endpoint(peer, 42000),
                    "06"
                ),
                proc_line(
                    20 + index,
                    &proc_ipv4_endpoint(device, 22),
                    &proc_ipv4_endpoint(peer, 43000),
                    "01"
                ),
            )
        };
        lines.push(line);
    }
    // Written whole, then renamed, so the agent never reads half a table.
    let partial = path.with_extension("partial");
    std::fs::write(&partial, lines.join("\n") + "\n").unwrap();
    std::fs::rename(partial, path).unwrap();
}

fn status_name(status: &BgpStatus) -> &'static str {
    match status {
        BgpStatus::Unknown => "unknown",
        BgpStatus::Up => "up",
        BgpStatus::Down => "down",
    }
}

/// The on-chain (status, last_bgp_up_at, last_bgp_reported_at) of each user.
fn chain_state(env: &Env) -> Vec<(&'static str, i64, i64)> {
    USERS
        .iter()
        .map(|(client_ip, _, _)| {
            let user = env.user("fra-1", client_ip).expect("user exists").user;
            (
                status_name(&user.bgp_status),
                user.last_bgp_up_at,
                user.last_bgp_reported_at,
            )
        })
        .collect()
}

/// Waits until the chain shows `expected` statuses.
fn wait_for(env: &Env, agent: &mut Child, expected: [&str; 3]) -> Vec<(&'static str, i64, i64)> {
    let started = Instant::now();
    loop {
        let state = chain_state(env);
        let statuses: Vec<&str> = state.iter().map(|(status, _, _)| *status).collect();
        if statuses == expected {
            return state;
        }
        if agent.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(20) {
            let _ = agent.kill();
            let mut stderr = String::new();
            std::io::Read::read_to_string(agent.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            panic!("still {statuses:?}, expected {expected:?}; agent stderr:\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn agent_command(env: &Env, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_serviceability"));
    match &env.url {
        Some(url) => command.args(["-u", url]),
        None => command.args(["-u", "embedded", "--ledger", env.ledger.to_str().unwrap()]),
    };
    command
        .args([
            "-k",
            env.publisher.path.to_str().unwrap(),
            "--output",
            "json",
        ])
        .args(["agent", "--device", "fra-1"])
        .args(extra);
    command
}

#[test]
fn the_agent_follows_the_sessions_tick_after_tick() {
    let env = env_with_users();
    let sockets = env.dir.path().join("tcp");
    write_sockets(&sockets, &[0]);
    let mut agent = agent_command(
        &env,
        &[
            "--interval",
            "200ms",
            "--down-grace",
            "0s",
            "--sockets",
            sockets.to_str().unwrap(),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();

    // Session 0 up, the others not: Up at once, Down at once (no grace).
    let first = wait_for(&env, &mut agent, ["up", "down", "down"]);
    assert!(
        first[0].1 > 0 && first[0].1 == first[0].2,
        "Up sets last_bgp_up_at: {first:?}"
    );
    assert!(
        first[1].1 == 0 && first[1].2 > 0,
        "Down leaves it: {first:?}"
    );

    // The table changes between ticks.
    write_sockets(&sockets, &[1, 2]);
    let second = wait_for(&env, &mut agent, ["down", "up", "up"]);
    assert_eq!(second[0].1, first[0].1, "a Down keeps the last Up time");
    assert!(second[0].2 >= first[0].2);
    assert!(second[1].1 > 0 && second[2].1 > 0);

    // Unchanged sessions: several ticks, no writes.
    std::thread::sleep(Duration::from_millis(900));
    assert_eq!(chain_state(&env), second, "nothing resubmitted");

    let status = Command::new("kill")
        .args(["-TERM", &agent.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = agent.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["stopped_by_signal"], true);
    let counters = &report["counters"];
    assert_eq!(counters["updates"], 6, "{report}");
    assert_eq!(counters["failures"], 0);
    assert!(counters["ticks"].as_u64().unwrap() >= 5, "{report}");
    // Structured logs: one JSON object per line, each tick with the counters.
    let ticks: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect(line))
        .filter(|line| line["message"] == "tick")
        .collect();
    assert_eq!(ticks.len() as u64, counters["ticks"].as_u64().unwrap());
    assert!(ticks
        .iter()
        .all(|tick| tick["users"] == 3 && tick.get("retries").is_some()));
    assert_eq!(ticks.last().unwrap()["updates"], 6);
}

#[test]
fn the_agent_reports_over_json_rpc() {
    let env = env_with_users();
    let server = Server::start(&env.ledger);
    let client = RpcClient::new_with_commitment(server.url.clone(), CommitmentConfig::confirmed());
    let signature = client
        .request_airdrop(&env.publisher.pubkey, 1_000_000_000)
        .expect("airdrop");
    assert!(client.confirm_transaction(&signature).expect("confirmed"));
    let remote = Env {
        url: Some(server.url.clone()),
        ..env.twin(None)
    };
    let sockets = env.dir.path().join("tcp");
    write_sockets(&sockets, &[0, 2]);
    // Many transactions may land in one slot: the agent's report goes into a later slot than
    // the users' creation, so that each slot has its own lowest fee.
    let created_in = client.get_slot().unwrap();
    while client.get_slot().unwrap() == created_in {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let counters = one_tick(
        &remote,
        "fra-1",
        &sockets,
        &["--with-compute-unit-price", "1000"],
    );
    assert_eq!(counters["updates"], 3, "{counters}");
    assert_eq!(counters["failures"], 0, "{counters}");
    // The report paid the priority fee, as a validator's RPC lists it: the slot of the
    // agent's transaction at 1,000, the user's creation (no fee) before it at 0.
    let user = serviceability_client::pda::user(
        &serviceability_client::pda::device("fra-1"),
        USERS[0].0.parse().unwrap(),
    );
    let mut fees = client
        .get_recent_prioritization_fees(&[user])
        .expect("getRecentPrioritizationFees");
    fees.sort_by_key(|fee| fee.slot);
    assert_eq!(
        fees.iter()
            .map(|fee| fee.prioritization_fee)
            .collect::<Vec<_>>(),
        [0, 1000],
        "{fees:?}"
    );
    // The server wrote to the ledger file the embedded commands read.
    let statuses: Vec<&str> = chain_state(&env)
        .iter()
        .map(|(status, _, _)| *status)
        .collect();
    assert_eq!(statuses, ["up", "down", "up"]);
    assert_eq!(server.stop(), 0);
}

#[test]
fn down_waits_for_the_grace_period_and_stale_reports_are_refreshed() {
    let env = env_with_users();
    env.ok(
        &env.publisher,
        &args(&[
            &["user", "set-bgp-status"],
            &seat("fra-1", "100.64.0.1"),
            &["--status", "up"],
        ]),
    );
    let sockets = env.dir.path().join("tcp");
    write_sockets(&sockets, &[]);
    let run = |extra: &[&str]| {
        let mut all = vec![
            "--ticks",
            "1",
            "--interval",
            "0s",
            "--sockets",
            sockets.to_str().unwrap(),
        ];
        all.extend_from_slice(extra);
        let output = agent_command(&env, &all).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["counters"]["updates"].as_u64().unwrap()
    };
    let before = chain_state(&env);
    assert_eq!(
        run(&["--down-grace", "5m"]),
        0,
        "every session is down, but within the grace period"
    );
    assert_eq!(chain_state(&env), before);

    write_sockets(&sockets, &[0]);
    assert_eq!(
        run(&["--down-grace", "0s"]),
        2,
        "user 0 unchanged (Up); users 1 and 2 down and Unknown on chain: reported"
    );
    let reported = chain_state(&env);
    assert_eq!(reported[0], before[0], "an unchanged Up is not rewritten");

    env.ok(&env.stranger, &["ledger", "warp", "--by", "7h"]);
    assert_eq!(
        run(&["--refresh-interval", "6h"]),
        1,
        "only the stale Up is refreshed"
    );
    let refreshed = chain_state(&env);
    assert!(refreshed[0].2 >= reported[0].2 + 7 * 3600, "{refreshed:?}");
    assert_eq!((refreshed[1], refreshed[2]), (reported[1], reported[2]));
}

#[test]
fn the_agent_refuses_the_wrong_key_and_a_missing_table() {
    let env = env_with_users();
    let sockets = env.dir.path().join("tcp");
    write_sockets(&sockets, &[]);
    let stranger = env.stranger.path.to_str().unwrap();
    let ledger = env.ledger.to_str().unwrap();
    let before = env.ledger_bytes();
    let run = env.raw(&[
        "-u",
        "embedded",
        "--ledger",
        ledger,
        "-k",
        stranger,
        "agent",
        "--device",
        "fra-1",
        "--sockets",
        sockets.to_str().unwrap(),
        "--ticks",
        "1",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("is not fra-1's metrics publisher"),
        "{run:?}"
    );
    let publisher = env.publisher.path.to_str().unwrap();
    let run = env.raw(&[
        "-u",
        "embedded",
        "--ledger",
        ledger,
        "-k",
        publisher,
        "agent",
        "--device",
        "fra-1",
        "--sockets",
        "/nonexistent/tcp",
        "--ticks",
        "1",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no such file"), "{run:?}");
    let run = env.raw(&[
        "-u", "embedded", "--ledger", ledger, "-k", publisher, "agent", "--device", "nope",
        "--ticks", "1",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(before, env.ledger_bytes());
}

/// `GET path` on `address`: the status line's code and the body.
fn http_get(address: &str, path: &str) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(address).expect("the metrics server listens");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
    let code = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (code, body.to_string())
}

/// The value of the sample `name` (labels included, as printed) in Prometheus' text format.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[test]
fn the_agent_serves_prometheus_metrics() {
    let env = env_with_users();
    let sockets = env.dir.path().join("tcp");
    write_sockets(&sockets, &[0]);
    let mut agent = agent_command(
        &env,
        &[
            "--interval",
            "200ms",
            "--down-grace",
            "0s",
            "--sockets",
            sockets.to_str().unwrap(),
            "--metrics-addr",
            "127.0.0.1:0",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // The address it bound, from its log; the rest of the log is drained so it never blocks.
    let mut log = BufReader::new(agent.stderr.take().unwrap()).lines();
    let address = log
        .by_ref()
        .map(|line| serde_json::from_str::<serde_json::Value>(&line.unwrap()).unwrap())
        .find(|line| line["message"] == "metrics served")
        .and_then(|line| line["address"].as_str().map(str::to_string))
        .expect("the agent logs where it serves its metrics");
    std::thread::spawn(move || log.for_each(drop));

    let value = |text: &str, name: &str| sample(text, &format!("serviceability_agent_{name}"));
    let deadline = Instant::now() + Duration::from_secs(20);
    let text = loop {
        let (code, text) = http_get(&address, "/metrics");
        assert_eq!(code, 200);
        if value(&text, r#"transactions_total{outcome="landed"}"#) >= Some(1.0) {
            break text;
        }
        assert!(Instant::now() < deadline, "nothing landed:\n{text}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(value(&text, "ticks_total") >= Some(1.0), "{text}");
    assert!(value(&text, "tick_duration_seconds_count") >= Some(1.0));
    assert_eq!(
        value(&text, r#"sessions{namespace="own",state="up"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(&text, r#"sessions{namespace="own",state="down"}"#),
        Some(2.0)
    );
    assert_eq!(
        value(&text, r#"updates_decided_total{reason="change"}"#),
        Some(3.0)
    );
    assert_eq!(
        value(&text, r#"transactions_total{outcome="failed"}"#),
        Some(0.0)
    );
    assert!(value(&text, "last_landed_timestamp_seconds") > Some(1.7e9));
    assert_eq!(http_get(&address, "/").0, 404);

    let status = Command::new("kill")
        .args(["-TERM", &agent.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(agent.wait().unwrap().success());
}

#[test]
fn the_agent_reads_real_sessions_from_the_kernel() {
    // A user whose BGP peer is 127.0.0.1 (the second host of 127.0.0.0/31), and a real TCP
    // session with it on a port standing in for BGP's; a second user with no session.
    let env = Env::with_device("fra-1", 10);
    for (client_ip, tunnel_net) in [
        ("100.64.0.1", "127.0.0.0/31"),
        ("100.64.0.2", "169.254.0.2/31"),
    ] {
        env.ok(
            &env.activator,
            &args(&[
                &["user", "create"],
                &seat("fra-1", client_ip),
                &["--tunnel-net", tunnel_net],
            ]),
        );
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let _client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (_server, _) = listener.accept().unwrap();

    let run = agent_command(
        &env,
        &[
            "--sockets",
            "netlink",
            "--bgp-port",
            &port,
            "--down-grace",
            "0s",
            "--ticks",
            "1",
        ],
    )
    .output()
    .unwrap();
    assert!(run.status.success(), "{run:?}");
    let status = |client_ip: &str| {
        status_name(
            &env.user("fra-1", client_ip)
                .expect("user exists")
                .user
                .bgp_status,
        )
    };
    assert_eq!(
        (status("100.64.0.1"), status("100.64.0.2")),
        ("up", "down"),
        "{run:?}"
    );
}

#[test]
fn netns_flags_need_the_netlink_source() {
    let env = env_with_users();
    let sockets = env.dir.path().join("tcp");
    write_sockets(&sockets, &[0]);
    let run = agent_command(
        &env,
        &["--sockets", sockets.to_str().unwrap(), "--netns", "vrf-1"],
    )
    .output()
    .unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(String::from_utf8_lossy(&run.stderr).contains("use them with --sockets netlink"));
}

#[test]
fn the_agent_reports_through_its_lookup_table_which_closes_on_request() {
    const USERS: u8 = 30;
    let env = Env::with_device("fra-1", u16::from(USERS));
    let peers = create_users(&env, "fra-1", USERS);
    let sockets = env.dir.path().join("tcp");
    let up = |counters: &serde_json::Value, key: &str| counters[key].as_u64().unwrap();

    // More reports than one legacy transaction carries: the agent creates the device's table
    // (these users, just added, are usable from a later slot: this round goes out legacy).
    write_established(&sockets, &peers);
    let first = one_tick(&env, "fra-1", &sockets, &[]);
    assert_eq!(up(&first, "updates"), 30, "{first}");
    assert_eq!(up(&first, "tables_created"), 1, "{first}");
    assert_eq!(up(&first, "table_users_added"), 30, "{first}");
    assert_eq!(
        (
            up(&first, "submissions"),
            up(&first, "through_lookup_table")
        ),
        (2, 0),
        "{first}"
    );
    let listed = env.ok(&env.publisher, &["lookup-table", "list", "fra-1"]);
    let tables = listed["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "{listed}");
    assert_eq!(
        (tables[0]["users"].as_u64(), tables[0]["status"].as_str()),
        (Some(30), Some("active"))
    );
    let table: anchor_lang::prelude::Pubkey =
        tables[0]["address"].as_str().unwrap().parse().unwrap();

    // Every status changes: one v0 transaction of 30 reports through the table, sent to
    // `ledger serve` over HTTP.
    env.next_slot();
    write_established(&sockets, &[]);
    let server = Server::start(&env.ledger);
    let remote = Env {
        url: Some(server.url.clone()),
        ..env.twin(None)
    };
    let second = one_tick(&remote, "fra-1", &sockets, &[]);
    assert_eq!(server.stop(), 0);
    assert_eq!(up(&second, "updates"), 30, "{second}");
    assert_eq!(
        (
            up(&second, "submissions"),
            up(&second, "through_lookup_table")
        ),
        (1, 1),
        "{second}"
    );
    assert_eq!(
        up(&second, "tables_created") + up(&second, "table_users_added"),
        0
    );
    let last = env.user("fra-1", "100.64.1.30").unwrap().user;
    assert_eq!(status_name(&last.bgp_status), "down");

    // Without the table, as before.
    write_established(&sockets, &peers);
    let third = one_tick(&env, "fra-1", &sockets, &["--lookup-table", "never"]);
    assert_eq!(
        (
            up(&third, "updates"),
            up(&third, "submissions"),
            up(&third, "through_lookup_table")
        ),
        (30, 2, 0),
        "{third}"
    );

    // Closing: only its authority can; deactivated first, closed after the cool-down.
    env.fails(
        &env.activator,
        &["lookup-table", "close", "fra-1"],
        2,
        &["has no lookup tables for fra-1", "-k"],
    );
    let deactivated = env.ok(&env.publisher, &["lookup-table", "close", "fra-1"]);
    assert_eq!(
        deactivated["tables"][0]["action"], "deactivated",
        "{deactivated}"
    );
    assert!(deactivated["signature"].is_string());
    let waiting = env.ok(&env.publisher, &["lookup-table", "close", "fra-1"]);
    assert_eq!(waiting["tables"][0]["action"], "waiting", "{waiting}");
    assert_eq!(waiting["tables"][0]["status"], "deactivating");
    assert!(
        waiting.get("signature").is_none(),
        "nothing sent: {waiting}"
    );
    let rent = waiting["tables"][0]["lamports"].as_u64().unwrap();
    assert_eq!(
        rent, 8_407_680,
        "the rent of 32 addresses, as the README says"
    );
    env.ok(&env.admin, &["ledger", "warp", "--by", "4m"]);
    // (The test opens the ledger only between commands: an open ledger holds its lock.)
    let balance = || {
        env.cluster()
            .client()
            .get_balance(&env.publisher.pubkey)
            .unwrap()
    };
    let before = balance();
    let closed = env.ok(&env.publisher, &["lookup-table", "close", "fra-1"]);
    assert_eq!(closed["tables"][0]["action"], "closed", "{closed}");
    assert_eq!(
        balance(),
        before + rent - 5_000,
        "the rent back, less the fee"
    );
    assert!(env.cluster().account(&table).unwrap().is_none());
    let listed = env.ok(&env.publisher, &["lookup-table", "list", "fra-1"]);
    assert_eq!(listed["tables"], serde_json::json!([]));
}
