//! Users and devices: reservation conversion (scenario 7), deletion and closing (scenario 8),
//! device creation and updates.

use anchor_lang::prelude::Pubkey;
use anchor_lang::InstructionData;
use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::serviceability::client::args as instruction_args;
use serviceability_client::serviceability::events::{
    DeviceClosed, DeviceCreated, DeviceUpdated, ReservationClosed, UserCreated, UserDeleted,
};
use serviceability_client::types::{
    CreateDeviceArgs, DeviceStatus, ReservationCloseReason, TunnelNet, UpdateDeviceArgs, UserStatus,
};
use serviceability_tests::*;

#[test]
fn create_user_at_full_capacity_consumes_the_reservation_atomically() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(1);
    let ip = client_ip(1);
    svm.reserve(&authority, &device.address, ip, Some(3600))
        .expect("the only seat");
    let payer_before = svm.lamports(&authority.pubkey());
    let reservation_rent = svm.lamports(&pda::reservation(&device.address, ip));

    let meta = svm
        .create_user(&device.address, ip)
        .expect("seat converted");

    let state = svm.device(&device.address);
    assert_eq!(
        (state.users_count, state.reserved_seats),
        (1, 0),
        "converted, never counted twice"
    );
    assert!(
        !svm.exists(&pda::reservation(&device.address, ip)),
        "reservation closed"
    );
    assert_eq!(
        svm.lamports(&authority.pubkey()),
        payer_before + reservation_rent
    );
    let user = svm.user(&device.address, ip).expect("user exists");
    assert_eq!(user.device, device.address);
    assert_eq!(user.client_ip, ip.octets());
    assert_eq!(user.tunnel_net.network, tunnel_net_for(ip).network);
    assert!(matches!(user.status, UserStatus::Activated));
    assert_eq!(user.created_at, svm.now());
    assert_eq!(user.payer, svm.admin.pubkey());

    let closed: Vec<ReservationClosed> = decode(&meta.logs);
    assert!(matches!(closed[0].reason, ReservationCloseReason::Consumed));
    let created: Vec<UserCreated> = decode(&meta.logs);
    assert!(created[0].consumed_reservation);
    assert_eq!((created[0].users_count, created[0].reserved_seats), (1, 0));
}

#[test]
fn create_user_at_full_capacity_without_a_reservation_is_refused() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(1);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("the only seat");

    let result = svm.create_user(&device.address, client_ip(2));
    assert_program_error(&result, ServiceabilityError::MaxUsersExceeded);
    assert!(svm.user(&device.address, client_ip(2)).is_none());
}

#[test]
fn create_user_below_capacity_still_consumes_the_pairs_reservation() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(5);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    svm.create_user(&device.address, client_ip(1))
        .expect("user");
    let state = svm.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 0));
}

#[test]
fn a_reservation_cannot_be_left_behind_or_refunded_to_someone_else() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(5);
    let ip = client_ip(1);
    svm.reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    let admin = svm.admin.pubkey();

    let without_payer = ix::create_user(admin, device.address, ip, tunnel_net_for(ip), admin, None);
    svm.assert_refused(ServiceabilityError::ReservationPayerMissing, |svm| {
        svm.send(&[without_payer], &[])
    });
    let thief = Keypair::new();
    let wrong_payer = ix::create_user(
        admin,
        device.address,
        ip,
        tunnel_net_for(ip),
        admin,
        Some(thief.pubkey()),
    );
    svm.assert_refused(ServiceabilityError::PayerMismatch, |svm| {
        svm.send(&[wrong_payer], &[])
    });
    let state = svm.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (0, 1));
}

#[test]
fn a_reserved_seat_converts_even_after_the_device_stops_taking_new_seats() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(2);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    let suspend = UpdateDeviceArgs {
        status: Some(DeviceStatus::Suspended),
        max_users: Some(0),
        ..update_nothing()
    };
    svm.send_ok(
        &[ix::update_device(
            device.foundation.pubkey(),
            device.address,
            suspend,
        )],
        &[&device.foundation],
    );

    svm.assert_refused(ServiceabilityError::DeviceNotActivated, |svm| {
        svm.create_user(&device.address, client_ip(2))
    });
    svm.create_user(&device.address, client_ip(1))
        .expect("the held seat converts");
}

