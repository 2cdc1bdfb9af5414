//! Input checks made before anything is sent, with the program's own rules (its `ipv4` and
//! state helpers), so the CLI refuses exactly what the program would refuse.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use serviceability::ipv4::{is_valid_client_ip, is_valid_public_ip};
use serviceability::state::{Device as ProgramDevice, TunnelNet as ProgramTunnelNet};
use serviceability_client::types::TunnelNet;

/// A device's public IP: syntax, then the program's routable-unicast rule.
pub fn parse_public_ip(value: &str) -> Result<Ipv4Addr, String> {
    let ip = Ipv4Addr::from_str(value).map_err(|error| format!("{error}"))?;
    if !is_valid_public_ip(ip.octets()) {
        return Err(format!(
            "{ip} is not a routable unicast address (loopback, link-local, multicast, \
             documentation and 0.0.0.0/8 are refused)"
        ));
    }
    Ok(ip)
}

/// A client IP: syntax, then the program's unicast rule.
pub fn parse_client_ip(value: &str) -> Result<Ipv4Addr, String> {
    let ip = Ipv4Addr::from_str(value).map_err(|error| format!("{error}"))?;
    if !is_valid_client_ip(ip.octets()) {
        return Err(format!(
            "{ip} is not a unicast client address (0.0.0.0/8, multicast and broadcast are refused)"
        ));
    }
    Ok(ip)
}

/// A tunnel network given as `a.b.c.d/30` or `/31`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TunnelNetArg {
    /// The network address.
    pub network: Ipv4Addr,
    /// 30 or 31.
    pub prefix_len: u8,
}

impl TunnelNetArg {
    /// As the IDL type.
    pub fn to_idl(self) -> TunnelNet {
        TunnelNet {
            network: self.network.octets(),
            prefix_len: self.prefix_len,
        }
    }
}

impl fmt::Display for TunnelNetArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix_len)
    }
}

/// `a.b.c.d/len`, a /30 or /31 with its host bits zero (the program's rule).
pub fn parse_tunnel_net(value: &str) -> Result<TunnelNetArg, String> {
    let (network, prefix_len) = value
        .split_once('/')
        .ok_or_else(|| format!("`{value}` is not in CIDR notation (a.b.c.d/31)"))?;
    let network = Ipv4Addr::from_str(network).map_err(|error| format!("{error}"))?;
    let prefix_len =
        u8::from_str(prefix_len).map_err(|_| format!("`{prefix_len}` is not a prefix length"))?;
    let program_net = ProgramTunnelNet {
        network: network.octets(),
        prefix_len,
    };
    if !program_net.is_valid() {
        return Err(format!(
            "{value} is not a /30 or /31 network with its host bits zero"
        ));
    }
    Ok(TunnelNetArg {
        network,
        prefix_len,
    })
}

/// The address a user's BGP session comes from: the second host of its tunnel net.
pub fn bgp_peer_ip(tunnel_net: &TunnelNet) -> Ipv4Addr {
    let net = ProgramTunnelNet {
        network: tunnel_net.network,
        prefix_len: tunnel_net.prefix_len,
    };
    Ipv4Addr::from(net.user_peer_ip())
}

/// Whether `code` is a device code the program accepts.
pub fn is_valid_device_code(code: &str) -> bool {
    ProgramDevice::is_valid_code(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tunnel_nets_follow_the_program_rule() {
        assert_eq!(
            parse_tunnel_net("169.254.0.0/31").unwrap().to_string(),
            "169.254.0.0/31"
        );
        assert!(parse_tunnel_net("169.254.0.4/30").is_ok());
        assert!(parse_tunnel_net("169.254.0.1/31").is_err(), "host bits set");
        assert!(parse_tunnel_net("169.254.0.0/29").is_err(), "too wide");
        assert!(parse_tunnel_net("169.254.0.0").is_err(), "no prefix");
        assert!(parse_tunnel_net("169.254.0/31").is_err(), "bad address");
    }

    #[test]
    fn peer_ip_is_the_second_host() {
        let net = parse_tunnel_net("169.254.0.4/30").unwrap().to_idl();
        assert_eq!(bgp_peer_ip(&net), Ipv4Addr::new(169, 254, 0, 6));
        let net = parse_tunnel_net("169.254.0.4/31").unwrap().to_idl();
        assert_eq!(bgp_peer_ip(&net), Ipv4Addr::new(169, 254, 0, 5));
    }

    #[test]
    fn ip_rules_are_the_programs() {
        assert!(parse_public_ip("127.0.0.1").is_err());
        assert!(parse_public_ip("203.0.114.7").is_ok());
        assert!(parse_client_ip("10.0.0.1").is_ok());
        assert!(parse_client_ip("224.0.0.1").is_err());
        assert!(parse_client_ip("10.0.0").is_err());
    }
}
