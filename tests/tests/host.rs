//! The native host itself: logs, failed CPIs, many instructions per transaction.

use anchor_lang::solana_program::instruction::Instruction;
use serviceability_client::instructions as ix;
use serviceability_client::transport::PACKET_DATA_SIZE;
use serviceability_client::types::{AuthorityUpdate, BgpStatus};
use serviceability_host::{ProgramRuntime, SO_ENV};
use serviceability_tests::*;

/// The system program's `InsufficientFundsForRent`-style error for a payer that cannot fund
/// `create_account`: `SystemError::ResultWithNegativeLamports`.
const SYSTEM_RESULT_WITH_NEGATIVE_LAMPORTS: u32 = 1;

#[test]
fn msg_lines_and_errors_reach_the_transaction_logs() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(0);
    let failed = svm
        .reserve(&authority, &device.address, client_ip(1), None)
        .unwrap_err();
    let logs = failed.meta.logs.join("\n");
    assert!(
        logs.contains("Program log: Instruction: ReserveConnection"),
        "{logs}"
    );
    assert!(
        logs.contains("Program log: AnchorError thrown in"),
        "{logs}"
    );
    assert!(
        logs.contains("Error Code: MaxUsersExceeded. Error Number: 6016"),
        "{logs}"
    );
    assert!(
        logs.contains("failed: custom program error: 0x1780"),
        "{logs}"
    );
}

#[test]
fn pubkey_logs_reach_the_transaction_logs_not_stdout() {
    // A failed `has_one` makes Anchor log both keys with `Pubkey::log`, which on-chain is the
    // `sol_log_pubkey` syscall; natively it goes through the patched solana-address.
    let mut svm = TestSvm::new();
    let stranger = svm.funded_keypair();
    let result = svm.send(
        &[ix::add_foundation_key(stranger.pubkey(), stranger.pubkey())],
        &[&stranger],
    );
    assert_program_error(&result, ServiceabilityError::NotAdmin);
    let logs = result.unwrap_err().meta.logs;
    for key in [stranger.pubkey(), svm.admin.pubkey()] {
        let line = format!("Program log: {key}");
        assert!(logs.contains(&line), "no `{line}` in {logs:#?}");
    }
}

#[test]
fn a_failed_cpi_fails_the_instruction_with_the_callees_error() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    // A reservation authority with no lamports cannot pay the reservation's rent.
    let broke = Keypair::new();
    let admin = svm.admin.pubkey();
    let update = AuthorityUpdate::Reservation {
        new_authority: Some(broke.pubkey()),
    };
    svm.send_ok(&[ix::set_authority(admin, update)], &[]);

    let result = svm.reserve(&broke, &device.address, client_ip(1), None);
    assert_custom_error(&result, 0, SYSTEM_RESULT_WITH_NEGATIVE_LAMPORTS);
    let logs = result.unwrap_err().meta.logs.join("\n");
    assert!(
        logs.contains("Program 11111111111111111111111111111111 invoke [2]"),
        "{logs}"
    );
    assert_eq!(
        svm.device(&device.address).reserved_seats,
        0,
        "nothing changed"
    );
}

/// A device with 20 users, its metrics publisher, and a `set_user_bgp_status` (Up) for each
/// user: what the agent packs into one transaction.
fn twenty_bgp_reports() -> (TestSvm, DeviceFixture, Keypair, Vec<Instruction>) {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 30);
    for n in 1..=20 {
        svm.create_user(&device.address, client_ip(n))
            .expect("user");
    }
    let publisher = device.metrics_publisher.insecure_clone();
    let reports = (1..=20)
        .map(|n| {
            ix::set_user_bgp_status(
                publisher.pubkey(),
                device.address,
                client_ip(n),
                BgpStatus::Up,
            )
        })
        .collect();
    (svm, device, publisher, reports)
}

#[test]
fn many_instructions_share_one_transaction() {
    let (mut svm, device, publisher, reports) = twenty_bgp_reports();
    svm.advance_clock(7);
    // Signed and paid by the publisher alone, as the agent sends them: 20 fit in a packet.
    assert!(svm.transaction_size(&publisher, &reports, &[]) <= PACKET_DATA_SIZE);
    svm.send_paid_by(&publisher, &reports, &[])
        .expect("20 reports in one transaction");
    for n in 1..=20 {
        assert_eq!(
            svm.user(&device.address, client_ip(n))
                .unwrap()
                .last_bgp_up_at,
            svm.now()
        );
    }
}

#[test]
fn a_transaction_larger_than_a_cluster_accepts_is_refused_before_it_runs() {
    let (mut svm, device, publisher, reports) = twenty_bgp_reports();
    // A second signer (the admin paying) adds a signature and a key: over the limit.
    let admin = svm.admin.insecure_clone();
    let size = svm.transaction_size(&admin, &reports, &[&publisher]);
    assert!(size > PACKET_DATA_SIZE, "{size} bytes");
    let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        svm.send_paid_by(&admin, &reports, &[&publisher])
    }))
    .expect_err("refused");
    let message = refused
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains(&format!(
            "transaction too large: {size} bytes (max: 1232 bytes)"
        )),
        "{message}"
    );
    let user = svm.user(&device.address, client_ip(1)).expect("user");
    assert_eq!(user.last_bgp_reported_at, 0, "nothing ran");
}

#[test]
fn the_native_build_runs_unless_a_compiled_program_is_given() {
    let svm = TestSvm::new();
    match std::env::var_os(SO_ENV).filter(|value| !value.is_empty()) {
        Some(path) => assert_eq!(svm.runtime, ProgramRuntime::Sbf(path.into())),
        None => assert_eq!(svm.runtime, ProgramRuntime::Native),
    }
}

#[test]
fn a_missing_compiled_program_is_refused_by_name() {
    let missing = std::path::Path::new("/nonexistent/serviceability.so");
    let error = ProgramRuntime::sbf(missing).unwrap_err();
    assert!(
        error.to_string().contains("/nonexistent/serviceability.so"),
        "{error}"
    );
    assert!(error.to_string().contains("cargo xtask sbf"), "{error}");
}
