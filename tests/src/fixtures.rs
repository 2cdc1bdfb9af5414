//! Layout fixtures: one account of each kind, produced by running the real instructions on a
//! fresh ledger with fixed keys and a fixed clock, so every run gives the same bytes.
//!
//! Each fixture is the account's data (`<name>.bin`, discriminator first) and a JSON twin of
//! its decoded fields (`<name>.json`). The twin uses the IDL's field names; pubkeys are base58,
//! `u8`/`u16` and booleans are JSON numbers and booleans, `i64`/`u64` are decimal strings (so
//! no language loses precision), byte arrays are arrays of numbers, fieldless enums are their
//! variant names, options are `null` or the value.
//!
//! Written by `cargo xtask fixtures`; `tests/tests/fixtures.rs` decodes the committed files
//! and fails when they differ from a fresh run; `tests/client-ts` decodes them in TypeScript.

use std::net::Ipv4Addr;

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountDeserialize;
use litesvm::LiteSVM;
use serde_json::{json, Value};
use serviceability_client::accounts::{
    AdminProposal, Device, GlobalState, Reservation, TunnelClaim, User,
};
use serviceability_client::legacy::decode_user;
use serviceability_client::serviceability::constants::{
    USER_BGP_V1_ACCOUNT_LEN, USER_LEGACY_ACCOUNT_LEN,
};
use serviceability_client::types::{
    AuthorityUpdate, BgpReport, BgpStatus, CreateDeviceArgs, DeviceStatus, TunnelNet,
    UpdateDeviceArgs,
};
use serviceability_client::{instructions as ix, pda};
use serviceability_host::{add_serviceability, set_upgrade_authority, ProgramRuntime};
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;

use crate::GENESIS_UNIX_TIME;

/// The device every fixture belongs to.
pub const DEVICE_CODE: &str = "fra-1";
/// The user in the current layout.
pub const USER_IP: Ipv4Addr = Ipv4Addr::new(100, 64, 0, 1);
/// The reservation.
pub const RESERVATION_IP: Ipv4Addr = Ipv4Addr::new(100, 64, 0, 2);
/// The user rewritten in the legacy layout.
pub const LEGACY_USER_IP: Ipv4Addr = Ipv4Addr::new(100, 64, 0, 3);
/// The seed of the device's metrics publisher ([`role`]).
pub const PUBLISHER_SEED: u8 = 5;

/// The legacy user's tunnel network.
pub fn legacy_tunnel_net() -> TunnelNet {
    TunnelNet {
        network: [169, 254, 0, 2],
        prefix_len: 31,
    }
}

/// Which layout a fixture is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The layout the program writes today.
    Current,
    /// The User layout before the BGP block existed (123 bytes).
    Legacy,
    /// The User layout with the BGP block, before session quality (140 bytes).
    BgpV1,
}

/// One account fixture.
pub struct Fixture {
    /// File stem: `<name>.bin`, `<name>.json`.
    pub name: &'static str,
    /// The account type in the IDL.
    pub account: &'static str,
    /// Its layout.
    pub layout: Layout,
    /// Its address.
    pub address: Pubkey,
    /// Its data.
    pub data: Vec<u8>,
}

impl Fixture {
    /// The JSON twin: the account decoded by the client library (the IDL's types).
    pub fn twin(&self) -> anchor_lang::Result<Value> {
        twin(self.account, self.layout, &self.address, &self.data)
    }
}

/// The JSON twin of `data`, an account of type `account` at `address`, decoded with the
/// client library's IDL types (a legacy User as the program reads it: Unknown/0).
pub fn twin(
    account: &str,
    layout: Layout,
    address: &Pubkey,
    data: &[u8],
) -> anchor_lang::Result<Value> {
    let fields = match account {
        "GlobalState" => global_state_fields(&GlobalState::try_deserialize(&mut &data[..])?),
        "Device" => device_fields(&Device::try_deserialize(&mut &data[..])?),
        "Reservation" => reservation_fields(&Reservation::try_deserialize(&mut &data[..])?),
        "User" => user_fields(&decode_user(data)?),
        "TunnelClaim" => tunnel_claim_fields(&TunnelClaim::try_deserialize(&mut &data[..])?),
        "AdminProposal" => admin_proposal_fields(&AdminProposal::try_deserialize(&mut &data[..])?),
        other => panic!("no fixture account type {other}"),
    };
    Ok(json!({
        "account": account,
        "layout": match layout {
            Layout::Current => "current",
            Layout::Legacy => "legacy",
            Layout::BgpV1 => "bgp_v1",
        },
        "address": address.to_string(),
        "data_len": data.len(),
        "fields": fields,
    }))
}

fn global_state_fields(state: &GlobalState) -> Value {
    json!({
        "admin": state.admin.to_string(),
        "foundation_allowlist": state.foundation_allowlist.iter().map(Pubkey::to_string).collect::<Vec<_>>(),
        "activator_authority": state.activator_authority.to_string(),
        "reservation_authority": state.reservation_authority.map(|key| key.to_string()),
        "reservations_paused": state.reservations_paused,
        "bump": state.bump,
    })
}

