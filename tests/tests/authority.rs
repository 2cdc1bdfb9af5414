//! Who may do what: the reservation authority with its foundation fallback (scenario 4),
//! the activator authority, the admin and the foundation allowlist.

use anchor_lang::prelude::Pubkey;
use serviceability_client::accounts::AdminProposal;
use serviceability_client::accounts::GlobalState;
use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::serviceability::constants::{
    ADMIN_PROPOSAL_TTL_SECS, MAX_FOUNDATION_KEYS,
};
use serviceability_client::serviceability::events::{
    AdminProposed, AuthorityChanged, FoundationAllowlistChanged, GlobalStateInitialized,
    ReservationsPauseChanged,
};
use serviceability_client::types::{AuthorityKind, AuthorityUpdate, CreateDeviceArgs};
use serviceability_host::{set_upgrade_authority, PROGRAM_DATA_HEADER_LEN};
use serviceability_tests::*;

fn global_state(svm: &TestSvm) -> GlobalState {
    svm.account(&pda::global_state()).expect("initialized")
}

#[test]
fn initialize_makes_the_deployer_admin_and_activator() {
    let svm = TestSvm::new();
    let state = global_state(&svm);
    assert_eq!(state.admin, svm.admin.pubkey());
    assert_eq!(state.activator_authority, svm.admin.pubkey());
    assert!(state.reservation_authority.is_none());
    assert!(state.foundation_allowlist.is_empty());
    assert!(!state.reservations_paused);
}

#[test]
fn initialize_cannot_run_twice() {
    let mut svm = TestSvm::new();
    let admin = svm.admin.insecure_clone();
    let admin_before = svm.lamports(&admin.pubkey());
    let result = svm.send_paid_by(&admin, &[ix::initialize(admin.pubkey())], &[]);
    assert_program_error(&result, ServiceabilityError::AlreadyInitialized);
    // Refused before any account creation: the upgrade authority paid only the fee.
    let fee = result.unwrap_err().meta.fee;
    assert_eq!(svm.lamports(&admin.pubkey()), admin_before - fee);
    // Who is asking comes first: anyone else is told they may not initialize at all.
    let intruder = svm.funded_keypair();
    let result = svm.send_paid_by(&intruder, &[ix::initialize(intruder.pubkey())], &[]);
    assert_program_error(&result, ServiceabilityError::NotUpgradeAuthority);
    assert_eq!(global_state(&svm).admin, svm.admin.pubkey());
}

#[test]
fn only_the_upgrade_authority_can_initialize() {
    // The hijack this closes: after `anchor deploy`, whoever sent `initialize` first became
    // admin for good.
    let mut svm = TestSvm::uninitialized();
    let front_runner = svm.funded_keypair();
    let result = svm.send_paid_by(&front_runner, &[ix::initialize(front_runner.pubkey())], &[]);
    assert_program_error(&result, ServiceabilityError::NotUpgradeAuthority);
    assert!(!svm.exists(&pda::global_state()), "nothing was created");

    let admin = svm.admin.insecure_clone();
    let initialized = svm.send_paid_by(&admin, &[ix::initialize(admin.pubkey())], &[]);
    let events: Vec<GlobalStateInitialized> = decode(&initialized.expect("initialized").logs);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].admin, admin.pubkey());
    assert_eq!(global_state(&svm).admin, admin.pubkey());
}

#[test]
fn an_immutable_program_cannot_be_initialized() {
    let mut svm = TestSvm::uninitialized();
    set_upgrade_authority(&mut svm.litesvm, None);
    let admin = svm.admin.insecure_clone();
    let result = svm.send_paid_by(&admin, &[ix::initialize(admin.pubkey())], &[]);
    assert_program_error(&result, ServiceabilityError::NotUpgradeAuthority);
    assert!(!svm.exists(&pda::global_state()));
}

