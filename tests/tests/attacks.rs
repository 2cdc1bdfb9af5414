//! Attacks (scenario 10): accounts of another type, accounts owned by another program, forged
//! PDAs and cross-device counter tampering are all rejected with their own error codes.

use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountSerialize;
use serviceability_client::accounts::{Device, GlobalState};
use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::types::BgpStatus;
use serviceability_client::PROGRAM_ID;
use serviceability_tests::*;

/// `instruction` with the account `original` replaced by `replacement`.
fn swap_account(
    mut instruction: Instruction,
    original: Pubkey,
    replacement: Pubkey,
) -> Instruction {
    let meta = instruction
        .accounts
        .iter_mut()
        .find(|meta| meta.pubkey == original)
        .expect("account in instruction");
    meta.pubkey = replacement;
    instruction
}

/// Writes `data` at a fresh address owned by `owner` (rent-exempt), returning the address.
fn plant(svm: &mut TestSvm, owner: Pubkey, data: Vec<u8>) -> Pubkey {
    let address = Pubkey::new_unique();
    let mut account = svm
        .litesvm
        .get_account(&pda::global_state())
        .expect("a template account");
    account.lamports = svm.litesvm.minimum_balance_for_rent_exemption(data.len());
    account.data = data;
    account.owner = owner;
    svm.litesvm.set_account(address, account).expect("planted");
    address
}

fn serialize(account: &impl AccountSerialize) -> Vec<u8> {
    let mut data = Vec::new();
    account.try_serialize(&mut data).expect("serializes");
    data
}

#[test]
fn a_reservation_passed_as_a_user_is_rejected() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(1);
    svm.create_user(&device.address, ip).expect("user");
    svm.reserve(&authority, &device.address, client_ip(2), None)
        .expect("reservation");
    let publisher = device.metrics_publisher.insecure_clone();

    let report = ix::set_user_bgp_status(publisher.pubkey(), device.address, ip, BgpStatus::Up);
    let report = swap_account(
        report,
        pda::user(&device.address, ip),
        pda::reservation(&device.address, client_ip(2)),
    );
    assert_anchor_error(
        &svm.send(&[report], &[&publisher]),
        AnchorError::AccountDiscriminatorMismatch,
    );
}

#[test]
fn a_user_passed_as_a_device_is_rejected() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    svm.create_user(&device.address, client_ip(1))
        .expect("user");

    let reserve = ix::reserve_connection(authority.pubkey(), device.address, client_ip(2), None);
    let reserve = swap_account(
        reserve,
        device.address,
        pda::user(&device.address, client_ip(1)),
    );
    assert_anchor_error(
        &svm.send(&[reserve], &[&authority]),
        AnchorError::AccountDiscriminatorMismatch,
    );
}

#[test]
fn a_device_owned_by_another_program_is_rejected() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(1);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("the only seat");
    // A byte-for-byte Device with room to spare, owned by a program the attacker controls.
    let mut roomy: Device = svm.device(&device.address);
    roomy.max_users = u16::MAX;
    roomy.reserved_seats = 0;
    let fake = plant(&mut svm, Pubkey::new_unique(), serialize(&roomy));

    let reserve = ix::reserve_connection(authority.pubkey(), device.address, client_ip(2), None);
    let reserve = swap_account(reserve, device.address, fake);
    assert_anchor_error(
        &svm.send(&[reserve], &[&authority]),
        AnchorError::AccountOwnedByWrongProgram,
    );
    assert_eq!(svm.device(&device.address).reserved_seats, 1);
}

#[test]
fn a_global_state_owned_by_another_program_is_rejected() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    let attacker = svm.funded_keypair();
    let mut forged: GlobalState = svm.account(&pda::global_state()).unwrap();
    forged.foundation_allowlist.push(attacker.pubkey());
    let fake = plant(&mut svm, Pubkey::new_unique(), serialize(&forged));

    let reserve = ix::reserve_connection(attacker.pubkey(), device.address, client_ip(1), None);
    let reserve = swap_account(reserve, pda::global_state(), fake);
    assert_anchor_error(
        &svm.send(&[reserve], &[&attacker]),
        AnchorError::AccountOwnedByWrongProgram,
    );
}

