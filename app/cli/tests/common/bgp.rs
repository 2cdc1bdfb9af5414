//! A real BGP session for the agent to see: two network namespaces (the device's and its
//! user's router) joined by a veth pair addressed from the user's on-chain `tunnel_net`,
//! Debian's BIRD 2 in each, and the `serviceability agent` binary reading the device's
//! namespace over netlink (`--netns`). Used by `cli_bgp_daemon.rs` on an embedded ledger and
//! by the validator suite on `solana-test-validator`. Everything it creates is removed on
//! drop, so also when a test fails; it needs root, iproute2 and `bird`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serviceability_client::types::BgpStatus;
use serviceability_test_validator::find_program;

use super::Env;

/// The device's and the user's autonomous systems.
const DEVICE_AS: u32 = 65000;
const USER_AS: u32 = 65001;
/// The agent's `--down-grace`, in whole seconds of the chain's clock.
pub const GRACE_SECS: u64 = 3;
/// The agent's `--interval`.
const INTERVAL: &str = "250ms";
/// The least real time between a session's end and its Down: the grace period counts whole
/// seconds of the chain's clock (read at the start of a tick, just before the sessions), so
/// a Down may come a little over `GRACE_SECS - 1` seconds after the session ended; the margin
/// covers one tick's read.
pub const EARLIEST_DOWN: Duration = Duration::from_millis(GRACE_SECS * 1000 - 1500);
/// The veth ends: in the device's namespace, and in the user's.
const DEVICE_LINK: &str = "bgp0";
const USER_LINK: &str = "bgp1";
/// The BIRD protocol's name in both configurations.
const PROTOCOL: &str = "tunnel";

/// Prints a line of the test's timeline (seen in CI's log with `--nocapture`).
pub fn say(t0: Instant, line: &str) {
    println!("[{:6.2}s] {line}", t0.elapsed().as_secs_f64());
}

/// The effective user id, from `/proc/self/status`.
pub fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// `ip`, `bird` and `birdc`; panics naming whatever is missing (run with --ignored, a
/// missing prerequisite is a failure: CI installs them).
pub fn prerequisites() -> (PathBuf, PathBuf, PathBuf) {
    let missing = missing_prerequisites();
    assert!(
        missing.is_empty(),
        "this test needs {}; it is #[ignore]d for that reason, and was run with --ignored",
        missing.join(", ")
    );
    let found = |name| find_program(name).expect("checked above");
    (found("ip"), found("bird"), found("birdc"))
}

/// What this machine lacks for a BGP lab: root, `ip`, `bird`, `birdc` (empty: nothing).
pub fn missing_prerequisites() -> Vec<String> {
    let mut missing = Vec::new();
    if effective_uid() != Some(0) {
        missing.push(
            "root (network namespaces and veth pairs need CAP_SYS_ADMIN and CAP_NET_ADMIN)"
                .to_string(),
        );
    }
    for (name, package) in [("ip", "iproute2"), ("bird", "bird2"), ("birdc", "bird2")] {
        if find_program(name).is_none() {
            missing.push(format!("`{name}` (apt-get install -y {package})"));
        }
    }
    missing
}

