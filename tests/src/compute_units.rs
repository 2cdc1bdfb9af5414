//! Compute units of every instruction path, measured on test SVMs whose keys are the same on
//! every run, so that the figures repeat exactly: the benchmark prints them and
//! `tests/compute_units.rs` holds each under a ceiling. They are real only when the program
//! runs as SBF (`SERVICEABILITY_SO`); natively they are nominal.
//!
//! The reference floor is `tests/floor`: one Anchor instruction that creates a PDA account of
//! a Reservation's size and does nothing else, built into `anchor_init_floor.so` beside the
//! program by `cargo xtask sbf`.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use litesvm::LiteSVM;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::types::{
    AuthorityUpdate, BgpStatus, CreateDeviceArgs, UpdateDeviceArgs,
};
use serviceability_host::ProgramRuntime;
use solana_transaction::Transaction;

use crate::{
    client_ip, tunnel_net_for, update_nothing, Keypair, Scenario, Signer, TestSvm, FUNDING,
};

/// `set_user_bgp_status` instructions in the packed-transaction path: as many as fit in
/// one transaction signed by the metrics publisher alone.
pub const BGP_UPDATES_PER_TRANSACTION: u16 = 20;

/// The name of the reference floor's `.so`, beside the program's.
pub const FLOOR_SO: &str = "anchor_init_floor.so";

/// One measured path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathCost {
    /// The instruction, and which of its paths.
    pub name: &'static str,
    /// Compute units the transaction consumed.
    pub compute_units: u64,
    /// Instructions in the transaction (1, or the packed BGP reports).
    pub instructions: usize,
}

/// Sends `instructions` signed by `signer` (who pays) and returns what it cost; panics with
/// the logs if the transaction fails.
fn cost(svm: &mut TestSvm, instructions: &[Instruction], signer: &Keypair) -> (u64, usize) {
    match svm.send_paid_by(signer, instructions, &[]) {
        Ok(meta) => (meta.compute_units_consumed, instructions.len()),
        Err(failed) => panic!(
            "measuring failed: {:?}\n{}",
            failed.err,
            failed.meta.logs.join("\n")
        ),
    }
}

fn device_args(code: &str, publisher: Pubkey) -> CreateDeviceArgs {
    CreateDeviceArgs {
        code: code.to_string(),
        public_ip: [185, 1, 1, 10],
        max_users: 64,
        metrics_publisher: publisher,
    }
}

fn create_user(svm: &TestSvm, device: &Pubkey, ip: Ipv4Addr, payer: Option<Pubkey>) -> Instruction {
    let admin = svm.admin.pubkey();
    ix::create_user(admin, *device, ip, tunnel_net_for(ip), admin, payer)
}

