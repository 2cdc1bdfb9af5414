//! Typed reads of the program's accounts on a [`Cluster`]. Listings are filtered
//! where the accounts are stored (`getProgramAccounts` with `memcmp` on the discriminator and
//! the device field), never fetched whole and filtered here.

use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AccountDeserialize, Discriminator};

use crate::accounts::{AdminProposal, Device, GlobalState, Reservation, TunnelClaim, User};
use crate::legacy::{decode_tunnel_claim, decode_user};
use crate::serviceability::constants::USER_ACCOUNT_LEN;
use crate::transport::Cluster;
use crate::transport::TransportError;
use crate::{pda, PROGRAM_ID};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};

/// Offset of `Reservation.device`: right after the 8-byte discriminator.
pub const RESERVATION_DEVICE_OFFSET: usize = 8;
/// Offset of `User.device`: after the discriminator and `owner`.
pub const USER_DEVICE_OFFSET: usize = 8 + 32;

/// Why a read failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The transport could not answer.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// An account exists but is not what it should be.
    #[error("account {address} is not a valid {kind}: {reason}")]
    Decode {
        /// The account.
        address: Pubkey,
        /// The expected account type.
        kind: &'static str,
        /// What failed.
        reason: String,
    },
}

/// A User account and the layout it is stored in.
#[derive(Clone, Debug)]
pub struct UserRecord {
    /// The decoded account (legacy accounts read with `Unknown`/0 BGP fields).
    pub user: User,
    /// Whether the account is still in an older, shorter layout (written before the BGP
    /// block or before session quality); its first BGP report grows it.
    pub legacy_layout: bool,
    /// Bytes the account holds: 123 (before the BGP block), 140 (before session quality)
    /// or 168 (current).
    pub stored_len: usize,
}

fn check_owner(address: &Pubkey, kind: &'static str, owner: &Pubkey) -> Result<(), ChainError> {
    if *owner != PROGRAM_ID {
        return Err(ChainError::Decode {
            address: *address,
            kind,
            reason: format!("owned by {owner}, not the program"),
        });
    }
    Ok(())
}

fn decode<T: AccountDeserialize>(
    address: &Pubkey,
    kind: &'static str,
    owner: &Pubkey,
    data: &[u8],
) -> Result<T, ChainError> {
    check_owner(address, kind, owner)?;
    T::try_deserialize(&mut &data[..]).map_err(|error| ChainError::Decode {
        address: *address,
        kind,
        reason: error.to_string(),
    })
}

fn decode_user_record(
    address: &Pubkey,
    owner: &Pubkey,
    data: &[u8],
) -> Result<UserRecord, ChainError> {
    check_owner(address, "User", owner)?;
    let user = decode_user(data).map_err(|error| ChainError::Decode {
        address: *address,
        kind: "User",
        reason: error.to_string(),
    })?;
    Ok(UserRecord {
        user,
        legacy_layout: data.len() < usize::from(USER_ACCOUNT_LEN),
        stored_len: data.len(),
    })
}

fn fetch<T: AccountDeserialize>(
    cluster: &Cluster,
    address: &Pubkey,
    kind: &'static str,
) -> Result<Option<T>, ChainError> {
    cluster
        .account(address)?
        .map(|account| decode(address, kind, &account.owner, &account.data))
        .transpose()
}

fn list<T>(
    cluster: &Cluster,
    discriminator: &[u8],
    device: Option<(usize, &Pubkey)>,
    mut decode_one: impl FnMut(&Pubkey, &Pubkey, &[u8]) -> Result<T, ChainError>,
) -> Result<Vec<(Pubkey, T)>, ChainError> {
    let mut filters = vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(
        0,
        discriminator.to_vec(),
    ))];
    if let Some((offset, device)) = device {
        filters.push(RpcFilterType::Memcmp(Memcmp::new_raw_bytes(
            offset,
            device.to_bytes().to_vec(),
        )));
    }
    cluster
        .program_accounts(filters)?
        .into_iter()
        .map(|(address, account)| {
            decode_one(&address, &account.owner, &account.data).map(|value| (address, value))
        })
        .collect()
}

/// GlobalState, if the program has been initialized.
pub fn global_state(cluster: &Cluster) -> Result<Option<GlobalState>, ChainError> {
    fetch(cluster, &pda::global_state(), "GlobalState")
}

/// The pending admin proposal, if the admin has proposed a successor.
pub fn admin_proposal(cluster: &Cluster) -> Result<Option<AdminProposal>, ChainError> {
    fetch(cluster, &pda::admin_proposal(), "AdminProposal")
}

/// The claim on the /31 at `network` on `device`, if a user holds it (in either layout: a
/// claim written before `sharers` existed reads with none).
pub fn tunnel_claim(
    cluster: &Cluster,
    device: &Pubkey,
    network: [u8; 4],
) -> Result<Option<TunnelClaim>, ChainError> {
    let address = pda::tunnel_claim_of(device, network);
    cluster
        .account(&address)?
        .map(|account| {
            check_owner(&address, "TunnelClaim", &account.owner)?;
            decode_tunnel_claim(&account.data).map_err(|error| ChainError::Decode {
                address,
                kind: "TunnelClaim",
                reason: error.to_string(),
            })
        })
        .transpose()
}

