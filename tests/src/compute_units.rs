//! Compute units of every instruction path, measured with keys that are the same on every
//! run, so that the figures repeat exactly: the benchmark prints them, `tests/compute_units.rs`
//! holds each under a ceiling, and the end-to-end suite runs the very same transactions on
//! agave's test validator and compares. They are real only when the program runs as SBF
//! (`SERVICEABILITY_SO`); natively they are nominal.
//!
//! [`measure_program_on`] is one sequence of transactions on one ledger, over any [`Chain`]:
//! [`SvmChain`] (litesvm, through the harness) or a real cluster. Both start from the same
//! genesis: the program with the fixed admin as its upgrade authority, and the legacy-layout
//! User of the layout fixtures with its Device ([`genesis_accounts`]), since no instruction can
//! create an account in that layout any more.
//!
//! The reference floor is `tests/floor`: one Anchor instruction that creates a PDA account of
//! a Reservation's size and does nothing else, built into `anchor_init_floor.so` beside the
//! program by `cargo xtask sbf`.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::{Pubkey, Rent};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use litesvm::LiteSVM;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::types::{
    AuthorityUpdate, BgpReport, BgpStatus, CreateDeviceArgs, DeviceStatus, TunnelNet,
    UpdateDeviceArgs,
};
use serviceability_client::PROGRAM_ID;
use serviceability_host::ProgramRuntime;
use solana_account::Account;
use solana_transaction::Transaction;

use crate::fixtures;
use crate::{client_ip, tunnel_net_for, update_nothing, Keypair, Signer, TestSvm, FUNDING};

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

/// Where the measured transactions run.
pub trait Chain {
    /// Gives `key` enough lamports for every fee and rent it pays in the sequence.
    fn fund(&mut self, key: &Pubkey);
    /// Sends `instructions` paid by `payer`, signed by it and `signers`, and returns the
    /// compute units the transaction consumed, or why it failed (with its logs).
    fn execute(
        &mut self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<u64, String>;
    /// Lets at least `seconds` pass on the chain's clock.
    fn pass_seconds(&mut self, seconds: i64);
}

/// The keys of the sequence, the same on every run and on every chain.
pub struct MeasuredKeys {
    /// The program's upgrade authority, who initializes it (admin and first activator).
    pub admin: Keypair,
    /// A foundation key: creates and owns the devices.
    pub foundation: Keypair,
    /// The devices' metrics publisher.
    pub publisher: Keypair,
    /// The reservation authority.
    pub reservation_authority: Keypair,
    /// The admin's successor in the two-step hand-over.
    pub successor: Keypair,
    /// The metrics publisher of the genesis legacy user's device (the layout fixtures').
    pub legacy_publisher: Keypair,
}

impl MeasuredKeys {
    /// The keys (the harness's fixed keys: the admin is [`TestSvm::with_fixed_keys`]'s).
    pub fn new() -> Self {
        let key = |seed: u8| Keypair::new_from_array([seed; 32]);
        MeasuredKeys {
            admin: key(1),
            foundation: key(2),
            publisher: key(3),
            reservation_authority: key(4),
            successor: key(9),
            legacy_publisher: fixtures::role(fixtures::PUBLISHER_SEED),
        }
    }

    fn all(&self) -> [&Keypair; 6] {
        [
            &self.admin,
            &self.foundation,
            &self.publisher,
            &self.reservation_authority,
            &self.successor,
            &self.legacy_publisher,
        ]
    }
}

impl Default for MeasuredKeys {
    fn default() -> Self {
        Self::new()
    }
}

/// The accounts both chains hold at genesis besides the program: the layout fixtures'
/// Device and its User in the legacy layout (123 bytes, no tunnel claim), rent-exempt.
pub fn genesis_accounts() -> Vec<(Pubkey, Account)> {
    let rent = Rent::default();
    fixtures::build()
        .into_iter()
        .filter(|fixture| matches!(fixture.name, "device" | "user_legacy"))
        .map(|fixture| {
            let account = Account {
                lamports: rent.minimum_balance(fixture.data.len()),
                data: fixture.data,
                owner: PROGRAM_ID,
                executable: false,
                rent_epoch: 0,
            };
            (fixture.address, account)
        })
        .collect()
}

/// The harness's litesvm as a [`Chain`]: the program (native or SBF, as `SERVICEABILITY_SO`
/// says) with the fixed admin as upgrade authority, and the [`genesis_accounts`].
pub struct SvmChain {
    /// The test SVM.
    pub svm: TestSvm,
}

impl SvmChain {
    /// A fresh one.
    pub fn new() -> Self {
        let mut svm = TestSvm::uninitialized_with_fixed_keys();
        for (address, account) in genesis_accounts() {
            svm.litesvm
                .set_account(address, account)
                .expect("genesis account written");
        }
        SvmChain { svm }
    }
}

impl Default for SvmChain {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain for SvmChain {
    fn fund(&mut self, key: &Pubkey) {
        // A fresh blockhash: the harness already funded the admin with the same transfer.
        self.svm.litesvm.expire_blockhash();
        self.svm.litesvm.airdrop(key, FUNDING).expect("airdrop");
    }