#[test]
fn a_forged_global_state_pda_is_rejected() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 4);
    let attacker = svm.funded_keypair();
    let mut forged: GlobalState = svm.account(&pda::global_state()).unwrap();
    forged.foundation_allowlist.push(attacker.pubkey());
    // Even a program-owned account (which an attacker cannot create) fails off its PDA,
    // whose address the program holds as a constant.
    let fake = plant(&mut svm, PROGRAM_ID, serialize(&forged));

    let reserve = ix::reserve_connection(attacker.pubkey(), device.address, client_ip(1), None);
    let reserve = swap_account(reserve, pda::global_state(), fake);
    assert_anchor_error(
        &svm.send(&[reserve], &[&attacker]),
        AnchorError::ConstraintAddress,
    );
}

#[test]
fn a_forged_device_pda_is_rejected() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(1);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("the only seat");
    let mut roomy: Device = svm.device(&device.address);
    roomy.max_users = u16::MAX;
    let fake = plant(&mut svm, PROGRAM_ID, serialize(&roomy));

    let reserve = ix::reserve_connection(authority.pubkey(), device.address, client_ip(2), None);
    let reserve = swap_account(reserve, device.address, fake);
    assert_anchor_error(
        &svm.send(&[reserve], &[&authority]),
        AnchorError::ConstraintSeeds,
    );
}

#[test]
fn a_forged_user_pda_cannot_hide_an_existing_user() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    svm.create_user(&device.address, client_ip(1))
        .expect("user");

    let reserve = ix::reserve_connection(authority.pubkey(), device.address, client_ip(1), None);
    let reserve = swap_account(
        reserve,
        pda::user(&device.address, client_ip(1)),
        Pubkey::new_unique(),
    );
    assert_anchor_error(
        &svm.send(&[reserve], &[&authority]),
        AnchorError::ConstraintSeeds,
    );
    assert_eq!(svm.device(&device.address).reserved_seats, 0);
}

#[test]
fn a_forged_reservation_pda_cannot_be_consumed() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(1);
    svm.reserve(&authority, &device.address, client_ip(1), None)
        .expect("the only seat");
    let ip = client_ip(2);
    // Point create_user for client 2 at client 1's real reservation: the seeds do not match.
    let admin = svm.admin.pubkey();
    let create = ix::create_user(
        admin,
        device.address,
        ip,
        tunnel_net_for(ip),
        admin,
        Some(authority.pubkey()),
    );
    let create = swap_account(
        create,
        pda::reservation(&device.address, ip),
        pda::reservation(&device.address, client_ip(1)),
    );
    assert_anchor_error(&svm.send(&[create], &[]), AnchorError::ConstraintSeeds);
    let state = svm.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (0, 1));
}

