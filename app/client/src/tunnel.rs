//! A user's tunnel network (the IDL's [`TunnelNet`]) as people write it (`a.b.c.d/31`) and
//! what it means for BGP: the program's own rules, so a client refuses exactly what the
//! program would and derives the same peer address.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use serviceability_program::state::TunnelNet as ProgramTunnelNet;

use crate::types::TunnelNet;

impl TunnelNet {
    /// The network address.
    pub fn network_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.network)
    }

    /// The address the user's BGP session comes from: the second host of the network.
    pub fn bgp_peer_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.as_program().user_peer_ip())
    }

    /// The network of each /31 the tunnel covers, one TunnelClaim each: its own, and for a
    /// /30 also its second /31's.
    pub fn claim_networks(&self) -> Vec<[u8; 4]> {
        let program = self.as_program();
        std::iter::once(self.network)
            .chain(program.second_claim_network())
            .collect()
    }

    fn as_program(&self) -> ProgramTunnelNet {
        ProgramTunnelNet {
            network: self.network,
            prefix_len: self.prefix_len,
        }
    }
}

impl fmt::Display for TunnelNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network_ip(), self.prefix_len)
    }
}

/// `a.b.c.d/len`, a /30 or /31 with its host bits zero (the program's rule); the error says
/// what is wrong in words.
impl FromStr for TunnelNet {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        let (network, prefix_len) = value
            .split_once('/')
            .ok_or_else(|| format!("`{value}` is not in CIDR notation (a.b.c.d/31)"))?;
        let network = Ipv4Addr::from_str(network).map_err(|error| format!("{error}"))?;
        let prefix_len = u8::from_str(prefix_len)
            .map_err(|_| format!("`{prefix_len}` is not a prefix length"))?;
        let parsed = TunnelNet {
            network: network.octets(),
            prefix_len,
        };
        if !parsed.as_program().is_valid() {
            return Err(format!(
                "{value} is not a /30 or /31 network with its host bits zero"
            ));
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tunnel_nets_follow_the_program_rule() {
        assert_eq!(
            "169.254.0.0/31".parse::<TunnelNet>().unwrap().to_string(),
            "169.254.0.0/31"
        );
        assert!("169.254.0.4/30".parse::<TunnelNet>().is_ok());
        assert!(
            "169.254.0.1/31".parse::<TunnelNet>().is_err(),
            "host bits set"
        );
        assert!("169.254.0.0/29".parse::<TunnelNet>().is_err(), "too wide");
        assert!("169.254.0.0".parse::<TunnelNet>().is_err(), "no prefix");
        assert!("169.254.0/31".parse::<TunnelNet>().is_err(), "bad address");
    }

    #[test]
    fn peer_ip_is_the_second_host() {
        let net: TunnelNet = "169.254.0.4/30".parse().unwrap();
        assert_eq!(net.bgp_peer_ip(), Ipv4Addr::new(169, 254, 0, 6));
        let net: TunnelNet = "169.254.0.4/31".parse().unwrap();
        assert_eq!(net.bgp_peer_ip(), Ipv4Addr::new(169, 254, 0, 5));
    }
}
