//! Tunnel claims: no two users of a device have overlapping tunnels, whatever their prefix
//! lengths (L-1), and a /31 still used by a user created before claims never becomes
//! claimable by a new one (L-2).

use std::net::Ipv4Addr;

use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use serviceability_client::accounts::TunnelClaim;
use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::legacy::decode_tunnel_claim;
use serviceability_client::pda;
use serviceability_client::serviceability::events::{
    TunnelClaimHandedOver, TunnelNetClaimed, TunnelNetShared,
};
use serviceability_client::types::TunnelNet;
use serviceability_client::PROGRAM_ID;
use serviceability_tests::*;

fn net(value: &str) -> TunnelNet {
    value.parse().expect("a tunnel net")
}

fn claim(svm: &TestSvm, device: &Pubkey, network: Ipv4Addr) -> Option<TunnelClaim> {
    svm.account(&pda::tunnel_claim_of(device, network.octets()))
}

fn holder(svm: &TestSvm, device: &Pubkey, network: Ipv4Addr) -> Pubkey {
    claim(svm, device, network).expect("claimed").user
}

fn delete(svm: &mut TestSvm, device: &Pubkey, client_ip: Ipv4Addr, tunnel: &TunnelNet) -> TxResult {
    let admin = svm.admin.pubkey();
    svm.send(
        &[ix::delete_user(admin, *device, client_ip, tunnel, admin)],
        &[],
    )
}

fn claim_tunnel(
    svm: &mut TestSvm,
    device: &Pubkey,
    client_ip: Ipv4Addr,
    tunnel: &TunnelNet,
) -> TxResult {
    let admin = svm.admin.pubkey();
    svm.send(
        &[ix::claim_tunnel_net(admin, *device, client_ip, tunnel)],
        &[],
    )
}

#[test]
fn a_30_claims_both_of_its_31s_and_refuses_either_in_both_orders() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 8).address;
    let wide = net("10.9.0.4/30");

    // The /30 first: a /31 on either of its halves, or the same /30, is refused.
    svm.create_user_with_tunnel(&device, client_ip(1), wide)
        .expect("the /30");
    let user = pda::user(&device, client_ip(1));
    assert_eq!(holder(&svm, &device, Ipv4Addr::new(10, 9, 0, 4)), user);
    assert_eq!(holder(&svm, &device, Ipv4Addr::new(10, 9, 0, 6)), user);
    for overlapping in ["10.9.0.6/31", "10.9.0.4/31", "10.9.0.4/30"] {
        svm.assert_refused(ServiceabilityError::TunnelNetInUse, |svm| {
            svm.create_user_with_tunnel(&device, client_ip(2), net(overlapping))
        });
    }

    // The /31 first: the /30 around it is refused, the /31 beside it is not.
    svm.create_user_with_tunnel(&device, client_ip(3), net("10.9.0.10/31"))
        .expect("the /31");
    svm.assert_refused(ServiceabilityError::TunnelNetInUse, |svm| {
        svm.create_user_with_tunnel(&device, client_ip(4), net("10.9.0.8/30"))
    });
    svm.create_user_with_tunnel(&device, client_ip(4), net("10.9.0.8/31"))
        .expect("the /31 beside it does not overlap");
    assert_eq!(svm.device(&device).users_count, 3);

    // Deleting the /30 releases both halves: the /31 that overlapped it is now accepted.
    delete(&mut svm, &device, client_ip(1), &wide).expect("deleted");
    assert!(claim(&svm, &device, Ipv4Addr::new(10, 9, 0, 4)).is_none());
    assert!(claim(&svm, &device, Ipv4Addr::new(10, 9, 0, 6)).is_none());
    svm.create_user_with_tunnel(&device, client_ip(2), net("10.9.0.6/31"))
        .expect("free again");
}

