//! `set_user_bgp_status` (scenario 9): legacy-layout growth, timestamps, signer and device checks.

use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::serviceability::constants::USER_LEGACY_ACCOUNT_LEN;
use serviceability_client::serviceability::events::BgpStatusChanged;
use serviceability_client::types::BgpStatus;
use serviceability_tests::*;

/// A test SVM with an activated device and one user on it.
fn svm_with_user() -> (TestSvm, DeviceFixture, Ipv4Addr) {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 8);
    let ip = client_ip(1);
    svm.create_user(&device.address, ip).expect("user");
    (svm, device, ip)
}

fn report(svm: &mut TestSvm, device: &DeviceFixture, ip: Ipv4Addr, status: BgpStatus) -> TxResult {
    let publisher = device.metrics_publisher.insecure_clone();
    let instruction = ix::set_user_bgp_status(publisher.pubkey(), device.address, ip, status);
    svm.send(&[instruction], &[&publisher])
}

fn account_len(svm: &TestSvm, address: &Pubkey) -> usize {
    svm.litesvm.get_account(address).expect("exists").data.len()
}

#[test]
fn a_legacy_user_loads_with_unknown_and_zero() {
    let (mut svm, device, ip) = svm_with_user();
    svm.make_legacy_user(&device.address, ip);
    let user = svm
        .user(&device.address, ip)
        .expect("legacy layout decodes");
    assert!(bgp_status_is(&user.bgp_status, &BgpStatus::Unknown));
    assert_eq!((user.last_bgp_up_at, user.last_bgp_reported_at), (0, 0));
    assert_eq!(user.client_ip, ip.octets());
}

#[test]
fn first_write_up_on_a_legacy_user_grows_it_and_tops_up_rent() {
    let (mut svm, device, ip) = svm_with_user();
    let address = pda::user(&device.address, ip);
    let current_len = account_len(&svm, &address);
    svm.make_legacy_user(&device.address, ip);
    assert_eq!(
        account_len(&svm, &address),
        usize::from(USER_LEGACY_ACCOUNT_LEN)
    );
    let publisher_before = svm.lamports(&device.metrics_publisher.pubkey());
    let legacy_rent = svm.lamports(&address);
    svm.advance_clock(42);

    let meta = report(&mut svm, &device, ip, BgpStatus::Up).expect("reported");

    assert_eq!(
        account_len(&svm, &address),
        current_len,
        "grown by the BGP block"
    );
    let full_rent = svm.litesvm.minimum_balance_for_rent_exemption(current_len);
    assert_eq!(
        svm.lamports(&address),
        full_rent,
        "rent-exempt at the new size"
    );
    let top_up = full_rent - legacy_rent;
    assert!(top_up > 0);
    assert_eq!(
        svm.lamports(&device.metrics_publisher.pubkey()),
        publisher_before - top_up,
        "the publisher paid"
    );
    let user = svm.user(&device.address, ip).unwrap();
    assert!(bgp_status_is(&user.bgp_status, &BgpStatus::Up));
    assert_eq!(user.last_bgp_up_at, svm.now());
    assert_eq!(user.last_bgp_reported_at, svm.now());
    assert_eq!(
        user.client_ip,
        ip.octets(),
        "the fields before the block are intact"
    );
    assert_eq!(user.tunnel_net.network, tunnel_net_for(ip).network);

    let events: Vec<BgpStatusChanged> = decode(&meta.logs);
    assert!(bgp_status_is(&events[0].previous, &BgpStatus::Unknown));
    assert!(bgp_status_is(&events[0].status, &BgpStatus::Up));
    assert_eq!(events[0].reported_at, svm.now());
}

#[test]
fn first_write_down_leaves_last_up_at_zero() {
    let (mut svm, device, ip) = svm_with_user();
    svm.make_legacy_user(&device.address, ip);
    svm.advance_clock(5);
    report(&mut svm, &device, ip, BgpStatus::Down).expect("reported");
    let user = svm.user(&device.address, ip).unwrap();
    assert!(bgp_status_is(&user.bgp_status, &BgpStatus::Down));
    assert_eq!(user.last_bgp_up_at, 0);
    assert_eq!(user.last_bgp_reported_at, svm.now());
}

