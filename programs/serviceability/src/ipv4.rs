//! IPv4 address rules shared by devices, users and reservations.

use core::net::Ipv4Addr;

/// A device's public address: a unicast address a peer can route to.
pub fn is_valid_public_ip(octets: [u8; 4]) -> bool {
    let ip = Ipv4Addr::from(octets);
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_link_local()
        || ip.is_documentation()
        || octets[0] == 0)
}

/// A client's address: any unicast address (private ranges allowed, clients sit behind NAT).
pub fn is_valid_client_ip(octets: [u8; 4]) -> bool {
    let ip = Ipv4Addr::from(octets);
    !(ip.is_unspecified() || ip.is_multicast() || ip.is_broadcast() || octets[0] == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_ip_rules() {
        assert!(is_valid_public_ip([203, 0, 114, 7]));
        assert!(is_valid_public_ip([10, 1, 2, 3]));
        for bad in [
            [0, 0, 0, 0],
            [127, 0, 0, 1],
            [224, 0, 0, 1],
            [255; 4],
            [169, 254, 1, 1],
            [192, 0, 2, 1],
        ] {
            assert!(!is_valid_public_ip(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn client_ip_rules() {
        assert!(is_valid_client_ip([100, 64, 0, 1]));
        assert!(is_valid_client_ip([192, 168, 1, 20]));
        for bad in [[0, 0, 0, 0], [0, 1, 2, 3], [239, 1, 1, 1], [255; 4]] {
            assert!(!is_valid_client_ip(bad), "{bad:?} accepted");
        }
    }
}
