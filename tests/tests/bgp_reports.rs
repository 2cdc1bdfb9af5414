//! `report_bgp_sessions`: many users' BGP sessions (status and RTT) in one instruction, the
//! program deriving flaps and up-time; older layouts growing; every refusal with its own code.

use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::AccountMeta;
use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::serviceability::constants::{
    USER_ACCOUNT_LEN, USER_BGP_V1_ACCOUNT_LEN, USER_LEGACY_ACCOUNT_LEN,
};
use serviceability_client::serviceability::events::BgpStatusChanged;
use serviceability_client::types::{BgpReport, BgpStatus};
use serviceability_tests::*;

fn up(rtt_ns: u64) -> BgpReport {
    BgpReport {
        status: BgpStatus::Up,
        rtt_ns,
    }
}

fn down() -> BgpReport {
    BgpReport {
        status: BgpStatus::Down,
        rtt_ns: 0,
    }
}

/// A device with `users` users (client IPs 1..=users).
fn device_with_users(users: u16) -> (TestSvm, DeviceFixture, Vec<Ipv4Addr>) {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 64);
    let ips: Vec<_> = (1..=users).map(client_ip).collect();
    for ip in &ips {
        svm.create_user(&device.address, *ip).expect("user");
    }
    (svm, device, ips)
}

fn send(svm: &mut TestSvm, device: &DeviceFixture, reports: &[(Ipv4Addr, BgpReport)]) -> TxResult {
    let publisher = device.metrics_publisher.insecure_clone();
    let instruction = ix::report_bgp_sessions(publisher.pubkey(), device.address, reports);
    svm.send(&[instruction], &[&publisher])
}

#[test]
fn one_instruction_records_every_user_and_the_program_derives_flaps_and_up_time() {
    let (mut svm, device, ips) = device_with_users(3);
    let start = svm.now();
    let meta = send(
        &mut svm,
        &device,
        &[
            (ips[0], up(1_500_000)),
            (ips[1], up(2_000_000)),
            (ips[2], down()),
        ],
    )
    .expect("reported");
    let events: Vec<BgpStatusChanged> = decode(&meta.logs);
    assert_eq!(events.len(), 3, "every status changed from Unknown");

    svm.advance_clock(100);
    // ips[0] stays Up with a new RTT (no event); ips[1] goes Down (a flap); ips[2] comes Up.
    let meta = send(
        &mut svm,
        &device,
        &[
            (ips[0], up(1_400_000)),
            (ips[1], down()),
            (ips[2], up(900_000)),
        ],
    )
    .expect("reported");
    let events: Vec<BgpStatusChanged> = decode(&meta.logs);
    let changed: Vec<_> = events.iter().map(|event| event.user).collect();
    assert_eq!(
        changed,
        [
            pda::user(&device.address, ips[1]),
            pda::user(&device.address, ips[2])
        ],
        "an event per change only"
    );
    assert_eq!(events[0].bgp_flaps, 1);
    assert_eq!(events[0].bgp_up_secs, 100);

    let now = svm.now();
    let first = svm.user(&device.address, ips[0]).expect("user");
    assert!(matches!(first.bgp_status, BgpStatus::Up));
    assert_eq!(
        (first.bgp_rtt_ns, first.bgp_flaps, first.bgp_up_secs),
        (1_400_000, 0, 100)
    );
    assert_eq!(
        (first.last_bgp_up_at, first.last_bgp_reported_at),
        (now, now)
    );
    let second = svm.user(&device.address, ips[1]).expect("user");
    assert!(matches!(second.bgp_status, BgpStatus::Down));
    assert_eq!(
        (second.bgp_rtt_ns, second.bgp_flaps, second.bgp_up_secs),
        (0, 1, 100)
    );
    assert_eq!(
        (second.last_bgp_up_at, second.last_bgp_down_at),
        (start, now)
    );
    let third = svm.user(&device.address, ips[2]).expect("user");
    assert_eq!(
        (third.bgp_flaps, third.bgp_up_secs),
        (0, 0),
        "Down → Up is no flap"
    );
    assert_eq!(third.last_bgp_down_at, start);
}