#[test]
fn initialize_reads_only_this_programs_program_data() {
    // Another program's ProgramData, whose upgrade authority the intruder is, is not ours.
    let mut svm = TestSvm::uninitialized();
    let intruder = svm.funded_keypair();
    let other_program = Pubkey::new_unique();
    let (elsewhere, _) = Pubkey::find_program_address(
        &[other_program.as_ref()],
        &anchor_lang::solana_program::bpf_loader_upgradeable::ID,
    );
    let ours = pda::program_data();
    let mut planted = svm.litesvm.get_account(&ours).expect("ProgramData");
    planted.data = planted.data[..PROGRAM_DATA_HEADER_LEN].to_vec();
    svm.litesvm.set_account(elsewhere, planted).unwrap();
    set_upgrade_authority(&mut svm.litesvm, Some(svm.admin.pubkey()));
    let mut forged = ix::initialize(intruder.pubkey());
    for meta in &mut forged.accounts {
        if meta.pubkey == ours {
            meta.pubkey = elsewhere;
        }
    }
    let result = svm.send_paid_by(&intruder, &[forged], &[]);
    assert_anchor_error(&result, anchor_lang::error::ErrorCode::ConstraintSeeds);
    assert!(!svm.exists(&pda::global_state()));
}

#[test]
fn an_unauthorized_signer_cannot_reserve_or_close() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let stranger = svm.funded_keypair();

    let reserve = svm.reserve(&stranger, &device.address, client_ip(1), None);
    assert_program_error(&reserve, ServiceabilityError::NotReservationAuthority);

    svm.reserve(&authority, &device.address, client_ip(2), None)
        .expect("reserved");
    let close = ix::close_reservation(
        stranger.pubkey(),
        device.address,
        client_ip(2),
        authority.pubkey(),
    );
    svm.assert_refused(ServiceabilityError::NotReservationAuthority, |svm| {
        svm.send(&[close], &[&stranger])
    });
    assert_eq!(svm.device(&device.address).reserved_seats, 1);
}

#[test]
fn the_foundation_can_reserve_when_no_reservation_authority_is_set() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    assert!(global_state(&svm).reservation_authority.is_none());
    let foundation = svm.foundation_key();
    svm.reserve(&foundation, &device.address, client_ip(1), None)
        .expect("foundation fallback");
    let close = ix::close_reservation(
        foundation.pubkey(),
        device.address,
        client_ip(1),
        foundation.pubkey(),
    );
    svm.send(&[close], &[&foundation])
        .expect("foundation closes");
}

#[test]
fn the_foundation_can_reserve_when_a_reservation_authority_is_set() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let foundation = svm.foundation_key();
    svm.reserve(&foundation, &device.address, client_ip(1), None)
        .expect("foundation fallback");
    svm.reserve(&authority, &device.address, client_ip(2), None)
        .expect("authority");
    assert_eq!(svm.device(&device.address).reserved_seats, 2);
}

#[test]
fn a_cleared_reservation_authority_loses_its_rights() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let admin = svm.admin.pubkey();
    let clear = AuthorityUpdate::Reservation {
        new_authority: None,
    };
    svm.send_ok(&[ix::set_authority(admin, clear)], &[]);
    assert!(global_state(&svm).reservation_authority.is_none());
    let result = svm.reserve(&authority, &device.address, client_ip(1), None);
    assert_program_error(&result, ServiceabilityError::NotReservationAuthority);
}

#[test]
fn a_removed_foundation_key_loses_its_rights() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    let foundation = svm.foundation_key();
    let admin = svm.admin.pubkey();
    svm.send_ok(
        &[ix::remove_foundation_key(admin, foundation.pubkey())],
        &[],
    );
    let result = svm.reserve(&foundation, &device.address, client_ip(1), None);
    assert_program_error(&result, ServiceabilityError::NotReservationAuthority);
}

#[test]
fn only_the_activator_or_the_foundation_manage_users() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    let stranger = svm.funded_keypair();
    let ip = client_ip(1);
    let create = |signer: &Keypair| {
        ix::create_user(
            signer.pubkey(),
            device.address,
            ip,
            tunnel_net_for(ip),
            signer.pubkey(),
            None,
        )
    };
    svm.assert_refused(ServiceabilityError::NotActivatorAuthority, |svm| {
        svm.send(&[create(&stranger)], &[&stranger])
    });

    let activator = svm.funded_keypair();
    let admin = svm.admin.pubkey();
    let update = AuthorityUpdate::Activator {
        new_authority: activator.pubkey(),
    };
    svm.send_ok(&[ix::set_authority(admin, update)], &[]);
    svm.send(&[create(&activator)], &[&activator])
        .expect("activator creates");

    let delete = ix::delete_user(
        stranger.pubkey(),
        device.address,
        ip,
        &tunnel_net_for(ip),
        activator.pubkey(),
    );
    svm.assert_refused(ServiceabilityError::NotActivatorAuthority, |svm| {
        svm.send(&[delete], &[&stranger])
    });
    let foundation = svm.foundation_key();
    let delete = ix::delete_user(
        foundation.pubkey(),
        device.address,
        ip,
        &tunnel_net_for(ip),
        activator.pubkey(),
    );
    svm.send(&[delete], &[&foundation])
        .expect("foundation fallback deletes");
}

