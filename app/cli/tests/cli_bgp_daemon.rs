//! A real BGP daemon end to end, as root: two network namespaces (the device's and its user's
//! router) joined by a veth pair addressed from the user's on-chain `tunnel_net`, Debian's
//! BIRD 2 running in each, and the `serviceability agent` binary reading the device's
//! namespace over netlink (`--netns`). The user's on-chain status follows the session: Up
//! once BIRD establishes it, Down a grace period after the peer's daemon is killed, Up again
//! after it restarts, Down again after the tunnel (the veth) disappears. A second user, whose
//! tunnel has no session, stays Down throughout. The agent's metrics count the sessions under
//! the namespace's name.
//!
//! Ignored by default (it needs root, iproute2 and `bird`); CI runs it as root with
//! `--ignored --nocapture`, and then a missing prerequisite is a failure, not a skip. Every
//! namespace and process it creates is removed on drop, so also when it fails.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{args, seat, Env};
use serviceability_client::types::BgpStatus;

const DEVICE: &str = "fra-1";
/// The user whose session BIRD establishes.
const USER: (&str, &str) = ("100.64.0.1", "169.254.7.0/31");
/// A user whose tunnel network has no session at all.
const IDLE_USER: (&str, &str) = ("100.64.0.2", "169.254.7.2/31");
const DEVICE_AS: u32 = 65000;
const USER_AS: u32 = 65001;
/// The agent's `--down-grace`, in whole seconds of the ledger's clock.
const GRACE_SECS: u64 = 3;
const INTERVAL: &str = "250ms";
/// The least real time between a session's end and its Down: the grace period counts whole
/// seconds of the ledger's clock (read at the start of a tick, just before the sessions), so
/// a Down may come a little over `GRACE_SECS - 1` seconds after the session ended; the margin
/// covers one tick's read.
const EARLIEST_DOWN: Duration = Duration::from_millis(GRACE_SECS * 1000 - 1500);
/// The veth ends: in the device's namespace, and in the user's.
const DEVICE_LINK: &str = "bgp0";
const USER_LINK: &str = "bgp1";
/// The BIRD protocol's name in both configurations.
const PROTOCOL: &str = "tunnel";

/// Prints a line of the test's timeline (seen in CI's log with `--nocapture`).
fn say(t0: Instant, line: &str) {
    println!("[{:6.2}s] {line}", t0.elapsed().as_secs_f64());
}

/// `name` on the `PATH`, or in the sbin directories a non-login root shell may lack.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The effective user id, from `/proc/self/status`.
fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// `ip`, `bird` and `birdc`; panics naming whatever is missing (run with --ignored, a
/// missing prerequisite is a failure: CI installs them).
fn prerequisites() -> (PathBuf, PathBuf, PathBuf) {
    let mut missing = Vec::new();
    if effective_uid() != Some(0) {
        missing.push(
            "root (network namespaces and veth pairs need CAP_SYS_ADMIN and CAP_NET_ADMIN)"
                .to_string(),
        );
    }
    let mut program = |name: &str, package: &str| {
        find_program(name).unwrap_or_else(|| {
            missing.push(format!("`{name}` (apt-get install -y {package})"));
            PathBuf::new()
        })
    };
    let found = (
        program("ip", "iproute2"),
        program("bird", "bird2"),
        program("birdc", "bird2"),
    );
    assert!(
        missing.is_empty(),
        "this test needs {}; it is #[ignore]d for that reason, and was run with --ignored",
        missing.join(", ")
    );
    found
}