fn device_fields(device: &Device) -> Value {
    json!({
        "code": device.code,
        "owner": device.owner.to_string(),
        "public_ip": device.public_ip,
        "status": format!("{:?}", device.status),
        "max_users": device.max_users,
        "users_count": device.users_count,
        "reserved_seats": device.reserved_seats,
        "metrics_publisher": device.metrics_publisher.to_string(),
        "bump": device.bump,
    })
}

fn reservation_fields(reservation: &Reservation) -> Value {
    json!({
        "device": reservation.device.to_string(),
        "client_ip": reservation.client_ip,
        "payer": reservation.payer.to_string(),
        "reserved_at": reservation.reserved_at.to_string(),
        "expires_at": reservation.expires_at.to_string(),
        "bump": reservation.bump,
    })
}

fn user_fields(user: &User) -> Value {
    json!({
        "owner": user.owner.to_string(),
        "device": user.device.to_string(),
        "client_ip": user.client_ip,
        "tunnel_net": {
            "network": user.tunnel_net.network,
            "prefix_len": user.tunnel_net.prefix_len,
        },
        "status": format!("{:?}", user.status),
        "created_at": user.created_at.to_string(),
        "payer": user.payer.to_string(),
        "bump": user.bump,
        "bgp_status": format!("{:?}", user.bgp_status),
        "last_bgp_up_at": user.last_bgp_up_at.to_string(),
        "last_bgp_reported_at": user.last_bgp_reported_at.to_string(),
        "bgp_rtt_ns": user.bgp_rtt_ns.to_string(),
        "bgp_flaps": user.bgp_flaps,
        "bgp_up_secs": user.bgp_up_secs.to_string(),
        "last_bgp_down_at": user.last_bgp_down_at.to_string(),
    })
}

fn tunnel_claim_fields(claim: &TunnelClaim) -> Value {
    json!({
        "user": claim.user.to_string(),
        "bump": claim.bump,
        "sharers": claim.sharers.iter().map(Pubkey::to_string).collect::<Vec<_>>(),
    })
}

fn admin_proposal_fields(proposal: &AdminProposal) -> Value {
    json!({
        "proposed_admin": proposal.proposed_admin.to_string(),
        "proposed_at": proposal.proposed_at.to_string(),
        "bump": proposal.bump,
    })
}

/// A fixed key per role, so the fixtures are the same on every run.
/// The fixtures' key for role number `seed`: the same on every run.
pub fn role(seed: u8) -> Keypair {
    Keypair::new_from_array([seed; 32])
}

struct Builder {
    svm: LiteSVM,
}

impl Builder {
    fn send(&mut self, payer: &Keypair, instructions: &[Instruction], signers: &[&Keypair]) {
        let mut all = vec![payer];
        all.extend_from_slice(signers);
        let transaction = Transaction::new_signed_with_payer(
            instructions,
            Some(&payer.pubkey()),
            &all,
            self.svm.latest_blockhash(),
        );
        self.svm
            .send_transaction(transaction)
            .unwrap_or_else(|failed| panic!("fixture transaction failed: {failed:?}"));
        self.svm.expire_blockhash();
    }

    fn set_time(&mut self, unix_timestamp: i64) {
        let mut clock: Clock = self.svm.get_sysvar();
        clock.unix_timestamp = unix_timestamp;
        clock.slot += 1;
        self.svm.set_sysvar(&clock);
    }

    fn data(&self, address: &Pubkey) -> Vec<u8> {
        self.svm
            .get_account(address)
            .expect("fixture account exists")
            .data
    }
}

