//! Reservations: reserve, close, capacity, duplicates, pause, activation, expiry
//! (scenarios 1, 2, 3, 5 and 6).

use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::serviceability::events::{ReservationClosed, ReservationCreated};
use serviceability_client::types::{DeviceStatus, ReservationCloseReason, UpdateDeviceArgs};
use serviceability_tests::*;

/// Bytes of a Reservation account, discriminator included.
const RESERVATION_SPACE: usize = 93;

#[test]
fn reserve_creates_the_account_counts_the_seat_and_emits_an_event() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(7);
    let balance_before = ledger.lamports(&authority.pubkey());

    let meta = ledger
        .reserve(&authority, &device.address, ip, Some(3600))
        .expect("reserved");

    let reservation = ledger
        .reservation(&device.address, ip)
        .expect("reservation exists");
    assert_eq!(reservation.device, device.address);
    assert_eq!(reservation.client_ip, ip.octets());
    assert_eq!(reservation.payer, authority.pubkey());
    assert_eq!(reservation.reserved_at, ledger.now());
    assert_eq!(reservation.expires_at, ledger.now() + 3600);
    let address = pda::reservation(&device.address, ip);
    assert_eq!(
        ledger.svm.get_account(&address).unwrap().data.len(),
        RESERVATION_SPACE
    );
    let rent = ledger
        .svm
        .minimum_balance_for_rent_exemption(RESERVATION_SPACE);
    assert_eq!(ledger.lamports(&address), rent);
    assert_eq!(
        ledger.lamports(&authority.pubkey()),
        balance_before - rent,
        "authority paid the rent"
    );
    assert_eq!(ledger.device(&device.address).reserved_seats, 1);
    assert_eq!(ledger.device(&device.address).users_count, 0);

    let events: Vec<ReservationCreated> = decode(&meta.logs);
    assert_eq!(events.len(), 1, "logs: {:#?}", meta.logs);
    assert_eq!(events[0].reservation, address);
    assert_eq!(events[0].device, device.address);
    assert_eq!(events[0].client_ip, ip.octets());
    assert_eq!(events[0].payer, authority.pubkey());
    assert_eq!(events[0].expires_at, reservation.expires_at);
    assert_eq!(events[0].reserved_seats, 1);
}

#[test]
fn reserve_without_ttl_never_expires() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    assert_eq!(
        ledger
            .reservation(&device.address, client_ip(1))
            .unwrap()
            .expires_at,
        0
    );
}

#[test]
fn close_removes_the_account_refunds_the_recorded_payer_and_releases_the_seat() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(3);
    let balance_before = ledger.lamports(&authority.pubkey());
    ledger
        .reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    ledger
        .reserve(&authority, &device.address, client_ip(4), None)
        .expect("reserved");
    let rent = ledger
        .svm
        .minimum_balance_for_rent_exemption(RESERVATION_SPACE);

    let close = ix::close_reservation(authority.pubkey(), device.address, ip, authority.pubkey());
    let meta = ledger.send(&[close], &[&authority]).expect("closed");

    assert!(
        !ledger.exists(&pda::reservation(&device.address, ip)),
        "account is gone"
    );
    assert_eq!(
        ledger.lamports(&authority.pubkey()),
        balance_before - rent,
        "one rent came back"
    );
    assert_eq!(ledger.device(&device.address).reserved_seats, 1);
    let events: Vec<ReservationClosed> = decode(&meta.logs);
    assert_eq!(events.len(), 1);
    assert!(matches!(events[0].reason, ReservationCloseReason::Closed));
    assert_eq!(events[0].reserved_seats, 1);
}

#[test]
fn close_refunds_the_payer_even_when_another_key_closes() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(3);
    ledger
        .reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    let payer_before = ledger.lamports(&authority.pubkey());
    let rent = ledger.lamports(&pda::reservation(&device.address, ip));

    let foundation = ledger.foundation_key();
    let close = ix::close_reservation(foundation.pubkey(), device.address, ip, authority.pubkey());
    ledger
        .send(&[close], &[&foundation])
        .expect("foundation closes");
    assert_eq!(ledger.lamports(&authority.pubkey()), payer_before + rent);
}

#[test]
fn close_to_another_rent_receiver_is_refused() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(3);
    ledger
        .reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    let thief = Keypair::new();

    let close = ix::close_reservation(authority.pubkey(), device.address, ip, thief.pubkey());
    assert_program_error(
        &ledger.send(&[close], &[&authority]),
        ServiceabilityError::PayerMismatch,
    );
    assert!(ledger.reservation(&device.address, ip).is_some());
    assert_eq!(ledger.lamports(&thief.pubkey()), 0);
}

