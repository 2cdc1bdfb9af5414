//! The program's rules for what people type, checked before anything is sent: IPs and
//! device codes, with the program's own `ipv4` and state helpers, so a client refuses exactly
//! what the program would (the tunnel network's rules are in [`crate::tunnel`]).

use std::net::Ipv4Addr;
use std::str::FromStr;

use serviceability_program::ipv4::{is_valid_client_ip, is_valid_public_ip};
use serviceability_program::state::Device as ProgramDevice;

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

/// Whether `code` is a device code the program accepts.
pub fn is_valid_device_code(code: &str) -> bool {
    ProgramDevice::is_valid_code(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_rules_are_the_programs() {
        assert!(parse_public_ip("127.0.0.1").is_err());
        assert!(parse_public_ip("203.0.114.7").is_ok());
        assert!(parse_client_ip("10.0.0.1").is_ok());
        assert!(parse_client_ip("224.0.0.1").is_err());
        assert!(parse_client_ip("10.0.0").is_err());
    }
}