#[test]
fn a_reservation_of_another_device_cannot_release_a_seat_here() {
    let mut svm = TestSvm::new();
    let full = svm.activated_device("ams-1", 1);
    let other = svm.activated_device("fra-1", 4);
    let authority = svm.reservation_authority();
    svm.reserve(&authority, &full.address, client_ip(1), None)
        .expect("full");
    svm.reserve(&authority, &other.address, client_ip(2), None)
        .expect("other");

    // Close `other`'s reservation while naming `full` as its device, to free a seat on `full`.
    let close = ix::close_reservation(
        authority.pubkey(),
        full.address,
        client_ip(2),
        authority.pubkey(),
    );
    let close = swap_account(
        close,
        pda::reservation(&full.address, client_ip(2)),
        pda::reservation(&other.address, client_ip(2)),
    );
    svm.assert_refused(ServiceabilityError::ReservationDeviceMismatch, |svm| {
        svm.send(&[close], &[&authority])
    });

    let admin = svm.admin.pubkey();
    let delete = ix::delete_user(
        admin,
        full.address,
        client_ip(3),
        &tunnel_net_for(client_ip(3)),
        admin,
    );
    svm.create_user(&other.address, client_ip(3))
        .expect("user on other");
    let tunnel = tunnel_net_for(client_ip(3));
    let delete = swap_account(
        delete,
        pda::user(&full.address, client_ip(3)),
        pda::user(&other.address, client_ip(3)),
    );
    let delete = swap_account(
        delete,
        pda::tunnel_claim(&full.address, &tunnel),
        pda::tunnel_claim(&other.address, &tunnel),
    );
    svm.assert_refused(ServiceabilityError::UserDeviceMismatch, |svm| {
        svm.send(&[delete], &[])
    });

    assert_eq!(svm.device(&full.address).reserved_seats, 1);
    assert_eq!(svm.device(&other.address).reserved_seats, 1);
    assert_eq!(svm.device(&other.address).users_count, 1);
}

#[test]
fn an_instruction_with_a_missing_signature_is_rejected() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let mut reserve =
        ix::reserve_connection(authority.pubkey(), device.address, client_ip(1), None);
    reserve.accounts[0].is_signer = false; // claim the authority without its signature
    assert_anchor_error(&svm.send(&[reserve], &[]), AnchorError::AccountNotSigner);
}

#[test]
fn a_rotated_out_metrics_publisher_can_no_longer_report() {
    let Scenario {
        mut svm, device, ..
    } = Scenario::new(4);
    let ip = client_ip(1);
    svm.create_user(&device.address, ip).expect("user");
    let old = device.metrics_publisher.insecure_clone();
    let new = svm.funded_keypair();
    let rotate = serviceability_client::types::UpdateDeviceArgs {
        metrics_publisher: Some(new.pubkey()),
        ..update_nothing()
    };
    let foundation = device.foundation.insecure_clone();
    svm.send_ok(
        &[ix::update_device(
            foundation.pubkey(),
            device.address,
            rotate,
        )],
        &[&foundation],
    );
    let report = |publisher: &Keypair| {
        ix::set_user_bgp_status(publisher.pubkey(), device.address, ip, BgpStatus::Up)
    };
    let refused = svm.send_paid_by(&old, &[report(&old)], &[]);
    assert_program_error(&refused, ServiceabilityError::NotMetricsPublisher);
    assert_eq!(
        svm.user(&device.address, ip).unwrap().last_bgp_reported_at,
        0
    );
    svm.send_paid_by(&new, &[report(&new)], &[])
        .expect("the new publisher reports");
    assert_eq!(
        svm.user(&device.address, ip).unwrap().last_bgp_reported_at,
        svm.now()
    );
}

#[test]
fn lamports_sent_to_a_reservation_pda_beforehand_do_not_block_it() {
    // Anyone can transfer lamports to an address before the program creates an account
    // there; `init` must still create it (no denial of service), and the seat is counted once.
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let ip = client_ip(1);
    let reservation = pda::reservation(&device.address, ip);
    let griefer = svm.funded_keypair();
    let gift = anchor_lang::solana_program::system_instruction::transfer(
        &griefer.pubkey(),
        &reservation,
        1_000_000,
    );
    svm.send_paid_by(&griefer, &[gift], &[]).expect("gift");
    svm.reserve(&authority, &device.address, ip, None)
        .expect("reserved despite the lamports");
    let stored = svm.reservation(&device.address, ip).expect("a reservation");
    assert_eq!(stored.payer, authority.pubkey());
    assert_eq!(svm.device(&device.address).reserved_seats, 1);
    let rent = svm.litesvm.minimum_balance_for_rent_exemption(
        svm.litesvm.get_account(&reservation).unwrap().data.len(),
    );
    assert!(svm.lamports(&reservation) >= rent);
}

