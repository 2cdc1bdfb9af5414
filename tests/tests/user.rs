//! Users and devices: reservation conversion (scenario 7), deletion and closing (scenario 8),
//! device creation and updates.

use anchor_lang::prelude::Pubkey;
use anchor_lang::InstructionData;
use serviceability_client::accounts::TunnelClaim;
use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::serviceability::client::args as instruction_args;
use serviceability_client::serviceability::events::{
    DeviceClosed, DeviceCreated, DeviceUpdated, ReservationClosed, TunnelNetClaimed, UserCreated,
    UserDeleted,
};
use serviceability_client::types::{
    CreateDeviceArgs, DeviceStatus, ReservationCloseReason, TunnelNet, UpdateDeviceArgs, UserStatus,
};
use serviceability_tests::*;

#[test]
fn create_user_at_full_capacity_consumes_the_reservation_atomically() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(1);
    let ip = client_ip(1);
    ledger
        .reserve(&authority, &device.address, ip, Some(3600))
        .expect("the only seat");
    let payer_before = ledger.lamports(&authority.pubkey());
    let reservation_rent = ledger.lamports(&pda::reservation(&device.address, ip));

    let meta = ledger
        .create_user(&device.address, ip)
        .expect("seat converted");

    let state = ledger.device(&device.address);
    assert_eq!(
        (state.users_count, state.reserved_seats),
        (1, 0),
        "converted, never counted twice"
    );
    assert!(
        !ledger.exists(&pda::reservation(&device.address, ip)),
        "reservation closed"
    );
    assert_eq!(
        ledger.lamports(&authority.pubkey()),
        payer_before + reservation_rent
    );
    let user = ledger.user(&device.address, ip).expect("user exists");
    assert_eq!(user.device, device.address);
    assert_eq!(user.client_ip, ip.octets());
    assert_eq!(user.tunnel_net.network, tunnel_net_for(ip).network);
    assert!(matches!(user.status, UserStatus::Activated));
    assert_eq!(user.created_at, ledger.now());
    assert_eq!(user.payer, ledger.admin.pubkey());

    let closed: Vec<ReservationClosed> = decode(&meta.logs);
    assert!(matches!(closed[0].reason, ReservationCloseReason::Consumed));
    let created: Vec<UserCreated> = decode(&meta.logs);
    assert!(created[0].consumed_reservation);
    assert_eq!((created[0].users_count, created[0].reserved_seats), (1, 0));
}

#[test]
fn create_user_at_full_capacity_without_a_reservation_is_refused() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(1);
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("the only seat");

    let result = ledger.create_user(&device.address, client_ip(2));
    assert_program_error(&result, ServiceabilityError::MaxUsersExceeded);
    assert!(ledger.user(&device.address, client_ip(2)).is_none());
}

#[test]
fn create_user_below_capacity_still_consumes_the_pairs_reservation() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(5);
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    ledger
        .create_user(&device.address, client_ip(1))
        .expect("user");
    let state = ledger.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 0));
}

#[test]
fn a_reservation_cannot_be_left_behind_or_refunded_to_someone_else() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(5);
    let ip = client_ip(1);
    ledger
        .reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    let admin = ledger.admin.pubkey();

    let without_payer = ix::create_user(admin, device.address, ip, tunnel_net_for(ip), admin, None);
    assert_program_error(
        &ledger.send(&[without_payer], &[]),
        ServiceabilityError::ReservationPayerMissing,
    );
    let thief = Keypair::new();
    let wrong_payer = ix::create_user(
        admin,
        device.address,
        ip,
        tunnel_net_for(ip),
        admin,
        Some(thief.pubkey()),
    );
    assert_program_error(
        &ledger.send(&[wrong_payer], &[]),
        ServiceabilityError::PayerMismatch,
    );
    let state = ledger.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (0, 1));
}

#[test]
fn a_reserved_seat_converts_even_after_the_device_stops_taking_new_seats() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(2);
    ledger
        .reserve(&authority, &device.address, client_ip(1), None)
        .expect("reserved");
    let suspend = UpdateDeviceArgs {
        status: Some(DeviceStatus::Suspended),
        max_users: Some(0),
        ..update_nothing()
    };
    ledger.send_ok(
        &[ix::update_device(
            device.foundation.pubkey(),
            device.address,
            suspend,
        )],
        &[&device.foundation],
    );

    assert_program_error(
        &ledger.create_user(&device.address, client_ip(2)),
        ServiceabilityError::DeviceNotActivated,
    );
    ledger
        .create_user(&device.address, client_ip(1))
        .expect("the held seat converts");
}

