//! The program's addresses, from the IDL's seeds ([`crate::idl`]): Codama's Rust renderer
//! renders no PDA helpers for an Anchor IDL.

use std::net::Ipv4Addr;

use solana_address::Address;

use crate::idl::{
    ADMIN_PROPOSAL_SEED, DEVICE_SEED, GLOBAL_STATE_SEED, RESERVATION_SEED, TUNNEL_CLAIM_SEED,
    USER_SEED,
};
use crate::ID;

fn find(seeds: &[&[u8]]) -> Address {
    Address::find_program_address(seeds, &ID).0
}

/// GlobalState: `["globalstate"]` (also the IDL's `GLOBAL_STATE_ADDRESS`).
pub fn global_state() -> Address {
    find(&[GLOBAL_STATE_SEED])
}

/// The pending admin proposal: `["admin_proposal"]`.
pub fn admin_proposal() -> Address {
    find(&[ADMIN_PROPOSAL_SEED])
}

/// The device with `code`: `["device", code]`.
pub fn device(code: &str) -> Address {
    find(&[DEVICE_SEED, code.as_bytes()])
}

/// The reservation of `client_ip` on `device`: `["reservation", device, client_ip]`.
pub fn reservation(device: &Address, client_ip: Ipv4Addr) -> Address {
    find(&[RESERVATION_SEED, device.as_ref(), &client_ip.octets()])
}

/// The user `client_ip` on `device`: `["user", device, client_ip]`.
pub fn user(device: &Address, client_ip: Ipv4Addr) -> Address {
    find(&[USER_SEED, device.as_ref(), &client_ip.octets()])
}

/// The claim on the /31 at `network` on `device`: `["tunnel", device, network]` (a user's
/// /31 tunnel has one claim, a /30 two: one per /31 it covers).
pub fn tunnel_claim(device: &Address, network: Ipv4Addr) -> Address {
    find(&[TUNNEL_CLAIM_SEED, device.as_ref(), &network.octets()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idl::GLOBAL_STATE_ADDRESS;

    #[test]
    fn global_state_is_the_idls_address() {
        assert_eq!(global_state(), GLOBAL_STATE_ADDRESS);
    }
}