#[test]
fn only_the_admin_changes_authorities_the_allowlist_and_the_pause_flag() {
    let mut svm = TestSvm::new();
    let impostor = svm.funded_keypair();
    let key = impostor.pubkey();
    let attempts = [
        ix::set_authority(
            key,
            AuthorityUpdate::Reservation {
                new_authority: Some(key),
            },
        ),
        ix::set_authority(key, AuthorityUpdate::Activator { new_authority: key }),
        ix::add_foundation_key(key, key),
        ix::remove_foundation_key(key, key),
        ix::set_reservations_paused(key, true),
    ];
    for attempt in attempts {
        let result = svm.send_paid_by(&impostor, &[attempt], &[]);
        assert_program_error(&result, ServiceabilityError::NotAdmin);
    }
    let state = global_state(&svm);
    assert!(state.foundation_allowlist.is_empty() && !state.reservations_paused);
}

#[test]
fn authorities_cannot_be_the_default_key() {
    let mut svm = TestSvm::new();
    let admin = svm.admin.pubkey();
    for update in [
        AuthorityUpdate::Activator {
            new_authority: Pubkey::default(),
        },
        AuthorityUpdate::Reservation {
            new_authority: Some(Pubkey::default()),
        },
    ] {
        svm.assert_refused(ServiceabilityError::InvalidAuthority, |svm| {
            svm.send(&[ix::set_authority(admin, update)], &[])
        });
    }
}

#[test]
fn the_allowlist_is_bounded_and_has_no_duplicates() {
    let mut svm = TestSvm::new();
    let admin = svm.admin.pubkey();
    let keys: Vec<Pubkey> = (0..MAX_FOUNDATION_KEYS)
        .map(|_| Pubkey::new_unique())
        .collect();
    for key in &keys {
        svm.send_ok(&[ix::add_foundation_key(admin, *key)], &[]);
    }
    let duplicate = svm.send(&[ix::add_foundation_key(admin, keys[0])], &[]);
    assert_program_error(&duplicate, ServiceabilityError::FoundationKeyAlreadyPresent);
    let overflow = svm.send(&[ix::add_foundation_key(admin, Pubkey::new_unique())], &[]);
    assert_program_error(&overflow, ServiceabilityError::FoundationAllowlistFull);
    assert_eq!(global_state(&svm).foundation_allowlist, keys);

    svm.send_ok(&[ix::remove_foundation_key(admin, keys[3])], &[]);
    let missing = svm.send(&[ix::remove_foundation_key(admin, keys[3])], &[]);
    assert_program_error(&missing, ServiceabilityError::FoundationKeyNotFound);
    assert_eq!(
        global_state(&svm).foundation_allowlist.len(),
        keys.len() - 1
    );
}

#[test]
fn only_the_foundation_creates_updates_and_closes_devices() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    let stranger = svm.funded_keypair();
    let args = CreateDeviceArgs {
        code: "fra-1".into(),
        public_ip: [185, 1, 1, 11],
        max_users: 4,
        metrics_publisher: stranger.pubkey(),
    };
    let attempts = [
        ix::create_device(stranger.pubkey(), args),
        ix::update_device(
            stranger.pubkey(),
            device.address,
            update_nothing_but_capacity(9),
        ),
        ix::close_device(
            stranger.pubkey(),
            device.address,
            device.foundation.pubkey(),
        ),
    ];
    for attempt in attempts {
        let result = svm.send(&[attempt], &[&stranger]);
        assert_program_error(&result, ServiceabilityError::NotFoundationMember);
    }
    assert_eq!(svm.device(&device.address).max_users, 4);
    assert!(!svm.exists(&pda::device("fra-1")));
}