/// Every path of every instruction, in the order of the benchmark's table.
pub fn measure_program() -> Vec<PathCost> {
    let mut costs = Vec::new();
    let mut record = |name: &'static str, (compute_units, instructions): (u64, usize)| {
        costs.push(PathCost {
            name,
            compute_units,
            instructions,
        })
    };

    let mut svm = TestSvm::uninitialized_with_fixed_keys();
    let admin = svm.admin.insecure_clone();
    record(
        "initialize",
        cost(&mut svm, &[ix::initialize(admin.pubkey())], &admin),
    );
    let update = AuthorityUpdate::Reservation {
        new_authority: Some(Pubkey::new_from_array([7; 32])),
    };
    let set_authority = ix::set_authority(admin.pubkey(), update);
    record("set_authority", cost(&mut svm, &[set_authority], &admin));
    let key = Pubkey::new_from_array([8; 32]);
    let add = ix::add_foundation_key(admin.pubkey(), key);
    record("add_foundation_key", cost(&mut svm, &[add], &admin));
    let remove = ix::remove_foundation_key(admin.pubkey(), key);
    record("remove_foundation_key", cost(&mut svm, &[remove], &admin));
    let pause = ix::set_reservations_paused(admin.pubkey(), true);
    record("set_reservations_paused", cost(&mut svm, &[pause], &admin));
    let successor = Keypair::new_from_array([9; 32]);
    svm.litesvm
        .airdrop(&successor.pubkey(), FUNDING)
        .expect("airdrop");
    let propose = ix::propose_admin(admin.pubkey(), Some(successor.pubkey()));
    record("propose_admin", cost(&mut svm, &[propose], &admin));
    let accept = ix::accept_admin(successor.pubkey(), admin.pubkey());
    record("accept_admin", cost(&mut svm, &[accept], &successor));

    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::with_fixed_keys(u16::MAX);
    let foundation = device.foundation.insecure_clone();
    let create = ix::create_device(
        foundation.pubkey(),
        device_args("fra-1", foundation.pubkey()),
    );
    record("create_device", cost(&mut svm, &[create], &foundation));
    let update = UpdateDeviceArgs {
        max_users: Some(100),
        ..update_nothing()
    };
    let update = ix::update_device(foundation.pubkey(), pda::device("fra-1"), update);
    record("update_device", cost(&mut svm, &[update], &foundation));
    let close = ix::close_device(
        foundation.pubkey(),
        pda::device("fra-1"),
        foundation.pubkey(),
    );
    record("close_device", cost(&mut svm, &[close], &foundation));

    let ip = client_ip(1);
    let reserve = ix::reserve_connection(authority.pubkey(), device.address, ip, Some(3600));
    record("reserve_connection", cost(&mut svm, &[reserve], &authority));
    let close = ix::close_reservation(authority.pubkey(), device.address, ip, authority.pubkey());
    record("close_reservation", cost(&mut svm, &[close], &authority));
    svm.reserve(&authority, &device.address, ip, Some(1))
        .expect("reserved");
    svm.advance_clock(1);
    let admin = svm.admin.insecure_clone();
    let prune = ix::prune_expired_reservation(device.address, ip, authority.pubkey());
    record(
        "prune_expired_reservation",
        cost(&mut svm, &[prune], &admin),
    );

    let user = create_user(&svm, &device.address, ip, None);
    record("create_user", cost(&mut svm, &[user], &admin));
    let reserved = client_ip(2);
    svm.reserve(&authority, &device.address, reserved, None)
        .expect("reserved");
    let user = create_user(&svm, &device.address, reserved, Some(authority.pubkey()));
    record(
        "create_user (consuming a reservation)",
        cost(&mut svm, &[user], &admin),
    );
    let delete = ix::delete_user(
        admin.pubkey(),
        device.address,
        reserved,
        &tunnel_net_for(reserved),
        admin.pubkey(),
    );
    record("delete_user", cost(&mut svm, &[delete], &admin));

    let publisher = device.metrics_publisher.insecure_clone();
    let report =
        |ip| ix::set_user_bgp_status(publisher.pubkey(), device.address, ip, BgpStatus::Up);
    svm.advance_clock(1);
    record(
        "set_user_bgp_status",
        cost(&mut svm, &[report(ip)], &publisher),
    );
    let legacy = client_ip(3);
    svm.create_user(&device.address, legacy).expect("user");
    svm.make_legacy_user(&device.address, legacy);
    record(
        "set_user_bgp_status (growing a legacy user)",
        cost(&mut svm, &[report(legacy)], &publisher),
    );
    let claim = ix::claim_tunnel_net(
        admin.pubkey(),
        device.address,
        legacy,
        &tunnel_net_for(legacy),
    );
    record("claim_tunnel_net", cost(&mut svm, &[claim], &admin));
    let packed: Vec<Ipv4Addr> = (100..100 + BGP_UPDATES_PER_TRANSACTION)
        .map(client_ip)
        .collect();
    for ip in &packed {
        svm.create_user(&device.address, *ip).expect("user");
    }
    let reports: Vec<Instruction> = packed.iter().map(|ip| report(*ip)).collect();
    record(
        "set_user_bgp_status × 20 (one transaction)",
        cost(&mut svm, &reports, &publisher),
    );
    costs
}

/// Where the reference floor's `.so` is for `runtime`: beside the program's.
pub fn floor_so(runtime: &ProgramRuntime) -> Option<PathBuf> {
    match runtime {
        ProgramRuntime::Sbf(program) => Some(program.with_file_name(FLOOR_SO)),
        ProgramRuntime::Native => None,
    }
}

/// The reference floor's one instruction, on SBF: compute units of creating a
/// Reservation-sized PDA account with Anchor's `init` and nothing else.
pub fn measure_floor(so: &Path) -> u64 {
    let mut svm = LiteSVM::new();
    svm.add_program_from_file(anchor_init_floor::ID, so)
        .unwrap_or_else(|error| panic!("loading {}: {error}", so.display()));
    let payer = Keypair::new_from_array([1; 32]);
    svm.airdrop(&payer.pubkey(), FUNDING).expect("airdrop");
    let (seat, _) = Pubkey::find_program_address(
        &[anchor_init_floor::FLOOR_SEED, payer.pubkey().as_ref()],
        &anchor_init_floor::ID,
    );
    let instruction = Instruction {
        program_id: anchor_init_floor::ID,
        accounts: anchor_init_floor::accounts::Init {
            payer: payer.pubkey(),
            seat,
            system_program: system_program::ID,
        }
        .to_account_metas(None),
        data: anchor_init_floor::instruction::Init {}.data(),
    };
    let transaction = Transaction::new_signed_with_payer(
        &[instruction],
        Some(&payer.pubkey()),
        &[&payer],
        svm.latest_blockhash(),
    );
    match svm.send_transaction(transaction) {
        Ok(meta) => meta.compute_units_consumed,
        Err(failed) => panic!(
            "the floor failed: {:?}\n{}",
            failed.err,
            failed.meta.logs.join("\n")
        ),
    }
}
