//! The host's established BGP sessions, per network namespace: from the kernel over netlink
//! (`crate::netlink`, in the agent's own network namespace or in named ones), or from Linux's
//! `/proc/net/tcp` and `/proc/net/tcp6` (the reader's namespace only), or a file in the same
//! format (counted as the agent's own namespace).
//!
//! Each table line is `sl local_address rem_address st …`, addresses as `ADDR:PORT` in hex.
//! An IPv4 address is the kernel's 32-bit word printed as a native-endian integer; an IPv6
//! address is four such words. BGP over IPv4 may appear in `tcp6` as an IPv4-mapped address
//! (`::ffff:a.b.c.d`) when the daemon listens on a dual-stack socket.

use std::collections::{HashMap, HashSet};
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

/// The `st` value of an ESTABLISHED socket.
const ESTABLISHED: &str = "01";

/// The name the agent's own network namespace goes by in [`Sessions`] (and the metrics).
pub const OWN_NAMESPACE: &str = "own";

/// The IPv4 peers of the established sessions, per network namespace read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sessions {
    /// Each namespace read, by name (its `ip netns` name, or [`OWN_NAMESPACE`]), with the
    /// peers seen there, in the order read. A named namespace that was gone is not listed.
    pub by_namespace: Vec<(String, HashSet<Ipv4Addr>)>,
    /// The smoothed RTT of each peer's session in nanoseconds, where the source has one
    /// (netlink: the kernel's `tcpi_rtt`; the tables have none).
    pub rtt_ns: HashMap<Ipv4Addr, u64>,
}

impl Sessions {
    /// `peers`, seen in the agent's own namespace.
    pub fn own(peers: HashSet<Ipv4Addr>) -> Self {
        Sessions {
            by_namespace: vec![(OWN_NAMESPACE.to_string(), peers)],
            rtt_ns: HashMap::new(),
        }
    }

    /// Adds a namespace's peers with their RTT samples (the first sample of a peer seen in
    /// several namespaces stands).
    pub fn add(&mut self, namespace: &str, peers: HashMap<Ipv4Addr, Option<u64>>) {
        for (peer, rtt_ns) in &peers {
            if let Some(rtt_ns) = rtt_ns {
                self.rtt_ns.entry(*peer).or_insert(*rtt_ns);
            }
        }
        self.by_namespace
            .push((namespace.to_string(), peers.into_keys().collect()));
    }

    /// The peers seen in any namespace: what the decisions use.
    pub fn union(&self) -> HashSet<Ipv4Addr> {
        self.by_namespace
            .iter()
            .flat_map(|(_, peers)| peers.iter().copied())
            .collect()
    }
}

/// Where the sessions come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SocketSource {
    /// The kernel's `sock_diag` over netlink, in these network namespaces.
    Netlink(Namespaces),
    /// `/proc/net/tcp` and `/proc/net/tcp6` (the latter may be absent).
    Proc,
    /// A file in the same format (either table, or both concatenated).
    File(PathBuf),
}

/// The network namespaces whose sessions count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Namespaces {
    /// The agent's own.
    Own,
    /// These named ones (`ip netns` names, under `/var/run/netns`).
    Named(Vec<String>),
    /// The agent's own and every named one, listed afresh on each read.
    All,
}

impl SocketSource {
    /// Parses `netlink`, `proc` or a path (`netlink` reads the agent's own namespace).
    pub fn parse(value: &str) -> Self {
        match value {
            "netlink" => SocketSource::Netlink(Namespaces::Own),
            "proc" => SocketSource::Proc,
            path => SocketSource::File(PathBuf::from(path)),
        }
    }

    /// The IPv4 peers of every established TCP session with `port` at either end, per
    /// namespace read (a table, `/proc`'s or a file, is the agent's own). A named namespace
    /// that has disappeared is logged and skipped.
    pub fn established_sessions(&self, port: u16) -> io::Result<Sessions> {
        match self {
            SocketSource::Netlink(namespaces) => netlink_sessions(namespaces, port),
            SocketSource::Proc | SocketSource::File(_) => {
                Ok(Sessions::own(established_peers(&self.read()?, port)))
            }
        }
    }

    /// The table text (for netlink: none).
    pub fn read(&self) -> io::Result<String> {
        match self {
            SocketSource::Netlink(_) => Ok(String::new()),
            SocketSource::File(path) => std::fs::read_to_string(path),
            SocketSource::Proc => {
                let mut text = std::fs::read_to_string("/proc/net/tcp")?;
                match std::fs::read_to_string("/proc/net/tcp6") {
                    Ok(tcp6) => text.push_str(&tcp6),
                    Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                    Err(error) => return Err(error),
                }
                Ok(text)
            }
        }
    }
}

