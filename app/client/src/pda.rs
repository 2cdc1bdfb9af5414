//! The program's addresses: every PDA derivation of the clients lives here.

use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;

use crate::serviceability::constants::{
    ADMIN_PROPOSAL_SEED, DEVICE_SEED, GLOBAL_STATE_SEED, RESERVATION_SEED, TUNNEL_CLAIM_SEED,
    USER_SEED,
};
use crate::types::TunnelNet;
use crate::PROGRAM_ID;

/// The GlobalState PDA: `["globalstate"]` (the IDL's `GLOBAL_STATE_ADDRESS`).
pub fn global_state() -> Pubkey {
    Pubkey::find_program_address(&[GLOBAL_STATE_SEED], &PROGRAM_ID).0
}

/// The AdminProposal PDA: `["admin_proposal"]`.
pub fn admin_proposal() -> Pubkey {
    Pubkey::find_program_address(&[ADMIN_PROPOSAL_SEED], &PROGRAM_ID).0
}

/// The program's ProgramData account under the upgradeable loader (`[program id]`), whose
/// upgrade authority alone may `initialize`.
pub fn program_data() -> Pubkey {
    anchor_lang::solana_program::bpf_loader_upgradeable::get_program_data_address(&PROGRAM_ID)
}

/// The Device PDA of `code`: `["device", code]`.
pub fn device(code: &str) -> Pubkey {
    Pubkey::find_program_address(&[DEVICE_SEED, code.as_bytes()], &PROGRAM_ID).0
}

/// The User PDA of `(device, client_ip)`: `["user", device, client_ip octets]`.
pub fn user(device: &Pubkey, client_ip: Ipv4Addr) -> Pubkey {
    Pubkey::find_program_address(
        &[USER_SEED, device.as_ref(), &client_ip.octets()],
        &PROGRAM_ID,
    )
    .0
}

/// The Reservation PDA of `(device, client_ip)`: `["reservation", device, client_ip octets]`.
pub fn reservation(device: &Pubkey, client_ip: Ipv4Addr) -> Pubkey {
    Pubkey::find_program_address(
        &[RESERVATION_SEED, device.as_ref(), &client_ip.octets()],
        &PROGRAM_ID,
    )
    .0
}

/// The TunnelClaim PDA of a user's tunnel on `device` (of its first /31):
/// `["tunnel", device, network octets]`.
pub fn tunnel_claim(device: &Pubkey, tunnel_net: &TunnelNet) -> Pubkey {
    tunnel_claim_of(device, tunnel_net.network)
}

/// The TunnelClaim PDA of a /30 tunnel's second /31 on `device`:
/// `["tunnel", device, (network + 2) octets]`; `None` for a /31.
pub fn second_tunnel_claim(device: &Pubkey, tunnel_net: &TunnelNet) -> Option<Pubkey> {
    tunnel_net
        .claim_networks()
        .get(1)
        .map(|network| tunnel_claim_of(device, *network))
}

/// The TunnelClaim PDA of the /31 at `network` on `device`.
pub fn tunnel_claim_of(device: &Pubkey, network: [u8; 4]) -> Pubkey {
    Pubkey::find_program_address(&[TUNNEL_CLAIM_SEED, device.as_ref(), &network], &PROGRAM_ID).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serviceability::constants::GLOBAL_STATE_ADDRESS;

    #[test]
    fn global_state_is_the_idls_address() {
        assert_eq!(global_state(), GLOBAL_STATE_ADDRESS);
    }
}
