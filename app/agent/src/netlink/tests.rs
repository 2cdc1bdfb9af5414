//! Real sockets, read back from the kernel: in this namespace, and (as root, with iproute2)
//! in a network namespace created for the test.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::Command;

use super::*;

/// A listener on `address` and one established connection to it, kept open while held.
fn session(address: &str) -> (TcpListener, TcpStream, TcpStream, u16) {
    let listener = TcpListener::bind(address).unwrap();
    let port = listener.local_addr().unwrap().port();
    let client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (server, _) = listener.accept().unwrap();
    (listener, client, server, port)
}

#[test]
fn an_established_session_on_the_port_is_seen_from_either_end() {
    let (_listener, _client, _server, port) = session("127.0.0.1:0");
    let peers = established_peers(port).unwrap();
    assert!(peers.contains(&Ipv4Addr::LOCALHOST), "{peers:?}");
    // A port with a listener and no session: nothing established on it.
    let idle = TcpListener::bind("127.0.0.1:0").unwrap();
    let idle_port = idle.local_addr().unwrap().port();
    assert!(established_peers(idle_port).unwrap().is_empty());
}

#[test]
fn an_established_session_carries_the_kernels_rtt_sample() {
    use std::io::{Read, Write};
    let (_listener, mut client, mut server, port) = session("127.0.0.1:0");
    // A round trip gives the kernel an RTT sample.
    client.write_all(b"ping").unwrap();
    let mut buffer = [0u8; 4];
    server.read_exact(&mut buffer).unwrap();
    server.write_all(b"pong").unwrap();
    client.read_exact(&mut buffer).unwrap();
    let sessions = established_sessions(port).unwrap();
    let rtt_ns = sessions[&Ipv4Addr::LOCALHOST].expect("an RTT sample");
    // Loopback: more than nothing, far less than a second; whole microseconds.
    assert!(rtt_ns > 0 && rtt_ns < 1_000_000_000, "{rtt_ns} ns");
    assert_eq!(rtt_ns % 1_000, 0, "the kernel keeps microseconds");
}

#[test]
fn a_dual_stack_listener_shows_its_ipv4_peer_as_ipv4() {
    // Served by an IPv6 socket, the IPv4 client appears as ::ffff:127.0.0.1.
    let Ok(listener) = TcpListener::bind("[::]:0") else {
        eprintln!("skipped: no IPv6 on this host");
        return;
    };
    let port = listener.local_addr().unwrap().port();
    let _client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (_server, from) = listener.accept().unwrap();
    assert!(from.is_ipv6(), "{from}");
    assert!(established_peers(port)
        .unwrap()
        .contains(&Ipv4Addr::LOCALHOST));
}

/// A named network namespace for one test, deleted on drop.
struct Netns(String);

impl Netns {
    fn create(name: &str) -> Self {
        let ip = |args: &[&str]| {
            let status = Command::new("ip").args(args).status().expect("iproute2");
            assert!(status.success(), "ip {args:?}");
        };
        let _ = Command::new("ip")
            .args(["netns", "del", name])
            .stderr(std::process::Stdio::null())
            .status();
        ip(&["netns", "add", name]);
        let netns = Netns(name.to_string());
        ip(&["-n", name, "link", "set", "lo", "up"]);
        netns
    }

    fn path(&self) -> PathBuf {
        Path::new(NETNS_DIR).join(&self.0)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

#[test]
#[ignore = "needs root and iproute2 (`ip netns`): CI runs it as root with --ignored"]
fn a_session_in_another_namespace_is_read_there_and_only_there() {
    let netns = Netns::create(&format!("svc-agent-test-{}", std::process::id()));
    // Open the session inside the namespace, on a thread of its own.
    let path = netns.path();
    let (port_sender, port) = std::sync::mpsc::channel();
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let file = File::open(path).unwrap();
        nix::sched::setns(&file, nix::sched::CloneFlags::CLONE_NEWNET).unwrap();
        let (_listener, _client, _server, port) = session("127.0.0.1:0");
        port_sender.send(port).unwrap();
        let _ = wait.recv();
    });
    let port = port.recv().unwrap();
    let inside = established_sessions_in(&netns.path(), port).unwrap();
    assert!(inside.contains_key(&Ipv4Addr::LOCALHOST), "{inside:?}");
    let own = established_peers(port).unwrap();
    assert!(
        own.is_empty(),
        "the agent's namespace has no such session: {own:?}"
    );
    assert!(named_namespaces()
        .unwrap()
        .iter()
        .any(|(name, _)| *name == netns.0));
    drop(done);
    holder.join().unwrap();
    // Gone: reading it is NotFound, which the agent logs and skips.
    let path = netns.path();
    drop(netns);
    let gone = established_sessions_in(&path, port).unwrap_err();
    assert_eq!(gone.kind(), io::ErrorKind::NotFound);
}
