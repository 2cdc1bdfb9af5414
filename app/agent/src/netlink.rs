//! Established TCP sessions from the kernel itself, through netlink's `sock_diag`
//! (`INET_DIAG`, IPv4 and IPv6, established sockets only, selected by the kernel), in the
//! agent's own network namespace or in named ones (a router's VRFs), each read on a thread
//! of its own that entered the namespace, so the agent itself never changes namespace.
//! Packets are built and parsed by `netlink-packet-sock-diag`; the socket is `netlink-sys`'s.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_sock_diag::constants::{AF_INET, AF_INET6, IPPROTO_TCP};
use netlink_packet_sock_diag::inet::{
    nlas::Nla, ExtensionFlags, InetRequest, SocketId, StateFlags,
};
use netlink_packet_sock_diag::SockDiagMessage;
use netlink_sys::protocols::NETLINK_SOCK_DIAG;
use netlink_sys::{Socket, SocketAddr};

/// Where `ip netns` keeps named network namespaces.
pub const NETNS_DIR: &str = "/var/run/netns";

/// The IPv4 peers of every established TCP session with `port` at either end, in the
/// calling thread's network namespace. BGP over IPv4 on a dual-stack socket shows as an
/// IPv4-mapped IPv6 address, which counts as its IPv4 address.
pub fn established_peers(port: u16) -> io::Result<HashSet<Ipv4Addr>> {
    Ok(established_sessions(port)?.into_keys().collect())
}

/// The IPv4 peers of the established TCP sessions with `port` at either end, in this
/// thread's network namespace, each with its smoothed RTT in nanoseconds when the kernel
/// has a sample (`tcpi_rtt`, which it keeps in microseconds).
pub fn established_sessions(port: u16) -> io::Result<HashMap<Ipv4Addr, Option<u64>>> {
    let mut peers = HashMap::new();
    for family in [AF_INET, AF_INET6] {
        for (id, rtt_us) in established_sockets(family)? {
            if id.source_port != port && id.destination_port != port {
                continue;
            }
            let peer = match id.destination_address {
                IpAddr::V4(address) => Some(address),
                IpAddr::V6(address) => address.to_ipv4_mapped(),
            };
            if let Some(peer) = peer {
                let rtt_ns = rtt_us.filter(|us| *us > 0).map(|us| u64::from(us) * 1_000);
                peers.insert(peer, rtt_ns);
            }
        }
    }
    Ok(peers)
}

/// [`established_peers`] in the network namespace at `namespace` (a file under
/// [`NETNS_DIR`]), read on a new thread that enters it with `setns`.
pub fn established_sessions_in(
    namespace: &Path,
    port: u16,
) -> io::Result<HashMap<Ipv4Addr, Option<u64>>> {
    let file = File::open(namespace)?;
    std::thread::Builder::new()
        .name("netns-reader".into())
        .spawn(move || {
            nix::sched::setns(&file, nix::sched::CloneFlags::CLONE_NEWNET)
                .map_err(io::Error::from)?;
            established_sessions(port)
        })?
        .join()
        .map_err(|_| io::Error::other("the namespace reader panicked"))?
}

/// The named network namespaces (the files under [`NETNS_DIR`]), by name.
pub fn named_namespaces() -> io::Result<Vec<(String, PathBuf)>> {
    let entries = match std::fs::read_dir(NETNS_DIR) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut namespaces = entries
        .map(|entry| {
            let entry = entry?;
            Ok((
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            ))
        })
        .collect::<io::Result<Vec<_>>>()?;
    namespaces.sort();
    Ok(namespaces)
}

/// The socket ids of every established TCP socket of `family`, dumped by the kernel.
/// Offset of `tcpi_rtt` (u32, microseconds) in the kernel's `struct tcp_info`, the payload of
/// `INET_DIAG_INFO`: after eight bytes of state and fifteen u32 fields, in every kernel since
/// 2.6. The crate's typed `TcpInfo` (feature `rich_nlas`) needs the whole structure of a
/// recent kernel and refuses a shorter one, so the one field is read here.
const TCPI_RTT_OFFSET: usize = 68;

fn established_sockets(family: u8) -> io::Result<Vec<(SocketId, Option<u32>)>> {
    let mut socket = Socket::new(NETLINK_SOCK_DIAG)?;
    socket.bind_auto()?;
    socket.connect(&SocketAddr::new(0, 0))?;
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    let socket_id = if family == AF_INET {
        SocketId::new_v4()
    } else {
        SocketId::new_v6()
    };
    let mut request = NetlinkMessage::new(
        header,
        SockDiagMessage::InetRequest(InetRequest {
            family,
            protocol: IPPROTO_TCP,
            extensions: ExtensionFlags::INFO,
            states: StateFlags::ESTABLISHED,
            socket_id,
        })
        .into(),
    );
    request.finalize();
    let mut bytes = vec![0; request.buffer_len()];
    request.serialize(&mut bytes);
    socket.send(&bytes, 0)?;

    let mut sockets = Vec::new();
    let mut buffer = Vec::with_capacity(64 * 1024);
    loop {
        buffer.clear();
        let size = socket.recv(&mut buffer, 0)?;
        let mut offset = 0;
        while offset < size {
            let message = NetlinkMessage::<SockDiagMessage>::deserialize(&buffer[offset..size])
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error.to_string()))?;
            let length = message.header.length as usize;
            match message.payload {
                NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(response)) => {
                    let rtt_us = response.nlas.iter().find_map(|nla| match nla {
                        Nla::TcpInfo(info) => info
                            .get(TCPI_RTT_OFFSET..TCPI_RTT_OFFSET + 4)
                            .map(|bytes| u32::from_ne_bytes(bytes.try_into().expect("4 bytes"))),
                        _ => None,
                    });
                    sockets.push((response.header.socket_id, rtt_us));
                }
                NetlinkPayload::Done(_) => return Ok(sockets),
                NetlinkPayload::Error(error) => {
                    return Err(io::Error::other(format!("sock_diag: {error:?}")));
                }
                _ => {}
            }
            if length == 0 {
                break;
            }
            offset += length;
        }
    }
}

#[cfg(test)]
mod tests;