#[test]
fn create_user_validates_its_arguments_and_refuses_duplicates() {
    let mut ledger = Ledger::new();
    let device = ledger.activated_device("ams-1", 5);
    let admin = ledger.admin.pubkey();
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
        assert_program_error(
            &ledger.send(&[create], &[]),
            ServiceabilityError::InvalidTunnelNet,
        );
    }
    let ownerless = ix::create_user(
        admin,
        device.address,
        ip,
        tunnel_net_for(ip),
        Pubkey::default(),
        None,
    );
    assert_program_error(
        &ledger.send(&[ownerless], &[]),
        ServiceabilityError::InvalidUserOwner,
    );
    let unspecified = std::net::Ipv4Addr::UNSPECIFIED;
    let no_ip = ix::create_user(
        admin,
        device.address,
        unspecified,
        tunnel_net_for(ip),
        admin,
        None,
    );
    assert_program_error(
        &ledger.send(&[no_ip], &[]),
        ServiceabilityError::InvalidClientIp,
    );
    ledger.create_user(&device.address, ip).expect("first");
    assert_program_error(
        &ledger.create_user(&device.address, ip),
        ServiceabilityError::UserAlreadyExists,
    );
    assert_eq!(ledger.device(&device.address).users_count, 1);
}

#[test]
fn delete_user_releases_the_seat_and_refunds_the_payer() {
    let mut ledger = Ledger::new();
    let device = ledger.activated_device("ams-1", 5);
    let activator = ledger.admin.insecure_clone();
    let ip = client_ip(1);
    ledger.create_user(&device.address, ip).expect("user");
    let user_rent = ledger.lamports(&pda::user(&device.address, ip));
    let claim = pda::tunnel_claim(&device.address, &tunnel_net_for(ip));
    let claim_rent = ledger.lamports(&claim);
    assert!(claim_rent > 0, "create_user claimed the tunnel network");

    let thief = Keypair::new();
    let stolen = ix::delete_user(
        activator.pubkey(),
        device.address,
        ip,
        &tunnel_net_for(ip),
        thief.pubkey(),
    );
    assert_program_error(
        &ledger.send(&[stolen], &[]),
        ServiceabilityError::PayerMismatch,
    );
    assert_eq!(ledger.lamports(&thief.pubkey()), 0);
    let payer_before = ledger.lamports(&activator.pubkey());

    let delete = ix::delete_user(
        activator.pubkey(),
        device.address,
        ip,
        &tunnel_net_for(ip),
        activator.pubkey(),
    );
    let meta = ledger.send(&[delete], &[]).expect("deleted");
    assert!(!ledger.exists(&pda::user(&device.address, ip)));
    assert!(!ledger.exists(&claim), "the tunnel network is free again");
    assert_eq!(ledger.device(&device.address).users_count, 0);
    // The admin also paid this transaction's fee.
    assert_eq!(
        ledger.lamports(&activator.pubkey()),
        payer_before + user_rent + claim_rent - meta.fee
    );
    let events: Vec<UserDeleted> = decode(&meta.logs);
    assert_eq!(events[0].users_count, 0);
}

#[test]
fn close_device_only_when_it_has_no_users_and_no_reservations() {
    let Scenario {
        mut ledger,
        device,
        authority,
    } = Scenario::new(5);
    let foundation = device.foundation.insecure_clone();
    let owner = foundation.pubkey();
    let close = ix::close_device(owner, device.address, owner);
    ledger
        .create_user(&device.address, client_ip(1))
        .expect("user");
    ledger
        .reserve(&authority, &device.address, client_ip(2), None)
        .expect("reserved");

    assert_program_error(
        &ledger.send(std::slice::from_ref(&close), &[&foundation]),
        ServiceabilityError::DeviceNotEmpty,
    );
    let admin = ledger.admin.pubkey();
    ledger.send_ok(
        &[ix::delete_user(
            admin,
            device.address,
            client_ip(1),
            &tunnel_net_for(client_ip(1)),
            admin,
        )],
        &[],
    );
    assert_program_error(
        &ledger.send(std::slice::from_ref(&close), &[&foundation]),
        ServiceabilityError::DeviceNotEmpty,
    );
    let release = ix::close_reservation(
        authority.pubkey(),
        device.address,
        client_ip(2),
        authority.pubkey(),
    );
    ledger.send(&[release], &[&authority]).expect("released");

    let wrong_owner = ix::close_device(owner, device.address, authority.pubkey());
    assert_program_error(
        &ledger.send(&[wrong_owner], &[&foundation]),
        ServiceabilityError::DeviceOwnerMismatch,
    );

    let owner_before = ledger.lamports(&owner);
    let device_rent = ledger.lamports(&device.address);
    let meta = ledger.send(&[close], &[&foundation]).expect("closed");
    assert!(!ledger.exists(&device.address));
    assert_eq!(ledger.lamports(&owner), owner_before + device_rent);
    let events: Vec<DeviceClosed> = decode(&meta.logs);
    assert_eq!(events[0].code, "ams-1");
}