#[cfg(target_os = "linux")]
fn netlink_sessions(namespaces: &Namespaces, port: u16) -> io::Result<Sessions> {
    use crate::netlink;
    let named = match namespaces {
        Namespaces::Own => {
            let mut sessions = Sessions::default();
            sessions.add(OWN_NAMESPACE, netlink::established_sessions(port)?);
            return Ok(sessions);
        }
        Namespaces::Named(names) => names
            .iter()
            .map(|name| (name.clone(), Path::new(netlink::NETNS_DIR).join(name)))
            .collect(),
        Namespaces::All => netlink::named_namespaces()?,
    };
    let mut sessions = Sessions::default();
    if *namespaces == Namespaces::All {
        sessions.add(OWN_NAMESPACE, netlink::established_sessions(port)?);
    }
    for (name, path) in named {
        match netlink::established_sessions_in(&path, port) {
            Ok(found) => sessions.add(&name, found),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                tracing::warn!(namespace = %name, "network namespace gone; skipped");
            }
            Err(error) => {
                return Err(io::Error::new(
                    error.kind(),
                    format!("network namespace {name}: {error}"),
                ))
            }
        }
    }
    Ok(sessions)
}

#[cfg(not(target_os = "linux"))]
fn netlink_sessions(_: &Namespaces, _: u16) -> io::Result<Sessions> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "netlink sock_diag is Linux only: use --sockets proc or a file",
    ))
}

/// The IPv4 peers of every ESTABLISHED TCP session with `port` at either end (the device
/// listening on it, or connecting to it). Lines that do not parse are skipped: the kernel's
/// format is fixed, so they are headers or truncation.
pub fn established_peers(table: &str, port: u16) -> HashSet<Ipv4Addr> {
    table
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let _slot = fields.next()?;
            let (_, local_port) = parse_endpoint(fields.next()?)?;
            let (remote, remote_port) = parse_endpoint(fields.next()?)?;
            let state = fields.next()?;
            (state == ESTABLISHED && (local_port == port || remote_port == port))
                .then_some(remote)
                .flatten()
        })
        .collect()
}

/// `ADDR:PORT` → the IPv4 address (`None` for a non-mapped IPv6 address) and the port.
fn parse_endpoint(endpoint: &str) -> Option<(Option<Ipv4Addr>, u16)> {
    let (address, port) = endpoint.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let address = match address.len() {
        8 => Some(Ipv4Addr::from(word(address)?)),
        32 => {
            let mut bytes = [0u8; 16];
            for (index, chunk) in bytes.chunks_exact_mut(4).enumerate() {
                chunk.copy_from_slice(&word(address.get(index * 8..index * 8 + 8)?)?);
            }
            Ipv6Addr::from(bytes).to_ipv4_mapped()
        }
        _ => return None,
    };
    Some((address, port))
}

/// One 32-bit word as the kernel printed it (`%08X` of the in-memory value).
fn word(hex: &str) -> Option<[u8; 4]> {
    u32::from_str_radix(hex, 16).ok().map(u32::to_ne_bytes)
}

/// Formats an IPv4 endpoint as `/proc/net/tcp` does (for tests and fixtures).
pub fn proc_ipv4_endpoint(address: Ipv4Addr, port: u16) -> String {
    format!("{:08X}:{port:04X}", u32::from_ne_bytes(address.octets()))
}

/// Formats an IPv4 address as an IPv4-mapped IPv6 endpoint of `/proc/net/tcp6`.
pub fn proc_ipv6_mapped_endpoint(address: Ipv4Addr, port: u16) -> String {
    let bytes = address.to_ipv6_mapped().octets();
    let words: String = bytes
        .chunks_exact(4)
        .map(|chunk| {
            format!(
                "{:08X}",
                u32::from_ne_bytes(chunk.try_into().expect("4 bytes"))
            )
        })
        .collect();
    format!("{words}:{port:04X}")
}