/// Runs `ip ARGS`, panicking with its stderr when it fails.
pub fn ip(ip: &Path, args: &[&str]) {
    let output = Command::new(ip).args(args).output().expect("ip runs");
    assert!(
        output.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A named network namespace, deleted on drop.
pub struct Netns {
    ip: PathBuf,
    /// Its name (`ip netns list`).
    pub name: String,
}

impl Netns {
    /// Creates `name` (replacing a stale one left by a killed run of the same pid) with its
    /// loopback up.
    pub fn create(ip_path: &Path, name: String) -> Self {
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
pub fn netns_exists(name: &str) -> bool {
    let ip_path = find_program("ip").expect("ip is installed");
    let output = Command::new(ip_path)
        .args(["netns", "list"])
        .output()
        .expect("ip runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .any(|line| line.split_whitespace().next() == Some(name))
}

/// One router's BIRD: its configuration, control socket and log in the test's directory.
pub struct BirdConfig {
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
    pub fn write(&self) {
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
pub struct Bird {
    child: Child,
    birdc: PathBuf,
    socket: PathBuf,
    log: PathBuf,
}

impl Bird {
    pub fn start(ip_path: &Path, bird: &Path, birdc: &Path, config: &BirdConfig) -> Self {
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
    pub fn protocol(&self) -> String {
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

    pub fn established(&self) -> bool {
        self.protocol().ends_with("Established")
    }

    /// SIGKILL, as a crash would: the kernel closes its sockets.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn log_tail(&self) -> String {
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
pub struct Agent {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
    metrics_address: String,
}

impl Agent {
    /// Starts `serviceability agent` for `device` on `env`'s cluster, signed by its metrics
    /// publisher, reading the sockets of `device_netns` over netlink.
    pub fn start(env: &Env, device: &str, device_netns: &str, t0: Instant) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_serviceability"))
            .args(env.cluster_args())
            .arg("-k")
            .arg(&env.publisher.path)
            .args(["--output", "json", "agent", "--device", device])
            .args(["--sockets", "netlink", "--netns", device_netns])
            .args(["--interval", INTERVAL])
            .args(["--down-grace", &format!("{GRACE_SECS}s")])
            // The RTT goes with every status report, never alone (a new session's smoothed
            // RTT settles over its first seconds): the tests count status changes exactly.
            .args(["--rtt-change-min", "1h"])
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

    pub fn log_tail(&self) -> String {
        let log = self.log.lock().unwrap();
        log[log.len().saturating_sub(20)..].join("\n")
    }

    /// `GET /metrics`.
    pub fn metrics(&self) -> String {
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

pub fn status_name(status: &BgpStatus) -> &'static str {
    match status {
        BgpStatus::Unknown => "unknown",
        BgpStatus::Up => "up",
        BgpStatus::Down => "down",
    }
}

/// Everything a BGP scenario runs. Fields drop in order: the agent, the daemons, then the
/// namespaces, then the ledger's directory.
pub struct Lab {
    /// The agent, once started.
    pub agent: Option<Agent>,
    /// BIRD in the device's namespace.
    pub device_bird: Bird,
    /// BIRD in the user's namespace, while it runs.
    pub user_bird: Option<Bird>,
    /// The device's namespace (the agent reads its sockets).
    pub device_netns: Netns,
    /// The user's router's namespace.
    pub user_netns: Netns,
    /// The ledger or cluster and the roles.
    pub env: Env,
    /// When the scenario started (the timeline's zero).
    pub t0: Instant,
    /// The device's code.
    pub device: String,
    /// The user with a session: client IP and tunnel network.
    pub user: (String, String),
    /// A user with no session.
    pub idle_user: (String, String),
    /// The user's BIRD, to start it again.
    user_config: BirdConfig,
    tools: Tools,
}

/// `ip`, `bird`, `birdc`.
struct Tools {
    ip: PathBuf,
    bird: PathBuf,
    birdc: PathBuf,
}

impl Lab {
    /// On `env`: both users created on `device` (the activator signs), then two namespaces
    /// joined by a veth pair addressed from `user`'s tunnel network as the program stored it
    /// (the device side is the network address, the peer the program's BGP peer address),
    /// BIRD in each, the session established. Panics, naming what is missing, without root,
    /// `ip` or BIRD.
    pub fn with_users(
        env: Env,
        device: &str,
        user: (&str, &str),
        idle_user: (&str, &str),
        t0: Instant,
    ) -> Lab {
        let (ip_path, bird, birdc) = prerequisites();
        for (client_ip, tunnel_net) in [user, idle_user] {
            env.ok(
                &env.activator,
                &super::args(&[
                    &["user", "create"],
                    &super::seat(device, client_ip),
                    &["--tunnel-net", tunnel_net],
                ]),
            );
        }
        let tunnel = env
            .user(device, user.0)
            .expect("the user exists")
            .user
            .tunnel_net;
        assert_eq!(tunnel.prefix_len, 31, "{tunnel}");
        let (device_ip, peer_ip) = (tunnel.network_ip(), tunnel.bgp_peer_ip());
        say(
            t0,
            &format!(
                "chain: device {device}, user {} on {tunnel}: device side {device_ip}, BGP peer \
                 {peer_ip}; idle user {} on {}",
                user.0, idle_user.0, idle_user.1
            ),
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
                "namespaces {} ({DEVICE_LINK} {device_ip}/31) and {} ({USER_LINK} {peer_ip}/31), \
                 joined by a veth pair",
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
            device: device.to_string(),
            user: (user.0.to_string(), user.1.to_string()),
            idle_user: (idle_user.0.to_string(), idle_user.1.to_string()),
            user_config,
            tools: Tools {
                ip: ip_path,
                bird,
                birdc,
            },
        };
        lab.wait_for(
            "BGP session established (both BIRDs)",
            started,
            Duration::from_secs(30),
            Lab::both_established,
        );
        say(t0, &format!("device BIRD: {}", lab.device_bird.protocol()));
        say(
            t0,
            &format!(
                "user BIRD:   {}",
                lab.user_bird.as_ref().unwrap().protocol()
            ),
        );
        lab
    }

    /// Starts the agent and waits until the chain says what it sees: the user Up, then the
    /// idle user Down once the grace period has passed.
    pub fn start_agent_until_settled(&mut self) {
        let started = Instant::now();
        self.start_agent();
        self.wait_for(
            "user Up on chain",
            started,
            Duration::from_secs(30),
            |lab| lab.user_status() == "up",
        );
        self.wait_for(
            "idle user Down on chain, after the grace period",
            started,
            Duration::from_secs(GRACE_SECS + 30),
            |lab| lab.idle_status() == "down",
        );
    }

    /// Whether both BIRDs report the session established.
    pub fn both_established(&self) -> bool {
        self.device_bird.established()
            && self
                .user_bird
                .as_ref()
                .is_some_and(|bird| bird.established())
    }

    /// Starts the agent, reading the device's namespace.
    pub fn start_agent(&mut self) {
        self.agent = Some(Agent::start(
            &self.env,
            &self.device,
            &self.device_netns.name,
            self.t0,
        ));
    }

    /// Kills the user's BIRD (SIGKILL, as a crash would: the kernel closes its sockets).
    pub fn kill_user_bird(&mut self) {
        if let Some(mut bird) = self.user_bird.take() {
            bird.kill();
        }
        say(self.t0, "killed the user's BIRD (SIGKILL)");
    }

    /// Starts the user's BIRD again.
    pub fn restart_user_bird(&mut self) {
        self.user_bird = Some(Bird::start(
            &self.tools.ip,
            &self.tools.bird,
            &self.tools.birdc,
            &self.user_config,
        ));
        say(self.t0, "restarted the user's BIRD");
    }

    /// Deletes the veth pair: the tunnel vanishes.
    pub fn delete_veth(&mut self) {
        ip(
            &self.tools.ip,
            &["-n", &self.device_netns.name, "link", "del", DEVICE_LINK],
        );
        say(self.t0, &format!("deleted the veth pair ({DEVICE_LINK})"));
    }

    /// The on-chain status of the user with the session.
    pub fn user_status(&self) -> &'static str {
        self.status(&self.user.0)
    }

    /// The on-chain RTT of the user with a session, nanoseconds (0: no sample).
    pub fn user_rtt_ns(&self) -> u64 {
        self.env
            .user(&self.device, &self.user.0)
            .expect("the user exists")
            .user
            .bgp_rtt_ns
    }

    /// The on-chain status of the user without one.
    pub fn idle_status(&self) -> &'static str {
        self.status(&self.idle_user.0)
    }

    fn status(&self, client_ip: &str) -> &'static str {
        status_name(
            &self
                .env
                .user(&self.device, client_ip)
                .expect("the user exists")
                .user
                .bgp_status,
        )
    }

    /// What a failure message needs: both sessions as BIRD sees them, the on-chain statuses,
    /// the agent's last log lines and BIRD's.
    pub fn diagnostics(&self) -> String {
        format!(
            "device BIRD: {}\nuser BIRD: {}\non chain: user {} idle user {}\nagent log:\n{}\n\
             device BIRD log:\n{}\nuser BIRD log:\n{}",
            self.device_bird.protocol(),
            self.user_bird
                .as_ref()
                .map_or("(stopped)".to_string(), Bird::protocol),
            self.user_status(),
            self.idle_status(),
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
    pub fn wait_for(
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
                self.idle_status(),
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

    /// After `cause` (the peer's daemon killed, the tunnel deleted) at `since`: the device's
    /// BIRD loses the session, the chain still says Up within the grace period, then Down,
    /// no sooner than [`EARLIEST_DOWN`].
    #[track_caller]
    pub fn assert_down_after_grace(&mut self, cause: &str, since: Instant) {
        self.wait_for(
            "device BIRD no longer Established",
            since,
            Duration::from_secs(15),
            |lab| !lab.device_bird.established(),
        );
        say(
            self.t0,
            &format!("device BIRD: {}", self.device_bird.protocol()),
        );
        std::thread::sleep(
            (since + EARLIEST_DOWN - Duration::from_millis(500))
                .saturating_duration_since(Instant::now()),
        );
        assert_eq!(
            self.user_status(),
            "up",
            "Down before the grace period\n{}",
            self.diagnostics()
        );
        let down = self.wait_for(
            &format!("user Down on chain after {cause}"),
            since,
            Duration::from_secs(GRACE_SECS + 30),
            |lab| lab.user_status() == "down",
        );
        assert!(
            down >= EARLIEST_DOWN,
            "Down after {down:?}, within the {GRACE_SECS}s grace period"
        );
    }

    /// The processes and namespaces the lab made: BIRDs' pids, namespaces' names.
    pub fn resources(&self) -> (Vec<u32>, Vec<String>) {
        let pids = [Some(&self.device_bird), self.user_bird.as_ref()]
            .into_iter()
            .flatten()
            .map(|bird| bird.child.id())
            .collect();
        let names = vec![self.device_netns.name.clone(), self.user_netns.name.clone()];
        (pids, names)
    }

    /// Stops the agent with SIGTERM and returns its JSON report (its counters).
    pub fn stop_agent(&mut self) -> serde_json::Value {
        let mut agent = self.agent.take().expect("the agent runs");
        let status = Command::new("kill")
            .args(["-TERM", &agent.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "SIGTERM sent");
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
        say(self.t0, &format!("agent stopped: {}", report["counters"]));
        report
    }
}