#[test]
fn last_up_at_advances_only_on_up_and_reported_at_on_every_write() {
    let (mut svm, device, ip) = svm_with_user();
    let address = pda::user(&device.address, ip);
    let len = account_len(&svm, &address);

    svm.advance_clock(10);
    report(&mut svm, &device, ip, BgpStatus::Up).expect("up");
    let first_up = svm.now();

    svm.advance_clock(10);
    report(&mut svm, &device, ip, BgpStatus::Down).expect("down");
    let user = svm.user(&device.address, ip).unwrap();
    assert_eq!(
        (user.last_bgp_up_at, user.last_bgp_reported_at),
        (first_up, svm.now())
    );

    svm.advance_clock(10);
    report(&mut svm, &device, ip, BgpStatus::Down).expect("down again");
    let user = svm.user(&device.address, ip).unwrap();
    assert_eq!(
        (user.last_bgp_up_at, user.last_bgp_reported_at),
        (first_up, svm.now())
    );

    svm.advance_clock(10);
    let meta = report(&mut svm, &device, ip, BgpStatus::Up).expect("up again");
    let user = svm.user(&device.address, ip).unwrap();
    assert_eq!(
        (user.last_bgp_up_at, user.last_bgp_reported_at),
        (svm.now(), svm.now())
    );
    let events: Vec<BgpStatusChanged> = decode(&meta.logs);
    assert!(bgp_status_is(&events[0].previous, &BgpStatus::Down));

    svm.advance_clock(10);
    report(&mut svm, &device, ip, BgpStatus::Unknown).expect("unknown");
    let user = svm.user(&device.address, ip).unwrap();
    assert!(bgp_status_is(&user.bgp_status, &BgpStatus::Unknown));
    assert_eq!(user.last_bgp_up_at, svm.now() - 10);
    assert_eq!(
        account_len(&svm, &address),
        len,
        "a current-layout account never grows"
    );
}

#[test]
fn only_the_devices_metrics_publisher_may_report() {
    let (mut svm, device, ip) = svm_with_user();
    let impostor = svm.funded_keypair();
    let instruction = ix::set_user_bgp_status(impostor.pubkey(), device.address, ip, BgpStatus::Up);
    let result = svm.send(&[instruction], &[&impostor]);
    assert_program_error(&result, ServiceabilityError::NotMetricsPublisher);
    let user = svm.user(&device.address, ip).unwrap();
    assert_eq!(user.last_bgp_reported_at, 0);
}

#[test]
fn a_user_of_another_device_is_refused() {
    let (mut svm, device, ip) = svm_with_user();
    let other = svm.activated_device("fra-1", 8);
    let publisher = other.metrics_publisher.insecure_clone();
    // `other`'s publisher signs for `other`, but passes the user of `device`.
    let mut instruction =
        ix::set_user_bgp_status(publisher.pubkey(), other.address, ip, BgpStatus::Up);
    let user_of_device = pda::user(&device.address, ip);
    instruction.accounts[2].pubkey = user_of_device;
    let result = svm.send(&[instruction], &[&publisher]);
    assert_program_error(&result, ServiceabilityError::UserDeviceMismatch);
    assert_eq!(
        svm.user(&device.address, ip).unwrap().last_bgp_reported_at,
        0
    );
}

#[test]
fn a_legacy_user_is_deleted_after_its_tunnel_network_is_claimed() {
    let (mut svm, device, ip) = svm_with_user();
    svm.make_legacy_user(&device.address, ip);
    let admin = svm.admin.pubkey();
    let tunnel = tunnel_net_for(ip);
    let delete = ix::delete_user(admin, device.address, ip, &tunnel, admin);
    // It predates tunnel claims: deleting it needs its claim, which does not exist yet.
    let refused = svm.send(std::slice::from_ref(&delete), &[]);
    assert_anchor_error(
        &refused,
        anchor_lang::error::ErrorCode::AccountNotInitialized,
    );
    assert!(refused
        .unwrap_err()
        .meta
        .logs
        .iter()
        .any(|line| line.contains("account: tunnel_claim")));

    // Claimed and deleted in one transaction, as the CLI does.
    let claim = ix::claim_tunnel_net(admin, device.address, ip, &tunnel);
    svm.send_ok(&[claim, delete], &[]);
    assert!(svm.user(&device.address, ip).is_none());
    assert!(!svm.exists(&pda::tunnel_claim(&device.address, &tunnel)));
    assert_eq!(svm.device(&device.address).users_count, 0);
}
