use anchor_lang::prelude::*;

/// One user's claim on a tunnel network of a device: PDA `["tunnel", device,
/// tunnel_net.network]`, created with the user and closed with it.
///
/// Two users whose tunnels give the same BGP peer address would be one neighbour to the
/// device, and its metrics publisher could not tell their sessions apart. Within a /30 or
/// /31 the peer address follows from the network address and prefix, so keying the claim
/// on the network address refuses every shared peer address (`TunnelNetInUse`), and also a
/// /30 and a /31 on the same network, which would share the device's side. (The address
/// is an argument, so the IDL describes the seed exactly and clients derive it.)
///
/// Users created before claims existed have none: `claim_tunnel_net` gives them one (the
/// migration), and `delete_user` requires it. Where two such users share a network, the
/// first to claim it holds it; deleting the other leaves that claim alone.
#[account]
#[derive(InitSpace, Debug)]
pub struct TunnelClaim {
    /// The User PDA holding the tunnel network.
    pub user: Pubkey,
    /// Canonical bump of this PDA.
    pub bump: u8,
}