#[test]
fn create_device_records_its_fields_and_starts_pending() {
    let mut ledger = Ledger::new();
    let foundation = ledger.foundation_key();
    let publisher = Keypair::new();
    let args = CreateDeviceArgs {
        code: "lon-ix-2".into(),
        public_ip: [185, 1, 2, 3],
        max_users: 128,
        metrics_publisher: publisher.pubkey(),
    };
    let meta = ledger
        .send(
            &[ix::create_device(foundation.pubkey(), args)],
            &[&foundation],
        )
        .expect("created");
    let device = ledger.device(&pda::device("lon-ix-2"));
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
    let mut ledger = Ledger::new();
    let foundation = ledger.foundation_key();
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
    assert_program_error(
        &ledger.send(&[instruction], &[&foundation]),
        ServiceabilityError::InvalidDeviceCode,
    );
}

#[test]
fn a_second_device_with_the_same_code_is_refused_by_name() {
    let mut ledger = Ledger::new();
    let first = ledger.activated_device("ams-1", 3);
    let foundation = first.foundation.insecure_clone();
    let before = ledger.lamports(&foundation.pubkey());
    let again = ix::create_device(
        foundation.pubkey(),
        CreateDeviceArgs {
            code: "ams-1".into(),
            public_ip: [185, 1, 1, 2],
            max_users: 9,
            metrics_publisher: foundation.pubkey(),
        },
    );
    let refused = ledger.send(&[again], &[&foundation]);
    assert_program_error(&refused, ServiceabilityError::DeviceAlreadyExists);
    // Refused before any account creation: the foundation key (not the fee payer) paid nothing.
    assert_eq!(ledger.lamports(&foundation.pubkey()), before);
    assert_eq!(ledger.device(&first.address).max_users, 3);
}

#[test]
fn create_device_validates_code_address_and_publisher() {
    let mut ledger = Ledger::new();
    let foundation = ledger.foundation_key();
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
        assert_program_error(
            &ledger.send(
                &[ix::create_device(foundation.pubkey(), args)],
                &[&foundation],
            ),
            error,
        );
        assert!(!ledger.exists(&pda::device(&code)));
    }
}

