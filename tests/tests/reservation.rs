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
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(7);
    let balance_before = svm.lamports(&authority.pubkey());

    let meta = svm
        .reserve(&authority, &device.address, ip, Some(3600))
        .expect("reserved");

    let reservation = svm
        .reservation(&device.address, ip)
        .expect("reservation exists");
    assert_eq!(reservation.device, device.address);
    assert_eq!(reservation.client_ip, ip.octets());
    assert_eq!(reservation.payer, authority.pubkey());
    assert_eq!(reservation.reserved_at, svm.now());
    assert_eq!(reservation.expires_at, svm.now() + 3600);
    let address = pda::reservation(&device.address, ip);
    assert_eq!(
        svm.litesvm.get_account(&address).unwrap().data.len(),
        RESERVATION_SPACE
    );
    let rent = svm
        .litesvm
        .minimum_balance_for_rent_exemption(RESERVATION_SPACE);
    assert_eq!(svm.lamports(&address), rent);
    assert_eq!(
        svm.lamports(&authority.pubkey()),
        balance_before - rent,
        "authority paid the rent"
    );
    assert_eq!(svm.device(&device.address).reserved_seats, 1);
    assert_eq!(svm.device(&device.address).users_count, 0);

    let events: Vec<ReservationCreated> = decode(&meta.logs);
    assert_eq!(events.len(), 1, "logs: {:#?}", meta.logs);
    assert_eq!(events[0].reservation, address);
    assert_eq!(events[0].device, device.address);
    assert_eq!(events[0].client_ip, ip.octets());
    assert_eq!(events[0].payer, authority.pubkey());
    assert_eq!(events[0].expires_at, reservation.expires_at);
    assert_eq!(events[0].reserved_seats, 1);
}

/// The system-program instructions `reserve_connection` invoked, by name (the
/// `SystemInstruction` variant of each inner instruction's first four bytes).
fn system_calls(meta: &litesvm::types::TransactionMetadata) -> Vec<&'static str> {
    meta.inner_instructions[0]
        .iter()
        .map(|inner| {
            let data = &inner.instruction.data;
            match u32::from_le_bytes(data[..4].try_into().expect("a system instruction")) {
                0 => "CreateAccount",
                1 => "Assign",
                2 => "Transfer",
                8 => "Allocate",
                other => panic!("unexpected system instruction {other}"),
            }
        })
        .collect()
}

#[test]
fn an_empty_address_is_created_with_one_cpi_and_a_prefunded_one_keeps_its_lamports() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let rent = svm
        .litesvm
        .minimum_balance_for_rent_exemption(RESERVATION_SPACE);
    let meta = svm
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    assert_eq!(system_calls(&meta), ["CreateAccount"]);

    // Anyone can send lamports to an address before it is created (at least the rent of an
    // empty account); CreateAccount would refuse it, so the program tops it up, allocates
    // and assigns it instead.
    let empty_rent = svm.litesvm.minimum_balance_for_rent_exemption(0);
    for (n, present, calls) in [
        (2, empty_rent, &["Transfer", "Allocate", "Assign"][..]),
        (3, rent + 5, &["Allocate", "Assign"][..]),
    ] {
        let address = pda::reservation(&device.address, client_ip(n));
        svm.litesvm.airdrop(&address, present).expect("pre-funded");
        let meta = svm
            .reserve(&authority, &device.address, client_ip(n), None)
            .expect("reserved at a pre-funded address");
        assert_eq!(system_calls(&meta), calls, "{present} lamports there");
        assert_eq!(svm.lamports(&address), rent.max(present));
        let reservation = svm
            .reservation(&device.address, client_ip(n))
            .expect("a Reservation");
        assert_eq!(reservation.payer, authority.pubkey());
    }
    assert_eq!(svm.device(&device.address).reserved_seats, 3);
}

#[test]
fn reserve_without_ttl_never_expires() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    assert_eq!(
        svm.reservation(&device.address, client_ip(1))
            .unwrap()
            .expires_at,
        0
    );
}

#[test]
fn close_removes_the_account_refunds_the_recorded_payer_and_releases_the_seat() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(3);
    let balance_before = svm.lamports(&authority.pubkey());
    svm.reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    svm.reserve(&authority, &device.address, client_ip(4), None)
        .expect("reserved");
    let rent = svm
        .litesvm
        .minimum_balance_for_rent_exemption(RESERVATION_SPACE);

    let close = ix::close_reservation(authority.pubkey(), device.address, ip, authority.pubkey());
    let meta = svm.send(&[close], &[&authority]).expect("closed");

    assert!(
        !svm.exists(&pda::reservation(&device.address, ip)),
        "account is gone"
    );
    assert_eq!(
        svm.lamports(&authority.pubkey()),
        balance_before - rent,
        "one rent came back"
    );
    assert_eq!(svm.device(&device.address).reserved_seats, 1);
    let events: Vec<ReservationClosed> = decode(&meta.logs);
    assert_eq!(events.len(), 1);
    assert!(matches!(events[0].reason, ReservationCloseReason::Closed));
    assert_eq!(events[0].reserved_seats, 1);
}