#[test]
fn create_user_validates_its_arguments_and_refuses_duplicates() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 5);
    let admin = svm.admin.pubkey();
    let ip = client_ip(1);
    for bad in [
        TunnelNet {
            network: [169, 254, 0, 1],
            prefix_len: 31,
        },
        TunnelNet {
            network: [169, 254, 0, 0],
            prefix_len: 29,
        },
    ] {
        let create = ix::create_user(admin, device.address, ip, bad, admin, None);
        svm.assert_refused(ServiceabilityError::InvalidTunnelNet, |svm| {
            svm.send(&[create], &[])
        });
    }
    let ownerless = ix::create_user(
        admin,
        device.address,
        ip,
        tunnel_net_for(ip),
        Pubkey::default(),
        None,
    );
    svm.assert_refused(ServiceabilityError::InvalidUserOwner, |svm| {
        svm.send(&[ownerless], &[])
    });
    let unspecified = std::net::Ipv4Addr::UNSPECIFIED;
    let no_ip = ix::create_user(
        admin,
        device.address,
        unspecified,
        tunnel_net_for(ip),
        admin,
        None,
    );
    svm.assert_refused(ServiceabilityError::InvalidClientIp, |svm| {
        svm.send(&[no_ip], &[])
    });
    svm.create_user(&device.address, ip).expect("first");
    svm.assert_refused(ServiceabilityError::UserAlreadyExists, |svm| {
        svm.create_user(&device.address, ip)
    });
    assert_eq!(svm.device(&device.address).users_count, 1);
}

#[test]
fn delete_user_releases_the_seat_and_refunds_the_payer() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 5);
    let activator = svm.admin.insecure_clone();
    let ip = client_ip(1);
    svm.create_user(&device.address, ip).expect("user");
    let user_rent = svm.lamports(&pda::user(&device.address, ip));
    let claim = pda::tunnel_claim(&device.address, &tunnel_net_for(ip));
    let claim_rent = svm.lamports(&claim);
    assert!(claim_rent > 0, "create_user claimed the tunnel network");

    let thief = Keypair::new();
    let stolen = ix::delete_user(
        activator.pubkey(),
        device.address,
        ip,
        &tunnel_net_for(ip),
        thief.pubkey(),
    );
    svm.assert_refused(ServiceabilityError::PayerMismatch, |svm| {
        svm.send(&[stolen], &[])
    });
    assert_eq!(svm.lamports(&thief.pubkey()), 0);
    let payer_before = svm.lamports(&activator.pubkey());

    let delete = ix::delete_user(
        activator.pubkey(),
        device.address,
        ip,
        &tunnel_net_for(ip),
        activator.pubkey(),
    );
    let meta = svm.send(&[delete], &[]).expect("deleted");
    assert!(!svm.exists(&pda::user(&device.address, ip)));
    assert!(!svm.exists(&claim), "the tunnel network is free again");
    assert_eq!(svm.device(&device.address).users_count, 0);
    // The admin also paid this transaction's fee.
    assert_eq!(
        svm.lamports(&activator.pubkey()),
        payer_before + user_rent + claim_rent - meta.fee
    );
    let events: Vec<UserDeleted> = decode(&meta.logs);
    assert_eq!(events[0].users_count, 0);
}