/// Builds every fixture: GlobalState, a Device, a Reservation, a User, a User in the legacy
/// layout, a TunnelClaim and an AdminProposal.
pub fn build() -> Vec<Fixture> {
    let admin = role(1);
    let foundation = role(2);
    let reservation_authority = role(3);
    let activator = role(4);
    let publisher = role(PUBLISHER_SEED);
    let owner = role(6);
    let successor = role(7);

    let mut svm = LiteSVM::new();
    let runtime = ProgramRuntime::from_env().expect("SERVICEABILITY_SO names an existing .so");
    add_serviceability(&mut svm, &runtime).expect("program registered");
    set_upgrade_authority(&mut svm, Some(admin.pubkey()));
    for key in [
        &admin,
        &foundation,
        &reservation_authority,
        &activator,
        &publisher,
    ] {
        svm.airdrop(&key.pubkey(), 10_000_000_000).expect("airdrop");
    }
    let mut ledger = Builder { svm };
    ledger.set_time(GENESIS_UNIX_TIME);

    let device = pda::device(DEVICE_CODE);
    ledger.send(
        &admin,
        &[
            ix::initialize(admin.pubkey()),
            ix::add_foundation_key(admin.pubkey(), foundation.pubkey()),
            ix::set_authority(
                admin.pubkey(),
                AuthorityUpdate::Reservation {
                    new_authority: Some(reservation_authority.pubkey()),
                },
            ),
            ix::set_authority(
                admin.pubkey(),
                AuthorityUpdate::Activator {
                    new_authority: activator.pubkey(),
                },
            ),
        ],
        &[],
    );
    ledger.send(
        &foundation,
        &[
            ix::create_device(
                foundation.pubkey(),
                CreateDeviceArgs {
                    code: DEVICE_CODE.into(),
                    public_ip: [185, 1, 1, 10],
                    max_users: 8,
                    metrics_publisher: publisher.pubkey(),
                },
            ),
            ix::update_device(
                foundation.pubkey(),
                device,
                UpdateDeviceArgs {
                    public_ip: None,
                    status: Some(DeviceStatus::Activated),
                    max_users: None,
                    metrics_publisher: None,
                    owner: None,
                },
            ),
        ],
        &[],
    );
    // The user's seat is reserved first, then converted.
    ledger.set_time(GENESIS_UNIX_TIME + 60);
    for ip in [USER_IP, RESERVATION_IP] {
        ledger.send(
            &reservation_authority,
            &[ix::reserve_connection(
                reservation_authority.pubkey(),
                device,
                ip,
                Some(3600),
            )],
            &[],
        );
    }
    ledger.set_time(GENESIS_UNIX_TIME + 120);
    for (ip, network, reservation_payer) in [
        (
            USER_IP,
            [169, 254, 0, 0],
            Some(reservation_authority.pubkey()),
        ),
        (LEGACY_USER_IP, legacy_tunnel_net().network, None),
    ] {
        ledger.send(
            &activator,
            &[ix::create_user(
                activator.pubkey(),
                device,
                ip,
                TunnelNet {
                    network,
                    prefix_len: 31,
                },
                owner.pubkey(),
                reservation_payer,
            )],
            &[],
        );
    }
    // Up, a flap, Up again: the session-quality fields are all non-zero.
    for (at, status, rtt_ns) in [
        (180, BgpStatus::Up, 1_250_000),
        (240, BgpStatus::Down, 0),
        (300, BgpStatus::Up, 980_000),
    ] {
        ledger.set_time(GENESIS_UNIX_TIME + at);
        ledger.send(
            &publisher,
            &[ix::report_bgp_sessions(
                publisher.pubkey(),
                device,
                &[(USER_IP, BgpReport { status, rtt_ns })],
            )],
            &[],
        );
    }

    ledger.send(
        &admin,
        &[ix::propose_admin(admin.pubkey(), Some(successor.pubkey()))],
        &[],
    );

    let user = pda::user(&device, USER_IP);
    let tunnel_claim = pda::tunnel_claim(
        &device,
        &TunnelNet {
            network: [169, 254, 0, 0],
            prefix_len: 31,
        },
    );
    let reservation = pda::reservation(&device, RESERVATION_IP);
    let legacy_user = pda::user(&device, LEGACY_USER_IP);
    let mut legacy_data = ledger.data(&legacy_user);
    // The account as it was before the BGP block existed.
    legacy_data.truncate(usize::from(USER_LEGACY_ACCOUNT_LEN));
    // The reported user as it was before session quality existed.
    let mut bgp_v1_data = ledger.data(&user);
    bgp_v1_data.truncate(usize::from(USER_BGP_V1_ACCOUNT_LEN));
    vec![
        Fixture {
            name: "global_state",
            account: "GlobalState",
            layout: Layout::Current,
            address: pda::global_state(),
            data: ledger.data(&pda::global_state()),
        },
        Fixture {
            name: "device",
            account: "Device",
            layout: Layout::Current,
            address: device,
            data: ledger.data(&device),
        },
        Fixture {
            name: "reservation",
            account: "Reservation",
            layout: Layout::Current,
            address: reservation,
            data: ledger.data(&reservation),
        },
        Fixture {
            name: "user",
            account: "User",
            layout: Layout::Current,
            address: user,
            data: ledger.data(&user),
        },
        Fixture {
            name: "user_legacy",
            account: "User",
            layout: Layout::Legacy,
            address: legacy_user,
            data: legacy_data,
        },
        Fixture {
            name: "user_bgp_v1",
            account: "User",
            layout: Layout::BgpV1,
            address: user,
            data: bgp_v1_data,
        },
        Fixture {
            name: "tunnel_claim",
            account: "TunnelClaim",
            layout: Layout::Current,
            address: tunnel_claim,
            data: ledger.data(&tunnel_claim),
        },
        Fixture {
            name: "admin_proposal",
            account: "AdminProposal",
            layout: Layout::Current,
            address: pda::admin_proposal(),
            data: ledger.data(&pda::admin_proposal()),
        },
    ]
}

/// The JSON twin as written to `<name>.json`: pretty-printed, newline-terminated.
pub fn twin_text(twin: &Value) -> String {
    serde_json::to_string_pretty(twin).expect("JSON prints") + "\n"
}