#[test]
fn close_refunds_the_payer_even_when_another_key_closes() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(3);
    svm.reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    let payer_before = svm.lamports(&authority.pubkey());
    let rent = svm.lamports(&pda::reservation(&device.address, ip));

    let foundation = svm.foundation_key();
    let close = ix::close_reservation(foundation.pubkey(), device.address, ip, authority.pubkey());
    svm.send(&[close], &[&foundation])
        .expect("foundation closes");
    assert_eq!(svm.lamports(&authority.pubkey()), payer_before + rent);
}

#[test]
fn close_to_another_rent_receiver_is_refused() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(3);
    svm.reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    let thief = Keypair::new();

    let close = ix::close_reservation(authority.pubkey(), device.address, ip, thief.pubkey());
    svm.assert_refused(ServiceabilityError::PayerMismatch, |svm| {
        svm.send(&[close], &[&authority])
    });
    assert!(svm.reservation(&device.address, ip).is_some());
    assert_eq!(svm.lamports(&thief.pubkey()), 0);
}

#[test]
fn capacity_counts_reserved_seats() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(2);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("seat 1");
    svm.reserve(&authority, &device.address, client_ip(2), None)
        .expect("seat 2");

    let full = svm.reserve(&authority, &device.address, client_ip(3), None);
    assert_program_error(&full, ServiceabilityError::MaxUsersExceeded);
    assert!(svm.reservation(&device.address, client_ip(3)).is_none());
    assert_eq!(svm.device(&device.address).reserved_seats, 2);
}

#[test]
fn capacity_counts_users_and_reserved_seats_together() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(2);
    svm.create_user(&device.address, client_ip(1))
        .expect("user takes seat 1");
    svm.reserve(&authority, &device.address, client_ip(2), None)
        .expect("reservation takes seat 2");

    svm.assert_refused(ServiceabilityError::MaxUsersExceeded, |svm| {
        svm.reserve(&authority, &device.address, client_ip(3), None)
    });
    svm.assert_refused(ServiceabilityError::MaxUsersExceeded, |svm| {
        svm.create_user(&device.address, client_ip(4))
    });
    let state = svm.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 1));
}

#[test]
fn zero_max_users_means_no_capacity() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(0);
    svm.assert_refused(ServiceabilityError::MaxUsersExceeded, |svm| {
        svm.reserve(&authority, &device.address, client_ip(1), None)
    });
    svm.assert_refused(ServiceabilityError::MaxUsersExceeded, |svm| {
        svm.create_user(&device.address, client_ip(1))
    });
}

#[test]
fn lowering_max_users_below_use_drains_without_evicting() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(3);
    for n in 1..=3 {
        svm.reserve(&authority, &device.address, client_ip(n), None)
            .expect("reserved");
    }
    let drain = UpdateDeviceArgs {
        max_users: Some(1),
        ..update_nothing()
    };
    svm.send_ok(
        &[ix::update_device(
            device.foundation.pubkey(),
            device.address,
            drain,
        )],
        &[&device.foundation],
    );
    assert_eq!(
        svm.device(&device.address).reserved_seats,
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
        svm.send(&[close], &[&authority])
            .expect("releases still work");
    }
    svm.assert_refused(ServiceabilityError::MaxUsersExceeded, |svm| {
        svm.reserve(&authority, &device.address, client_ip(9), None)
    });
    let close = ix::close_reservation(
        authority.pubkey(),
        device.address,
        client_ip(3),
        authority.pubkey(),
    );
    svm.send(&[close], &[&authority]).expect("released");
    svm.reserve(&authority, &device.address, client_ip(9), None)
        .expect("room again");
}

#[test]
fn a_second_reservation_for_the_same_pair_fails() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    let other_device = svm.activated_device("fra-1", 4);
    let authority = svm.reservation_authority();
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("first");

    let second = svm.reserve(&authority, &device.address, client_ip(1), None);
    assert_program_error(&second, ServiceabilityError::ReservationAlreadyExists);
    assert_eq!(
        svm.device(&device.address).reserved_seats,
        1,
        "not counted twice"
    );

    svm.reserve(&authority, &device.address, client_ip(2), None)
        .expect("another IP");
    svm.reserve(&authority, &other_device.address, client_ip(1), None)
        .expect("another device");
}

#[test]
fn reservation_is_refused_when_a_user_exists_for_the_pair() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    svm.create_user(&device.address, client_ip(1))
        .expect("user");

    let result = svm.reserve(&authority, &device.address, client_ip(1), None);
    assert_program_error(&result, ServiceabilityError::UserAlreadyExists);
    assert_eq!(svm.device(&device.address).reserved_seats, 0);
}

#[test]
fn reservation_is_refused_while_paused_and_allowed_after_resume() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let admin = svm.admin.pubkey();
    svm.send_ok(&[ix::set_reservations_paused(admin, true)], &[]);

    let paused = svm.reserve(&authority, &device.address, client_ip(1), None);
    assert_program_error(&paused, ServiceabilityError::ReservationsPaused);

    svm.send_ok(&[ix::set_reservations_paused(admin, false)], &[]);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("resumed");
}