#[test]
fn close_device_only_when_it_has_no_users_and_no_reservations() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(5);
    let foundation = device.foundation.insecure_clone();
    let owner = foundation.pubkey();
    let close = ix::close_device(owner, device.address, owner);
    svm.create_user(&device.address, client_ip(1))
        .expect("user");
    svm.reserve(&authority, &device.address, client_ip(2), None)
        .expect("reserved");

    svm.assert_refused(ServiceabilityError::DeviceNotEmpty, |svm| {
        svm.send(std::slice::from_ref(&close), &[&foundation])
    });
    let admin = svm.admin.pubkey();
    svm.send_ok(
        &[ix::delete_user(
            admin,
            device.address,
            client_ip(1),
            &tunnel_net_for(client_ip(1)),
            admin,
        )],
        &[],
    );
    svm.assert_refused(ServiceabilityError::DeviceNotEmpty, |svm| {
        svm.send(std::slice::from_ref(&close), &[&foundation])
    });
    let release = ix::close_reservation(
        authority.pubkey(),
        device.address,
        client_ip(2),
        authority.pubkey(),
    );
    svm.send(&[release], &[&authority]).expect("released");

    let wrong_owner = ix::close_device(owner, device.address, authority.pubkey());
    svm.assert_refused(ServiceabilityError::DeviceOwnerMismatch, |svm| {
        svm.send(&[wrong_owner], &[&foundation])
    });

    let owner_before = svm.lamports(&owner);
    let device_rent = svm.lamports(&device.address);
    let meta = svm.send(&[close], &[&foundation]).expect("closed");
    assert!(!svm.exists(&device.address));
    assert_eq!(svm.lamports(&owner), owner_before + device_rent);
    let events: Vec<DeviceClosed> = decode(&meta.logs);
    assert_eq!(events[0].code, "ams-1");
}

#[test]
fn create_device_records_its_fields_and_starts_pending() {
    let mut svm = TestSvm::new();
    let foundation = svm.foundation_key();
    let publisher = Keypair::new();
    let args = CreateDeviceArgs {
        code: "lon-ix-2".into(),
        public_ip: [185, 1, 2, 3],
        max_users: 128,
        metrics_publisher: publisher.pubkey(),
    };
    let meta = svm
        .send(
            &[ix::create_device(foundation.pubkey(), args)],
            &[&foundation],
        )
        .expect("created");
    let device = svm.device(&pda::device("lon-ix-2"));
    assert_eq!(device.code, "lon-ix-2");
    assert_eq!(device.owner, foundation.pubkey());
    assert_eq!(device.public_ip, [185, 1, 2, 3]);
    assert!(matches!(device.status, DeviceStatus::Pending));
    assert_eq!(
        (device.max_users, device.users_count, device.reserved_seats),
        (128, 0, 0)
    );
    assert_eq!(device.metrics_publisher, publisher.pubkey());
    let events: Vec<DeviceCreated> = decode(&meta.logs);
    assert_eq!(events[0].code, "lon-ix-2");
}

#[test]
fn a_device_code_too_long_for_a_seed_is_refused_by_name() {
    let mut svm = TestSvm::new();
    let foundation = svm.foundation_key();
    let args = |code: String| CreateDeviceArgs {
        code,
        public_ip: [185, 1, 1, 1],
        max_users: 1,
        metrics_publisher: foundation.pubkey(),
    };
    // A 33-byte code cannot form a PDA seed, so clients cannot even derive its address: aim
    // the accounts at a valid code and send the long one. The code is checked before the
    // program derives the device's address (which would abort: ProgramFailedToComplete).
    let mut instruction = ix::create_device(foundation.pubkey(), args("placeholder".into()));
    instruction.data = instruction_args::CreateDevice {
        args: args("a".repeat(33)),
    }
    .data();
    svm.assert_refused(ServiceabilityError::InvalidDeviceCode, |svm| {
        svm.send(&[instruction], &[&foundation])
    });
}