#[test]
fn several_instructions_in_one_transaction_keep_the_seat_counts() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(2);
    let admin = svm.admin.insecure_clone();
    let ip = client_ip(1);
    // Reserve, then convert the reservation into a user, in one transaction.
    let reserve_then_create = |ip, reservation_payer| {
        [
            ix::reserve_connection(authority.pubkey(), device.address, ip, None),
            ix::create_user(
                admin.pubkey(),
                device.address,
                ip,
                tunnel_net_for(ip),
                admin.pubkey(),
                reservation_payer,
            ),
        ]
    };
    svm.send_ok(
        &reserve_then_create(ip, Some(authority.pubkey())),
        &[&authority],
    );
    let state = svm.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (1, 0));
    assert!(svm.reservation(&device.address, ip).is_none());

    // Delete the user, then reserve the same pair again, in one transaction.
    let delete = ix::delete_user(
        admin.pubkey(),
        device.address,
        ip,
        &tunnel_net_for(ip),
        admin.pubkey(),
    );
    let reserve = ix::reserve_connection(authority.pubkey(), device.address, ip, None);
    svm.send_ok(&[delete, reserve], &[&authority]);
    let state = svm.device(&device.address);
    assert_eq!((state.users_count, state.reserved_seats), (0, 1));
    assert!(svm.user(&device.address, ip).is_none());

    // A reservation then a user for the same pair without consuming it: the user's
    // creation must take the reservation (it is always passed), never a second seat.
    let refused = svm.send(&reserve_then_create(client_ip(2), None), &[&authority]);
    assert_custom_error(
        &refused,
        1,
        u32::from(ServiceabilityError::ReservationPayerMissing),
    );
    let state = svm.device(&device.address);
    assert_eq!(
        (state.users_count, state.reserved_seats),
        (0, 1),
        "nothing changed"
    );
}

#[test]
fn a_device_closed_and_created_again_in_one_transaction_starts_fresh() {
    let mut svm = TestSvm::new();
    let foundation = svm.foundation_key();
    let args = |max_users| serviceability_client::types::CreateDeviceArgs {
        code: "fra-1".into(),
        public_ip: [185, 1, 1, 10],
        max_users,
        metrics_publisher: foundation.pubkey(),
    };
    svm.send_ok(
        &[ix::create_device(foundation.pubkey(), args(4))],
        &[&foundation],
    );
    let address = pda::device("fra-1");
    let close = ix::close_device(foundation.pubkey(), address, foundation.pubkey());
    let create = ix::create_device(foundation.pubkey(), args(7));
    // Anchor's `close` hands the account back to the system program at once, so the same
    // code can be created again in the same transaction: it must come back empty.
    svm.send(&[close, create], &[&foundation])
        .expect("closed and created again");
    let device = svm.device(&address);
    assert_eq!(
        (device.max_users, device.users_count, device.reserved_seats),
        (7, 0, 0)
    );
    assert!(matches!(
        device.status,
        serviceability_client::types::DeviceStatus::Pending
    ));
}

#[test]
fn one_key_may_hold_every_role_that_may_coincide() {
    // A foundation key reserves (the fallback), consumes its own reservation as the user's
    // creator (authority = reservation payer), deletes the user as its payer, and closes the
    // device as its owner: every account named twice is accepted, and every lamport of rent
    // comes back to it.
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 2);
    let foundation = device.foundation.insecure_clone();
    let key = foundation.pubkey();
    let ip = client_ip(1);
    let device_rent = svm.lamports(&device.address);
    let before = svm.lamports(&key);

    svm.reserve(&foundation, &device.address, ip, None)
        .expect("the foundation reserves");
    let create = ix::create_user(key, device.address, ip, tunnel_net_for(ip), key, Some(key));
    svm.send_ok(&[create], &[&foundation]);
    assert!(svm.reservation(&device.address, ip).is_none());
    let delete = ix::delete_user(key, device.address, ip, &tunnel_net_for(ip), key);
    svm.send_ok(&[delete], &[&foundation]);
    svm.send_ok(
        &[ix::close_device(key, device.address, key)],
        &[&foundation],
    );
    assert!(!svm.exists(&device.address));
    // The test SVM's payer paid the fees; the foundation key paid only rents, all returned.
    assert_eq!(svm.lamports(&key), before + device_rent);
}