fn update_nothing_but_capacity(max_users: u16) -> serviceability_client::types::UpdateDeviceArgs {
    serviceability_client::types::UpdateDeviceArgs {
        max_users: Some(max_users),
        ..update_nothing()
    }
}

#[test]
fn every_admin_change_emits_its_event() {
    let mut svm = TestSvm::new();
    let admin = svm.admin.pubkey();
    let reservation_authority = Pubkey::new_unique();
    let set = AuthorityUpdate::Reservation {
        new_authority: Some(reservation_authority),
    };
    let meta = svm.send_ok(&[ix::set_authority(admin, set)], &[]);
    let events: Vec<AuthorityChanged> = decode(&meta.logs);
    assert_eq!(events.len(), 1);
    assert!(matches!(events[0].kind, AuthorityKind::Reservation));
    assert_eq!(
        (events[0].previous, events[0].current),
        (None, Some(reservation_authority))
    );

    let activator = Pubkey::new_unique();
    let set = AuthorityUpdate::Activator {
        new_authority: activator,
    };
    let meta = svm.send_ok(&[ix::set_authority(admin, set)], &[]);
    let events: Vec<AuthorityChanged> = decode(&meta.logs);
    assert!(matches!(events[0].kind, AuthorityKind::Activator));
    assert_eq!(
        (events[0].previous, events[0].current),
        (Some(admin), Some(activator))
    );

    let key = Pubkey::new_unique();
    let meta = svm.send_ok(&[ix::add_foundation_key(admin, key)], &[]);
    let events: Vec<FoundationAllowlistChanged> = decode(&meta.logs);
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].key, events[0].added, events[0].allowlist_len),
        (key, true, 1)
    );
    let meta = svm.send_ok(&[ix::remove_foundation_key(admin, key)], &[]);
    let events: Vec<FoundationAllowlistChanged> = decode(&meta.logs);
    assert_eq!(
        (events[0].key, events[0].added, events[0].allowlist_len),
        (key, false, 0)
    );

    for paused in [true, false] {
        let meta = svm.send_ok(&[ix::set_reservations_paused(admin, paused)], &[]);
        let events: Vec<ReservationsPauseChanged> = decode(&meta.logs);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].paused, paused);
    }
}

#[test]
fn the_admin_hands_over_in_two_steps() {
    let mut svm = TestSvm::new();
    let admin = svm.admin.insecure_clone();
    let successor = svm.funded_keypair();
    let admin_before = svm.lamports(&admin.pubkey());

    let proposed = svm.send_paid_by(
        &admin,
        &[ix::propose_admin(admin.pubkey(), Some(successor.pubkey()))],
        &[],
    );
    let proposed = proposed.expect("proposed");
    let events: Vec<AdminProposed> = decode(&proposed.logs);
    assert_eq!(events[0].admin, admin.pubkey());
    assert_eq!(events[0].proposed_admin, Some(successor.pubkey()));
    let proposal: AdminProposal = svm.account(&pda::admin_proposal()).expect("pending");
    assert_eq!(proposal.proposed_admin, successor.pubkey());
    assert_eq!(proposal.proposed_at, svm.now());
    // Proposing changes nothing yet: the admin is still the admin.
    assert_eq!(global_state(&svm).admin, admin.pubkey());
    assert!(svm.lamports(&pda::admin_proposal()) > 0);

    let accepted = svm.send_paid_by(
        &successor,
        &[ix::accept_admin(successor.pubkey(), admin.pubkey())],
        &[],
    );
    let events: Vec<AuthorityChanged> = decode(&accepted.expect("accepted").logs);
    assert!(matches!(events[0].kind, AuthorityKind::Admin));
    assert_eq!(events[0].previous, Some(admin.pubkey()));
    assert_eq!(events[0].current, Some(successor.pubkey()));
    assert_eq!(global_state(&svm).admin, successor.pubkey());
    assert!(
        !svm.exists(&pda::admin_proposal()),
        "the proposal is closed"
    );
    // The outgoing admin paid the proposal's rent and got it back: it is down one fee.
    assert_eq!(svm.lamports(&admin.pubkey()), admin_before - proposed.fee);

    // The old admin is now refused; the new one is obeyed.
    let old = svm.send_paid_by(
        &admin,
        &[ix::set_reservations_paused(admin.pubkey(), true)],
        &[],
    );
    assert_program_error(&old, ServiceabilityError::NotAdmin);
    let new = ix::set_reservations_paused(successor.pubkey(), true);
    svm.send_paid_by(&successor, &[new], &[])
        .expect("new admin");
    assert!(global_state(&svm).reservations_paused);
}

