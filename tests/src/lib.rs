//! Test harness: a litesvm instance (`TestSvm`) running the serviceability program through the native
//! host, or as the compiled SBF `.so` that `SERVICEABILITY_SO` names, with
//! GlobalState initialized, and helpers to send transactions and read accounts.

use std::net::Ipv4Addr;

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::solana_program::instruction::{error::InstructionError, Instruction};
use anchor_lang::AccountDeserialize;
use litesvm::types::{FailedTransactionMetadata, TransactionMetadata};
use litesvm::LiteSVM;
use serviceability_client::accounts::{Device, Reservation, User};
use serviceability_client::errors::program_error;
use serviceability_client::legacy::decode_user;
use serviceability_client::serviceability::constants::USER_LEGACY_ACCOUNT_LEN;
use serviceability_client::transport::{check_transaction_size, wire_size};
use serviceability_client::types::{
    AuthorityUpdate, BgpStatus, CreateDeviceArgs, DeviceStatus, TunnelNet, UpdateDeviceArgs,
};
use serviceability_client::{instructions as ix, pda, PROGRAM_ID};
use serviceability_host::{add_serviceability, set_upgrade_authority, ProgramRuntime};
use solana_account::Account;
pub use solana_keypair::Keypair;
pub use solana_signer::Signer;
use solana_slot_hashes::SlotHashes;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

pub use serviceability_client::serviceability::error::ServiceabilityError;

/// Lamports given to every funded test key.
pub const FUNDING: u64 = 100_000_000_000;
/// Unix time the test SVM's clock starts at.
pub const GENESIS_UNIX_TIME: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

/// Outcome of a transaction.
pub type TxResult = Result<TransactionMetadata, FailedTransactionMetadata>;

/// A test SVM with the program loaded and GlobalState initialized by [`TestSvm::admin`].
pub struct TestSvm {
    /// The litesvm instance.
    pub litesvm: LiteSVM,
    /// GlobalState's admin (also its initial activator authority).
    pub admin: Keypair,
    /// How the program runs.
    pub runtime: ProgramRuntime,
    /// Where [`TestSvm::funded_keypair`] takes its keys.
    keys: KeySource,
}

/// Where the harness's keys come from.
enum KeySource {
    /// `Keypair::new()`.
    Random,
    /// Each key from the next seed: the same keys on every run, so that compute units,
    /// which depend on key bytes (comparisons, PDA bump searches), repeat exactly.
    Fixed { next_seed: u8 },
}

impl KeySource {
    fn next(&mut self) -> Keypair {
        match self {
            KeySource::Random => Keypair::new(),
            KeySource::Fixed { next_seed } => {
                let seed = *next_seed;
                *next_seed = seed.checked_add(1).expect("at most 255 fixed keys");
                Keypair::new_from_array([seed; 32])
            }
        }
    }
}

/// A device created and activated by [`TestSvm::activated_device`].
pub struct DeviceFixture {
    /// The Device PDA.
    pub address: Pubkey,
    /// Its code.
    pub code: String,
    /// The foundation key that created (and owns) it.
    pub foundation: Keypair,
    /// Its metrics publisher.
    pub metrics_publisher: Keypair,
}

impl Default for TestSvm {
    fn default() -> Self {
        Self::new()
    }
}

impl TestSvm {
    /// A fresh test SVM with GlobalState initialized.
    pub fn new() -> Self {
        let mut svm = Self::uninitialized();
        let admin_key = svm.admin.pubkey();
        svm.send_ok(&[ix::initialize(admin_key)], &[]);
        svm
    }

    /// [`TestSvm::new`] whose keys (admin first) are the same on every run.
    pub fn with_fixed_keys() -> Self {
        let mut svm = Self::uninitialized_with_fixed_keys();
        let admin_key = svm.admin.pubkey();
        svm.send_ok(&[ix::initialize(admin_key)], &[]);
        svm
    }

    /// A fresh test SVM with the program loaded and a funded admin, who is the program's
    /// upgrade authority, before `initialize`.
    pub fn uninitialized() -> Self {
        Self::uninitialized_with(KeySource::Random)
    }

    /// [`TestSvm::uninitialized`] whose keys are the same on every run.
    pub fn uninitialized_with_fixed_keys() -> Self {
        Self::uninitialized_with(KeySource::Fixed { next_seed: 1 })
    }

