//! Builders for every instruction, from the IDL's account and argument types, with the
//! PDAs derived by [`crate::pda`].

use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::{system_program, InstructionData, ToAccountMetas};

use crate::pda;
use crate::serviceability::client::{accounts, args};
use crate::types::{
    AuthorityUpdate, BgpReport, BgpStatus, CreateDeviceArgs, TunnelNet, UpdateDeviceArgs,
};
use crate::PROGRAM_ID;

fn instruction(accounts: impl ToAccountMetas, args: impl InstructionData) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: accounts.to_account_metas(None),
        data: args.data(),
    }
}

/// `initialize`: `admin`, the program's upgrade authority, creates GlobalState and becomes
/// its admin.
pub fn initialize(admin: Pubkey) -> Instruction {
    instruction(
        accounts::Initialize {
            admin,
            program_data: pda::program_data(),
            global_state: pda::global_state(),
            system_program: system_program::ID,
        },
        args::Initialize {},
    )
}

/// `set_authority`, signed by the admin.
pub fn set_authority(admin: Pubkey, update: AuthorityUpdate) -> Instruction {
    instruction(
        accounts::SetAuthority {
            admin,
            global_state: pda::global_state(),
        },
        args::SetAuthority { update },
    )
}

/// `propose_admin`, signed by the admin: proposes `proposed_admin` (replacing any pending
/// proposal), or withdraws the proposal with `None`.
pub fn propose_admin(admin: Pubkey, proposed_admin: Option<Pubkey>) -> Instruction {
    instruction(
        accounts::ProposeAdmin {
            admin,
            global_state: pda::global_state(),
            admin_proposal: pda::admin_proposal(),
            system_program: system_program::ID,
        },
        args::ProposeAdmin { proposed_admin },
    )
}

/// `accept_admin`, signed by the proposed admin; `previous_admin` (the current admin, who
/// paid for the proposal) receives its rent.
pub fn accept_admin(new_admin: Pubkey, previous_admin: Pubkey) -> Instruction {
    instruction(
        accounts::AcceptAdmin {
            new_admin,
            global_state: pda::global_state(),
            admin_proposal: pda::admin_proposal(),
            previous_admin,
        },
        args::AcceptAdmin {},
    )
}

/// `add_foundation_key`, signed by the admin.
pub fn add_foundation_key(admin: Pubkey, key: Pubkey) -> Instruction {
    instruction(
        accounts::AddFoundationKey {
            admin,
            global_state: pda::global_state(),
        },
        args::AddFoundationKey { key },
    )
}

/// `remove_foundation_key`, signed by the admin.
pub fn remove_foundation_key(admin: Pubkey, key: Pubkey) -> Instruction {
    instruction(
        accounts::RemoveFoundationKey {
            admin,
            global_state: pda::global_state(),
        },
        args::RemoveFoundationKey { key },
    )
}

/// `set_reservations_paused`, signed by the admin.
pub fn set_reservations_paused(admin: Pubkey, paused: bool) -> Instruction {
    instruction(
        accounts::SetReservationsPaused {
            admin,
            global_state: pda::global_state(),
        },
        args::SetReservationsPaused { paused },
    )
}

/// `create_device`, signed by a foundation key, which pays and owns it.
pub fn create_device(foundation: Pubkey, args: CreateDeviceArgs) -> Instruction {
    instruction(
        accounts::CreateDevice {
            foundation,
            global_state: pda::global_state(),
            device: pda::device(&args.code),
            system_program: system_program::ID,
        },
        args::CreateDevice { args },
    )
}

/// `update_device`, signed by a foundation key.
pub fn update_device(foundation: Pubkey, device: Pubkey, args: UpdateDeviceArgs) -> Instruction {
    instruction(
        accounts::UpdateDevice {
            foundation,
            global_state: pda::global_state(),
            device,
        },
        args::UpdateDevice { args },
    )
}

/// `close_device`, signed by a foundation key; `owner` (the device's) receives the rent.
pub fn close_device(foundation: Pubkey, device: Pubkey, owner: Pubkey) -> Instruction {
    instruction(
        accounts::CloseDevice {
            foundation,
            global_state: pda::global_state(),
            device,
            owner,
        },
        args::CloseDevice {},
    )
}

/// `reserve_connection`, signed by the reservation authority or a foundation key, which
/// pays the rent.
pub fn reserve_connection(
    authority: Pubkey,
    device: Pubkey,
    client_ip: Ipv4Addr,
    ttl_secs: Option<u32>,
) -> Instruction {
    instruction(
        accounts::ReserveConnection {
            authority,
            global_state: pda::global_state(),
            device,
            reservation: pda::reservation(&device, client_ip),
            user: pda::user(&device, client_ip),
            system_program: system_program::ID,
        },
        args::ReserveConnection {
            client_ip: client_ip.octets(),
            ttl_secs,
        },
    )
}