#[test]
fn a_second_device_with_the_same_code_is_refused_by_name() {
    let mut svm = TestSvm::new();
    let first = svm.activated_device("ams-1", 3);
    let foundation = first.foundation.insecure_clone();
    let before = svm.lamports(&foundation.pubkey());
    let again = ix::create_device(
        foundation.pubkey(),
        CreateDeviceArgs {
            code: "ams-1".into(),
            public_ip: [185, 1, 1, 2],
            max_users: 9,
            metrics_publisher: foundation.pubkey(),
        },
    );
    let refused = svm.send(&[again], &[&foundation]);
    assert_program_error(&refused, ServiceabilityError::DeviceAlreadyExists);
    // Refused before any account creation: the foundation key (not the fee payer) paid nothing.
    assert_eq!(svm.lamports(&foundation.pubkey()), before);
    assert_eq!(svm.device(&first.address).max_users, 3);
}

#[test]
fn create_device_validates_code_address_and_publisher() {
    let mut svm = TestSvm::new();
    let foundation = svm.foundation_key();
    let valid = CreateDeviceArgs {
        code: "ok-1".into(),
        public_ip: [185, 1, 2, 3],
        max_users: 4,
        metrics_publisher: Keypair::new().pubkey(),
    };
    let cases = [
        (
            CreateDeviceArgs {
                code: "Bad_Code".into(),
                ..valid.clone()
            },
            ServiceabilityError::InvalidDeviceCode,
        ),
        (
            CreateDeviceArgs {
                code: String::new(),
                ..valid.clone()
            },
            ServiceabilityError::InvalidDeviceCode,
        ),
        (
            CreateDeviceArgs {
                public_ip: [127, 0, 0, 1],
                ..valid.clone()
            },
            ServiceabilityError::InvalidPublicIp,
        ),
        (
            CreateDeviceArgs {
                public_ip: [0, 0, 0, 0],
                ..valid.clone()
            },
            ServiceabilityError::InvalidPublicIp,
        ),
        (
            CreateDeviceArgs {
                metrics_publisher: anchor_lang::prelude::Pubkey::default(),
                ..valid.clone()
            },
            ServiceabilityError::InvalidAuthority,
        ),
    ];
    for (args, error) in cases {
        let code = args.code.clone();
        svm.assert_refused(error, |svm| {
            svm.send(
                &[ix::create_device(foundation.pubkey(), args)],
                &[&foundation],
            )
        });
        assert!(!svm.exists(&pda::device(&code)));
    }
}

#[test]
fn update_device_changes_only_the_given_fields() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    let foundation = device.foundation.insecure_clone();
    let empty = ix::update_device(foundation.pubkey(), device.address, update_nothing());
    svm.assert_refused(ServiceabilityError::NothingToUpdate, |svm| {
        svm.send(&[empty], &[&foundation])
    });
    let bad_ip = UpdateDeviceArgs {
        public_ip: Some([224, 0, 0, 1]),
        ..update_nothing()
    };
    let bad_ip = ix::update_device(foundation.pubkey(), device.address, bad_ip);
    svm.assert_refused(ServiceabilityError::InvalidPublicIp, |svm| {
        svm.send(&[bad_ip], &[&foundation])
    });

    let new_publisher = Keypair::new().pubkey();
    let update = UpdateDeviceArgs {
        metrics_publisher: Some(new_publisher),
        max_users: Some(9),
        ..update_nothing()
    };
    let meta = svm.send_ok(
        &[ix::update_device(
            foundation.pubkey(),
            device.address,
            update,
        )],
        &[&foundation],
    );
    let state = svm.device(&device.address);
    assert_eq!(
        (state.max_users, state.metrics_publisher),
        (9, new_publisher)
    );
    assert!(matches!(state.status, DeviceStatus::Activated));
    assert_eq!(state.public_ip, [185, 1, 1, 10]);
    // The event carries the device as it now is.
    let events: Vec<DeviceUpdated> = decode(&meta.logs);
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.device, device.address);
    assert_eq!(
        (event.max_users, event.metrics_publisher, event.public_ip),
        (9, new_publisher, [185, 1, 1, 10])
    );
    assert_eq!((event.users_count, event.reserved_seats), (0, 0));
    assert!(matches!(event.status, DeviceStatus::Activated));
}