#[test]
fn set_user_bgp_status_keeps_flaps_and_up_time_right() {
    let (mut svm, device, ips) = device_with_users(1);
    let publisher = device.metrics_publisher.insecure_clone();
    let set = |status| ix::set_user_bgp_status(publisher.pubkey(), device.address, ips[0], status);
    svm.send(&[set(BgpStatus::Up)], &[&publisher]).expect("up");
    svm.advance_clock(40);
    send(&mut svm, &device, &[(ips[0], up(700_000))]).expect("batched, up");
    svm.advance_clock(20);
    svm.send(&[set(BgpStatus::Down)], &[&publisher])
        .expect("down");
    let user = svm.user(&device.address, ips[0]).expect("user");
    assert_eq!((user.bgp_flaps, user.bgp_up_secs), (1, 60));
    assert_eq!(
        user.bgp_rtt_ns, 0,
        "the old instruction carries no RTT sample"
    );
}

#[test]
fn users_in_both_older_layouts_grow_on_their_first_report_at_the_publishers_expense() {
    let (mut svm, device, ips) = device_with_users(2);
    let legacy = pda::user(&device.address, ips[0]);
    let v1 = pda::user(&device.address, ips[1]);
    svm.make_legacy_user(&device.address, ips[0]);
    let mut account = svm.litesvm.get_account(&v1).expect("user");
    account.data.truncate(usize::from(USER_BGP_V1_ACCOUNT_LEN));
    account.lamports = svm
        .litesvm
        .minimum_balance_for_rent_exemption(account.data.len());
    svm.litesvm.set_account(v1, account).expect("written");
    let len =
        |svm: &TestSvm, address: &Pubkey| svm.litesvm.get_account(address).unwrap().data.len();
    assert_eq!(len(&svm, &legacy), usize::from(USER_LEGACY_ACCOUNT_LEN));
    assert_eq!(len(&svm, &v1), usize::from(USER_BGP_V1_ACCOUNT_LEN));

    let publisher = device.metrics_publisher.pubkey();
    let before = svm.lamports(&publisher);
    let top_ups: u64 = [&legacy, &v1]
        .iter()
        .map(|address| {
            svm.litesvm
                .minimum_balance_for_rent_exemption(usize::from(USER_ACCOUNT_LEN))
                - svm.lamports(address)
        })
        .sum();
    send(&mut svm, &device, &[(ips[0], up(1_000)), (ips[1], down())]).expect("grown");
    for address in [&legacy, &v1] {
        assert_eq!(len(&svm, address), usize::from(USER_ACCOUNT_LEN));
        assert_eq!(
            svm.lamports(address),
            svm.litesvm
                .minimum_balance_for_rent_exemption(usize::from(USER_ACCOUNT_LEN))
        );
    }
    // The harness's payer pays the fee; the publisher pays the growth.
    assert_eq!(svm.lamports(&publisher), before - top_ups);
    let grown = svm.user(&device.address, ips[0]).expect("user");
    assert_eq!(grown.bgp_rtt_ns, 1_000);
    assert_eq!(
        grown.client_ip,
        ips[0].octets(),
        "the fields before the blocks are kept"
    );
}

#[test]
fn another_signer_is_refused() {
    let (mut svm, device, ips) = device_with_users(1);
    let stranger = svm.funded_keypair();
    let instruction =
        ix::report_bgp_sessions(stranger.pubkey(), device.address, &[(ips[0], up(1))]);
    svm.assert_refused(ServiceabilityError::NotMetricsPublisher, |svm| {
        svm.send(&[instruction], &[&stranger])
    });
}

#[test]
fn a_user_of_another_device_is_refused_with_its_index() {
    let (mut svm, device, ips) = device_with_users(2);
    let other = svm.activated_device("fra-1", 4);
    let stranger_ip = client_ip(9);
    svm.create_user(&other.address, stranger_ip)
        .expect("other device's user");
    let publisher = device.metrics_publisher.insecure_clone();
    let mut instruction = ix::report_bgp_sessions(
        publisher.pubkey(),
        device.address,
        &[(ips[0], up(1)), (ips[1], up(1))],
    );
    // The second report names the other device's user.
    let last = instruction.accounts.len() - 1;
    instruction.accounts[last] = AccountMeta::new(pda::user(&other.address, stranger_ip), false);
    let before = svm.program_accounts();
    let result = svm.send(&[instruction], &[&publisher]);
    assert_program_error(&result, ServiceabilityError::UserDeviceMismatch);
    let logs = &result.expect_err("refused").meta.logs;
    assert!(
        logs.iter().any(|line| line.contains("report 1: user")),
        "the index is in the log: {logs:#?}"
    );
    assert!(
        svm.program_accounts() == before,
        "nothing changed, not even the first user"
    );
}