#[test]
fn only_the_proposed_key_accepts_and_only_the_admin_proposes() {
    let mut svm = TestSvm::new();
    let admin = svm.admin.insecure_clone();
    let successor = svm.funded_keypair();
    let stranger = svm.funded_keypair();

    // Nothing proposed: there is nothing to accept.
    let early = svm.send_paid_by(
        &successor,
        &[ix::accept_admin(successor.pubkey(), admin.pubkey())],
        &[],
    );
    assert_anchor_error(&early, anchor_lang::error::ErrorCode::AccountNotInitialized);

    let by_stranger = svm.send_paid_by(
        &stranger,
        &[ix::propose_admin(
            stranger.pubkey(),
            Some(stranger.pubkey()),
        )],
        &[],
    );
    assert_program_error(&by_stranger, ServiceabilityError::NotAdmin);
    for (proposed, error) in [
        (Pubkey::default(), ServiceabilityError::InvalidAuthority),
        (admin.pubkey(), ServiceabilityError::NothingToUpdate),
    ] {
        let refused = svm.send_paid_by(
            &admin,
            &[ix::propose_admin(admin.pubkey(), Some(proposed))],
            &[],
        );
        assert_program_error(&refused, error);
    }
    assert!(!svm.exists(&pda::admin_proposal()));

    svm.send_paid_by(
        &admin,
        &[ix::propose_admin(admin.pubkey(), Some(successor.pubkey()))],
        &[],
    )
    .expect("proposed");
    let hijack = svm.send_paid_by(
        &stranger,
        &[ix::accept_admin(stranger.pubkey(), admin.pubkey())],
        &[],
    );
    assert_program_error(&hijack, ServiceabilityError::NotProposedAdmin);
    // The rent goes back to the admin who paid, not to whoever the acceptor names.
    let diverted = svm.send_paid_by(
        &successor,
        &[ix::accept_admin(successor.pubkey(), stranger.pubkey())],
        &[],
    );
    assert_program_error(&diverted, ServiceabilityError::PayerMismatch);
    assert_eq!(global_state(&svm).admin, admin.pubkey());
}

#[test]
fn proposing_again_replaces_the_proposal_and_withdrawing_cancels_it() {
    let mut svm = TestSvm::new();
    let admin = svm.admin.insecure_clone();
    let typo = svm.funded_keypair();
    let intended = svm.funded_keypair();
    let admin_before = svm.lamports(&admin.pubkey());
    let mut fees = 0;
    for proposed in [typo.pubkey(), intended.pubkey()] {
        let meta = svm
            .send_paid_by(
                &admin,
                &[ix::propose_admin(admin.pubkey(), Some(proposed))],
                &[],
            )
            .expect("proposed");
        fees += meta.fee;
    }
    let replaced = svm.send_paid_by(
        &typo,
        &[ix::accept_admin(typo.pubkey(), admin.pubkey())],
        &[],
    );
    assert_program_error(&replaced, ServiceabilityError::NotProposedAdmin);

    let withdrawn = svm
        .send_paid_by(&admin, &[ix::propose_admin(admin.pubkey(), None)], &[])
        .expect("withdrawn");
    fees += withdrawn.fee;
    let events: Vec<AdminProposed> = decode(&withdrawn.logs);
    assert_eq!(events[0].proposed_admin, None);
    assert!(!svm.exists(&pda::admin_proposal()));
    // All the rent came back: the admin is down only the fees.
    assert_eq!(svm.lamports(&admin.pubkey()), admin_before - fees);
    let late = svm.send_paid_by(
        &intended,
        &[ix::accept_admin(intended.pubkey(), admin.pubkey())],
        &[],
    );
    assert_anchor_error(&late, anchor_lang::error::ErrorCode::AccountNotInitialized);
    let again = svm.send_paid_by(&admin, &[ix::propose_admin(admin.pubkey(), None)], &[]);
    assert_program_error(&again, ServiceabilityError::NothingToUpdate);
    assert_eq!(global_state(&svm).admin, admin.pubkey());
}