#[test]
fn capacity_counts_reserved_seats() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(2);
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("seat 1");
    ledger
        .reserve(&authority, &device.address, client_ip(2), None)
        .expect("seat 2");

    let full = ledger.reserve(&authority, &device.address, client_ip(3), None);
    assert_program_error(&full, ServiceabilityError::MaxUsersExceeded);
    assert!(ledger.reservation(&device.address, client_ip(3)).is_none());
    assert_eq!(ledger.device(&device.address).reserved_seats, 2);
}

#[test]
fn capacity_counts_users_and_reserved_seats_together() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(2);
    ledger
        .create_user(&device.address, client_ip(1))
        .expect("user takes seat 1");
    ledger
        .reserve(&authority, &device.address, client_ip(2), None)
        .expect("reservation takes seat 2");

    assert_program_error(
        &ledger.reserve(&authority, &device.address, client_ip(3), None),
        ServiceabilityError::MaxUsersExceeded,
    );
    assert_program_error(
        &ledger.create_user(&device.address, client_ip(4)),
        ServiceabilityError::MaxUsersExceeded,
    );
    let state = ledger.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 1));
}

#[test]
fn zero_max_users_means_no_capacity() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(0);
    assert_program_error(
        &ledger.reserve(&authority, &device.address, client_ip(1), None),
        ServiceabilityError::MaxUsersExceeded,
    );
    assert_program_error(
        &ledger.create_user(&device.address, client_ip(1)),
        ServiceabilityError::MaxUsersExceeded,
    );
}

#[test]
fn lowering_max_users_below_use_drains_without_evicting() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(3);
    for n in 1..=3 {
        ledger
            .reserve(&authority, &device.address, client_ip(n), None)
            .expect("reserved");
    }
    let drain = UpdateDeviceArgs {
        max_users: Some(1),
        ..update_nothing()
    };
    ledger.send_ok(
        &[ix::update_device(
            device.foundation.pubkey(),
            device.address,
            drain,
        )],
        &[&device.foundation],
    );
    assert_eq!(
        ledger.device(&device.address).reserved_seats,
        3,
        "nothing evicted"
    );

    for n in 1..=2 {
        let close = ix::close_reservation(
            authority.pubkey(),
            device.address,
            client_ip(n),
            authority.pubkey(),
        );
        ledger
            .send(&[close], &[&authority])
            .expect("releases still work");
    }
    assert_program_error(
        &ledger.reserve(&authority, &device.address, client_ip(9), None),
        ServiceabilityError::MaxUsersExceeded,
    );
    let close = ix::close_reservation(
        authority.pubkey(),
        device.address,
        client_ip(3),
        authority.pubkey(),
    );
    ledger.send(&[close], &[&authority]).expect("released");
    ledger
        .reserve(&authority, &device.address, client_ip(9), None)
        .expect("room again");
}

#[test]
fn a_second_reservation_for_the_same_pair_fails() {
    let mut ledger = Ledger::new();
    let device = ledger.activated_device("ams-1", 4);
    let other_device = ledger.activated_device("fra-1", 4);
    let authority = ledger.reservation_authority();
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("first");

    let second = ledger.reserve(&authority, &device.address, client_ip(1), None);
    assert_program_error(&second, ServiceabilityError::ReservationAlreadyExists);
    assert_eq!(
        ledger.device(&device.address).reserved_seats,
        1,
        "not counted twice"
    );

    ledger
        .reserve(&authority, &device.address, client_ip(2), None)
        .expect("another IP");
    ledger
        .reserve(&authority, &other_device.address, client_ip(1), None)
        .expect("another device");
}

#[test]
fn reservation_is_refused_when_a_user_exists_for_the_pair() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    ledger
        .create_user(&device.address, client_ip(1))
        .expect("user");

    let result = ledger.reserve(&authority, &device.address, client_ip(1), None);
    assert_program_error(&result, ServiceabilityError::UserAlreadyExists);
    assert_eq!(ledger.device(&device.address).reserved_seats, 0);
}

#[test]
fn reservation_is_refused_while_paused_and_allowed_after_resume() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    let admin = ledger.admin.pubkey();
    ledger.send_ok(&[ix::set_reservations_paused(admin, true)], &[]);

    let paused = ledger.reserve(&authority, &device.address, client_ip(1), None);
    assert_program_error(&paused, ServiceabilityError::ReservationsPaused);

    ledger.send_ok(&[ix::set_reservations_paused(admin, false)], &[]);
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("resumed");
}

#[test]
fn pausing_does_not_block_releases() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    let admin = ledger.admin.pubkey();
    ledger.send_ok(&[ix::set_reservations_paused(admin, true)], &[]);
    let close = ix::close_reservation(
        authority.pubkey(),
        device.address,
        client_ip(1),
        authority.pubkey(),
    );
    ledger
        .send(&[close], &[&authority])
        .expect("close works while paused");
}