#[test]
fn update_device_changes_only_the_given_fields() {
    let mut ledger = Ledger::new();
    let device = ledger.activated_device("ams-1", 4);
    let foundation = device.foundation.insecure_clone();
    let empty = ix::update_device(foundation.pubkey(), device.address, update_nothing());
    assert_program_error(
        &ledger.send(&[empty], &[&foundation]),
        ServiceabilityError::NothingToUpdate,
    );
    let bad_ip = UpdateDeviceArgs {
        public_ip: Some([224, 0, 0, 1]),
        ..update_nothing()
    };
    let bad_ip = ix::update_device(foundation.pubkey(), device.address, bad_ip);
    assert_program_error(
        &ledger.send(&[bad_ip], &[&foundation]),
        ServiceabilityError::InvalidPublicIp,
    );

    let new_publisher = Keypair::new().pubkey();
    let update = UpdateDeviceArgs {
        metrics_publisher: Some(new_publisher),
        max_users: Some(9),
        ..update_nothing()
    };
    let meta = ledger.send_ok(
        &[ix::update_device(
            foundation.pubkey(),
            device.address,
            update,
        )],
        &[&foundation],
    );
    let state = ledger.device(&device.address);
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

#[test]
fn two_users_of_a_device_cannot_share_a_tunnel_network() {
    let mut ledger = Ledger::new();
    let device = ledger.activated_device("ams-1", 5);
    let other = ledger.activated_device("fra-1", 5);
    let tunnel = tunnel_net_for(client_ip(1));
    ledger
        .create_user_with_tunnel(&device.address, client_ip(1), tunnel)
        .expect("first");
    let shared = ledger.create_user_with_tunnel(&device.address, client_ip(2), tunnel);
    assert_program_error(&shared, ServiceabilityError::TunnelNetInUse);
    // A /30 on the same network would share the device's side of the /31.
    let wider = TunnelNet {
        network: tunnel.network,
        prefix_len: 30,
    };
    let overlapping = ledger.create_user_with_tunnel(&device.address, client_ip(2), wider);
    assert_program_error(&overlapping, ServiceabilityError::TunnelNetInUse);
    assert_eq!(ledger.device(&device.address).users_count, 1);

    // Another device is another router: the same network is fine there.
    ledger
        .create_user_with_tunnel(&other.address, client_ip(2), tunnel)
        .expect("other device");
    // Deleting the user frees its network for the next one.
    let admin = ledger.admin.pubkey();
    let delete = ix::delete_user(admin, device.address, client_ip(1), &tunnel, admin);
    ledger.send_ok(&[delete], &[]);
    ledger
        .create_user_with_tunnel(&device.address, client_ip(2), tunnel)
        .expect("network free again");
    let claim: TunnelClaim = ledger
        .account(&pda::tunnel_claim(&device.address, &tunnel))
        .expect("claimed");
    assert_eq!(claim.user, pda::user(&device.address, client_ip(2)));
}

#[test]
fn claim_tunnel_net_brings_a_user_from_before_claims_under_the_rule() {
    let mut ledger = Ledger::new();
    let device = ledger.activated_device("ams-1", 5);
    let admin = ledger.admin.pubkey();
    let tunnel = tunnel_net_for(client_ip(1));
    let claim_address = pda::tunnel_claim(&device.address, &tunnel);
    ledger
        .create_user(&device.address, client_ip(1))
        .expect("user");
    ledger.make_legacy_user(&device.address, client_ip(1));
    assert!(!ledger.exists(&claim_address), "legacy users have no claim");

    // Unclaimed, its network could be taken by a new user; the migration claims it.
    let stranger = ledger.funded_keypair();
    let by_stranger =
        ix::claim_tunnel_net(stranger.pubkey(), device.address, client_ip(1), &tunnel);
    assert_program_error(
        &ledger.send(&[by_stranger], &[&stranger]),
        ServiceabilityError::NotActivatorAuthority,
    );
    let claim = ix::claim_tunnel_net(admin, device.address, client_ip(1), &tunnel);
    let meta = ledger
        .send(std::slice::from_ref(&claim), &[])
        .expect("claimed");
    let events: Vec<TunnelNetClaimed> = decode(&meta.logs);
    assert_eq!(events[0].user, pda::user(&device.address, client_ip(1)));
    assert_eq!(events[0].tunnel_network, tunnel.network);
    let claimed: TunnelClaim = ledger.account(&claim_address).expect("claimed");
    assert_eq!(claimed.user, pda::user(&device.address, client_ip(1)));

    let twice = ledger.send(&[claim], &[]);
    assert_program_error(&twice, ServiceabilityError::TunnelNetInUse);
    let newcomer = ledger.create_user_with_tunnel(&device.address, client_ip(2), tunnel);
    assert_program_error(&newcomer, ServiceabilityError::TunnelNetInUse);
}

#[test]
fn of_two_old_users_sharing_a_network_the_first_to_claim_keeps_it() {
    // Before claims, two users could share a network; the migration cannot claim it twice,
    // and deleting the one that lost must not release the winner's claim.
    let mut ledger = Ledger::new();
    let device = ledger.activated_device("ams-1", 5);
    let admin = ledger.admin.pubkey();
    let tunnel = tunnel_net_for(client_ip(1));
    ledger
        .create_user(&device.address, client_ip(1))
        .expect("winner");
    ledger.make_legacy_user(&device.address, client_ip(1));
    ledger
        .create_user_with_tunnel(&device.address, client_ip(2), tunnel)
        .expect("unclaimed network: accepted, as before claims");
    let claim_address = pda::tunnel_claim(&device.address, &tunnel);
    let holder: TunnelClaim = ledger.account(&claim_address).expect("claimed");
    assert_eq!(holder.user, pda::user(&device.address, client_ip(2)));

    let loser = ix::claim_tunnel_net(admin, device.address, client_ip(1), &tunnel);
    assert_program_error(
        &ledger.send(&[loser], &[]),
        ServiceabilityError::TunnelNetInUse,
    );
    let delete = ix::delete_user(admin, device.address, client_ip(1), &tunnel, admin);
    ledger.send_ok(&[delete], &[]);
    let holder: TunnelClaim = ledger.account(&claim_address).expect("still claimed");
    assert_eq!(holder.user, pda::user(&device.address, client_ip(2)));
    assert_eq!(ledger.device(&device.address).users_count, 1);
}