/// Runs `ip ARGS`, panicking with its stderr when it fails.
fn ip(ip: &Path, args: &[&str]) {
    let output = Command::new(ip).args(args).output().expect("ip runs");
    assert!(
        output.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A named network namespace, deleted on drop.
struct Netns {
    ip: PathBuf,
    name: String,
}

impl Netns {
    /// Creates `name` (replacing a stale one left by a killed run of the same pid) with its
    /// loopback up.
    fn create(ip_path: &Path, name: String) -> Self {
        let _ = Command::new(ip_path)
            .args(["netns", "del", &name])
            .stderr(Stdio::null())
            .status();
        ip(ip_path, &["netns", "add", &name]);
        let netns = Netns {
            ip: ip_path.to_path_buf(),
            name,
        };
        ip(ip_path, &["-n", &netns.name, "link", "set", "lo", "up"]);
        netns
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new(&self.ip)
            .args(["netns", "del", &self.name])
            .status();
    }
}

/// Whether `ip netns list` shows `name`.
fn netns_exists(ip_path: &Path, name: &str) -> bool {
    let output = Command::new(ip_path)
        .args(["netns", "list"])
        .output()
        .expect("ip runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .any(|line| line.split_whitespace().next() == Some(name))
}

/// One router's BIRD: its configuration, control socket and log in the test's directory.
struct BirdConfig {
    /// `device` or `user`: names its files.
    role: &'static str,
    /// The namespace it runs in.
    netns: String,
    local: Ipv4Addr,
    local_as: u32,
    neighbor: Ipv4Addr,
    neighbor_as: u32,
    dir: PathBuf,
}

impl BirdConfig {
    fn config_path(&self) -> PathBuf {
        self.dir.join(format!("{}.conf", self.role))
    }

    fn socket_path(&self) -> PathBuf {
        self.dir.join(format!("{}.ctl", self.role))
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join(format!("{}.log", self.role))
    }

    /// A direct eBGP session with short timers, so it establishes (and re-establishes) in
    /// seconds; no routes are exchanged, only the session matters.
    fn write(&self) {
        let config = format!(
            "log stderr all;\n\
             router id {local};\n\
             debug protocols {{ states }};\n\
             protocol device {{ scan time 1; }}\n\
             protocol bgp {PROTOCOL} {{\n\
             \x20   local {local} as {local_as};\n\
             \x20   neighbor {neighbor} as {neighbor_as};\n\
             \x20   hold time 3;\n\
             \x20   keepalive time 1;\n\
             \x20   connect delay time 1;\n\
             \x20   connect retry time 1;\n\
             \x20   error wait time 1, 2;\n\
             \x20   ipv4 {{ import none; export none; }};\n\
             }}\n",
            local = self.local,
            local_as = self.local_as,
            neighbor = self.neighbor,
            neighbor_as = self.neighbor_as,
        );
        std::fs::write(self.config_path(), config).expect("BIRD config written");
    }
}

/// A running `bird -f` inside its namespace (`ip netns exec` execs it: the child is BIRD
/// itself), killed on drop.
struct Bird {
    child: Child,
    birdc: PathBuf,
    socket: PathBuf,
    log: PathBuf,
}

impl Bird {
    fn start(ip_path: &Path, bird: &Path, birdc: &Path, config: &BirdConfig) -> Self {
        let _ = std::fs::remove_file(config.socket_path());
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(config.log_path())
            .expect("BIRD log file");
        let child = Command::new(ip_path)
            .args(["netns", "exec", &config.netns])
            .arg(bird)
            .arg("-f")
            .arg("-c")
            .arg(config.config_path())
            .arg("-s")
            .arg(config.socket_path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("bird starts");
        Bird {
            child,
            birdc: birdc.to_path_buf(),
            socket: config.socket_path(),
            log: config.log_path(),
        }
    }

    /// The session's line of `birdc show protocols`, e.g. `tunnel BGP --- up 12:00:01.234
    /// Established` (or why there is none yet).
    fn protocol(&self) -> String {
        let output = Command::new(&self.birdc)
            .arg("-s")
            .arg(&self.socket)
            .args(["show", "protocols", PROTOCOL])
            .output()
            .expect("birdc runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        stdout
            .lines()
            .find(|line| line.starts_with(PROTOCOL))
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| format!("(no answer: {})", stdout.trim()))
    }

    fn established(&self) -> bool {
        self.protocol().ends_with("Established")
    }

    /// SIGKILL, as a crash would: the kernel closes its sockets.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

impl Drop for Bird {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The `serviceability agent` process, its JSON log lines collected (and the interesting
/// ones printed) by a thread; killed on drop if still running.
struct Agent {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
    metrics_address: String,
}

impl Agent {
    fn start(env: &Env, device_netns: &str, t0: Instant) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_serviceability"))
            .args(["-u", "embedded", "--ledger"])
            .arg(&env.ledger)
            .arg("-k")
            .arg(&env.publisher.path)
            .args(["--output", "json", "agent", "--device", DEVICE])
            .args(["--sockets", "netlink", "--netns", device_netns])
            .args(["--interval", INTERVAL])
            .args(["--down-grace", &format!("{GRACE_SECS}s")])
            .args(["--metrics-addr", "127.0.0.1:0"])
            .env("HOME", env.dir.path().join("home"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the agent starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (address_sender, address) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr is piped");
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            let mut last_tick = None;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let parsed: serde_json::Value =
                    serde_json::from_str(&line).unwrap_or(serde_json::Value::Null);
                let field = |name: &str| parsed[name].to_string();
                match parsed["message"].as_str().unwrap_or("") {
                    "metrics served" => {
                        let _ = address_sender.send(parsed["address"].as_str().map(String::from));
                        say(
                            t0,
                            &format!("agent: metrics served on {}", field("address")),
                        );
                    }
                    "status recorded" => say(
                        t0,
                        &format!(
                            "agent: status recorded: client_ip={} status={} reason={}",
                            field("client_ip"),
                            field("status"),
                            field("reason")
                        ),
                    ),
                    "tick" => {
                        // Only when what it sees changes.
                        let seen = (field("up"), field("down"), field("in_grace"));
                        if last_tick.as_ref() != Some(&seen) {
                            say(
                                t0,
                                &format!(
                                    "agent: tick {}: up={} down={} in_grace={}",
                                    field("tick"),
                                    seen.0,
                                    seen.1,
                                    seen.2
                                ),
                            );
                            last_tick = Some(seen);
                        }
                    }
                    "agent started" | "transaction landed" => {}
                    _ => say(t0, &format!("agent: {line}")),
                }
                lines.lock().unwrap().push(line);
            }
        });
        let metrics_address = address
            .recv_timeout(Duration::from_secs(30))
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                panic!(
                    "the agent did not serve its metrics; its log:\n{}",
                    log.lock().unwrap().join("\n")
                )
            });
        Agent {
            child,
            log,
            metrics_address,
        }
    }

    fn log_tail(&self) -> String {
        let log = self.log.lock().unwrap();
        log[log.len().saturating_sub(20)..].join("\n")
    }

    /// `GET /metrics`.
    fn metrics(&self) -> String {
        let mut stream =
            std::net::TcpStream::connect(&self.metrics_address).expect("the metrics server");
        write!(stream, "GET /metrics HTTP/1.0\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_string())
            .unwrap_or_default()
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn status_name(status: &BgpStatus) -> &'static str {
    match status {
        BgpStatus::Unknown => "unknown",
        BgpStatus::Up => "up",
        BgpStatus::Down => "down",
    }
}

/// Everything the test runs. Fields drop in order: the agent, the daemons, then the
/// namespaces, then the ledger's directory.
struct Lab {
    agent: Option<Agent>,
    device_bird: Bird,
    user_bird: Option<Bird>,
    device_netns: Netns,
    user_netns: Netns,
    env: Env,
    t0: Instant,
}

impl Lab {
    fn status(&self, (client_ip, _): (&str, &str)) -> &'static str {
        status_name(
            &self
                .env
                .user(DEVICE, client_ip)
                .expect("the user exists")
                .user
                .bgp_status,
        )
    }

    /// What a failure message needs: both sessions as BIRD sees them, the on-chain statuses,
    /// the agent's last log lines and BIRD's.
    fn diagnostics(&self) -> String {
        format!(
            "device BIRD: {}\nuser BIRD: {}\non chain: user {} idle user {}\nagent log:\n{}\n\
             device BIRD log:\n{}\nuser BIRD log:\n{}",
            self.device_bird.protocol(),
            self.user_bird
                .as_ref()
                .map_or("(stopped)".to_string(), Bird::protocol),
            self.status(USER),
            self.status(IDLE_USER),
            self.agent.as_ref().map_or(String::new(), Agent::log_tail),
            self.device_bird.log_tail(),
            self.user_bird
                .as_ref()
                .map_or(String::new(), Bird::log_tail),
        )
    }

    /// Polls `done` until it holds, for at most `timeout`; meanwhile the agent must keep
    /// running and the idle user must never be Up. Returns how long it took from `since`.
    #[track_caller]
    fn wait_for(
        &mut self,
        what: &str,
        since: Instant,
        timeout: Duration,
        mut done: impl FnMut(&Lab) -> bool,
    ) -> Duration {
        let started = Instant::now();
        loop {
            if let Some(agent) = self.agent.as_mut() {
                if let Ok(Some(exit)) = agent.child.try_wait() {
                    panic!(
                        "the agent exited ({exit}) while waiting for {what}\n{}",
                        self.diagnostics()
                    );
                }
            }
            assert_ne!(
                self.status(IDLE_USER),
                "up",
                "the idle user has no session\n{}",
                self.diagnostics()
            );
            if done(self) {
                let took = since.elapsed();
                say(
                    self.t0,
                    &format!("{what} ({:.2}s after its cause)", took.as_secs_f64()),
                );
                return took;
            }
            if started.elapsed() > timeout {
                panic!(
                    "timed out after {timeout:?} waiting for {what}\n{}",
                    self.diagnostics()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
#[ignore = "needs root, ip netns and Debian's bird2: run as root with --ignored (CI does)"]
fn a_bird_session_across_namespaces_is_reported_up_and_down() {
    let (ip_path, bird, birdc) = prerequisites();
    let t0 = Instant::now();

    // The ledger: a device and two users; the addresses come from the user's tunnel network
    // as the program stored it (the device side is the network address, the peer the
    // program's BGP peer address).
    let env = Env::with_device(DEVICE, 10);
    for (client_ip, tunnel_net) in [USER, IDLE_USER] {
        env.ok(
            &env.activator,
            &args(&[
                &["user", "create"],
                &seat(DEVICE, client_ip),
                &["--tunnel-net", tunnel_net],
            ]),
        );
    }
    let tunnel = env
        .user(DEVICE, USER.0)
        .expect("the user exists")
        .user
        .tunnel_net;
    assert_eq!(tunnel.prefix_len, 31, "{tunnel}");
    let (device_ip, peer_ip) = (tunnel.network_ip(), tunnel.bgp_peer_ip());
    say(
        t0,
        &format!("ledger: device {DEVICE}, user {} on {tunnel}: device side {device_ip}, BGP peer {peer_ip}; idle user {} on {}", USER.0, IDLE_USER.0, IDLE_USER.1),
    );

    // Two namespaces and the veth pair between them.
    let pid = std::process::id();
    let device_netns = Netns::create(&ip_path, format!("svc-bgp-{pid}-dev"));
    let user_netns = Netns::create(&ip_path, format!("svc-bgp-{pid}-user"));
    ip(
        &ip_path,
        &[
            "-n",
            &device_netns.name,
            "link",
            "add",
            DEVICE_LINK,
            "type",
            "veth",
            "peer",
            "name",
            USER_LINK,
            "netns",
            &user_netns.name,
        ],
    );
    for (netns, link, address) in [
        (&device_netns, DEVICE_LINK, device_ip),
        (&user_netns, USER_LINK, peer_ip),
    ] {
        let cidr = format!("{address}/{}", tunnel.prefix_len);
        ip(
            &ip_path,
            &["-n", &netns.name, "addr", "add", &cidr, "dev", link],
        );
        ip(&ip_path, &["-n", &netns.name, "link", "set", link, "up"]);
    }
    say(
        t0,
        &format!(
            "namespaces {} ({DEVICE_LINK} {device_ip}/31) and {} ({USER_LINK} {peer_ip}/31), joined by a veth pair",
            device_netns.name, user_netns.name
        ),
    );

    // BIRD in each.
    let bird_dir = env.dir.path().join("bird");
    std::fs::create_dir_all(&bird_dir).unwrap();
    let device_config = BirdConfig {
        role: "device",
        netns: device_netns.name.clone(),
        local: device_ip,
        local_as: DEVICE_AS,
        neighbor: peer_ip,
        neighbor_as: USER_AS,
        dir: bird_dir.clone(),
    };
    let user_config = BirdConfig {
        role: "user",
        netns: user_netns.name.clone(),
        local: peer_ip,
        local_as: USER_AS,
        neighbor: device_ip,
        neighbor_as: DEVICE_AS,
        dir: bird_dir,
    };
    device_config.write();
    user_config.write();
    let started = Instant::now();
    let device_bird = Bird::start(&ip_path, &bird, &birdc, &device_config);
    let user_bird = Bird::start(&ip_path, &bird, &birdc, &user_config);
    let mut lab = Lab {
        agent: None,
        device_bird,
        user_bird: Some(user_bird),
        device_netns,
        user_netns,
        env,
        t0,
    };
    let both_established =
        |lab: &Lab| lab.device_bird.established() && lab.user_bird.as_ref().unwrap().established();
    lab.wait_for(
        "BGP session established (both BIRDs)",
        started,
        Duration::from_secs(30),
        both_established,
    );
    say(t0, &format!("device BIRD: {}", lab.device_bird.protocol()));
    say(
        t0,
        &format!(
            "user BIRD:   {}",
            lab.user_bird.as_ref().unwrap().protocol()
        ),
    );

    // The agent, reading the device's namespace.
    let started = Instant::now();
    lab.agent = Some(Agent::start(&lab.env, &lab.device_netns.name, t0));
    lab.wait_for(
        "user Up on chain",
        started,
        Duration::from_secs(30),
        |lab| lab.status(USER) == "up",
    );
    let grace = Duration::from_secs(GRACE_SECS);
    lab.wait_for(
        "idle user Down on chain, after the grace period",
        started,
        grace + Duration::from_secs(30),
        |lab| lab.status(IDLE_USER) == "down",
    );
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

    // The peer's daemon dies: Down, but only once the grace period has passed.
    let killed = Instant::now();
    lab.user_bird.as_mut().unwrap().kill();
    lab.user_bird = None;
    say(t0, "killed the user's BIRD (SIGKILL)");
    lab.wait_for(
        "device BIRD no longer Established",
        killed,
        Duration::from_secs(15),
        |lab| !lab.device_bird.established(),
    );
    say(t0, &format!("device BIRD: {}", lab.device_bird.protocol()));
    // Within the grace period the chain still says Up.
    std::thread::sleep(
        (killed + EARLIEST_DOWN - Duration::from_millis(500))
            .saturating_duration_since(Instant::now()),
    );
    assert_eq!(
        lab.status(USER),
        "up",
        "Down before the grace period\n{}",
        lab.diagnostics()
    );
    let down = lab.wait_for(
        "user Down on chain after the peer's BIRD stopped",
        killed,
        grace + Duration::from_secs(30),
        |lab| lab.status(USER) == "down",
    );
    assert!(
        down >= EARLIEST_DOWN,
        "Down after {down:?}, within the {GRACE_SECS}s grace period"
    );

    // The peer's daemon comes back: Up again.
    let restarted = Instant::now();
    lab.user_bird = Some(Bird::start(&ip_path, &bird, &birdc, &user_config));
    say(t0, "restarted the user's BIRD");
    lab.wait_for(
        "BGP session re-established",
        restarted,
        Duration::from_secs(30),
        both_established,
    );
    lab.wait_for(
        "user Up on chain again",
        restarted,
        Duration::from_secs(30),
        |lab| lab.status(USER) == "up",
    );

    // The tunnel vanishes: Down again after the grace period.
    let deleted = Instant::now();
    ip(
        &ip_path,
        &["-n", &lab.device_netns.name, "link", "del", DEVICE_LINK],
    );
    say(t0, &format!("deleted the veth pair ({DEVICE_LINK})"));
    lab.wait_for(
        "device BIRD no longer Established",
        deleted,
        Duration::from_secs(15),
        |lab| !lab.device_bird.established(),
    );
    say(t0, &format!("device BIRD: {}", lab.device_bird.protocol()));
    let down = lab.wait_for(
        "user Down on chain after the veth was deleted",
        deleted,
        grace + Duration::from_secs(30),
        |lab| lab.status(USER) == "down",
    );
    assert!(
        down >= EARLIEST_DOWN,
        "Down after {down:?}, within the {GRACE_SECS}s grace period"
    );
    assert_eq!(lab.status(IDLE_USER), "down");

    // The agent stops cleanly, having written exactly the five changes.
    let mut agent = lab.agent.take().unwrap();
    let status = Command::new("kill")
        .args(["-TERM", &agent.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = agent.child.wait().unwrap();
    let mut stdout = String::new();
    agent
        .child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(exit.success(), "{exit}\n{}", agent.log_tail());
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON report");
    say(t0, &format!("agent stopped: {}", report["counters"]));
    assert_eq!(
        report["counters"]["updates"], 5,
        "user Up, idle Down, user Down, Up, Down: {report}"
    );
    assert_eq!(report["counters"]["failures"], 0, "{report}");
    assert_eq!(report["counters"]["read_errors"], 0, "{report}");

    // Cleanup, checked: no BIRD left, no namespace left.
    let pids = [
        lab.device_bird.child.id(),
        lab.user_bird.as_ref().unwrap().child.id(),
    ];
    let names = [lab.device_netns.name.clone(), lab.user_netns.name.clone()];
    drop(agent);
    drop(lab);
    for pid in pids {
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "BIRD {pid} outlived the test"
        );
    }
    for name in &names {
        assert!(
            !netns_exists(&ip_path, name),
            "namespace {name} left behind"
        );
    }
    say(t0, "cleaned up: both BIRDs gone, both namespaces deleted");
}
