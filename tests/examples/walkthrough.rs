//! A narrated tour on a fresh in-process ledger: a device, a reservation, its conversion
//! into a user, a BGP report, each step checked against the chain.
//!
//! `cargo run -p serviceability-tests --example walkthrough`

use std::net::Ipv4Addr;

use serviceability_client::events::decode;
use serviceability_client::instructions as ix;
use serviceability_client::serviceability::events::{
    BgpStatusChanged, ReservationCreated, UserCreated,
};
use serviceability_client::types::BgpStatus;
use serviceability_client::{pda, PROGRAM_ID};
use serviceability_tests::*;

fn seats(ledger: &Ledger, device: &DeviceFixture) -> String {
    let state = ledger.device(&device.address);
    format!(
        "{}: {} users + {} reserved of {} seats",
        device.code, state.users_count, state.reserved_seats, state.max_users
    )
}

fn main() {
    let mut ledger = Ledger::new();
    println!(
        "Serviceability program {PROGRAM_ID} on a litesvm ledger ({:?} runtime)",
        ledger.runtime
    );
    println!(
        "1. initialize: admin {} owns GlobalState {}",
        ledger.admin.pubkey(),
        pda::global_state()
    );

    let device = ledger.activated_device("ams-1", 2);
    println!(
        "2. foundation {} created device ams-1 ({}) and activated it",
        device.foundation.pubkey(),
        device.address
    );
    println!("   {}", seats(&ledger, &device));

    let authority = ledger.reservation_authority();
    let client = Ipv4Addr::new(100, 64, 0, 7);
    let reserved = ledger
        .reserve(&authority, &device.address, client, Some(3600))
        .expect("reserve");
    let event = &decode::<ReservationCreated>(&reserved.logs)[0];
    println!(
        "3. reservation authority {} holds a seat for {client}",
        authority.pubkey()
    );
    println!(
        "   event ReservationCreated: expires_at {}, reserved_seats {}",
        event.expires_at, event.reserved_seats
    );
    println!("   {}", seats(&ledger, &device));

    let other = Ipv4Addr::new(100, 64, 0, 8);
    ledger
        .reserve(&authority, &device.address, other, None)
        .expect("second seat");
    let refused = ledger.reserve(
        &authority,
        &device.address,
        Ipv4Addr::new(100, 64, 0, 9),
        None,
    );
    assert_program_error(&refused, ServiceabilityError::MaxUsersExceeded);
    println!("4. a second reservation fills the device; a third is refused: MaxUsersExceeded");
    println!("   {}", seats(&ledger, &device));

    let created = ledger
        .create_user(&device.address, client)
        .expect("create_user");
    let event = &decode::<UserCreated>(&created.logs)[0];
    println!(
        "5. create_user for {client} consumed its reservation (consumed_reservation = {})",
        event.consumed_reservation
    );
    println!("   {}", seats(&ledger, &device));

    ledger.advance_clock(30);
    let publisher = device.metrics_publisher.insecure_clone();
    let report = ix::set_user_bgp_status(publisher.pubkey(), device.address, client, BgpStatus::Up);
    let reported = ledger.send(&[report], &[&publisher]).expect("bgp report");
    let event = &decode::<BgpStatusChanged>(&reported.logs)[0];
    let user = ledger.user(&device.address, client).expect("user");
    println!(
        "6. metrics publisher {} reported BGP {:?} (was {:?})",
        publisher.pubkey(),
        event.status,
        event.previous
    );
    println!(
        "   user {}: bgp_status {:?}, last_bgp_up_at {}, last_bgp_reported_at {}",
        pda::user(&device.address, client),
        user.bgp_status,
        user.last_bgp_up_at,
        user.last_bgp_reported_at
    );

    let close = ix::close_reservation(
        authority.pubkey(),
        device.address,
        other,
        authority.pubkey(),
    );
    ledger.send(&[close], &[&authority]).expect("close");
    println!("7. the other reservation was released; rent went back to its payer");
    println!("   {}", seats(&ledger, &device));
    println!("Transaction logs of the BGP report:");
    for line in &reported.logs {
        println!("   {line}");
    }
}