#[test]
fn the_last_foundation_key_can_be_removed_and_the_admin_can_restore_one() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 2);
    let foundation = device.foundation.insecure_clone();
    let admin = svm.admin.pubkey();
    assert_eq!(
        global_state(&svm).foundation_allowlist,
        vec![foundation.pubkey()]
    );
    svm.send_ok(
        &[ix::remove_foundation_key(admin, foundation.pubkey())],
        &[],
    );
    assert!(global_state(&svm).foundation_allowlist.is_empty());

    // Nobody manages devices now…
    let update = ix::update_device(
        foundation.pubkey(),
        device.address,
        update_nothing_but_capacity(3),
    );
    svm.assert_refused(ServiceabilityError::NotFoundationMember, |svm| {
        svm.send(std::slice::from_ref(&update), &[&foundation])
    });
    // …but the authorities still work without a foundation fallback, and the admin can
    // restore the allowlist: removing the last key does not brick the program.
    svm.create_user(&device.address, client_ip(1))
        .expect("activator");
    svm.send_ok(&[ix::add_foundation_key(admin, foundation.pubkey())], &[]);
    svm.send_ok(&[update], &[&foundation]);
    assert_eq!(svm.device(&device.address).max_users, 3);
}

#[test]
fn an_admin_proposal_expires_and_proposing_again_renews_it() {
    let mut svm = TestSvm::new();
    let admin = svm.admin.insecure_clone();
    let successor = svm.funded_keypair();
    let propose = ix::propose_admin(admin.pubkey(), Some(successor.pubkey()));
    let proposed = svm
        .send_paid_by(&admin, std::slice::from_ref(&propose), &[])
        .expect("proposed");
    let events: Vec<AdminProposed> = decode(&proposed.logs);
    assert_eq!(events[0].expires_at, svm.now() + ADMIN_PROPOSAL_TTL_SECS);

    svm.advance_clock(ADMIN_PROPOSAL_TTL_SECS + 1);
    let accept = ix::accept_admin(successor.pubkey(), admin.pubkey());
    svm.assert_refused(ServiceabilityError::AdminProposalExpired, |svm| {
        svm.send_paid_by(&successor, std::slice::from_ref(&accept), &[])
    });
    assert_eq!(global_state(&svm).admin, admin.pubkey());

    // Proposing again renews it; it can be accepted up to its last second.
    svm.send_paid_by(&admin, &[propose], &[])
        .expect("proposed again");
    svm.advance_clock(ADMIN_PROPOSAL_TTL_SECS);
    svm.send_paid_by(&successor, &[accept], &[])
        .expect("accepted at its expiry");
    assert_eq!(global_state(&svm).admin, successor.pubkey());
}

#[test]
fn a_device_owner_is_rotated_and_then_receives_the_rent() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    let foundation = device.foundation.insecure_clone();
    let successor = svm.funded_keypair();
    let rotate = |owner: Pubkey| {
        ix::update_device(
            foundation.pubkey(),
            device.address,
            serviceability_client::types::UpdateDeviceArgs {
                owner: Some(owner),
                ..update_nothing()
            },
        )
    };
    svm.assert_refused(ServiceabilityError::InvalidAuthority, |svm| {
        svm.send(&[rotate(Pubkey::default())], &[&foundation])
    });
    svm.send(&[rotate(successor.pubkey())], &[&foundation])
        .expect("rotated");
    assert_eq!(svm.device(&device.address).owner, successor.pubkey());

    let to_old = ix::close_device(foundation.pubkey(), device.address, foundation.pubkey());
    svm.assert_refused(ServiceabilityError::DeviceOwnerMismatch, |svm| {
        svm.send(&[to_old], &[&foundation])
    });
    let rent = svm.lamports(&device.address);
    let before = svm.lamports(&successor.pubkey());
    let close = ix::close_device(foundation.pubkey(), device.address, successor.pubkey());
    svm.send(&[close], &[&foundation]).expect("closed");
    assert_eq!(svm.lamports(&successor.pubkey()), before + rent);
}