    fn uninitialized_with(mut keys: KeySource) -> Self {
        let mut svm = LiteSVM::new();
        let runtime = ProgramRuntime::from_env().expect("SERVICEABILITY_SO names an existing .so");
        add_serviceability(&mut svm, &runtime).expect("program registered");
        let mut clock: Clock = svm.get_sysvar();
        clock.unix_timestamp = GENESIS_UNIX_TIME;
        svm.set_sysvar(&clock);
        let admin = keys.next();
        svm.airdrop(&admin.pubkey(), FUNDING).expect("airdrop");
        // The admin deployed the program: only the upgrade authority may initialize.
        set_upgrade_authority(&mut svm, Some(admin.pubkey()));
        TestSvm {
            litesvm: svm,
            admin,
            runtime,
            keys,
        }
    }

    /// A new key holding [`FUNDING`] lamports.
    pub fn funded_keypair(&mut self) -> Keypair {
        let keypair = self.keys.next();
        self.litesvm
            .airdrop(&keypair.pubkey(), FUNDING)
            .expect("airdrop");
        keypair
    }

    /// Sends `instructions` with the admin paying the fee, signed by the admin and `signers`.
    pub fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let payer = self.admin.insecure_clone();
        self.send_paid_by(&payer, instructions, signers)
    }

    /// Sends `instructions` with `payer` paying the fee, signed by it and `signers`.
    ///
    /// Panics, with the cluster's message, if the transaction is larger than a cluster
    /// accepts (1,232 bytes): litesvm would run it, a cluster refuses it before execution,
    /// and no test may pass on what a cluster refuses. [`TestSvm::transaction_size`] tells
    /// beforehand.
    pub fn send_paid_by(
        &mut self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> TxResult {
        let transaction = self.signed(payer, instructions, signers);
        if let Err(too_large) = check_transaction_size(&transaction) {
            panic!("{too_large}");
        }
        let result = self.litesvm.send_transaction(transaction);
        // A fresh blockhash keeps identical retries distinct transactions.
        self.litesvm.expire_blockhash();
        result
    }

    /// Creates an address lookup table of `addresses`, owned by `authority` (which pays), and
    /// lets a slot pass so that they can be looked up. Returns the table's address.
    pub fn lookup_table(&mut self, authority: &Keypair, addresses: &[Pubkey]) -> Pubkey {
        use solana_address_lookup_table_interface::instruction as alt;
        // A table's recent slot must be in SlotHashes, whose newest entry litesvm keeps.
        let slot_hashes: SlotHashes = self.litesvm.get_sysvar();
        let (recent_slot, _) = *slot_hashes.first().expect("a slot hash");
        let (create, table) =
            alt::create_lookup_table(authority.pubkey(), authority.pubkey(), recent_slot);
        self.send_paid_by(authority, &[create], &[])
            .expect("lookup table created");
        // 20 addresses per extension keep each transaction well under the size limit.
        for chunk in addresses.chunks(20) {
            let extend = alt::extend_lookup_table(
                table,
                authority.pubkey(),
                Some(authority.pubkey()),
                chunk.to_vec(),
            );
            self.send_paid_by(authority, &[extend], &[])
                .expect("lookup table extended");
        }
        // Addresses added in a slot are usable from the next one.
        let clock: Clock = self.litesvm.get_sysvar();
        self.litesvm.warp_to_slot(clock.slot + 1);
        table
    }

    /// Sends `instructions` as a v0 transaction paid and signed by `payer` (and `signers`),
    /// its accounts looked up in `tables` where they can be (`(address, its addresses)`).
    /// Panics, as [`Self::send_paid_by`] does, if it is larger than a cluster accepts.
    pub fn send_v0(
        &mut self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
        tables: &[(Pubkey, Vec<Pubkey>)],
    ) -> TxResult {
        let transaction = self.signed_v0(payer, instructions, signers, tables);
        if let Err(too_large) = check_transaction_size(&transaction) {
            panic!("{too_large}");
        }
        let result = self.litesvm.send_transaction(transaction);
        self.litesvm.expire_blockhash();
        result
    }

    /// The v0 transaction [`Self::send_v0`] sends, signed and not sent.
    pub fn signed_v0(
        &self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
        tables: &[(Pubkey, Vec<Pubkey>)],
    ) -> VersionedTransaction {
        use solana_message::{v0, AddressLookupTableAccount, VersionedMessage};
        let tables: Vec<_> = tables
            .iter()
            .map(|(key, addresses)| AddressLookupTableAccount {
                key: *key,
                addresses: addresses.clone(),
            })
            .collect();
        let message = v0::Message::try_compile(
            &payer.pubkey(),
            instructions,
            &tables,
            self.litesvm.latest_blockhash(),
        )
        .expect("a v0 message");
        VersionedTransaction::try_new(VersionedMessage::V0(message), &payer_first(payer, signers))
            .expect("signed")
    }

    /// The wire size of `instructions` paid by `payer` and signed by it and `signers`.
    pub fn transaction_size(
        &self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> usize {
        wire_size(&self.signed(payer, instructions, signers))
    }

    fn signed(
        &self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Transaction {
        Transaction::new_signed_with_payer(
            instructions,
            Some(&payer.pubkey()),
            &payer_first(payer, signers),
            self.litesvm.latest_blockhash(),
        )
    }

    /// [`Self::send`], panicking with the logs if it fails.
    pub fn send_ok(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> TransactionMetadata {
        match self.send(instructions, signers) {
            Ok(meta) => meta,
            Err(failed) => panic!(
                "transaction failed: {:?}\n{}",
                failed.err,
                failed.meta.logs.join("\n")
            ),
        }
    }

    /// The account at `address` decoded as `T`, if it exists and decodes.
    pub fn account<T: AccountDeserialize>(&self, address: &Pubkey) -> Option<T> {
        let account = self.litesvm.get_account(address)?;
        T::try_deserialize(&mut account.data.as_slice()).ok()
    }

    /// Whether an account with lamports exists at `address`.
    pub fn exists(&self, address: &Pubkey) -> bool {
        self.litesvm
            .get_account(address)
            .is_some_and(|account| account.lamports > 0)
    }

    /// Lamports at `address` (0 if none).
    pub fn lamports(&self, address: &Pubkey) -> u64 {
        self.litesvm.get_balance(address).unwrap_or(0)
    }

    /// The Device at `address`; panics if absent.
    pub fn device(&self, address: &Pubkey) -> Device {
        self.account(address).expect("device exists")
    }

    /// The User of `(device, client_ip)` in either layout, if any.
    pub fn user(&self, device: &Pubkey, client_ip: Ipv4Addr) -> Option<User> {
        let account = self.litesvm.get_account(&pda::user(device, client_ip))?;
        decode_user(&account.data).ok()
    }

    /// The Reservation of `(device, client_ip)`, if any.
    pub fn reservation(&self, device: &Pubkey, client_ip: Ipv4Addr) -> Option<Reservation> {
        self.account(&pda::reservation(device, client_ip))
    }

    /// Runs `attempt`, asserts that the program refused it with `error` (in its first
    /// instruction) and that none of the program's accounts changed: a refused transaction
    /// leaves nothing behind but the fee.
    #[track_caller]
    pub fn assert_refused(
        &mut self,
        error: ServiceabilityError,
        attempt: impl FnOnce(&mut TestSvm) -> TxResult,
    ) {
        let before = self.program_accounts();
        let result = attempt(self);
        assert_program_error(&result, error);
        assert!(
            self.program_accounts() == before,
            "{error:?}: the refused transaction changed the program's accounts"
        );
    }

    /// Every account the program owns, by address.
    pub fn program_accounts(&self) -> Vec<(Pubkey, Account)> {
        let mut accounts = self.litesvm.get_program_accounts(&PROGRAM_ID);
        accounts.sort_by_key(|(address, _)| *address);
        accounts
    }

    /// The test SVM clock's unix time.
    pub fn now(&self) -> i64 {
        self.litesvm.get_sysvar::<Clock>().unix_timestamp
    }

    /// Moves the clock forward by `seconds` (and the slot by one).
    pub fn advance_clock(&mut self, seconds: i64) {
        let mut clock: Clock = self.litesvm.get_sysvar();
        clock.unix_timestamp += seconds;
        clock.slot += 1;
        self.litesvm.set_sysvar(&clock);
    }

    /// A new funded key made the reservation authority by the admin.
    pub fn reservation_authority(&mut self) -> Keypair {
        let authority = self.funded_keypair();
        let update = AuthorityUpdate::Reservation {
            new_authority: Some(authority.pubkey()),
        };
        let admin = self.admin.pubkey();
        self.send_ok(&[ix::set_authority(admin, update)], &[]);
        authority
    }

    /// A new funded key added to the foundation allowlist by the admin.
    pub fn foundation_key(&mut self) -> Keypair {
        let foundation = self.funded_keypair();
        let admin = self.admin.pubkey();
        self.send_ok(&[ix::add_foundation_key(admin, foundation.pubkey())], &[]);
        foundation
    }

    /// A device named `code` with `max_users` seats, created by a new foundation key and
    /// activated.
    pub fn activated_device(&mut self, code: &str, max_users: u16) -> DeviceFixture {
        let foundation = self.foundation_key();
        self.activated_device_by(foundation, code, max_users)
    }

    /// A device named `code` with `max_users` seats, created by `foundation` (a key in the
    /// allowlist, which holds at most 16) and activated.
    pub fn activated_device_by(
        &mut self,
        foundation: Keypair,
        code: &str,
        max_users: u16,
    ) -> DeviceFixture {
        let metrics_publisher = self.funded_keypair();
        let args = CreateDeviceArgs {
            code: code.to_string(),
            public_ip: [185, 1, 1, 10],
            max_users,
            metrics_publisher: metrics_publisher.pubkey(),
        };
        let address = pda::device(code);
        let activate = UpdateDeviceArgs {
            status: Some(DeviceStatus::Activated),
            ..update_nothing()
        };
        self.send_ok(
            &[
                ix::create_device(foundation.pubkey(), args),
                ix::update_device(foundation.pubkey(), address, activate),
            ],
            &[&foundation],
        );
        DeviceFixture {
            address,
            code: code.to_string(),
            foundation,
            metrics_publisher,
        }
    }

    /// Reserves a seat for `client_ip` on `device`, signed by `authority`, which pays the rent.
    pub fn reserve(
        &mut self,
        authority: &Keypair,
        device: &Pubkey,
        client_ip: Ipv4Addr,
        ttl_secs: Option<u32>,
    ) -> TxResult {
        self.send(
            &[ix::reserve_connection(
                authority.pubkey(),
                *device,
                client_ip,
                ttl_secs,
            )],
            &[authority],
        )
    }

    /// Creates a user for `client_ip` on `device` with the admin (the initial activator),
    /// consuming the pair's reservation if there is one.
    pub fn create_user(&mut self, device: &Pubkey, client_ip: Ipv4Addr) -> TxResult {
        self.create_user_with_tunnel(device, client_ip, tunnel_net_for(client_ip))
    }

    /// [`TestSvm::create_user`] with the given tunnel net.
    pub fn create_user_with_tunnel(
        &mut self,
        device: &Pubkey,
        client_ip: Ipv4Addr,
        tunnel_net: TunnelNet,
    ) -> TxResult {
        let reservation_payer = self.reservation(device, client_ip).map(|r| r.payer);
        let admin = self.admin.pubkey();
        self.send(
            &[ix::create_user(
                admin,
                *device,
                client_ip,
                tunnel_net,
                admin,
                reservation_payer,
            )],
            &[],
        )
    }
}

impl TestSvm {
    /// Rewrites the User of `(device, client_ip)` into the legacy layout: the account as it
    /// was before the BGP block existed (17 bytes shorter, rent-exempt for that size), and
    /// without tunnel claims, which did not exist either.
    pub fn make_legacy_user(&mut self, device: &Pubkey, client_ip: Ipv4Addr) {
        let address = pda::user(device, client_ip);
        let mut account = self.litesvm.get_account(&address).expect("user exists");
        let user = decode_user(&account.data).expect("a User");
        let claims = std::iter::once(pda::tunnel_claim(device, &user.tunnel_net))
            .chain(pda::second_tunnel_claim(device, &user.tunnel_net));
        for claim in claims {
            self.litesvm
                .set_account(claim, Default::default())
                .expect("tunnel claim removed");
        }
        let legacy_len = usize::from(USER_LEGACY_ACCOUNT_LEN);
        account.data.truncate(legacy_len);
        account.lamports = self.litesvm.minimum_balance_for_rent_exemption(legacy_len);
        self.litesvm
            .set_account(address, account)
            .expect("legacy user written");
    }
}

/// The usual starting point: a test SVM, one activated device `ams-1` and a reservation
/// authority.
pub struct Scenario {
    /// The test SVM.
    pub svm: TestSvm,
    /// Device `ams-1`, activated.
    pub device: DeviceFixture,
    /// The reservation authority.
    pub authority: Keypair,
}

impl Scenario {
    /// A fresh test SVM with device `ams-1` of `max_users` seats and a reservation authority.
    pub fn new(max_users: u16) -> Scenario {
        Self::on(TestSvm::new(), max_users)
    }

    /// [`Scenario::new`] whose keys are the same on every run.
    pub fn with_fixed_keys(max_users: u16) -> Scenario {
        Self::on(TestSvm::with_fixed_keys(), max_users)
    }

    fn on(mut svm: TestSvm, max_users: u16) -> Scenario {
        let device = svm.activated_device("ams-1", max_users);
        let authority = svm.reservation_authority();
        Scenario {
            svm,
            device,
            authority,
        }
    }
}

/// The signers of a transaction paid by `payer`: it first, then `signers` other than it.
fn payer_first<'a>(payer: &'a Keypair, signers: &[&'a Keypair]) -> Vec<&'a Keypair> {
    let mut all = vec![payer];
    all.extend(
        signers
            .iter()
            .copied()
            .filter(|signer| signer.pubkey() != payer.pubkey()),
    );
    all
}

/// `UpdateDeviceArgs` with every field `None`.
pub fn update_nothing() -> UpdateDeviceArgs {
    UpdateDeviceArgs {
        public_ip: None,
        status: None,
        max_users: None,
        metrics_publisher: None,
        owner: None,
    }
}

/// A /31 tunnel in 169.254.0.0/16 for a client IP, distinct for every client IP whose last
/// two octets are below 128.0 (every [`client_ip`]`(n)` with `n < 32768`), as the program
/// requires of a device's users.
pub fn tunnel_net_for(client_ip: Ipv4Addr) -> TunnelNet {
    let [_, _, c, d] = client_ip.octets();
    let [hi, lo] = (u16::from_be_bytes([c, d]) << 1).to_be_bytes();
    TunnelNet {
        network: [169, 254, hi, lo],
        prefix_len: 31,
    }
}

/// `10.0.x.y` for test client number `n`.
pub fn client_ip(n: u16) -> Ipv4Addr {
    let [hi, lo] = n.to_be_bytes();
    Ipv4Addr::new(10, 0, hi, lo.max(1))
}

/// Asserts that `result` failed in its instruction `index` with custom error `code`.
#[track_caller]
pub fn assert_custom_error(result: &TxResult, index: u8, code: u32) {
    let describe = |code: u32| {
        program_error(code).map_or_else(|| format!("{code}"), |e| format!("{} ({code})", e.name))
    };
    match result {
        Ok(_) => panic!(
            "expected error {}, but the transaction succeeded",
            describe(code)
        ),
        Err(failed) => match &failed.err {
            TransactionError::InstructionError(at, InstructionError::Custom(actual))
                if *at == index =>
            {
                assert_eq!(
                    *actual,
                    code,
                    "expected {}, got {}\n{}",
                    describe(code),
                    describe(*actual),
                    failed.meta.logs.join("\n")
                )
            }
            other => panic!(
                "expected {} at instruction {index}, got {other:?}\n{}",
                describe(code),
                failed.meta.logs.join("\n")
            ),
        },
    }
}

/// Asserts that the single-instruction transaction `result` failed with `error`.
#[track_caller]
pub fn assert_program_error(result: &TxResult, error: ServiceabilityError) {
    assert_custom_error(result, 0, u32::from(error));
}

/// Asserts that the single-instruction transaction `result` failed with Anchor's `error`.
#[track_caller]
pub fn assert_anchor_error(result: &TxResult, error: anchor_lang::error::ErrorCode) {
    assert_custom_error(result, 0, u32::from(error));
}

/// `BgpStatus` equality for the generated type (which derives no `PartialEq`).
pub fn bgp_status_is(status: &BgpStatus, expected: &BgpStatus) -> bool {
    std::mem::discriminant(status) == std::mem::discriminant(expected)
}

pub mod compute_units;
pub mod fixtures;