#[test]
fn an_account_that_is_not_a_writable_user_is_refused() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(8);
    let ips = [client_ip(1)];
    svm.create_user(&device.address, ips[0]).expect("user");
    let publisher = device.metrics_publisher.insecure_clone();
    let reservation_ip = client_ip(2);
    svm.reserve(&authority, &device.address, reservation_ip, None)
        .expect("a reservation");
    for (what, meta) in [
        ("the device itself", AccountMeta::new(device.address, false)),
        (
            "a reservation",
            AccountMeta::new(pda::reservation(&device.address, reservation_ip), false),
        ),
        ("a wallet", AccountMeta::new(publisher.pubkey(), false)),
        (
            "a read-only user",
            AccountMeta::new_readonly(pda::user(&device.address, ips[0]), false),
        ),
    ] {
        let mut instruction =
            ix::report_bgp_sessions(publisher.pubkey(), device.address, &[(ips[0], up(1))]);
        let last = instruction.accounts.len() - 1;
        instruction.accounts[last] = meta;
        let before = svm.program_accounts();
        let result = svm.send(&[instruction], &[&publisher]);
        assert!(
            matches!(&result, Err(failed) if failed.meta.logs.iter().any(|line| line.contains("InvalidUserAccount"))),
            "{what}: {result:?}"
        );
        assert_program_error(&result, ServiceabilityError::InvalidUserAccount);
        assert!(svm.program_accounts() == before, "{what}: nothing changed");
    }
}

#[test]
fn reports_and_users_must_pair_up() {
    let (mut svm, device, ips) = device_with_users(2);
    let publisher = device.metrics_publisher.insecure_clone();
    let mut missing = ix::report_bgp_sessions(
        publisher.pubkey(),
        device.address,
        &[(ips[0], up(1)), (ips[1], up(1))],
    );
    missing.accounts.pop();
    svm.assert_refused(ServiceabilityError::BgpReportCountMismatch, |svm| {
        svm.send(&[missing], &[&publisher])
    });
    let none = ix::report_bgp_sessions(publisher.pubkey(), device.address, &[]);
    svm.assert_refused(ServiceabilityError::BgpReportCountMismatch, |svm| {
        svm.send(&[none], &[&publisher])
    });
    // A device that is not the users' own, through its own publisher: Anchor's has_one
    // refuses another device's publisher first.
    let other = svm.activated_device("fra-1", 4);
    let wrong_device = ix::report_bgp_sessions(
        other.metrics_publisher.pubkey(),
        device.address,
        &[(ips[0], up(1))],
    );
    let result = svm.send(&[wrong_device], &[&other.metrics_publisher]);
    assert_program_error(&result, ServiceabilityError::NotMetricsPublisher);
}

/// Issue 24's target: with the device's users in an address lookup table, at least 60 reports
/// go in one v0 transaction (the 64 account locks: the publisher, the program, the device, the
/// system program and the users), where a legacy transaction holds 22.
#[test]
fn sixty_reports_fit_one_v0_transaction_with_a_lookup_table() {
    let (mut svm, device, ips) = device_with_users(60);
    let publisher = device.metrics_publisher.insecure_clone();
    let users: Vec<Pubkey> = ips
        .iter()
        .map(|ip| pda::user(&device.address, *ip))
        .collect();
    let mut addresses = vec![device.address, anchor_lang::system_program::ID];
    addresses.extend(&users);
    let table = svm.lookup_table(&publisher, &addresses);

    let reports: Vec<_> = ips
        .iter()
        .enumerate()
        .map(|(n, ip)| (*ip, up(1_000_000 + n as u64)))
        .collect();
    let instruction = ix::report_bgp_sessions(publisher.pubkey(), device.address, &reports);
    let meta = svm
        .send_v0(&publisher, &[instruction], &[], &[(table, addresses)])
        .expect("60 reports in one transaction");
    assert_eq!(decode::<BgpStatusChanged>(&meta.logs).len(), 60);
    for (n, ip) in ips.iter().enumerate() {
        let user = svm.user(&device.address, *ip).expect("user");
        assert!(matches!(user.bgp_status, BgpStatus::Up));
        assert_eq!(user.bgp_rtt_ns, 1_000_000 + n as u64);
    }
    println!(
        "60 reports in one v0 transaction: {} CU",
        meta.compute_units_consumed
    );
}