#[test]
fn an_account_cannot_receive_its_own_rent() {
    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(2);
    let ip = client_ip(1);
    svm.reserve(&authority, &device.address, ip, None)
        .expect("reserved");
    let reservation = pda::reservation(&device.address, ip);
    let close = ix::close_reservation(authority.pubkey(), device.address, ip, reservation);
    svm.assert_refused(ServiceabilityError::PayerMismatch, |svm| {
        svm.send(&[close], &[&authority])
    });
    svm.create_user(&device.address, client_ip(2))
        .expect("user");
    let admin = svm.admin.pubkey();
    let user = pda::user(&device.address, client_ip(2));
    let tunnel = tunnel_net_for(client_ip(2));
    let delete = ix::delete_user(admin, device.address, client_ip(2), &tunnel, user);
    svm.assert_refused(ServiceabilityError::PayerMismatch, |svm| {
        svm.send(&[delete], &[])
    });
    // The user passed as its own tunnel claim: not a TunnelClaim.
    let delete = ix::delete_user(admin, device.address, client_ip(2), &tunnel, admin);
    let delete = swap_account(delete, pda::tunnel_claim(&device.address, &tunnel), user);
    assert_anchor_error(
        &svm.send(&[delete], &[]),
        AnchorError::AccountDiscriminatorMismatch,
    );
    assert!(svm.exists(&reservation) && svm.exists(&user));
}

/// L-3 of the 2026-12-06 review: a second program in the same transaction logs a byte-exact
/// copy of our `ReservationCreated` (another device, another client); the client's decoder
/// must return only the event our program logged.
#[test]
#[cfg_attr(
    not(program_sbf),
    ignore = "the forger is an SBF program: build with `cargo xtask sbf` and run with SERVICEABILITY_SO"
)]
fn an_event_logged_by_another_program_is_not_ours() {
    use anchor_lang::{Event, InstructionData, ToAccountMetas};
    use serviceability_client::serviceability::events::ReservationCreated;
    use serviceability_tests::compute_units::forger_so;

    let Scenario {
        mut svm,
        device,
        authority,
    } = Scenario::new(4);
    let so = forger_so(&svm.runtime).expect("an SBF runtime");
    svm.litesvm
        .add_program_from_file(event_forger::ID, &so)
        .unwrap_or_else(|error| panic!("loading {}: {error}", so.display()));

    let forged = ReservationCreated {
        device: Pubkey::new_unique(),
        reservation: Pubkey::new_unique(),
        client_ip: [6, 6, 6, 6],
        payer: authority.pubkey(),
        expires_at: 0,
        reserved_seats: 1,
    };
    let forge = Instruction {
        program_id: event_forger::ID,
        accounts: event_forger::accounts::Log {}.to_account_metas(None),
        data: event_forger::instruction::Log {
            data: forged.data(),
        }
        .data(),
    };
    let reserve = ix::reserve_connection(authority.pubkey(), device.address, client_ip(1), None);
    // Before and after ours, so neither order fools the decoder.
    let meta = svm
        .send(&[forge.clone(), reserve, forge], &[&authority])
        .expect("all three ran");
    let forged_lines = meta
        .logs
        .iter()
        .filter(|line| line.starts_with("Program data: "))
        .count();
    assert_eq!(forged_lines, 3, "the forger did log: {:#?}", meta.logs);
    let events: Vec<ReservationCreated> = decode(&meta.logs);
    assert_eq!(events.len(), 1, "{:#?}", meta.logs);
    assert_eq!(events[0].device, device.address);
    assert_eq!(events[0].client_ip, client_ip(1).octets());
}