/// The `claim_tunnel_net` instructions that must precede deleting `user` (of `device`, with
/// `tunnel_net`), so that no /31 it covers is forgotten while another user still has it:
/// the user itself when it does not hold or share every /31 (a user from before claims),
/// then every other user of the device whose tunnel covers one of those /31s and is not yet
/// recorded on its claim. Each is signed and paid by `authority`.
pub fn claims_before_deleting(
    cluster: &Cluster,
    authority: Pubkey,
    device: &Pubkey,
    user: &User,
) -> Result<Vec<Instruction>, ChainError> {
    let networks = user.tunnel_net.claim_networks();
    let mut claims = Vec::new();
    for network in &networks {
        claims.push(tunnel_claim(cluster, device, *network)?);
    }
    let recorded = |user_address: &Pubkey, claims: &[Option<TunnelClaim>]| {
        claims.iter().all(|claim| {
            claim.as_ref().is_some_and(|claim| {
                claim.user == *user_address || claim.sharers.contains(user_address)
            })
        })
    };
    let mut instructions = Vec::new();
    let address = pda::user(device, Ipv4Addr::from(user.client_ip));
    if !recorded(&address, &claims) {
        instructions.push(claim_for(authority, device, user));
    }
    for (other_address, other) in users(cluster, Some(device))? {
        let other = other.user;
        if other_address == address {
            continue;
        }
        let shared: Vec<_> = networks
            .iter()
            .zip(&claims)
            .filter(|(network, _)| other.tunnel_net.claim_networks().contains(network))
            .map(|(_, claim)| claim.clone())
            .collect();
        if !shared.is_empty() && !recorded(&other_address, &shared) {
            instructions.push(claim_for(authority, device, &other));
        }
    }
    Ok(instructions)
}

fn claim_for(authority: Pubkey, device: &Pubkey, user: &User) -> Instruction {
    crate::instructions::claim_tunnel_net(
        authority,
        *device,
        Ipv4Addr::from(user.client_ip),
        &user.tunnel_net,
    )
}

/// The Device at `address`.
pub fn device(cluster: &Cluster, address: &Pubkey) -> Result<Option<Device>, ChainError> {
    fetch(cluster, address, "Device")
}

/// The Reservation of `(device, client_ip)`.
pub fn reservation(
    cluster: &Cluster,
    device: &Pubkey,
    client_ip: Ipv4Addr,
) -> Result<Option<Reservation>, ChainError> {
    fetch(cluster, &pda::reservation(device, client_ip), "Reservation")
}

/// The User of `(device, client_ip)`, in either layout.
pub fn user(
    cluster: &Cluster,
    device: &Pubkey,
    client_ip: Ipv4Addr,
) -> Result<Option<UserRecord>, ChainError> {
    let address = pda::user(device, client_ip);
    cluster
        .account(&address)?
        .map(|account| decode_user_record(&address, &account.owner, &account.data))
        .transpose()
}

/// Every Device, by address.
pub fn devices(cluster: &Cluster) -> Result<Vec<(Pubkey, Device)>, ChainError> {
    list(
        cluster,
        Device::DISCRIMINATOR,
        None,
        |address, owner, data| decode(address, "Device", owner, data),
    )
}

/// Every Reservation, or those of one device.
pub fn reservations(
    cluster: &Cluster,
    device: Option<&Pubkey>,
) -> Result<Vec<(Pubkey, Reservation)>, ChainError> {
    let device = device.map(|device| (RESERVATION_DEVICE_OFFSET, device));
    list(
        cluster,
        Reservation::DISCRIMINATOR,
        device,
        |address, owner, data| decode(address, "Reservation", owner, data),
    )
}

/// Every User, or those of one device, in either layout.
pub fn users(
    cluster: &Cluster,
    device: Option<&Pubkey>,
) -> Result<Vec<(Pubkey, UserRecord)>, ChainError> {
    let device = device.map(|device| (USER_DEVICE_OFFSET, device));
    list(cluster, User::DISCRIMINATOR, device, decode_user_record)
}

#[cfg(test)]
mod tests {
    use anchor_lang::AccountSerialize;

    use super::*;
    use crate::types::{BgpStatus, TunnelNet, UserStatus};

    #[test]
    fn device_offsets_match_the_serialized_layouts() {
        let device = Pubkey::new_unique();
        let reservation = Reservation {
            device,
            client_ip: [10, 0, 0, 1],
            payer: Pubkey::new_unique(),
            reserved_at: 1,
            expires_at: 2,
            bump: 255,
        };
        let mut data = Vec::new();
        reservation.try_serialize(&mut data).unwrap();
        assert_eq!(
            &data[RESERVATION_DEVICE_OFFSET..RESERVATION_DEVICE_OFFSET + 32],
            device.as_ref()
        );

        let user = User {
            owner: Pubkey::new_unique(),
            device,
            client_ip: [10, 0, 0, 1],
            tunnel_net: TunnelNet {
                network: [169, 254, 0, 0],
                prefix_len: 31,
            },
            status: UserStatus::Activated,
            created_at: 1,
            payer: Pubkey::new_unique(),
            bump: 255,
            bgp_status: BgpStatus::Up,
            last_bgp_up_at: 2,
            last_bgp_reported_at: 3,
            bgp_rtt_ns: 0,
            bgp_flaps: 0,
            bgp_up_secs: 0,
            last_bgp_down_at: 0,
        };
        let mut data = Vec::new();
        user.try_serialize(&mut data).unwrap();
        assert_eq!(
            &data[USER_DEVICE_OFFSET..USER_DEVICE_OFFSET + 32],
            device.as_ref()
        );
    }
}