#[test]
fn the_second_claim_is_passed_for_a_30_and_only_for_a_30() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 8).address;
    let admin = svm.admin.pubkey();
    let wide = net("10.9.0.4/30");
    let narrow = net("10.9.0.8/31");

    let mut without = ix::create_user(admin, device, client_ip(1), wide, admin, None);
    drop_second_claim(&mut without);
    svm.assert_refused(ServiceabilityError::TunnelClaimMismatch, |svm| {
        svm.send(&[without], &[])
    });
    let mut with = ix::create_user(admin, device, client_ip(2), narrow, admin, None);
    give_second_claim(&mut with, pda::tunnel_claim_of(&device, [10, 9, 0, 10]));
    svm.assert_refused(ServiceabilityError::TunnelClaimMismatch, |svm| {
        svm.send(&[with], &[])
    });
    // A second claim off its address is refused as Anchor refuses a wrong PDA.
    let mut elsewhere = ix::create_user(admin, device, client_ip(1), wide, admin, None);
    give_second_claim(
        &mut elsewhere,
        pda::tunnel_claim_of(&device, [10, 9, 0, 12]),
    );
    let result = svm.send(&[elsewhere], &[]);
    assert_anchor_error(&result, AnchorError::ConstraintSeeds);

    svm.create_user_with_tunnel(&device, client_ip(1), wide)
        .expect("created");
    let mut delete_without = ix::delete_user(admin, device, client_ip(1), &wide, admin);
    drop_second_claim(&mut delete_without);
    svm.assert_refused(ServiceabilityError::TunnelClaimMismatch, |svm| {
        svm.send(&[delete_without], &[])
    });
}

/// The position of `second_tunnel_claim` among the accounts of `create_user` and
/// `delete_user` (after authority, global_state, device, user, tunnel_claim).
const SECOND_CLAIM: usize = 5;

fn drop_second_claim(instruction: &mut Instruction) {
    // An omitted optional account is passed as the program id, read-only.
    instruction.accounts[SECOND_CLAIM] = AccountMeta::new_readonly(PROGRAM_ID, false);
}

fn give_second_claim(instruction: &mut Instruction, claim: Pubkey) {
    instruction.accounts[SECOND_CLAIM] = AccountMeta::new(claim, false);
}

#[test]
fn the_migration_claims_the_second_half_of_a_30_created_before_it() {
    // A /30 created when a claim covered only its network holds one claim; a /31 on its
    // second half could then be created beside it. claim_tunnel_net brings both under the
    // rule: the /30 claims what is vacant and shares what the /31 holds.
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 8).address;
    let wide = net("10.9.0.4/30");
    svm.create_user_with_tunnel(&device, client_ip(1), wide)
        .expect("the /30");
    let second = pda::second_tunnel_claim(&device, &wide).expect("a /30 has two");
    svm.litesvm
        .set_account(second, Default::default())
        .expect("as before per-/31 claims");
    svm.create_user_with_tunnel(&device, client_ip(2), net("10.9.0.6/31"))
        .expect("accepted, as it was before per-/31 claims");

    let wide_user = pda::user(&device, client_ip(1));
    let meta = claim_tunnel(&mut svm, &device, client_ip(1), &wide).expect("migrated");
    let shared: Vec<TunnelNetShared> = decode(&meta.logs);
    assert_eq!(shared.len(), 1);
    assert_eq!(
        (shared[0].user, shared[0].holder, shared[0].tunnel_network),
        (wide_user, pda::user(&device, client_ip(2)), [10, 9, 0, 6])
    );
    assert!(decode::<TunnelNetClaimed>(&meta.logs).is_empty());
    svm.assert_refused(ServiceabilityError::TunnelNetAlreadyClaimed, |svm| {
        claim_tunnel(svm, &device, client_ip(1), &wide)
    });

    // Whichever of the two goes first, the /31 at .6 stays claimed for the other.
    delete(&mut svm, &device, client_ip(2), &net("10.9.0.6/31")).expect("the /31 deleted");
    assert_eq!(holder(&svm, &device, Ipv4Addr::new(10, 9, 0, 6)), wide_user);
    svm.assert_refused(ServiceabilityError::TunnelNetInUse, |svm| {
        svm.create_user_with_tunnel(&device, client_ip(3), net("10.9.0.6/31"))
    });
    delete(&mut svm, &device, client_ip(1), &wide).expect("the /30 deleted");
    svm.create_user_with_tunnel(&device, client_ip(3), net("10.9.0.6/31"))
        .expect("free once nobody uses it");
}