#[test]
fn reservation_is_refused_on_a_device_that_is_not_activated() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    for status in [
        DeviceStatus::Pending,
        DeviceStatus::Suspended,
        DeviceStatus::Drained,
    ] {
        let update = UpdateDeviceArgs {
            status: Some(status),
            ..update_nothing()
        };
        ledger.send_ok(
            &[ix::update_device(
                device.foundation.pubkey(),
                device.address,
                update,
            )],
            &[&device.foundation],
        );
        let result = ledger.reserve(&authority, &device.address, client_ip(1), None);
        assert_program_error(&result, ServiceabilityError::DeviceNotActivated);
    }
}

#[test]
fn reservation_arguments_are_validated() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    let unspecified = std::net::Ipv4Addr::UNSPECIFIED;
    assert_program_error(
        &ledger.reserve(&authority, &device.address, unspecified, None),
        ServiceabilityError::InvalidClientIp,
    );
    assert_program_error(
        &ledger.reserve(&authority, &device.address, client_ip(1), Some(0)),
        ServiceabilityError::InvalidReservationTtl,
    );
}

#[test]
fn prune_before_expiry_fails() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    ledger
        .reserve(&authority, &device.address, client_ip(1), Some(600))
        .expect("reserved");
    ledger.advance_clock(599);

    let prune = ix::prune_expired_reservation(device.address, client_ip(1), authority.pubkey());
    assert_program_error(
        &ledger.send(&[prune], &[]),
        ServiceabilityError::ReservationNotExpired,
    );
    assert_eq!(ledger.device(&device.address).reserved_seats, 1);
}

#[test]
fn a_reservation_without_expiry_cannot_be_pruned() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    ledger.advance_clock(10 * 365 * 86_400);

    let prune = ix::prune_expired_reservation(device.address, client_ip(1), authority.pubkey());
    assert_program_error(
        &ledger.send(&[prune], &[]),
        ServiceabilityError::ReservationNeverExpires,
    );
}

#[test]
fn after_expiry_anyone_can_prune_and_the_payer_gets_the_rent() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(4);
    ledger
        .reserve(&authority, &device.address, client_ip(1), Some(600))
        .expect("reserved");
    let payer_before = ledger.lamports(&authority.pubkey());
    let rent = ledger.lamports(&pda::reservation(&device.address, client_ip(1)));
    ledger.advance_clock(600);

    let stranger = ledger.funded_keypair();
    let prune = ix::prune_expired_reservation(device.address, client_ip(1), authority.pubkey());
    let meta = ledger
        .send_paid_by(&stranger, &[prune], &[])
        .expect("pruned by a stranger");

    assert!(ledger.reservation(&device.address, client_ip(1)).is_none());
    assert_eq!(ledger.device(&device.address).reserved_seats, 0);
    assert_eq!(ledger.lamports(&authority.pubkey()), payer_before + rent);
    let events: Vec<ReservationClosed> = decode(&meta.logs);
    assert!(matches!(events[0].reason, ReservationCloseReason::Expired));

    let thief = Keypair::new();
    ledger
        .reserve(&authority, &device.address, client_ip(2), Some(1))
        .expect("reserved");
    ledger.advance_clock(1);
    let prune = ix::prune_expired_reservation(device.address, client_ip(2), thief.pubkey());
    assert_program_error(
        &ledger.send(&[prune], &[]),
        ServiceabilityError::PayerMismatch,
    );
}

#[test]
fn an_expired_reservation_is_not_consumed_it_is_pruned_first() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(1);
    let ip = client_ip(1);
    ledger
        .reserve(&authority, &device.address, ip, Some(60))
        .expect("reserved");
    // At `expires_at` it no longer converts (one second earlier it does: the next test).
    ledger.advance_clock(60);
    let expired = ledger.create_user(&device.address, ip);
    assert_program_error(&expired, ServiceabilityError::ReservationExpired);
    let state = ledger.device(&device.address);
    assert_eq!(
        (state.users_count, state.reserved_seats),
        (0, 1),
        "nothing changed"
    );
    assert!(ledger.reservation(&device.address, ip).is_some());

    // Prune it (anyone may), then the user takes the freed seat as a fresh one.
    let prune = ix::prune_expired_reservation(device.address, ip, authority.pubkey());
    ledger.send_ok(&[prune], &[]);
    ledger.create_user(&device.address, ip).expect("fresh seat");
    let state = ledger.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 0));
}

#[test]
fn a_reservation_converts_until_the_second_it_expires() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(1);
    let ip = client_ip(1);
    ledger
        .reserve(&authority, &device.address, ip, Some(60))
        .expect("reserved");
    ledger.advance_clock(59);
    ledger.create_user(&device.address, ip).expect("still live");
    let state = ledger.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 0));
}