    fn execute(
        &mut self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<u64, String> {
        self.svm
            .send_paid_by(payer, instructions, signers)
            .map(|meta| meta.compute_units_consumed)
            .map_err(|failed| format!("{:?}\n{}", failed.err, failed.meta.logs.join("\n")))
    }

    fn pass_seconds(&mut self, seconds: i64) {
        self.svm.advance_clock(seconds);
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

/// Every path of every instruction on litesvm (the harness's runtime), in the order of the
/// benchmark's table.
pub fn measure_program() -> Vec<PathCost> {
    measure_program_on(&mut SvmChain::new())
}

/// Every path of every instruction, in the order of the benchmark's table, as one sequence of
/// transactions on `chain` (fresh from genesis). Panics, naming the path, if one fails.
pub fn measure_program_on<C: Chain>(chain: &mut C) -> Vec<PathCost> {
    let keys = MeasuredKeys::new();
    for key in keys.all() {
        chain.fund(&key.pubkey());
    }
    let mut costs = Costs::default();
    let mut run = |chain: &mut C,
                   name: Option<&'static str>,
                   signer: &Keypair,
                   ixs: &[Instruction]| { costs.run(chain, name, signer, ixs) };
    let measure = Some;
    let setup = None;
    let MeasuredKeys {
        admin,
        foundation,
        publisher,
        reservation_authority: authority,
        successor,
        legacy_publisher,
    } = &keys;
    let (admin_key, foundation_key) = (admin.pubkey(), foundation.pubkey());

    // GlobalState.
    run(
        chain,
        measure("initialize"),
        admin,
        &[ix::initialize(admin_key)],
    );
    let update = AuthorityUpdate::Reservation {
        new_authority: Some(authority.pubkey()),
    };
    let set_authority = ix::set_authority(admin_key, update);
    run(chain, measure("set_authority"), admin, &[set_authority]);
    let unheld = Pubkey::new_from_array([8; 32]);
    let add = ix::add_foundation_key(admin_key, unheld);
    run(chain, measure("add_foundation_key"), admin, &[add]);
    let remove = ix::remove_foundation_key(admin_key, unheld);
    run(chain, measure("remove_foundation_key"), admin, &[remove]);
    let pause = ix::set_reservations_paused(admin_key, true);
    run(chain, measure("set_reservations_paused"), admin, &[pause]);
    let resume = ix::set_reservations_paused(admin_key, false);
    let allow = ix::add_foundation_key(admin_key, foundation_key);
    run(chain, setup, admin, &[resume, allow]);

    // Devices.
    let create = ix::create_device(foundation_key, device_args("fra-9", publisher.pubkey()));
    run(chain, measure("create_device"), foundation, &[create]);
    let update = UpdateDeviceArgs {
        max_users: Some(100),
        ..update_nothing()
    };
    let update = ix::update_device(foundation_key, pda::device("fra-9"), update);
    run(chain, measure("update_device"), foundation, &[update]);
    let close = ix::close_device(foundation_key, pda::device("fra-9"), foundation_key);
    run(chain, measure("close_device"), foundation, &[close]);
    let device = pda::device("ams-1");
    let activate = UpdateDeviceArgs {
        status: Some(DeviceStatus::Activated),
        ..update_nothing()
    };
    let create = ix::create_device(foundation_key, device_args("ams-1", publisher.pubkey()));
    let activate = ix::update_device(foundation_key, device, activate);
    run(chain, setup, foundation, &[create, activate]);

    // Reservations.
    let ip = client_ip(1);
    let reserve = ix::reserve_connection(authority.pubkey(), device, ip, Some(3600));
    run(chain, measure("reserve_connection"), authority, &[reserve]);
    let close = ix::close_reservation(authority.pubkey(), device, ip, authority.pubkey());
    run(chain, measure("close_reservation"), authority, &[close]);
    let reserve = ix::reserve_connection(authority.pubkey(), device, ip, Some(1));
    run(chain, setup, authority, &[reserve]);
    chain.pass_seconds(1);
    let prune = ix::prune_expired_reservation(device, ip, authority.pubkey());
    run(chain, measure("prune_expired_reservation"), admin, &[prune]);

    // Users.
    let create_user = |ip: Ipv4Addr, reservation_payer: Option<Pubkey>| {
        ix::create_user(
            admin_key,
            device,
            ip,
            tunnel_net_for(ip),
            admin_key,
            reservation_payer,
        )
    };
    run(
        chain,
        measure("create_user"),
        admin,
        &[create_user(ip, None)],
    );
    let reserved = client_ip(2);
    let reserve = ix::reserve_connection(authority.pubkey(), device, reserved, None);
    run(chain, setup, authority, &[reserve]);
    let consume = create_user(reserved, Some(authority.pubkey()));
    run(
        chain,
        measure("create_user (consuming a reservation)"),
        admin,
        &[consume],
    );
    let delete = ix::delete_user(
        admin_key,
        device,
        reserved,
        &tunnel_net_for(reserved),
        admin_key,
    );
    run(chain, measure("delete_user"), admin, &[delete]);
    // A /30 covers two /31s: two claims to create and to close.
    let wide = TunnelNet {
        network: [10, 200, 0, 0],
        prefix_len: 30,
    };
    let wide_ip = client_ip(3);
    let create = ix::create_user(admin_key, device, wide_ip, wide, admin_key, None);
    run(
        chain,
        measure("create_user (a /30 tunnel)"),
        admin,
        &[create],
    );
    let delete = ix::delete_user(admin_key, device, wide_ip, &wide, admin_key);
    run(
        chain,
        measure("delete_user (a /30 tunnel)"),
        admin,
        &[delete],
    );

    // BGP status.
    let report = |ip| ix::set_user_bgp_status(publisher.pubkey(), device, ip, BgpStatus::Up);
    chain.pass_seconds(1);
    run(
        chain,
        measure("set_user_bgp_status"),
        publisher,
        &[report(ip)],
    );
    let legacy_device = pda::device(fixtures::DEVICE_CODE);
    let legacy_ip = fixtures::LEGACY_USER_IP;
    let grow = ix::set_user_bgp_status(
        legacy_publisher.pubkey(),
        legacy_device,
        legacy_ip,
        BgpStatus::Up,
    );
    run(
        chain,
        measure("set_user_bgp_status (growing a legacy user)"),
        legacy_publisher,
        &[grow],
    );
    let claim = ix::claim_tunnel_net(
        admin_key,
        legacy_device,
        legacy_ip,
        &fixtures::legacy_tunnel_net(),
    );
    run(chain, measure("claim_tunnel_net"), admin, &[claim]);
    let packed: Vec<Ipv4Addr> = (100..100 + BGP_UPDATES_PER_TRANSACTION)
        .map(client_ip)
        .collect();
    for ips in packed.chunks(5) {
        let users: Vec<Instruction> = ips.iter().map(|ip| create_user(*ip, None)).collect();
        run(chain, setup, admin, &users);
    }
    let reports: Vec<Instruction> = packed.iter().map(|ip| report(*ip)).collect();
    run(
        chain,
        measure("set_user_bgp_status × 20 (one transaction)"),
        publisher,
        &reports,
    );
    // The batched instruction on the same users (all Up now): one report, then 19 in one
    // instruction, each a change (Up → Down: a flap and an event), then the same 19 again
    // with nothing changed but the RTT (a refresh: no event).
    let batch = |ips: &[Ipv4Addr], status: BgpStatus, rtt_ns: u64| {
        let reports: Vec<_> = ips
            .iter()
            .map(|ip| (*ip, BgpReport { status, rtt_ns }))
            .collect();
        ix::report_bgp_sessions(publisher.pubkey(), device, &reports)
    };
    chain.pass_seconds(1);
    let one = batch(&packed[..1], BgpStatus::Down, 0);
    run(
        chain,
        measure("report_bgp_sessions (1 user)"),
        publisher,
        &[one],
    );
    let changes = batch(&packed[1..], BgpStatus::Down, 0);
    run(
        chain,
        measure("report_bgp_sessions (19 users, each a change)"),
        publisher,
        &[changes],
    );
    let refresh = batch(&packed[1..], BgpStatus::Down, 1_250_000);
    run(
        chain,
        measure("report_bgp_sessions (19 users, RTT only)"),
        publisher,
        &[refresh],
    );

    // The admin hands over, last: everything above is the admin's.
    let propose = ix::propose_admin(admin_key, Some(successor.pubkey()));
    run(chain, measure("propose_admin"), admin, &[propose]);
    let accept = ix::accept_admin(successor.pubkey(), admin_key);
    run(chain, measure("accept_admin"), successor, &[accept]);
    costs.measured
}

/// The sequence's measurements so far.
#[derive(Default)]
struct Costs {
    measured: Vec<PathCost>,
}

impl Costs {
    /// Runs one transaction of the sequence on `chain`, signed and paid by `signer`, and
    /// records its cost under `name` (none: a setup step, not measured).
    fn run(
        &mut self,
        chain: &mut impl Chain,
        name: Option<&'static str>,
        signer: &Keypair,
        instructions: &[Instruction],
    ) {
        let compute_units = chain
            .execute(signer, instructions, &[])
            .unwrap_or_else(|why| panic!("{}: {why}", name.unwrap_or("a setup step")));
        if let Some(name) = name {
            self.measured.push(PathCost {
                name,
                compute_units,
                instructions: instructions.len(),
            });
        }
    }
}

/// Where the reference floor's `.so` is for `runtime`: beside the program's.
pub fn floor_so(runtime: &ProgramRuntime) -> Option<PathBuf> {
    match runtime {
        ProgramRuntime::Sbf(program) => Some(program.with_file_name(FLOOR_SO)),
        ProgramRuntime::Native => None,
    }
}

/// The event forger's `.so` beside the program's (`tests/forger`, built by `cargo xtask
/// sbf`), when the program runs as SBF.
pub fn forger_so(runtime: &ProgramRuntime) -> Option<PathBuf> {
    match runtime {
        ProgramRuntime::Sbf(program) => Some(program.with_file_name("event_forger.so")),
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