#[test]
fn a_network_two_legacy_users_share_stays_claimed_until_both_are_deleted() {
    // The review's sequence (L-2): two legacy users share network N; the migration claims N
    // for U1; U2 is recorded as sharing it; deleting U1 hands the claim to U2, so a new user
    // on N is refused until U2 is deleted too.
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 8).address;
    let shared = tunnel_net_for(client_ip(1));
    let network = Ipv4Addr::from(shared.network);
    let (u1, u2) = (client_ip(1), client_ip(2));
    svm.create_user_with_tunnel(&device, u1, shared)
        .expect("U1");
    svm.make_legacy_user(&device, u1);
    svm.create_user_with_tunnel(&device, u2, shared)
        .expect("U2: unclaimed network, accepted as before claims");
    svm.make_legacy_user(&device, u2);

    // A legacy user that never claimed cannot be deleted: its network would be forgotten.
    let unclaimed = delete(&mut svm, &device, u2, &shared);
    assert_anchor_error(&unclaimed, AnchorError::AccountNotInitialized);

    let meta = claim_tunnel(&mut svm, &device, u1, &shared).expect("U1 claims N");
    assert_eq!(decode::<TunnelNetClaimed>(&meta.logs).len(), 1);
    let meta = claim_tunnel(&mut svm, &device, u2, &shared).expect("U2 shares N");
    let events: Vec<TunnelNetShared> = decode(&meta.logs);
    assert_eq!(events[0].holder, pda::user(&device, u1));
    let recorded = claim(&svm, &device, network).expect("claimed");
    assert_eq!(recorded.sharers, vec![pda::user(&device, u2)]);
    svm.assert_refused(ServiceabilityError::TunnelNetAlreadyClaimed, |svm| {
        claim_tunnel(svm, &device, u2, &shared)
    });

    let meta = delete(&mut svm, &device, u1, &shared).expect("U1 deleted");
    let handed: Vec<TunnelClaimHandedOver> = decode(&meta.logs);
    assert_eq!(
        (handed[0].previous, handed[0].holder),
        (pda::user(&device, u1), pda::user(&device, u2))
    );
    let recorded = claim(&svm, &device, network).expect("still claimed");
    assert_eq!(recorded.user, pda::user(&device, u2));
    assert!(recorded.sharers.is_empty());
    svm.assert_refused(ServiceabilityError::TunnelNetInUse, |svm| {
        svm.create_user_with_tunnel(&device, client_ip(3), shared)
    });

    delete(&mut svm, &device, u2, &shared).expect("U2 deleted");
    assert!(claim(&svm, &device, network).is_none());
    svm.create_user_with_tunnel(&device, client_ip(3), shared)
        .expect("N is free once nobody uses it");
}

#[test]
fn a_user_neither_holding_nor_sharing_a_claim_cannot_be_deleted() {
    // A legacy user whose network a new user claimed before the migration reached it: until
    // it is recorded as a sharer, deleting it is refused rather than leaving the claim's
    // bookkeeping wrong.
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 8).address;
    let tunnel = tunnel_net_for(client_ip(1));
    svm.create_user_with_tunnel(&device, client_ip(1), tunnel)
        .expect("legacy to be");
    svm.make_legacy_user(&device, client_ip(1));
    svm.create_user_with_tunnel(&device, client_ip(2), tunnel)
        .expect("the claim's holder");
    svm.assert_refused(ServiceabilityError::TunnelNetNotClaimed, |svm| {
        delete(svm, &device, client_ip(1), &tunnel)
    });
    claim_tunnel(&mut svm, &device, client_ip(1), &tunnel).expect("recorded as a sharer");
    delete(&mut svm, &device, client_ip(1), &tunnel).expect("deleted");
    assert_eq!(
        holder(&svm, &device, Ipv4Addr::from(tunnel.network)),
        pda::user(&device, client_ip(2))
    );
    assert!(claim(&svm, &device, Ipv4Addr::from(tunnel.network))
        .expect("claimed")
        .sharers
        .is_empty());
}