#[test]
fn pausing_does_not_block_releases() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    let admin = svm.admin.pubkey();
    svm.send_ok(&[ix::set_reservations_paused(admin, true)], &[]);
    let close = ix::close_reservation(
        authority.pubkey(),
        device.address,
        client_ip(1),
        authority.pubkey(),
    );
    svm.send(&[close], &[&authority])
        .expect("close works while paused");
}

#[test]
fn reservation_is_refused_on_a_device_that_is_not_activated() {
    let Scenario {
        mut svm,
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
        svm.send_ok(
            &[ix::update_device(
                device.foundation.pubkey(),
                device.address,
                update,
            )],
            &[&device.foundation],
        );
        let result = svm.reserve(&authority, &device.address, client_ip(1), None);
        assert_program_error(&result, ServiceabilityError::DeviceNotActivated);
    }
}

#[test]
fn reservation_arguments_are_validated() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let unspecified = std::net::Ipv4Addr::UNSPECIFIED;
    svm.assert_refused(ServiceabilityError::InvalidClientIp, |svm| {
        svm.reserve(&authority, &device.address, unspecified, None)
    });
    svm.assert_refused(ServiceabilityError::InvalidReservationTtl, |svm| {
        svm.reserve(&authority, &device.address, client_ip(1), Some(0))
    });
}

#[test]
fn prune_before_expiry_fails() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    svm.reserve(&authority, &device.address, client_ip(1), Some(600))
        .expect("reserved");
    svm.advance_clock(599);

    let prune = ix::prune_expired_reservation(device.address, client_ip(1), authority.pubkey());
    svm.assert_refused(ServiceabilityError::ReservationNotExpired, |svm| {
        svm.send(&[prune], &[])
    });
    assert_eq!(svm.device(&device.address).reserved_seats, 1);
}

#[test]
fn a_reservation_without_expiry_cannot_be_pruned() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    svm.advance_clock(10 * 365 * 86_400);

    let prune = ix::prune_expired_reservation(device.address, client_ip(1), authority.pubkey());
    svm.assert_refused(ServiceabilityError::ReservationNeverExpires, |svm| {
        svm.send(&[prune], &[])
    });
}

#[test]
fn after_expiry_anyone_can_prune_and_the_payer_gets_the_rent() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    svm.reserve(&authority, &device.address, client_ip(1), Some(600))
        .expect("reserved");
    let payer_before = svm.lamports(&authority.pubkey());
    let rent = svm.lamports(&pda::reservation(&device.address, client_ip(1)));
    svm.advance_clock(600);

    let stranger = svm.funded_keypair();
    let prune = ix::prune_expired_reservation(device.address, client_ip(1), authority.pubkey());
    let meta = svm
        .send_paid_by(&stranger, &[prune], &[])
        .expect("pruned by a stranger");

    assert!(svm.reservation(&device.address, client_ip(1)).is_none());
    assert_eq!(svm.device(&device.address).reserved_seats, 0);
    assert_eq!(svm.lamports(&authority.pubkey()), payer_before + rent);
    let events: Vec<ReservationClosed> = decode(&meta.logs);
    assert!(matches!(events[0].reason, ReservationCloseReason::Expired));

    let thief = Keypair::new();
    svm.reserve(&authority, &device.address, client_ip(2), Some(1))
        .expect("reserved");
    svm.advance_clock(1);
    let prune = ix::prune_expired_reservation(device.address, client_ip(2), thief.pubkey());
    svm.assert_refused(ServiceabilityError::PayerMismatch, |svm| {
        svm.send(&[prune], &[])
    });
}

#[test]
fn an_expired_reservation_is_not_consumed_it_is_pruned_first() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(1);
    let ip = client_ip(1);
    svm.reserve(&authority, &device.address, ip, Some(60))
        .expect("reserved");
    // At `expires_at` it no longer converts (one second earlier it does: the next test).
    svm.advance_clock(60);
    let expired = svm.create_user(&device.address, ip);
    assert_program_error(&expired, ServiceabilityError::ReservationExpired);
    let state = svm.device(&device.address);
    assert_eq!(
        (state.users_count, state.reserved_seats),
        (0, 1),
        "nothing changed"
    );
    assert!(svm.reservation(&device.address, ip).is_some());

    // Prune it (anyone may), then the user takes the freed seat as a fresh one.
    let prune = ix::prune_expired_reservation(device.address, ip, authority.pubkey());
    svm.send_ok(&[prune], &[]);
    svm.create_user(&device.address, ip).expect("fresh seat");
    let state = svm.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 0));
}

#[test]
fn a_reservation_converts_until_the_second_it_expires() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(1);
    let ip = client_ip(1);
    svm.reserve(&authority, &device.address, ip, Some(60))
        .expect("reserved");
    svm.advance_clock(59);
    svm.create_user(&device.address, ip).expect("still live");
    let state = svm.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 0));
}