/// One `/proc/net/tcp`-format line (for tests and fixtures).
pub fn proc_line(slot: usize, local: &str, remote: &str, state: &str) -> String {
    format!(
        "{slot:4}: {local} {remote} {state} 00000000:00000000 00:00000000 00000000     0        0 \
         {} 1 0000000000000000 20 4 30 10 -1",
        10_000 + slot
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TCP_HEADER: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when \
                              retrnsmt   uid  timeout inode";

    #[test]
    fn real_proc_lines_parse() {
        // Captured from a Linux host: 10.0.0.1:179 ← 10.0.0.2:51234 ESTABLISHED, and the
        // listener 0.0.0.0:179 (state 0A).
        let table = format!(
            "{TCP_HEADER}\n   0: 00000000:00B3 00000000:0000 0A 00000000:00000000 00:00000000 \
             00000000     0        0 20245 1 0000000000000000 100 0 0 10 0\n   1: \
             0100000A:00B3 0200000A:C822 01 00000000:00000000 02:000A7E2C 00000000     0        \
             0 20399 2 0000000000000000 20 4 30 10 -1\n"
        );
        let peers = established_peers(&table, 179);
        assert_eq!(peers, HashSet::from([Ipv4Addr::new(10, 0, 0, 2)]));
    }

    #[test]
    fn either_end_on_the_port_counts_and_other_ports_do_not() {
        let device = Ipv4Addr::new(169, 254, 0, 0);
        let table = [
            // The peer connected to us.
            proc_line(
                0,
                &proc_ipv4_endpoint(device, 179),
                &proc_ipv4_endpoint(Ipv4Addr::new(169, 254, 0, 1), 40000),
                "01",
            ),
            // We connected to the peer.
            proc_line(
                1,
                &proc_ipv4_endpoint(device, 40001),
                &proc_ipv4_endpoint(Ipv4Addr::new(169, 254, 0, 3), 179),
                "01",
            ),
            // SSH, not BGP.
            proc_line(
                2,
                &proc_ipv4_endpoint(device, 22),
                &proc_ipv4_endpoint(Ipv4Addr::new(169, 254, 0, 5), 50000),
                "01",
            ),
        ]
        .join("\n");
        let peers = established_peers(&table, 179);
        assert_eq!(
            peers,
            HashSet::from([Ipv4Addr::new(169, 254, 0, 1), Ipv4Addr::new(169, 254, 0, 3)])
        );
        assert!(established_peers(&table, 22).contains(&Ipv4Addr::new(169, 254, 0, 5)));
    }

    #[test]
    fn only_established_sessions_count() {
        let local = proc_ipv4_endpoint(Ipv4Addr::new(10, 0, 0, 1), 179);
        // SYN_SENT, SYN_RECV, FIN_WAIT1, TIME_WAIT, CLOSE, CLOSE_WAIT, LISTEN
        let table: Vec<String> = ["02", "03", "04", "06", "07", "08", "0A"]
            .iter()
            .enumerate()
            .map(|(n, state)| {
                let remote = proc_ipv4_endpoint(Ipv4Addr::new(10, 0, 1, n as u8 + 1), 40000);
                proc_line(n, &local, &remote, state)
            })
            .collect();
        assert!(established_peers(&table.join("\n"), 179).is_empty());
    }

    #[test]
    fn ipv4_mapped_tcp6_sessions_count_and_native_ipv6_is_ignored() {
        let peer = Ipv4Addr::new(169, 254, 7, 1);
        let mapped = proc_line(
            0,
            &proc_ipv6_mapped_endpoint(Ipv4Addr::new(169, 254, 7, 0), 179),
            &proc_ipv6_mapped_endpoint(peer, 33000),
            "01",
        );
        // A captured tcp6 line: [::ffff:10.0.0.1]:179 ← [::ffff:10.0.0.2]:51234.
        let captured = "   1: 0000000000000000FFFF00000100000A:00B3 \
                        0000000000000000FFFF00000200000A:C822 01 00000000:00000000 00:00000000 \
                        00000000     0        0 1 1 0000000000000000 20 4 30 10 -1";
        // A native IPv6 peer (2001:db8::2) cannot be a user's tunnel address.
        let native = "   2: 00000000000000000000000001000000:00B3 \
                      B80D0120000000000000000002000000:C822 01 00000000:00000000 00:00000000 \
                      00000000     0        0 1 1 0000000000000000 20 4 30 10 -1";
        let peers = established_peers(&format!("{mapped}\n{captured}\n{native}"), 179);
        assert_eq!(peers, HashSet::from([peer, Ipv4Addr::new(10, 0, 0, 2)]));
    }

    #[test]
    fn a_table_is_the_agent_s_own_namespace_and_the_union_spans_every_namespace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tcp");
        let peer = Ipv4Addr::new(169, 254, 0, 1);
        let line = proc_line(
            0,
            &proc_ipv4_endpoint(Ipv4Addr::new(169, 254, 0, 0), 179),
            &proc_ipv4_endpoint(peer, 40000),
            "01",
        );
        std::fs::write(&path, format!("{TCP_HEADER}\n{line}\n")).unwrap();
        let sessions = SocketSource::File(path).established_sessions(179).unwrap();
        assert_eq!(sessions, Sessions::own(HashSet::from([peer])));

        let other = Ipv4Addr::new(169, 254, 0, 3);
        let sessions = Sessions {
            by_namespace: vec![
                ("vrf-a".into(), HashSet::from([peer])),
                ("vrf-b".into(), HashSet::from([peer, other])),
                ("vrf-c".into(), HashSet::new()),
            ],
            rtt_ns: HashMap::new(),
        };
        assert_eq!(sessions.union(), HashSet::from([peer, other]));
        assert!(Sessions::default().union().is_empty());
    }

    #[test]
    fn garbage_lines_are_skipped() {
        let table = "not a table\n   0: ZZZZ:00B3 0200000A:C822 01\n\n   1: 0100000A";
        assert!(established_peers(table, 179).is_empty());
    }

    #[test]
    fn a_peers_first_rtt_sample_stands_and_peers_without_one_have_none() {
        let (a, b) = (Ipv4Addr::new(169, 254, 0, 1), Ipv4Addr::new(169, 254, 0, 3));
        let mut sessions = Sessions::default();
        sessions.add("vrf-a", HashMap::from([(a, Some(1_000)), (b, None)]));
        sessions.add("vrf-b", HashMap::from([(a, Some(9_000)), (b, Some(2_000))]));
        assert_eq!(sessions.rtt_ns, HashMap::from([(a, 1_000), (b, 2_000)]));
        assert_eq!(sessions.union(), HashSet::from([a, b]));
        assert_eq!(sessions.by_namespace[0].0, "vrf-a");
    }
}