#[test]
fn a_claim_written_before_sharers_existed_grows_when_shared_and_pays_its_rent() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 8).address;
    let tunnel = tunnel_net_for(client_ip(1));
    svm.create_user_with_tunnel(&device, client_ip(1), tunnel)
        .expect("legacy to be");
    svm.make_legacy_user(&device, client_ip(1));
    svm.create_user_with_tunnel(&device, client_ip(2), tunnel)
        .expect("the claim's holder");
    // Rewrite the holder's claim as the program wrote it before `sharers` (41 bytes).
    let address = pda::tunnel_claim(&device, &tunnel);
    let mut account = svm.litesvm.get_account(&address).expect("claimed");
    account.data.truncate(41);
    account.lamports = svm.litesvm.minimum_balance_for_rent_exemption(41);
    svm.litesvm.set_account(address, account).expect("written");
    let data = svm.litesvm.get_account(&address).expect("claimed").data;
    let before = decode_tunnel_claim(&data).expect("reads as unshared");
    assert_eq!(before.user, pda::user(&device, client_ip(2)));
    assert!(before.sharers.is_empty());

    claim_tunnel(&mut svm, &device, client_ip(1), &tunnel).expect("shared");
    let grown: TunnelClaim = svm.account(&address).expect("the current layout");
    assert_eq!(grown.sharers, vec![pda::user(&device, client_ip(1))]);
    let account = svm.litesvm.get_account(&address).expect("claimed");
    assert_eq!(account.data.len(), 41 + 4 + 32);
    assert_eq!(
        account.lamports,
        svm.litesvm.minimum_balance_for_rent_exemption(77)
    );
}

#[test]
fn two_users_of_a_device_cannot_share_a_tunnel_network() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 5);
    let other = svm.activated_device("fra-1", 5);
    let tunnel = tunnel_net_for(client_ip(1));
    svm.create_user_with_tunnel(&device.address, client_ip(1), tunnel)
        .expect("first");
    let shared = svm.create_user_with_tunnel(&device.address, client_ip(2), tunnel);
    assert_program_error(&shared, ServiceabilityError::TunnelNetInUse);
    assert_eq!(svm.device(&device.address).users_count, 1);

    // Another device is another router: the same network is fine there.
    svm.create_user_with_tunnel(&other.address, client_ip(2), tunnel)
        .expect("other device");
    // Deleting the user frees its network for the next one.
    delete(&mut svm, &device.address, client_ip(1), &tunnel).expect("deleted");
    svm.create_user_with_tunnel(&device.address, client_ip(2), tunnel)
        .expect("network free again");
    assert_eq!(
        holder(&svm, &device.address, Ipv4Addr::from(tunnel.network)),
        pda::user(&device.address, client_ip(2))
    );
}

#[test]
fn claim_tunnel_net_brings_a_user_from_before_claims_under_the_rule() {
    let mut svm = TestSvm::new();
    let device = svm.activated_device("ams-1", 5);
    let tunnel = tunnel_net_for(client_ip(1));
    let claim_address = pda::tunnel_claim(&device.address, &tunnel);
    svm.create_user(&device.address, client_ip(1))
        .expect("user");
    svm.make_legacy_user(&device.address, client_ip(1));
    assert!(!svm.exists(&claim_address), "legacy users have no claim");

    // Unclaimed, its network could be taken by a new user; the migration claims it.
    let stranger = svm.funded_keypair();
    let by_stranger =
        ix::claim_tunnel_net(stranger.pubkey(), device.address, client_ip(1), &tunnel);
    svm.assert_refused(ServiceabilityError::NotActivatorAuthority, |svm| {
        svm.send(&[by_stranger], &[&stranger])
    });
    let meta = claim_tunnel(&mut svm, &device.address, client_ip(1), &tunnel).expect("claimed");
    let events: Vec<TunnelNetClaimed> = decode(&meta.logs);
    assert_eq!(events[0].user, pda::user(&device.address, client_ip(1)));
    assert_eq!(events[0].tunnel_network, tunnel.network);
    let claimed: TunnelClaim = svm.account(&claim_address).expect("claimed");
    assert_eq!(claimed.user, pda::user(&device.address, client_ip(1)));

    svm.assert_refused(ServiceabilityError::TunnelNetAlreadyClaimed, |svm| {
        claim_tunnel(svm, &device.address, client_ip(1), &tunnel)
    });
    let newcomer = svm.create_user_with_tunnel(&device.address, client_ip(2), tunnel);
    assert_program_error(&newcomer, ServiceabilityError::TunnelNetInUse);
}