/// `close_reservation`, signed by the reservation authority or a foundation key;
/// `payer` (the reservation's) receives the rent.
pub fn close_reservation(
    authority: Pubkey,
    device: Pubkey,
    client_ip: Ipv4Addr,
    payer: Pubkey,
) -> Instruction {
    instruction(
        accounts::CloseReservation {
            authority,
            global_state: pda::global_state(),
            device,
            reservation: pda::reservation(&device, client_ip),
            payer,
        },
        args::CloseReservation {},
    )
}

/// `prune_expired_reservation`: anyone; `payer` (the reservation's) receives the rent.
pub fn prune_expired_reservation(
    device: Pubkey,
    client_ip: Ipv4Addr,
    payer: Pubkey,
) -> Instruction {
    instruction(
        accounts::PruneExpiredReservation {
            device,
            reservation: pda::reservation(&device, client_ip),
            payer,
        },
        args::PruneExpiredReservation {},
    )
}

/// `create_user`, signed by the activator authority or a foundation key, which pays.
/// `reservation_payer` is the pair's reservation payer when a reservation exists.
pub fn create_user(
    authority: Pubkey,
    device: Pubkey,
    client_ip: Ipv4Addr,
    tunnel_net: TunnelNet,
    owner: Pubkey,
    reservation_payer: Option<Pubkey>,
) -> Instruction {
    instruction(
        accounts::CreateUser {
            authority,
            global_state: pda::global_state(),
            device,
            user: pda::user(&device, client_ip),
            tunnel_claim: pda::tunnel_claim(&device, &tunnel_net),
            second_tunnel_claim: pda::second_tunnel_claim(&device, &tunnel_net),
            reservation: pda::reservation(&device, client_ip),
            reservation_payer,
            system_program: system_program::ID,
        },
        args::CreateUser {
            client_ip: client_ip.octets(),
            tunnel_net,
            owner,
        },
    )
}

/// `delete_user`, signed by the activator authority or a foundation key; `payer` (the
/// user's) receives the rent. `tunnel_net` is the user's, which locates its tunnel claim.
pub fn delete_user(
    authority: Pubkey,
    device: Pubkey,
    client_ip: Ipv4Addr,
    tunnel_net: &TunnelNet,
    payer: Pubkey,
) -> Instruction {
    instruction(
        accounts::DeleteUser {
            authority,
            global_state: pda::global_state(),
            device,
            user: pda::user(&device, client_ip),
            tunnel_claim: pda::tunnel_claim(&device, tunnel_net),
            second_tunnel_claim: pda::second_tunnel_claim(&device, tunnel_net),
            payer,
        },
        args::DeleteUser {},
    )
}

/// `claim_tunnel_net`, signed by the activator authority or a foundation key, which pays:
/// claims each /31 of the tunnel of a user created before tunnel claims existed (or records
/// it as sharing a /31 another such user holds).
pub fn claim_tunnel_net(
    authority: Pubkey,
    device: Pubkey,
    client_ip: Ipv4Addr,
    tunnel_net: &TunnelNet,
) -> Instruction {
    instruction(
        accounts::ClaimTunnelNet {
            authority,
            global_state: pda::global_state(),
            user: pda::user(&device, client_ip),
            tunnel_claim: pda::tunnel_claim(&device, tunnel_net),
            second_tunnel_claim: pda::second_tunnel_claim(&device, tunnel_net),
            system_program: system_program::ID,
        },
        args::ClaimTunnelNet {},
    )
}

/// `set_user_bgp_status`, signed by the device's metrics publisher.
pub fn set_user_bgp_status(
    metrics_publisher: Pubkey,
    device: Pubkey,
    client_ip: Ipv4Addr,
    status: BgpStatus,
) -> Instruction {
    instruction(
        accounts::SetUserBgpStatus {
            metrics_publisher,
            device,
            user: pda::user(&device, client_ip),
            system_program: system_program::ID,
        },
        args::SetUserBgpStatus { status },
    )
}

/// `report_bgp_sessions`, signed by the device's metrics publisher: one report per user of
/// `device`, each user named by its client IP (the users go, writable, after the named
/// accounts, in the order of `reports`).
pub fn report_bgp_sessions(
    metrics_publisher: Pubkey,
    device: Pubkey,
    reports: &[(Ipv4Addr, BgpReport)],
) -> Instruction {
    let mut instruction = instruction(
        accounts::ReportBgpSessions {
            metrics_publisher,
            device,
            system_program: system_program::ID,
        },
        args::ReportBgpSessions {
            reports: reports.iter().map(|(_, report)| *report).collect(),
        },
    );
    instruction.accounts.extend(
        reports
            .iter()
            .map(|(client_ip, _)| AccountMeta::new(pda::user(&device, *client_ip), false)),
    );
    instruction
}
